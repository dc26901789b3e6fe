"""Plots render with Agg and contain what they claim (lines, bars, titles)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import pairedstudy as ps
from pairedstudy import plotting

STUDY = ps.datasets.oxytocin_massage()


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_slope_plot_has_one_line_per_subject_and_the_mean(tmp_path):
    ax = plotting.slope_plot(STUDY)
    assert len(ax.lines) == STUDY.n + 1
    assert "n = 21" in ax.get_title()
    assert "mean change +1.95" in ax.get_legend().get_texts()[0].get_text()
    ax.figure.savefig(tmp_path / "slope.png")
    assert (tmp_path / "slope.png").stat().st_size > 1000


def test_change_distribution_bars_count_every_pair():
    ax = plotting.change_distribution(STUDY)
    heights = [patch.get_height() for patch in ax.patches]
    assert sum(heights) == STUDY.n and len(heights) == 4  # changes 0, 1, 2, 3
    assert len(ax.lines) == 3


def test_power_curve_lines_and_values():
    ax = plotting.power_curve([0.5, 1.0], n=[5, 10, 20, 40])
    assert len(ax.lines) == 3  # two effects and the target
    y = ax.lines[1].get_ydata()
    assert y[-1] == pytest.approx(ps.power.paired_t_power(40, 1.0))
    assert len(plotting.power_curve(0.5, test="sign").lines) == 2


def test_reconstruction_distribution_marks_the_range():
    table = ps.datasets.oxytocin_table3()
    rec = table.reconstruct(scale=(6, 10))
    ax = plotting.reconstruction_distribution(
        rec, lambda s: s.test("wilcoxon").pvalue, label="Wilcoxon p"
    )
    assert "all 248" in ax.get_title()
    assert len(ax.lines) == 2


def test_cli_plot(tmp_path, capsys):
    from pairedstudy.cli import main

    csv = tmp_path / "d.csv"
    csv.write_text(
        "pre,post\n"
        + "\n".join(f"{int(a)},{int(b)}" for a, b in zip(STUDY.pre, STUDY.post, strict=True))
        + "\n"
    )
    png = tmp_path / "plot.png"
    assert main(["analyze", str(csv), "--pre", "pre", "--post", "post", "--plot", str(png)]) == 0
    assert png.stat().st_size > 1000


# --- issue 17: integer count ticks, the column names, a missing matplotlib ---------------


def test_change_histogram_has_whole_count_ticks_and_the_column_names():
    small = ps.PairedStudy([1, 2, 3], [2, 4, 4])  # counts of 1 and 2: matplotlib picks 0.25s
    ax = plotting.change_distribution(small, labels=("SBP baseline", "SBP week 12"))
    ax.figure.canvas.draw()
    ticks = [t for t in ax.get_yticks() if 0 <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert ax.get_xlabel() == "change (SBP week 12 - SBP baseline)"


def test_analysis_figure_uses_the_given_names():
    figure = plotting.analysis_figure(STUDY, labels=("before", "after"), ylabel="milk score")
    left, right = figure.axes
    assert [t.get_text() for t in left.get_xticklabels()] == ["before", "after"]
    assert left.get_ylabel() == "milk score" and "after - before" in right.get_xlabel()


def test_a_missing_matplotlib_is_a_missing_dependency_error(monkeypatch):
    import sys

    from pairedstudy.errors import MissingDependencyError, PairedStudyError

    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # import now fails
    with pytest.raises(MissingDependencyError, match=r'pip install "pairedstudy\[plot\]"') as exc:
        plotting.slope_plot(STUDY)
    assert isinstance(exc.value, ImportError) and isinstance(exc.value, PairedStudyError)
    assert not isinstance(exc.value, TypeError)
