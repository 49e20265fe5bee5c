"""jwtgate.compat.pyjwt never fails open where PyJWT fails closed.

Two classes of problem, each tested by a generator rather than by examples:

* Odd ``audience``/``issuer``/``require`` arguments: an empty allow-list
  (``[]``, ``()``, ``set()``, ``""``, ``[""]``), bytes, bytes inside a list, a
  one-shot iterator, a container that only answers ``in``. An empty list is
  what a configuration with a missing setting turns into; PyJWT then refuses
  every token, and so must the compat layer. Every argument form is crossed
  with every token claim form and the outcome compared with PyJWT's.
* Public key text used as an HMAC secret (CVE-2022-29217): real keys and
  certificates, generated here, in every wrapping they arrive in (BOM,
  OpenSSL's "Bag Attributes", comment lines, SSH options, base64 ...), are
  refused by ``decode``, ``encode`` and ``jwtgate.KeySet.from_secret``.
"""

from __future__ import annotations

import base64
import datetime
import os
import secrets
import struct
import time
import warnings
from typing import Any, Callable, Iterator

import pytest

import jwtgate
import jwtgate.compat.pyjwt as jg

from conftest import raw_token

pj = pytest.importorskip("jwt", reason="PyJWT is the reference for these tests")
pytest.importorskip("cryptography")

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

NOW = int(time.time())
SECRET = b"0123456789abcdef0123456789abcdef"
MISSING = object()

# ------------------------------------------------------------ allow-lists


class OnlyContains:
    """A Container[str] that is not iterable: only ``in`` can ask it."""

    def __init__(self, *values: str) -> None:
        self._values = values

    def __contains__(self, item: object) -> bool:
        return item in self._values


# name -> a factory (a one-shot iterator must be fresh for each call)
AUDIENCES: dict[str, Callable[[], Any]] = {
    "missing": lambda: MISSING,
    "None": lambda: None,
    "[]": lambda: [],
    "()": lambda: (),
    "set()": lambda: set(),
    "frozenset()": lambda: frozenset(),
    "{}": lambda: {},
    '""': lambda: "",
    '[""]': lambda: [""],
    "b'a'": lambda: b"a",
    "bytearray(b'a')": lambda: bytearray(b"a"),
    "[b'a']": lambda: [b"a"],
    "[b'a', 'b']": lambda: [b"a", "b"],
    "[5]": lambda: [5],
    "iter([])": lambda: iter([]),
    "iter(['a'])": lambda: iter(["a"]),
    "'a'": lambda: "a",
    "['a']": lambda: ["a"],
    "['x', 'a']": lambda: ["x", "a"],
    "{'a': 1}": lambda: {"a": 1},
    "5": lambda: 5,
}
ISSUERS: dict[str, Callable[[], Any]] = {
    "missing": lambda: MISSING,
    "None": lambda: None,
    "[]": lambda: [],
    "()": lambda: (),
    "set()": lambda: set(),
    "frozenset()": lambda: frozenset(),
    '""': lambda: "",
    '[""]': lambda: [""],
    "b'i'": lambda: b"i",
    "bytearray(b'i')": lambda: bytearray(b"i"),
    "[b'i']": lambda: [b"i"],
    "[b'i', 'x']": lambda: [b"i", "x"],
    "5": lambda: 5,
    "iter([])": lambda: iter([]),
    "iter(['i'])": lambda: iter(["i"]),
    "OnlyContains('i')": lambda: OnlyContains("i"),
    "OnlyContains()": lambda: OnlyContains(),
    "'i'": lambda: "i",
    "['i']": lambda: ["i"],
    "('x', 'i')": lambda: ("x", "i"),
}
# The forms that allow nothing: every token is refused (tokens whose claim
# holds "" aside for "" and [""], which PyJWT compares exactly).
EMPTY_AUDIENCES = ["[]", "()", "set()", "frozenset()", "{}", '""', '[""]', "b'a'", "bytearray(b'a')", "[b'a']",
                   "[5]", "iter([])"]
