"""Diagnostics of the change ``post - pre``: descriptions shown beside the tests."""

from __future__ import annotations

from typing import Any

import attrs

from ._base import Serializable, note_tuple

__all__ = ["NormalityDiagnostic"]


def _fences(value: tuple[float, float]) -> tuple[float, float]:
    low, high = value
    return (float(low), float(high))


@attrs.frozen(kw_only=True)
class NormalityDiagnostic(Serializable):
    """How the change ``post - pre`` departs from a normal distribution.

    A description, not a gatekeeper and not a location test: see
    :func:`pairedstudy.diagnostics.normality`.

    Attributes
    ----------
    n : int
        Number of pairs.
    w : float
        The Shapiro-Wilk statistic W (1 for a perfectly normal-looking sample).
    pvalue : float
        Its p-value (small: evidence of non-normality).
    skewness : float
        Adjusted Fisher-Pearson sample skewness ``G1`` (as SPSS and Excel report it;
        scipy's ``skew(bias=False)``).
    excess_kurtosis : float or None
        Sample excess kurtosis ``G2`` (SPSS; scipy's ``kurtosis(bias=False)``), 0 for a
        normal population; ``None`` for ``n = 3``, where it is undefined.
    n_outliers : int
        Changes outside Tukey's fences ``[Q1 - 1.5 IQR, Q3 + 1.5 IQR]``, with the
        quartiles of R's default (type 7, numpy's ``"linear"``) definition.
    fences : tuple of float
        The fences ``(low, high)``.
    method : str
        How W and its p-value were computed.
    notes : tuple of str
        What a reader should know, starting with why this is not a gatekeeper.
    study_name : str or None
        The name of the study.
    """

    n: int
    w: float
    pvalue: float
    skewness: float
    excess_kurtosis: float | None
    n_outliers: int
    fences: tuple[float, float] = attrs.field(converter=_fences)
    method: str
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)
    study_name: str | None = None

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat row; the fences as ``fence_low`` and ``fence_high``.

        Returns
        -------
        list of dict
        """
        record = super().to_records()[0]
        low, high = self.fences
        fenced = {}
        for name, value in record.items():
            if name == "fences_0":
                fenced["fence_low"] = low
            elif name == "fences_1":
                fenced["fence_high"] = high
            else:
                fenced[name] = value
        return [fenced]

    @property
    def statistic(self) -> float:
        """W, under the name the tests use."""
        return self.w

    def __str__(self) -> str:
        kurtosis = "NA" if self.excess_kurtosis is None else f"{self.excess_kurtosis:.3f}"
        p = f"{self.pvalue:.3g}" if self.pvalue < 1e-4 else f"{self.pvalue:.4f}"
        name = f" ({self.study_name})" if self.study_name else ""
        lines = [
            f"Normality diagnostic of change = post - pre{name} (a description, not a gatekeeper)",
            f"  n = {self.n} pairs; Shapiro-Wilk W = {self.w:.4f}, p = {p}",
            f"  skewness = {self.skewness:.3f}, excess kurtosis = {kurtosis}",
            f"  outlying changes (Tukey's fences [{self.fences[0]:.4g}, {self.fences[1]:.4g}])"
            f": {self.n_outliers}",
        ]
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)
