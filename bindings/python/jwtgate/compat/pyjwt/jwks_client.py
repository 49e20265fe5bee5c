"""PyJWT's ``PyJWKClient`` (``jwt.jwks_client``): a JWK Set fetched over HTTP(S).

Fetching follows PyJWT (urllib, no redirects followed, http and https only,
the set cached for ``lifespan`` seconds, an unknown kid refetching at most
once per ``cooldown_duration``). The keys are PyJWKs (``cryptography`` key
objects, as in PyJWT); ``get_key_set()`` (a jwtgate extension) gives the
whole set as a :class:`jwtgate.KeySet`, loaded by jwtgate's JWK Set parser.

For services, a :class:`jwtgate.Validator` with an ``openid-config`` policy
fetches and refreshes keys in the library instead (docs/python.md).
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
import urllib.request
from functools import lru_cache
from ssl import SSLContext
from typing import Any, Optional, Union
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse

import jwtgate as _jg

from .api_jwk import PyJWK, PyJWKSet, is_pem_map, jwks_from_pem_map
from .api_jwt import decode_complete as decode_token
from .exceptions import PyJWKClientConnectionError, PyJWKClientError
from .jwk_set_cache import JWKSetCache

__all__ = ["PyJWKClient"]


class _NoRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect: a JWKS URL answers itself or fails."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Optional[urllib.request.Request]:
        return None


class PyJWKClient:
    """Fetches and caches the JWK Set at ``uri`` (PyJWT's PyJWKClient)."""

    def __init__(self, uri: str, cache_keys: bool = False, max_cached_keys: int = 16, cache_jwk_set: bool = True,
                 lifespan: float = 300, headers: Optional[dict[str, Any]] = None, timeout: float = 30,
                 ssl_context: Optional[SSLContext] = None, cooldown_duration: float = 30) -> None:
        if headers is None:
            headers = {}
        scheme = urlparse(uri).scheme.lower()
        if scheme not in ("http", "https"):
            raise PyJWKClientError(f"Invalid JWKS URI scheme {scheme!r}: only 'http' and 'https' are supported.")
        self.uri = uri
        self.jwk_set_cache: Optional[JWKSetCache] = None
        self.headers = headers
        self.timeout = timeout
        self.ssl_context = ssl_context
        if cooldown_duration < 0:
            raise PyJWKClientError(
                f'Cooldown duration must be greater than or equal to 0, the input is "{cooldown_duration}"')
        if not math.isfinite(cooldown_duration):
            raise PyJWKClientError(f'Cooldown duration must be finite, the input is "{cooldown_duration}"')
        self.cooldown_duration = cooldown_duration
        self._last_successful_fetch: Optional[float] = None
        self._client_lock = threading.RLock()
        if cache_jwk_set:
            if lifespan <= 0:
                raise PyJWKClientError(f'Lifespan must be greater than 0, the input is "{lifespan}"')
            self.jwk_set_cache = JWKSetCache(lifespan)
        if cache_keys:
            self.get_signing_key = lru_cache(maxsize=max_cached_keys)(self.get_signing_key)  # type: ignore[method-assign]

    def fetch_data(self) -> Any:
        """GET the JWK Set and return it parsed (cached when the cache is on)."""
        try:
            request = urllib.request.Request(url=self.uri, headers=self.headers)
            handlers: list[Any] = [_NoRedirectHandler()]
            if self.ssl_context is not None:
                handlers.append(urllib.request.HTTPSHandler(context=self.ssl_context))
            opener = urllib.request.build_opener(*handlers)
            with opener.open(request, timeout=self.timeout) as response:
                jwk_set = json.load(response)
        except (URLError, TimeoutError, http.client.HTTPException) as e:
            if isinstance(e, HTTPError):
                e.close()
            raise PyJWKClientConnectionError(f'Fail to fetch data from the url, err: "{e}"') from e
        jwk_set = self._as_jwk_set_payload(jwk_set)
        if self.jwk_set_cache is not None:
            self.jwk_set_cache.put(jwk_set)
        self._last_successful_fetch = time.monotonic()
        return jwk_set

    def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        """The JWK Set, from the cache unless ``refresh`` or expired."""
        data: Any = None
        fetched = False
        if self.jwk_set_cache is not None and not refresh:
            data = self.jwk_set_cache.get()
        if data is None:
            data = self.fetch_data()
            fetched = True
        jwk_set = data if isinstance(data, PyJWKSet) else PyJWKSet.from_dict(self._as_jwk_set_payload(data))
        if fetched and self.jwk_set_cache is not None:
            self.jwk_set_cache.put(jwk_set)
        return jwk_set

    @staticmethod
    def _as_jwk_set_payload(data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise PyJWKClientError("The JWKS endpoint did not return a JSON object")
        if is_pem_map(data):
            # Google's and Firebase's key map (kid -> PEM certificate), as a
            # JWK Set (a jwtgate extension).
            return jwks_from_pem_map(data)
        return data

    def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:
        """The keys meant for signatures (use "sig" or none) that have a kid."""
        return self._get_signing_keys_from_jwk_set(self.get_jwk_set(refresh))

    @staticmethod
    def _get_signing_keys_from_jwk_set(jwk_set: PyJWKSet) -> list[PyJWK]:
        keys = [k for k in jwk_set.keys if k.public_key_use in ["sig", None] and k.key_id]
        if not keys:
            raise PyJWKClientError("The JWKS endpoint did not contain any signing keys")
        return keys

    def get_signing_key(self, kid: str) -> PyJWK:
        """The signing key with this kid, refetching the set once (after the
        cooldown) if it is not there."""
        with self._client_lock:
            signing_key = self.match_kid(self.get_signing_keys(), kid)
            if not signing_key:
                cooling_down = (self.jwk_set_cache is not None and self._last_successful_fetch is not None
                                and time.monotonic() - self._last_successful_fetch < self.cooldown_duration)
                if not cooling_down:
                    keys = self.get_signing_keys(refresh=True)
                    self._last_successful_fetch = time.monotonic()
                    signing_key = self.match_kid(keys, kid)
                if not signing_key:
                    raise PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')
            return signing_key

    def get_signing_key_from_jwt(self, token: Union[str, bytes]) -> PyJWK:
        """The signing key named by the token's kid header."""
        unverified = decode_token(token, options={"verify_signature": False})
        return self.get_signing_key(unverified["header"].get("kid"))

    @staticmethod
    def match_kid(signing_keys: list[PyJWK], kid: str) -> Optional[PyJWK]:
        """The key whose kid is ``kid``, or None."""
        for key in signing_keys:
            if key.key_id == kid:
                return key
        return None

    def get_key_set(self, refresh: bool = False) -> "_jg.KeySet":
        """The whole JWK Set as a :class:`jwtgate.KeySet` (a jwtgate extension),
        e.g. for ``validator.keys = client.get_key_set()``."""
        return self.get_jwk_set(refresh).key_set()
