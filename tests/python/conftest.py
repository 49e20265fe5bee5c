"""Shared fixtures for the Python suite.

The suite tests the *installed* jwtgate package (run it from outside the
source tree, as scripts/python-test.sh does) against the test data the C++
suites use, read in place: tests/vectors, tests/data/keys and examples/.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.server
import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

ROOT = Path(os.environ.get("JWTGATE_SOURCE_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "tests"
KEYS = DATA / "data" / "keys"
VECTORS = DATA / "vectors"
EXAMPLES = ROOT / "examples"

NOW = 1800000000
SECRET = b"0123456789abcdef0123456789abcdef"  # 32 bytes, as tests/validate/test_rejections.cpp
SECRET_B64 = base64.b64encode(SECRET).decode()


def pytest_report_header(config: pytest.Config) -> list[str]:
    import jwtgate

    return [f"jwtgate {jwtgate.__version__} from {Path(jwtgate.__file__).parent}", f"test data: {ROOT}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The package under test must be the installed one, not the source tree.
    import jwtgate

    src = (ROOT / "bindings" / "python").resolve()
    here = Path(jwtgate.__file__).resolve()
    if src in here.parents:
        raise pytest.UsageError(f"jwtgate was imported from the source tree ({here}); run from outside it")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def rsa_public_jwk(kid: str, **members: Any) -> dict[str, Any]:
    """tests/data/keys/rsa2048.pub.pem as a signing JWK (RFC 7517) with |kid|
    and any other |members| ("alg": ...)."""
    from cryptography.hazmat.primitives import serialization

    pub = serialization.load_pem_public_key((KEYS / "rsa2048.pub.pem").read_bytes()).public_numbers()  # type: ignore[union-attr]

    def enc(n: int) -> str:
        return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))

    return {"kty": "RSA", "kid": kid, "use": "sig", **members, "n": enc(pub.n), "e": enc(pub.e)}


@contextlib.contextmanager
def json_server(answer: Callable[[str, str], Any]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (a free port), in a thread, for as long as
    the block runs; yields its base URL ("http://127.0.0.1:PORT"). Each GET is
    answered by answer(path, base URL): a JSON value is sent with 200, an int
    is the error status to send instead."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = answer(self.path, f"http://127.0.0.1:{self.server.server_address[1]}")
            if isinstance(body, int):
                self.send_error(body)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def raw_token(header: Any, payload: Any, alg: str = "HS256", key: Any = SECRET) -> str:
    """A compact JWS over exactly these header/payload JSON texts (str) or objects."""
    h = header if isinstance(header, str) else json.dumps(header, separators=(",", ":"))
    p = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    signing_input = b64url(h.encode()) + "." + b64url(p.encode())
    return signing_input + "." + b64url(sign(alg, key, signing_input.encode()))


def sign(alg: str, key: Any, msg: bytes) -> bytes:
    if alg.startswith("HS"):
        return hmac.new(key, msg, {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}[alg[2:]]).digest()
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    if isinstance(key, (str, bytes)):
        key = serialization.load_pem_private_key(key.encode() if isinstance(key, str) else key, password=None)
    # ES256K is ECDSA with SHA-256 on secp256k1 (RFC 8812 3.2).
    h = {"256": hashes.SHA256(), "256K": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}.get(alg[2:])
    if alg.startswith("RS"):
        return key.sign(msg, padding.PKCS1v15(), h)
    if alg.startswith("PS"):
        return key.sign(msg, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
    if alg.startswith("ES"):
        r, s = decode_dss_signature(key.sign(msg, ec.ECDSA(h)))
        n = (key.curve.key_size + 7) // 8
        return r.to_bytes(n, "big") + s.to_bytes(n, "big")
    if alg == "EdDSA":
        return key.sign(msg)
    raise ValueError(alg)


def claims(**extra: Any) -> dict[str, Any]:
    c: dict[str, Any] = {"iss": "https://a.example", "aud": "api://demo", "sub": "alice", "exp": NOW + 600}
    c.update(extra)
    return c


def hs(payload: Any = None, header: Any = None) -> str:
    return raw_token(header if header is not None else {"alg": "HS256", "kid": "hk"},
                     payload if payload is not None else claims())


def policy_json(**extra: Any) -> dict[str, Any]:
    """The policy of tests/validate/test_rejections.cpp, with extra members."""
    body: dict[str, Any] = {
        "header-name": "Authorization",
        "issuers": ["https://a.example"],
        "audiences": ["api://demo"],
        "issuer-signing-keys": [{"id": "hk", "value": SECRET_B64}],
    }
    body.update(extra)
    return {"validate-jwt": body}


@pytest.fixture(scope="session")
def validator() -> Any:
    import jwtgate

    return jwtgate.Validator(jwtgate.Policy.from_json(policy_json()))


@pytest.fixture(scope="session")
def make_validator() -> Callable[..., Any]:
    import jwtgate

    def make(keys: Any = None, **extra: Any) -> Any:
        return jwtgate.Validator(jwtgate.Policy.from_json(policy_json(**extra)), keys)

    return make


@pytest.fixture(scope="session")
def rsa_private_pem() -> bytes:
    return (KEYS / "rsa2048.pem").read_bytes()


@pytest.fixture(scope="session")
def article() -> dict[str, Any]:
    """examples/article: policy, named values, offline documents, tokens, now."""
    ex = EXAMPLES / "article"
    return {
        "policy": (ex / "policy.xml").read_text(),
        "named_values": json.loads((ex / "named-values.json").read_text()),
        "documents": {
            (ex / "openid-config-url.txt").read_text().strip(): (ex / "openid-configuration.json").read_text(),
            (ex / "jwks-uri.txt").read_text().strip(): (ex / "jwks.json").read_text(),
        },
        "now": int((ex / "now.txt").read_text().strip()),
        "tokens": {p.stem: p.read_text().strip() for p in (ex / "tokens").glob("*.jwt")},
    }
