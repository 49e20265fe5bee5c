#!/usr/bin/env python3
"""plot.py: draw the benchmark's chart from its JSON.

Usage: python3 bench/plot.py [bench/results/latest.json] [docs/bench.png]

Left: each contender's throughput as a fraction of the raw OpenSSL limit
measured in the same run (medians of per-round ratios), one thread, with the
targets of docs/performance.md marked. Right: operations per second on a log scale, 1
and 2 threads, including the verified-token cache. Needs matplotlib.
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")  # no display: write a file only
import matplotlib.pyplot as plt  # noqa: E402

ALGS = ["HS256", "RS256", "PS256", "ES256", "EdDSA", "JWE-RSA", "JWE-EC"]
TARGET = {"HS256": 0.5, "RS256": 0.95, "PS256": 0.95, "ES256": 0.95, "EdDSA": 0.95,
          "JWE-RSA": 0.9, "JWE-EC": 0.9}


def row(results, alg, contender, threads=1):
    for r in results:
        if r["alg"] == alg and r["contender"] == contender and r["threads"] == threads:
            return r
    return None


def main() -> int:
    src = sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.json"
    dst = sys.argv[2] if len(sys.argv) > 2 else "docs/bench.png"
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    results = data["results"]
    algs = [a for a in ALGS if row(results, a, "limit")]

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))

    # Left: ratios to the same-run limit, one thread.
    ratio_series = [("jwtgate", "jwtgate", "#1f77b4"), ("libjwt", "libjwt 1.10", "#d62728")]
    width = 0.38
    for k, (cid, label, color) in enumerate(ratio_series):
        xs, ys, lo, hi = [], [], [], []
        for i, alg in enumerate(algs):
            r = row(results, alg, cid)
            if not r:
                continue
            xs.append(i + (k - 0.5) * width)
            ys.append(r["ratio_to_limit"])
            lo.append(r["ratio_to_limit"] - r["ratio_min"])
            hi.append(r["ratio_max"] - r["ratio_to_limit"])
        bars = left.bar(xs, ys, width, label=label, color=color, yerr=[lo, hi], capsize=3)
        for b, y in zip(bars, ys):
            left.annotate(f"{y:.2f}", (b.get_x() + b.get_width() / 2, y), ha="center",
                          va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    for i, alg in enumerate(algs):
        left.hlines(TARGET[alg], i - 0.45, i + 0.45, colors="black", linestyles="dashed",
                    label="target" if i == 0 else None)
    left.axhline(1.0, color="grey", linewidth=0.8)
    left.set_xticks(range(len(algs)), algs)
    left.set_ylabel("throughput / OpenSSL limit (1 thread)")
    left.set_ylim(0, 1.25)
    left.set_title("Full validation against the raw OpenSSL limit")
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8)

    # Right: absolute rates.
    series = [("limit", 1, "OpenSSL limit", "#7f7f7f"),
              ("jwtgate", 1, "jwtgate, 1 thread", "#1f77b4"),
              ("jwtgate", 2, "jwtgate, 2 threads", "#aec7e8"),
              ("jwtgate_cache", 1, "jwtgate cache hit, 1 thread", "#2ca02c"),
              ("libjwt", 1, "libjwt 1.10", "#d62728")]
    width = 0.16
    for k, (cid, threads, label, color) in enumerate(series):
        xs, ys = [], []
        for i, alg in enumerate(algs):
            r = row(results, alg, cid, threads)
            if r:
                xs.append(i + (k - 2) * width)
                ys.append(r["ops_per_s"])
        right.bar(xs, ys, width, label=label, color=color)
    right.set_yscale("log")
    right.set_xticks(range(len(algs)), algs)
    right.set_ylabel("validations per second (median)")
    right.set_title("Throughput")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8)

    fig.suptitle(f"jwtgate {data['jwtgate_version']} on {data['cpu']} ({data['cpus']} CPUs), "
                 f"{data['openssl']}; load average {data['loadavg_start'].split()[0]} at start; "
                 f"{data['rounds']} rounds x {data['slice_s']} s", fontsize=9)
    fig.tight_layout()
    fig.savefig(dst, dpi=110)
    print(f"wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
