"""The "bayes" (JZS Bayes factor) and "tost" (paired equivalence) tests, and the normality
diagnostic (Shapiro-Wilk), each with its own result type.

Reference values come from tests/reference/make_bayes_tost_normality.R (BayesFactor's
ttestBF and ttest.tstat, R's t.test and shapiro.test), committed as
r_bayes_tost_normality.json; R is not needed to run these tests. Where BayesFactor is
inaccurate (its noncentral-t density, its one-sided approximation), the Bayes factor is
checked against an independent double integral instead, and the disagreement with
BayesFactor is asserted to be of the known kind.
"""

import itertools
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.diagnostics import NormalityDiagnostic, normality
from pairedstudy.inference.bayes import RSCALES, _log_student_cdf, jzs_log_bayes_factor

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "r_bayes_tost_normality.json").read_text()
)
ALT = {"two.sided": "two-sided", "less": "less", "greater": "greater"}
MIRROR = {"two-sided": "two-sided", "less": "greater", "greater": "less"}
RTOL = 1e-8


def _study(name):
    data = REFERENCE["datasets"][name]
    return ps.PairedStudy(data["pre"], data["post"], name=name)


def _against(t, alternative):
    """A one-sided alternative pointing away from the observed t."""
    return (alternative == "less" and t > 0) or (alternative == "greater" and t < 0)


# --------------------------------------------------------------------------------------
# An independent Bayes factor: integrate the noncentral-t likelihood over delta (Cauchy
# prior), with the noncentral-t density itself integrated over s = sd / sigma. It shares
# nothing with the library's g-parametrization (nor with R's or Boost's noncentral t).
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(400)


def _log_nct_pdf(t, nu, lam):
    """log f(t; nu, lam) = log int phi(t s - lam) s f_S(s) ds, S = sqrt(chi2_nu / nu)."""
    a = t * t + nu
    s0 = (lam * t + math.sqrt(lam * lam * t * t + 4 * nu * a)) / (2 * a)
    width = 40.0 / math.sqrt(t * t + 2 * nu)
    lo, hi = max(s0 - width, 0.0), s0 + width
    s = 0.5 * (hi - lo) * _NODES + 0.5 * (hi + lo)
    log_f = (
        -0.5 * (t * s - lam) ** 2
        - 0.5 * math.log(2 * math.pi)
        + 2 * np.log(s)
        + math.log(2 * nu)
        + (nu / 2 - 1) * np.log(nu * s * s)
        - nu * s * s / 2
        - (nu / 2) * math.log(2)
        - math.lgamma(nu / 2)
    )
    peak = float(np.max(log_f))
    return peak + math.log(0.5 * (hi - lo) * float(np.sum(_WEIGHTS * np.exp(log_f - peak))))


def _independent_log_bf(t, n, r, alternative):
    from scipy import integrate

    nu = n - 1
    log_null = _log_nct_pdf(t, nu, 0.0)
    centre, spread = t / math.sqrt(n), 1 / math.sqrt(n)
    limit = max(abs(centre) + 80 * spread, 60.0)
    lo, hi = {"two-sided": (-limit, limit), "greater": (0.0, limit), "less": (-limit, 0.0)}[
        alternative
    ]
    weight = 1.0 if alternative == "two-sided" else 2.0
    # the integrand relative to its value at the centre, so nothing under- or overflows
    d_ref = min(max(centre, lo), hi)
    log_ref = _log_nct_pdf(t, nu, d_ref * math.sqrt(n)) - log_null

    def cauchy_pdf(d):
        # scipy.stats.cauchy.pdf(d, scale=r) written out as scipy computes it: the same
        # number without scipy's per-call argument checks (most of the time of this test)
        x = d / r
        return 1.0 / math.pi / (1.0 + x * x) / r

    def f(d):
        log_like = _log_nct_pdf(t, nu, d * math.sqrt(n)) - log_null - log_ref
        return math.exp(log_like) * weight * cauchy_pdf(d)

    points = [p for p in (centre - 8 * spread, centre, centre + 8 * spread) if lo < p < hi]
    edges = [lo, *points, hi]
    total = sum(
        integrate.quad(f, a, b, epsabs=0.0, epsrel=1e-11, limit=400)[0]
        for a, b in itertools.pairwise(edges)
    )
    return log_ref + math.log(total)


