"""Replication success (issue 18): invariants, round trips, bad input and evaluate()."""

import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.replication import (
    bf_replication,
    bf_sceptical,
    evaluate,
    p_sceptical,
    power_replication_success,
    power_significance,
    prediction_interval,
    q_test,
    sample_size_replication_success,
    sample_size_significance,
)

Z = st.floats(-8, 8, allow_nan=False)
C = st.floats(0.05, 20)
ALTERNATIVE = st.sampled_from(["one-sided", "two-sided"])
TYPE = st.sampled_from(["golden", "nominal", "controlled"])
PRIOR = st.sampled_from(["conditional", "predictive", "EB"])
LEVEL = st.sampled_from([0.005, 0.025, 0.05])


@given(Z, Z, st.floats(0, 20), ALTERNATIVE, TYPE)
def test_p_sceptical_is_a_probability(zo, zr, c, alternative, type):
    assert 0.0 <= p_sceptical(zo, zr, c, alternative, type) <= 1.0


@given(st.floats(0.1, 8), Z, Z, C, TYPE)
def test_p_sceptical_falls_as_the_replication_grows(zo, zr1, zr2, c, type):
    low, high = sorted((zr1, zr2))
    assert (
        p_sceptical(zo, high, c, "one-sided", type)
        <= p_sceptical(zo, low, c, "one-sided", type) + 1e-12
    )
    # two-sided: the size of zr matters, not its sign
    if abs(high) >= abs(low):
        assert (
            p_sceptical(zo, high, c, "two-sided", type)
            <= p_sceptical(zo, low, c, "two-sided", type) + 1e-12
        )


@given(Z, Z, C, ALTERNATIVE, TYPE)
def test_p_sceptical_symmetries(zo, zr, c, alternative, type):
    p = p_sceptical(zo, zr, c, alternative, type)
    # flipping both signs is the same study pair
    assert p_sceptical(-zo, -zr, c, alternative, type) == pytest.approx(p, abs=1e-14)
    if alternative == "two-sided":
        assert p_sceptical(zo, -zr, c, alternative, type) == pytest.approx(p, abs=1e-14)
    # with equal variances (c = 1) the two studies play the same part
    same = p_sceptical(zo, zr, 1.0, alternative, type)
    assert p_sceptical(zr, zo, 1.0, alternative, type) == pytest.approx(same, rel=1e-12)


@given(Z, C, LEVEL, PRIOR, ALTERNATIVE, TYPE)
def test_power_replication_success_is_a_probability(zo, c, level, prior, alternative, type):
    assert 0.0 <= power_replication_success(zo, c, level, prior, alternative, type) <= 1.0


@given(Z, C, C, LEVEL, PRIOR, ALTERNATIVE)
def test_power_significance_is_a_probability_rising_in_c(zo, c1, c2, level, prior, alt):
    low, high = sorted((c1, c2))
    p_low = power_significance(zo, low, level, prior, alt)
    p_high = power_significance(zo, high, level, prior, alt)
    assert 0.0 <= p_low <= 1.0 and 0.0 <= p_high <= 1.0
    if abs(zo) > 0.5 or prior != "EB":  # EB shrinks a zo below 1 to nothing
        assert p_high >= p_low - 1e-12


def test_power_for_success_need_not_rise_in_c():
    """Unlike significance, success can become less likely as the replication grows (the
    curve has a maximum; ReplicationSuccess's sample size code says so): a larger
    replication, finding the same effect, earns a smaller c-weighted share."""
    one = power_replication_success(2.5, 1.0, 0.005, "predictive", "two-sided", "golden")
    two = power_replication_success(2.5, 2.0, 0.005, "predictive", "two-sided", "golden")
    assert two < one


@given(st.floats(0.2, 8), st.floats(0.2, 8), C, LEVEL, PRIOR, ALTERNATIVE, TYPE)
def test_power_for_success_rises_with_the_original(z1, z2, c, level, prior, alt, type):
    low, high = sorted((z1, z2))
    if prior == "EB":
        assume(low >= 1.0)  # EB shrinks a small zo to 0; the power is then 0
    p_low = power_replication_success(low, c, level, prior, alt, type)
    p_high = power_replication_success(high, c, level, prior, alt, type)
    assert p_high >= p_low - 1e-12


