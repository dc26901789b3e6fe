"""Effect sizes of the change ``post - pre`` and tables of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..errors import UnknownKeyError
from ._base import Serializable, fixed, format_number, frozen_mapping, note_tuple, percent
from .intervals import ConfidenceInterval

__all__ = ["EffectSize", "EffectSizeTable"]


@attrs.frozen(kw_only=True)
class EffectSize(Serializable):
    """One effect size of the change ``post - pre`` with its confidence interval.

    Attributes
    ----------
    kind : str
        ``"dz"``, ``"drm"``, ``"dav"``, ``"db"``, their Hedges-corrected ``"g..."``,
        ``"rank_biserial"``, ``"cles"`` or ``"hl"``.
    label : str
        What the kind is, in words.
    value : float
        The estimate.
    ci : ConfidenceInterval or None
        Its interval (``None`` when not requested or undefined).
    method : str
        How the interval was computed (``"noncentral t"``, ``"bootstrap BCa (...)"``, ...).
    n : int
        Number of pairs.
    notes : tuple of str
        What a reader should know about the computation.
    details : Mapping
        Extra figures, e.g. the bootstrap seed.
    """

    kind: str
    label: str
    value: float = attrs.field(converter=float)
    ci: ConfidenceInterval | None
    method: str
    n: int
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=frozen_mapping, eq=False, repr=False
    )

    def __str__(self) -> str:
        text = f"{self.kind} = {format_number(self.value)}"
        if self.ci is not None:
            text += f", {self.ci} ({self.method})"
        return text


def _rows(value: Iterable[EffectSize]) -> tuple[EffectSize, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class EffectSizeTable(Serializable):
    """Several effect sizes of one study; index it by kind, iterate over its rows.

    Attributes
    ----------
    rows : tuple of EffectSize
        One per kind, in the order asked for.
    skipped : tuple of str
        Kinds left out because the data leave them undefined, each with the reason.
    name : str or None
        The study's name.
    """

    rows: tuple[EffectSize, ...] = attrs.field(converter=_rows)
    skipped: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)
    name: str | None = None

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat row per effect size (see :meth:`EffectSize.to_records`).

        Returns
        -------
        list of dict
        """
        return [{"name": self.name, **row.to_records()[0]} for row in self.rows]

    def __getitem__(self, kind: str) -> EffectSize:
        for row in self.rows:
            if row.kind == kind:
                return row
        raise UnknownKeyError(
            f"{kind!r} is not in this table; it has {[r.kind for r in self.rows]}"
        )

    def __iter__(self) -> Iterator[EffectSize]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __str__(self) -> str:
        title = (
            f"Effect sizes of change = post - pre ({self.name})"
            if self.name
            else ("Effect sizes of change = post - pre")
        )
        lines = [title, f"{'kind':<15}{'value':>10}  {'interval':<24}method"]
        for row in self.rows:
            interval = "" if row.ci is None else f"[{fixed(row.ci.low)}, {fixed(row.ci.high)}]"
            lines.append(f"{row.kind:<15}{fixed(row.value):>10}  {interval:<24}{row.method}")
        levels = {percent(row.ci.level) for row in self.rows if row.ci is not None}
        if levels:
            lines.append(f"intervals at {', '.join(sorted(levels))}%")
        lines.extend(f"skipped {reason}" for reason in self.skipped)
        return "\n".join(lines)
