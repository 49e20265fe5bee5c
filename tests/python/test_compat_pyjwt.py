"""jwtgate.compat.pyjwt against PyJWT itself: the same calls must succeed with
the same claims or fail with the same exception class. Also PyJWKClient (on a
loopback HTTP server), encode, and the exception hierarchy."""

from __future__ import annotations

import time
import warnings
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest

import jwtgate.compat.pyjwt as jg

from conftest import KEYS, b64url, json_server, raw_token, rsa_public_jwk

pj = pytest.importorskip("jwt", reason="PyJWT is the reference for these tests")
pytest.importorskip("cryptography")

NOW = int(time.time())
SECRET = "0123456789abcdef0123456789abcdef"
PRIV = (KEYS / "rsa2048.pem").read_text()
PUB = (KEYS / "rsa2048.pub.pem").read_text()
EC_PRIV = (KEYS / "ec256.pem").read_text()
EC_PUB = (KEYS / "ec256.pub.pem").read_text()
K1_PRIV = (KEYS / "ec256k.pem").read_text()
K1_PUB = (KEYS / "ec256k.pub.pem").read_text()
ED_PRIV = (KEYS / "ed25519.pem").read_text()
ED_PUB = (KEYS / "ed25519.pub.pem").read_text()
BASE = {"iss": "i", "aud": "a", "sub": "s", "exp": NOW + 100, "iat": NOW}


def tok(claims: dict, key: Any = SECRET, alg: str = "HS256", headers: dict | None = None) -> str:
    # Signed independently of both libraries (PyJWT's encode refuses some of
    # the malformed claims tested here).
    h = {"alg": alg, "typ": "JWT", **(headers or {})}
    return raw_token(h, claims, alg, key.encode() if alg.startswith("HS") else key)


def without(*names: str) -> dict:
    return {k: v for k, v in BASE.items() if k not in names}


