"""A plugin author's natural calls type-check with mypy and the project's configuration.

The package ships ``py.typed``; this runs mypy's API on a small typed plugin (a test function,
its registration, the calls that run it) and on a control with one deliberate type error, so
the check can fail: if mypy saw the package as untyped (every name ``Any``), the control
would pass too.
"""

import os
import sys
import textwrap
from pathlib import Path

import pytest

import pairedstudy as ps

api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

PLUGIN = '''
from __future__ import annotations

import pairedstudy as ps


@ps.register_test("mine", statistic_name="t", estimate_name="mean change")
def my_test(
    study: ps.PairedStudy, *, alternative: str, mu: float, confidence_level: float
) -> ps.TestResult:
    """A location test of the mean change (its figures are made up)."""
    estimate = float(study.change.mean())
    return ps.TestResult(
        test="mine",
        title="My test",
        method="exact",
        statistic=estimate - mu,
        statistic_name="t",
        pvalue=0.5,
        alternative=alternative,
        mu=mu,
        n=study.n,
        estimate=estimate,
        estimate_name="mean change",
        ci=ps.results.ConfidenceInterval(
            low=estimate - 1.0, high=estimate + 1.0, level=confidence_level
        ),
        notes=["a note"],
        details={"x": 1.0},
    )


def use() -> float:
    study = ps.PairedStudy([1.0, 2.0, 3.0], [2.0, 3.5, 3.0])
    result = ps.get_test("mine")(study, alternative="two-sided", mu=0.0, confidence_level=0.95)
    pvalue: float = study.test("mine").pvalue
    notes: tuple[str, ...] = study.test("mine").notes
    return pvalue + float(result.pvalue) + len(notes)
'''

CONTROL = """
import pairedstudy as ps

study = ps.PairedStudy([1.0, 2.0, 3.0], [2.0, 3.5, 3.0])
wrong: str = study.test("mine").pvalue
"""


@pytest.mark.skipif(not PYPROJECT.is_file(), reason="needs the source tree's pyproject.toml")
def test_a_plugin_authors_natural_calls_type_check(tmp_path, monkeypatch):
    (tmp_path / "plugin.py").write_text(textwrap.dedent(PLUGIN))
    (tmp_path / "control.py").write_text(textwrap.dedent(CONTROL))
    package_root = Path(ps.__file__).resolve().parent.parent
    if package_root.name != "site-packages":  # an editable install: mypy needs the path
        monkeypatch.setenv("MYPYPATH", str(package_root))
    # the project's configuration; the repository's cache, warm after the CI's own mypy run
    monkeypatch.chdir(ROOT)
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(PYPROJECT),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--python-executable",
            sys.executable,
            "--no-error-summary",
            "--show-error-codes",
            str(tmp_path / "plugin.py"),
            str(tmp_path / "control.py"),
        ]
    )
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    plugin_errors = [line for line in errors if os.sep + "plugin.py:" in line]
    assert plugin_errors == [], stdout + stderr
    # the control's one wrong annotation is caught: the package's types are seen
    assert len(errors) == 1 and "control.py:5:" in errors[0], stdout + stderr
    assert "[assignment]" in errors[0]
    assert status == 1
