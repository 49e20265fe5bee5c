"""PyJWT's ``PyJWT`` (``jwt.api_jwt``): JSON Web Tokens, with jwtgate deciding.

``decode``/``decode_complete`` run in one of two ways, with one outcome:

* The common call (signature verified, built-in algorithms, PyJWT's own
  payload decoding and claim rules, no detached payload) is one jwtgate
  validation: a policy is made of ``algorithms``/``audience``/``issuer``/
  ``subject``/``leeway``/``options`` (and cached with the compiled
  validator), the library parses, verifies and checks the claims, and the
  claims dict is built in C++. PyJWT's rules that a policy cannot hold (an
  ``aud`` list with non-string members, ``sub``/``jti`` types, no audience
  expected, non-integer time claims or leeway, odd argument types) are then
  checked in Python exactly as PyJWT checks them, so a token passes only if
  both accept it.
* Anything else, and every token jwtgate refuses, goes PyJWT's way: PyJWS
  (whose signature check is jwtgate's, see api_jws), ``_decode_payload`` and
  ``_validate_claims``. A token jwtgate refused raises PyJWT's exception for
  it when PyJWT's rules refuse it too; when only jwtgate refuses it (a claim
  type jwtgate is stricter about is not one of them: PyJWT's reading of the
  claims it owns decides), the exception closest to jwtgate's reason.

Every exception carries the :class:`jwtgate.Result` in ``.result`` when
jwtgate validated the token (``result.explain()`` is the library's diagnosis).
"""

from __future__ import annotations

import binascii
import json
import math
import threading
import time
import warnings
from calendar import timegm
from collections.abc import Container, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Optional, Union

import jwtgate as _jg
from jwtgate import Reason as _R

from . import _keys
from .algorithms import jwtgate_alg
from .api_jwk import PyJWK
from .api_jws import _ALGORITHM_UNSET, PyJWS, _common_error, _jws_global_obj, registry_generation
from .exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidKeyError,
    InvalidSubjectError,
    MissingRequiredClaimError,
    PyJWTError,
)
from .utils import base64url_decode
from .warnings import RemovedInPyjwt3Warning

if TYPE_CHECKING:
    from .types import FullOptions, Options, SigOptions

__all__ = ["PyJWT", "encode", "decode", "decode_complete"]

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

# The methods the fast path stands in for: a subclass overriding any of them
# is served PyJWT's way.
_PYJWT_HOOKS = ("_decode_payload", "_validate_claims", "_validate_required_claims", "_validate_sub", "_validate_jti",
                "_validate_iat", "_validate_nbf", "_validate_exp", "_validate_aud", "_validate_iss")
_PYJWS_HOOKS = ("_load", "_verify", "_choose", "_validate_headers", "_validate_kid", "_validate_crit",
                "get_algorithm_by_name")
_fast_classes: dict[tuple[type, type], bool] = {}


