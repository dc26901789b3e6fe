"""The sign test: an exact binomial test on the signs of the non-zero changes."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._numerics import pow2_exponent, scipy_special
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


@functools.lru_cache(maxsize=1024)
def _one_row_pvalue(n_positive: int, n_signs: int, alternative: str) -> float:
    """The p-value of one row with ``n_positive`` of ``n_signs`` signs positive (cached).

    The kernel's tails and :func:`~pairedstudy.inference._exact.pvalue_from_tails` on
    Python scalars: the same scipy calls and the same ``min`` as on the arrays of a batch.
    """
    special = scipy_special()
    lower = float(special.bdtr(n_positive, n_signs, 0.5)) if n_signs else 1.0
    upper = float(special.bdtrc(n_positive - 1, n_signs, 0.5)) if n_positive > 0 else 1.0
    return float(pvalue_from_tails(lower, upper, alternative))


def _sorted_median(ordered: np.ndarray) -> float:
    """:func:`_sorted_medians` of one sorted 1-D row, on Python floats where it can.

    Without scaling the middle value or ``(a + b) / 2`` of the two middle values on
    floats: the same IEEE operations as on the arrays.
    """
    size = ordered.shape[0]
    half = size // 2
    largest = max(abs(ordered.item(0)), abs(ordered.item(-1)))  # max |x| of a sorted row
    if pow2_exponent(largest):  # scaled (the same rule as scale_rows): as for a batch
        return float(_sorted_medians(ordered[None, :]).item(0))
    if size % 2:
        return float(ordered.item(half))
    return (ordered.item(half - 1) + ordered.item(half)) / 2.0


def _sorted_medians(ordered: np.ndarray) -> np.ndarray:
    """The median of each sorted row, as :func:`pairedstudy._numerics.median` computes it.

    The same power-of-two scaling of each row, then the middle value or the mean of the
    two middle values (``(a + b) / 2``, what ``numpy.median`` computes), without
    ``numpy.median``'s partition of rows that are already sorted.
    """
    half = ordered.shape[-1] // 2
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
    rows, n = changes.shape
    k_low, k_high, attained = _interval_ranks(n, alternative, confidence_level)
    ordered = np.sort(changes, axis=-1)
    level = confidence_level
    if rows == 1:  # one study: the same figures on Python scalars
        row = ordered[0]
        # the sign of x - mu by bisection of the sorted row: on finite values x - mu > 0
        # exactly when x > mu (the IEEE difference of two different finite numbers is
        # never 0, and keeps its sign when it overflows)
        n_neg = int(row.searchsorted(mu, "left"))
        if n_neg == n or row.item(n_neg) > mu:  # no change equals mu
            n_pos = n - n_neg
        else:
            n_pos = n - int(row.searchsorted(mu, "right"))
        m_one = n_pos + n_neg
        # a new one-element array per field (each owns its data, as a batch's arrays do)
        statistic = np.array([float(n_pos)])
        p = np.array([_one_row_pvalue(n_pos, m_one, alternative)])
        df = np.array([math.nan])
        estimate = np.array([_sorted_median(row)])
        low = np.array([-math.inf if k_low is None else row.item(k_low)])
        high = np.array([math.inf if k_high is None else row.item(k_high)])
        attained_rows = np.array([attained])
        n_pos_rows, n_neg_rows = np.array([n_pos]), np.array([n_neg])
        some_none, some_dropped = m_one == 0, m_one < n
        if some_none or some_dropped:  # the notes read the count of signs per row
            m = np.array([m_one])
    else:
        special = scipy_special()
        n_pos_rows = np.count_nonzero(changes > mu, axis=-1)  # the sign of x - mu, which
        n_neg_rows = np.count_nonzero(changes < mu, axis=-1)  # may overflow: compare
        m = n_pos_rows + n_neg_rows
        none = m == 0
        lower = special.bdtr(n_pos_rows, m, 0.5)
        upper = np.where(n_pos_rows > 0, special.bdtrc(np.maximum(n_pos_rows - 1, 0), m, 0.5), 1.0)
        lower[none] = 1.0
        upper[none] = 1.0
        p = pvalue_from_tails(lower, upper, alternative)
        # columns of their own (a view of ``ordered`` could be made writeable again)
        low = np.full(rows, -np.inf) if k_low is None else ordered[:, k_low].copy()
        high = np.full(rows, np.inf) if k_high is None else ordered[:, k_high].copy()
        statistic = n_pos_rows.astype(float)
        df = np.full(rows, np.nan)
        estimate = _sorted_medians(ordered)
        attained_rows = np.full(rows, attained)
        some_none, some_dropped = bool(none.any()), bool((m < n).any())
    notes = []  # only the notes that concern some row (formatting them costs)
    if some_none:
        notes.append(
            RowNote(
                mask=m == 0,
                text="every change equals mu: p-value 1 by definition",
                single=f"every change equals mu = {mu:g}: p-value 1 by definition",
                warning=DegenerateDataWarning,
                message=(
                    f"every change equals mu = {mu:g}; the sign test has no signs to count "
                    "and its p-value is 1"
                ),
            )
        )
    if some_dropped:
        notes.append(
            RowNote(
                mask=m < n,
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
        statistic=statistic,
        pvalue=p,
        df=df,
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        attained_level=attained_rows,
        method="exact",
        notes=tuple(notes),
        n_positive=n_pos_rows,
        n_negative=n_neg_rows,
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
    n_pos = rows.n_positive.item(0)
    n_neg = rows.n_negative.item(0)
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
