"""Time the Hodges-Lehmann estimate and interval: selection by rank against the old search.

Run from the repository root::

    python benchmarks/bench_hl.py            # n = 21 ... 1e6, 5 rounds
    python benchmarks/bench_hl.py --quick    # n up to 1e5, 3 rounds
    python benchmarks/bench_hl.py --old-max 1000000   # also time the old code at 1e6
    git show main:src/pairedstudy/inference/_walsh.py > /tmp/walsh_main.py
    python benchmarks/bench_hl.py --compare /tmp/walsh_main.py   # and another version

Three tables, on seeded data made once per run:

1. ``walsh_order_statistics_rows`` for the four order statistics a Wilcoxon interval
   needs (the middle rank(s) and the two normal-approximation interval ranks at 95 %),
   on normal data and on integer data (differences of two integers in ``[0, 5000)``:
   about 1e4 distinct values, heavily tied at large n), new against old. *Old* is the
   module as of commit 76a8248 (band partition for small n, value bisection with a
   counting pass per step above 2e6 sums), the frozen copy kept as the reference in
   ``tests/test_walsh_selection.py``. With ``--compare FILE``, also the ``_walsh`` module
   in ``FILE`` (any version of ``src/pairedstudy/inference/_walsh.py``), checked to give
   the same floats.
2. ``ps.PairedStudy(pre, post).test("wilcoxon")`` at n = 2 000 and 1e5 against
   ``scipy.stats.wilcoxon(pre, post)`` and against the same call with the old selection
   patched in.
3. The same call at n = 1e6 followed by the first read of ``.ci`` and ``.estimate``
   (computed then), on normal and on integer changes, with the ``--compare`` version
   patched in too when given.

Every round times every case once, in a rotating order, so the cases share the
machine's load; each figure is the best of the rounds (calls under 50 ms are repeated
within a round and averaged). Times are CPU time of the process (``time.process_time``,
steadier on a shared machine) unless ``--clock wall``. Ratios are ``other / new``
(above 1: new is faster).
"""

from __future__ import annotations

import argparse
import importlib.util
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
LARGE_N = 1_000_000
KINDS = ("normal", "integer")
#: The clock every figure is read from (``--clock``).
CLOCK: Callable[[], float] = time.process_time


