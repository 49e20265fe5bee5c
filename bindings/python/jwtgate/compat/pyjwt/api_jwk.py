"""PyJWT's ``PyJWK`` and ``PyJWKSet`` (``jwt.api_jwk``).

A PyJWK is what PyJWT makes of a JWK: ``algorithm_name``, the ``Algorithm``
object, and ``key`` (a ``cryptography`` key object, or bytes for ``oct``).
The JWK itself is also checked by jwtgate's JWK parser when it is used to
verify (``decode`` loads PyJWKs as JWKs, so their ``alg``, ``use`` and
``key_ops`` bind them). ``key_set`` gives the key as a :class:`jwtgate.KeySet`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, Optional

import jwtgate as _jg

from . import _keys
from .algorithms import get_default_algorithms, has_crypto, requires_cryptography
from .exceptions import InvalidKeyError, MissingCryptographyError, PyJWKError, PyJWKSetError, PyJWTError
from .types import JWKDict

__all__ = ["PyJWK", "PyJWKSet", "PyJWTSetWithTimestamp"]


class PyJWK:
    """One JSON Web Key (RFC 7517), with the algorithm it is used with."""

    def __init__(self, jwk_data: JWKDict, algorithm: Optional[str] = None) -> None:
        self._jwk_data = jwk_data
        kty = self._jwk_data.get("kty", None)
        if not kty:
            raise InvalidKeyError(f"kty is not found: {self._jwk_data}")
        if not algorithm and isinstance(self._jwk_data, dict):
            algorithm = self._jwk_data.get("alg", None)
        if not algorithm:
            crv = self._jwk_data.get("crv", None)
            if kty == "EC":
                if crv == "P-256" or not crv:
                    algorithm = "ES256"
                elif crv == "P-384":
                    algorithm = "ES384"
                elif crv == "P-521":
                    algorithm = "ES512"
                elif crv == "secp256k1":
                    algorithm = "ES256K"
                else:
                    raise InvalidKeyError(f"Unsupported crv: {crv}")
            elif kty == "RSA":
                algorithm = "RS256"
            elif kty == "oct":
                algorithm = "HS256"
            elif kty == "OKP":
                if not crv:
                    raise InvalidKeyError(f"crv is not found: {self._jwk_data}")
                if crv == "Ed25519":
                    algorithm = "EdDSA"
                else:
                    raise InvalidKeyError(f"Unsupported crv: {crv}")
            else:
                raise InvalidKeyError(f"Unsupported kty: {kty}")
        if not has_crypto and algorithm in requires_cryptography:
            raise MissingCryptographyError(f"{algorithm} requires 'cryptography' to be installed.")
        self.algorithm_name: str = algorithm
        try:
            self.Algorithm = get_default_algorithms()[algorithm]
        except KeyError:
            raise PyJWKError(f"Unable to find an algorithm for key: {self._jwk_data}") from None
        try:
            self.key = self.Algorithm.from_jwk(self._jwk_data)
        except (TypeError, ValueError) as error:
            raise InvalidKeyError(f"Unable to construct key from JWK: {error}") from error
        if kty == "oct" and isinstance(self.key, bytes):
            # A secret that is key text is a public key someone published:
            # never an HMAC key (CVE-2022-29217). PyJWT takes it.
            form = _jg.key_text_form(self.key)
            if form is not None:
                raise PyJWKError(f"The JWK's \"k\" holds key text ({form}), which is never an HMAC secret "
                                 "(CVE-2022-29217)")
        self._keyset: Optional[_jg.KeySet] = None

    @staticmethod
    def from_dict(obj: JWKDict, algorithm: Optional[str] = None) -> "PyJWK":
        """A PyJWK from a parsed JWK."""
        return PyJWK(obj, algorithm)

    @staticmethod
    def from_json(data: str, algorithm: Optional[str] = None) -> "PyJWK":
        """A PyJWK from JWK JSON text."""
        return PyJWK.from_dict(json.loads(data), algorithm)

    @property
    def key_type(self) -> Optional[str]:
        """The JWK's kty."""
        return self._jwk_data.get("kty", None)

    @property
    def key_id(self) -> Optional[str]:
        """The JWK's kid."""
        return self._jwk_data.get("kid", None)

    @property
    def public_key_use(self) -> Optional[str]:
        """The JWK's use."""
        return self._jwk_data.get("use", None)

    @property
    def key_set(self) -> "_jg.KeySet":
        """This key as a :class:`jwtgate.KeySet` (a jwtgate extension), loaded by
        jwtgate's JWK parser (InvalidKeyError if it refuses the key)."""
        if self._keyset is None:
            self._keyset = _keys.prepare(self._jwk_data).keyset
        assert self._keyset is not None
        return self._keyset

    def __repr__(self) -> str:
        return f"<PyJWK kty={self.key_type} kid={self.key_id} alg={self.algorithm_name}>"


