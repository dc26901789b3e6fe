"""Tests of the pre x post table (issue 19, ordinal scores): the table, the three tests,
their properties, statsmodels, bad input, the result, the plot, APA, batch and CLI."""

import json
import math
import pickle
import warnings

import attrs
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import SquareTable

import pairedstudy as ps
from pairedstudy.inference.ordinal import EXACT_LIMIT, MAX_CATEGORIES, crosstab

TESTS = ("stuart-maxwell", "bhapkar", "bowker")


def study_of(counts, categories=None):
    """A study whose pre x post table is ``counts`` (categories 1..k by default)."""
    counts = np.asarray(counts)
    k = counts.shape[0]
    levels = np.arange(1, k + 1) if categories is None else np.asarray(categories)
    rows, columns = np.indices((k, k))
    pre = np.repeat(levels[rows.ravel()], counts.ravel())
    post = np.repeat(levels[columns.ravel()], counts.ravel())
    return ps.PairedStudy(pre, post)


@st.composite
def tables(draw, max_k=5, max_count=6):
    k = draw(st.integers(2, max_k))
    cells = draw(st.lists(st.integers(0, max_count), min_size=k * k, max_size=k * k))
    counts = np.array(cells).reshape(k, k)
    assume(counts.sum() >= 2)
    return counts


def run(study, name, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.DegenerateDataWarning)
        return study.test(name, **options)


# --- the table ---------------------------------------------------------------------------


def test_crosstab_counts_rows_pre_columns_post():
    table = crosstab([1, 1, 2, 3, 3, 3], [1, 2, 2, 1, 3, 3])
    assert table.categories == (1.0, 2.0, 3.0)
    assert table.counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert table.n == 6 and table.k == 3
    assert table.row_totals.tolist() == [2, 1, 3]
    assert table.column_totals.tolist() == [2, 2, 2]


def test_crosstab_declared_categories_keep_unused_rows_and_columns():
    table = ps.PairedStudy([2, 3, 3], [3, 3, 5]).crosstab(categories=[5, 4, 3, 2, 1])
    assert table.categories == (1.0, 2.0, 3.0, 4.0, 5.0)
    assert table.counts.sum() == 3 and table.counts[1, 2] == 1 and table.counts[2, 4] == 1
    assert table.row_totals.tolist() == [0, 1, 2, 0, 0]


def test_crosstab_is_read_only_and_round_trips():
    table = ps.datasets.oxytocin_massage().crosstab()
    with pytest.raises(ValueError):
        table.counts[0, 0] = 7
    with pytest.raises(ValueError):
        table.row_totals[0] = 7
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        table.categories = (1.0,)
    again = pickle.loads(pickle.dumps(table))
    assert again == table and again.counts.flags.writeable is False
    data = json.loads(table.to_json())
    assert data["counts"] == table.counts.tolist() and data["n"] == 21
    frame = table.to_frame()
    assert list(frame.columns) == ["pre", "post", "count"] and len(frame) == 25
    assert frame["count"].sum() == 21
    text = str(table)
    assert "rows pre, columns post" in text and "total" in text
    assert "<table" in table._repr_html_()


def test_crosstab_non_integers_too_many_values_and_unknown_categories_are_refused():
    with pytest.raises(ps.InputValueError, match="whole numbers.*7.5.*categories="):
        ps.PairedStudy([7.5, 8, 9], [8, 9, 9]).crosstab()
    # declared, half points are fine
    table = ps.PairedStudy([7.5, 8, 9], [8, 9, 9]).crosstab(categories=[7.5, 8, 8.5, 9])
    assert table.categories == (7.5, 8.0, 8.5, 9.0)
    many = np.arange(MAX_CATEGORIES + 5, dtype=float)
    with pytest.raises(ps.InputValueError, match=f"{MAX_CATEGORIES + 6} distinct values"):
        ps.PairedStudy(many, many + 1).crosstab()
    with pytest.raises(ps.InputValueError, match="score 6 is not one of the categories"):
        ps.PairedStudy([1, 2, 6], [2, 2, 3]).crosstab(categories=[1, 2, 3, 4, 5])
    with pytest.raises(ps.InputValueError, match="distinct; 2 is given more than once"):
        ps.PairedStudy([1, 2], [2, 2]).crosstab(categories=[1, 2, 2])
    with pytest.raises(ps.InputTypeError, match="categories"):
        ps.PairedStudy([1, 2], [2, 2]).crosstab(categories="12")
    with pytest.raises(ps.InputValueError, match="same length"):
        crosstab([1, 2, 3], [1, 2])
    with pytest.raises(ps.InputValueError, match="non-finite value at position 1"):
        crosstab([1, math.nan], [1, 2])