@settings(max_examples=15)  # each example solves for c by root finding over integrals (~0.4 s)
@given(st.floats(1.0, 8), st.floats(0.3, 0.97), LEVEL, PRIOR, ALTERNATIVE, TYPE)
def test_sample_size_for_success_inverts_power(zo, power, level, prior, alternative, type):
    assume(power > level)
    if type == "controlled":
        assume(zo > 2.5)  # each call solves nested integrals: keep the examples few
    c = sample_size_replication_success(zo, power, level, alternative, type, prior)
    assume(not math.isnan(c) and 1e-4 < c < 900)
    got = power_replication_success(zo, c, level, prior, alternative, type)
    assert got == pytest.approx(power, abs=1e-9)


@given(st.floats(0.2, 8), st.floats(0.3, 0.97), LEVEL, PRIOR, ALTERNATIVE)
def test_sample_size_for_significance_inverts_power(zo, power, level, prior, alternative):
    assume(power > level)
    c = sample_size_significance(zo, power, level, alternative, prior)
    assume(not math.isnan(c) and c < 1e6)
    got = power_significance(zo, c, level, prior, alternative)
    assert got == pytest.approx(power, abs=1e-9)


@given(Z, st.floats(0.01, 5), st.floats(0.01, 5), st.floats(0.5, 0.999), PRIOR)
def test_prediction_interval_contains_its_mean(thetao, seo, ser, conf, prior):
    low, mean, high = prediction_interval(thetao, seo, ser, conf, prior)
    assert low < mean < high
    assert mean - low == pytest.approx(high - mean, rel=1e-9)


@given(Z, Z, st.floats(0.01, 5), st.floats(0.01, 5))
def test_q_test_and_bayes_factors(thetao, thetar, seo, ser):
    p = q_test(thetao, thetar, seo, ser)
    assert 0.0 <= p <= 1.0
    assert q_test(thetar, thetao, ser, seo) == pytest.approx(p, rel=1e-12, abs=1e-300)
    assert bf_replication(thetao, seo, thetar, ser) >= 0  # 0 only by underflow
    bfs = bf_sceptical(thetao, seo, thetar, ser)
    assert math.isnan(bfs) or 0 < bfs <= 1.0 + 1e-12


# --- bad input ------------------------------------------------------------------------

BAD = [
    (p_sceptical, {"zo": math.nan, "zr": 2, "c": 1}, "zo"),
    (p_sceptical, {"zo": 2, "zr": math.inf, "c": 1}, "zr"),
    (p_sceptical, {"zo": 2, "zr": 2, "c": -1}, "c"),
    (p_sceptical, {"zo": 2, "zr": 2, "c": math.inf}, "c"),
    (p_sceptical, {"zo": 2, "zr": 2, "c": 1, "type": "liberal"}, "type"),
    (p_sceptical, {"zo": 2, "zr": 2, "c": 1, "alternative": "one.sided"}, "alternative"),
    (p_sceptical, {"zo": "2", "zr": 2, "c": 1}, "zo"),
    (power_replication_success, {"zo": 2, "c": 0}, "c"),
    (power_replication_success, {"zo": 2, "design_prior": "flat"}, "design_prior"),
    (power_replication_success, {"zo": 2, "level": 1.0}, "level"),
    (sample_size_replication_success, {"zo": 3, "power": 1.0}, "power"),
    (sample_size_replication_success, {"zo": 3, "power": 0.0}, "power"),
    (sample_size_replication_success, {"zo": 3, "power": 0.01}, "power"),
    (sample_size_replication_success, {"zo": 3, "power": math.nan}, "power"),
    (sample_size_replication_success, {"zo": 3, "power": 0.8, "type": "x"}, "type"),
    (sample_size_significance, {"zo": 3, "power": 1.5}, "power"),
    (sample_size_significance, {"zo": math.inf, "power": 0.8}, "zo"),
    (sample_size_significance, {"zo": 3, "power": 0.8, "design_prior": "eb"}, "design_prior"),
    (power_significance, {"zo": 3, "c": -0.5}, "c"),
    (power_significance, {"zo": 3, "alternative": "greater"}, "alternative"),
    (prediction_interval, {"thetao": 1, "seo": 0, "ser": 1}, "seo"),
    (prediction_interval, {"thetao": 1, "seo": 1, "ser": -1}, "ser"),
    (prediction_interval, {"thetao": 1, "seo": 1, "ser": 1, "conf_level": 1}, "conf_level"),
    (q_test, {"thetao": math.nan, "thetar": 1, "seo": 1, "ser": 1}, "thetao"),
    (bf_replication, {"to": 1, "so": -1, "tr": 1, "sr": 1}, "so"),
    (bf_sceptical, {"to": 1, "so": 1, "tr": 1, "sr": math.inf}, "sr"),
]


