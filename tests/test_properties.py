"""Property-based tests of invariances shared by the paired t, Wilcoxon and sign tests.

Where a property is an exact identity the data are integer- or dyadic-valued, so every
change ``post - pre`` (and its transform) is computed without rounding and results can be
compared bit for bit; only the paired t-test under a shift of ``post`` with ``mu = c``
(whose mean and SD are recomputed from shifted values) is compared to a tight tolerance.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import pairedstudy as ps

TESTS = ("t", "wilcoxon", "sign")
ALTERNATIVES = ("two-sided", "less", "greater")
ZERO_METHODS = ("wilcox", "pratt", "zsplit")
WILCOXON_METHODS = ("auto", "exact", "asymptotic")

# ---------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------


def _vec(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


@st.composite
def integer_pairs(draw, lo: int = -20, hi: int = 20, min_n: int = 2, max_n: int = 30):
    """Independent integer pre and post (ties and zeros are common)."""
    n = draw(st.integers(min_n, max_n))
    values = st.lists(st.integers(lo, hi), min_size=n, max_size=n)
    return _vec(draw(values)), _vec(draw(values))


def likert_pairs(min_n: int = 2, max_n: int = 30):
    """Likert-like scores 1..7: many ties and many zero changes."""
    return integer_pairs(lo=1, hi=7, min_n=min_n, max_n=max_n)


@st.composite
def mostly_zero_pairs(draw, min_n: int = 2, max_n: int = 30):
    """Integer data where most changes are exactly zero."""
    n = draw(st.integers(min_n, max_n))
    pre = draw(st.lists(st.integers(-100, 100), min_size=n, max_size=n))
    delta = draw(st.lists(st.sampled_from([0, 0, 0, 0, 0, 1, -1, 2, -3]), min_size=n, max_size=n))
    return _vec(pre), _vec(pre) + _vec(delta)


def integer_data(min_n: int = 2, max_n: int = 30):
    return st.one_of(
        likert_pairs(min_n, max_n),
        mostly_zero_pairs(min_n, max_n),
        integer_pairs(-1000, 1000, min_n, max_n),
    )


def _snap(x: float) -> float:
    # Keep magnitudes away from the subnormal range so that differences and power-of-two
    # rescalings of the data stay exact.
    return x if abs(x) >= 1e-6 else 0.0


finite_floats = st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False
).map(_snap)


@st.composite
def float_pairs(draw, min_n: int = 2, max_n: int = 30):
    n = draw(st.integers(min_n, max_n))
    values = st.lists(finite_floats, min_size=n, max_size=n)
    return _vec(draw(values)), _vec(draw(values))


def any_data(min_n: int = 2, max_n: int = 30):
    return st.one_of(integer_data(min_n, max_n), float_pairs(min_n, max_n))


wilcoxon_options = st.fixed_dictionaries(
    {
        "zero_method": st.sampled_from(ZERO_METHODS),
        "method": st.sampled_from(WILCOXON_METHODS),
        "correction": st.booleans(),
    }
)


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def run(pre, post, name, options=None, **kwargs):
    """Run a test with pairedstudy's warnings silenced; ``None`` if t is undefined."""
    study = ps.PairedStudy(pre, post)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        try:
            return study.test(name, **(options or {}), **kwargs)
        except ps.DegenerateDataError:
            if name != "t":
                raise
            return None


def configs(wopts):
    """``(name, options)`` for the three tests, Wilcoxon with the drawn options."""
    return [("t", {}), ("wilcoxon", wopts), ("sign", {})]


def assert_identical(a, b):
    """Same statistic, p-value, estimate and interval, bit for bit."""
    assert a.statistic == b.statistic
    assert a.pvalue == b.pvalue
    assert a.estimate == b.estimate
    assert (a.ci.low, a.ci.high) == (b.ci.low, b.ci.high)
    assert a.method == b.method


def close(x, y, tol=1e-9):
    if math.isinf(x) or math.isinf(y):
        return x == y
    return math.isclose(x, y, rel_tol=tol, abs_tol=tol)


# ---------------------------------------------------------------------------------------
# 1. Shift invariance
# ---------------------------------------------------------------------------------------


@given(data=integer_data(), c=st.integers(-1000, 1000), wopts=wilcoxon_options)
def test_shifting_both_arms_changes_nothing(data, c, wopts):
    pre, post = data
    for name, options in configs(wopts):
        for alternative in ALTERNATIVES:
            a = run(pre, post, name, options, alternative=alternative)
            b = run(pre + c, post + c, name, options, alternative=alternative)
            if a is None or b is None:
                assert a is None and b is None, "t defined for only one of the two"
                continue
            assert_identical(a, b)


# ---------------------------------------------------------------------------------------
# 2. Shifting post by c and testing mu = c
# ---------------------------------------------------------------------------------------