# --------------------------------------------------------------------------------------
# Bayes factor against BayesFactor


def _bf_case_id(case):
    return f"{case['dataset']}-mu{case['mu']}-r{case['rscale']}-{case['alternative']}"


def _bayesfactor_tolerance(case):
    """How closely BayesFactor's value can be trusted, and why (None: not compared).

    - quadrature with |t| <= 15, prior pointing with the data: max(2 x its proportional
      error, 1e-6);
    - quadrature for a one-sided prior pointing against the data: 1e-3, because its
      integrand is R's noncentral-t density dt(t, df, ncp) far in its tail, where R's pnt
      (an absolute accuracy of about 1e-12) loses relative accuracy;
    - |t| >= 15: 5e-2, because R's pnt switches to a normal approximation
      for ncp > 37.62, which the posterior of delta * sqrt(n) reaches;
    - BayesFactor's "Savage-Dickey t approximation" (one-sided with |t| > 5): 1e-2 when
      the prior points with the data; not compared against the data (off by factors).
    """
    t, alternative = case["t"], ALT[case["alternative"]]
    approximated = alternative != "two-sided" and abs(t) > 5
    if approximated and _against(t, alternative):
        return None
    if abs(t) >= 15:
        return 5e-2
    if approximated:
        return 1e-2
    if _against(t, alternative):
        return 1e-3
    return max(2 * case["properror"], 1e-6)


@pytest.mark.parametrize("case", REFERENCE["bayes"], ids=_bf_case_id)
def test_bayes_matches_bayesfactor_ttestbf(case):
    study = _study(case["dataset"])
    result = study.test(
        "bayes", alternative=ALT[case["alternative"]], mu=case["mu"], r=case["rscale"]
    )
    assert result.prior_scale == pytest.approx(case["rscale_value"], rel=1e-14)
    assert result.statistic == pytest.approx(case["t"], rel=RTOL, abs=1e-12)
    assert result.df == case["n"] - 1
    tolerance = _bayesfactor_tolerance(case)
    if tolerance is None:
        pytest.skip("BayesFactor approximates here; see the independent-integral tests")
    assert abs(math.expm1(result.log_bf10 - case["log_bf10"])) <= tolerance
    # frequentist parts are the paired t-test's
    t = study.test("t", alternative=ALT[case["alternative"]], mu=case["mu"])
    assert result.pvalue == t.pvalue
    assert result.ci == t.ci


def _tstat_id(case):
    return f"t{case['t']}-n{case['n']}-r{case['rscale']}-{case['alternative']}"


@pytest.mark.parametrize("case", REFERENCE["bayes_tstat"], ids=_tstat_id)
def test_log_bayes_factor_matches_bayesfactor_ttest_tstat(case):
    alternative = ALT[case["alternative"]]
    log_bf, error = jzs_log_bayes_factor(
        case["t"], case["n"], r=case["rscale"], alternative=alternative
    )
    assert error < 1e-10
    tolerance = _bayesfactor_tolerance(case)
    if tolerance is None:
        pytest.skip("BayesFactor approximates here; see the independent-integral tests")
    assert abs(math.expm1(log_bf - case["log_bf10"])) <= tolerance


def test_rouder_2009_example():
    """Rouder et al. (2009): t = 2.03 with N = 80 and r = 1 gives B01 of about 1.56."""
    log_bf, _ = jzs_log_bayes_factor(2.03, 80, r=1.0)
    assert 1 / math.exp(log_bf) == pytest.approx(1.56, abs=0.005)
    (case,) = [c for c in REFERENCE["bayes_tstat"] if c["t"] == 2.03]
    assert math.expm1(log_bf - case["log_bf10"]) == pytest.approx(0, abs=1e-6)


