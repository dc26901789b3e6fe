"""The sign test: an exact binomial test on the signs of the non-zero changes."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._numerics import pow2_exponent
from ..errors import DegenerateDataWarning, SmallSampleWarning
from ..registry import RowNote, TestRows, int_row, register_test
from ._exact import (
    binom_half_cdf,
    order_statistic_ranks,
    pvalue_from_tails,
    table_distribution,
)
from ._walsh import scale_rows

if TYPE_CHECKING:
    from ..results import TestResult
    from ..study import PairedStudy

__all__ = ["SignRows", "sign_test", "sign_test_batch"]

STATISTIC_NAME = "S"
ESTIMATE_NAME = "median change"


@functools.lru_cache(maxsize=64)
def _interval_ranks(
    n: int, alternative: str, level: float
) -> tuple[int | None, int | None, float]:
    """The order-statistic ranks of the interval's limits and its coverage (cached).

    :func:`~pairedstudy.inference._exact.order_statistic_ranks` over Binomial(n, 1/2);
    they depend on ``n``, ``alternative`` and ``level`` only.
    """
    quantile, lower_cdf = table_distribution(binom_half_cdf(n))
    return order_statistic_ranks(n, quantile, lower_cdf, alternative, level)


@attrs.frozen(kw_only=True)
class SignRows(TestRows):
    """The sign test of each row, with its counts of positive and negative changes.

    The :class:`~pairedstudy.registry.TestRows` fields, and ``n_positive`` and
    ``n_negative`` (int arrays: changes above and below ``mu``).
    """

    n_positive: np.ndarray = attrs.field(converter=int_row, eq=False)
    n_negative: np.ndarray = attrs.field(converter=int_row, eq=False)


def _filled(rows: int, value: float) -> np.ndarray:
    """``numpy.full(rows, value)`` (one row: a one-element array, without ``full``'s cost)."""
    return np.array([value]) if rows == 1 else np.full(rows, value)


def _sorted_medians(ordered: np.ndarray) -> np.ndarray:
    """The median of each sorted row, as :func:`pairedstudy._numerics.median` computes it.

    The same power-of-two scaling of each row, then the middle value or the mean of the
    two middle values (``(a + b) / 2``, what ``numpy.median`` computes), without
    ``numpy.median``'s partition of rows that are already sorted.
    """
    half = ordered.shape[-1] // 2
    if ordered.shape[0] == 1:  # max |x| of a sorted row is at one of its ends
        largest = max(abs(float(ordered[0, 0])), abs(float(ordered[0, -1])))
        if not pow2_exponent(largest):  # no scaling (the same rule as scale_rows)
            if ordered.shape[-1] % 2:
                return ordered[:, half]
            return (ordered[:, half - 1] + ordered[:, half]) / 2.0
    scaled, factor = scale_rows(ordered)  # the scale depends on max |x| only
    if ordered.shape[-1] % 2:
        middle = scaled[:, half]
    else:
        middle = (scaled[:, half - 1] + scaled[:, half]) / 2.0
    return middle * factor


def sign_test_batch(
    changes: np.ndarray, *, alternative: str, mu: float, confidence_level: float
) -> SignRows:
    """The sign test on each row of a 2-D array of changes (the kernel).

    :func:`sign_test` is this kernel on one row, so row ``i`` is exactly what it gives
    for a study with changes ``changes[i]``.

    Parameters
    ----------
    changes : numpy.ndarray
        Shape ``(studies, n)``: complete, finite changes ``post - pre``.
    alternative, mu, confidence_level
        As for :func:`sign_test`.

    Returns
    -------
    SignRows
    """
    from scipy import special

    rows, n = changes.shape
    shifted = changes - mu
    if rows == 1:  # one study: counting without an axis is several times faster
        n_pos = np.array([np.count_nonzero(shifted > 0)])
        n_neg = np.array([np.count_nonzero(shifted < 0)])
    else:
        n_pos = np.count_nonzero(shifted > 0, axis=-1)
        n_neg = np.count_nonzero(shifted < 0, axis=-1)
    m = n_pos + n_neg
    none = m == 0
    if rows == 1:  # the same tails from scalar calls (cheaper than on arrays of one)
        k, m1 = int(n_pos[0]), int(m[0])
        lower = np.array([special.bdtr(k, m1, 0.5) if m1 else 1.0])
        upper = np.array([special.bdtrc(k - 1, m1, 0.5) if k > 0 else 1.0])
    else:
        lower = special.bdtr(n_pos, m, 0.5)
        upper = np.where(n_pos > 0, special.bdtrc(np.maximum(n_pos - 1, 0), m, 0.5), 1.0)
        lower[none] = 1.0
        upper[none] = 1.0
    p = pvalue_from_tails(lower, upper, alternative)

    k_low, k_high, attained = _interval_ranks(n, alternative, confidence_level)
    ordered = np.sort(changes, axis=-1)
    low = _filled(rows, -np.inf) if k_low is None else ordered[:, k_low]
    high = _filled(rows, np.inf) if k_high is None else ordered[:, k_high]
    estimate = _sorted_medians(ordered)
    level = confidence_level
    notes = []  # only the notes that concern some row (formatting them costs)
    if none.any():
        notes.append(
            RowNote(
                mask=none,
                text="every change equals mu: p-value 1 by definition",
                single=f"every change equals mu = {mu:g}: p-value 1 by definition",
                warning=DegenerateDataWarning,
                message=(
                    f"every change equals mu = {mu:g}; the sign test has no signs to count "
                    "and its p-value is 1"
                ),
            )
        )
    dropped = m < n
    if dropped.any():
        notes.append(
            RowNote(
                mask=dropped,
                text="changes equal to mu dropped from the test",
                single=lambda i: (
                    f"{n - int(m[i])} change(s) equal to mu dropped; the test uses "
                    f"{int(m[i])} signs"
                ),
            )
        )
    if attained < level:
        notes.append(
            RowNote(
                mask=np.ones(rows, dtype=bool),
                text=(
                    f"interval attains only {100 * attained:.4g}% (n = {n} too small for "
                    f"{level:g})"
                ),
                single=(
                    f"interval attains only {100 * attained:.4g}% (n too small for {level:g})"
                ),
                warning=SmallSampleWarning,
                message=(
                    f"n = {n} is too small for a {100 * level:.10g}% order-statistic "
                    "interval; the interval given is the widest finite one and covers "
                    f"{100 * attained:.4g}%"
                ),
            )
        )
    return SignRows(
        statistic=n_pos.astype(float),
        pvalue=p,
        df=_filled(rows, np.nan),
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        attained_level=_filled(rows, attained),
        method="exact",
        notes=tuple(notes),
        n_positive=n_pos,
        n_negative=n_neg,
    )


@register_test(
    "sign", statistic_name=STATISTIC_NAME, estimate_name=ESTIMATE_NAME, batch=sign_test_batch
)
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
    n = study.n
    rows = sign_test_batch(
        study.change[None, :], alternative=alternative, mu=mu, confidence_level=confidence_level
    )
    n_pos = int(rows.n_positive[0])
    n_neg = int(rows.n_negative[0])
    m = n_pos + n_neg
    return rows.to_result(
        0,
        test="sign",
        title="Sign test",
        statistic_name=STATISTIC_NAME,
        estimate_name=ESTIMATE_NAME,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        n=n,
        study_name=study.name,
        details={"n_positive": n_pos, "n_negative": n_neg, "n_zero": n - m, "n_used": m},
    )
