"""Every result type as a tidy data frame (to_frame) and as a notebook table (_repr_html_)."""

import importlib
import math

import attrs
import numpy as np
import pytest

import pairedstudy as ps
from pairedstudy.results import (
    BatchResult,
    ConsistencyReport,
    CrossTable,
    EffectSizeTable,
    Reconstruction,
    ReplicationEvaluation,
    ReplicationPlan,
    Serializable,
    TestResult,
)

pd = pytest.importorskip("pandas")


def _pairs(rec):
    return sum(count for table in rec.tables for *_, count in table)


#: the results with rows, and how many rows their frame has
ROWS = {
    EffectSizeTable: len,
    BatchResult: lambda r: r.size,
    ReplicationPlan: lambda r: len(r.rows),
    ReplicationEvaluation: lambda r: len(r.rows),
    ConsistencyReport: lambda r: len(r.items),
    Reconstruction: _pairs,
    CrossTable: lambda r: r.k**2,
}


@pytest.fixture(scope="module")
def results():
    study = ps.datasets.oxytocin_massage()
    table = ps.datasets.oxytocin_table3()
    rng = np.random.default_rng(7)
    pre = rng.normal(10, 2, size=(4, 12))
    post = pre + rng.normal(0.5, 1, size=pre.shape)
    plan = ps.replication.plan(study)
    evaluation = ps.replication.evaluate(table, study)
    report = table.check()
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ps.PairedStudyWarning)
            effects = study.effect_sizes()
    return {
        "t": study.test("t"),
        "wilcoxon": study.test("wilcoxon"),
        "bayes": study.test("bayes"),
        "tost": study.test("tost", low=-0.5, high=0.5),
        "ci": study.test("t").ci,
        "effect": study.effect_size("dz"),
        "effects": effects,
        "power": ps.power.paired_t(dz=0.5, power=0.8),
        "batch": ps.test_batch("t", pre, post),
        "batch2d": ps.test_batch("wilcoxon", pre.reshape(2, 2, 12), post.reshape(2, 2, 12)),
        "batch0d": ps.test_batch("sign", pre[0], post[0]),
        "plan": plan,
        "plan_row": plan.rows[0],
        "evaluation": evaluation,
        "evaluation_row": evaluation.rows[0],
        "report": report,
        "check": report.items[0],
        "reconstruction": table.reconstruct(scale=(6, 10)),
        "correlation": table.correlation(),
        "description": study.describe(),
        "arm": study.describe().change,
        "diagnostic": ps.diagnostics.normality(study),
        "moments": study.moments(),
        "summary_moments": table.moments(),
        "crosstab": study.crosstab(),
        "table_test": study.test("stuart-maxwell"),
    }


def _scalar(value):
    return value is None or isinstance(value, (bool, int, float, str, np.generic))


def test_every_result_gives_a_tidy_frame_of_scalars(results):
    for name, result in results.items():
        frame = result.to_frame()
        assert isinstance(frame, pd.DataFrame), name
        assert len(frame) == ROWS.get(type(result), lambda r: 1)(result), name
        assert "details" not in frame.columns, name
        for column in frame.columns:
            if name in ("batch2d", "batch0d") and column == "study":
                continue  # an index tuple into the batch's shape, by design
            assert all(_scalar(v) for v in frame[column].tolist()), (name, column)


def test_frame_values_are_the_results_attributes(results):
    t = results["t"]
    row = t.to_frame().iloc[0]
    assert row["statistic"] == t.statistic and row["pvalue"] == t.pvalue
    assert (row["ci_low"], row["ci_high"], row["ci_level"]) == (t.ci.low, t.ci.high, 0.95)
    assert row["method"] == t.method and row["df"] == t.df and row["n"] == t.n
    tost = results["tost"].to_frame().iloc[0]
    assert tost["p_lower"] == results["tost"].p_lower and tost["low"] == -0.5
    assert results["bayes"].to_frame()["bf10"].iloc[0] == results["bayes"].bf10
    effects = results["effects"].to_frame()
    assert list(effects["kind"]) == [row.kind for row in results["effects"]]
    assert list(effects["value"]) == [row.value for row in results["effects"]]
    plan = results["plan"].to_frame()
    assert list(plan["n"]) == [row.n for row in results["plan"].rows]
    report = results["report"].to_frame()
    assert list(report["verdict"]) == [item.verdict for item in results["report"].items]
    diagnostic = results["diagnostic"].to_frame().iloc[0]
    assert (diagnostic["fence_low"], diagnostic["fence_high"]) == results["diagnostic"].fences
    description = results["description"].to_frame().iloc[0]
    assert description["change_mean"] == results["description"].change.mean
    moments = results["summary_moments"].to_frame()
    assert isinstance(moments["origins"].iloc[0], str)


