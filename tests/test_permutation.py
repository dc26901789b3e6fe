"""The "permutation" test: coin's exact symmetry_test, scipy, Hartigan's interval, bad input.

Reference values come from tests/reference/make_resampling_and_trimmed.R (coin's exact
symmetry_test and a base-R enumeration of all sign flips), committed as
r_resampling_and_trimmed.json; R is not needed to run these tests. Properties shared with
"bootstrap" and "yuen" are in test_permutation_bootstrap_yuen.py.
"""

import math
import warnings

import numpy as np
import pytest
from _data import R_ALTERNATIVE, case_id, r_number, reference, reference_study
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.inference.permutation import AUTO_EXACT_LIMIT, EXACT_LIMIT

REFERENCE = reference("r_resampling_and_trimmed.json")
RTOL = 1e-8


PERMUTATION = REFERENCE["permutation"]["cases"]


def test_permutation_fixture_covers_ties_zeros_and_alternatives():
    assert len(REFERENCE["permutation"]["datasets"]) >= 10
    assert {c["alternative"] for c in PERMUTATION} == set(R_ALTERNATIVE)
    zeros = ties = False
    for data in REFERENCE["permutation"]["datasets"].values():
        d = np.subtract(data["post"], data["pre"])
        zeros |= bool(np.any(d == 0))
        ties |= np.unique(np.abs(d[d != 0])).size < np.count_nonzero(d)
    assert zeros and ties


@pytest.mark.parametrize("case", PERMUTATION, ids=case_id)
def test_permutation_matches_coin_and_enumeration(case):
    study = reference_study(REFERENCE, "permutation", case["dataset"])
    level = case["confidence_level"]
    attained = case["attained_level"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ps.PairedStudyWarning)
        result = study.test(
            "permutation",
            alternative=R_ALTERNATIVE[case["alternative"]],
            mu=case["mu"],
            confidence_level=level,
            method="exact",
        )
    kinds = {type(w.message) for w in caught}
    assert (ps.SmallSampleWarning in kinds) == (attained < level)
    assert result.method == "exact"
    # the two R references agree with each other, and we with both
    assert case["coin_pvalue"] == pytest.approx(case["enumerated_pvalue"], rel=1e-12)
    assert result.pvalue == pytest.approx(case["coin_pvalue"], rel=RTOL)
    assert result.estimate == pytest.approx(case["estimate"], rel=RTOL)
    assert result.statistic == pytest.approx(case["estimate"] - case["mu"], rel=RTOL, abs=1e-12)
    low, high = (r_number(v) for v in case["ci"])
    assert result.ci.low == pytest.approx(low, rel=RTOL, abs=1e-12)
    assert result.ci.high == pytest.approx(high, rel=RTOL, abs=1e-12)
    assert result.ci.attained_level == pytest.approx(attained, rel=1e-12)


def test_coin_linear_statistic_is_the_sum_of_post_minus_mu():
    """The direction check: coin's "greater" is about sum(post - mu) being large."""
    for case in PERMUTATION:
        data = REFERENCE["permutation"]["datasets"][case["dataset"]]
        assert case["coin_linear"] == pytest.approx(
            np.sum(data["post"]) - case["mu"] * len(data["post"])
        )


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("mu", [0.0, 0.5, -1.0])
def test_permutation_matches_scipy_permutation_test(alternative, mu):
    from scipy import stats

    rng = np.random.default_rng(7)
    pre = rng.integers(1, 8, 11).astype(float)
    post = pre + rng.integers(-3, 5, 11)
    ours = ps.PairedStudy(pre, post).test("permutation", alternative=alternative, mu=mu)
    theirs = stats.permutation_test(
        (post - mu, pre),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type="samples",
        alternative=alternative,
        n_resamples=np.inf,
        vectorized=True,
    )
    assert ours.method == "exact"
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-12)


def test_permutation_monte_carlo_matches_scipy_within_monte_carlo_error():
    from scipy import stats

    rng = np.random.default_rng(8)
    pre = rng.normal(10, 2, 40)
    post = pre + rng.normal(0.35, 1.2, 40)
    ours = ps.PairedStudy(pre, post).test("permutation", n_resamples=20000, seed=3)
    theirs = stats.permutation_test(
        (post, pre),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type="samples",
        n_resamples=20000,
        vectorized=True,
        rng=np.random.default_rng(4),
    )
    assert ours.method == "monte-carlo"
    se = ours.details["mc_se"]
    assert abs(ours.pvalue - theirs.pvalue) < 5 * math.sqrt(2) * se


