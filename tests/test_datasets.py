"""The shipped datasets: Table 3 of the oxytocin study as printed, and one dataset behind it."""

from _data import TABLE3_FIGURES, table3

import pairedstudy as ps


def test_oxytocin_table3_is_the_published_table(oxytocin_table3):
    shipped = ps.datasets.oxytocin_table3()
    assert shipped == table3() == oxytocin_table3
    for name in ("pre_mean", "pre_sd", "post_mean", "post_sd", "diff_mean", "diff_sd"):
        assert str(getattr(shipped, name)) == TABLE3_FIGURES[name]
    assert shipped != ps.PairedSummary(**{**TABLE3_FIGURES, "diff_sd": "1.162"})


def test_oxytocin_massage_is_read_once_for_the_tests(oxytocin_study):
    assert oxytocin_study.n == TABLE3_FIGURES["n"]
    assert oxytocin_study.describe() == ps.datasets.oxytocin_massage().describe()


def test_massage_dropouts_is_what_its_script_makes(tmp_path, monkeypatch):
    """The shipped file is the seeded script's output, and reads as 20 pairs + 7 + 3."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "docs/scripts/make_dropout_dataset.py"
    spec = importlib.util.spec_from_file_location("make_dropout_dataset", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "made.csv")
    module.main()
    shipped = Path(ps.datasets.__file__).parent / "data" / "massage_dropouts.csv"
    assert (tmp_path / "made.csv").read_text() == shipped.read_text()
    study = ps.datasets.massage_dropouts()
    assert (study.n, study.pre_only.size, study.post_only.size, study.dropped) == (20, 7, 3, 10)
    every = [*study.subjects, *study.pre_only_subjects, *study.post_only_subjects]
    assert sorted(every) == list(range(1, 31))
    for values in (study.pre, study.post, study.pre_only, study.post_only):
        assert set(values.tolist()) <= {6.0, 7.0, 8.0, 9.0, 10.0}
