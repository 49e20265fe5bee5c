"""Flask: views protected by a jwtgate policy, with per-view scopes and roles.

    from flask import Flask, g
    from jwtgate.flask import JwtGate

    app = Flask(__name__)
    jwt = JwtGate(app, validator)                 # a jwtgate.Validator

    @app.get("/items")
    @jwt.required(scopes=["Items.Read"])
    def items():
        return {"user": g.jwt.claims["sub"]}

The token is taken from the request as the policy says (``header-name``,
``require-scheme``, ``query-parameter-name``). A refused request is answered
with the policy's status (``failed-validation-httpcode``, 401 by default),
APIM's ``{"statusCode", "message"}`` JSON body and an RFC 6750
``WWW-Authenticate: Bearer`` challenge (``error="invalid_token"``, or 403 with
``error="insufficient_scope"``); the view is not called. An accepted request
has the :class:`jwtgate.Result` in ``flask.g.jwt`` (:func:`current_result`).

Flask views run on worker threads: the first validation of a validator with
openid-config keys waits for their first load (at most
``first_load_timeout``). Load them before serving with
``validator.refresh_keys()`` (or ``start_refresh_thread()``), in the worker
process (see docs/python.md on forking servers).

Needs ``flask`` (``pip install "jwtgate[flask]"``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, Callable, Optional, TypeVar

from flask import Flask, Response, g, request
from flask import json as flask_json

from . import Validator
from ._jwtgate import Result
from ._web import Requirement, check

__all__ = ["JwtGate", "current_result"]

F = TypeVar("F", bound=Callable[..., Any])


class JwtGate:
    """The Flask extension: ``JwtGate(app, validator)`` or ``init_app(app)`` later."""

    def __init__(self, app: Optional[Flask] = None, validator: Optional[Validator] = None, *,
                 realm: Optional[str] = None) -> None:
        if validator is not None and not isinstance(validator, Validator):
            raise TypeError(f"validator must be a jwtgate.Validator, not {type(validator).__name__}")
        self.validator = validator
        self.realm = realm
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, validator: Optional[Validator] = None) -> None:
        """Register with ``app`` (``app.extensions["jwtgate"]``)."""
        if validator is not None:
            self.validator = validator
        app.extensions["jwtgate"] = self

    def validate(self) -> Result:
        """The current request's token, validated (once per request)."""
        cached = g.get("_jwtgate_result")
        if isinstance(cached, Result):
            return cached
        if self.validator is None:
            raise RuntimeError("JwtGate has no validator: pass one to JwtGate(...) or init_app(...)")
        result = self.validator.validate(headers=list(request.headers.items()),
                                         query=list(request.args.items(multi=True)))
        g._jwtgate_result = result
        return result

    def required(self, view: Optional[F] = None, *, scopes: Iterable[str] = (), roles: Iterable[str] = (),
                 any_scope: bool = False, any_role: bool = False) -> Any:
        """A view decorator: the request needs a valid token granting
        ``scopes`` and ``roles`` (all, or any one with ``any_scope``/``any_role``).
        Usable bare (``@jwt.required``) or with arguments."""
        need = Requirement(tuple(scopes), tuple(roles), any_scope, any_role)

        def decorate(fn: F) -> F:
            @functools.wraps(fn)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                denial = check(self.validate(), need, self.realm)
                if denial is not None:
                    return Response(flask_json.dumps(denial.body), status=denial.status,
                                    headers=denial.headers, mimetype="application/json")
                g.jwt = g._jwtgate_result
                return fn(*args, **kwargs)

            return wrapper  # type: ignore[return-value]

        return decorate(view) if view is not None else decorate


def current_result() -> Optional[Result]:
    """The Result of the current request's validation (``g.jwt``), if a
    protected view is running."""
    result = g.get("jwt")
    return result if isinstance(result, Result) else None