@pytest.mark.parametrize("name", TESTS)
def test_the_tests_refuse_non_categorical_data_and_one_sided_or_shifted_nulls(name):
    continuous = ps.PairedStudy(np.linspace(0, 1, 25), np.linspace(0.3, 2, 25))
    with pytest.raises(ps.InputValueError, match="whole numbers"):
        continuous.test(name)
    study = ps.datasets.oxytocin_massage()
    for alternative in ("less", "greater"):
        with pytest.raises(ps.InputValueError, match=f"alternative.*{alternative}"):
            study.test(name, alternative=alternative)
    with pytest.raises(ps.InputValueError, match="mu must be 0; got 0.5"):
        study.test(name, mu=0.5)
    with pytest.raises(ps.InputValueError, match="method must be one of"):
        study.test(name, method="bootstrap")
    with pytest.raises(ps.InputValueError, match="n_resamples"):
        study.test(name, method="monte-carlo", n_resamples=0)
    with pytest.raises(ps.InputTypeError, match="seed"):
        study.test(name, method="monte-carlo", seed=1.5)
    # confidence_level is accepted and unused
    assert study.test(name, confidence_level=0.5) == study.test(name)


def test_exact_refuses_an_enumeration_beyond_its_bound():
    rng = np.random.default_rng(5)
    counts = rng.integers(20, 40, (8, 8))
    study = study_of(counts)
    with pytest.raises(ps.InputValueError, match=f"at most {EXACT_LIMIT} distinct states"):
        study.test("stuart-maxwell", method="exact")
    result = study.test("stuart-maxwell", method="monte-carlo", n_resamples=999)
    assert result.method == "monte-carlo" and 0 < result.pvalue <= 1


# --- statsmodels ---------------------------------------------------------------------------


def statsmodels_values(counts):
    table = SquareTable(np.asarray(counts), shift_zeros=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "stuart-maxwell": table.homogeneity(),
            "bhapkar": table.homogeneity(method="bhapkar"),
            "bowker": table.symmetry(),
        }


def full_rank(counts):
    """Every category joined to the others by discordant pairs (rank k - 1)."""
    study = study_of(counts)
    return run(study, "stuart-maxwell", categories=range(1, len(counts) + 1)).df == len(counts) - 1


FIXED = [
    [[23, 15], [19, 31]],
    [[144, 33, 84, 126], [2, 4, 14, 29], [0, 2, 6, 25], [0, 0, 1, 5]],
    [[20, 10, 5], [3, 30, 15], [0, 5, 40]],
    [[93, 17, 44, 7, 10], [9, 46, 11, 0, 9], [17, 11, 155, 9, 12], [6, 4, 9, 15, 2],
     [10, 4, 12, 2, 27]],
]  # fmt: skip


@pytest.mark.parametrize("counts", FIXED)
def test_statsmodels_agrees_on_fixed_tables(counts):
    study = study_of(counts)
    reference = statsmodels_values(counts)
    for name in TESTS:
        result = study.test(name)
        expected = reference[name]
        if name == "bowker" and result.df != expected.df:  # a pair of categories with m = 0
            assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
            continue
        assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert result.df == expected.df
        if expected.pvalue == 0:  # statsmodels' homogeneity takes 1 - cdf: it underflows
            assert 0 < result.pvalue < 1e-15
        else:
            assert result.pvalue == pytest.approx(expected.pvalue, rel=1e-9)


