"""PyJWT's algorithm objects (``jwt.algorithms``) on jwtgate.

Every ``verify()`` of the classes here is jwtgate's: the prepared key becomes
a :class:`jwtgate.KeySet` (cached per key) and the library checks the
signature (``jwtgate_verify_signature``) with the rules a validation applies:
the algorithm bound to the key type and, for ES*, to its curve (RFC 7518
3.4; ES256K to secp256k1, RFC 8812 3.2), RSA keys of 2048 bits or more, HMAC secrets of at least 128 bits (the
hash size unless shorter secrets are accepted with PyJWT's warning), ECDSA
signatures as R || S, constant-time MAC comparison. A key jwtgate refuses for
the algorithm raises :class:`InvalidKeyError`; a signature that does not
verify returns False.

Key handling follows PyJWT: ``prepare_key``, ``from_jwk``, ``to_jwk`` and
``sign`` work with ``cryptography`` key objects (HMAC with bytes), which is
why the RSA, EC, RSA-PSS and OKP classes exist only when the optional
``cryptography`` package is installed (``pip install jwtgate[sign]``), as in
PyJWT. An HMAC secret is refused when ``jwtgate.key_text_form`` finds key
text in it, or when PyJWT's own tests would (PEM markers, SSH keys, DER keys,
JWK JSON): the compat layer never takes a secret either of them refuses.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar, NoReturn, Optional, Union

from jwtgate import Reason as _R
from jwtgate import _jwtgate

from . import _keys
from .exceptions import InvalidAlgorithmError, InvalidKeyError
from .types import HashlibHash, JWKDict
from .utils import (
    base64url_decode,
    base64url_encode,
    der_to_raw_signature,
    force_bytes,
    from_base64url_uint,
    is_pem_format,
    is_ssh_key,
    to_base64url_uint,
)

try:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.backends import default_backend
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.asymmetric.ec import (
        ECDSA,
        SECP256K1,
        SECP256R1,
        SECP384R1,
        SECP521R1,
        EllipticCurve,
        EllipticCurvePrivateKey,
        EllipticCurvePrivateNumbers,
        EllipticCurvePublicKey,
        EllipticCurvePublicNumbers,
    )
    from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.rsa import (
        RSAPrivateKey,
        RSAPrivateNumbers,
        RSAPublicKey,
        RSAPublicNumbers,
        rsa_crt_dmp1,
        rsa_crt_dmq1,
        rsa_crt_iqmp,
        rsa_recover_prime_factors,
    )
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
        load_der_public_key,
        load_pem_private_key,
        load_pem_public_key,
        load_ssh_public_key,
    )

    AllowedRSAKeys = Union[RSAPrivateKey, RSAPublicKey]
    AllowedECKeys = Union[EllipticCurvePrivateKey, EllipticCurvePublicKey]
    AllowedOKPKeys = Union[Ed25519PrivateKey, Ed25519PublicKey, Ed448PrivateKey, Ed448PublicKey]
    AllowedKeys = Union[AllowedRSAKeys, AllowedECKeys, AllowedOKPKeys]
    AllowedPrivateKeys = Union[RSAPrivateKey, EllipticCurvePrivateKey, Ed25519PrivateKey, Ed448PrivateKey]
    AllowedPublicKeys = Union[RSAPublicKey, EllipticCurvePublicKey, Ed25519PublicKey, Ed448PublicKey]
    has_crypto = True
except ModuleNotFoundError:  # pragma: no cover - exercised without cryptography
    AllowedRSAKeys = Any  # type: ignore[misc]
    AllowedECKeys = Any  # type: ignore[misc]
    AllowedOKPKeys = Any  # type: ignore[misc]
    AllowedKeys = Any  # type: ignore[misc]
    AllowedPrivateKeys = Any  # type: ignore[misc]
    AllowedPublicKeys = Any  # type: ignore[misc]
    has_crypto = False

__all__ = [
    "Algorithm",
    "NoneAlgorithm",
    "HMACAlgorithm",
    "RSAAlgorithm",
    "RSAPSSAlgorithm",
    "ECAlgorithm",
    "OKPAlgorithm",
    "get_default_algorithms",
    "has_crypto",
    "requires_cryptography",
]

requires_cryptography = {"RS256", "RS384", "RS512", "ES256", "ES256K", "ES384", "ES521", "ES512", "PS256", "PS384",
                         "PS512", "EdDSA"}


def get_default_algorithms() -> dict[str, "Algorithm"]:
    """The algorithms PyJWT registers by default, as new objects."""
    algorithms: dict[str, Algorithm] = {
        "none": NoneAlgorithm(),
        "HS256": HMACAlgorithm(HMACAlgorithm.SHA256),
        "HS384": HMACAlgorithm(HMACAlgorithm.SHA384),
        "HS512": HMACAlgorithm(HMACAlgorithm.SHA512),
    }
    if has_crypto:
        algorithms.update({
            "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
            "RS384": RSAAlgorithm(RSAAlgorithm.SHA384),
            "RS512": RSAAlgorithm(RSAAlgorithm.SHA512),
            "ES256": ECAlgorithm(ECAlgorithm.SHA256, SECP256R1),
            "ES256K": ECAlgorithm(ECAlgorithm.SHA256, SECP256K1),
            "ES384": ECAlgorithm(ECAlgorithm.SHA384, SECP384R1),
            "ES521": ECAlgorithm(ECAlgorithm.SHA512, SECP521R1),
            "ES512": ECAlgorithm(ECAlgorithm.SHA512, SECP521R1),
            "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
            "PS384": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384),
            "PS512": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512),
            "EdDSA": OKPAlgorithm(),
        })
    return algorithms


def _jwtgate_verify(alg: str, msg: Any, key: Any, sig: Any) -> bool:
    """jwtgate's verdict on ``sig`` over ``msg`` for ``alg`` with a prepared key."""
    keyset, held = _keys.verify_keyset(key)
    bits = _keys.min_hmac_bits(held, (alg,)) if held else 0
    r = _jwtgate.verify_signature(keyset._h, _keys.jws_options(None, bits), alg, force_bytes(msg),
                                  force_bytes(sig) if isinstance(sig, str) else sig)
    if r.valid:
        return True
    reason = r.reason
    if reason in (_R.SIGNATURE_INVALID, _R.SIGNATURE_MISSING):
        return False
    detail = r.failures[0].detail if r.failures else reason.code
    if reason in (_R.KEY_NOT_FOUND, _R.NO_KEYS):
        raise InvalidKeyError(f"The key cannot verify {alg}: {detail}")
    raise InvalidAlgorithmError(detail)


