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
