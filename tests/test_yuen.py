"""The "yuen" test (trimmed means): WRS2's yuend transcribed in R, scipy, bad input.

Reference values come from tests/reference/make_resampling_and_trimmed.R (WRS2's yuend
transcribed), committed as r_resampling_and_trimmed.json; R is not needed to run these
tests. Properties shared with "permutation" and "bootstrap" are in
test_permutation_bootstrap_yuen.py.
"""

import pytest
from _data import R_ALTERNATIVE, case_id, oxytocin, r_number, reference, reference_study

import pairedstudy as ps

REFERENCE = reference("r_resampling_and_trimmed.json")
RTOL = 1e-8


YUEN = REFERENCE["yuen"]["cases"]


@pytest.mark.parametrize("case", YUEN, ids=case_id)
@pytest.mark.parametrize("on", ["arms", "differences"])
def test_yuen_matches_yuend(case, on):
    ref = case[on]
    study = reference_study(REFERENCE, "yuen", case["dataset"])
    kwargs = {
        "alternative": R_ALTERNATIVE[case["alternative"]],
        "mu": case["mu"],
        "trim": case["trim"],
    }
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
    low, high = (r_number(v) for v in ref["ci"])
    assert result.ci.low == pytest.approx(low, rel=RTOL)
    assert result.ci.high == pytest.approx(high, rel=RTOL)
    if case["alternative"] == "two.sided" and case["mu"] == 0:
        # WRS2's own p-value, 2 * (1 - pt(|t|)), is the same to about 1e-16 absolute
        assert result.pvalue == pytest.approx(ref["wrs2_pvalue"], rel=1e-6, abs=1e-15)
        assert result.ci.low == pytest.approx(ref["wrs2_ci"][0], rel=RTOL)
    if case["trim"] == 0:
        t = study.test("t", alternative=R_ALTERNATIVE[case["alternative"]], mu=case["mu"])
        assert result.statistic == pytest.approx(t.statistic, rel=1e-10)
        assert result.pvalue == pytest.approx(t.pvalue, rel=1e-9)


def test_yuen_cholesterol_example_of_wrs2():
    """WRS2's yuend example (Wilcox 2012): yuend(before, after) is tmean(before - ...)."""
    study = reference_study(REFERENCE, "yuen", "cholesterol")
    result = study.test("yuen")
    assert result.estimate == pytest.approx(211.0 + 2.0 / 3.0 - 240.0, rel=1e-12)
    assert result.df == 5.0
    assert result.details["trimmed_mean_pre"] == pytest.approx(240.0)
    arms = study.test("yuen", on="arms").pvalue
    diffs = study.test("yuen", on="differences").pvalue
    assert arms != pytest.approx(diffs)  # the two hypotheses differ


def test_yuen_trimmed_means_agree_with_scipy():
    from scipy import stats

    study = reference_study(REFERENCE, "yuen", "heavy_n23")
    for trim in (0.1, 0.2, 0.25, 0.4):
        result = study.test("yuen", trim=trim)
        expected = stats.trim_mean(study.post, trim) - stats.trim_mean(study.pre, trim)
        assert result.estimate == pytest.approx(expected, rel=1e-12)
        result = study.test("yuen", trim=trim, on="differences")
        assert result.estimate == pytest.approx(stats.trim_mean(study.change, trim), rel=1e-12)


@pytest.mark.parametrize("trim", [-0.1, 0.5, 0.7, float("nan"), float("inf")])
def test_trim_out_of_range_is_refused(trim):
    study = oxytocin()
    with pytest.raises(ps.InputValueError, match=r"trim must lie in \[0, 0\.5\)") as info:
        study.test("yuen", trim=trim)
    assert repr(trim) in str(info.value)


@pytest.mark.parametrize("trim", ["0.2", None, True, [0.2]])
def test_trim_must_be_a_number(trim):
    with pytest.raises(ps.InputTypeError, match="trim must be a number"):
        oxytocin().test("yuen", trim=trim)


def test_too_few_pairs_after_trimming():
    study = ps.PairedStudy([1, 2, 5], [2, 4, 4])
    with pytest.raises(ps.InputValueError, match=r"leaving h = 1.*smaller trim"):
        study.test("yuen", trim=0.4)
    assert study.test("yuen", trim=0.3).df == 2.0


def test_unknown_on_is_refused():
    with pytest.raises(ps.InputValueError, match="on must be one of 'arms', 'differences'"):
        oxytocin().test("yuen", on="changes")
