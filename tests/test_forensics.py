"""The forensics package: its pieces are what PairedSummary.check() and .reconstruct() use."""

import ast
import warnings
from pathlib import Path

import pytest

import pairedstudy as ps
from pairedstudy import forensics
from pairedstudy.errors import ConvergenceWarning

SRC = Path(ps.__file__).parent
WIDE_TABLE = {  # 12 possible scores on 0-24 with 4 subjects: the sampler warns
    "n": 4,
    "pre_mean": "12.0",
    "pre_sd": "5.0",
    "post_mean": "13.0",
    "post_sd": "6.0",
}


def test_the_old_names_still_import():
    for name in ("ROUNDING", "Reported", "reported", "grim", "grimmer", "debit", "mean_sums"):
        assert hasattr(forensics, name)
    assert ps.grim is forensics.grim and ps.grimmer is forensics.grimmer
    assert ps.debit is forensics.debit
    # figures spelled out on purpose here and below: these test how printed text is parsed
    assert forensics.reported("0.740").decimals == 3  # the function, not a module
    from pairedstudy.summary import CheckItem, ConsistencyReport, Reconstruction

    assert Reconstruction is forensics.Reconstruction
    assert ConsistencyReport is forensics.ConsistencyReport
    assert CheckItem is forensics.CheckItem


def test_every_public_name_is_exported_and_documented():
    for name in forensics.__all__:
        obj = getattr(forensics, name)
        if callable(obj) and not isinstance(obj, type(tuple[int, ...])):
            assert obj.__doc__, name


def test_summary_methods_delegate_to_the_package():
    table = ps.datasets.oxytocin_table3()
    assert table.check() == forensics.check_summary(table)
    assert table.reconstruct(scale=(6, 10)) == forensics.reconstruct_summary(table, (6, 10))
    bad = ps.PairedSummary(n=10, pre_mean="3.45", pre_sd="0.2", post_mean="5.13", post_sd="9.9")
    assert not forensics.check_summary(bad).consistent


def test_the_convergence_warning_points_at_the_caller(monkeypatch):
    # the Markov chains warn; they sample only when the exact count is over its budget
    monkeypatch.setattr(forensics.reconstruction, "COUNT_BUDGET", 0)
    table = ps.PairedSummary(**WIDE_TABLE)
    options = {"limit": 1, "sample": 8, "seed": 0, "burn_in": 1, "thin": 1}
    for call in (
        lambda: table.reconstruct(scale=(0, 24), **options),
        lambda: forensics.reconstruct_summary(table, (0, 24), **options),
    ):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        assert [w.category for w in caught] == [ConvergenceWarning]
        assert caught[0].filename == __file__


def test_table_constraints_follow_the_printed_order():
    table = ps.datasets.oxytocin_table3()  # printed pre - post
    constraints = forensics.TableConstraints.of(table)
    assert constraints.sign == -1 and constraints.n == 21
    flipped = forensics.TableConstraints.of(
        ps.PairedSummary(**{**_figures(table), "diff_mean": "1.952", "diff_order": "post - pre"})
    )
    assert flipped.sign == 1
    # the same sums allow the same products whichever order the paper printed
    s_a, s_b = 148, 189  # 21 x 7.05 and 21 x 9.00
    allowed = constraints.products(s_a, 1054, s_b, 1729)
    assert allowed == flipped.products(s_a, 1054, s_b, 1729) and len(allowed) > 0


def _figures(table):
    names = ("n", "pre_mean", "pre_sd", "post_mean", "post_sd", "diff_mean", "diff_sd")
    return {name: getattr(table, name) for name in names}


def test_sq_bounds_and_intervals():
    assert forensics.sq_bounds(3, 6, 0, 5) == (12, 26)
    assert forensics.sq_bounds(2, 11, 0, 5) is None
    # printed figures spelled out: the parsing of the text is what is tested
    assert forensics.interval(forensics.reported("7.05"), "up_or_down") == (7.045, 7.055)
    low, high = forensics.change_interval(
        forensics.reported("7.05"), forensics.reported("9.00"), None, "post - pre", "up"
    )
    assert low == pytest.approx(1.94) and high == pytest.approx(1.96)
    with pytest.raises(ps.InputValueError, match="t or p"):
        forensics.abs_t_interval(None, None, 10, "up")
    with pytest.raises(ps.InputValueError, match="scale"):
        forensics.check_range((3, 1), "scale")


def _runtime_imports(path):
    """Modules imported by a file outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            hidden.update(id(child) for child in ast.walk(node))
    return {
        (node.level, node.module)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and id(node) not in hidden
    }


def test_no_import_circle_through_frames_or_the_summary():
    assert not {m for _, m in _runtime_imports(SRC / "frames.py")} & {"study", "summary"}
    for path in (SRC / "forensics").glob("*.py"):
        modules = {m for _, m in _runtime_imports(path)}
        assert "summary" not in modules, path.name


def test_no_private_name_crosses_the_forensics_modules():
    for path in (SRC / "forensics").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, (path.name, private)
