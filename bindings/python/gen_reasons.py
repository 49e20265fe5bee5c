"""Write jwtgate/_reasons.py, the Python Reason enum, from JWTGATE_REASON_LIST.

Usage: gen_reasons.py include/jwtgate_reasons.h OUTPUT

The C header holds the one list of reasons; meson runs this at build time so
the installed package carries a static enum (which type checkers and IDEs
read) that cannot drift from the library it was built with.
"""

from __future__ import annotations

import re
import sys

ROW = re.compile(r'X\((\w+),\s*(\d+),\s*"([^"]*)",\s*"([^"]*)",\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)')


def rows(header: str) -> list[tuple[str, int, str]]:
    text = open(header, encoding="utf-8").read()
    body = text[text.index("#define JWTGATE_REASON_LIST(X)"):]
    body = body.replace("\\\n", " ")
    out = []
    for m in ROW.finditer(body):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(5))
        description = "".join(parts).replace('\\"', '"')
        out.append((m.group(1), int(m.group(2)), description))
    if not out:
        sys.exit(f"gen_reasons.py: no rows found in {header}")
    return out


TEMPLATE = '''"""The Reason enum, generated from the C library's list of reasons
(include/jwtgate_reasons.h) by bindings/python/gen_reasons.py. Do not edit."""

from __future__ import annotations

import enum

from . import _jwtgate

__all__ = ["Reason"]


class Reason(enum.IntEnum):
    """Why a token was rejected: jwtgate_reason, with the C API's frozen numbers.

    ``str(reason)`` and ``reason.code`` give the stable snake_case name
    (``"expired"``); ``reason.apim`` gives Azure API Management's
    ``context.LastError.Reason`` (``"TokenExpired"``); ``reason.description``
    says what failed.
    """

{members}

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
        """One line saying what failed."""
        return _DESCRIPTIONS[int(self)]

    def __str__(self) -> str:
        return self.code


_DESCRIPTIONS: dict[int, str] = {{
{descriptions}
}}
'''


def main() -> None:
    header, output = sys.argv[1], sys.argv[2]
    table = rows(header)
    members = "\n".join(f"    {name} = {number}" for name, number, _ in table)
    descriptions = "\n".join(f"    {number}: {text!r}," for _, number, text in table)
    with open(output, "w", encoding="utf-8") as f:
        f.write(TEMPLATE.format(members=members, descriptions=descriptions))


if __name__ == "__main__":
    main()