def _json_object(jwk: Any) -> dict[str, Any]:
    try:
        if isinstance(jwk, str):
            obj = json.loads(jwk)
        elif isinstance(jwk, dict):
            obj = jwk
        else:
            raise ValueError
    except ValueError:
        raise InvalidKeyError("Key is not valid JSON") from None
    if not isinstance(obj, dict):
        raise InvalidKeyError("Key is not valid JSON")
    return obj


class Algorithm(ABC):
    """The interface of an algorithm that signs and verifies tokens."""

    _crypto_key_types: Optional[tuple[type, ...]] = None
    #: The JWS name jwtgate verifies under (None: jwtgate does not verify it).
    _jws_alg: Optional[str] = None

    def compute_hash_digest(self, bytestr: bytes) -> bytes:
        """The digest of ``bytestr`` with this algorithm's hash."""
        hash_alg = getattr(self, "hash_alg", None)
        if hash_alg is None:
            raise NotImplementedError
        if has_crypto and isinstance(hash_alg, type) and issubclass(hash_alg, hashes.HashAlgorithm):
            digest = hashes.Hash(hash_alg(), backend=default_backend())
            digest.update(bytestr)
            return bytes(digest.finalize())
        return bytes(hash_alg(bytestr).digest())

    def check_crypto_key_type(self, key: Any) -> None:
        """Raise InvalidKeyError unless ``key`` is of this algorithm's key classes."""
        if not has_crypto or self._crypto_key_types is None:
            raise ValueError("This method requires the cryptography library, and should only be used by "
                             "cryptography-based algorithms.")
        if not isinstance(key, self._crypto_key_types):
            valid_classes = (cls.__name__ for cls in self._crypto_key_types)
            raise InvalidKeyError(f"Expected one of {valid_classes}, got: {key.__class__.__name__}. Invalid Key "
                                  f"type for {self.__class__.__name__}")

    @abstractmethod
    def prepare_key(self, key: Any) -> Any:
        """Validate and convert ``key`` for sign() and verify()."""

    @abstractmethod
    def sign(self, msg: bytes, key: Any) -> bytes:
        """The signature of ``msg`` with ``key``."""

    @abstractmethod
    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        """Whether ``sig`` is a valid signature of ``msg`` with ``key``."""

    @staticmethod
    @abstractmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Union[JWKDict, str]:
        """The key as a JWK (JSON text, or a dict with ``as_dict``)."""

    @staticmethod
    @abstractmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> Any:
        """The key a JWK holds."""

    def check_key_length(self, key: Any) -> Optional[str]:
        """A warning if ``key`` is shorter than recommended for this algorithm, else None."""
        return None


