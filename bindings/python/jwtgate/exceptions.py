"""Exceptions raised by jwtgate.

Loading problems raise :class:`PolicyError` or :class:`KeySetError` (both are
``ValueError``). :meth:`jwtgate.Validator.require` raises a subclass of
:class:`InvalidTokenError` chosen by the deciding failure's reason;
:meth:`jwtgate.Validator.validate` never raises for an invalid token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ._types import Failure, Issue, Reason

if TYPE_CHECKING:
    from ._jwtgate import Result

__all__ = [
    "JwtgateError",
    "PolicyError",
    "KeySetError",
    "InvalidTokenError",
    "TokenNotPresentError",
    "DuplicateTokenError",
    "MalformedTokenError",
    "UnsupportedTokenError",
    "DecryptionError",
    "InvalidAlgorithmError",
    "InvalidTokenTypeError",
    "InvalidSignatureError",
    "KeyNotFoundError",
    "ExpiredTokenError",
    "ImmatureTokenError",
    "InvalidClaimError",
    "MissingClaimError",
    "MalformedClaimError",
    "InvalidIssuerError",
    "InvalidAudienceError",
    "ClaimValueError",
    "ClientNotAllowedError",
    "exception_for",
]


class JwtgateError(Exception):
    """Base class of every exception jwtgate raises on purpose."""


class _LoadError(JwtgateError, ValueError):
    def __init__(self, what: str, issues: Sequence[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        errors = [i for i in self.issues if not i.warning] or list(self.issues)
        text = "\n".join(f"  {i}" for i in errors)
        super().__init__(f"{what}:\n{text}" if text else what)

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that are errors (not warnings)."""
        return tuple(i for i in self.issues if not i.warning)


class PolicyError(_LoadError):
    """A policy could not be loaded. ``issues`` lists every problem found
    (with line, column and element path where known), not just the first."""


class KeySetError(_LoadError):
    """Key material could not be loaded. ``issues`` lists every problem found."""


class InvalidTokenError(JwtgateError):
    """The token was rejected. ``result`` is the full :class:`jwtgate.Result`;
    ``reason``, ``status``, ``message`` and ``failures`` are copied from it."""

    def __init__(self, result: "Result") -> None:
        self.result = result
        self.reason: Reason = result.reason
        self.status: int = result.status
        self.message: str = result.message
        self.failures: tuple[Failure, ...] = result.failures
        first = self.failures[0] if self.failures else None
        self.subject: str = first.subject if first else ""
        self.detail: str = first.detail if first else ""
        super().__init__(f"{self.reason.code}: {self.detail}" if self.detail else self.reason.code)


class TokenNotPresentError(InvalidTokenError):
    """No token where the policy looks for one, or not with the required scheme."""


class DuplicateTokenError(InvalidTokenError):
    """The request carries the token more than once: its header or query parameter
    repeated (or under a name a backend reads as the same), or a header holding a
    comma-separated list."""


class MalformedTokenError(InvalidTokenError):
    """Not a well-formed compact JWS: segments, base64url, JSON, size or depth."""


class UnsupportedTokenError(InvalidTokenError):
    """A well-formed token using something jwtgate refuses: JWE the policy cannot or may not
    decrypt, a refused JWE algorithm, a plain JWS where encryption is required, crit, embedded
    keys, b64."""


class DecryptionError(InvalidTokenError):
    """An encrypted token (JWE) could not be decrypted with the policy's decryption keys
    (one reason whatever failed; ``jwtgate.Result.explain()`` names the step)."""


class InvalidAlgorithmError(InvalidTokenError):
    """alg missing, "none", unknown, or not allowed by the policy."""


class InvalidTokenTypeError(InvalidTokenError):
    """The header typ is not the one the policy requires."""


class InvalidSignatureError(InvalidTokenError):
    """The signature is missing or does not verify."""


class KeyNotFoundError(InvalidTokenError):
    """No usable key: none for this kid/alg, no keys at all, or remote keys unavailable."""


class ExpiredTokenError(InvalidTokenError):
    """The token's exp is past (after clock skew)."""


class ImmatureTokenError(InvalidTokenError):
    """The token's nbf (or, when the policy rejects it, iat) is in the future."""


