"""Value types shared by the jwtgate package: Reason, Failure, Issue."""

from __future__ import annotations

import enum
from typing import NamedTuple

from . import _jwtgate

__all__ = ["Reason", "Failure", "Issue"]


class Reason(enum.IntEnum):
    """Why a token was rejected: jwtgate_reason, with the C API's frozen numbers.

    ``str(reason)`` and ``reason.code`` give the stable snake_case name
    (``"expired"``); ``reason.apim`` gives Azure API Management's
    ``context.LastError.Reason`` (``"TokenExpired"``).
    """

    NONE = 0
    TOKEN_NOT_PRESENT = 1
    SCHEME_MISMATCH = 2
    MALFORMED = 10
    TOO_LARGE = 11
    BAD_BASE64URL = 12
    BAD_JSON = 13
    NOT_JSON_OBJECT = 14
    DUPLICATE_MEMBER = 15
    JSON_TOO_DEEP = 16
    JWE_NOT_SUPPORTED = 17
    HEADER_INVALID = 18
    ALG_MISSING = 19
    ALG_NONE = 20
    ALG_UNKNOWN = 21
    ALG_NOT_ALLOWED = 22
    CRIT_UNSUPPORTED = 23
    EMBEDDED_KEY = 24
    B64_UNSUPPORTED = 25
    TYP_MISMATCH = 26
    SIGNATURE_MISSING = 30
    SIGNATURE_INVALID = 31
    KEY_NOT_FOUND = 32
    NO_KEYS = 33
    KEYS_UNAVAILABLE = 34
    EXPIRED = 40
    NOT_YET_VALID = 41
    EXP_MISSING = 42
    TIME_CLAIM_INVALID = 43
    IAT_IN_FUTURE = 44
    ISSUER_NOT_ALLOWED = 50
    AUDIENCE_NOT_ALLOWED = 51
    CLAIM_NOT_FOUND = 52
    CLAIM_VALUE_NOT_ALLOWED = 53
    CLIENT_NOT_ALLOWED = 54

    @property
    def code(self) -> str:
        """The stable snake_case name from the C library, e.g. ``"expired"``."""
        return _jwtgate.reason_str(int(self))

    @property
    def apim(self) -> str:
        """APIM's ``context.LastError.Reason``, e.g. ``"TokenExpired"`` (``""`` for NONE)."""
        return _jwtgate.reason_apim(int(self))

    def __str__(self) -> str:
        return self.code


class Failure(NamedTuple):
    """One failed check: its reason, the claim/header member/kid involved, and a sentence."""

    reason: Reason
    """What failed."""
    subject: str
    """The claim, header member or key id involved, or ``""``."""
    detail: str
    """A precise English sentence (claim names and values included, never key material)."""

    @property
    def apim_reason(self) -> str:
        """APIM's ``context.LastError.Reason`` for this failure."""
        return self.reason.apim


class Issue(NamedTuple):
    """One problem found while loading a policy or keys."""

    message: str
    """What is wrong."""
    line: int
    """1-based line in the input, or 0 if unknown."""
    column: int
    """1-based column, or 0 if unknown."""
    path: str
    """Element path such as ``policies/inbound/validate-jwt[1]/audiences``, or ``""``."""
    warning: bool
    """True for a warning (loading went on), False for an error."""

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line else ""
        path = f"{self.path}: " if self.path else ""
        kind = "warning: " if self.warning else ""
        return f"{where}{path}{kind}{self.message}"


_REASONS_BY_NUMBER: list[Reason | None] = [None] * (max(int(r) for r in Reason) + 1)
for _r in Reason:
    _REASONS_BY_NUMBER[int(_r)] = _r
_jwtgate._set_types(Reason, _REASONS_BY_NUMBER, Failure)
