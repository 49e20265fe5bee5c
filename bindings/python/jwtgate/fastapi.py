"""FastAPI dependencies: routes protected by a jwtgate policy, with per-route
scopes and roles.

    from fastapi import Depends, FastAPI, Security
    from jwtgate.fastapi import JwtBearer

    auth = JwtBearer(validator)                      # a jwtgate.Validator

    @app.get("/items")
    async def items(jwt: jwtgate.Result = Security(auth, scopes=["Items.Read"])):
        return {"user": jwt.claims["sub"]}

    @app.delete("/items/{id}")
    async def delete(jwt = Depends(auth.require(roles=["Items.Admin"]))): ...

The token is taken from the request as the policy says and validated without
blocking the event loop (:meth:`jwtgate.Validator.avalidate`). A refused
request raises ``HTTPException`` with the policy's status
(``failed-validation-httpcode``, 401 by default) and APIM's message as
``detail``, and an RFC 6750 ``WWW-Authenticate: Bearer`` challenge
(``error="invalid_token"``, or 403 with ``error="insufficient_scope"`` and the
scopes needed). The dependency returns the :class:`jwtgate.Result`
(``.claims``, ``.header``), also kept in ``request.state.jwt``. Scopes are read
from ``scp`` (Entra) and ``scope`` (RFC 9068), roles from ``roles``; the scopes
of ``Security(auth, scopes=[...])`` add to the dependency's own. In OpenAPI
the dependency is an HTTP bearer security scheme.

With :class:`jwtgate.starlette.JwtgateMiddleware` in front, the dependency
reuses the middleware's validation.

Needs ``fastapi`` (``pip install "jwtgate[fastapi]"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from fastapi import HTTPException
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.security import SecurityScopes
from fastapi.security.base import SecurityBase
from starlette.requests import Request

from . import Validator
from ._jwtgate import Result
from ._web import Requirement, check
from .starlette import validate_scope

__all__ = ["JwtBearer"]


class JwtBearer(SecurityBase):
    """A FastAPI security dependency that validates the request's token with
    ``validator`` and checks ``scopes`` and ``roles`` (all of them, or any one
    with ``any_scope``/``any_role``). ``realm`` goes into the challenge."""

    def __init__(self, validator: Validator, *, scopes: Iterable[str] = (), roles: Iterable[str] = (),
                 any_scope: bool = False, any_role: bool = False, realm: Optional[str] = None,
                 scheme_name: Optional[str] = None, description: Optional[str] = None) -> None:
        if not isinstance(validator, Validator):
            raise TypeError(f"validator must be a jwtgate.Validator, not {type(validator).__name__}")
        self.validator = validator
        self.requirement = Requirement(tuple(scopes), tuple(roles), any_scope, any_role)
        self.realm = realm
        self.model: Any = HTTPBearerModel(bearerFormat="JWT", description=description)
        self.scheme_name = scheme_name or "JwtBearer"

    def require(self, *, scopes: Iterable[str] = (), roles: Iterable[str] = (), any_scope: bool = False,
                any_role: bool = False) -> "JwtBearer":
        """A dependency with the same validator and more scopes or roles (for
        one route: ``Depends(auth.require(roles=["Admin"]))``)."""
        more = JwtBearer(self.validator, realm=self.realm, scheme_name=self.scheme_name,
                         description=self.model.description)
        base = self.requirement.plus(scopes, roles)
        more.requirement = Requirement(base.scopes, base.roles, any_scope or base.any_scope,
                                       any_role or base.any_role)
        return more

    async def __call__(self, request: Request, security_scopes: SecurityScopes) -> Result:
        result = await validate_scope(self.validator, request.scope)
        need = self.requirement.plus(security_scopes.scopes)
        denial = check(result, need, self.realm)
        if denial is not None:
            raise HTTPException(status_code=denial.status, detail=denial.body["message"], headers=denial.headers)
        request.state.jwt = result
        return result
