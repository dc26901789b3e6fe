"""Power and sample size of one paired test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._base import FrozenMapping, Serializable, format_number, frozen_mapping, note_tuple

__all__ = ["PowerResult"]


def _notes(value: Any) -> tuple[str, ...]:
    """:func:`note_tuple`, passing a tuple through without a call (the default ``()``)."""
    return value if type(value) is tuple else note_tuple(value)


def _details(value: Any) -> FrozenMapping:
    """:func:`frozen_mapping`, wrapping a plain dict without its ``isinstance`` on an ABC.

    A power function builds a fresh dict of details on every call (a power given ``n`` in
    a loop); ``isinstance`` against a ``Mapping`` subclass goes through ``ABCMeta``, about
    0.25 us of a 10 us call.
    """
    return FrozenMapping(value) if type(value) is dict else frozen_mapping(value)


@attrs.frozen(kw_only=True)
class PowerResult(Serializable):
    """Power or sample size of one paired test: the inputs, what was solved, and the answer.

    Attributes
    ----------
    test : str
        ``"t"``, ``"sign"``, ``"wilcoxon"`` or ``"tost"``.
    method : str
        How power was computed: ``"noncentral t"``, ``"exact binomial"``, ``"Noether"``,
        ``"A.R.E. (normal parent)"``, ``"simulation (...)"``, ...
    solved_for : str
        Which argument was solved: ``"n"``, ``"dz"``, ``"p"``, ``"alpha"`` or ``"power"``.
    n : int or None
        The whole number of pairs: the smallest reaching the target power when solving for
        ``n``, otherwise the given ``n``.
    n_exact : float or None
        The continuous solution for ``n`` (as R's ``pwr``), when there is one.
    effect : float
        The effect: ``dz`` (mean change / SD of change) or, for the sign test, ``p`` (the
        probability that a non-zero change is positive); ``effect_name`` says which.
    alpha : float
        The nominal significance level.
    power : float
        The power achieved at the whole ``n`` (and the other inputs as reported).
    target_power : float or None
        The power asked for, when something was solved for it.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``.
    attained_alpha : float or None
        The exact size of a discrete test (below ``alpha``).
    mc_se : float or None
        Monte Carlo standard error of a simulated power.
    notes : tuple of str
        What a reader should know.
    details : Mapping
        Extra figures (critical values, simulation settings, ...).
    """

    test: str
    method: str
    solved_for: str
    n: int | None
    n_exact: float | None = None
    effect: float = attrs.field(converter=float)
    effect_name: str
    alpha: float = attrs.field(converter=float)
    power: float = attrs.field(converter=float)
    target_power: float | None = None
    alternative: str
    attained_alpha: float | None = None
    mc_se: float | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=_notes)
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_details, eq=False, repr=False
    )

    @property
    def dz(self) -> float | None:
        """The standardized effect ``dz`` (``None`` for the sign test's ``p``)."""
        return self.effect if self.effect_name == "dz" else None

    def __str__(self) -> str:
        lines = [
            f"Power of the paired {self.test} test ({self.method}), solved for {self.solved_for}"
        ]
        n = "NA" if self.n is None else str(self.n)
        if self.n_exact is not None:
            n += f" (continuous {self.n_exact:.4f})"
        lines.append(f"  n = {n} pairs, {self.effect_name} = {format_number(self.effect)}")
        alpha = f"  alpha = {format_number(self.alpha)} ({self.alternative})"
        if self.attained_alpha is not None:
            alpha += f", attained {format_number(self.attained_alpha)}"
        lines.append(alpha)
        power = f"  power = {self.power:.4f}"
        if self.mc_se is not None:
            power += f" (Monte Carlo SE {self.mc_se:.4f})"
        if self.target_power is not None:
            power += f", target {self.target_power:g}"
        lines.append(power)
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)
