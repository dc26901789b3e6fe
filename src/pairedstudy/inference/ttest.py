"""The paired t-test: Student's one-sample t-test on the changes ``post - pre``.

One kernel, :func:`t_rows`, computes the test from the mean and SD of the change of each
row; :func:`paired_t_batch` (the batch kernel of :func:`pairedstudy.test_batch`),
:func:`paired_t` (one study: the kernel on one row) and :func:`t_from_moments` (a paper's
table) all call it, so they agree by construction.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._numerics import constant_change, mean_sd, mean_sd_rows, pow2_scale_rows, scipy_special
from ..errors import DegenerateDataError
from ..registry import RowNote, TestRows, register_test
from ..results import ConfidenceInterval, TestResult

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = ["TRows", "paired_t", "paired_t_batch", "t_from_moments", "t_rows"]

STATISTIC_NAME = "t"
ESTIMATE_NAME = "mean change"
_DEGENERATE_NOTE = (
    "the change is constant (SD 0): t undefined, statistic, p-value and interval are NaN"
)


@attrs.frozen(kw_only=True)
class TRows(TestRows):
    """The t-test of each row: the :class:`~pairedstudy.registry.TestRows` fields and more.

    Attributes
    ----------
    sd, se : numpy.ndarray of float
        The SD of the change and the standard error of its mean, per row.
    degenerate : numpy.ndarray of bool
        Rows whose change is constant (t undefined: statistic, p-value and interval NaN).
    """

    sd: np.ndarray = attrs.field(eq=False)
    se: np.ndarray = attrs.field(eq=False)
    degenerate: np.ndarray = attrs.field(eq=False)


@functools.lru_cache(maxsize=256)
def _t_quantile(df: int, probability: float) -> float:
    """``scipy.special.stdtrit(df, probability)`` as a Python float (cached).

    The interval's quantile depends on ``n``, the level and the alternative only, so a
    run of single calls computes it once.
    """
    return float(scipy_special().stdtrit(df, probability))


def _t_core(
    mean: Any, sd: Any, n: int, alternative: str, mu: float, confidence_level: float
) -> tuple[Any, ...]:
    """t, p, the interval and the SE, elementwise: on floats (one row) or on arrays.

    On floats every scipy result is turned into a Python float before it is combined, so
    nothing warns where the arrays' ``errstate`` would be needed, and the figures are the
    arrays' (the same IEEE operations).
    """
    special = scipy_special()
    one = not isinstance(mean, np.ndarray)
    cast: Callable[[Any], Any] = float if one else _same
    se = sd / math.sqrt(n)
    df = n - 1
    t = (mean - mu) / se
    if alternative == "less":
        p = cast(special.stdtr(df, t))
    elif alternative == "greater":
        p = cast(special.stdtr(df, -t))
    elif one:
        p = min(1.0, 2.0 * float(special.stdtr(df, -abs(t))))
    else:
        p = np.minimum(1.0, 2.0 * special.stdtr(df, -np.abs(t)))
    if alternative == "two-sided":
        half = _t_quantile(df, 1.0 - (1.0 - confidence_level) / 2.0) * se
        low, high = mean - half, mean + half
    elif alternative == "less":
        low = _full(mean, -math.inf)
        high = mean + _t_quantile(df, confidence_level) * se
    else:
        low = mean - _t_quantile(df, confidence_level) * se
        high = _full(mean, math.inf)
    return t, p, low, high, se


def _same(value: Any) -> Any:
    return value


def _full(like: Any, value: float) -> Any:
    return np.full_like(like, value) if isinstance(like, np.ndarray) else value


def t_rows(
    mean: np.ndarray,
    sd: np.ndarray,
    n: int,
    *,
    alternative: str,
    mu: float,
    confidence_level: float,
) -> TRows:
    """The paired t-test from the mean and SD of the change of each row (the kernel).

    Parameters
    ----------
    mean, sd : numpy.ndarray
        Shape ``(rows,)``: mean and SD (``n - 1`` denominator) of ``post - pre``.
    n : int
        Number of pairs of every row.
    alternative, mu, confidence_level
        As for :func:`paired_t` (already validated).

    Returns
    -------
    TRows
        A row whose change is constant (:func:`pairedstudy._numerics.constant_change` on
        the mean and its standard error, R's rule) has a NaN statistic, p-value and
        interval, and the note says so.

    Notes
    -----
    One row (a single study) runs the same formulas on Python floats, which is several
    times faster than on arrays of one element and gives the same figures.
    """
    if mean.shape == (1,):  # one study: the same formulas on floats, then one array
        m, s = float(mean[0]), float(sd[0])
        se_one = s / math.sqrt(n)
        constant = constant_change(m, se_one)
        if constant:
            values: tuple[Any, ...] = (math.nan,) * 4 + (se_one,)
        else:
            values = _t_core(m, s, n, alternative, mu, confidence_level)
        # a new one-element array per field: each owns its data, so the columns a batch
        # of one study makes read-only cannot be made writeable through a shared base
        t, p, low, high, se, df, attained = (
            np.array([value]) for value in (*values, n - 1.0, math.nan)
        )
        degenerate = np.array([constant])
    else:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            t, p, low, high, se = _t_core(mean, sd, n, alternative, mu, confidence_level)
        degenerate = constant_change(mean, se)
        if degenerate.any():
            for array in (t, p, low, high):
                array[degenerate] = np.nan
        df = np.full(mean.shape, float(n - 1))
        attained = np.full(mean.shape, np.nan)
    return TRows(
        statistic=t,
        pvalue=p,
        df=df,
        estimate=mean,
        ci_low=low,
        ci_high=high,
        attained_level=attained,
        method="exact",
        notes=(RowNote(mask=degenerate, text=_DEGENERATE_NOTE),) if degenerate.any() else (),
        sd=sd,
        se=se,
        degenerate=degenerate,
    )


def paired_t_batch(
    changes: np.ndarray, *, alternative: str, mu: float, confidence_level: float
) -> TRows:
    """The paired t-test on each row of a 2-D array of changes (the batch kernel).

    Row ``i`` is exactly what :func:`paired_t` gives for a study with changes
    ``changes[i]`` (:func:`paired_t` is this kernel on one row). A study whose change is
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
    TRows
    """
    n = changes.shape[-1]
    if changes.shape[0] == 1:  # one study: the scalar scaling gives the same figures
        mean, sd = (np.array([value]) for value in mean_sd(changes[0]))  # own data each
    elif changes.size and max(float(changes.max()), -float(changes.min())) < 2.0**60:
        # No row is scaled down (pow2_scale_rows scales a row whose largest |change| is
        # 2**60 or more), and scaling by a power of two changes no figure unless a value
        # underflows: only rows of tiny changes may be scaled up. Their mean and SD are
        # tiny too (|mean| <= max |change| < 2**-59, SD < 2**-58): those rows, if any,
        # are computed as the scaling computes them, the rest in one pass.
        mean, sd = mean_sd_rows(changes)
        tiny = (np.abs(mean) < 2.0**-55) & (sd < 2.0**-55)
        if tiny.any():
            scaled, factor = pow2_scale_rows(changes[tiny])
            tiny_mean, tiny_sd = mean_sd_rows(scaled)
            mean[tiny], sd[tiny] = tiny_mean * factor, tiny_sd * factor
    else:
        scaled, factor = pow2_scale_rows(changes)
        mean, sd = mean_sd_rows(scaled)
        mean, sd = mean * factor, sd * factor
    return t_rows(
        mean,
        sd,
        n,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
    )


def _one_study(
    mean: float,
    sd: float,
    n: int,
    *,
    alternative: str,
    mu: float,
    confidence_level: float,
    study_name: str | None,
    title: str,
    method: str,
    notes: tuple[str, ...],
) -> TestResult:
    """The kernel's core (:func:`_t_core`, the constant-change rule) on one study's floats.

    One study skips the row arrays of :func:`t_rows` (they would cost more than the test
    itself) but runs the very same operations, so its figures are those of its row in a
    batch; a constant change, a NaN row there, is an error here.
    """
    se = sd / math.sqrt(n)
    if constant_change(mean, se):
        raise DegenerateDataError(
            f"the change post - pre is constant (every pair changed by {mean:g}), so its "
            "standard deviation is 0 and the t statistic is undefined; the sign and "
            "Wilcoxon tests are defined for such data"
        )
    t, p, low, high, se = _t_core(mean, sd, n, alternative, mu, confidence_level)
    return TestResult(
        test="t",
        title=title,
        method=method,
        statistic=t,
        statistic_name=STATISTIC_NAME,
        pvalue=p,
        alternative=alternative,
        mu=mu,
        n=n,
        df=float(n - 1),
        estimate=mean,
        estimate_name=ESTIMATE_NAME,
        ci=ConfidenceInterval(low=low, high=high, level=confidence_level),
        study_name=study_name,
        notes=notes,
        details={"sd_change": sd, "se": se},
    )


@register_test(
    "t", statistic_name=STATISTIC_NAME, estimate_name=ESTIMATE_NAME, batch=paired_t_batch
)
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
    ``ttest_rel(post, pre)``. The computation is that of :func:`paired_t_batch` on one
    row (the same scaling, sums and :func:`t_rows` core, on floats).

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.
    """
    mean, sd = mean_sd(study.change)  # as paired_t_batch scales and sums a single row
    return _one_study(
        mean,
        sd,
        study.n,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        study_name=study.name,
        title="Paired t-test",
        method="exact",
        notes=(),
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

    The core of the kernel :func:`t_rows` on one row.

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
    return _one_study(
        float(mean),
        float(sd),
        n,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        study_name=study_name,
        title=title,
        method=method,
        notes=notes,
    )
