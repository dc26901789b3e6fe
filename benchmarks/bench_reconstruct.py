"""Time PairedSummary.reconstruct on the oxytocin table and on a larger table (n = 50, 1-7).

Run: python benchmarks/bench_reconstruct.py. No peer reconstructs paired data, so the
figures are absolute seconds (best of several runs), not ratios.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

import pairedstudy as ps


def best_of(func, repeats: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    table3 = ps.datasets.oxytocin_table3()
    seconds, rec = best_of(lambda: table3.reconstruct(scale=(6, 10)))
    print(f"oxytocin Table 3 (n = 21, 6-10): {seconds:.3f} s, {rec}")

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
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ps.ConvergenceWarning)
            seconds, rec = best_of(
                lambda s=settings: large.reconstruct(scale=(1, 7), sample=1000, seed=1, **s), 1
            )
        diagnostics = rec.diagnostics
        print(
            f"n = 50 on 1-7 (2 decimals), {settings or 'default settings'}: {seconds:.1f} s "
            f"for {len(rec)} sampled datasets ({diagnostics['distinct']} distinct), "
            f"{diagnostics['steps']} steps of {diagnostics['chains']} chains, largest R-hat "
            f"{diagnostics['rhat_max']:.3f}{' (ConvergenceWarning)' if caught else ''}"
        )


if __name__ == "__main__":
    main()
