"""Issue 15: Yuen's test under a shared offset and huge values, the Bayes factor at
extreme prior scales and ``mu``, and resampling intervals at extreme levels."""

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

import pairedstudy as ps
from pairedstudy.inference.bayes import T_LIMIT, jzs_log_bayes_factor

# --- Yuen -----------------------------------------------------------------------------------

PRE = [190, 210, 300, 240, 280, 170, 280, 250, 240, 220]  # Wilcox's cholesterol data
POST = [210, 210, 340, 190, 260, 180, 200, 220, 230, 200]


def _same(a, b, rel=1e-12):
    assert a.estimate == pytest.approx(b.estimate, rel=rel)
    assert a.statistic == pytest.approx(b.statistic, rel=rel)
    assert a.pvalue == pytest.approx(b.pvalue, rel=rel)
    assert a.ci.low == pytest.approx(b.ci.low, rel=rel)
    assert a.ci.high == pytest.approx(b.ci.high, rel=rel)


def test_yuen_keeps_the_effect_under_a_shared_offset():
    study = ps.PairedStudy([1e16] * 4, [1e16 + 2, 1e16 + 4, 1e16, 1e16 + 2])
    t = study.test("t")
    for on in ("arms", "differences"):
        for trim in (0.0, 0.2):
            result = study.test("yuen", on=on, trim=trim)
            assert result.estimate == 2.0
            _same(result, t)


@pytest.mark.parametrize("offset", [1e16, -1.5e16, 2.0**53])
@pytest.mark.parametrize("on", ["arms", "differences"])
def test_yuen_with_an_offset_equals_yuen_without_it(offset, on):
    # even integers plus an offset below 2**54 in size: every value is exact
    pre = [2 * v for v in PRE]
    post = [2 * v for v in POST]
    base = ps.PairedStudy(pre, post).test("yuen", on=on)
    shifted = ps.PairedStudy([offset + v for v in pre], [offset + v for v in post])
    _same(shifted.test("yuen", on=on), base)


def test_yuen_against_a_hand_computation_at_a_large_offset():
    offset = 1e16
    pre = [2 * v for v in PRE]
    post = [2 * v for v in POST]
    result = ps.PairedStudy([offset + v for v in pre], [offset + v for v in post]).test("yuen")
    n, g = 10, 2  # trim 0.2
    h = n - 2 * g

    def tmean(x):
        s = sorted(x)[g : n - g]
        return Fraction(sum(s), len(s))

    def winsor(x):
        s = sorted(x)
        return [min(max(v, s[g]), s[n - g - 1]) for v in x]

    d = [a - b for a, b in zip(winsor(post), winsor(pre), strict=True)]
    mean_d = Fraction(sum(d), n)
    var_d = sum((Fraction(v) - mean_d) ** 2 for v in d) / (n - 1)
    estimate = tmean(post) - tmean(pre)
    se = math.sqrt((n - 1) * var_d / (h * (h - 1)))
    assert result.estimate == pytest.approx(float(estimate), rel=1e-14)
    assert result.statistic == pytest.approx(float(estimate) / se, rel=1e-12)
    assert result.details["se"] == pytest.approx(se, rel=1e-12)
    assert result.df == h - 1


@pytest.mark.parametrize("exponent", [512, 1000, -1000])
@pytest.mark.parametrize("on", ["arms", "differences"])
def test_yuen_is_finite_and_scale_equivariant_for_huge_and_tiny_values(exponent, on):
    scale = 2.0**exponent  # exact
    base = ps.PairedStudy(PRE, POST).test("yuen", on=on)
    study = ps.PairedStudy([v * scale / 512 for v in PRE], [v * scale / 512 for v in POST])
    result = study.test("yuen", on=on)
    assert result.statistic == pytest.approx(base.statistic, rel=1e-12)
    assert result.pvalue == pytest.approx(base.pvalue, rel=1e-12)
    assert result.estimate == pytest.approx(base.estimate * scale / 512, rel=1e-12)
    assert result.ci.low == pytest.approx(base.ci.low * scale / 512, rel=1e-12)
    assert math.isfinite(result.details["se"])


def test_yuen_at_1_3e154_does_not_overflow():
    result = ps.PairedStudy([1.3e154] * 4, [1.4e154, 1.5e154, 1.3e154, 1.35e154]).test("yuen")
    assert result.estimate == pytest.approx(0.0875e154, rel=1e-12)
    assert all(
        math.isfinite(v) for v in (result.statistic, result.pvalue, result.ci.low, result.ci.high)
    )


# --- Bayes factor ---------------------------------------------------------------------------