@given(tables())
def test_statsmodels_agrees_where_its_covariance_is_of_full_rank(counts):
    study = study_of(counts)
    categories = range(1, len(counts) + 1)
    reference = statsmodels_values(counts)
    sm = run(study, "stuart-maxwell", categories=categories)
    bowker = run(study, "bowker", categories=categories)
    # Bowker: the statistic always; the df where every pair of categories has a
    # discordant pair (statsmodels keeps k(k - 1)/2)
    assert bowker.statistic == pytest.approx(reference["bowker"].statistic, rel=1e-9, abs=1e-12)
    if bowker.df == reference["bowker"].df:
        assert bowker.pvalue == pytest.approx(reference["bowker"].pvalue, rel=1e-7, abs=1e-12)
    assume(sm.df == len(counts) - 1)
    assert sm.statistic == pytest.approx(
        reference["stuart-maxwell"].statistic, rel=1e-8, abs=1e-12
    )
    assert sm.df == reference["stuart-maxwell"].df
    assert sm.pvalue == pytest.approx(reference["stuart-maxwell"].pvalue, rel=1e-6, abs=1e-12)
    bhapkar = run(study, "bhapkar", categories=categories)
    if math.isfinite(reference["bhapkar"].statistic) and math.isfinite(bhapkar.statistic):
        assert bhapkar.statistic == pytest.approx(
            reference["bhapkar"].statistic, rel=1e-7, abs=1e-12
        )


def test_statsmodels_default_shift_zeros_changes_the_statistic():
    """statsmodels' default replaces zero cells by 0.5: not the textbook statistic."""
    counts = [[5, 3, 0], [1, 4, 2], [0, 1, 6]]
    shifted = SquareTable(np.asarray(counts)).homogeneity().statistic
    raw = SquareTable(np.asarray(counts), shift_zeros=False).homogeneity().statistic
    ours = study_of(counts).test("stuart-maxwell").statistic
    assert ours == pytest.approx(raw, rel=1e-12) and abs(ours - shifted) > 1e-3


def test_two_categories_are_mcnemar():
    study = study_of([[10, 7], [2, 5]])
    for name in TESTS[::2]:
        result = study.test(name)
        assert result.statistic == pytest.approx((7 - 2) ** 2 / 9, rel=1e-14)
        assert result.df == 1
    exact = study.test("stuart-maxwell", method="exact")
    binomial = 2 * sum(math.comb(9, x) for x in range(0, 3)) / 2**9
    assert exact.pvalue == pytest.approx(binomial, rel=1e-12)


# --- degenerate tables ----------------------------------------------------------------------


def test_an_unused_declared_category_lowers_the_rank_and_says_so():
    counts = [[5, 0, 3, 1], [0, 0, 0, 0], [0, 0, 4, 2], [2, 0, 1, 6]]
    with_empty = study_of(counts).test("stuart-maxwell", categories=[1, 2, 3, 4])
    without = study_of([[5, 3, 1], [0, 4, 2], [2, 1, 6]], categories=[1, 3, 4]).test(
        "stuart-maxwell"
    )
    assert with_empty.df == 2 and with_empty.statistic == pytest.approx(without.statistic)
    assert with_empty.pvalue == pytest.approx(without.pvalue)
    assert any("no pair changed to or from the category 2" in n for n in with_empty.notes)
    assert any("Moore-Penrose" in n and "df = 2" in n for n in with_empty.notes)


def test_groups_without_moves_between_them_are_tested_within_each_and_summed():
    counts = [[3, 2, 0, 0], [4, 1, 0, 0], [0, 0, 2, 3], [0, 0, 1, 5]]
    result = study_of(counts).test("stuart-maxwell")
    first = study_of([[3, 2], [4, 1]]).test("stuart-maxwell").statistic
    second = study_of([[2, 3], [1, 5]]).test("stuart-maxwell").statistic
    assert result.df == 2 and result.statistic == pytest.approx(first + second)
    assert any("no pair moved between the groups {1, 2} and {3, 4}" in n for n in result.notes)