class NoneAlgorithm(Algorithm):
    """``alg: none``: signs nothing and verifies nothing (jwtgate never accepts it)."""

    def prepare_key(self, key: Optional[str]) -> None:
        if key == "":
            key = None
        if key is not None:
            raise InvalidKeyError('When alg = "none", key value must be None.')
        return key

    def sign(self, msg: bytes, key: None) -> bytes:
        return b""

    def verify(self, msg: bytes, key: None, sig: bytes) -> bool:
        return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> NoReturn:
        raise NotImplementedError()

    @staticmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> NoReturn:
        raise NotImplementedError()


_JWK_MESSAGE = ("The specified key looks like a JWK and should not be used directly as an HMAC secret. Load it via "
                "PyJWK / HMACAlgorithm.from_jwk first (key text is never an HMAC secret: CVE-2022-29217).")


def _pyjwt_looks_like_jwk(key_bytes: bytes) -> bool:
    """PyJWT's test for JWK JSON in an HMAC secret (a "kty" member at any
    depth, or text too deep to parse that starts like an object, or like an
    array holding a "kty" member), kept so the compat layer never takes a
    secret PyJWT refuses."""
    try:
        obj = json.loads(key_bytes, parse_int=lambda _: 0)
    except RecursionError:
        try:
            text = key_bytes.decode(json.detect_encoding(key_bytes), errors="surrogatepass")
        except UnicodeError:
            text = ""
        stripped = text.lstrip("\ufeff \t\r\n")
        return stripped.startswith("{") or (stripped.startswith("[") and _has_kty_member(text))
    except ValueError:
        return False
    pending = [obj]
    while pending:
        o = pending.pop()
        if isinstance(o, dict):
            if "kty" in o:
                return True
            pending.extend(o.values())
        elif isinstance(o, list):
            pending.extend(o)
    return False


def _has_kty_member(text: str) -> bool:
    """A JSON string "kty" followed by a colon, found by scanning (for text
    too deep for json.loads)."""
    i = 0
    n = len(text)
    while i < n:
        if text[i] != '"':
            i += 1
            continue
        end = i + 1
        while end < n:
            if text[end] == "\\":
                end += 2
            elif text[end] == '"':
                break
            else:
                end += 1
        if end >= n:
            return False
        j = end + 1
        while j < n and text[j] in " \t\r\n":
            j += 1
        if j < n and text[j] == ":":
            try:
                if json.loads(text[i:end + 1]) == "kty":
                    return True
            except ValueError:
                pass
        i = end + 1
    return False


def _pyjwt_is_der_key(key_bytes: bytes) -> bool:
    if not has_crypto:
        return False
    try:
        load_der_public_key(key_bytes)
        return True
    except (TypeError, ValueError, UnsupportedAlgorithm):
        pass
    try:
        x509.load_der_x509_certificate(key_bytes)
        return True
    except (TypeError, ValueError, UnsupportedAlgorithm):
        return False


