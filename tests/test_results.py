"""Every result type shares one serialization: to_dict, strict to_json, pickle and copy."""

import copy
import json
import math
import pickle

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy import results
from pairedstudy.results import (
    ArmDescription,
    BatchResult,
    BayesFactorResult,
    CheckItem,
    ConfidenceInterval,
    ConsistencyReport,
    CorrelationBounds,
    Description,
    EffectSize,
    EffectSizeTable,
    EquivalenceResult,
    FrozenMapping,
    NormalityDiagnostic,
    PlanRow,
    PowerResult,
    Reconstruction,
    ReplicationPlan,
    TestResult,
    json_safe,
)

#: every result type, and how many rows its to_records() gives
MULTI_ROW = {
    EffectSizeTable: len,
    BatchResult: lambda r: r.size,
    ReplicationPlan: lambda r: len(r.rows),
    ConsistencyReport: lambda r: len(r.items),
    Reconstruction: lambda r: sum(count for table in r.tables for *_, count in table),
}


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
        *_moved_results(study),
    ]


def _moved_results(study):
    """The results that once lived beside their functions: batch, plan, forensics, describe."""
    rng = np.random.default_rng(3)
    pre = rng.normal(10, 2, size=(2, 3, 12))
    post = pre + rng.normal(0.5, 1, size=pre.shape)
    post[0, 1, 1:] = np.nan  # a study left with too few pairs: a NaN row
    table = ps.datasets.oxytocin_table3()
    plan = ps.replication.plan(study)
    report = table.check()
    description = study.describe()
    return [
        ps.test_batch("t", pre, post, alternative="greater", missing="drop"),  # +inf limits
        ps.test_batch("wilcoxon", pre[0, 0], post[0, 0]),  # one study: shape ()
        plan,
        plan.rows[0],
        report,
        report.items[0],
        table.reconstruct(scale=(6, 10)),
        table.correlation(),
        description,
        description.change,
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


def test_every_result_type_lives_in_results_and_keeps_its_old_path(every_result):
    from pairedstudy import batch, forensics, replication, study, summary

    moved = {
        BatchResult: [batch.BatchResult, ps.BatchResult],
        PlanRow: [replication.PlanRow],
        ReplicationPlan: [replication.ReplicationPlan],
        CheckItem: [forensics.CheckItem, summary.CheckItem],
        ConsistencyReport: [forensics.ConsistencyReport, summary.ConsistencyReport],
        Reconstruction: [forensics.Reconstruction, summary.Reconstruction],
        CorrelationBounds: [summary.CorrelationBounds],
        Description: [study.Description, ps.Description],
        ArmDescription: [study.ArmDescription, ps.ArmDescription],
    }
    for cls, old in moved.items():
        assert cls.__module__.startswith("pairedstudy.results.")
        assert all(alias is cls for alias in old), cls
        assert cls.__name__ in results.__all__
    assert {type(r) for r in every_result} >= set(moved)


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
        assert len(frame) == MULTI_ROW.get(type(result), lambda r: 1)(result)
        assert "details" not in frame.columns
        assert result._repr_html_().startswith("<table")
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


def _walk(value):
    """Every leaf of plain values, to check their types."""
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    else:
        yield value


def test_to_dict_gives_plain_python_types(every_result):
    for result in every_result:
        for leaf in _walk(result.to_dict()):
            assert leaf is None or type(leaf) in (bool, int, float, str), (type(result), leaf)


def test_batch_result_serializes_its_arrays_strictly(every_result):
    batch = next(r for r in every_result if isinstance(r, BatchResult) and r.shape)
    plain = batch.to_dict()
    assert np.array_equal(np.array(plain["pvalue"]), batch.pvalue, equal_nan=True)
    assert plain["method"][0][1] == "not computed" and math.isnan(plain["statistic"][0][1])
    data = _strict_loads(batch.to_json())
    assert data["ci_high"][1][2] == "Infinity"  # alternative="greater": an open upper end
    assert data["statistic"][0][1] is None and data["n"][0][1] == 1
    assert data["notes"] == list(batch.notes)
    records = batch.to_records()
    assert records[0]["study"] == (0, 0) and records[-1]["study"] == (1, 2)
    assert records[4]["pvalue"] == batch.pvalue[1, 1] and records[1]["method"] == "not computed"
    single = next(r for r in every_result if isinstance(r, BatchResult) and not r.shape)
    assert _strict_loads(single.to_json())["pvalue"] == float(single.pvalue)
    assert single.to_records()[0]["study"] == ()


def test_batch_result_arrays_stay_read_only_after_pickle_and_copy(every_result):
    for batch in (r for r in every_result if isinstance(r, BatchResult)):
        for clone in (
            batch,
            pickle.loads(pickle.dumps(batch)),
            copy.copy(batch),
            copy.deepcopy(batch),
        ):
            assert clone == batch
            for name in ("statistic", "pvalue", "ci_high", "n", "method"):
                array = getattr(clone, name)
                assert not array.flags.writeable
                with pytest.raises(ValueError):
                    array.flags.writeable = True  # a read-only view of a read-only base
                with pytest.raises(ValueError):
                    array[...] = array


def test_moved_results_keep_their_text_and_behaviour(every_result):
    plan = next(r for r in every_result if isinstance(r, ReplicationPlan))
    data = _strict_loads(plan.to_json())
    assert [row["method"] for row in data["rows"]] == [row.method for row in plan.rows]
    assert data["settings"] == json_safe(dict(plan.settings))
    assert plan.to_records()[0] == plan.rows[0].to_dict()
    report = next(r for r in every_result if isinstance(r, ConsistencyReport))
    assert _strict_loads(report.to_json())["items"][0] == report.items[0].to_dict()
    assert str(report).splitlines()[0] == report.verdict
    rec = next(r for r in every_result if isinstance(r, Reconstruction))
    assert len(rec) and all(isinstance(s, ps.PairedStudy) for s in rec)
    for (pre, post), study in zip(rec.arrays(), rec, strict=True):
        assert np.array_equal(pre, study.pre) and np.array_equal(post, study.post)
    low, high = rec.range(lambda s: s.test("sign").pvalue)
    assert low <= high and len(rec.values(lambda s: s.n)) == len(rec)
    assert _strict_loads(rec.to_json())["tables"] == [
        [list(pair) for pair in table] for table in rec.tables
    ]
    description = next(r for r in every_result if isinstance(r, Description))
    data = _strict_loads(description.to_json())
    assert list(data) == ["name", "pre", "post", "change", "correlation", "pre_only", "post_only"]
    assert data["change"] == description.change.to_dict()
    assert data["pre_only"] is None and data["post_only"] is None  # complete pairs only
    assert "pre_mean" in description.to_records()[0]
    # the columns do not change with the data: absent halves give their columns, empty
    halves = ps.PairedStudy([1, 2, 3, 4], [2, 4, 3, float("nan")], missing="drop").describe()
    assert list(halves.to_records()[0]) == list(description.to_records()[0])
    assert halves.to_records()[0]["pre_only_mean"] == 4.0
    assert description.to_records()[0]["pre_only_mean"] is None


def test_correlation_bounds_write_infinite_and_missing_values_strictly():
    bounds = CorrelationBounds(value=None, low=-math.inf, high=math.inf, source="p", possible=True)
    assert _strict_loads(bounds.to_json()) == {
        "value": None,
        "low": "-Infinity",
        "high": "Infinity",
        "source": "p",
        "possible": True,
    }
    assert pickle.loads(pickle.dumps(bounds)) == bounds


def test_results_import_nothing_above_them_at_import_time():
    """results sit below the registry, the tests, study and forensics (DESIGN.md layers)."""
    import ast
    from pathlib import Path

    for path in Path(results.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level; `if TYPE_CHECKING:` blocks are ast.If
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                allowed = {"errors", "_numerics", "_validation"}  # the bottom layer
                assert node.module in allowed, (path.name, node.module)


def test_missing_keys_raise_the_library_key_error():
    table = ps.datasets.oxytocin_massage().effect_sizes(["dz"])
    plan = ps.replication.plan(ps.datasets.oxytocin_table3())
    for obj in (table, plan):
        with pytest.raises(ps.UnknownKeyError, match="'x'") as caught:
            obj["x"]
        assert isinstance(caught.value, KeyError)
        assert isinstance(caught.value, ps.PairedStudyError)


def test_results_holding_nan_equal_their_pickled_copies():
    ci = ps.ConfidenceInterval(low=-math.inf, high=math.inf, level=0.95)
    result = ps.results.TestResult(
        test="x",
        title="x",
        method="m",
        statistic=math.nan,
        statistic_name="t",
        pvalue=math.nan,
        alternative="two-sided",
        mu=0.0,
        n=3,
        df=math.nan,
        estimate=1.0,
        estimate_name="mean change",
        ci=ci,
    )
    for copied in (pickle.loads(pickle.dumps(result)), copy.deepcopy(result)):
        assert copied == result and not copied != result
        assert hash(copied) == hash(result)
        assert {copied, result} == {result}
    other = attrs.evolve(result, n=4)
    assert other != result  # NaN-aware, not blind: a different field still differs
    assert attrs.evolve(result, statistic=1.0) != result


def test_large_counts_and_degrees_of_freedom_print_in_full():
    from pairedstudy.reports import apa

    result = ps.results.TestResult(
        test="wilcoxon",
        title="Wilcoxon",
        method="asymptotic",
        statistic=5806070000.0,
        statistic_name="V",
        pvalue=0.5,
        alternative="two-sided",
        mu=0.0,
        n=150000,
        estimate=0.1,
        estimate_name="pseudomedian",
    )
    assert "V = 5806070000," in str(result) and "e+" not in str(result)
    assert apa(result).startswith("V = 5806070000, ")
    t = ps.results.TestResult(
        test="t",
        title="t",
        method="exact",
        statistic=4.5,
        statistic_name="t",
        pvalue=0.01,
        alternative="two-sided",
        mu=0.0,
        n=200001,
        df=200000.0,
        estimate=0.1,
        estimate_name="mean change",
    )
    assert apa(t).startswith("t(200000) = 4.50")
    assert "V = 76.5," in str(attrs.evolve(result, statistic=76.5))


def test_the_converters_fast_paths_keep_their_rules():
    """``note_tuple`` and ``frozen_mapping`` answer a tuple and a dict first (issue 14)."""
    from collections import OrderedDict
    from types import MappingProxyType

    from pairedstudy.results import frozen_mapping, note_tuple
    from pairedstudy.results._base import LegacyDetails

    notes = ("a", "b")
    assert note_tuple(notes) is notes
    assert note_tuple(["a", "b"]) == notes
    assert note_tuple("a note") == ("a note",)  # one note, not its letters
    assert note_tuple(n for n in notes) == notes

    class Notes(tuple):
        pass

    assert type(note_tuple(Notes(notes))) is tuple  # a subclass becomes a plain tuple

    details = {"x": 1.0}
    frozen = frozen_mapping(details)
    details["x"] = 2.0  # the mapping was copied
    assert type(frozen) is FrozenMapping and dict(frozen) == {"x": 1.0}
    assert frozen_mapping(frozen) is frozen
    legacy = LegacyDetails({"y": 1.0}, {"old": (2.0, "new")})
    assert frozen_mapping(legacy) is legacy
    for other in (OrderedDict(x=1.0), MappingProxyType({"x": 1.0}), None):
        converted = frozen_mapping(other)
        assert type(converted) is FrozenMapping
        assert dict(converted) == (dict(other) if other is not None else {})