# Every kind of case: with the data, against it, two-sided with large t and large n, and
# the cases where BayesFactor is off (t = 30 with n = 5 or 30; t = 5 against the data with
# n = 10^3 or 10^4; BayesFactor's Savage-Dickey cases).
INDEPENDENT = [
    (2.03, 80, 1.0, "two-sided"),
    (0.0, 5, RSCALES["medium"], "two-sided"),
    (-3.0, 12, RSCALES["wide"], "less"),
    (-3.0, 12, RSCALES["wide"], "greater"),
    (2.0, 10_000, RSCALES["medium"], "two-sided"),
    (5.0, 1000, RSCALES["medium"], "less"),
    (5.0, 10_000, RSCALES["medium"], "less"),
    (10.0, 30, RSCALES["medium"], "less"),
    (10.0, 5, RSCALES["ultrawide"], "greater"),
    (30.0, 5, RSCALES["medium"], "two-sided"),
    (30.0, 30, RSCALES["medium"], "two-sided"),
    (30.0, 10_000, 0.5, "greater"),
]


@pytest.mark.parametrize(("t", "n", "r", "alternative"), INDEPENDENT)
def test_bayes_factor_matches_an_independent_double_integral(t, n, r, alternative):
    log_bf, _ = jzs_log_bayes_factor(t, n, r=r, alternative=alternative)
    expected = _independent_log_bf(t, n, r, alternative)
    assert abs(math.expm1(log_bf - expected)) < 1e-8


def test_bayesfactor_disagreements_are_bayesfactors_errors():
    """Where BayesFactor disagrees beyond its stated error, the independent integral sides
    with the library (so the fixture is wrong there, not the library)."""
    cases = {
        (30.0, 5, "two.sided"),
        (30.0, 30, "two.sided"),
        (5.0, 1000, "less"),
        (5.0, 10000, "less"),
    }
    seen = 0
    for case in REFERENCE["bayes_tstat"]:
        if (case["t"], case["n"], case["alternative"]) not in cases:
            continue
        seen += 1
        alternative = ALT[case["alternative"]]
        log_bf, _ = jzs_log_bayes_factor(case["t"], case["n"], alternative=alternative)
        off = abs(math.expm1(log_bf - case["log_bf10"]))
        assert off > 10 * max(case["properror"], 1e-8)  # beyond BayesFactor's own estimate
        exact = _independent_log_bf(case["t"], case["n"], RSCALES["medium"], alternative)
        assert abs(math.expm1(log_bf - exact)) < 1e-8
    assert seen == len(cases)


def test_bayes_matches_pingouin():
    pingouin = pytest.importorskip("pingouin")
    for name in ("lakens_movie", "oxytocin_example", "continuous_n20", "likert_n50"):
        study = _study(name)
        for r in (RSCALES["medium"], 1.0, 0.5):
            result = study.test("bayes", r=r)
            expected = pingouin.bayesfactor_ttest(result.statistic, study.n, paired=True, r=r)
            # pingouin integrates on the g scale with quad's default tolerance (1.5e-8)
            assert result.bf10 == pytest.approx(expected, rel=1e-6)


def test_bayes_one_sided_decomposes():
    """BF(+) + BF(-) = 2 BF10 (the two halves of the prior average to the full prior)."""
    for t, n in ((0.7, 9), (-2.5, 40), (4.0, 200)):
        two = math.exp(jzs_log_bayes_factor(t, n)[0])
        plus = math.exp(jzs_log_bayes_factor(t, n, alternative="greater")[0])
        minus = math.exp(jzs_log_bayes_factor(t, n, alternative="less")[0])
        assert plus + minus == pytest.approx(2 * two, rel=1e-10)


def test_bayes_large_t_and_n_stays_finite():
    log_bf, error = jzs_log_bayes_factor(80.0, 100_000)
    assert math.isfinite(log_bf) and log_bf > 700 and error < 1e-8
    log_against, _ = jzs_log_bayes_factor(80.0, 100_000, alternative="less")
    assert math.isfinite(log_against) and log_against < 0
    study = ps.PairedStudy(np.zeros(2000), np.linspace(10, 11, 2000))
    result = study.test("bayes")
    assert result.bf10 == math.inf
    assert result.bf01 == 0.0 or result.bf01 < 1e-300
    assert math.isfinite(result.log_bf10)


