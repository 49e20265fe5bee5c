"""The package as installed: the CLI through `python -m jwtgate`, type
information (py.typed, stubs) and a docstring on every public name."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import jwtgate
import jwtgate.compat.pyjwt
import jwtgate.exceptions

from conftest import EXAMPLES


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jwtgate", *args], capture_output=True, text=True, timeout=60)


def test_cli_version_and_help() -> None:
    r = run_cli("--version")
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and lines[0] == f"jwtgate {jwtgate.__version__}"
    assert lines[1].startswith(f"libjwtgate {jwtgate.__version__}: policy-xml")
    # Without a command: the usage on stderr, exit 2 (a usage error).
    r = run_cli()
    assert r.returncode == 2 and r.stdout == "" and r.stderr.startswith("usage: jwtgate")
    r = run_cli("nonsense")
    assert r.returncode == 2 and "unknown command" in r.stderr
    r = run_cli("validate", "--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: jwtgate validate")


def test_cli_validates_the_article_example(article) -> None:
    ex = EXAMPLES / "article"
    common = ["--policy", str(ex / "policy.xml"), "--named-values", str(ex / "named-values.json"),
              "--openid-document", f"{(ex / 'openid-config-url.txt').read_text().strip()}={ex / 'openid-configuration.json'}",
              "--jwks-document", f"{(ex / 'jwks-uri.txt').read_text().strip()}={ex / 'jwks.json'}",
              "--now", str(article["now"])]
    ok = run_cli("validate", *common, "--header", "Authorization: Bearer " + article["tokens"]["valid"])
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("validate", *common, "--header", "Authorization: Bearer " + article["tokens"]["expired"])
    assert bad.returncode == 1


def test_cli_is_the_bundled_native_binary() -> None:
    from jwtgate.__main__ import cli_path

    assert cli_path().is_file() and cli_path().parent.parent == Path(jwtgate.__file__).parent


def test_every_source_module_is_installed() -> None:
    # A module added to bindings/python/jwtgate but not to meson.build's
    # install lists would be missing from the wheel.
    from conftest import ROOT

    src = ROOT / "bindings" / "python" / "jwtgate"
    pkg = Path(jwtgate.__file__).parent
    missing = [str(p.relative_to(src)) for p in src.rglob("*.py") if not (pkg / p.relative_to(src)).is_file()]
    assert not missing, missing
    assert (pkg / "_reasons.py").is_file()  # generated at build time


def test_typing_files_are_installed() -> None:
    pkg = Path(jwtgate.__file__).parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_jwtgate.pyi").is_file() and (pkg / "_jwtgate.pyi").stat().st_size > 0


def _public(module) -> list[tuple[str, object]]:
    names = getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")])
    return [(n, getattr(module, n)) for n in names if not n.startswith("__")]


def _frameworks() -> list:
    import jwtgate.fastapi
    import jwtgate.flask
    import jwtgate.starlette

    return [jwtgate.fastapi, jwtgate.starlette, jwtgate.flask]


@pytest.mark.parametrize("module", [jwtgate, jwtgate.exceptions, jwtgate.compat.pyjwt, *_frameworks()])
def test_every_public_name_has_a_docstring(module) -> None:
    missing = []
    for name, obj in _public(module):
        if not (inspect.isclass(obj) or callable(obj)):
            continue
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException) and not issubclass(obj, int):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                target = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
                if callable(target) or isinstance(member, property):
                    if not (getattr(target, "__doc__", None) or "").strip():
                        missing.append(f"{name}.{attr}")
    for attr in ("validate", "valid", "status", "reason", "message", "failures", "claims", "header", "explain",
                 "to_dict", "detail", "subject", "apim_reason"):
        owner = jwtgate.Validator if attr == "validate" else jwtgate.Result
        member = inspect.getattr_static(owner, attr)
        doc = getattr(getattr(member, "fget", member), "__doc__", None) or getattr(member, "__doc__", None)
        if not (doc or "").strip():
            missing.append(f"{owner.__name__}.{attr}")
    assert not missing, f"no docstring: {missing}"


def test_result_members_are_the_extensions() -> None:
    # Result's members are defined by the extension's class, not attached to
    # it afterwards from Python.
    for attr in ("to_dict", "__repr__", "apim_reason", "detail", "subject", "explain", "explain_json"):
        member = inspect.getattr_static(jwtgate.Result, attr)
        target = member.fget if isinstance(member, property) else member
        assert not inspect.isfunction(target), f"Result.{attr} is a Python function"
    assert jwtgate.Result.__module__ == "jwtgate"


def test_mypy_accepts_typed_usage(tmp_path: Path) -> None:
    mypy = pytest.importorskip("mypy.api")
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import jwtgate\n"
        "p = jwtgate.Policy.from_json({'validate-jwt': {'header-name': 'A'}})\n"
        "v = jwtgate.Validator(p, jwtgate.KeySet.from_secret(b'x' * 32))\n"
        "r = v.validate('a.b.c', now=1)\n"
        "ok: bool = r.valid\n"
        "status: int = r.status\n"
        "claims: dict[str, object] = r.claims\n"
        "reason: jwtgate.Reason = r.reason\n"
        "text: str = r.explain()\n"
    )
    out, err, status = mypy.run([str(sample), "--strict", "--no-incremental"])
    assert status == 0, out + err
    out, err, status = mypy.run(["--strict", "--no-incremental", "-p", "jwtgate"])  # the package itself
    assert status == 0, out + err

