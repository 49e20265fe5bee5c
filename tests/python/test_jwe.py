"""Encrypted tokens (JWE) through the Python package: a nested JWT made by
another library (joserfc, from PyPI) is decrypted with the policy's
decryption key (decryption_keys=, PEM with and without a password) and its
claims read; a decryption failure raises DecryptionError with the one message;
encryption="required" refuses a plain JWS."""
import json
import time
from pathlib import Path

import pytest

import jwtgate

joserfc = pytest.importorskip("joserfc")
from joserfc import jwe, jwt  # noqa: E402
from joserfc.jwk import ECKey, OctKey, RSAKey  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402

KEYS = Path(__file__).resolve().parent.parent / "data" / "keys"

POLICY = {
    "validate-jwt": {
        "header-name": "Authorization",
        "issuers": ["https://issuer.example/"],
        "audiences": ["api://jwe"],
        "decryption-keys": [{"certificate-id": "enc"}],
        "jwtgate": {"encryption": "required"},
    }
}


def _signed(rsa: RSAKey) -> str:
    now = int(time.time())
    claims = {"iss": "https://issuer.example/", "aud": "api://jwe", "sub": "alice",
              "iat": now, "exp": now + 600}
    return jwt.encode({"alg": "RS256", "kid": "sig"}, claims, rsa)


def _setup(enc_pem: bytes, password=None):
    sig = RSAKey.generate_key(2048, parameters={"kid": "sig"})
    jwks = json.dumps({"keys": [sig.as_dict(private=False)]})
    value = enc_pem if password is None else (enc_pem, password)
    policy = jwtgate.Policy.load(POLICY, decryption_keys={"enc": value})
    validator = jwtgate.Validator(policy, keys=jwtgate.KeySet.from_jwks(jwks))
    return sig, validator


@pytest.mark.parametrize("alg,enc", [("RSA-OAEP-256", "A256GCM"), ("RSA-OAEP", "A128CBC-HS256"),
                                     ("ECDH-ES", "A256GCM"), ("ECDH-ES+A128KW", "A192CBC-HS384")])
def test_nested_token_from_joserfc(alg, enc):
    if alg.startswith("RSA"):
        pem = (KEYS / "rsa2048.pem").read_bytes()
        recipient = RSAKey.import_key(pem)
    else:
        pem = (KEYS / "ec256.pem").read_bytes()
        recipient = ECKey.import_key(pem)
    sig, validator = _setup(pem)
    token = jwe.encrypt_compact({"alg": alg, "enc": enc, "cty": "JWT"}, _signed(sig).encode(), recipient,
                                algorithms=[alg, enc])
    result = validator.validate(headers={"Authorization": "Bearer " + token})
    assert result.valid, (result.reason, result.message)
    assert result.claims["sub"] == "alice"


def test_password_protected_key_and_wrong_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.BestAvailableEncryption(b"s3cret"))
    sig, validator = _setup(pem, "s3cret")
    recipient = RSAKey.import_key(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    good = jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"},
                               _signed(sig).encode(), recipient, algorithms=["RSA-OAEP-256", "A256GCM"])
    assert validator.validate(token=good).valid
    other = RSAKey.import_key((KEYS / "rsa2048.pub.pem").read_bytes())
    bad = jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"},
                              _signed(sig).encode(), other, algorithms=["RSA-OAEP-256", "A256GCM"])
    result = validator.validate(token=bad)
    assert result.reason == jwtgate.Reason.JWE_DECRYPTION_FAILED
    assert result.message == "IDX10603: Decryption failed. Access denied."
    with pytest.raises(jwtgate.DecryptionError):
        validator.require(token=bad)
    # encryption="required": the plain JWS is refused.
    plain = validator.validate(token=_signed(sig))
    assert plain.reason == jwtgate.Reason.ENCRYPTION_REQUIRED
    # A wrong password is a load error that names no key material.
    with pytest.raises(jwtgate.PolicyError) as e:
        jwtgate.Policy.load(POLICY, decryption_keys={"enc": (pem, "wrong")})
    assert "PRIVATE KEY" in str(e.value.issues) and pem.decode()[40:80] not in str(e.value.issues)


def test_symmetric_key_text():
    secret = OctKey.generate_key(256)
    policy = dict(POLICY["validate-jwt"])
    policy["decryption-keys"] = [{"value": __import__("base64").b64encode(secret.raw_value).decode()}]
    sig = RSAKey.generate_key(2048, parameters={"kid": "sig"})
    v = jwtgate.Validator(jwtgate.Policy.load({"validate-jwt": policy}),
                          keys=jwtgate.KeySet.from_jwks(json.dumps({"keys": [sig.as_dict(private=False)]})))
    token = jwe.encrypt_compact({"alg": "A256KW", "enc": "A256GCM", "cty": "JWT"}, _signed(sig).encode(), secret,
                                algorithms=["A256KW", "A256GCM"])
    assert v.validate(token=token).valid