@pytest.mark.parametrize(
    ("fn", "kwargs", "name"),
    BAD,
    ids=[f"{fn.__name__}-{name}-{i}" for i, (fn, _, name) in enumerate(BAD)],
)
def test_bad_input_names_the_argument(fn, kwargs, name):
    with pytest.raises(ps.PairedStudyError, match=rf"^{name}\b") as info:
        fn(**kwargs)
    assert isinstance(info.value, (ValueError, TypeError))


def test_impossible_designs_are_nan():
    # an original below the sceptical threshold cannot be replicated at that level
    assert math.isnan(sample_size_replication_success(1.5, 0.8))
    assert power_replication_success(1.5, 3.0) == 0.0
    # predictive power levels off at Phi(zo): 0.9 is out of reach for zo = 1
    assert math.isnan(sample_size_significance(1.0, 0.9, design_prior="predictive"))


# --- evaluate -------------------------------------------------------------------------


def _study(seed, n, shift):
    rng = np.random.default_rng(seed)
    pre = rng.normal(10, 2, n)
    return ps.PairedStudy(pre, pre + rng.normal(shift, 1.5, n))


def _as_table(study):
    m = study.moments()
    return ps.PairedSummary(
        n=study.n,
        pre_mean=f"{float(np.mean(study.pre)):.12f}",
        pre_sd=f"{m.pre_sd:.12f}",
        post_mean=f"{float(np.mean(study.post)):.12f}",
        post_sd=f"{m.post_sd:.12f}",
        diff_mean=f"{m.mean_change:.12f}",
        diff_sd=f"{m.sd_change:.12f}",
    )


@given(
    st.integers(0, 10_000),
    st.integers(5, 60),
    st.integers(5, 120),
    st.floats(-1.5, 1.5),
    st.sampled_from(["mean", "dz"]),
)
def test_evaluate_on_raw_data_equals_evaluate_on_its_table(seed, n_o, n_r, shift, scale):
    original, replication = _study(seed, n_o, 1.0), _study(seed + 1, n_r, shift)
    raw = evaluate(original, replication, scale=scale)
    table = evaluate(_as_table(original), _as_table(replication), scale=scale)
    for name in ("zo", "zr", "c", "p_sceptical"):
        assert getattr(table, name) == pytest.approx(getattr(raw, name), rel=1e-8, abs=1e-300)
    for a, b in zip(raw.rows, table.rows, strict=True):
        assert a.criterion == b.criterion
        assert _same(a.value, b.value)
        assert a.success == b.success or math.isclose(a.value, a.threshold or 0, rel_tol=1e-6)
    assert raw.source_original == "raw data" and table.source_original == "summary statistics"


def _same(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-11)


