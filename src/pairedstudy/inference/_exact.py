"""Exact null distributions and order-statistic confidence intervals.

Two discrete distributions serve the rank tests:

* the *sign-flip* distribution of ``S = sum(b_i * B_i)`` with integer scores ``b_i`` and
  independent fair coins ``B_i``. With scores ``1..n`` it is the classical signed-rank
  distribution (R's ``psignrank``); with doubled mid-ranks it is the exact conditional
  (permutation) distribution of the signed-rank statistic given the observed ties and zeros,
  as computed by R's ``coin`` with its shift algorithm (Streitberg & Röhmel 1986);
* the Binomial(n, 1/2) distribution of the sign test.

Both are symmetric, so only lower tails ``P(S <= k)`` for ``k`` up to half the range are
ever computed; upper tails follow from ``P(S >= k) = P(S <= total - k)``.

References
----------
.. [1] Streitberg, B. & Röhmel, J. (1986). Exact distributions for permutation and rank
   tests: an introduction to some recently published algorithms. Statistical Software
   Newsletter 12(1), 10-17.
.. [2] Hollander, M., Wolfe, D. A. & Chicken, E. (2014). Nonparametric Statistical Methods,
   3rd ed., Wiley: sections 3.1-3.2 (signed-rank test, Hodges-Lehmann estimator and its
   interval from Walsh averages) and 3.4-3.6 (sign test and the order-statistic interval).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .._numerics import EPS

# Rescale the running counts every so many coins so that 2**n never overflows a float64.
_RESCALE_EVERY = 256
_FUZZ = 10 * EPS  # R's qsignrank / qbinom fuzz


def sign_flip_cost(scores: np.ndarray, upto: int) -> int:
    """Number of array updates :func:`sign_flip_lower_cdf` makes (a cheap run-time guess)."""
    cumulative = np.cumsum(np.sort(scores))
    return int(np.minimum(cumulative, upto).sum())


def sign_flip_cost_rows(scores: np.ndarray, upto: np.ndarray, ordered: bool = False) -> np.ndarray:
    """:func:`sign_flip_cost` of each row of a 2-D array of scores (zero scores are free).

    ``ordered=True`` says each row is already sorted (it is not sorted again).
    """
    cumulative = np.cumsum(scores if ordered else np.sort(scores, axis=-1), axis=-1)
    return np.minimum(cumulative, upto[:, None]).sum(axis=-1)


def sign_flip_lower_cdf(scores: np.ndarray, upto: int) -> np.ndarray:
    """Return ``P(S <= k)`` for ``k = 0..upto`` where ``S = sum(scores_i * B_i)``.

    Parameters
    ----------
    scores : numpy.ndarray of int
        Positive integer scores.
    upto : int
        The largest ``k`` needed; the distribution is only tabulated that far.

    Notes
    -----
    A dynamic programme over the coins, in increasing score order: adding a coin with score
    ``b`` maps the count vector ``f`` to ``f + shift(f, b)``. Counts are kept as float64 and
    rescaled by ``2**-256`` every 256 coins; all additions are of non-negative numbers, so
    the relative error stays within a few multiples of ``n * eps``.
    """
    upto = int(upto)
    ordered = np.sort(np.asarray(scores, dtype=np.int64)).tolist()
    coins = len(ordered)
    if not coins or ordered[0] > upto:  # no coin reaches k <= upto: S <= k only
        # when every coin is 0, probability 2**-coins (the programme's own powers of two,
        # exact down to the subnormals and rounded alike below them)
        return np.full(upto + 1, 2.0**-coins)
    counts = np.zeros(upto + 1)
    counts[0] = 1.0
    spare = np.zeros(upto + 1)  # double buffer: no temporaries from overlapping views
    add = np.add
    total = 0
    scale_exponent = 0
    for i, score in enumerate(ordered, start=1):
        if score > upto:  # this coin and every later (larger) one leave counts[:upto + 1]
            # as they are; only the rescaling steps they would have taken remain
            for _ in range(i + (-i % _RESCALE_EVERY), coins + 1, _RESCALE_EVERY):
                counts *= 2.0**-_RESCALE_EVERY
                scale_exponent += _RESCALE_EVERY
            break
        total += score
        high = total if total < upto else upto
        if score <= high:
            spare[:score] = counts[:score]
            add(counts[score : high + 1], counts[: high + 1 - score], out=spare[score : high + 1])
            counts, spare = spare, counts
        if i % _RESCALE_EVERY == 0:
            counts *= 2.0**-_RESCALE_EVERY
            scale_exponent += _RESCALE_EVERY
    counts *= 2.0 ** -(coins - scale_exponent)
    return np.cumsum(counts)


#: :func:`sign_flip_lower_cdf_rows` holds at most about this many counts at once.
ROWS_CELLS = 1 << 21


def sign_flip_lower_cdf_rows(
    patterns: Sequence[np.ndarray], uptos: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`sign_flip_lower_cdf` of several score patterns at once, tables end to end.

    Parameters
    ----------
    patterns : sequence of numpy.ndarray of int
        Positive integer scores, one array per pattern.
    uptos : sequence of int
        How far each pattern's table is needed.

    Returns
    -------
    (tables, offsets, sizes)
        Pattern ``j``'s table is ``tables[offsets[j]:offsets[j] + sizes[j]]`` (``sizes[j]
        = uptos[j] + 1``), equal bit for bit to ``sign_flip_lower_cdf(patterns[j],
        uptos[j])``.

    Notes
    -----
    The same programme, one coin of every pattern per step: step ``i`` adds to each
    pattern's counts its counts shifted by its ``i``-th smallest score (one gather over a
    block of patterns instead of three slicing calls per coin and pattern). Each count
    sees the same additions in the same order as in the one-pattern programme: a coin
    beyond a pattern's ``upto`` (or past its last coin) adds zeros there, and the
    rescaling steps fall after the same coins. Patterns are taken in blocks of similar
    ``upto`` (within a factor of two) of at most about :data:`ROWS_CELLS` counts.
    """
    count = len(patterns)
    uptos_array = np.asarray(uptos, dtype=np.int64).reshape(count)
    sizes = uptos_array + 1
    offsets = np.zeros(count, dtype=np.int64)
    np.cumsum(sizes[:-1], out=offsets[1:])
    tables = np.empty(int(sizes.sum()))
    coins = np.array([pattern.size for pattern in patterns], dtype=np.int64)
    order = np.argsort(uptos_array, kind="stable")
    begin = 0
    while begin < count:
        # a block of patterns of similar upto (at most twice the first, or 64): rows *
        # (2 * width) counts at most
        width = int(uptos_array[order[begin]]) + 1
        widest = max(2 * width, 64)
        stop = begin + 1
        while stop < count:
            wider = int(uptos_array[order[stop]]) + 1
            if wider > widest or (stop + 1 - begin) * 2 * wider > ROWS_CELLS:
                break
            width = wider
            stop += 1
        block = order[begin:stop]
        _lower_cdf_block(patterns, block, coins[block], width, tables, offsets, sizes)
        begin = stop
    return tables, offsets, sizes


