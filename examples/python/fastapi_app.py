"""A FastAPI service behind the bundled article policy.

    pip install "jwtgate[fastapi]" uvicorn
    uvicorn fastapi_app:app            (from examples/python)
    curl -H "Authorization: Bearer $(cat ../article/tokens/valid.jwt)" localhost:8000/data

GET /data needs a valid token with the app role Data.Read (the demo token has
it); DELETE /data needs Data.Write (403 insufficient_scope); /healthz needs
nothing. A refused token gets the policy's 401 "Unauthorized. Invalid token."
and an RFC 6750 challenge; `jwtgate explain` (or result.explain()) says why.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI

import jwtgate
from jwtgate.fastapi import JwtBearer

from common import make_validator

auth = JwtBearer(make_validator(), realm="jwtgate-example")
app = FastAPI(title="jwtgate example")


@app.get("/healthz")
async def healthz() -> dict[str, Any]:
    return {"ok": True}


@app.get("/data")
async def read_data(jwt: jwtgate.Result = Depends(auth.require(roles=["Data.Read"]))) -> dict[str, Any]:
    return {"caller": jwt.claims["azp"], "roles": jwt.claims.get("roles", [])}


@app.delete("/data")
async def delete_data(jwt: jwtgate.Result = Depends(auth.require(roles=["Data.Write"]))) -> dict[str, Any]:
    return {"deleted": True}
