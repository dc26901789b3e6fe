"""Edge cases found in review: immutability, extreme magnitudes, odd containers, pickling."""

import copy
import json
import math
import pickle
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import pairedstudy as ps
from pairedstudy import registry
from pairedstudy.inference import wilcoxon as wilcoxon_module


def test_read_only_flags_cannot_be_switched_back_on():
    study = ps.PairedStudy([1, 2, 3], [2, 4, 7.0])
    for arr in (study.pre, study.post, study.change):
        with pytest.raises(ValueError, match="WRITEABLE"):
            arr.flags.writeable = True
        with pytest.raises(ValueError):
            arr.resize(10, refcheck=False)


def test_masked_entries_are_missing():
    pre = np.ma.masked_array([1, 2, 3, 99], mask=[0, 0, 0, 1])
    with pytest.raises(ps.InputValueError, match="pre has 1 missing"):
        ps.PairedStudy(pre, [2, 3, 5, 7])
    study = ps.PairedStudy(pre, [2, 3, 5, 7], missing="drop")
    assert study.change.tolist() == [1, 1, 2] and study.dropped == 1


@pytest.mark.parametrize("scale", [1e170, 1e-170, 1e300])
def test_extreme_magnitudes_give_scaled_answers(scale):
    pre = np.array([1, 2, 3, 4, 5.0])
    post = np.array([1, 2, 4, -1, 3.0])
    big = ps.PairedStudy(pre * scale, post * scale)
    unit = ps.PairedStudy(pre, post)
    d_big, d_unit = big.describe(), unit.describe()
    assert d_big.correlation == pytest.approx(d_unit.correlation, rel=1e-12)
    assert d_big.change.sd == pytest.approx(d_unit.change.sd * scale, rel=1e-12)
    for name in ("t", "wilcoxon", "sign"):
        r_big, r_unit = big.test(name, confidence_level=0.9), unit.test(name, confidence_level=0.9)
        assert r_big.pvalue == pytest.approx(r_unit.pvalue, rel=1e-12)
        assert r_big.estimate == pytest.approx(r_unit.estimate * scale, rel=1e-12)
        assert r_big.ci.low == pytest.approx(r_unit.ci.low * scale, rel=1e-12)


def test_changes_near_the_float_limit_stay_finite():
    study = ps.PairedStudy(np.zeros(6), [1e308, 1.5e308, 1.7e308, 1.2e308, 0.9e308, 1.1e308])
    w = study.test("wilcoxon")
    assert math.isfinite(w.estimate) and math.isfinite(w.ci.high)
    assert math.isfinite(study.test("sign").estimate)
    t = ps.PairedStudy(np.zeros(4), [1e308, 1.5e308, 1.7e308, -1e308]).test("t")
    assert not math.isnan(t.ci.low) and not math.isnan(t.ci.high)


def test_results_pickle_and_deepcopy():
    result = ps.datasets.oxytocin_massage().test("wilcoxon")
    for clone in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result)):
        assert clone == result
        assert dict(clone.details) == dict(result.details)
    study = ps.datasets.oxytocin_massage()
    assert pickle.loads(pickle.dumps(study)) == study


def test_to_json_is_strict_json():
    result = ps.datasets.oxytocin_massage().test("t", alternative="greater")
    data = json.loads(result.to_json())
    assert data["ci"]["high"] == "Infinity" and data["ci"]["low"] > 0
    assert result.to_dict()["ci"]["high"] == math.inf
    less = ps.datasets.oxytocin_massage().test("t", alternative="less")
    assert json.loads(less.to_json())["ci"]["low"] == "-Infinity"
    assert "Infinity" not in less.to_json().replace('"-Infinity"', "")


def test_auto_method_does_not_depend_on_earlier_calls():
    rng = np.random.default_rng(4)
    study = ps.PairedStudy(rng.normal(size=1000), rng.normal(size=1000))
    first = study.test("wilcoxon")
    study.test("wilcoxon", method="exact")  # fills the cache for n = 1000
    again = study.test("wilcoxon")
    assert first.method == again.method
    assert first.pvalue == again.pvalue and first.ci == again.ci


def test_asymptotic_interval_warns_when_it_cannot_reach_the_level():
    study = ps.PairedStudy(np.zeros(4), [1, 2, 3, 5.0])
    with pytest.warns(ps.SmallSampleWarning, match="99%"):
        result = study.test("wilcoxon", method="asymptotic", confidence_level=0.99)
    assert any("attains only" in note for note in result.notes)