EMPTY_ISSUERS = ["[]", "()", "set()", "frozenset()", '""', '[""]', "b'i'", "bytearray(b'i')", "[b'i']", "5",
                 "iter([])", "OnlyContains()"]

BASE = {"iss": "i", "aud": "a", "sub": "s", "exp": NOW + 100, "iat": NOW}


def _claims(**changes: Any) -> dict[str, Any]:
    out = dict(BASE)
    for k, v in changes.items():
        if v is MISSING:
            out.pop(k, None)
        else:
            out[k] = v
    return out


AUD_CLAIMS = {
    "aud a": _claims(aud="a"),
    "aud b": _claims(aud="b"),
    "aud [a, z]": _claims(aud=["a", "z"]),
    "aud ['']": _claims(aud=[""]),
    "aud ''": _claims(aud=""),
    "aud []": _claims(aud=[]),
    "aud 5": _claims(aud=5),
    "no aud": _claims(aud=MISSING),
}
ISS_CLAIMS = {
    "iss i": _claims(iss="i"),
    "iss other tenant": _claims(iss="https://sts.windows.net/another-tenant/"),
    "iss ''": _claims(iss=""),
    "iss 5": _claims(iss=5),
    "no iss": _claims(iss=MISSING),
}


def _token(claims: dict[str, Any]) -> str:
    return raw_token({"alg": "HS256", "typ": "JWT"}, claims, "HS256", SECRET)


def _outcome(mod: Any, token: str, **kw: Any) -> tuple[str, str]:
    kw = {k: v for k, v in kw.items() if v is not MISSING}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mod.decode(token, SECRET, algorithms=["HS256"], **kw)
        return "ok", ""
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return type(e).__name__, str(e)


OPTION_SETS = {
    "default": None,
    "strict_aud": {"strict_aud": True},
    "unverified, checks on": {"verify_signature": False, "verify_aud": True, "verify_iss": True},
}


@pytest.mark.parametrize("options", list(OPTION_SETS), ids=list(OPTION_SETS))
@pytest.mark.parametrize("claims", list(AUD_CLAIMS), ids=list(AUD_CLAIMS))
@pytest.mark.parametrize("audience", list(AUDIENCES), ids=list(AUDIENCES))
def test_audience_forms_as_pyjwt(audience: str, claims: str, options: str) -> None:
    token = _token(AUD_CLAIMS[claims])
    opts = OPTION_SETS[options]
    want = _outcome(pj, token, audience=AUDIENCES[audience](), options=opts)
    got = _outcome(jg, token, audience=AUDIENCES[audience](), options=opts)
    assert got[0] == want[0], f"PyJWT: {want}, jwtgate: {got}"
    if want[0] in ("InvalidAudienceError", "MissingRequiredClaimError"):
        assert got[1] == want[1]
    if audience in EMPTY_AUDIENCES and not (audience in ('""', '[""]') and claims == "aud ['']"):
        # Nothing is allowed: whatever the token holds, it is refused.
        assert got[0] in ("InvalidAudienceError", "MissingRequiredClaimError"), got


@pytest.mark.parametrize("options", list(OPTION_SETS), ids=list(OPTION_SETS))
@pytest.mark.parametrize("claims", list(ISS_CLAIMS), ids=list(ISS_CLAIMS))
@pytest.mark.parametrize("issuer", list(ISSUERS), ids=list(ISSUERS))
def test_issuer_forms_as_pyjwt(issuer: str, claims: str, options: str) -> None:
    token = _token(ISS_CLAIMS[claims])
    opts = OPTION_SETS[options]
    want = _outcome(pj, token, audience="a", issuer=ISSUERS[issuer](), options=opts)
    got = _outcome(jg, token, audience="a", issuer=ISSUERS[issuer](), options=opts)
    verified = (opts or {}).get("verify_signature", True)
    if want[0] == "ok" and claims == "iss 5" and verified:
        # The one deliberate difference (docs/python.md): a verified token's
        # iss must be a string even when no issuer is asked for (RFC 7519
        # 4.1.1); PyJWT checks its type only against an issuer. An unverified
        # decode is PyJWT's own code path and answers as PyJWT does.
        assert got == ("InvalidIssuerError", "Payload Issuer (iss) must be a string"), got
        return
    assert got[0] == want[0], f"PyJWT: {want}, jwtgate: {got}"
    if want[0] in ("InvalidIssuerError", "MissingRequiredClaimError"):
        assert got[1] == want[1]
    if issuer in EMPTY_ISSUERS and not (issuer in ('""', '[""]') and claims == "iss ''"):
        assert got[0] in ("InvalidIssuerError", "MissingRequiredClaimError"), got