class PyJWKSet:
    """A JSON Web Key Set. Members that are not objects, or keys that cannot be
    used, are skipped as PyJWT skips them."""

    def __init__(self, keys: list[JWKDict]) -> None:
        self.keys: list[PyJWK] = []
        if not keys:
            raise PyJWKSetError("The JWK Set did not contain any keys")
        if not isinstance(keys, list):
            raise PyJWKSetError("Invalid JWK Set value")
        for key in keys:
            if not isinstance(key, dict):
                continue
            try:
                self.keys.append(PyJWK(key))
            except PyJWTError as error:
                if isinstance(error, MissingCryptographyError):
                    raise
                continue
        if len(self.keys) == 0:
            raise PyJWKSetError("The JWK Set did not contain any usable keys. Perhaps 'cryptography' is not "
                                "installed?")

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

    def __iter__(self) -> Iterator[PyJWK]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def key_set(self) -> "_jg.KeySet":
        """The whole set as a :class:`jwtgate.KeySet` (a jwtgate extension)."""
        return _jg.KeySet.from_jwks({"keys": [k._jwk_data for k in self.keys]})


def is_pem_map(data: Any) -> bool:
    """A key map, ``{"<kid>": "<PEM certificate or public key>", ...}``: the form
    Google and Firebase Authentication publish their signing certificates in."""
    return (isinstance(data, dict) and "keys" not in data and "kty" not in data
            and all(isinstance(v, str) for v in data.values()) and any("-----BEGIN" in v for v in data.values()))


def jwks_from_pem_map(data: dict[str, str]) -> dict[str, Any]:
    """A key map as a JWK Set (a jwtgate extension; needs ``cryptography``):
    each entry becomes a JWK with its kid, use "sig" and, for a certificate,
    x5c. Entries that are not one usable public key are left out, as
    PyJWKSet leaves out unusable keys."""
    import base64  # noqa: PLC0415

    try:
        from cryptography import x509  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa  # noqa: PLC0415
        from cryptography.hazmat.primitives.serialization import Encoding, load_pem_public_key  # noqa: PLC0415
    except ImportError as e:  # pragma: no cover - cryptography is optional
        raise MissingCryptographyError("a key map (kid -> PEM) needs 'cryptography' to be installed") from e
    from .algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm  # noqa: PLC0415

    keys: list[dict[str, Any]] = []
    for kid, pem in data.items():
        extra: dict[str, Any] = {}
        try:
            if "-----BEGIN CERTIFICATE-----" in pem:
                certificate = x509.load_pem_x509_certificate(pem.encode())
                public: Any = certificate.public_key()
                extra["x5c"] = [base64.b64encode(certificate.public_bytes(Encoding.DER)).decode()]
            else:
                public = load_pem_public_key(pem.encode())
        except ValueError:
            continue
        if isinstance(public, rsa.RSAPublicKey):
            jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            try:
                jwk = ECAlgorithm.to_jwk(public, as_dict=True)
            except InvalidKeyError:
                continue
        elif isinstance(public, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            jwk = OKPAlgorithm.to_jwk(public, as_dict=True)
        else:
            continue
        assert isinstance(jwk, dict)
        jwk.pop("key_ops", None)
        keys.append({**jwk, "kid": kid, "use": "sig", **extra})
    return {"keys": keys}


class PyJWTSetWithTimestamp:
    """A PyJWKSet and when it was stored (``time.monotonic()``)."""

    def __init__(self, jwk_set: PyJWKSet) -> None:
        self.jwk_set = jwk_set
        self.timestamp = time.monotonic()

    def get_jwk_set(self) -> PyJWKSet:
        return self.jwk_set

    def get_timestamp(self) -> float:
        return self.timestamp