def test_log_student_cdf_deep_tail():
    # df = 1 is the Cauchy: F(x) = 1/2 + atan(x)/pi, about 1/(pi |x|) far out
    x = -1e290
    assert _log_student_cdf(1.0, np.array([x]))[0] == pytest.approx(
        -math.log(math.pi) - math.log(1e290), rel=1e-13
    )
    # df = 2: F(x) = (1 + x / sqrt(x^2 + 2)) / 2, about 1 / (2 x^2)
    x = -1e200
    assert _log_student_cdf(2.0, np.array([x]))[0] == pytest.approx(
        -math.log(2) - 2 * math.log(1e200), rel=1e-13
    )
    # where both routes work they agree
    from scipy import special

    for df, x in ((5.0, -30.0), (50.0, -9.0), (10_000.0, -20.0)):
        assert _log_student_cdf(df, np.array([x]))[0] == pytest.approx(
            math.log(special.stdtr(df, x)), rel=1e-12
        )


# --------------------------------------------------------------------------------------
# TOST against R's two t.test calls


def _tost_id(case):
    return (
        f"{case['dataset']}-({case['low']},{case['high']})-mu{case['mu']}-{case['scale']}"
        f"-{case['confidence_level']}"
    )


@pytest.mark.parametrize("case", REFERENCE["tost"], ids=_tost_id)
def test_tost_matches_two_t_tests(case):
    study = _study(case["dataset"])
    options = {"low": case["low"], "high": case["high"], "bounds": case["scale"]}
    level = case["confidence_level"]
    result = study.test("tost", mu=case["mu"], confidence_level=level, **options)
    d = result
    assert d.t_lower == pytest.approx(case["t_lower"], rel=RTOL)
    assert d.t_upper == pytest.approx(case["t_upper"], rel=RTOL)
    assert d.p_lower == pytest.approx(case["p_lower"], rel=RTOL)
    assert d.p_upper == pytest.approx(case["p_upper"], rel=RTOL)
    assert result.pvalue == pytest.approx(max(case["p_lower"], case["p_upper"]), rel=RTOL)
    assert result.df == case["df"]
    assert result.estimate == pytest.approx(case["estimate"], rel=RTOL)
    assert result.ci.low == pytest.approx(case["ci_equivalence"][0], rel=RTOL)
    assert result.ci.high == pytest.approx(case["ci_equivalence"][1], rel=RTOL)
    assert result.ci.level == pytest.approx(1 - 2 * (1 - level), rel=1e-12)
    assert d.equivalent == (result.pvalue < 1 - level)
    # equivalence <=> the 1 - 2 alpha interval lies inside the bounds
    low, high = (case["mu"] + b for b in d.bounds)
    assert d.equivalent == (low < result.ci.low and result.ci.high < high)
    assert result.method == ("exact" if case["scale"] == "raw" else result.method)

    greater = study.test(
        "tost", alternative="greater", mu=case["mu"], confidence_level=level, **options
    )
    assert greater.pvalue == pytest.approx(case["p_lower"], rel=RTOL)
    assert greater.statistic == pytest.approx(case["t_lower"], rel=RTOL)
    assert greater.ci.low == pytest.approx(case["ci_greater"], rel=RTOL)
    assert greater.ci.high == math.inf and greater.ci.level == level
    less = study.test("tost", alternative="less", mu=case["mu"], confidence_level=level, **options)
    assert less.pvalue == pytest.approx(case["p_upper"], rel=RTOL)
    assert less.ci.high == pytest.approx(case["ci_less"], rel=RTOL)
    assert less.ci.low == -math.inf


def test_tost_matches_pingouin_with_symmetric_bounds():
    pingouin = pytest.importorskip("pingouin")
    for name in ("lakens_movie", "oxytocin_example", "continuous_n40_null", "likert_n50"):
        data = REFERENCE["datasets"][name]
        study = _study(name)
        for bound in (0.5, 1.0, 2.5):
            result = study.test("tost", low=-bound, high=bound)
            # pingouin tests x - y; with x = post, y = pre that is post - pre
            expected = pingouin.tost(data["post"], data["pre"], bound=bound, paired=True)
            assert result.pvalue == pytest.approx(float(expected["pval"].iloc[0]), rel=1e-10)
            swapped = pingouin.tost(data["pre"], data["post"], bound=bound, paired=True)
            assert float(swapped["pval"].iloc[0]) == pytest.approx(result.pvalue, rel=1e-10)