def test_empty_issuer_list_refuses_every_tenant() -> None:
    # The Entra case: tenants share signing keys, so the issuer is the only
    # thing telling them apart. A missing setting must not open the door.
    for iss in ("https://login.microsoftonline.com/tenant-a/v2.0", "https://sts.windows.net/tenant-b/"):
        token = _token(_claims(iss=iss))
        with pytest.raises(jg.InvalidIssuerError, match="Invalid issuer"):
            jg.decode(token, SECRET, algorithms=["HS256"], audience="a", issuer=[])
        with pytest.raises(pj.InvalidIssuerError):
            pj.decode(token, SECRET, algorithms=["HS256"], audience="a", issuer=[])


def test_bytes_audience_is_refused_as_pyjwt_refuses_it() -> None:
    token = _token(_claims(aud="a"))
    with pytest.raises(jg.InvalidAudienceError, match="Audience doesn't match"):
        jg.decode(token, SECRET, algorithms=["HS256"], audience=b"a")
    with pytest.raises(pj.InvalidAudienceError):
        pj.decode(token, SECRET, algorithms=["HS256"], audience=b"a")
    # A str beside the bytes still matches, in both.
    assert jg.decode(token, SECRET, algorithms=["HS256"], audience=[b"a", "a"])["aud"] == "a"
    assert pj.decode(token, SECRET, algorithms=["HS256"], audience=[b"a", "a"])["aud"] == "a"


REQUIRES: dict[str, Any] = {"[]": [], "['sub']": ["sub"], "'sub'": "sub", "('iat', 'jti')": ("iat", "jti"),
                            "[b'sub']": [b"sub"], "iter(['sub'])": iter(["sub"])}


@pytest.mark.parametrize("require", list(REQUIRES), ids=list(REQUIRES))
def test_require_forms_as_pyjwt(require: str) -> None:
    token = _token(BASE)

    def value() -> Any:
        v = REQUIRES[require]
        return iter(["sub"]) if require == "iter(['sub'])" else v

    want = _outcome(pj, token, audience="a", options={"require": value()})
    got = _outcome(jg, token, audience="a", options={"require": value()})
    assert got == want


def test_failure_order_with_an_empty_allow_list() -> None:
    # PyJWT checks exp before iss before aud: an expired token with an empty
    # audience list is "expired", one with a wrong issuer is "issuer".
    expired = _token(_claims(exp=NOW - 10))
    for mod in (pj, jg):
        with pytest.raises(mod.ExpiredSignatureError):
            mod.decode(expired, SECRET, algorithms=["HS256"], audience=[])
    wrong_iss = _token(_claims(iss="x"))
    for mod in (pj, jg):
        with pytest.raises(mod.InvalidIssuerError):
            mod.decode(wrong_iss, SECRET, algorithms=["HS256"], audience=[], issuer="i")
    # A bad signature comes before any claim.
    bad_sig = _token(BASE)[:-4] + "AAAA"
    for mod in (pj, jg):
        with pytest.raises(mod.InvalidSignatureError):
            mod.decode(bad_sig, SECRET, algorithms=["HS256"], audience=[], issuer=[])


