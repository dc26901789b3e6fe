"""The tests of the pre x post table against R (tests/fixtures/make_ordinal_tables.R).

R's values are read from tests/fixtures/ordinal_tables.json; no R is needed here.
"""

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

import pairedstudy as ps

FIXTURE = Path(__file__).parent / "fixtures" / "ordinal_tables.json"
DATA = json.loads(FIXTURE.read_text(encoding="utf-8"))
TABLES = {entry["name"]: entry for entry in DATA["tables"]}


def study_of(counts):
    counts = np.asarray(counts)
    k = counts.shape[0]
    rows, columns = np.indices((k, k))
    pre = np.repeat(rows.ravel() + 1, counts.ravel())
    post = np.repeat(columns.ravel() + 1, counts.ravel())
    return ps.PairedStudy(pre, post)


def run(entry, name, **options):
    study = study_of(entry["counts"])
    k = len(entry["counts"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.DegenerateDataWarning)
        return study.test(name, categories=range(1, k + 1), **options)


def test_the_fixture_covers_every_kind_of_table():
    assert len(TABLES) >= 40
    assert DATA["coin_version"] == "1.4.2"
    assert sum("exact_stuart_maxwell_pvalue" in e for e in TABLES.values()) >= 30
    assert {"zero-margin", "zero-margin-last", "diagonal-only", "two-groups", "one-way"} <= set(
        TABLES
    )


@pytest.mark.parametrize("name", TABLES)
def test_stuart_maxwell_equals_coin_mh_test(name):
    entry = TABLES[name]
    result = run(entry, "stuart-maxwell")
    assert result.df == entry["coin_df"]
    assert result.statistic == pytest.approx(entry["coin_statistic"], rel=1e-9, abs=1e-12)
    assert result.pvalue == pytest.approx(entry["coin_pvalue"], rel=1e-8, abs=1e-14)
    if entry["stuart_maxwell_hand"] is not None:  # the textbook formula, one category dropped
        assert result.statistic == pytest.approx(entry["stuart_maxwell_hand"], rel=1e-9)
    assert result.statistic == pytest.approx(entry["stuart_maxwell_ginv"], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", TABLES)
def test_bhapkar_equals_its_transcription(name):
    entry = TABLES[name]
    result = run(entry, "bhapkar")
    assert result.df == entry["coin_df"]
    if entry["bhapkar_ginv"] is None:  # singular in the direction of d: undefined
        assert math.isnan(result.statistic) and math.isnan(result.pvalue)
        return
    assert result.statistic == pytest.approx(entry["bhapkar_ginv"], rel=1e-8, abs=1e-12)
    if entry["bhapkar_hand"] is not None:
        assert result.statistic == pytest.approx(entry["bhapkar_hand"], rel=1e-8, abs=1e-12)
    if result.df > 0:
        from scipy import stats

        expected = stats.chi2.sf(entry["bhapkar_ginv"], result.df)
        assert result.pvalue == pytest.approx(expected, rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("name", TABLES)
def test_bowker_equals_its_transcription_and_mcnemar_test(name):
    entry = TABLES[name]
    result = run(entry, "bowker")
    assert result.df == entry["bowker_hand_df"]
    assert result.statistic == pytest.approx(entry["bowker_hand"], rel=1e-12, abs=1e-12)
    assert result.pvalue == pytest.approx(entry["bowker_hand_pvalue"], rel=1e-9, abs=1e-14)
    # R's own Bowker test (mcnemar.test) where it is defined: every pair of categories
    # has a discordant pair (R gives NaN otherwise: 0/0)
    if entry.get("mcnemar_statistic") is not None:
        assert result.statistic == pytest.approx(entry["mcnemar_statistic"], rel=1e-12)
        assert result.df == entry["mcnemar_df"]
        assert result.pvalue == pytest.approx(entry["mcnemar_pvalue"], rel=1e-9, abs=1e-14)


EXACT = [name for name, entry in TABLES.items() if "exact_stuart_maxwell_pvalue" in entry]


@pytest.mark.parametrize("name", EXACT)
def test_exact_p_values_equal_r_brute_force(name):
    entry = TABLES[name]
    for test in ("stuart-maxwell", "bhapkar"):
        result = run(entry, test, method="exact")
        assert result.pvalue == pytest.approx(
            entry["exact_stuart_maxwell_pvalue"], rel=1e-9, abs=1e-14
        )
    result = run(entry, "bowker", method="exact")
    assert result.pvalue == pytest.approx(entry["exact_bowker_pvalue"], rel=1e-9, abs=1e-14)
    if "coin_exact_pvalue" in entry:  # coin's exact distribution: 2 x 2 tables only
        sm = run(entry, "stuart-maxwell", method="exact")
        assert sm.pvalue == pytest.approx(entry["coin_exact_pvalue"], rel=1e-9)


@pytest.mark.parametrize("name", EXACT)
def test_coin_monte_carlo_agrees_with_the_exact_p_value(name):
    entry = TABLES[name]
    exact = run(entry, "stuart-maxwell", method="exact").pvalue
    resamples = entry["coin_approximate_nresample"]
    se = math.sqrt(max(exact * (1 - exact), 1e-6) / resamples)
    assert abs(entry["coin_approximate_pvalue"] - exact) < 5 * se


@pytest.mark.parametrize("name", ["oxytocin", "statsmodels-3x3", "small-4x4"])
def test_our_monte_carlo_agrees_with_coin_monte_carlo(name):
    entry = TABLES[name]
    ours = run(entry, "stuart-maxwell", method="monte-carlo", n_resamples=20000, seed=1)
    theirs = entry["coin_approximate_pvalue"]
    se = math.sqrt(max(theirs * (1 - theirs), 1e-4) * (1 / 20000 + 1 / 100000))
    assert abs(ours.pvalue - theirs) < 5 * se + 1 / 20001


def test_the_oxytocin_table_is_the_shipped_dataset():
    table = ps.datasets.oxytocin_massage().crosstab()
    assert table.counts.tolist() == TABLES["oxytocin"]["counts"]
