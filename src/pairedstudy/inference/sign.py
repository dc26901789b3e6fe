"""The sign test: an exact binomial test on the signs of the non-zero changes."""

from __future__ import annotations

import warnings

import numpy as np

from .._numerics import median, pow2_scale_rows
from ..errors import DegenerateDataWarning, SmallSampleWarning
from ..registry import register_test
from ..results import ConfidenceInterval, TestResult
from ..study import PairedStudy
from ._exact import (
    binom_half_cdf,
    interval_limits,
    note_unattained_level,
    order_statistic_ranks,
    pvalue_from_tails,
    table_distribution,
)

__all__ = ["sign_test", "sign_test_batch"]


def binomial_half_tails(k: int, m: int) -> tuple[float, float]:
    """``(P(X <= k), P(X >= k))`` for ``X ~ Binomial(m, 1/2)``."""
    from scipy import special

    lower = float(special.bdtr(k, m, 0.5))
    upper = float(special.bdtrc(k - 1, m, 0.5)) if k > 0 else 1.0
    return lower, upper


def sign_test_batch(
    changes: np.ndarray, *, alternative: str, mu: float, confidence_level: float
) -> dict[str, object]:
    """The sign test on each row of a 2-D array of changes (the batch kernel).

    Row ``i`` gives exactly what :func:`sign_test` gives for a study with changes
    ``changes[i]``.

    Parameters
    ----------
    changes : numpy.ndarray
        Shape ``(studies, n)``: complete, finite changes ``post - pre``.
    alternative, mu, confidence_level
        As for :func:`sign_test`.

    Returns
    -------
    dict
        Arrays ``statistic``, ``pvalue``, ``estimate``, ``ci_low``, ``ci_high``,
        ``attained_level`` and the ``method``; ``notes`` lists ``(text, mask, warning)``.
    """
    from scipy import special

    rows, n = changes.shape
    shifted = changes - mu
    n_pos = np.count_nonzero(shifted > 0, axis=-1)
    n_neg = np.count_nonzero(shifted < 0, axis=-1)
    m = n_pos + n_neg
    lower = special.bdtr(n_pos, m, 0.5)
    upper = np.where(n_pos > 0, special.bdtrc(np.maximum(n_pos - 1, 0), m, 0.5), 1.0)
    none = m == 0
    lower[none] = 1.0
    upper[none] = 1.0
    p = pvalue_from_tails(lower, upper, alternative)

    quantile, lower_cdf = table_distribution(binom_half_cdf(n))
    k_low, k_high, attained = order_statistic_ranks(
        n, quantile, lower_cdf, alternative, confidence_level
    )
    ordered = np.sort(changes, axis=-1)
    low = np.full(rows, -np.inf) if k_low is None else ordered[:, k_low]
    high = np.full(rows, np.inf) if k_high is None else ordered[:, k_high]
    scaled, factor = pow2_scale_rows(changes)
    return {
        "statistic": n_pos.astype(float),
        "pvalue": p,
        "estimate": np.median(scaled, axis=-1) * factor,
        "ci_low": low,
        "ci_high": high,
        "attained_level": np.full(rows, attained),
        "method": "exact",
        "notes": [
            ("every change equals mu: p-value 1 by definition", none, DegenerateDataWarning),
            ("changes equal to mu dropped from the test", m < n, None),
            (
                f"interval attains only {100 * attained:.4g}% (n = {n} too small for "
                f"{confidence_level:g})",
                np.full(rows, attained < confidence_level),
                SmallSampleWarning,
            ),
        ],
    }


@register_test("sign", batch=sign_test_batch)
def sign_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
) -> TestResult:
    """Sign test: exact binomial test on the signs of the non-zero changes.

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the median of ``post - pre`` relative to ``mu``.
    mu : float
        Median change under the null hypothesis.
    confidence_level : float
        Level of the order-statistic interval for the median change.

    Returns
    -------
    TestResult
        ``statistic`` S is the number of changes above ``mu``, among the non-zero ones;
        the p-value is that of R's ``binom.test(S, n_nonzero, 0.5)``. ``estimate`` is the
        sample median of the change, ``ci`` the distribution-free interval between two
        order statistics of all ``n`` changes, with ``ci.attained_level`` its exact
        coverage for a continuous distribution. ``method`` is ``"exact"``.

    Warns
    -----
    DegenerateDataWarning
        Every change equals ``mu``: no signs to test, the p-value is 1.
    SmallSampleWarning
        ``n`` is too small for the requested level; the widest finite interval (sample
        minimum to maximum) is returned with its lower attained level.

    Notes
    -----
    Changes equal to ``mu`` carry no sign and are dropped from the test (and counted in
    ``details["n_zero"]``); the interval for the median does not depend on ``mu`` and uses
    every change. With ``q`` the lower ``alpha/2`` quantile of Binomial(n, 1/2), the
    interval is ``[x_(q), x_(n+1-q)]`` with coverage ``1 - 2 P(B <= q - 1)``.

    References
    ----------
    .. [1] Dixon, W. J. & Mood, A. M. (1946). The statistical sign test. Journal of the
       American Statistical Association 41(236), 557-566.
    .. [2] Hollander, M., Wolfe, D. A. & Chicken, E. (2014). Nonparametric Statistical
       Methods, 3rd ed., Wiley, sections 3.4-3.6.
    """
    change = study.change
    n = change.size
    shifted = change - mu
    n_pos = int(np.count_nonzero(shifted > 0))
    n_neg = int(np.count_nonzero(shifted < 0))
    m = n_pos + n_neg
    notes = []
    if m == 0:
        warnings.warn(
            f"every change equals mu = {mu:g}; the sign test has no signs to count and "
            "its p-value is 1",
            DegenerateDataWarning,
            stacklevel=3,
        )
        notes.append(f"every change equals mu = {mu:g}: p-value 1 by definition")
        lower = upper = 1.0
    else:
        lower, upper = binomial_half_tails(n_pos, m)
    if n - m:
        notes.append(f"{n - m} change(s) equal to mu dropped; the test uses {m} signs")
    p = pvalue_from_tails(lower, upper, alternative)

    quantile, lower_cdf = table_distribution(binom_half_cdf(n))
    k_low, k_high, attained = order_statistic_ranks(
        n, quantile, lower_cdf, alternative, confidence_level
    )
    ordered = np.sort(change)
    low, high = interval_limits(k_low, k_high, lambda ks: ordered[ks])
    note_unattained_level("order-statistic interval", n, confidence_level, attained, notes)
    return TestResult(
        test="sign",
        title="Sign test",
        method="exact",
        statistic=n_pos,
        statistic_name="S",
        pvalue=p,
        alternative=alternative,
        mu=mu,
        n=n,
        df=None,
        estimate=median(change),
        estimate_name="median change",
        ci=ConfidenceInterval(low=low, high=high, level=confidence_level, attained_level=attained),
        study_name=study.name,
        notes=notes,
        details={"n_positive": n_pos, "n_negative": n_neg, "n_zero": n - m, "n_used": m},
    )
