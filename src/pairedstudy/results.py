"""Immutable result objects returned by pairedstudy.

Results are frozen attrs classes with keyword-only fields. They hold what was computed and
how (``method``, ``notes``); they never hold the data. ``to_dict()`` gives plain Python types
that serialize to JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import numpy as np

from ._validation import check_probability, check_real
from .errors import InputValueError

__all__ = [
    "ConfidenceInterval",
    "EffectSize",
    "EffectSizeTable",
    "FrozenMapping",
    "PowerResult",
    "TestResult",
]

_ALTERNATIVE_TEXT = {"two-sided": "!=", "less": "<", "greater": ">"}


def _format_number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "NA"
    return f"{value:.{digits}g}"


def _format_p(p: float) -> str:
    if p == 0:
        return "< 1e-300 (below the smallest float)"
    if p < 1e-4:
        return f"{p:.3g}"
    return f"{p:.4f}"


class FrozenMapping(Mapping[str, Any]):
    """A read-only mapping that pickles and copies (unlike ``types.MappingProxyType``)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMapping, (self._data,))


def _fixed(value: float) -> str:
    """Three decimals for everyday magnitudes, scientific notation otherwise."""
    if value == 0 or math.isinf(value) or 1e-3 <= abs(value) < 1e6:
        return f"{value:.3f}"
    return f"{value:.3e}"


def _percent(level: float) -> str:
    """``0.95 -> '95'``, ``0.999 -> '99.9'`` (never rounds 0.9999999 up to 100)."""
    return f"{100 * level:.10g}"


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return _json_safe(value.item())
    return value


def _limit(name: str, value: Any) -> float:
    if type(value) is float and value == value:  # fast path: a float that is not NaN
        return value
    return check_real(name, value, finite=False)


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
            text += f" (attained {_percent(round(self.attained_level, 4))}%)"
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
    hypothesis : str or None
        The alternative hypothesis in words, for tests whose alternative is not about the
        location of the change relative to ``mu`` (an equivalence test, a diagnostic).
        ``None`` means "the location of post - pre differs from (is below, above) mu".
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
    hypothesis: str | None = None
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=FrozenMapping, eq=False, repr=False
    )

    def to_json(self, **kwargs: Any) -> str:
        """Return the result as strict JSON: infinite limits become ``null``.

        Parameters
        ----------
        **kwargs
            Passed to :func:`json.dumps` (e.g. ``indent=2``).
        """
        return json.dumps(_json_safe(self.to_dict()), allow_nan=False, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return every field as plain Python types (the interval as a nested dict).

        One-sided intervals keep their infinite limit as ``float("inf")``; use
        :meth:`to_json` for strict JSON.
        """
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
        value = (
            f"{self.statistic:.10g}"
            if float(self.statistic).is_integer() or float(self.statistic * 2).is_integer()
            else _format_number(self.statistic)
        )
        stat = f"  {self.statistic_name} = {value}"
        if self.df is not None:
            stat += f", df = {_format_number(self.df)}"
        p_text = _format_p(self.pvalue)
        stat += f", p {p_text}" if p_text.startswith("<") else f", p = {p_text}"
        lines.append(stat)
        if self.hypothesis is not None:
            lines.append(f"  alternative: {self.hypothesis}")
        else:
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


def _plain(value: Any) -> Any:
    if isinstance(value, ConfidenceInterval):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


@attrs.frozen(kw_only=True)
class EffectSize:
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
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=FrozenMapping, eq=False, repr=False
    )

    def to_dict(self) -> dict[str, Any]:
        """Return every field as plain Python types."""
        return {f.name: _plain(getattr(self, f.name)) for f in attrs.fields(type(self))}

    def to_json(self, **kwargs: Any) -> str:
        """Return strict JSON (infinite limits as ``null``)."""
        return json.dumps(_json_safe(self.to_dict()), allow_nan=False, **kwargs)

    def __str__(self) -> str:
        text = f"{self.kind} = {_format_number(self.value)}"
        if self.ci is not None:
            text += f", {self.ci} ({self.method})"
        return text


@attrs.frozen(kw_only=True)
class EffectSizeTable:
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

    rows: tuple[EffectSize, ...] = attrs.field(converter=tuple)
    skipped: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    name: str | None = None

    def __getitem__(self, kind: str) -> EffectSize:
        for row in self.rows:
            if row.kind == kind:
                return row
        raise KeyError(f"{kind!r} is not in this table; it has {[r.kind for r in self.rows]}")

    def __iter__(self) -> Iterator[EffectSize]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_json(self, **kwargs: Any) -> str:
        """Return strict JSON (infinite limits as ``null``)."""
        return json.dumps(_json_safe(self.to_dict()), allow_nan=False, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"name", "rows": [...], "skipped": [...]}`` as plain types."""
        return {
            "name": self.name,
            "rows": [row.to_dict() for row in self.rows],
            "skipped": list(self.skipped),
        }

    def __str__(self) -> str:
        title = (
            f"Effect sizes of change = post - pre ({self.name})"
            if self.name
            else ("Effect sizes of change = post - pre")
        )
        lines = [title, f"{'kind':<15}{'value':>10}  {'interval':<24}method"]
        for row in self.rows:
            interval = "" if row.ci is None else f"[{_fixed(row.ci.low)}, {_fixed(row.ci.high)}]"
            lines.append(f"{row.kind:<15}{_fixed(row.value):>10}  {interval:<24}{row.method}")
        levels = {_percent(row.ci.level) for row in self.rows if row.ci is not None}
        if levels:
            lines.append(f"intervals at {', '.join(sorted(levels))}%")
        lines.extend(f"skipped {reason}" for reason in self.skipped)
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class PowerResult:
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
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=FrozenMapping, eq=False, repr=False
    )

    @property
    def dz(self) -> float | None:
        """The standardized effect ``dz`` (``None`` for the sign test's ``p``)."""
        return self.effect if self.effect_name == "dz" else None

    def to_dict(self) -> dict[str, Any]:
        """Return every field as plain Python types."""
        return {f.name: _plain(getattr(self, f.name)) for f in attrs.fields(type(self))}

    def to_json(self, **kwargs: Any) -> str:
        """Return strict JSON."""
        return json.dumps(_json_safe(self.to_dict()), allow_nan=False, **kwargs)

    def __str__(self) -> str:
        lines = [
            f"Power of the paired {self.test} test ({self.method}), solved for {self.solved_for}"
        ]
        n = "NA" if self.n is None else str(self.n)
        if self.n_exact is not None:
            n += f" (continuous {self.n_exact:.4f})"
        lines.append(f"  n = {n} pairs, {self.effect_name} = {_format_number(self.effect)}")
        alpha = f"  alpha = {_format_number(self.alpha)} ({self.alternative})"
        if self.attained_alpha is not None:
            alpha += f", attained {_format_number(self.attained_alpha)}"
        lines.append(alpha)
        power = f"  power = {self.power:.4f}"
        if self.mc_se is not None:
            power += f" (Monte Carlo SE {self.mc_se:.4f})"
        if self.target_power is not None:
            power += f", target {self.target_power:g}"
        lines.append(power)
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)