CASES = [
    ("ok", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", issuer="i")),
    ("bytes token", tok(BASE).encode(), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("bytes key", tok(BASE), SECRET.encode(), dict(algorithms=["HS256"], audience="a")),
    ("no audience expected", tok(BASE), SECRET, dict(algorithms=["HS256"])),
    ("expired", tok({**BASE, "exp": NOW - 10}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("expired within leeway", tok({**BASE, "exp": NOW - 10}), SECRET, dict(algorithms=["HS256"], audience="a", leeway=60)),
    ("leeway timedelta", tok({**BASE, "exp": NOW - 10}), SECRET,
     dict(algorithms=["HS256"], audience="a", leeway=timedelta(minutes=1))),
    ("verify_exp off", tok({**BASE, "exp": NOW - 10}), SECRET,
     dict(algorithms=["HS256"], audience="a", options={"verify_exp": False})),
    ("nbf future", tok({**BASE, "nbf": NOW + 100}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("verify_nbf off", tok({**BASE, "nbf": NOW + 100}), SECRET,
     dict(algorithms=["HS256"], audience="a", options={"verify_nbf": False})),
    ("iat future", tok({**BASE, "iat": NOW + 100}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("iat not a number", tok({**BASE, "iat": "x"}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("exp not a number", tok({**BASE, "exp": "x"}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("nbf not a number", tok({**BASE, "nbf": "x"}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("wrong issuer", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", issuer="x")),
    ("issuer list", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", issuer=["x", "i"])),
    ("missing iss", tok(without("iss")), SECRET, dict(algorithms=["HS256"], audience="a", issuer="i")),
    ("iss not a string", tok({**BASE, "iss": 5}), SECRET, dict(algorithms=["HS256"], audience="a", issuer="i")),
    ("wrong audience", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="b")),
    ("audience list", tok({**BASE, "aud": ["x", "a"]}), SECRET, dict(algorithms=["HS256"], audience=["a"])),
    ("audience iterable", tok(BASE), SECRET, dict(algorithms=["HS256"], audience={"a", "z"})),
    ("missing aud", tok(without("aud")), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("aud bad type", tok({**BASE, "aud": 5}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("verify_aud off", tok(BASE), SECRET, dict(algorithms=["HS256"], options={"verify_aud": False})),
    ("strict aud", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", options={"strict_aud": True})),
    ("strict aud list claim", tok({**BASE, "aud": ["a"]}), SECRET,
     dict(algorithms=["HS256"], audience="a", options={"strict_aud": True})),
    ("require jti", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", options={"require": ["jti"]})),
    ("require exp", tok(without("exp")), SECRET, dict(algorithms=["HS256"], audience="a", options={"require": ["exp"]})),
    ("require present", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", options={"require": ["sub", "iat"]})),
    ("no exp, not required", tok(without("exp")), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("alg not allowed", tok(BASE), SECRET, dict(algorithms=["HS512"], audience="a")),
    ("algorithms missing", tok(BASE), SECRET, dict(audience="a")),
    ("bad signature", tok(BASE)[:-3] + "AAA", SECRET, dict(algorithms=["HS256"], audience="a")),
    ("wrong key", tok(BASE, "x" * 32), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("garbage", "abc", SECRET, dict(algorithms=["HS256"])),
    ("two segments", "abc.def", SECRET, dict(algorithms=["HS256"])),
    ("bad base64", "a!b.c.d", SECRET, dict(algorithms=["HS256"])),
    ("payload not json", raw_token({"alg": "HS256"}, "[1]", "HS256", SECRET.encode()), SECRET, dict(algorithms=["HS256"])),
    ("payload not UTF-8 JSON", raw_token({"alg": "HS256"}, "{1}", "HS256", SECRET.encode()), SECRET,
     dict(algorithms=["HS256"])),
    ("RS256", tok(BASE, PRIV, "RS256"), PUB, dict(algorithms=["RS256"], audience="a")),
    ("RS256 key object", tok(BASE, PRIV, "RS256"), "rsa-object", dict(algorithms=["RS256"], audience="a")),
    ("PS256", tok(BASE, PRIV, "PS256"), PUB, dict(algorithms=["PS256"], audience="a")),
    ("RS512", tok(BASE, PRIV, "RS512"), PUB, dict(algorithms=["RS512"], audience="a")),
    ("ES256", tok(BASE, EC_PRIV, "ES256"), EC_PUB, dict(algorithms=["ES256"], audience="a")),
    ("EdDSA", tok(BASE, ED_PRIV, "EdDSA"), ED_PUB, dict(algorithms=["EdDSA"], audience="a")),
    ("ES256K", tok(BASE, K1_PRIV, "ES256K"), K1_PUB, dict(algorithms=["ES256K"], audience="a")),
    ("ES256K with a P-256 key", tok(BASE, K1_PRIV, "ES256K"), EC_PUB, dict(algorithms=["ES256K"], audience="a")),
    ("ES256 with a secp256k1 key", tok(BASE, K1_PRIV, "ES256"), K1_PUB, dict(algorithms=["ES256"], audience="a")),
    ("ES256K not allowed", tok(BASE, K1_PRIV, "ES256K"), K1_PUB, dict(algorithms=["ES256"], audience="a")),
    ("RS256 with a secret", tok(BASE, PRIV, "RS256"), SECRET, dict(algorithms=["RS256"], audience="a")),
    ("HS256 with a PEM key", tok(BASE), PUB, dict(algorithms=["HS256", "RS256"], audience="a")),
    ("RS256 wrong key", tok(BASE, (KEYS / "rsa2048b.pem").read_text(), "RS256"), PUB,
     dict(algorithms=["RS256"], audience="a")),
    ("subject ok", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", subject="s")),
    ("subject wrong", tok(BASE), SECRET, dict(algorithms=["HS256"], audience="a", subject="t")),
    ("sub not a string", tok({**BASE, "sub": 5}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("jti not a string", tok({**BASE, "jti": 5}), SECRET, dict(algorithms=["HS256"], audience="a")),
    ("unverified", tok({**BASE, "exp": NOW - 10}), "", dict(options={"verify_signature": False})),
    ("unverified with explicit exp", tok({**BASE, "exp": NOW - 10}), "",
     dict(options={"verify_signature": False, "verify_exp": True})),
    ("short secret (warns)", tok(BASE, "0123456789abcdef"), "0123456789abcdef", dict(algorithms=["HS256"], audience="a")),
    ("short secret enforced", tok(BASE, "0123456789abcdef"), "0123456789abcdef",
     dict(algorithms=["HS256"], audience="a", options={"enforce_minimum_key_length": True})),
    ("several failures: PyJWT's order", tok({**BASE, "exp": NOW - 10, "iss": "x"}), SECRET,
     dict(algorithms=["HS256"], audience="b", issuer="i", options={"require": ["jti"]})),
    ("expired and wrong issuer", tok({**BASE, "exp": NOW - 10, "iss": "x"}), SECRET,
     dict(algorithms=["HS256"], audience="a", issuer="i")),
]


def _call(mod: Any, token: Any, key: Any, kw: dict) -> tuple[str, Any]:
    if key == "rsa-object":
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_public_key(PUB.encode())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "ok", mod.decode(token, key, **kw)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return type(e).__name__, str(e)


@pytest.mark.parametrize("name,token,key,kw", CASES, ids=[c[0] for c in CASES])
def test_same_outcome_as_pyjwt(name: str, token: Any, key: Any, kw: dict) -> None:
    want = _call(pj, token, key, kw)
    got = _call(jg, token, key, kw)
    assert got[0] == want[0], f"PyJWT: {want}, jwtgate: {got}"
    if want[0] == "ok":
        assert got[1] == want[1]


def test_private_key_accepted_for_verification() -> None:
    # An extension: PyJWT 2.x fails on a private PEM for RS256 verification.
    assert jg.decode(tok(BASE, PRIV, "RS256"), PRIV, algorithms=["RS256"], audience="a")["sub"] == "s"


def test_decode_complete_and_header() -> None:
    t = tok(BASE, headers={"kid": "k1"})
    a = pj.decode_complete(t, SECRET, algorithms=["HS256"], audience="a")
    b = jg.decode_complete(t, SECRET, algorithms=["HS256"], audience="a")
    assert a == b
    assert jg.get_unverified_header(t) == pj.get_unverified_header(t)
    with pytest.raises(jg.DecodeError):
        jg.get_unverified_header("nope")
    with pytest.raises(jg.InvalidTokenError):
        jg.get_unverified_header(tok(BASE, headers={"kid": 5}))


def test_exceptions_carry_the_result_and_hierarchy() -> None:
    with pytest.raises(jg.ExpiredSignatureError) as info:
        jg.decode(tok({**BASE, "exp": NOW - 10}), SECRET, algorithms=["HS256"], audience="a")
    assert info.value.result is not None and str(info.value.result.reason) == "expired"
    for name in ("DecodeError", "InvalidSignatureError", "ExpiredSignatureError", "InvalidAudienceError",
                 "InvalidIssuerError", "InvalidIssuedAtError", "ImmatureSignatureError", "InvalidKeyError",
                 "InvalidAlgorithmError", "MissingRequiredClaimError", "PyJWKError", "PyJWKSetError",
                 "PyJWKClientError", "PyJWKClientConnectionError", "InvalidSubjectError", "InvalidJTIError",
                 "InvalidTokenError", "PyJWTError"):
        ours, theirs = getattr(jg, name), getattr(pj.exceptions, name)
        assert getattr(jg.exceptions, name) is ours
        for base in ("PyJWTError", "InvalidTokenError", "DecodeError", "PyJWKClientError"):
            assert issubclass(ours, getattr(jg, base)) == issubclass(theirs, getattr(pj, base)), (name, base)
    assert str(jg.MissingRequiredClaimError("aud")) == str(pj.MissingRequiredClaimError("aud"))


@pytest.mark.parametrize("alg,key,pub", [("HS256", SECRET, SECRET), ("HS512", SECRET * 2, SECRET * 2),
                                         ("RS256", PRIV, PUB), ("PS384", PRIV, PUB), ("ES256", EC_PRIV, EC_PUB),
                                         ("EdDSA", ED_PRIV, ED_PUB), ("ES256K", K1_PRIV, K1_PUB)])
def test_encode_is_understood_by_pyjwt(alg: str, key: str, pub: str) -> None:
    payload = {**BASE, "exp": datetime.now(tz=timezone.utc) + timedelta(minutes=5)}
    t = jg.encode(payload, key, algorithm=alg, headers={"kid": "k"})
    decoded = pj.decode(t, pub, algorithms=[alg], audience="a")
    assert decoded["sub"] == "s" and isinstance(decoded["exp"], int)
    assert jg.decode(t, pub, algorithms=[alg], audience="a") == decoded
    assert pj.get_unverified_header(t) == {"alg": alg, "kid": "k", "typ": "JWT"}
    if alg.startswith("HS"):
        assert t == pj.encode(payload, key, algorithm=alg, headers={"kid": "k"})


def test_ec_algorithm_without_a_curve_verifies_by_the_keys_curve() -> None:
    # PyJWT's ECAlgorithm(SHA256) takes any curve; compat verifies it as the
    # JWS algorithm of the hash and the key's curve: ES256 on P-256, ES256K
    # on secp256k1 (RFC 8812 3.2), and refuses a curve no SHA-256 alg has.
    from cryptography.hazmat.primitives import serialization

    algo = jg.algorithms.ECAlgorithm(jg.algorithms.ECAlgorithm.SHA256)
    for priv, pub in ((EC_PRIV, EC_PUB), (K1_PRIV, K1_PUB)):
        sk = serialization.load_pem_private_key(priv.encode(), password=None)
        sig = algo.sign(b"msg", sk)
        assert algo.verify(b"msg", algo.prepare_key(pub), sig)
        assert not algo.verify(b"msh", algo.prepare_key(pub), sig)
    p384 = serialization.load_pem_private_key((KEYS / "ec384.pem").read_text().encode(), password=None)
    sig = algo.sign(b"msg", p384)
    with pytest.raises(jg.InvalidKeyError, match="ES256 needs an EC P-256 key"):
        algo.verify(b"msg", p384.public_key(), sig)


def test_encode_errors() -> None:
    with pytest.raises(TypeError):
        jg.encode([1], SECRET)  # type: ignore[arg-type]
    with pytest.raises(jg.InvalidKeyError):
        jg.encode(BASE, PUB, algorithm="HS256")
    with pytest.raises(NotImplementedError):
        jg.encode(BASE, SECRET, algorithm="XX999")


# ------------------------------------------------------------------ PyJWK, PyJWKClient


def _rsa_jwk(kid: str) -> dict:
    return rsa_public_jwk(kid, alg="RS256")  # PUB's


@pytest.fixture()
def jwks_server() -> Iterator[dict]:
    state = {"hits": 0, "jwks": {"keys": [_rsa_jwk("k1")]}}

    def answer(path: str, base: str) -> Any:
        state["hits"] += 1
        return state["jwks"]

    with json_server(answer) as base:
        state["url"] = base + "/jwks.json"
        yield state


def test_pyjwk_client(jwks_server: dict) -> None:
    # cooldown_duration=0: PyJWT 2.15 refetches for an unknown kid at most once
    # per cooldown (30 s by default), counted from the last fetch.
    client = jg.PyJWKClient(jwks_server["url"], cooldown_duration=0)
    t = tok(BASE, PRIV, "RS256", headers={"kid": "k1"})
    key = client.get_signing_key_from_jwt(t)
    assert key.key_id == "k1" and key.algorithm_name == "RS256" and key.key_type == "RSA"
    assert jg.decode(t, key.key, algorithms=["RS256"], audience="a")["sub"] == "s"
    assert jg.decode(t, key, audience="a")["sub"] == "s"  # algorithms from the PyJWK
    assert pj.decode(t, key.key, algorithms=["RS256"], audience="a")["sub"] == "s"  # a real cryptography key
    client.get_signing_key("k1")
    assert jwks_server["hits"] == 1  # cached
    with pytest.raises(jg.PyJWKClientError):
        client.get_signing_key("absent")
    assert jwks_server["hits"] == 2  # refreshed once
    jwks_server["jwks"] = {"keys": [_rsa_jwk("k1"), _rsa_jwk("k2")]}
    assert client.get_signing_key("k2").key_id == "k2"
    assert len(client.get_key_set()) == 2


def test_pyjwk_client_connection_error() -> None:
    client = jg.PyJWKClient("http://127.0.0.1:9/jwks.json", timeout=2)
    with pytest.raises(jg.PyJWKClientConnectionError):
        client.get_jwk_set()


def test_caller_key_ignores_the_tokens_kid() -> None:
    # PyJWT verifies with the one key the caller hands it, whatever kid the
    # token names (or none): the key's own kid does not bind it, in compat
    # as in PyJWT, for a PyJWK of either library, HMAC or RSA.
    cases = [({"kty": "oct", "k": b64url(SECRET.encode()), "kid": "h"}, SECRET, "HS256"),
             (_rsa_jwk("h"), PRIV, "RS256")]
    for jwk, signing_key, alg in cases:
        for headers in ({"kid": "other"}, {"kid": "h"}, {}):
            t = tok(BASE, signing_key, alg, headers=headers)
            # compat takes its own PyJWK and PyJWT's; PyJWT only its own.
            for lib, k in ((jg, jg.PyJWK(jwk)), (jg, pj.PyJWK(jwk)), (pj, pj.PyJWK(jwk))):
                assert lib.decode(t, k, algorithms=[alg], audience="a")["sub"] == "s", (lib, headers)
        # Signed with another key: InvalidSignatureError in both, whatever
        # the token's kid.
        other = "x" * 32 if alg == "HS256" else (KEYS / "rsa2048b.pem").read_text()
        for headers in ({"kid": "other"}, {"kid": "h"}, {}):
            bad = tok(BASE, other, alg, headers=headers)
            for lib, k in ((jg, jg.PyJWK(jwk)), (pj, pj.PyJWK(jwk))):
                with pytest.raises(lib.InvalidSignatureError):
                    lib.decode(bad, k, algorithms=[alg], audience="a")
    # A key that cannot verify the token's alg stays InvalidKeyError /
    # InvalidAlgorithmError as before, kid or not.
    t = tok(BASE, PRIV, "RS256", headers={"kid": "other"})
    with pytest.raises(jg.InvalidAlgorithmError):
        jg.decode(t, jg.PyJWK(cases[0][0]), algorithms=["HS256"], audience="a")


def test_pyjwk_and_set() -> None:
    k = jg.PyJWK({"kty": "oct", "k": b64url(SECRET.encode()), "kid": "h"})
    assert k.algorithm_name == "HS256" and k.key == SECRET.encode()
    assert jg.decode(tok(BASE), k, audience="a")["sub"] == "s"
    s = jg.PyJWKSet.from_dict({"keys": [_rsa_jwk("a"), {"kty": "nope"}]})
    assert len(s) == 1 and s["a"].key_id == "a"
    with pytest.raises(KeyError):
        s["b"]
    with pytest.raises(jg.PyJWKSetError):
        jg.PyJWKSet([])
    # A malformed member: InvalidKeyError, as PyJWT raises it.
    with pytest.raises(jg.InvalidKeyError):
        jg.PyJWK({"kty": "RSA", "n": "!!", "e": "AQAB"})
    with pytest.raises(pj.InvalidKeyError):
        pj.PyJWK({"kty": "RSA", "n": "!!", "e": "AQAB"})
