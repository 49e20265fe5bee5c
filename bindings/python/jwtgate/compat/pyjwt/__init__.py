"""PyJWT's API on jwtgate: ``import jwtgate.compat.pyjwt as jwt``.

The package has PyJWT 2.x's modules and names (``jwt.algorithms``,
``jwt.api_jws``, ``jwt.api_jwt``, ``jwt.api_jwk``, ``jwt.jwks_client``,
``jwt.jwk_set_cache``, ``jwt.exceptions``, ``jwt.utils``, ``jwt.warnings``,
``jwt.types``), so code written for PyJWT switches by changing its import.
Every signature is checked by jwtgate and every token ``decode`` accepts is
one jwtgate's validator accepts; PyJWT's own claim rules are applied beside
jwtgate's, so the layer never accepts a token PyJWT refuses. What differs
from PyJWT, and why, is listed in docs/python.md ("PyJWT compatibility"),
with the tests of PyJWT's own suite that fail here.

``__version__`` is the PyJWT release whose API and test suite this layer
follows; ``jwtgate.__version__`` is the library's.
"""

from . import algorithms, exceptions, utils, warnings
from .api_jwk import PyJWK, PyJWKSet
from .api_jws import PyJWS, get_algorithm_by_name, get_unverified_header, register_algorithm, unregister_algorithm
from .api_jwt import PyJWT, decode, decode_complete, encode
from .exceptions import (
    DecodeError,
    ExpiredSignature,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudience,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuer,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidSubjectError,
    InvalidTokenError,
    MissingCryptographyError,
    MissingRequiredClaimError,
    PyJWKClientConnectionError,
    PyJWKClientError,
    PyJWKError,
    PyJWKSetError,
    PyJWTError,
)
from .jwks_client import PyJWKClient
from .warnings import InsecureKeyLengthWarning, RemovedInPyjwt3Warning

__version__ = "2.15.1"

__all__ = [
    "PyJWS",
    "PyJWT",
    "PyJWKClient",
    "PyJWK",
    "PyJWKSet",
    "decode",
    "decode_complete",
    "encode",
    "get_unverified_header",
    "register_algorithm",
    "unregister_algorithm",
    "get_algorithm_by_name",
    "InsecureKeyLengthWarning",
    "RemovedInPyjwt3Warning",
    "DecodeError",
    "ExpiredSignatureError",
    "ImmatureSignatureError",
    "InvalidAlgorithmError",
    "InvalidAudienceError",
    "InvalidIssuedAtError",
    "InvalidIssuerError",
    "InvalidJTIError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidSubjectError",
    "InvalidTokenError",
    "MissingCryptographyError",
    "MissingRequiredClaimError",
    "PyJWKClientConnectionError",
    "PyJWKClientError",
    "PyJWKError",
    "PyJWKSetError",
    "PyJWTError",
    "ExpiredSignature",
    "InvalidAudience",
    "InvalidIssuer",
    "algorithms",
    "exceptions",
    "utils",
    "warnings",
]