def _lower_cdf_block(
    patterns: Sequence[np.ndarray],
    block: np.ndarray,
    coins: np.ndarray,
    width: int,
    tables: np.ndarray,
    offsets: np.ndarray,
    sizes: np.ndarray,
) -> None:
    """The programme of :func:`sign_flip_lower_cdf_rows` on one block, into ``tables``."""
    rows = block.size
    most = int(coins.max()) if rows else 0
    # scores in increasing order, each row padded with ``width`` (it shifts past the table)
    scores = np.full((rows, max(most, 1)), width, dtype=np.int64)
    for row, j in enumerate(block.tolist()):
        scores[row, : coins[row]] = np.sort(patterns[j])
    np.minimum(scores, width, out=scores)  # a score beyond the table adds nothing, as width
    # each row: ``width`` zeros, then its counts (a shift reads zeros below count 0)
    padded = np.zeros((rows, 2 * width))
    padded[:, width] = 1.0
    counts = padded[:, width:]
    flat = padded.ravel()
    columns = np.arange(width, dtype=np.int64)
    starts = np.arange(rows, dtype=np.int64) * (2 * width) + width
    for i in range(most):
        shift = starts - scores[:, i]
        counts += flat[shift[:, None] + columns]
        step = i + 1
        if step % _RESCALE_EVERY == 0:
            counts[coins >= step] *= 2.0**-_RESCALE_EVERY
    # the powers of two left: 2**-(coins - the rescaled ones), row by row
    counts *= np.ldexp(1.0, -(coins % _RESCALE_EVERY).astype(np.int32))[:, None]
    done = np.cumsum(counts, axis=-1)
    for row, j in enumerate(block.tolist()):
        tables[offsets[j] : offsets[j] + sizes[j]] = done[row, : sizes[j]]


