"""One contract over every registered test: what any test, built-in or plugin, must honour."""

import json
import math
import warnings

import attrs
import numpy as np
import pytest

import pairedstudy as ps

DATASETS = {
    "oxytocin": ps.datasets.oxytocin_massage(),
    "continuous": ps.PairedStudy(
        np.random.default_rng(1).normal(10, 2, 25), np.random.default_rng(2).normal(11, 2, 25)
    ),
    "small-ties": ps.PairedStudy([3, 4, 2, 5, 3, 4], [4, 4, 3, 5, 5, 2]),
}
ALTERNATIVES = ("two-sided", "less", "greater")
# Options a test cannot run without, given to it by the contract (other tests get none).
REQUIRED_OPTIONS = {"tost": {"low": -1.0, "high": 1.0}}
# Interval levels other than the requested one: TOST reports its 1 - 2 alpha interval.
CI_LEVEL = {("tost", "two-sided"): 0.8}
# Tests whose p-value is not that of a symmetric-null location test: TOST (the larger of two
# one-sided p-values) and the Shapiro-Wilk diagnostic (no location alternative).
NOT_SYMMETRIC_LOCATION = {"tost", "shapiro"}


def _tests():
    return ps.available_tests()


@pytest.mark.parametrize("name", _tests())
@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_every_registered_test_honours_the_contract(name, dataset, alternative):
    study = DATASETS[dataset]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.SmallSampleWarning)
        result = study.test(
            name,
            alternative=alternative,
            mu=0.25,
            confidence_level=0.9,
            **REQUIRED_OPTIONS.get(name, {}),
        )
    assert isinstance(result, ps.TestResult)
    assert result.test == name
    assert result.alternative == alternative
    assert result.mu == 0.25
    assert result.n == study.n
    assert 0.0 <= result.pvalue <= 1.0
    assert math.isfinite(result.statistic)
    assert math.isfinite(result.estimate)
    assert result.method
    if result.ci is not None:
        assert result.ci.level == pytest.approx(CI_LEVEL.get((name, alternative), 0.9))
        assert result.ci.contains(result.estimate)
        if alternative == "greater":
            assert result.ci.high == math.inf
        if alternative == "less":
            assert result.ci.low == -math.inf
    # immutable and serializable
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.pvalue = 0.5
    with pytest.raises(TypeError):
        result.details["x"] = 1
    json.dumps(result.to_dict())
    text = str(result)
    assert "post - pre" in text and f"n = {study.n}" in text
    assert study.change.flags.writeable is False


@pytest.mark.parametrize("name", _tests())
def test_alternatives_are_consistent(name):
    """For a symmetric-null test, two-sided p = min(1, 2 * smaller one-sided p)."""
    if name in NOT_SYMMETRIC_LOCATION:
        pytest.skip(f"{name!r} is not a symmetric-null location test")
    study = DATASETS["continuous"]
    options = REQUIRED_OPTIONS.get(name, {})
    p = {a: study.test(name, alternative=a, **options).pvalue for a in ALTERNATIVES}
    assert p["two-sided"] == pytest.approx(min(1.0, 2 * min(p["less"], p["greater"])))


def test_result_to_dict_round_trips_through_json():
    result = DATASETS["oxytocin"].test("wilcoxon")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["test"] == "wilcoxon"
    assert data["ci"]["level"] == 0.95
    assert data["details"]["n_zero"] == 4
    assert data["statistic"] == result.statistic
