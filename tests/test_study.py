import math

import attrs
import numpy as np
import pandas as pd
import pytest
from _data import TABLE3_FIGURES as T3
from hypothesis import given
from hypothesis import strategies as st

import pairedstudy as ps

PRE = [7, 6, 8, 7, 5]
POST = [9, 8, 8, 10, 6]


def test_arrays_are_read_only_float_copies():
    pre = np.array(PRE)
    study = ps.PairedStudy(pre, POST)
    for arr in (study.pre, study.post, study.change):
        assert arr.dtype == np.float64
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[0] = 1.0
    pre[0] = 100  # the caller's array is not shared
    assert study.pre[0] == 7.0
    np.testing.assert_array_equal(study.change, np.subtract(POST, PRE))
    assert study.n == 5
    assert study.dropped == 0 and study.dropped_subjects == ()


def test_study_is_frozen_and_comparable():
    study = ps.PairedStudy(PRE, POST, name="x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        study.name = "y"
    assert study == ps.PairedStudy(PRE, POST, name="x")
    assert study != ps.PairedStudy(PRE, [9, 8, 8, 10, 7], name="x")
    assert hash(study) == hash(ps.PairedStudy(PRE, POST, name="x"))
    assert "n=5" in repr(study)


def test_accepts_pandas_series_and_tuples():
    study = ps.PairedStudy(pd.Series(PRE), tuple(POST), subjects=pd.Series(list("abcde")))
    assert study.subjects == ("a", "b", "c", "d", "e")


def test_describe_matches_numpy():
    study = ps.PairedStudy(PRE, POST)
    d = study.describe()
    change = np.subtract(POST, PRE)
    assert d.change.mean == pytest.approx(change.mean())
    assert d.change.sd == pytest.approx(change.std(ddof=1))
    assert d.pre.median == 7 and d.post.max == 10 and d.pre.min == 5
    assert d.correlation == pytest.approx(np.corrcoef(PRE, POST)[0, 1])
    assert d.to_dict()["change"]["n"] == 5
    assert "change (post - pre)" in str(d)


def test_describe_correlation_undefined_for_constant_arm():
    d = ps.PairedStudy([5, 5, 5], [1, 2, 4]).describe()
    assert d.correlation is None
    assert "undefined" in str(d)


# --- missing values -------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, None])
def test_missing_raises_by_default_naming_the_arm_and_position(bad):
    with pytest.raises(ps.InputValueError, match=r"post has 1 missing .* position\(s\) 2"):
        ps.PairedStudy(PRE, [9, 8, bad, 10, 6])


def test_missing_drop_removes_and_counts_incomplete_pairs():
    study = ps.PairedStudy(
        [7, np.nan, 8, 7, 5, 4],
        [9, 8, np.inf, 10, 6, pd.NA],
        subjects=["a", "b", "c", "d", "e", "f"],
        missing="drop",
    )
    assert study.n == 3
    assert study.dropped == 3
    assert study.dropped_subjects == ("b", "c", "f")
    assert study.subjects == ("a", "d", "e")
    np.testing.assert_array_equal(study.change, [2, 3, 1])
    assert "dropped=3" in repr(study)


def test_drop_without_subjects_records_positions():
    study = ps.PairedStudy([1, 2, None, 4], [2, 3, 4, 6], missing="drop")
    assert study.dropped_subjects == (2,)


def test_drop_leaving_too_few_pairs_is_an_error():
    with pytest.raises(ps.InputValueError, match=r"at least 2 complete pairs; got 1 \(2 "):
        ps.PairedStudy([1, np.nan, 3], [2, 3, np.nan], missing="drop")


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pre", "post", "error", "pattern"),
    [
        ([1, 2, 3], [1, 2], ps.InputValueError, "same length.*3 pre values and 2 post"),
        ([], [], ps.InputValueError, "at least 2 complete pairs; got 0"),
        ([1], [2], ps.InputValueError, "at least 2 complete pairs; got 1"),
        ("123", [1, 2, 3], ps.InputTypeError, "pre must be a sequence of numbers; got the str"),
        ([1, "2", 3], [1, 2, 3], ps.InputTypeError, "pre must hold numbers"),
        ([1, 2], ["a", "b"], ps.InputTypeError, "post must hold numbers; got text"),
        ([[1, 2], [3, 4]], [1, 2], ps.InputValueError, r"pre must be 1-D .* shape \(2, 2\)"),
        (5, [1], ps.InputValueError, "pre must be a 1-D sequence of numbers; got the scalar"),
        ([True, False], [1, 2], ps.InputTypeError, "booleans"),
        ([1 + 2j, 3], [1, 2], ps.InputTypeError, "complex"),
        ({1: 2}, [1], ps.InputTypeError, "ordered sequence"),
        ([1e308, -1e308], [-1e308, 1e308], ps.InputValueError, "overflows"),
    ],
)
def test_bad_data_gets_a_clear_error(pre, post, error, pattern):
    with pytest.raises(error, match=pattern):
        ps.PairedStudy(pre, post)


