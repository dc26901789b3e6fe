"""The paired t-test: Student's one-sample t-test on the changes ``post - pre``."""

from __future__ import annotations

import math

import numpy as np

from .._numerics import mean_sd, mean_sd_rows, pow2_scale_rows
from ..errors import DegenerateDataError
from ..registry import register_test
from ..results import ConfidenceInterval, TestResult
from ..study import PairedStudy

__all__ = ["paired_t", "paired_t_batch", "t_from_moments"]

_EPS = float(np.finfo(float).eps)


def paired_t_batch(
    changes: np.ndarray, *, alternative: str, mu: float, confidence_level: float
) -> dict[str, object]:
    """The paired t-test on each row of a 2-D array of changes (the batch kernel).

    Row ``i`` gives exactly what :func:`paired_t` gives for a study with changes
    ``changes[i]`` (the same operations, element by element). A study whose change is
    constant has an undefined t: where :func:`paired_t` raises, its row is NaN (the
    estimate, the mean change, is kept) and a note says so.

    Parameters
    ----------
    changes : numpy.ndarray
        Shape ``(studies, n)``: complete, finite changes ``post - pre``, C-contiguous.
    alternative, mu, confidence_level
        As for :func:`paired_t`.

    Returns
    -------
    dict
        Arrays ``statistic``, ``pvalue``, ``df``, ``estimate``, ``ci_low``, ``ci_high``
        and the ``method``; ``notes`` lists ``(text, mask, warning)`` triples.
    """
    from scipy import special

    n = changes.shape[-1]
    scaled, factor = pow2_scale_rows(changes)
    mean, sd = mean_sd_rows(scaled)
    mean = mean * factor
    sd = sd * factor
    se = sd / math.sqrt(n)
    degenerate = (se == 0.0) | (se < 10 * _EPS * np.abs(mean))
    df = n - 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = (mean - mu) / se
        if alternative == "less":
            p = special.stdtr(df, t)
        elif alternative == "greater":
            p = special.stdtr(df, -t)
        else:
            p = np.minimum(1.0, 2.0 * special.stdtr(df, -np.abs(t)))
        alpha = 1.0 - confidence_level
        if alternative == "two-sided":
            half = special.stdtrit(df, 1.0 - alpha / 2.0) * se
            low, high = mean - half, mean + half
        elif alternative == "less":
            low = np.full_like(mean, -math.inf)
            high = mean + special.stdtrit(df, confidence_level) * se
        else:
            low = mean - special.stdtrit(df, confidence_level) * se
            high = np.full_like(mean, math.inf)
    for array in (t, p, low, high):
        array[degenerate] = np.nan
    return {
        "statistic": t,
        "pvalue": p,
        "df": np.full(mean.shape, float(df)),
        "estimate": mean,
        "ci_low": low,
        "ci_high": high,
        "method": "exact",
        "notes": [
            (
                "the change is constant (SD 0): t undefined, statistic, p-value and "
                "interval are NaN",
                degenerate,
                None,
            )
        ],
    }


@register_test("t", batch=paired_t_batch)
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