class InvalidClaimError(InvalidTokenError):
    """Base class of the claim checks below."""


class MissingClaimError(InvalidClaimError):
    """A required claim (or exp when required) is absent."""


class MalformedClaimError(InvalidClaimError):
    """A registered claim has the wrong type: exp, nbf or iat is not a NumericDate, iss, sub or jti
    not a string, aud neither a string nor an array of strings (RFC 7519 section 4.1)."""


class InvalidIssuerError(InvalidClaimError):
    """iss is not one of the allowed issuers."""


class InvalidAudienceError(InvalidClaimError):
    """aud holds none of the allowed audiences."""


class ClaimValueError(InvalidClaimError):
    """A required claim has a value the policy does not allow."""


class ClientNotAllowedError(InvalidClaimError):
    """validate-azure-ad-token: the client application is not allowed."""


_BY_REASON: dict[Reason, type[InvalidTokenError]] = {
    Reason.TOKEN_NOT_PRESENT: TokenNotPresentError,
    Reason.SCHEME_MISMATCH: TokenNotPresentError,
    Reason.DUPLICATE_TOKEN: DuplicateTokenError,
    Reason.MALFORMED: MalformedTokenError,
    Reason.TOO_LARGE: MalformedTokenError,
    Reason.BAD_BASE64URL: MalformedTokenError,
    Reason.BAD_JSON: MalformedTokenError,
    Reason.NOT_JSON_OBJECT: MalformedTokenError,
    Reason.DUPLICATE_MEMBER: MalformedTokenError,
    Reason.JSON_TOO_DEEP: MalformedTokenError,
    Reason.HEADER_INVALID: MalformedTokenError,
    Reason.JWE_NOT_SUPPORTED: UnsupportedTokenError,
    Reason.CRIT_UNSUPPORTED: UnsupportedTokenError,
    Reason.EMBEDDED_KEY: UnsupportedTokenError,
    Reason.B64_UNSUPPORTED: UnsupportedTokenError,
    Reason.ALG_MISSING: InvalidAlgorithmError,
    Reason.ALG_NONE: InvalidAlgorithmError,
    Reason.ALG_UNKNOWN: InvalidAlgorithmError,
    Reason.ALG_NOT_ALLOWED: InvalidAlgorithmError,
    Reason.TYP_MISMATCH: InvalidTokenTypeError,
    Reason.SIGNATURE_MISSING: InvalidSignatureError,
    Reason.SIGNATURE_INVALID: InvalidSignatureError,
    Reason.KEY_NOT_FOUND: KeyNotFoundError,
    Reason.NO_KEYS: KeyNotFoundError,
    Reason.KEYS_UNAVAILABLE: KeyNotFoundError,
    Reason.EXPIRED: ExpiredTokenError,
    Reason.NOT_YET_VALID: ImmatureTokenError,
    Reason.IAT_IN_FUTURE: ImmatureTokenError,
    Reason.EXP_MISSING: MissingClaimError,
    Reason.TIME_CLAIM_INVALID: MalformedClaimError,
    Reason.CLAIM_TYPE_INVALID: MalformedClaimError,
    Reason.ISSUER_NOT_ALLOWED: InvalidIssuerError,
    Reason.AUDIENCE_NOT_ALLOWED: InvalidAudienceError,
    Reason.CLAIM_NOT_FOUND: MissingClaimError,
    Reason.CLAIM_VALUE_NOT_ALLOWED: ClaimValueError,
    Reason.CLIENT_NOT_ALLOWED: ClientNotAllowedError,
    Reason.JWE_DECRYPTION_FAILED: DecryptionError,
    Reason.JWE_ALGORITHM_REFUSED: UnsupportedTokenError,
    Reason.ENCRYPTION_REQUIRED: UnsupportedTokenError,
    Reason.ENCRYPTION_FORBIDDEN: UnsupportedTokenError,
}


def exception_for(result: "Result") -> InvalidTokenError:
    """The exception :meth:`jwtgate.Validator.require` raises for an invalid ``result``."""
    cls = _BY_REASON.get(result.reason, InvalidTokenError)
    return cls(result)
