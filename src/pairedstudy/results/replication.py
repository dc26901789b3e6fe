"""Replication results: the plan and the evaluation, one row per method or criterion.

The plan puts every sample-size method side by side; the evaluation every criterion of
replication success.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import UnknownKeyError
from ._base import Serializable, frozen_mapping, note_tuple

__all__ = ["EvaluationRow", "PlanRow", "ReplicationEvaluation", "ReplicationPlan"]


@attrs.frozen(kw_only=True)
class PlanRow(Serializable):
    """One planning method's answer.

    Attributes
    ----------
    method : str
        The method's name.
    dz : float or None
        The planning effect (``None`` when the method has none, e.g. not estimable).
    n : int or None
        Pairs the replication needs (``None`` when the method cannot give one; the
        rationale says why).
    power : float or None
        Power achieved at ``n`` for the planning effect (for AIPE rows, the power the
        interval-sized study would have at the naive effect).
    rationale : str
        What the method assumes and why it gives this ``n``.
    """

    method: str
    dz: float | None
    n: int | None
    power: float | None
    rationale: str


def _row_tuple(rows: Iterable[PlanRow]) -> tuple[PlanRow, ...]:
    return tuple(rows)


@attrs.frozen(kw_only=True)
class ReplicationPlan(Serializable):
    """Every planning method side by side; print it for a table.

    Attributes
    ----------
    rows : tuple of PlanRow
        One per method.
    n_original, dz_original, t_original : int, float, float
        The original study as the planner saw it.
    power, alpha, alternative
        The targets of the replication.
    source : str
        ``"raw data"`` or ``"summary statistics"``.
    settings : Mapping
        The methods' options (safeguard level, assurance, ...).
    notes : tuple of str
        What a reader should know about the original as planned from (e.g. the
        observed halves of incomplete pairs its complete pairs leave out).

    Notes
    -----
    ``to_dict()`` nests the rows as dicts; ``to_records()`` and ``to_frame()`` give one
    row per method.
    """

    rows: tuple[PlanRow, ...] = attrs.field(converter=_row_tuple)
    n_original: int
    dz_original: float
    t_original: float
    power: float
    alpha: float
    alternative: str
    source: str
    settings: Mapping[str, Any] = attrs.field(converter=frozen_mapping, eq=False)
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)

    def __getitem__(self, method: str) -> PlanRow:
        for row in self.rows:
            if row.method == method:
                return row
        raise UnknownKeyError(f"no row {method!r}; rows are {[r.method for r in self.rows]}")

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat row per planning method.

        Returns
        -------
        list of dict
        """
        return [row.to_records()[0] for row in self.rows]

    def __str__(self) -> str:
        head = (
            f"Replication plan: original n = {self.n_original}, dz = {self.dz_original:.3f}, "
            f"t = {self.t_original:.3f} ({self.source}); target power {self.power:g}, "
            f"alpha {self.alpha:g} ({self.alternative})"
        )
        width = max([22, *(len(row.method) + 1 for row in self.rows)])
        lines = [head, f"{'method':<{width}}{'dz':>8}{'n':>9}{'power':>8}  rationale"]
        for row in self.rows:
            dz = "" if row.dz is None else f"{row.dz:.3f}"
            n = "--" if row.n is None else str(row.n)
            power = "" if row.power is None else f"{row.power:.3f}"
            lines.append(f"{row.method:<{width}}{dz:>8}{n:>9}{power:>8}  {row.rationale}")
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class EvaluationRow(Serializable):
    """One criterion of replication success, its figure and its verdict.

    Attributes
    ----------
    criterion : str
        The criterion's name (``"significance"``, ``"sceptical p-value"``, ...).
    value : float
        Its figure: a p-value, a Bayes factor or an effect estimate (``statistic`` says
        which); NaN when the criterion is undefined for these studies.
    statistic : str
        What ``value`` is (``"p"``, ``"BF"``, ``"estimate"``, ...).
    low, high : float or None
        The interval of the row (prediction interval, combined interval), else ``None``.
    threshold : float or None
        What ``value`` is compared with, when it is compared with a number.
    success : bool
        Whether the criterion counts the replication as a success.
    verdict : str
        The verdict in a few words.
    rationale : str
        One line saying what was compared with what.
    """

    criterion: str
    value: float
    statistic: str
    low: float | None = None
    high: float | None = None
    threshold: float | None = None
    success: bool
    verdict: str
    rationale: str


