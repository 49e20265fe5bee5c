#!/usr/bin/env python3
"""bench.py: jwtgate from Python against the raw OpenSSL limit, PyJWT and joserfc.

One run measures, on the same tokens (64 distinct tokens per algorithm, all
valid, signed with tests/data/keys/rsa2048.pem or a 32-byte HMAC secret):

  openssl limit   bench/python/openssl_limit.c, compiled here with the system
                  cc against the system libcrypto (the OpenSSL jwtgate links)
                  and called through ctypes: per token only SHA-256 + the RSA
                  verification (or HMAC), key and contexts prepared up front,
                  signatures pre-decoded, the loop in C. No library can go
                  faster on this machine.
  cryptography    the same primitive from Python: RSAPublicKey.verify (or
                  hmac.digest + compare_digest) on the pre-split token (what
                  PyJWT and joserfc build on; shown for reference).
  jwtgate C loop  the same validator driven by a C++ loop inside the extension
                  (jwtgate_validate_token, no Python per token): the library's
                  own cost, to tell it apart from the binding's.
  jwtgate         validator.validate(token).valid: signature, exp, iss and
                  aud checked (policy: issuers, audiences, RS256 or HS256).
  jwtgate+claims  the same, then .claims materialised as a dict (what PyJWT
                  returns).
  compat decode   jwtgate.compat.pyjwt.decode(token, key, algorithms=[...],
                  audience=..., issuer=...): PyJWT's call on jwtgate, with the
                  same key as PyJWT's row (the claims dict returned, as PyJWT
                  returns it).
  compat(pem)     the same with the PEM text as key.
  PyJWT           jwt.decode(token, key, algorithms=[...], audience=..., issuer=...)
                  with the key pre-loaded as a cryptography object (its
                  fastest form) for RS256, bytes for HS256.
  PyJWT(pem)      the same with the PEM text as key, as most code calls it.
  joserfc         jwt.decode(token, key, algorithms=[...]) with a pre-imported
                  key, then JWTClaimsRegistry(iss, aud).validate(claims).

Rounds: each contender runs for --slice seconds in turn, --rounds times
(interleaved, so background load hits all alike); a contender's rate is the
median of its rounds, and each ratio is the median of the per-round ratios.
Only ratios are claimed; absolute rates are printed for context.

Usage: python bench/python/bench.py [--rounds 7] [--slice 0.3] [--alg RS256] [--json FILE]
Needs: pip install . ; pip install -r bench/python/requirements.txt ; a C compiler
and libssl-dev.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import hashlib
import hmac
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
KEYS = ROOT / "tests" / "data" / "keys"
SECRET = bytes(range(32))  # HS256: a full-length 256-bit key
ISSUER = "https://login.example.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
AUDIENCE = "api://7e5ff242-8d3a-46a9-8890-45722c2f3d27"

TARGETS = {
    # (algorithm, numerator, denominator): minimum ratio
    ("RS256", "jwtgate", "openssl limit"): 0.85,
    ("RS256", "jwtgate", "PyJWT"): 3.0,
    ("HS256", "jwtgate", "PyJWT"): 10.0,
    # The PyJWT drop-in, claims dict included, against PyJWT itself.
    ("RS256", "compat decode", "PyJWT"): 3.0,
    ("HS256", "compat decode", "PyJWT"): 10.0,
}


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def mint(alg: str, n: int) -> list[str]:
    """n distinct, valid Entra-shaped access tokens signed by cryptography/hmac."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    priv = serialization.load_pem_private_key((KEYS / "rsa2048.pem").read_bytes(), password=None)
    now = int(time.time())
    out = []
    for i in range(n):
        header = {"typ": "JWT", "alg": alg, "kid": "bench-key"}
        claims = {
            "aud": AUDIENCE, "iss": ISSUER, "iat": now - 60, "nbf": now - 60, "exp": now + 86400,
            "azp": "a1888df2-84c2-4379-8d53-7091dd630ca7", "azpacr": "1", "idtyp": "app",
            "oid": f"3c5a2e1b-8f7d-4e21-9c3a-{i:012d}", "roles": ["Data.Read", "Data.Write"],
            "sub": f"3c5a2e1b-8f7d-4e21-9c3a-{i:012d}", "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "uti": f"bench-{i}", "ver": "2.0",
        }
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        if alg == "HS256":
            sig = hmac.new(SECRET, signing_input.encode(), hashlib.sha256).digest()
        else:
            sig = priv.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr]
        out.append(signing_input + "." + b64url(sig))
    return out


