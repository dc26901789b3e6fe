"""Hostile and extreme input (issue 15): the library's promises under fuzzing.

Every call made here with NaN, inf, huge and tiny magnitudes, ties, constant data, extreme
levels and ``mu`` or wrong types must end in one of two ways:

* a library error (a :class:`~pairedstudy.errors.PairedStudyError`), with or without the
  library's warnings; never a raw ``ValueError``, ``OverflowError``, ``KeyError``,
  ``IndexError`` or ``ZeroDivisionError`` from deep inside;
* a valid result: a p-value in ``[0, 1]`` (NaN only beside a NaN statistic), an estimate
  inside its interval where both are finite (for levels of at least 50 %), interval limits
  in order, a power in ``[0, 1]``, and a result that stays frozen after a pickle round trip.

No call is timed here (speed is measured in ``benchmarks/``, never asserted in tests); a
call that hung would stop the suite. Hypothesis runs derandomized under the CI profile of
``tests/conftest.py``.

Left out on purpose, because other work on issue 15 is fixing them and the suite must stay
green meanwhile: GRIMMER and the other forensics checks, the ``cles`` and ``hl`` effect
sizes (interval excluding the value; Hodges-Lehmann overflow), the writeability of a
``PairedStudy``'s or ``BatchResult``'s arrays after a pickle, integers above 2**53 (the data
here are floats), ``ci="bca"`` at extreme levels, and ``power.wilcoxon`` with a degenerate
``parent``.
"""

import math
import pickle
import warnings

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pairedstudy as ps

TESTS = ("t", "wilcoxon", "sign", "yuen", "permutation", "bootstrap", "bayes", "tost")
#: Options that keep the resampling tests quick; every other option is the default.
QUICK = {"permutation": {"n_resamples": 199}, "bootstrap": {"n_resamples": 199}}
EFFECT_SIZES = ("dz", "drm", "dav", "db", "gz", "grm", "gav", "gb", "rank_biserial")

EXTREMES = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    1e-300,
    1e-160,
    1e-16,
    1.0,
    1e16,
    -1e16,
    1e154,
    -1e154,
    1e300,
    -1e300,
    1.7e308,
    -1.7e308,
]
HOSTILE_NUMBERS = st.one_of(
    st.sampled_from(EXTREMES),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False),
)
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
WRONG_TYPES = st.sampled_from(["1.5", None, [1.0], {"a": 1}, b"x", object(), 1j])
LEVELS = st.sampled_from([0.95, 0.5, 0.999999, 1 - 1e-12, 1e-3, 1e-300, 5e-324])
MUS = st.one_of(st.sampled_from([0.0, 1e308, -1e308, 1e-300, 1e16]), HOSTILE_NUMBERS)
ALTERNATIVES = st.sampled_from(["two-sided", "less", "greater"])


@st.composite
def arm_pairs(draw, min_n=0, max_n=24):
    """Two arms of equal length in one of several hostile shapes."""
    n = draw(st.integers(min_value=min_n, max_value=max_n))
    shape = draw(st.sampled_from(["free", "offset", "constant", "ties", "scaled", "spiked"]))
    if shape == "free":
        pre = draw(st.lists(HOSTILE_NUMBERS, min_size=n, max_size=n))
        post = draw(st.lists(HOSTILE_NUMBERS, min_size=n, max_size=n))
    elif shape == "offset":  # a huge shared level and small changes
        level = draw(st.sampled_from([1e16, -1e16, 1e15, 2.0**60, 1e154, 1e300]))
        small = st.integers(min_value=-8, max_value=8)
        pre = [level + 2 * v for v in draw(st.lists(small, min_size=n, max_size=n))]
        post = [level + 2 * v for v in draw(st.lists(small, min_size=n, max_size=n))]
    elif shape == "constant":  # every change the same
        base = draw(st.lists(st.floats(-1e6, 1e6), min_size=n, max_size=n))
        shift = draw(st.sampled_from([0.0, 1.0, -3.5, 1e-300]))
        pre, post = base, [b + shift for b in base]
    elif shape == "ties":
        values = st.sampled_from([0.0, 1.0, 2.0, 2.0, 3.0])
        pre = draw(st.lists(values, min_size=n, max_size=n))
        post = draw(st.lists(values, min_size=n, max_size=n))
    elif shape == "scaled":  # ordinary data times a huge or tiny power of ten
        scale = draw(st.sampled_from([1e-300, 1e-160, 1e150, 1e300]))
        ordinary = st.floats(-10, 10, allow_nan=False)
        pre = [scale * v for v in draw(st.lists(ordinary, min_size=n, max_size=n))]
        post = [scale * v for v in draw(st.lists(ordinary, min_size=n, max_size=n))]
    else:  # ordinary data with one wild value
        ordinary = st.floats(-10, 10, allow_nan=False)
        pre = draw(st.lists(ordinary, min_size=n, max_size=n))
        post = draw(st.lists(ordinary, min_size=n, max_size=n))
        if n:
            where = draw(st.integers(0, n - 1))
            post[where] = draw(st.one_of(st.sampled_from(EXTREMES), NON_FINITE))
    return pre, post


