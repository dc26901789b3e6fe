"""Tests on studies with incomplete pairs: the kernel against R, and its invariants.

Reference values come from tests/fixtures/make_partial_overlap.R (R's
Partiallyoverlapping 2.0 ``Partover.test`` for "partial-t"; transcriptions of Looney & Jones
2003 and Kim et al. 2005 written in that script), committed as r_partial_overlap.json; R is
not needed to run these tests. The kernel is called on plain arrays here; the registered
tests on studies are checked in test_partial_overlap_study.py.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.inference.partial import (
    MCAR_NOTE,
    kim_rows,
    looney_jones_rows,
    partial_moments,
    partial_t_rows,
)

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "r_partial_overlap.json").read_text(encoding="utf-8")
)
CASES = FIXTURE["cases"]
ALTERNATIVES = ("two-sided", "less", "greater")
RTOL = 1e-10  # the JSON holds 15 significant digits


def _number(value):
    return {"Inf": math.inf, "-Inf": -math.inf}.get(value, value)


def _arrays(case):
    return [np.array(case[k], dtype=float).reshape(1, -1) for k in ARMS]


ARMS = ("pre", "post", "pre_only", "post_only")


def _close(got, expected, rtol=RTOL):
    expected = _number(expected)
    if math.isinf(expected):
        return got == expected
    return got == pytest.approx(expected, rel=rtol, abs=1e-13)


def _check_rows(rows, ref, *, df=True):
    assert _close(rows.statistic[0], ref["statistic"])
    assert _close(rows.pvalue[0], ref["p"])
    assert _close(rows.estimate[0], ref["estimate"])
    assert _close(rows.ci_low[0], ref["ci"][0])
    assert _close(rows.ci_high[0], ref["ci"][1])
    if df:
        assert _close(rows.df[0], ref["df"])
    else:
        assert math.isnan(rows.df[0])


def case_id(case):
    return case["name"]


def test_the_published_example_gives_p_0026():
    """Derrick, Toher & White (2017): 8 pairs, 8 unpaired per arm, var.equal, p = 0.026."""
    case = CASES[0]
    assert case["name"] == "published example"
    rows = partial_t_rows(
        partial_moments(*_arrays(case)),
        var_equal=True,
        alternative="two-sided",
        mu=0.0,
        confidence_level=0.95,
    )
    assert round(float(rows.pvalue[0]), 3) == 0.026
    assert rows.estimate[0] == 2.0  # mean(a) - mean(b): "a" is post, "b" is pre
    assert rows.df[0] == 18.5
    assert rows.pvalue[0] == pytest.approx(FIXTURE["meta"]["published_example_p"], rel=RTOL)


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("var_equal", [False, True])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_partial_t_matches_partover_test(case, var_equal, alternative):
    ref = case["partial_t"]["var_equal" if var_equal else "welch"][alternative]
    rows = partial_t_rows(
        partial_moments(*_arrays(case)),
        var_equal=var_equal,
        alternative=alternative,
        mu=case["mu"],
        confidence_level=case["confidence_level"],
    )
    _check_rows(rows, ref)


def test_partover_test_greater_p_value_is_wrong_for_a_negative_t():
    """R's "greater" p-value is pt(-|t|): right for t >= 0 only; the kernel's is the tail."""
    seen = 0
    for case in CASES:
        ref = case["partial_t"]["welch"]["greater"]
        if ref["statistic"] < 0:
            seen += 1
            assert ref["p_greater_r"] < 0.5 < ref["p"]
            assert ref["p"] + ref["p_greater_r"] == pytest.approx(1.0, rel=1e-12)
        else:
            assert ref["p"] == pytest.approx(ref["p_greater_r"], rel=1e-12)
    assert seen  # the fixture holds such a case


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_looney_jones_matches_the_transcription(case, alternative):
    moments = partial_moments(*_arrays(case))
    rows = looney_jones_rows(
        moments, alternative=alternative, mu=case["mu"], confidence_level=case["confidence_level"]
    )
    if not case["looney_jones"]:  # R's sqrt of a negative variance estimate
        assert rows.degenerate[0] and math.isnan(rows.statistic[0])
        assert "negative" in rows.notes[0].text
        return
    _check_rows(rows, case["looney_jones"][alternative], df=False)
    assert rows.method == "asymptotic (normal)"


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_kim_t3_matches_the_transcription(case, alternative):
    moments = partial_moments(*_arrays(case))
    if not case["kim_t"]:  # one half on a side: its variance is undefined
        with pytest.raises(ps.DegenerateDataError, match="needs the variance of the"):
            kim_rows(moments, alternative=alternative, mu=0.0, confidence_level=0.95)
        return
    rows = kim_rows(
        moments, alternative=alternative, mu=case["mu"], confidence_level=case["confidence_level"]
    )
    _check_rows(rows, case["kim_t"][alternative], df=False)


@pytest.mark.parametrize("case", [c for c in CASES if "paired_t" in c], ids=case_id)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_without_halves_partial_t_is_the_paired_t(case, alternative):
    """No incomplete pairs: T_new2 is the paired t, figure for figure (also R's t.test)."""
    study = ps.PairedStudy(case["pre"], case["post"])
    kwargs = {
        "alternative": alternative,
        "mu": case["mu"],
        "confidence_level": case["confidence_level"],
    }
    paired = ps.get_test("t")(study, **kwargs)
    rows = partial_t_rows(partial_moments(*_arrays(case)), var_equal=False, **kwargs)
    assert rows.statistic[0] == paired.statistic
    assert rows.df[0] == paired.df
    assert rows.pvalue[0] == paired.pvalue
    assert rows.estimate[0] == paired.estimate
    assert (rows.ci_low[0], rows.ci_high[0]) == (paired.ci.low, paired.ci.high)
    _check_rows(rows, case["paired_t"][alternative])


# --- invariants (hypothesis) ------------------------------------------------------------

values = st.integers(-500, 500).map(lambda v: v / 8.0)  # exact in binary: shifts stay exact


@st.composite
def datasets(draw, min_pairs=2, max_halves=8):
    n = draw(st.integers(min_pairs, 12))
    a = draw(st.integers(0, max_halves))
    b = draw(st.integers(0, max_halves))
    arrays = [
        np.array(draw(st.lists(values, min_size=k, max_size=k)), dtype=float).reshape(1, -1)
        for k in (n, n, a, b)
    ]
    return arrays


TESTS = {
    "partial-t": lambda m, **kw: partial_t_rows(m, var_equal=False, **kw),
    "partial-t (var_equal)": lambda m, **kw: partial_t_rows(m, var_equal=True, **kw),
    "looney-jones": looney_jones_rows,
    "kim-t": kim_rows,
}


def _run(name, arrays, **kwargs):
    kwargs = {"alternative": "two-sided", "mu": 0.0, "confidence_level": 0.95, **kwargs}
    try:
        rows = TESTS[name](partial_moments(*arrays), **kwargs)
    except ps.DegenerateDataError:
        assume(False)
    assume(not rows.degenerate[0])
    return rows


def _figures(rows):
    return [float(getattr(rows, f)[0]) for f in ("statistic", "pvalue", "estimate")]


@pytest.mark.parametrize("name", TESTS)
@given(data=datasets(), c=st.integers(-100, 100).map(float))
def test_a_common_shift_changes_nothing(name, data, c):
    base = _run(name, data)
    shifted = _run(name, [x + c for x in data])
    assert _figures(shifted) == pytest.approx(_figures(base), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("name", TESTS)
@given(data=datasets(), c=st.integers(-100, 100).map(float), mu=st.integers(-3, 3).map(float))
def test_shifting_the_follow_up_moves_estimate_and_interval_only(name, data, c, mu):
    pre, post, pre_only, post_only = data
    base = _run(name, data, mu=mu)
    moved = _run(name, [pre, post + c, pre_only, post_only + c], mu=mu + c)
    assert moved.estimate[0] == pytest.approx(base.estimate[0] + c, rel=1e-9, abs=1e-9)
    assert moved.ci_low[0] == pytest.approx(base.ci_low[0] + c, rel=1e-9, abs=1e-9)
    assert moved.ci_high[0] == pytest.approx(base.ci_high[0] + c, rel=1e-9, abs=1e-9)
    assert moved.statistic[0] == pytest.approx(base.statistic[0], rel=1e-8, abs=1e-9)
    assert moved.pvalue[0] == pytest.approx(base.pvalue[0], rel=1e-8, abs=1e-12)


@pytest.mark.parametrize("name", TESTS)
@given(data=datasets(), alternative=st.sampled_from(ALTERNATIVES))
def test_swapping_pre_and_post_mirrors_everything(name, data, alternative):
    pre, post, pre_only, post_only = data
    flipped = {"less": "greater", "greater": "less", "two-sided": "two-sided"}[alternative]
    base = _run(name, data, alternative=alternative)
    swapped = _run(name, [post, pre, post_only, pre_only], alternative=flipped)
    assert swapped.statistic[0] == pytest.approx(-base.statistic[0], rel=1e-9, abs=1e-12)
    assert swapped.estimate[0] == pytest.approx(-base.estimate[0], rel=1e-9, abs=1e-12)
    assert swapped.pvalue[0] == pytest.approx(base.pvalue[0], rel=1e-8, abs=1e-14)
    assert swapped.ci_low[0] == pytest.approx(-base.ci_high[0], rel=1e-9, abs=1e-12)
    assert swapped.ci_high[0] == pytest.approx(-base.ci_low[0], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", TESTS)
@given(data=datasets(), exponent=st.integers(-80, 80), factor=st.sampled_from([0.3, 1.0, 7.0]))
def test_rescaling_scales_estimate_and_interval_only(name, data, exponent, factor):
    scale = factor * 2.0**exponent
    base = _run(name, data)
    scaled = _run(name, [x * scale for x in data])
    assert scaled.statistic[0] == pytest.approx(base.statistic[0], rel=1e-9, abs=1e-12)
    assert scaled.pvalue[0] == pytest.approx(base.pvalue[0], rel=1e-8, abs=1e-14)
    assert scaled.estimate[0] == pytest.approx(base.estimate[0] * scale, rel=1e-9, abs=0)
    assert scaled.ci_low[0] == pytest.approx(base.ci_low[0] * scale, rel=1e-9, abs=0)


@pytest.mark.parametrize("name", TESTS)
@given(
    data=datasets(),
    alternative=st.sampled_from(ALTERNATIVES),
    mu=st.integers(-3, 3).map(float),
    level=st.floats(0.5, 0.999),
)
def test_p_in_unit_interval_and_interval_contains_estimate(name, data, alternative, mu, level):
    rows = _run(name, data, alternative=alternative, mu=mu, confidence_level=level)
    assert 0.0 <= rows.pvalue[0] <= 1.0
    assert rows.ci_low[0] <= rows.estimate[0] <= rows.ci_high[0]
    # the interval is the set of mu that the test does not reject at 1 - level
    if alternative == "two-sided" and rows.ci_high[0] > rows.ci_low[0]:
        edge = _run(name, data, alternative=alternative, mu=float(rows.ci_high[0]))
        assert edge.pvalue[0] == pytest.approx(1.0 - level, rel=1e-6, abs=1e-12)


@given(data=datasets(max_halves=0), alternative=st.sampled_from(ALTERNATIVES))
def test_no_halves_partial_t_equals_the_paired_t_always(data, alternative):
    pre, post = data[0][0], data[1][0]
    study = ps.PairedStudy(pre, post)
    try:
        paired = ps.get_test("t")(study, alternative=alternative)
    except ps.DegenerateDataError:
        rows = partial_t_rows(
            partial_moments(*data), alternative=alternative, mu=0.0, confidence_level=0.95
        )
        assert rows.degenerate[0]
        return
    rows = partial_t_rows(
        partial_moments(*data), alternative=alternative, mu=0.0, confidence_level=0.95
    )
    assert _figures(rows) == [paired.statistic, paired.pvalue, paired.estimate]
    assert (rows.df[0], rows.ci_low[0], rows.ci_high[0]) == (
        paired.df,
        paired.ci.low,
        paired.ci.high,
    )


def test_t_new1_without_halves_is_the_pooled_variance_paired_t():
    """T_new1 without halves: t = dbar / sqrt((s1² + s2²)(1 - r) / n), df = n - 1."""
    rng = np.random.default_rng(5)
    pre = rng.normal(10, 1, 9)
    post = pre * 0.4 + rng.normal(7, 2, 9)
    rows = partial_t_rows(
        partial_moments(pre[None], post[None], np.empty((1, 0)), np.empty((1, 0))),
        var_equal=True,
        alternative="two-sided",
        mu=0.0,
        confidence_level=0.95,
    )
    r = np.corrcoef(pre, post)[0, 1]
    s1, s2 = pre.std(ddof=1), post.std(ddof=1)
    t = (post - pre).mean() / math.sqrt((s1**2 + s2**2) * (1 - r) / 9)
    assert rows.statistic[0] == pytest.approx(t, rel=1e-12)
    assert rows.df[0] == 8.0


def test_the_kernel_runs_many_replicates_as_one_row_each():
    rng = np.random.default_rng(11)
    arrays = [rng.normal(size=(50, k)) for k in (6, 6, 3, 4)]
    many = partial_t_rows(
        partial_moments(*arrays), alternative="less", mu=0.1, confidence_level=0.9
    )
    for i in (0, 17, 49):
        one = partial_t_rows(
            partial_moments(*[x[i : i + 1] for x in arrays]),
            alternative="less",
            mu=0.1,
            confidence_level=0.9,
        )
        for field in ("statistic", "pvalue", "df", "estimate", "ci_low", "ci_high"):
            assert getattr(many, field)[i] == getattr(one, field)[0]


# --- bad input ------------------------------------------------------------------------


def test_fewer_than_two_pairs_is_refused_naming_the_figure():
    one = np.ones((1, 1))
    with pytest.raises(ps.DegenerateDataError, match="at least 2 complete pairs.*got 1"):
        partial_moments(one, one + 1, np.ones((1, 3)), np.ones((1, 3)))


def test_constant_data_is_degenerate():
    pre = np.array([[5.0, 5.0, 5.0]])
    rows = partial_t_rows(
        partial_moments(pre, pre + 1, np.array([[5.0]]), np.array([[6.0, 6.0]])),
        alternative="two-sided",
        mu=0.0,
        confidence_level=0.95,
    )
    assert rows.degenerate[0] and math.isnan(rows.pvalue[0])
    assert "standard error is 0" in rows.notes[0].text


def test_bad_arrays_are_refused():
    good = np.ones((1, 3))
    with pytest.raises(ps.InputValueError, match="same shape"):
        partial_moments(good, np.ones((1, 4)), good, good)
    with pytest.raises(ps.InputValueError, match="as many rows"):
        partial_moments(good, good, np.ones((2, 3)), good)
    with pytest.raises(ps.InputValueError, match="finite"):
        partial_moments(good, good, np.array([[np.nan]]), good)
    with pytest.raises(ps.InputValueError, match="2-D"):
        partial_moments(np.ones(3), good, good, good)


def test_the_mcar_note_names_the_assumption():
    assert "missing completely at random" in MCAR_NOTE