class HMACAlgorithm(Algorithm):
    """HMAC with SHA-2 (HS256, HS384, HS512); signing with the standard library,
    verification by jwtgate."""

    SHA256: ClassVar[HashlibHash] = hashlib.sha256
    SHA384: ClassVar[HashlibHash] = hashlib.sha384
    SHA512: ClassVar[HashlibHash] = hashlib.sha512

    def __init__(self, hash_alg: HashlibHash) -> None:
        self.hash_alg = hash_alg
        self._jws_alg = {"sha256": "HS256", "sha384": "HS384", "sha512": "HS512"}.get(hash_alg().name)

    def prepare_key(self, key: Union[str, bytes]) -> bytes:
        key_bytes = force_bytes(key)
        if len(key_bytes) == 0:
            raise InvalidKeyError("HMAC key must not be empty.")
        # jwtgate's detector first (the forms it knows, with what it found),
        # then PyJWT's own tests: a secret either refuses is refused.
        form = _jwtgate.key_text_form(key_bytes)
        if form == _keys.JWK_FORM or (form is None and _pyjwt_looks_like_jwk(key_bytes)):
            raise InvalidKeyError(_JWK_MESSAGE)
        if form is not None or is_pem_format(key_bytes) or is_ssh_key(key_bytes) or _pyjwt_is_der_key(key_bytes):
            found = f" (it holds {form}; see CVE-2022-29217)" if form else ""
            raise InvalidKeyError("The specified key is an asymmetric key or x509 certificate and should not be used "
                                  f"as an HMAC secret{found}.")
        return key_bytes

    @staticmethod
    def to_jwk(key_obj: Union[str, bytes], as_dict: bool = False) -> Union[JWKDict, str]:
        jwk = {"k": base64url_encode(force_bytes(key_obj)).decode(), "kty": "oct"}
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> bytes:
        obj = _json_object(jwk)
        if obj.get("kty") != "oct":
            raise InvalidKeyError("Not an HMAC key")
        key_bytes = base64url_decode(obj["k"])
        if len(key_bytes) == 0:
            raise InvalidKeyError("HMAC key must not be empty.")
        return key_bytes

    def check_key_length(self, key: bytes) -> Optional[str]:
        min_length = self.hash_alg().digest_size
        if len(key) < min_length:
            return (f"The HMAC key is {len(key)} bytes long, which is below the minimum recommended length of "
                    f"{min_length} bytes for {self.hash_alg().name.upper()}. See RFC 7518 Section 3.2.")
        return None

    def sign(self, msg: bytes, key: bytes) -> bytes:
        return hmac.new(key, msg, self.hash_alg).digest()

    def verify(self, msg: bytes, key: bytes, sig: bytes) -> bool:
        if self._jws_alg is None:
            return hmac.compare_digest(sig, self.sign(msg, key))
        return _jwtgate_verify(self._jws_alg, msg, key, sig)