def timed(function, *args, **kwargs):
    """Call ``function``; return ``(result, None)`` or ``(None, error)``.

    Only the library's errors are an acceptable failure: anything else propagates and
    fails the test. (numpy's ``RuntimeWarning``s are not checked yet.)
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", ps.PairedStudyWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            result, error = function(*args, **kwargs), None
    except ps.PairedStudyError as exc:
        result, error = None, exc
    return result, error


def study_of(pre, post):
    return timed(ps.PairedStudy, pre, post)[0]


def check_interval(ci, estimate, contains=True):
    """Limits in order; the estimate inside when ``contains`` and the level is >= 50 %."""
    if ci is None:
        return
    low, high = ci.low, ci.high
    assert not (math.isnan(low) or math.isnan(high)) or (math.isnan(low) and math.isnan(high))
    if not math.isnan(low):
        assert low <= high, (low, high)
    if (
        contains
        and isinstance(estimate, float)
        and math.isfinite(estimate)
        and ci.level >= 0.5
        and not (math.isnan(low) or math.isnan(high))
    ):
        assert low <= estimate <= high, (low, estimate, high, ci.level)


def check_frozen(result):
    """The result and its pickled copy refuse writes."""
    copy = pickle.loads(pickle.dumps(result))
    for obj in (result, copy):
        field = attrs.fields(type(obj))[0].name
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(obj, field, getattr(obj, field))
        details = getattr(obj, "details", None)
        if details is not None:
            with pytest.raises(TypeError):
                details["fuzz"] = 1  # type: ignore[index]


def check_test_result(result):
    p = result.pvalue
    if math.isnan(p):
        assert result.statistic is None or math.isnan(result.statistic)
    else:
        assert 0.0 <= p <= 1.0, p
    check_interval(getattr(result, "ci", None), getattr(result, "estimate", None))
    if result.test == "bayes":
        assert not math.isnan(result.log_bf10)
        assert 0.0 <= result.bf10
    check_frozen(result)


# --- the tests of the registry --------------------------------------------------------------


@given(
    data=arm_pairs(),
    name=st.sampled_from(TESTS),
    alternative=ALTERNATIVES,
    mu=MUS,
    level=LEVELS,
)
def test_every_test_is_an_error_or_a_valid_result(data, name, alternative, mu, level):
    study = study_of(*data)
    if study is None:
        return
    options = dict(QUICK.get(name, {}))
    if name == "tost":
        options["bounds"] = (-1.0, 1.0)
        alternative = "two-sided"  # TOST has its own pair of one-sided tests
    if name in {"permutation", "bootstrap"} and alternative != "two-sided":
        # a one-sided resampling interval at a level near 50 % lies beside the mean by
        # design (its limit is the resampling median), which the registry refuses today
        level = level if not 0.5 <= level < 0.75 else 0.95
    result, _ = timed(
        study.test, name, alternative=alternative, mu=mu, confidence_level=level, **options
    )
    if result is not None:
        check_test_result(result)


@given(
    data=arm_pairs(min_n=2, max_n=12),
    name=st.sampled_from(TESTS),
    bad=st.sampled_from(["alternative", "mu", "confidence_level", "option"]),
    value=st.one_of(WRONG_TYPES, NON_FINITE, st.sampled_from([-1.0, 0.0, 1.0, 2.0, True])),
)
def test_bad_arguments_are_refused_with_a_library_error(data, name, bad, value):
    study = study_of(*data)
    if study is None:
        return
    arguments = {"alternative": "two-sided", "mu": 0.0, "confidence_level": 0.95}
    options = dict(QUICK.get(name, {}))
    if name == "tost":
        options["bounds"] = (-1.0, 1.0)
    if bad == "option":
        options["no_such_option"] = value
    else:
        arguments[bad] = value
    result, error = timed(study.test, name, **arguments, **options)
    if error is not None:
        message = str(error)
        if not (bad in message or (bad == "option" and "no_such_option" in message)):
            # a value that is allowed; the error must then be the data's, as it is without it
            _, other = timed(
                study.test,
                name,
                **QUICK.get(name, {}),
                **({"bounds": (-1.0, 1.0)} if name == "tost" else {}),
            )
            assert type(other) is type(error), message
    else:
        check_test_result(result)


@given(
    rows=st.lists(arm_pairs(min_n=6, max_n=6), min_size=1, max_size=3),
    name=st.sampled_from(("t", "wilcoxon", "sign", "yuen", "permutation", "bootstrap")),
    alternative=ALTERNATIVES,
    mu=st.sampled_from([0.0, 1.0, -2.5, 1e16]),
)
def test_batch_is_an_error_or_equal_to_single(rows, name, alternative, mu):
    pre = np.array([r[0] for r in rows], dtype=float)
    post = np.array([r[1] for r in rows], dtype=float)
    options = QUICK.get(name, {})
    batch, _ = timed(ps.test_batch, name, pre, post, alternative=alternative, mu=mu, **options)
    if batch is None:
        return
    for array in (batch.statistic, batch.pvalue, batch.estimate, batch.ci_low, batch.ci_high):
        assert not array.flags.writeable
    p = batch.pvalue
    assert np.all(np.isnan(p) | ((p >= 0) & (p <= 1)))
    for i in range(len(rows)):
        study = study_of(pre[i], post[i])
        if study is None:
            assert math.isnan(batch.pvalue[i])
            continue
        single, _ = timed(study.test, name, alternative=alternative, mu=mu, **options)
        if single is None:
            assert math.isnan(batch.pvalue[i]) or math.isnan(batch.statistic[i])
            continue
        assert batch.pvalue[i] == pytest.approx(single.pvalue, rel=1e-9, abs=1e-12, nan_ok=True)


# --- effect sizes and power -----------------------------------------------------------------


@given(
    data=arm_pairs(),
    kind=st.sampled_from(EFFECT_SIZES),
    level=st.sampled_from([0.95, 0.5, 0.999999, 1e-3]),
    ci=st.sampled_from(["analytic", "analytic", "percentile", "none"]),
)
def test_effect_sizes_are_an_error_or_a_value_inside_its_interval(data, kind, level, ci):
    study = study_of(*data)
    if study is None:
        return
    options = {"ci": ci}
    if ci == "percentile":
        options.update(n_resamples=200, seed=0)
    effect, _ = timed(study.effect_size, kind, confidence_level=level, **options)
    if effect is None:
        return
    if kind == "rank_biserial" and not math.isnan(effect.value):
        assert -1.0 <= effect.value <= 1.0
    # a percentile bootstrap interval may lie beside its estimate (at a low level, or for a
    # skewed bootstrap distribution): only its order is promised
    check_interval(effect.ci, effect.value, contains=ci == "analytic")
    check_frozen(effect)


POWER_N = st.one_of(st.none(), st.integers(-2, 3), st.integers(2, 10_000), WRONG_TYPES)
POWER_EFFECT = st.one_of(st.none(), HOSTILE_NUMBERS, NON_FINITE, WRONG_TYPES)
PROBABILITY = st.one_of(
    st.none(),
    st.sampled_from([0.0, 1.0, 0.05, 0.8, 0.999999, 1e-300, 1 - 1e-16, -0.1, 1.5]),
    NON_FINITE,
    WRONG_TYPES,
)


def check_power(result):
    if result is None:
        return
    assert 0.0 <= result.power <= 1.0 or math.isnan(result.power)
    if result.n is not None:
        assert result.n >= 1
    check_frozen(result)


@given(n=POWER_N, dz=POWER_EFFECT, alpha=PROBABILITY, power=PROBABILITY, alternative=ALTERNATIVES)
def test_paired_t_power_is_an_error_or_a_valid_answer(n, dz, alpha, power, alternative):
    if isinstance(dz, float) and power is not None and 0 < abs(dz) < 1e-100:
        return  # paired_t(dz=1e-200, power=...) overflows: issue 15 item 14, fixed elsewhere
    result, _ = timed(
        ps.power.paired_t, n=n, dz=dz, alpha=alpha, power=power, alternative=alternative
    )
    check_power(result)


@given(
    n=st.one_of(st.none(), st.integers(-1, 2_000), WRONG_TYPES),
    p=st.one_of(st.none(), st.sampled_from([0.5, 0.6, 0.99, 1.0, 0.0, 1e-300]), WRONG_TYPES),
    alpha=PROBABILITY,
    power=PROBABILITY,
)
def test_sign_test_power_is_an_error_or_a_valid_answer(n, p, alpha, power):
    result, _ = timed(ps.power.sign_test, n=n, p=p, alpha=alpha, power=power)
    check_power(result)


@given(
    n=st.one_of(st.none(), st.integers(-1, 2_000)),
    dz=st.one_of(st.none(), st.sampled_from([0.0, 0.3, -0.5, 1e-300, 1e300]), NON_FINITE),
    power=st.one_of(st.none(), st.sampled_from([0.8, 0.5, 1e-300, 1.5])),
)
def test_wilcoxon_and_tost_power_are_an_error_or_a_valid_answer(n, dz, power):
    if dz is not None and power is not None and 0 < abs(dz) < 1e-100:
        return  # a tiny dz with a power to reach overflows: issue 15 item 14, fixed elsewhere
    result, _ = timed(ps.power.wilcoxon, n=n, dz=dz, power=power)
    check_power(result)
    result, _ = timed(ps.power.tost, n=n, dz=0.0 if dz is None else dz, power=power)
    check_power(result)
