"""The asyncio API: the event loop keeps running while keys load.

A ticker task counts event-loop ticks (one per 10 ms sleep) while the first
validation of a validator with an openid-config runs against a loopback
provider that answers slowly (or not at all). validate() called from a
coroutine holds the loop for the whole first load: about 0 ticks. avalidate()
and ready() run the load in a worker thread: the loop ticks throughout. The
figures are printed (scripts/python-test.sh shows them)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

import pytest

import jwtgate
from jwtgate import Reason as R

from conftest import NOW
from test_remote_keys import _token, _validator, idp  # noqa: F401 (the idp fixture)

TICK = 0.01


async def measure(call: Callable[[], Awaitable[Any]]) -> tuple[Any, float, int]:
    """(what call returned, seconds it took, event-loop ticks meanwhile)."""
    ticks = 0
    done = False

    async def ticker() -> None:
        nonlocal ticks
        while not done:
            await asyncio.sleep(TICK)
            ticks += 1

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # the ticker is running
    start = time.monotonic()
    counted = ticks
    out = await call()
    elapsed = time.monotonic() - start
    counted = ticks - counted
    done = True
    await task
    return out, elapsed, counted


def test_loop_ticks_during_the_first_validation(idp: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    # The provider never answers within the first-load timeout (2 s): the
    # first validation waits the whole 2 s either way.
    idp["delay"] = 4.0

    async def blocking() -> jwtgate.Result:
        v = _validator(idp, first_load_timeout=2)
        return v.validate(_token(), now=NOW)  # the synchronous call, as before

    async def awaiting() -> jwtgate.Result:
        v = _validator(idp, first_load_timeout=2)
        return await v.avalidate(_token(), now=NOW)

    r1, t1, ticks1 = asyncio.run(measure(blocking))
    r2, t2, ticks2 = asyncio.run(measure(awaiting))
    with capsys.disabled():
        print(f"\nasyncio, first validation with first_load_timeout=2 against a provider that does not answer: "
              f"validate() {t1:.2f} s, {ticks1} loop ticks; avalidate() {t2:.2f} s, {ticks2} loop ticks")
    assert r1.reason == R.KEYS_UNAVAILABLE and r2.reason == R.KEYS_UNAVAILABLE
    assert t1 >= 1.9 and t2 >= 1.9
    assert ticks1 <= 2  # the loop was held
    assert ticks2 >= 0.25 * t2 / TICK  # the loop ran (a quarter of the ideal, for a loaded machine)


def test_avalidate_returns_the_result_after_a_slow_load(idp: dict[str, Any]) -> None:
    idp["delay"] = 0.5
    v = _validator(idp)
    assert v.may_wait_for_keys()
    r, elapsed, ticks = asyncio.run(measure(lambda: v.avalidate(_token(), now=NOW)))
    assert r.valid, r.explain()
    assert ticks >= 10
    # The keys are loaded: from now on validations run inline.
    assert not v.may_wait_for_keys()
    r, elapsed, _ = asyncio.run(measure(lambda: v.avalidate(_token(), now=NOW)))
    assert r.valid and elapsed < 0.5


def test_ready_loads_keys_off_the_loop(idp: dict[str, Any]) -> None:
    idp["delay"] = 0.5
    v = _validator(idp)
    _, elapsed, ticks = asyncio.run(measure(v.ready))
    assert elapsed >= 0.9 and ticks >= 20  # two fetches of 0.5 s; the loop ran
    assert idp["hits"] == 2 and not v.may_wait_for_keys()
    assert v.validate(_token(), now=NOW).valid


def test_ready_reports_a_failed_load(idp: dict[str, Any]) -> None:
    idp["down"] = True
    v = _validator(idp)
    with pytest.raises(jwtgate.KeyFetchError):
        asyncio.run(v.ready())
    # The load was attempted: validations no longer wait, they say why.
    assert not v.may_wait_for_keys()
    assert v.validate(_token(), now=NOW).reason == R.KEYS_UNAVAILABLE


def test_arequire() -> None:
    from conftest import hs, policy_json

    v = jwtgate.Validator(jwtgate.Policy.from_json(policy_json()))
    assert not v.may_wait_for_keys()  # nothing to fetch
    assert asyncio.run(v.arequire(hs(), now=NOW)).claims["sub"] == "alice"
    with pytest.raises(jwtgate.ExpiredTokenError):
        asyncio.run(v.arequire(hs(), now=NOW + 86400))


def test_never_wait(idp: dict[str, Any]) -> None:
    # The library's never-wait setting: a validation before the first load
    # fails at once (keys_unavailable), well before the provider's delay
    # (a loaded 2-core CI machine takes some 0.2 s for a first call);
    # ready() loads the keys off the loop.
    idp["delay"] = 1.5
    for v in (_validator(idp, never_wait=True), _validator(idp, first_load_timeout=0)):
        assert not v.may_wait_for_keys() and v.keys_state == "loading"
        start = time.monotonic()
        r = v.validate(_token(), now=NOW)
        assert time.monotonic() - start < 0.75
        assert r.reason == R.KEYS_UNAVAILABLE and "the first key load has not finished" in r.detail
        _, elapsed, ticks = asyncio.run(measure(v.ready))
        assert ticks >= 20 and v.keys_state == "ready"
        assert v.validate(_token(), now=NOW).valid


def test_wait_keys_and_state(idp: dict[str, Any]) -> None:
    idp["delay"] = 0.3
    v = _validator(idp, never_wait=True, refresh_thread=True)
    assert v.wait_keys(10) == "ready" and v.keys_state == "ready"
    v.stop_refresh_thread()
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "A"}})
    assert jwtgate.Validator(p).keys_state == "none_needed"
    idp["down"] = True
    down = _validator(idp, never_wait=True)
    with pytest.raises(jwtgate.KeyFetchError):
        down.refresh_keys()
    assert down.keys_state == "unavailable"
    with pytest.raises(ValueError):
        down.wait_keys(-1)
