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