def test_errors_are_also_builtin_exceptions():
    with pytest.raises(ValueError):
        ps.PairedStudy([1, 2, 3], [1, 2])
    with pytest.raises(TypeError):
        ps.PairedStudy("abc", [1, 2, 3])
    assert issubclass(ps.UnknownTestError, KeyError)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"missing": "ignore"}, "missing must be one of 'raise', 'drop'; got 'ignore'"),
        ({"name": 3}, "name must be a string or None; got 3"),
        ({"subjects": [1, 2]}, "one label per pair: pre and post have 5 values, subjects has 2"),
        ({"subjects": [1, 2, 2, 3, 3]}, r"subjects must be unique .* repeated: \[2, 3\]"),
        ({"subjects": "abcde"}, "subjects must be a sequence of labels"),
        ({"subjects": [[1], [2], [3], [4], [5]]}, "shape"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, pattern):
    with pytest.raises(ps.PairedStudyError, match=pattern):
        ps.PairedStudy(PRE, POST, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"alternative": "two.sided"}, "alternative must be one of 'two-sided', 'less'"),
        ({"confidence_level": 95}, "confidence_level must lie strictly between 0 and 1; got 95"),
        ({"confidence_level": "0.95"}, "confidence_level must be a real number"),
        ({"mu": float("nan")}, "mu must be a number; got NaN"),
        ({"mu": "0"}, "mu must be a real number; got '0'"),
        ({"zero_method": "drop"}, "zero_method must be one of 'wilcox', 'pratt', 'zsplit'"),
        ({"method": "approx"}, "method must be one of 'auto', 'exact', 'asymptotic'"),
        ({"correction": "yes"}, "correction must be True or False"),
        ({"exact": True}, "unknown option.*'exact'.*its options are: 'zero_method'"),
    ],
)
def test_bad_test_options_name_the_argument(kwargs, pattern):
    study = ps.PairedStudy(PRE, POST)
    with pytest.raises(ps.PairedStudyError, match=pattern):
        study.test("wilcoxon", **kwargs)


def test_unknown_option_for_t_lists_none():
    with pytest.raises(ps.InputTypeError, match="its options are: none"):
        ps.PairedStudy(PRE, POST).test("t", zero_method="pratt")


def test_test_name_must_be_a_string():
    with pytest.raises(ps.InputTypeError, match="test must be a test name"):
        ps.PairedStudy(PRE, POST).test(3)


# --- degenerate data ------------------------------------------------------------------


def test_constant_change_t_is_a_clear_error():
    study = ps.PairedStudy([1, 2, 3], [3, 4, 5])
    with pytest.raises(ps.DegenerateDataError, match="constant .* changed by 2"):
        study.test("t")
    with pytest.raises(ps.DegenerateDataError):
        ps.PairedStudy([1, 2, 3], [1, 2, 3]).test("t")


