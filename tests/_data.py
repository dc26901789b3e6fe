"""Data shared by the test files, typed once.

The published Table 3 of the oxytocin massage study is spelled out here and nowhere else in
the tests (tests that check how printed figures are parsed, or a command line that takes
them as text, say so where they spell a figure out). ``tests/conftest.py`` offers the same
objects as fixtures; modules that need them at import time (in ``parametrize`` or module
constants) import this module (``pythonpath`` in pyproject.toml puts ``tests/`` on the path).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pairedstudy as ps

#: Table 3 as printed (strings keep their decimals), with the difference as printed, pre - post.
TABLE3_FIGURES: dict[str, Any] = {
    "n": 21,
    "pre_mean": "7.05",
    "pre_sd": "0.740",
    "post_mean": "9.00",
    "post_sd": "1.183",
    "diff_mean": "-1.952",
    "diff_sd": "1.161",
    "diff_order": "pre - post",
    "pre_range": (6, 8),
    "post_range": (6, 10),
}

#: The mean change post - pre and its SD as printed (the table prints pre - post = -1.952).
TABLE3_MEAN_CHANGE = -float(TABLE3_FIGURES["diff_mean"])
TABLE3_SD_CHANGE = float(TABLE3_FIGURES["diff_sd"])

#: R's names of the alternatives, mapped to the library's.
R_ALTERNATIVE = {"two.sided": "two-sided", "less": "less", "greater": "greater"}

REFERENCE_DIR = Path(__file__).parent / "reference"


def table3() -> ps.PairedSummary:
    """Table 3 as a fresh `PairedSummary` built from `TABLE3_FIGURES`."""
    return ps.PairedSummary(**TABLE3_FIGURES)


@functools.cache
def oxytocin() -> ps.PairedStudy:
    """The shipped oxytocin massage dataset, read once (a `PairedStudy` is immutable)."""
    return ps.datasets.oxytocin_massage()


@functools.cache
def reference(filename: str) -> Any:
    """A committed R reference file from ``tests/reference``, parsed once."""
    return json.loads((REFERENCE_DIR / filename).read_text())


def r_number(value: Any) -> Any:
    """A number as R's jsonlite writes it: the strings "Inf" and "-Inf" are infinities."""
    if value == "Inf":
        return float("inf")
    if value == "-Inf":
        return float("-inf")
    return value


def reference_study(ref: Any, section: str, name: str) -> ps.PairedStudy:
    """The study named `name` in the ``datasets`` of a section of a reference file."""
    data = ref[section]["datasets"][name]
    return ps.PairedStudy(data["pre"], data["post"])


def case_id(case: dict[str, Any]) -> str:
    """A readable pytest id for an R reference case (dataset, mu, alternative, ...)."""
    extra = [f"{k}{case[k]}" for k in ("trim", "confidence_level") if k in case]
    return "-".join([case["dataset"], f"mu{case['mu']}", case["alternative"], *extra])


def counts_of(draw: Any, size: int, n: int) -> tuple[int, ...]:
    """A hypothesis draw of ``size`` non-negative counts summing to ``n`` (a multiset)."""
    from hypothesis import strategies as st

    cuts = sorted(draw(st.lists(st.integers(0, n), min_size=size - 1, max_size=size - 1)))
    edges = [0, *cuts, n]
    return tuple(edges[k + 1] - edges[k] for k in range(size))
