"""The moments of a paired study: one value object shared by raw data and a paper's table.

:class:`Moments` is what the t-test, the d family of effect sizes, power analysis and the
replication planner need to know about a study: the number of pairs, the mean and SD of the
change ``post - pre``, the SDs of both arms and their correlation. A
:class:`~pairedstudy.PairedStudy` computes them from its data
(:meth:`~pairedstudy.PairedStudy.moments`); a :class:`~pairedstudy.PairedSummary` derives
them from the printed figures (:meth:`~pairedstudy.PairedSummary.moments`) and records where
each came from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np

from ._numerics import constant_change, pow2_scale
from .results import Serializable, frozen_mapping, note_tuple

__all__ = ["Moments", "moments_of_arms"]


@attrs.frozen(kw_only=True)
class Moments(Serializable):
    """Sample moments of a paired study (``change = post - pre``).

    Attributes
    ----------
    n : int
        Number of pairs.
    mean_change : float
        Mean of ``post - pre``.
    sd_change : float
        SD of ``post - pre`` (``n - 1`` denominator).
    pre_sd, post_sd : float
        SDs of the two arms (``n - 1`` denominator).
    r : float
        Pearson correlation of the arms, clipped to [-1, 1]; NaN when an arm is constant.
    pre_mean, post_mean : float or None
        Means of the arms (``None`` when a table does not give them).
    source : str
        ``"data"`` for a :class:`~pairedstudy.PairedStudy`, ``"summary statistics"`` for a
        table.
    origins : Mapping of str to str
        Where each figure came from when it is not plain data, e.g.
        ``{"sd_change": "the reported SD of the change"}``.
    notes : tuple of str
        What a reader should know about these figures (rounding, derivations).
    """

    n: int
    mean_change: float
    sd_change: float
    pre_sd: float
    post_sd: float
    r: float
    pre_mean: float | None = None
    post_mean: float | None = None
    source: str = "data"
    origins: Mapping[str, str] = attrs.field(factory=dict, converter=frozen_mapping, eq=False)
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)

    @property
    def constant(self) -> bool:
        """Whether the change is constant: its standard error is 0 or below ``10 eps |mean|``.

        The t-test's rule (and R's ``t.test``'s): where it holds, t and every standardized
        mean change are undefined.
        """
        return bool(constant_change(self.mean_change, self.se_change))

    @property
    def se_change(self) -> float:
        """Standard error of the mean change, ``sd_change / sqrt(n)``."""
        return self.sd_change / math.sqrt(self.n)

    @property
    def dz(self) -> float:
        """``mean_change / sd_change`` (infinite or NaN for a constant change)."""
        if self.sd_change == 0.0:
            return (
                math.nan if self.mean_change == 0.0 else math.copysign(math.inf, self.mean_change)
            )
        return self.mean_change / self.sd_change


def moments_of_arms(pre: np.ndarray, post: np.ndarray, *, name: str = "data") -> Moments:
    """The moments of two complete, finite arms of equal length (at least two pairs).

    Computed on both arms divided by one power of two (exact), so squares cannot overflow or
    underflow; the means and SDs are scaled back.

    Parameters
    ----------
    pre, post : numpy.ndarray
        1-D float arrays of the same length.
    name : str
        Recorded as :attr:`Moments.source`.

    Returns
    -------
    Moments
    """
    _, factor = pow2_scale(np.concatenate([pre, post]))
    p = pre / factor if factor != 1.0 else pre
    q = post / factor if factor != 1.0 else post
    n1 = p.size - 1
    change = q - p
    m = float(np.mean(change))
    mean_p, mean_q = float(np.mean(p)), float(np.mean(q))
    cp = p - mean_p
    cq = q - mean_q
    cd = change - m
    ss_p, ss_q = float(cp @ cp), float(cq @ cq)
    r = float(cp @ cq) / math.sqrt(ss_p * ss_q) if ss_p > 0 and ss_q > 0 else math.nan
    return Moments(
        n=int(p.size),
        mean_change=m * factor,
        sd_change=math.sqrt(float(cd @ cd) / n1) * factor,
        pre_sd=math.sqrt(ss_p / n1) * factor,
        post_sd=math.sqrt(ss_q / n1) * factor,
        r=min(1.0, max(-1.0, r)) if not math.isnan(r) else r,
        pre_mean=mean_p * factor,
        post_mean=mean_q * factor,
        source=name,
    )
