"""The paired t-test: Student's one-sample t-test on the changes ``post - pre``."""

from __future__ import annotations

import math

import numpy as np

from .._numerics import mean_sd
from ..errors import DegenerateDataError
from ..registry import register_test
from ..results import ConfidenceInterval, TestResult
from ..study import PairedStudy

__all__ = ["paired_t", "t_from_moments"]

_EPS = float(np.finfo(float).eps)


@register_test("t")
def paired_t(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
) -> TestResult:
    """Paired t-test of the mean change (Student's t on post - pre).

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the mean of ``post - pre`` relative to ``mu``.
    mu : float
        Mean change under the null hypothesis.
    confidence_level : float
        Level of the interval for the mean change (one-sided for a one-sided alternative).

    Returns
    -------
    TestResult
        ``statistic`` is t, ``df`` is ``n - 1``, ``estimate`` the mean change and ``ci``
        its Student-t interval; ``method`` is ``"exact"`` (exact under normality).

    Raises
    ------
    DegenerateDataError
        When the change is constant: its SD is 0 and t is undefined (R's ``t.test`` stops
        with "data are essentially constant" under the same rule).

    Notes
    -----
    ``t = (mean(d) - mu) / (sd(d) / sqrt(n))`` with ``d = post - pre`` and ``n - 1``
    degrees of freedom, exactly as R's ``t.test(post, pre, paired = TRUE)`` and scipy's
    ``ttest_rel(post, pre)``.

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.
    """
    mean, sd = mean_sd(study.change)
    return t_from_moments(
        mean,
        sd,
        study.n,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        study_name=study.name,
    )


def t_from_moments(
    mean: float,
    sd: float,
    n: int,
    *,
    alternative: str,
    mu: float,
    confidence_level: float,
    study_name: str | None = None,
    title: str = "Paired t-test",
    method: str = "exact",
    notes: tuple[str, ...] = (),
) -> TestResult:
    """The paired t-test from the mean and SD of the change (raw data or a paper's table).

    Parameters
    ----------
    mean, sd : float
        Mean and SD (``n - 1`` denominator) of ``post - pre``.
    n : int
        Number of pairs.
    alternative, mu, confidence_level
        As for :func:`paired_t`.
    study_name, title, method, notes
        Labels for the result.

    Returns
    -------
    TestResult

    Raises
    ------
    DegenerateDataError
        The SD is 0 (or below ``10 eps |mean|``): t is undefined.
    """
    from scipy import special

    se = sd / math.sqrt(n)
    if se == 0.0 or se < 10 * _EPS * abs(mean):
        raise DegenerateDataError(
            f"the change post - pre is constant (every pair changed by {mean:g}), so its "
            "standard deviation is 0 and the t statistic is undefined; the sign and "
            "Wilcoxon tests are defined for such data"
        )
    df = n - 1
    t = (mean - mu) / se
    if alternative == "less":
        p = special.stdtr(df, t)
    elif alternative == "greater":
        p = special.stdtr(df, -t)
    else:
        p = min(1.0, 2.0 * special.stdtr(df, -abs(t)))
    alpha = 1.0 - confidence_level
    with np.errstate(over="ignore"):  # limits beyond the float range are +-inf, not NaN
        if alternative == "two-sided":
            half = special.stdtrit(df, 1.0 - alpha / 2.0) * se
            low, high = mean - half, mean + half
        elif alternative == "less":
            low, high = -math.inf, mean + special.stdtrit(df, confidence_level) * se
        else:
            low, high = mean - special.stdtrit(df, confidence_level) * se, math.inf
    return TestResult(
        test="t",
        title=title,
        method=method,
        statistic=t,
        statistic_name="t",
        pvalue=p,
        alternative=alternative,
        mu=mu,
        n=n,
        df=float(df),
        estimate=mean,
        estimate_name="mean change",
        ci=ConfidenceInterval(low=low, high=high, level=confidence_level),
        study_name=study_name,
        notes=notes,
        details={"sd_change": sd, "se": se},
    )
