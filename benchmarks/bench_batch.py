"""Time ps.test_batch against scipy's ``axis=`` versions, and how costs grow.

Run from the repository root::

    python benchmarks/bench_batch.py            # full run
    python benchmarks/bench_batch.py --quick    # fewer studies, shorter repeats

Three parts, all on seeded data made once per run:

1. *Batch against scipy*: the same ``(studies, n)`` arrays through ``ps.test_batch`` and
   ``scipy.stats.ttest_rel(..., axis=-1)`` / ``scipy.stats.wilcoxon(..., axis=-1)``.
2. *Growth with n*: one study, the exact Wilcoxon test with ties (Likert data) at
   n = 100, 1 000 and 10 000 (``--quick`` stops at 1 000).
3. *Growth with the number of studies*: ``test_batch`` for 100 to 100 000 studies of
   n = 30 (``--quick`` stops at 10 000), with scipy's axis version alongside.

Figures are best-of-repeats wall times (see ``bench_tests.time_call``); ratios are
``scipy_time / pairedstudy_time`` (above 1: pairedstudy is faster). Results go to
``benchmarks/results/batch.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.stats

import pairedstudy as ps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tests import FULL, QUICK, Settings, environment, time_call, time_calls

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "batch.json"


def normal_data(studies: int, n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pre = rng.normal(50.0, 10.0, (studies, n))
    return pre, pre + rng.normal(1.0, 5.0, (studies, n))


def likert_data(studies: int, n: int, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pre = rng.integers(1, 6, (studies, n)).astype(float)
    post = np.clip(pre + rng.integers(-1, 3, (studies, n)), 1, 5).astype(float)
    return pre, post


def quiet(func: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func()

    return run


# --------------------------------------------------------------------------------------
# 1. Batch against scipy's axis versions
# --------------------------------------------------------------------------------------


def read_interval(batch: Any) -> Any:
    """The batch after reading its Hodges-Lehmann intervals (computed on first access)."""
    batch.ci_low  # noqa: B018  # the read is the point: it computes the intervals
    return batch


def batch_cases(pre: np.ndarray, post: np.ndarray) -> list[tuple[str, str, Callable, Callable]]:
    """(label, scipy call, pairedstudy function, scipy function) on the same arrays."""
    return [
        (
            "t",
            "ttest_rel(post, pre, axis=-1)",
            lambda: ps.test_batch("t", pre, post),
            lambda: scipy.stats.ttest_rel(post, pre, axis=-1),
        ),
        (
            "wilcoxon (default: auto, HL interval not read)",
            "wilcoxon(post, pre, axis=-1)",
            lambda: ps.test_batch("wilcoxon", pre, post),
            lambda: scipy.stats.wilcoxon(post, pre, axis=-1),
        ),
        (
            "wilcoxon (default, HL interval read)",
            "wilcoxon(post, pre, axis=-1)",
            lambda: read_interval(ps.test_batch("wilcoxon", pre, post)),
            lambda: scipy.stats.wilcoxon(post, pre, axis=-1),
        ),
        (
            "wilcoxon auto, interval=False",
            "wilcoxon(post, pre, axis=-1)",
            lambda: ps.test_batch("wilcoxon", pre, post, interval=False),
            lambda: scipy.stats.wilcoxon(post, pre, axis=-1),
        ),
        (
            "wilcoxon asymptotic, interval=False",
            'wilcoxon(post, pre, axis=-1, method="approx")',
            lambda: ps.test_batch("wilcoxon", pre, post, method="asymptotic", interval=False),
            lambda: scipy.stats.wilcoxon(post, pre, axis=-1, method="approx"),
        ),
        (
            "sign",
            "(no axis version of binomtest)",
            lambda: ps.test_batch("sign", pre, post),
            None,
        ),
    ]


def run_batch(settings: Settings, studies: int, n: int) -> list[dict[str, Any]]:
    rows = []
    for label, (pre, post) in (
        (f"normal {studies} x n={n}", normal_data(studies, n)),
        (f"likert {studies} x n={n} (ties, zeros)", likert_data(studies, n)),
    ):
        for test, scipy_call, ours, theirs in batch_cases(pre, post):
            funcs = {"ours": quiet(ours)}  # ours and scipy's in the same rotating rounds
            if theirs is not None:
                funcs["theirs"] = quiet(theirs)
            measured = time_calls(funcs, settings)
            ps_ms = measured["ours"] / 1e3
            scipy_ms = measured["theirs"] / 1e3 if theirs is not None else None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                methods = sorted(set(ours().method.ravel().tolist()))
            rows.append(
                {
                    "dataset": label,
                    "test": test,
                    "pairedstudy_ms": ps_ms,
                    "scipy_call": scipy_call,
                    "scipy_ms": scipy_ms,
                    "ratio": None if scipy_ms is None else scipy_ms / ps_ms,
                    "methods": methods,
                }
            )
            print(f"  timed batch {test} on {label}", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------------------
# 2. Growth with n: exact Wilcoxon with ties
# --------------------------------------------------------------------------------------


def once(func: Callable[[], Any]) -> tuple[float, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        result = func()
        return time.perf_counter() - start, result


def run_growth_n(settings: Settings, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        pre, post = likert_data(1, n, seed=n)
        study = ps.PairedStudy(pre[0], post[0])
        calls = {
            "ps exact": lambda study=study: study.test("wilcoxon", method="exact"),
            "ps exact, interval=False": lambda study=study: study.test(
                "wilcoxon", method="exact", interval=False
            ),
            "ps auto": lambda study=study: study.test("wilcoxon"),
            "ps asymptotic": lambda study=study: study.test("wilcoxon", method="asymptotic"),
            "scipy wilcoxon (approx: ties)": lambda pre=pre, post=post: scipy.stats.wilcoxon(
                post[0], pre[0]
            ),
        }
        for label, func in calls.items():
            first, result = once(func)  # runs longer than a second are timed once
            seconds = first if first > 1.0 else time_call(quiet(func), settings) / 1e6
            method = getattr(result, "method", "")
            rows.append({"n": n, "call": label, "seconds": seconds, "method": method})
        print(f"  timed growth with n = {n}", file=sys.stderr, flush=True)
    return rows


def normal_calls(pre: np.ndarray, post: np.ndarray) -> dict[str, Callable[[], Any]]:
    """The single-study Wilcoxon calls of :func:`run_growth_normal` on one study."""
    return {
        "ps auto": lambda: ps.PairedStudy(pre, post).test("wilcoxon"),
        "ps auto + HL interval read": lambda: ps.PairedStudy(pre, post).test("wilcoxon").ci,
        "ps asymptotic": lambda: ps.PairedStudy(pre, post).test("wilcoxon", method="asymptotic"),
        "scipy wilcoxon": lambda: scipy.stats.wilcoxon(post, pre),
        "scipy wilcoxon approx": lambda: scipy.stats.wilcoxon(post, pre, method="approx"),
    }


def run_growth_normal(settings: Settings, sizes: list[int]) -> list[dict[str, Any]]:
    """One normal study of each size: the single Wilcoxon call against scipy's, interleaved.

    ``ratio`` is scipy's time over ours, for the pairs of the issue-16 table: our default
    (its Hodges-Lehmann interval not read) against scipy's default, and both asymptotic
    versions; the call that reads the interval is listed beside them.
    """
    rows = []
    pairs = {
        "ps auto": "scipy wilcoxon",
        "ps auto + HL interval read": "scipy wilcoxon",
        "ps asymptotic": "scipy wilcoxon approx",
    }
    for n in sizes:
        rng = np.random.default_rng(n)
        pre = rng.normal(10.0, 2.0, n)
        post = pre + rng.normal(0.3, 1.0, n)
        calls = normal_calls(pre, post)
        measured = time_calls({label: quiet(func) for label, func in calls.items()}, settings)
        for label in calls:
            peer = pairs.get(label)
            rows.append(
                {
                    "n": n,
                    "call": label,
                    "seconds": measured[label] / 1e6,
                    "peer": peer,
                    "ratio": None if peer is None else measured[peer] / measured[label],
                }
            )
        print(f"  timed single Wilcoxon, normal n = {n}", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------------------
# 3. Growth with the number of studies
# --------------------------------------------------------------------------------------


def studies_calls(
    pre: np.ndarray, post: np.ndarray, npre: np.ndarray, npost: np.ndarray
) -> dict[str, Callable[[], Any]]:
    return {
        "ps t (normal)": lambda: ps.test_batch("t", npre, npost),
        "scipy ttest_rel axis (normal)": lambda: scipy.stats.ttest_rel(npost, npre, axis=-1),
        "ps wilcoxon (likert)": lambda: ps.test_batch("wilcoxon", pre, post),
        "ps wilcoxon interval=False (likert)": lambda: ps.test_batch(
            "wilcoxon", pre, post, interval=False
        ),
        "scipy wilcoxon axis (likert)": lambda: scipy.stats.wilcoxon(post, pre, axis=-1),
    }


def run_growth_studies(settings: Settings, counts: list[int], n: int) -> list[dict[str, Any]]:
    rows = []
    for studies in counts:
        calls = studies_calls(*likert_data(studies, n, seed=studies), *normal_data(studies, n))
        measured = time_calls({label: quiet(func) for label, func in calls.items()}, settings)
        for label in calls:
            seconds = measured[label] / 1e6
            rows.append(
                {
                    "studies": studies,
                    "call": label,
                    "seconds": seconds,
                    "us_per_study": seconds / studies * 1e6,
                }
            )
        print(f"  timed growth with {studies} studies", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def format_report(payload: dict[str, Any]) -> str:
    lines = ["Batch: ps.test_batch against scipy's axis= versions (ms per call)"]
    header = f"{'dataset':<34} {'test':<38} {'ps ms':>9} {'scipy ms':>9} {'sc/ps':>6}  methods"
    lines += [header, "-" * len(header)]
    for row in payload["batch"]:
        scipy_ms = "-" if row["scipy_ms"] is None else f"{row['scipy_ms']:.1f}"
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        lines.append(
            f"{row['dataset']:<34} {row['test']:<38} {row['pairedstudy_ms']:>9.1f} "
            f"{scipy_ms:>9} {ratio:>6}  {'/'.join(row['methods'])}"
        )
    lines += ["", "Growth with n: one Likert study (ties, zeros), seconds per call"]
    for row in payload["growth_n"]:
        lines.append(
            f"  n = {row['n']:>6}  {row['call']:<32} {row['seconds']:>10.4f} s  {row['method']}"
        )
    lines += ["", "Single Wilcoxon call on normal data, interleaved with scipy (ratio: scipy/ps)"]
    for row in payload.get("growth_normal", []):
        ratio = "" if row["ratio"] is None else f"  {row['ratio']:.2f}x {row['peer']}"
        lines.append(f"  n = {row['n']:>7}  {row['call']:<30} {row['seconds']:>10.5f} s{ratio}")
    lines += ["", "Growth with the number of studies (n = 30), microseconds per study"]
    for row in payload["growth_studies"]:
        lines.append(
            f"  {row['studies']:>7} studies  {row['call']:<38} {row['seconds'] * 1e3:>10.1f} ms"
            f"  {row['us_per_study']:>8.2f} us/study"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer studies, shorter repeats")
    parser.add_argument(
        "--output", type=Path, default=RESULTS_PATH, help=f"JSON file (default {RESULTS_PATH})"
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    studies = 2_000 if args.quick else 10_000
    payload = {
        "environment": environment(settings, args.quick),
        "batch": run_batch(settings, studies, 30),
        "growth_n": run_growth_n(settings, [100, 1_000] if args.quick else [100, 1_000, 10_000]),
        "growth_normal": run_growth_normal(
            settings, [200, 2_000] if args.quick else [200, 2_000, 10_000, 100_000]
        ),
        "growth_studies": run_growth_studies(
            settings, [100, 1_000, 10_000] if args.quick else [100, 1_000, 10_000, 100_000], 30
        ),
    }
    print(format_report(payload))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}", file=sys.stderr)
    return payload


if __name__ == "__main__":
    main()
