"""Render the documentation's figures with pairedstudy's own plotting functions.

Usage (from the repository root)::

    python docs/scripts/make_figures.py [OUTPUT_DIR]

``OUTPUT_DIR`` defaults to ``docs/figures``. The figures are small PNGs (100 dpi) rendered
with matplotlib's Agg backend, so no display is needed; re-run the script after a change
to the plotting functions and commit the result.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

#: The default output directory, next to this script's parent.
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "figures"
DPI = 100
#: Every file the script writes, in order.
FIGURES = (
    "oxytocin-slope.png",
    "oxytocin-changes.png",
    "power-curve.png",
    "sign-test-sawtooth.png",
    "reconstruction-wilcoxon-p.png",
    "oxytocin-crosstab.png",
)


def _save(ax: Any, path: Path) -> Path:
    """Write the figure that holds ``ax`` to ``path`` and close it."""
    import matplotlib.pyplot as plt

    figure = ax.figure
    figure.tight_layout()
    figure.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> list[Path]:
    """Render every figure into the directory given as the only argument.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments: at most one, the output directory.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of :data:`FIGURES`.
    """
    import matplotlib

    matplotlib.use("Agg")
    from scipy import special

    import pairedstudy as ps

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) > 1:
        raise SystemExit("usage: make_figures.py [OUTPUT_DIR]")
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    output.mkdir(parents=True, exist_ok=True)
    slope, changes, power, sawtooth, reconstruction, crosstab = (output / name for name in FIGURES)

    study = ps.datasets.oxytocin_massage()
    written = [_save(ps.plotting.slope_plot(study), slope)]
    ax = ps.plotting.change_distribution(study)
    ax.legend(loc="upper left")  # "best" lands on the tallest bar here
    written.append(_save(ax, changes))

    # d33 (0.35), a medium effect, a large one and the oxytocin study's observed dz
    dz = round(study.effect_size("dz").value, 2)
    written.append(_save(ps.plotting.power_curve([0.35, 0.5, 1.0, dz], n=range(2, 81)), power))

    # the exact sign test when P(change > 0) = 0.7 among the non-zero changes: p = Phi(dz)
    p_dz = float(special.ndtri(0.7))
    ax = ps.plotting.power_curve(round(p_dz, 4), n=range(30, 71), test="sign")
    ax.set_ylim(0.4, 0.95)
    ax.set_title("Exact sign test, P(change > 0) = 0.7: a sawtooth")
    written.append(_save(ax, sawtooth))

    rec = ps.datasets.oxytocin_table3().reconstruct(scale=(6, 10))
    ax = ps.plotting.reconstruction_distribution(
        rec, lambda s: s.test("wilcoxon").pvalue, label="Wilcoxon p-value"
    )
    ax.figure.set_size_inches(6, 4)
    written.append(_save(ax, reconstruction))

    ax = ps.plotting.crosstab_heatmap(study)
    ax.figure.set_size_inches(4.5, 4)
    written.append(_save(ax, crosstab))
    return written


if __name__ == "__main__":
    for path in main():
        print(path)
