"""Results of the tests of ``post - pre``: one type per kind of analysis.

* :class:`TestResult`: a location test (t, Wilcoxon, sign, permutation, bootstrap, Yuen).
* :class:`BayesFactorResult`: the JZS Bayes factor, with typed ``bf10``, ``log_bf10``, the
  prior and the numerical error; a :class:`TestResult` too (its frequentist t-test figures).
* :class:`EquivalenceResult`: TOST, with its bounds, both one-sided tests, the ``1 - 2 alpha``
  interval and ``equivalent``; a :class:`TestResult` too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs

from ._base import (
    LegacyDetails,
    Serializable,
    format_number,
    frozen_mapping,
    note_tuple,
    p_text,
)
from ._lazy import convert_or_defer, lazy_fields
from .intervals import ConfidenceInterval

__all__ = ["BayesFactorResult", "EquivalenceResult", "TestResult"]

_ALTERNATIVE_TEXT = {"two-sided": "!=", "less": "<", "greater": ">"}


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _float(value: Any) -> float:
    return convert_or_defer(value, float)


@lazy_fields("estimate", "ci")
@attrs.frozen(kw_only=True)
class TestResult(Serializable):
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
        that could not be attained, ...). Any iterable of strings is accepted.
    hypothesis : str or None
        The alternative hypothesis in words, for tests whose alternative is not about the
        location of the change relative to ``mu`` (an equivalence test).
        ``None`` means "the location of post - pre differs from (is below, above) mu".
    details : Mapping
        Test-specific extra figures (read-only), e.g. the z statistic of an asymptotic test.
        Any mapping is accepted.

    Notes
    -----
    ``to_dict()`` gives plain Python types and ``to_json()`` strict JSON (``NaN`` as
    ``null``, infinite limits as ``"Infinity"`` / ``"-Infinity"``), as for every result.

    ``estimate`` and ``ci`` may be computed on first access (the signed-rank test's
    Hodges-Lehmann estimate and interval, which cost more than its p-value): the values
    are the same, computed once, and ``print``, ``to_dict``, ``to_json``, ``==`` and
    ``pickle`` include them.

    Examples
    --------
    >>> from pairedstudy.results import TestResult
    >>> result = TestResult(
    ...     test="demo", title="Demo test", method="exact", statistic=3.0,
    ...     statistic_name="S", pvalue=0.25, alternative="two-sided", mu=0.0, n=4,
    ...     estimate=1.0, estimate_name="median change", notes=["a note"], details={"x": 1.0},
    ... )
    >>> result.notes, result.details["x"]
    (('a note',), 1.0)
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
    estimate: float = attrs.field(converter=_float)
    estimate_name: str
    ci: ConfidenceInterval | None = None
    study_name: str | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)
    hypothesis: str | None = None
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=frozen_mapping, eq=False, repr=False
    )

    def _title_line(self) -> str:
        name = f" ({self.study_name})" if self.study_name else ""
        return f"{self.title}{name}"

    def _statistic_line(self) -> str:
        value = (
            f"{self.statistic:.1f}".removesuffix(".0")  # a count or rank sum, never 1e+10
            if float(self.statistic).is_integer() or float(self.statistic * 2).is_integer()
            else format_number(self.statistic)
        )
        stat = f"  {self.statistic_name} = {value}"
        if self.df is not None:
            stat += f", df = {format_number(self.df)}"
        return f"{stat}, {p_text(self.pvalue)}"

    def _alternative_line(self) -> str:
        if self.hypothesis is not None:
            return f"  alternative: {self.hypothesis}"
        return (
            f"  alternative: location of post - pre {_ALTERNATIVE_TEXT[self.alternative]} "
            f"{format_number(self.mu)} ({self.alternative})"
        )

    def _estimate_line(self) -> str:
        estimate = f"  {self.estimate_name} = {format_number(self.estimate)}"
        if self.ci is not None:
            estimate += f", {self.ci}"
        return estimate

    def _body_lines(self) -> list[str]:
        return [
            f"  change = post - pre, n = {self.n} pairs, method: {self.method}",
            self._statistic_line(),
            self._alternative_line(),
            self._estimate_line(),
        ]

    def __str__(self) -> str:
        lines = [self._title_line(), *self._body_lines()]
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class BayesFactorResult(TestResult):
    """The JZS Bayes factor of the paired t-test, beside that t-test's figures.

    The fields of :class:`TestResult` hold the frequentist paired t-test of the same
    hypothesis (``statistic`` is t, ``pvalue`` its p-value, ``estimate`` the mean change and
    ``ci`` its t interval), so the result sits in tables with the other tests.

    Attributes
    ----------
    bf10 : float
        The Bayes factor for the alternative against ``delta = 0`` (``inf`` when it
        overflows; ``log_bf10`` stays finite).
    log_bf10 : float
        Its natural logarithm.
    prior_scale : float
        The scale ``r`` of the Cauchy prior on ``delta = (mean change - mu) / sd``.
    prior_label : str or None
        Its name when it was given by name (``"medium"``, ``"wide"``, ``"ultrawide"``).
    prior : str
        The prior in words, e.g. ``"delta ~ Cauchy(0, 0.707107)"`` (truncated to one side
        for a one-sided alternative).
    error : float
        Estimated relative error of ``bf10`` from the numerical integration.

    Notes
    -----
    ``details["bf10"]``, ``["bf01"]``, ``["log_bf10"]``, ``["r"]``, ``["prior"]`` and
    ``["integration_error"]`` still work for one release and warn with a
    :class:`DeprecationWarning`; read the attributes instead.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> result = ps.datasets.oxytocin_massage().test("bayes")
    >>> round(result.bf10), result.prior_label, round(result.prior_scale, 4)
    (76529, 'medium', 0.7071)
    """

    bf10: float = attrs.field(converter=float)
    log_bf10: float = attrs.field(converter=float)
    prior_scale: float = attrs.field(converter=float)
    prior_label: str | None = None
    prior: str
    error: float = attrs.field(converter=float)

    def __attrs_post_init__(self) -> None:
        legacy = {
            "bf10": (self.bf10, "bf10"),
            "bf01": (self.bf01, "bf01"),
            "log_bf10": (self.log_bf10, "log_bf10"),
            "r": (self.prior_scale, "prior_scale"),
            "prior": (self.prior, "prior"),
            "integration_error": (self.error, "error"),
        }
        current = frozen_mapping(self.details).current()
        object.__setattr__(self, "details", LegacyDetails(current, legacy))

    @property
    def bf01(self) -> float:
        """``1 / bf10``, the Bayes factor for the null (``inf`` when it overflows)."""
        return math.exp(-self.log_bf10) if self.log_bf10 > -709.0 else math.inf

    def _body_lines(self) -> list[str]:
        label = f' ("{self.prior_label}")' if self.prior_label else ""
        headline = (
            f"  BF10 = {self.bf10:.6g} (log BF10 = {self.log_bf10:.6g}), prior {self.prior}"
            f"{label}, integration error {self.error:.1e}"
        )
        return [headline, *super()._body_lines()]


@attrs.frozen(kw_only=True)
class EquivalenceResult(TestResult):
    """The paired equivalence test (TOST) and its one-sided variants.

    The fields of :class:`TestResult` hold the figures of the test as a whole: ``pvalue``
    is the larger of the two one-sided p-values (equivalence) or the single one
    (non-inferiority, non-superiority), ``statistic`` the t of the test that gives it,
    ``estimate`` the mean change and ``ci`` the ``1 - 2 alpha`` interval (equivalence) or the
    one-sided ``1 - alpha`` interval. ``alternative`` is the argument as given; ``test_type``
    and ``hypothesis`` say plainly what was tested.

    Attributes
    ----------
    test_type : str
        ``"equivalence"`` (``alternative="two-sided"``), ``"non-inferiority"``
        (``"greater"``) or ``"non-superiority"`` (``"less"``).
    low, high : float or None
        The bounds around ``mu`` in the unit of the change (the equivalence region of the
        mean change is ``(mu + low, mu + high)``); ``None`` when not given.
    low_dz, high_dz : float or None
        The same bounds in SDs of the change (d_z units, those of
        :func:`pairedstudy.power.tost`).
    bounds_scale : str
        How the bounds were given: ``"raw"`` or ``"dz"`` (multiplied by the sample SD).
    t_lower, p_lower : float or None
        The lower one-sided test, ``H1: mean change > mu + low``.
    t_upper, p_upper : float or None
        The upper one-sided test, ``H1: mean change < mu + high``.
    alpha : float
        The level of each one-sided test.
    equivalent : bool
        Whether ``pvalue < alpha`` (equivalence, non-inferiority or non-superiority shown).

    Notes
    -----
    The old ``details`` keys (``t_lower``, ``p_lower``, ``t_upper``, ``p_upper``,
    ``alpha``, ``bounds_raw``, ``bounds_dz``, ``bounds_scale``, ``equivalent``, ``kind``)
    still work for one release and warn with a :class:`DeprecationWarning`.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.PairedStudy([7, 6, 8, 7, 9, 8], [7.2, 6.1, 7.9, 7.3, 8.8, 8.1])
    >>> result = study.test("tost", low=-0.5, high=0.5)
    >>> result.test_type, result.equivalent, round(result.ci.level, 10)
    ('equivalence', True, 0.9)
    """

    test_type: str
    low: float | None = attrs.field(default=None, converter=_optional_float)
    high: float | None = attrs.field(default=None, converter=_optional_float)
    low_dz: float | None = attrs.field(default=None, converter=_optional_float)
    high_dz: float | None = attrs.field(default=None, converter=_optional_float)
    bounds_scale: str = "raw"
    t_lower: float | None = attrs.field(default=None, converter=_optional_float)
    p_lower: float | None = attrs.field(default=None, converter=_optional_float)
    t_upper: float | None = attrs.field(default=None, converter=_optional_float)
    p_upper: float | None = attrs.field(default=None, converter=_optional_float)
    alpha: float = attrs.field(converter=float)
    equivalent: bool = attrs.field(converter=bool)

    def __attrs_post_init__(self) -> None:
        legacy = {
            "t_lower": (self.t_lower, "t_lower"),
            "p_lower": (self.p_lower, "p_lower"),
            "t_upper": (self.t_upper, "t_upper"),
            "p_upper": (self.p_upper, "p_upper"),
            "alpha": (self.alpha, "alpha"),
            "bounds_raw": (self.bounds, "bounds"),
            "bounds_dz": (self.bounds_dz, "bounds_dz"),
            "bounds_scale": (self.bounds_scale, "bounds_scale"),
            "equivalent": (self.equivalent, "equivalent"),
            "kind": (self.test_type, "test_type"),
        }
        current = frozen_mapping(self.details).current()
        object.__setattr__(self, "details", LegacyDetails(current, legacy))

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """``(low, high)``: the raw bounds around ``mu``."""
        return (self.low, self.high)

    @property
    def bounds_dz(self) -> tuple[float | None, float | None]:
        """``(low_dz, high_dz)``: the bounds in d_z units."""
        return (self.low_dz, self.high_dz)

    def _body_lines(self) -> list[str]:
        verdict = {
            "equivalence": ("equivalent", "equivalence not shown"),
            "non-inferiority": ("non-inferior", "non-inferiority not shown"),
            "non-superiority": ("non-superior", "non-superiority not shown"),
        }[self.test_type]
        lines = [
            f"  verdict: {verdict[0] if self.equivalent else verdict[1]} at "
            f"alpha = {self.alpha:.6g} (p {'<' if self.equivalent else '>='} alpha)"
        ]
        lines.extend(super()._body_lines())
        one_sided = []
        if self.t_lower is not None and self.p_lower is not None:
            one_sided.append(f"lower t = {format_number(self.t_lower)}, {p_text(self.p_lower)}")
        if self.t_upper is not None and self.p_upper is not None:
            one_sided.append(f"upper t = {format_number(self.t_upper)}, {p_text(self.p_upper)}")
        lines.append(f"  one-sided tests: {'; '.join(one_sided)}")
        return lines
