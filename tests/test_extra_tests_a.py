"""The "permutation", "bootstrap" and "yuen" tests: R references, properties and bad input.

Reference values come from tests/reference/make_extra_tests_a.R (coin's exact
symmetry_test, a base-R enumeration of all sign flips, a base-R studentized bootstrap and
boot::boot.ci fed the same resample indices, and WRS2's yuend transcribed), committed as
extra_tests_a.json; R is not needed to run these tests.
"""

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.inference.bootstrap import resample_indices
from pairedstudy.inference.permutation import AUTO_EXACT_LIMIT, EXACT_LIMIT

REFERENCE = json.loads((Path(__file__).parent / "reference" / "extra_tests_a.json").read_text())
ALT = {"two.sided": "two-sided", "less": "less", "greater": "greater"}
RTOL = 1e-8


def _inf(v):
    return float("inf") if v == "Inf" else float("-inf") if v == "-Inf" else v


def _study(section, name):
    data = REFERENCE[section]["datasets"][name]
    return ps.PairedStudy(data["pre"], data["post"])


def _id(case):
    extra = [f"{k}{case[k]}" for k in ("trim", "confidence_level") if k in case]
    return "-".join([case["dataset"], f"mu{case['mu']}", case["alternative"], *extra])


# --------------------------------------------------------------------------------------
# permutation: coin's exact symmetry_test and Hartigan's interval

PERMUTATION = REFERENCE["permutation"]["cases"]


def test_permutation_fixture_covers_ties_zeros_and_alternatives():
    assert len(REFERENCE["permutation"]["datasets"]) >= 10
    assert {c["alternative"] for c in PERMUTATION} == set(ALT)
    zeros = ties = False
    for data in REFERENCE["permutation"]["datasets"].values():
        d = np.subtract(data["post"], data["pre"])
        zeros |= bool(np.any(d == 0))
        ties |= np.unique(np.abs(d[d != 0])).size < np.count_nonzero(d)
    assert zeros and ties


