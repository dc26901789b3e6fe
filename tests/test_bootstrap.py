"""The "bootstrap" test: the same resamples in R (base R and boot::boot.ci), scipy, its interval.

Reference values come from tests/reference/make_resampling_and_trimmed.R (a base-R
studentized bootstrap and boot::boot.ci fed the same resample indices), committed as
r_resampling_and_trimmed.json; R is not needed to run these tests. Properties and seed
checks shared with "permutation" and "yuen" are in test_permutation_bootstrap_yuen.py.
"""

import math

import numpy as np
import pytest
from _data import R_ALTERNATIVE, case_id, oxytocin, r_number, reference, reference_study

import pairedstudy as ps
from pairedstudy.inference.bootstrap import resample_indices

REFERENCE = reference("r_resampling_and_trimmed.json")
RTOL = 1e-8


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


@pytest.mark.parametrize("case", BOOT["cases"], ids=case_id)
def test_bootstrap_matches_r_with_the_same_resamples(case):
    spec = BOOT["inputs"][case["dataset"]]
    study = reference_study(REFERENCE, "bootstrap", case["dataset"])
    result = study.test(
        "bootstrap",
        alternative=R_ALTERNATIVE[case["alternative"]],
        mu=case["mu"],
        confidence_level=case["confidence_level"],
        n_resamples=spec["n_resamples"],
        seed=spec["seed"],
    )
    assert result.statistic == pytest.approx(case["statistic"], rel=RTOL)
    assert result.pvalue == pytest.approx(case["pvalue"], rel=1e-12)
    assert result.estimate == pytest.approx(case["estimate"], rel=RTOL)
    assert result.details["n_constant_resamples"] == case["n_constant"]
    low, high = (r_number(v) for v in case["ci"])
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
    study = oxytocin()
    with pytest.warns(ps.SmallSampleWarning, match="n_resamples"):
        result = study.test("bootstrap", n_resamples=10)
    assert result.ci.low == -math.inf and result.ci.high == math.inf


def test_bootstrap_interval_is_the_set_the_test_does_not_reject():
    study = reference_study(REFERENCE, "bootstrap", "skewed_n15")
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
