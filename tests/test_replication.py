"""Replication planner: independent R recomputation, published rules, properties, bad input."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.replication import _bucss_noncentrality, aipe_dz, aipe_mean, plan

R = json.loads((Path(__file__).parent / "reference" / "r_replication.json").read_text())
TABLE3 = ps.datasets.oxytocin_table3()


def _study_with_t(t, n):
    """A dataset whose paired t is exactly t (mean change t sd / sqrt(n), SD sd)."""
    z = np.random.default_rng(n).normal(size=n)
    z = (z - z.mean()) / z.std(ddof=1)
    return ps.PairedStudy(np.zeros(n), z + t / math.sqrt(n))


@pytest.mark.parametrize("case", R["cases"], ids=lambda c: f"t{c['t']}-n{c['n']}")
def test_rows_match_the_independent_r_computation(case):
    study = _study_with_t(case["t"], case["n"])
    result = plan(study)
    assert result.t_original == pytest.approx(case["t"], rel=1e-9)
    # BUCSS: R searches a 0.001 grid; the root lies within half a step of it
    lam = _bucss_noncentrality(case["t"], case["n"], 0.05, 0.8)
    assert lam == pytest.approx(case["bucss"]["lambda"], abs=6e-4)
    assert result["BUCSS"].n == (case["bucss"]["n"] or None)  # R's NULL is {} in JSON
    lam50 = _bucss_noncentrality(case["t"], case["n"], 0.05, 0.5)
    assert lam50 == pytest.approx(case["bucss_50"]["lambda"], abs=6e-4)
    assert result["safeguard"].dz == pytest.approx(case["safeguard"]["dz"], rel=1e-8)
    assert result["safeguard"].n == case["safeguard"]["n"]
    assert result["small telescopes"].dz == pytest.approx(case["telescopes"]["d33"], rel=1e-8)
    assert result["small telescopes"].n == case["telescopes"]["n"]
    assert result["AIPE dz"].n == case["aipe"]["n"]
    assert result["expected power"].n == case["expected_power"]["n"]


def test_oxytocin_plan_is_the_same_from_raw_data_and_from_the_table():
    raw = plan(ps.datasets.oxytocin_massage())
    table = plan(TABLE3)
    assert [r.method for r in raw.rows] == [r.method for r in table.rows]
    assert [r.n for r in raw.rows] == [r.n for r in table.rows]
    assert raw["naive"].n == 6 and raw.source == "raw data" and table.source.startswith("summ")
    assert "BUCSS" in str(raw) and raw.to_dict()["rows"][0]["method"] == "naive"


def test_small_telescopes_is_about_two_and_a_half_times_the_original():
    for n in (40, 100, 400):
        result = plan(_study_with_t(3.0, n))
        assert result["small telescopes"].n / n == pytest.approx(2.5, rel=0.06)


def test_bucss_with_half_assurance_and_no_bias_is_the_median_estimate():
    # alpha_prior = 1 (no truncation) and assurance 0.5: P(T <= t | lambda) = 0.5
    from scipy import stats

    lam = _bucss_noncentrality(2.5, 30, 0.999, 0.5)
    assert stats.nct.cdf(2.5, 29, lam) == pytest.approx(0.5, abs=2e-3)


def test_non_significant_original_is_handled_as_bucss_prescribes():
    result = plan(_study_with_t(1.2, 30))
    row = result["BUCSS"]
    assert row.n is None and "not significant" in row.rationale
    assert plan(_study_with_t(1.2, 30), alpha_prior=1.0, assurance=0.5)["BUCSS"].n is not None
    assert plan(_study_with_t(0.7, 30))["safeguard"].n is None  # the 60% interval reaches 0


def test_unreachable_expected_power_says_so():
    result = plan(_study_with_t(1.0, 10), power=0.95)
    row = result["expected power"]
    assert row.n is None and "cannot exceed" in row.rationale


def test_aipe_helpers_agree_with_direct_search():
    from pairedstudy.replication import _dz_interval_width

    n = aipe_dz(0.5, 0.6)
    assert _dz_interval_width(n, 0.5, 0.95) <= 0.6 < _dz_interval_width(n - 1, 0.5, 0.95)
    assert aipe_dz(0.5, 0.6, assurance=0.9) > n
    from scipy import stats

    m = aipe_mean(2.0, 1.0)
    width = lambda k: 2 * stats.t.ppf(0.975, k - 1) * 2.0 / math.sqrt(k)  # noqa: E731
    assert width(m) <= 1.0 < width(m - 1)
    assert aipe_mean(2.0, 1.0, assurance=0.9) > m
    row = plan(_study_with_t(3, 30), aipe_width_mean=0.5)["AIPE mean change"]
    assert row.n == aipe_mean(1.0, 0.5)


@settings(max_examples=10)  # each example plans three times (~0.12 s a plan)
@given(st.floats(2.3, 8.0), st.integers(10, 80))
def test_properties(t, n):
    result = plan(_study_with_t(t, n))  # assurance 0.8
    naive, safeguard = result["naive"], result["safeguard"]
    if safeguard.n is not None:
        assert safeguard.n >= naive.n
    assert result["bias-corrected (gz)"].n >= naive.n
    stronger = plan(_study_with_t(t * 1.3, n))
    assert stronger["naive"].n <= naive.n
    low = plan(_study_with_t(t, n), assurance=0.6)["BUCSS"].n
    high = result["BUCSS"].n
    if low is not None and high is not None:
        assert high >= low
    for row in result.rows:
        if (
            row.n is not None
            and row.power is not None
            and row.method not in ("AIPE dz", "AIPE mean change")
        ):
            assert row.power >= 0.8


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"power": 1.0}, "power must lie strictly between 0 and 1"),
        ({"alpha": 0}, "alpha must lie strictly between 0 and 1"),
        ({"alpha_prior": 0}, r"alpha_prior must lie in \(0, 1\]"),
        ({"assurance": 1.5}, "assurance must lie strictly"),
        ({"alternative": "both"}, "alternative must be one of"),
    ],
)
def test_bad_input(kwargs, pattern):
    with pytest.raises(ps.PairedStudyError, match=pattern):
        plan(TABLE3, **kwargs)


def test_bad_originals():
    with pytest.raises(ps.InputTypeError, match="PairedStudy or a PairedSummary"):
        plan([1, 2, 3])
    with pytest.raises(ps.InputValueError, match="at least 3 pairs"):
        plan(ps.PairedStudy([1, 2], [2, 5]))
    with pytest.raises(ps.PairedStudyError):
        plan(ps.PairedStudy([1, 2, 3], [2, 3, 4]))


# --- review findings -------------------------------------------------------------------


def test_expected_power_beyond_its_ceiling_is_unreachable():
    for t, n, target in ((1.0, 10, 0.85), (3.0, 20, 0.997)):
        row = plan(_study_with_t(t, n), power=target)["expected power"]
        assert row.n is None and "cannot exceed" in row.rationale


def test_expected_power_quadrature_is_accurate_at_large_n():
    from scipy import integrate, stats

    from pairedstudy.replication import _expected_power

    dz, n0, n = 0.3, 12, 20000
    sd = math.sqrt(1 / n0 + dz * dz / (2 * n0))
    crit = stats.t.ppf(0.975, n - 1)

    def f(delta):
        return stats.nct.sf(crit, n - 1, delta * math.sqrt(n)) * stats.norm.pdf(delta, dz, sd)

    exact = integrate.quad(f, dz - 10 * sd, dz + 10 * sd, points=[0.0], limit=400)[0]
    assert _expected_power(n, dz, n0, 0.05, "two-sided") == pytest.approx(exact, abs=1e-6)


def test_an_alternative_against_the_original_plans_nothing():
    result = plan(_study_with_t(3.0, 20), alternative="less")
    for row in result.rows:
        if not row.method.startswith("AIPE"):
            assert row.n is None and "points against" in row.rationale


def test_tiny_effects_are_refused_without_a_search():
    result = plan(_study_with_t(0.01, 20))
    assert result["naive"].n is None and "1,000,000" in result["naive"].rationale


def test_d33_does_not_depend_on_the_replication_alpha():
    a = plan(_study_with_t(3.0, 20))["small telescopes"]
    b = plan(_study_with_t(3.0, 20), alpha=0.01)["small telescopes"]
    assert a.dz == b.dz and a.n == b.n
    plan(_study_with_t(3.0, 20), alpha=0.4)  # no longer fails in the d33 row


def test_aipe_assurance_must_exceed_a_half():
    with pytest.raises(ps.InputValueError, match="exceed 0.5"):
        plan(TABLE3, aipe_assurance=0.3)


def test_plan_from_a_table_equals_plan_from_the_same_moments_of_raw_data():
    from pairedstudy.replication import _original

    table = ps.datasets.oxytocin_table3()
    planning = _original(table, 0.8, 0.05, "two-sided")
    moments = table.moments()
    assert planning.n0 == moments.n and planning.sd == moments.sd_change
    assert planning.dz == moments.mean_change / moments.sd_change
    assert planning.source == "summary statistics"
    raw = _original(ps.datasets.oxytocin_massage(), 0.8, 0.05, "two-sided")
    assert raw.source == "raw data" and raw.n0 == 21


def test_every_row_method_appears_once_in_order():
    plan_ = plan(ps.datasets.oxytocin_massage(), aipe_width_mean=1.0)
    assert [row.method for row in plan_.rows] == [
        "naive",
        "bias-corrected (gz)",
        "safeguard",
        "small telescopes",
        "BUCSS",
        "expected power",
        "replication success (conditional)",
        "replication success (predictive)",
        "significance (predictive)",
        "AIPE dz",
        "AIPE mean change",
        "Wilcoxon (ARE)",
        "sign test",
    ]


# --- hostile and extreme input (issue 15) ------------------------------------------------


def _width_of_dz_interval(d, n, level):
    """Noncentral-t interval width of dz, solved here with scipy.stats.nct (independent)."""
    from scipy import optimize, stats

    t, df, tail = d * math.sqrt(n), n - 1, (1 - level) / 2

    def limit(p):
        reach = 10 + abs(t) / 2
        return optimize.brentq(lambda lam: stats.nct.cdf(t, df, lam) - p, t - reach, t + reach)

    return (limit(tail) - limit(1 - tail)) / math.sqrt(n)


def _assurance_by_simulation(dz, width, level, n, draws=400_000):
    """P(interval of dz at most ``width`` wide) at n pairs, by Monte Carlo over d.

    The width rises with |d|, so the interval is narrow enough exactly when |d| is at most
    the d* where the width equals ``width``; d is drawn from its sampling distribution
    (normal mean over sqrt(chi-square / df)) with a fixed seed.
    """
    from scipy import optimize

    if _width_of_dz_interval(0.0, n, level) > width:
        return 0.0
    d_star = optimize.brentq(lambda d: _width_of_dz_interval(d, n, level) - width, 0.0, 3.0)
    rng = np.random.default_rng(20261129)
    z = rng.standard_normal(draws) + dz * math.sqrt(n)
    u = np.sqrt(rng.chisquare(n - 1, draws) / (n - 1))
    d = z / u / math.sqrt(n)
    return float(np.mean(np.abs(d) <= d_star))


@pytest.mark.parametrize(
    ("dz", "width", "assurance", "expected"),
    [(0.0, 0.5, 0.8, 63), (0.02, 0.5, 0.8, 63), (0.05, 0.5, 0.9, 64), (0.1, 1.0, 0.9, 18)],
)
def test_aipe_dz_assurance_is_reached_near_zero(dz, width, assurance, expected):
    n = aipe_dz(dz, width, 0.95, assurance)
    assert n == expected
    se = math.sqrt(assurance * (1 - assurance) / 400_000)
    assert _assurance_by_simulation(dz, width, 0.95, n) >= assurance - 3 * se
    assert _assurance_by_simulation(dz, width, 0.95, n - 1) < assurance


def test_the_sign_row_plans_a_huge_effect():
    # Phi(dz) rounds to 1 for dz > 8.3: the row said "more than 1,000,000 pairs"
    for t in (30.0, -300.0):
        row = plan(_study_with_t(t, 10))["sign test"]
        assert row.n == 6 and row.power > 0.99  # the fewest pairs a two-sided 5% test needs
    one_sided = plan(_study_with_t(30.0, 10), alternative="greater")["sign test"]
    assert one_sided.n == 5


def test_the_telescopes_row_says_when_the_plans_power_and_alpha_do_not_apply():
    default = plan(_study_with_t(3.0, 30))["small telescopes"]
    assert "do not apply" not in default.rationale
    other = plan(_study_with_t(3.0, 30), power=0.9, alpha=0.01)["small telescopes"]
    assert other.n == default.n and other.dz == default.dz
    assert "power 0.9, alpha 0.01" in other.rationale and "do not apply" in other.rationale
    assert "do not apply" in str(plan(_study_with_t(3.0, 30), power=0.9))


def test_small_telescopes_ratio_tends_to_2_64():
    from scipy import special

    limit = (
        (special.ndtri(0.95) + special.ndtri(0.8)) / (special.ndtri(0.975) - special.ndtri(2 / 3))
    ) ** 2
    assert limit == pytest.approx(2.6437, abs=1e-4)
    ratio = plan(_study_with_t(3.0, 5000))["small telescopes"].n / 5000
    assert ratio == pytest.approx(limit, abs=0.01)
