"""A pytest plugin (-p jwtgate_outcomes) that writes each test's outcome as a
JSON line to $JWTGATE_OUTCOMES: {"id": nodeid, "outcome": passed|failed|skipped}.
A test passed when its setup, call and teardown all passed."""

import json
import os

_results: dict[str, str] = {}


def pytest_runtest_logreport(report):  # type: ignore[no-untyped-def]
    prev = _results.get(report.nodeid)
    if report.skipped:
        outcome = "skipped"
    elif report.failed:
        outcome = "failed"
    else:
        outcome = "passed"
    if prev in ("failed",) or (prev == "skipped" and outcome == "passed"):
        return
    _results[report.nodeid] = outcome


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    with open(os.environ["JWTGATE_OUTCOMES"], "w", encoding="utf-8") as out:
        for nodeid, outcome in _results.items():
            out.write(json.dumps({"id": nodeid, "outcome": outcome}) + "\n")