@pytest.mark.parametrize(("n", "dz", "bounds"), [(15, 0.1, (-0.6, 0.6)), (30, 0.3, (-0.3, 0.5))])
def test_tost_power_agrees_with_a_simulation_of_the_test(n, dz, bounds):
    alpha, sims = 0.05, 2000
    rng = np.random.default_rng(20261130)
    hits = 0
    for _ in range(sims):
        pre = rng.normal(0.0, 1.0, n)
        post = pre + rng.normal(dz, 1.0, n)  # SD of the change is 1: raw bounds = dz bounds
        result = ps.PairedStudy(pre, post).test("tost", low=bounds[0], high=bounds[1])
        hits += result.pvalue < alpha
    simulated = hits / sims
    power = ps.power.tost_power(n, dz, bounds, alpha)
    se = math.sqrt(power * (1 - power) / sims)
    assert abs(simulated - power) < 4 * se + 1e-3


# --------------------------------------------------------------------------------------
# Shapiro-Wilk against R's shapiro.test


@pytest.mark.parametrize("case", REFERENCE["shapiro"], ids=lambda c: c["dataset"])
def test_shapiro_matches_r(case):
    study = _study(case["dataset"])
    check = normality(study)
    assert isinstance(check, NormalityDiagnostic)
    assert check.w == pytest.approx(case["w"], rel=1e-8)
    assert check.pvalue == pytest.approx(case["pvalue"], rel=5e-8)
    assert check.statistic == check.w and check.study_name == case["dataset"]


def test_shapiro_is_presented_as_a_diagnostic():
    study = _study("oxytocin_example")
    assert "shapiro" not in ps.available_tests()
    with pytest.raises(ps.UnknownTestError):
        study.test("shapiro")
    check = ps.diagnostics.normality(study)
    assert any("gatekeeper" in note and "Rochon" in note for note in check.notes)
    assert check.n == 21
    assert check.excess_kurtosis is not None
    assert check.fences[0] < check.fences[1]
    json.dumps(check.to_dict())
    assert "not a gatekeeper" in str(check)


def test_normality_figures():
    from scipy import stats

    change = np.array([0.5, 1.5, -0.25, 2.0, 9.0, 1.0, 0.75, 1.25, -0.5, 1.0])
    study = ps.PairedStudy(np.zeros(change.size), change)
    check = normality(study)
    assert check.skewness == pytest.approx(stats.skew(change, bias=False), rel=1e-12)
    assert check.excess_kurtosis == pytest.approx(stats.kurtosis(change, bias=False), rel=1e-12)
    q1, q3 = np.quantile(change, [0.25, 0.75])
    assert check.fences == pytest.approx((q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)))
    assert check.n_outliers == 1  # the 9.0
    small = normality(ps.PairedStudy([1, 2, 3], [2, 2, 5]))
    assert small.excess_kurtosis is None


def test_shapiro_above_5000_pairs_notes_the_caveat_without_warning():
    rng = np.random.default_rng(3)
    study = ps.PairedStudy(rng.normal(size=6000), rng.normal(size=6000))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = normality(study)
    assert 0 <= result.pvalue <= 1
    assert any("5000" in note for note in result.notes)


# --------------------------------------------------------------------------------------
# Properties

integers = st.lists(st.integers(-20, 20), min_size=4, max_size=25)


@st.composite
def paired_integers(draw):
    pre = draw(integers)
    change = draw(st.lists(st.integers(-6, 9), min_size=len(pre), max_size=len(pre)))
    assume(len(set(change)) > 1)
    return np.array(pre, dtype=float), np.array(pre, dtype=float) + np.array(change)


ALTERNATIVE = st.sampled_from(["two-sided", "less", "greater"])


@given(paired_integers(), st.integers(-1000, 1000), ALTERNATIVE)
def test_shifting_both_arms_changes_nothing(data, shift, alternative):
    pre, post = data
    a, b = ps.PairedStudy(pre, post), ps.PairedStudy(pre + shift, post + shift)
    for name, options in (("bayes", {}), ("tost", {"low": -1.0, "high": 1.5})):
        x = a.test(name, alternative=alternative, **options)
        y = b.test(name, alternative=alternative, **options)
        assert y.statistic == pytest.approx(x.statistic, rel=1e-12)
        assert y.pvalue == pytest.approx(x.pvalue, rel=1e-10, abs=1e-300)
    assert b.test("bayes").log_bf10 == pytest.approx(
        a.test("bayes").log_bf10, rel=1e-10, abs=1e-10
    )


