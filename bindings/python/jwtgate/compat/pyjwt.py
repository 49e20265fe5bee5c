"""PyJWT-compatible verification on jwtgate: ``import jwtgate.compat.pyjwt as jwt``.

``decode``, ``decode_complete``, ``get_unverified_header``, ``encode``,
``PyJWK``, ``PyJWKSet``, ``PyJWKClient`` and PyJWT's exception classes, with
PyJWT 2.x signatures. Verification runs in jwtgate (a policy is built from
``algorithms``/``audience``/``issuer``/``leeway``/``options`` and compiled
validators are cached per key and options); PyJWT's claim semantics and
exception classes are reproduced on top. Every known difference is listed in
docs/python.md ("Differences from PyJWT"); in short, jwtgate is stricter:

* ``alg: none``, embedded keys (``jwk``/``jku``/``x5u``/``x5c`` headers),
  ``crit``, ``b64: false``, duplicate JSON members and JWE are rejected
  (``DecodeError`` / ``InvalidAlgorithmError``) even where PyJWT accepts them.
* HMAC secrets shorter than 16 bytes and RSA keys shorter than 2048 bits are
  refused (``InvalidKeyError``); PyJWT only warns.
* Key text is never an HMAC secret: the library's detector
  (``jwtgate.key_text_form``) finds PEM blocks, SSH and RFC 4716 public keys,
  DER and base64 DER keys and certificates, and JWKs anywhere in a str or
  bytes key (after a BOM, "Bag Attributes", comments), where PyJWT looks at
  fewer forms (CVE-2022-29217's class).
* ``audience``/``issuer``/``options["require"]`` are checked as PyJWT checks
  them, beside jwtgate's own checks: an empty allow-list (``[]``, ``""``,
  ``set()``, bytes) refuses every token, as in PyJWT.
* ``detached_payload`` is not supported.
* ``leeway`` is rounded up to whole seconds; the clock is read with
  ``time.time()`` (so time-freezing test helpers work) at whole-second
  resolution.
* ``encode`` signs HS* with the standard library; RS*/PS*/ES*/EdDSA need the
  optional ``cryptography`` package (``pip install jwtgate[sign]``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
from calendar import timegm
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

import jwtgate as _jg
from jwtgate import Reason as _R

__all__ = [
    "decode",
    "decode_complete",
    "encode",
    "get_unverified_header",
    "PyJWK",
    "PyJWKSet",
    "PyJWKClient",
    "PyJWTError",
    "InvalidTokenError",
    "DecodeError",
    "InvalidSignatureError",
    "ExpiredSignatureError",
    "InvalidAudienceError",
    "InvalidIssuerError",
    "InvalidIssuedAtError",
    "ImmatureSignatureError",
    "InvalidKeyError",
    "InvalidAlgorithmError",
    "MissingRequiredClaimError",
    "InvalidSubjectError",
    "InvalidJTIError",
    "PyJWKError",
    "PyJWKSetError",
    "PyJWKClientError",
    "PyJWKClientConnectionError",
    "MissingCryptographyError",
    "InsecureKeyLengthWarning",
    "exceptions",
    "ExpiredSignature",
    "InvalidAudience",
    "InvalidIssuer",
]

# ---------------------------------------------------------------- exceptions


class PyJWTError(Exception):
    """Base class of all exceptions (as in PyJWT). ``result`` holds the
    :class:`jwtgate.Result` behind a verification failure, or None."""

    result: Optional["_jg.Result"] = None


class InvalidTokenError(PyJWTError):
    """Base class of every reason a token is rejected."""


class DecodeError(InvalidTokenError):
    """The token could not be decoded, or is structurally refused."""


class InvalidSignatureError(DecodeError):
    """The signature does not verify."""


class ExpiredSignatureError(InvalidTokenError):
    """exp is in the past."""


class InvalidAudienceError(InvalidTokenError):
    """aud does not match."""


class InvalidIssuerError(InvalidTokenError):
    """iss does not match."""


class InvalidIssuedAtError(InvalidTokenError):
    """iat is not a number."""


class ImmatureSignatureError(InvalidTokenError):
    """nbf or iat is in the future."""


class InvalidKeyError(PyJWTError):
    """The key cannot be used (wrong type for the algorithm, unparsable, too short)."""


class InvalidAlgorithmError(InvalidTokenError):
    """The token's alg is not allowed."""


class MissingRequiredClaimError(InvalidTokenError):
    """A required claim is absent; ``claim`` names it."""

    def __init__(self, claim: str) -> None:
        self.claim = claim

    def __str__(self) -> str:
        return f'Token is missing the "{self.claim}" claim'


class InvalidSubjectError(InvalidTokenError):
    """sub is not a string, or not the expected subject."""


class InvalidJTIError(InvalidTokenError):
    """jti is not a string."""


class PyJWKError(PyJWTError):
    """A JWK could not be used."""


class PyJWKSetError(PyJWTError):
    """A JWK Set could not be used."""


class PyJWKClientError(PyJWTError):
    """PyJWKClient could not find a key."""


class PyJWKClientConnectionError(PyJWKClientError):
    """PyJWKClient could not fetch the JWK Set."""


class MissingCryptographyError(PyJWKError):
    """A key type needs the optional 'cryptography' package."""


class InsecureKeyLengthWarning(UserWarning):
    """A key shorter than its algorithm calls for (RFC 7518) was used."""


# PyJWT's deprecated aliases.
ExpiredSignature = ExpiredSignatureError
InvalidAudience = InvalidAudienceError
InvalidIssuer = InvalidIssuerError

#: ``jwt.exceptions.X`` works as in PyJWT: the exceptions live in this module.
exceptions = sys.modules[__name__]

# ---------------------------------------------------------------- helpers

_HS = {"HS256": 32, "HS384": 48, "HS512": 64}
_JWTGATE_ALGS = frozenset(
    ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
     "ES256", "ES384", "ES512", "EdDSA"])
