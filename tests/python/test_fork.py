"""Validators across os.fork() (jwtgate.h, the fork rules): one created
before the fork works in the child, where its refresh thread starts; one
whose refresh thread ran at the fork keeps validating in the child with the
keys it had and refuses, clearly, to refresh there. Each scenario runs in a
fresh interpreter (forking pytest itself, with its threads, is not done)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

pytest.importorskip("cryptography")

SCRIPT = textwrap.dedent(r"""
    import json, os, sys
    sys.path.insert(0, sys.argv[1])
    from test_remote_keys import _jwks, _token
    import jwtgate
    from conftest import NOW, json_server

    def answer(path, base):
        return ({"issuer": "https://idp.example/", "jwks_uri": base + "/keys"}
                if path == "/.well-known/openid-configuration" else _jwks("remote-1"))

    serving = json_server(answer)  # held: closing it stops the server
    base = serving.__enter__()     # serves until this process exits
    url = base + "/.well-known/openid-configuration"

    def validator(**kw):
        p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization",
                                                       "openid-config": [{"url": url}],
                                                       "issuers": ["https://idp.example/"]}})
        return jwtgate.Validator(p, allow_http_loopback=True, fetch_timeout=10, **kw)

    scenario = sys.argv[2]
    if scenario == "before":
        v = validator()                   # created before the fork, no thread
    else:
        v = validator(refresh_thread=True)
        assert v.wait_keys(10) == "ready"
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        out = {}
        try:
            if scenario == "before":
                v.start_refresh_thread()  # the child's own thread
                out["state"] = v.wait_keys(10)
                out["valid"] = v.validate(_token(), now=NOW).valid
            else:
                out["valid"] = v.validate(_token(), now=NOW).valid  # the keys it had
                try:
                    v.start_refresh_thread()
                    out["start"] = "started"
                except RuntimeError as e:
                    out["start"] = str(e)
                try:
                    v.refresh_keys(force=True)
                    out["refresh"] = "refreshed"
                except jwtgate.KeyFetchError as e:
                    out["refresh"] = "KeyFetchError"
                fresh = validator(refresh_thread=True)   # a new validator refreshes in the child
                out["fresh"] = fresh.wait_keys(10) == "ready" and fresh.validate(_token(), now=NOW).valid
        except Exception as e:  # reported to the parent
            out["error"] = repr(e)
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.waitpid(pid, 0)
    print(data.decode())
""")


def run(scenario: str) -> dict:
    env = dict(os.environ, JWTGATE_SOURCE_ROOT=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "tests" / "python"), scenario],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_validator_created_before_fork_refreshes_in_the_child() -> None:
    assert run("before") == {"state": "ready", "valid": True}


def test_refresh_thread_at_fork_is_refused_clearly_in_the_child() -> None:
    out = run("thread")
    assert out["valid"] is True
    assert out["start"].startswith("this validator's refresh thread was running when the process forked")
    assert out["refresh"] == "KeyFetchError"
    assert out["fresh"] is True