@given(data=integer_data(), c=st.integers(-1000, 1000), wopts=wilcoxon_options)
def test_shifting_post_with_matching_mu(data, c, wopts):
    pre, post = data
    for name, options in configs(wopts):
        for alternative in ALTERNATIVES:
            a = run(pre, post, name, options, alternative=alternative, mu=0.0)
            b = run(pre, post + c, name, options, alternative=alternative, mu=float(c))
            if a is None or b is None:
                assert a is None and b is None, "t defined for only one of the two"
                continue
            if name == "t":
                # mean and SD are recomputed from shifted values: equal up to rounding.
                assert close(a.statistic, b.statistic)
                assert close(a.pvalue, b.pvalue)
                assert close(a.estimate + c, b.estimate)
                assert close(a.ci.low + c, b.ci.low)
                assert close(a.ci.high + c, b.ci.high)
            else:
                # change - mu is bit-identical, Walsh averages and medians shift exactly.
                assert a.statistic == b.statistic
                assert a.pvalue == b.pvalue
                assert a.estimate + c == b.estimate
                assert (a.ci.low + c, a.ci.high + c) == (b.ci.low, b.ci.high)
                assert a.details["n_used"] == b.details["n_used"]


# ---------------------------------------------------------------------------------------
# 3. Swapping pre and post
# ---------------------------------------------------------------------------------------

_MIRROR = {"two-sided": "two-sided", "less": "greater", "greater": "less"}


@given(data=any_data(), wopts=wilcoxon_options)
def test_swapping_arms_mirrors_the_result(data, wopts):
    pre, post = data
    for name, options in configs(wopts):
        for alternative in ALTERNATIVES:
            a = run(pre, post, name, options, alternative=alternative)
            b = run(post, pre, name, options, alternative=_MIRROR[alternative])
            if a is None or b is None:
                assert a is None and b is None, "t defined for only one of the two"
                continue
            if name == "t":
                assert b.statistic == -a.statistic
            elif name == "wilcoxon":
                m = a.details["n_used"]
                assert b.details["n_used"] == m
                assert a.statistic + b.statistic == 2 * a.details["null_mean"]
                if wopts["zero_method"] == "wilcox":
                    assert b.statistic == m * (m + 1) / 2 - a.statistic
            else:
                m = a.details["n_used"]
                assert b.details["n_used"] == m
                assert b.statistic == m - a.statistic
            # binomial lower and upper tails come from different special functions
            assert b.pvalue == pytest.approx(a.pvalue, rel=1e-12, abs=1e-300)
            assert b.estimate == -a.estimate
            assert (b.ci.low, b.ci.high) == (-a.ci.high, -a.ci.low)


# ---------------------------------------------------------------------------------------
# 4. Scale invariance (powers of two are exact)
# ---------------------------------------------------------------------------------------


@given(
    data=any_data(),
    k=st.integers(-12, 12).filter(lambda k: k != 0),
    wopts=wilcoxon_options,
)
def test_power_of_two_scaling(data, k, wopts):
    pre, post = data
    factor = 2.0**k
    for name, options in configs(wopts):
        for alternative in ALTERNATIVES:
            a = run(pre, post, name, options, alternative=alternative)
            b = run(pre * factor, post * factor, name, options, alternative=alternative)
            if a is None or b is None:
                assert a is None and b is None, "t defined for only one of the two"
                continue
            assert b.statistic == a.statistic
            assert b.pvalue == a.pvalue
            assert b.estimate == a.estimate * factor
            assert (b.ci.low, b.ci.high) == (a.ci.low * factor, a.ci.high * factor)


# ---------------------------------------------------------------------------------------
# 5. p-values are probabilities, statistics lie in their range
# ---------------------------------------------------------------------------------------


@given(
    data=any_data(max_n=40),
    mu=st.one_of(st.just(0.0), st.integers(-5, 5).map(float), finite_floats),
    wopts=wilcoxon_options,
)
def test_pvalue_is_a_probability(data, mu, wopts):
    pre, post = data
    for name, options in configs(wopts):
        for alternative in ALTERNATIVES:
            r = run(pre, post, name, options, alternative=alternative, mu=mu)
            if r is None:
                continue
            assert 0.0 <= r.pvalue <= 1.0, (name, alternative, r.pvalue)
            assert math.isfinite(r.statistic)
            if name == "sign":
                assert 0 <= r.statistic <= r.details["n_used"]
            elif name == "wilcoxon":
                assert 0.0 <= r.statistic <= 2 * r.details["null_mean"]