def test_bowker_counts_only_pairs_of_categories_with_moves():
    result = ps.datasets.oxytocin_massage().test("bowker")
    assert result.df == 6 and result.statistic == 17
    assert "4 of the 10 pairs of categories" in result.notes[0]


@pytest.mark.parametrize("name", TESTS)
def test_no_pair_changing_category_gives_zero_with_a_warning(name):
    study = ps.PairedStudy([1, 2, 3, 3], [1, 2, 3, 3])
    with pytest.warns(ps.DegenerateDataWarning, match="no pair changed category"):
        result = study.test(name)
    assert (result.statistic, result.df, result.pvalue) == (0.0, 0.0, 1.0)


def test_bhapkar_is_undefined_when_every_pair_moved_one_way():
    study = ps.PairedStudy([1] * 5, [2] * 5)
    with pytest.warns(ps.DegenerateDataWarning, match="singular"):
        result = study.test("bhapkar")
    assert math.isnan(result.statistic) and math.isnan(result.pvalue)
    exact = study.test("bhapkar", method="exact")
    assert exact.statistic == math.inf and exact.pvalue == pytest.approx(2 / 32)
    assert json.loads(exact.to_json())["statistic"] == "Infinity"
    assert study.test("stuart-maxwell").statistic == 5.0


# --- properties ------------------------------------------------------------------------------


@given(tables())
def test_swapping_pre_and_post_changes_nothing(counts):
    forward = study_of(counts)
    backward = ps.PairedStudy(forward.post, forward.pre)
    for name in TESTS:
        a, b = run(forward, name), run(backward, name)
        assert a.df == b.df
        assert a.statistic == pytest.approx(b.statistic, rel=1e-9, abs=1e-12, nan_ok=True)
        assert a.pvalue == pytest.approx(b.pvalue, rel=1e-9, abs=1e-12, nan_ok=True)
        assert np.array_equal(a.table.counts, b.table.counts.T)


@given(tables(), st.integers(1, 5), st.integers(-20, 20))
def test_a_monotone_relabelling_changes_nothing(counts, scale, shift):
    k = len(counts)
    study = study_of(counts)
    relabelled = study_of(counts, categories=[scale * c**2 + shift for c in range(1, k + 1)])
    halves = study_of(counts, categories=[c / 2 + 0.25 for c in range(1, k + 1)])
    half_levels = [c / 2 + 0.25 for c in range(1, k + 1)]
    for name in TESTS:
        a = run(study, name)
        b = run(relabelled, name)
        c = run(halves, name, categories=half_levels)
        for other in (b, c):
            assert other.df == a.df
            assert other.statistic == pytest.approx(a.statistic, rel=1e-12, nan_ok=True)
            assert other.pvalue == pytest.approx(a.pvalue, rel=1e-12, nan_ok=True)


@given(tables(max_k=4, max_count=4))
def test_p_values_lie_in_the_unit_interval_for_every_method(counts):
    study = study_of(counts)
    for name in TESTS:
        for method in ("asymptotic", "exact", "monte-carlo"):
            result = run(study, name, method=method, n_resamples=199)
            assert math.isnan(result.pvalue) or 0.0 <= result.pvalue <= 1.0
            if method != "asymptotic" or not math.isnan(result.statistic):
                assert 0.0 <= result.pvalue <= 1.0


@given(tables(max_k=4, max_count=2))
def test_a_symmetric_table_gives_zero_and_p_one(counts):
    symmetric = counts + counts.T
    study = study_of(symmetric)
    for name in TESTS:
        for method in ("asymptotic", "exact"):
            result = run(study, name, method=method)
            assert result.statistic == 0.0
            assert result.pvalue == 1.0


@given(tables(max_k=4, max_count=4))
def test_monte_carlo_agrees_with_exact_within_its_error(counts):
    study = study_of(counts)
    for name in ("stuart-maxwell", "bowker"):
        exact = run(study, name, method="exact")
        mc = run(study, name, method="monte-carlo", n_resamples=4000, seed=3)
        se = math.sqrt(max(exact.pvalue * (1 - exact.pvalue), 1e-4) / 4000)
        assert abs(mc.pvalue - exact.pvalue) <= 5 * se + 1 / 4001


