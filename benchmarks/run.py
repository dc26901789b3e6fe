"""Run every benchmark in one go and check the performance targets.

Run from the repository root::

    python benchmarks/run.py            # full run (several minutes)
    python benchmarks/run.py --quick    # shorter repeats, smaller batches

It runs ``bench_tests.py`` (single calls against scipy, pingouin and statsmodels, and the
import time) and ``bench_batch.py`` (batches against scipy's ``axis=`` versions, growth with
n and with the number of studies) on the same machine in one process, then prints the
targets table: each target, the worst ratio measured for it, and whether it is met. The
JSON files go to ``benchmarks/results/`` (``latest.json``, ``batch.json``, ``targets.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_batch
import bench_tests

RESULTS = Path(__file__).resolve().parent / "results"


def _ratios(single: dict[str, Any], test: str, tool: str) -> list[tuple[float, str]]:
    return [
        (row["ratio"], row["dataset"])
        for row in single["results"]
        if row["test"] == test and row["tool"] == tool and row["ratio"] is not None
    ]


def targets(single: dict[str, Any], batch: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: the worst (smallest) ratio over the datasets, and the goal."""
    rows: list[dict[str, Any]] = []

    def add(target: str, goal: float, found: list[tuple[float, str]], note: str = "") -> None:
        if not found:
            return
        worst, where = min(found)
        rows.append(
            {
                "target": target,
                "goal": goal,
                "worst_ratio": worst,
                "worst_on": where,
                "best_ratio": max(found)[0],
                "met": worst >= goal,
                "note": note,
            }
        )

    for test, label in (
        ("t", 'study.test("t") vs ttest_rel'),
        ("construct + t", 'PairedStudy(...).test("t") vs ttest_rel'),
        ("wilcoxon asymptotic", 'test("wilcoxon", method="asymptotic") vs wilcoxon approx'),
        ("wilcoxon auto", 'test("wilcoxon") vs wilcoxon (different algorithms)'),
        ("sign", 'test("sign") vs binomtest'),
    ):
        add(f"single call >= 3x scipy: {label}", 3.0, _ratios(single, test, "scipy"))
    for test, label in (
        ("t", 'study.test("t") vs pingouin.ttest'),
        ("construct + t", 'PairedStudy(...).test("t") vs pingouin.ttest'),
        ("wilcoxon auto", 'test("wilcoxon") vs pingouin.wilcoxon'),
        ("power, paired t", "power.paired_t(n=...) vs pingouin.power_ttest"),
        ("sample size, paired t", "power.paired_t(power=...) vs pingouin.power_ttest"),
        ("effect size, no CI", 'effect_size("dav", ci="none") vs compute_effsize'),
    ):
        add(f"single call >= 20x pingouin: {label}", 20.0, _ratios(single, test, "pingouin"))
    add(
        "sample size >= 10x statsmodels: power.paired_t vs TTestPower().solve_power",
        10.0,
        _ratios(single, "sample size, paired t", "statsmodels"),
    )
    for test, goal in (
        ("t", 1.2),
        ("wilcoxon (default: auto, HL interval not read)", 1.5),
        ("wilcoxon auto, interval=False", 1.5),
        ("wilcoxon asymptotic, interval=False", 3.0),
    ):
        found = [
            (row["ratio"], row["dataset"])
            for row in batch["batch"]
            if row["test"] == test and row["ratio"] is not None
        ]
        add(f"batch {test} >= {goal:g}x scipy axis=", goal, found)
    for call, label in (
        ("ps auto", 'test("wilcoxon") vs scipy wilcoxon, every n'),
        ("ps asymptotic", 'test("wilcoxon", method="asymptotic") vs approx, every n'),
    ):
        found = [
            (row["ratio"], f"normal n={row['n']}")
            for row in batch.get("growth_normal", [])
            if row["call"] == call and row["ratio"] is not None
        ]
        add(f"single call >= 3x scipy: {label}", 3.0, found)
    for tool in ("statsmodels", "pingouin"):
        add(
            f"power given n >= 15x {tool}: power.paired_t(n=...)",
            15.0,
            _ratios(single, "power, paired t", tool),
        )
    imports = single.get("import_time")
    if imports and imports.get("import_scipy_stats_ms"):
        share = imports["import_pairedstudy_ms"] / imports["import_scipy_stats_ms"]
        rows.append(
            {
                "target": "import pairedstudy <= 0.6x import scipy.stats",
                "goal": 0.6,
                "worst_ratio": share,
                "worst_on": "fresh interpreters",
                "best_ratio": share,
                "met": share <= 0.6,
                "note": "ratio here is pairedstudy / scipy.stats (smaller is better)",
            }
        )
    return rows


def format_targets(rows: list[dict[str, Any]], env: dict[str, Any]) -> str:
    lines = [
        "Targets (ratio = peer time / pairedstudy time, worst over the datasets)",
        f"machine: {env['cpu_model']}, {env['cpu_count']} CPUs, Python {env['python']}, "
        f"numpy {env['versions']['numpy']}, scipy {env['versions']['scipy']}",
    ]
    for row in rows:
        status = "met" if row["met"] else "NOT MET"
        lines.append(
            f"  [{status:>7}] {row['target']}: worst {row['worst_ratio']:.2f} "
            f"({row['worst_on']}), best {row['best_ratio']:.2f}; goal {row['goal']:g}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter repeats, smaller batches")
    args = parser.parse_args(argv)
    extra = ["--quick"] if args.quick else []
    single = bench_tests.run([*extra, "--output", str(RESULTS / "latest.json")])
    print()
    batch = bench_batch.main([*extra, "--output", str(RESULTS / "batch.json")])
    rows = targets(single, batch)
    print()
    print(format_targets(rows, single["environment"]))
    (RESULTS / "targets.json").write_text(
        json.dumps({"environment": single["environment"], "targets": rows}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
