"""Result.explain() and explain_json() are the C library's diagnosis
(jwtgate_result_explain / _explain_json), not a Python rewrite: for the same
policy, token and time they equal what the native CLI (`jwtgate explain`,
the copy the wheel carries) prints, byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import jwtgate

from conftest import NOW, claims, hs, policy_json


def cli_explain(policy: dict[str, Any], token: str, now: int, tmp_path: Path, *extra: str) -> str:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy))
    proc = subprocess.run([sys.executable, "-m", "jwtgate", "explain", "--policy", str(path), "--now", str(now),
                           "--no-color", *extra, token], capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


CASES = {
    "valid": hs(),
    "expired, wrong issuer and audience": hs({"iss": "https://evil", "aud": "x", "exp": NOW - 5}),
    "bad signature": hs()[:-4] + "AAAA",
    "not a token": "not-a-token",
}


@pytest.mark.parametrize("name", list(CASES))
def test_explain_is_the_libraries(name: str, tmp_path: Path) -> None:
    policy = policy_json(**{"required-claims": [{"name": "azp"}]})
    v = jwtgate.Validator(jwtgate.Policy.from_json(policy))
    r = v.validate(CASES[name], now=NOW)
    # The CLI prints its verdict line, then jwtgate_result_explain's text.
    verdict, _, explanation = cli_explain(policy, CASES[name], NOW, tmp_path).partition("\n")
    assert verdict == ("valid: the token is accepted" if r.valid
                       else f"invalid: {r.status} {r.reason.apim}: {r.message}")
    assert r.explain() == explanation
    assert json.loads(r.explain_json()) == json.loads(cli_explain(policy, CASES[name], NOW, tmp_path, "--json"))


def test_explain_of_a_request_uses_the_request(tmp_path: Path) -> None:
    v = jwtgate.Validator(jwtgate.Policy.from_json(policy_json(**{"require-scheme": "Bearer"})))
    r = v.validate(headers={"Authorization": "Basic " + hs()}, now=NOW)
    assert r.reason == jwtgate.Reason.SCHEME_MISMATCH
    assert "Authorization" in r.explain()
    r = v.validate(headers={"Authorization": "Bearer " + hs()}, now=NOW)
    assert "pass token present: from header Authorization" in r.explain()


def test_explain_names_entra_causes(article: dict[str, Any]) -> None:
    # The bundled troubleshooting example: a v1.0 token against a v2.0 policy
    # is recognised as such, the library's finding, not a list of failures.
    policy = jwtgate.Policy.from_xml(article["policy"], article["named_values"], documents=article["documents"])
    r = jwtgate.Validator(policy).validate(headers={"Authorization": "Bearer " + article["tokens"]["v1"]},
                                           now=article["now"])
    text = r.explain()
    assert "A v1.0 token was checked against a v2.0 policy" in text
    findings = json.loads(r.explain_json())["findings"]
    assert findings[0]["code"] and findings[0]["fix"]
    assert r.explain(color=True) != text and "\x1b[" in r.explain(color=True)


def test_explain_without_a_validation() -> None:
    r = jwtgate.decode_unverified(hs(claims()))
    assert r.explain() == "no validation has run on this result\n"
    assert r.explain_json() == "{}"


def test_explain_is_the_extensions_method() -> None:
    # Defined by the extension (it calls jwtgate_result_explain), not in Python.
    import inspect

    assert not inspect.isfunction(inspect.getattr_static(jwtgate.Result, "explain"))
    assert not inspect.isfunction(inspect.getattr_static(jwtgate.Result, "explain_json"))
