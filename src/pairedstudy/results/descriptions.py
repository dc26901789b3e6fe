"""Descriptive statistics of a paired study: each arm, the change and the correlation."""

from __future__ import annotations

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
