"""Starlette (and FastAPI) middleware: every request's token validated by a
jwtgate policy before the application sees it.

    from starlette.applications import Starlette
    from jwtgate.starlette import JwtgateMiddleware

    app = Starlette(routes=...)
    app.add_middleware(JwtgateMiddleware, validator=validator, exclude=["/healthz"])

The token is taken from the request as the policy says (``header-name``,
``require-scheme``, ``query-parameter-name``). A refused request is answered
with the policy's status (``failed-validation-httpcode``, 401 by default),
APIM's ``{"statusCode", "message"}`` body and an RFC 6750
``WWW-Authenticate: Bearer`` challenge; the application is not called. An
accepted request carries the :class:`jwtgate.Result` as ``request.state.jwt``
(and ``scope["jwtgate.result"]``, which :mod:`jwtgate.fastapi` dependencies
reuse instead of validating again). Validation never blocks the event loop
(:meth:`jwtgate.Validator.avalidate`).

Needs ``starlette`` (``pip install "jwtgate[fastapi]"`` or ``"jwtgate[starlette]"``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Awaitable, Callable, MutableMapping, Optional

from . import Validator
from ._jwtgate import Result
from ._web import Denial, Requirement, check

__all__ = ["JwtgateMiddleware", "request_pairs", "validate_scope"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

RESULT_KEY = "jwtgate.result"


def request_pairs(scope: Scope) -> tuple[list[tuple[str, bytes]], list[tuple[str, str]]]:
    """The headers (name, raw value) and query parameters of an ASGI HTTP scope."""
    from urllib.parse import parse_qsl  # noqa: PLC0415

    headers = [(k.decode("latin-1"), v) for k, v in scope.get("headers", [])]
    raw_query = scope.get("query_string", b"").decode("latin-1")
    query = parse_qsl(raw_query, keep_blank_values=True)
    return headers, query


async def validate_scope(validator: Validator, scope: Scope) -> Result:
    """The validation of an ASGI request, reused when the middleware (or an
    earlier dependency) already ran it for this request."""
    cached = scope.get(RESULT_KEY)
    if isinstance(cached, Result) and scope.get("jwtgate.validator") is validator:
        return cached
    headers, query = request_pairs(scope)
    result = await validator.avalidate(headers=headers, query=query)
    scope[RESULT_KEY] = result
    scope["jwtgate.validator"] = validator
    return result


async def send_denial(send: Send, denial: Denial) -> None:
    """Answer an ASGI request with ``denial`` (JSON body, challenge header)."""
    body = json.dumps(denial.body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in denial.headers.items()]
    await send({"type": "http.response.start", "status": denial.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class JwtgateMiddleware:
    """ASGI middleware validating every HTTP request with ``validator``.

    ``exclude``: path prefixes served without a token (health checks, docs);
    ``scopes``/``roles``: what every request's token must grant (per-route
    requirements belong to :mod:`jwtgate.fastapi` dependencies);
    ``realm``: the challenge's realm.
    """

    def __init__(self, app: ASGIApp, validator: Validator, *, exclude: Iterable[str] = (),
                 scopes: Iterable[str] = (), roles: Iterable[str] = (), realm: Optional[str] = None) -> None:
        if not isinstance(validator, Validator):
            raise TypeError(f"validator must be a jwtgate.Validator, not {type(validator).__name__}")
        self.app = app
        self.validator = validator
        self.exclude = tuple(exclude)
        self.requirement = Requirement(tuple(scopes), tuple(roles))
        self.realm = realm

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.exclude and scope.get("path", "").startswith(self.exclude)):
            await self.app(scope, receive, send)
            return
        result = await validate_scope(self.validator, scope)
        denial = check(result, self.requirement, self.realm)
        if denial is not None:
            await send_denial(send, denial)
            return
        scope.setdefault("state", {})["jwt"] = result
        await self.app(scope, receive, send)
