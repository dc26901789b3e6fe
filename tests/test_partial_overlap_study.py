"""The registered tests "partial-t", "looney-jones" and "kim-t" on studies with dropouts.

A study keeps the observed halves of its incomplete pairs (``missing="drop"``); these tests
use them. Reference values: tests/fixtures/r_partial_overlap.json (see
test_partial_overlap.py).
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import pairedstudy as ps
import pairedstudy.inference.partial  # registers the tests
from pairedstudy.inference.partial import ESTIMATE_NAME, KIM_ESTIMATE_NAME

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "r_partial_overlap.json").read_text(encoding="utf-8")
)
CASES = FIXTURE["cases"]
ALTERNATIVES = ("two-sided", "less", "greater")
RTOL = 1e-10
NAMES = ("partial-t", "looney-jones", "kim-t")


def _number(value):
    return {"Inf": math.inf, "-Inf": -math.inf}.get(value, value)


def _study(case_or_arrays, subjects=False):
    """A study whose incomplete pairs hold the halves (NaN for the missing value)."""
    if isinstance(case_or_arrays, dict):
        pre, post = case_or_arrays["pre"], case_or_arrays["post"]
        pre_only, post_only = case_or_arrays["pre_only"], case_or_arrays["post_only"]
    else:
        pre, post, pre_only, post_only = (list(map(float, x)) for x in case_or_arrays)
    nan = math.nan
    full_pre = list(pre) + list(pre_only) + [nan] * len(post_only)
    full_post = list(post) + [nan] * len(pre_only) + list(post_only)
    labels = [f"S{i:02d}" for i in range(len(full_pre))] if subjects else None
    return ps.PairedStudy(full_pre, full_post, subjects=labels, missing="drop")


def _check(result, ref, *, df=True):
    assert result.statistic == pytest.approx(ref["statistic"], rel=RTOL, abs=1e-13)
    assert result.pvalue == pytest.approx(ref["p"], rel=RTOL, abs=1e-15)
    assert result.estimate == pytest.approx(ref["estimate"], rel=RTOL, abs=1e-13)
    for got, expected in zip((result.ci.low, result.ci.high), ref["ci"], strict=True):
        expected = _number(expected)
        if math.isinf(expected):
            assert got == expected
        else:
            assert got == pytest.approx(expected, rel=RTOL, abs=1e-13)
    if df:
        assert result.df == pytest.approx(ref["df"], rel=RTOL)
    else:
        assert result.df is None


def case_id(case):
    return case["name"]


def test_the_study_keeps_the_halves_in_input_order():
    case = CASES[1]
    study = _study(case)
    assert study.n == len(case["pre"])
    assert list(study.pre_only) == case["pre_only"]
    assert list(study.post_only) == case["post_only"]


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("var_equal", [False, True])
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_partial_t_matches_partover_test(case, var_equal, alternative):
    ref = case["partial_t"]["var_equal" if var_equal else "welch"][alternative]
    result = _study(case).test(
        "partial-t",
        alternative=alternative,
        mu=case["mu"],
        confidence_level=case["confidence_level"],
        var_equal=var_equal,
    )
    _check(result, ref)
    assert result.n == len(case["pre"])
    assert result.details["n_pre_only"] == len(case["pre_only"])
    assert result.details["n_post_only"] == len(case["post_only"])
    assert result.details["var_equal"] is var_equal
    assert result.estimate_name == ESTIMATE_NAME


def test_the_published_example_through_a_study():
    """Derrick, Toher & White (2017): p = 0.026 with var.equal = TRUE."""
    result = _study(CASES[0]).test("partial-t", var_equal=True)
    assert f"{result.pvalue:.3f}" == "0.026"
    assert result.estimate == 2.0 and result.df == 18.5
    assert "T_new1" in result.title


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_looney_jones_matches_the_transcription(case, alternative):
    study = _study(case)
    kwargs = {
        "alternative": alternative,
        "mu": case["mu"],
        "confidence_level": case["confidence_level"],
    }
    if not case["looney_jones"]:
        with pytest.raises(ps.DegenerateDataError, match="0 or negative"):
            study.test("looney-jones", **kwargs)
        return
    result = study.test("looney-jones", **kwargs)
    _check(result, case["looney_jones"][alternative], df=False)
    assert result.statistic_name == "z"


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_kim_t3_matches_the_transcription(case, alternative):
    study = _study(case)
    kwargs = {
        "alternative": alternative,
        "mu": case["mu"],
        "confidence_level": case["confidence_level"],
    }
    if not case["kim_t"]:
        with pytest.raises(ps.DegenerateDataError, match="there is 1 of them"):
            study.test("kim-t", **kwargs)
        return
    result = study.test("kim-t", **kwargs)
    ref = case["kim_t"][alternative]
    _check(result, ref, df=False)
    assert result.details["n_h"] == pytest.approx(ref["nh"], rel=1e-15)
    assert result.estimate_name == KIM_ESTIMATE_NAME


@pytest.mark.parametrize("name", NAMES)
def test_every_result_states_the_mcar_assumption_and_the_counts(name):
    result = _study(CASES[1]).test(name)
    text = " ".join(result.notes)
    assert "missing completely at random" in text
    assert "10 complete pairs, 3 baseline-only and 4 follow-up-only" in text
    assert "missing completely at random" in str(result)


def test_kim_says_which_halves_it_did_not_use():
    case = next(c for c in CASES if c["name"].startswith("normal n=6 pre_only=0"))
    result = _study(case).test("kim-t")
    assert result.details["n_h"] == 0.0
    assert any("5 follow-up-only observation(s) were not used" in n for n in result.notes)
    # t3 is then the paired statistic on the complete pairs
    paired = ps.PairedStudy(case["pre"], case["post"]).test("t")
    assert result.statistic == pytest.approx(paired.statistic, rel=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_the_registry_knows_them_as_tests_that_use_the_halves(name):
    entry = ps.registry.get_registered(name)
    assert entry.kind == "location"
    assert entry.uses_unpaired is True
    assert entry.origin == "built-in"
    assert entry.statistic_name == {"partial-t": "t", "looney-jones": "z", "kim-t": "t3"}[name]


@pytest.mark.parametrize("alternative", ALTERNATIVES)
@pytest.mark.parametrize("mu", [0.0, 0.25])
def test_without_incomplete_pairs_partial_t_is_the_paired_t(alternative, mu):
    study = ps.datasets.oxytocin_massage()
    kwargs = {"alternative": alternative, "mu": mu, "confidence_level": 0.9}
    partial = study.test("partial-t", **kwargs)
    paired = study.test("t", **kwargs)
    assert (partial.statistic, partial.df, partial.pvalue, partial.estimate) == (
        paired.statistic,
        paired.df,
        paired.pvalue,
        paired.estimate,
    )
    assert (partial.ci.low, partial.ci.high) == (paired.ci.low, paired.ci.high)
    assert partial.method == paired.method == "exact"
    assert any("is the paired t-test" in n for n in partial.notes)


def test_test_batch_runs_them_study_by_study():
    rng = np.random.default_rng(4)
    pre = rng.normal(10, 1, (3, 12))
    post = pre + rng.normal(0.5, 1, (3, 12))
    batch = ps.test_batch("partial-t", pre, post)
    for i in range(3):
        single = ps.PairedStudy(pre[i], post[i]).test("t")
        assert batch.statistic[i] == single.statistic
        assert batch.pvalue[i] == single.pvalue


# --- properties through the study ------------------------------------------------------

values = st.integers(-400, 400).map(lambda v: v / 4.0)


@st.composite
def studies(draw):
    n = draw(st.integers(2, 10))
    a = draw(st.integers(0, 6))
    b = draw(st.integers(0, 6))
    return [draw(st.lists(values, min_size=k, max_size=k)) for k in (n, n, a, b)]


def _result(name, arrays, **kwargs):
    try:
        return _study(arrays).test(name, **kwargs)
    except ps.DegenerateDataError:
        assume(False)


@pytest.mark.parametrize("name", NAMES)
@given(data=studies(), alternative=st.sampled_from(ALTERNATIVES))
def test_swapping_pre_and_post_through_the_study(name, data, alternative):
    pre, post, pre_only, post_only = data
    flipped = {"less": "greater", "greater": "less", "two-sided": "two-sided"}[alternative]
    base = _result(name, data, alternative=alternative)
    swapped = _result(name, [post, pre, post_only, pre_only], alternative=flipped)
    assert swapped.statistic == pytest.approx(-base.statistic, rel=1e-9, abs=1e-12)
    assert swapped.pvalue == pytest.approx(base.pvalue, rel=1e-8, abs=1e-14)
    assert swapped.ci.low == pytest.approx(-base.ci.high, rel=1e-9, abs=1e-12)
    assert 0.0 <= base.pvalue <= 1.0
    assert base.ci.low <= base.estimate <= base.ci.high


@given(data=studies(), c=st.integers(-50, 50).map(float))
def test_a_shift_of_the_follow_up_moves_the_partial_t_estimate_only(data, c):
    pre, post, pre_only, post_only = data
    base = _result("partial-t", data)
    moved = _result(
        "partial-t",
        [pre, [v + c for v in post], pre_only, [v + c for v in post_only]],
        mu=c,
    )
    assert moved.estimate == pytest.approx(base.estimate + c, rel=1e-9, abs=1e-9)
    assert moved.statistic == pytest.approx(base.statistic, rel=1e-8, abs=1e-9)
    assert moved.ci.high == pytest.approx(base.ci.high + c, rel=1e-9, abs=1e-9)


# --- bad input ------------------------------------------------------------------------


def test_constant_arms_are_degenerate_naming_the_figure():
    study = _study([[5, 5, 5], [6, 6, 6], [5, 5], [6]])
    with pytest.raises(ps.DegenerateDataError, match="standard error .* is 0"):
        study.test("partial-t")


def test_a_constant_change_without_halves_is_refused_as_by_the_t_test():
    study = ps.PairedStudy([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    with pytest.raises(ps.DegenerateDataError, match="constant"):
        study.test("partial-t")
    with pytest.raises(ps.DegenerateDataError, match="constant"):
        study.test("t")


def test_bad_options_are_refused():
    study = _study(CASES[1])
    with pytest.raises(ps.InputTypeError, match="var_equal"):
        study.test("partial-t", var_equal="yes")
    with pytest.raises(ps.InputTypeError, match="var_equal"):
        study.test("looney-jones", var_equal=True)


def test_subject_labels_do_not_change_the_figures():
    plain = _study(CASES[1]).test("partial-t")
    labelled = _study(CASES[1], subjects=True).test("partial-t")
    assert plain.statistic == labelled.statistic and plain.pvalue == labelled.pvalue


# Worked examples printed in the documentation of independent R implementations of these
# two tests (student packages for partially matched samples, written from the papers):
# (test, x, y, statistic of mean(x) - mean(y), two-sided p or None). With post = x and
# pre = y our statistic is about the same difference.
_NA = float("nan")
THIRD_PARTY_EXAMPLES = [
    (
        "looney-jones",
        [150, 210, _NA, 350, 315, _NA, _NA, 98, 170, 165],
        [_NA, 150, 305, 180, _NA, 90, 80, 206, 111, 43],
        1.430195,
        None,
    ),
    (
        "looney-jones",
        [3, 2, 5, 13, 54, 63, 22, 11, _NA, _NA, _NA],
        [8, 3, 10, _NA, _NA, _NA, _NA, _NA, 43, 96, 14],
        -0.4384378,
        0.6610690,
    ),
    (
        "kim-t",
        [150, 210, _NA, 350, 315, _NA, _NA, 98, 170, 165],
        [_NA, 150, 305, 180, _NA, 90, 80, 206, 111, 43],
        1.358102,
        0.1744315,
    ),
    (
        "kim-t",
        [120, 212, _NA, 300, 323, _NA, _NA, 96, 178, 164],
        [_NA, 153, 304, 177, _NA, 90, 89, 200, 110, 40],
        1.141308,
        0.2537419,
    ),
]


@pytest.mark.parametrize(("name", "x", "y", "statistic", "pvalue"), THIRD_PARTY_EXAMPLES)
def test_independent_implementations_examples(name, x, y, statistic, pvalue):
    result = ps.PairedStudy(y, x, missing="drop").test(name)
    assert result.statistic == pytest.approx(statistic, abs=5e-7)
    if pvalue is not None:
        assert result.pvalue == pytest.approx(pvalue, abs=5e-7)


@pytest.mark.parametrize("shift", [0.0, 1e3])
def test_pooled_variant_refuses_perfectly_correlated_pairs_without_halves(shift):
    # two pairs always have |r| = 1; rounding left 1 - r at 1e-16 and t at 3e7 before
    pre = [-1.755923073312732 + shift, 1.406775886762864 + shift]
    post = [-0.33082956828527266 + shift, 1.3871679746111232 + shift]
    with pytest.raises(ps.DegenerateDataError, match=r"perfectly correlated \(r = 1"):
        ps.PairedStudy(pre, post).test("partial-t", var_equal=True)
    with pytest.raises(ps.DegenerateDataError, match="perfectly correlated"):
        ps.PairedStudy([1, 2, 3, 4], [2, 4, 6, 8]).test("partial-t", var_equal=True)
    # the Welch-type variant is the paired t there
    assert ps.PairedStudy(pre, post).test("partial-t").statistic == pytest.approx(
        ps.PairedStudy(pre, post).test("t").statistic, rel=1e-12
    )