@pytest.mark.parametrize("case", PERMUTATION, ids=_id)
def test_permutation_matches_coin_and_enumeration(case):
    study = _study("permutation", case["dataset"])
    level = case["confidence_level"]
    attained = case["attained_level"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ps.PairedStudyWarning)
        result = study.test(
            "permutation",
            alternative=ALT[case["alternative"]],
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
    low, high = (_inf(v) for v in case["ci"])
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


# --------------------------------------------------------------------------------------
# bootstrap: the same resamples in R (base R and boot::boot.ci)

BOOT = REFERENCE["bootstrap"]


@pytest.mark.parametrize("name", list(BOOT["inputs"]))
def test_bootstrap_resamples_are_numpys_seeded_draw(name):
    spec = BOOT["inputs"][name]
    n = len(BOOT["datasets"][name]["pre"])
    drawn = np.vstack(list(resample_indices(n, spec["n_resamples"], spec["seed"])))
    np.testing.assert_array_equal(drawn, np.array(spec["index"]))


def test_resample_chunks_concatenate_to_one_draw():
    chunks = list(resample_indices(3, 400_000, 5))
    assert len(chunks) > 1
    whole = np.random.default_rng(5).integers(0, 3, size=(400_000, 3))
    np.testing.assert_array_equal(np.vstack(chunks), whole)


@pytest.mark.parametrize("case", BOOT["cases"], ids=_id)
def test_bootstrap_matches_r_with_the_same_resamples(case):
    spec = BOOT["inputs"][case["dataset"]]
    study = _study("bootstrap", case["dataset"])
    result = study.test(
        "bootstrap",
        alternative=ALT[case["alternative"]],
        mu=case["mu"],
        confidence_level=case["confidence_level"],
        n_resamples=spec["n_resamples"],
        seed=spec["seed"],
    )
    assert result.statistic == pytest.approx(case["statistic"], rel=RTOL)
    assert result.pvalue == pytest.approx(case["pvalue"], rel=1e-12)
    assert result.estimate == pytest.approx(case["estimate"], rel=RTOL)
    assert result.details["n_constant_resamples"] == case["n_constant"]
    low, high = (_inf(v) for v in case["ci"])
    assert result.ci.low == pytest.approx(low, rel=RTOL)
    assert result.ci.high == pytest.approx(high, rel=RTOL)
    if "boot_ci" in case:
        assert result.ci.low == pytest.approx(case["boot_ci"][0], rel=RTOL)
        assert result.ci.high == pytest.approx(case["boot_ci"][1], rel=RTOL)


def test_bootstrap_fixture_has_constant_resamples_and_boot_ci():
    assert any(c["n_constant"] > 0 for c in BOOT["cases"])
    assert sum("boot_ci" in c for c in BOOT["cases"]) >= 8


def test_bootstrap_distribution_matches_scipy_bootstrap():
    """scipy's bootstrap resamples with the same draw; its distribution of t* is ours."""
    from scipy import stats

    from pairedstudy.inference.bootstrap import studentized_replicates

    d = np.random.default_rng(2).normal(1, 2, 14)
    m = d.mean()

    def t_star(x, axis=-1):
        return (np.mean(x, axis=axis) - m) / (np.std(x, ddof=1, axis=axis) / math.sqrt(d.size))

    theirs = stats.bootstrap(
        (d,), t_star, n_resamples=999, rng=np.random.default_rng(9), method="percentile"
    ).bootstrap_distribution
    index = np.vstack(list(resample_indices(d.size, 999, 9)))
    ours, n_constant = studentized_replicates(d - m, index)
    assert n_constant == 0
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_bootstrap_constant_change_is_degenerate():
    study = ps.PairedStudy([1, 2, 3, 4], [2, 3, 4, 5])
    with pytest.raises(ps.DegenerateDataError, match="constant"):
        study.test("bootstrap")
    with pytest.raises(ps.DegenerateDataError):
        study.test("t")


def test_bootstrap_constant_resamples_are_counted_not_dropped():
    study = ps.PairedStudy([1, 2, 4], [2, 4, 5])
    result = study.test("bootstrap", n_resamples=999, seed=1)
    assert result.details["n_resamples"] == 999
    # changes 1, 2, 1: a resample is constant with probability (2/3)**3 + (1/3)**3 = 1/3
    assert 280 < result.details["n_constant_resamples"] < 390
    assert any("constant" in note for note in result.notes)


def test_bootstrap_too_few_resamples_warns_and_gives_infinite_limits():
    study = ps.datasets.oxytocin_massage()
    with pytest.warns(ps.SmallSampleWarning, match="n_resamples"):
        result = study.test("bootstrap", n_resamples=10)
    assert result.ci.low == -math.inf and result.ci.high == math.inf


# --------------------------------------------------------------------------------------
# yuen: WRS2's yuend transcribed in R

YUEN = REFERENCE["yuen"]["cases"]


@pytest.mark.parametrize("case", YUEN, ids=_id)
@pytest.mark.parametrize("on", ["arms", "differences"])
def test_yuen_matches_yuend(case, on):
    ref = case[on]
    study = _study("yuen", case["dataset"])
    kwargs = {"alternative": ALT[case["alternative"]], "mu": case["mu"], "trim": case["trim"]}
    if ref["se"] == 0:
        with pytest.raises(ps.DegenerateDataError, match="winsorized"):
            study.test("yuen", on=on, **kwargs)
        return
    result = study.test("yuen", on=on, **kwargs)
    assert result.method == f"trimmed t ({on})"
    assert result.df == ref["df"]
    assert result.statistic == pytest.approx(ref["statistic"], rel=RTOL, abs=1e-12)
    assert result.pvalue == pytest.approx(ref["pvalue"], rel=RTOL)
    assert result.estimate == pytest.approx(ref["estimate"], rel=RTOL, abs=1e-12)
    assert result.details["se"] == pytest.approx(ref["se"], rel=RTOL)
    low, high = (_inf(v) for v in ref["ci"])
    assert result.ci.low == pytest.approx(low, rel=RTOL)
    assert result.ci.high == pytest.approx(high, rel=RTOL)
    if case["alternative"] == "two.sided" and case["mu"] == 0:
        # WRS2's own p-value, 2 * (1 - pt(|t|)), is the same to about 1e-16 absolute
        assert result.pvalue == pytest.approx(ref["wrs2_pvalue"], rel=1e-6, abs=1e-15)
        assert result.ci.low == pytest.approx(ref["wrs2_ci"][0], rel=RTOL)
    if case["trim"] == 0:
        t = study.test("t", alternative=ALT[case["alternative"]], mu=case["mu"])
        assert result.statistic == pytest.approx(t.statistic, rel=1e-10)
        assert result.pvalue == pytest.approx(t.pvalue, rel=1e-9)


def test_yuen_cholesterol_example_of_wrs2():
    """WRS2's yuend example (Wilcox 2012): yuend(before, after) is tmean(before - ...)."""
    study = _study("yuen", "cholesterol")
    result = study.test("yuen")
    assert result.estimate == pytest.approx(211.0 + 2.0 / 3.0 - 240.0, rel=1e-12)
    assert result.df == 5.0
    assert result.details["trimmed_mean_pre"] == pytest.approx(240.0)
    arms = study.test("yuen", on="arms").pvalue
    diffs = study.test("yuen", on="differences").pvalue
    assert arms != pytest.approx(diffs)  # the two hypotheses differ


def test_yuen_trimmed_means_agree_with_scipy():
    from scipy import stats

    study = _study("yuen", "heavy_n23")
    for trim in (0.1, 0.2, 0.25, 0.4):
        result = study.test("yuen", trim=trim)
        expected = stats.trim_mean(study.post, trim) - stats.trim_mean(study.pre, trim)
        assert result.estimate == pytest.approx(expected, rel=1e-12)
        result = study.test("yuen", trim=trim, on="differences")
        assert result.estimate == pytest.approx(stats.trim_mean(study.change, trim), rel=1e-12)


# --------------------------------------------------------------------------------------
# properties

SEEDED = {
    "permutation": {"method": "exact"},
    "bootstrap": {"n_resamples": 499, "seed": 4},
    "yuen": {},
}

integer_pairs = st.integers(min_value=6, max_value=12).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(-20, 20), min_size=n, max_size=n),
        st.lists(st.integers(-20, 20), min_size=n, max_size=n),
    )
)


