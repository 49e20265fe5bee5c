"""PyJWT's own test suite, run against jwtgate.compat.pyjwt.

The suite is PyJWT's sdist at a pinned version, downloaded from PyPI (its
SHA-256 checked against the pin) and cached under the build directory; it is
not in this repository. Its tests/ run in a fresh pytest process, with PyJWT's
own pytest configuration (warnings are errors), and with
tests/python/pyjwt_suite/ first on the path: its `jwt` package is the shim
that makes `import jwt` mean jwtgate.compat.pyjwt (see its docstring for the
one documented test step, the padding of short HMAC secrets).

Every test that does not pass is listed in pyjwt_suite/excluded.txt with the
reason; this test fails when a test fails that is not listed, or when a listed
test passes (the list must stay exact), or when the download or the hash
check fails (never skipped). It prints "PyJWT suite: N of M passed" and writes
that line to $JWTGATE_PYJWT_REPORT when set (scripts/python-test.sh prints it).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

PYJWT_VERSION = "2.15.1"
PYJWT_SDIST = f"pyjwt-{PYJWT_VERSION}.tar.gz"
PYJWT_SHA256 = "4f259e80cdfb6b3fc18a7de51fd1ef9ec79652f25019bae68975ca2468a34df8"
SUITE = Path(__file__).resolve().parent / "pyjwt_suite"
# The suite passes 90% at least (the target the compat layer is held to).
MIN_PASS_RATIO = 0.90


def _cache_dir() -> Path:
    d = Path(os.environ.get("JWTGATE_PYJWT_CACHE", ROOT / "build-python" / "pyjwt-cache"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_sdist() -> Path:
    """The pinned sdist, from the cache or PyPI; its hash is always checked."""
    path = _cache_dir() / PYJWT_SDIST
    if not path.exists() or _sha256(path) != PYJWT_SHA256:
        # PyPI's simple index (PEP 691, the JSON form pip reads) names the
        # file's URL and hash.
        index = urllib.request.Request("https://pypi.org/simple/pyjwt/",
                                       headers={"Accept": "application/vnd.pypi.simple.v1+json"})
        with urllib.request.urlopen(index, timeout=60) as resp:
            files = json.load(resp)["files"]
        sdists = [f for f in files if f["filename"] == PYJWT_SDIST]
        assert len(sdists) == 1, f"PyPI lists {len(sdists)} files named {PYJWT_SDIST}"
        assert sdists[0]["hashes"]["sha256"] == PYJWT_SHA256, "PyPI's hash differs from the pinned one"
        tmp = path.with_suffix(".part")
        with urllib.request.urlopen(sdists[0]["url"], timeout=120) as resp:
            tmp.write_bytes(resp.read())
        got = _sha256(tmp)
        assert got == PYJWT_SHA256, f"the downloaded sdist's SHA-256 is {got}, not the pinned {PYJWT_SHA256}"
        tmp.replace(path)
    assert _sha256(path) == PYJWT_SHA256
    return path


def read_exclusions() -> dict[str, str]:
    """excluded.txt: `test id  # reason` lines (blank lines and # comments skipped)."""
    out: dict[str, str] = {}
    for line in (SUITE / "excluded.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        test_id, sep, reason = line.partition("  # ")
        assert sep and reason.strip(), f"excluded.txt: no reason for {test_id!r}"
        assert test_id not in out, f"excluded.txt lists {test_id} twice"
        out[test_id.strip()] = reason.strip()
    return out


def run_suite(tmp_path: Path) -> dict[str, str]:
    with tarfile.open(fetch_sdist()) as tar:
        members = [m for m in tar.getmembers()
                   if m.name.startswith(f"pyjwt-{PYJWT_VERSION}/tests/") or m.name == f"pyjwt-{PYJWT_VERSION}/pyproject.toml"]
        tar.extractall(tmp_path, members=members)  # noqa: S202 (hash-pinned archive, chosen members)
    root = tmp_path / f"pyjwt-{PYJWT_VERSION}"
    outcomes = tmp_path / "outcomes.jsonl"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SUITE)] + sys.path), JWTGATE_OUTCOMES=str(outcomes))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "jwtgate_outcomes", "-q", "-o",
         "addopts=", "tests"],
        cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert outcomes.exists(), f"the suite did not run:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    results: dict[str, str] = {}
    for line in outcomes.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        results[row["id"]] = row["outcome"]
    # The shim must be what the suite imported, not an installed PyJWT.
    assert "tests/test_api_jwt.py::TestJWT::test_decodes_valid_jwt" in results, proc.stdout[-2000:]
    return results


def test_pyjwt_suite_against_compat(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = run_suite(tmp_path)
    excluded = read_exclusions()
    total = len(results)
    passed = sorted(t for t, o in results.items() if o == "passed")
    failed = sorted(t for t, o in results.items() if o == "failed")
    skipped = sorted(t for t, o in results.items() if o == "skipped")
    line = (f"PyJWT suite: {len(passed)} of {total} passed (PyJWT {PYJWT_VERSION}; {len(failed)} failed, all listed "
            f"with reasons in tests/python/pyjwt_suite/excluded.txt; {len(skipped)} skipped by the suite itself)")
    with capsys.disabled():
        print("\n" + line)
    report = os.environ.get("JWTGATE_PYJWT_REPORT")
    if report:
        Path(report).write_text(line + "\n", encoding="utf-8")
    unexpected = [t for t in failed if t not in excluded]
    now_passing = [t for t in excluded if results.get(t) == "passed"]
    missing = [t for t in excluded if t not in results]
    assert not unexpected, "tests failing that excluded.txt does not list:\n" + "\n".join(unexpected)
    assert not now_passing, "tests excluded.txt lists that now pass (remove them):\n" + "\n".join(now_passing)
    assert not missing, "tests excluded.txt lists that the suite no longer has:\n" + "\n".join(missing)
    # Skipped by the suite itself: its tests of PyJWT without cryptography,
    # which is installed here.
    assert set(skipped) == {
        "tests/test_api_jwk.py::TestPyJWK::test_missing_crypto_library_good_error_message",
        "tests/test_api_jwk.py::TestPyJWK::test_missing_crypto_library_raises_missing_cryptography_error",
        "tests/test_api_jwk.py::TestPyJWKSet::test_missing_crypto_library_raises_when_required",
        "tests/test_api_jws.py::TestJWS::test_missing_crypto_library_better_error_messages",
    }
    assert len(passed) >= MIN_PASS_RATIO * total, line
