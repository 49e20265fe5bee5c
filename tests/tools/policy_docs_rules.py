#!/usr/bin/env python3
"""The rules of policy_docs (tests/tools/policy_docs.cpp), on copies of the docs.

    policy_docs_rules.py POLICY_DOCS SOURCE_ROOT

Each case copies docs/policy-json.md and docs/apim-compatibility.md into a
temporary root, changes one thing, and checks what `policy_docs --check`
reports (exit 1, one line per problem) and what `policy_docs --write` makes of
it: the generated cells restored, the prose written in the Markdown kept, a
new row added with empty prose, a row of no attribute dropped.
"""
import pathlib
import subprocess
import sys
import tempfile

DOCS = ("docs/policy-json.md", "docs/apim-compatibility.md")
PJ, AC = DOCS
REGENERATE = "regenerate the generated columns with: ninja -C build policy-docs"

tool = sys.argv[1]
source = pathlib.Path(sys.argv[2])
original = {d: (source / d).read_text(encoding="utf-8") for d in DOCS}
failures = []


def replace_line(text, starts, contains, new):
    """Replace (or, with new None, delete) the one line that starts with
    |starts| and contains |contains|."""
    lines = text.split("\n")
    hits = [i for i, l in enumerate(lines) if l.startswith(starts) and contains in l]
    assert len(hits) == 1, (starts, contains, hits)
    if new is None:
        del lines[hits[0]]
    else:
        lines[hits[0]] = new(lines[hits[0]]) if callable(new) else new
    return "\n".join(lines)


def run(root, mode):
    p = subprocess.run([tool, mode, str(root)], capture_output=True, text=True)
    return p.returncode, [l for l in p.stderr.split("\n") if l]


def with_hint(lines):
    """What --check prints for |lines|: the hint to regenerate follows
    unless every line asks for prose."""
    if not lines or all(l.endswith(" in docs/apim-compatibility.md") for l in lines):
        return list(lines)
    return list(lines) + [REGENERATE]


