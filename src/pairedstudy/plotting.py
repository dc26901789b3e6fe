"""Plots (optional extra ``plot``: matplotlib). Every function returns what it drew on.

matplotlib is imported only when a plot is made, so ``import pairedstudy`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import show
from .errors import InputTypeError, InputValueError, MissingDependencyError

if TYPE_CHECKING:
    from .results import CrossTable, Reconstruction
    from .study import PairedStudy

__all__ = [
    "analysis_figure",
    "change_distribution",
    "crosstab_heatmap",
    "power_curve",
    "reconstruction_distribution",
    "slope_plot",
]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingDependencyError(
            'plots need matplotlib, which is not installed: pip install "pairedstudy[plot]"',
            name="matplotlib",
        ) from None
    return plt


def _integer_ticks(axis: Any) -> None:
    """Ticks at whole numbers only (an axis of counts)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=(5, 4))
    return ax


def slope_plot(
    study: PairedStudy,
    ax: Any = None,
    *,
    labels: tuple[str, str] = ("pre", "post"),
    ylabel: str = "score",
) -> Any:
    """One line per subject from pre to post, and the mean change in bold.

    Parameters
    ----------
    study : PairedStudy
        The data.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    labels : (str, str)
        The names of the two measurements under the x axis (e.g. the column names).
    ylabel : str
        The label of the y axis (what was measured).

    Returns
    -------
    matplotlib.axes.Axes
        With ``n`` grey subject lines and one mean line (labelled).
    """
    ax = _axes(ax)
    rng = np.random.default_rng(0)  # a little jitter so tied pairs stay visible
    spread = 0.02 * (np.ptp(np.concatenate([study.pre, study.post])) or 1.0)
    for a, b in zip(study.pre, study.post, strict=True):
        jitter = rng.uniform(-spread, spread)
        ax.plot([0, 1], [a + jitter, b + jitter], color="0.6", linewidth=0.8, alpha=0.7)
    mean_pre, mean_post = float(np.mean(study.pre)), float(np.mean(study.post))
    ax.plot(
        [0, 1],
        [mean_pre, mean_post],
        color="C3",
        linewidth=3,
        label=f"mean change {mean_post - mean_pre:+.3g}",
    )
    ax.set_xticks([0, 1], list(labels))
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylabel(ylabel)
    ax.set_title(f"{study.name or 'Paired study'} (n = {study.n})")
    ax.legend(loc="best")
    return ax


def change_distribution(
    study: PairedStudy, ax: Any = None, *, labels: tuple[str, str] = ("pre", "post")
) -> Any:
    """The distribution of ``post - pre`` with its mean, median and 0 marked.

    Parameters
    ----------
    study : PairedStudy
        The data.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    labels : (str, str)
        The names of the two measurements, for the x axis's ``change (post - pre)``.

    Returns
    -------
    matplotlib.axes.Axes
        A histogram (one bar per value for integer-valued changes) and three vertical
        lines: zero, the mean and the median.
    """
    ax = _axes(ax)
    change = study.change
    edges: np.ndarray | str
    if np.all(change == np.round(change)) and np.ptp(change) <= 50:
        edges = np.arange(change.min() - 0.5, change.max() + 1.5)
    else:
        edges = "auto"
    ax.hist(change, bins=edges, color="C0", alpha=0.7, edgecolor="white")
    ax.axvline(0.0, color="0.3", linestyle=":", label="no change")
    ax.axvline(float(np.mean(change)), color="C3", label=f"mean {np.mean(change):.3g}")
    ax.axvline(
        float(np.median(change)),
        color="C2",
        linestyle="--",
        label=f"median {np.median(change):.3g}",
    )
    ax.set_xlabel(f"change ({labels[1]} - {labels[0]})")
    ax.set_ylabel("pairs")
    _integer_ticks(ax.yaxis)  # counts: no fractional ticks
    ax.set_title("Distribution of the changes")
    ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
    return ax


def power_curve(
    dz: float | Sequence[float],
    n: Sequence[int] | np.ndarray | None = None,
    *,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    test: str = "t",
    target: float | None = 0.8,
    ax: Any = None,
) -> Any:
    """Power against the number of pairs, one line per effect size.

    Parameters
    ----------
    dz : float or sequence of float
        Effects to draw.
    n : sequence of int, optional
        Numbers of pairs (default 2..100).
    alpha, alternative
        Of the test.
    test : {"t", "wilcoxon", "sign"}
        Noncentral-t, A.R.E. (normal parent) or exact sign-test power (``p = Φ(dz)``).
    target : float, optional
        A horizontal line at the target power.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        One line per ``dz`` (plus the target line).
    """
    from scipy import special

    from .power import paired_t_power, sign_test_power, wilcoxon_power

    ax = _axes(ax)
    effects = np.atleast_1d(np.asarray(dz, dtype=float))
    ns = np.arange(2, 101) if n is None else np.asarray(n)
    for effect in effects:
        if test == "t":
            values = paired_t_power(ns, effect, alpha, alternative)
        elif test == "wilcoxon":
            values = wilcoxon_power(ns, effect, alpha, alternative)
        else:
            values = sign_test_power(ns, float(special.ndtr(effect)), alpha, alternative)
        ax.plot(ns, values, label=f"dz = {effect:g}")
    if target is not None:
        ax.axhline(target, color="0.4", linestyle=":", label=f"power {target:g}")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("pairs (n)")
    ax.set_ylabel("power")
    ax.set_title(f"Power of the paired {test} test (alpha {alpha:g}, {alternative})")
    ax.legend(loc="lower right")
    return ax


