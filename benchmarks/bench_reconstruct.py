"""Time PairedSummary.reconstruct on the oxytocin table and on larger 1-7 Likert tables.

Run: python benchmarks/bench_reconstruct.py [case ...] (cases: table3, n30, n40, n50;
default all). No peer reconstructs paired data, so the figures are absolute seconds (best
of several runs for the fast cases, one run for the slow ones), not ratios.

The n = 30 and n = 40 tables are built from seeded random Likert data (1-7, answers
concentrated in the middle, post = pre + a small shift): two decimals, ranges printed.
Their parameters are printed with the times. ``n30`` has 15 x 37 consistent pre and post
multisets and ``n40`` 47 x 213; the exact count (pairedstudy.forensics.exact) finds
243 273 and 25 265 648 consistent datasets, more than the default limit of 100 000, so an
exact uniform sample of 1000 is drawn from the counts. ``n50`` (no ranges printed) is
over the count's budget and is sampled by the Markov chains.

Times are CPU seconds (the machine is shared: the wall clock also counts waiting), best
of ``--repeats`` runs (default 1; benchmarks/README.md quotes the best of 3).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np

import pairedstudy as ps


def best_of(func, repeats: int = 3) -> tuple[float, object]:
    """Best wall-clock seconds of ``repeats`` calls (the CPU seconds are printed too)."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        best = min(best, time.perf_counter() - start)
        CPU.append(time.process_time() - cpu)
    return best, result


#: CPU seconds of every timed call: on a shared machine the wall clock also counts waiting
CPU: list[float] = []


def likert_table(n: int, seed: int) -> ps.PairedSummary:
    """A table printed from seeded 1-7 Likert data: two decimals, ranges given."""
    rng = np.random.default_rng(seed)
    pre = rng.choice(np.arange(1, 8), n, p=[0.0, 0.05, 0.2, 0.35, 0.3, 0.1, 0.0])
    post = np.clip(pre + rng.choice([-1, 0, 1, 2], n, p=[0.15, 0.35, 0.35, 0.15]), 1, 7)
    d = ps.PairedStudy(pre, post).describe()
    return ps.PairedSummary(
        n=n,
        pre_mean=f"{d.pre.mean:.2f}",
        pre_sd=f"{d.pre.sd:.2f}",
        post_mean=f"{d.post.mean:.2f}",
        post_sd=f"{d.post.sd:.2f}",
        diff_mean=f"{d.change.mean:.2f}",
        diff_sd=f"{d.change.sd:.2f}",
        pre_range=(int(pre.min()), int(pre.max())),
        post_range=(int(post.min()), int(post.max())),
    )


def describe(table: ps.PairedSummary) -> str:
    return (
        f"n = {table.n}, pre {table.pre_mean.text} ({table.pre_sd.text}) range "
        f"{table.pre_range}, post {table.post_mean.text} ({table.post_sd.text}) range "
        f"{table.post_range}, change {table.diff_mean.text} ({table.diff_sd.text})"
    )


def report(label: str, seconds: float, rec: ps.forensics.Reconstruction, caught: list) -> None:
    line = (
        f"{label}: {seconds:.1f} s ({CPU[-1]:.1f} s CPU), {len(rec)} datasets, "
        f"{rec.n_pre} x {rec.n_post} multisets"
    )
    if rec.complete:
        line += ", complete enumeration"
    elif rec.diagnostics.get("sampler") == "exact":
        d = rec.diagnostics
        line += (
            f", exact sample of {len(rec)} from {d['count']} consistent datasets over "
            f"{d['pairs']} pairs of multisets ({d['count_work']} states counted), seed "
            f"{d.get('seed')}"
        )
    else:
        d = rec.diagnostics
        line += (
            f", sample ({rec.method.split(':')[0]}), seed {d.get('seed')}, "
            f"{d.get('steps')} steps of {d.get('chains')} chains, "
            f"consistent rate {d.get('consistent_rate', 0):.4f}, largest R-hat "
            f"{d.get('rhat_max') or float('nan'):.3f}"
        )
    if caught:
        line += " (ConvergenceWarning)"
    print(line, flush=True)


#: runs of each slow case (``--repeats N`` on the command line)
REPEATS = 1


def run(table: ps.PairedSummary, label: str, **options) -> None:
    print(f"{label}: {describe(table)}", flush=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ps.ConvergenceWarning)
        first = len(CPU)
        seconds, rec = best_of(
            lambda: table.reconstruct(scale=(1, 7), sample=1000, seed=1, **options), REPEATS
        )
        CPU.append(min(CPU[first:]))  # report() prints the last: the best CPU time
    report(f"{label} {options or 'default settings'}", seconds, rec, caught)


def main(cases: list[str]) -> None:
    if "table3" in cases:
        table3 = ps.datasets.oxytocin_table3()
        seconds, rec = best_of(lambda: table3.reconstruct(scale=(6, 10)))
        print(f"oxytocin Table 3 (n = 21, 6-10): {seconds:.3f} s, {rec}", flush=True)
    if "n30" in cases:
        run(likert_table(30, 1), "n = 30 on 1-7 (seed 1)")
    if "n40" in cases:
        run(likert_table(40, 12), "n = 40 on 1-7 (seed 12)")
    if "n50" in cases:
        rng = np.random.default_rng(3)
        pre = rng.integers(1, 8, 50)
        post = np.clip(pre + rng.integers(-1, 3, 50), 1, 7)
        d = ps.PairedStudy(pre, post).describe()
        large = ps.PairedSummary(
            n=50,
            pre_mean=f"{d.pre.mean:.2f}",
            pre_sd=f"{d.pre.sd:.2f}",
            post_mean=f"{d.post.mean:.2f}",
            post_sd=f"{d.post.sd:.2f}",
            diff_mean=f"{d.change.mean:.2f}",
            diff_sd=f"{d.change.sd:.2f}",
        )
        for settings in ({}, {"burn_in": 100, "thin": 10}):
            run(large, "n = 50 on 1-7 (2 decimals, no ranges)", **settings)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--repeats" in arguments:
        at = arguments.index("--repeats")
        REPEATS = int(arguments[at + 1])
        del arguments[at : at + 2]
    main(arguments or ["table3", "n30", "n40", "n50"])
