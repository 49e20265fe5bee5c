"""A Flask service behind the bundled article policy.

    pip install "jwtgate[flask]"
    flask --app flask_app run          (from examples/python)
    curl -H "Authorization: Bearer $(cat ../article/tokens/valid.jwt)" localhost:5000/data

The same routes as fastapi_app.py: GET /data needs the app role Data.Read,
DELETE /data needs Data.Write, /healthz needs nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g

from jwtgate.flask import JwtGate

from common import make_validator

app = Flask(__name__)
jwt = JwtGate(app, make_validator(), realm="jwtgate-example")


@app.get("/healthz")
def healthz() -> dict[str, Any]:
    return {"ok": True}


@app.get("/data")
@jwt.required(roles=["Data.Read"])
def read_data() -> dict[str, Any]:
    return {"caller": g.jwt.claims["azp"], "roles": g.jwt.claims.get("roles", [])}


@app.delete("/data")
@jwt.required(roles=["Data.Write"])
def delete_data() -> dict[str, Any]:
    return {"deleted": True}
