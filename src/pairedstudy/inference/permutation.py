"""The sign-flip permutation test of the mean change, exact or Monte Carlo, with its interval."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from .._numerics import EPS, pow2_scale
from .._random import SeedLike, check_seed
from .._validation import check_choice, show
from ..errors import DegenerateDataWarning, InputTypeError, InputValueError, SmallSampleWarning
from ..registry import register_test
from ..results import ConfidenceInterval, TestResult

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = [
    "AUTO_EXACT_LIMIT",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "EXACT_LIMIT",
    "TIE_RTOL",
    "check_resamples",
    "permutation_test",
    "seed_text",
]

METHODS = ("auto", "exact", "monte-carlo")

#: ``method="auto"`` enumerates all ``2**n`` sign flips up to this many pairs (about 0.1 s).
AUTO_EXACT_LIMIT = 20
#: ``method="exact"`` refuses more pairs than this (``2**22`` subsets: about 0.4 s, 70 MB).
EXACT_LIMIT = 22
#: Monte Carlo resamples (random sign flips) by default.
DEFAULT_RESAMPLES = 9999
#: Seed of the Monte Carlo resampling by default, so that results are reproducible.
DEFAULT_SEED = 0
#: Two sums of flipped changes closer than ``TIE_RTOL * sum(|change - mu|)`` count as tied.
TIE_RTOL = 1e-12
# Rows of random flips drawn at a time (about 2**20 matrix elements per chunk).
_CHUNK_ELEMENTS = 2**20
_FUZZ = 64 * EPS


def seed_text(seed: int | None) -> str:
    """How a note names the seed used: ``"seed 0"``, or a Generator's."""
    return "a numpy Generator" if seed is None else f"seed {seed}"


def check_resamples(value: Any) -> int:
    """Validate ``n_resamples``: a positive integer (booleans refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InputTypeError(f"n_resamples must be a positive integer; got {show(value)}")
    if value <= 0:
        raise InputValueError(f"n_resamples must be a positive integer; got {show(value)}")
    return int(value)


def _subset_sums(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sums and sizes of all ``2**len(x)`` subsets of ``x`` (bit ``i`` of the index: ``x[i]``)."""
    sums = np.zeros(1)
    sizes = np.zeros(1, dtype=np.int8)
    for value in x.tolist():
        sums = np.concatenate((sums, sums + value))
        sizes = np.concatenate((sizes, sizes + 1))
    return sums, sizes


def _rank_from_level(tail: float, total: int, constant: int) -> int:
    """The rank of the limit among the flipped subsets' means (empty subsets included).

    With ``p(mu0) = (constant + count(mu0)) / total`` the test does not reject at ``tail``
    when ``p > tail``, that is when ``count >= floor(tail * total - constant) + 1``.
    """
    return math.floor(tail * total * (1.0 + _FUZZ) - constant) + 1


def _order_statistic(values: np.ndarray, rank: int, largest: bool) -> float:
    """The ``rank``-th smallest (or largest) of ``values``, 1-based."""
    index = values.size - rank if largest else rank - 1
    return float(np.partition(values, index)[index])


