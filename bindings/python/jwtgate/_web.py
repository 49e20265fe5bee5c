"""What the framework integrations (jwtgate.fastapi, jwtgate.starlette,
jwtgate.flask) share: reading scopes and roles from claims, checking a route's
requirements, and answering a refusal the way RFC 6750 says: the policy's
status, a ``WWW-Authenticate: Bearer`` challenge, and APIM's JSON body."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ._jwtgate import Result
from ._types import Reason

__all__ = ["Requirement", "Denial", "bearer_challenge", "token_scopes", "token_roles", "deny_invalid", "check"]

# RFC 6750 3: error_description and scope values are restricted to printable
# ASCII without '"' and '\' (%x20-21 / %x23-5B / %x5D-7E); the realm is a
# quoted-string (RFC 7235 2.2), here held to the same set.
_ALLOWED = frozenset(range(0x20, 0x7F)) - {0x22, 0x5C}
_MAX_DESCRIPTION = 256


def _param(text: str, limit: int = _MAX_DESCRIPTION) -> str:
    """``text`` as an RFC 6750 attribute value: characters outside the allowed
    set become '?' ('"' and '\\' become "'" and '/'), so nothing a token
    carries can end the quoted string, add a parameter or break the header."""
    out = []
    for ch in text[:limit]:
        o = ord(ch)
        if o in _ALLOWED:
            out.append(ch)
        elif ch == '"':
            out.append("'")
        elif ch == "\\":
            out.append("/")
        else:
            out.append("?")
    return "".join(out)


def _scope_token(s: str) -> str:
    # RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    return "".join(ch for ch in s if 0x21 <= ord(ch) <= 0x7E and ch not in '"\\')


def bearer_challenge(*, realm: Optional[str] = None, error: Optional[str] = None,
                     description: Optional[str] = None, scope: Iterable[str] = ()) -> str:
    """An RFC 6750 section 3 challenge: ``Bearer realm="...", error="...",
    error_description="...", scope="..."`` with only the parameters given. A
    request without a token gets no error code (RFC 6750 3.1)."""
    params = []
    if realm:
        params.append(f'realm="{_param(realm)}"')
    if error:
        params.append(f'error="{error}"')
    if description:
        params.append(f'error_description="{_param(description)}"')
    scopes = " ".join(t for t in (_scope_token(s) for s in scope) if t)
    if scopes:
        params.append(f'scope="{scopes}"')
    return "Bearer" + (" " + ", ".join(params) if params else "")


def _words(value: Any) -> set[str]:
    if isinstance(value, str):
        return {w for w in value.split(" ") if w}
    if isinstance(value, list):
        return {w for w in value if isinstance(w, str) and w}
    return set()


def token_scopes(claims: Mapping[str, Any]) -> set[str]:
    """The delegated scopes a token grants: Entra's ``scp`` and RFC 9068's
    ``scope`` (space-separated strings, or lists of strings)."""
    return _words(claims.get("scp")) | _words(claims.get("scope"))


def token_roles(claims: Mapping[str, Any]) -> set[str]:
    """The roles a token carries: Entra's ``roles`` (app roles; an app-only
    token's permissions), a list of strings (or one string)."""
    value = claims.get("roles")
    if isinstance(value, str):
        return {value}
    return _words(value)


@dataclass(frozen=True)
class Requirement:
    """What a route needs beyond a valid token: every scope in ``scopes`` (or
    any one, with ``any_scope``) and every role in ``roles`` (or any one,
    with ``any_role``)."""

    scopes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    any_scope: bool = False
    any_role: bool = False

    def plus(self, scopes: Iterable[str] = (), roles: Iterable[str] = ()) -> "Requirement":
        """This requirement with more scopes and roles."""
        return Requirement(tuple(dict.fromkeys((*self.scopes, *scopes))), tuple(dict.fromkeys((*self.roles, *roles))),
                           self.any_scope, self.any_role)


@dataclass(frozen=True)
class Denial:
    """A refused request: the status, the headers (``WWW-Authenticate``) and
    the JSON body to answer with, and the Result behind it."""

    status: int
    headers: dict[str, str]
    body: dict[str, Any]
    result: Result
    missing: tuple[str, ...] = field(default=())


def deny_invalid(result: Result, realm: Optional[str] = None) -> Denial:
    """The answer for an invalid token: the policy's status (failed-validation-
    httpcode, 401 by default) and message (APIM's ``{"statusCode",
    "message"}`` body), and the challenge: bare when there was no token
    (RFC 6750 3.1), ``error="invalid_token"`` with the message otherwise."""
    absent = result.reason in (Reason.TOKEN_NOT_PRESENT, Reason.SCHEME_MISMATCH)
    challenge = bearer_challenge(realm=realm) if absent else bearer_challenge(
        realm=realm, error="invalid_token", description=result.message)
    return Denial(result.status, {"WWW-Authenticate": challenge},
                  {"statusCode": result.status, "message": result.message}, result)


def _lacking(wanted: tuple[str, ...], have: set[str], any_one: bool) -> list[str]:
    """The members of ``wanted`` that ``have`` lacks; none when ``any_one``
    asks for one of them only and ``have`` holds one."""
    lacking = [w for w in wanted if w not in have]
    if any_one and len(lacking) < len(wanted):
        return []
    return lacking


def check(result: Result, need: Requirement, realm: Optional[str] = None) -> Optional[Denial]:
    """None if ``result`` is valid and grants what ``need`` asks, else the
    answer: :func:`deny_invalid` for an invalid token, 403 with
    ``error="insufficient_scope"`` (RFC 6750 3.1) for missing scopes or roles."""
    if not result.valid:
        return deny_invalid(result, realm)
    if not need.scopes and not need.roles:
        return None
    claims = result.claims
    lacking_scopes = _lacking(need.scopes, token_scopes(claims), need.any_scope) if need.scopes else []
    lacking_roles = _lacking(need.roles, token_roles(claims), need.any_role) if need.roles else []
    missing = lacking_scopes + lacking_roles
    if not missing:
        return None
    what = []
    if any(s in need.scopes for s in missing):
        what.append("scope " + " ".join(s for s in missing if s in need.scopes))
    if lacking_roles:
        what.append("role " + " ".join(lacking_roles))
    message = f"The token does not grant the {' and the '.join(what)} this request needs."
    challenge = bearer_challenge(realm=realm, error="insufficient_scope", description=message,
                                 scope=[s for s in need.scopes] if need.scopes else ())
    return Denial(403, {"WWW-Authenticate": challenge}, {"statusCode": 403, "message": message}, result,
                  tuple(missing))
