"""Type stubs for jwtgate._types. The Reason members are the C library's
list (JWTGATE_REASON_LIST in jwtgate_reasons.h); tests/python/test_package.py
fails when this list and the library's differ."""

import enum
from typing import NamedTuple

__all__ = ["Reason", "Failure", "Issue"]

class Reason(enum.IntEnum):
    """Why a token was rejected: jwtgate_reason, with the C API's frozen numbers."""

    NONE = 0
    TOKEN_NOT_PRESENT = 1
    SCHEME_MISMATCH = 2
    DUPLICATE_TOKEN = 3
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
    CLAIM_TYPE_INVALID = 55
    @property
    def code(self) -> str: ...
    @property
    def apim(self) -> str: ...
    @property
    def description(self) -> str: ...

class Failure(NamedTuple):
    """One failed check: its reason, the claim/header member/kid involved, and a sentence."""

    reason: Reason
    subject: str
    detail: str
    @property
    def apim_reason(self) -> str: ...

class Issue(NamedTuple):
    """One problem found while loading a policy or keys."""

    message: str
    line: int
    column: int
    path: str
    warning: bool
