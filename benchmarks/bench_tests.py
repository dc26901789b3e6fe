"""Time pairedstudy's paired tests against scipy, pingouin and statsmodels.

Run from the repository root::

    python benchmarks/bench_tests.py            # full run
    python benchmarks/bench_tests.py --quick    # fewer, shorter repeats

Every figure is the best (minimum) of several repeats, divided by the number of calls in a
repeat, in microseconds per call; a pairedstudy call and the peer calls it is compared with
are timed in the same rounds, in rotating order (``time_calls``), so a drift in the load of
a shared machine moves both alike. The ``peer/ps`` column is ``peer_time / pairedstudy_time``:
above 1 means pairedstudy is faster. Absolute times depend on the machine; compare ratios.
The table is printed and the same data is written to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pingouin
import scipy
import scipy.stats
import statsmodels
from statsmodels.stats.contingency_tables import SquareTable
from statsmodels.stats.descriptivestats import sign_test as sm_sign_test
from statsmodels.stats.power import TTestPower

import pairedstudy as ps

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "latest.json"
PS = "pairedstudy"


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    name: str
    pre: np.ndarray
    post: np.ndarray

    @property
    def n(self) -> int:
        return int(self.pre.size)


def make_datasets() -> list[Dataset]:
    oxy = ps.datasets.oxytocin_massage()
    # Plain, writable numpy copies for the peers (the study's arrays are read-only).
    datasets = [Dataset("oxytocin n=21 (ties, zeros)", np.array(oxy.pre), np.array(oxy.post))]
    rng = np.random.default_rng(20240601)
    for n in (30, 200):
        pre = rng.normal(50.0, 10.0, n)
        post = pre + rng.normal(1.0, 5.0, n)
        assert np.unique(post - pre).size == n, "continuous data should have no ties"
        datasets.append(Dataset(f"normal n={n}", pre, post))
    n = 200
    pre = rng.integers(1, 6, n).astype(float)
    post = np.clip(pre + rng.integers(-1, 3, n), 1, 5).astype(float)
    datasets.append(Dataset(f"likert n={n} (ties, zeros)", pre, post))
    return datasets


# --------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    repeats: int
    target_seconds: float  # length of one repeat
    import_runs: int


FULL = Settings(repeats=7, target_seconds=0.2, import_runs=21)
QUICK = Settings(repeats=3, target_seconds=0.04, import_runs=7)


def _calibrated(func: Callable[[], Any], settings: Settings) -> tuple[timeit.Timer, int]:
    """A timer of ``func`` and the number of calls that make one repeat last
    ``target_seconds`` (after a warm-up call: lazy imports, caches, first-call dispatch)."""
    func()
    timer = timeit.Timer(func)
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= settings.target_seconds:
            return timer, number
        grow = settings.target_seconds / max(elapsed, 1e-9)
        number = max(number * 2, int(number * min(grow * 1.2, 100)))


def time_calls(funcs: dict[str, Callable[[], Any]], settings: Settings) -> dict[str, float]:
    """Best time of one call of each function, in microseconds, timed in rotating rounds.

    Each round times one repeat of every function, in an order rotated by one place from
    the round before, and each figure is the best over ``repeats`` rounds: a drift in the
    machine's load (this machine is shared) then moves ours and the peers' alike instead
    of whichever happened to run during it.

    Warnings are silenced for the whole measurement (scipy warns about ties and small
    samples, pairedstudy about attained interval coverage); the calls still issue them, so
    each tool pays its own cost of warning.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timers = {name: _calibrated(func, settings) for name, func in funcs.items()}
        best = dict.fromkeys(funcs, float("inf"))
        names = list(funcs)
        for round_ in range(settings.repeats):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                timer, number = timers[name]
                best[name] = min(best[name], timer.timeit(number) / number)
    return {name: seconds * 1e6 for name, seconds in best.items()}


def time_call(func: Callable[[], Any], settings: Settings) -> float:
    """Best-of-``repeats`` time of one call of ``func`` alone, in microseconds."""
    return time_calls({"call": func}, settings)["call"]


@dataclass
class Row:
    test: str
    dataset: str
    n: int
    tool: str
    call: str
    us_per_call: float
    ratio: float | None  # peer_time / pairedstudy_time; None for pairedstudy itself
    note: str = ""


