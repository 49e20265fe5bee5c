"""Threads (one validator shared, results never mixed, the GIL released while
the library works) and memory (no growth over 100,000 validations)."""

from __future__ import annotations

import gc
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import jwtgate
from jwtgate import Reason as R

from conftest import KEYS, NOW, claims, hs, raw_token


def test_shared_validator_many_threads(validator: jwtgate.Validator) -> None:
    """Eight threads, interleaved valid and invalid tokens, each result must be
    that of its own token (per-thread results in the extension)."""
    tokens = [(hs(claims(sub=f"user{i}")), f"user{i}", True) for i in range(50)]
    tokens += [(hs(claims(sub=f"late{i}", exp=NOW - 1)), f"late{i}", False) for i in range(50)]

    def work(seed: int) -> int:
        bad = 0
        for k in range(2000):
            t, sub, ok = tokens[(seed * 7 + k) % len(tokens)]
            r = validator.validate(t, now=NOW)
            if r.valid != ok or r.claims["sub"] != sub or (not ok and r.reason != R.EXPIRED):
                bad += 1
        return bad

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(work, range(8))) == 0


def test_request_path_many_threads() -> None:
    p = jwtgate.Policy.from_json({"validate-jwt": {
        "header-name": "Authorization", "require-scheme": "Bearer",
        "issuer-signing-keys": [{"value": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}]}})
    v = jwtgate.Validator(p)

    def work(i: int) -> bool:
        t = hs(claims(sub=f"u{i}"))
        return all(v.validate(headers={"Authorization": "Bearer " + t}, now=NOW).claims["sub"] == f"u{i}"
                   for _ in range(300))

    with ThreadPoolExecutor(6) as pool:
        assert all(pool.map(work, range(24)))


def test_keys_swapped_while_validating(rsa_private_pem: bytes) -> None:
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization"}})
    good = jwtgate.KeySet.from_file(KEYS / "rsa2048.pub.pem")
    other = jwtgate.KeySet.from_file(KEYS / "rsa2048b.pub.pem")
    v = jwtgate.Validator(p, good)
    t = raw_token({"alg": "RS256"}, claims(), "RS256", rsa_private_pem)
    stop = threading.Event()
    seen: set = set()

    def swapper() -> None:
        while not stop.is_set():
            v.keys = other
            v.keys = good

    th = threading.Thread(target=swapper)
    th.start()
    try:
        for _ in range(500):
            seen.add(v.validate(t, now=NOW).reason)
    finally:
        stop.set()
        th.join()
    assert seen <= {R.NONE, R.SIGNATURE_INVALID, R.KEY_NOT_FOUND}


def test_gil_is_released_during_validation(rsa_private_pem: bytes) -> None:
    """With a switch interval so long that the interpreter never preempts, a
    second thread only runs when the validating thread releases the GIL. It
    must get the GIL back during validations. On a loaded 2-core machine the
    other thread is often not scheduled in the few microseconds the GIL is
    free (0 to 13 runs in 400 validations were seen under a load of 12 to 24),
    so validations go on, in rounds of 400, until it has run, up to 8000; with
    the GIL held it never runs (the switch interval, 30 s, is far longer)."""
    p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "Authorization"}})
    v = jwtgate.Validator(p, jwtgate.KeySet.from_file(KEYS / "rsa2048.pub.pem"))
    t = raw_token({"alg": "RS256"}, claims(), "RS256", rsa_private_pem)
    n = 400
    done = threading.Event()
    ticks = [0]

    def ticker() -> None:
        import time

        while not done.is_set():
            ticks[0] += 1
            time.sleep(0)  # releases the GIL at once, so the validator gets it back

    old = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    th = threading.Thread(target=ticker)
    try:
        th.start()
        before = ticks[0]
        rounds = 0
        while rounds < 20 and ticks[0] == before:
            for _ in range(n):
                assert v.validate(t, now=NOW).valid
            rounds += 1
        during = ticks[0] - before
    finally:
        done.set()
        sys.setswitchinterval(old)
        th.join()
    assert during >= 1, f"the other thread never ran during {rounds * n} validations"


def _rss_kib() -> int:
    with open(f"/proc/{os.getpid()}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_no_memory_growth_over_100000_validations(validator: jwtgate.Validator) -> None:
    tokens = [hs(claims(sub=f"user{i}")) for i in range(8)] + [hs(claims(exp=NOW - 1)), "x.y.z", ""]
    headers = {"Authorization": tokens[0]}

    def run(count: int) -> None:
        for i in range(count):
            t = tokens[i % len(tokens)]
            r = validator.validate(t, now=NOW)
            if i % 3 == 0:
                r.claims, r.header, r.failures, r.message
            if i % 5 == 0:
                validator.validate(headers=headers, now=NOW)
            if i % 7 == 0:
                try:
                    validator.require(t, now=NOW)
                except jwtgate.InvalidTokenError:
                    pass

    run(20000)  # warm up: per-thread results, caches, allocator pools
    gc.collect()
    start = _rss_kib()
    run(100000)
    gc.collect()
    grown = _rss_kib() - start
    assert grown < 2048, f"RSS grew by {grown} KiB over 100,000 validations"


def test_no_growth_loading_policies_and_keys() -> None:
    def run(count: int) -> None:
        for _ in range(count):
            p = jwtgate.Policy.from_json({"validate-jwt": {"header-name": "A", "issuers": ["x"]}})
            ks = jwtgate.KeySet.from_file(KEYS / "rsa2048.pub.pem")
            jwtgate.Validator(p, ks)
            try:
                jwtgate.Policy.from_json({"validate-jwt": {"clock-skew": "x"}})
            except jwtgate.PolicyError:
                pass

    run(500)
    gc.collect()
    start = _rss_kib()
    run(3000)
    gc.collect()
    assert _rss_kib() - start < 2048
