"""Key sets as identity providers publish them: Google's and Firebase's key
map ({"<kid>": "<PEM certificate>"}) in every interface that reads keys, and
Auth0's x5t thumbprint (base64url of the hexadecimal SHA-1), a hint that is
ignored unless the policy says check-x5t."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import jwtgate
from jwtgate import Reason as R

from conftest import KEYS, NOW, claims, json_server, raw_token

pytest.importorskip("cryptography")

CERT = (KEYS / "rsa2048.cert.pem").read_text()
OTHER = (KEYS / "rsa2048b.pub.pem").read_text()
PRIVATE = (KEYS / "rsa2048.pem").read_bytes()
KEY_MAP = {"a1b2c3": CERT, "d4e5f6": OTHER}


def token(kid: str = "a1b2c3", iss: str = "https://a.example") -> str:
    return raw_token({"alg": "RS256", "kid": kid}, claims(iss=iss), "RS256", PRIVATE)


def validator(keys: Any = None, **extra: Any) -> jwtgate.Validator:
    body = {"header-name": "Authorization", "issuers": ["https://a.example"], "audiences": ["api://demo"]}
    body.update(extra)
    return jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": body}), keys)


def test_key_map_loads_with_kids() -> None:
    for keys in (jwtgate.KeySet.from_pem_map(KEY_MAP), jwtgate.KeySet.from_pem_map(json.dumps(KEY_MAP)),
                 jwtgate.KeySet.load(json.dumps(KEY_MAP)), jwtgate.KeySet.load(KEY_MAP)):
        assert len(keys) == 2 and keys.warnings == ()
        v = validator(keys)
        assert v.validate(token(), now=NOW).valid
        # The kid names its key: the other entry does not verify the token.
        r = v.validate(token("d4e5f6"), now=NOW)
        assert r.reason == R.SIGNATURE_INVALID and r.subject == "signature"


def test_key_map_skips_unusable_entries() -> None:
    keys = jwtgate.KeySet.from_pem_map({**KEY_MAP, "priv": PRIVATE.decode()})
    assert len(keys) == 2
    assert any('key map entry "priv" skipped' in i.message for i in keys.warnings)
    with pytest.raises(jwtgate.KeySetError, match="no usable key"):
        jwtgate.KeySet.from_pem_map({"priv": PRIVATE.decode()})


def test_key_map_from_file_and_cli(tmp_path: Path) -> None:
    path = tmp_path / "google-certs.json"
    path.write_text(json.dumps(KEY_MAP))
    assert len(jwtgate.KeySet.from_file(path)) == 2
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"validate-jwt": {"header-name": "Authorization", "audiences": ["api://demo"],
                                                   "issuers": ["https://a.example"]}}))
    proc = subprocess.run([sys.executable, "-m", "jwtgate", "validate", "--policy", str(policy), "--keys", str(path),
                           "--now", str(NOW), token()], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("valid")


def test_key_map_as_an_offline_jwks_document() -> None:
    # What a jwks_uri publishes may be a key map (Google's x509 endpoints):
    # offline copies and fetched sets read both forms.
    url = "https://accounts.example/.well-known/openid-configuration"
    jwks_uri = "https://accounts.example/certs"
    docs = {url: {"issuer": "https://accounts.example", "jwks_uri": jwks_uri}, jwks_uri: KEY_MAP}
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization", "audiences": ["api://demo"],
                                                   "openid-config": [{"url": url}]}}, documents=docs)
    v = jwtgate.Validator(p)
    assert v.validate(token(iss="https://accounts.example"), now=NOW).valid


def _auth0_style_jwks() -> dict[str, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = x509.load_pem_x509_certificate(CERT.encode())
    der = cert.public_bytes(Encoding.DER)
    numbers = cert.public_key().public_numbers()  # type: ignore[union-attr]

    def b64u(n: int) -> str:
        return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()

    # Auth0 publishes x5t as base64url of the uppercase hex SHA-1, not of the digest.
    x5t = base64.urlsafe_b64encode(hashlib.sha1(der).hexdigest().upper().encode()).rstrip(b"=").decode()  # noqa: S324
    return {"keys": [{"alg": "RS256", "kty": "RSA", "use": "sig", "kid": "a1b2c3", "n": b64u(numbers.n),
                      "e": b64u(numbers.e), "x5t": x5t, "x5c": [base64.b64encode(der).decode()]}]}


def test_auth0_x5t_is_a_hint() -> None:
    jwks = _auth0_style_jwks()
    keys = jwtgate.KeySet.from_jwks(jwks)
    assert len(keys) == 1
    assert any('"x5t" is not the thumbprint of the x5c leaf certificate; the thumbprint is a hint' in i.message
               for i in keys.warnings)
    assert validator(keys).validate(token(), now=NOW).valid
    # A policy that wants the thumbprint to hold refuses the key.
    r = validator(keys, jwtgate={"check-x5t": True}).validate(token(), now=NOW)
    assert r.reason == R.SIGNATURE_INVALID and "check-x5t" in r.detail


def test_auth0_set_in_compat_pyjwk_client(tmp_path: Path) -> None:
    import jwtgate.compat.pyjwt as jwt

    jwks = _auth0_style_jwks()
    assert len(jwt.PyJWKSet.from_dict(jwks).key_set()) == 1
    assert jwt.decode(token(), jwt.PyJWKSet.from_dict(jwks)["a1b2c3"], audience="api://demo")["sub"] == "alice"


def test_key_map_in_compat_pyjwk_client() -> None:
    # PyJWKClient pointed at a key map URL (Firebase's x509 endpoint form).
    import jwtgate.compat.pyjwt as jwt

    with json_server(lambda path, base: KEY_MAP) as base:
        client = jwt.PyJWKClient(base + "/x509")
        key = client.get_signing_key_from_jwt(token())
        assert key.key_id == "a1b2c3" and key.algorithm_name == "RS256"
        assert jwt.decode(token(), key, audience="api://demo")["sub"] == "alice"
        assert len(client.get_key_set()) == 2