def test_audience_type_error_comes_where_pyjwt_raises_it() -> None:
    # After the signature (a forged token is a signature error), before any
    # claim (an expired token is still a TypeError).
    bad_sig = _token(BASE)[:-4] + "AAAA"
    expired = _token(_claims(exp=NOW - 10))
    for mod in (pj, jg):
        with pytest.raises(mod.InvalidSignatureError):
            mod.decode(bad_sig, SECRET, algorithms=["HS256"], audience=5)
        with pytest.raises(TypeError, match="audience must be a string, iterable or None"):
            mod.decode(expired, SECRET, algorithms=["HS256"], audience=5)


def test_refusal_carries_the_result() -> None:
    with pytest.raises(jg.InvalidAudienceError) as info:
        jg.decode(_token(BASE), SECRET, algorithms=["HS256"], audience=[])
    assert info.value.result is not None


# ------------------------------------------------------------ core API


def test_core_policy_refuses_an_empty_audience_list() -> None:
    with pytest.raises(jwtgate.PolicyError) as info:
        jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization", "audiences": []}})
    assert "audiences is empty: at least one audience must be specified" in str(info.value.issues)
    with pytest.raises(jwtgate.PolicyError) as info:
        jwtgate.Policy.from_xml('<validate-jwt header-name="Authorization"><audiences/></validate-jwt>')
    assert "At least one audience must be specified" in str(info.value.issues)


@pytest.mark.parametrize("policy", [
    {"validate-jwt": {"header-name": "Authorization", "issuers": []}},
    '<validate-jwt header-name="Authorization"><issuers/></validate-jwt>',
], ids=["json", "xml"])
def test_core_policy_refuses_an_empty_issuer_list(policy: Any) -> None:
    with pytest.raises(jwtgate.PolicyError):
        jwtgate.Policy.from_json(policy) if isinstance(policy, dict) else jwtgate.Policy.from_xml(policy)


def test_core_policy_empty_strings_match_nothing() -> None:
    # "" in a list is an exact value (only a token claim "" equals it), never "any".
    policy = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization", "audiences": [""],
                                                         "issuers": [""]}})
    v = jwtgate.Validator(policy, jwtgate.KeySet.from_secret(SECRET))
    r = v.validate(_token(BASE), now=NOW)
    assert not r.valid
    assert {f.reason for f in r.failures} == {jwtgate.Reason.ISSUER_NOT_ALLOWED, jwtgate.Reason.AUDIENCE_NOT_ALLOWED}


# ------------------------------------------------------------ key text (CVE-2022-29217)


def _cert(key: Any) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jwtgate-test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, algorithm))


def _ssh_string(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def _key_texts() -> dict[str, bytes]:
    """Public key and certificate text for freshly generated keys, in every
    encoding a person pastes."""
    out: dict[str, bytes] = {}
    keys = {"rsa": rsa.generate_private_key(65537, 2048), "ec": ec.generate_private_key(ec.SECP256R1()),
            "ed25519": ed25519.Ed25519PrivateKey.generate()}
    for name, key in keys.items():
        pub = key.public_key()
        cert = _cert(key)
        out[f"{name} PUBLIC KEY"] = pub.public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)
        out[f"{name} CERTIFICATE"] = cert.public_bytes(serialization.Encoding.PEM)
        out[f"{name} PRIVATE KEY"] = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption())
        ssh = pub.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        out[f"{name} OpenSSH"] = ssh + b" " + name.encode() + b"@jwtgate-test\n"
        blob = base64.b64decode(ssh.split()[1])
        body = base64.b64encode(blob).decode()
        out[f"{name} RFC 4716"] = ("---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"jwtgate test\"\n"
                                   + "\n".join(body[i:i + 70] for i in range(0, len(body), 70))
                                   + "\n---- END SSH2 PUBLIC KEY ----\n").encode()
        der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        out[f"{name} DER SPKI"] = der
        out[f"{name} x5c"] = base64.b64encode(cert.public_bytes(serialization.Encoding.DER))
        out[f"{name} SPKI base64"] = base64.b64encode(der)
    rsa_pub = keys["rsa"].public_key()
    out["rsa RSA PUBLIC KEY"] = rsa_pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    # FIDO keys (no library writes them): the blob by hand, RFC 4253 6.6 style.
    raw = keys["ed25519"].public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    blob = _ssh_string(b"sk-ssh-ed25519@openssh.com") + _ssh_string(raw) + _ssh_string(b"ssh:")
    out["sk-ssh-ed25519"] = b"sk-ssh-ed25519@openssh.com " + base64.b64encode(blob) + b" fido"
    point = keys["ec"].public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)
    blob = (_ssh_string(b"sk-ecdsa-sha2-nistp256@openssh.com") + _ssh_string(b"nistp256") + _ssh_string(point)
            + _ssh_string(b"ssh:"))
    out["sk-ecdsa-sha2-nistp256"] = b"sk-ecdsa-sha2-nistp256@openssh.com " + base64.b64encode(blob) + b" fido"
    out["ssh-dss (shape)"] = b"ssh-dss " + base64.b64encode(_ssh_string(b"ssh-dss") + os.urandom(64))
    out["JWK"] = (b'{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",'
                  b'"y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}')
    return out