def _evaluation_rows(rows: Iterable[EvaluationRow]) -> tuple[EvaluationRow, ...]:
    return tuple(rows)


@attrs.frozen(kw_only=True)
class ReplicationEvaluation(Serializable):
    """Did the replication succeed? Every criterion side by side; print it for a table.

    Attributes
    ----------
    zo, zr : float
        z-values of the original and the replication, ``theta / se`` with the standard
        error matched to each study's exact interval (see
        :func:`pairedstudy.replication.study_z`).
    c : float
        Variance ratio ``se_o^2 / se_r^2``.
    p_sceptical : float
        The recalibrated sceptical p-value (one-sided, of ``type``).
    rows : tuple of EvaluationRow
        One per criterion.
    level : float
        The one-sided level of the criteria (0.025 matches a two-sided 0.05).
    type : str
        Recalibration of the sceptical p-value.
    scale : str
        ``"mean"`` (the mean change ``post - pre``, in the data's units) or ``"dz"``.
    theta_original, se_original, theta_replication, se_replication : float
        The effect estimates on ``scale`` and their standard errors.
    t_original, t_replication : float
        The paired t statistics.
    n_original, n_replication : int
        Pairs in each study.
    source_original, source_replication : str
        ``"raw data"`` or ``"summary statistics"``.
    notes : tuple of str
        What a reader should know.

    Notes
    -----
    ``to_dict()`` nests the rows as dicts; ``to_records()`` and ``to_frame()`` give one
    row per criterion.
    """

    zo: float
    zr: float
    c: float
    p_sceptical: float
    rows: tuple[EvaluationRow, ...] = attrs.field(converter=_evaluation_rows)
    level: float
    type: str
    scale: str
    theta_original: float
    se_original: float
    theta_replication: float
    se_replication: float
    t_original: float
    t_replication: float
    n_original: int
    n_replication: int
    source_original: str
    source_replication: str
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)

    def __getitem__(self, criterion: str) -> EvaluationRow:
        for row in self.rows:
            if row.criterion == criterion:
                return row
        raise UnknownKeyError(
            f"no criterion {criterion!r}; criteria are {[r.criterion for r in self.rows]}"
        )

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criteria's names, in order."""
        return tuple(row.criterion for row in self.rows)

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat row per criterion.

        Returns
        -------
        list of dict
        """
        return [row.to_records()[0] for row in self.rows]

    def __str__(self) -> str:
        unit = "mean change" if self.scale == "mean" else "dz"
        lines = [
            "Replication evaluation (one-sided level "
            f"{self.level:g}, in the original's direction)",
            f"  original:    n = {self.n_original}, {unit} = {self.theta_original:.4g} "
            f"(SE {self.se_original:.4g}), t = {self.t_original:.3f}, z = {self.zo:.3f} "
            f"({self.source_original})",
            f"  replication: n = {self.n_replication}, {unit} = {self.theta_replication:.4g} "
            f"(SE {self.se_replication:.4g}), t = {self.t_replication:.3f}, "
            f"z = {self.zr:.3f} ({self.source_replication})",
            f"  c = {self.c:.3f}, sceptical p-value ({self.type}) = {_short(self.p_sceptical)}",
            f"{'criterion':<26}{'value':>10}  {'interval':<22}{'success':<8} verdict: rationale",
        ]
        for row in self.rows:
            interval = ""
            if row.low is not None and row.high is not None:
                interval = f"[{_short(row.low)}, {_short(row.high)}]"
            mark = "yes" if row.success else "no"
            lines.append(
                f"{row.criterion:<26}{_short(row.value):>10}  {interval:<22}{mark:<8} "
                f"{row.verdict}: {row.rationale}"
            )
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def _short(value: float) -> str:
    if value != value:
        return "NaN"
    if value == 0 or 1e-3 <= abs(value) < 1e4:
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.2f}"
    return f"{value:.3g}"
