"""The shared vector files (tests/vectors, read in place) through the public API.

The C++ suites run these vectors through the signature stage alone, with
payloads that need not be JSON. The public C API has only the JWT path, where
a payload must be a JSON object; so here:

* a vector whose payload is a JWT claims set goes through the full validator
  and must be accepted (RFC 7515 A.1-A.3, at the time its claims_check gives)
  or rejected with the C++ suite's reason (A.5 alg none);
* a vector with any other payload must get through the header and the compact
  structure and stop exactly at the payload (NOT_JSON_OBJECT or BAD_JSON,
  subject "payload") when valid, and must never be accepted when invalid;
* each vector's key (RFC, JOSE cookbook, Wycheproof groups) must load as the
  C++ suites load it, and where a private key is published it signs a JWT
  whose claims go through the full path with that vector's algorithm.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import jwtgate
from jwtgate import Reason as R

from conftest import VECTORS, b64url, b64url_decode, claims, NOW

RFC = json.loads((VECTORS / "rfc" / "rfc_vectors.json").read_text())
PAYLOAD_STOP = (R.NOT_JSON_OBJECT, R.BAD_JSON, R.MALFORMED)  # MALFORMED: an empty payload segment


def policy_for(alg: str, **extra: Any) -> jwtgate.Policy:
    body: dict[str, Any] = {"header-name": "Authorization", "require-expiration-time": False,
                            "jwtgate": {"algorithms": [alg] if alg in _ALGS else ["HS256"]}}
    body.update(extra)
    return jwtgate.Policy.from_json({"validate-jwt": body})


_ALGS = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
         "EdDSA"}


def is_claims_set(payload: bytes) -> bool:
    try:
        return isinstance(json.loads(payload), dict)
    except ValueError:
        return False


def crypto_private_key(jwk: dict[str, Any]) -> Any:
    """A cryptography private key from a private JWK (RSA, EC, OKP)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    def n(name: str) -> int:
        return int.from_bytes(b64url_decode(jwk[name]), "big")

    if jwk["kty"] == "RSA":
        pub = rsa.RSAPublicNumbers(n("e"), n("n"))
        return rsa.RSAPrivateNumbers(n("p"), n("q"), n("d"), n("dp"), n("dq"), n("qi"), pub).private_key()
    if jwk["kty"] == "EC":
        curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}[jwk["crv"]]
        return ec.derive_private_key(n("d"), curve)
    if jwk["kty"] == "OKP":
        cls = {"Ed25519": ed25519.Ed25519PrivateKey, "Ed448": ed448.Ed448PrivateKey}[jwk["crv"]]
        return cls.from_private_bytes(b64url_decode(jwk["d"]))
    raise ValueError(jwk["kty"])


def resign_with(jwk_private: dict[str, Any], public: jwtgate.KeySet, alg: str, header: dict[str, Any]) -> None:
    """Sign a claims set with a vector's private key and check the full path."""
    pytest.importorskip("cryptography")
    from conftest import raw_token

    h = dict(header)
    h.pop("b64", None), h.pop("crit", None)
    token = raw_token(h, claims(), alg, crypto_private_key(jwk_private))
    v = jwtgate.Validator(policy_for(alg), public)
    r = v.validate(token, now=NOW)
    assert r.valid, r.explain()
    tampered = raw_token(h, claims(sub="mallory"), alg, crypto_private_key(jwk_private)).rsplit(".", 1)[0] + \
        "." + token.rsplit(".", 1)[1]
    assert v.validate(tampered, now=NOW).reason == R.SIGNATURE_INVALID


# ------------------------------------------------------------------ RFC


@pytest.mark.parametrize("vec", RFC["jws_vectors"], ids=[v["id"] for v in RFC["jws_vectors"]])
def test_rfc_jws_vectors(vec: dict[str, Any]) -> None:
    jwk = vec.get("public_jwk") or vec["key"]
    keys = jwtgate.KeySet.from_jwk(jwk)
    assert len(keys) == 1
    v = jwtgate.Validator(policy_for(vec["alg"]), keys)
    jws = vec["jws"]
    parts = jws.split(".")
    if vec["alg"] == "none":
        assert v.validate(jws, now=NOW).reason == R.ALG_NONE  # RFC 8725 3.2, as test_rfc_vectors.cpp
        return
    if vec["expected_signature"].startswith("invalid"):  # RFC 7797 4.2: b64 false, detached
        assert v.validate(jws, now=NOW).reason in (R.B64_UNSUPPORTED, R.MALFORMED)
        return
    payload = b64url_decode(parts[1]) if parts[1] else b""
    if "detached" in vec["expected_signature"]:
        # Empty payload segment: MALFORMED ("payload"); re-attached, the JWS
        # verifies (its payload is text, so the JWT path stops at the payload).
        r = v.validate(jws, now=NOW)
        assert r.reason == R.MALFORMED and r.subject == "payload"
        attached = parts[0] + "." + vec["detached_payload_b64u"] + "." + parts[2]
        assert v.validate(attached, now=NOW).reason in PAYLOAD_STOP
        return
    if is_claims_set(payload):
        exp = vec["claims_check"]["exp"] if "claims_check" in vec else json.loads(payload)["exp"]
        r = v.validate(jws, now=exp - 380)
        assert r.valid, r.explain()
        assert v.validate(jws, now=exp).reason == R.EXPIRED  # RFC 7519 4.1.4
        tampered = parts[0] + "." + b64url(payload.replace(b"joe", b"eve")) + "." + parts[2]
        assert v.validate(tampered, now=exp - 380).reason == R.SIGNATURE_INVALID
    else:
        r = v.validate(jws, now=NOW)
        assert r.reason in PAYLOAD_STOP[:2] and r.subject == "payload", r.explain()
    if "private_jwk" in vec:
        resign_with(vec["private_jwk"], keys, vec["alg"], vec["protected_header"])


