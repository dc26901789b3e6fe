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
        """Describe a 1-D array of at least two finite values.

        Parameters
        ----------
        values : numpy.ndarray
            The values (float64).

        Returns
        -------
        ArmDescription
        """
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

    def _html_rows(self, limit: int) -> tuple[list[dict[str, Any]], int]:
        # a notebook shows the printed layout: one row per arm, then the correlation
        arms = (("pre", self.pre), ("post", self.post), ("change (post - pre)", self.change))
        return [{"": label, **arm.to_dict()} for label, arm in arms][:limit], 3

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
        rows = [f"{title}: n = {self.pre.n} pairs", header]
        for label, arm in (
            ("pre", self.pre),
            ("post", self.post),
            ("change (post - pre)", self.change),
        ):
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