def test_constant_nonzero_change_rank_tests_are_defined():
    study = ps.PairedStudy([1, 2, 3, 4, 5, 6], [3, 4, 5, 6, 7, 8])
    w = study.test("wilcoxon")
    assert w.statistic == 21 and w.pvalue == pytest.approx(2 / 2**6)
    assert w.estimate == 2 and w.ci.low == 2 and w.ci.high == 2
    s = study.test("sign")
    assert s.statistic == 6 and s.pvalue == pytest.approx(2 / 2**6)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("wilcoxon", {"zero_method": "wilcox"}),
        ("wilcoxon", {"zero_method": "pratt"}),
        ("wilcoxon", {"zero_method": "zsplit", "method": "asymptotic"}),
        ("sign", {}),
    ],
)
def test_all_changes_zero_rank_tests_warn_and_give_p_one(name, options):
    study = ps.PairedStudy([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7])
    with pytest.warns(ps.DegenerateDataWarning, match="every change equals mu"):
        result = study.test(name, **options)
    assert result.pvalue == 1.0
    assert result.estimate == 0.0
    assert math.isfinite(result.statistic)
    assert any("p-value 1" in note for note in result.notes)


def test_tiny_sample_warns_that_the_level_is_not_attained():
    study = ps.PairedStudy([1, 2, 3], [2, 4, 7])
    with pytest.warns(ps.SmallSampleWarning, match="covers 75%"):
        result = study.test("wilcoxon")
    assert result.ci.attained_level == pytest.approx(0.75)
    assert result.ci.low == 1 and result.ci.high == 4
    with pytest.warns(ps.SmallSampleWarning):
        sign = study.test("sign")
    assert sign.ci.attained_level == pytest.approx(0.75)


# --- the published figures --------------------------------------------------------------


def _round_half_up(value, decimals):
    return math.floor(value * 10**decimals + 0.5 + 1e-9) / 10**decimals


def _check_table3(study):
    d = study.describe()
    assert f"{_round_half_up(d.pre.mean, 2):.2f}" == T3["pre_mean"]
    assert f"{_round_half_up(d.pre.sd, 3):.3f}" == T3["pre_sd"]
    assert f"{_round_half_up(d.post.mean, 2):.2f}" == T3["post_mean"]
    assert f"{_round_half_up(d.post.sd, 3):.3f}" == T3["post_sd"]
    # The paper prints pre - post = -1.952; our change is post - pre.
    assert T3["diff_order"] == "pre - post"
    assert f"{_round_half_up(-d.change.mean, 3):.3f}" == T3["diff_mean"]
    assert f"{_round_half_up(d.change.sd, 3):.3f}" == T3["diff_sd"]
    result = study.test("t")
    assert result.pvalue < 0.001  # the paper prints 0.000
    assert f"{result.pvalue:.3f}" == "0.000"


def test_bundled_example_reproduces_table3():
    study = ps.datasets.oxytocin_massage()
    assert study.n == 21
    assert study.subjects == tuple(range(1, 22))
    _check_table3(study)
    t = study.test("t")
    # R: t.test(pre, post, paired = TRUE) gives t = -7.7071, p = 2.064e-07 (pre - post).
    assert t.statistic == pytest.approx(7.7071, abs=5e-5)
    assert t.pvalue == pytest.approx(2.064e-07, rel=1e-3)
    assert t.ci.low == pytest.approx(1.423959, abs=1e-6)
    assert t.ci.high == pytest.approx(2.480803, abs=1e-6)


@st.composite
def _table3_datasets(draw):
    """Datasets consistent with Table 3: re-pair post scores among subjects with the same pre.

    That keeps both arms' multisets and the sum of pre * post, so every figure of the table
    (means, SDs, SD of the change) is unchanged; the order of subjects is shuffled too.
    """
    base = ps.datasets.oxytocin_massage()
    pre = base.pre.copy()
    post = base.post.copy()
    for value in np.unique(pre):
        idx = np.flatnonzero(pre == value)
        post[idx] = draw(st.permutations(list(post[idx])))
    order = draw(st.permutations(list(range(pre.size))))
    return ps.PairedStudy(pre[order], post[order])


@given(_table3_datasets())
def test_any_dataset_consistent_with_table3_reproduces_it(study):
    _check_table3(study)