class PyJWT:
    """Encodes and decodes JSON Web Tokens (RFC 7519)."""

    def __init__(self, options: Optional["Options"] = None) -> None:
        self.options: FullOptions = self._get_default_options()
        if options is not None:
            self.options = self._merge_options(options)
        self._jws = PyJWS(options=self._get_sig_options())
        # (key, algorithms, audience, issuer) -> (key, validator) for the
        # common call (see decode()).
        self._hot: dict[Any, tuple[Any, _jg.Validator, int]] = {}

    @staticmethod
    def _get_default_options() -> "FullOptions":
        return {**_DEFAULT_OPTIONS, "require": []}  # type: ignore[typeddict-item]

    def _get_sig_options(self) -> "SigOptions":
        return {"verify_signature": self.options["verify_signature"],
                "enforce_minimum_key_length": self.options.get("enforce_minimum_key_length", False)}

    def _merge_options(self, options: Optional["Options"] = None) -> "FullOptions":
        if options is None:
            return self.options
        merged: dict[str, Any] = dict(options)
        if not merged.get("verify_signature", True):
            for k in ("verify_exp", "verify_nbf", "verify_iat", "verify_aud", "verify_iss", "verify_sub",
                      "verify_jti"):
                merged[k] = merged.get(k, False)
        return {**self.options, **merged}  # type: ignore[typeddict-item]

    # ------------------------------------------------------------ encode

    def encode(self, payload: dict[str, Any], key: Any, algorithm: Optional[str] = _ALGORITHM_UNSET,
               headers: Optional[dict[str, Any]] = None, json_encoder: Optional[type[json.JSONEncoder]] = None,
               sort_headers: bool = True) -> str:
        """Sign ``payload`` as a JWT. ``exp``/``iat``/``nbf`` datetimes become
        NumericDates; HS* sign with the standard library, the others need
        ``cryptography``."""
        if not isinstance(payload, dict):
            raise TypeError("Expecting a dict object, as JWT only supports JSON objects as payloads.")
        payload = payload.copy()
        for time_claim in ("exp", "iat", "nbf"):
            if isinstance(payload.get(time_claim), datetime):
                payload[time_claim] = timegm(payload[time_claim].utctimetuple())
        if "iss" in payload and not isinstance(payload["iss"], str):
            raise TypeError("Issuer (iss) must be a string.")
        json_payload = self._encode_payload(payload, headers=headers, json_encoder=json_encoder)
        return self._jws.encode(json_payload, key, algorithm, headers, json_encoder, sort_headers=sort_headers)

    def _encode_payload(self, payload: dict[str, Any], headers: Optional[dict[str, Any]] = None,
                        json_encoder: Optional[type[json.JSONEncoder]] = None) -> bytes:
        return json.dumps(payload, separators=(",", ":"), cls=json_encoder).encode("utf-8")

    # ------------------------------------------------------------ decode

    def decode_complete(self, jwt: Union[str, bytes], key: Any = "", algorithms: Optional[Sequence[str]] = None,
                        options: Optional["Options"] = None, verify: Optional[bool] = None,
                        detached_payload: Optional[bytes] = None,
                        audience: Union[str, Iterable[str], None] = None,
                        issuer: Union[str, Container[str], None] = None, subject: Optional[str] = None,
                        leeway: Union[float, timedelta] = 0, **kwargs: Any) -> dict[str, Any]:
        """Verify ``jwt`` and return ``{"header", "payload", "signature"}``."""
        if kwargs:
            warnings.warn("passing additional kwargs to decode_complete() is deprecated and will be removed in pyjwt "
                          f"version 3. Unsupported kwargs: {tuple(kwargs.keys())}", RemovedInPyjwt3Warning,
                          stacklevel=2)
        decoded: dict[str, Any] = self._decode(jwt, key, algorithms, options, verify, detached_payload, audience,
                                               issuer, subject, leeway, True)
        return decoded

    def decode(self, jwt: Union[str, bytes], key: Any = "", algorithms: Optional[Sequence[str]] = None,
               options: Optional["Options"] = None, verify: Optional[bool] = None,
               detached_payload: Optional[bytes] = None, audience: Union[str, Iterable[str], None] = None,
               subject: Optional[str] = None, issuer: Union[str, Container[str], None] = None,
               leeway: Union[float, timedelta] = 0, **kwargs: Any) -> dict[str, Any]:
        """Verify ``jwt`` and return its claims."""
        # The common call, straight to its cached validator: default options,
        # a str or bytes token, a list of algorithms, audience and issuer
        # each None or a string (decode_complete's full path below builds the
        # entry, and _validator_for decides it may be used this way).
        if (options is None and verify is None and detached_payload is None and subject is None and leeway == 0
                and not kwargs and type(algorithms) is list and (type(jwt) is str or type(jwt) is bytes)
                and (audience is None or type(audience) is str) and (issuer is None or type(issuer) is str)):
            text_key = type(key) is str or type(key) is bytes
            hot_key = (key if text_key else id(key), tuple(algorithms), audience, issuer)
            hot = self._hot.get(hot_key)
            if (hot is not None and (text_key or hot[0] is key) and hot[2] == registry_generation[0]
                    and self.options == _DEFAULT_OPTIONS):
                out = hot[1]._decode(jwt, int(time.time()))
                if type(out) is dict:
                    try:
                        _simple_claim_checks(out, audience)
                        return out
                    except PyJWTError:
                        pass  # the full path below raises it, with the Result
            elif self.options == _DEFAULT_OPTIONS and self._fast_class():
                generation = registry_generation[0]
                entry = self._validator_for(key, algorithms, self.options, audience, issuer, None, 0)
                if entry is not None and entry[1]:
                    if len(self._hot) >= _FAST_CACHE_SIZE:
                        self._hot.clear()
                    self._hot[hot_key] = (key, entry[0], generation)
        if kwargs:
            warnings.warn("passing additional kwargs to decode() is deprecated and will be removed in pyjwt version 3. "
                          f"Unsupported kwargs: {tuple(kwargs.keys())}", RemovedInPyjwt3Warning, stacklevel=2)
        payload: dict[str, Any] = self._decode(jwt, key, algorithms, options, verify, detached_payload, audience,
                                               issuer, subject, leeway, False)
        return payload

    def _decode(self, jwt: Any, key: Any, algorithms: Any, options: Any, verify: Any, detached_payload: Any,
                audience: Any, issuer: Any, subject: Any, leeway: Any, complete: bool) -> Any:
        verify_signature = True if options is None else options.get("verify_signature", True)
        if verify is not None and verify != verify_signature:
            warnings.warn("The `verify` argument to `decode` does nothing in PyJWT 2.0 and newer. The equivalent is "
                          "setting `verify_signature` to False in the `options` dictionary. This invocation has a "
                          "mismatch between the kwarg and the option entry.", category=DeprecationWarning,
                          stacklevel=3)
        merged = self._merge_options(options)
        # A one-shot iterator is read once, for both jwtgate and PyJWT's rules.
        if isinstance(audience, Iterator):
            audience = list(audience)
        if isinstance(issuer, Iterator):
            issuer = list(issuer)
        if verify_signature and detached_payload is None and self._fast_class():
            return self._fast(jwt, key, algorithms, merged, audience, issuer, subject, leeway, complete)
        decoded = self._pyjwt_decode(jwt, key, algorithms, merged, verify_signature, detached_payload, audience,
                                     issuer, subject, leeway)
        return decoded if complete else decoded["payload"]

    def _pyjwt_decode(self, jwt: Any, key: Any, algorithms: Any, merged: Any, verify_signature: bool,
                      detached_payload: Any, audience: Any, issuer: Any, subject: Any, leeway: Any) -> dict[str, Any]:
        """PyJWT's decode_complete: PyJWS, _decode_payload, _validate_claims."""
        sig_options: SigOptions = {"verify_signature": verify_signature,
                                   "enforce_minimum_key_length": merged.get("enforce_minimum_key_length", False)}
        decoded = self._jws.decode_complete(jwt, key=key, algorithms=algorithms, options=sig_options,
                                            detached_payload=detached_payload)
        payload = self._decode_payload(decoded)
        self._validate_claims(payload, merged, audience=audience, issuer=issuer, leeway=leeway, subject=subject)
        decoded["payload"] = payload
        return decoded

    def _decode_payload(self, decoded: dict[str, Any]) -> dict[str, Any]:
        """The claims of a decoded JWS (override to decompress, as in PyJWT)."""
        try:
            payload: dict[str, Any] = json.loads(decoded["payload"])
        except (ValueError, RecursionError) as e:
            raise DecodeError(f"Invalid payload string: {e}") from e
        if not isinstance(payload, dict):
            raise DecodeError("Invalid payload string: must be a json object")
        return payload

    # ------------------------------------------------------------ the jwtgate path

    def _fast_class(self) -> bool:
        kinds = (type(self), type(self._jws))
        ok = _fast_classes.get(kinds)
        if ok is None:
            ok = (all(getattr(kinds[0], m) is getattr(PyJWT, m) for m in _PYJWT_HOOKS)
                  and all(getattr(kinds[1], m) is getattr(PyJWS, m) for m in _PYJWS_HOOKS))
            _fast_classes[kinds] = ok
        return ok

    def _fast(self, jwt: Any, key: Any, algorithms: Any, o: Any, audience: Any, issuer: Any, subject: Any,
              leeway: Any, complete: bool) -> Any:
        entry = self._validator_for(key, algorithms, o, audience, issuer, subject, leeway)
        if entry is None:
            decoded = self._pyjwt_decode(jwt, key, algorithms, o, True, None, audience, issuer, subject, leeway)
            # PyJWT's way accepted it (its signature checked by jwtgate); the
            # library's own claim rules still apply wherever a policy can be
            # made of the arguments (a short HMAC secret's call, say).
            v = self._build_validator(key, algorithms, o, audience, issuer, subject, leeway, allow_short=True)
            if v is not None:
                r = v.validate(jwt, now=int(time.time()))
                if not r.valid:
                    _raise_jwtgate_only(r, decoded["payload"])
            return decoded if complete else decoded["payload"]
        validator, simple = entry
        if not isinstance(jwt, (str, bytes)):
            raise DecodeError(f"Invalid token type. Token must be a {bytes}")
        now = int(time.time())
        if not complete:
            out = validator._decode(jwt, now)
            if not isinstance(out, dict):
                return self._refused(out, jwt, key, algorithms, o, audience, issuer, subject, leeway, complete)
            payload = out
        else:
            r = validator.validate(jwt, now=now)
            if not r.valid:
                return self._refused(r, jwt, key, algorithms, o, audience, issuer, subject, leeway, complete)
            payload = r.claims
        # jwtgate accepted the token; PyJWT's rules it cannot hold, as PyJWT.
        try:
            if simple:
                _simple_claim_checks(payload, audience)
            else:
                self._validate_claims(payload, o, audience=audience, issuer=issuer, leeway=leeway, subject=subject)
        except PyJWTError as e:
            if e.result is None:
                e.result = validator.validate(jwt, now=now)
            raise
        if not complete:
            return payload
        return {"header": r.header, "payload": payload, "signature": _signature_bytes(jwt)}

    def _refused(self, r: "_jg.Result", jwt: Any, key: Any, algorithms: Any, o: Any, audience: Any, issuer: Any,
                 subject: Any, leeway: Any, complete: bool) -> Any:
        """jwtgate refused the token: PyJWT's way decides the exception where
        PyJWT refuses it too; otherwise jwtgate's remaining reason does."""
        try:
            decoded = self._pyjwt_decode(jwt, key, algorithms, o, True, None, audience, issuer, subject, leeway)
        except PyJWTError as e:
            if e.result is None:
                e.result = r
            raise
        _raise_jwtgate_only(r, decoded["payload"])
        return decoded if complete else decoded["payload"]

    def _validator_for(self, key: Any, algorithms: Any, o: Any, audience: Any, issuer: Any, subject: Any,
                       leeway: Any) -> Optional[tuple["_jg.Validator", bool]]:
        """The cached jwtgate validator for these arguments and whether PyJWT's
        remaining rules reduce to _simple_claim_checks; None when the call
        must go PyJWT's way (an algorithm or key jwtgate does not take as
        given, a short HMAC secret PyJWT would warn about)."""
        simple = (o is self.options and self.options == _DEFAULT_OPTIONS and type(leeway) is int and leeway == 0
                  and subject is None and (audience is None or (type(audience) is str and audience != ""))
                  and (issuer is None or (type(issuer) is str and issuer != "")))
        ck = _cache_key(key, algorithms, o, audience, issuer, subject, leeway, simple)
        if ck is not None:
            hit = _fast_cache.get(ck)
            # Keys cached by identity must still be the same object.
            if hit is not None and (hit[0] is key or ck[0][0] != "id"):
                return hit[1], simple
        built = self._build_validator(key, algorithms, o, audience, issuer, subject, leeway)
        if built is None:
            return None
        if ck is not None:
            with _fast_lock:
                if len(_fast_cache) >= _FAST_CACHE_SIZE:
                    _fast_cache.clear()
                _fast_cache[ck] = (key, built)
        return built, simple

    def _build_validator(self, key: Any, algorithms: Any, o: Any, audience: Any, issuer: Any, subject: Any,
                         leeway: Any, allow_short: bool = False) -> Optional["_jg.Validator"]:
        if isinstance(key, PyJWK):
            if algorithms is None:
                algorithms = [key.algorithm_name]
        elif not algorithms:
            raise DecodeError('It is required that you pass in a value for the "algorithms" argument when calling '
                              "decode().")
        if isinstance(algorithms, str) or not all(isinstance(a, str) for a in algorithms):
            return None
        algs = set()
        for a in algorithms:
            obj = self._jws._algorithms.get(a)
            if obj is None:
                continue  # PyJWT refuses such a token ("Algorithm not supported")
            if jwtgate_alg(obj) != a:
                return None  # "none", an alias, or a caller's own algorithm
            algs.add(a)
        if isinstance(key, PyJWK):
            algs &= {key.algorithm_name}
        if not algs:
            return None
        try:
            pk = _keys.prepare(key)
        except PyJWTError:
            return None  # PyJWT's key preparation says why, in PyJWT's words
        if pk.kind == "none":
            return None
        if not allow_short and pk.kind == "oct" and pk.secret_len < max(_keys.HASH_BYTES.get(a, 0) for a in algs):
            return None  # PyJWT warns (or refuses) per token; its way does both
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        if isinstance(leeway, bool) or not isinstance(leeway, (int, float)) or not math.isfinite(leeway):
            return None
        skew = max(0, min(int(math.ceil(leeway)), 86400))
        require = o["require"] if isinstance(o["require"], (list, tuple)) else []
        return _validator(pk, tuple(sorted(algs)), _matchable(audience) if o["verify_aud"] else (),
                          _matchable(issuer) if o["verify_iss"] else (), skew,
                          tuple(sorted({c for c in require if isinstance(c, str) and c})),
                          subject if o["verify_sub"] and isinstance(subject, str) and subject else None, o)

    # ------------------------------------------------------------ PyJWT's claim rules

    def _validate_claims(self, payload: dict[str, Any], options: "FullOptions",
                         audience: Union[Iterable[str], str, None] = None,
                         issuer: Union[Container[str], str, None] = None, subject: Optional[str] = None,
                         leeway: Union[float, timedelta] = 0) -> None:
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        if audience is not None and not isinstance(audience, (str, Iterable)):
            raise TypeError("audience must be a string, iterable or None")
        self._validate_required_claims(payload, options["require"])
        now = time.time()
        if "iat" in payload and options["verify_iat"]:
            self._validate_iat(payload, now, leeway)
        if "nbf" in payload and options["verify_nbf"]:
            self._validate_nbf(payload, now, leeway)
        if "exp" in payload and options["verify_exp"]:
            self._validate_exp(payload, now, leeway)
        if options["verify_iss"]:
            self._validate_iss(payload, issuer)
        if options["verify_aud"]:
            self._validate_aud(payload, audience, strict=options.get("strict_aud", False))
        if options["verify_sub"]:
            self._validate_sub(payload, subject)
        if options["verify_jti"]:
            self._validate_jti(payload)

    def _validate_required_claims(self, payload: dict[str, Any], claims: Iterable[str]) -> None:
        for claim in claims:
            if payload.get(claim) is None:
                raise MissingRequiredClaimError(claim)

    def _validate_sub(self, payload: dict[str, Any], subject: Optional[str] = None) -> None:
        if "sub" not in payload:
            return
        if not isinstance(payload["sub"], str):
            raise InvalidSubjectError("Subject must be a string")
        if subject is not None and payload.get("sub") != subject:
            raise InvalidSubjectError("Invalid subject")

    def _validate_jti(self, payload: dict[str, Any]) -> None:
        if "jti" not in payload:
            return
        if not isinstance(payload.get("jti"), str):
            raise InvalidJTIError("JWT ID must be a string")

    def _validate_iat(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        try:
            iat = int(payload["iat"])
        except (ValueError, TypeError, OverflowError):
            raise InvalidIssuedAtError("Issued At claim (iat) must be an integer.") from None
        if iat > (now + leeway):
            raise ImmatureSignatureError("The token is not yet valid (iat)")

    def _validate_nbf(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        try:
            nbf = int(payload["nbf"])
        except (ValueError, TypeError, OverflowError):
            raise DecodeError("Not Before claim (nbf) must be an integer.") from None
        if nbf > (now + leeway):
            raise ImmatureSignatureError("The token is not yet valid (nbf)")

    def _validate_exp(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        try:
            exp = int(payload["exp"])
        except (ValueError, TypeError, OverflowError):
            raise DecodeError("Expiration Time claim (exp) must be an integer.") from None
        if exp <= (now - leeway):
            raise ExpiredSignatureError("Signature has expired")

    def _validate_aud(self, payload: dict[str, Any], audience: Union[str, Iterable[str], None], *,
                      strict: bool = False) -> None:
        if audience is None:
            if "aud" not in payload or not payload["aud"]:
                return
            raise InvalidAudienceError("Invalid audience")
        if "aud" not in payload or not payload["aud"]:
            raise MissingRequiredClaimError("aud")
        audience_claims = payload["aud"]
        if strict:
            if not isinstance(audience, str):
                raise InvalidAudienceError("Invalid audience (strict)")
            if not isinstance(audience_claims, str):
                raise InvalidAudienceError("Invalid claim format in token (strict)")
            if audience != audience_claims:
                raise InvalidAudienceError("Audience doesn't match (strict)")
            return
        if isinstance(audience_claims, str):
            audience_claims = [audience_claims]
        if not isinstance(audience_claims, list):
            raise InvalidAudienceError("Invalid claim format in token")
        if any(not isinstance(c, str) for c in audience_claims):
            raise InvalidAudienceError("Invalid claim format in token")
        if isinstance(audience, str):
            audience = [audience]
        if all(aud not in audience_claims for aud in audience):
            raise InvalidAudienceError("Audience doesn't match")

    def _validate_iss(self, payload: dict[str, Any], issuer: Union[Container[str], str, None]) -> None:
        if issuer is None:
            return
        if "iss" not in payload:
            raise MissingRequiredClaimError("iss")
        iss = payload["iss"]
        if not isinstance(iss, str):
            raise InvalidIssuerError("Payload Issuer (iss) must be a string")
        if isinstance(issuer, str):
            if iss != issuer:
                raise InvalidIssuerError("Invalid issuer")
        else:
            try:
                if iss not in issuer:
                    raise InvalidIssuerError("Invalid issuer")
            except TypeError:
                raise InvalidIssuerError('Issuer param must be "str" or "Container[str]"') from None


# ---------------------------------------------------------------- helpers


def _simple_claim_checks(payload: dict[str, Any], audience: Optional[str]) -> None:
    """PyJWT's rules a jwtgate policy cannot hold, for the common call
    (default options, no leeway or subject, audience and issuer None or a
    string): jwtgate has checked signature, exp/nbf/iat, iss and aud."""
    get = payload.get
    aud = get("aud")
    if audience is None:
        if aud:  # PyJWT: an aud claim when no audience is expected
            raise InvalidAudienceError("Invalid audience")
    elif type(aud) is not str and (type(aud) is not list or any(type(a) is not str for a in aud)):
        raise InvalidAudienceError("Invalid claim format in token")
    # A NumericDate that is not an int (a float jwtgate accepted): PyJWT's
    # own check, which truncates it.
    if "exp" in payload and type(payload["exp"]) is not int:
        _pyjwt_time(payload, "exp")
    if "nbf" in payload and type(payload["nbf"]) is not int:
        _pyjwt_time(payload, "nbf")
    if "iat" in payload and type(payload["iat"]) is not int:
        _pyjwt_time(payload, "iat")
    if "sub" in payload and type(payload["sub"]) is not str:
        raise InvalidSubjectError("Subject must be a string")
    if "jti" in payload and type(payload["jti"]) is not str:
        raise InvalidJTIError("JWT ID must be a string")


def _pyjwt_time(payload: dict[str, Any], name: str) -> None:
    getattr(_jwt_global_obj, f"_validate_{name}")(payload, time.time(), 0)


def _signature_bytes(jwt: Union[str, bytes]) -> bytes:
    text = jwt.encode("utf-8") if isinstance(jwt, str) else jwt
    try:
        return base64url_decode(text.rsplit(b".", 1)[-1])
    except (binascii.Error, ValueError):
        raise DecodeError("Invalid crypto padding") from None


def _matchable(v: Any) -> tuple[str, ...]:
    """The values of an ``audience``/``issuer`` argument a jwtgate policy can
    hold: its non-empty strings. An empty result means no list at all:
    jwtgate's check is then off, and PyJWT's own check (always run on such
    arguments) refuses what PyJWT refuses."""
    if isinstance(v, str):
        return (v,) if v else ()
    if isinstance(v, (list, tuple, set, frozenset, dict)):
        return tuple(sorted({i for i in v if isinstance(i, str) and i}))
    return ()


_FAST_CACHE_SIZE = 256
_fast_lock = threading.Lock()
_fast_cache: dict[Any, tuple[Any, "_jg.Validator"]] = {}


def _hashable(v: Any) -> Any:
    if v is None or isinstance(v, (str, bytes, int, float)):
        return v
    if isinstance(v, (list, tuple)):
        return tuple(_hashable(i) for i in v)
    if isinstance(v, (set, frozenset)):
        return ("set",) + tuple(sorted(repr(i) for i in v))
    if isinstance(v, dict):
        return ("dict",) + tuple(sorted((repr(k), _hashable(x)) for k, x in v.items()))
    if isinstance(v, timedelta):
        return ("td", v.total_seconds())
    raise TypeError


def _cache_key(key: Any, algorithms: Any, o: Any, audience: Any, issuer: Any, subject: Any, leeway: Any,
               simple: bool) -> Any:
    """The fast cache's key for these arguments, or None (not cached)."""
    try:
        if type(key) is str or type(key) is bytes:
            k: Any = ("text", key)
        elif isinstance(key, dict):
            k = ("jwk", json.dumps(key, sort_keys=True, default=str))
        else:
            k = ("id", type(key), id(key))
        opts = "default" if simple else _hashable(o)
        return (k, _hashable(algorithms), opts, _hashable(audience), _hashable(issuer), subject,
                _hashable(leeway))
    except TypeError:
        return None


_validator_lock = threading.Lock()
_validators: dict[Any, "_jg.Validator"] = {}
_VALIDATOR_CACHE_SIZE = 128


def _validator(pk: _keys.PreparedKey, algs: tuple[str, ...], audience: tuple[str, ...], issuer: tuple[str, ...],
               skew: int, require: tuple[str, ...], subject: Optional[str], o: Any) -> "_jg.Validator":
    """The jwtgate validator for a policy made of PyJWT's arguments."""
    check_iat = bool(o["verify_iat"])
    cache_key = (pk.identity, algs, audience, issuer, skew, require, subject, check_iat)
    v = _validators.get(cache_key)
    if v is not None:
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
    if pk.kind == "oct":
        bits = _keys.min_hmac_bits(pk.held_len, algs)
        if bits:
            ext["min-hmac-bits"] = bits
    body["jwtgate"] = ext
    v = _jg.Validator(_jg.Policy.from_json({"validate-jwt": body}), pk.keyset)
    with _validator_lock:
        if len(_validators) >= _VALIDATOR_CACHE_SIZE:
            _validators.clear()
        _validators[cache_key] = v
    return v


# jwtgate's claim checks whose meaning PyJWT's own rules decide when they
# accepted the token: the values of these claims are PyJWT's to read (a
# NumericDate given as "1638202770" is one to PyJWT).
_PYJWT_OWNED = frozenset([_R.TIME_CLAIM_INVALID, _R.EXPIRED, _R.NOT_YET_VALID, _R.IAT_IN_FUTURE, _R.EXP_MISSING,
                          _R.CLAIM_NOT_FOUND, _R.AUDIENCE_NOT_ALLOWED, _R.CLAIM_VALUE_NOT_ALLOWED])


def _raise_jwtgate_only(r: "_jg.Result", payload: dict[str, Any]) -> None:
    """After PyJWT's way accepted a token jwtgate refused: raise for the first
    failure PyJWT's rules do not decide (None of them: return)."""
    for f in r.failures:
        if not _owned_by_pyjwt(f, payload):
            raise _exception(f, r)


def _owned_by_pyjwt(f: Any, payload: dict[str, Any]) -> bool:
    if f.reason in _PYJWT_OWNED:
        return True
    # The issuer check is PyJWT's; a key bound to an issuer (a JWK "issuer"
    # member, Entra's multi-tenant keys) is jwtgate's alone.
    return f.reason == _R.ISSUER_NOT_ALLOWED and "bound to issuer" not in f.detail


def _exception(f: Any, r: "_jg.Result") -> PyJWTError:
    """The PyJWT exception for a jwtgate failure PyJWT's rules did not see."""
    reason, detail = f.reason, f.detail
    exc: PyJWTError
    if reason in (_R.KEY_NOT_FOUND, _R.NO_KEYS, _R.KEYS_UNAVAILABLE):
        exc = InvalidKeyError(f"The key cannot verify this token: {detail}")
    elif reason == _R.ISSUER_NOT_ALLOWED:
        exc = InvalidIssuerError(detail)
    elif reason == _R.CLAIM_TYPE_INVALID:
        # A registered claim of the wrong type, which jwtgate refuses whatever
        # the options compare (RFC 7519 4.1): PyJWT's exception for that claim.
        if f.subject == "iss":
            exc = InvalidIssuerError("Payload Issuer (iss) must be a string")
        elif f.subject == "aud":
            exc = InvalidAudienceError("Invalid claim format in token")
        elif f.subject == "sub":
            exc = InvalidSubjectError("Subject must be a string")
        else:
            exc = InvalidJTIError("JWT ID must be a string")
    else:
        exc = _common_error(f)
    exc.result = r
    return exc


_jwt_global_obj = PyJWT()
_jwt_global_obj._jws = _jws_global_obj
encode = _jwt_global_obj.encode
decode_complete = _jwt_global_obj.decode_complete
decode = _jwt_global_obj.decode
