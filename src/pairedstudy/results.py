"""Immutable result objects returned by pairedstudy.

Results are frozen attrs classes with keyword-only fields. They hold what was computed and
how (``method``, ``notes``); they never hold the data. ``to_dict()`` gives plain Python types
that serialize to JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["ConfidenceInterval", "TestResult"]

_ALTERNATIVE_TEXT = {"two-sided": "!=", "less": "<", "greater": ">"}


def _format_number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "NA"
    return f"{value:.{digits}g}"


def _format_p(p: float) -> str:
    if p < 1e-4:
        return f"{p:.3g}"
    return f"{p:.4f}"


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen(kw_only=True)
class ConfidenceInterval:
    """A confidence interval for one parameter.

    Attributes
    ----------
    low, high : float
        The limits; one of them is infinite for a one-sided interval.
    level : float
        The confidence level that was requested, e.g. 0.95.
    attained_level : float or None
        For intervals built from a discrete distribution (order statistics, Walsh
        averages), the coverage the interval actually guarantees; ``None`` when the interval
        is exact at ``level`` (the t interval).
    """

    low: float = attrs.field(converter=float)
    high: float = attrs.field(converter=float)
    level: float = attrs.field(converter=float)
    attained_level: float | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"interval low {self.low} exceeds high {self.high}")

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies in the closed interval."""
        return self.low <= value <= self.high

    @property
    def width(self) -> float:
        """``high - low`` (infinite for a one-sided interval)."""
        return self.high - self.low

    def to_dict(self) -> dict[str, float | None]:
        """Return the interval as a plain dict."""
        return {
            "low": self.low,
            "high": self.high,
            "level": self.level,
            "attained_level": self.attained_level,
        }

    def __str__(self) -> str:
        text = (
            f"{100 * self.level:g}% CI [{_format_number(self.low)}, {_format_number(self.high)}]"
        )
        if self.attained_level is not None:
            text += f" (attained {100 * self.attained_level:.2f}%)"
        return text


@attrs.frozen(kw_only=True)
class TestResult:
    """The outcome of a hypothesis test on the changes ``post - pre``.

    Attributes
    ----------
    test : str
        The registered name of the test (``"t"``, ``"wilcoxon"``, ``"sign"``, ...).
    title : str
        A human-readable name, e.g. ``"Paired t-test"``.
    method : str
        What was actually computed: ``"exact"``, ``"asymptotic"``, ...
    statistic : float
        The test statistic; ``statistic_name`` says which (``"t"``, ``"V"``, ``"S"``).
    pvalue : float
        The p-value for ``alternative``.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``: the location of ``post - pre``
        relative to ``mu``.
    mu : float
        The hypothesised location of the change.
    n : int
        The number of pairs analysed.
    df : float or None
        Degrees of freedom, when the reference distribution has them.
    estimate : float
        The point estimate of the location of the change; ``estimate_name`` says which.
    ci : ConfidenceInterval or None
        The confidence interval for that location.
    study_name : str or None
        The name of the study the test was run on.
    notes : tuple of str
        Everything done that a reader should know (zeros removed, ties present, a level
        that could not be attained, ...).
    details : Mapping
        Test-specific extra figures (read-only), e.g. the z statistic of an asymptotic test.
    """

    __test__ = False  # keep pytest from collecting this class

    test: str
    title: str
    method: str
    statistic: float = attrs.field(converter=float)
    statistic_name: str
    pvalue: float = attrs.field(converter=float)
    alternative: str
    mu: float = attrs.field(converter=float)
    n: int
    df: float | None = None
    estimate: float = attrs.field(converter=float)
    estimate_name: str
    ci: ConfidenceInterval | None = None
    study_name: str | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=False, repr=False
    )

    def to_dict(self) -> dict[str, Any]:
        """Return every field as plain Python types (the interval as a nested dict)."""
        out: dict[str, Any] = {}
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if isinstance(value, ConfidenceInterval):
                value = value.to_dict()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            out[field.name] = value
        return out

    def __str__(self) -> str:
        name = f" ({self.study_name})" if self.study_name else ""
        lines = [f"{self.title}{name}"]
        lines.append(f"  change = post - pre, n = {self.n} pairs, method: {self.method}")
        stat = f"  {self.statistic_name} = {_format_number(self.statistic)}"
        if self.df is not None:
            stat += f", df = {_format_number(self.df)}"
        stat += f", p = {_format_p(self.pvalue)}"
        lines.append(stat)
        lines.append(
            f"  alternative: location of post - pre {_ALTERNATIVE_TEXT[self.alternative]} "
            f"{_format_number(self.mu)} ({self.alternative})"
        )
        estimate = f"  {self.estimate_name} = {_format_number(self.estimate)}"
        if self.ci is not None:
            estimate += f", {self.ci}"
        lines.append(estimate)
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)