@given(paired_integers(), ALTERNATIVE, st.sampled_from([0.0, 0.5, -1.25]))
def test_swapping_pre_and_post_mirrors_alternative_and_bounds(data, alternative, mu):
    pre, post = data
    a, b = ps.PairedStudy(pre, post), ps.PairedStudy(post, pre)
    mirrored = MIRROR[alternative]
    x = a.test("bayes", alternative=alternative, mu=mu)
    y = b.test("bayes", alternative=mirrored, mu=-mu)
    assert y.statistic == pytest.approx(-x.statistic, rel=1e-12)
    assert y.pvalue == pytest.approx(x.pvalue, rel=1e-10, abs=1e-300)
    assert y.log_bf10 == pytest.approx(x.log_bf10, rel=1e-9, abs=1e-9)

    low, high = -1.0, 2.5
    x = a.test("tost", alternative=alternative, mu=mu, low=low, high=high)
    y = b.test("tost", alternative=mirrored, mu=-mu, low=-high, high=-low)
    assert y.pvalue == pytest.approx(x.pvalue, rel=1e-10, abs=1e-300)
    if alternative == "two-sided":
        assert y.t_lower == pytest.approx(-x.t_upper, rel=1e-12)
        assert y.t_upper == pytest.approx(-x.t_lower, rel=1e-12)
        assert y.ci.low == pytest.approx(-x.ci.high) and y.ci.high == pytest.approx(-x.ci.low)
    assert normality(b).w == pytest.approx(normality(a).w, rel=1e-9)


@given(paired_integers(), st.integers(-30, 30), ALTERNATIVE)
def test_power_of_two_rescaling_with_bounds_rescaled(data, exponent, alternative):
    pre, post = data
    scale = 2.0**exponent
    a, b = ps.PairedStudy(pre, post), ps.PairedStudy(pre * scale, post * scale)
    x = a.test("bayes", alternative=alternative, mu=0.5)
    y = b.test("bayes", alternative=alternative, mu=0.5 * scale)
    assert y.statistic == x.statistic
    assert y.log_bf10 == x.log_bf10  # BF is scale invariant
    x = a.test("tost", alternative=alternative, low=-0.75, high=1.25, mu=0.5)
    y = b.test(
        "tost", alternative=alternative, low=-0.75 * scale, high=1.25 * scale, mu=0.5 * scale
    )
    assert y.pvalue == x.pvalue
    assert y.ci.low == x.ci.low * scale and y.ci.high == x.ci.high * scale
    dz = b.test("tost", alternative=alternative, low=-0.75, high=1.25, bounds="dz")
    assert (
        dz.pvalue
        == a.test("tost", alternative=alternative, low=-0.75, high=1.25, bounds="dz").pvalue
    )
    assert normality(b).w == pytest.approx(normality(a).w, rel=1e-12)


@given(
    paired_integers(),
    ALTERNATIVE,
    st.floats(-3, 3),
    st.floats(0.6, 0.999),
    st.floats(0.05, 3.0),
)
def test_results_are_well_formed(data, alternative, mu, level, r):
    study = ps.PairedStudy(*data)
    bayes = study.test("bayes", alternative=alternative, mu=mu, confidence_level=level, r=r)
    assert 0 <= bayes.pvalue <= 1
    assert bayes.bf10 > 0 and math.isfinite(bayes.log_bf10)
    assert bayes.bf01 == pytest.approx(1 / bayes.bf10, rel=1e-12)
    assert bayes.ci.contains(bayes.estimate)
    tost = study.test(
        "tost", alternative=alternative, mu=mu, confidence_level=level, low=-1.0, high=0.5
    )
    assert 0 <= tost.pvalue <= 1
    assert tost.ci.contains(tost.estimate)
    if alternative == "two-sided":
        assert tost.pvalue == max(tost.p_lower, tost.p_upper)
    shapiro = normality(study)
    assert 0 <= shapiro.pvalue <= 1 and 0 < shapiro.w <= 1 + 1e-12


@given(paired_integers(), st.floats(0.01, 100.0))
def test_bayes_factor_is_invariant_to_any_rescaling(data, factor):
    pre, post = data
    x = ps.PairedStudy(pre, post).test("bayes")
    y = ps.PairedStudy(pre * factor, post * factor).test("bayes")
    assert y.log_bf10 == pytest.approx(x.log_bf10, rel=1e-9, abs=1e-9)


