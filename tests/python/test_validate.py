"""Validation through the Python API: the rules of tests/validate/test_rejections.cpp
(same policy, secret and claims), the article example end to end, Result,
require() and its exceptions, token sources and the clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import jwtgate
from jwtgate import Reason as R

from conftest import KEYS, NOW, SECRET, b64url, claims, hs, policy_json, raw_token


def reason(v: jwtgate.Validator, token: str, now: int = NOW) -> R:
    r = v.validate(token, now=now)
    assert not r.valid and not r
    assert r.status == 401
    return r.reason


def test_valid_token(validator: jwtgate.Validator) -> None:
    r = validator.validate(hs(), now=NOW)
    assert r.valid and bool(r)
    assert r.status == 200
    assert r.reason is R.NONE and str(r.reason) == "none"
    assert r.message == "" and r.failures == () and r.detail == "" and r.subject == ""
    assert r.claims == claims()
    assert r.header == {"alg": "HS256", "kid": "hk"}
    assert json.loads(r.claims_json) == claims()
    assert r.claims is r.claims  # parsed once
    assert "valid token" in r.explain()
    assert r.to_dict()["valid"] is True
    assert repr(r) == "<jwtgate.Result valid>"


@pytest.mark.parametrize("token,want", [
    ("", R.TOKEN_NOT_PRESENT),
    (b64url(b'{"alg":"HS256"}') + "." + b64url(json.dumps(claims()).encode()), R.MALFORMED),
    (hs() + ".x", R.MALFORMED),
    ("a.b.c.d.e", R.JWE_NOT_SUPPORTED),
    (b64url(b'{"alg":"HS256"}') + "=." + b64url(b"{}") + ".sig", R.BAD_BASE64URL),
    (b64url(b"[1]") + "." + b64url(json.dumps(claims()).encode()) + ".c2ln", R.NOT_JSON_OBJECT),
    (b64url(b'{"alg":') + "." + b64url(json.dumps(claims()).encode()) + ".c2ln", R.BAD_JSON),
    (hs('{"exp":1,"exp":2}'), R.DUPLICATE_MEMBER),
    (hs(claims(), '{"alg":"HS256","alg":"HS256"}'), R.DUPLICATE_MEMBER),
])
def test_format_rejections(validator: jwtgate.Validator, token: str, want: R) -> None:
    assert reason(validator, token) == want


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("sig", ["", "c2ln"])
def test_alg_none_refused(validator: jwtgate.Validator, alg: str, sig: str) -> None:
    t = b64url(json.dumps({"alg": alg}).encode()) + "." + b64url(json.dumps(claims()).encode()) + "." + sig
    assert reason(validator, t) == R.ALG_NONE


@pytest.mark.parametrize("header,want", [
    ({"alg": "HS256", "crit": ["exp-ext"], "exp-ext": 1}, R.CRIT_UNSUPPORTED),
    ({"alg": "HS256", "crit": []}, R.CRIT_UNSUPPORTED),
    ({"alg": "HS256", "jwk": "x"}, R.EMBEDDED_KEY),
    ({"alg": "HS256", "jku": "x"}, R.EMBEDDED_KEY),
    ({"alg": "HS256", "x5u": "x"}, R.EMBEDDED_KEY),
    ({"alg": "HS256", "x5c": "x"}, R.EMBEDDED_KEY),
    ({"alg": "HS256", "b64": False, "crit": ["b64"]}, R.B64_UNSUPPORTED),
    ({"alg": 5}, R.HEADER_INVALID),
    ({"typ": "JWT"}, R.ALG_MISSING),
])
def test_header_rules(validator: jwtgate.Validator, header: dict, want: R) -> None:
    assert reason(validator, hs(claims(), header)) == want


def test_size_and_depth_limits(make_validator) -> None:
    small = make_validator(jwtgate={"max-token-bytes": 100})
    assert reason(small, hs(claims(pad="x" * 200))) == R.TOO_LARGE
    shallow = make_validator(jwtgate={"max-json-depth": 2})
    assert reason(shallow, hs(claims(deep={"a": {"b": {"c": 1}}}))) == R.JSON_TOO_DEEP


def test_algorithm_allow_list_and_typ(make_validator, rsa_private_pem: bytes) -> None:
    rsa = jwtgate.KeySet.from_pem((KEYS / "rsa2048.pub.pem").read_bytes(), kid="rk")
    c = claims()
    assert reason(make_validator(), b64url(b'{"alg":"HS1024"}') + "." + b64url(json.dumps(c).encode()) + ".c2ln") == R.ALG_UNKNOWN
    rs384 = raw_token({"alg": "RS384", "kid": "rk"}, c, "RS384", rsa_private_pem)
    assert reason(make_validator(rsa), rs384) == R.ALG_NOT_ALLOWED
    assert make_validator(rsa, jwtgate={"algorithms": ["RS384"]}).validate(rs384, now=NOW).valid
    assert reason(make_validator(jwtgate={"algorithms": ["RS256"]}), hs()) == R.ALG_NOT_ALLOWED
    typed = make_validator(jwtgate={"typ": "at+jwt"})
    assert reason(typed, hs()) == R.TYP_MISMATCH
    assert reason(typed, hs(c, {"alg": "HS256", "typ": "JWT"})) == R.TYP_MISMATCH
    assert typed.validate(hs(c, {"alg": "HS256", "typ": "at+jwt"}), now=NOW).valid
    assert typed.validate(hs(c, {"alg": "HS256", "typ": "application/AT+JWT"}), now=NOW).valid


def test_signature_and_key_selection(validator: jwtgate.Validator) -> None:
    t = hs()
    tampered = t[:-2] + ("B" if t[-2] == "A" else "A") + t[-1]
    assert reason(validator, tampered) == R.SIGNATURE_INVALID
    assert reason(validator, t[: t.rfind(".") + 1]) == R.SIGNATURE_MISSING
    # An unknown kid falls back to every compatible key (APIM) ...
    assert validator.validate(hs(claims(), {"alg": "HS256", "kid": "rotated"}), now=NOW).valid
    # ... and if none verifies, the kid is reported.
    other = raw_token({"alg": "HS256", "kid": "rotated"}, claims(), "HS256", b"z" * 32)
    r = validator.validate(other, now=NOW)
    assert r.reason == R.KEY_NOT_FOUND and r.subject == "rotated"
    bare = jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization"}}))
    assert reason(bare, t) == R.NO_KEYS


def test_algorithm_confusion_never_verifies() -> None:
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization",
                                                   "jwtgate": {"algorithms": ["RS256", "HS256"]}}})
    v = jwtgate.Validator(p, jwtgate.KeySet.from_pem((KEYS / "rsa2048.pub.pem").read_bytes(), kid="rk"))
    for f in ("rsa2048.pub.pem", "rsa2048.pub.der"):
        forged = raw_token({"alg": "HS256", "kid": "rk"}, claims(), "HS256", (KEYS / f).read_bytes())
        assert v.validate(forged, now=NOW).reason in (R.SIGNATURE_INVALID, R.KEY_NOT_FOUND)
    forged = raw_token({"alg": "HS256"}, claims(), "HS256", (KEYS / "rsa2048.pub.pem").read_bytes())
    assert v.validate(forged, now=NOW).reason == R.KEY_NOT_FOUND


def test_key_floors() -> None:
    t = raw_token({"alg": "RS256"}, claims(), "RS256", (KEYS / "rsa1024.pem").read_bytes())
    ks = jwtgate.KeySet.from_file(KEYS / "rsa1024.pub.pem")
    strict = jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization"}}), ks)
    assert reason(strict, t) == R.KEY_NOT_FOUND
    lenient = jwtgate.Validator(jwtgate.Policy.from_json(
        {"validate-jwt": {"header-name": "Authorization", "jwtgate": {"min-rsa-bits": 1024}}}), ks)
    assert lenient.validate(t, now=NOW).valid
    short = raw_token({"alg": "HS256"}, claims(), "HS256", b"0123456789abcdef")
    body = {"header-name": "Authorization", "issuer-signing-keys": [{"value": "MDEyMzQ1Njc4OWFiY2RlZg=="}]}
    assert reason(jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": body})), short) == R.KEY_NOT_FOUND
    apim = jwtgate.Policy.from_json({"validate-jwt": {**body, "jwtgate": {"min-hmac-bits": 128}}})
    assert jwtgate.Validator(apim).validate(short, now=NOW).valid


def test_lifetime(make_validator) -> None:
    v = make_validator()

    def tok(**times):
        return hs({"iss": "https://a.example", "aud": "api://demo", **times})

    assert reason(v, tok()) == R.EXP_MISSING
    assert make_validator(**{"require-expiration-time": False}).validate(tok(), now=NOW).valid
    for bad in ("1900000000", True, None, 1e20, -5, [1]):
        assert reason(v, tok(exp=bad)) == R.TIME_CLAIM_INVALID
    assert reason(v, tok(exp=NOW)) == R.EXPIRED  # on or after exp
    assert v.validate(tok(exp=NOW), now=NOW - 1).valid
    assert v.validate(tok(exp=NOW + 0.5), now=NOW).valid
    skew = make_validator(**{"clock-skew": 10})
    assert skew.validate(tok(exp=NOW), now=NOW + 9).valid
    assert reason(skew, tok(exp=NOW), NOW + 10) == R.EXPIRED
    assert reason(v, tok(exp=NOW + 600, nbf=NOW + 5)) == R.NOT_YET_VALID
    assert skew.validate(tok(exp=NOW + 600, nbf=NOW + 5), now=NOW).valid
    iat = make_validator(jwtgate={"reject-future-iat": True})
    assert reason(iat, tok(exp=NOW + 600, iat=NOW + 60)) == R.IAT_IN_FUTURE
    assert v.validate(tok(exp=NOW + 600, iat=NOW + 60), now=NOW).valid


@pytest.mark.parametrize("iss", ["https://a.example.evil", "https://a", "HTTPS://A.EXAMPLE", "https://a.example/", ""])
def test_issuer_exact(validator: jwtgate.Validator, iss) -> None:
    assert reason(validator, hs(claims(iss=iss))) == R.ISSUER_NOT_ALLOWED


@pytest.mark.parametrize("aud", ["api://demo/", "api://dem", "API://DEMO", ["other"], []])
def test_audience_exact(validator: jwtgate.Validator, aud) -> None:
    assert validator.validate(hs(claims(aud=["other", "api://demo"])), now=NOW).valid
    assert reason(validator, hs(claims(aud=aud))) == R.AUDIENCE_NOT_ALLOWED


# RFC 7519 4.1: iss, sub and jti are strings, aud a string or an array of
# strings, whatever the policy compares.
@pytest.mark.parametrize("claim,value", [("iss", ["https://a.example"]), ("iss", None), ("iss", True),
                                         ("aud", ["api://demo", 5]), ("aud", 5), ("aud", None),
                                         ("sub", 123456), ("jti", 1234567)])
def test_registered_claim_types(validator: jwtgate.Validator, claim: str, value) -> None:
    r = validator.validate(hs(claims(**{claim: value})), now=NOW)
    assert r.reason == R.CLAIM_TYPE_INVALID
    assert r.subject == claim


def test_required_claims(make_validator) -> None:
    v = make_validator(**{"required-claims": [
        {"name": "scp", "match": "any", "separator": " ", "values": ["Data.Read"]},
        {"name": "roles", "match": "all", "values": ["A", "B"]}]})
    assert v.validate(hs(claims(scp="Data.Write Data.Read", roles=["B", "A", "C"])), now=NOW).valid
    assert reason(v, hs(claims(scp="Data.Write", roles=["A", "B"]))) == R.CLAIM_VALUE_NOT_ALLOWED
    assert reason(v, hs(claims(scp="Data.Read", roles=["A"]))) == R.CLAIM_VALUE_NOT_ALLOWED
    assert reason(v, hs(claims(scp="Data.Read"))) == R.CLAIM_NOT_FOUND
    assert reason(v, hs(claims(scp="Data.Read", roles=None))) == R.CLAIM_NOT_FOUND


def test_every_failure_listed_first_decides(make_validator) -> None:
    v = make_validator(**{"required-claims": [{"name": "roles"}, {"name": "azp"}]})
    r = v.validate(hs({"iss": "https://evil", "aud": "x", "exp": NOW - 5}), now=NOW)
    assert [f.reason for f in r.failures] == [R.EXPIRED, R.AUDIENCE_NOT_ALLOWED, R.ISSUER_NOT_ALLOWED,
                                              R.CLAIM_NOT_FOUND, R.CLAIM_NOT_FOUND]
    assert r.failures[4].subject == "azp"
    assert r.message.startswith("IDX10223: Lifetime validation failed. The token is expired.")
    assert r.reason == R.EXPIRED and r.reason.apim == "TokenExpired" and r.apim_reason == "TokenExpired"
    assert all(isinstance(f, jwtgate.Failure) for f in r.failures)
    text = r.explain()
    assert "expired" in text and "azp" in text and "HTTP 401" in text
    d = r.to_dict()
    assert d["reason"] == "expired" and len(d["failures"]) == 5 and d["claims"]["iss"] == "https://evil"
    custom = make_validator(**{"failed-validation-httpcode": 403, "failed-validation-error-message": "Nope."})
    r = custom.validate(hs(), now=NOW + 3600)
    assert (r.status, r.message, r.reason) == (403, "Nope.", R.EXPIRED)


# ------------------------------------------------------------------ require


@pytest.mark.parametrize("token,exc", [
    ("", jwtgate.TokenNotPresentError),
    ("a.b", jwtgate.MalformedTokenError),
    ("a.b.c.d.e", jwtgate.UnsupportedTokenError),
    (b64url(b'{"alg":"none"}') + "." + b64url(b"{}") + ".", jwtgate.InvalidAlgorithmError),
    (hs(claims(exp=NOW - 1)), jwtgate.ExpiredTokenError),
    (hs(claims(nbf=NOW + 100)), jwtgate.ImmatureTokenError),
    (hs(claims(iss="x")), jwtgate.InvalidIssuerError),
    (hs(claims(aud="x")), jwtgate.InvalidAudienceError),
    (hs({"iss": "https://a.example", "aud": "api://demo"}), jwtgate.MissingClaimError),
    (hs(claims(exp="soon")), jwtgate.MalformedClaimError),
    (raw_token({"alg": "HS256", "kid": "rotated"}, claims(), "HS256", b"y" * 32), jwtgate.KeyNotFoundError),
    (hs()[:-4] + "AAAA", jwtgate.InvalidSignatureError),
])
def test_require_raises_by_reason(validator: jwtgate.Validator, token: str, exc: type) -> None:
    with pytest.raises(exc) as info:
        validator.require(token, now=NOW)
    e = info.value
    assert isinstance(e, jwtgate.InvalidTokenError) and isinstance(e, jwtgate.JwtgateError)
    assert e.result.valid is False and e.reason == e.result.reason and e.status == 401
    assert e.failures and e.detail == e.failures[0].detail
    assert str(e).startswith(e.reason.code)


def test_require_returns_result(validator: jwtgate.Validator) -> None:
    assert validator.require(hs(), now=NOW).claims["sub"] == "alice"
    assert issubclass(jwtgate.InvalidIssuerError, jwtgate.InvalidClaimError)
    assert not issubclass(jwtgate.PolicyError, jwtgate.InvalidTokenError)
    assert issubclass(jwtgate.PolicyError, ValueError) and issubclass(jwtgate.KeySetError, ValueError)


def test_exception_for_covers_every_reason() -> None:
    from jwtgate.exceptions import _BY_REASON

    assert set(_BY_REASON) == set(R) - {R.NONE}


# ------------------------------------------------------------------ sources


def test_request_sources() -> None:
    p = jwtgate.Policy.from_json(policy_json(**{"require-scheme": "Bearer"}))
    v = jwtgate.Validator(p)
    t = hs()
    assert v.validate(headers={"authorization": "Bearer " + t}, now=NOW).valid  # case-insensitive names
    assert v.validate(headers=[("Authorization", "Bearer " + t)], now=NOW).valid
    assert v.validate(headers={"Authorization": ("Bearer " + t).encode()}, now=NOW).valid
    assert v.validate(headers={"X-Other": "1", "Authorization": ["Bearer " + t]}, now=NOW).valid
    r = v.validate(headers={"Authorization": "Basic " + t}, now=NOW)
    assert r.reason in (R.SCHEME_MISMATCH, R.TOKEN_NOT_PRESENT)
    r = v.validate(headers={}, now=NOW)
    assert r.reason == R.TOKEN_NOT_PRESENT and r.message == "JWT not present."
    assert v.validate(now=NOW).reason == R.TOKEN_NOT_PRESENT
    body = {k: v for k, v in policy_json()["validate-jwt"].items() if k != "header-name"}
    body["query-parameter-name"] = "access_token"
    q = jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": body}))
    assert q.validate(query={"access_token": t}, now=NOW).valid
    assert q.validate(query=[("access_token", t)], now=NOW).valid
    assert q.validate(query={"Access_Token": t}, now=NOW).reason == R.TOKEN_NOT_PRESENT  # exact names


def test_token_sent_twice_is_refused() -> None:
    """One token per request: the first copy is valid, but a backend reading the
    second would act on a token nobody checked."""
    v = jwtgate.Validator(jwtgate.Policy.from_json(policy_json()))
    t = hs()
    assert v.validate(headers=[("Authorization", "Bearer " + t)], now=NOW).valid
    for headers in ([("Authorization", "Bearer " + t), ("authorization", "Bearer x.y.z")],
                    {"Authorization": ["Bearer " + t, ""]},
                    {"Authorization": "Bearer " + t + ", Bearer x.y.z"}):
        r = v.validate(headers=headers, now=NOW)
        assert not r.valid
        assert r.reason == R.DUPLICATE_TOKEN
        assert r.subject == "Authorization"
        assert r.status == 401 and r.message == "Invalid JWT."
    body = {k: v for k, v in policy_json()["validate-jwt"].items() if k != "header-name"}
    body["query-parameter-name"] = "access_token"
    q = jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": body}))
    r = q.validate(query=[("access_token", t), ("access%5Ftoken", "x.y.z")], now=NOW)
    assert r.reason == R.DUPLICATE_TOKEN and r.subject == "access_token"
    with pytest.raises(jwtgate.DuplicateTokenError):
        v.require(headers=[("Authorization", "Bearer " + t)] * 2, now=NOW)


def test_token_types(validator: jwtgate.Validator) -> None:
    t = hs()
    assert validator.validate(t.encode(), now=NOW).valid
    assert validator.validate(bytearray(t.encode()), now=NOW).valid
    assert validator.validate(memoryview(t.encode()), now=NOW).valid
    # Not UTF-8 and lone surrogates: invalid tokens, never exceptions.
    assert not validator.validate(b"\xff\xfe.\x80.x", now=NOW).valid
    assert not validator.validate("\ud800.a.b", now=NOW).valid
    assert not validator.validate("é" * 10, now=NOW).valid


def test_now_forms(validator: jwtgate.Validator) -> None:
    t = hs(claims(exp=NOW))
    assert validator.validate(t, now=NOW - 1).valid
    assert validator.validate(t, now=NOW - 0.5).valid  # rounded down
    assert not validator.validate(t, now=NOW).valid
    aware = dt.datetime.fromtimestamp(NOW - 1, tz=dt.timezone.utc)
    assert validator.validate(t, now=aware).valid
    naive = dt.datetime(2027, 1, 15, 8, 0, 0) - dt.timedelta(seconds=1)  # NOW is 2027-01-15T08:00:00Z
    assert validator.validate(t, now=naive).valid  # naive = UTC
    assert not validator.validate(t, now=naive + dt.timedelta(seconds=1)).valid
    other_tz = dt.datetime.fromtimestamp(NOW - 1, tz=dt.timezone(dt.timedelta(hours=5)))
    assert validator.validate(t, now=other_tz).valid
    # The system clock: the token expired long ago (2027 < now? no: use a past exp).
    assert not validator.validate(hs(claims(exp=1000)), now=None).valid
    assert validator.validate(hs(claims(exp=4_000_000_000))).valid


def test_clock_option() -> None:
    p = jwtgate.Policy.from_json(policy_json())
    v = jwtgate.Validator(p, clock=lambda: NOW - 1)
    t = hs(claims(exp=NOW))
    assert v.validate(t).valid
    assert not v.validate(t, now=NOW).valid  # an explicit now wins
    v2 = jwtgate.Validator(p, clock=lambda: dt.datetime.fromtimestamp(NOW, tz=dt.timezone.utc))
    assert not v2.validate(t).valid


def test_article_example_end_to_end(article) -> None:
    p = jwtgate.Policy.from_xml(article["policy"], named_values=article["named_values"], documents=article["documents"])
    v = jwtgate.Validator(p)
    now = article["now"]
    want = {"valid": R.NONE, "expired": R.EXPIRED, "v1": R.ISSUER_NOT_ALLOWED,
            "wrong-client": R.CLAIM_VALUE_NOT_ALLOWED, "tampered": R.SIGNATURE_INVALID}
    assert set(article["tokens"]) == set(want)
    for name, token in article["tokens"].items():
        r = v.validate(headers={"Authorization": "Bearer " + token}, now=now)
        assert r.reason == want[name], (name, r.explain())
        assert r.valid == (name == "valid")
    r = v.validate(headers={"Authorization": "Bearer " + article["tokens"]["valid"]}, now=now)
    assert r.claims["roles"] == ["Data.Read"] and r.header["kid"] == "demo-key-1"


def test_set_keys_atomically(rsa_private_pem: bytes) -> None:
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization"}})
    old = jwtgate.KeySet.from_file(KEYS / "rsa2048b.pub.pem")
    v = jwtgate.Validator(p, old)
    assert v.keys is old
    t = raw_token({"alg": "RS256", "kid": "new"}, claims(), "RS256", rsa_private_pem)
    assert not v.validate(t, now=NOW).valid
    v.keys = jwtgate.KeySet.from_pem((KEYS / "rsa2048.pub.pem").read_text(), kid="new")
    assert v.validate(t, now=NOW).valid
    v.keys = None
    assert v.validate(t, now=NOW).reason == R.NO_KEYS
    with pytest.raises(TypeError):
        v.keys = "not a keyset"  # type: ignore[assignment]


def test_decode_unverified() -> None:
    r = jwtgate.decode_unverified(hs(claims(exp=1)))
    assert not r.valid
    assert r.claims["exp"] == 1 and r.header["alg"] == "HS256"
    bad = jwtgate.decode_unverified("not a token")
    assert not bad.valid and bad.claims == {} and bad.claims_json is None
    assert bad.reason == R.MALFORMED


def test_reason_enum_matches_c_library() -> None:
    for r in R:
        assert r.code and r.code == jwtgate._jwtgate.reason_str(int(r))
        assert (r.apim == "") == (r is R.NONE)
    assert R.EXPIRED == 40 and str(R.EXPIRED) == "expired" and R.EXPIRED.apim == "TokenExpired"
    assert R.CLAIM_NOT_FOUND.apim == "TokenClaimNotFound"


def test_version() -> None:
    assert jwtgate.__version__ == jwtgate._jwtgate.version_string() == jwtgate._jwtgate.HEADER_VERSION_STRING
    major, minor, patch = (int(x) for x in jwtgate.__version__.split("."))
    assert jwtgate._jwtgate.version_number() == major * 10000 + minor * 100 + patch
    from importlib.metadata import version

    assert version("jwtgate") == jwtgate.__version__  # the wheel's version is meson.build's


def test_reason_enum_is_the_library_list() -> None:
    # jwtgate/_reasons.py is generated from jwtgate_reasons.h at build time;
    # the linked library's own list (compiled from the same header) must agree.
    library = [(name, number) for name, number, _text in jwtgate._jwtgate.reasons()]
    assert [(r.name, int(r)) for r in R] == library
    for name, number, text in jwtgate._jwtgate.reasons():
        assert R[name].description == text and R[name].code == jwtgate._jwtgate.reason_str(number)