def make(kind: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Normal values, or differences of two integers in ``[0, 5000)`` (heavily tied)."""
    if kind == "normal":
        return rng.normal(0.3, 1.0, shape)
    return (rng.integers(0, 5000, shape) - rng.integers(0, 4990, shape)).astype(float)


def load_walsh(path: str) -> Any:
    """The ``_walsh`` module in ``path``, loaded under another name (its relative import
    of ``_numerics`` made absolute)."""
    source = Path(path).read_text().replace("from .._numerics", "from pairedstudy._numerics")
    spec = importlib.util.spec_from_loader("walsh_compared", loader=None)
    if spec is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, path, "exec"), module.__dict__)
    return module


def interval_ranks(n: int, z: float = 1.959963984540054) -> list[int]:
    """The middle rank(s) and the normal-approximation 95 % interval ranks (0-based)."""
    count = n * (n + 1) // 2
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    low = max(0, int(count / 2 - z * sd))
    return [*middle_ranks(n), low, count - 1 - low]


def timed(func: Callable[[], Any]) -> float:
    """Seconds per call: one call, or the mean of enough calls to fill about 50 ms."""
    start = CLOCK()
    func()
    once = CLOCK() - start
    if once >= 0.05:
        return once
    repeats = max(1, int(0.05 / max(once, 1e-7)))
    start = CLOCK()
    for _ in range(repeats):
        func()
    return (CLOCK() - start) / repeats


def run_rounds(cases: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Best time of each case over ``rounds`` rounds, the order rotating between rounds."""
    names = list(cases)
    best = dict.fromkeys(names, math.inf)
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            best[name] = min(best[name], timed(cases[name]))
    return best


def old_wilcoxon(pre: np.ndarray, post: np.ndarray, select: Any = None) -> Any:
    """The same Wilcoxon call with the old order-statistics search (or ``select``) patched in."""
    saved = wilcoxon_module.walsh_order_statistics_rows
    wilcoxon_module.walsh_order_statistics_rows = select or old_walsh_order_statistics_rows
    try:
        return ps.PairedStudy(pre, post).test("wilcoxon")
    finally:
        wilcoxon_module.walsh_order_statistics_rows = saved


def with_interval(pre: np.ndarray, post: np.ndarray, select: Any = None) -> tuple[float, ...]:
    """The Wilcoxon call and the first read of its interval and estimate."""
    if select is None:
        result = ps.PairedStudy(pre, post).test("wilcoxon")
    else:
        saved = wilcoxon_module.walsh_order_statistics_rows
        wilcoxon_module.walsh_order_statistics_rows = select
        try:  # the interval is computed on first access: read it with the patch in place
            result = ps.PairedStudy(pre, post).test("wilcoxon")
            return (result.estimate, result.ci.low, result.ci.high)
        finally:
            wilcoxon_module.walsh_order_statistics_rows = saved
    return (result.estimate, result.ci.low, result.ci.high)


def seconds(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value * 1e3:.3g} ms" if value < 1 else f"{value:.3g} s"


def ratio(other: float, ours: float) -> str:
    return f"{other / ours:.2f}x" if math.isfinite(other) else "-"


def same(a: np.ndarray, b: np.ndarray, what: str) -> None:
    """Raise unless ``a`` and ``b`` hold the same floats, bit for bit."""
    if not np.array_equal(np.asarray(a).view(np.int64), np.asarray(b).view(np.int64)):
        raise AssertionError(f"{what} differ: {a} vs {b}")


def main(argv: list[str] | None = None) -> int:
    global CLOCK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n up to 1e5, 3 rounds")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 5, 3)")
    parser.add_argument(
        "--old-max", type=int, default=100_000, help="time the old code up to this n"
    )
    parser.add_argument("--compare", help="a _walsh.py file to time against, interleaved")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args(argv)
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    rounds = args.rounds or (3 if args.quick else 5)
    sizes = [n for n in SIZES if not (args.quick and n > 100_000)]
    other = load_walsh(args.compare) if args.compare else None
    rng = np.random.default_rng(16)
    data = {(kind, n): make(kind, (1, n), rng) for kind in KINDS for n in sizes}

    cases: dict[str, Callable[[], Any]] = {}
    for (kind, n), x in data.items():
        ks = interval_ranks(n)
        new = walsh_order_statistics_rows(x, ks)
        cases[f"new {kind} {n}"] = lambda x=x, ks=ks: walsh_order_statistics_rows(x, ks)
        if n <= args.old_max:
            same(new, old_walsh_order_statistics_rows(x, ks), f"new and old at {kind} {n}")
            cases[f"old {kind} {n}"] = lambda x=x, ks=ks: old_walsh_order_statistics_rows(x, ks)
        if other is not None:
            select = other.walsh_order_statistics_rows
            same(new, select(x, ks), f"new and compared at {kind} {n}")
            cases[f"other {kind} {n}"] = lambda x=x, ks=ks, f=select: f(x, ks)

    import scipy.stats

    for n in STUDY_SIZES:
        pre = rng.normal(50.0, 10.0, n)
        post = pre + rng.normal(1.0, 5.0, n)
        cases[f"study {n}"] = lambda p=pre, q=post: ps.PairedStudy(p, q).test("wilcoxon")
        cases[f"study old {n}"] = lambda p=pre, q=post: old_wilcoxon(p, q)
        cases[f"scipy {n}"] = lambda p=pre, q=post: scipy.stats.wilcoxon(p, q)
    if not args.quick:
        pre = rng.normal(50.0, 10.0, LARGE_N)
        changes = {
            "normal": rng.normal(1.0, 5.0, LARGE_N),
            "integer": make("integer", (LARGE_N,), rng),
        }
        for kind, change in changes.items():
            post = pre + change
            got = with_interval(pre, post)
            cases[f"interval {kind}"] = lambda p=pre, q=post: with_interval(p, q)
            if other is not None:
                select = other.walsh_order_statistics_rows
                same(np.array(got), np.array(with_interval(pre, post, select)), "intervals")
                cases[f"interval other {kind}"] = lambda p=pre, q=post, f=select: with_interval(
                    p, q, f
                )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        best = run_rounds(cases, rounds)

    clock = "CPU time" if args.clock == "cpu" else "wall time"
    print(
        f"Walsh order statistics for a Wilcoxon interval (4 ranks), {clock}, "
        f"best of {rounds} rounds"
    )
    header = f"{'data':>8} | {'n':>9} | {'new':>10} | {'old':>10} | old / new"
    if other is not None:
        header += f" | {'compared':>10} | compared / new"
    print(header)
    print("-" * len(header))
    for kind, n in data:
        ours, theirs = best[f"new {kind} {n}"], best.get(f"old {kind} {n}", math.inf)
        line = (
            f"{kind:>8} | {n:>9} | {seconds(ours):>10} | {seconds(theirs):>10} | "
            f"{ratio(theirs, ours):>9}"
        )
        if other is not None:
            compared = best[f"other {kind} {n}"]
            line += f" | {seconds(compared):>10} | {ratio(compared, ours):>14}"
        print(line)
    print()
    print(f'ps.PairedStudy(pre, post).test("wilcoxon"), {clock}, best of {rounds} rounds')
    header = f"{'n':>9} | {'new':>10} | {'old':>10} | {'scipy':>10} | old / new | scipy / new"
    print(header)
    print("-" * len(header))
    for n in STUDY_SIZES:
        ours, old, peer = best[f"study {n}"], best[f"study old {n}"], best[f"scipy {n}"]
        print(
            f"{n:>9} | {seconds(ours):>10} | {seconds(old):>10} | {seconds(peer):>10} | "
            f"{ratio(old, ours):>9} | {ratio(peer, ours):>11}"
        )
    if not args.quick:
        print()
        print(
            f"The same call at n = {LARGE_N} and the first read of .ci and .estimate, "
            f"{clock}, best of {rounds} rounds"
        )
        header = f"{'changes':>8} | {'new':>10}"
        if other is not None:
            header += f" | {'compared':>10} | compared / new"
        print(header)
        print("-" * len(header))
        for kind in ("normal", "integer"):
            ours = best[f"interval {kind}"]
            line = f"{kind:>8} | {seconds(ours):>10}"
            if other is not None:
                compared = best[f"interval other {kind}"]
                line += f" | {seconds(compared):>10} | {ratio(compared, ours):>14}"
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