WRAPPERS: dict[str, Callable[[bytes], bytes]] = {
    "as is": lambda b: b,
    "UTF-8 BOM": lambda b: b"\xef\xbb\xbf" + b,
    "leading whitespace": lambda b: b"\n \t\r\n" + b,
    "comment line": lambda b: b"# the issuer's signing key\n" + b,
    "Bag Attributes": lambda b: (b"Bag Attributes\n    localKeyID: 01 02 03 \n    friendlyName: jwtgate\n"
                                 b"subject=CN = jwtgate-test\n" + b),
    "CRLF": lambda b: b.replace(b"\n", b"\r\n"),
    "authorized_keys options": lambda b: b'no-pty,from="192.0.2.1" ' + b,
}
KEY_TEXTS = _key_texts()
# Which wrappers keep a form what it is: anything may surround PEM and SSH
# text; base64 and JSON may only be padded (a comment line makes them other
# text); DER is exactly its bytes.
_BASE64_WRAPPERS = ["as is", "UTF-8 BOM", "leading whitespace", "CRLF"]


def _wrappers(kind: str) -> list[str]:
    if kind.endswith("DER SPKI"):
        return ["as is"]
    if kind.endswith(("x5c", "SPKI base64")) or kind == "JWK":
        return _BASE64_WRAPPERS
    return list(WRAPPERS)


CASES = [(k, w) for k in KEY_TEXTS for w in _wrappers(k)]


@pytest.mark.parametrize("kind,wrapper", CASES, ids=[f"{k}/{w}" for k, w in CASES])
def test_key_text_is_never_an_hmac_secret(kind: str, wrapper: str) -> None:
    text = WRAPPERS[wrapper](KEY_TEXTS[kind])
    assert jwtgate.key_text_form(text) is not None
    # The attack: an HS256 token whose MAC key is the public key text.
    token = raw_token({"alg": "HS256", "typ": "JWT"}, BASE, "HS256", text)
    as_str = [text.decode("utf-8")] if not kind.endswith("DER SPKI") else []
    for key in [text, *as_str]:
        with pytest.raises(jg.InvalidKeyError):
            jg.decode(token, key, algorithms=["HS256"], audience="a")
        with pytest.raises(jg.InvalidKeyError):
            jg.decode(token, key, algorithms=["HS256", "RS256", "ES256", "EdDSA"], audience="a")
    with pytest.raises(jg.InvalidKeyError, match="CVE-2022-29217"):
        jg.encode({"sub": "x"}, text, algorithm="HS256")
    # The core API refuses it as a secret, naming why. A str secret is its
    # UTF-8 bytes, the same check.
    with pytest.raises(jwtgate.KeySetError) as info:
        jwtgate.KeySet.from_secret(text)
    assert "not an HMAC secret" in str(info.value.issues) and "CVE-2022-29217" in str(info.value.issues)
    # PyJWT refuses PEM blocks (BEGIN ... END of its labels) however they are
    # wrapped: the same class, so the same exception from both.
    if b"-----BEGIN" in text and b"-----END" in text:
        with pytest.raises(pj.InvalidKeyError):
            pj.decode(token, text, algorithms=["HS256"], audience="a")


