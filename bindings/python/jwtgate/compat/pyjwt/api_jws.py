"""PyJWT's ``PyJWS`` (``jwt.api_jws``): JSON Web Signatures over any content.

Decoding follows PyJWT step by step (so its errors and messages are PyJWT's):
the token is split and its header read, ``crit``, ``kid`` and ``b64`` are
checked, the algorithm is chosen and the key prepared by the algorithm
object. The signature is then checked by jwtgate over the whole token
(``jwtgate_verify_jws``): the library's parser (strict base64url, a header
without duplicate members, no ``none``, no embedded ``jwk``/``jku``/``x5u``/
``x5c``, ``crit`` and ``b64: false`` refused) and its key rules. A token
PyJWT accepts and jwtgate refuses raises the PyJWT exception closest to
jwtgate's reason (``DecodeError``, ``InvalidSignatureError``,
``InvalidKeyError``), with the :class:`jwtgate.Result` in ``.result``.
Algorithms registered by the caller (``register_algorithm``) verify with
their own ``verify()``.
"""

from __future__ import annotations

import binascii
import json
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Optional, Union

from jwtgate import Reason as _R
from jwtgate import _jwtgate

from . import _keys
from .algorithms import Algorithm, get_default_algorithms, has_crypto, jwtgate_alg, requires_cryptography
from .api_jwk import PyJWK
from .exceptions import (
    DecodeError,
    InvalidAlgorithmError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTokenError,
    PyJWTError,
)
from .utils import base64url_decode, base64url_encode
from .warnings import InsecureKeyLengthWarning, RemovedInPyjwt3Warning

if TYPE_CHECKING:
    import jwtgate

    from .types import SigOptions

__all__ = ["PyJWS", "encode", "decode", "decode_complete", "get_unverified_header", "register_algorithm",
           "unregister_algorithm", "get_algorithm_by_name"]

_ALGORITHM_UNSET: Any = object()
# Bumped by every register_algorithm/unregister_algorithm: PyJWT's cached
# fast paths are tied to the registry they were built under.
registry_generation = [0]
_BASE64URL_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SEGMENT_NAMES = {"header": "header", "payload": "payload", "signature": "crypto"}


def _common_error(f: Any) -> PyJWTError:
    """PyJWT's exception for a jwtgate failure a JWS and a JWT answer alike:
    the signature, the algorithm, a segment's JSON; DecodeError for any
    reason the caller does not map itself."""
    reason, detail = f.reason, f.detail
    if reason in (_R.SIGNATURE_INVALID, _R.SIGNATURE_MISSING):
        return InvalidSignatureError("Signature verification failed")
    if reason in (_R.ALG_NONE, _R.ALG_UNKNOWN, _R.ALG_NOT_ALLOWED, _R.ALG_MISSING):
        return InvalidAlgorithmError("The specified alg value is not allowed")
    if reason in (_R.BAD_JSON, _R.NOT_JSON_OBJECT, _R.DUPLICATE_MEMBER, _R.JSON_TOO_DEEP):
        return DecodeError(f"Invalid {'payload' if f.subject == 'payload' else 'header'} string: {detail}")
    return DecodeError(detail)


def jws_error(r: "jwtgate.Result", alg: str) -> PyJWTError:
    """The PyJWT exception for a plain-JWS check jwtgate refused."""
    f = r.failures[0]
    reason, detail = f.reason, f.detail
    exc: PyJWTError
    if reason in (_R.KEY_NOT_FOUND, _R.NO_KEYS):
        exc = InvalidKeyError(f"The key cannot verify {alg}: {detail}")
    elif reason == _R.BAD_BASE64URL:
        exc = DecodeError(f"Invalid {_SEGMENT_NAMES.get(f.subject, f.subject)} padding: {detail}")
    else:
        exc = _common_error(f)
    exc.result = r
    return exc