@dataclass
class Case:
    """One comparison: a pairedstudy call and the peer calls it is compared with."""

    test: str
    ps_call: str
    ps_func: Callable[[], Any]
    peers: list[tuple[str, str, Callable[[], Any]]] = field(default_factory=list)
    note: str = ""


def cases_for(data: Dataset) -> list[Case]:
    pre, post = data.pre, data.post
    study = ps.PairedStudy(pre, post)

    def binom_sign() -> Any:
        d = post - pre
        return scipy.stats.binomtest(int(np.count_nonzero(d > 0)), int(np.count_nonzero(d)), 0.5)

    ttest_rel = (
        "scipy",
        "scipy.stats.ttest_rel(post, pre)",
        lambda: scipy.stats.ttest_rel(post, pre),
    )
    pg_ttest = (
        "pingouin",
        "pingouin.ttest(post, pre, paired=True)",
        lambda: pingouin.ttest(post, pre, paired=True),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        auto_method = study.test("wilcoxon").method
    return [
        *_common_cases(data, study, ttest_rel, pg_ttest, binom_sign, auto_method),
        *_incomplete_pair_cases(data),
        *_table_cases(data, study),
    ]


def _incomplete_pair_cases(data: Dataset) -> list[Case]:
    """partial-t on the data with a fifth of the follow-ups and a tenth of the baselines lost.

    No Python package has the partially overlapping samples tests; the peer is what a scipy
    user does without them: the paired t-test of the complete pairs (``nan_policy="omit"``).
    """
    pre, post = data.pre.copy(), data.post.copy()
    lost_post, lost_pre = data.n // 5, data.n // 10
    post[:lost_post] = np.nan
    pre[lost_post : lost_post + lost_pre] = np.nan
    return [
        Case(
            "partial-t (halves)",
            'ps.PairedStudy(pre, post, missing="drop").test("partial-t")',
            lambda: ps.PairedStudy(pre, post, missing="drop").test("partial-t"),
            [
                (
                    "scipy",
                    'scipy.stats.ttest_rel(post, pre, nan_policy="omit") (complete pairs)',
                    lambda: scipy.stats.ttest_rel(post, pre, nan_policy="omit"),
                ),
            ],
            note=f"{lost_post} baseline-only, {lost_pre} follow-up-only; no Python peer",
        )
    ]


def _table_cases(data: Dataset, study: ps.PairedStudy) -> list[Case]:
    """The tests of the pre x post table, on integer scores only (categories)."""
    values = np.concatenate([data.pre, data.post])
    if not (np.all(values == np.round(values)) and np.unique(values).size <= 20):
        return []
    pairs = np.column_stack([data.pre, data.post])
    return [
        Case(
            "stuart-maxwell",
            'study.test("stuart-maxwell")',
            lambda: study.test("stuart-maxwell"),
            [
                (
                    "statsmodels",
                    "SquareTable.from_data(pairs, shift_zeros=False).homogeneity()",
                    lambda: SquareTable.from_data(pairs, shift_zeros=False).homogeneity(),
                ),
            ],
            note="both build the table from the data",
        ),
        Case(
            "bowker",
            'study.test("bowker")',
            lambda: study.test("bowker"),
            [
                (
                    "statsmodels",
                    "SquareTable.from_data(pairs, shift_zeros=False).symmetry()",
                    lambda: SquareTable.from_data(pairs, shift_zeros=False).symmetry(),
                ),
            ],
            note="both build the table from the data",
        ),
    ]


def _power_case(label: str, n: int, dz: float, note: str) -> Case:
    """The power of the paired t given n, against statsmodels and pingouin."""
    return Case(
        label,
        f"ps.power.paired_t(n={n}, dz={dz})",
        lambda: ps.power.paired_t(n=n, dz=dz),
        [
            (
                "statsmodels",
                f"TTestPower().power(effect_size={dz}, nobs={n}, alpha=0.05)",
                lambda: TTestPower().power(effect_size=dz, nobs=n, alpha=0.05),
            ),
            (
                "pingouin",
                f"pingouin.power_ttest(d={dz}, n={n}, contrast='paired')",
                lambda: pingouin.power_ttest(d=dz, n=n, contrast="paired"),
            ),
        ],
        note=note,
    )


def _common_cases(
    data: Dataset,
    study: ps.PairedStudy,
    ttest_rel: tuple[str, str, Callable[[], Any]],
    pg_ttest: tuple[str, str, Callable[[], Any]],
    binom_sign: Callable[[], Any],
    auto_method: str,
) -> list[Case]:
    pre, post = data.pre, data.post
    return [
        Case("construct", "ps.PairedStudy(pre, post)", lambda: ps.PairedStudy(pre, post)),
        Case(
            "construct + t",
            'ps.PairedStudy(pre, post).test("t")',
            lambda: ps.PairedStudy(pre, post).test("t"),
            [ttest_rel, pg_ttest],
        ),
        Case("t", 'study.test("t")', lambda: study.test("t"), [ttest_rel, pg_ttest]),
        Case(
            "wilcoxon auto",
            'study.test("wilcoxon")',
            lambda: study.test("wilcoxon"),
            [
                (
                    "scipy",
                    "scipy.stats.wilcoxon(post, pre)",
                    lambda: scipy.stats.wilcoxon(post, pre),
                ),
                ("pingouin", "pingouin.wilcoxon(post, pre)", lambda: pingouin.wilcoxon(post, pre)),
            ],
            note=f"ps used {auto_method}; its Hodges-Lehmann interval not read",
        ),
        Case(
            "wilcoxon auto + HL",
            'study.test("wilcoxon").ci (the interval read)',
            lambda: study.test("wilcoxon").ci,
            [
                (
                    "scipy",
                    "scipy.stats.wilcoxon(post, pre)",
                    lambda: scipy.stats.wilcoxon(post, pre),
                ),
            ],
            note="ps also computes the Hodges-Lehmann estimate and interval",
        ),
        Case(
            "wilcoxon asymptotic",
            'study.test("wilcoxon", method="asymptotic")',
            lambda: study.test("wilcoxon", method="asymptotic"),
            [
                (
                    "scipy",
                    'scipy.stats.wilcoxon(post, pre, method="approx")',
                    lambda: scipy.stats.wilcoxon(post, pre, method="approx"),
                ),
            ],
        ),
        Case(
            "sign",
            'study.test("sign")',
            lambda: study.test("sign"),
            [
                ("scipy", "scipy.stats.binomtest(k, m, 0.5) incl. counting k, m", binom_sign),
                (
                    "statsmodels",
                    "statsmodels...descriptivestats.sign_test(post - pre)",
                    lambda: sm_sign_test(post - pre),
                ),
            ],
        ),
        Case(
            "sample size, paired t",
            "ps.power.paired_t(dz=0.5, power=0.8)",
            lambda: ps.power.paired_t(dz=0.5, power=0.8),
            [
                (
                    "statsmodels",
                    "TTestPower().solve_power(effect_size=0.5, power=0.8, alpha=0.05)",
                    lambda: TTestPower().solve_power(effect_size=0.5, power=0.8, alpha=0.05),
                ),
                (
                    "pingouin",
                    "pingouin.power_ttest(d=0.5, power=0.8, contrast='paired')",
                    lambda: pingouin.power_ttest(d=0.5, power=0.8, contrast="paired"),
                ),
            ],
            note="dataset-independent",
        ),
        _power_case("power, paired t", 30, 0.5, "dataset-independent"),
        _power_case(
            "power, paired t, large effect",
            100,
            1.0,
            "dataset-independent; noncentrality 10, where Boost's cdf of the tail against "
            "the effect is NaN (the quadrature that replaces it is skipped when it cannot "
            "change the sum)",
        ),
        Case(
            "effect size, no CI",
            'study.effect_size("dav", average="rms", ci="none")',
            lambda: study.effect_size("dav", average="rms", ci="none"),
            [
                (
                    "pingouin",
                    'pingouin.compute_effsize(post, pre, paired=True, eftype="cohen")',
                    lambda: pingouin.compute_effsize(post, pre, paired=True, eftype="cohen"),
                ),
            ],
            note="the same quantity (d_av, rms average)",
        ),
        Case(
            "effect size + CI",
            'study.effect_size("dz")',
            lambda: study.effect_size("dz"),
            [
                (
                    "pingouin",
                    "pingouin.compute_effsize + compute_esci (normal approx.)",
                    lambda: pingouin.compute_esci(
                        stat=pingouin.compute_effsize(post, pre, paired=True, eftype="cohen"),
                        nx=len(pre),
                        ny=len(post),
                        paired=True,
                        eftype="cohen",
                    ),
                ),
            ],
            note="ps: exact noncentral-t interval",
        ),
    ]


def run_cases(datasets: list[Dataset], settings: Settings) -> list[Row]:
    """Time each case's pairedstudy call and its peers' calls together, interleaved."""
    rows: list[Row] = []
    for data in datasets:
        for case in cases_for(data):
            funcs = {case.ps_call: case.ps_func}
            funcs.update((call, func) for _, call, func in case.peers)
            measured = time_calls(funcs, settings)
            ps_us = measured[case.ps_call]
            rows.append(
                Row(case.test, data.name, data.n, PS, case.ps_call, ps_us, None, case.note)
            )
            for tool, call, _ in case.peers:
                us = measured[call]
                rows.append(Row(case.test, data.name, data.n, tool, call, us, us / ps_us))
            print(f"  timed {case.test:<20} on {data.name}", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------------------
# Import time
# --------------------------------------------------------------------------------------


def median_wall(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_imports(settings: Settings) -> dict[str, Any]:
    runs = settings.import_runs
    print(f"  timing imports in {runs} fresh interpreters each", file=sys.stderr, flush=True)
    median_wall("import pairedstudy, scipy.stats", 2)  # warm the file-system cache
    baseline = median_wall("pass", runs)
    ps_ms = (median_wall("import pairedstudy", runs) - baseline) * 1e3
    scipy_ms = (median_wall("import scipy.stats", runs) - baseline) * 1e3
    return {
        "runs": runs,
        "python_startup_ms": baseline * 1e3,
        "import_pairedstudy_ms": ps_ms,
        "import_scipy_stats_ms": scipy_ms,
        "ratio_scipy_stats_over_pairedstudy": scipy_ms / ps_ms if ps_ms > 0 else None,
    }


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def format_table(rows: list[Row], imports: dict[str, Any] | None) -> str:
    header = f"{'test':<20} {'dataset':<28} {'tool':<12} {'us/call':>10} {'peer/ps':>8}  note"
    lines = [header, "-" * len(header)]
    previous: tuple[str, str] | None = None
    for row in rows:
        key = (row.test, row.dataset)
        first = key != previous
        if first and previous is not None and row.dataset != previous[1]:
            lines.append("")
        previous = key
        test = row.test if first else ""
        dataset = row.dataset if first else ""
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}"
        note = row.note if row.tool == PS else row.call
        lines.append(
            f"{test:<20} {dataset:<28} {row.tool:<12} {row.us_per_call:>10.1f} {ratio:>8}  {note}"
        )
        lines[-1] = lines[-1].rstrip()
    if imports is not None:
        lines += [
            "",
            f"import time (median of {imports['runs']} fresh interpreters, minus "
            f"`python -c pass` = {imports['python_startup_ms']:.1f} ms):",
            f"  import pairedstudy   {imports['import_pairedstudy_ms']:8.1f} ms",
            f"  import scipy.stats   {imports['import_scipy_stats_ms']:8.1f} ms",
        ]
        ratio = imports["ratio_scipy_stats_over_pairedstudy"]
        if ratio is not None:
            lines.append(f"  scipy.stats / pairedstudy = {ratio:.2f}")
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def environment(settings: Settings, quick: bool) -> dict[str, Any]:
    return {
        "timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "versions": {
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "pingouin": pingouin.__version__,
            "statsmodels": statsmodels.__version__,
            "pairedstudy": ps.__version__,
        },
        "quick": quick,
        "repeats": settings.repeats,
        "seconds_per_repeat": settings.target_seconds,
        "unit": "microseconds per call (best of repeats)",
        "ratio": "peer_time / pairedstudy_time (> 1: pairedstudy is faster)",
    }


def run(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the single-call benchmark; print the table, write and return the JSON payload."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter repeats")
    parser.add_argument("--no-import", action="store_true", help="skip the import-time benchmark")
    parser.add_argument(
        "--output", type=Path, default=RESULTS_PATH, help=f"JSON file (default {RESULTS_PATH})"
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL

    datasets = make_datasets()
    rows = run_cases(datasets, settings)
    imports = None if args.no_import else run_imports(settings)

    print(format_table(rows, imports))
    payload = {
        "environment": environment(settings, args.quick),
        "datasets": [{"name": d.name, "n": d.n} for d in datasets],
        "results": [row.__dict__ for row in rows],
        "import_time": imports,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}", file=sys.stderr)
    return payload


def main(argv: list[str] | None = None) -> int:
    run(argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
