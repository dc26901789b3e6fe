"""Time the registered tests beyond t / Wilcoxon / sign against their peers, in one run.

Run from the repository root::

    python benchmarks/bench_extra_tests.py            # full run
    python benchmarks/bench_extra_tests.py --quick    # fewer repeats

Each row times pairedstudy and the closest peer computation on the same data (best of
several repeats, milliseconds per call) and prints ``peer/ps``: above 1 means pairedstudy
is faster. The pairs compare like with like where a peer exists:

* ``"permutation"`` (exact, 2^n sign flips; Monte Carlo with 9999 flips) vs
  ``scipy.stats.permutation_test(permutation_type="samples")`` with the same number of
  resamples (scipy enumerates the exact case too);
* ``"bootstrap"`` (bootstrap-t, 9999 resamples) vs ``scipy.stats.bootstrap`` of the mean
  (BCa, 9999 resamples: scipy has no bootstrap-t);
* ``"bayes"`` vs ``pingouin.bayesfactor_ttest`` (from t and n, as ours works from the data);
* ``"tost"`` vs ``pingouin.tost(paired=True)``;
* ``"yuen"``: no peer computes the paired Yuen test in Python (scipy's ``trim=`` exists
  only for independent samples), so it is timed alone;
* ``"shapiro"`` vs ``scipy.stats.shapiro`` and ``pingouin.normality``.

Results go to ``benchmarks/results/extra_tests.json``.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pingouin
import scipy.stats

import pairedstudy as ps

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "extra_tests.json"


def best_ms(func: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` calls, in milliseconds (after one warm-up call)."""
    func()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return 1e3 * best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    warnings.simplefilter("ignore")

    oxy = ps.datasets.oxytocin_massage()
    pre, post = np.array(oxy.pre), np.array(oxy.post)
    rng = np.random.default_rng(7)
    small_pre = rng.normal(50, 10, 16)
    small_post = small_pre + rng.normal(2, 5, 16)
    small = ps.PairedStudy(small_pre, small_post)
    d_small = small_post - small_pre
    d = post - pre
    t_stat = oxy.test("t").statistic

    def statistic(x, axis=-1):
        return np.mean(x, axis=axis)

    rows: list[tuple[str, str, Callable[[], object], Callable[[], object]]] = [
        (
            "permutation exact (n=16, 65536 flips)",
            "scipy permutation_test",
            lambda: small.test("permutation", method="exact"),
            lambda: scipy.stats.permutation_test(
                (d_small,), statistic, permutation_type="samples", n_resamples=np.inf
            ),
        ),
        (
            "permutation Monte Carlo (oxytocin n=21, 9999)",
            "scipy permutation_test",
            lambda: oxy.test("permutation"),
            lambda: scipy.stats.permutation_test(
                (d,), statistic, permutation_type="samples", n_resamples=9999, random_state=0
            ),
        ),
        (
            "bootstrap-t (oxytocin, 9999)",
            "scipy bootstrap BCa",
            lambda: oxy.test("bootstrap"),
            lambda: scipy.stats.bootstrap((d,), statistic, n_resamples=9999, random_state=0),
        ),
        (
            "bayes (oxytocin)",
            "pingouin bayesfactor_ttest",
            lambda: oxy.test("bayes"),
            lambda: pingouin.bayesfactor_ttest(t_stat, 21, paired=True),
        ),
        (
            "tost (oxytocin, bounds +-0.5)",
            "pingouin tost",
            lambda: oxy.test("tost", low=-0.5, high=0.5),
            lambda: pingouin.tost(post, pre, bound=0.5, paired=True),
        ),
        (
            "normality diagnostic (oxytocin)",
            "scipy shapiro",
            lambda: ps.diagnostics.normality(oxy),
            lambda: scipy.stats.shapiro(d),
        ),
        (
            "normality diagnostic (oxytocin)",
            "pingouin normality",
            lambda: ps.diagnostics.normality(oxy),
            lambda: pingouin.normality(d),
        ),
    ]
    ms_yuen = best_ms(lambda: oxy.test("yuen"), repeats)
    out = [{"call": "yuen (oxytocin)", "peer": None, "ps_ms": ms_yuen, "peer_ms": None}]
    print(f"{'pairedstudy call':<46} {'peer':<28} {'ps ms':>9} {'peer ms':>9} {'peer/ps':>8}")
    for label, peer, ours, theirs in rows:
        ms_ours = best_ms(ours, repeats)
        ms_peer = best_ms(theirs, repeats)
        ratio = ms_peer / ms_ours
        print(f"{label:<46} {peer:<28} {ms_ours:>9.3f} {ms_peer:>9.3f} {ratio:>8.2f}")
        out.append({"call": label, "peer": peer, "ps_ms": ms_ours, "peer_ms": ms_peer})
    print(f"{'yuen (oxytocin), no peer':<46} {'':<28} {ms_yuen:>9.3f}")
    RESULTS_PATH.parent.mkdir(exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