def test_wider_prior_favours_the_null_at_t_zero():
    """At t = 0 the evidence for the null grows with the prior scale and with n."""
    values = [jzs_log_bayes_factor(0.0, 30, r=r)[0] for r in (0.5, "medium", "wide", "ultrawide")]
    assert values == sorted(values, reverse=True)
    by_n = [jzs_log_bayes_factor(0.0, n)[0] for n in (5, 50, 500)]
    assert by_n == sorted(by_n, reverse=True)


# --------------------------------------------------------------------------------------
# Bad input

STUDY = ps.PairedStudy([1, 2, 3, 4, 5, 6], [1.5, 2.0, 3.5, 4.0, 6.5, 6.0])


@pytest.mark.parametrize(
    ("options", "alternative", "words"),
    [
        ({}, "two-sided", ["low", "high", "missing"]),
        ({"low": -1.0}, "two-sided", ["high", "missing"]),
        ({"high": 1.0}, "greater", ["low", "non-inferiority"]),
        ({"low": -1.0}, "less", ["high", "non-superiority"]),
        ({"low": 1.0, "high": -1.0}, "two-sided", ["low=1.0", "high=-1.0", "low < high"]),
        ({"low": 0.5, "high": 0.5}, "two-sided", ["low=0.5", "high=0.5"]),
        ({"low": -math.inf, "high": 1.0}, "two-sided", ["low", "finite", "inf"]),
        ({"low": -1.0, "high": math.nan}, "two-sided", ["high", "NaN"]),
        ({"low": -1.0, "high": 1.0, "bounds": "sd"}, "two-sided", ["bounds", "'raw'", "'dz'"]),
    ],
)
def test_tost_refuses_bad_bounds(options, alternative, words):
    with pytest.raises(ps.PairedStudyError) as info:
        STUDY.test("tost", alternative=alternative, **options)
    assert isinstance(info.value, ValueError)
    for word in words:
        assert word in str(info.value)


def test_tost_refuses_text_bounds_and_low_levels():
    with pytest.raises(TypeError, match="low"):
        STUDY.test("tost", low="-1", high=1.0)
    with pytest.raises(ValueError, match=r"confidence_level.*0\.5"):
        STUDY.test("tost", low=-1.0, high=1.0, confidence_level=0.4)
    with pytest.raises(ValueError, match=r"confidence_level.*0\.5"):
        STUDY.test("tost", alternative="greater", low=-1.0, confidence_level=0.5)


@pytest.mark.parametrize(
    ("r", "error", "words"),
    [
        (0.0, ValueError, ["r", "positive", "0.0"]),
        (-0.5, ValueError, ["r", "positive", "-0.5"]),
        (math.inf, ValueError, ["r", "finite"]),
        ("huge", ValueError, ["'huge'", "'medium'", "'wide'", "'ultrawide'"]),
        (True, TypeError, ["r", "True"]),
        ([1.0], TypeError, ["r"]),
    ],
)
def test_bayes_refuses_bad_prior_scales(r, error, words):
    with pytest.raises(error) as info:
        STUDY.test("bayes", r=r)
    assert isinstance(info.value, ps.PairedStudyError)
    for word in words:
        assert word in str(info.value)


def test_shapiro_needs_three_pairs():
    with pytest.raises(ps.InputValueError, match=r"at least 3 pairs; got n = 2"):
        normality(ps.PairedStudy([1, 2], [2, 4]))


@pytest.mark.parametrize("name", ["bayes", "tost", "normality"])
def test_constant_change_is_refused(name):
    study = ps.PairedStudy([1.0, 2.0, 3.0, 4.0], [2.0, 3.0, 4.0, 5.0])
    options = {"low": -1.0, "high": 1.0} if name == "tost" else {}
    with pytest.raises(ps.DegenerateDataError, match="constant"):
        if name == "normality":
            normality(study)
        else:
            study.test(name, **options)


def test_unknown_options_are_refused():
    with pytest.raises(TypeError, match="rscale"):
        STUDY.test("bayes", rscale=1.0)
    with pytest.raises(TypeError, match="bound"):
        STUDY.test("tost", bound=1.0)


