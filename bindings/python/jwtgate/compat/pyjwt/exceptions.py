"""PyJWT's exception classes, with PyJWT 2.x names, hierarchy and messages.

Every exception raised for a token carries ``result``: the
:class:`jwtgate.Result` of the validation behind it, or None when the
refusal came from PyJWT's own rules alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    import jwtgate

__all__ = [
    "PyJWTError",
    "InvalidTokenError",
    "DecodeError",
    "InvalidSignatureError",
    "ExpiredSignatureError",
    "InvalidAudienceError",
    "InvalidIssuerError",
    "InvalidIssuedAtError",
    "ImmatureSignatureError",
    "InvalidKeyError",
    "InvalidAlgorithmError",
    "MissingRequiredClaimError",
    "PyJWKError",
    "MissingCryptographyError",
    "PyJWKSetError",
    "PyJWKClientError",
    "PyJWKClientConnectionError",
    "InvalidSubjectError",
    "InvalidJTIError",
    "ExpiredSignature",
    "InvalidAudience",
    "InvalidIssuer",
]


class PyJWTError(Exception):
    """Base class of all exceptions. ``result`` holds the :class:`jwtgate.Result`
    behind a verification failure, or None."""

    result: Optional["jwtgate.Result"] = None


class InvalidTokenError(PyJWTError):
    """Base class of every reason a token is refused."""


class DecodeError(InvalidTokenError):
    """The token could not be decoded, or is structurally refused."""


class InvalidSignatureError(DecodeError):
    """The signature does not verify."""


class ExpiredSignatureError(InvalidTokenError):
    """exp is in the past."""


class InvalidAudienceError(InvalidTokenError):
    """aud does not match the expected audience."""


class InvalidIssuerError(InvalidTokenError):
    """iss does not match the expected issuer."""


class InvalidIssuedAtError(InvalidTokenError):
    """iat is not a number."""


class ImmatureSignatureError(InvalidTokenError):
    """nbf or iat is in the future."""


class InvalidKeyError(PyJWTError):
    """The key cannot be used: wrong type for the algorithm, unparsable, or refused."""


class InvalidAlgorithmError(InvalidTokenError):
    """The token's alg is not allowed or not supported."""


class MissingRequiredClaimError(InvalidTokenError):
    """A required claim is absent; ``claim`` names it."""

    def __init__(self, claim: str) -> None:
        self.claim = claim

    def __str__(self) -> str:
        return f'Token is missing the "{self.claim}" claim'


class PyJWKError(PyJWTError):
    """A JWK could not be used."""


class MissingCryptographyError(PyJWKError):
    """The key type needs the optional ``cryptography`` package."""


class PyJWKSetError(PyJWTError):
    """A JWK Set could not be used."""


class PyJWKClientError(PyJWTError):
    """PyJWKClient could not find a key."""


class PyJWKClientConnectionError(PyJWKClientError):
    """PyJWKClient could not fetch the JWK Set."""


class InvalidSubjectError(InvalidTokenError):
    """sub is not a string, or not the expected subject."""


class InvalidJTIError(InvalidTokenError):
    """jti is not a string."""


# PyJWT 1.x names, still exported by 2.x.
ExpiredSignature = ExpiredSignatureError
InvalidAudience = InvalidAudienceError
InvalidIssuer = InvalidIssuerError