@given(tables(max_k=4, max_count=4))
def test_bhapkar_orders_resampled_tables_as_stuart_maxwell(counts):
    study = study_of(counts)
    sm = run(study, "stuart-maxwell", method="exact")
    bhapkar = run(study, "bhapkar", method="exact")
    assert bhapkar.pvalue == pytest.approx(sm.pvalue, rel=1e-12)
    assert bhapkar.df == sm.df


def test_monte_carlo_is_reproducible_and_records_its_seed():
    study = ps.datasets.oxytocin_massage()
    a = study.test("bowker", method="monte-carlo", n_resamples=500, seed=7)
    b = study.test("bowker", method="monte-carlo", n_resamples=500, seed=7)
    assert a == b and a.details["seed"] == 7 and a.details["n_resamples"] == 500
    assert a.pvalue >= 1 / 501 and "Monte Carlo SE" in a.notes[-1]


# --- the result, its printing, APA, the plot -------------------------------------------------


def test_the_result_prints_serializes_and_is_immutable():
    study = ps.datasets.oxytocin_massage()
    result = study.test("stuart-maxwell")
    assert isinstance(result, ps.TableTestResult) and isinstance(result.table, ps.CrossTable)
    assert result.alternative == "two-sided" and result.n == 21
    text = str(result)
    assert text.startswith("Stuart-Maxwell test of marginal homogeneity")
    assert "chi-squared = 16.42, df = 4, p = 0.0025" in text
    assert "pre \\ post" in text and "n = 21 pairs" in text
    data = json.loads(result.to_json())
    assert data["table"]["counts"] == result.table.counts.tolist()
    frame = result.to_frame()
    assert frame.loc[0, "categories"] == "6; 7; 8; 9; 10"
    assert "table_counts_0_0" not in frame.columns and "statistic" in frame.columns
    assert "Stuart-Maxwell" in result._repr_html_()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.pvalue = 0.5
    with pytest.raises(TypeError):
        result.details["x"] = 1
    assert pickle.loads(pickle.dumps(result)) == result


def test_apa_names_the_table_test():
    study = ps.datasets.oxytocin_massage()
    assert ps.reports.apa(study.test("stuart-maxwell")) == "Stuart-Maxwell χ²(4) = 16.42, p = .003"
    assert ps.reports.apa(study.test("bowker", method="exact")).startswith(
        "Bowker χ²(6) = 17.00, exact p < .001"
    )
    mc = ps.reports.apa(study.test("bhapkar", method="monte-carlo", n_resamples=99))
    assert mc == "Bhapkar χ²(4) = 75.23, Monte Carlo p = .010"
    markdown = ps.reports.analysis_markdown(study, [study.test("t"), study.test("bowker")])
    assert "| Bowker test of symmetry | χ² = 17, df = 6 |" in markdown


def test_crosstab_heatmap_draws_counts_and_the_diagonal():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    study = ps.datasets.oxytocin_massage()
    ax = ps.plotting.crosstab_heatmap(study)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 25 and texts[4] == "0" and texts[9] == "8"  # row 7, column 10
    assert len(ax.patches) == 5  # the outlined diagonal
    assert ax.get_xlabel() == "post" and ax.get_ylabel() == "pre"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["6", "7", "8", "9", "10"]
    table_ax = ps.plotting.crosstab_heatmap(study.crosstab(categories=range(5, 11)))
    assert len(table_ax.texts) == 36
    with pytest.raises(ps.InputValueError, match="categories applies to a study"):
        ps.plotting.crosstab_heatmap(study.crosstab(), categories=[6, 7])
    with pytest.raises(ps.InputTypeError, match="PairedStudy or a CrossTable"):
        ps.plotting.crosstab_heatmap([[1, 2], [3, 4]])
    plt.close("all")


