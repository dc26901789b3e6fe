"""What the "permutation", "bootstrap" and "yuen" tests share: properties, seeds, options."""

import warnings

import numpy as np
import pytest
from _data import oxytocin
from hypothesis import assume, given
from hypothesis import strategies as st

import pairedstudy as ps

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
    assume(base is not None)
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
    assume(base is not None)
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
    assume(base is not None)
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
    assume(_defined(pre, post, name) is not None)
    result = _run(pre, post, name, alternative=alternative, confidence_level=level)
    assert 0.0 <= result.pvalue <= 1.0
    assert result.ci.contains(result.estimate)


@pytest.mark.parametrize("name", ["permutation", "bootstrap"])
def test_seeded_results_are_reproducible(name):
    study = oxytocin()
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
        oxytocin().test(name, n_resamples=value)


@pytest.mark.parametrize("name", ["permutation", "bootstrap"])
@pytest.mark.parametrize(("value", "error"), [(-1, ps.InputValueError), (1.5, ps.InputTypeError)])
def test_seed_must_be_a_non_negative_integer(name, value, error):
    study = ps.PairedStudy(np.arange(30.0), np.arange(30.0) ** 1.1)
    with pytest.raises(error, match="seed must be a non-negative integer"):
        study.test(name, seed=value)


@pytest.mark.parametrize("name", ["permutation", "bootstrap", "yuen"])
def test_unknown_options_are_refused_by_the_registry(name):
    with pytest.raises(ps.InputTypeError, match="unknown option"):
        oxytocin().test(name, random_state=1)
