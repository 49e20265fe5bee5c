"""jwtgate: validate JSON Web Tokens with Azure API Management's policy rules.

The same validator native gateways link (libjwtgate, through its stable C
API), with a Pythonic face::

    import jwtgate

    policy = jwtgate.Policy.from_xml(open("policy.xml").read(),
                                     named_values={"tenant": "..."})
    keys = jwtgate.KeySet.from_jwks(open("jwks.json").read())
    validator = jwtgate.Validator(policy, keys)      # share it between threads

    result = validator.validate(headers={"Authorization": "Bearer " + token})
    if result:
        print(result.claims["sub"])
    else:
        print(result.status, result.reason, result.message)
        print(result.explain())

    claims = validator.require(token).claims          # or raise InvalidTokenError

``import jwtgate.compat.pyjwt as jwt`` is a drop-in for PyJWT verification code.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as _dt
import functools
import json
import os
import urllib.request
from typing import Any, Callable, Iterable, Mapping, Optional, Union

from . import _jwtgate
from ._jwtgate import Result
from ._types import Failure, Issue, Reason
from . import exceptions as _exceptions
from .exceptions import *  # noqa: F403 - the names of exceptions.__all__, exported below too
from .exceptions import JwtgateError, KeySetError, PolicyError, exception_for  # used here

__all__ = [
    "__version__",
    "Policy",
    "KeySet",
    "Validator",
    "Result",
    "Reason",
    "Failure",
    "Issue",
    "decode_unverified",
    "key_text_form",
    "fetch_documents",
    "KeyFetchError",
]
# Every exception class (exception_for, the mapping from a result to its
# exception, is a function of jwtgate.exceptions alone).
__all__ += [name for name in _exceptions.__all__ if name != "exception_for"]

#: The version of the linked jwtgate library (meson.build's project version).
__version__: str = _jwtgate.version_string()

Text = Union[str, bytes]
Json = Union[str, bytes, Mapping[str, Any]]
PathLike = Union[str, "os.PathLike[str]"]
Now = Union[None, int, float, _dt.datetime]
Pairs = Union[Mapping[str, Any], Iterable[tuple[str, Any]]]

# jwtgate_key_format
_KEY_AUTO, _KEY_JWKS, _KEY_JWK, _KEY_PEM, _KEY_DER_SPKI, _KEY_DER_CERT, _KEY_SYMMETRIC_BASE64, _KEY_PEM_MAP = range(8)
_OK = 0


def _issues(raw: Iterable[tuple[str, int, int, str, bool]]) -> tuple[Issue, ...]:
    return tuple(Issue(*i) for i in raw)


def _json_text(data: Json, what: str) -> Text:
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, Mapping):
        return json.dumps(data)
    raise TypeError(f"{what} must be str, bytes or a mapping, not {type(data).__name__}")


def _text(data: Any, what: str) -> Text:
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{what} must be str or bytes, not {type(data).__name__}")


def _str_pairs(m: Optional[Mapping[str, str]], what: str) -> list[tuple[str, str]]:
    if m is None:
        return []
    if not isinstance(m, Mapping):
        raise TypeError(f"{what} must be a mapping of str to str, not {type(m).__name__}")
    out = []
    for k, v in m.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError(f"{what} must map str to str; got {type(k).__name__} -> {type(v).__name__}")
        out.append((k, v))
    return out


def _is_key_map(doc: Mapping[str, Any]) -> bool:
    """A key map (kid -> PEM certificate, Google's and Firebase's form), not a
    discovery document: every value a string, PEM among them (the library's
    rule, keys/key_parsers.cpp)."""
    return (all(isinstance(v, str) for v in doc.values())
            and any("-----BEGIN" in v for v in doc.values()) and "keys" not in doc and "kty" not in doc)


def _first_char(text: Text) -> str:
    s = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return s.lstrip("\ufeff \t\r\n")[:1]


class Policy:
    """A loaded, immutable APIM policy: ``<validate-jwt>``, ``<validate-azure-ad-token>``,
    a ``<policies>`` document, or jwtgate's JSON form.

    Build one with :meth:`from_xml`, :meth:`from_json`, :meth:`from_file` or
    :meth:`load`. The load options are the same everywhere:

    ``named_values``
        ``{name: value}`` for ``{{name}}`` references.
    ``expressions``
        ``{"@(context.Api.Name)": value}``: the value each policy expression
        stands for (a policy that holds an expression without one fails to load).
    ``certificates``
        ``{certificate_id: PEM or DER}`` for ``<key certificate-id="...">``.
    ``decryption_keys``
        ``{certificate_id: key}`` or ``{certificate_id: (key, password)}``: the
        private key of ``<decryption-keys><key certificate-id="...">`` (PEM,
        DER PKCS#8, PKCS#12 or a private JWK), for encrypted tokens (JWE;
        docs/jwe.md).
    ``documents``
        ``{url: JSON}``: the OpenID discovery document of each openid-config
        URL and the JWK Set of its jwks_uri (loading is offline; see
        :func:`fetch_documents`).
    ``select``
        Which validation element of a ``<policies>`` document: its id, or
        its 1-based position as a string. The first by default.

    Problems raise :class:`PolicyError` listing every issue; warnings of a
    successful load are in :attr:`warnings`.
    """

    __slots__ = ("_h", "_warnings")
    _h: "_jwtgate.Policy"
    _warnings: tuple[Issue, ...]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use Policy.from_xml, Policy.from_json, Policy.from_file or Policy.load")

    @classmethod
    def _make(cls, text: Optional[Text], path: Optional[str], named_values: Optional[Mapping[str, str]],
              expressions: Optional[Mapping[str, str]], certificates: Optional[Mapping[str, Text]],
              documents: Optional[Mapping[str, Json]], select: Union[str, int, None],
              decryption_keys: Optional[Mapping[str, Any]] = None) -> "Policy":
        dkeys = []
        if decryption_keys is not None:
            if not isinstance(decryption_keys, Mapping):
                raise TypeError("decryption_keys must be a mapping of certificate id to a key "
                                "or a (key, password) pair")
            for cid, value in decryption_keys.items():
                data, password = value if isinstance(value, tuple) else (value, None)
                dkeys.append((cid, _text(data, f"decryption key {cid!r}"),
                              None if password is None else _text(password, "password")))
        certs = []
        if certificates is not None:
            if not isinstance(certificates, Mapping):
                raise TypeError("certificates must be a mapping of certificate id to PEM or DER")
            for cid, data in certificates.items():
                certs.append((cid, _text(data, f"certificate {cid!r}")))
        docs = []
        if documents is not None:
            if not isinstance(documents, Mapping):
                raise TypeError("documents must be a mapping of URL to JSON")
            for url, doc in documents.items():
                if not isinstance(url, str):
                    raise TypeError("documents keys must be URLs (str)")
                parsed = doc if isinstance(doc, Mapping) else None
                raw = _json_text(doc, f"document for {url}")
                if parsed is None:
                    try:
                        parsed = json.loads(raw)
                    except ValueError:
                        parsed = None
                kind = 1 if isinstance(parsed, Mapping) and ("keys" in parsed or _is_key_map(parsed)) else 0
                docs.append((url, kind, raw))
        if isinstance(select, bool) or not (select is None or isinstance(select, (str, int))):
            raise TypeError("select must be a str id or an int position")
        status, handle, issues = _jwtgate.load_policy(
            text, path, _str_pairs(named_values, "named_values"), _str_pairs(expressions, "expressions"),
            certs, docs, None if select is None else str(select), dkeys)
        found = _issues(issues)
        if status != _OK or handle is None:
            raise PolicyError(f"cannot load policy ({_jwtgate.status_str(status)})", found)
        self = object.__new__(cls)
        self._h = handle
        self._warnings = tuple(i for i in found if i.warning)
        return self

    @classmethod
    def load(cls, text: Json, named_values: Optional[Mapping[str, str]] = None, *,
             expressions: Optional[Mapping[str, str]] = None,
             certificates: Optional[Mapping[str, Text]] = None,
             documents: Optional[Mapping[str, Json]] = None,
             select: Union[str, int, None] = None,
             decryption_keys: Optional[Mapping[str, Any]] = None) -> "Policy":
        """Load a policy in XML or JSON, chosen by its first non-blank character
        (a mapping is taken as JSON)."""
        return cls._make(_json_text(text, "policy"), None, named_values, expressions, certificates,
                         documents, select, decryption_keys)

    @classmethod
    def from_xml(cls, text: Text, named_values: Optional[Mapping[str, str]] = None, *,
                 expressions: Optional[Mapping[str, str]] = None,
                 certificates: Optional[Mapping[str, Text]] = None,
                 documents: Optional[Mapping[str, Json]] = None,
                 select: Union[str, int, None] = None,
                 decryption_keys: Optional[Mapping[str, Any]] = None) -> "Policy":
        """Load an APIM XML policy (``<validate-jwt>``, ``<validate-azure-ad-token>``
        or a ``<policies>`` document)."""
        text = _text(text, "policy")
        if _first_char(text) != "<":
            raise PolicyError("not an XML policy", [Issue("an XML policy starts with '<'", 0, 0, "", False)])
        return cls._make(text, None, named_values, expressions, certificates, documents, select,
                         decryption_keys)

    @classmethod
    def from_json(cls, text: Json, named_values: Optional[Mapping[str, str]] = None, *,
                  expressions: Optional[Mapping[str, str]] = None,
                  certificates: Optional[Mapping[str, Text]] = None,
                  documents: Optional[Mapping[str, Json]] = None,
                  select: Union[str, int, None] = None,
                  decryption_keys: Optional[Mapping[str, Any]] = None) -> "Policy":
        """Load a policy in jwtgate's JSON form (text, bytes, or an already parsed dict)."""
        raw = _json_text(text, "policy")
        if _first_char(raw) != "{":
            raise PolicyError("not a JSON policy", [Issue("a JSON policy is an object", 0, 0, "", False)])
        return cls._make(raw, None, named_values, expressions, certificates, documents, select,
                         decryption_keys)

    @classmethod
    def from_file(cls, path: PathLike, named_values: Optional[Mapping[str, str]] = None, *,
                  expressions: Optional[Mapping[str, str]] = None,
                  certificates: Optional[Mapping[str, Text]] = None,
                  documents: Optional[Mapping[str, Json]] = None,
                  select: Union[str, int, None] = None,
                  decryption_keys: Optional[Mapping[str, Any]] = None) -> "Policy":
        """Load a policy file, XML or JSON by its content."""
        p = os.fspath(path)
        if not isinstance(p, str):
            p = os.fsdecode(p)
        return cls._make(None, p, named_values, expressions, certificates, documents, select,
                         decryption_keys)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """Warnings reported while loading (the policy loaded anyway)."""
        return self._warnings

    def to_json(self) -> str:
        """The policy in jwtgate's JSON form (defaults made explicit)."""
        return self._h.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The policy's JSON form, parsed."""
        result: dict[str, Any] = json.loads(self._h.to_json())
        return result

    def to_xml(self) -> str:
        """The policy as an APIM XML element, named values and expressions resolved."""
        return self._h.to_xml()

    def __repr__(self) -> str:
        kind = next(iter(self.to_dict()), "policy")
        return f"<jwtgate.Policy {kind}>"


