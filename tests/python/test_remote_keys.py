"""Keys fetched by the validator (openid-config without offline documents),
from a discovery document and JWK Set served on the loopback interface only.

The server is Python, in this process: it can only answer while the
validating thread does not hold the GIL, so every passing fetch here also
shows that the GIL is released during network fetches."""

from __future__ import annotations

import threading
import time
from typing import Any, Iterator

import pytest

import jwtgate
from jwtgate import Reason as R

from conftest import KEYS, NOW, claims, json_server, raw_token, rsa_public_jwk

pytest.importorskip("cryptography")


def _jwks(kid: str) -> dict[str, Any]:
    return {"keys": [rsa_public_jwk(kid)]}


@pytest.fixture()
def idp() -> Iterator[dict[str, Any]]:
    state: dict[str, Any] = {"hits": 0, "delay": 0.0, "kid": "remote-1", "down": False}

    def answer(path: str, base: str) -> Any:
        state["hits"] += 1
        if state["down"]:
            return 503
        time.sleep(state["delay"])
        if path == "/.well-known/openid-configuration":
            return {"issuer": "https://idp.example/", "jwks_uri": base + "/keys"}
        if path == "/keys":
            return _jwks(state["kid"])
        return 404

    with json_server(answer) as base:
        state["url"] = base + "/.well-known/openid-configuration"
        yield state


def _validator(idp: dict[str, Any], **options: Any) -> jwtgate.Validator:
    p = jwtgate.Policy.from_json({"validate-jwt": {
        "header-name": "Authorization", "openid-config": [{"url": idp["url"]}],
        "issuers": ["https://idp.example/"]}})
    settings: dict[str, Any] = {"allow_http_loopback": True, "first_load_timeout": 10, "fetch_timeout": 10}
    settings.update(options)
    return jwtgate.Validator(p, **settings)


def _token(kid: str = "remote-1") -> str:
    return raw_token({"alg": "RS256", "kid": kid}, claims(iss="https://idp.example/"), "RS256",
                     (KEYS / "rsa2048.pem").read_bytes())


def test_first_validation_fetches_the_keys(idp: dict[str, Any]) -> None:
    idp["delay"] = 0.2  # the Python server must run while validate() waits
    v = _validator(idp)
    r = v.validate(_token(), now=NOW)
    assert r.valid, r.explain()
    c = v.key_counters
    assert c["fetches"] >= 1 and c["keys_loaded"] == 1 and c["sources"] == 1 and c["failures"] == 0
    assert v.key_errors == ()


def test_threads_share_the_first_load(idp: dict[str, Any]) -> None:
    idp["delay"] = 0.3
    v = _validator(idp)
    results: list[bool] = []

    def work() -> None:
        results.append(v.validate(_token(), now=NOW).valid)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4
    assert idp["hits"] == 2  # one discovery document, one JWK Set, for all four


def test_refresh_keys_and_errors(idp: dict[str, Any]) -> None:
    v = _validator(idp)
    v.refresh_keys(force=True)
    assert v.validate(_token(), now=NOW).valid
    idp["down"] = True
    with pytest.raises(jwtgate.KeyFetchError) as info:
        v.refresh_keys(force=True)
    assert info.value.issues and v.key_errors
    # A failed fetch never replaces working keys.
    assert v.validate(_token(), now=NOW).valid


def test_refresh_thread(idp: dict[str, Any]) -> None:
    v = _validator(idp, refresh_thread=True)
    deadline = time.monotonic() + 10
    while v.key_counters["keys_loaded"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert v.key_counters["keys_loaded"] == 1
    assert v.validate(_token(), now=NOW).valid
    v.stop_refresh_thread()
    v.stop_refresh_thread()  # idempotent


def test_unreachable_keys_are_reported(idp: dict[str, Any]) -> None:
    idp["down"] = True
    v = _validator(idp, first_load_timeout=2)
    r = v.validate(_token(), now=NOW)
    assert not r.valid and r.reason in (R.KEYS_UNAVAILABLE, R.NO_KEYS, R.KEY_NOT_FOUND)


def test_options_are_checked() -> None:
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "A"}})
    with pytest.raises(TypeError):
        jwtgate.Validator(p, cache_entries=-1)
    with pytest.raises(TypeError):
        jwtgate.Validator(p, allow_http_loopback=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        jwtgate.Validator(p, fetch_timeout="10")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        jwtgate.Validator(p, fetch_timeout=-1)
    with pytest.raises(ValueError):
        jwtgate.Validator(p, max_redirects=1000)
    with pytest.raises(TypeError):
        jwtgate.Validator(p, no_such_option=1)  # type: ignore[call-arg]
    assert jwtgate.Validator(p).key_counters["sources"] == 0
    jwtgate.Validator(p).refresh_keys()  # nothing to fetch: no error


def test_token_cache(make_validator) -> None:
    from conftest import hs, policy_json

    v = jwtgate.Validator(jwtgate.Policy.from_json(policy_json()), cache_entries=64)
    t = hs()
    for _ in range(3):
        r = v.validate(t, now=NOW)
        assert r.valid and r.claims["sub"] == "alice"
    assert v.validate(t, now=NOW + 3600).reason == R.EXPIRED  # exp is checked again