@given(data=any_data(max_n=25), mu=st.integers(-3, 3).map(float))
def test_pvalue_is_a_probability_for_every_wilcoxon_variant(data, mu):
    pre, post = data
    for zero_method in ZERO_METHODS:
        for method in WILCOXON_METHODS:
            for correction in (True, False):
                opts = {"zero_method": zero_method, "method": method, "correction": correction}
                pvalues = {}
                for alternative in ALTERNATIVES:
                    r = run(pre, post, "wilcoxon", opts, alternative=alternative, mu=mu)
                    assert 0.0 <= r.pvalue <= 1.0
                    pvalues[alternative] = r.pvalue
                # two-sided p is twice the smaller one-sided p, capped at 1
                assert pvalues["two-sided"] == pytest.approx(
                    min(1.0, 2 * min(pvalues["less"], pvalues["greater"]))
                )


# ---------------------------------------------------------------------------------------
# 6. The interval holds the estimate; one-sided intervals are open on the right side
# ---------------------------------------------------------------------------------------


@given(
    data=any_data(),
    level=st.one_of(st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99]), st.floats(0.5, 0.999)),
    wopts=wilcoxon_options,
)
def test_interval_holds_the_estimate(data, level, wopts):
    pre, post = data
    for name, options in configs(wopts):
        for alternative in ALTERNATIVES:
            r = run(pre, post, name, options, alternative=alternative, confidence_level=level)
            if r is None:
                continue
            assert r.ci.low <= r.estimate <= r.ci.high, (name, alternative, r.ci)
            assert r.ci.level == level
            if alternative == "greater":
                assert r.ci.high == math.inf
                assert math.isfinite(r.ci.low)
            elif alternative == "less":
                assert r.ci.low == -math.inf
                assert math.isfinite(r.ci.high)
            else:
                assert math.isfinite(r.ci.low) and math.isfinite(r.ci.high)


@given(data=any_data(), level=st.floats(0.01, 0.5), wopts=wilcoxon_options)
def test_two_sided_interval_holds_the_estimate_at_low_levels(data, level, wopts):
    pre, post = data
    for name, options in configs(wopts):
        r = run(pre, post, name, options, confidence_level=level)
        if r is not None:
            assert r.ci.low <= r.estimate <= r.ci.high, (name, r.ci)


# ---------------------------------------------------------------------------------------
# 7. Exact and asymptotic Wilcoxon agree for large n
# ---------------------------------------------------------------------------------------


@given(
    n=st.integers(60, 150),
    seed=st.integers(0, 2**32 - 1),
    shift=st.floats(-0.6, 0.6),
    alternative=st.sampled_from(ALTERNATIVES),
)
def test_exact_and_asymptotic_wilcoxon_agree_for_large_n(n, seed, shift, alternative):
    rng = np.random.default_rng(seed)
    pre = rng.normal(size=n)
    post = pre + shift + rng.normal(size=n)
    assume(np.unique(np.abs(post - pre)).size == n)  # continuous: no ties, no zeros
    ex = run(pre, post, "wilcoxon", {"method": "exact"}, alternative=alternative)
    asy = run(pre, post, "wilcoxon", {"method": "asymptotic"}, alternative=alternative)
    assert ex.method == "exact" and asy.method == "asymptotic"
    assert ex.statistic == asy.statistic
    assert abs(ex.pvalue - asy.pvalue) < 0.005
    if min(abs(ex.pvalue - 0.05), abs(asy.pvalue - 0.05)) > 0.01:
        assert (ex.pvalue < 0.05) == (asy.pvalue < 0.05)
    assert ex.estimate == asy.estimate


# ---------------------------------------------------------------------------------------
# 8. p-values are monotone in mu
# ---------------------------------------------------------------------------------------


@st.composite
def distinct_integer_changes(draw):
    """Integer data with distinct changes: untied signed ranks whenever mu = k + 1/4."""
    n = draw(st.integers(2, 25))
    change = draw(st.lists(st.integers(-40, 40), min_size=n, max_size=n, unique=True))
    pre = draw(st.lists(st.integers(0, 50), min_size=n, max_size=n))
    return _vec(pre), _vec(pre) + _vec(change)


@given(
    data=distinct_integer_changes(),
    mus=st.lists(st.integers(-45, 45), min_size=2, max_size=6, unique=True),
    method=st.sampled_from(WILCOXON_METHODS),
)
def test_greater_pvalue_decreases_as_mu_decreases(data, mus, method):
    pre, post = data
    # mu = k + 1/4 is never a change nor a Walsh average of integers: no zeros, no ties.
    grid = sorted(k + 0.25 for k in mus)
    change = post - pre
    grid.append(float(change.min()) - 1.0)  # below every change
    grid.append(float(change.min()) - 100.0)  # further below
    grid.sort()
    for name, options in [("t", {}), ("sign", {}), ("wilcoxon", {"method": method})]:
        previous = None
        for mu in grid:  # increasing mu: the "greater" p-value cannot go down
            r = run(pre, post, name, options, alternative="greater", mu=mu)
            if r is None:
                break
            if previous is not None:
                assert r.pvalue >= previous, (name, mu, r.pvalue, previous)
            previous = r.pvalue
        below = [run(pre, post, name, options, alternative="greater", mu=mu) for mu in grid[:2]]
        if (name == "wilcoxon" and method != "asymptotic") or name == "sign":
            # every change above mu: the smallest attainable p-value, 2**-n
            n = pre.size
            assert below[0].pvalue == below[1].pvalue == pytest.approx(2.0**-n, rel=1e-12)


