"""Every result type shares one serialization: to_dict, strict to_json, pickle and copy."""

import copy
import json
import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy import results
from pairedstudy.results import (
    BayesFactorResult,
    ConfidenceInterval,
    EffectSize,
    EffectSizeTable,
    EquivalenceResult,
    FrozenMapping,
    NormalityDiagnostic,
    PowerResult,
    TestResult,
    json_safe,
)


def _strict_loads(text):
    def refuse(token):
        raise AssertionError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def every_result():
    study = ps.datasets.oxytocin_massage()
    return [
        study.test("t"),
        study.test("t", alternative="greater"),
        study.test("wilcoxon", alternative="less"),
        study.test("bayes"),
        study.test("tost", low=-0.5, high=0.5),
        study.test("tost", alternative="greater", low=-0.5),
        study.test("t").ci,
        study.effect_size("dz"),
        study.effect_sizes(kinds=["dz", "hl"]),
        ps.power.paired_t(dz=0.5, power=0.8),
        ps.diagnostics.normality(study),
    ]


def test_every_name_importable_before_still_is():
    for name in [
        "ConfidenceInterval",
        "EffectSize",
        "EffectSizeTable",
        "FrozenMapping",
        "PowerResult",
        "TestResult",
    ]:
        assert getattr(results, name) is getattr(__import__("pairedstudy.results").results, name)
    assert ps.TestResult is TestResult and ps.ConfidenceInterval is ConfidenceInterval
    assert ps.diagnostics.NormalityDiagnostic is NormalityDiagnostic


def test_one_serialization_for_every_result(every_result):
    for result in every_result:
        assert isinstance(result, results.Serializable)
        for method in ("to_dict", "to_json"):
            assert getattr(type(result), method) is getattr(results.Serializable, method)
        plain = result.to_dict()
        assert json.dumps(json_safe(plain), allow_nan=False)
        assert _strict_loads(result.to_json()) == json_safe(plain)
        assert _strict_loads(result.to_json(indent=2)) == json_safe(plain)


def test_results_pickle_and_copy(every_result):
    for result in every_result:
        for clone in (
            pickle.loads(pickle.dumps(result)),
            copy.copy(result),
            copy.deepcopy(result),
        ):
            assert clone == result and type(clone) is type(result)
            assert clone.to_json() == result.to_json()


def test_subclass_results_keep_deprecated_keys_after_pickle(every_result):
    bayes = next(r for r in every_result if isinstance(r, BayesFactorResult))
    clone = pickle.loads(pickle.dumps(bayes))
    with pytest.warns(DeprecationWarning):
        assert clone.details["bf10"] == bayes.bf10
    tost = next(r for r in every_result if isinstance(r, EquivalenceResult))
    with pytest.warns(DeprecationWarning):
        assert copy.deepcopy(tost).details["equivalent"] is tost.equivalent


def test_json_rule_for_infinities_nan_none_and_numpy():
    ci = ConfidenceInterval(low=-math.inf, high=2.0, level=0.95)
    assert _strict_loads(ci.to_json())["low"] == "-Infinity"
    effect = EffectSize(
        kind="dz",
        label="standardized mean change",
        value=np.float64(0.5),
        ci=ConfidenceInterval(low=0.1, high=math.inf, level=0.9),
        method="noncentral t",
        n=np.int64(10),
        notes=("a",),
        details={"array": np.array([1.0, np.nan, np.inf]), "pair": (np.float32(1.5), None)},
    )
    plain = effect.to_dict()
    assert plain["details"]["array"][0] == 1.0 and math.isnan(plain["details"]["array"][1])
    assert plain["details"]["pair"] == [1.5, None] and type(plain["n"]) is int
    data = _strict_loads(effect.to_json())
    assert data["ci"]["high"] == "Infinity"
    assert data["details"]["array"] == [1.0, None, "Infinity"]
    assert data["details"]["pair"] == [1.5, None]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=10,
    )
)
def test_json_safe_output_is_always_strict_json(value):
    text = json.dumps(json_safe(value), allow_nan=False)
    _strict_loads(text)


def test_plugin_authors_natural_calls():
    result = TestResult(
        test="demo",
        title="Demo",
        method="exact",
        statistic=1,
        statistic_name="S",
        pvalue=0.5,
        alternative="two-sided",
        mu=0,
        n=3,
        estimate=0.5,
        estimate_name="median change",
        notes=["a note"],
        details={"x": 1.0},
    )
    assert result.notes == ("a note",) and isinstance(result.details, FrozenMapping)
    assert TestResult(**{**result.to_dict(), "ci": None, "notes": "one"}).notes == ("one",)
    with pytest.raises(TypeError):
        result.details["x"] = 2.0  # read-only


def test_power_and_table_serialize_their_rows():
    table = ps.datasets.oxytocin_massage().effect_sizes(kinds=["dz", "hl"])
    assert isinstance(table, EffectSizeTable)
    data = _strict_loads(table.to_json())
    assert [row["kind"] for row in data["rows"]] == ["dz", "hl"]
    power = ps.power.paired_t(dz=0.5, power=0.8)
    assert isinstance(power, PowerResult)
    assert _strict_loads(power.to_json())["n"] == power.n


def test_tables_and_notebook_display(every_result):
    pytest.importorskip("pandas")
    for result in every_result:
        frame = result.to_frame()
        assert len(frame) == (len(result) if isinstance(result, EffectSizeTable) else 1)
        assert "details" not in frame.columns
        assert result._repr_html_().startswith("<pre>")
    with_ci = every_result[0].to_frame()
    import attrs

    without = attrs.evolve(every_result[0], ci=None)
    assert list(without.to_frame().columns) == list(with_ci.columns)
    assert without.to_frame()["ci_low"].isna().all()
    assert with_ci["ci_low"].iloc[0] == every_result[0].ci.low


def test_evolve_keeps_typed_fields_and_deprecated_keys_in_step(every_result):
    import attrs

    bayes = next(r for r in every_result if isinstance(r, BayesFactorResult))
    moved = attrs.evolve(bayes, log_bf10=0.0, bf10=1.0)
    assert moved.bf01 == 1.0
    with pytest.warns(DeprecationWarning):
        assert moved.details["bf10"] == 1.0
    assert dict(moved.details.current()) == dict(bayes.details.current())
