"""A replication plan: every sample-size planning method side by side, one row each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import UnknownKeyError
from ._base import Serializable, frozen_mapping

__all__ = ["PlanRow", "ReplicationPlan"]


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
        lines = [head, f"{'method':<22}{'dz':>8}{'n':>9}{'power':>8}  rationale"]
        for row in self.rows:
            dz = "" if row.dz is None else f"{row.dz:.3f}"
            n = "--" if row.n is None else str(row.n)
            power = "" if row.power is None else f"{row.power:.3f}"
            lines.append(f"{row.method:<22}{dz:>8}{n:>9}{power:>8}  {row.rationale}")
        return "\n".join(lines)
