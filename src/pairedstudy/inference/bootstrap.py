"""The bootstrap-t (studentized bootstrap) test and interval for the mean change."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .._numerics import EPS, constant_change, pow2_scale
from .._random import SeedLike, check_seed
from ..errors import DegenerateDataError, SmallSampleWarning
from ..registry import register_test
from ..results import ConfidenceInterval, TestResult
from .permutation import check_resamples, seed_text

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = [
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "TIE_TOL",
    "bootstrap_t_test",
    "resample_indices",
    "studentized_replicates",
]

#: Bootstrap resamples by default: ``(B + 1) * alpha / 2`` is a whole number for the usual
#: levels, so the interval's limits are single order statistics.
DEFAULT_RESAMPLES = 9999
#: Seed of the resampling by default, so that results are reproducible.
DEFAULT_SEED = 0
#: Bootstrap t values within ``TIE_TOL * max(1, |t|)`` of the observed ``t`` count as equal.
TIE_TOL = 1e-10
_FUZZ = 64 * EPS
_CHUNK_ELEMENTS = 2**20


def resample_indices(n: int, n_resamples: int, seed: SeedLike) -> Iterator[np.ndarray]:
    """Rows of resample indices, ``rng.integers(0, n, (B, n))``.

    ``seed`` is an integer (``rng = numpy.random.default_rng(seed)``), a ``Generator``
    (drawn from) or ``None``. The rows come in chunks (of about 2**20 indices) to bound
    memory; concatenated they are exactly the single ``(n_resamples, n)`` draw.
    """
    rng, _ = check_seed(seed)
    rows = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, n_resamples, rows):
        yield rng.integers(0, n, size=(min(rows, n_resamples - start), n))


def studentized_replicates(centred: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, int]:
    """Bootstrap t values ``(mean* - mean) / (sd* / sqrt(n))`` of the resamples ``index``.

    Parameters
    ----------
    centred : numpy.ndarray
        The changes minus their mean (so ``mean*`` of a resample is already ``mean* - mean``).
    index : numpy.ndarray of int, shape (B, n)
        One resample (of row positions) per row.

    Returns
    -------
    t_star : numpy.ndarray
        One value per resample. A constant resample (``sd* = 0``) gives ``+inf`` or
        ``-inf`` by the sign of ``mean* - mean``, and 0 when its value is the mean itself.
    n_constant : int
        How many resamples were constant.
    """
    n = centred.size
    sample = centred[index]
    low = sample.min(axis=1)
    constant = low == sample.max(axis=1)
    shift = sample.mean(axis=1)
    sd = sample.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_star = shift / (sd / math.sqrt(n))
    value = low[constant]
    t_star[constant] = np.where(value > 0, math.inf, np.where(value < 0, -math.inf, 0.0))
    return t_star, int(np.count_nonzero(constant))


def _bootstrap_t(
    change: np.ndarray,
    chunks: Iterable[np.ndarray],
    *,
    alternative: str,
    mu: float,
    confidence_level: float,
) -> dict[str, Any]:
    """The test and interval from given resample indices (the seeded draw or a fixture)."""
    scaled, factor = pow2_scale(change)
    n = scaled.size
    mean = float(np.mean(scaled))
    sd = float(np.std(scaled, ddof=1))
    se = sd / math.sqrt(n)
    if constant_change(mean, se):
        raise DegenerateDataError(
            f"the change post - pre is constant (every pair changed by {mean * factor:g}), so "
            "its standard deviation is 0 and the bootstrap t statistic is undefined; the sign "
            "and Wilcoxon tests are defined for such data"
        )
    t_obs = (mean - mu / factor) / se
    parts = [studentized_replicates(scaled - mean, index) for index in chunks]
    t_star = np.concatenate([p[0] for p in parts])
    n_constant = sum(p[1] for p in parts)
    b = t_star.size
    tol = TIE_TOL * max(1.0, abs(t_obs))
    upper = (np.count_nonzero(t_star >= t_obs - tol) + 1) / (b + 1)
    lower = (np.count_nonzero(t_star <= t_obs + tol) + 1) / (b + 1)
    if alternative == "less":
        p = lower
    elif alternative == "greater":
        p = upper
    else:
        p = min(1.0, 2.0 * min(lower, upper))
    tail_p = min(lower, upper) if alternative == "two-sided" else p
    mc_se = math.sqrt(tail_p * (1.0 - tail_p) / b) * (2.0 if alternative == "two-sided" else 1.0)

    alpha = 1.0 - confidence_level
    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    rank = math.floor(tail * (b + 1) * (1.0 + _FUZZ))  # k-th smallest / largest t*
    # A level so small that k passes the middle (two-sided) or the end (one-sided) of the
    # B values (confidence_level=1e-300) gets the narrowest interval the resamples give:
    # a point (the two middle order statistics) or the half-line from the extreme one.
    rank = min(rank, (b + 1) // 2 if alternative == "two-sided" else b)
    low, high = -math.inf, math.inf
    if rank >= 1:
        ordered = np.partition(t_star, [rank - 1, b - rank])
        with np.errstate(invalid="ignore"):
            if alternative != "less":
                low = (mean - se * float(ordered[b - rank])) * factor
            if alternative != "greater":
                high = (mean - se * float(ordered[rank - 1])) * factor
        low = -math.inf if math.isnan(low) else low
        high = math.inf if math.isnan(high) else high
    return {
        "t": t_obs,
        "pvalue": p,
        "mean": mean * factor,
        "se": se * factor,
        "low": low,
        "high": high,
        "rank": rank,
        "n_resamples": b,
        "n_constant": n_constant,
        "mc_se": mc_se,
    }


@register_test("bootstrap", statistic_name="t", estimate_name="mean change")
def bootstrap_t_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: SeedLike = DEFAULT_SEED,
) -> TestResult:
    """Bootstrap-t (studentized bootstrap) test and interval for the mean change.

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the mean of ``post - pre`` relative to ``mu``.
    mu : float
        Mean change under the null hypothesis.
    confidence_level : float
        Level of the studentized interval (one-sided for a one-sided alternative).
    n_resamples : int, default 9999
        Bootstrap resamples ``B`` of the pairs.
    seed : int, numpy.random.Generator or None, default 0
        Seed of the resampling (``numpy.random.default_rng(seed)``); the default is fixed, so
        results are reproducible. ``None`` draws a fresh seed; a ``Generator`` is drawn from
        (and advanced). The integer seed used is in ``details["seed"]`` (``None`` for a
        Generator).

    Returns
    -------
    TestResult
        ``statistic`` is the ordinary ``t = (mean - mu) / (sd / sqrt(n))``, ``estimate`` the
        mean change and ``ci`` the bootstrap-t interval; ``method`` is ``"bootstrap-t"``.
        ``details`` holds ``se``, ``n_resamples``, ``seed``, ``n_constant_resamples`` and
        ``mc_se`` (the Monte Carlo standard error of the p-value).

    Raises
    ------
    DegenerateDataError
        The change is constant: its SD is 0 and ``t`` is undefined (as for the t-test).
    InputValueError, InputTypeError
        ``n_resamples`` is not a positive integer or ``seed`` not a non-negative integer.

    Warns
    -----
    SmallSampleWarning
        ``n_resamples`` is too small for the level: a limit is infinite.

    Notes
    -----
    *Test.* Resample the ``n`` changes with replacement ``B`` times and compute
    ``t* = (mean* - mean) / (sd* / sqrt(n))``. Its distribution estimates that of ``t``
    under H0: resampling the changes shifted to have mean ``mu`` gives exactly these ``t*``
    (Efron & Tibshirani 1993, chapter 16; Hall 1992). ``greater``:
    ``p = (1 + #{t* >= t}) / (B + 1)``, ``less`` likewise with ``<=`` (Davison & Hinkley
    1997, section 4.4, which counts the data as one of the resamples, as the permutation
    test's Monte Carlo p-value does); two-sided: ``min(1, 2 * min(less, greater))``, the
    equal-tailed test (the bootstrap distribution of ``t`` need not be symmetric, so this is
    not the symmetric ``#{|t*| >= |t|}`` test of Hall 1992). ``t*`` within
    ``1e-10 * max(1, |t|)`` of ``t`` counts as equal (rounding, not data). ``details``
    reports the Monte Carlo standard error ``sqrt(p (1 - p) / B)`` (doubled two-sided).

    *Interval.* With ``k = floor((B + 1) a)`` (``a = alpha / 2`` two-sided), the limits are
    ``mean - se * t*_(B + 1 - k)`` and ``mean - se * t*_(k)`` (``t*_(j)`` the ``j``-th
    smallest), the studentized interval of Davison & Hinkley (1997, section 5.2) and Efron &
    Tibshirani (1993, chapter 12); it is exactly the set of ``mu`` the test above does not
    reject. ``B = 9999`` makes ``(B + 1) a`` whole for the usual levels. At a level so
    small that ``k`` would pass the middle of the ``B`` values (two-sided) or their end
    (one-sided), such as ``confidence_level=1e-300``, ``k`` stops there: the interval is
    the narrowest the resamples give (a point, or a half-line from the extreme ``t*``).

    *Constant resamples.* A resample whose values are all equal has ``sd* = 0``. It is not
    dropped (that would bias the tails): its ``t*`` is ``+inf`` or ``-inf`` by the sign of
    ``mean* - mean`` (the limit as ``sd*`` goes to 0), or 0 if it equals the mean. Their
    number is in ``details["n_constant_resamples"]`` and the notes; an order statistic that
    is infinite makes the limit infinite. They are common only for very small ``n`` or
    changes with few distinct values.

    References
    ----------
    .. [1] Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman &
       Hall, chapters 12 and 16.
    .. [2] Hall, P. (1992). The Bootstrap and Edgeworth Expansion. Springer, chapter 3.
    .. [3] Davison, A. C. & Hinkley, D. V. (1997). Bootstrap Methods and their Application.
       Cambridge University Press, sections 4.4 and 5.2.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> result = ps.datasets.oxytocin_massage().test("bootstrap", n_resamples=999)
    >>> result.method, result.details["seed"], result.pvalue
    ('bootstrap-t', 0, 0.002)
    """
    n_resamples = check_resamples(n_resamples)
    rng, seed_used = check_seed(seed)
    change = study.change
    n = change.size
    out = _bootstrap_t(
        change,
        resample_indices(n, n_resamples, rng),
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
    )
    notes = [
        f"p-value (b + 1) / (B + 1) from B = {n_resamples} bootstrap resamples "
        f"({seed_text(seed_used)}); "
        f"Monte Carlo SE {out['mc_se']:.2g}"
    ]
    if out["n_constant"]:
        notes.append(
            f"{out['n_constant']} of {n_resamples} resamples were constant (sd* = 0): kept, "
            "with t* = +inf or -inf by the sign of mean* - mean"
        )
    if out["rank"] < 1:
        warnings.warn(
            f"n_resamples = {n_resamples} is too small for a {100 * confidence_level:.10g}% "
            "bootstrap-t interval; its limit is infinite. Use more resamples",
            SmallSampleWarning,
            stacklevel=4,
        )
        notes.append("too few resamples for this level: infinite limit")
    elif not (math.isfinite(out["low"]) or alternative == "less") or not (
        math.isfinite(out["high"]) or alternative == "greater"
    ):
        notes.append("a limit is infinite: too many constant resamples beyond it")
    return TestResult(
        test="bootstrap",
        title="Bootstrap-t test of the mean change",
        method="bootstrap-t",
        statistic=out["t"],
        statistic_name="t",
        pvalue=out["pvalue"],
        alternative=alternative,
        mu=mu,
        n=n,
        df=None,
        estimate=out["mean"],
        estimate_name="mean change",
        ci=ConfidenceInterval(low=out["low"], high=out["high"], level=confidence_level),
        study_name=study.name,
        notes=notes,
        details={
            "se": out["se"],
            "n_resamples": n_resamples,
            "seed": seed_used,
            "n_constant_resamples": out["n_constant"],
            "mc_se": out["mc_se"],
            "tie_tol": TIE_TOL,
        },
    )