def test_evaluate_matches_the_exact_t_test_where_it_exists():
    original, replication = _study(1, 15, 1.0), _study(2, 30, 0.4)
    result = evaluate(original, replication)
    direction = "greater" if result.t_original > 0 else "less"
    exact = replication.test("t", alternative=direction).pvalue
    assert result["significance"].value == pytest.approx(exact, rel=1e-12)
    # each study's normal 95% interval theta +- 1.96 se is its exact paired-t interval
    for study, theta, se in [
        (original, result.theta_original, result.se_original),
        (replication, result.theta_replication, result.se_replication),
    ]:
        ci = study.test("t", confidence_level=0.95).ci
        assert theta - 1.959963984540054 * se == pytest.approx(ci.low, rel=1e-12)
        assert theta + 1.959963984540054 * se == pytest.approx(ci.high, rel=1e-12)


@given(st.integers(3, 200), st.floats(-4, 4), st.sampled_from([0.005, 0.025, 0.05]))
def test_z_passes_its_critical_value_exactly_when_t_does(n, t_mult, level):
    from scipy import special

    crit_t = float(special.stdtrit(n - 1.0, 1.0 - level))
    study = ps.PairedSummary(
        n=n, pre_mean="0", pre_sd="1", post_mean="0", post_sd="1",
        diff_mean=f"{t_mult * crit_t / math.sqrt(n):.12f}", diff_sd="1",
    )  # fmt: skip
    mapped = ps.replication.study_z(study, level=level)
    crit_z = float(-special.ndtri(level))
    assert (mapped.z >= crit_z) == (mapped.t >= crit_t) or math.isclose(
        mapped.z, crit_z, rel_tol=1e-9
    )
    assert mapped.z == pytest.approx(mapped.t / ps.replication.t_inflation(n - 1, level))


def test_evaluate_result_serializes_and_prints():
    result = evaluate(ps.datasets.oxytocin_table3(), _study(3, 40, 1.0))
    assert result.criteria == (
        "significance",
        "sceptical p-value",
        "small telescopes",
        "prediction interval",
        "Q test",
        "fixed-effect combination",
        "replication Bayes factor",
        "sceptical Bayes factor",
    )
    data = json.loads(result.to_json())
    assert data["zo"] == result.zo and len(data["rows"]) == 8
    assert {"criterion", "value", "success", "verdict", "rationale"} <= set(data["rows"][0])
    text = str(result)
    assert all(name in text for name in result.criteria)
    assert result._repr_html_().startswith("<table")
    assert [r["criterion"] for r in result.to_records()] == list(result.criteria)
    with pytest.raises(ps.PairedStudyError, match="no criterion"):
        result["bogus"]


def test_evaluate_nan_bayes_factor_serializes_as_null():
    # a replication in the opposite direction: no sceptic can be convinced
    result = evaluate(ps.datasets.oxytocin_table3(), _study(4, 30, -1.0))
    assert math.isnan(result["sceptical Bayes factor"].value)
    assert not result["sceptical Bayes factor"].success
    assert json.loads(result.to_json())["rows"][7]["value"] is None
    assert not result["significance"].success and not result["sceptical p-value"].success


def test_evaluate_on_the_dz_scale():
    from scipy import optimize, stats

    original, replication = _study(5, 20, 1.0), _study(6, 40, 0.8)
    mean, dz = evaluate(original, replication), evaluate(original, replication, scale="dz")
    # the exact rows do not depend on the scale
    assert dz["significance"].value == mean["significance"].value
    assert dz["small telescopes"].value == mean["small telescopes"].value
    m = original.moments()
    assert dz.theta_original == pytest.approx(m.mean_change / m.sd_change, rel=1e-12)
    # the standard error has the width of dz's exact noncentral-t interval (scipy's nct,
    # solved here independently), which carries the uncertainty of the SD
    n, t = original.n, dz.t_original

    def limit(p):
        return optimize.brentq(lambda lam: stats.nct.cdf(t, n - 1, lam) - p, t - 30, t + 30)

    width = (limit(0.025) - limit(0.975)) / math.sqrt(n)
    assert 2 * 1.959963984540054 * dz.se_original == pytest.approx(width, rel=1e-7)
    d = dz.theta_original
    assert dz.se_original == pytest.approx(math.sqrt(1 / n + d * d / (2 * n)), rel=0.1)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"level": 0.5}, "level must be below 0.5"),
        ({"level": 0}, "level must lie strictly"),
        ({"type": "liberal"}, "type must be one of"),
        ({"scale": "d"}, "scale must be one of"),
        ({"bf_threshold": 1.0}, "bf_threshold must lie strictly"),
    ],
)
def test_evaluate_bad_options(kwargs, pattern):
    with pytest.raises(ps.PairedStudyError, match=pattern):
        evaluate(ps.datasets.oxytocin_table3(), ps.datasets.oxytocin_table3(), **kwargs)