def _limits(
    lower_values: np.ndarray,
    upper_values: np.ndarray,
    total: int,
    constant: int,
    alternative: str,
    level: float,
) -> tuple[float, float, int]:
    """Invert the test: the limits and the rank used (0 when the level cannot be attained).

    ``lower_values`` are the means of the flipped subsets, with ``-inf`` for an empty subset
    (always counted), ``upper_values`` the same with ``+inf``.
    """
    alpha = 1.0 - level
    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    rank = _rank_from_level(tail, total, constant)
    # A level so small that the rank passes the middle of the values (two-sided) or their
    # end (one-sided), as confidence_level=1e-300 does, gets the narrowest interval the
    # subset means give: the middle one(s), or the half-line from the extreme one.
    size = lower_values.size
    rank = min(rank, (size + 1) // 2 if alternative == "two-sided" else size)
    finite = rank
    low = high = 0.0
    if alternative != "less":
        low = _order_statistic(lower_values, max(rank, 1), largest=False)
    if alternative != "greater":
        high = _order_statistic(upper_values, max(rank, 1), largest=True)
    if (alternative != "less" and not math.isfinite(low)) or (
        alternative != "greater" and not math.isfinite(high)
    ):
        finite = 0  # the level cannot be attained: widest finite interval instead
        empties = int(np.count_nonzero(np.isneginf(lower_values)))
        if alternative != "less":
            low = _order_statistic(lower_values, empties + 1, largest=False)
        if alternative != "greater":
            high = _order_statistic(upper_values, empties + 1, largest=True)
    if alternative == "less":
        low = -math.inf
    if alternative == "greater":
        high = math.inf
    return low, high, finite


def _scaled_shift(shifted: np.ndarray) -> tuple[np.ndarray, float]:
    """``change - mu`` scaled by a power of two, and the tie tolerance on that scale."""
    scaled, _ = pow2_scale(shifted)
    return scaled, TIE_RTOL * float(np.sum(np.abs(scaled)))


def _exact(
    change: np.ndarray, shifted: np.ndarray, alternative: str, level: float
) -> tuple[float, float, float, float, float]:
    """Exact tails and Hartigan's interval: ``(lower, upper, low, high, attained)``."""
    shifted, tol = _scaled_shift(shifted)
    nonzero = shifted[shifted != 0]
    sums, _ = _subset_sums(nonzero)
    total = sums.size
    # T* >= T_obs  <=>  the changes whose sign is flipped sum to <= 0 (see Notes).
    upper = np.count_nonzero(sums <= tol) / total
    lower = np.count_nonzero(sums >= -tol) / total
    del sums
    scaled, factor = pow2_scale(change)
    sums, sizes = _subset_sums(scaled)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = sums / sizes
    means[0] = -math.inf
    lower_values = means
    upper_values = means.copy()
    upper_values[0] = math.inf
    n_all = sums.size
    low, high, rank = _limits(lower_values, upper_values, n_all, 0, alternative, level)
    sides = 2 if alternative == "two-sided" else 1
    if rank == 0:
        attained = 1.0 - sides / n_all
    else:
        attained = 1.0 - sides * (rank - 1) / n_all
    return lower, upper, low * factor, high * factor, attained


def _monte_carlo(
    change: np.ndarray,
    shifted: np.ndarray,
    alternative: str,
    level: float,
    n_resamples: int,
    rng: np.random.Generator,
) -> tuple[float, float, float, float, int]:
    """Monte Carlo tails and interval from ``n_resamples`` random flips.

    Returns ``(lower, upper, low, high, rank)``; ``rank`` is 0 when ``n_resamples`` is too
    small for the level.
    """
    n = change.size
    shifted, tol = _scaled_shift(shifted)
    scaled, factor = pow2_scale(change)
    rows = max(1, _CHUNK_ELEMENTS // n)
    count_upper = count_lower = 0
    means = np.empty(n_resamples)
    sizes = np.empty(n_resamples, dtype=np.int64)
    for start in range(0, n_resamples, rows):
        stop = min(start + rows, n_resamples)
        flips = rng.random((stop - start, n)) < 0.5  # which changes get their sign flipped
        weights = flips.astype(float)
        flipped = weights @ shifted
        count_upper += int(np.count_nonzero(flipped <= tol))
        count_lower += int(np.count_nonzero(flipped >= -tol))
        size = flips.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            means[start:stop] = (weights @ scaled) / size
        sizes[start:stop] = size
    upper = (count_upper + 1) / (n_resamples + 1)
    lower = (count_lower + 1) / (n_resamples + 1)
    empty = sizes == 0
    lower_values = np.where(empty, -math.inf, means)
    upper_values = np.where(empty, math.inf, means)
    low, high, rank = _limits(lower_values, upper_values, n_resamples + 1, 1, alternative, level)
    return lower, upper, low * factor, high * factor, rank


@register_test("permutation", statistic_name="mean - mu", estimate_name="mean change")
def permutation_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    method: str = "auto",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: SeedLike = DEFAULT_SEED,
) -> TestResult:
    """Sign-flip permutation test of the mean change, with the interval that inverts it.

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the mean (centre of symmetry) of ``post - pre`` relative to ``mu``.
    mu : float
        Centre of symmetry of the change under the null hypothesis.
    confidence_level : float
        Level of the interval for the mean change (one-sided for a one-sided alternative).
    method : {"auto", "exact", "monte-carlo"}, default "auto"
        ``"exact"`` enumerates all ``2**n`` sign flips (up to :data:`EXACT_LIMIT` pairs);
        ``"monte-carlo"`` draws ``n_resamples`` random flips; ``"auto"`` is exact up to
        :data:`AUTO_EXACT_LIMIT` pairs and Monte Carlo beyond. ``result.method`` says which
        ran.
    n_resamples : int, default 9999
        Random sign flips of the Monte Carlo method (ignored when exact).
    seed : int, numpy.random.Generator or None, default 0
        Seed of the Monte Carlo flips (``numpy.random.default_rng(seed)``); the default is
        fixed, so results are reproducible. ``None`` draws a fresh seed; a ``Generator`` is
        drawn from (and advanced). The integer seed used is in ``details["seed"]``
        (``None`` for a Generator).

    Returns
    -------
    TestResult
        ``statistic`` is ``mean(change) - mu``, ``estimate`` the mean change and ``ci`` the
        interval found by inverting the test. For the exact method ``ci.attained_level`` is
        the interval's exact coverage for a continuous symmetric distribution. ``details``
        holds ``n_zero``, ``tie_rtol`` and, for Monte Carlo, ``n_resamples``, ``seed``
        and ``mc_se`` (the Monte Carlo standard error of the p-value).

    Raises
    ------
    InputValueError
        Unknown ``method``, ``n_resamples`` not positive, or ``method="exact"`` with more
        than :data:`EXACT_LIMIT` pairs.
    InputTypeError
        ``n_resamples`` or ``seed`` is not an integer.

    Warns
    -----
    DegenerateDataWarning
        Every change equals ``mu``: every flip gives the same sum and the p-value is 1.
    SmallSampleWarning
        ``n`` (exact) or ``n_resamples`` (Monte Carlo) is too small for the requested level;
        the widest finite interval is given.

    Notes
    -----
    *The test.* Under H0 the changes minus ``mu``, ``d_i``, are symmetric about 0, so each
    ``|d_i|`` is equally likely to carry either sign. The statistic is ``T = sum(d_i)``
    (equivalently the mean); its null distribution is that of ``sum(s_i |d_i|)`` over the
    ``2**n`` sign vectors ``s`` (Fisher 1935; Pitman 1937). ``greater``: ``P(T* >= T)``;
    ``less``: ``P(T* <= T)``; two-sided: ``min(1, 2 * min(less, greater))``, which for this
    symmetric null distribution equals ``P(|T*| >= |T|)`` when computed exactly.

    *Counting.* ``T - T*`` is twice the sum of the ``d_i`` whose signs the flip changed, so
    ``P(T* >= T)`` is the share of the ``2**n`` subsets of the ``d_i`` whose sum is ``<= 0``.
    Subset sums are enumerated with numpy, one doubling per change. Changes equal to ``mu``
    are kept (the estimate and ``n`` include them); they add 0 to every sum and leave the
    p-value unchanged, so the enumeration skips them.

    *Ties.* Sums that are equal in exact arithmetic can differ by rounding; two sums within
    ``TIE_RTOL * sum(|d_i|)`` (1e-12 of the largest possible sum) count as equal. scipy's
    ``permutation_test`` uses a tolerance of ``100 eps |T|`` instead, which is 0 when
    ``T = 0``; the two agree on data without such near-ties.

    *Monte Carlo.* ``B = n_resamples`` random flip patterns (each change flipped with
    probability 1/2); the p-value is ``(b + 1) / (B + 1)``, counting the observed data as
    one of the arrangements, which keeps the test valid (Phipson & Smyth 2010). Its Monte
    Carlo standard error ``sqrt(p (1 - p) / B)`` (doubled for the two-sided p-value) is in
    ``details["mc_se"]`` and the notes.

    *Interval.* The test of ``mu0`` does not reject ``greater`` at level ``a`` unless fewer
    than ``a`` of the flips have their flipped changes summing to ``<= 0``; since
    ``sum_S (d_i - mu0) <= 0`` exactly when the mean of subset ``S`` is ``<= mu0``, the set
    of ``mu0`` not rejected is bounded by order statistics of the subset means: the
    ``k``-th smallest and ``k``-th largest of the ``2**n - 1`` non-empty subset means with
    ``k = floor(a 2**n)`` (``a = alpha / 2`` two-sided). These are Hartigan's (1969)
    "typical values": for a continuous symmetric distribution the centre falls between
    consecutive subset means with probability ``2**-n`` each, so the coverage is exactly
    ``1 - 2k / 2**n`` (the ``attained_level``). The Monte Carlo interval inverts the Monte
    Carlo test with the same flips: the means of the ``B`` random subsets replace all
    subset means. Either way the interval contains exactly the ``mu0`` the test does not
    reject at ``1 - confidence_level``. When ``k = 0`` (``n`` or ``B`` too small) the
    smallest and largest subset means are given with a warning. At a level so small that
    ``k`` would pass the middle of the subset means (two-sided) or their end (one-sided),
    such as ``confidence_level=1e-300``, ``k`` stops there: the interval is the narrowest
    the subset means give (the middle one or two, or a half-line from the extreme one).

    References
    ----------
    .. [1] Fisher, R. A. (1935). The Design of Experiments. Oliver & Boyd, section 21.
    .. [2] Pitman, E. J. G. (1937). Significance tests which may be applied to samples from
       any populations. Supplement to the Journal of the Royal Statistical Society 4(1),
       119-130.
    .. [3] Hartigan, J. A. (1969). Using subsample values as typical values. Journal of the
       American Statistical Association 64(328), 1303-1317.
    .. [4] Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero:
       calculating exact p-values when permutations are randomly drawn. Statistical
       Applications in Genetics and Molecular Biology 9(1), article 39.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.PairedStudy([3, 4, 2, 5, 3, 4, 7, 1], [4, 4, 3, 5, 5, 2, 9, 4])
    >>> result = study.test("permutation")
    >>> result.method, result.pvalue, result.estimate
    ('exact', 0.21875, 0.875)
    >>> result.ci.low, result.ci.high, round(result.ci.attained_level, 4)
    (-0.5, 2.0, 0.9531)
    """
    check_choice("method", method, METHODS)
    n_resamples = check_resamples(n_resamples)
    rng, seed_used = check_seed(seed)
    change = study.change
    n = change.size
    if method == "exact" and n > EXACT_LIMIT:
        raise InputValueError(
            f"method='exact' enumerates 2**n sign flips and allows at most n = {EXACT_LIMIT} "
            f"pairs; got n = {n}. Use method='monte-carlo' (or 'auto') and raise n_resamples "
            "for a more precise p-value"
        )
    exact = method == "exact" or (method == "auto" and n <= AUTO_EXACT_LIMIT)
    used = "exact" if exact else "monte-carlo"
    shifted = change - mu
    n_zero = int(np.count_nonzero(shifted == 0))
    notes: list[str] = []
    details: dict[str, Any] = {"n_zero": n_zero, "tie_rtol": TIE_RTOL}
    if n_zero == n:
        warnings.warn(
            f"every change equals mu = {mu:g}; every sign flip gives the same sum and the "
            "permutation p-value is 1",
            DegenerateDataWarning,
            stacklevel=4,
        )
        notes.append(f"every change equals mu = {mu:g}: p-value 1 by definition")
    elif n_zero:
        notes.append(f"{n_zero} change(s) equal to mu: kept, they add 0 to every flipped sum")

    if used == "exact":
        lower, upper, low, high, attained = _exact(change, shifted, alternative, confidence_level)
        details["n_flips"] = 2**n
        if attained < confidence_level:
            warnings.warn(
                f"n = {n} is too small for a {100 * confidence_level:.10g}% permutation "
                f"interval; the interval given is the widest finite one and covers "
                f"{100 * attained:.4g}%",
                SmallSampleWarning,
                stacklevel=4,
            )
            notes.append(
                f"interval attains only {100 * attained:.4g}% (n too small for "
                f"{confidence_level:g})"
            )
    else:
        lower, upper, low, high, rank = _monte_carlo(
            change, shifted, alternative, confidence_level, n_resamples, rng
        )
        attained = None
        if rank == 0:
            warnings.warn(
                f"n_resamples = {n_resamples} is too small for a "
                f"{100 * confidence_level:.10g}% permutation interval; the interval given is "
                "the widest finite one. Use more resamples",
                SmallSampleWarning,
                stacklevel=4,
            )
            notes.append("too few resamples for this level: widest finite interval given")
        details.update({"n_resamples": n_resamples, "seed": seed_used})

    if alternative == "less":
        p = lower
    elif alternative == "greater":
        p = upper
    else:
        p = min(1.0, 2.0 * min(lower, upper))
    if used == "monte-carlo":
        tail = min(lower, upper) if alternative == "two-sided" else p
        mc_se = math.sqrt(tail * (1.0 - tail) / n_resamples)
        if alternative == "two-sided":
            mc_se *= 2.0
        details["mc_se"] = mc_se
        notes.append(
            f"Monte Carlo p-value (b + 1) / (B + 1) from B = {n_resamples} random sign flips "
            f"({seed_text(details['seed'])}); Monte Carlo SE {mc_se:.2g}"
        )
    scaled, factor = pow2_scale(change)
    mean = float(np.mean(scaled)) * factor
    return TestResult(
        test="permutation",
        title="Sign-flip permutation test of the mean change",
        method=used,
        statistic=mean - mu,
        statistic_name="mean - mu",
        pvalue=p,
        alternative=alternative,
        mu=mu,
        n=n,
        df=None,
        estimate=mean,
        estimate_name="mean change",
        ci=ConfidenceInterval(low=low, high=high, level=confidence_level, attained_level=attained),
        study_name=study.name,
        notes=notes,
        details=details,
    )
