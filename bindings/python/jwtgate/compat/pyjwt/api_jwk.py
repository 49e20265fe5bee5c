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


class PyJWTSetWithTimestamp:
    """A PyJWKSet and when it was stored (``time.monotonic()``)."""

    def __init__(self, jwk_set: PyJWKSet) -> None:
        self.jwk_set = jwk_set
        self.timestamp = time.monotonic()

    def get_jwk_set(self) -> PyJWKSet:
        return self.jwk_set

    def get_timestamp(self) -> float:
        return self.timestamp