def _run(pre, post, name, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        return ps.PairedStudy(pre, post).test(name, **{**SEEDED[name], **kwargs})


def _defined(pre, post, name):
    try:
        return _run(pre, post, name)
    except ps.DegenerateDataError:
        return None


@pytest.mark.parametrize("name", list(SEEDED))
@given(data=integer_pairs, shift=st.integers(-1000, 1000))
def test_shifting_both_arms_leaves_the_test_unchanged(name, data, shift):
    pre, post = data
    base = _defined(pre, post, name)
    if base is None:
        return
    moved = _run([x + shift for x in pre], [x + shift for x in post], name)
    # the changes are the same integers; a trimmed mean of shifted values may round apart
    assert moved.pvalue == pytest.approx(base.pvalue, rel=1e-12)
    assert moved.estimate == pytest.approx(base.estimate, rel=1e-12, abs=1e-12)
    assert moved.ci.low == pytest.approx(base.ci.low, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", list(SEEDED))
@given(data=integer_pairs, mu=st.sampled_from([0.0, 0.5, -1.0]))
def test_swapping_pre_and_post_mirrors_the_alternative(name, data, mu):
    pre, post = data
    base = _defined(pre, post, name)
    if base is None:
        return
    for alternative, mirror in (("less", "greater"), ("greater", "less"), ("two-sided",) * 2):
        one = _run(pre, post, name, alternative=alternative, mu=mu)
        other = _run(post, pre, name, alternative=mirror, mu=-mu)
        assert other.pvalue == pytest.approx(one.pvalue, rel=1e-12)
        assert other.estimate == pytest.approx(-one.estimate, rel=1e-12, abs=1e-12)
        assert other.ci.low == pytest.approx(-one.ci.high, rel=1e-12, abs=1e-12)
        assert other.ci.high == pytest.approx(-one.ci.low, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", list(SEEDED))
@given(data=integer_pairs, power=st.integers(-40, 40))
def test_rescaling_by_a_power_of_two_is_exact(name, data, power):
    pre, post = data
    base = _defined(pre, post, name)
    if base is None:
        return
    factor = 2.0**power
    scaled = _run([x * factor for x in pre], [x * factor for x in post], name, mu=0.0)
    assert scaled.pvalue == base.pvalue
    assert scaled.statistic == base.statistic * (factor if name == "permutation" else 1.0)
    assert scaled.estimate == base.estimate * factor
    assert scaled.ci.low == base.ci.low * factor
    assert scaled.ci.high == base.ci.high * factor


@pytest.mark.parametrize("name", list(SEEDED))
@given(
    data=integer_pairs,
    alternative=st.sampled_from(["two-sided", "less", "greater"]),
    level=st.sampled_from([0.8, 0.9, 0.95]),
)
def test_pvalue_is_a_probability_and_the_interval_holds_the_estimate(
    name, data, alternative, level
):
    pre, post = data
    if _defined(pre, post, name) is None:
        return
    result = _run(pre, post, name, alternative=alternative, confidence_level=level)
    assert 0.0 <= result.pvalue <= 1.0
    assert result.ci.contains(result.estimate)


@settings(max_examples=25)
@given(
    values=st.lists(
        st.floats(-100, 100, allow_nan=False).map(lambda x: round(x, 3)), min_size=8, max_size=14
    ),
    alternative=st.sampled_from(["two-sided", "less", "greater"]),
)
def test_permutation_interval_is_the_set_the_test_does_not_reject(values, alternative):
    change = np.array(values)
    if np.unique(change).size < change.size:
        return
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


def test_bootstrap_interval_is_the_set_the_test_does_not_reject():
    study = _study("bootstrap", "skewed_n15")
    options = {"n_resamples": 999, "seed": 2}
    for alternative in ("two-sided", "less", "greater"):
        result = study.test("bootstrap", alternative=alternative, confidence_level=0.9, **options)
        for limit, outward in ((result.ci.low, -1.0), (result.ci.high, 1.0)):
            if not math.isfinite(limit):
                continue
            step = 1e-6 * max(1.0, abs(limit))
            inside = study.test(
                "bootstrap", alternative=alternative, mu=limit - outward * step, **options
            )
            outside = study.test(
                "bootstrap", alternative=alternative, mu=limit + outward * step, **options
            )
            assert inside.pvalue > 0.1 >= outside.pvalue


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


@pytest.mark.parametrize("name", ["permutation", "bootstrap"])
def test_seeded_results_are_reproducible(name):
    study = ps.datasets.oxytocin_massage()
    options = {"method": "monte-carlo"} if name == "permutation" else {}
    one = study.test(name, seed=123, n_resamples=2000, **options)
    two = study.test(name, seed=123, n_resamples=2000, **options)
    assert one.to_dict() == two.to_dict()
    assert one.details["seed"] == 123
    default = study.test(name, **options)
    assert default.details["seed"] == 0
    assert default.to_dict() == study.test(name, **options).to_dict()
    fresh = study.test(name, seed=None, n_resamples=2000, **options)
    again = study.test(name, seed=fresh.details["seed"], n_resamples=2000, **options)
    assert fresh.to_dict() == again.to_dict()


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


# --------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize("trim", [-0.1, 0.5, 0.7, float("nan"), float("inf")])
def test_trim_out_of_range_is_refused(trim):
    study = ps.datasets.oxytocin_massage()
    with pytest.raises(ps.InputValueError, match=r"trim must lie in \[0, 0\.5\)") as info:
        study.test("yuen", trim=trim)
    assert repr(trim) in str(info.value)


@pytest.mark.parametrize("trim", ["0.2", None, True, [0.2]])
def test_trim_must_be_a_number(trim):
    with pytest.raises(ps.InputTypeError, match="trim must be a number"):
        ps.datasets.oxytocin_massage().test("yuen", trim=trim)


def test_too_few_pairs_after_trimming():
    study = ps.PairedStudy([1, 2, 5], [2, 4, 4])
    with pytest.raises(ps.InputValueError, match=r"leaving h = 1.*smaller trim"):
        study.test("yuen", trim=0.4)
    assert study.test("yuen", trim=0.3).df == 2.0


def test_unknown_on_is_refused():
    with pytest.raises(ps.InputValueError, match="on must be one of 'arms', 'differences'"):
        ps.datasets.oxytocin_massage().test("yuen", on="changes")


@pytest.mark.parametrize("name", ["permutation", "bootstrap"])
@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0, ps.InputValueError),
        (-5, ps.InputValueError),
        (2.5, ps.InputTypeError),
        (True, ps.InputTypeError),
        ("100", ps.InputTypeError),
    ],
)
def test_n_resamples_must_be_a_positive_integer(name, value, error):
    with pytest.raises(error, match="n_resamples must be a positive integer"):
        ps.datasets.oxytocin_massage().test(name, n_resamples=value)


