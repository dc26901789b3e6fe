"""The noncentral t kernel of the power functions: the same bits as the plain formulas.

The power of the paired t-test is computed through scipy's scalar functions
(``scipy.special.cython_special``) and skips a quadrature that cannot change a two-sided
sum; the argument checks take plain numbers by a fast path. Each is checked here against
what it replaces, bit for bit (``==``, not approx): the values the library printed before
must not move.
"""

import math

import numpy as np
import pytest
import scipy.special
from hypothesis import given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy._noncentral import nct_cdf, t_power, t_power_array, t_quantile

ALTERNATIVES = ["two-sided", "less", "greater"]


def _ufunc_cdf(df: float, ncp: float, x: float) -> float:
    """What ``nct_cdf`` computed before: the ufunc, clipped to [0, 1] (NaN kept)."""
    value = float(scipy.special.nctdtr(df, ncp, x))
    return value if math.isnan(value) else min(max(value, 0.0), 1.0)


def _two_tail_sum(n: float, dz: float, alpha: float) -> float:
    """The two-sided power as the library wrote it before: both tails, always."""
    df, ncp = n - 1.0, dz * math.sqrt(n)
    crit = float(scipy.special.stdtrit(df, 1.0 - alpha / 2.0))
    return min(1.0, nct_cdf(df, -ncp, -crit) + nct_cdf(df, ncp, -crit))


def test_scalar_functions_equal_the_ufuncs_on_a_grid():
    rng = np.random.default_rng(20261130)
    df = np.exp(rng.uniform(math.log(0.05), math.log(1e7), 3000))
    ncp = rng.uniform(-40.0, 40.0, 3000)
    x = rng.uniform(-40.0, 40.0, 3000)
    p = rng.uniform(1e-12, 1.0 - 1e-12, 3000)
    for d, c, v, q in zip(df.tolist(), ncp.tolist(), x.tolist(), p.tolist(), strict=True):
        expected = _ufunc_cdf(d, c, v)
        if not math.isnan(expected):  # NaN goes to the quadrature (tested below)
            assert nct_cdf(d, c, v) == expected
        assert t_quantile(d, q) == float(scipy.special.stdtrit(d, q))


@given(
    st.floats(0.05, 1e7),
    st.floats(-60.0, 60.0),
    st.floats(-60.0, 60.0),
)
def test_nct_cdf_equals_the_ufunc_bit_for_bit(df, ncp, x):
    expected = _ufunc_cdf(df, ncp, x)
    value = nct_cdf(df, ncp, x)
    assert 0.0 <= value <= 1.0
    if not math.isnan(expected):
        assert value == expected


@given(
    st.floats(1.05, 1e7),
    st.floats(-60.0, 60.0),
    st.floats(1e-12, 0.999),
)
def test_two_sided_power_equals_the_two_tail_sum_bit_for_bit(n, lam, alpha):
    """Far from 0 (|λ| above about 7) one tail is NaN in Boost; the skip of its quadrature
    must give the sum's bits, as every other case does."""
    dz = lam / math.sqrt(n)
    assert t_power(n, dz, alpha, "two-sided") == _two_tail_sum(n, dz, alpha)


@pytest.mark.parametrize(
    ("n", "dz", "skipped"),
    [
        (30, 2.0, True),  # λ = 10.95: the tail against the effect is NaN, Φ(-λ) negligible
        (100, -3.0, True),  # the mirror: the upper tail is the minor one
        (10, 5.0, True),
        (3, 7.9 / math.sqrt(3), False),  # NaN, but Φ(-7.9) is not below a rounding: quadrature
        (300, 8.2 / math.sqrt(300), False),
    ],
)
def test_the_minor_tail_cases_where_boost_gives_nan(n, dz, skipped):
    df, ncp = n - 1.0, dz * math.sqrt(n)
    crit = float(scipy.special.stdtrit(df, 0.975))
    minor = float(scipy.special.nctdtr(df, abs(ncp), -crit))
    major = float(scipy.special.nctdtr(df, -abs(ncp), -crit))
    assert math.isnan(minor)  # the case this test is about
    bound_negligible = 0.5 * math.erfc(abs(ncp) / math.sqrt(2.0)) < 0.25 * math.ulp(major)
    assert bound_negligible is skipped
    power = t_power(n, dz, 0.05, "two-sided")
    assert power == _two_tail_sum(n, dz, 0.05)
    if skipped:  # the sum is the major tail alone
        assert power == min(1.0, major)