# What jwtgate.key_text_form calls a JWK (key text PyJWT refuses as a secret
# with its own message).
_JWK_FORM = "a JWK or JWK Set"


def _b64url_decode(s: Union[str, bytes]) -> bytes:
    if isinstance(s, str):
        s = s.encode("ascii")
    return base64.urlsafe_b64decode(s + b"=" * (-len(s) % 4))


def _b64url_encode(b: bytes) -> bytes:
    return base64.urlsafe_b64encode(b).rstrip(b"=")


def _to_bytes(value: Union[str, bytes, bytearray, memoryview], what: str = "value") -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"Expected a string value for {what}")


def get_unverified_header(jwt: Union[str, bytes]) -> dict[str, Any]:
    """The token's header, without any verification (PyJWT's function)."""
    if not isinstance(jwt, (str, bytes)):
        raise DecodeError(f"Invalid token type. Token must be a {bytes}")
    r = _jg.decode_unverified(jwt)
    if r.header_json is None:
        raise DecodeError(_decode_message(r))
    header = r.header
    if "kid" in header and not isinstance(header["kid"], str):
        raise InvalidTokenError("Key ID header parameter must be a string")
    return header


def _decode_message(r: "_jg.Result") -> str:
    f = r.failures[0] if r.failures else None
    if f is None:
        return "Invalid token"
    if f.reason in (_R.MALFORMED, _R.TOKEN_NOT_PRESENT):
        return f"Not enough segments ({f.detail})" if "segment" in f.detail else f"Invalid token: {f.detail}"
    if f.reason == _R.BAD_BASE64URL:
        return f"Invalid header padding ({f.detail})" if f.subject == "header" else f"Invalid crypto padding ({f.detail})"
    if f.reason in (_R.BAD_JSON, _R.NOT_JSON_OBJECT, _R.DUPLICATE_MEMBER, _R.JSON_TOO_DEEP):
        part = "header" if f.subject == "header" else "payload"
        return f"Invalid {part} string: {f.detail}"
    return f.detail


# ---------------------------------------------------------------- keys


class _PreparedKey:
    """A key argument turned into what jwtgate needs: a KeySet, whether it is an
    HMAC secret (and its length), and a hashable identity for the cache."""

    __slots__ = ("identity", "keyset", "secret_len", "kind")

    def __init__(self, identity: Any, keyset: Optional["_jg.KeySet"], secret_len: int, kind: str) -> None:
        self.identity = identity
        self.keyset = keyset
        self.secret_len = secret_len  # > 0 for an HMAC secret
        self.kind = kind  # "oct", "asym" or "none"


_key_lock = threading.Lock()
_key_cache: "OrderedDict[Any, tuple[Any, _PreparedKey]]" = OrderedDict()
_KEY_CACHE_SIZE = 64


