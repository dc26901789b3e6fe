"""Descriptive statistics of a paired study: each arm, the change and the correlation."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from .._numerics import mean_sd, median
from ._base import Serializable, fixed

__all__ = ["ArmDescription", "Description"]


@attrs.frozen(kw_only=True)
class ArmDescription(Serializable):
    """Descriptive statistics of one arm (or of the change).

    Attributes
    ----------
    n : int
        Number of values.
    mean, sd, median, min, max : float
        The usual summaries; ``sd`` uses the ``n - 1`` denominator, as papers report it.
    """

    n: int
    mean: float
    sd: float
    median: float
    min: float
    max: float

    @classmethod
    def of(cls, values: np.ndarray) -> ArmDescription:
        """Describe a 1-D array of finite values (at least one; one value has a NaN ``sd``).

        Parameters
        ----------
        values : numpy.ndarray
            The values (float64).

        Returns
        -------
        ArmDescription
        """
        if values.size == 1:
            mean, sd = float(values[0]), float("nan")
        else:
            mean, sd = mean_sd(values)
        return cls(
            n=int(values.size),
            mean=mean,
            sd=sd,
            median=median(values),
            min=float(np.min(values)),
            max=float(np.max(values)),
        )


@attrs.frozen(kw_only=True)
class Description(Serializable):
    """What :meth:`PairedStudy.describe` returns: each arm, the change and the correlation.

    Attributes
    ----------
    name : str or None
        The study's name.
    pre, post, change : ArmDescription
        Summaries of the first measurement, the second, and ``change = post - pre``.
    correlation : float or None
        Pearson correlation of pre and post; ``None`` when either arm is constant (the
        correlation is then undefined).
    pre_only, post_only : ArmDescription or None
        The observed halves of incomplete pairs kept by ``missing="drop"`` (baselines
        without a follow-up, follow-ups without a baseline); ``None`` when there are none.

    Notes
    -----
    ``to_dict()`` nests the three arms as dicts; ``to_records()`` and ``to_frame()`` give
    one row with the columns ``pre_mean``, ``change_sd``, ...
    """

    name: str | None = None
    pre: ArmDescription
    post: ArmDescription
    change: ArmDescription
    correlation: float | None
    pre_only: ArmDescription | None = None
    post_only: ArmDescription | None = None

    def _arms(self) -> list[tuple[str, ArmDescription]]:
        arms = [("pre", self.pre), ("post", self.post), ("change (post - pre)", self.change)]
        for label, half in (
            ("pre only (no post)", self.pre_only),
            ("post only (no pre)", self.post_only),
        ):
            if half is not None:
                arms.append((label, half))
        return arms

    def _html_rows(self, limit: int) -> tuple[list[dict[str, Any]], int]:
        # a notebook shows the printed layout: one row per arm, then the correlation
        arms = self._arms()
        return [{"": label, **arm.to_dict()} for label, arm in arms][:limit], len(arms)

    def _repr_html_(self) -> str:
        """The three arms as an HTML table and the correlation below it, for notebooks.

        Returns
        -------
        str
        """
        r = "undefined (an arm is constant)" if self.correlation is None else self.correlation
        text = r if isinstance(r, str) else f"{r:.3f}"
        return (
            f"{super()._repr_html_()}\n"
            f'<div style="font-size: smaller; padding: 0 8px">pre-post correlation r = {text}'
            "</div>"
        )

    def __str__(self) -> str:
        title = f"Paired study {self.name!r}" if self.name else "Paired study"
        header = f"{'':<21}{'n':>4}{'mean':>12}{'sd':>12}{'median':>12}{'min':>12}{'max':>12}"
        halves = ""
        if self.pre_only is not None or self.post_only is not None:
            baseline = 0 if self.pre_only is None else self.pre_only.n
            follow_up = 0 if self.post_only is None else self.post_only.n
            halves = (
                f", plus {baseline} baseline-only and {follow_up} follow-up-only "
                "observation(s) of incomplete pairs"
            )
        rows = [f"{title}: n = {self.pre.n} pairs{halves}", header]
        for label, arm in self._arms():
            cells = "".join(
                f"{fixed(v):>12}" for v in (arm.mean, arm.sd, arm.median, arm.min, arm.max)
            )
            rows.append(f"{label:<21}{arm.n:>4}{cells}")
        r = (
            "undefined (an arm is constant)"
            if self.correlation is None
            else (f"{self.correlation:.3f}")
        )
        rows.append(f"pre-post correlation r = {r}")
        return "\n".join(rows)