class PyJWS:
    """Signs and verifies JSON Web Signatures (RFC 7515, compact form)."""

    header_typ = "JWT"

    def __init__(self, algorithms: Optional[Sequence[str]] = None, options: Optional["SigOptions"] = None) -> None:
        self._algorithms = get_default_algorithms()
        self._valid_algs = set(algorithms) if algorithms is not None else set(self._algorithms)
        for key in list(self._algorithms.keys()):
            if key not in self._valid_algs:
                del self._algorithms[key]
        self.options: SigOptions = self._get_default_options()
        if options is not None:
            self.options = {**self.options, **options}

    @staticmethod
    def _get_default_options() -> "SigOptions":
        return {"verify_signature": True, "enforce_minimum_key_length": False}

    def register_algorithm(self, alg_id: str, alg_obj: Algorithm) -> None:
        """Register an Algorithm object under ``alg_id`` (it verifies with its own ``verify()``)."""
        if alg_id in self._algorithms:
            raise ValueError("Algorithm already has a handler.")
        if not isinstance(alg_obj, Algorithm):
            raise TypeError("Object is not of type `Algorithm`")
        self._algorithms[alg_id] = alg_obj
        self._valid_algs.add(alg_id)
        registry_generation[0] += 1

    def unregister_algorithm(self, alg_id: str) -> None:
        """Remove ``alg_id``; KeyError if it is not registered."""
        if alg_id not in self._algorithms:
            raise KeyError("The specified algorithm could not be removed because it is not registered.")
        del self._algorithms[alg_id]
        self._valid_algs.remove(alg_id)
        registry_generation[0] += 1

    def get_algorithms(self) -> list[str]:
        """The supported values of ``alg``."""
        return list(self._valid_algs)

    def get_algorithm_by_name(self, alg_name: str) -> Algorithm:
        """The Algorithm object registered under ``alg_name``."""
        try:
            return self._algorithms[alg_name]
        except KeyError as e:
            if not has_crypto and alg_name in requires_cryptography:
                raise NotImplementedError(
                    f"Algorithm '{alg_name}' could not be found. Do you have cryptography installed?") from e
            raise NotImplementedError("Algorithm not supported") from e

    def encode(self, payload: bytes, key: Any, algorithm: Optional[str] = _ALGORITHM_UNSET,
               headers: Optional[dict[str, Any]] = None, json_encoder: Optional[type[json.JSONEncoder]] = None,
               is_payload_detached: bool = False, sort_headers: bool = True) -> str:
        """Sign ``payload`` (bytes) into a compact JWS. HS* use the standard
        library; RS*, PS*, ES* and EdDSA need ``cryptography``."""
        if algorithm is _ALGORITHM_UNSET:
            algorithm_ = key.algorithm_name if isinstance(key, PyJWK) else "HS256"
        elif algorithm is None:
            algorithm_ = key.algorithm_name if isinstance(key, PyJWK) else "none"
        else:
            algorithm_ = algorithm
        if headers:
            headers_alg = headers.get("alg")
            if headers_alg:
                algorithm_ = headers["alg"]
            if headers.get("b64") is False:
                is_payload_detached = True
        header: dict[str, Any] = {"typ": self.header_typ, "alg": algorithm_}
        if headers:
            self._validate_headers(headers, encoding=True)
            header.update(headers)
        if not header["typ"]:
            del header["typ"]
        if is_payload_detached:
            header["b64"] = False
            existing_crit = header.get("crit", [])
            if not isinstance(existing_crit, list):
                raise InvalidTokenError("Invalid 'crit' header: must be a list")
            if "b64" not in existing_crit:
                header["crit"] = [*existing_crit, "b64"]
        elif "b64" in header:
            del header["b64"]
        json_header = json.dumps(header, separators=(",", ":"), cls=json_encoder, sort_keys=sort_headers).encode()
        segments = [base64url_encode(json_header), payload if is_payload_detached else base64url_encode(payload)]
        signing_input = b".".join(segments)
        alg_obj = self.get_algorithm_by_name(algorithm_)
        if isinstance(key, PyJWK):
            key = key.key
        key = alg_obj.prepare_key(key)
        key_length_msg = alg_obj.check_key_length(key)
        if key_length_msg:
            if self.options.get("enforce_minimum_key_length", False):
                raise InvalidKeyError(key_length_msg)
            warnings.warn(key_length_msg, InsecureKeyLengthWarning, stacklevel=2)
        segments.append(base64url_encode(alg_obj.sign(signing_input, key)))
        if is_payload_detached:
            segments[1] = b""
        return b".".join(segments).decode("utf-8")

    def decode_complete(self, jwt: Union[str, bytes], key: Any = "", algorithms: Optional[Sequence[str]] = None,
                        options: Optional["SigOptions"] = None, detached_payload: Optional[bytes] = None,
                        **kwargs: Any) -> dict[str, Any]:
        """Verify ``jwt`` and return ``{"payload": bytes, "header": dict, "signature": bytes}``."""
        if kwargs:
            warnings.warn("passing additional kwargs to decode_complete() is deprecated and will be removed in pyjwt "
                          f"version 3. Unsupported kwargs: {tuple(kwargs.keys())}", RemovedInPyjwt3Warning,
                          stacklevel=2)
        merged_options: SigOptions = self.options if options is None else {**self.options, **options}
        verify_signature = merged_options["verify_signature"]
        if verify_signature and not algorithms and not isinstance(key, PyJWK):
            raise DecodeError('It is required that you pass in a value for the "algorithms" argument when calling '
                              "decode().")
        payload, signing_input, header, signature = self._load(jwt)
        self._validate_headers(header)
        if detached_payload is not None and header.get("b64", True) is not False:
            raise DecodeError('It is only valid to pass "detached_payload" when the protected header has "b64" set '
                              "to false.")
        if header.get("b64", True) is False:
            crit = header.get("crit") or []
            if not isinstance(crit, list) or "b64" not in crit:
                raise InvalidTokenError("The 'b64' header parameter requires 'b64' to be listed in 'crit'.")
            if detached_payload is None:
                raise DecodeError('It is required that you pass in a value for the "detached_payload" argument to '
                                  "decode a message having the b64 header set to false.")
            payload = detached_payload
            signing_input = b".".join([signing_input.rsplit(b".", 1)[0], payload])
        if verify_signature:
            token = jwt.encode("utf-8") if isinstance(jwt, str) else jwt
            self._verify(token, signing_input, header, signature, key, algorithms, merged_options)
        return {"payload": payload, "header": header, "signature": signature}

    def decode(self, jwt: Union[str, bytes], key: Any = "", algorithms: Optional[Sequence[str]] = None,
               options: Optional["SigOptions"] = None, detached_payload: Optional[bytes] = None,
               **kwargs: Any) -> Any:
        """Verify ``jwt`` and return its payload bytes."""
        if kwargs:
            warnings.warn("passing additional kwargs to decode() is deprecated and will be removed in pyjwt version 3. "
                          f"Unsupported kwargs: {tuple(kwargs.keys())}", RemovedInPyjwt3Warning, stacklevel=2)
        return self.decode_complete(jwt, key, algorithms, options, detached_payload=detached_payload)["payload"]

    def get_unverified_header(self, jwt: Union[str, bytes]) -> dict[str, Any]:
        """The header, without verifying anything."""
        headers = self._load(jwt)[2]
        self._validate_headers(headers)
        return headers

    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        padding = 0
        stripped = segment
        while stripped.endswith(b"="):
            stripped = stripped[:-1]
            padding += 1
            if padding > 2:
                raise DecodeError(f"Invalid {name} padding")
        if padding and len(segment) % 4 != 0:
            raise DecodeError(f"Invalid {name} padding")
        if len(stripped) % 4 == 1 or any(c not in _BASE64URL_ALPHABET for c in stripped):
            raise DecodeError(f"Invalid {name} padding")
        try:
            decoded = base64url_decode(stripped)
        except (TypeError, binascii.Error) as err:
            raise DecodeError(f"Invalid {name} padding") from err
        if base64url_encode(decoded) != stripped:
            raise DecodeError(f"Invalid {name} padding")
        return decoded

    def _load(self, jwt: Union[str, bytes]) -> tuple[bytes, bytes, dict[str, Any], bytes]:
        if isinstance(jwt, str):
            jwt = jwt.encode("utf-8")
        if not isinstance(jwt, bytes):
            raise DecodeError(f"Invalid token type. Token must be a {bytes}")
        try:
            signing_input, crypto_segment = jwt.rsplit(b".", 1)
            header_segment, payload_segment = signing_input.split(b".", 1)
        except ValueError as err:
            raise DecodeError("Not enough segments") from err
        header_data = self._decode_base64url_segment(header_segment, "header")
        try:
            header: dict[str, Any] = json.loads(header_data)
        except (ValueError, RecursionError) as e:
            raise DecodeError(f"Invalid header string: {e}") from e
        if not isinstance(header, dict):
            raise DecodeError("Invalid header string: must be a json object")
        if header.get("b64", True) is False:
            if payload_segment:
                raise DecodeError("Payload segment must be empty when 'b64' is false.")
            payload = b""
        else:
            payload = self._decode_base64url_segment(payload_segment, "payload")
        signature = self._decode_base64url_segment(crypto_segment, "crypto")
        return payload, signing_input, header, signature

    def _choose(self, header: dict[str, Any], key: Any, algorithms: Optional[Sequence[str]]
                ) -> tuple[str, Algorithm, Any]:
        """PyJWT's algorithm choice and key preparation: (alg, algorithm object, prepared key)."""
        if algorithms is None and isinstance(key, PyJWK):
            algorithms = [key.algorithm_name]
        try:
            alg = header["alg"]
        except KeyError:
            raise InvalidAlgorithmError("Algorithm not specified") from None
        if not alg or (algorithms is not None and alg not in algorithms):
            raise InvalidAlgorithmError("The specified alg value is not allowed")
        if isinstance(key, PyJWK):
            if alg != key.algorithm_name:
                raise InvalidAlgorithmError(f"Token algorithm {alg!r} does not match the key's algorithm "
                                            f"{key.algorithm_name!r}")
            alg_obj = key.Algorithm
            prepared = alg_obj.prepare_key(key.key)
        else:
            try:
                alg_obj = self.get_algorithm_by_name(alg)
            except NotImplementedError as e:
                raise InvalidAlgorithmError("Algorithm not supported") from e
            prepared = alg_obj.prepare_key(key)
        return alg, alg_obj, prepared

    def _check_key_length(self, alg_obj: Algorithm, prepared: Any, options: Optional["SigOptions"]) -> None:
        effective = options if options is not None else self.options
        msg = alg_obj.check_key_length(prepared)
        if msg:
            if effective.get("enforce_minimum_key_length", False):
                raise InvalidKeyError(msg)
            warnings.warn(msg, InsecureKeyLengthWarning, stacklevel=5)

    def _verify(self, token: bytes, signing_input: bytes, header: dict[str, Any], signature: bytes, key: Any,
                algorithms: Optional[Sequence[str]], options: "SigOptions") -> None:
        """PyJWT's checks, then jwtgate's verification of the whole token (or,
        for a caller's own algorithm object or a detached payload, that
        object's verify())."""
        alg, alg_obj, prepared = self._choose(header, key, algorithms)
        self._check_key_length(alg_obj, prepared, options)
        name = jwtgate_alg(alg_obj)
        if name is None or header.get("b64", True) is False:
            # A caller's own algorithm object verifies itself. An RFC 7797
            # unencoded payload (b64 false, listed in crit, passed by the
            # caller as detached_payload, as PyJWT requires) is no compact
            # token jwtgate_verify_jws reads: its signing input is checked
            # by jwtgate_verify_signature through the algorithm object.
            if not alg_obj.verify(signing_input, prepared, signature):
                raise InvalidSignatureError("Signature verification failed")
            return
        if isinstance(key, PyJWK):
            pk = _keys.prepare(key._jwk_data)
            keyset, held = pk.keyset, pk.held_len
        else:
            keyset, held = _keys.verify_keyset(prepared)
        assert keyset is not None
        bits = _keys.min_hmac_bits(held, (name,)) if held else 0
        opts = _keys.jws_options(name, bits)
        r = _jwtgate.verify_jws(keyset._h, opts, token)
        if not r.valid:
            if r.reason == _R.KEY_NOT_FOUND and "kid" in header:
                # A token whose kid names none of the keys is key_not_found
                # to the library even when the other keys were tried. PyJWT
                # verifies with the caller's key whatever the kid: the
                # kid-free check (jwtgate_verify_signature) tells a signature
                # that does not verify from a key that cannot verify alg.
                plain = _jwtgate.verify_signature(keyset._h, opts, name, signing_input, signature)
                if not plain.valid:
                    exc = jws_error(plain, name)
                    exc.result = r
                    raise exc
            raise jws_error(r, name)

    def _verify_signature(self, signing_input: bytes, header: dict[str, Any], signature: bytes, key: Any = "",
                          algorithms: Optional[Sequence[str]] = None, options: Optional["SigOptions"] = None) -> None:
        """PyJWT's signature check of a signing input (the algorithm object's
        verify(), which is jwtgate's for the built-in algorithms)."""
        alg, alg_obj, prepared = self._choose(header, key, algorithms)
        self._check_key_length(alg_obj, prepared, options)
        if not alg_obj.verify(signing_input, prepared, signature):
            raise InvalidSignatureError("Signature verification failed")

    _supported_crit: set[str] = {"b64"}

    def _validate_headers(self, headers: dict[str, Any], *, encoding: bool = False) -> None:
        if "kid" in headers:
            self._validate_kid(headers["kid"])
        if not encoding and "crit" in headers:
            self._validate_crit(headers)

    def _validate_kid(self, kid: Any) -> None:
        if not isinstance(kid, str):
            raise InvalidTokenError("Key ID header parameter must be a string")

    def _validate_crit(self, headers: dict[str, Any]) -> None:
        crit = headers["crit"]
        if not isinstance(crit, list) or len(crit) == 0:
            raise InvalidTokenError("Invalid 'crit' header: must be a non-empty list")
        for ext in crit:
            if not isinstance(ext, str):
                raise InvalidTokenError("Invalid 'crit' header: values must be strings")
            if ext not in self._supported_crit:
                raise InvalidTokenError(f"Unsupported critical extension: {ext}")
            if ext not in headers:
                raise InvalidTokenError(f"Critical extension '{ext}' is missing from headers")


_jws_global_obj = PyJWS()
encode = _jws_global_obj.encode
decode_complete = _jws_global_obj.decode_complete
decode = _jws_global_obj.decode
register_algorithm = _jws_global_obj.register_algorithm
unregister_algorithm = _jws_global_obj.unregister_algorithm
get_algorithm_by_name = _jws_global_obj.get_algorithm_by_name
get_unverified_header = _jws_global_obj.get_unverified_header