def build_limit(workdir: Path) -> ctypes.CDLL:
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        sys.exit("bench: no C compiler (cc) found; the OpenSSL limit needs one")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libcrypto"], check=True, capture_output=True,
                           text=True).stdout.split()
    lib = workdir / "openssl_limit.so"
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(lib), str(Path(__file__).with_name("openssl_limit.c")),
                    *flags], check=True)
    dll = ctypes.CDLL(str(lib))
    dll.limit_new.restype = ctypes.c_void_p
    dll.limit_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
    dll.limit_run.restype = ctypes.c_double
    dll.limit_run.argtypes = [ctypes.c_void_p, ctypes.c_double]
    dll.limit_free.argtypes = [ctypes.c_void_p]
    return dll


def python_rate(fn: Callable[[str], object], tokens: list[str], seconds: float) -> float:
    """Calls per second of fn over the tokens, round-robin, for about |seconds|."""
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for t in tokens:
            fn(t)
        done += len(tokens)
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - start)


def contenders(alg: str, tokens: list[str], dll: ctypes.CDLL) -> dict[str, Callable[[float], float]]:
    import jwt as pyjwt
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import OctKey, RSAKey
    from joserfc.jwt import JWTClaimsRegistry

    import jwtgate

    pub_pem = (KEYS / "rsa2048.pub.pem").read_bytes()
    c: dict[str, Callable[[float], float]] = {}

    # openssl limit
    key = SECRET if alg == "HS256" else pub_pem
    blob = b"\0".join(t.encode() for t in tokens) + b"\0"
    handle = dll.limit_new(alg.encode(), key, len(key), blob, len(tokens))
    if not handle:
        sys.exit(f"bench: the OpenSSL limit helper could not prepare {alg}")
    if dll.limit_run(handle, 0.01) < 0:
        sys.exit(f"bench: the OpenSSL limit helper failed to verify the {alg} tokens")
    c["openssl limit"] = lambda s: dll.limit_run(handle, s)

    # cryptography (reference)
    split = [(t.rsplit(".", 1)[0].encode(), base64.urlsafe_b64decode(t.rsplit(".", 1)[1] + "==")) for t in tokens]
    if alg == "HS256":
        def crypto_one(item: tuple[bytes, bytes]) -> None:
            if not hmac.compare_digest(hmac.digest(SECRET, item[0], "sha256"), item[1]):
                raise AssertionError("HMAC mismatch")
    else:
        pub = serialization.load_pem_public_key(pub_pem)
        pkcs1, sha = padding.PKCS1v15(), hashes.SHA256()

        def crypto_one(item: tuple[bytes, bytes]) -> None:
            pub.verify(item[1], item[0], pkcs1, sha)  # type: ignore[union-attr,call-arg]
    c["cryptography"] = lambda s: python_rate(crypto_one, split, s)  # type: ignore[arg-type]

    # jwtgate
    body = {"header-name": "Authorization", "issuers": [ISSUER], "audiences": [AUDIENCE],
            "jwtgate": {"algorithms": [alg]}}
    if alg == "HS256":
        body["issuer-signing-keys"] = [{"id": "bench-key", "value": base64.b64encode(SECRET).decode()}]
        keys = None
    else:
        keys = jwtgate.KeySet.from_pem(pub_pem, kid="bench-key")
    validator = jwtgate.Validator(jwtgate.Policy.from_json({"validate-jwt": body}), keys)
    for t in tokens:
        r = validator.validate(t)
        if not r.valid:
            sys.exit(f"bench: jwtgate rejected a token: {r.explain()}")
    validate = validator.validate
    c["jwtgate C loop"] = lambda s: jwtgate._jwtgate._bench_loop(validator, tokens, s)
    c["jwtgate"] = lambda s: python_rate(lambda t: validate(t).valid, tokens, s)
    c["jwtgate+claims"] = lambda s: python_rate(lambda t: validate(t).claims, tokens, s)

    # jwtgate.compat.pyjwt, with PyJWT's own arguments
    import jwtgate.compat.pyjwt as compat

    pj_key = SECRET if alg == "HS256" else serialization.load_pem_public_key(pub_pem)
    compat_decode = compat.decode
    want = pyjwt.decode(tokens[0], pj_key, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER)
    if compat_decode(tokens[0], pj_key, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER) != want:
        sys.exit("bench: compat decode's claims differ from PyJWT's")
    c["compat decode"] = lambda s: python_rate(
        lambda t: compat_decode(t, pj_key, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER), tokens, s)
    if alg != "HS256":
        c["compat(pem)"] = lambda s: python_rate(
            lambda t: compat_decode(t, pub_pem, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER), tokens, s)

    # PyJWT
    pj_decode = pyjwt.decode
    c["PyJWT"] = lambda s: python_rate(
        lambda t: pj_decode(t, pj_key, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER), tokens, s)
    if alg != "HS256":
        c["PyJWT(pem)"] = lambda s: python_rate(
            lambda t: pj_decode(t, pub_pem, algorithms=[alg], audience=AUDIENCE, issuer=ISSUER), tokens, s)

    # joserfc
    jose_key = OctKey.import_key(SECRET) if alg == "HS256" else RSAKey.import_key(pub_pem)
    registry = JWTClaimsRegistry(iss={"essential": True, "value": ISSUER}, aud={"essential": True, "value": AUDIENCE})

    def jose_one(t: str) -> None:
        tok = jose_jwt.decode(t, jose_key, algorithms=[alg])
        registry.validate(tok.claims)
    c["joserfc"] = lambda s: python_rate(jose_one, tokens, s)

    for name, fn in c.items():  # every contender accepts every token before timing
        if fn(0.001) <= 0:
            sys.exit(f"bench: {name} failed")
    return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--slice", type=float, default=0.3, help="seconds per contender per round")
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--alg", action="append", choices=["RS256", "HS256"],
                    help="run only this algorithm (repeatable; default both)")
    args = ap.parse_args()

    import cryptography
    import joserfc
    import jwt as pyjwt

    import jwtgate

    print(f"jwtgate {jwtgate.__version__} | PyJWT {pyjwt.__version__} | joserfc {joserfc.__version__} | "
          f"cryptography {cryptography.__version__} | Python {sys.version.split()[0]} | "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    report: dict[str, dict[str, object]] = {}
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        dll = build_limit(Path(tmp))
        for alg in args.alg or ("RS256", "HS256"):
            tokens = mint(alg, args.tokens)
            c = contenders(alg, tokens, dll)
            rounds: list[dict[str, float]] = []
            for i in range(args.rounds):
                names = list(c)
                names = names[i % len(names):] + names[:i % len(names)]  # rotate the order
                rounds.append({n: c[n](args.slice) for n in names})
            rate = {n: statistics.median(r[n] for r in rounds) for n in c}
            base = "openssl limit"
            print(f"\n{alg}: {args.tokens} tokens, {args.rounds} rounds x {args.slice:.2f} s per contender")
            print(f"  {'contender':<16}{'validations/s':>15}{'us/token':>10}{'vs openssl':>12}{'vs PyJWT':>10}")
            for n in c:
                vs_limit = statistics.median(r[n] / r[base] for r in rounds)
                vs_pyjwt = statistics.median(r[n] / r["PyJWT"] for r in rounds)
                print(f"  {n:<16}{rate[n]:>15,.0f}{1e6 / rate[n]:>10.2f}{vs_limit:>11.3f}x{vs_pyjwt:>9.2f}x")
            report[alg] = {"rates": rate, "rounds": rounds}
            for (a, num, den), target in TARGETS.items():
                if a != alg:
                    continue
                ratio = statistics.median(r[num] / r[den] for r in rounds)
                ok = ratio >= target
                report[alg][f"{num}/{den}"] = ratio
                print(f"  target {num} / {den} >= {target:g}: {ratio:.2f} {'MET' if ok else 'NOT MET'}")
                if not ok:
                    failed.append(f"{alg} {num}/{den} {ratio:.2f} < {target:g}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    print("\nall targets met" if not failed else "\ntargets NOT met: " + "; ".join(failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