def tails_from_lower_cdf(cdf: np.ndarray, total: int, observed: int) -> tuple[float, float]:
    """Both tails at ``observed`` from ``P(S <= k)`` tabulated at least to the smaller tail.

    ``cdf`` may reach further than ``min(observed, total - observed)``: the table's entries
    do not depend on how far it is tabulated, so studies sharing a rank pattern share one
    table (the batch path) and get the same figures as one study alone.
    """
    low_point = min(observed, total - observed)
    # Near the centre both tails are close to 1; take the smaller tail directly and the
    # larger as a complement of the smaller (exact up to rounding near 1).
    lower_of_min = float(cdf[low_point])
    if observed <= total - observed:
        lower = lower_of_min
        upper = 1.0 - float(cdf[observed - 1]) if observed >= 1 else 1.0
        if observed * 2 == total:
            upper = lower  # symmetric: P(S >= centre) = P(S <= centre)
    else:
        upper = lower_of_min  # P(S >= obs) = P(S <= total - obs)
        k = total - observed - 1  # P(S <= obs) = 1 - P(S >= obs + 1) = 1 - P(S <= total-obs-1)
        lower = 1.0 - float(cdf[k]) if k >= 0 else 1.0
    return min(lower, 1.0), min(upper, 1.0)


def tails_from_tables(
    tables: np.ndarray,
    offsets: np.ndarray,
    sizes: np.ndarray,
    total: np.ndarray,
    observed: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`tails_from_lower_cdf` for many studies at once, elementwise.

    Study ``i`` reads its table ``P(S <= k)`` from ``tables[offsets[i]:offsets[i] +
    sizes[i]]`` (studies may share a table) with its own ``total`` and ``observed``; the
    same operations as :func:`tails_from_lower_cdf`, so the same figures.
    """
    observed = np.asarray(observed, dtype=np.int64)
    total = np.asarray(total, dtype=np.int64)
    below = observed <= total - observed
    low_point = np.minimum(observed, total - observed)
    last = sizes - 1
    lower_of_min = tables[offsets + low_point]
    upper_a = np.where(observed >= 1, 1.0 - tables[offsets + np.clip(observed - 1, 0, last)], 1.0)
    upper_a = np.where(observed * 2 == total, lower_of_min, upper_a)
    k = total - observed - 1
    lower_b = np.where(k >= 0, 1.0 - tables[offsets + np.clip(k, 0, last)], 1.0)
    lower = np.where(below, lower_of_min, lower_b)
    upper = np.where(below, upper_a, lower_of_min)
    return np.minimum(lower, 1.0), np.minimum(upper, 1.0)


def _full_from_lower_half(lower: np.ndarray, total: int) -> np.ndarray:
    """Extend ``P(S <= k)``, ``k <= total // 2``, to ``k <= total`` by symmetry."""
    full = np.empty(total + 1)
    half = lower.size
    full[:half] = lower
    k = np.arange(half, total + 1)
    full[half:] = 1.0 - lower[total - k - 1]  # P(S <= k) = 1 - P(S <= total - k - 1)
    full[-1] = 1.0
    full.flags.writeable = False
    return full


_SIGNRANK_CACHE: dict[int, np.ndarray] = {}
_SIGNRANK_CACHE_SIZE = 16
# Guards the check-evict-insert of the cache: threads running tests over many different n
# would otherwise evict the same oldest entry twice (a KeyError) or iterate the dict while
# another thread changes it.
_SIGNRANK_LOCK = threading.Lock()


@lru_cache(maxsize=256)
def signrank_cost(n: int) -> int:
    """Array updates :func:`signrank_cdf` needs to build the table for ``n``."""
    return sign_flip_cost(np.arange(1, n + 1), n * (n + 1) // 4)


def signrank_cdf(n: int) -> np.ndarray:
    """``P(T <= k)`` for ``k = 0..n(n+1)/2`` of the signed-rank statistic without ties.

    Only the lower half is computed, the rest follows by symmetry. The tables of the last
    16 sample sizes are kept (read-only), so simulations with a fixed ``n`` pay once.
    """
    cdf = _SIGNRANK_CACHE.get(n)  # a single dict read is atomic: no lock on a hit
    if cdf is None:
        # built outside the lock (two threads may both build a table; both are the same)
        total = n * (n + 1) // 2
        lower = sign_flip_lower_cdf(np.arange(1, n + 1), total // 2)
        cdf = _full_from_lower_half(lower, total)
        with _SIGNRANK_LOCK:
            while len(_SIGNRANK_CACHE) >= _SIGNRANK_CACHE_SIZE:
                _SIGNRANK_CACHE.pop(next(iter(_SIGNRANK_CACHE)), None)
            _SIGNRANK_CACHE[n] = cdf
    return cdf


@lru_cache(maxsize=64)
def binom_half_cdf(n: int) -> np.ndarray:
    """``P(B <= k)`` for ``k = 0..n`` with ``B ~ Binomial(n, 1/2)`` (cached per ``n``)."""
    from scipy import special

    cdf = special.bdtr(np.arange(n + 1), n, 0.5)
    cdf.flags.writeable = False
    return cdf


def pvalue_from_tails(lower: Any, upper: Any, alternative: str) -> Any:
    """p-value from the two tails of a symmetric null distribution.

    Two-sided: twice the smaller tail, capped at 1, which for a symmetric distribution
    equals ``P(|S - E S| >= |s - E S|)`` (R's ``binom.test``, ``wilcox.test`` and coin).
    """
    if alternative == "less":
        return lower
    if alternative == "greater":
        return upper
    if isinstance(lower, np.ndarray):
        return np.minimum(1.0, 2.0 * np.minimum(lower, upper))
    return min(1.0, 2.0 * min(lower, upper))


def lower_quantile(cdf: np.ndarray, p: float) -> int:
    """Smallest ``q`` with ``P(S <= q) >= p`` (with R's fuzz) from a full cdf table."""
    return int(np.searchsorted(cdf, p - _FUZZ, side="left"))


def table_distribution(cdf: np.ndarray) -> tuple[Callable[[float], int], Callable[[int], float]]:
    """The ``(quantile, lower_cdf)`` pair of a tabulated discrete distribution."""

    def quantile(p: float) -> int:
        return lower_quantile(cdf, p)

    def lower_cdf(k: int) -> float:
        return float(cdf[k]) if k >= 0 else 0.0

    return quantile, lower_cdf


def order_statistic_ranks(
    count: int,
    quantile: Callable[[float], int],
    lower_cdf: Callable[[int], float],
    alternative: str,
    level: float,
) -> tuple[int | None, int | None, float]:
    """Which order statistics bound a distribution-free interval, as R's ``wilcox.test``.

    Parameters
    ----------
    count : int
        How many ordered values there are (changes for the sign test, Walsh averages for
        the signed-rank test).
    quantile, lower_cdf : callable
        Lower quantile and lower cdf of the null distribution of the rank statistic.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``.
    level : float
        The requested confidence level.

    Returns
    -------
    k_low, k_high : int or None
        0-based ranks of the lower and upper limits among the ordered values; ``None``
        for an infinite limit.
    attained : float
        The coverage the interval guarantees (below ``level`` only when the sample is too
        small for it).

    Notes
    -----
    With ``q`` the lower ``alpha/2`` quantile (``alpha`` one-sided) of the statistic, the
    limits are the ``q``-th smallest and ``q``-th largest values, and the coverage is
    ``1 - 2 P(S <= q - 1)`` (one-sided ``1 - P(S <= q - 1)``); ``q = 0`` is raised to 1,
    giving the widest finite interval, as R does. A ``q >= 1`` from the quantile always
    over-covers; only a ``q`` raised from 0 under-covers.
    """
    alpha = 1.0 - level
    two_sided = alternative == "two-sided"
    q = max(quantile(alpha / 2 if two_sided else alpha), 1)
    missed = lower_cdf(q - 1)
    attained = 1.0 - (2.0 * missed if two_sided else missed)
    k_low = None if alternative == "less" else q - 1
    k_high = None if alternative == "greater" else count - q
    return k_low, k_high, float(attained)