@settings(max_examples=25)
@given(
    values=st.lists(
        st.floats(-100, 100, allow_nan=False).map(lambda x: round(x, 3)),
        min_size=8,
        max_size=14,
        unique=True,  # distinct changes are drawn, not filtered (assume below is a guard)
    ),
    alternative=st.sampled_from(["two-sided", "less", "greater"]),
)
def test_permutation_interval_is_the_set_the_test_does_not_reject(values, alternative):
    change = np.array(values)
    assume(np.unique(change).size == change.size)
    study = ps.PairedStudy(np.zeros(change.size), change)
    result = study.test("permutation", alternative=alternative, confidence_level=0.9)
    alpha = 0.1
    for limit, outward in ((result.ci.low, -1.0), (result.ci.high, 1.0)):
        if not math.isfinite(limit):
            continue
        step = 1e-7 * max(1.0, abs(limit))
        inside = study.test("permutation", alternative=alternative, mu=limit).pvalue
        outside = study.test("permutation", alternative=alternative, mu=limit + outward * step)
        assert inside > alpha
        assert outside.pvalue <= alpha


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_monte_carlo_permutation_interval_inverts_the_monte_carlo_test(alternative):
    """The same seeded flips at every mu: the interval is exactly the set not rejected."""
    rng = np.random.default_rng(21)
    study = ps.PairedStudy(rng.normal(0, 1, 30), rng.normal(0.4, 1, 30))
    options = {"method": "monte-carlo", "n_resamples": 1999, "seed": 8}
    result = study.test("permutation", alternative=alternative, **options)
    for limit, outward in ((result.ci.low, -1.0), (result.ci.high, 1.0)):
        if not math.isfinite(limit):
            continue
        step = 1e-9 * max(1.0, abs(limit))
        inside = study.test("permutation", alternative=alternative, mu=limit, **options)
        outside = study.test(
            "permutation", alternative=alternative, mu=limit + outward * step, **options
        )
        assert inside.pvalue > 0.05 >= outside.pvalue


@pytest.mark.parametrize("mu", [0.0, 0.8])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_permutation_exact_and_monte_carlo_agree(mu, alternative):
    rng = np.random.default_rng(11)
    pre = rng.normal(20, 3, 16).round(1)
    post = (pre + rng.normal(0.6, 2, 16)).round(1)
    study = ps.PairedStudy(pre, post)
    exact = study.test("permutation", alternative=alternative, mu=mu, method="exact")
    mc = study.test(
        "permutation",
        alternative=alternative,
        mu=mu,
        method="monte-carlo",
        n_resamples=40_000,
        seed=5,
    )
    assert exact.method == "exact" and mc.method == "monte-carlo"
    assert abs(mc.pvalue - exact.pvalue) <= 4 * mc.details["mc_se"] + 1 / 40_001
    for a, b in ((exact.ci.low, mc.ci.low), (exact.ci.high, mc.ci.high)):
        if math.isfinite(a):
            assert b == pytest.approx(a, abs=0.1 * exact.estimate + 0.15)


def test_method_auto_switches_at_the_documented_limit():
    rng = np.random.default_rng(1)
    for n, expected in ((AUTO_EXACT_LIMIT, "exact"), (AUTO_EXACT_LIMIT + 1, "monte-carlo")):
        study = ps.PairedStudy(rng.normal(size=n), rng.normal(size=n))
        assert study.test("permutation").method == expected
    study = ps.PairedStudy(rng.normal(size=EXACT_LIMIT), rng.normal(size=EXACT_LIMIT))
    assert study.test("permutation", method="exact").method == "exact"


def test_permutation_keeps_zeros_and_warns_when_every_change_is_mu():
    study = ps.PairedStudy([1, 2, 3, 4, 5, 6], [1, 3, 3, 6, 5, 9])
    result = study.test("permutation")
    assert result.details["n_zero"] == 3 and result.n == 6
    assert result.estimate == pytest.approx(1.0)
    assert any("kept" in note for note in result.notes)
    with pytest.warns(ps.DegenerateDataWarning, match="every change equals mu"):
        result = ps.PairedStudy(range(8), range(1, 9)).test("permutation", mu=1.0)
    assert result.pvalue == 1.0
    assert result.ci.low == result.ci.high == 1.0


def test_unknown_method_is_refused():
    with pytest.raises(ps.InputValueError, match="method must be one of 'auto', 'exact'"):
        ps.datasets.oxytocin_massage().test("permutation", method="asymptotic")


def test_exact_refuses_large_n_with_advice():
    n = EXACT_LIMIT + 1
    study = ps.PairedStudy(np.arange(n, dtype=float), np.arange(n) + np.linspace(-1, 2, n))
    with pytest.raises(ps.InputValueError, match=rf"at most n = {EXACT_LIMIT}.*monte-carlo"):
        study.test("permutation", method="exact")