def test_exact_refuses_hopeless_sizes(monkeypatch):
    monkeypatch.setattr(wilcoxon_module, "EXACT_LIMIT", 1000)
    rng = np.random.default_rng(2)
    study = ps.PairedStudy(rng.integers(1, 6, 300), rng.integers(1, 6, 300))
    with pytest.raises(ps.InputValueError, match="method='exact' would need"):
        study.test("wilcoxon", method="exact")
    assert study.test("wilcoxon", method="asymptotic").method == "asymptotic"


def test_large_exact_interval_falls_back_to_normal_quantiles_with_a_note(monkeypatch):
    monkeypatch.setattr(wilcoxon_module, "TABLE_LIMIT", 1000)
    study = ps.datasets.oxytocin_massage()
    result = study.test("wilcoxon", method="exact")
    assert result.method == "exact"
    assert result.ci.attained_level is None
    assert any("normal approximation" in note for note in result.notes)
    # the p-value is still the exact conditional one
    monkeypatch.undo()
    assert result.pvalue == study.test("wilcoxon", method="exact").pvalue


@pytest.mark.parametrize(
    ("pre", "pattern"),
    [
        ([10**400, 1], "too large for a 64-bit float"),
        ([1, True], "boolean"),
        ((x for x in [1, 2]), "one-shot iterator"),
    ],
)
def test_more_bad_containers(pre, pattern):
    with pytest.raises(ps.PairedStudyError, match=pattern):
        ps.PairedStudy(pre, [1, 2])


def test_decimals_are_numbers():
    assert ps.PairedStudy([Decimal("1.5"), 2], [1, 2]).pre.tolist() == [1.5, 2.0]


def test_huge_option_values_are_clear_errors():
    study = ps.PairedStudy([1, 2, 3], [2, 4, 7])
    with pytest.raises(ps.InputValueError, match="mu is too large"):
        study.test("t", mu=10**400)


def test_series_with_different_indexes_are_refused():
    pre = pd.Series([1, 2, 3], index=[2, 1, 0])
    post = pd.Series([10, 20, 30], index=[0, 1, 2])
    with pytest.raises(ps.InputValueError, match="different indexes"):
        ps.PairedStudy(pre, post)
    aligned = ps.PairedStudy(pre, post.reindex(pre.index))
    assert aligned.change.tolist() == [29, 18, 7]


def test_missing_subject_labels_are_refused():
    with pytest.raises(ps.InputValueError, match="subjects must not be missing"):
        ps.PairedStudy([1, 2], [3, 4], subjects=[np.nan, np.nan])


def test_confidence_interval_validates_its_fields():
    with pytest.raises(ps.InputValueError, match="low must be a number; got NaN"):
        ps.ConfidenceInterval(low=math.nan, high=1, level=0.95)
    with pytest.raises(ps.InputTypeError, match="level must be a real number"):
        ps.ConfidenceInterval(low=0, high=1, level="0.95")
    with pytest.raises(ps.InputValueError, match="level must lie strictly between 0 and 1"):
        ps.ConfidenceInterval(low=0, high=1, level=95)
    with pytest.raises(ps.InputValueError, match="exceeds"):
        ps.ConfidenceInterval(low=2, high=1, level=0.9)
    assert str(ps.ConfidenceInterval(low=0, high=1, level=0.999)) == "99.9% CI [0, 1]"


def test_registry_rejects_bad_lookups_and_descriptions():
    with pytest.raises(ps.InputTypeError, match="name must be a test name"):
        ps.get_test(["t"])
    with pytest.raises(ps.InputTypeError, match="description must be a string"):
        ps.register_test("described", description=123)


def test_duplicate_entry_point_names_warn(monkeypatch):
    class FakeEntryPoint:
        def __init__(self, value):
            self.name, self.value = "twin", value

        def load(self):
            return lambda study, **kw: None

    monkeypatch.setattr(
        registry, "_entry_points", lambda: [FakeEntryPoint("a:x"), FakeEntryPoint("b:y")]
    )
    ps.refresh_plugins()
    try:
        with pytest.warns(ps.PluginLoadWarning, match="'twin' is already taken by a plugin"):
            names = ps.available_tests()
        assert "twin" in names
    finally:
        monkeypatch.undo()
        ps.refresh_plugins()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ps.PluginLoadWarning)
            ps.available_tests()