class KeySet:
    """An immutable set of verification keys, to give a :class:`Validator` in
    addition to the keys its policy carries.

    Build one with :meth:`from_jwks`, :meth:`from_jwk`, :meth:`from_pem`,
    :meth:`from_der`, :meth:`from_secret`, :meth:`from_rsa_components`,
    :meth:`from_file` or :meth:`load`. Bad key material raises
    :class:`KeySetError` listing every problem.
    """

    __slots__ = ("_h", "_warnings")
    _h: "_jwtgate.KeySet"
    _warnings: tuple[Issue, ...]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use KeySet.from_jwks, from_pem, from_secret, ... or KeySet.load")

    @classmethod
    def _build(cls, adds: Iterable[Callable[["_jwtgate.KeySetBuilder"], tuple[int, list[Any]]]]) -> "KeySet":
        b = _jwtgate.KeySetBuilder()
        warnings: list[Issue] = []
        for add in adds:
            status, raw = add(b)
            found = _issues(raw)
            if status != _OK:
                raise KeySetError(f"cannot load keys ({_jwtgate.status_str(status)})", found)
            warnings.extend(i for i in found if i.warning)
        self = object.__new__(cls)
        self._h = b.build()
        self._warnings = tuple(warnings)
        return self

    @classmethod
    def _one(cls, fmt: int, data: Text, kid: Optional[str]) -> "KeySet":
        if kid is not None and not isinstance(kid, str):
            raise TypeError(f"kid must be str or None, not {type(kid).__name__}")
        return cls._build([lambda b: b.add(fmt, data, kid)])

    @classmethod
    def load(cls, data: Json, kid: Optional[str] = None) -> "KeySet":
        """Keys in any format jwtgate reads: JWKS, JWK, a key map (kid -> PEM
        certificate, Google's and Firebase's form), PEM keys or certificates, DER.
        ``kid`` names keys that carry no key id (PEM, DER)."""
        return cls._one(_KEY_AUTO, _json_text(data, "key data") if isinstance(data, Mapping) else _text(data, "key data"), kid)

    @classmethod
    def from_jwks(cls, data: Json) -> "KeySet":
        """A JWK Set, ``{"keys": [...]}``, as text, bytes or a parsed dict."""
        return cls._one(_KEY_JWKS, _json_text(data, "JWKS"), None)

    @classmethod
    def from_jwk(cls, data: Json, kid: Optional[str] = None) -> "KeySet":
        """One JWK, as text, bytes or a parsed dict."""
        return cls._one(_KEY_JWK, _json_text(data, "JWK"), kid)

    @classmethod
    def from_pem_map(cls, data: Json) -> "KeySet":
        """A key map, ``{"<kid>": "<PEM certificate or public key>", ...}``, as
        Google and Firebase Authentication publish their signing certificates
        (text, bytes or a parsed dict). Each key gets its kid; an unusable
        entry is skipped with a warning (:attr:`warnings`)."""
        return cls._one(_KEY_PEM_MAP, _json_text(data, "key map"), None)

    @classmethod
    def from_pem(cls, data: Text, kid: Optional[str] = None) -> "KeySet":
        """PEM ``PUBLIC KEY`` and/or ``CERTIFICATE`` blocks."""
        return cls._one(_KEY_PEM, _text(data, "PEM"), kid)

    @classmethod
    def from_der(cls, data: bytes, kid: Optional[str] = None, *, certificate: bool = False) -> "KeySet":
        """DER SubjectPublicKeyInfo, or an X.509 certificate with ``certificate=True``."""
        return cls._one(_KEY_DER_CERT if certificate else _KEY_DER_SPKI, _text(data, "DER"), kid)

    @classmethod
    def from_secret(cls, secret: Text, kid: Optional[str] = None) -> "KeySet":
        """An HMAC secret: raw bytes, or str taken as UTF-8 (as PyJWT does).

        Key text is refused with :class:`KeySetError` (see :func:`key_text_form`):
        a PEM public key or certificate, an SSH public key or a JWK is never a
        secret."""
        raw = secret.encode("utf-8") if isinstance(secret, str) else _text(secret, "secret")
        assert isinstance(raw, bytes)
        return cls._one(_KEY_SYMMETRIC_BASE64, base64.b64encode(raw), kid)

    @classmethod
    def from_rsa_components(cls, n: str, e: str, kid: Optional[str] = None) -> "KeySet":
        """An RSA key from base64url modulus ``n`` and exponent ``e`` (APIM's form)."""
        if kid is not None and not isinstance(kid, str):
            raise TypeError(f"kid must be str or None, not {type(kid).__name__}")
        return cls._build([lambda b: b.add_rsa_components(n, e, kid)])

    @classmethod
    def from_file(cls, *paths: PathLike) -> "KeySet":
        """Read one or more key files (format detected) into one set."""
        if not paths:
            raise TypeError("from_file needs at least one path")
        names = [os.fsdecode(os.fspath(p)) for p in paths]
        def adder(name: str) -> Callable[["_jwtgate.KeySetBuilder"], tuple[int, list[Any]]]:
            return lambda b: b.add_file(name)

        return cls._build([adder(n) for n in names])

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """Warnings reported while loading (the keys loaded anyway)."""
        return self._warnings

    def __len__(self) -> int:
        return len(self._h)

    def __repr__(self) -> str:
        return f"<jwtgate.KeySet of {len(self)} key{'s' if len(self) != 1 else ''}>"