if has_crypto:

    def _load_private_or_public_pem(key_bytes: bytes) -> Any:
        try:
            return load_pem_private_key(key_bytes, password=None)
        except ValueError:
            return load_pem_public_key(key_bytes)

    class RSAAlgorithm(Algorithm):
        """RSASSA-PKCS1-v1_5 (RS256, RS384, RS512)."""

        SHA256: ClassVar[Any] = hashes.SHA256
        SHA384: ClassVar[Any] = hashes.SHA384
        SHA512: ClassVar[Any] = hashes.SHA512

        _crypto_key_types = (RSAPrivateKey, RSAPublicKey)
        _MIN_KEY_SIZE: ClassVar[int] = 2048
        _prefix: ClassVar[str] = "RS"

        def __init__(self, hash_alg: Any) -> None:
            self.hash_alg = hash_alg
            self._jws_alg = f"{self._prefix}{hash_alg.digest_size * 8}"

        def check_key_length(self, key: Any) -> Optional[str]:
            if key.key_size < self._MIN_KEY_SIZE:
                return (f"The RSA key is {key.key_size} bits long, which is below the minimum recommended size of "
                        f"{self._MIN_KEY_SIZE} bits. See NIST SP 800-131A.")
            return None

        def prepare_key(self, key: Any) -> Any:
            if isinstance(key, self._crypto_key_types):
                return key
            if not isinstance(key, (bytes, str)):
                raise TypeError("Expecting a PEM-formatted key.")
            key_bytes = force_bytes(key)
            try:
                public_key: Any
                if key_bytes.startswith(b"ssh-rsa"):
                    public_key = load_ssh_public_key(key_bytes)
                    self.check_crypto_key_type(public_key)
                    return public_key
                private_key = load_pem_private_key(key_bytes, password=None)
                self.check_crypto_key_type(private_key)
                return private_key
            except ValueError:
                try:
                    public_key = load_pem_public_key(key_bytes)
                    self.check_crypto_key_type(public_key)
                    return public_key
                except (ValueError, UnsupportedAlgorithm):
                    raise InvalidKeyError("Could not parse the provided public key.") from None

        @staticmethod
        def to_jwk(key_obj: Any, as_dict: bool = False) -> Union[JWKDict, str]:
            if hasattr(key_obj, "private_numbers"):
                numbers = key_obj.private_numbers()
                obj: dict[str, Any] = {
                    "kty": "RSA",
                    "key_ops": ["sign"],
                    "n": to_base64url_uint(numbers.public_numbers.n).decode(),
                    "e": to_base64url_uint(numbers.public_numbers.e).decode(),
                    "d": to_base64url_uint(numbers.d).decode(),
                    "p": to_base64url_uint(numbers.p).decode(),
                    "q": to_base64url_uint(numbers.q).decode(),
                    "dp": to_base64url_uint(numbers.dmp1).decode(),
                    "dq": to_base64url_uint(numbers.dmq1).decode(),
                    "qi": to_base64url_uint(numbers.iqmp).decode(),
                }
            elif hasattr(key_obj, "verify"):
                public = key_obj.public_numbers()
                obj = {"kty": "RSA", "key_ops": ["verify"], "n": to_base64url_uint(public.n).decode(),
                       "e": to_base64url_uint(public.e).decode()}
            else:
                raise InvalidKeyError("Not a public or private key")
            return obj if as_dict else json.dumps(obj)

        @staticmethod
        def from_jwk(jwk: Union[str, JWKDict]) -> Any:
            obj = _json_object(jwk)
            if obj.get("kty") != "RSA":
                raise InvalidKeyError("Not an RSA key") from None
            if "d" in obj and "e" in obj and "n" in obj:
                if "oth" in obj:
                    raise InvalidKeyError("Unsupported RSA private key: > 2 primes not supported")
                other = ["p", "q", "dp", "dq", "qi"]
                found = [prop in obj for prop in other]
                if any(found) and not all(found):
                    raise InvalidKeyError("RSA key must include all parameters if any are present besides d")
                public_numbers = RSAPublicNumbers(from_base64url_uint(obj["e"]), from_base64url_uint(obj["n"]))
                if any(found):
                    numbers = RSAPrivateNumbers(
                        d=from_base64url_uint(obj["d"]), p=from_base64url_uint(obj["p"]),
                        q=from_base64url_uint(obj["q"]), dmp1=from_base64url_uint(obj["dp"]),
                        dmq1=from_base64url_uint(obj["dq"]), iqmp=from_base64url_uint(obj["qi"]),
                        public_numbers=public_numbers)
                else:
                    d = from_base64url_uint(obj["d"])
                    p, q = rsa_recover_prime_factors(public_numbers.n, d, public_numbers.e)
                    numbers = RSAPrivateNumbers(d=d, p=p, q=q, dmp1=rsa_crt_dmp1(d, p), dmq1=rsa_crt_dmq1(d, q),
                                                iqmp=rsa_crt_iqmp(p, q), public_numbers=public_numbers)
                return numbers.private_key()
            if "n" in obj and "e" in obj:
                return RSAPublicNumbers(from_base64url_uint(obj["e"]), from_base64url_uint(obj["n"])).public_key()
            raise InvalidKeyError("Not a public or private key")

        def sign(self, msg: bytes, key: Any) -> bytes:
            signature: bytes = key.sign(msg, padding.PKCS1v15(), self.hash_alg())
            return signature

        def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
            return _jwtgate_verify(self._jws_alg or "", msg, key, sig)

    class RSAPSSAlgorithm(RSAAlgorithm):
        """RSASSA-PSS with MGF1 and a salt of the hash size (PS256, PS384, PS512)."""

        _prefix: ClassVar[str] = "PS"

        def sign(self, msg: bytes, key: Any) -> bytes:
            signature: bytes = key.sign(
                msg, padding.PSS(mgf=padding.MGF1(self.hash_alg()), salt_length=self.hash_alg().digest_size),
                self.hash_alg())
            return signature

    class ECAlgorithm(Algorithm):
        """ECDSA (ES256 on P-256, ES384 on P-384, ES512 on P-521, RFC 7518
        3.4; ES256K on secp256k1, RFC 8812 3.2)."""

        SHA256: ClassVar[Any] = hashes.SHA256
        SHA384: ClassVar[Any] = hashes.SHA384
        SHA512: ClassVar[Any] = hashes.SHA512

        _crypto_key_types = (EllipticCurvePrivateKey, EllipticCurvePublicKey)

        def __init__(self, hash_alg: Any, expected_curve: Optional[Any] = None) -> None:
            self.hash_alg = hash_alg
            self.expected_curve = expected_curve
            if expected_curve is SECP256K1:
                self._jws_alg = "ES256K"
            else:
                self._jws_alg = {256: "ES256", 384: "ES384", 512: "ES512"}.get(hash_alg.digest_size * 8)

        def _validate_curve(self, key: Any) -> None:
            if self.expected_curve is None:
                return
            if not isinstance(key.curve, self.expected_curve):
                raise InvalidKeyError(f"The key's curve '{key.curve.name}' does not match the expected curve "
                                      f"'{self.expected_curve.name}' for this algorithm")

        def prepare_key(self, key: Any) -> Any:
            if isinstance(key, self._crypto_key_types):
                self._validate_curve(key)
                return key
            if not isinstance(key, (bytes, str)):
                raise TypeError("Expecting a PEM-formatted key.")
            key_bytes = force_bytes(key)
            public_key: Any
            try:
                if key_bytes.startswith(b"ecdsa-sha2-"):
                    public_key = load_ssh_public_key(key_bytes)
                else:
                    public_key = load_pem_public_key(key_bytes)
                self.check_crypto_key_type(public_key)
                self._validate_curve(public_key)
                return public_key
            except ValueError:
                try:
                    private_key = load_pem_private_key(key_bytes, password=None)
                except ValueError:
                    raise InvalidKeyError("Could not parse the provided key.") from None
                self.check_crypto_key_type(private_key)
                self._validate_curve(private_key)
                return private_key

        def sign(self, msg: bytes, key: Any) -> bytes:
            return der_to_raw_signature(key.sign(msg, ECDSA(self.hash_alg())), key.curve)

        def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
            return _jwtgate_verify(self._verify_alg(key), msg, key, sig)

        def _verify_alg(self, key: Any) -> str:
            # Made without an expected curve, PyJWT's ECAlgorithm takes the
            # key's curve: ECDSA with SHA-256 on secp256k1 is ES256K (RFC 8812
            # 3.2), on P-256 ES256. Every other pairing stays the alg of the
            # hash, which jwtgate then refuses for the key (RFC 7518 3.4).
            if (self.expected_curve is None and self._jws_alg == "ES256" and
                    isinstance(key, self._crypto_key_types) and isinstance(key.curve, SECP256K1)):
                return "ES256K"
            return self._jws_alg or ""

        @staticmethod
        def to_jwk(key_obj: Any, as_dict: bool = False) -> Union[JWKDict, str]:
            if isinstance(key_obj, EllipticCurvePrivateKey):
                public_numbers = key_obj.public_key().public_numbers()
            elif isinstance(key_obj, EllipticCurvePublicKey):
                public_numbers = key_obj.public_numbers()
            else:
                raise InvalidKeyError("Not a public or private key")
            curve = key_obj.curve
            if isinstance(curve, SECP256R1):
                crv = "P-256"
            elif isinstance(curve, SECP384R1):
                crv = "P-384"
            elif isinstance(curve, SECP521R1):
                crv = "P-521"
            elif isinstance(curve, SECP256K1):
                crv = "secp256k1"
            else:
                raise InvalidKeyError(f"Invalid curve: {curve}")
            obj: dict[str, Any] = {
                "kty": "EC",
                "crv": crv,
                "x": to_base64url_uint(public_numbers.x, bit_length=curve.key_size).decode(),
                "y": to_base64url_uint(public_numbers.y, bit_length=curve.key_size).decode(),
            }
            if isinstance(key_obj, EllipticCurvePrivateKey):
                obj["d"] = to_base64url_uint(key_obj.private_numbers().private_value,
                                             bit_length=curve.key_size).decode()
            return obj if as_dict else json.dumps(obj)

        @staticmethod
        def from_jwk(jwk: Union[str, JWKDict]) -> Any:
            obj = _json_object(jwk)
            if obj.get("kty") != "EC":
                raise InvalidKeyError("Not an Elliptic curve key") from None
            if "x" not in obj or "y" not in obj:
                raise InvalidKeyError("Not an Elliptic curve key") from None
            x = base64url_decode(obj["x"])
            y = base64url_decode(obj["y"])
            curve = obj.get("crv")
            sizes = {"P-256": (32, SECP256R1), "P-384": (48, SECP384R1), "P-521": (66, SECP521R1),
                     "secp256k1": (32, SECP256K1)}
            if curve not in sizes:
                raise InvalidKeyError(f"Invalid curve: {curve}")
            size, curve_cls = sizes[curve]
            if not len(x) == len(y) == size:
                raise InvalidKeyError(f"Coords should be {size} bytes for curve {curve}")
            curve_obj: EllipticCurve = curve_cls()
            public_numbers = EllipticCurvePublicNumbers(x=int.from_bytes(x, byteorder="big"),
                                                        y=int.from_bytes(y, byteorder="big"), curve=curve_obj)
            try:
                if "d" not in obj:
                    return public_numbers.public_key()
                d = base64url_decode(obj["d"])
                if len(d) != len(x):
                    raise InvalidKeyError(f"D should be {len(x)} bytes for curve {curve}")
                return EllipticCurvePrivateNumbers(int.from_bytes(d, byteorder="big"), public_numbers).private_key()
            except ValueError as e:
                raise InvalidKeyError(f"Invalid key parameter: {e}") from e

    class OKPAlgorithm(Algorithm):
        """EdDSA with Ed25519 or Ed448 (RFC 8037)."""

        _crypto_key_types = (Ed25519PrivateKey, Ed25519PublicKey, Ed448PrivateKey, Ed448PublicKey)
        _jws_alg = "EdDSA"

        def __init__(self, **kwargs: Any) -> None:
            pass

        def prepare_key(self, key: Any) -> Any:
            if not isinstance(key, (str, bytes)):
                self.check_crypto_key_type(key)
                return key
            key_str = key.decode("utf-8") if isinstance(key, bytes) else key
            key_bytes = key.encode("utf-8") if isinstance(key, str) else key
            try:
                if "-----BEGIN PUBLIC" in key_str:
                    loaded: Any = load_pem_public_key(key_bytes)
                elif "-----BEGIN PRIVATE" in key_str:
                    loaded = load_pem_private_key(key_bytes, password=None)
                elif key_str[0:4] == "ssh-":
                    loaded = load_ssh_public_key(key_bytes)
                else:
                    raise InvalidKeyError("Not a public or private key")
            except (ValueError, UnsupportedAlgorithm) as e:
                raise InvalidKeyError(f"Could not parse the provided key: {e}") from e
            self.check_crypto_key_type(loaded)
            return loaded

        def sign(self, msg: Union[str, bytes], key: Any) -> bytes:
            signature: bytes = key.sign(msg.encode("utf-8") if isinstance(msg, str) else msg)
            return signature

        def verify(self, msg: Union[str, bytes], key: Any, sig: Union[str, bytes]) -> bool:
            return _jwtgate_verify("EdDSA", msg, key, sig)

        @staticmethod
        def to_jwk(key: Any, as_dict: bool = False) -> Union[JWKDict, str]:
            if isinstance(key, (Ed25519PublicKey, Ed448PublicKey)):
                x = key.public_bytes(encoding=Encoding.Raw, format=PublicFormat.Raw)
                crv = "Ed25519" if isinstance(key, Ed25519PublicKey) else "Ed448"
                obj: dict[str, Any] = {"x": base64url_encode(force_bytes(x)).decode(), "kty": "OKP", "crv": crv}
                return obj if as_dict else json.dumps(obj)
            if isinstance(key, (Ed25519PrivateKey, Ed448PrivateKey)):
                d = key.private_bytes(encoding=Encoding.Raw, format=PrivateFormat.Raw,
                                      encryption_algorithm=NoEncryption())
                x = key.public_key().public_bytes(encoding=Encoding.Raw, format=PublicFormat.Raw)
                crv = "Ed25519" if isinstance(key, Ed25519PrivateKey) else "Ed448"
                obj = {"x": base64url_encode(force_bytes(x)).decode(), "d": base64url_encode(force_bytes(d)).decode(),
                       "kty": "OKP", "crv": crv}
                return obj if as_dict else json.dumps(obj)
            raise InvalidKeyError("Not a public or private key")

        @staticmethod
        def from_jwk(jwk: Union[str, JWKDict]) -> Any:
            obj = _json_object(jwk)
            if obj.get("kty") != "OKP":
                raise InvalidKeyError("Not an Octet Key Pair")
            curve = obj.get("crv")
            if curve not in ("Ed25519", "Ed448"):
                raise InvalidKeyError(f"Invalid curve: {curve}")
            if "x" not in obj:
                raise InvalidKeyError('OKP should have "x" parameter')
            x = base64url_decode(obj["x"])
            try:
                if "d" not in obj:
                    if curve == "Ed25519":
                        return Ed25519PublicKey.from_public_bytes(x)
                    return Ed448PublicKey.from_public_bytes(x)
                d = base64url_decode(obj["d"])
                private_key: Any = (Ed25519PrivateKey.from_private_bytes(d) if curve == "Ed25519"
                                    else Ed448PrivateKey.from_private_bytes(d))
                if private_key.public_key().public_bytes(encoding=Encoding.Raw, format=PublicFormat.Raw) != x:
                    raise InvalidKeyError("Public key does not match private key")
                return private_key
            except ValueError as err:
                raise InvalidKeyError("Invalid key parameter") from err

_BUILTIN_VERIFY: dict[type, Any] = {HMACAlgorithm: HMACAlgorithm.verify}
if has_crypto:
    _BUILTIN_VERIFY.update({RSAAlgorithm: RSAAlgorithm.verify, RSAPSSAlgorithm: RSAAlgorithm.verify,
                            ECAlgorithm: ECAlgorithm.verify, OKPAlgorithm: OKPAlgorithm.verify})


def jwtgate_alg(alg_obj: Algorithm) -> Optional[str]:
    """The JWS name jwtgate verifies for ``alg_obj`` when it is one of this
    module's objects with its own verify() (a subclass that overrides verify
    is the caller's business), else None."""
    cls = type(alg_obj)
    builtin = _BUILTIN_VERIFY.get(cls)
    if builtin is None or cls.verify is not builtin:
        return None
    name = alg_obj._jws_alg
    return name if name in _keys.JWTGATE_ALGS else None

