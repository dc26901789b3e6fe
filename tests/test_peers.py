"""Agreement with scipy and pingouin where they compute the same thing (and where they differ)."""

import warnings

import numpy as np
import pingouin
import pytest
import scipy.stats

import pairedstudy as ps

RNG = np.random.default_rng(20261128)
PRE = RNG.normal(50, 10, 24)
POST = PRE + RNG.normal(2, 5, 24)
STUDY = ps.PairedStudy(PRE, POST)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_t_equals_scipy_ttest_rel(alternative):
    ours = STUDY.test("t", alternative=alternative, confidence_level=0.9)
    theirs = scipy.stats.ttest_rel(POST, PRE, alternative=alternative)
    ci = theirs.confidence_interval(0.9)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-10)
    assert ours.df == theirs.df
    assert ours.ci.low == pytest.approx(ci.low, rel=1e-10)
    assert ours.ci.high == pytest.approx(ci.high, rel=1e-10)


def test_t_equals_pingouin():
    table = pingouin.ttest(POST, PRE, paired=True)
    ours = STUDY.test("t")
    assert ours.statistic == pytest.approx(table["T"].iloc[0], rel=1e-12)
    assert ours.pvalue == pytest.approx(table["p_val"].iloc[0], rel=1e-10)
    low, high = table["CI95"].iloc[0]  # pingouin rounds its interval to 2 decimals
    assert ours.ci.low == pytest.approx(low, abs=0.005)
    assert ours.ci.high == pytest.approx(high, abs=0.005)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_wilcoxon_exact_equals_scipy_on_untied_data(alternative):
    ours = STUDY.test("wilcoxon", alternative=alternative, method="exact")
    theirs = scipy.stats.wilcoxon(POST, PRE, alternative=alternative, method="exact")
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-10)
    if alternative != "two-sided":  # scipy's two-sided statistic is min(W+, W-), not V
        assert ours.statistic == theirs.statistic


def test_wilcoxon_asymptotic_equals_scipy_approx_with_correction():
    study = ps.datasets.oxytocin_massage()
    ours = study.test("wilcoxon", method="asymptotic", correction=True, alternative="greater")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = scipy.stats.wilcoxon(
            study.post, study.pre, method="approx", correction=True, alternative="greater"
        )
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-10)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_sign_equals_scipy_binomtest(alternative):
    study = ps.datasets.oxytocin_massage()
    ours = study.test("sign", alternative=alternative)
    d = study.change
    theirs = scipy.stats.binomtest(int((d > 0).sum()), int((d != 0).sum()), 0.5, alternative)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-12)


def test_sign_median_interval_coverage_is_computed_exactly():
    # Independent: [x_(k), x_(n+1-k)] covers the median with 1 - 2 P(B <= k - 1), B~Bin(n, .5)
    n = STUDY.n
    result = STUDY.test("sign", confidence_level=0.95)
    ordered = np.sort(STUDY.change)
    k = int(np.searchsorted(ordered, result.ci.low)) + 1
    assert ordered[n - k] == result.ci.high
    coverage = 1 - 2 * scipy.stats.binom.cdf(k - 1, n, 0.5)
    assert result.ci.attained_level == pytest.approx(coverage, rel=1e-12)
    assert coverage >= 0.95 > 1 - 2 * scipy.stats.binom.cdf(k, n, 0.5)
