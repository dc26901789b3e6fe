"""The replication-success pages print what their text says (issue 18).

tests/test_docs.py runs every page's examples; this file checks the numbers the tutorial
and the explanation quote, and README's example.
"""

from pathlib import Path

import pytest
from test_docs import README, run_blocks

DOCS = Path(__file__).parent.parent / "docs"

EXPECTED = {
    "tutorials/05-did-the-replication-succeed.md": [
        "replication success (conditional)  5\n",
        "replication success (predictive)   5\n",
        "small telescopes                   51\n",
        "t = 7.705, z = 7.239",
        "c = 1.755",
        "zo = 7.239, zr = 7.371, c = 1.76\nsceptical p-value 5.5e-10\nTrue\n",
        "[1.2899, 2.6141]",
        "p = 0.1809",
        "[1.3457, 1.9824]",
        "prediction interval        no   outside\nQ test                     no   effects differ",
        "significance               no   not significant",
        "small telescopes           yes  d33 not rejected",
        "fixed-effect combination   yes  pooled effect significant\n"
        "replication Bayes factor   no   evidence for no effect",
    ],
    "explanation/replication-success.md": [
        "z = t:            z = 7.705, se = 0.2534",
        "same p-value:     z = 5.193, se = 0.3759",
        "t-matched (ours): z = 7.239, se = 0.2696",
        "exact t:          [1.305, 2.599]  Welch p = 0.0177",
        "z = t:            [1.322, 2.582]  Q test p = 0.0137",
        "same p-value:     [1.085, 2.819]  Q test p = 0.0734",
        "t-matched (ours): [1.290, 2.614]  Q test p = 0.0191",
    ],
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_pages_print_what_they_say(page, capsys):
    run_blocks(DOCS / page)
    printed = capsys.readouterr().out
    for text in EXPECTED[page]:
        assert text in printed, (page, text)


def test_tutorial_text_numbers_match_the_evaluation():
    import pairedstudy as ps

    original = ps.datasets.oxytocin_table3()

    def replication(diff, post):
        return ps.PairedSummary(
            n=42, pre_mean="7.10", pre_sd="0.79", post_mean=post, post_sd="1.05",
            diff_mean=diff, diff_sd="1.28",
        )  # fmt: skip

    shrunk = ps.replication.evaluate(original, replication("1.16", "8.26"))
    assert round(shrunk["Q test"].value, 3) == 0.019
    failed = ps.replication.evaluate(original, replication("0.31", "7.41"))
    assert round(failed["significance"].value, 3) == 0.062
    assert round(failed.p_sceptical, 3) == 0.031
    assert 60_000 < failed["replication Bayes factor"].value < 80_000  # "70 000 to one"


def test_readme_example(capsys):
    run_blocks(README)
    assert "5.5e-10 True" in capsys.readouterr().out