def test_key_text_base64_twice_in_from_secret() -> None:
    # from_secret(base64 of a PEM file): the library sees it encoded twice.
    pem = KEY_TEXTS["ec PUBLIC KEY"]
    with pytest.raises(jwtgate.KeySetError, match="cannot load keys"):
        jwtgate.KeySet.from_secret(base64.b64encode(pem))
    assert jwtgate.key_text_form(base64.b64encode(pem)) == "a PEM block"


def test_public_key_with_a_bom_still_verifies_its_own_algorithm() -> None:
    # Routing key text away from HMAC must not break its real use.
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    token = raw_token({"alg": "ES256"}, BASE, "ES256", key)
    for text in (b"\xef\xbb\xbf" + pem, b"# comment\n" + pem, b"Bag Attributes\n    friendlyName: x\n" + pem):
        assert jg.decode(token, text, algorithms=["ES256", "HS256"], audience="a")["sub"] == "s"


SECRETS: dict[str, Callable[[], bytes]] = {
    "random 32 bytes": lambda: os.urandom(32),
    "random 64 bytes": lambda: os.urandom(64),
    "token_hex": lambda: secrets.token_hex(32).encode(),
    "token_urlsafe": lambda: secrets.token_urlsafe(48).encode(),
    "base64 of random": lambda: base64.b64encode(os.urandom(48)),
    "passphrase with ssh-rsa inside": lambda: b"correct-horse-ssh-rsa-battery-staple",
    "base64url with ssh-rsa inside": lambda: b"Zk9_ssh-rsa" + base64.urlsafe_b64encode(os.urandom(30)),
    "passphrase naming a PEM": lambda: b"my BEGIN PUBLIC KEY passphrase, long enough",
}


@pytest.mark.parametrize("name", list(SECRETS), ids=list(SECRETS))
def test_real_secrets_still_work(name: str) -> None:
    for _ in range(20):
        secret = SECRETS[name]()
        assert jwtgate.key_text_form(secret) is None
        token = raw_token({"alg": "HS256"}, BASE, "HS256", secret)
        assert jg.decode(token, secret, algorithms=["HS256"], audience="a")["sub"] == "s"
        assert len(jwtgate.KeySet.from_secret(secret)) == 1


def test_key_text_form_names_the_form() -> None:
    assert jwtgate.key_text_form(KEY_TEXTS["rsa CERTIFICATE"]) == "a PEM block"
    assert jwtgate.key_text_form(KEY_TEXTS["ed25519 OpenSSH"]) == "an OpenSSH public key"
    assert jwtgate.key_text_form(KEY_TEXTS["ec RFC 4716"]) == "an RFC 4716 SSH key block"
    assert jwtgate.key_text_form(KEY_TEXTS["rsa DER SPKI"]) == "a DER SubjectPublicKeyInfo"
    assert jwtgate.key_text_form(KEY_TEXTS["rsa x5c"]) == "a DER X.509 certificate"
    assert jwtgate.key_text_form(KEY_TEXTS["JWK"]) == "a JWK or JWK Set"
    assert jwtgate.key_text_form("c2VjcmV0") is None
    with pytest.raises(TypeError):
        jwtgate.key_text_form(5)  # type: ignore[arg-type]


def test_jwk_oct_key_holding_key_text_is_refused() -> None:
    k = base64.urlsafe_b64encode(KEY_TEXTS["rsa PUBLIC KEY"]).rstrip(b"=").decode()
    with pytest.raises(jwtgate.KeySetError, match="cannot load keys"):
        jwtgate.KeySet.from_jwk({"kty": "oct", "k": k})
    with pytest.raises(jg.PyJWKError):
        jg.PyJWK({"kty": "oct", "k": k})