def reconstruction_distribution(
    reconstruction: Reconstruction,
    statistic: Callable[[PairedStudy], float],
    *,
    label: str = "statistic",
    ax: Any = None,
) -> Any:
    """A statistic over every dataset consistent with a table (its range and spread).

    Returns
    -------
    matplotlib.axes.Axes
        A histogram of the values and two vertical lines at their minimum and maximum.
    """
    ax = _axes(ax)
    values = reconstruction.values(statistic)
    ax.hist(values, bins="auto", color="C1", alpha=0.8, edgecolor="white")
    ax.axvline(float(values.min()), color="0.2", linestyle="--", label=f"min {values.min():.3g}")
    ax.axvline(float(values.max()), color="0.2", linestyle=":", label=f"max {values.max():.3g}")
    kind = "all" if reconstruction.complete else "a sample of"
    ax.set_title(f"{label}\nover {kind} {len(reconstruction)} consistent datasets")
    ax.set_xlabel(label)
    ax.set_ylabel("datasets")
    _integer_ticks(ax.yaxis)
    ax.legend(loc="best")
    return ax


def crosstab_heatmap(
    study_or_table: PairedStudy | CrossTable,
    *,
    categories: Sequence[float] | None = None,
    ax: Any = None,
) -> Any:
    """A heat map of the pre x post table: counts in the cells, the diagonal marked.

    Parameters
    ----------
    study_or_table : PairedStudy or CrossTable
        A study with categorical scores (its :meth:`~pairedstudy.PairedStudy.crosstab` is
        drawn) or a table.
    categories : sequence of float, optional
        The categories of the scale, for a study (see
        :meth:`~pairedstudy.PairedStudy.crosstab`); refused with a table, which has its
        own.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        Rows are the pre categories (top to bottom), columns the post categories; each
        cell shows its count, and the cells of the diagonal (no change of category) are
        outlined. Above the diagonal are the pairs that moved to a higher category.

    Raises
    ------
    InputTypeError
        ``study_or_table`` is neither a study nor a table.
    InputValueError
        ``categories`` given with a table, or scores that are not categorical.
    MissingDependencyError
        matplotlib is not installed.
    """
    from .results import CrossTable
    from .study import PairedStudy

    if isinstance(study_or_table, CrossTable):
        if categories is not None:
            raise InputValueError(
                "categories applies to a study; a CrossTable has its own categories "
                f"({', '.join(f'{c:g}' for c in study_or_table.categories)})"
            )
        table = study_or_table
        title = "pre x post table"
    elif isinstance(study_or_table, PairedStudy):
        table = study_or_table.crosstab(categories)
        title = study_or_table.name or "pre x post table"
    else:
        raise InputTypeError(
            f"study_or_table must be a PairedStudy or a CrossTable; got {show(study_or_table)}"
        )
    ax = _axes(ax)
    from matplotlib.patches import Rectangle

    counts = table.counts
    k = table.k
    image = ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(1, int(counts.max())))
    threshold = 0.6 * max(1, int(counts.max()))
    for i in range(k):
        for j in range(k):
            value = int(counts[i, j])
            ax.text(
                j,
                i,
                str(value),
                ha="center",
                va="center",
                color="white" if value > threshold else "0.1",
                fontsize="small" if k > 8 else "medium",
            )
        ax.add_patch(
            Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="C3", linewidth=1.5)
        )
    labels = [f"{c:g}" for c in table.categories]
    ax.set_xticks(range(k), labels)
    ax.set_yticks(range(k), labels)
    ax.set_xlabel("post")
    ax.set_ylabel("pre")
    ax.set_title(f"{title}\nn = {table.n} pairs; outlined diagonal: no change", fontsize="medium")
    ax.figure.colorbar(image, ax=ax, label="pairs")
    return ax


def analysis_figure(
    study: PairedStudy, *, labels: tuple[str, str] = ("pre", "post"), ylabel: str = "score"
) -> Any:
    """The CLI's ``--plot``: the slope plot and the distribution of changes side by side.

    Parameters
    ----------
    study : PairedStudy
        The data.
    labels : (str, str)
        The names of the two measurements (the CLI passes the column names or time codes).
    ylabel : str
        What was measured (the CLI passes the value column, or what the two column
        names share).

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _pyplot()
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    slope_plot(study, left, labels=labels, ylabel=ylabel)
    change_distribution(study, right, labels=labels)
    figure.tight_layout()
    return figure