STUDY = ps.datasets.oxytocin_massage()


@pytest.mark.parametrize("r", [1e-300, 1e-200, 1e-100, 1e-30])
def test_bayes_factor_tends_to_one_as_the_prior_scale_vanishes(r):
    result = STUDY.test("bayes", r=r)
    assert math.isfinite(result.log_bf10)
    assert result.bf10 == pytest.approx(1.0, abs=1e-12)
    assert jzs_log_bayes_factor(7.7, 21, r=r, alternative="less")[0] == pytest.approx(0, abs=1e-12)


def test_bayes_factor_approaches_one_monotonically_for_small_scales():
    values = [STUDY.test("bayes", r=r).log_bf10 for r in (1e-2, 1e-4, 1e-8, 1e-16)]
    assert values == sorted(values, reverse=True) and values[-1] < 1e-10


@pytest.mark.parametrize("r", [1e100, 1e300, 1.7e308])
def test_bayes_factor_tends_to_zero_as_the_prior_scale_grows(r):
    result = STUDY.test("bayes", r=r)
    assert math.isfinite(result.log_bf10) and result.bf10 < 1e-90
    # BF10 is about C / r for a huge r: log BF10 + log r tends to a constant
    reference = STUDY.test("bayes", r=1e50).log_bf10 + math.log(1e50)
    assert result.log_bf10 + math.log(r) == pytest.approx(reference, rel=1e-9)


def test_bayes_factor_is_continuous_across_moderate_scales():
    for t, n in ((2.03, 80), (7.7, 21), (0.0, 5)):
        for r in (0.1, 0.707, 1.0, 10.0):
            fine = jzs_log_bayes_factor(t, n, r=r)[0]
            near = jzs_log_bayes_factor(t, n, r=r * (1 + 1e-9))[0]
            assert near == pytest.approx(fine, abs=1e-7)


@pytest.mark.parametrize(
    ("pre", "post", "mu"),
    [
        (None, None, 1e308),
        ([0.0] * 4, [-1e308, -0.9e308, -0.95e308, -0.99e308], 1e308),
        (None, None, -1e308),
    ],
)
def test_bayes_refuses_a_mu_whose_standardized_effect_overflows(pre, post, mu):
    study = STUDY if pre is None else ps.PairedStudy(pre, post)
    with pytest.raises(ps.InputValueError, match="mu = ") as info:
        study.test("bayes", mu=mu)
    message = str(info.value)
    assert repr(mu) in message and "overflows" in message and "t must be" not in message


def test_jzs_refuses_a_t_whose_square_overflows():
    with pytest.raises(ps.InputValueError, match="t must be at most"):
        jzs_log_bayes_factor(1e200, 10)
    log_bf, _ = jzs_log_bayes_factor(T_LIMIT / 2, 10)
    assert math.isfinite(log_bf) and log_bf > 1000


# --- resampling at extreme levels -----------------------------------------------------------

SMALL = ps.PairedStudy([3, 4, 2, 5, 3, 4, 7, 1], [4, 4, 3, 5, 5, 2, 9, 4])


@pytest.mark.parametrize(
    ("name", "options", "study"),
    [
        ("bootstrap", {"n_resamples": 999}, STUDY),
        ("permutation", {"method": "monte-carlo", "n_resamples": 999}, STUDY),
        ("permutation", {"method": "exact"}, SMALL),
    ],
)
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("level", [1e-300, 1e-16, 1e-6])
def test_resampling_intervals_at_a_tiny_level_are_valid(name, options, study, alternative, level):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny = study.test(name, confidence_level=level, alternative=alternative, **options)
        half = study.test(name, confidence_level=0.6, alternative=alternative, **options)
    low, high = tiny.ci.low, tiny.ci.high
    assert low <= high
    # nearly a point: inside every wider interval of the same test
    assert half.ci.low <= low and high <= half.ci.high
    if alternative == "two-sided":
        assert math.isfinite(low) and math.isfinite(high)
    elif alternative == "greater":
        assert math.isfinite(low) and high == math.inf
    else:
        assert low == -math.inf and math.isfinite(high)
    if tiny.ci.attained_level is not None:
        assert 0.0 < tiny.ci.attained_level <= 1.0
    assert tiny.pvalue == half.pvalue


def test_a_tiny_level_monte_carlo_less_interval_is_the_smallest_mean_not_the_largest():
    changes = np.array(STUDY.change)
    result = STUDY.test("permutation", confidence_level=1e-300, alternative="less")
    assert result.ci.high < changes.mean() + 1.0
    assert result.ci.high <= STUDY.test("permutation", alternative="less").ci.high