# ---------------------------------------------------------------------------------------
# 9. Higher confidence gives a wider (nested) interval
# ---------------------------------------------------------------------------------------


@given(
    data=any_data(),
    levels=st.lists(st.floats(0.05, 0.995), min_size=2, max_size=2),
    wopts=wilcoxon_options,
)
def test_intervals_are_nested_in_the_level(data, levels, wopts):
    pre, post = data
    lo_level, hi_level = sorted(levels)
    for name, options in configs(wopts):
        for alternative in ALTERNATIVES:
            narrow = run(
                pre, post, name, options, alternative=alternative, confidence_level=lo_level
            )
            wide = run(
                pre, post, name, options, alternative=alternative, confidence_level=hi_level
            )
            if narrow is None:
                assert wide is None
                continue
            assert wide.ci.low <= narrow.ci.low
            assert narrow.ci.high <= wide.ci.high


# ---------------------------------------------------------------------------------------
# Large samples: method="auto" switches to the normal approximation (n above ~670)
# ---------------------------------------------------------------------------------------


@st.composite
def large_pairs(draw):
    n = draw(st.integers(680, 900))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        pre = rng.integers(1, 8, size=n).astype(float)
        post = rng.integers(1, 8, size=n).astype(float)
    else:
        pre = rng.normal(size=n)
        post = pre + draw(st.floats(-0.2, 0.2)) + rng.normal(size=n)
    return pre, post


@settings(max_examples=8)
@given(data=large_pairs(), zero_method=st.sampled_from(ZERO_METHODS))
def test_large_sample_auto_wilcoxon_invariances(data, zero_method):
    pre, post = data
    opts = {"zero_method": zero_method}
    for alternative in ALTERNATIVES:
        a = run(pre, post, "wilcoxon", opts, alternative=alternative)
        assert 0.0 <= a.pvalue <= 1.0
        assert a.ci.low <= a.estimate <= a.ci.high
        b = run(post, pre, "wilcoxon", opts, alternative=_MIRROR[alternative])
        assert a.method == b.method
        assert a.statistic + b.statistic == 2 * a.details["null_mean"]
        assert b.pvalue == a.pvalue
        assert b.estimate == -a.estimate
        assert (b.ci.low, b.ci.high) == (-a.ci.high, -a.ci.low)
        c = run(pre * 0.25, post * 0.25, "wilcoxon", opts, alternative=alternative)
        assert (c.statistic, c.pvalue, c.method) == (a.statistic, a.pvalue, a.method)
        assert c.estimate == a.estimate * 0.25
        assert (c.ci.low, c.ci.high) == (a.ci.low * 0.25, a.ci.high * 0.25)


# ---------------------------------------------------------------------------------------
# The one smallest-n search and the noncentral t
# ---------------------------------------------------------------------------------------


@given(
    threshold=st.integers(1, 5000),
    start=st.integers(-5, 6000),
    minimum=st.integers(1, 10),
    limit=st.integers(10, 8000),
)
def test_smallest_n_finds_the_threshold_of_a_monotone_predicate(threshold, start, minimum, limit):
    from pairedstudy.power._common import smallest_n

    calls = []

    def reaches(k):
        assert minimum <= k <= limit, k  # never looks outside the allowed range
        calls.append(k)
        return k >= threshold

    found = smallest_n(reaches, start, minimum=minimum, limit=limit)
    expected = max(threshold, minimum)
    assert found == (expected if expected <= limit else None)
    assert len(calls) <= 4 * math.log2(limit) + 4  # logarithmic, whatever the start


@given(
    df=st.floats(1.0, 500.0),
    ncp=st.floats(-40.0, 40.0),
    x=st.floats(-30.0, 30.0),
)
def test_scalar_and_array_noncentral_t_cdf_agree(df, ncp, x):
    from pairedstudy._noncentral import nct_cdf, nct_cdf_array

    scalar = nct_cdf(df, ncp, x)
    array = nct_cdf_array(np.array([df]), np.array([ncp]), np.array([x]))[0]
    assert 0.0 <= scalar <= 1.0
    assert scalar == array
