"""Tests that use every observation of a study with incomplete pairs (dropouts).

A pre/post study loses subjects: some have a baseline and no follow-up, some a follow-up and
no baseline. ``PairedStudy(..., missing="drop")`` keeps the observed halves of those
incomplete pairs as ``study.pre_only`` and ``study.post_only``; the tests here use them
together with the complete pairs (the *partially overlapping samples* design):

- ``"partial-t"``: the partially overlapping samples t-test of Derrick, Russ, Toher & White
  (2017), Welch-type (``T_new2``, the default) or with pooled variances (``T_new1``);
- ``"looney-jones"``: the corrected z-test of Looney & Jones (2003);
- ``"kim-t"``: the modified t-statistic ``t3`` of Kim et al. (2005).

One kernel, :func:`partial_moments`, computes the summary figures of every replicate
dataset at once (arrays with a leading axis of replicates, all of the same shape), and
:func:`partial_t_rows`, :func:`looney_jones_rows` and :func:`kim_rows` turn them into test
rows. A single study is the kernel on one row; the power simulation
(:func:`pairedstudy.power.partial_t`) runs it on every simulated study at once.

Every test here assumes that the incomplete pairs are missing completely at random (MCAR):
whether a subject's baseline or follow-up is missing does not depend on its values.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._numerics import EPS, mean_sd_rows, scipy_special
from .._validation import check_bool
from ..errors import DegenerateDataError, InputValueError
from ..registry import RowNote, TestRows, register_test
from ..results import TestResult

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = [
    "ESTIMATE_NAME",
    "KIM_ESTIMATE_NAME",
    "MCAR_NOTE",
    "PartialMoments",
    "PartialRows",
    "harmonic_halves",
    "kim_rows",
    "kim_t_test",
    "looney_jones_rows",
    "looney_jones_test",
    "partial_moments",
    "partial_t_rows",
    "partial_t_test",
]

#: The assumption every test here makes, stated in each result's notes.
MCAR_NOTE = (
    "assumes the incomplete pairs are missing completely at random (MCAR): whether a "
    "baseline or a follow-up is missing does not depend on the values"
)


def _float_rows(name: str, value: Any) -> np.ndarray:
    array = np.ascontiguousarray(value, dtype=np.float64)
    if array.ndim != 2:
        raise InputValueError(
            f"{name} must be a 2-D array (replicates x observations); got shape {array.shape}"
        )
    if not np.isfinite(array).all():
        raise InputValueError(f"{name} must hold finite numbers only")
    return array


@attrs.frozen(kw_only=True)
class PartialMoments:
    """The summary figures of replicate datasets with incomplete pairs (one per row).

    Every array has shape ``(replicates,)``. The two arms are the baseline (``pre``: the
    complete pairs' baselines and ``pre_only``) and the follow-up (``post``: the complete
    pairs' follow-ups and ``post_only``).

    Attributes
    ----------
    n, n_pre_only, n_post_only : int
        Complete pairs, baseline-only and follow-up-only observations (the same in every
        row).
    mean_change, sd_change : numpy.ndarray
        Mean and SD (``n - 1`` denominator) of ``post - pre`` over the complete pairs.
    mean_pre, sd_pre, mean_post, sd_post : numpy.ndarray
        Mean and SD of each arm of the complete pairs.
    mean_pre_only, sd_pre_only, mean_post_only, sd_post_only : numpy.ndarray
        Mean and SD of the halves (NaN when there are none; the SD is NaN for one).
    mean_pre_all, sd_pre_all, mean_post_all, sd_post_all : numpy.ndarray
        Mean and SD of each arm over all its observations.
    difference : numpy.ndarray
        ``mean_post_all - mean_pre_all``, computed as the mean change of the complete pairs
        plus the shifts that the halves bring to each arm's mean (exactly the mean change
        when there are no halves).
    scale : numpy.ndarray
        The power of two every value of the row was divided by (1 for ordinary data): every
        mean and SD above is of the scaled values; multiply by ``scale`` to get them in the
        data's units. Statistics and p-values are scale-free.
    """

    n: int
    n_pre_only: int
    n_post_only: int
    mean_change: np.ndarray = attrs.field(eq=False)
    sd_change: np.ndarray = attrs.field(eq=False)
    mean_pre: np.ndarray = attrs.field(eq=False)
    sd_pre: np.ndarray = attrs.field(eq=False)
    mean_post: np.ndarray = attrs.field(eq=False)
    sd_post: np.ndarray = attrs.field(eq=False)
    mean_pre_only: np.ndarray = attrs.field(eq=False)
    sd_pre_only: np.ndarray = attrs.field(eq=False)
    mean_post_only: np.ndarray = attrs.field(eq=False)
    sd_post_only: np.ndarray = attrs.field(eq=False)
    mean_pre_all: np.ndarray = attrs.field(eq=False)
    sd_pre_all: np.ndarray = attrs.field(eq=False)
    mean_post_all: np.ndarray = attrs.field(eq=False)
    sd_post_all: np.ndarray = attrs.field(eq=False)
    difference: np.ndarray = attrs.field(eq=False)
    scale: np.ndarray = attrs.field(eq=False)

    @property
    def rows(self) -> int:
        """The number of replicate datasets."""
        return int(self.mean_change.shape[0])


def _largest_abs(array: np.ndarray, rows: int) -> np.ndarray:
    if array.shape[1] == 0:
        return np.zeros(rows)
    return np.maximum(np.max(array, axis=1), -np.min(array, axis=1))


def _mean_sd_or_nan(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows, k = values.shape
    if k == 0:
        return np.full(rows, np.nan), np.full(rows, np.nan)
    if k == 1:
        return values[:, 0].copy(), np.full(rows, np.nan)
    return mean_sd_rows(values)


def partial_moments(
    pre: Any, post: Any, pre_only: Any, post_only: Any, *, check: bool = True
) -> PartialMoments:
    """The summary figures of each replicate dataset (the kernel of every test here).

    Parameters
    ----------
    pre, post : array_like
        Shape ``(replicates, n)``: baseline and follow-up of the ``n`` complete pairs.
    pre_only : array_like
        Shape ``(replicates, n_pre_only)``: baselines of subjects without a follow-up.
    post_only : array_like
        Shape ``(replicates, n_post_only)``: follow-ups of subjects without a baseline.
    check : bool
        Validate shapes and finiteness (the power simulation, whose arrays are its own,
        skips it).

    Returns
    -------
    PartialMoments

    Raises
    ------
    InputValueError
        Arrays that are not 2-D, rows that do not match, non-finite values.
    DegenerateDataError
        Fewer than 2 complete pairs (the correlation of the pairs is undefined).
    """
    if check:
        pre, post = _float_rows("pre", pre), _float_rows("post", post)
        pre_only = _float_rows("pre_only", pre_only)
        post_only = _float_rows("post_only", post_only)
        if pre.shape != post.shape:
            raise InputValueError(
                f"pre and post must have the same shape (replicates, pairs); got {pre.shape} "
                f"and {post.shape}"
            )
        if pre_only.shape[0] != pre.shape[0] or post_only.shape[0] != pre.shape[0]:
            raise InputValueError(
                f"pre_only and post_only must have as many rows as pre ({pre.shape[0]}); got "
                f"{pre_only.shape[0]} and {post_only.shape[0]}"
            )
    rows, n = pre.shape
    a, b = pre_only.shape[1], post_only.shape[1]
    if n < 2:
        raise DegenerateDataError(
            f"the tests on incomplete pairs need at least 2 complete pairs (to estimate the "
            f"pre-post correlation); got {n}"
        )
    # values far from 1 in magnitude are divided by a power of two (exact), as the paired
    # t-test does, so that squares neither overflow nor underflow
    largest = np.maximum.reduce([_largest_abs(x, rows) for x in (pre, post, pre_only, post_only)])
    exponent = np.frexp(largest)[1].astype(np.int64) - 1
    scaled = (largest != 0.0) & ((exponent <= -60) | (exponent >= 60))
    scale = np.ones(rows)
    if scaled.any():
        shift = -exponent[scaled][:, None]
        pre, post = pre.copy(), post.copy()
        pre_only, post_only = pre_only.copy(), post_only.copy()
        for array in (pre, post, pre_only, post_only):
            array[scaled] = np.ldexp(array[scaled], shift)
        scale[scaled] = np.ldexp(1.0, exponent[scaled])
    change = post - pre
    mean_change, sd_change = mean_sd_rows(change)
    mean_pre, sd_pre = mean_sd_rows(pre)
    mean_post, sd_post = mean_sd_rows(post)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pre_only, sd_pre_only = _mean_sd_or_nan(pre_only)
        mean_post_only, sd_post_only = _mean_sd_or_nan(post_only)
    if a:
        mean_pre_all, sd_pre_all = mean_sd_rows(np.concatenate([pre, pre_only], axis=1))
    else:
        mean_pre_all, sd_pre_all = mean_pre, sd_pre
    if b:
        mean_post_all, sd_post_all = mean_sd_rows(np.concatenate([post, post_only], axis=1))
    else:
        mean_post_all, sd_post_all = mean_post, sd_post
    difference = mean_change.copy()
    if b:  # the follow-up arm's mean moves by b / (n + b) of (post-only mean - paired mean)
        difference += (b / (n + b)) * (mean_post_only - mean_post)
    if a:
        difference -= (a / (n + a)) * (mean_pre_only - mean_pre)
    return PartialMoments(
        n=n,
        n_pre_only=a,
        n_post_only=b,
        mean_change=mean_change,
        sd_change=sd_change,
        mean_pre=mean_pre,
        sd_pre=sd_pre,
        mean_post=mean_post,
        sd_post=sd_post,
        mean_pre_only=mean_pre_only,
        sd_pre_only=sd_pre_only,
        mean_post_only=mean_post_only,
        sd_post_only=sd_post_only,
        mean_pre_all=mean_pre_all,
        sd_pre_all=sd_pre_all,
        mean_post_all=mean_post_all,
        sd_post_all=sd_post_all,
        difference=difference,
        scale=scale,
    )


@attrs.frozen(kw_only=True)
class PartialRows(TestRows):
    """A test on incomplete pairs, row by row: the :class:`TestRows` fields and more.

    Attributes
    ----------
    se : numpy.ndarray
        The standard error of the estimate (in the data's units).
    degenerate : numpy.ndarray of bool
        Rows whose standard error is 0 or undefined: statistic, p-value and interval NaN.
    """

    se: np.ndarray = attrs.field(eq=False)
    degenerate: np.ndarray = attrs.field(eq=False)


def _tails(
    estimate: np.ndarray,
    se: np.ndarray,
    df: np.ndarray | None,
    *,
    alternative: str,
    mu: float,
    confidence_level: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Statistic, p-value and interval of ``(estimate - mu) / se`` (t with ``df``, or normal).

    The operations of the paired t-test's core (``_t_core`` in :mod:`.ttest`), so that a
    partial t without halves gives the paired t's figures bit for bit.
    """
    special = scipy_special()

    def cdf(x: np.ndarray) -> np.ndarray:
        return special.stdtr(df, x) if df is not None else special.ndtr(x)

    def quantile(q: float) -> np.ndarray:
        if df is not None:
            return special.stdtrit(df, q)
        return np.full(estimate.shape, float(special.ndtri(q)))

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        statistic = (estimate - mu) / se
        if alternative == "less":
            p = cdf(statistic)
        elif alternative == "greater":
            p = cdf(-statistic)
        else:
            p = np.minimum(1.0, 2.0 * cdf(-np.abs(statistic)))
        if alternative == "two-sided":
            half = quantile(1.0 - (1.0 - confidence_level) / 2.0) * se
            low, high = estimate - half, estimate + half
        elif alternative == "less":
            low = np.full(estimate.shape, -math.inf)
            high = estimate + quantile(confidence_level) * se
        else:
            low = estimate - quantile(confidence_level) * se
            high = np.full(estimate.shape, math.inf)
    return statistic, np.asarray(p, dtype=float), low, high


def _rows(
    estimate: np.ndarray,
    se: np.ndarray,
    df: np.ndarray | None,
    degenerate: np.ndarray,
    note: str,
    *,
    method: str,
    alternative: str,
    mu: float,
    confidence_level: float,
) -> PartialRows:
    statistic, p, low, high = _tails(
        estimate,
        se,
        df,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
    )
    if degenerate.any():
        for array in (statistic, p, low, high):
            array[degenerate] = np.nan
    return PartialRows(
        statistic=statistic,
        pvalue=p,
        df=df if df is not None else np.full(estimate.shape, np.nan),
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        method=method,
        notes=(RowNote(mask=degenerate, text=note),) if degenerate.any() else (),
        se=se,
        degenerate=degenerate,
    )


def _degenerate(estimate: np.ndarray, se: np.ndarray) -> np.ndarray:
    """The library's rule for a constant change (``constant_change``), NaN-safe."""
    return ~(se > 0.0) | (se < 10 * EPS * np.abs(estimate))


def partial_t_rows(
    m: PartialMoments,
    *,
    var_equal: bool = False,
    alternative: str,
    mu: float,
    confidence_level: float,
) -> PartialRows:
    """The partially overlapping samples t-test of each row (Derrick et al. 2017).

    Parameters
    ----------
    m : PartialMoments
        From :func:`partial_moments`.
    var_equal : bool
        ``False``: ``T_new2`` (separate variances, Welch-type degrees of freedom);
        ``True``: ``T_new1`` (pooled variance).
    alternative, mu, confidence_level
        Already validated; ``mu`` in the data's units.

    Returns
    -------
    PartialRows
        ``estimate`` is ``mean(post, all) - mean(pre, all)``, ``df`` the test's degrees of
        freedom, ``se`` the denominator of the statistic; ``method`` is ``"exact"`` for
        ``T_new2`` without halves (the paired t-test), else ``"approximate (...)"``. A row
        whose standard error is 0 (or below the library's constant-change threshold) is NaN
        and noted.

    Notes
    -----
    With ``n12`` complete pairs, ``na`` baseline-only and ``nb`` follow-up-only
    observations, arms of ``n1 = n12 + na`` (pre) and ``n2 = n12 + nb`` (post) observations
    with means ``m1, m2`` and SDs ``s1, s2`` (all observations of the arm), and ``r`` the
    correlation of the complete pairs (0 when either arm of the pairs is constant, as in R's
    ``Partover.test``)::

        T_new2 = (m2 - m1 - mu) / sqrt(s1²/n1 + s2²/n2 - 2 r s1 s2 n12 / (n1 n2))
        df_2   = (n12 - 1) + (g - n12 + 1) / (na + nb + 2 n12) * (na + nb)
        T_new1 = (m2 - m1 - mu) / (sp sqrt(1/n1 + 1/n2 - 2 r n12 / (n1 n2)))
        df_1   = (n12 - 1) + (na + nb + n12 - 1) / (na + nb + 2 n12) * (na + nb)

    with ``g`` the Welch-Satterthwaite degrees of freedom of the two arms and the pooled
    ``sp² = ((n1 - 1) s1² + (n2 - 1) s2²) / (n1 + n2 - 2)``.

    The variances are evaluated without cancellation. With ``s1p, s2p, sd`` the SDs of the
    pairs' two arms and of their change, ``2 r s1p s2p = s1p² + s2p² - sd²``, so the
    ``T_new2`` variance is ``(s1/n1)(s1 - (n12/n2) s1p k2) + (s2/n2)(s2 - (n12/n1) s2p k1)
    + n12/(n1 n2) k1 k2 sd²`` with ``ki = si / sip``: without halves both brackets are
    exactly 0 and the variance is ``sd² / n12``, the paired t's (whose form, ``sd /
    sqrt(n)``, is then used for the standard error). For ``T_new1``,
    ``1 - r = (sd² - (s1p - s2p)²) / (2 s1p s2p)``.
    """
    n, a, b = m.n, m.n_pre_only, m.n_post_only
    n1, n2 = n + a, n + b
    s1, s2 = m.sd_pre_all, m.sd_post_all
    s1p, s2p, sd = m.sd_pre, m.sd_post, m.sd_change
    halves = a + b
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        correlated = (s1p > 0.0) & (s2p > 0.0)  # R: r = 0 when either paired SD is 0
        if not var_equal:
            if halves == 0:
                se = sd / math.sqrt(n)
            else:
                k1 = np.where(correlated, s1 / s1p, 0.0)
                k2 = np.where(correlated, s2 / s2p, 0.0)
                variance = np.where(
                    correlated,
                    (s1 / n1) * (s1 - (n / n2) * (s1p * k2))
                    + (s2 / n2) * (s2 - (n / n1) * (s2p * k1))
                    + (n / (n1 * n2)) * (k1 * k2) * (sd * sd),
                    s1 * s1 / n1 + s2 * s2 / n2,
                )
                se = np.sqrt(np.maximum(variance, 0.0))
            if halves == 0:
                df = np.full(sd.shape, float(n - 1))
            else:
                v1, v2 = s1 * s1 / n1, s2 * s2 / n2
                welch = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
                df = (n - 1) + (welch - n + 1) / (halves + 2 * n) * halves
        else:
            pooled = ((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2)
            # 2 r s1p s2p = s1p² + s2p² - sd²; at r = 1 (two pairs always have |r| = 1)
            # the numerator is rounding noise of the size eps (s1p² + s2p²): it is 0
            numerator = sd * sd - (s1p - s2p) ** 2
            noise = 64.0 * EPS * (s1p * s1p + s2p * s2p)
            numerator = np.where(np.abs(numerator) <= noise, 0.0, numerator)
            one_minus_r = np.where(correlated, numerator / (2.0 * s1p * s2p), 1.0)
            factor = (halves + 2.0 * n * one_minus_r) / (n1 * n2)
            se = np.sqrt(pooled * np.maximum(factor, 0.0))
            df = np.full(sd.shape, (n - 1) + (halves + n - 1) / (halves + 2 * n) * halves)
    if var_equal:
        method = "approximate (pooled variance)"
    else:
        method = "exact" if halves == 0 else "approximate (Welch-type df)"
    estimate = m.difference * m.scale
    se = se * m.scale
    degenerate = _degenerate(estimate, se)
    return _rows(
        estimate,
        se,
        df,
        degenerate,
        "the standard error is 0 (both arms constant, or a constant change without "
        "halves): t undefined, statistic, p-value and interval are NaN",
        method=method,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
    )


def looney_jones_rows(
    m: PartialMoments, *, alternative: str, mu: float, confidence_level: float
) -> PartialRows:
    """The corrected z-test of Looney & Jones (2003) on each row.

    Parameters
    ----------
    m : PartialMoments
        From :func:`partial_moments`.
    alternative, mu, confidence_level
        Already validated.

    Returns
    -------
    PartialRows
        ``estimate`` is ``mean(post, all) - mean(pre, all)``; ``df`` NaN (normal
        reference). A row whose variance estimate is not positive (it can be negative with
        few pairs and halves near their arm's mean) is NaN and noted.

    Notes
    -----
    ::

        z = (m2 - m1 - mu) / sqrt(s1²/n1 + s2²/n2 - 2 n12 s12 / (n1 n2))

    with ``s12`` the covariance of the complete pairs (other symbols as in
    :func:`partial_t_rows`), evaluated as ``(s1² - (n12/n2) s1p²)/n1 + (s2² - (n12/n1)
    s2p²)/n2 + n12 sd² / (n1 n2)`` (``2 s12 = s1p² + s2p² - sd²``), so that without halves
    it is ``sd² / n12`` exactly.
    """
    n, a, b = m.n, m.n_pre_only, m.n_post_only
    n1, n2 = n + a, n + b
    s1, s2 = m.sd_pre_all, m.sd_post_all
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if a + b == 0:
            se = m.sd_change / math.sqrt(n)
        else:
            variance = (
                (s1 * s1 - (n / n2) * (m.sd_pre * m.sd_pre)) / n1
                + (s2 * s2 - (n / n1) * (m.sd_post * m.sd_post)) / n2
                + (n / (n1 * n2)) * (m.sd_change * m.sd_change)
            )
            se = np.where(variance > 0.0, np.sqrt(np.abs(variance)), np.nan)
    estimate = m.difference * m.scale
    se = se * m.scale
    degenerate = _degenerate(estimate, se)
    return _rows(
        estimate,
        se,
        None,
        degenerate,
        "the corrected variance estimate is 0 or negative: z undefined, statistic, p-value "
        "and interval are NaN",
        method="asymptotic (normal)",
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
    )


def harmonic_halves(n_pre_only: int, n_post_only: int) -> float:
    """Kim et al.'s ``nH = 2 / (1/na + 1/nb)``; 0 when either side has no halves."""
    if n_pre_only == 0 or n_post_only == 0:
        return 0.0
    return 2.0 * n_pre_only * n_post_only / (n_pre_only + n_post_only)


def kim_rows(
    m: PartialMoments, *, alternative: str, mu: float, confidence_level: float
) -> PartialRows:
    """The modified t-statistic t3 of Kim et al. (2005) on each row.

    Parameters
    ----------
    m : PartialMoments
        From :func:`partial_moments`; each side's halves number 0 or at least 2 when both
        sides have some.
    alternative, mu, confidence_level
        Already validated.

    Returns
    -------
    PartialRows
        ``estimate`` is the weighted mean change
        ``(n12 dbar + nH (mb - ma)) / (n12 + nH)``; ``df`` NaN
        (normal reference).

    Raises
    ------
    DegenerateDataError
        One side has exactly one half and the other some: its variance is undefined.

    Notes
    -----
    ::

        t3 = (n12 (dbar - mu) + nH (mb - ma - mu)) / sqrt(n12 sd² + nH² (sb²/nb + sa²/na))

    with ``dbar, sd`` the mean and SD of the pairs' changes, ``ma, sa`` of the ``na``
    baseline-only and ``mb, sb`` of the ``nb`` follow-up-only observations, and
    ``nH = 2 / (1/na + 1/nb)`` their harmonic mean. Without halves on a side ``nH = 0`` and
    ``t3`` is the paired statistic on the complete pairs.
    """
    n, a, b = m.n, m.n_pre_only, m.n_post_only
    nh = harmonic_halves(a, b)
    if nh > 0 and (a < 2 or b < 2):
        side, count = ("baseline-only", a) if a < 2 else ("follow-up-only", b)
        raise DegenerateDataError(
            f"Kim et al.'s t3 needs the variance of the {side} observations, and there is "
            f"{count} of them (it needs 0 or at least 2); use 'partial-t', which pools each "
            "arm's observations"
        )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if nh == 0:
            estimate = m.mean_change.copy()
            se = m.sd_change / math.sqrt(n)
        else:
            unpaired = m.mean_post_only - m.mean_pre_only
            estimate = (n * m.mean_change + nh * unpaired) / (n + nh)
            spread = (m.sd_post_only * m.sd_post_only) / b + (m.sd_pre_only * m.sd_pre_only) / a
            se = np.sqrt(n * (m.sd_change * m.sd_change) + nh * nh * spread) / (n + nh)
    estimate = estimate * m.scale
    se = se * m.scale
    degenerate = _degenerate(estimate, se)
    return _rows(
        estimate,
        se,
        None,
        degenerate,
        "the standard error of t3 is 0: statistic, p-value and interval are NaN",
        method="asymptotic (normal)",
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
    )


# --------------------------------------------------------------------------------------
# The registered tests: the kernel on one study
# --------------------------------------------------------------------------------------

ESTIMATE_NAME = "difference in means (post - pre, all observations)"
KIM_ESTIMATE_NAME = "weighted mean change (pairs and halves)"


def _study_moments(study: PairedStudy) -> PartialMoments:
    """The kernel on one study: its complete pairs and the observed halves."""
    return partial_moments(
        np.asarray(study.pre, dtype=np.float64)[None, :],
        np.asarray(study.post, dtype=np.float64)[None, :],
        np.asarray(study.pre_only, dtype=np.float64)[None, :],
        np.asarray(study.post_only, dtype=np.float64)[None, :],
        check=False,
    )


def _counts_note(m: PartialMoments) -> str:
    return (
        f"{m.n} complete pairs, {m.n_pre_only} baseline-only and {m.n_post_only} "
        "follow-up-only observations"
    )


def _pair_correlation(m: PartialMoments) -> float:
    """The correlation of the complete pairs (0 when either arm is constant, as R's)."""
    s1, s2, sd = float(m.sd_pre[0]), float(m.sd_post[0]), float(m.sd_change[0])
    if s1 == 0.0 or s2 == 0.0:
        return 0.0
    return max(-1.0, min(1.0, (s1 * s1 + s2 * s2 - sd * sd) / (2.0 * s1 * s2)))


def _common_details(m: PartialMoments, rows: PartialRows) -> dict[str, Any]:
    scale = float(m.scale[0])
    return {
        "n_pre_only": m.n_pre_only,
        "n_post_only": m.n_post_only,
        "se": float(rows.se[0]),
        "mean_pre_all": float(m.mean_pre_all[0]) * scale,
        "mean_post_all": float(m.mean_post_all[0]) * scale,
        "sd_pre_all": float(m.sd_pre_all[0]) * scale,
        "sd_post_all": float(m.sd_post_all[0]) * scale,
        "r_pairs": _pair_correlation(m),
    }


@register_test(
    "partial-t",
    statistic_name="t",
    estimate_name=ESTIMATE_NAME,
    uses_unpaired=True,
)
def partial_t_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    var_equal: bool = False,
) -> TestResult:
    """Partially overlapping samples t-test: complete pairs and the halves of incomplete ones.

    Parameters
    ----------
    study : PairedStudy
        The data: ``study.pre``, ``study.post`` (complete pairs) and ``study.pre_only``,
        ``study.post_only`` (the observed halves kept by ``missing="drop"``).
    alternative : {"two-sided", "less", "greater"}
        Alternative about the mean of ``post - pre`` relative to ``mu``.
    mu : float
        Mean change under the null hypothesis.
    confidence_level : float
        Level of the interval for the mean change (one-sided for a one-sided alternative).
    var_equal : bool, default False
        ``False``: Derrick et al.'s ``T_new2`` (each arm its own variance, Welch-type
        degrees of freedom); ``True``: ``T_new1`` (pooled variance).

    Returns
    -------
    TestResult
        ``statistic`` is t, ``df`` the test's degrees of freedom, ``estimate`` the
        difference of the arm means over all observations, ``mean(post) - mean(pre)``, and
        ``ci`` its t interval; ``n`` is the number of complete pairs. ``details`` holds
        ``n_pre_only``, ``n_post_only``, ``se``, the arms' means and SDs over all
        observations and ``r_pairs``, the correlation of the complete pairs.

    Raises
    ------
    DegenerateDataError
        The standard error is 0 (both arms constant; or, without halves, a constant
        change, as for the paired t-test).

    Notes
    -----
    Assumes the incomplete pairs are missing completely at random (MCAR), and normal data
    (as the t-tests do); the result's notes say so, with the number of pairs and halves.
    The formulas are those of :func:`partial_t_rows`, the kernel this test runs on one
    study.

    Without incomplete pairs and with ``var_equal=False`` the test *is* the paired t-test:
    same statistic, degrees of freedom ``n - 1``, p-value and interval, and ``method``
    ``"exact"`` (the standard error is then computed as the paired t's). With
    ``var_equal=True`` and no halves, ``T_new1`` is ``mean(d) / sqrt((s1² + s2²)(1 - r) /
    n)`` on ``n - 1`` degrees of freedom: the paired t with the two arms' variances pooled,
    equal to the paired t only when the arms' SDs are equal.

    Checked against R's ``Partiallyoverlapping::Partover.test`` (version 2.0) with the
    arguments mapped as ``Partover.test(x1 = post_only, x2 = pre_only, x3 = post,
    x4 = pre, var.equal, mu, alternative, conf.level)``: R tests sample 1 minus sample 2
    with ``x1, x2`` the unpaired and ``x3, x4`` the paired observations, so post is its
    sample 1. Statistic, df, p-value and interval agree to about 1e-13; the published
    example (8 pairs and 8 unpaired observations per arm, ``var.equal = TRUE``) gives
    p = 0.026. One difference: for ``alternative = "greater"`` R computes
    ``pt(-abs(t), df)``, which is the upper tail only when ``t >= 0``; this test reports
    the upper tail ``P(T >= t)`` for every ``t``. The package has no ``Partover.ci`` (the
    interval is ``Partover.test(..., conf.level = )``).

    ``mu`` shifts the null hypothesis as in R (``t = (estimate - mu) / se``); the interval
    is the set of ``mu`` the test does not reject.

    References
    ----------
    .. [1] Derrick, B., Russ, B., Toher, D. & White, P. (2017). Test statistics for the
       comparison of means for two samples that include both paired and independent
       observations. Journal of Modern Applied Statistical Methods 16(1), 137-157.
    .. [2] Derrick, B., Toher, D. & White, P. (2017). How to compare the means of two
       samples that include paired observations and independent observations: a companion
       to Derrick, Russ, Toher and White (2017). The Quantitative Methods for Psychology
       13(2), 120-126.
    """
    var_equal = check_bool("var_equal", var_equal)
    m = _study_moments(study)
    rows = partial_t_rows(
        m,
        var_equal=var_equal,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
    )
    if rows.degenerate[0]:
        if var_equal and m.n_pre_only + m.n_post_only == 0:
            reason = (
                "each arm is constant, or the pairs' pre and post are perfectly correlated "
                "(r = 1; two pairs always have |r| = 1), which leaves T_new1 no variance"
            )
        else:
            reason = (
                "every observation of each arm is the same, or without incomplete pairs "
                f"the change is constant, {float(m.mean_change[0] * m.scale[0]):g}"
            )
        raise DegenerateDataError(
            f"the standard error of the partially overlapping samples t is 0 ({reason}): "
            "t is undefined"
        )
    halves = m.n_pre_only + m.n_post_only
    variant = "pooled variance, T_new1" if var_equal else "Welch-type, T_new2"
    notes = [_counts_note(m), MCAR_NOTE]
    if halves == 0:
        notes.append(
            "no incomplete pairs: T_new2 is the paired t-test"
            if not var_equal
            else "no incomplete pairs: T_new1 is the paired t with the arms' variances pooled"
        )
    details = _common_details(m, rows)
    details["var_equal"] = var_equal
    return rows.to_result(
        0,
        test="partial-t",
        title=f"Partially overlapping samples t-test ({variant})",
        statistic_name="t",
        estimate_name=ESTIMATE_NAME,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        n=study.n,
        study_name=study.name,
        notes=notes,
        details=details,
    )


@register_test(
    "looney-jones",
    statistic_name="z",
    estimate_name=ESTIMATE_NAME,
    uses_unpaired=True,
)
def looney_jones_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
) -> TestResult:
    """Looney & Jones' corrected z-test: complete pairs and the halves of incomplete ones.

    Parameters
    ----------
    study : PairedStudy
        The data: complete pairs and the observed halves ``study.pre_only``,
        ``study.post_only``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the mean of ``post - pre`` relative to ``mu``.
    mu : float
        Mean change under the null hypothesis.
    confidence_level : float
        Level of the interval for the mean change.

    Returns
    -------
    TestResult
        ``statistic`` is z (standard normal reference, ``df`` None), ``estimate`` the
        difference of the arm means over all observations and ``ci`` the normal interval
        ``estimate -/+ z_q se``.

    Raises
    ------
    DegenerateDataError
        The corrected variance estimate is 0 or negative: it subtracts the pairs'
        covariance from the two arms' variances and, with few pairs and halves close to
        their arm's mean, can fall below 0 (R gives NaN there).

    Notes
    -----
    ``z = (mean(post) - mean(pre) - mu) / sqrt(s_post²/n_post + s_pre²/n_pre -
    2 n12 s12 / (n_post n_pre))`` with each arm's mean and SD over all its observations,
    ``n12`` complete pairs and ``s12`` their covariance (Looney & Jones 2003; one of the
    tests Derrick et al. 2017 compare with theirs). The formulas are those of
    :func:`looney_jones_rows`. Assumes the incomplete pairs are missing completely at
    random (MCAR) and a large sample (the reference is normal, not t: with few pairs the
    test is liberal, one reason Derrick et al. proposed ``"partial-t"``). Without incomplete
    pairs it is the paired t statistic referred to the normal distribution.

    What this implements beyond the paper: ``mu`` (the paper tests equal means; here
    ``z = (estimate - mu) / se``), one-sided alternatives, and the interval, which is the
    set of ``mu`` the test does not reject (the paper gives the test, not an interval). The
    check is an independent transcription of the formula in R
    (tests/fixtures/make_partial_overlap.R), agreeing to about 1e-13.

    References
    ----------
    .. [1] Looney, S. W. & Jones, P. W. (2003). A method for comparing two normal means
       using combined samples of correlated and uncorrelated data. Statistics in Medicine
       22(9), 1601-1610.
    .. [2] Derrick, B., Russ, B., Toher, D. & White, P. (2017). Test statistics for the
       comparison of means for two samples that include both paired and independent
       observations. Journal of Modern Applied Statistical Methods 16(1), 137-157.
    """
    m = _study_moments(study)
    rows = looney_jones_rows(m, alternative=alternative, mu=mu, confidence_level=confidence_level)
    if rows.degenerate[0]:
        raise DegenerateDataError(
            "the Looney-Jones variance estimate (the arms' variances minus the pairs' "
            "covariance term) is 0 or negative for these data, so the corrected z is "
            f"undefined ({_counts_note(m)}); use 'partial-t', whose variance cannot be "
            "negative"
        )
    notes = [_counts_note(m), MCAR_NOTE]
    if m.n_pre_only + m.n_post_only == 0:
        notes.append("no incomplete pairs: the paired t statistic on the normal distribution")
    return rows.to_result(
        0,
        test="looney-jones",
        title="Looney-Jones corrected z-test",
        statistic_name="z",
        estimate_name=ESTIMATE_NAME,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        n=study.n,
        study_name=study.name,
        notes=notes,
        details=_common_details(m, rows),
    )