def case(name, doc, change, check_lines, written=None, write_lines=(), after_check=()):
    """|change| edits |doc|. --check must exit 1 and print exactly
    |check_lines| (then the regenerate hint, unless every line asks for
    prose that only a person can write). --write must leave the docs as
    |written| gives them (default: the originals), print |write_lines| on
    stderr, and --check must then print |after_check| (exit 0 when empty)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "docs").mkdir()
        texts = dict(original)
        texts[doc] = change(texts[doc])
        assert texts[doc] != original[doc], name
        for d, t in texts.items():
            (root / d).write_text(t, encoding="utf-8")

        def fail(what):
            failures.append(f"{name}: {what}")

        rc, err = run(root, "--check")
        expected = with_hint(check_lines)
        if rc != (1 if check_lines else 0) or err != expected:
            fail(f"--check exited {rc} printing {err}, expected {expected}")
        rc, err = run(root, "--write")
        if rc != 0 or err != list(write_lines):
            fail(f"--write exited {rc} printing {err}, expected {list(write_lines)}")
        want = dict(original)
        if written:
            want[doc] = written(original[doc])
        for d in DOCS:
            if (root / d).read_text(encoding="utf-8") != want[d]:
                fail(f"--write left {d} other than expected")
        rc, err = run(root, "--check")
        expected = with_hint(after_check)
        if rc != (1 if after_check else 0) or err != expected:
            fail(f"--check after --write exited {rc} printing {err}, expected {expected}")


PJ_JWT = "docs/policy-json.md: policy-json validate-jwt: "
AC_JWT = "docs/apim-compatibility.md: apim-compatibility validate-jwt: "
AC_CHILDREN = "docs/apim-compatibility.md: apim-compatibility validate-jwt children: "
AC_AAD = "docs/apim-compatibility.md: apim-compatibility validate-azure-ad-token: "
CLOCK = "| `clock-skew` |"
KEY_NE = "| `key n`, `key e` |"

# The committed docs are up to date (as the policy-docs test says), and
# --write leaves them alone.
case("unchanged", PJ, lambda t: t + "\n", [], written=lambda t: t + "\n")

# A generated cell that differs: reported with both values; --write restores
# it and keeps the Notes ("Seconds.").
case("type cell", PJ,
     lambda t: replace_line(t, CLOCK, "integer 0–86400", lambda l: l.replace("0–86400", "0–999")),
     [PJ_JWT + '`clock-skew`: the Type cell is "integer 0–999"; '
      'src/policy/policy_attributes.cpp gives "integer 0–86400"'])

# In a merged row ("`key n`, `key e`") the cell is reported for each name;
# --write restores it and merges the row again.
case("values cell of a merged row", AC,
     lambda t: replace_line(t, KEY_NE, "", lambda l: l.replace("string, no expressions", "string")),
     [AC_CHILDREN + '`key n`: the Values cell is "string"; '
      'src/policy/policy_attributes.cpp gives "string, no expressions"',
      AC_CHILDREN + '`key e`: the Values cell is "string"; '
      'src/policy/policy_attributes.cpp gives "string, no expressions"'])

# A merged row written as two identical rows is only a layout difference.
case("merged row split", AC,
     lambda t: replace_line(t, KEY_NE, "", lambda l: l.replace(KEY_NE, "| `key n` |") + "\n" +
                            l.replace(KEY_NE, "| `key e` |")),
     [AC_CHILDREN + "the table differs from what policy-docs writes "
      "(row order, merged rows or spacing)"])

# A policy-json row missing: --write adds it with empty Notes, which is allowed.
case("policy-json row missing", PJ,
     lambda t: replace_line(t, CLOCK, "", None),
     [PJ_JWT + "no row for `clock-skew` (ninja -C build policy-docs adds it; "
      "then write its Notes here)"],
     written=lambda t: replace_line(t, CLOCK, "", lambda l: l.replace(" Seconds. |", "  |")))

# A compatibility row missing: --write adds it without prose and says what
# to write; --check keeps failing until Status and jwtgate are written.
EMPTY = [AC_JWT + "`clock-skew` has an empty Status cell: write its status in "
         "docs/apim-compatibility.md",
         AC_JWT + "`clock-skew` has an empty jwtgate cell: write what jwtgate does in "
         "docs/apim-compatibility.md"]
case("compatibility row missing", AC,
     lambda t: replace_line(t, CLOCK, "", None),
     [AC_JWT + "no row for `clock-skew` (ninja -C build policy-docs adds it; "
      "then write its Status, jwtgate and Why here)"],
     written=lambda t: replace_line(
         t, CLOCK, "", "| `clock-skew` | integer 0–86400, default `0` |  |  |  |"),
     write_lines=EMPTY, after_check=EMPTY)

# An empty Status cell fails; --write invents no prose.
case("empty status", AC,
     lambda t: replace_line(t, CLOCK, "", lambda l: l.replace("| Same as APIM |", "|  |")),
     EMPTY[:1],
     written=lambda t: replace_line(t, CLOCK, "", lambda l: l.replace("| Same as APIM |", "|  |")),
     write_lines=EMPTY[:1], after_check=EMPTY[:1])

# A validate-azure-ad-token row of a validate-jwt attribute, missing: --write
# adds it as "As in validate-jwt." with validate-jwt's status, as committed.
case("validate-azure-ad-token row missing", AC,
     lambda t: replace_line(t, "| `failed-validation-httpcode` |", "As in validate-jwt.", None),
     [AC_AAD + "no row for `failed-validation-httpcode` (ninja -C build policy-docs adds it; "
      "then write its Status, jwtgate and Why here)"])

# A validate-azure-ad-token row that says "As in validate-jwt" with another
# Status than validate-jwt's: reported; --write invents no prose.
HTTPCODE = "| `failed-validation-httpcode` |"
other_status = lambda t: replace_line(t, HTTPCODE, "As in validate-jwt.",
                                      lambda l: l.replace("| Same as APIM |", "| Not supported |"))
STATUS = [AC_AAD + '`failed-validation-httpcode`: the Status cell is "Not supported" but the row says '
          '"As in validate-jwt", whose Status is "Same as APIM": make them agree in '
          'docs/apim-compatibility.md']
case("validate-azure-ad-token status differs", AC, other_status, STATUS,
     written=other_status, write_lines=STATUS, after_check=STATUS)

# A row of no attribute: reported; --write drops it.
case("extra row", AC,
     lambda t: replace_line(t, CLOCK, "", lambda l: l + "\n| `no-such` | string | Same as APIM | x. |  |"),
     [AC_JWT + "`no-such` is not a row of src/policy/policy_attributes.cpp "
      "(ninja -C build policy-docs drops it)"])

# Escaped pipes in prose round-trip: --check passes, --write changes nothing.
with_pipe = lambda t: replace_line(t, CLOCK, "", lambda l: l.replace(" Seconds. |", r" Seconds \| s. |"))
case("escaped pipe", PJ, with_pipe, [], written=with_pipe)

for f in failures:
    print(f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