def _crypto_public_pem(obj: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415 (optional dependency)

    pub = obj.public_key() if hasattr(obj, "private_bytes") else obj
    pem: bytes = pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem


def _load_key_text(data: bytes, form: str) -> "_jg.KeySet":
    """Key text (what jwtgate.key_text_form recognises, ``form``) as the public
    key it holds. It is never an HMAC secret (CVE-2022-29217): a token whose alg
    is HS* then finds no usable key and raises InvalidKeyError, as in PyJWT."""
    if form == _JWK_FORM:
        raise InvalidKeyError("The specified key looks like a JWK and should not be used directly as an HMAC "
                              "secret. Load it via PyJWK first.")
    data = data.strip()
    # Public keys and certificates (PEM, DER) load directly; private keys and
    # SSH keys (which PyJWT also takes for verification) go through
    # cryptography.
    if b"PRIVATE KEY" in data or data.startswith((b"ssh-", b"ecdsa-", b"sk-")):
        try:
            from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
        except ImportError as e:  # pragma: no cover - cryptography is optional
            raise InvalidKeyError("private or SSH keys need the 'cryptography' package") from e
        try:
            if b"PRIVATE KEY" in data:
                key: Any = serialization.load_pem_private_key(data, password=None)
            else:
                key = serialization.load_ssh_public_key(data)
        except (ValueError, TypeError) as e:
            raise InvalidKeyError(f"Could not parse the provided key: {e}") from e
        data = _crypto_public_pem(key)
    try:
        return _jg.KeySet.load(data)
    except _jg.KeySetError as e:
        raise InvalidKeyError(f"Could not parse the provided public key ({form}): {e}") from e


def _secret_keyset(data: bytes) -> "_jg.KeySet":
    try:
        return _jg.KeySet.from_secret(data)
    except _jg.KeySetError as e:
        raise InvalidKeyError(f"The HMAC secret cannot be used: {e}") from e


def _prepare_key(key: Any) -> _PreparedKey:
    """Turn decode()'s key argument into a _PreparedKey (cached)."""
    if isinstance(key, PyJWK):
        key = key._jwk
    elif hasattr(key, "_jwk_data") and isinstance(getattr(key, "_jwk_data"), dict):
        key = key._jwk_data  # a real PyJWT PyJWK
    if isinstance(key, (str, bytes, bytearray)):
        ident: Any = ("b", _to_bytes(key) if not isinstance(key, bytes) else key)
    elif isinstance(key, dict):
        ident = ("j", json.dumps(key, sort_keys=True))
    elif key is None:
        ident = ("n",)
    else:
        ident = ("o", id(key))
    with _key_lock:
        hit = _key_cache.get(ident)
        if hit is not None and (ident[0] != "o" or hit[0] is key):
            _key_cache.move_to_end(ident)
            return hit[1]
    prepared = _build_key(key, ident)
    with _key_lock:
        _key_cache[ident] = (key, prepared)
        _key_cache.move_to_end(ident)
        while len(_key_cache) > _KEY_CACHE_SIZE:
            _key_cache.popitem(last=False)
    return prepared


def _build_key(key: Any, ident: Any) -> _PreparedKey:
    if key is None or (isinstance(key, (str, bytes)) and len(key) == 0):
        return _PreparedKey(ident, None, 0, "none")
    if isinstance(key, dict):
        try:
            ks = _jg.KeySet.from_jwk(key)
        except _jg.KeySetError as e:
            raise InvalidKeyError(str(e)) from e
        return _PreparedKey(ident, ks, 0 if key.get("kty") != "oct" else len(_b64url_decode(key.get("k", ""))),
                            "oct" if key.get("kty") == "oct" else "asym")
    if isinstance(key, (str, bytes, bytearray)):
        data = ident[1]
        # The library's detector decides, not a prefix: PEM after a BOM or a
        # "Bag Attributes" preamble, SSH keys after a comment, a certificate's
        # base64 are key text too, and key text is never an HMAC secret.
        form = _jg.key_text_form(data)
        if form is not None:
            return _PreparedKey(ident, _load_key_text(data, form), 0, "asym")
        return _PreparedKey(ident, _secret_keyset(data), len(data), "oct")
    if hasattr(key, "public_bytes") or hasattr(key, "private_bytes"):
        # A cryptography key object (public or private).
        try:
            return _PreparedKey(ident, _jg.KeySet.from_pem(_crypto_public_pem(key)), 0, "asym")
        except Exception as e:  # noqa: BLE001 - whatever cryptography raises
            raise InvalidKeyError(f"Could not use the provided key object: {e}") from e
    if hasattr(key, "key"):
        return _build_key(key.key, ident)
    raise InvalidKeyError(f"Unsupported key type: {type(key).__name__}")


# ---------------------------------------------------------------- validators

_DEFAULT_OPTIONS: dict[str, Any] = {
    "verify_signature": True,
    "verify_exp": True,
    "verify_nbf": True,
    "verify_iat": True,
    "verify_aud": True,
    "verify_iss": True,
    "verify_sub": True,
    "verify_jti": True,
    "require": [],
    "strict_aud": False,
    "enforce_minimum_key_length": False,
}

_validator_lock = threading.Lock()
_validators: "OrderedDict[Any, _jg.Validator]" = OrderedDict()
_VALIDATOR_CACHE_SIZE = 128


def _merge_options(options: Optional[dict[str, Any]]) -> dict[str, Any]:
    if options is None:
        return _DEFAULT_OPTIONS
    if not isinstance(options, dict):
        raise TypeError("options must be a dict")
    merged = dict(options)
    if not merged.get("verify_signature", True):
        for k in ("verify_exp", "verify_nbf", "verify_iat", "verify_aud", "verify_iss", "verify_sub",
                  "verify_jti"):
            merged.setdefault(k, False)
    return {**_DEFAULT_OPTIONS, **merged}


def _once(v: Any) -> Any:
    """A one-shot iterator (a generator) as a list, so that jwtgate's policy and
    PyJWT's own checks below read the same values; anything else as it is."""
    return list(v) if isinstance(v, Iterator) else v


def _matchable(v: Any) -> tuple[str, ...]:
    """The values of an ``audience``/``issuer`` argument that jwtgate's policy
    can hold: its non-empty strings. Nothing else can match a token the way
    PyJWT compares (bytes against str claims never do, and "" is PyJWT's
    missing ``aud``), and an empty result means the policy has no list at all:
    jwtgate's own check is then off, and PyJWT's checks (_pyjwt_claim_error,
    always run) refuse every token, as PyJWT does. jwtgate's list is only ever
    an extra gate."""
    if isinstance(v, str):
        return (v,) if v else ()
    if isinstance(v, (list, tuple, set, frozenset, dict)):
        return tuple(sorted({i for i in v if isinstance(i, str) and i}))
    return ()  # None, bytes, and containers only the `in` operator can ask


def _pyjwt_iss_error(payload: dict[str, Any], issuer: Any) -> Optional[PyJWTError]:
    """What PyJWT's _validate_iss raises for ``issuer`` (None: it passes)."""
    if issuer is None:
        return None
    if "iss" not in payload:
        return MissingRequiredClaimError("iss")
    iss = payload["iss"]
    if not isinstance(iss, str):
        return InvalidIssuerError("Payload Issuer (iss) must be a string")
    if isinstance(issuer, str):
        return None if iss == issuer else InvalidIssuerError("Invalid issuer")
    try:
        if iss not in issuer:
            return InvalidIssuerError("Invalid issuer")
    except TypeError:
        return InvalidIssuerError('Issuer param must be "str" or "Container[str]"')
    return None


def _pyjwt_aud_error(payload: dict[str, Any], audience: Any, strict: bool) -> Optional[PyJWTError]:
    """What PyJWT's _validate_aud raises for ``audience`` (None: it passes). An
    empty allow-list ([], "", set(), a bytes value) matches no token."""
    if audience is None:
        if "aud" not in payload or not payload["aud"]:
            return None
        return InvalidAudienceError("Invalid audience")
    if "aud" not in payload or not payload["aud"]:
        return MissingRequiredClaimError("aud")
    claims = payload["aud"]
    if strict:
        if not isinstance(audience, str):
            return InvalidAudienceError("Invalid audience (strict)")
        if not isinstance(claims, str):
            return InvalidAudienceError("Invalid claim format in token (strict)")
        return None if audience == claims else InvalidAudienceError("Audience doesn't match (strict)")
    if isinstance(claims, str):
        claims = [claims]
    if not isinstance(claims, list) or any(not isinstance(c, str) for c in claims):
        return InvalidAudienceError("Invalid claim format in token")
    allowed = [audience] if isinstance(audience, str) else audience
    if all(a not in claims for a in allowed):
        return InvalidAudienceError("Audience doesn't match")
    return None


def _check_audience_type(audience: Any) -> None:
    """PyJWT's first claim-stage rule: after the signature, before any claim."""
    if audience is not None and not isinstance(audience, (str, Iterable)):
        raise TypeError("audience must be a string, iterable or None")


def _pyjwt_claim_error(payload: dict[str, Any], o: dict[str, Any], require: list[Any], audience: Any,
                       issuer: Any) -> Optional[tuple[int, PyJWTError]]:
    """PyJWT's required-claim, issuer and audience checks, run on every verified
    token beside jwtgate's: the first failure with its rank in _ORDER's terms
    (None: they pass). Odd arguments (an empty or bytes allow-list, a str
    ``require``) mean here exactly what they mean in PyJWT, so the compat layer
    can never accept a token PyJWT would refuse."""
    for claim in require:
        if payload.get(claim) is None:
            return 1, MissingRequiredClaimError(claim)
    if o["verify_iss"]:
        e = _pyjwt_iss_error(payload, issuer)
        if e is not None:
            return 5, e
    if o["verify_aud"]:
        e = _pyjwt_aud_error(payload, audience, bool(o.get("strict_aud")))
        if e is not None:
            return 6, e
    return None


def _validator(pk: _PreparedKey, algs: tuple[str, ...], audience: tuple[str, ...], issuer: tuple[str, ...],
               skew: int, require: tuple[str, ...], subject: Optional[str], o: dict[str, Any]) -> "_jg.Validator":
    check_iat = bool(o["verify_iat"])
    enforce = bool(o.get("enforce_minimum_key_length", False))
    cache_key = (pk.identity, algs, audience, issuer, skew, require, subject, check_iat, enforce)
    with _validator_lock:
        v = _validators.get(cache_key)
        if v is not None:
            _validators.move_to_end(cache_key)
            return v
    body: dict[str, Any] = {
        "header-name": "Authorization",
        "require-expiration-time": "exp" in require,
        "clock-skew": skew,
    }
    if audience:
        body["audiences"] = list(audience)
    if issuer:
        body["issuers"] = list(issuer)
    claims: list[dict[str, Any]] = [{"name": c} for c in require if c != "exp"]
    if subject is not None:
        claims.append({"name": "sub", "values": [subject]})
    if claims:
        body["required-claims"] = claims
    # PyJWT has no size or depth limit; jwtgate's widest keep parsing bounded.
    ext: dict[str, Any] = {"algorithms": list(algs), "max-token-bytes": 1024 * 1024, "max-json-depth": 64}
    if check_iat:
        ext["reject-future-iat"] = True
    hs = [_HS[a] for a in algs if a in _HS]
    if pk.kind == "oct" and hs and not enforce and pk.secret_len < max(hs):
        # PyJWT verifies with short HMAC secrets (with a warning); jwtgate
        # goes as low as APIM's 128-bit floor and no further.
        ext["min-hmac-bits"] = max(128, min(pk.secret_len * 8, 4096))
    body["jwtgate"] = ext
    policy = _jg.Policy.from_json({"validate-jwt": body})
    v = _jg.Validator(policy, pk.keyset)
    with _validator_lock:
        _validators[cache_key] = v
        while len(_validators) > _VALIDATOR_CACHE_SIZE:
            _validators.popitem(last=False)
    return v


# PyJWT's order of checks: signature (and format), required claims, iat,
# nbf, exp, iss, aud, sub. jwtgate lists every failure, so the one PyJWT
# would have raised first can be picked.
_ORDER = {
    _R.CLAIM_NOT_FOUND: 1, _R.EXP_MISSING: 1,
    _R.IAT_IN_FUTURE: 2,
    _R.NOT_YET_VALID: 3,
    _R.EXPIRED: 4,
    _R.ISSUER_NOT_ALLOWED: 5,
    _R.AUDIENCE_NOT_ALLOWED: 6,
    _R.CLAIM_VALUE_NOT_ALLOWED: 7,
}
_TIME_ORDER = {"iat": 2, "nbf": 3, "exp": 4}
# A registered claim of the wrong type, which jwtgate refuses whatever the
# options compare (RFC 7519 4.1): PyJWT's exception for that claim, in its
# place among PyJWT's checks.
_TYPE_ORDER = {"iss": 5, "aud": 6, "sub": 7, "jti": 8}


def _rank(f: "_jg.Failure") -> int:
    if f.reason == _R.TIME_CLAIM_INVALID:
        return _TIME_ORDER.get(f.subject, 4)
    if f.reason == _R.CLAIM_TYPE_INVALID:
        return _TYPE_ORDER.get(f.subject, 0)
    return _ORDER.get(f.reason, 0)


def _exception(f: "_jg.Failure", r: "_jg.Result", pk: _PreparedKey, o: dict[str, Any]) -> PyJWTError:
    reason = f.reason
    claims = r.claims
    if reason in (_R.SIGNATURE_INVALID, _R.SIGNATURE_MISSING):
        return InvalidSignatureError("Signature verification failed")
    if reason in (_R.ALG_NONE, _R.ALG_UNKNOWN, _R.ALG_NOT_ALLOWED, _R.ALG_MISSING):
        return InvalidAlgorithmError("The specified alg value is not allowed")
    if reason in (_R.KEY_NOT_FOUND, _R.NO_KEYS, _R.KEYS_UNAVAILABLE):
        alg = r.header.get("alg", "")
        hmac_alg = isinstance(alg, str) and alg.startswith("HS")
        if pk.kind == "none":
            return InvalidKeyError("No key was given to verify the token with")
        if hmac_alg != (pk.kind == "oct") or "too short" in f.detail or "at least" in f.detail:
            return InvalidKeyError(f"The key cannot verify this token: {f.detail}")
        return InvalidSignatureError("Signature verification failed")
    if reason == _R.EXPIRED:
        return ExpiredSignatureError("Signature has expired")
    if reason == _R.NOT_YET_VALID:
        return ImmatureSignatureError("The token is not yet valid (nbf)")
    if reason == _R.IAT_IN_FUTURE:
        return ImmatureSignatureError("The token is not yet valid (iat)")
    if reason == _R.EXP_MISSING:
        return MissingRequiredClaimError("exp")
    if reason == _R.CLAIM_NOT_FOUND:
        return MissingRequiredClaimError(f.subject)
    if reason == _R.TIME_CLAIM_INVALID:
        if f.subject == "iat":
            return InvalidIssuedAtError("Issued At claim (iat) must be an integer.")
        if f.subject == "nbf":
            return DecodeError("Not Before claim (nbf) must be an integer.")
        return DecodeError("Expiration Time claim (exp) must be an integer.")
    if reason == _R.CLAIM_TYPE_INVALID:
        if f.subject == "iss":
            return InvalidIssuerError("Payload Issuer (iss) must be a string")
        if f.subject == "aud":
            return InvalidAudienceError("Invalid claim format in token")
        if f.subject == "sub":
            return InvalidSubjectError("Subject must be a string")
        return InvalidJTIError("JWT ID must be a string")
    if reason == _R.ISSUER_NOT_ALLOWED:
        if "iss" not in claims:
            return MissingRequiredClaimError("iss")
        if not isinstance(claims["iss"], str):
            return InvalidIssuerError("Payload Issuer (iss) must be a string")
        return InvalidIssuerError("Invalid issuer")
    if reason == _R.AUDIENCE_NOT_ALLOWED:
        aud = claims.get("aud")
        if not aud:
            return MissingRequiredClaimError("aud")
        if not isinstance(aud, (str, list)) or (isinstance(aud, list) and any(not isinstance(a, str) for a in aud)):
            return InvalidAudienceError("Invalid claim format in token")
        return InvalidAudienceError("Audience doesn't match")
    if reason == _R.CLAIM_VALUE_NOT_ALLOWED and f.subject == "sub":
        return InvalidSubjectError("Invalid subject")
    return DecodeError(_decode_message(r) if reason != _R.NONE else "Invalid token")


def _post_checks(payload: dict[str, Any], o: dict[str, Any]) -> None:
    """PyJWT's sub and jti type rules, which come after its audience check."""
    if o["verify_sub"] and "sub" in payload and not isinstance(payload["sub"], str):
        raise InvalidSubjectError("Subject must be a string")
    if o["verify_jti"] and "jti" in payload and not isinstance(payload["jti"], str):
        raise InvalidJTIError("JWT ID must be a string")


def _unverified_claim_checks(payload: dict[str, Any], o: dict[str, Any], require: list[Any], audience: Any,
                             issuer: Any, subject: Optional[str], leeway: float) -> None:
    """PyJWT's claim checks for verify_signature=False with explicit verify_* options
    (no signature means no jwtgate validation to lean on)."""
    for claim in require:
        if payload.get(claim) is None:
            raise MissingRequiredClaimError(claim)
    now = time.time()
    for name, enabled, exc in (("iat", o["verify_iat"], InvalidIssuedAtError), ("nbf", o["verify_nbf"], DecodeError),
                               ("exp", o["verify_exp"], DecodeError)):
        if enabled and name in payload:
            try:
                value = int(payload[name])
            except (ValueError, TypeError, OverflowError):
                label = {"iat": "Issued At", "nbf": "Not Before", "exp": "Expiration Time"}[name]
                raise exc(f"{label} claim ({name}) must be an integer.") from None
            if name in ("iat", "nbf") and value > now + leeway:
                raise ImmatureSignatureError(f"The token is not yet valid ({name})")
            if name == "exp" and value <= now - leeway:
                raise ExpiredSignatureError("Signature has expired")
    if o["verify_iss"]:
        e = _pyjwt_iss_error(payload, issuer)
        if e is not None:
            raise e
    if o["verify_aud"]:
        e = _pyjwt_aud_error(payload, audience, bool(o.get("strict_aud")))
        if e is not None:
            raise e
    if o["verify_sub"] and "sub" in payload:
        if not isinstance(payload["sub"], str):
            raise InvalidSubjectError("Subject must be a string")
        if subject is not None and payload["sub"] != subject:
            raise InvalidSubjectError("Invalid subject")
    if o["verify_jti"] and "jti" in payload and not isinstance(payload["jti"], str):
        raise InvalidJTIError("JWT ID must be a string")


# ---------------------------------------------------------------- decode


def decode_complete(
    jwt: Union[str, bytes],
    key: Any = "",
    algorithms: Optional[Sequence[str]] = None,
    options: Optional[dict[str, Any]] = None,
    verify: Optional[bool] = None,
    detached_payload: Optional[bytes] = None,
    audience: Union[str, Iterable[str], None] = None,
    issuer: Union[str, Sequence[str], None] = None,
    subject: Optional[str] = None,
    leeway: Union[float, timedelta] = 0,
    **kwargs: Any,
) -> dict[str, Any]:
    """Verify ``jwt`` and return ``{"header": ..., "payload": ..., "signature": bytes}``
    (PyJWT's ``jwt.decode_complete``)."""
    if kwargs:
        warnings.warn(f"passing additional kwargs to decode_complete() is deprecated. "
                      f"Unsupported kwargs: {tuple(kwargs.keys())}", DeprecationWarning, stacklevel=2)
    if not isinstance(jwt, (str, bytes)):
        raise DecodeError(f"Invalid token type. Token must be a {bytes}")
    if detached_payload is not None:
        raise DecodeError("detached payloads (RFC 7797) are not supported by jwtgate")
    o = _merge_options(options)
    if isinstance(leeway, timedelta):
        leeway = leeway.total_seconds()
    if isinstance(leeway, bool) or not isinstance(leeway, (int, float)):
        raise TypeError("leeway must be a number of seconds or a timedelta")
    audience, issuer = _once(audience), _once(issuer)
    require_items = list(o["require"])  # PyJWT iterates it: a str is its characters

    if not o["verify_signature"]:
        r = _jg.decode_unverified(jwt)
        if r.claims_json is None or r.header_json is None:
            raise DecodeError(_decode_message(r))
        payload = r.claims
        _check_audience_type(audience)
        _unverified_claim_checks(payload, o, require_items, audience, issuer, subject, float(leeway))
        return {"header": r.header, "payload": payload, "signature": _signature_bytes(jwt)}

    if isinstance(key, PyJWK) and algorithms is None:
        algorithms = [key.algorithm_name]
    if algorithms is None:
        raise DecodeError('It is required that you pass in a value for the "algorithms" argument when calling '
                          "decode().")
    if isinstance(algorithms, str):
        algorithms = [algorithms]
    algs = tuple(sorted({a for a in algorithms if a in _JWTGATE_ALGS}))
    pk = _prepare_key(key)
    if leeway < 0:
        raise ValueError("jwtgate supports a leeway of 0 seconds or more")
    skew = int(math.ceil(leeway))
    if skew > 86400:
        raise ValueError("jwtgate supports a leeway of at most 86400 seconds")
    aud_t = _matchable(audience) if o["verify_aud"] else ()
    iss_t = _matchable(issuer) if o["verify_iss"] else ()
    require = tuple(sorted({c for c in require_items if isinstance(c, str)}))
    sub = subject if o["verify_sub"] else None

    if not algs:
        # Nothing jwtgate implements is allowed: every token is refused. Still
        # report a malformed token as such.
        r = _jg.decode_unverified(jwt)
        if r.header_json is None or r.claims_json is None:
            raise DecodeError(_decode_message(r))
        raise InvalidAlgorithmError("The specified alg value is not allowed")

    v = _validator(pk, algs, aud_t, iss_t, skew, require, sub, o)
    r = v.validate(jwt, now=time.time())
    ignore = set()
    if not o["verify_exp"]:
        ignore.add(_R.EXPIRED)
    if not o["verify_nbf"]:
        ignore.add(_R.NOT_YET_VALID)
    failures = [f for f in r.failures if f.reason not in ignore
                and not (f.reason == _R.TIME_CLAIM_INVALID and
                         ((f.subject == "exp" and not o["verify_exp"]) or (f.subject == "nbf" and not o["verify_nbf"])
                          or (f.subject == "iat" and not o["verify_iat"])))]
    first = None
    if failures:
        first = min(failures, key=_rank) if _rank(failures[0]) != 0 else failures[0]
    if first is not None and _rank(first) == 0:
        exc = _exception(first, r, pk, o)
        exc.result = r
        raise exc
    header = r.header
    if pk.kind == "oct":
        # PyJWT warns when it prepares the key, before any claim check.
        alg = header.get("alg")
        need = _HS.get(alg, 0) if isinstance(alg, str) else 0
        if pk.secret_len < need:
            warnings.warn(f"The HMAC key is {pk.secret_len} bytes long, which is below the minimum recommended "
                          f"length of {need} bytes for {alg}. See RFC 7518 Section 3.2.",
                          InsecureKeyLengthWarning, stacklevel=2)
    # The signature verified: PyJWT's own claim checks run too, and the
    # earlier of its failure and jwtgate's (PyJWT's wording on a tie) is raised.
    _check_audience_type(audience)
    payload = r.claims
    mirrored = _pyjwt_claim_error(payload, o, require_items, audience, issuer)
    if first is not None and (mirrored is None or _rank(first) < mirrored[0]):
        exc = _exception(first, r, pk, o)
        exc.result = r
        raise exc
    if mirrored is not None:
        exc = mirrored[1]
        exc.result = r
        raise exc
    _post_checks(payload, o)
    return {"header": header, "payload": payload, "signature": _signature_bytes(jwt)}


def _signature_bytes(jwt: Union[str, bytes]) -> bytes:
    text = jwt.decode("utf-8", "replace") if isinstance(jwt, bytes) else jwt
    try:
        return _b64url_decode(text.rsplit(".", 1)[-1])
    except (binascii.Error, ValueError):
        raise DecodeError("Invalid crypto padding") from None


def decode(
    jwt: Union[str, bytes],
    key: Any = "",
    algorithms: Optional[Sequence[str]] = None,
    options: Optional[dict[str, Any]] = None,
    verify: Optional[bool] = None,
    detached_payload: Optional[bytes] = None,
    audience: Union[str, Iterable[str], None] = None,
    subject: Optional[str] = None,
    issuer: Union[str, Sequence[str], None] = None,
    leeway: Union[float, timedelta] = 0,
    **kwargs: Any,
) -> dict[str, Any]:
    """Verify ``jwt`` with ``key`` and return its claims (PyJWT's ``jwt.decode``).

    ``algorithms`` is required (unless ``key`` is a PyJWK); ``audience``,
    ``issuer``, ``subject``, ``leeway`` and ``options`` (``verify_*``,
    ``require``, ``strict_aud``, ``enforce_minimum_key_length``) mean what they
    mean in PyJWT. Raises the PyJWT exception classes of this module."""
    if kwargs:
        warnings.warn(f"passing additional kwargs to decode() is deprecated. "
                      f"Unsupported kwargs: {tuple(kwargs.keys())}", DeprecationWarning, stacklevel=2)
    result = decode_complete(jwt, key, algorithms, options, verify=verify, detached_payload=detached_payload,
                             audience=audience, issuer=issuer, subject=subject, leeway=leeway)
    payload: dict[str, Any] = result["payload"]
    return payload


# ---------------------------------------------------------------- encode


def _hash_for(alg: str) -> Any:
    return {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}[alg[2:]]


def _sign(alg: str, key: Any, msg: bytes) -> bytes:
    if alg == "none":
        if key not in (None, "", b""):
            raise InvalidKeyError('When alg = "none", key value must be None.')
        return b""
    if isinstance(key, PyJWK):
        key = key._jwk
    if alg in _HS:
        if isinstance(key, dict):
            secret = _b64url_decode(key.get("k", ""))
        else:
            secret = _to_bytes(key, "key")
        if not secret:
            raise InvalidKeyError("HMAC key must not be empty.")
        form = _jg.key_text_form(secret)
        if form is not None:
            raise InvalidKeyError("The specified key is an asymmetric key or x509 certificate and should not be used "
                                  f"as an HMAC secret (it looks like {form}; see CVE-2022-29217).")
        return hmac.new(secret, msg, _hash_for(alg)).digest()
    if alg not in _JWTGATE_ALGS:
        raise NotImplementedError("Algorithm not supported")
    try:
        from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature  # noqa: PLC0415
    except ImportError as e:
        raise NotImplementedError(f"signing with {alg} needs the 'cryptography' package "
                                  "(pip install jwtgate[sign])") from e
    if isinstance(key, (str, bytes)):
        try:
            key = serialization.load_pem_private_key(_to_bytes(key), password=None)
        except (ValueError, TypeError) as e:
            raise InvalidKeyError(f"Could not parse the provided private key: {e}") from e
    if alg == "EdDSA":
        if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
            return key.sign(msg)
        raise InvalidKeyError(f"The key cannot sign with {alg}")
    h: Any = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[alg[2:]]
    if alg.startswith("RS") and isinstance(key, rsa.RSAPrivateKey):
        return key.sign(msg, padding.PKCS1v15(), h)
    if alg.startswith("PS") and isinstance(key, rsa.RSAPrivateKey):
        return key.sign(msg, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
    if alg.startswith("ES") and isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(msg, ec.ECDSA(h)))
        size = (key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    raise InvalidKeyError(f"The key cannot sign with {alg}")


def _numeric_dates(payload: dict[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    for name in ("exp", "iat", "nbf"):
        if isinstance(out.get(name), datetime):
            out[name] = timegm(out[name].utctimetuple())
    return out


def encode(
    payload: dict[str, Any],
    key: Any,
    algorithm: Optional[str] = "HS256",
    headers: Optional[dict[str, Any]] = None,
    json_encoder: Optional[type[json.JSONEncoder]] = None,
    sort_headers: bool = True,
) -> str:
    """Sign ``payload`` into a compact JWS (PyJWT's ``jwt.encode``).

    HS256/384/512 use the standard library; RS*, PS*, ES* and EdDSA need the
    optional ``cryptography`` package. ``exp``/``iat``/``nbf`` datetimes become
    NumericDates."""
    if not isinstance(payload, dict):
        raise TypeError("Expecting a dict object, as JWT only supports JSON objects as payloads.")
    if headers is not None and "alg" in headers and headers["alg"]:
        algorithm = headers["alg"]
    if isinstance(key, PyJWK) and algorithm is None:
        algorithm = key.algorithm_name
    alg = algorithm or "none"
    header: dict[str, Any] = {"typ": "JWT", "alg": alg}
    if headers:
        header.update(headers)
    if not header.get("typ"):
        header.pop("typ", None)
    header_json = json.dumps(header, separators=(",", ":"), cls=json_encoder, sort_keys=sort_headers).encode()
    payload_json = json.dumps(_numeric_dates(payload), separators=(",", ":"), cls=json_encoder).encode()
    signing_input = _b64url_encode(header_json) + b"." + _b64url_encode(payload_json)
    sig = _sign(alg, key, signing_input)
    return (signing_input + b"." + _b64url_encode(sig)).decode("ascii")


# ---------------------------------------------------------------- JWK


def _default_alg(jwk: dict[str, Any]) -> Optional[str]:
    kty = jwk.get("kty")
    if kty == "oct":
        return "HS256"
    if kty == "RSA":
        return "RS256"
    if kty == "EC":
        return {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}.get(jwk.get("crv", ""))
    if kty == "OKP":
        return "EdDSA"
    return None


def _crypto_key_from_jwk(jwk: dict[str, Any]) -> Any:
    """A cryptography public key for a public JWK, or None without cryptography."""
    try:
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa  # noqa: PLC0415
    except ImportError:
        return None

    def num(name: str) -> int:
        return int.from_bytes(_b64url_decode(jwk[name]), "big")

    try:
        kty = jwk.get("kty")
        if kty == "RSA":
            return rsa.RSAPublicNumbers(num("e"), num("n")).public_key()
        if kty == "EC":
            curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}[jwk["crv"]]
            return ec.EllipticCurvePublicNumbers(num("x"), num("y"), curve).public_key()
        if kty == "OKP":
            raw = _b64url_decode(jwk["x"])
            cls: Any = {"Ed25519": ed25519.Ed25519PublicKey, "Ed448": ed448.Ed448PublicKey}[jwk["crv"]]
            return cls.from_public_bytes(raw)
    except (KeyError, ValueError) as e:
        raise PyJWKError(f"Unable to parse the JWK: {e}") from e
    return None


class PyJWK:
    """One JSON Web Key (PyJWT's ``PyJWK``), checked by jwtgate's JWK parser.

    ``key`` is a ``cryptography`` public key when that package is installed
    (as in PyJWT), else the JWK dict itself; either can be passed to
    :func:`decode`. For ``oct`` keys it is the secret's bytes."""

    def __init__(self, jwk_data: dict[str, Any], algorithm: Optional[str] = None) -> None:
        if not isinstance(jwk_data, dict):
            raise PyJWKError("jwk_data must be a dict")
        self._jwk = dict(jwk_data)
        kty = self._jwk.get("kty")
        if not kty:
            raise InvalidKeyError(f"kty is not found: {jwk_data}")
        alg = algorithm or self._jwk.get("alg") or _default_alg(self._jwk)
        if not alg:
            raise PyJWKError(f"Unable to find an algorithm for key: {self._jwk}")
        if alg not in _JWTGATE_ALGS and alg != "Ed25519":
            raise PyJWKError(f"Unable to find an algorithm for key: {self._jwk}")
        self.algorithm_name: str = "EdDSA" if alg == "Ed25519" else alg
        try:
            self._keyset = _jg.KeySet.from_jwk(self._jwk)
        except _jg.KeySetError as e:
            raise PyJWKError(str(e)) from e
        if kty == "oct":
            self.key: Any = _b64url_decode(self._jwk.get("k", ""))
        else:
            public = {k: v for k, v in self._jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "oth")}
            crypto_key = _crypto_key_from_jwk(public)
            self.key = crypto_key if crypto_key is not None else public

    @staticmethod
    def from_dict(obj: dict[str, Any], algorithm: Optional[str] = None) -> "PyJWK":
        """A PyJWK from a parsed JWK."""
        return PyJWK(obj, algorithm)

    @staticmethod
    def from_json(data: str, algorithm: Optional[str] = None) -> "PyJWK":
        """A PyJWK from JWK JSON text."""
        return PyJWK(json.loads(data), algorithm)

    @property
    def key_type(self) -> Optional[str]:
        """The JWK's kty."""
        return self._jwk.get("kty")

    @property
    def key_id(self) -> Optional[str]:
        """The JWK's kid."""
        return self._jwk.get("kid")

    @property
    def public_key_use(self) -> Optional[str]:
        """The JWK's use."""
        return self._jwk.get("use")

    @property
    def key_set(self) -> "_jg.KeySet":
        """This key as a :class:`jwtgate.KeySet` (jwtgate extension)."""
        return self._keyset

    def __repr__(self) -> str:
        return f"<PyJWK kty={self.key_type} kid={self.key_id} alg={self.algorithm_name}>"


class PyJWKSet:
    """A JSON Web Key Set (PyJWT's ``PyJWKSet``). Keys jwtgate cannot use are skipped."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.keys: list[PyJWK] = []
        if not keys:
            raise PyJWKSetError("The JWK Set did not contain any keys")
        if not isinstance(keys, list):
            raise PyJWKSetError("Invalid JWK Set value")
        for key in keys:
            try:
                self.keys.append(PyJWK(key))
            except (PyJWTError, TypeError):
                continue
        if not self.keys:
            raise PyJWKSetError("The JWK Set did not contain any usable keys. Perhaps 'cryptography' is not installed?")

    @staticmethod
    def from_dict(obj: dict[str, Any]) -> "PyJWKSet":
        """A PyJWKSet from a parsed ``{"keys": [...]}``."""
        return PyJWKSet(obj.get("keys", []))

    @staticmethod
    def from_json(data: str) -> "PyJWKSet":
        """A PyJWKSet from JWK Set JSON text."""
        return PyJWKSet.from_dict(json.loads(data))

    def __getitem__(self, kid: str) -> PyJWK:
        for key in self.keys:
            if key.key_id == kid:
                return key
        raise KeyError(f"keyset has no key for kid: {kid}")

    def __iter__(self) -> Any:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)


class PyJWKClient:
    """Fetches and caches a JWK Set from ``uri`` (PyJWT's ``PyJWKClient``), with urllib.

    ``get_signing_key_from_jwt(token)`` picks the key whose kid the token names;
    pass its ``.key`` (or the PyJWK itself) to :func:`decode`."""

    def __init__(self, uri: str, cache_keys: bool = False, max_cached_keys: int = 16, cache_jwk_set: bool = True,
                 lifespan: float = 300, headers: Optional[dict[str, Any]] = None, timeout: float = 30,
                 ssl_context: Any = None) -> None:
        if lifespan <= 0:
            raise PyJWKClientError(f'Lifespan must be greater than 0, the input is "{lifespan}"')
        self.uri = uri
        self.headers = headers or {}
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.lifespan = lifespan
        self.cache_jwk_set = cache_jwk_set
        self._lock = threading.Lock()
        self._cached: Optional[PyJWKSet] = None
        self._cached_at = 0.0

    def fetch_data(self) -> Any:
        """GET the JWK Set and return it parsed."""
        try:
            req = urllib.request.Request(url=self.uri, headers=self.headers)
            with urllib.request.urlopen(req, timeout=self.timeout, context=self.ssl_context) as resp:  # noqa: S310
                return json.load(resp)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
            raise PyJWKClientConnectionError(f'Fail to fetch data from the url, err: "{e}"') from e

    def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        """The JWK Set, from the cache unless ``refresh`` or expired."""
        with self._lock:
            fresh = self._cached is not None and time.monotonic() - self._cached_at < self.lifespan
            if self.cache_jwk_set and fresh and not refresh:
                assert self._cached is not None
                return self._cached
        data = self.fetch_data()
        if not isinstance(data, dict):
            raise PyJWKClientError("The JWKS endpoint did not return a JSON object")
        jwk_set = PyJWKSet.from_dict(data)
        with self._lock:
            self._cached, self._cached_at = jwk_set, time.monotonic()
        return jwk_set

    def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:
        """The keys meant for signatures (use "sig" or no use) that have a kid."""
        keys = [k for k in self.get_jwk_set(refresh).keys if k.public_key_use in ("sig", None) and k.key_id]
        if not keys:
            raise PyJWKClientError("The JWKS endpoint did not contain any signing keys")
        return keys

    def get_signing_key(self, kid: str) -> PyJWK:
        """The signing key with this kid, refetching the set once if it is not there."""
        for refresh in (False, True):
            for key in self.get_signing_keys(refresh):
                if key.key_id == kid:
                    return key
        raise PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')

    def get_signing_key_from_jwt(self, token: Union[str, bytes]) -> PyJWK:
        """The signing key named by the token's kid header."""
        header = get_unverified_header(token)
        return self.get_signing_key(header.get("kid", ""))

    def get_key_set(self, refresh: bool = False) -> "_jg.KeySet":
        """The whole JWK Set as a :class:`jwtgate.KeySet` (jwtgate extension), e.g.
        for ``validator.keys = client.get_key_set()``."""
        jwk_set = self.get_jwk_set(refresh)
        return _jg.KeySet.from_jwks({"keys": [k._jwk for k in jwk_set.keys]})