def test_several_tests_concatenate_into_one_table(results):
    frame = pd.concat([results[k].to_frame() for k in ("t", "wilcoxon", "bayes", "tost")])
    assert list(frame["test"]) == ["t", "wilcoxon", "bayes", "tost"]
    assert frame["pvalue"].notna().all()


def test_batch_frame_has_one_row_per_study_equal_to_its_records(results):
    for name in ("batch", "batch2d", "batch0d"):
        batch = results[name]
        frame = batch.to_frame()
        assert len(frame) == batch.size
        expected = pd.DataFrame(batch.to_records())
        assert list(frame.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
        assert np.array_equal(frame["pvalue"].to_numpy(), batch.pvalue.ravel())
    one_d = results["batch"].to_frame()
    assert list(one_d["study"]) == [0, 1, 2, 3]
    assert list(results["batch2d"].to_frame()["study"]) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    # the same figures as the single-study test, study by study
    study_rows = results["batch"].to_frame()
    assert (study_rows["ci_level"] == 0.95).all()


def test_reconstruction_frame_is_its_datasets_in_long_form(results):
    rec = results["reconstruction"]
    frame = rec.to_frame()
    assert frame["dataset"].nunique() == len(rec)
    first = frame[frame["dataset"] == 0]
    pre, post = next(rec.arrays())
    assert np.array_equal(first["pre"], pre) and np.array_equal(first["post"], post)
    assert np.array_equal(frame["change"], frame["post"] - frame["pre"])
    pd.testing.assert_frame_equal(frame, pd.DataFrame(rec.to_records()), check_dtype=False)


def test_polars_backend_gives_the_same_table(results):
    pl = pytest.importorskip("polars")
    for name in ("t", "effects", "batch", "plan"):
        frame = results[name].to_frame(backend="polars")
        assert isinstance(frame, pl.DataFrame)
        assert frame.columns == list(results[name].to_frame().columns)
        assert frame.height == len(results[name].to_frame())


def test_unknown_backend_and_missing_library_are_clear_errors(results, monkeypatch):
    with pytest.raises(ps.PairedStudyError, match="backend must be one of"):
        results["t"].to_frame(backend="arrow")
    real = importlib.import_module

    def without_pandas(name, *args):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_pandas)
    with pytest.raises(ps.PairedStudyError, match=r"pairedstudy\[frames\]"):
        results["t"].to_frame()


def test_html_is_a_table_and_escapes_text(results):
    for name, result in results.items():
        text = result._repr_html_()
        assert text.startswith("<table") and text.count("<table") == 1, name
        assert "<caption" in text, name
    hostile = attrs.evolve(results["t"], study_name="<script>alert(1)</script> & co")
    text = hostile._repr_html_()
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp; co" in text


def test_html_shows_one_result_as_figure_value_pairs_without_empty_ones(results):
    text = results["t"]._repr_html_()
    assert "<th" in text and "pvalue" in text and "2.064e-07" in text
    assert "ci_attained_level" not in text  # None for the t interval: left out
    assert "Paired t-test" in text


def test_html_of_many_rows_is_small_and_says_so():
    rng = np.random.default_rng(0)
    pre = rng.normal(size=(30, 8))
    batch = ps.test_batch("t", pre, pre + 1 + rng.normal(size=pre.shape))
    text = batch._repr_html_()
    assert text.count("<tr>") == 1 + 20  # the header and the first 20 studies
    assert "first 20 of 30 rows" in text


def test_html_cells_write_missing_and_infinite_values(results):
    pre = np.array([[1.0, 2.0, 3.0], [1.0, np.nan, np.nan]])
    post = pre + np.array([1.0, 2.0, 4.0])
    batch = ps.test_batch("t", pre, post, missing="drop")  # one pair left: NaN
    assert "NaN" in batch._repr_html_()
    greater = ps.datasets.oxytocin_massage().test("t", alternative="greater")
    assert ">inf<" in greater._repr_html_()


def test_every_result_type_is_covered(results):
    covered = {type(result) for result in results.values()}
    serializable = {
        cls
        for module in ("pairedstudy.results", "pairedstudy.moments")
        for cls in vars(importlib.import_module(module)).values()
        if isinstance(cls, type) and issubclass(cls, Serializable) and cls is not Serializable
    }
    assert serializable <= covered | {TestResult}, serializable - covered


def test_frame_of_a_one_sided_interval_keeps_its_infinite_limit(results):
    greater = ps.datasets.oxytocin_massage().test("t", alternative="greater").to_frame()
    assert math.isinf(greater["ci_high"].iloc[0])