@register_test(
    "kim-t",
    statistic_name="t3",
    estimate_name=KIM_ESTIMATE_NAME,
    uses_unpaired=True,
)
def kim_t_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
) -> TestResult:
    """Kim et al.'s modified t-statistic t3: complete pairs and the halves of incomplete ones.

    Parameters
    ----------
    study : PairedStudy
        The data: complete pairs and the observed halves ``study.pre_only``,
        ``study.post_only``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the mean change relative to ``mu``.
    mu : float
        Mean change under the null hypothesis.
    confidence_level : float
        Level of the interval for the mean change.

    Returns
    -------
    TestResult
        ``statistic`` is t3 (standard normal reference, ``df`` None); ``estimate`` the
        weighted mean change ``(n12 dbar + nH (mb - ma)) / (n12 + nH)`` whose
        standardization t3 is, and ``ci`` its normal interval. ``details["n_h"]`` is the
        harmonic mean ``nH`` of the numbers of halves.

    Raises
    ------
    DegenerateDataError
        One side has exactly one half and the other side some (its variance is undefined),
        or the standard error is 0.

    Notes
    -----
    ``t3 = (n12 (dbar - mu) + nH (mb - ma - mu)) / sqrt(n12 sd² + nH² (sb²/nb + sa²/na))``:
    ``dbar, sd`` the mean and SD of the complete pairs' changes, ``ma, sa`` of the ``na``
    baseline-only and ``mb, sb`` of the ``nb`` follow-up-only observations,
    ``nH = 2 / (1/na + 1/nb)`` (Kim et al. 2005, their t3; also compared by Derrick et al. 2017);
    standard normal reference. The formulas are those of :func:`kim_rows`.

    t3 combines the mean change of the pairs with the difference of the two groups of
    halves, so it needs halves on *both* sides. With halves on one side only, ``nH = 0``,
    t3 is the paired statistic on the complete pairs and those halves are not used (a note
    says how many); ``"partial-t"`` uses them.

    What this implements beyond the paper: ``mu`` (the paper tests equal means; here each
    difference is taken relative to ``mu``, so ``t3 = (estimate - mu) / se``), one-sided
    alternatives, and the interval, the set of ``mu`` the test does not reject (the paper
    gives the test, not an interval). Kim et al. published t3 in the Bioinformatics paper
    cited below, for microarray data (tumour and normal tissue of the same and of other
    patients). The check is an independent transcription of the formula in R
    (tests/fixtures/make_partial_overlap.R), agreeing to about 1e-14.
    Assumes the incomplete pairs are missing completely at random (MCAR) and a large
    sample (normal reference).

    References
    ----------
    .. [1] Kim, B. S., Kim, I., Lee, S., Kim, S., Rha, S. Y. & Chung, H. C. (2005).
       Statistical methods of translating microarray data into clinically relevant
       diagnostic information in colorectal cancer. Bioinformatics 21(4), 517-528.
    .. [2] Derrick, B., Russ, B., Toher, D. & White, P. (2017). Test statistics for the
       comparison of means for two samples that include both paired and independent
       observations. Journal of Modern Applied Statistical Methods 16(1), 137-157.
    """
    m = _study_moments(study)
    rows = kim_rows(m, alternative=alternative, mu=mu, confidence_level=confidence_level)
    if rows.degenerate[0]:
        raise DegenerateDataError(
            "the standard error of Kim et al.'s t3 is 0 (a constant change and constant "
            "halves): t3 is undefined"
        )
    nh = harmonic_halves(m.n_pre_only, m.n_post_only)
    notes = [_counts_note(m), MCAR_NOTE]
    if nh == 0 and m.n_pre_only + m.n_post_only:
        side = "baseline-only" if m.n_pre_only else "follow-up-only"
        count = m.n_pre_only or m.n_post_only
        notes.append(
            f"t3 needs halves on both sides: the {count} {side} observation(s) were not "
            "used (t3 is the paired statistic here; 'partial-t' uses them)"
        )
    elif nh == 0:
        notes.append("no incomplete pairs: the paired t statistic on the normal distribution")
    details = _common_details(m, rows)
    details["n_h"] = nh
    return rows.to_result(
        0,
        test="kim-t",
        title="Kim et al. modified t-statistic (t3)",
        statistic_name="t3",
        estimate_name=KIM_ESTIMATE_NAME,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        n=study.n,
        study_name=study.name,
        notes=notes,
        details=details,
    )
