"""Reporting: p-values as journals print them and APA-style sentences."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._validation import show
from .errors import InputTypeError, InputValueError
from .results import (
    BayesFactorResult,
    EffectSize,
    EquivalenceResult,
    TableTestResult,
    TestResult,
    format_number,
    json_safe,
)

if TYPE_CHECKING:
    from .diagnostics import NormalityDiagnostic
    from .study import PairedStudy

__all__ = ["analysis_json", "analysis_markdown", "apa", "format_p"]

_STATISTIC = {"t": "t", "V": "V", "S": "S"}
#: How an APA sentence names each test of the pre x post table.
_TABLE_TEST = {"stuart-maxwell": "Stuart-Maxwell", "bhapkar": "Bhapkar", "bowker": "Bowker"}
_EFFECT_SYMBOL = {
    "dz": "d_z",
    "drm": "d_rm",
    "dav": "d_av",
    "db": "d_b",
    "gz": "g_z",
    "grm": "g_rm",
    "gav": "g_av",
    "gb": "g_b",
    "rank_biserial": "r_rb",
    "cles": "CLES",
    "hl": "HL",
}


def _no_leading_zero(text: str) -> str:
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def format_p(p: float) -> str:
    """A p-value as journals print it: ``p < .001``, ``p = .034``, never ``p = 0.000``.

    Parameters
    ----------
    p : float
        The p-value, between 0 and 1; NaN (a p-value not computed) prints as ``p = NA``.

    Returns
    -------
    str

    Raises
    ------
    InputTypeError
        ``p`` is not a real number (a string such as ``"0.05"``, a boolean).
    InputValueError
        ``p`` lies outside [0, 1].

    Examples
    --------
    >>> from pairedstudy.reports import format_p
    >>> format_p(2.06e-07), format_p(0.0341), format_p(0.5)
    ('p < .001', 'p = .034', 'p = .500')
    """
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise InputTypeError(f"p must be a real number between 0 and 1; got {show(p)}")
    if math.isnan(p):
        return "p = NA"
    if not 0.0 <= p <= 1.0:
        raise InputValueError(f"p must be a p-value between 0 and 1; got {show(p)}")
    if p < 0.001:
        return "p < .001"
    if p > 0.999:
        return "p > .999"
    return f"p = {_no_leading_zero(f'{p:.3f}')}"


def apa(result: TestResult | TableTestResult, effect: EffectSize | None = None) -> str:
    """An APA-style sentence fragment for a test and, optionally, an effect size.

    Parameters
    ----------
    result : TestResult or TableTestResult
        The test. A :class:`~pairedstudy.results.BayesFactorResult` adds its ``BF10``, an
        :class:`~pairedstudy.results.EquivalenceResult` its bounds on the mean change; a
        test of the pre x post table (:class:`~pairedstudy.results.TableTestResult`) is
        named, with its chi-squared and degrees of freedom, and an exact or Monte Carlo
        p-value says so (``"Stuart-Maxwell χ²(4) = 16.42, exact p < .001"``).
    effect : EffectSize, optional
        An effect size with its interval.

    Returns
    -------
    str
        E.g. ``"t(20) = 7.71, p < .001, d_z = 1.68, 95% CI [1.00, 2.34]"``.

    Raises
    ------
    InputTypeError
        ``result`` is neither a :class:`~pairedstudy.results.TestResult` nor a
        :class:`~pairedstudy.results.TableTestResult`, or ``effect`` is neither ``None``
        nor an :class:`~pairedstudy.results.EffectSize`.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.datasets.oxytocin_massage()
    >>> ps.reports.apa(study.test("t"), study.effect_size("dz"))
    't(20) = 7.71, p < .001, d_z = 1.68, 95% CI [1.00, 2.34]'
    >>> ps.reports.apa(study.test("stuart-maxwell"))
    'Stuart-Maxwell χ²(4) = 16.42, p = .003'
    """
    if isinstance(result, TableTestResult):
        text = _apa_table(result)
    elif not isinstance(result, TestResult):
        raise InputTypeError(
            "result must be a TestResult or TableTestResult (what study.test(...) returns); "
            f"got {show(result)}"
        )
    else:
        text = _apa_location(result)
    if effect is not None and not isinstance(effect, EffectSize):
        raise InputTypeError(
            "effect must be an EffectSize (what study.effect_size(...) returns) or None; got "
            f"{show(effect)}"
        )
    if effect is not None:
        symbol = _EFFECT_SYMBOL.get(effect.kind, effect.kind)
        text += f", {symbol} = {effect.value:.2f}"
        if effect.ci is not None:
            low = "-inf" if math.isinf(effect.ci.low) else f"{effect.ci.low:.2f}"
            high = "inf" if math.isinf(effect.ci.high) else f"{effect.ci.high:.2f}"
            text += f", {100 * effect.ci.level:.10g}% CI [{low}, {high}]"
    return text


def _apa_table(result: TableTestResult) -> str:
    """``Stuart-Maxwell χ²(4) = 16.42, p = .003`` (``exact p``, ``Monte Carlo p``)."""
    name = _TABLE_TEST.get(result.test, result.title)
    df = f"({format_number(result.df)})" if result.df is not None else ""
    value = result.statistic
    statistic = "NA" if math.isnan(value) else "inf" if math.isinf(value) else f"{value:.2f}"
    p = format_p(result.pvalue)
    if result.method == "exact":
        p = f"exact {p}"
    elif result.method == "monte-carlo":
        p = f"Monte Carlo {p}"
    return f"{name} χ²{df} = {statistic}, {p}"


def _apa_location(result: TestResult) -> str:
    """The test part of :func:`apa` for a location, Bayes factor or equivalence test."""
    name = _STATISTIC.get(result.statistic_name, result.statistic_name)
    df = f"({format_number(result.df)})" if result.df is not None else ""  # t(200000)
    value = result.statistic
    whole = math.isfinite(value) and float(value * 2).is_integer()  # counts and rank sums
    statistic = f"{value:.0f}" if whole and abs(value) >= 1e6 else f"{value:g}"  # 5806070000
    statistic = statistic if whole and name != "t" else f"{value:.2f}"
    text = f"{name}{df} = {statistic}, {format_p(result.pvalue)}"
    if isinstance(result, BayesFactorResult):
        text += f", BF10 = {result.bf10:.3g}"
    elif isinstance(result, EquivalenceResult):
        low = "-inf" if result.low is None else f"{result.mu + result.low:.4g}"
        high = "inf" if result.high is None else f"{result.mu + result.high:.4g}"
        text += f", {result.test_type} bounds [{low}, {high}]"
    return text


def analysis_markdown(
    study: PairedStudy,
    results: Sequence[TestResult | TableTestResult],
    effect: EffectSize | None = None,
    normality: NormalityDiagnostic | None = None,
) -> str:
    """A whole analysis as a markdown section: one table row per test, then the effect.

    Parameters
    ----------
    study : PairedStudy
        The data (for its name and size).
    results : list of TestResult or TableTestResult
        The tests (a test of the pre x post table has no estimate or interval).
    effect : EffectSize, optional
        An effect size to report with the first test.
    normality : NormalityDiagnostic, optional
        The normality diagnostic of the change, reported after the tests as a description.

    Returns
    -------
    str
    """
    lines = [
        f"## {study.name or 'Paired study'} (n = {study.n} pairs, change = post - pre)",
        "",
        "| test | statistic | p | estimate | interval | APA |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if isinstance(r, TableTestResult):  # a test of the table: no estimate, no interval
            lines.append(
                f"| {r.title} | χ² = {r.statistic:.4g}, df = {format_number(r.df)} | "
                f"{format_p(r.pvalue)} |  |  | {apa(r)} |"
            )
            continue
        ci = "" if r.ci is None else f"[{r.ci.low:.4g}, {r.ci.high:.4g}]"
        whole = math.isfinite(r.statistic) and float(r.statistic * 2).is_integer()
        shown = (
            f"{r.statistic:.1f}".removesuffix(".0")
            if whole and r.statistic_name != "t"
            else f"{r.statistic:.4g}"
        )
        lines.append(
            f"| {r.title} | {r.statistic_name} = {shown} | {format_p(r.pvalue)} | "
            f"{r.estimate:.4g} | {ci} | {apa(r)} |"
        )
    if effect is not None:
        sentence = apa(results[0], effect) if results else str(effect)
        lines += ["", f"Effect size: {sentence}"]
    if normality is not None:
        lines += [
            "",
            f"Normality of the change (a diagnostic, not a gatekeeper): Shapiro-Wilk "
            f"W = {normality.w:.3f}, {format_p(normality.pvalue)}; skewness "
            f"{normality.skewness:.2f}; {normality.n_outliers} outlying change(s).",
        ]
    return "\n".join(lines)


def analysis_json(
    study: PairedStudy,
    results: Sequence[TestResult | TableTestResult],
    effect: EffectSize | None = None,
    normality: NormalityDiagnostic | None = None,
) -> dict[str, Any]:
    """A whole analysis as JSON-ready plain types, by the strict JSON rule of every result.

    Each part is the result's ``to_dict()`` under the rule of ``to_json()``: ``NaN`` and
    ``None`` are ``None`` (``null``), ``+inf`` the string ``"Infinity"`` and ``-inf``
    ``"-Infinity"``, so ``json.dumps(..., allow_nan=False)`` accepts the whole.

    Parameters
    ----------
    study : PairedStudy
        The data.
    results : list of TestResult or TableTestResult
        The tests.
    effect : EffectSize, optional
        An effect size.
    normality : NormalityDiagnostic, optional
        The normality diagnostic of the change (key ``"normality"``).

    Returns
    -------
    dict
    """
    return {
        "study": {"name": study.name, "n": study.n, "dropped": study.dropped},
        "describe": json_safe(study.describe().to_dict()),
        "tests": [json_safe(r.to_dict()) for r in results],
        "effect_size": None if effect is None else json_safe(effect.to_dict()),
        "normality": None if normality is None else json_safe(normality.to_dict()),
    }
