"""Keys as jwtgate needs them: every key argument PyJWT accepts, turned into a
:class:`jwtgate.KeySet` the library verifies with.

One rule decides what a str or bytes key is: ``jwtgate.key_text_form``, the
library's detector. Key text (PEM of any label, SSH public keys, DER, JWK
JSON, any of these base64-encoded) is loaded as the public key it holds and
is never an HMAC secret (CVE-2022-29217's class); anything else is a secret.

HMAC secrets reach the library through :func:`hmac_bytes` alone, so that the
one place where a secret becomes jwtgate's key is visible (the PyJWT suite
runner pads the suite's short test secrets there, a documented test step; the
library's floor itself is never lowered below APIM's 128 bits).
"""

from __future__ import annotations

import json
import threading
from typing import Any, Optional

import jwtgate as _jg
from jwtgate import _jwtgate

from .exceptions import InvalidKeyError

# What jwtgate.key_text_form calls a JWK (PyJWT refuses it as a secret with
# its own message).
JWK_FORM = "a JWK or JWK Set"
HASH_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}
JWTGATE_ALGS = frozenset(["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                          "ES256", "ES384", "ES512", "ES256K", "EdDSA"])


def hmac_bytes(secret: bytes) -> bytes:
    """The bytes jwtgate gets for the HMAC secret ``secret``: ``secret`` itself."""
    return secret


def hmac_keyset(secret: bytes) -> tuple["_jg.KeySet", int]:
    """A KeySet holding the HMAC secret, and the secret's length as jwtgate sees it."""
    data = hmac_bytes(secret)
    try:
        return _jg.KeySet.from_secret(data), len(data)
    except _jg.KeySetError as e:
        raise InvalidKeyError(f"The HMAC secret cannot be used: {e}") from e


def min_hmac_bits(secret_len: int, algorithms: Any) -> int:
    """The HMAC floor for a secret of ``secret_len`` bytes: 0 (the hash size,
    RFC 7518 3.2) when it is long enough for every HS* in ``algorithms``,
    else its own length, down to APIM's 128 bits and no further (PyJWT
    accepts shorter secrets with a warning; jwtgate refuses them)."""
    need = max((HASH_BYTES[a] for a in algorithms if a in HASH_BYTES), default=0)
    if secret_len >= need:
        return 0
    return max(128, min(secret_len * 8, 4096))


def crypto_public_pem(obj: Any) -> bytes:
    """The SubjectPublicKeyInfo PEM of a ``cryptography`` public or private key."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415 (optional dependency)

    pub = obj.public_key() if hasattr(obj, "private_bytes") else obj
    pem: bytes = pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem


def is_crypto_key(obj: Any) -> bool:
    """A ``cryptography`` public or private key object (duck-typed: the
    package is optional)."""
    return hasattr(obj, "public_bytes") or hasattr(obj, "private_bytes")


def load_key_text(data: bytes, form: str) -> "_jg.KeySet":
    """Key text (what jwtgate.key_text_form recognised as ``form``) as the
    public key it holds. It is never an HMAC secret: a token whose alg is HS*
    then finds no usable key and raises InvalidKeyError, as in PyJWT."""
    if form == JWK_FORM:
        raise InvalidKeyError("The specified key looks like a JWK and should not be used directly as an HMAC "
                              "secret. Load it via PyJWK / HMACAlgorithm.from_jwk first (key text is never an "
                              "HMAC secret: CVE-2022-29217).")
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
        except Exception as e:  # noqa: BLE001 - cryptography's UnsupportedAlgorithm
            raise InvalidKeyError(f"Could not parse the provided key: {e}") from e
        data = crypto_public_pem(key)
    try:
        return _jg.KeySet.load(data)
    except _jg.KeySetError as e:
        raise InvalidKeyError(f"Could not parse the provided public key ({form}): {e}") from e


def crypto_keyset(obj: Any) -> "_jg.KeySet":
    """A KeySet holding the public half of a ``cryptography`` key object."""
    try:
        return _jg.KeySet.from_pem(crypto_public_pem(obj))
    except Exception as e:  # noqa: BLE001 - whatever cryptography or jwtgate raises
        raise InvalidKeyError(f"Could not use the provided key object: {e}") from e


def jwk_keyset(jwk: dict[str, Any]) -> "_jg.KeySet":
    """A KeySet holding one JWK (checked by jwtgate's JWK parser), whose kid
    does not bind it: PyJWT verifies with the key the caller hands it
    whatever kid the token names, so its kid is given as the key's id
    (jwtgate_keyset_builder_add's ``kid``, a selection hint) rather than
    loaded as a published JWK's kid, which would verify only tokens naming
    it."""
    kid = jwk.get("kid")
    if isinstance(kid, str):
        jwk = {k: v for k, v in jwk.items() if k != "kid"}
    try:
        return _jg.KeySet.from_jwk(jwk, kid=kid if isinstance(kid, str) and kid else None)
    except _jg.KeySetError as e:
        raise InvalidKeyError(str(e)) from e


# ---------------------------------------------------------------- decode()'s keys


class PreparedKey:
    """A key argument turned into what jwtgate needs: a KeySet, whether it
    is an HMAC secret and how long (as given, and as jwtgate holds it), and
    an identity for the validator cache."""

    __slots__ = ("identity", "keyset", "secret_len", "held_len", "kind")

    def __init__(self, identity: Any, keyset: Optional["_jg.KeySet"], secret_len: int, held_len: int,
                 kind: str) -> None:
        self.identity = identity
        self.keyset = keyset
        self.secret_len = secret_len  # > 0 for an HMAC secret: its length as given
        self.held_len = held_len  # the secret's length in the KeySet
        self.kind = kind  # "oct", "asym" or "none"


_lock = threading.Lock()
_cache: dict[Any, tuple[Any, PreparedKey]] = {}
_CACHE_SIZE = 64


def prepare(key: Any) -> PreparedKey:
    """Turn decode()'s key argument into a PreparedKey (cached)."""
    jwk_data = getattr(key, "_jwk_data", None)
    if isinstance(jwk_data, dict):
        key = jwk_data  # a PyJWK, ours or PyJWT's: its JWK, with its alg/use/key_ops
    if isinstance(key, (str, bytes, bytearray)):
        ident: Any = ("b", key.encode("utf-8") if isinstance(key, str) else bytes(key))
    elif isinstance(key, dict):
        ident = ("j", json.dumps(key, sort_keys=True, default=str))
    elif key is None:
        ident = ("n",)
    else:
        ident = ("o", id(key))
    hit = _cache.get(ident)
    if hit is not None and (ident[0] != "o" or hit[0] is key):
        return hit[1]
    prepared = _build(key, ident)
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[ident] = (key, prepared)
    return prepared


def _build(key: Any, ident: Any) -> PreparedKey:
    if key is None or (isinstance(key, (str, bytes, bytearray)) and len(key) == 0):
        return PreparedKey(ident, None, 0, 0, "none")
    if isinstance(key, dict):
        if key.get("kty") == "oct":
            from .utils import base64url_decode  # noqa: PLC0415

            k = key.get("k")
            secret = base64url_decode(k) if isinstance(k, str) else b""
            if not secret:
                raise InvalidKeyError("HMAC key must not be empty.")
            form = _jg.key_text_form(secret)
            if form is not None:
                raise InvalidKeyError(f"The JWK's \"k\" is key text ({form}), never an HMAC secret")
            # Loaded as a JWK (its alg, use and key_ops still bind it), with
            # the secret as hmac_bytes gives it to the library.
            from .utils import base64url_encode  # noqa: PLC0415

            held_bytes = hmac_bytes(secret)
            return PreparedKey(ident, jwk_keyset({**key, "k": base64url_encode(held_bytes).decode()}), len(secret),
                               len(held_bytes), "oct")
        return PreparedKey(ident, jwk_keyset(key), 0, 0, "asym")
    if isinstance(key, (str, bytes, bytearray)):
        data = ident[1]
        # The library's detector decides, not a prefix: PEM after a BOM or a
        # "Bag Attributes" preamble, SSH keys after a comment, a certificate's
        # base64 are key text too, and key text is never an HMAC secret.
        form = _jg.key_text_form(data)
        if form is not None:
            return PreparedKey(ident, load_key_text(data, form), 0, 0, "asym")
        ks, held = hmac_keyset(data)
        return PreparedKey(ident, ks, len(data), held, "oct")
    if is_crypto_key(key):
        return PreparedKey(ident, crypto_keyset(key), 0, 0, "asym")
    if hasattr(key, "key"):
        return _build(key.key, ident)
    raise InvalidKeyError(f"Unsupported key type: {type(key).__name__}")


# ---------------------------------------------------------------- signature checks

_options_cache: dict[tuple[Optional[str], int], "_jwtgate.JwsOptions"] = {}


def jws_options(algorithms: Optional[str], min_bits: int) -> "_jwtgate.JwsOptions":
    """The cached JwsOptions for a comma-separated algorithm list and HMAC floor."""
    k = (algorithms, min_bits)
    o = _options_cache.get(k)
    if o is None:
        o = _jwtgate.JwsOptions(algorithms, min_bits)
        if len(_options_cache) > 256:
            _options_cache.clear()
        _options_cache[k] = o
    return o


_verify_lock = threading.Lock()
_verify_cache: dict[Any, tuple[Any, "_jg.KeySet", int]] = {}


def verify_keyset(key: Any) -> tuple["_jg.KeySet", int]:
    """The KeySet an algorithm object verifies with for a prepared key (bytes
    for HMAC, a ``cryptography`` object otherwise, or a JWK dict), and the
    length of the secret it holds (0 for public keys). Cached by identity."""
    if isinstance(key, (bytes, bytearray)):
        ident: Any = ("b", bytes(key))
    else:
        ident = ("o", id(key))
    hit = _verify_cache.get(ident)
    if hit is not None and (ident[0] == "b" or hit[0] is key):
        return hit[1], hit[2]
    if isinstance(key, (bytes, bytearray)):
        ks, held = hmac_keyset(bytes(key))
    elif isinstance(key, dict):
        ks, held = jwk_keyset(key), 0
    elif is_crypto_key(key):
        ks, held = crypto_keyset(key), 0
    else:
        raise InvalidKeyError(f"Unsupported key type: {type(key).__name__}")
    with _verify_lock:
        if len(_verify_cache) >= _CACHE_SIZE:
            _verify_cache.clear()
        _verify_cache[ident] = (key, ks, held)
    return ks, held