@given(
    st.lists(st.tuples(st.floats(1.05, 1e7), st.floats(-60.0, 60.0)), min_size=1, max_size=8),
    st.floats(1e-12, 0.999),
)
def test_two_sided_power_array_equals_the_two_tail_sum_bit_for_bit(points, alpha):
    """The vectorized power (power curves) skips the same quadratures as the scalar one."""
    n = np.array([p[0] for p in points])
    dz = np.array([p[1] for p in points]) / np.sqrt(n)
    powers = t_power_array(n, dz, alpha, "two-sided")
    expected = [_two_tail_sum(float(k), float(d), alpha) for k, d in zip(n, dz, strict=True)]
    assert powers.tolist() == expected
    assert powers.tolist() == [
        t_power(float(k), float(d), alpha, "two-sided") for k, d in zip(n, dz, strict=True)
    ]


def test_a_power_curve_through_the_nan_region_and_a_single_point():
    ns = np.arange(2, 120)
    curve = ps.power.paired_t_power(ns, 1.0)
    df = ns - 1.0
    crit = scipy.special.stdtrit(df, 0.975)
    assert np.isnan(scipy.special.nctdtr(df, np.sqrt(ns), -crit)).sum() > 10  # the case
    assert curve.tolist() == [_two_tail_sum(float(k), 1.0, 0.05) for k in ns]
    point = t_power_array(np.asarray(30.0), np.asarray(2.0), 0.05, "two-sided")
    assert point.shape == () and float(point) == _two_tail_sum(30.0, 2.0, 0.05)


@given(
    st.integers(2, 10_000_000),
    st.floats(-5.0, 5.0),
    st.floats(1e-6, 0.5),
    st.sampled_from(ALTERNATIVES),
)
def test_power_given_n_of_plain_numbers_equals_that_of_numpy_scalars(n, dz, alpha, alternative):
    """Plain ``int``/``float`` arguments pass the checks' fast paths; numpy scalars the rest."""
    fast = ps.power.paired_t(n=n, dz=dz, alpha=alpha, alternative=alternative)
    checked = ps.power.paired_t(
        n=np.int64(n), dz=np.float64(dz), alpha=np.float64(alpha), alternative=alternative
    )
    assert fast == checked
    assert fast.to_dict() == checked.to_dict()
    assert type(fast.n) is int and type(fast.power) is float
    assert fast.details == {"df": n - 1}
    assert fast.power == t_power(n, dz, alpha, alternative)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"n": 1, "dz": 0.5}, ps.InputValueError, "n must lie in"),
        ({"n": 10_000_001, "dz": 0.5}, ps.InputValueError, "n must lie in"),
        ({"n": 30, "dz": math.nan}, ps.InputValueError, "dz must be a number"),
        ({"n": 30, "dz": math.inf}, ps.InputValueError, "dz must be a finite number"),
        ({"n": 30, "dz": 0.5, "alpha": 1.0}, ps.InputValueError, "alpha must lie strictly"),
        ({"n": 30, "dz": 0.5, "alpha": 0.0}, ps.InputValueError, "alpha must lie strictly"),
        ({"n": 30, "dz": 0.5, "alternative": "two.sided"}, ps.InputValueError, "alternative"),
        ({"n": True, "dz": 0.5}, ps.InputTypeError, "n must be a whole number"),
        ({"n": 30, "dz": 0.5, "power": 0.8}, ps.InputValueError, "exactly one of"),
    ],
)
def test_invalid_plain_arguments_still_meet_the_checks(kwargs, error, pattern):
    """Plain numbers out of range still meet the full checks."""
    with pytest.raises(error, match=pattern):
        ps.power.paired_t(**kwargs)


def test_scalar_kernels_take_ints_and_numpy_scalars_as_python_floats():
    # cython_special has no int signature and its float32 one computes in single
    # precision: the scalar kernels hand it Python floats whatever they are given
    from pairedstudy._noncentral import nct_cdf, t_power, t_quantile

    assert nct_cdf(30, 1, 2) == nct_cdf(30.0, 1.0, 2.0)
    assert nct_cdf(np.int64(29), np.float32(2.5), -2) == nct_cdf(
        29.0, float(np.float32(2.5)), -2.0
    )
    assert t_quantile(np.int64(17), 0.975) == t_quantile(17.0, 0.975)
    for alternative in ("two-sided", "less", "greater"):
        assert t_power(30, np.float32(0.5), 0.05, alternative) == t_power(
            30.0, float(np.float32(0.5)), 0.05, alternative
        )
