"""Value types shared by the jwtgate package: Reason, Failure, Issue."""

from __future__ import annotations

import enum
from typing import NamedTuple

from . import _jwtgate

__all__ = ["Reason", "Failure", "Issue"]


class _ReasonBase(enum.IntEnum):
    """Why a token was rejected: jwtgate_reason, with the C API's frozen numbers.

    The members come from the C library's one list of reasons
    (``jwtgate_reasons.h``): ``Reason.EXPIRED``, ``Reason.KEY_NOT_FOUND``, ...
    ``str(reason)`` and ``reason.code`` give the stable snake_case name
    (``"expired"``); ``reason.apim`` gives Azure API Management's
    ``context.LastError.Reason`` (``"TokenExpired"``); ``reason.description``
    says what failed.
    """

    @property
    def code(self) -> str:
        """The stable snake_case name from the C library, e.g. ``"expired"``."""
        return _jwtgate.reason_str(int(self))

    @property
    def apim(self) -> str:
        """APIM's ``context.LastError.Reason``, e.g. ``"TokenExpired"`` (``""`` for NONE)."""
        return _jwtgate.reason_apim(int(self))

    @property
    def description(self) -> str:
        """One line saying what failed, from the C library's list."""
        return _DESCRIPTIONS.get(int(self), "")

    def __str__(self) -> str:
        return self.code


_REASON_ROWS = _jwtgate.reasons()
_DESCRIPTIONS = {number: text for _name, number, text in _REASON_ROWS}
# Built from the C list, so a reason added there appears here without an edit.
Reason = _ReasonBase("Reason", [(name, number) for name, number, _text in _REASON_ROWS],
                     module=__name__, qualname="Reason")
Reason.__doc__ = _ReasonBase.__doc__
# Type checkers read _types.pyi, which lists the members (a test keeps it
# equal to this list).


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
