"""Policies and key sets: every example policy in examples/policies, every key
in tests/data/keys, load errors with every issue, and wrong argument types."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

import jwtgate
from jwtgate import Reason as R

from conftest import EXAMPLES, KEYS, NOW, SECRET, SECRET_B64, claims, hs, policy_json, raw_token

# The named values and expression results the example policies refer to, as
# tests/policy/test_policy_xml.cpp supplies them (example_options()).
EXAMPLE_OPTIONS = {
    "named_values": {
        "jwt-signing-key": "McrHdT9PH0Ct7HezhcrGjZTljTCP8ze8n0cZ8FglCdE=",
        "aad-tenant-id": "f7740624-492c-4b76-a428-11a3b77edfdb",
        "aad-client-application-id": "d3ff6c21-7b50-42a6-832e-0cee9bbdeec8",
        "scheme": '@(context.Variables["scheme"])',
    },
    "expressions": {
        "@(context.Request.OriginalUrl.Host)": "contoso.azure-api.net",
        '@(context.Variables["scheme"])': "Bearer",
    },
}
EXAMPLES_ALL = sorted(p.name for p in (EXAMPLES / "policies").glob("*.xml"))


def _offline_options(xml: str) -> dict:
    """Certificates and offline documents an example needs beyond EXAMPLE_OPTIONS:
    every certificate-id gets the test certificate (and, in <decryption-keys>, the
    test key's private half), every openid-config URL a
    discovery document whose JWK Set is the article's."""
    import re

    opts = {k: dict(v) for k, v in EXAMPLE_OPTIONS.items()}
    certs = {cid: (KEYS / "rsa2048.cert.pem").read_bytes() for cid in re.findall(r'certificate-id="([^"]+)"', xml)}
    docs: dict[str, str] = {}
    jwks = (EXAMPLES / "article" / "jwks.json").read_text()
    for i, url in enumerate(re.findall(r'<openid-config\s+url="([^"]+)"', xml)):
        url = url.replace("{{aad-tenant-id}}", opts["named_values"]["aad-tenant-id"])
        jwks_uri = f"https://keys.example/{i}/jwks.json"
        docs[url] = json.dumps({"issuer": f"https://issuer.example/{i}/", "jwks_uri": jwks_uri})
        docs[jwks_uri] = jwks
    if certs:
        opts["certificates"] = certs
    # <decryption-keys><key certificate-id> needs the certificate's private key.
    block = re.search(r"<decryption-keys>(.*?)</decryption-keys>", xml, re.S)
    if block:
        opts["decryption_keys"] = {cid: (KEYS / "rsa2048.pem").read_bytes()
                                   for cid in re.findall(r'certificate-id="([^"]+)"', block.group(1))}
    if docs:
        opts["documents"] = docs
    return opts


def load_offline(xml: str) -> jwtgate.Policy:
    """Load with _offline_options; a validate-azure-ad-token policy derives its
    Entra discovery URL from tenant-id, so the URL the loader asks for (named in
    its error) is supplied on a second try."""
    import re

    opts = _offline_options(xml)
    try:
        return jwtgate.Policy.from_xml(xml, **opts)
    except jwtgate.PolicyError as e:
        urls = [m.group(1) for i in e.issues
                for m in [re.match(r"openid-config (\S+): no discovery document", i.message)] if m]
        if not urls:
            raise
        jwks = (EXAMPLES / "article" / "jwks.json").read_text()
        docs = dict(opts.get("documents", {}))
        for n, url in enumerate(urls):
            tenant = url.split("/")[3]
            jwks_uri = f"https://keys.example/entra/{n}/jwks.json"
            issuer = "/".join(url.split("/")[:3]) + f"/{tenant}/v2.0"
            docs[url] = json.dumps({"issuer": issuer, "jwks_uri": jwks_uri})
            docs[jwks_uri] = jwks
        opts["documents"] = docs
        return jwtgate.Policy.from_xml(xml, **opts)


@pytest.mark.parametrize("name", EXAMPLES_ALL)
def test_every_example_policy_parses_and_round_trips(name: str) -> None:
    """Every example loads from XML (resolved), and XML <-> JSON round trips are
    lossless through the public API (as tests/policy/test_policy_xml.cpp)."""
    xml = (EXAMPLES / "policies" / name).read_text()
    p = load_offline(xml)
    j1, x1 = p.to_json(), p.to_xml()
    assert isinstance(p.to_dict(), dict)
    again = load_offline(x1)
    assert again.to_json() == j1 and again.to_xml() == x1
    if "validate-jwt" in p.to_dict():
        via_json = jwtgate.Policy.from_json(j1, **_offline_options(x1))
        assert via_json.to_xml() == x1
    assert repr(p).startswith("<jwtgate.Policy ")


def test_example_policies_validate_tokens() -> None:
    """apim-simple-symmetric-key.xml with its named-value key accepts a token
    signed with that key and rejects another."""
    xml = (EXAMPLES / "policies" / "apim-simple-symmetric-key.xml").read_text()
    p = jwtgate.Policy.from_xml(xml, **_offline_options(xml))
    key = base64.b64decode(EXAMPLE_OPTIONS["named_values"]["jwt-signing-key"])
    v = jwtgate.Validator(p)
    good = raw_token({"alg": "HS256"}, claims(), "HS256", key)
    r = v.validate(headers={p.to_dict()["validate-jwt"]["header-name"]: good}, now=NOW)
    assert r.valid or r.reason not in (R.SIGNATURE_INVALID, R.KEY_NOT_FOUND, R.NO_KEYS), r.explain()
    bad = raw_token({"alg": "HS256"}, claims(), "HS256", b"q" * 32)
    r = v.validate(headers={p.to_dict()["validate-jwt"]["header-name"]: bad}, now=NOW)
    assert not r.valid


def test_policy_errors_list_every_issue() -> None:
    bad = {"validate-jwt": {"header-name": "Authorization", "clock-skew": "soon", "audiences": ["{{missing}}"]}}
    with pytest.raises(jwtgate.PolicyError) as info:
        jwtgate.Policy.from_json(bad)
    e = info.value
    assert len(e.errors) == 2 and "{{missing}}" in str(e)
    assert all(isinstance(i, jwtgate.Issue) and not i.warning for i in e.issues)
    with pytest.raises(jwtgate.PolicyError) as info:
        jwtgate.Policy.from_xml('<validate-jwt header-name="Authorization">\n  <audiences>\n</validate-jwt>')
    issue = info.value.issues[0]
    assert issue.line >= 2 and issue.column >= 1
    assert str(issue).startswith(f"{issue.line}:{issue.column}: ")


def test_policy_forms_and_options(tmp_path: Path) -> None:
    text = json.dumps(policy_json())
    for p in (jwtgate.Policy.from_json(text), jwtgate.Policy.from_json(text.encode()),
              jwtgate.Policy.from_json(policy_json()), jwtgate.Policy.load(text), jwtgate.Policy.load(policy_json())):
        assert jwtgate.Validator(p).validate(hs(), now=NOW).valid
    f = tmp_path / "p.xml"
    f.write_text(jwtgate.Policy.from_json(text).to_xml())
    assert jwtgate.Validator(jwtgate.Policy.from_file(f)).validate(hs(), now=NOW).valid
    assert jwtgate.Validator(jwtgate.Policy.from_file(str(f))).validate(hs(), now=NOW).valid
    with pytest.raises(jwtgate.PolicyError):
        jwtgate.Policy.from_file(tmp_path / "absent.xml")
    with pytest.raises(jwtgate.PolicyError):
        jwtgate.Policy.from_xml(text)  # JSON given to from_xml
    with pytest.raises(jwtgate.PolicyError):
        jwtgate.Policy.from_json(f.read_text())  # XML given to from_json
    nv = jwtgate.Policy.from_json(
        {"validate-jwt": {"header-name": "{{hdr}}", "issuer-signing-keys": [{"value": "{{key}}"}]}},
        named_values={"hdr": "X-Token", "key": SECRET_B64})
    assert nv.to_dict()["validate-jwt"]["header-name"] == "X-Token"
    assert jwtgate.Validator(nv).validate(headers={"x-token": hs()}, now=NOW).reason != R.SIGNATURE_INVALID
    doc = {"policies": [{"validate-jwt": {"id": "a", "header-name": "A"}},
                        {"validate-jwt": {"id": "b", "header-name": "B"}}]}
    assert jwtgate.Policy.from_json(doc, select="b").to_dict()["validate-jwt"]["header-name"] == "B"
    assert jwtgate.Policy.from_json(doc, select=2).to_dict()["validate-jwt"]["header-name"] == "B"
    with pytest.raises(jwtgate.PolicyError):
        jwtgate.Policy.from_json(doc, select="c")
    with pytest.raises(TypeError):
        jwtgate.Policy()  # type: ignore[call-arg]


def test_policy_warnings_are_kept() -> None:
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization", "issuer-signing-tokens": []}})
    assert p.warnings and all(w.warning for w in p.warnings)


KEY_FILES = sorted(p.name for p in KEYS.iterdir() if ".pub." in p.name or ".cert." in p.name)


@pytest.mark.parametrize("name", KEY_FILES)
def test_every_public_key_file_loads(name: str) -> None:
    ks = jwtgate.KeySet.from_file(KEYS / name)
    assert len(ks) >= 1
    data = (KEYS / name).read_bytes()
    assert len(jwtgate.KeySet.load(data)) == len(ks)
    if name.endswith(".pem"):
        assert len(jwtgate.KeySet.from_pem(data.decode(), kid="k")) == len(ks)
    else:
        assert len(jwtgate.KeySet.from_der(data, certificate="cert" in name)) == len(ks)


SIGNING = [("rsa2048.pem", "rsa2048.pub.pem", "RS256"), ("rsa2048.pem", "rsa2048.cert.pem", "PS256"),
           ("rsa2048.pem", "rsa2048.pub.der", "RS512"), ("ec256.pem", "ec256.pub.pem", "ES256"),
           ("ec384.pem", "ec384.pub.pem", "ES384"), ("ec521.pem", "ec521.pub.pem", "ES512"),
           ("ed25519.pem", "ed25519.pub.pem", "EdDSA"), ("ed448.pem", "ed448.pub.pem", "EdDSA")]


@pytest.mark.parametrize("priv,pub,alg", SIGNING)
def test_every_key_pair_verifies(priv: str, pub: str, alg: str) -> None:
    pytest.importorskip("cryptography")
    body = {"header-name": "Authorization", "jwtgate": {"algorithms": [alg]}}
    v = jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": body}), jwtgate.KeySet.from_file(KEYS / pub))
    t = raw_token({"alg": alg}, claims(), alg, (KEYS / priv).read_bytes())
    r = v.validate(t, now=NOW)
    assert r.valid, r.explain()
    other = "rsa2048b.pem" if priv.startswith("rsa") else priv
    if other != priv:
        assert v.validate(raw_token({"alg": alg}, claims(), alg, (KEYS / other).read_bytes()), now=NOW).reason in (
            R.SIGNATURE_INVALID, R.KEY_NOT_FOUND)


def test_hs256_hex_fixture_and_secret_forms() -> None:
    secret = bytes.fromhex((KEYS / "hs256.hex").read_text().strip())
    t = raw_token({"alg": "HS256"}, claims(), "HS256", secret)
    body = {"header-name": "Authorization"}
    p = jwtgate.Policy.from_json({"validate-jwt": body})
    assert jwtgate.Validator(p, jwtgate.KeySet.from_secret(secret)).validate(t, now=NOW).valid
    jwk = {"kty": "oct", "k": base64.urlsafe_b64encode(secret).rstrip(b"=").decode()}
    assert jwtgate.Validator(p, jwtgate.KeySet.from_jwk(jwk)).validate(t, now=NOW).valid
    assert jwtgate.Validator(p, jwtgate.KeySet.from_jwks({"keys": [jwk]})).validate(t, now=NOW).valid
    assert jwtgate.Validator(p, jwtgate.KeySet.from_jwks(json.dumps({"keys": [jwk]}))).validate(t, now=NOW).valid
    if secret != SECRET:
        assert jwtgate.Validator(p, jwtgate.KeySet.from_secret(SECRET)).validate(t, now=NOW).reason in (
            R.SIGNATURE_INVALID, R.KEY_NOT_FOUND)


def test_rsa_components() -> None:
    jwks = json.loads((EXAMPLES / "article" / "jwks.json").read_text())
    k = jwks["keys"][0]
    ks = jwtgate.KeySet.from_rsa_components(k["n"], k["e"], kid=k.get("kid"))
    assert len(ks) == 1
    with pytest.raises(jwtgate.KeySetError):
        jwtgate.KeySet.from_rsa_components("!!", "AQAB")


def test_key_errors_list_issues() -> None:
    with pytest.raises(jwtgate.KeySetError) as info:
        jwtgate.KeySet.from_jwks({"keys": [{"kty": "RSA", "n": "!!", "e": "AQAB"}]})
    assert info.value.issues
    with pytest.raises(jwtgate.KeySetError):
        jwtgate.KeySet.from_pem("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    with pytest.raises(jwtgate.KeySetError):
        jwtgate.KeySet.from_file(KEYS / "does-not-exist.pem")
    with pytest.raises(TypeError):
        jwtgate.KeySet()  # type: ignore[call-arg]
    assert repr(jwtgate.KeySet.from_secret(SECRET)) == "<jwtgate.KeySet of 1 key>"


# ------------------------------------------------------------------ wrong types


@pytest.mark.parametrize("call", [
    lambda: jwtgate.Policy.from_json(42),
    lambda: jwtgate.Policy.from_xml(None),
    lambda: jwtgate.Policy.from_json(policy_json(), named_values={"a": 1}),
    lambda: jwtgate.Policy.from_json(policy_json(), named_values=[("a", "b")]),
    lambda: jwtgate.Policy.from_json(policy_json(), expressions={1: "x"}),
    lambda: jwtgate.Policy.from_json(policy_json(), certificates={"c": 5}),
    lambda: jwtgate.Policy.from_json(policy_json(), documents={"u": 5}),
    lambda: jwtgate.Policy.from_json(policy_json(), select=1.5),
    lambda: jwtgate.Policy.from_json(policy_json(), select=True),
    lambda: jwtgate.Policy.from_file(3),
    lambda: jwtgate.KeySet.from_pem(5),
    lambda: jwtgate.KeySet.from_jwks([1, 2]),
    lambda: jwtgate.KeySet.from_secret(None),
    lambda: jwtgate.KeySet.from_pem("x", kid=5),
    lambda: jwtgate.KeySet.from_rsa_components(1, 2),
    lambda: jwtgate.KeySet.from_file(),
    lambda: jwtgate.Validator("policy"),
    lambda: jwtgate.Validator(jwtgate.Policy.from_json(policy_json()), keys="k"),
    lambda: jwtgate.Validator(jwtgate.Policy.from_json(policy_json()), clock=5),
])
def test_wrong_argument_types_raise_type_error(call) -> None:
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize("kwargs,exc", [
    ({"token": 5}, TypeError),
    ({"token": ["a"]}, TypeError),
    ({"token": object()}, TypeError),
    ({"token": "a.b.c", "headers": {"a": "b"}}, TypeError),
    ({"headers": "Authorization: x"}, TypeError),
    ({"headers": 5}, TypeError),
    ({"headers": [("a",)]}, TypeError),
    ({"headers": ["ab"]}, TypeError),
    ({"headers": {1: "x"}}, TypeError),
    ({"headers": {"a": 5}}, TypeError),
    ({"query": {"a": None}}, TypeError),
    ({"headers": {"a\0b": "x"}}, ValueError),
    ({"token": "a.b.c", "now": "now"}, TypeError),
    ({"token": "a.b.c", "now": True}, TypeError),
    ({"token": "a.b.c", "now": 2**70}, ValueError),
    ({"token": "a.b.c", "now": float("nan")}, ValueError),
    ({"token": "a.b.c", "now": float("inf")}, ValueError),
])
def test_validate_argument_errors(validator: jwtgate.Validator, kwargs: dict, exc: type) -> None:
    with pytest.raises(exc):
        validator.validate(**kwargs)
    with pytest.raises(exc):
        validator.require(**kwargs)


def test_validate_signature_errors(validator: jwtgate.Validator) -> None:
    with pytest.raises(TypeError):
        validator.validate("a", None, None, None, None)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        validator.validate(tok="a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        jwtgate.decode_unverified(5)  # type: ignore[arg-type]