# jwtgate_key_setting numbers, and how a Python value becomes the C value.
_KEY_SETTINGS: dict[str, tuple[int, str]] = {
    "refresh_interval": (0, "s"),
    "min_refresh_interval": (1, "s"),
    "min_refetch_interval": (2, "s"),
    "max_staleness": (3, "s"),
    "first_load_timeout": (4, "s"),
    "fetch_timeout": (5, "s"),
    "max_response_bytes": (6, "n"),
    "max_redirects": (7, "n"),
    "allow_http_loopback": (8, "b"),
}


# jwtgate_keys_state numbers.
_KEYS_STATES = {0: "none_needed", 1: "loading", 2: "ready", 3: "unavailable"}


class KeyFetchError(JwtgateError):
    """Fetching an openid-config's discovery document or JWK Set failed;
    ``issues`` lists the error of each URL."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        super().__init__("key fetch failed:\n" + "\n".join(f"  {i}" for i in self.issues))


class Validator(_jwtgate.Validator):
    """A policy and an optional extra :class:`KeySet`, ready to validate tokens.

    A validator is immutable except for its key set, which :attr:`keys`
    replaces atomically; share one between any number of threads. The GIL is
    released while a token is verified and while keys are fetched, so threads
    scale.

    Options (keyword-only):

    ``clock``
        A callable returning the current time as Unix seconds (or a
        datetime), used when ``validate``/``require`` get no ``now``; the
        system clock by default.
    ``cache_entries``
        Size of the verified-token cache (0, the default, turns it off): a
        repeated valid token skips the signature and claim checks; exp, nbf
        and iat are checked each time.
    ``refresh_interval``, ``min_refresh_interval``, ``min_refetch_interval``,
    ``max_staleness``, ``first_load_timeout``, ``fetch_timeout`` (seconds),
    ``max_response_bytes``, ``max_redirects``, ``allow_http_loopback``
        How the keys of the policy's openid-config elements are fetched
        (documents given to the policy offline are used instead); see
        jwtgate.h, jwtgate_key_setting. None keeps the library's default.
    ``refresh_thread``
        True starts the library's thread that loads the keys at once and
        refreshes them when due (otherwise call :meth:`refresh_keys`
        periodically, or keys are loaded once, by the first validation).
    ``never_wait``
        True (or ``first_load_timeout=0``): no validation ever waits for
        keys; one that arrives before the first load has ended fails at once
        with ``keys_unavailable``. The keys are then loaded by the refresh
        thread, :meth:`refresh_keys` or :meth:`ready` (jwtgate.h,
        jwtgate_validator_options_set_never_wait).

    A validator created before ``fork()`` works in the child when no refresh
    thread ran at the fork: start one there (:meth:`start_refresh_thread`).
    One whose refresh thread ran at the fork keeps validating in the child
    with the keys it had, and cannot refresh there (starting the thread
    raises): create a new validator in the child.
    """

    def __init__(self, policy: Policy, keys: Optional[KeySet] = None, *,
                 clock: Optional[Callable[[], Union[int, float, _dt.datetime]]] = None,
                 cache_entries: int = 0,
                 refresh_interval: Optional[float] = None,
                 min_refresh_interval: Optional[float] = None,
                 min_refetch_interval: Optional[float] = None,
                 max_staleness: Optional[float] = None,
                 first_load_timeout: Optional[float] = None,
                 fetch_timeout: Optional[float] = None,
                 max_response_bytes: Optional[int] = None,
                 max_redirects: Optional[int] = None,
                 allow_http_loopback: Optional[bool] = None,
                 refresh_thread: bool = False,
                 never_wait: bool = False) -> None:
        if not isinstance(policy, Policy):
            raise TypeError(f"policy must be a jwtgate.Policy, not {type(policy).__name__}")
        if keys is not None and not isinstance(keys, KeySet):
            raise TypeError(f"keys must be a jwtgate.KeySet or None, not {type(keys).__name__}")
        if clock is not None and not callable(clock):
            raise TypeError("clock must be a callable returning Unix seconds")
        if isinstance(cache_entries, bool) or not isinstance(cache_entries, int) or cache_entries < 0:
            raise TypeError("cache_entries must be an int >= 0")
        given = {"refresh_interval": refresh_interval, "min_refresh_interval": min_refresh_interval,
                 "min_refetch_interval": min_refetch_interval, "max_staleness": max_staleness,
                 "first_load_timeout": first_load_timeout, "fetch_timeout": fetch_timeout,
                 "max_response_bytes": max_response_bytes, "max_redirects": max_redirects,
                 "allow_http_loopback": allow_http_loopback}
        settings: list[tuple[int, int]] = []
        for name, value in given.items():
            if value is None:
                continue
            number, kind = _KEY_SETTINGS[name]
            if kind == "b":
                if not isinstance(value, bool):
                    raise TypeError(f"{name} must be a bool")
                settings.append((number, int(value)))
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or (kind == "n" and not isinstance(value, int)):
                raise TypeError(f"{name} must be a number{' of seconds' if kind == 's' else ''}")
            elif value < 0:
                raise ValueError(f"{name} must not be negative")
            elif name == "first_load_timeout" and value == 0:
                # Never wait: the library's never-wait setting (below).
                never_wait = True
            else:
                settings.append((number, int(round(value * 1000)) if kind == "s" else int(value)))
        if not isinstance(never_wait, bool):
            raise TypeError("never_wait must be a bool")
        super().__init__(policy._h, keys._h if keys is not None else None, cache_entries, settings, never_wait)
        self._never_wait = never_wait
        self._keys_settled = never_wait  # see may_wait_for_keys
        self._pid = os.getpid()
        self._policy = policy
        self._keys = keys
        self._clock = clock
        if refresh_thread:
            self._start_refresh_thread()

    def refresh_keys(self, force: bool = False) -> None:
        """Fetch, now, the openid-config documents that are due (all with
        ``force``), for hosts that drive refreshes themselves (call it every
        few seconds). Blocks for the fetches without holding the GIL;
        validations on other threads go on. Raises :class:`KeyFetchError`
        if a fetch failed."""
        status, raw = self._refresh_keys(bool(force))
        if status != _OK:
            found = _issues(raw) or (Issue(_jwtgate.status_str(status), 0, 0, "", False),)
            raise KeyFetchError(found)

    def start_refresh_thread(self) -> None:
        """Start the library's thread that loads the keys and refreshes them when due (idempotent).
        Raises RuntimeError in a child process whose parent ran this validator's
        thread, or was refreshing its keys on another thread, when it forked
        (the library cannot refresh through it there)."""
        try:
            self._start_refresh_thread()
        except RuntimeError as e:
            if os.getpid() != self._pid:
                raise RuntimeError("this validator's refresh thread was running when the process forked (or "
                                   "another thread was refreshing its keys); the library cannot restart it "
                                   "in the child (jwtgate_experimental.h, fork rules): create a new "
                                   "Validator in the child process") from e
            raise

    def stop_refresh_thread(self) -> None:
        """Stop and join the refresh thread (idempotent)."""
        self._stop_refresh_thread()

    @property
    def key_counters(self) -> dict[str, int]:
        """What the key fetcher has done: fetches, failures, kid_misses, keys_loaded,
        sources, sources_usable, last_success, last_failure, next_fetch."""
        counters: dict[str, int] = self._key_counters()
        return counters

    @property
    def key_errors(self) -> tuple[Issue, ...]:
        """The error of the last fetch of each openid-config whose last fetch failed."""
        return _issues(self._key_errors())

    @property
    def policy(self) -> Policy:
        """The policy this validator enforces."""
        return self._policy

    @property
    def keys(self) -> Optional[KeySet]:
        """The extra key set (the policy's own keys are always used too)."""
        return self._keys

    @keys.setter
    def keys(self, keys: Optional[KeySet]) -> None:
        if keys is not None and not isinstance(keys, KeySet):
            raise TypeError(f"keys must be a jwtgate.KeySet or None, not {type(keys).__name__}")
        self._set_keys(keys._h if keys is not None else None)
        self._keys = keys

    def require(self, token: Optional[Text] = None, headers: Optional[Pairs] = None,
                query: Optional[Pairs] = None, now: Now = None) -> Result:
        """Like :meth:`validate`, but raise a subclass of :class:`InvalidTokenError`
        (:class:`ExpiredTokenError`, :class:`InvalidSignatureError`, ...) for an
        invalid token. Returns the (valid) :class:`Result`."""
        result = self.validate(token, headers, query, now)
        if result.valid:
            return result
        raise exception_for(result)

    # ------------------------------------------------------------ asyncio

    @property
    def keys_state(self) -> str:
        """Where the fetched keys stand (jwtgate_validator_wait_keys, which
        this never waits in): ``"none_needed"`` (nothing to fetch),
        ``"loading"`` (a first load has not ended), ``"ready"`` (every
        openid-config has usable keys) or ``"unavailable"`` (every first load
        ended and some openid-config has no usable keys: :attr:`key_errors`)."""
        return _KEYS_STATES[self._keys_state(0)]

    def wait_keys(self, timeout: float) -> str:
        """Wait at most ``timeout`` seconds for pending first loads (done by
        the refresh thread or a :meth:`refresh_keys` on another thread; this
        starts nothing) and return :attr:`keys_state`. Blocks its thread,
        without the GIL."""
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
            raise ValueError("timeout must be a number of seconds >= 0")
        return _KEYS_STATES[self._keys_state(int(timeout * 1000))]

    def may_wait_for_keys(self) -> bool:
        """True while a validation may still wait on the network: the
        validator has openid-config keys to fetch, is not ``never_wait``, and
        their first load has not ended (jwtgate.h: the first validation loads
        them, waiting at most ``first_load_timeout``). Once it has ended,
        successfully or not, no validation waits again: refreshes run on the
        refresh thread or in :meth:`refresh_keys`."""
        if self._keys_settled:
            return False
        if self._keys_state(0) != 1:  # JWTGATE_KEYS_STATE_LOADING
            self._keys_settled = True
            return False
        return True

    async def ready(self) -> None:
        """Load the keys of the policy's openid-config elements without
        blocking the event loop: the fetches run in a worker thread
        (``asyncio.to_thread``), the GIL released. Raises :class:`KeyFetchError`
        if a fetch failed (validations then fail with ``keys_unavailable``
        until a refresh succeeds). Call it once at startup, before serving."""
        await asyncio.to_thread(self.refresh_keys)
        self._keys_settled = True

    async def avalidate(self, token: Optional[Text] = None, headers: Optional[Pairs] = None,
                        query: Optional[Pairs] = None, now: Now = None) -> Result:
        """:meth:`validate` for asyncio code. A validation that may wait for
        the first key load (:meth:`may_wait_for_keys`) runs in a worker thread,
        so the event loop keeps running; every other validation takes
        microseconds, never touches the network, and runs inline."""
        if self.may_wait_for_keys():
            return await asyncio.to_thread(functools.partial(self.validate, token, headers, query, now))
        return self.validate(token, headers, query, now)

    async def arequire(self, token: Optional[Text] = None, headers: Optional[Pairs] = None,
                       query: Optional[Pairs] = None, now: Now = None) -> Result:
        """:meth:`require` for asyncio code (see :meth:`avalidate`)."""
        result = await self.avalidate(token, headers, query, now)
        if result.valid:
            return result
        raise exception_for(result)

    def __repr__(self) -> str:
        keys = f", {self._keys!r}" if self._keys is not None else ""
        return f"<jwtgate.Validator {self._policy!r}{keys}>"


def decode_unverified(token: Text) -> Result:
    """Parse a token WITHOUT verifying anything, to read its header and claims.

    The result is never valid. Nothing in it is trustworthy."""
    return _jwtgate.decode_unverified(token)


def key_text_form(data: Text) -> Optional[str]:
    """The key or certificate form ``data`` holds, or None for anything else.

    Recognised anywhere in the text (after a BOM, OpenSSL's "Bag Attributes",
    comment lines) and through up to two base64 encodings: PEM blocks of any
    label, OpenSSH and RFC 4716 SSH public keys, DER certificates and public
    keys, SSH key blobs, JWK and JWK Set JSON. Returns a phrase such as
    ``"a PEM block"``. :meth:`KeySet.from_secret` (and every HMAC key loader in
    jwtgate) refuses such data with :class:`KeySetError`: a public key used as
    an HMAC secret lets anyone sign tokens (CVE-2022-29217). The rules are in
    docs/keys-and-network.md."""
    return _jwtgate.key_text_form(_text(data, "key data"))


def fetch_documents(*urls: str, timeout: float = 10.0) -> dict[str, str]:
    """Download, for each OpenID Connect discovery URL, its document and the JWK
    Set its ``jwks_uri`` names, for ``Policy.from_*(documents=...)``.

    Policy loading itself is offline; this is the network step, done with
    urllib (which releases the GIL while it waits)."""
    out: dict[str, str] = {}
    for url in urls:
        doc = _fetch(url, timeout)
        out[url] = doc
        jwks_uri = json.loads(doc).get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise JwtgateError(f"{url}: the discovery document has no jwks_uri")
        out[jwks_uri] = _fetch(jwks_uri, timeout)
    return out


def _fetch(url: str, timeout: float) -> str:
    if not url.startswith("https://") and not url.startswith("http://"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    req = urllib.request.Request(url, headers={"Accept": "application/json",
                                               "User-Agent": f"jwtgate-python/{__version__}"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) checked above)
        data: bytes = resp.read(1024 * 1024 + 1)
    if len(data) > 1024 * 1024:
        raise JwtgateError(f"{url}: document larger than 1 MiB")
    return data.decode("utf-8")
