"""Hostile and extreme input (issue 15): refused clearly, never altered without a word."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.errors import InputTypeError, InputValueError, PairedStudyError

# --- 1. read-only arrays survive pickle, deepcopy and copy --------------------------------


@pytest.mark.parametrize(
    "clone",
    [lambda s: pickle.loads(pickle.dumps(s)), copy.deepcopy, copy.copy],
    ids=["pickle", "deepcopy", "copy"],
)
def test_study_arrays_stay_read_only_after_a_round_trip(clone):
    study = ps.PairedStudy([1, 2, 3, 4], [2, 4, 5, 9], subjects=list("abcd"), name="s")
    twin = clone(study)
    assert twin == study
    assert twin.change.tolist() == study.change.tolist()
    assert twin.subjects == study.subjects and twin.name == "s"
    for array in (twin.pre, twin.post, twin.change):
        assert not array.flags.writeable
        with pytest.raises(ValueError):
            array[0] = 100.0
        with pytest.raises(ValueError):
            array.flags.writeable = True  # the base is read-only too
    assert twin.describe().change.mean == study.describe().change.mean
    assert twin.test("t").statistic == study.test("t").statistic


# --- 2. inputs altered without a word ------------------------------------------------------


@pytest.mark.parametrize(
    "pre",
    [
        [2**62, 2**62 + 1, 3],
        np.array([2**62, 2**62 + 1, 3]),
        np.array([2**62, 2**62 + 1, 3], dtype=np.uint64),
        [2**62 + 1, None, 3],
    ],
    ids=["list", "int64", "uint64", "object"],
)
def test_integers_beyond_2_53_that_would_round_are_refused(pre):
    with pytest.raises(InputValueError, match=r"pre has integers .*cannot hold exactly.*2\*\*53"):
        ps.PairedStudy(pre, [1, 2, 3], missing="drop")


def test_large_integers_that_are_exact_floats_are_kept():
    study = ps.PairedStudy([2**62, 2**61, 3], [2**62, 2**61, 5])
    assert study.pre.tolist() == [2.0**62, 2.0**61, 3.0]


def test_test_batch_refuses_integers_that_would_round():
    with pytest.raises(InputValueError, match=r"pre has integers .*position\(s\) \(0, 1\)"):
        ps.test_batch("t", np.array([[2**62, 2**62 + 1, 3]]), np.array([[1, 2, 3]]))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (np.longdouble("1e-4000"), "too small for a 64-bit float"),
        (np.longdouble("1e4000"), "too large for a 64-bit float"),
        (Decimal("1e-400"), "too small for a 64-bit float"),
        (Decimal("1e400"), "too large for a 64-bit float"),
    ],
    ids=["longdouble-tiny", "longdouble-huge", "decimal-tiny", "decimal-huge"],
)
def test_values_that_under_or_overflow_a_float64_are_refused(value, words):
    values = np.array([value, 1, 2]) if isinstance(value, np.longdouble) else [value, 1, 2]
    with pytest.raises(InputValueError, match=f"pre has .*{words}.*position") as info:
        ps.PairedStudy(values, [1, 2, 3])
    assert "missing or non-finite" not in str(info.value)


# --- 3. library errors where raw exceptions escaped ---------------------------------------


@pytest.mark.parametrize("shape", [(3, 0), (0,), (3, 1)])
@pytest.mark.parametrize("missing", ["raise", "drop"])
def test_test_batch_refuses_fewer_than_two_pairs_per_study(shape, missing):
    pairs = "no pairs" if shape[-1] == 0 else "one pair"
    words = f"length {shape[-1]}: each study has {pairs}"
    with pytest.raises(InputValueError, match=words) as info:
        ps.test_batch("t", np.zeros(shape), np.ones(shape), missing=missing)
    assert "dropp" not in str(info.value)


def test_from_long_refuses_unequal_columns():
    rows = {"id": [1, 1, 2, 2], "t": ["a", "b", "a"], "y": [1, 2, 3, 4]}
    with pytest.raises(InputValueError, match="same length.*'t' has 3"):
        ps.PairedStudy.from_long(rows, subject="id", time="t", value="y", pre="a", post="b")


@pytest.mark.parametrize(
    ("rows", "pre", "post", "words"),
    [
        ({"id": [[1], [1], [2], [2]], "t": list("abab"), "y": [1, 2, 3, 4]}, "a", "b", "subject="),
        ({"id": [1, 1, 2, 2], "t": [[1], [2], [1], [2]], "y": [1, 2, 3, 4]}, [1], [2], "time="),
        ({"id": [1, 1, 2, 2], "t": list("abab"), "y": [1, 2, 3, 4]}, ["a"], "b", "pre must"),
    ],
    ids=["subject", "time", "pre"],
)
def test_from_long_refuses_unhashable_labels(rows, pre, post, words):
    with pytest.raises(InputTypeError, match=words):
        ps.PairedStudy.from_long(rows, subject="id", time="t", value="y", pre=pre, post=post)


def test_apa_refuses_what_is_not_a_result():
    with pytest.raises(InputTypeError, match="result must be a TestResult; got 'x'|got 'x'"):
        ps.reports.apa("x")
    study = ps.datasets.oxytocin_massage()
    with pytest.raises(InputTypeError, match="effect must be an EffectSize"):
        ps.reports.apa(study.test("t"), "dz")


def test_normality_refuses_a_list():
    with pytest.raises(InputTypeError, match=r"study must be a PairedStudy.*got \[1, 2, 3\]"):
        ps.diagnostics.normality([1, 2, 3])


@pytest.mark.parametrize("p", ["0.05", True, None])
def test_format_p_refuses_non_numbers(p):
    with pytest.raises(InputTypeError, match="p must be a real number"):
        ps.reports.format_p(p)


@pytest.mark.parametrize("p", [2, -0.1, 1.0000001, float("inf")])
def test_format_p_refuses_values_outside_0_1(p):
    with pytest.raises(InputValueError, match="between 0 and 1; got"):
        ps.reports.format_p(p)


def test_format_p_keeps_its_prints():
    fp = ps.reports.format_p
    assert (fp(0), fp(1), fp(0.9995), fp(float("nan"))) == (
        "p < .001",
        "p > .999",
        "p > .999",
        "p = NA",
    )


@pytest.mark.parametrize("missing", ["raise", "drop"])
def test_missing_subject_labels_are_refused(missing):
    pd = pytest.importorskip("pandas")
    for label in (pd.NA, pd.NaT):
        with pytest.raises(InputValueError, match="subjects must not be missing.*position 1"):
            ps.PairedStudy([1, 2, 3], [2, 3, 5], subjects=["a", label, "c"], missing=missing)


def test_errors_are_library_errors():
    with pytest.raises(PairedStudyError):
        ps.test_batch("t", np.zeros((2, 0)), np.zeros((2, 0)))


# --- a fuzzer over the study's boundary: a library error or a valid, immutable study ------

_hostile_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.none(),
    st.booleans(),
    st.text(max_size=3),
)


@given(
    pre=st.lists(_hostile_number, max_size=6),
    post=st.lists(_hostile_number, max_size=6),
    missing=st.sampled_from(["raise", "drop"]),
)
def test_hostile_values_give_a_library_error_or_an_exact_study(pre, post, missing):
    try:
        study = ps.PairedStudy(pre, post, missing=missing)
    except PairedStudyError:
        return
    assert study.n >= 2
    kept = [
        (a, b)
        for a, b in zip(pre, post, strict=True)
        if a is not None and b is not None and np.isfinite(float(a)) and np.isfinite(float(b))
    ]
    # every value kept is exactly the number given (nothing rounded, flushed or overflowed)
    assert [float(a) for a, _ in kept] == study.pre.tolist()
    assert all(int(a) == float(a) for a, _ in kept if isinstance(a, int))
    twin = pickle.loads(pickle.dumps(study))
    assert not (
        twin.pre.flags.writeable or twin.post.flags.writeable or twin.change.flags.writeable
    )
    assert twin.change.tolist() == (twin.post - twin.pre).tolist()
