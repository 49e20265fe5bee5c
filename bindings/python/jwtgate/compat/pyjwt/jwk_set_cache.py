"""PyJWT's ``JWKSetCache`` (``jwt.jwk_set_cache``): a JWK Set and when it expires."""

from __future__ import annotations

import time
from typing import Any, Optional, Union

from .api_jwk import PyJWKSet, PyJWTSetWithTimestamp
from .exceptions import PyJWKSetError

__all__ = ["JWKSetCache"]


class JWKSetCache:
    """Holds one parsed JWK Set for ``lifespan`` seconds (``time.monotonic()``)."""

    def __init__(self, lifespan: float) -> None:
        self.jwk_set_with_timestamp: Optional[PyJWTSetWithTimestamp] = None
        self.lifespan = lifespan

    def put(self, jwk_set: Optional[Union[PyJWKSet, dict[str, Any]]]) -> None:
        """Store ``jwk_set`` (parsed if it is a dict), or clear the cache with None."""
        if jwk_set is None:
            self.jwk_set_with_timestamp = None
            return
        if not isinstance(jwk_set, PyJWKSet):
            if not isinstance(jwk_set, dict):
                raise PyJWKSetError("Invalid JWK Set value")
            jwk_set = PyJWKSet.from_dict(jwk_set)
        self.jwk_set_with_timestamp = PyJWTSetWithTimestamp(jwk_set)

    def get(self) -> Optional[PyJWKSet]:
        """The cached set, or None when empty or expired."""
        if self.jwk_set_with_timestamp is None or self.is_expired():
            return None
        return self.jwk_set_with_timestamp.get_jwk_set()

    def is_expired(self) -> bool:
        """Whether the stored set is older than ``lifespan``."""
        return (self.jwk_set_with_timestamp is not None and self.lifespan > -1
                and time.monotonic() > self.jwk_set_with_timestamp.get_timestamp() + self.lifespan)
