"""jwtgate.fastapi, jwtgate.starlette and jwtgate.flask, tested with the
frameworks themselves (FastAPI's TestClient, Flask's test client) and tokens
from a real OpenID provider: tests/integration/provider.mjs (the npm package
oidc-provider) on 127.0.0.1, started here, client-credentials tokens signed
RS256 and ES256, keys fetched by the validator through openid-config.

Needs `npm ci` in tests/integration (scripts/python-test.sh runs it)."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import urllib.parse
import urllib.request
from typing import Any, Iterator

import pytest
from fastapi import Request  # at module level: FastAPI resolves the string annotations here

import jwtgate

from conftest import ROOT, b64url

HERE = ROOT / "tests" / "integration"
# RFC 6750 3: the characters an error_description may hold.
DESCRIPTION = r'[\x20\x21\x23-\x5b\x5d-\x7e]*'
CHALLENGE_INVALID = re.compile(r'^Bearer error="invalid_token", error_description="' + DESCRIPTION + '"$')
MISSING_MESSAGE = "JWT not present."  # APIM's message for TokenNotPresent


class Provider:
    def __init__(self) -> None:
        assert (HERE / "node_modules" / "oidc-provider").is_dir(), \
            f"oidc-provider is not installed: run npm ci --prefix {HERE}"
        self.secret = "s-" + secrets.token_hex(16)
        self.proc = subprocess.Popen(["node", str(HERE / "provider.mjs")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=dict(os.environ, JWTGATE_TEST_CLIENT_SECRET=self.secret))
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.startswith('{"port":'), f"provider did not start: {line!r} {self.proc.stderr.read() if self.proc.stderr else ''}"
        self.base = f"http://127.0.0.1:{json.loads(line)['port']}"

    def token(self, client: str = "jwtgate-post", resource: str = "urn:jwtgate:rs256") -> str:
        body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client,
                                       "client_secret": self.secret, "scope": "api.read",
                                       "resource": resource}).encode()
        handler = urllib.request.ProxyHandler({})  # 127.0.0.1 only, whatever the environment says
        opener = urllib.request.build_opener(handler)
        with opener.open(urllib.request.Request(self.base + "/token", data=body), timeout=30) as resp:
            token: str = json.load(resp)["access_token"]
        return token

    def policy(self, **extra: Any) -> jwtgate.Policy:
        body: dict[str, Any] = {"header-name": "Authorization", "require-scheme": "Bearer",
                                "openid-config": [{"url": self.base + "/.well-known/openid-configuration"}],
                                "audiences": ["urn:jwtgate:rs256", "urn:jwtgate:es256"]}
        body.update(extra)
        return jwtgate.Policy.from_json({"validate-jwt": {k: v for k, v in body.items() if v is not None}})

    def validator(self, **extra: Any) -> jwtgate.Validator:
        return jwtgate.Validator(self.policy(**extra), allow_http_loopback=True)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()  # the provider stops when its input closes
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def idp() -> Iterator[Provider]:
    provider = Provider()
    try:
        yield provider
    finally:
        provider.close()


@pytest.fixture(scope="module")
def tokens(idp: Provider) -> dict[str, str]:
    return {"rs256": idp.token(), "es256": idp.token(resource="urn:jwtgate:es256"),
            "roles": idp.token("jwtgate-roles")}


def tampered(token: str) -> str:
    head, payload, sig = token.split(".")
    return f"{head}.{payload}.{sig[:-4]}AAAA"


def hostile(token: str) -> str:
    # A kid full of quotes, a backslash, CR/LF and a non-ASCII character: none
    # of it may reach the challenge header raw.
    head, payload, sig = token.split(".")
    return b64url(json.dumps({"alg": "RS256", "kid": 'x" , error="none\\\r\nSet-Cookie: a=b \u202e'}).encode()) + \
        f".{payload}.{sig}"


# ---------------------------------------------------------------- FastAPI


@pytest.fixture(scope="module")
def fastapi_client(idp: Provider) -> Any:
    from fastapi import Depends, FastAPI, Security
    from fastapi.testclient import TestClient

    from jwtgate.fastapi import JwtBearer

    auth = JwtBearer(idp.validator(), realm="jwtgate-test")
    app = FastAPI()

    @app.get("/me")
    async def me(jwt: jwtgate.Result = Security(auth)) -> dict[str, Any]:
        return {"client": jwt.claims["client_id"], "alg": jwt.header["alg"]}

    @app.get("/read")
    async def read(jwt: jwtgate.Result = Security(auth, scopes=["api.read"])) -> dict[str, Any]:
        return {"scope": jwt.claims["scope"]}

    @app.get("/write")
    async def write(jwt: jwtgate.Result = Security(auth, scopes=["api.write"])) -> dict[str, Any]:
        return {}

    @app.get("/list")
    async def listing(jwt: jwtgate.Result = Depends(auth.require(roles=["Data.List"]))) -> dict[str, Any]:
        return {"roles": jwt.claims["roles"]}

    @app.get("/admin")
    async def admin(jwt: jwtgate.Result = Depends(auth.require(roles=["Data.Write"]))) -> dict[str, Any]:
        return {}

    @app.get("/either")
    async def either(jwt: jwtgate.Result = Depends(auth.require(roles=["Data.Write", "Data.Read"], any_role=True))
                     ) -> dict[str, Any]:
        return {}

    with TestClient(app) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + token}


def test_fastapi_valid_tokens(fastapi_client: Any, tokens: dict[str, str]) -> None:
    r = fastapi_client.get("/me", headers=bearer(tokens["rs256"]))
    assert r.status_code == 200 and r.json() == {"client": "jwtgate-post", "alg": "RS256"}
    r = fastapi_client.get("/me", headers=bearer(tokens["es256"]))
    assert r.status_code == 200 and r.json() == {"client": "jwtgate-post", "alg": "ES256"}
    assert fastapi_client.get("/read", headers=bearer(tokens["rs256"])).json() == {"scope": "api.read"}


def test_fastapi_refusals(fastapi_client: Any, tokens: dict[str, str]) -> None:
    r = fastapi_client.get("/me")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Bearer realm="jwtgate-test"'  # RFC 6750 3.1: no error code
    assert r.json() == {"detail": MISSING_MESSAGE}
    r = fastapi_client.get("/me", headers=bearer(tampered(tokens["rs256"])))
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith('Bearer realm="jwtgate-test", error="invalid_token", '
                                                    'error_description="')
    assert r.json()["detail"].startswith("IDX10511: Signature validation failed.")
    r = fastapi_client.get("/me", headers={"Authorization": "Basic " + tokens["rs256"]})
    assert r.status_code == 401 and r.headers["www-authenticate"] == 'Bearer realm="jwtgate-test"'


def test_fastapi_scopes_and_roles(fastapi_client: Any, tokens: dict[str, str]) -> None:
    r = fastapi_client.get("/write", headers=bearer(tokens["rs256"]))
    assert r.status_code == 403
    assert r.headers["www-authenticate"] == (
        'Bearer realm="jwtgate-test", error="insufficient_scope", error_description="The token does not grant '
        'the scope api.write this request needs.", scope="api.write"')
    assert fastapi_client.get("/list", headers=bearer(tokens["roles"])).json() == {"roles": ["Data.Read", "Data.List"]}
    assert fastapi_client.get("/list", headers=bearer(tokens["rs256"])).status_code == 403
    r = fastapi_client.get("/admin", headers=bearer(tokens["roles"]))
    assert r.status_code == 403 and "role Data.Write" in r.json()["detail"]
    assert fastapi_client.get("/either", headers=bearer(tokens["roles"])).status_code == 200


def test_fastapi_challenge_is_escaped(fastapi_client: Any, tokens: dict[str, str]) -> None:
    r = fastapi_client.get("/me", headers=bearer(hostile(tokens["rs256"])))
    assert r.status_code == 401
    challenge = r.headers["www-authenticate"]
    assert "set-cookie" not in {k.lower() for k in r.headers}
    assert re.fullmatch(r'Bearer realm="jwtgate-test", error="invalid_token", error_description="' + DESCRIPTION +
                        '"', challenge), challenge


def test_fastapi_openapi_declares_bearer(fastapi_client: Any) -> None:
    schema = fastapi_client.app.openapi()
    assert schema["components"]["securitySchemes"]["JwtBearer"] == {"type": "http", "scheme": "bearer",
                                                                    "bearerFormat": "JWT"}
    assert schema["paths"]["/read"]["get"]["security"] == [{"JwtBearer": ["api.read"]}]


def test_fastapi_policy_status(idp: Provider, tokens: dict[str, str]) -> None:
    # The policy's failed-validation-httpcode and -error-message are the answer.
    from fastapi import FastAPI, Security
    from fastapi.testclient import TestClient

    from jwtgate.fastapi import JwtBearer

    auth = JwtBearer(idp.validator(**{"failed-validation-httpcode": 403,
                                      "failed-validation-error-message": "Forbidden by policy."}))
    app = FastAPI()

    @app.get("/x")
    async def x(jwt: jwtgate.Result = Security(auth)) -> dict[str, Any]:
        return {}

    with TestClient(app) as client:
        r = client.get("/x", headers=bearer(tampered(tokens["rs256"])))
        assert r.status_code == 403 and r.json() == {"detail": "Forbidden by policy."}
        assert r.headers["www-authenticate"] == \
            'Bearer error="invalid_token", error_description="Forbidden by policy."'
        assert client.get("/x", headers=bearer(tokens["rs256"])).status_code == 200


# ---------------------------------------------------------------- Starlette


def test_starlette_middleware(idp: Provider, tokens: dict[str, str]) -> None:
    from fastapi import FastAPI, Security
    from fastapi.testclient import TestClient

    from jwtgate.fastapi import JwtBearer
    from jwtgate.starlette import JwtgateMiddleware

    validator = idp.validator()
    auth = JwtBearer(validator)
    app = FastAPI()
    app.add_middleware(JwtgateMiddleware, validator=validator, exclude=["/healthz"], scopes=["api.read"])
    seen: list[Any] = []

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"ok": True}

    @app.get("/state")
    async def state(request: Request) -> dict[str, Any]:
        return {"sub": request.state.jwt.claims["sub"]}

    @app.get("/dep")
    async def dep(request: Request, jwt: jwtgate.Result = Security(auth)) -> dict[str, Any]:
        seen.append((jwt, request.state.jwt))
        return {}

    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"ok": True}
        r = client.get("/state")
        assert r.status_code == 401 and r.json() == {"statusCode": 401, "message": MISSING_MESSAGE}
        assert r.headers["www-authenticate"] == "Bearer" and r.headers["content-type"] == "application/json"
        r = client.get("/state", headers=bearer(tampered(tokens["rs256"])))
        assert r.status_code == 401 and CHALLENGE_INVALID.match(r.headers["www-authenticate"])
        assert client.get("/state", headers=bearer(tokens["rs256"])).json() == {"sub": "jwtgate-post"}
        assert client.get("/dep", headers=bearer(tokens["es256"])).status_code == 200
        jwt, state_jwt = seen[0]
        assert jwt is state_jwt  # the dependency reused the middleware's validation


# ---------------------------------------------------------------- Flask


@pytest.fixture(scope="module")
def flask_client(idp: Provider) -> Any:
    from flask import Flask, g

    from jwtgate.flask import JwtGate, current_result

    app = Flask(__name__)
    validator = idp.validator()
    validator.refresh_keys()  # keys loaded before serving
    jwt = JwtGate(app, validator)

    @app.get("/me")
    @jwt.required
    def me() -> dict[str, Any]:
        result = current_result()
        assert result is g.jwt
        return {"client": g.jwt.claims["client_id"]}

    @app.get("/write")
    @jwt.required(scopes=["api.write"])
    def write() -> dict[str, Any]:
        return {}

    @app.get("/list")
    @jwt.required(roles=["Data.List"])
    def listing() -> dict[str, Any]:
        return {"roles": g.jwt.claims["roles"]}

    @app.get("/open")
    def open_view() -> dict[str, Any]:
        return {"jwt": current_result() is not None}

    return app.test_client()


def test_flask(flask_client: Any, tokens: dict[str, str]) -> None:
    r = flask_client.get("/me", headers=bearer(tokens["rs256"]))
    assert r.status_code == 200 and r.get_json() == {"client": "jwtgate-post"}
    r = flask_client.get("/me")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    assert r.get_json() == {"statusCode": 401, "message": MISSING_MESSAGE}
    r = flask_client.get("/me", headers=bearer(tampered(tokens["es256"])))
    assert r.status_code == 401 and CHALLENGE_INVALID.match(r.headers["WWW-Authenticate"])
    r = flask_client.get("/me", headers=bearer(hostile(tokens["rs256"])))
    assert r.status_code == 401 and CHALLENGE_INVALID.match(r.headers["WWW-Authenticate"])
    r = flask_client.get("/write", headers=bearer(tokens["rs256"]))
    assert r.status_code == 403
    assert r.headers["WWW-Authenticate"] == ('Bearer error="insufficient_scope", error_description="The token does '
                                             'not grant the scope api.write this request needs.", scope="api.write"')
    assert flask_client.get("/list", headers=bearer(tokens["roles"])).get_json() == {"roles": ["Data.Read",
                                                                                              "Data.List"]}
    assert flask_client.get("/list", headers=bearer(tokens["rs256"])).status_code == 403
    assert flask_client.get("/open").get_json() == {"jwt": False}
    # The token may come from the query when the policy says so.
    assert flask_client.get("/me?access_token=" + tokens["rs256"]).status_code == 401


def test_flask_query_parameter(idp: Provider, tokens: dict[str, str]) -> None:
    from flask import Flask, g

    from jwtgate.flask import JwtGate

    app = Flask(__name__)
    jwt = JwtGate(validator=idp.validator(**{"header-name": None, "require-scheme": None,
                                              "query-parameter-name": "access_token"}))
    jwt.init_app(app)

    @app.get("/q")
    @jwt.required
    def q() -> dict[str, Any]:
        return {"alg": g.jwt.header["alg"]}

    client = app.test_client()
    assert client.get("/q?access_token=" + tokens["es256"]).get_json() == {"alg": "ES256"}
    assert client.get("/q", headers=bearer(tokens["es256"])).status_code == 401


# ---------------------------------------------------------------- examples/python


def _example(name: str) -> Any:
    import importlib.util
    import sys

    folder = ROOT / "examples" / "python"
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(f"jwtgate_example_{name}", folder / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(folder))


def _article_token(name: str) -> str:
    return (ROOT / "examples" / "article" / "tokens" / f"{name}.jwt").read_text().strip()


@pytest.mark.parametrize("framework", ["fastapi_app", "flask_app"])
def test_examples(framework: str) -> None:
    module = _example(framework)
    if framework == "fastapi_app":
        from fastapi.testclient import TestClient

        client: Any = TestClient(module.app)
    else:
        client = module.app.test_client()
    def body(r: Any) -> Any:
        return r.json() if callable(r.json) else r.json  # httpx's method, werkzeug's property

    r = client.get("/data", headers=bearer(_article_token("valid")))
    assert r.status_code == 200
    assert body(r) == {"caller": "a1888df2-84c2-4379-8d53-7091dd630ca7", "roles": ["Data.Read"]}
    r = client.get("/data")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == 'Bearer realm="jwtgate-example"'
    for name in ("v1", "expired", "tampered", "wrong-client"):
        r = client.get("/data", headers=bearer(_article_token(name)))
        assert r.status_code == 401, name
        assert r.headers["WWW-Authenticate"] == ('Bearer realm="jwtgate-example", error="invalid_token", '
                                                 'error_description="Unauthorized. Invalid token."'), name
    r = client.delete("/data", headers=bearer(_article_token("valid")))
    assert r.status_code == 403 and 'error="insufficient_scope"' in r.headers["WWW-Authenticate"]
    assert body(client.get("/healthz")) == {"ok": True}
