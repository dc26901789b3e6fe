"""Yuen's paired trimmed-mean t-test (WRS2's ``yuend``), and the one-sample trimmed t."""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from .._numerics import constant_change, pow2_scale
from .._validation import check_choice, show
from ..errors import DegenerateDataError, InputTypeError, InputValueError
from ..registry import register_test
from ..results import ConfidenceInterval, TestResult

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = ["ON", "trimmed_mean", "winsorize", "yuen_test"]

#: What is trimmed: each arm separately (``yuend``) or the changes.
ON = ("arms", "differences")


def check_trim(value: Any) -> float:
    """Validate ``trim``: a real number in ``[0, 0.5)``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"trim must be a number in [0, 0.5); got {show(value)}")
    out = float(value)
    if not 0.0 <= out < 0.5:  # also refuses NaN
        raise InputValueError(
            f"trim must lie in [0, 0.5) (the proportion cut from each end); got {show(value)}"
        )
    return out


def _cut(n: int, trim: float) -> int:
    """``g = floor(trim * n)``: how many values are trimmed from each end."""
    return math.floor(trim * n)


def trimmed_mean(x: np.ndarray, trim: float) -> float:
    """Mean of ``x`` without its ``floor(trim * n)`` smallest and largest values (R's)."""
    g = _cut(x.size, trim)
    ordered = np.sort(x)
    return float(np.mean(ordered[g : x.size - g]))


def winsorize(x: np.ndarray, trim: float) -> np.ndarray:
    """``x`` with its ``g`` smallest values raised to the ``(g+1)``-th smallest, and so on."""
    g = _cut(x.size, trim)
    ordered = np.sort(x)
    return np.clip(x, ordered[g], ordered[x.size - g - 1])


def _centred(x: np.ndarray) -> tuple[np.ndarray, float]:
    """``x`` minus one of its middle values (a data value, so the shift is exact nearby)."""
    if x.size == 0:
        return x, 0.0
    centre = float(np.partition(x, (x.size - 1) // 2)[(x.size - 1) // 2])
    return x - centre, centre


def _unscale(value: float, factor: float, power: int = 1) -> float:
    """``value * factor**power`` (inf, not OverflowError, beyond the float range)."""
    with np.errstate(over="ignore"):
        out = np.float64(value)
        for _ in range(power):
            out = out * np.float64(factor)
    return float(out)


@register_test(
    "yuen", statistic_name="t", estimate_name="difference of trimmed means (post - pre)"
)
def yuen_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    trim: float = 0.2,
    on: str = "arms",
) -> TestResult:
    """Yuen's paired t-test on trimmed means (WRS2's ``yuend``): robust to outliers.

    Parameters
    ----------
    study : PairedStudy
        The data: both arms (``on="arms"``) or ``study.change`` (``on="differences"``).
    alternative : {"two-sided", "less", "greater"}
        Alternative about the trimmed location of post relative to pre (see ``on``) minus
        ``mu``.
    mu : float
        Value of the estimated difference under the null hypothesis.
    confidence_level : float
        Level of the t interval (one-sided for a one-sided alternative).
    trim : float, default 0.2
        Proportion trimmed from each end, in ``[0, 0.5)``: ``g = floor(trim * n)`` values
        from each end, leaving ``h = n - 2 g``.
    on : {"arms", "differences"}, default "arms"
        ``"arms"``: the difference of the trimmed means of post and pre, each arm trimmed
        separately, exactly WRS2's ``yuend(post, pre, tr = trim)`` (Wilcox 2012).
        ``"differences"``: the trimmed mean of the changes ``post - pre`` (the one-sample
        trimmed t of Tukey & McLaughlin 1963 on the changes, with the same ``h``-based
        standard error).

    Returns
    -------
    TestResult
        ``statistic`` is Yuen's ``t``, ``df = h - 1``, ``estimate`` the trimmed-mean
        difference ``tmean(post) - tmean(pre)`` (or the trimmed mean of the changes) and
        ``ci`` its t interval; ``method`` is ``"trimmed t (arms)"`` or
        ``"trimmed t (differences)"``. ``details`` holds ``trim``, ``g``, ``h``, ``se`` and
        the winsorized variances (and covariance).

    Raises
    ------
    InputValueError
        ``trim`` outside ``[0, 0.5)``, unknown ``on``, or fewer than 2 values left after
        trimming (``h < 2``).
    InputTypeError
        ``trim`` is not a number.
    DegenerateDataError
        The winsorized variance of the difference is 0 (for example a constant change), so
        the standard error is 0 and ``t`` undefined.

    Notes
    -----
    With ``x = post``, ``y = pre``, ``g = floor(trim n)``, ``h = n - 2 g``, ``x_w`` and
    ``y_w`` each arm winsorized separately (the ``g`` lowest values of an arm set to its
    ``(g + 1)``-th lowest, the ``g`` highest to its ``(g + 1)``-th highest),

    ``d_t = tmean(x) - tmean(y)``,
    ``se = sqrt((n - 1) (s2_w(x) + s2_w(y) - 2 s_w(x, y)) / (h (h - 1)))``,
    ``t = (d_t - mu) / se`` on ``h - 1`` degrees of freedom,

    where ``s2_w`` and ``s_w`` are the winsorized variances and covariance (``n - 1``
    denominators); ``s2_w(x) + s2_w(y) - 2 s_w(x, y)`` is computed as the variance of
    ``x_w - y_w``, which is the same number without the cancellation. This is Yuen's (1974)
    statistic extended to dependent groups by Wilcox (2012) as coded in WRS2's ``yuend``,
    which has ``mu = 0`` and reports only the two-sided p-value as ``2 * (1 - pt(|t|, df))``
    (which loses digits below 1e-15; here the tail is computed directly).

    The arms (or the changes) are scaled by a power of two and each centred on one of its
    own middle values before the trimmed means and winsorized variances are taken (both
    are equivariant under a shift), so a large level shared by the pairs (``1e16`` plus
    small changes) keeps its effect, and values up to the largest float give finite
    results.

    The two choices of ``on`` test different hypotheses. ``"arms"`` compares the trimmed
    means of the two marginal distributions; ``"differences"`` estimates the trimmed mean of
    the distribution of the change. They coincide for ``trim = 0`` (both are then the paired
    t-test) and usually differ otherwise. WRS's ``trimci`` on the changes gives the same
    estimate as ``"differences"`` but scales its standard error with ``(1 - 2 trim) sqrt(n)``
    instead of ``sqrt(h (h - 1) / (n - 1))``, a small difference when ``trim * n`` is not a
    whole number.

    References
    ----------
    .. [1] Yuen, K. K. (1974). The two-sample trimmed t for unequal population variances.
       Biometrika 61(1), 165-170.
    .. [2] Tukey, J. W. & McLaughlin, D. H. (1963). Less vulnerable confidence and
       significance procedures for location based on a single sample: trimming/
       winsorization 1. Sankhya A 25(3), 331-352.
    .. [3] Wilcox, R. R. (2012). Introduction to Robust Estimation and Hypothesis Testing,
       3rd ed. Academic Press (trimmed means, dependent groups).
    .. [4] Mair, P. & Wilcox, R. R. (2020). Robust statistical methods in R using the WRS2
       package. Behavior Research Methods 52, 464-488.

    Examples
    --------
    Wilcox's (2012) cholesterol data, the example of WRS2's ``yuend``; ``yuend(before,
    after)`` reports the same figures with the opposite sign (it subtracts after):

    >>> import pairedstudy as ps
    >>> before = [190, 210, 300, 240, 280, 170, 280, 250, 240, 220]
    >>> after = [210, 210, 340, 190, 260, 180, 200, 220, 230, 200]
    >>> result = ps.PairedStudy(before, after).test("yuen")
    >>> round(result.estimate, 4), round(result.statistic, 4), result.df
    (-28.3333, -1.9886, 5.0)
    >>> round(result.pvalue, 4)
    0.1034
    """
    from scipy import special

    trim = check_trim(trim)
    check_choice("on", on, ON)
    n = study.n
    g = _cut(n, trim)
    h = n - 2 * g
    if h < 2:
        raise InputValueError(
            f"trim = {trim!r} cuts g = {g} of the n = {n} pairs from each end, leaving "
            f"h = {h}; at least 2 must remain (h - 1 degrees of freedom). Use a smaller "
            "trim or more pairs"
        )
    # One power-of-two scale for both arms: exact, and squares cannot overflow. Each arm
    # (or the change) is then centred on one of its own middle values, exact for every
    # value within a factor 2 of it (Sterbenz), so a large level shared by the pairs
    # (1e16 + small changes) does not round the trimmed means or the winsorized
    # differences away; trimmed means and winsorized variances are equivariant under the
    # shift, and the centres are added back at the end.
    if on == "arms":
        _, factor = pow2_scale(np.concatenate([study.pre, study.post]))
        post, pre = study.post / factor, study.pre / factor
        post_c, post_centre = _centred(post)
        pre_c, pre_centre = _centred(pre)
        tmean_post = trimmed_mean(post_c, trim) + post_centre
        tmean_pre = trimmed_mean(pre_c, trim) + pre_centre
        estimate = (trimmed_mean(post_c, trim) - trimmed_mean(pre_c, trim)) + (
            post_centre - pre_centre
        )
        post_w, pre_w = winsorize(post_c, trim), winsorize(pre_c, trim)
        var_diff = float(np.var(post_w - pre_w, ddof=1))
        details: dict[str, Any] = {
            "trimmed_mean_post": _unscale(tmean_post, factor),
            "trimmed_mean_pre": _unscale(tmean_pre, factor),
            "winsorized_var_post": _unscale(float(np.var(post_w, ddof=1)), factor, 2),
            "winsorized_var_pre": _unscale(float(np.var(pre_w, ddof=1)), factor, 2),
            "winsorized_cov": _unscale(float(np.cov(post_w, pre_w)[0, 1]), factor, 2),
        }
        estimate_name = "difference of trimmed means (post - pre)"
    else:
        change, factor = pow2_scale(study.change)
        change_c, centre = _centred(change)
        estimate = trimmed_mean(change_c, trim) + centre
        var_diff = float(np.var(winsorize(change_c, trim), ddof=1))
        details = {"winsorized_var_change": _unscale(var_diff, factor, 2)}
        estimate_name = "trimmed mean change"
    se = math.sqrt((n - 1) * var_diff / (h * (h - 1)))
    if constant_change(estimate, se):
        raise DegenerateDataError(
            f"the winsorized variance of the difference is 0 (trim = {trim:g} leaves "
            f"h = {h} pairs whose winsorized post - pre is constant), so Yuen's standard "
            "error is 0 and t is undefined; the sign and Wilcoxon tests are defined for such "
            "data"
        )
    df = h - 1
    t = (estimate - mu / factor) / se
    if alternative == "less":
        p = float(special.stdtr(df, t))
    elif alternative == "greater":
        p = float(special.stdtr(df, -t))
    else:
        p = min(1.0, 2.0 * float(special.stdtr(df, -abs(t))))
    alpha = 1.0 - confidence_level
    low, high = -math.inf, math.inf
    with np.errstate(over="ignore"):
        if alternative == "two-sided":
            half = float(special.stdtrit(df, 1.0 - alpha / 2.0)) * se
            low, high = (estimate - half) * factor, (estimate + half) * factor
        elif alternative == "less":
            high = (estimate + float(special.stdtrit(df, confidence_level)) * se) * factor
        else:
            low = (estimate - float(special.stdtrit(df, confidence_level)) * se) * factor
    details.update({"trim": trim, "g": g, "h": h, "se": _unscale(se, factor), "on": on})
    notes = [
        f"{g} of {n} values trimmed from each end "
        + ("of each arm separately" if on == "arms" else "of the changes")
        + f" ({100 * trim:g}%), h = {h}"
    ]
    return TestResult(
        test="yuen",
        title="Yuen's paired trimmed-mean t-test"
        + (" (on the changes)" if on == "differences" else ""),
        method=f"trimmed t ({on})",
        statistic=t,
        statistic_name="t",
        pvalue=p,
        alternative=alternative,
        mu=mu,
        n=n,
        df=float(df),
        estimate=_unscale(estimate, factor),
        estimate_name=estimate_name,
        ci=ConfidenceInterval(low=low, high=high, level=confidence_level),
        study_name=study.name,
        notes=notes,
        details=details,
    )
