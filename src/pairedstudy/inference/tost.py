"""The paired equivalence test: two one-sided t-tests (TOST) on ``post - pre``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .._numerics import constant_change, mean_sd
from .._validation import check_choice, check_real
from ..errors import DegenerateDataError, InputValueError
from ..registry import register_test
from ..results import ConfidenceInterval, EquivalenceResult

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = ["BOUND_SCALES", "tost_test"]

#: Units of ``low`` and ``high``: the raw unit of the change, or SDs of the change (d_z).
BOUND_SCALES = ("raw", "dz")


def _bound(name: str, value: Any) -> float | None:
    if value is None:
        return None
    return check_real(name, value)  # refuses NaN, infinities, strings and booleans


@register_test("tost", kind="equivalence", statistic_name="t", estimate_name="mean change")
def tost_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    low: float | None = None,
    high: float | None = None,
    bounds: str = "raw",
) -> EquivalenceResult:
    """Paired equivalence test: two one-sided t-tests of the mean change (TOST).

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        ``"two-sided"``: equivalence, ``H1: mu + low < mean change < mu + high`` (both
        one-sided tests). ``"greater"``: non-inferiority, ``H1: mean change > mu + low``
        (the lower test only; ``low`` is required). ``"less"``: non-superiority,
        ``H1: mean change < mu + high`` (the upper test only; ``high`` is required).
    mu : float
        The reference change the bounds are measured from (usually 0): the equivalence
        region is ``(mu + low, mu + high)``.
    confidence_level : float
        ``1 - alpha``, with ``alpha`` the level of *each* one-sided test: the default 0.95
        is the usual TOST at ``alpha = 0.05``. For equivalence the interval reported is the
        ``1 - 2 alpha`` (e.g. 90%) interval, whose level is recorded in ``ci.level``; for
        the one-sided alternatives it is the one-sided ``1 - alpha`` interval.
    low, high : float, optional
        The equivalence bounds (margins) around ``mu``, ``low < high``; in the unit of the
        change, or in SDs of the change when ``bounds="dz"``.
    bounds : {"raw", "dz"}, default "raw"
        ``"dz"``: ``low`` and ``high`` are standardized (d_z units) and are multiplied by
        the sample SD of the change, as TOSTER's ``eqbound_type = "SMD"`` does.

    Returns
    -------
    EquivalenceResult
        ``pvalue`` is the larger of the two one-sided p-values (for equivalence) or the
        single one (non-inferiority / non-superiority); ``statistic`` is the t of the test
        that gives it (for equivalence the binding test, the one with the larger p);
        ``df = n - 1``; ``estimate`` the mean change and ``ci`` the interval described
        above. ``test_type`` says what was tested (``"equivalence"``,
        ``"non-inferiority"`` or ``"non-superiority"``) and ``hypothesis`` spells it out;
        ``t_lower``, ``p_lower`` (``H1: mean > mu + low``), ``t_upper``, ``p_upper``
        (``H1: mean < mu + high``), ``alpha``, the raw bounds ``low``, ``high`` around
        ``mu``, the standardized ``low_dz``, ``high_dz`` (raw bounds divided by the sample
        SD, the units of :func:`pairedstudy.power.tost`), ``bounds_scale`` and
        ``equivalent`` (whether ``pvalue < alpha``) are typed fields; ``details`` holds
        ``sd_change`` and ``se``. A bound that was not given is ``None`` and its test is
        not run. (The old ``details`` keys still work for one release, with a
        :class:`DeprecationWarning`.)

    Raises
    ------
    InputValueError
        A bound needed for ``alternative`` is missing, ``low >= high``, a bound is not
        finite, ``bounds`` is not ``"raw"`` or ``"dz"``, or ``confidence_level <= 0.5``
        (``alpha >= 0.5``: for equivalence the ``1 - 2 alpha`` interval would be empty,
        and :func:`pairedstudy.power.tost` refuses such an ``alpha`` too).
    DegenerateDataError
        The change is constant: its SD is 0 and the t statistics are undefined.

    Notes
    -----
    With ``d = post - pre``, ``se = sd(d) / sqrt(n)``, the lower test has
    ``t_lower = (mean(d) - mu - low) / se`` and p-value ``P(T_{n-1} >= t_lower)`` (R:
    ``t.test(d, mu = mu + low, alternative = "greater")``), the upper test
    ``t_upper = (mean(d) - mu - high) / se`` and ``P(T_{n-1} <= t_upper)`` (R:
    ``t.test(d, mu = mu + high, alternative = "less")``). Equivalence is declared at
    level ``alpha`` when both p-values are below ``alpha``, which happens exactly when the
    ``1 - 2 alpha`` interval lies inside ``(mu + low, mu + high)`` (Schuirmann 1987) and
    exactly when :func:`pairedstudy.power.tost` counts a success, so that function gives
    this test's power (with ``bounds_dz`` as its bounds).

    With ``bounds="dz"`` the bounds are ``low * sd(d)`` and ``high * sd(d)``: they depend on
    the data, and the central-t p-values then treat a random bound as fixed, so the test is
    approximate (TOSTER does the same; an exact test of ``d_z`` bounds would use the
    noncentral t). ``method`` says ``"exact"`` for raw bounds and
    ``"approximate (bounds scaled by the sample SD)"`` for standardized ones.

    Because the two one-sided tests are each at ``alpha``, the test has size ``alpha``
    (not ``2 alpha``), and ``1 - 2 alpha`` is the level of the matching interval.

    References
    ----------
    .. [1] Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and
       the power approach for assessing the equivalence of average bioavailability.
       Journal of Pharmacokinetics and Biopharmaceutics 15(6), 657-680.
    .. [2] Lakens, D. (2017). Equivalence tests: a practical primer for t tests,
       correlations, and meta-analyses. Social Psychological and Personality Science
       8(4), 355-362.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.PairedStudy([7, 6, 8, 7, 9, 8], [7.2, 6.1, 7.9, 7.3, 8.8, 8.1])
    >>> result = study.test("tost", low=-0.5, high=0.5)
    >>> result.pvalue < 0.05, str(result.ci).startswith("90% CI"), result.equivalent
    (True, True, True)
    """
    from scipy import special

    scale = check_choice("bounds", bounds, BOUND_SCALES)
    low_value, high_value = _bound("low", low), _bound("high", high)
    needed = {"two-sided": ("low", "high"), "greater": ("low",), "less": ("high",)}[alternative]
    given = {"low": low_value, "high": high_value}
    missing = [name for name in needed if given[name] is None]
    if missing:
        what = {
            "two-sided": "the equivalence test (alternative='two-sided') needs both low and high",
            "greater": "the non-inferiority test (alternative='greater') needs low",
            "less": "the non-superiority test (alternative='less') needs high",
        }[alternative]
        raise InputValueError(
            f"{what}; missing: {', '.join(missing)} (got low={low!r}, high={high!r})"
        )
    if low_value is not None and high_value is not None and not low_value < high_value:
        raise InputValueError(
            f"the equivalence bounds must satisfy low < high; got low={low_value!r}, "
            f"high={high_value!r}"
        )
    alpha = 1.0 - confidence_level
    if not alpha < 0.5:
        raise InputValueError(
            "confidence_level (1 - alpha, alpha the level of each one-sided test) must "
            f"exceed 0.5, as in pairedstudy.power.tost; got {confidence_level!r}"
        )

    mean, sd = mean_sd(study.change)
    n = study.n
    se = sd / math.sqrt(n)
    if constant_change(mean, se):  # R's t.test rule: the standard error, as the t-test
        raise DegenerateDataError(
            f"the change post - pre is constant (every pair changed by {mean:g}), so its "
            "standard deviation is 0 and the TOST t statistics are undefined"
        )
    factor = sd if scale == "dz" else 1.0
    raw_low = None if low_value is None else low_value * factor
    raw_high = None if high_value is None else high_value * factor
    df = n - 1

    t_lower = p_lower = t_upper = p_upper = None
    if raw_low is not None:
        t_lower = (mean - mu - raw_low) / se
        p_lower = float(special.stdtr(df, -t_lower))
    if raw_high is not None:
        t_upper = (mean - mu - raw_high) / se
        p_upper = float(special.stdtr(df, t_upper))

    one_sided = {"lower": (t_lower, p_lower), "upper": (t_upper, p_upper)}
    if alternative == "two-sided":  # the binding test is the one with the larger p
        side = "lower" if (p_lower or 0.0) >= (p_upper or 0.0) else "upper"
    else:
        side = "lower" if alternative == "greater" else "upper"
    statistic, p = one_sided[side]
    if statistic is None or p is None:  # unreachable: the bounds were checked above
        raise InputValueError(f"the {side} equivalence bound is missing")

    c = float(special.stdtrit(df, confidence_level))  # t_{1 - alpha, n - 1}
    with np.errstate(over="ignore"):
        if alternative == "two-sided":
            ci = ConfidenceInterval(low=mean - c * se, high=mean + c * se, level=1.0 - 2.0 * alpha)
        elif alternative == "greater":
            ci = ConfidenceInterval(low=mean - c * se, high=math.inf, level=confidence_level)
        else:
            ci = ConfidenceInterval(low=-math.inf, high=mean + c * se, level=confidence_level)

    kind = {
        "two-sided": "equivalence",
        "greater": "non-inferiority",
        "less": "non-superiority",
    }[alternative]
    region = {
        "two-sided": "mu + low < mean change < mu + high",
        "greater": "mean change > mu + low",
        "less": "mean change < mu + high",
    }[alternative]
    shown_low = "-" if raw_low is None else f"{mu + raw_low:.6g}"
    shown_high = "-" if raw_high is None else f"{mu + raw_high:.6g}"
    notes = [
        f"{kind} test at alpha = {alpha:.6g} per one-sided test; H1: {region}, i.e. "
        f"bounds ({shown_low}, {shown_high}) on the mean change; the p-value is the "
        + ("larger of the two one-sided p-values" if kind == "equivalence" else "one-sided p")
    ]
    if kind == "equivalence":
        notes.append(
            f"the interval is the {100 * (1 - 2 * alpha):.6g}% (1 - 2 alpha) interval: "
            "equivalence is declared when it lies inside the bounds"
        )
    if scale == "dz":
        notes.append(
            f"bounds given in d_z units and multiplied by the sample SD of the change "
            f"({sd:.6g}); data-dependent bounds make the p-values approximate"
        )
    if low_value is not None and high_value is not None and kind != "equivalence":
        unused = "high" if kind == "non-inferiority" else "low"
        notes.append(f"{unused} is reported but not used by the {kind} test")
    return EquivalenceResult(
        test="tost",
        title=f"Paired TOST {kind} test",
        method="exact" if scale == "raw" else "approximate (bounds scaled by the sample SD)",
        statistic=statistic,
        statistic_name="t",
        pvalue=min(max(p, 0.0), 1.0),
        alternative=alternative,
        mu=mu,
        n=n,
        df=float(df),
        estimate=mean,
        estimate_name="mean change",
        ci=ci,
        study_name=study.name,
        notes=notes,
        hypothesis=f"{kind}: {region} ({alternative})",
        details={"sd_change": sd, "se": se},
        test_type=kind,
        low=raw_low,
        high=raw_high,
        low_dz=None if raw_low is None else raw_low / sd,
        high_dz=None if raw_high is None else raw_high / sd,
        bounds_scale=scale,
        t_lower=t_lower,
        p_lower=p_lower,
        t_upper=t_upper,
        p_upper=p_upper,
        alpha=alpha,
        equivalent=bool(p < alpha),
    )