@pytest.mark.parametrize("vec", RFC["jwk_vectors"], ids=[v["id"] for v in RFC["jwk_vectors"]])
def test_rfc_jwk_vectors(vec: dict[str, Any]) -> None:
    if "jwks" in vec:
        ks = jwtgate.KeySet.from_jwks(vec["jwks"])
        assert len(ks) >= 1
        return
    ks = jwtgate.KeySet.from_jwk(vec["jwk"])
    assert len(ks) == 1
    if "canonical_json" in vec:  # RFC 7638: the canonical form loads to a key as well
        assert len(jwtgate.KeySet.from_jwk(vec["canonical_json"])) == 1


# ------------------------------------------------------------------ JOSE cookbook

COOKBOOK_ALL = sorted((VECTORS / "jose-cookbook" / "jws").glob("*.json"))
COOKBOOK = [p for p in COOKBOOK_ALL if json.loads(p.read_text())["output"].get("compact")]


def test_jose_cookbook_json_serialization_only() -> None:
    # 4.6 (unprotected header fields), 4.7 (no protected header) and 4.8
    # (several signatures) exist only in the JSON serializations, which a
    # bearer-token validator never receives.
    assert sorted(p.stem.split(".")[0] for p in set(COOKBOOK_ALL) - set(COOKBOOK)) == ["4_6", "4_7", "4_8"]


@pytest.mark.parametrize("path", COOKBOOK, ids=[p.stem for p in COOKBOOK])
def test_jose_cookbook_jws(path) -> None:
    vec = json.loads(path.read_text())
    compact = vec["output"]["compact"]
    keyspec = vec["input"]["key"]
    alg = vec["input"]["alg"]
    public = {k: v for k, v in keyspec.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
    keys = jwtgate.KeySet.from_jwk(public)
    v = jwtgate.Validator(policy_for(alg), keys)
    r = v.validate(compact, now=NOW)
    parts = compact.split(".")
    if not parts[1]:  # 4.5 detached content
        assert r.reason == R.MALFORMED and r.subject == "payload"
        parts[1] = b64url(vec["input"]["payload"].encode())
        r = v.validate(".".join(parts), now=NOW)
    assert r.reason in PAYLOAD_STOP and r.subject == "payload", r.explain()  # Frodo's text, not a claims set
    if keyspec.get("kty") != "oct" and "d" in keyspec:
        resign_with(keyspec, keys, alg, json.loads(b64url_decode(parts[0])))
    elif keyspec.get("kty") == "oct":
        from conftest import raw_token

        token = raw_token({"alg": alg}, claims(), alg, b64url_decode(keyspec["k"]))
        assert v.validate(token, now=NOW).valid


# ------------------------------------------------------------------ Wycheproof


def wycheproof_cases(name: str) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    doc = json.loads((VECTORS / "wycheproof" / name).read_text())
    out = []
    for g in doc["testGroups"]:
        for t in g["tests"]:
            if "jws" in t:
                out.append((t["tcId"], g, t))
    return out


EXPECTED_WYCHEPROOF = 450  # 401 JWS tests + the 49 JWS tests of json_web_crypto_test (its 34 JWE are not JWS)
WYCHEPROOF = wycheproof_cases("json_web_signature_test.json") + wycheproof_cases("json_web_crypto_test.json")


def group_keys(g: dict[str, Any]) -> jwtgate.KeySet | None:
    key = g.get("public") or g.get("private")
    try:
        return jwtgate.KeySet.load(key)
    except jwtgate.KeySetError:
        return None


def test_wycheproof_counts() -> None:
    # Pinned so that nothing is dropped silently (the C++ suite pins the same files).
    assert len(wycheproof_cases("json_web_signature_test.json")) == 401
    assert len(WYCHEPROOF) == EXPECTED_WYCHEPROOF


@pytest.mark.parametrize("case", WYCHEPROOF, ids=[f"tc{c[0]}-{c[2]['result']}" for c in WYCHEPROOF])
def test_wycheproof_jws(case) -> None:
    tc_id, group, test = case
    jws = test["jws"]
    if not isinstance(jws, str):
        assert test["result"] == "invalid"  # JSON serialization: not a compact token at all
        return
    keys = group_keys(group)
    key = group.get("public") or group.get("private")
    algs = {k.get("alg") for k in (key.get("keys") if isinstance(key, dict) and "keys" in key else [key])
            if isinstance(k, dict)} & _ALGS
    body: dict[str, Any] = {"header-name": "Authorization", "require-expiration-time": False}
    if algs:
        body["jwtgate"] = {"algorithms": sorted(algs)}
    v = jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": body}), keys)
    r = v.validate(jws, now=NOW)
    # No Wycheproof payload is a claims set ("foo", "123400", text), so no
    # vector may ever be accepted on the JWT path.
    assert not r.valid
    if isinstance(jws, str) and jws.count(".") == 2 and test["result"] == "valid" and keys is not None and algs:
        try:
            payload = b64url_decode(jws.split(".")[1])
        except ValueError:
            payload = b"not base64url"  # tcId 372/373 carry a '?' (README.upstream.md)
        if not is_claims_set(payload) and (r.reason not in PAYLOAD_STOP or r.subject != "payload"):
            # The C++ suite documents these valid vectors as defects
            # (tcId 346/347/350/351/372/373) or duplicates (367/370).
            assert tc_id in {346, 347, 350, 351, 367, 370, 372, 373}, (tc_id, r.explain())