# --- batch and CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", TESTS)
def test_test_batch_runs_study_by_study_and_equals_single(name):
    rng = np.random.default_rng(2)
    pre = rng.integers(1, 5, (4, 30)).astype(float)
    post = np.clip(pre + rng.integers(-1, 3, (4, 30)), 1, 5)
    batch = ps.test_batch(name, pre, post)
    for row in range(4):
        single = ps.PairedStudy(pre[row], post[row]).test(name)
        assert batch.statistic[row] == single.statistic and batch.pvalue[row] == single.pvalue
        assert batch.df[row] == single.df and batch.method[row] == single.method
    assert np.isnan(batch.estimate).all()
    assert any("ran once per study" in note for note in batch.notes)
    with pytest.raises(ps.InputValueError, match="whole numbers"):
        ps.test_batch(name, pre + 0.5, post)


def test_cli_analyze_prints_the_table_tests(tmp_path, capsys):
    from pairedstudy.cli import main

    study = ps.datasets.oxytocin_massage()
    path = tmp_path / "scores.csv"
    path.write_text(
        "pre,post\n"
        + "".join(f"{int(a)},{int(b)}\n" for a, b in zip(study.pre, study.post, strict=True))
    )
    argv = ["analyze", str(path), "--pre", "pre", "--post", "post"]
    assert main([*argv, "--tests", "stuart-maxwell,bowker"]) == 0
    out = capsys.readouterr().out
    assert "Stuart-Maxwell test of marginal homogeneity" in out
    assert "APA: Stuart-Maxwell χ²(4) = 16.42, p = .003" in out
    assert "APA: Bowker χ²(6) = 17.00, p = .009" in out
    assert main([*argv, "--tests", "t,bowker", "--format", "markdown"]) == 0
    assert "| Bowker test of symmetry |" in capsys.readouterr().out
    assert main([*argv, "--tests", "bhapkar", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tests"][0]["table"]["n"] == 21


def test_monte_carlo_work_is_bounded():
    study = ps.datasets.oxytocin_massage()
    with pytest.raises(ps.InputValueError, match=r"n_resamples = 1000000000000 would draw"):
        study.test("bowker", method="monte-carlo", n_resamples=10**12)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"categories": [1, 2], "counts": [[0.5, 1.7], [0, 1]]}, ps.InputValueError, "got 0.5"),
        ({"categories": [1, 2], "counts": [["1", "2"], ["3", "4"]]}, ps.InputTypeError, "text"),
        (
            {"categories": [1, 2], "counts": [[True, False], [False, True]]},
            ps.InputTypeError,
            "bool",
        ),
        (
            {"categories": [float("nan"), 1], "counts": [[1, 0], [0, 1]]},
            ps.InputValueError,
            "finite",
        ),
        ({"categories": [1, 2], "counts": [[float("nan"), 1], [0, 1]]}, ps.InputValueError, "nan"),
        ({"categories": [1, 2], "counts": [[2**70, 1], [0, 1]]}, ps.InputTypeError, "64 bits"),
        ({"categories": [1, 2], "counts": [[-1, 1], [0, 1]]}, ps.InputValueError, "got -1"),
        ({"categories": "ab", "counts": [[1]]}, ps.InputTypeError, "sequence of numbers"),
        ({"categories": [1, True], "counts": [[1, 0], [0, 1]]}, ps.InputTypeError, "True"),
    ],
)
def test_a_cross_table_refuses_what_is_not_a_table_of_counts(kwargs, error, message):
    with pytest.raises(error, match=message):
        ps.CrossTable(**kwargs)
    assert ps.CrossTable(categories=[1, 2], counts=[[1.0, 2.0], [0, 1]]).counts.tolist() == [
        [1, 2],
        [0, 1],
    ]


def test_bhapkar_is_stuart_maxwell_inflated_by_its_sample_size():
    # W = Q / (1 - Q / n): the identity behind the docs' warning that Bhapkar is liberal
    rng = np.random.default_rng(3)
    for n in (12, 30, 80):
        pre = rng.integers(1, 5, n).astype(float)
        post = np.clip(pre + rng.integers(-1, 3, n), 1, 5).astype(float)
        study = ps.PairedStudy(pre, post)
        q = study.test("stuart-maxwell").statistic
        assert study.test("bhapkar").statistic == pytest.approx(q / (1 - q / n), rel=1e-12)
