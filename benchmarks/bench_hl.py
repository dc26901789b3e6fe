"""Time the Hodges-Lehmann estimate and interval: selection by rank against the old search.

Run from the repository root::

    python benchmarks/bench_hl.py            # n = 21 ... 1e6, 5 rounds
    python benchmarks/bench_hl.py --quick    # n up to 1e5, 3 rounds
    python benchmarks/bench_hl.py --old-max 1000000   # also time the old code at 1e6

Two tables, on seeded normal data made once per run:

1. ``walsh_order_statistics_rows`` for the four order statistics a Wilcoxon interval
   needs (the middle rank(s) and the two normal-approximation interval ranks at 95 %),
   new against old. *Old* is the module as of commit 76a8248 (band partition for small
   n, value bisection with a counting pass per step above 2e6 sums), the frozen copy kept
   as the reference in ``tests/test_walsh_selection.py``.
2. ``ps.PairedStudy(pre, post).test("wilcoxon")`` at n = 2 000 and 1e5 against
   ``scipy.stats.wilcoxon(pre, post)`` and against the same call with the old selection
   patched in.

Every round times every case once, in a rotating order, so the cases share the
machine's load; each figure is the best of the rounds (calls under 50 ms are repeated
within a round and averaged). Ratios are ``other / new`` (above 1: new is faster).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import pairedstudy as ps
from pairedstudy.inference import wilcoxon as wilcoxon_module
from pairedstudy.inference._walsh import middle_ranks, walsh_order_statistics_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_walsh_selection import old_walsh_order_statistics_rows

SIZES = (21, 200, 2_000, 10_000, 100_000, 1_000_000)
STUDY_SIZES = (2_000, 100_000)


def interval_ranks(n: int, z: float = 1.959963984540054) -> list[int]:
    """The middle rank(s) and the normal-approximation 95 % interval ranks (0-based)."""
    count = n * (n + 1) // 2
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    low = max(0, int(count / 2 - z * sd))
    return [*middle_ranks(n), low, count - 1 - low]


def timed(func: Callable[[], Any]) -> float:
    """Seconds per call: one call, or the mean of enough calls to fill about 50 ms."""
    start = time.perf_counter()
    func()
    once = time.perf_counter() - start
    if once >= 0.05:
        return once
    repeats = max(1, int(0.05 / max(once, 1e-7)))
    start = time.perf_counter()
    for _ in range(repeats):
        func()
    return (time.perf_counter() - start) / repeats


def run_rounds(cases: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Best time of each case over ``rounds`` rounds, the order rotating between rounds."""
    names = list(cases)
    best = dict.fromkeys(names, math.inf)
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            best[name] = min(best[name], timed(cases[name]))
    return best


def old_wilcoxon(pre: np.ndarray, post: np.ndarray) -> Any:
    """The same Wilcoxon call with the old order-statistics search patched in."""
    saved = wilcoxon_module.walsh_order_statistics_rows
    wilcoxon_module.walsh_order_statistics_rows = old_walsh_order_statistics_rows
    try:
        return ps.PairedStudy(pre, post).test("wilcoxon")
    finally:
        wilcoxon_module.walsh_order_statistics_rows = saved


def seconds(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value * 1e3:.3g} ms" if value < 1 else f"{value:.3g} s"


def ratio(other: float, ours: float) -> str:
    return f"{other / ours:.2f}x" if math.isfinite(other) else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n up to 1e5, 3 rounds")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 5, 3)")
    parser.add_argument(
        "--old-max", type=int, default=100_000, help="time the old code up to this n"
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 5)
    sizes = [n for n in SIZES if not (args.quick and n > 100_000)]
    rng = np.random.default_rng(16)
    data = {n: rng.normal(0.3, 1.0, (1, n)) for n in sizes}

    cases: dict[str, Callable[[], Any]] = {}
    for n in sizes:
        x, ks = data[n], interval_ranks(n)
        new = walsh_order_statistics_rows(x, ks)
        cases[f"new {n}"] = lambda x=x, ks=ks: walsh_order_statistics_rows(x, ks)
        if n <= args.old_max:
            old = old_walsh_order_statistics_rows(x, ks)
            if not np.array_equal(new.view(np.int64), old.view(np.int64)):
                raise AssertionError(f"new and old differ at n = {n}: {new} vs {old}")
            cases[f"old {n}"] = lambda x=x, ks=ks: old_walsh_order_statistics_rows(x, ks)

    import scipy.stats

    studies = {}
    for n in STUDY_SIZES:
        pre = rng.normal(50.0, 10.0, n)
        post = pre + rng.normal(1.0, 5.0, n)
        studies[n] = (pre, post)
        cases[f"study {n}"] = lambda p=pre, q=post: ps.PairedStudy(p, q).test("wilcoxon")
        cases[f"study old {n}"] = lambda p=pre, q=post: old_wilcoxon(p, q)
        cases[f"scipy {n}"] = lambda p=pre, q=post: scipy.stats.wilcoxon(p, q)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        best = run_rounds(cases, rounds)

    print(f"Walsh order statistics for a Wilcoxon interval (4 ranks), best of {rounds} rounds")
    print(f"{'n':>9} | {'new':>10} | {'old':>10} | old / new")
    print("-" * 46)
    for n in sizes:
        ours, theirs = best[f"new {n}"], best.get(f"old {n}", math.inf)
        print(f"{n:>9} | {seconds(ours):>10} | {seconds(theirs):>10} | {ratio(theirs, ours)}")
    print()
    print(f'ps.PairedStudy(pre, post).test("wilcoxon"), best of {rounds} rounds')
    header = f"{'n':>9} | {'new':>10} | {'old':>10} | {'scipy':>10} | old / new | scipy / new"
    print(header)
    print("-" * len(header))
    for n in STUDY_SIZES:
        ours, old, peer = best[f"study {n}"], best[f"study old {n}"], best[f"scipy {n}"]
        print(
            f"{n:>9} | {seconds(ours):>10} | {seconds(old):>10} | {seconds(peer):>10} | "
            f"{ratio(old, ours):>9} | {ratio(peer, ours):>11}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
