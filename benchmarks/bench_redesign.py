"""Single calls before and after the one-core redesign (issue 14), in one process.

Run from the repository root (a git checkout: the code before the redesign is taken from
commit ``3ec3f8e``)::

    python benchmarks/bench_redesign.py                 # interleaved timing, 21 rounds
    python benchmarks/bench_redesign.py --instructions  # also callgrind instruction counts

*Before* is the package as of commit 3ec3f8e (one scalar implementation per test beside
the batch one, every interval computed with the test), extracted with ``git archive`` into
a temporary folder and imported under another name; *after* is the installed package.
Both run the same calls on the same data, in rotating rounds, so a drift in the load of
this shared machine moves both alike; each figure is the best round, in CPU time
(``time.process_time``). Ratio = before / after (above 1: after is faster).

The signed-rank test has two rows since the redesign: its Hodges-Lehmann estimate and
interval are computed when first read, so ``p only`` is the test as scipy computes it and
``+ interval`` reads ``result.ci`` too (before, the test always computed both: both rows
compare with that call). ``interval=False`` leaves both out, before and after.

``--instructions`` counts machine instructions per call under valgrind's callgrind (one
process per case; instrumentation switched on after the imports and the warm-up). The
counts do not depend on the machine's load, so they settle differences of a few percent
that timing on a loaded machine cannot.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

BEFORE_COMMIT = "3ec3f8e"
BEFORE_NAME = "pairedstudy_before"
ROOT = Path(__file__).resolve().parents[1]


def extract_before(folder: Path) -> None:
    """Put the package as of :data:`BEFORE_COMMIT` in ``folder`` as :data:`BEFORE_NAME`."""
    archive = folder / "before.tar"
    with archive.open("wb") as out:
        subprocess.run(
            ["git", "archive", BEFORE_COMMIT, "src/pairedstudy"], cwd=ROOT, stdout=out, check=True
        )
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    (folder / "src" / "pairedstudy").rename(folder / BEFORE_NAME)


def datasets(module: Any) -> dict[str, Any]:
    """The studies of the comparison, built by ``module`` (either version)."""
    rng = np.random.default_rng(1)
    studies = {"oxytocin n=21": module.datasets.oxytocin_massage()}
    for n in (21, 30, 200):
        pre = rng.normal(10, 2, n)
        studies[f"normal n={n}"] = module.PairedStudy(pre, pre + rng.normal(0.3, 1, n))
    pre = rng.integers(1, 6, 200).astype(float)
    post = np.clip(pre + rng.integers(-1, 3, 200), 1, 5)
    studies["Likert n=200"] = module.PairedStudy(pre, post)
    return studies


CALLS: dict[str, Callable[[Any], Any]] = {
    "t": lambda study: study.test("t"),
    "sign": lambda study: study.test("sign"),
    "wilcoxon, p only": lambda study: study.test("wilcoxon"),
    "wilcoxon + interval": lambda study: study.test("wilcoxon").ci,
    "wilcoxon, interval=False": lambda study: study.test("wilcoxon", interval=False),
}


def best_cpu(funcs: dict[str, Callable[[], Any]], rounds: int, calls: int) -> dict[str, float]:
    """Best CPU microseconds per call of each function over rotating rounds."""
    best = dict.fromkeys(funcs, float("inf"))
    names = list(funcs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for func in funcs.values():
            func()
        for round_ in range(rounds):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                func = funcs[name]
                start = time.process_time()
                for _ in range(calls):
                    func()
                best[name] = min(best[name], (time.process_time() - start) / calls * 1e6)
    return best


def instructions(version: str, dataset: str, call: str, folder: Path, count: int = 100) -> int:
    """Instructions per call under callgrind (a child process runs this file)."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        "--instr-atstart=no",
        "--collect-atstart=no",
        "--toggle-collect=deque_init",
        sys.executable,
        __file__,
        "--child",
        version,
        dataset,
        call,
        str(count),
        str(folder),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    line = next(row for row in out.splitlines() if "Collected" in row)
    return int(line.split()[-1]) // count


def child(version: str, dataset: str, call: str, count: int, folder: str) -> None:
    """Under callgrind: warm up, switch instrumentation on, run ``count`` calls in a deque."""
    sys.path.insert(0, folder)
    module = importlib.import_module("pairedstudy" if version == "after" else BEFORE_NAME)
    study = datasets(module)[dataset]
    func = CALLS[call]
    warnings.simplefilter("ignore")
    for _ in range(20):
        func(study)
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
    time.sleep(0.5)
    # only the deque's consumption of the calls is counted (--toggle-collect=deque_init)
    collections.deque((func(study) for _ in range(count)), maxlen=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        version, dataset, call, count, folder = args.child
        child(version, dataset, call, int(count), folder)
        return
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        extract_before(folder)
        sys.path.insert(0, str(folder))
        import pairedstudy as after

        before = importlib.import_module(BEFORE_NAME)
        studies = {"before": datasets(before), "after": datasets(after)}
        funcs = {
            (version, dataset, call): (lambda f=func, s=study: f(s))
            for dataset in studies["after"]
            for call, func in CALLS.items()
            for version in ("before", "after")
            if not (version == "before" and call == "wilcoxon + interval")
            for study in [studies[version][dataset]]
        }
        times = best_cpu(funcs, args.rounds, args.calls)
        counted = args.instructions and shutil.which("valgrind") is not None
        if args.instructions and not counted:
            print("valgrind is not installed: no instruction counts", file=sys.stderr)
        header = f"{'dataset':15s} {'call':26s} {'before us':>10s} {'after us':>9s} {'ratio':>6s}"
        print(header + ("  instructions before / after, ratio" if counted else ""))
        for dataset in studies["after"]:
            for call in CALLS:
                # before, the test always computed its interval: that is the reference
                reference = "wilcoxon, p only" if call == "wilcoxon + interval" else call
                old = times[("before", dataset, reference)]
                new = times[("after", dataset, call)]
                line = f"{dataset:15s} {call:26s} {old:10.1f} {new:9.1f} {old / new:6.2f}"
                if counted:
                    old_i = instructions("before", dataset, reference, folder)
                    new_i = instructions("after", dataset, call, folder)
                    line += f"  {old_i:>9,d} / {new_i:>9,d}, {old_i / new_i:.2f}"
                print(line, flush=True)


if __name__ == "__main__":
    main()
