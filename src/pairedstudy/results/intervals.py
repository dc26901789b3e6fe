"""The confidence interval of one parameter."""

from __future__ import annotations

from typing import Any

import attrs

from .._validation import check_probability, check_real
from ..errors import InputValueError
from ._base import Serializable, format_number, percent

__all__ = ["ConfidenceInterval"]


def _limit(name: str, value: Any) -> float:
    if type(value) is float and value == value:  # fast path: a float that is not NaN
        return value
    return check_real(name, value, finite=False)


@attrs.frozen(kw_only=True)
class ConfidenceInterval(Serializable):
    """A confidence interval for one parameter.

    Attributes
    ----------
    low, high : float
        The limits; one of them is infinite for a one-sided interval (written
        ``"-Infinity"`` / ``"Infinity"`` by ``to_json()``).
    level : float
        The confidence level that was requested, e.g. 0.95.
    attained_level : float or None
        For intervals built from a discrete distribution (order statistics, Walsh
        averages), the coverage the interval actually guarantees; ``None`` when the interval
        is exact at ``level`` (the t interval).

    Examples
    --------
    >>> from pairedstudy.results import ConfidenceInterval
    >>> ci = ConfidenceInterval(low=1.5, high=float("inf"), level=0.95)
    >>> ci.to_json()
    '{"low": 1.5, "high": "Infinity", "level": 0.95, "attained_level": null}'
    """

    low: float
    high: float
    level: float
    attained_level: float | None = None

    def __attrs_post_init__(self) -> None:
        low = _limit("low", self.low)
        high = _limit("high", self.high)
        if not low <= high:
            raise InputValueError(f"the interval's low {low!r} exceeds its high {high!r}")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        object.__setattr__(self, "level", check_probability("level", self.level))
        if self.attained_level is not None:
            attained = check_real("attained_level", self.attained_level)
            if not 0.0 <= attained <= 1.0:
                raise InputValueError(f"attained_level must lie in [0, 1]; got {attained!r}")
            object.__setattr__(self, "attained_level", attained)

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies in the closed interval.

        Parameters
        ----------
        value : float
            The value.

        Returns
        -------
        bool
        """
        return self.low <= value <= self.high

    @property
    def width(self) -> float:
        """``high - low`` (infinite for a one-sided interval)."""
        return self.high - self.low

    def __str__(self) -> str:
        text = f"{100 * self.level:g}% CI [{format_number(self.low)}, {format_number(self.high)}]"
        if self.attained_level is not None:
            text += f" (attained {percent(round(self.attained_level, 4))}%)"
        return text