def test_evaluate_refuses_other_objects_and_constant_changes():
    with pytest.raises(ps.PairedStudyError, match="original must be a PairedStudy"):
        evaluate([1, 2, 3], ps.datasets.oxytocin_table3())
    flat = ps.PairedStudy([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    with pytest.raises(ps.DegenerateDataError, match="replication's change has SD 0"):
        evaluate(ps.datasets.oxytocin_table3(), flat)


# --- plan rows ------------------------------------------------------------------------


def test_plan_rows_for_success_are_the_smallest_n_reaching_the_power():
    plan = ps.replication.plan(ps.datasets.oxytocin_massage())
    level = 0.025
    k0 = ps.replication.t_inflation(20, level)
    zo = plan.t_original / k0

    def c_of(n):
        return n / 21 * (k0 / ps.replication.t_inflation(n - 1, level)) ** 2

    for method, prior, fn in [
        ("replication success (conditional)", "conditional", power_replication_success),
        ("replication success (predictive)", "predictive", power_replication_success),
        ("significance (predictive)", "predictive", power_significance),
    ]:
        row = plan[method]
        assert row.power >= 0.8
        assert row.power == pytest.approx(fn(zo, c_of(row.n), level, prior))
        assert fn(zo, c_of(row.n - 1), level, prior) < 0.8  # the smallest n
        assert f"original z = {zo:.3f}" in row.rationale


def test_plan_success_rows_say_why_a_weak_original_cannot_be_replicated():
    summary = ps.PairedSummary(
        n=20, pre_mean="10", pre_sd="2", post_mean="10.4", post_sd="2",
        diff_mean="0.4", diff_sd="1.2",
    )  # fmt: skip
    plan = ps.replication.plan(summary)  # t = 1.49: below the golden bar (z 1.54)
    row = plan["replication success (conditional)"]
    assert row.n is None and "cannot be reached" in row.rationale


@pytest.mark.parametrize("c", [0.0, 1.0])
@pytest.mark.parametrize("zo", [0.3, 1.5, 4.0])
def test_controlled_integral_meets_the_closed_forms(c, zo):
    """The integral for c != 0, 1 (an independent route) joins the closed forms there."""
    exact = p_sceptical(zo, 2.0, c, "one-sided", "controlled")
    # p moves like c log c near 0 and linearly near 1
    for eps in (1e-11,) if c == 0 else (1e-8, -1e-8):
        near = p_sceptical(zo, 2.0, c + eps, "one-sided", "controlled")
        assert near == pytest.approx(exact, rel=1e-8)


def test_contract_names_and_result_round_trips():
    import copy
    import pickle

    for name in (
        "p_sceptical",
        "sample_size_replication_success",
        "power_replication_success",
        "sample_size_significance",
        "power_significance",
        "prediction_interval",
        "q_test",
        "bf_replication",
        "bf_sceptical",
        "evaluate",
        "plan",
    ):
        assert callable(getattr(ps.replication, name)), name
    result = evaluate(ps.datasets.oxytocin_table3(), _study(4, 30, -1.0))  # holds a NaN
    for clone in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result)):
        assert clone == result and hash(clone) == hash(result)
        assert clone.to_json() == result.to_json()
    assert isinstance(result, ps.results.Serializable)
    assert type(result).to_dict is ps.results.Serializable.to_dict
    pytest.importorskip("pandas")
    frame = result.to_frame()
    assert list(frame["criterion"]) == list(result.criteria)