@pytest.mark.parametrize("name", ["permutation", "bootstrap"])
@pytest.mark.parametrize(("value", "error"), [(-1, ps.InputValueError), (1.5, ps.InputTypeError)])
def test_seed_must_be_a_non_negative_integer(name, value, error):
    study = ps.PairedStudy(np.arange(30.0), np.arange(30.0) ** 1.1)
    with pytest.raises(error, match="seed must be a non-negative integer"):
        study.test(name, seed=value)


def test_unknown_method_is_refused():
    with pytest.raises(ps.InputValueError, match="method must be one of 'auto', 'exact'"):
        ps.datasets.oxytocin_massage().test("permutation", method="asymptotic")


def test_exact_refuses_large_n_with_advice():
    n = EXACT_LIMIT + 1
    study = ps.PairedStudy(np.arange(n, dtype=float), np.arange(n) + np.linspace(-1, 2, n))
    with pytest.raises(ps.InputValueError, match=rf"at most n = {EXACT_LIMIT}.*monte-carlo"):
        study.test("permutation", method="exact")


@pytest.mark.parametrize("name", ["permutation", "bootstrap", "yuen"])
def test_unknown_options_are_refused_by_the_registry(name):
    with pytest.raises(ps.InputTypeError, match="unknown option"):
        ps.datasets.oxytocin_massage().test(name, random_state=1)
