"""Value types shared by the jwtgate package: Reason, Failure, Issue."""

from __future__ import annotations

from typing import NamedTuple

from . import _jwtgate
from ._reasons import Reason

__all__ = ["Reason", "Failure", "Issue"]


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
