#!/usr/bin/env python3
"""check_symbols.py: the public functions, three ways, must agree.

  1. tests/abi/symbols.txt: every function ever exported, with the release it
     appeared in (for an experimental one: the release that last changed it),
     stable or experimental, and the release that removed it, if any;
  2. the headers: JWTGATE_API declarations in include/jwtgate.h (stable) and
     include/jwtgate_experimental.h (experimental);
  3. the shared library: its defined dynamic symbols and their versions
     (readelf --dyn-syms), which src/jwtgate.map decides: JWTGATE_<since> for
     a stable function, JWTGATE_EXPERIMENTAL_<since> for an experimental one.

It also checks that every function with a `jwtgate_error **err` parameter
is exercised by tests/capi/test_err_rule.c, which proves jwtgate.h's rule for
each of them.

usage: check_symbols.py SYMBOLS_TXT INCLUDE_DIR LIBRARY READELF ERR_RULE_TEST
"""
import re
import subprocess
import sys


def fail_list(problems):
    print("abi-symbols: %d problem(s):" % len(problems))
    for p in problems:
        print("  - " + p)
    print(
        "A public function is declared in include/jwtgate.h (stable) or "
        "include/jwtgate_experimental.h, listed in src/jwtgate.map under the "
        "node of its version and in tests/abi/symbols.txt; docs/api-stability.md "
        "says how to add, change or remove one."
    )
    sys.exit(1)


def read_list(path, problems):
    """name -> (since, status, removed or None)"""
    entries = {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cols = line.split()
        where = "%s:%d" % (path, n)
        if len(cols) not in (3, 4):
            problems.append("%s: expected NAME SINCE STATUS [REMOVED], got %r" % (where, line))
            continue
        name, since, status = cols[:3]
        removed = cols[3] if len(cols) == 4 else None
        if not re.fullmatch(r"jwtgate_\w+", name):
            problems.append("%s: %s is not a jwtgate_ name" % (where, name))
        for v in (since, removed):
            if v is not None and not re.fullmatch(r"\d+\.\d+", v):
                problems.append("%s: version %r is not MAJOR.MINOR" % (where, v))
        if status not in ("stable", "experimental"):
            problems.append("%s: status %r is neither stable nor experimental" % (where, status))
        if name in entries:
            problems.append("%s: %s is listed twice" % (where, name))
        entries[name] = (since, status, removed)
    return entries


def declarations(path):
    """name -> parameter text, of every JWTGATE_API function declared in path."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    found = {}
    for m in re.finditer(r"JWTGATE_API\b([^;{]*?)\b(jwtgate_\w+)\s*\(([^;{]*?)\)\s*;", text):
        found[m.group(2)] = " ".join(m.group(3).split())
    return found


def exported(library, readelf):
    """name -> version of every defined dynamic function symbol of the library."""
    out = subprocess.run([readelf, "--dyn-syms", "--wide", library], check=True,
                         capture_output=True, text=True).stdout
    symbols = {}
    for line in out.splitlines():
        cols = line.split()
        # Num: Value Size Type Bind Vis Ndx Name; the version nodes themselves
        # are ABS symbols.
        if len(cols) < 8 or not cols[0].endswith(":") or cols[6] in ("UND", "ABS"):
            continue
        if cols[3] not in ("FUNC", "OBJECT", "IFUNC"):
            continue
        name = cols[7]
        version = None
        if "@" in name:
            name, _, version = name.partition("@")
            version = version.lstrip("@")
        symbols[name] = version
    return symbols


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        return 2
    symbols_txt, include, library, readelf, err_test = sys.argv[1:]
    problems = []
    listed = read_list(symbols_txt, problems)
    stable = declarations(include + "/jwtgate.h")
    experimental = declarations(include + "/jwtgate_experimental.h")
    for name in set(stable) & set(experimental):
        problems.append("%s is declared in both headers" % name)
    declared = {**{n: "stable" for n in stable}, **{n: "experimental" for n in experimental}}

    live = {n: e for n, e in listed.items() if e[2] is None}
    for name, status in sorted(declared.items()):
        if name not in listed:
            problems.append("%s (declared %s) is missing from symbols.txt" % (name, status))
        elif listed[name][2] is not None:
            problems.append("%s is declared but symbols.txt says it was removed in %s"
                            % (name, listed[name][2]))
        elif listed[name][1] != status:
            problems.append("%s is declared %s but listed %s" % (name, status, listed[name][1]))
    for name, (since, status, _) in sorted(live.items()):
        if name not in declared:
            problems.append("%s is listed (%s, since %s) but no header declares it; mark it "
                            "removed with the release that removes it" % (name, status, since))

    expected = {n: ("JWTGATE_" if s == "stable" else "JWTGATE_EXPERIMENTAL_") + v
                for n, (v, s, _) in live.items()}
    actual = exported(library, readelf)
    for name, version in sorted(expected.items()):
        if name not in actual:
            problems.append("%s is not exported by %s (add it to node %s of src/jwtgate.map)"
                            % (name, library, version))
        elif actual[name] != version:
            problems.append("%s is exported as version %s, expected %s"
                            % (name, actual[name], version))
    for name, version in sorted(actual.items()):
        if name not in expected:
            problems.append("%s@%s is exported but not a listed, live function"
                            % (name, version))

    # jwtgate.h's jwtgate_error **err rule is tested for each function that has one.
    tested = open(err_test, encoding="utf-8").read()
    for name, params in sorted({**stable, **experimental}.items()):
        if re.search(r"jwtgate_error\s*\*\*\s*err\b", params) and \
                not re.search(r"\b%s\s*\(" % re.escape(name), tested):
            problems.append("%s takes jwtgate_error **err but %s never calls it"
                            % (name, err_test))

    if problems:
        fail_list(problems)
    counts = {}
    for v in expected.values():
        counts[v] = counts.get(v, 0) + 1
    removed = sum(1 for e in listed.values() if e[2] is not None)
    print("abi-symbols: %d functions agree in symbols.txt, the headers and %s (%s; %d removed)"
          % (len(expected), library.rsplit("/", 1)[-1],
             ", ".join("%s: %d" % kv for kv in sorted(counts.items())), removed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