# --------------------------------------------------------------------------------------
# The result types


def test_bayes_returns_a_bayes_factor_result_with_typed_fields():
    study = _study("oxytocin_example")
    result = study.test("bayes", r="wide")
    assert isinstance(result, ps.results.BayesFactorResult)
    assert isinstance(result, ps.TestResult)  # the t-test's figures sit in tables
    assert result.prior_label == "wide" and result.prior_scale == 1.0
    assert result.prior == "delta ~ Cauchy(0, 1)"
    assert result.bf10 == pytest.approx(math.exp(result.log_bf10), rel=1e-12)
    assert result.bf01 == pytest.approx(1 / result.bf10, rel=1e-12)
    assert 0 <= result.error < 1e-10
    assert str(result).splitlines()[1].startswith(f"  BF10 = {result.bf10:.6g}")
    numeric = study.test("bayes", r=0.5)
    assert numeric.prior_label is None and numeric.prior_scale == 0.5
    plain = json.loads(result.to_json())
    assert plain["bf10"] == result.bf10 and plain["prior_label"] == "wide"
    assert set(plain["details"]) == {"sd_change", "se"}  # no deprecated copies


def test_bayes_old_details_keys_warn_and_still_answer():
    result = _study("oxytocin_example").test("bayes")
    for key, attribute in [
        ("bf10", "bf10"),
        ("bf01", "bf01"),
        ("log_bf10", "log_bf10"),
        ("r", "prior_scale"),
        ("prior", "prior"),
        ("integration_error", "error"),
    ]:
        assert key in result.details
        with pytest.warns(DeprecationWarning, match=rf"details\[\"{key}\"\].*\.{attribute}"):
            assert result.details[key] == getattr(result, attribute)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert result.details["se"] > 0  # current keys do not warn


def test_tost_returns_an_equivalence_result_with_typed_fields():
    study = _study("lakens_movie")
    result = study.test("tost", low=-0.5, high=1.0, mu=0.25)
    assert isinstance(result, ps.results.EquivalenceResult)
    assert result.test_type == "equivalence" and result.hypothesis.startswith("equivalence")
    assert result.bounds == (-0.5, 1.0) and result.bounds_scale == "raw"
    sd = result.details["sd_change"]
    assert result.low_dz == pytest.approx(-0.5 / sd) and result.high_dz == pytest.approx(1 / sd)
    assert result.pvalue == max(result.p_lower, result.p_upper)
    assert result.alpha == pytest.approx(0.05) and result.ci.level == pytest.approx(0.9)
    assert result.equivalent == (result.pvalue < result.alpha)
    assert "one-sided tests: lower t" in str(result)
    inferiority = study.test("tost", alternative="greater", low=-0.5)
    assert inferiority.test_type == "non-inferiority"
    assert inferiority.high is None and inferiority.t_upper is None
    assert inferiority.pvalue == inferiority.p_lower
    superiority = study.test("tost", alternative="less", high=0.5)
    assert superiority.test_type == "non-superiority" and superiority.low is None
    scaled = study.test("tost", low=-0.5, high=0.5, bounds="dz")
    assert scaled.bounds_scale == "dz" and scaled.low_dz == pytest.approx(-0.5)
    plain = json.loads(inferiority.to_json())
    assert plain["high"] is None and plain["ci"]["high"] == "Infinity"
    assert plain["test_type"] == "non-inferiority"


def test_tost_old_details_keys_warn_and_still_answer():
    result = _study("lakens_movie").test("tost", low=-0.5, high=1.0)
    with pytest.warns(DeprecationWarning, match=r"\.test_type"):
        assert result.details["kind"] == "equivalence"
    with pytest.warns(DeprecationWarning, match=r"\.bounds"):
        assert result.details["bounds_raw"] == (-0.5, 1.0)
    with pytest.warns(DeprecationWarning, match=r"\.p_upper"):
        assert result.details["p_upper"] == result.p_upper


def test_normality_is_a_diagnostic_result():
    check = ps.diagnostics.normality(_study("oxytocin_example"))
    assert isinstance(check, ps.results.NormalityDiagnostic)
    assert check.study_name == "oxytocin_example" and "oxytocin_example" in str(check)
    assert json.loads(check.to_json())["fences"] == list(check.fences)
