"""Order statistics of the Walsh averages ``(x_i + x_j) / 2, i <= j``.

The Hodges-Lehmann estimate of a one-sample location (the pseudomedian) is their median,
and the signed-rank confidence interval has two of them as limits. There are
``n (n + 1) / 2`` of them, and every path here selects among the same floats: the values
are scaled by a power of two and sorted (:func:`sort_scale_rows`), and the sums
``fl(xs[i] + xs[j])`` are halved and scaled back at the end.

- Small ``n`` (below :data:`SELECT_N`): only the sums that can hold a requested rank
  (judged by their positions alone, :func:`_band`) are formed and partially sorted.
- Few distinct values: the ``d (d + 1) / 2`` pairs of distinct values, weighted by how many
  sums each stands for (:func:`_select_distinct`).
- Values repeated :data:`WEIGHTED_REPEATS` times or more on average, with too many
  distinct pairs for that: the counting search (bisection on the value, as Monahan's
  algorithm [2]_ with deterministic pivots) on the ``d`` distinct values weighted by their
  counts, ``O(d log d)`` per count, until few distinct pairs remain
  (:func:`_select_weighted`); integer data with thousands of distinct values.
- Large ``n``: selection by rank in ``O(n)`` memory and time per halving
  (:func:`_select_level`), the recursion Frederickson & Johnson [4]_ use for ``X + Y``:
  each sum of every other sorted value, ``xs[1::2]``, is the largest of a ``2 x 2``
  block of the sums, so the same problem on ``xs[1::2]``, at about a quarter of the
  ranks, gives two pivots that enclose the requested ranks, and its row counts below
  them. From those, each row's count at full size is known within a window (odd rows
  exactly after one comparison, even rows between their neighbours; rows whose diagonal
  sum is above the upper pivot hold none); the windows hold ``O(n)`` sums, which are
  formed and partitioned, one rank at a time; that the selected sums lie between the pivots
  proves that the pivots enclose the ranks (else safer ranks are tried). A level hands
  the finer one only the row counts the upper triangle needs, ``max(i, count)``, found by
  a running sum over the windows. All the requested ranks closer than ``4 n`` share one
  recursion (the two middle ranks always do). No random numbers are drawn.

Selecting by rank is exact, so the figures are those a full sort of all the sums gives,
whatever the path. Earlier versions found large-``n`` order statistics by bisection on
values with a full counting pass per step, like Monahan's algorithm [2]_ (which draws
its pivots at random among the candidates); Johnson & Mizoguchi [3]_ select in ``X + Y``
in ``O(n log n)`` time, Frederickson & Johnson [4]_ in ``O(n)``.

References
----------
.. [1] Hodges, J. L. & Lehmann, E. L. (1963). Estimates of location based on rank tests.
   Annals of Mathematical Statistics 34(2), 598-611.
.. [2] Monahan, J. F. (1984). Algorithm 616: fast computation of the Hodges-Lehmann
   location estimator. ACM Transactions on Mathematical Software 10(3), 265-270.
.. [3] Johnson, D. B. & Mizoguchi, T. (1978). Selecting the Kth element in X + Y and
   X1 + X2 + ... + Xm. SIAM Journal on Computing 7(2), 147-153.
.. [4] Frederickson, G. N. & Johnson, D. B. (1982). The complexity of selection and
   ranking in X + Y and matrices with sorted columns. Journal of Computer and System
   Sciences 24(2), 197-208.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal, overload

import numpy as np

from .._numerics import pow2_exponent, pow2_scale, pow2_scale_rows

# Above this many Walsh sums, use the counting search instead of materializing them.
DIRECT_LIMIT = 2_000_000
#: Up to this many values the sums are few: one band for all ranks (fewer calls).
SMALL_N = 24
#: Up to this many values, select each run of consecutive ranks from its own band
#: (:func:`_band`); above it, all ranks at once from the hull of their bands (one
#: partition for several ranks is then cheaper).
BAND_LIMIT = 40


def scale_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pairedstudy._numerics.pow2_scale_rows`, with a shortcut for one row.

    One row is scaled by the 1-D :func:`pairedstudy._numerics.pow2_scale` (the same rule,
    so the same figures), which skips the row-wise machinery.
    """
    if x.shape[0] == 1:
        scaled, factor = pow2_scale(x[0])
        return scaled[None, :], np.array([factor])
    return pow2_scale_rows(x)


def sort_scale_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray | float]:
    """``np.sort`` of the rows of :func:`scale_rows`' scaled ``x``, and the factors.

    Several rows: :func:`scale_rows`, then sorted. One row is sorted first: its largest
    ``|x|`` is then at one of its ends (no pass over the row for :func:`pow2_exponent`),
    and scaling up by a power of two is exact, so the sorted scaled row is the same. A row
    scaled down (largest ``|x|`` of ``2**60`` or more) is scaled and sorted again: its tiny
    values may flush to zeros of either sign, whose order among the other zeros is the
    sort's own (and the sign of a zero Walsh average follows it). One row's factor is a
    float.
    """
    if x.shape[0] != 1 or x.shape[-1] == 0:
        scaled, factor = scale_rows(x)
        return np.sort(scaled, axis=-1), factor
    xs = np.sort(x, axis=-1)
    exponent = pow2_exponent(max(-float(xs[0, 0]), float(xs[0, -1])))
    if not exponent:
        return xs, 1.0
    if exponent > 0:  # scaled down: scaled first, then sorted (the order its zeros had)
        return np.sort(np.ldexp(x, -exponent), axis=-1), math.ldexp(1.0, exponent)
    return np.ldexp(xs, -exponent), math.ldexp(1.0, exponent)


@lru_cache(maxsize=8)
def _band(
    n: int, k_first: int, k_last: int
) -> tuple[tuple[tuple[int, int, int], ...], np.ndarray, np.ndarray, int]:
    """Which Walsh sums of ``n`` sorted values can be the ``k``-th smallest, by position.

    With ``xs`` sorted, ``xs[i] + xs[j]`` (``i <= j``) is at least every sum
    ``xs[i'] + xs[j']`` with ``i' <= i``, ``j' <= j`` and at most every sum with
    ``i' >= i``, ``j' >= j``: its rank in any sorted order that breaks ties by ``(i, j)``
    is at least ``low(i, j)`` and at most ``high(i, j)``, whatever the values. Sums with
    ``high < k_first`` come before the ``k_first``-th, sums with ``low > k_last`` after
    the ``k_last``-th, so for ``k_first <= k <= k_last`` the ``k``-th smallest sum is the
    ``(k - below)``-th smallest of the others, the *band*: for each ``i`` one contiguous
    run of ``j`` (``low`` and ``high`` grow with ``j``), about 40 % of the sums for one
    ``k``.

    Returns ``(runs, i, j, below)``: ``(i, j_start, j_stop)`` for each non-empty run,
    the positions ``i`` and ``j`` of the band's sums (in run order), and how many sums
    come before the band.
    """
    i, j = np.triu_indices(n)
    total = n * (n + 1) // 2
    low = (i + 1) * (j + 1) - i * (i + 1) // 2 - 1
    above = (j - i + 1) * (n - j) + (n - j - 1) * (n - j) // 2  # sums >= this one, itself too
    high = total - above
    inside = (low <= k_last) & (k_first <= high)
    band_i, band_j = i[inside].astype(np.int32), j[inside].astype(np.int32)
    starts = np.flatnonzero(np.diff(band_i, prepend=-1))
    stops = np.append(starts[1:], band_i.size)
    runs = tuple(
        (int(band_i[a]), int(band_j[a]), int(band_j[b - 1]) + 1)
        for a, b in zip(starts.tolist(), stops.tolist(), strict=True)
    )
    band_i.flags.writeable = band_j.flags.writeable = False
    return runs, band_i, band_j, int(np.count_nonzero(high < k_first))


#: Work on at most this many band sums at once (a block of rows stays in cache).
ROWS_BLOCK = 250_000
#: Materialize at most this many Walsh sums at once when selecting from the hull.
FULL_BLOCK = 4_000_000


def _kth(ks: list[int], size: int) -> int | list[int]:
    """``kth`` for ``ndarray.partition`` of rows of ``size`` values: the fastest form.

    numpy selects one ``kth`` with a vectorized quickselect, fast for short rows, and a
    list of them with introselect, several times faster on rows of a few hundred values
    or more (measured with numpy 2.4 on AVX-512): one ``k`` given twice picks the latter.
    """
    if len(ks) > 1:
        return ks
    return ks[0] if size <= 256 else [ks[0], ks[0]]


def _clusters(ks: Sequence[int]) -> list[tuple[int, int]]:
    """Group the ranks into runs of consecutive values (the two middle ranks share one)."""
    out: list[tuple[int, int]] = []
    for k in sorted(set(ks)):
        if out and k == out[-1][1] + 1:
            out[-1] = (out[-1][0], k)
        else:
            out.append((k, k))
    return out


@lru_cache(maxsize=8)
def _plans(n: int, ks: tuple[int, ...]) -> tuple[list[tuple], np.ndarray, np.ndarray, np.ndarray]:
    """The bands :func:`_select_sorted_rows` partitions for ``ks``, and all their positions.

    For ``SMALL_N < n <= BAND_LIMIT`` one band per run of consecutive ranks, otherwise one
    band for all ranks. Each plan is ``(runs, i, j, below, ranks, kth, columns)``: the band, the
    ranks it answers, the ``kth`` to partition with and the output columns of each rank.
    """
    one_band = n > BAND_LIMIT or n <= SMALL_N
    clusters = [(min(ks), max(ks))] if one_band else _clusters(ks)
    plans = []
    for a, b in clusters:
        runs, band_i, band_j, below = _band(n, a, b)
        ranks = sorted({k for k in ks if a <= k <= b})
        kth = _kth([k - below for k in ranks], band_i.size)
        columns = [[c for c, kc in enumerate(ks) if kc == k] for k in ranks]
        plans.append((runs, band_i, band_j, below, ranks, kth, columns))
    every_i = np.concatenate([plan[1] for plan in plans])
    every_j = np.concatenate([plan[2] for plan in plans])
    # where each requested rank sits once every band, laid end to end, is partitioned
    positions = np.empty(len(ks), dtype=np.intp)
    offset = 0
    for _, band_i, _, below, ranks, _, columns in plans:
        for k, cs in zip(ranks, columns, strict=True):
            positions[cs] = offset + k - below
        offset += band_i.size
    for array in (every_i, every_j, positions):
        array.flags.writeable = False
    return plans, every_i, every_j, positions


def _select_sorted_rows(xs: np.ndarray, ks: Sequence[int]) -> np.ndarray:
    """The ``ks``-th smallest of ``xs[r, i] + xs[r, j]`` (``i <= j``) of each sorted row.

    Only the sums of a band (:func:`_band`) are formed, block by block of rows, and
    partitioned in place: for ``SMALL_N < n <= BAND_LIMIT`` one band per run of
    consecutive ranks, otherwise one band for all ranks. Selection is exact, so the values
    are those a full sort of all the sums gives; a row gives the same figures alone or in
    a batch (its band is formed in the same order and partitioned with the same ``kth``).
    """
    rows, n = xs.shape
    plans, every_i, every_j, positions = _plans(n, tuple(ks))
    if rows == 1:  # all bands in one gather, each partitioned as in a block of rows
        sums = xs[0].take(every_i)
        sums += xs[0].take(every_j)
        offset = 0
        for plan in plans:
            size = plan[1].size
            sums[offset : offset + size].partition(plan[5])
            offset += size
        return sums.take(positions)[None, :]
    out = np.empty((rows, len(ks)))
    if n > BAND_LIMIT or n <= SMALL_N:  # one band: gather it at once
        widest = max(plan[1].size for plan in plans)
        step = max(1, min(rows, FULL_BLOCK // max(widest, 1)))
        for begin in range(0, rows, step):
            block = xs[begin : begin + step]
            for _, band_i, band_j, below, ranks, kth, columns in plans:
                sums = block.take(band_i, axis=1)
                sums += block.take(band_j, axis=1)
                sums.partition(kth, axis=-1)
                for k, cs in zip(ranks, columns, strict=True):
                    out[begin : begin + step, cs] = sums[:, k - below, None]
        return out
    widest = max(plan[1].size for plan in plans)
    step = max(1, min(rows, ROWS_BLOCK // max(widest, 1)))
    buffer = np.empty((step, widest))
    add = np.add
    for begin in range(0, rows, step):
        block = xs[begin : begin + step]
        height = block.shape[0]
        for runs, band_i, _, below, ranks, kth, columns in plans:
            sums = buffer[:height, : band_i.size]
            offset = 0
            for i, start, stop in runs:
                width = stop - start
                add(
                    block[:, i : i + 1], block[:, start:stop], out=sums[:, offset : offset + width]
                )
                offset += width
            sums.partition(kth, axis=-1)
            for k, cs in zip(ranks, columns, strict=True):
                out[begin : begin + height, cs] = sums[:, k - below, None]
    return out


def walsh_order_statistics(
    x: np.ndarray, ks: Sequence[int], *, direct_limit: int = DIRECT_LIMIT
) -> np.ndarray:
    """Return the ``ks``-th smallest (0-based) Walsh averages of ``x``.

    Parameters
    ----------
    x : numpy.ndarray
        Finite values.
    ks : sequence of int
        0-based ranks, each in ``[0, n (n + 1) / 2)``.
    direct_limit : int
        Above this many sums, select by rank whatever ``n`` (below :data:`SELECT_N`
        values and this many sums, a band of the sums is partitioned); 0 always selects
        by rank.
    """
    scaled, factor = pow2_scale(x)  # exact; keeps x_i + x_j from overflowing
    xs = np.sort(scaled)
    ks = [int(k) for k in ks]
    sums = _select_row(xs, ks, direct_limit)
    return sums / 2.0 * factor


def middle_ranks(n: int) -> list[int]:
    """The 0-based rank(s) of the median of the ``n (n + 1) / 2`` Walsh averages."""
    count = n * (n + 1) // 2
    return [count // 2] if count % 2 else [count // 2 - 1, count // 2]


def midpoint(low: Any, high: Any) -> Any:
    """``(low + high) / 2`` without overflow: ``low / 2 + high / 2``.

    Halving is exact for every float64 above the subnormal range, and then
    ``fl(low / 2 + high / 2) == fl(low + high) / 2``: the same value as the plain mean
    wherever that does not overflow (two Walsh averages near the largest float64 sum to
    infinity). Works on floats and arrays.
    """
    return low * 0.5 + high * 0.5


def walsh_median(x: np.ndarray) -> float:
    """The median of the Walsh averages of ``x`` (the Hodges-Lehmann pseudomedian).

    Examples
    --------
    >>> walsh_median(np.array([1e308, 1.5e308, 1.7e308, 1.6e308]))
    1.525e+308
    """
    values = walsh_order_statistics(x, middle_ranks(x.size))
    return float(values[0] if values.size == 1 else midpoint(values[0], values[1]))


def walsh_order_statistics_rows(x: np.ndarray, ks: Sequence[int]) -> np.ndarray:
    """:func:`walsh_order_statistics` of every row of a 2-D array, with the same ``ks``.

    Rows are scaled one by one exactly as the 1-D function scales its input, and the same
    sums are formed, so row ``i`` of the result equals
    ``walsh_order_statistics(x[i], ks)`` bit for bit. Rows are processed in blocks of about
    :data:`ROWS_BLOCK` sums; rows too long to materialize use the counting search.
    """
    rows, n = x.shape
    xs, factor = sort_scale_rows(x)
    ks = [int(k) for k in ks]
    count = n * (n + 1) // 2
    if count <= DIRECT_LIMIT and n < DISTINCT_N:
        out = _select_sorted_rows(xs, ks)
    elif count <= DIRECT_LIMIT and n < SELECT_N and rows == 1:  # the same test, on numbers
        row = xs[0]
        if _few_distinct(1 + np.count_nonzero(row[1:] != row[:-1]), n):
            out = _select_row(row, ks, DIRECT_LIMIT)[None, :]
        else:
            out = _select_sorted_rows(xs, ks)
    elif count <= DIRECT_LIMIT and n < SELECT_N:  # rows of few distinct values alone
        distinct = 1 + np.count_nonzero(xs[:, 1:] != xs[:, :-1], axis=-1)
        few = _few_distinct(distinct, n)
        if not few.any():
            out = _select_sorted_rows(xs, ks)
        else:
            out = np.empty((rows, len(ks)))
            if not few.all():
                out[~few] = _select_sorted_rows(xs[~few], ks)
            for i in np.flatnonzero(few).tolist():
                out[i] = _select_row(xs[i], ks, DIRECT_LIMIT)
    else:
        out = np.empty((rows, len(ks)))
        for i in range(rows):
            out[i] = _select_row(xs[i], ks, DIRECT_LIMIT)
    out /= 2.0
    if isinstance(factor, float):  # one row (times 1 changes nothing)
        if factor != 1.0:
            out *= factor
        return out
    out *= factor[:, None]
    return out


def _prefix_ends(xs: np.ndarray, v: float) -> np.ndarray:
    """For each ``i``, the number of ``j`` with ``fl(xs[i] + xs[j]) <= v``.

    Floating-point addition is monotone in each argument, so for fixed ``i`` those ``j``
    form a prefix; ``searchsorted`` on ``v - xs[i]`` guesses its end and a short fix-up on
    the actual rounded sums makes it exact (equal ``xs[j]`` give equal sums, so it steps
    over a run of ties at once).
    """
    n = xs.size
    ends = np.searchsorted(xs, v - xs, side="right")
    while True:  # move right while the next sum still fits, over its run of ties at once
        grow = (ends < n) & (xs + xs[np.minimum(ends, n - 1)] <= v)
        if not grow.any():
            break
        ends[grow] = np.searchsorted(xs, xs[ends[grow]], side="right")
    while True:  # move left while the last included sum is too big, over its run of ties
        shrink = (ends > 0) & (xs + xs[np.maximum(ends - 1, 0)] > v)
        if not shrink.any():
            break
        ends[shrink] = np.searchsorted(xs, xs[ends[shrink] - 1], side="left")
    return ends


def _count_at_most(xs: np.ndarray, v: float) -> tuple[int, np.ndarray]:
    ends = _prefix_ends(xs, v)
    starts = np.arange(xs.size)  # pairs with j >= i only
    return int(np.clip(ends - starts, 0, None).sum()), ends


def _kth_sum_by_counting(xs: np.ndarray, k: int) -> float:
    """The ``k``-th smallest (0-based) of ``xs[i] + xs[j]`` over ``i <= j``."""
    n = xs.size
    starts = np.arange(n)
    lo = float(np.nextafter(2.0 * xs[0], -np.inf))  # no sum is <= lo
    hi = float(2.0 * xs[-1])  # every sum is <= hi
    count_lo, ends_lo = 0, np.zeros(n, dtype=np.intp)
    count_hi, ends_hi = _count_at_most(xs, hi)
    # Invariant: count(lo) <= k < count(hi); the answer is a sum in (lo, hi].
    while count_hi - count_lo > 4 * n:
        # If the smallest sum above lo already has rank > k, it is the answer.
        j = np.maximum(ends_lo, starts)
        valid = j < n
        smallest = float(np.min(xs[valid] + xs[j[valid]]))
        if _count_at_most(xs, smallest)[0] > k:
            return smallest
        mid = lo + (hi - lo) / 2.0
        if mid < smallest:
            mid = smallest  # jump over the empty gap (lo, smallest)
        count_mid, ends_mid = _count_at_most(xs, mid)
        if count_mid > k:
            hi, count_hi, ends_hi = mid, count_mid, ends_mid
        else:
            lo, count_lo, ends_lo = mid, count_mid, ends_mid
    first = np.maximum(ends_lo, starts)
    last = np.maximum(ends_hi, starts)
    lengths = last - first
    rows = np.repeat(starts, lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cols = np.repeat(first, lengths) + offsets
    candidates = np.sort(xs[rows] + xs[cols])
    return float(candidates[k - count_lo])


# --- Selection by rank (Frederickson & Johnson's recursion on every other value) --------

#: From this many values on, a row is selected by rank (:func:`_select_by_rank`); below
#: it the band partition (:func:`_select_sorted_rows`) is faster (measured with
#: ``benchmarks/bench_hl.py``: about even at 1200 values once the band is cached).
SELECT_N = 1300
#: From this many values on, a row of few distinct values (:data:`DISTINCT_PAIRS`) is
#: selected among its distinct pairs, faster than the band from about 300 values on (CPU
#: time, 4-30 distinct values: 0.7-1.0x at 160, 1.0-1.3x at 200, 2.8x at 300; the
#: distinct pairs cost about 60 us whatever ``n``, the band grows as ``n**2``; counted in
#: instructions the distinct pairs win from 160 on, but the band's partition runs faster
#: per instruction).
DISTINCT_N = 400
#: The recursion ends, with all the sums formed, at this many values or fewer.
BASE_N = 256
#: With at most this many pairs of distinct values per value, select among those pairs
#: weighted by their multiplicities (:func:`_select_distinct`; Likert-like data).
DISTINCT_PAIRS = 4
#: Or, with every value repeated :data:`DISTINCT_REPEATS` times on average (values on a
#: grid, whose sums are on a grid: heavily tied), this many pairs at most.
DISTINCT_MAX_PAIRS = 2_000_000
DISTINCT_REPEATS = 8


#: With every value repeated this many times on average (and too many distinct pairs for
#: :func:`_select_distinct`), search on the distinct values, weighted by their counts
#: (:func:`_select_weighted`): sums tie too heavily for the recursion's windows.
WEIGHTED_REPEATS = 6
#: The weighted search forms the distinct pairs left once at most this many per distinct
#: value remain between its bounds.
WEIGHTED_PAIRS = 8
#: ... and at most this many in all (a floor for small samples).
WEIGHTED_MIN_PAIRS = 4096


def _few_distinct(distinct: Any, n: int) -> Any:
    """Whether ``distinct`` values among ``n`` go to :func:`_select_distinct` (arrays too)."""
    pairs = distinct * (distinct + 1) // 2
    many_ties = (pairs <= DISTINCT_MAX_PAIRS) & (DISTINCT_REPEATS * distinct <= n)
    return (pairs <= DISTINCT_PAIRS * n) | many_ties


#: Tied values stepped over one by one between two pivots before counting instead.
TIE_STEPS = 8


class _TooTied(Exception):
    """Too many sums tie between two pivots for the recursion: count instead."""


#: How far (in sums, per value) below the lowest and above the highest rank asked for the
#: pivots are aimed, 4 times the coarse ranks: first as measured (a coarse sum is the
#: largest of its block, so the counts run about ``n / 2`` above 4 times the coarse ones),
#: then as proven (the counts are within ``-n`` and ``+3.5 n`` of 4 times the coarse ones).
SLACKS = ((0.6, 0.1), (3.5, 1.0))
#: Above this many candidates per value between its pivots (ties at the pivots), a level
#: sets the sums tied with them aside first (:func:`_tied`).
CANDIDATES_PER_VALUE = 8


def _padded(y: np.ndarray) -> np.ndarray:
    """``y`` followed by ``+inf``: a sum with the entry one past the end passes no test."""
    padded = np.empty(y.size + 1)
    padded[:-1] = y
    padded[-1] = np.inf
    return padded


def _windows(
    y: np.ndarray, first: np.ndarray, widths: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sums ``y[i] + y[j]`` for ``j`` in ``[first[i], first[i] + widths[i])``, row-major.

    ``first`` and ``widths`` have one entry per row of ``y`` (the rows ``i`` are
    ``0, 1, ...``). The sums are ``fl(y[i] + y[j])``, the values every other path forms.
    Returns the sums and where each row's run of them starts and stops.
    """
    stops = np.cumsum(widths)
    starts = stops - widths
    rows = np.repeat(np.arange(widths.size), widths)
    cols = np.arange(stops[-1] if stops.size else 0)
    cols += (first - starts).take(rows)
    sums = y.take(rows)
    sums += y.take(cols)
    return sums, starts, stops


def _row_counts(hits: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """How many of each row's ``hits`` (rows laid end to end, ``[starts, stops)``) are true."""
    running = np.empty(hits.size + 1, dtype=np.intp)
    running[0] = 0
    np.cumsum(hits, out=running[1:])
    return running.take(stops) - running.take(starts)


def _head(counts: np.ndarray, size: int) -> np.ndarray:
    """The first ``size`` row counts of a level; rows past its arrays count their index."""
    if counts.size >= size:
        return counts[:size]
    out = np.arange(size)
    out[: counts.size] = counts
    return out


def _diagonal_rows(y: np.ndarray, b: float) -> int:
    """At least the number of rows ``i`` with ``y[i] + y[i] <= b`` (``y`` sorted).

    Every sum of a later row (``j >= i``) is above ``b``. Doubling is exact, so those rows
    hold ``y[i] <= b / 2``; ``fl(b / 2)`` errs, if at all, upwards (then some rows more).
    """
    return int(np.searchsorted(y, b * 0.5, side="right"))


def _bounds(
    y: np.ndarray,
    rows: int,
    a: float | None,
    coarse_a: np.ndarray,
    b: float | None,
    coarse_b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For rows ``i < rows``, where the window of sums in ``[a, b]`` starts and stops.

    ``y`` is padded (:func:`_padded`) and holds ``m`` values. ``coarse_a[r]`` is
    ``max(r, c_r)``, with ``c_r`` the number of ``c`` with ``y[2r + 1] + y[2c + 1] < a``
    (``coarse_b`` the same with ``<= b``; rows past their ends count ``r``). Row
    ``2r + 1`` passes at every ``j < 2 c_r`` and fails from ``2 c_r + 1`` on, so one sum
    tells its count; from ``2 max(r, c_r)`` the same sum tells ``max(2r, count)``, all the
    upper triangle needs. Row ``2r`` lies between rows ``2r + 1`` and ``2r - 1`` (rows are
    sorted), which bound it; its window spans the sums between them, ``O(m)`` over all
    rows. Sums left of ``first`` are ``< a``, sums from ``stop`` on ``> b``; both are at
    least ``i``, and ``stop >= first``. ``a`` None stands for minus infinity, ``b`` None
    for plus infinity.
    """
    m = y.size - 1
    odd_count, even_count = rows // 2, (rows + 1) // 2  # rows 1, 3, ... and 0, 2, ...
    paired = min(even_count, m // 2)  # even rows with an odd row after them
    odd = y[1 : 2 * paired : 2]
    odd_rows = np.arange(1, 2 * paired, 2)
    if a is None:
        first = np.arange(rows)
    else:
        low = 2 * _head(coarse_a, paired)
        low += odd + y.take(low) < a  # max(2r, count of row 2r + 1)
        first = np.empty(rows, dtype=np.intp)
        first[0 : 2 * paired : 2] = low  # row 2r is below a wherever 2r + 1 is
        np.maximum(low[:odd_count], odd_rows[:odd_count], out=first[1::2])
        if even_count > paired:  # the last row, even, of an odd number: no row after it
            first[-1] = rows - 1
    if b is None:
        stop = np.full(rows, m, dtype=np.intp)
    else:
        high = 2 * _head(coarse_b, odd_count)
        high += odd[:odd_count] + y.take(high) <= b
        stop = np.empty(rows, dtype=np.intp)
        stop[0] = m
        np.maximum(high, odd_rows[:odd_count], out=stop[1::2])
        even = stop[2::2]  # row 2r + 2 is above b wherever 2r + 1 is
        np.maximum(high[: even.size], odd_rows[: even.size] + 1, out=even)
    return first, stop


def _upper(ends: np.ndarray) -> np.ndarray:
    """Row counts over whole rows made what a level returns: ``max(i, count)``."""
    return np.maximum(ends, np.arange(ends.size))


def _counted(
    y: np.ndarray, ks: list[int], want_ends: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """The fallback of a level: the counting search, and its counts by searchsorted."""
    values = np.array([_kth_sum_by_counting(y, k) for k in ks])
    if not want_ends:
        return values, None, None
    below = float(np.nextafter(values[0], -np.inf))  # s < v  <=>  s <= the float below v
    return values, _upper(_prefix_ends(y, below)), _upper(_prefix_ends(y, float(values[-1])))


@overload
def _select_level(
    y: np.ndarray, ks: list[int], want_ends: Literal[True]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...


@overload
def _select_level(
    y: np.ndarray, ks: list[int], want_ends: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]: ...


def _select_level(
    y: np.ndarray, ks: list[int], want_ends: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """The ``ks``-th smallest (sorted, 0-based) of ``y[i] + y[j]``, ``i <= j``; ``y`` sorted.

    ``y`` is padded (:func:`_padded`): its last entry, ``+inf``, is not a value. With
    ``want_ends`` also, for every row ``i``, ``max(i, count)`` with ``count`` the number of
    ``j`` (all of them) whose sum is below the first value, and the same with the sums at
    most the last one (the counts the upper triangle needs). The arrays may stop short:
    rows past them count their index (their diagonal sum is above the last value;
    :func:`_head`).

    Pivots come from the same problem on ``y[1::2]`` (each of its sums is the largest of a
    2 x 2 block of ours), at ranks chosen so that the ``ks``-th sums lie between them
    (the sums selected are checked to, and safe ranks tried if not); every sum below the
    lower pivot or above the upper one is set aside by position, and the ranks are found
    by partitioning the ``O(n)`` sums left (Frederickson & Johnson 1982). Rows whose diagonal
    sum is above the upper pivot hold none of them and are skipped. Sums equal to a pivot
    are set aside too when they are many (ties).
    """
    m = y.size - 1
    values = y[:m]
    k1, k2 = ks[0], ks[-1]
    if m <= BASE_N:
        rows = np.arange(m)
        return _pick(values, ks, want_ends, rows, m - rows, 0)
    half = m // 2
    z = np.empty(half + 1)
    z[:half] = y[1 : 2 * half : 2]
    z[half] = np.inf
    count = half * (half + 1) // 2
    budget = CANDIDATES_PER_VALUE * m + (k2 - k1)
    for slack_low, slack_high in ((m * low, m * high) for low, high in SLACKS):
        k_low = int(k1 - slack_low) // 4
        k_high = int(k2 + slack_high) // 4 + 1
        lowest, highest = k_low < 0, k_high >= count
        if lowest and highest:
            return _counted(values, ks, want_ends)
        pivots, coarse_low, coarse_high = _select_level(
            z, sorted({min(max(k, 0), count - 1) for k in (k_low, k_high)}), True
        )
        a, b = float(pivots[0]), float(pivots[-1])
        # rows whose diagonal sum is above b hold no window (rows past the arrays)
        used = m if highest else min(m, _diagonal_rows(values, b))
        first, stop = _bounds(
            y, used, None if lowest else a, coarse_low, None if highest else b, coarse_high
        )
        widths = np.subtract(stop, first, out=stop)
        below = int(first.sum()) - used * (used - 1) // 2  # all < a
        if int(widths.sum()) > budget:
            tied = _tied(values, ks, want_ends, None if lowest else a, None if highest else b)
            if tied is None:
                continue
            return tied
        sums, starts, stops = _windows(values, first, widths)
        places = [k - below for k in ks]
        if places[0] < 0 or places[-1] >= sums.size:
            continue
        # every sum left of the windows is < a, right of them > b: a selected sum within
        # [a, b] has the same rank among all of them as among the windows' plus below
        chosen = _partition(sums.copy() if want_ends else sums, places)
        if (lowest or chosen[0] >= a) and (highest or chosen[-1] <= b):
            if not want_ends:
                return chosen, None, None
            return chosen, *_window_ends(chosen, first, sums, starts, stops)
    return _counted(values, ks, want_ends)


def _tied(
    y: np.ndarray, ks: list[int], want_ends: bool, a: float | None, b: float | None
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None] | None:
    """Select between pivots with many sums equal to one of them (ties); None if they miss.

    The exact row counts of sums ``< a``, ``<= a``, ``< b`` and ``<= b`` (by searchsorted,
    :func:`_prefix_ends`) set aside the sums equal to a pivot; the ranks falling among them
    take its value, the others are selected among the sums strictly between the pivots;
    while those are too many, the next value up is stepped to, and its tied sums set
    aside, up to :data:`TIE_STEPS` times (then :class:`_TooTied` is raised).
    """
    m = y.size
    rows = np.arange(m)
    k1, k2 = ks[0], ks[-1]
    budget = CANDIDATES_PER_VALUE * m + (k2 - k1)
    zero, full = np.zeros(m, dtype=np.intp), np.full(m, m, dtype=np.intp)
    lt_a = zero if a is None else _prefix_ends(y, float(np.nextafter(a, -np.inf)))
    le_a = zero if a is None else _prefix_ends(y, a)
    lt_b = full if b is None else _prefix_ends(y, float(np.nextafter(b, -np.inf)))
    le_b = full if b is None else _prefix_ends(y, b)

    def count(ends: np.ndarray) -> int:
        return int((np.maximum(ends, rows) - rows).sum())

    if not (count(lt_a) <= k1 and count(le_b) > k2):
        return None
    at_most_a, below_b = count(le_a), count(lt_b)
    inner = [k for k in ks if at_most_a <= k < below_b]
    inner_first = np.maximum(le_a, rows)
    inner_widths = np.maximum(lt_b, rows) - inner_first
    found: dict[int, float] = {k: a for k in ks if k < at_most_a and a is not None}
    found.update({k: b for k in ks if k >= below_b and b is not None})
    ends: dict[tuple[float, bool], np.ndarray] = {}
    if a is not None:
        ends.update({(a, True): lt_a, (a, False): le_a})
    if b is not None:
        ends.update({(b, True): lt_b, (b, False): le_b})
    steps = 0
    while inner and int(inner_widths.sum()) > budget:  # tied values between the pivots
        if steps == TIE_STEPS:
            raise _TooTied
        steps += 1
        # the next value up: the smallest sum above those set aside, each row's first
        some = inner_first < m
        v = float(np.min(y[some] + y.take(inner_first[some])))
        le_v = _prefix_ends(y, v)
        at_most_v = count(le_v)
        found.update({k: v for k in inner if k < at_most_v})
        ends[(v, True)] = le_a  # no sum lies between the last value and v
        ends[(v, False)] = le_v
        le_a, at_most_a = le_v, at_most_v
        inner = [k for k in inner if k >= at_most_v]
        inner_first = np.maximum(le_a, rows)
        inner_widths = np.maximum(lt_b, rows) - inner_first
    if inner:
        values, ends_low, ends_high = _pick(
            y, inner, want_ends, inner_first, inner_widths, at_most_a
        )
        found.update(zip(inner, values.tolist(), strict=True))
        if ends_low is not None and ends_high is not None:  # given when want_ends
            ends[(float(values[0]), True)] = ends_low
            ends[(float(values[-1]), False)] = ends_high
    values = np.array([found[k] for k in ks])
    if not want_ends:
        return values, None, None
    return (
        values,
        _upper(ends[(float(values[0]), True)]),
        _upper(ends[(float(values[-1]), False)]),
    )


def _partition(sums: np.ndarray, places: list[int]) -> np.ndarray:
    """The ``places``-th smallest (sorted) of ``sums``, which is partitioned in place.

    One rank at a time, the largest first, each among the sums left of the one before:
    numpy partitions around one ``kth`` with a vectorized quickselect, and around several
    with introselect, several times slower on a long array (numpy 2.4 on AVX-512).
    """
    values = np.empty(len(places))
    end = sums.size
    for i in range(len(places) - 1, -1, -1):
        place = places[i]
        if place == end:  # the same rank twice
            values[i] = values[i + 1]
            continue
        if place == end - 1 and end < sums.size:  # the largest left of a selected sum
            values[i] = sums[:end].max()
        else:
            part = sums[:end]
            part.partition(place)
            values[i] = part[place]
        end = place
    return values


def _pick(
    y: np.ndarray,
    ks: list[int],
    want_ends: bool,
    first: np.ndarray,
    widths: np.ndarray,
    below: int,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Select the ``ks``-th sums among the windows ``[first, first + widths)`` of the rows.

    ``below`` sums (all of them smaller than those asked for) lie left of the windows, in
    the upper triangle; the windows are there too (``first[i] >= i``). The ends are as
    :func:`_select_level` returns them (:func:`_window_ends`).
    """
    sums, starts, stops = _windows(y, first, widths)
    places = [k - below for k in ks]
    values = _partition(sums.copy() if want_ends else sums, places)
    if not want_ends:
        return values, None, None
    return values, *_window_ends(values, first, sums, starts, stops)


def _window_ends(
    values: np.ndarray, first: np.ndarray, sums: np.ndarray, starts: np.ndarray, stops: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, ``max(i, count)`` of the sums below ``values[0]`` and at most ``values[-1]``.

    ``sums`` are the windows' sums in row order (:func:`_windows`); left of a window every
    sum is below ``values[0]``, right of it every one above ``values[-1]``, so the count
    is ``first[i]`` plus the row's count in its window.
    """
    low = first + _row_counts(sums < values[0], starts, stops)
    high = first + _row_counts(sums <= values[-1], starts, stops)
    return low, high


def _select_distinct(values: np.ndarray, counts: np.ndarray, ks: list[int]) -> np.ndarray:
    """The ``ks``-th smallest Walsh sums of a sample given as distinct values and counts.

    Each pair ``a <= b`` of distinct values stands for ``counts[a] * counts[b]`` sums
    (``counts[a] (counts[a] + 1) / 2`` when ``a == b``), all the same float.
    """
    a, b = np.triu_indices(values.size)
    sums = values[a] + values[b]
    weight = counts[a] * counts[b]
    weight[a == b] = counts * (counts + 1) // 2
    order = np.argsort(sums, kind="stable")
    cumulative = np.cumsum(weight[order])
    return sums[order[np.searchsorted(cumulative, ks, side="right")]]


def _select_weighted(values: np.ndarray, counts: np.ndarray, ks: list[int]) -> np.ndarray:
    """The ``ks``-th smallest Walsh sums of a sample given as distinct values and counts.

    The counting search of old (bisection on the value, with a jump to the smallest sum
    above the lower bound, Monahan's scheme with deterministic pivots) on the ``d``
    distinct values instead of all ``n``: a count costs ``O(d log d)``. Pairs ``a < b`` of
    distinct values stand for ``counts[a] * counts[b]`` sums, pairs ``a == a`` for
    ``counts[a] (counts[a] + 1) / 2``. Once at most :data:`WEIGHTED_PAIRS` distinct pairs
    per value lie between the bounds, they are sorted and picked by weight
    (:func:`_select_distinct`). The sums are ``fl(values[a] + values[b])``, the floats
    every other path forms.
    """
    d = values.size
    rows = np.arange(d)
    cumulative = np.zeros(d + 1, dtype=np.int64)
    np.cumsum(counts, out=cumulative[1:])
    budget = max(WEIGHTED_PAIRS * d, WEIGHTED_MIN_PAIRS)
    known: dict[float, tuple[int, np.ndarray]] = {}

    def count(v: float) -> tuple[int, np.ndarray]:
        # sums <= v over index pairs i <= j: (ordered pairs + the diagonal) / 2
        if v not in known:
            ends = _prefix_ends(values, v)
            ordered = int(counts @ cumulative.take(ends))
            diagonal = int(cumulative[np.count_nonzero(ends > rows)])
            known[v] = ((ordered + diagonal) // 2, ends)
        return known[v]

    top = float(values[-1] + values[-1])
    out = np.empty(len(ks))
    for place, k in enumerate(ks):
        low, count_low, ends_low = -math.inf, 0, np.zeros(d, dtype=np.intp)
        high, ends_high = top, np.full(d, d, dtype=np.intp)  # every sum is at most top
        while True:
            first = np.maximum(ends_low, rows)
            widths = np.maximum(ends_high, rows) - first
            if int(widths.sum()) <= budget:
                out[place] = _pick_weighted(values, counts, first, widths, k - count_low)
                break
            some = first < d
            smallest = float(np.min(values[some] + values.take(first[some])))
            if smallest >= high:  # every sum between the bounds is the upper one
                out[place] = high
                break
            mid = smallest if low == -math.inf else max(smallest, low + (high - low) / 2.0)
            count_mid, ends_mid = count(mid)
            if count_mid > k:
                if mid == smallest:  # nothing lies between low and the smallest sum
                    out[place] = mid
                    break
                high, ends_high = mid, ends_mid
            else:
                low, count_low, ends_low = mid, count_mid, ends_mid
    return out


def _pick_weighted(
    values: np.ndarray, counts: np.ndarray, first: np.ndarray, widths: np.ndarray, k: int
) -> float:
    """The ``k``-th smallest sum of the windows' distinct pairs, each weighted by its sums."""
    stops = np.cumsum(widths)
    starts = stops - widths
    a = np.repeat(np.arange(widths.size), widths)
    b = np.arange(stops[-1])
    b += (first - starts).take(a)
    sums = values.take(a)
    sums += values.take(b)
    weight = counts.take(a) * counts.take(b)
    same = a == b
    weight[same] = counts[a[same]] * (counts[a[same]] + 1) // 2
    order = np.argsort(sums, kind="stable")
    return float(sums[order[np.searchsorted(np.cumsum(weight[order]), k, side="right")]])


def _select_by_rank(y: np.ndarray, ks: list[int], general: bool = True) -> np.ndarray | None:
    """The ``ks``-th smallest (0-based) of ``y[i] + y[j]``, ``i <= j``, for sorted ``y``.

    Ranks closer than ``4 n`` share one selection. Returns None when ``general`` is false
    and ``y`` has too many distinct values for :func:`_select_distinct`.

    A group of ranks nearer the largest sum than the smallest is selected as the
    smallest sums of ``-y`` (negating is exact, and so is the sum of two negated floats),
    where the recursion's pivots are aimed well: a coarse sum is the largest of its
    block, so the fine counts run above 4 times the coarse ones, and near the largest
    sums a pivot aimed above the ranks falls short of them, and every level would try
    twice.
    """
    n = y.size
    fresh = np.empty(n, dtype=bool)
    fresh[0] = True
    np.not_equal(y[1:], y[:-1], out=fresh[1:])
    starts = np.flatnonzero(fresh)
    if _few_distinct(starts.size, n):
        counts = np.diff(np.append(starts, n)).astype(np.int64)
        return _select_distinct(y[starts], counts, ks)
    if not general:
        return None
    if WEIGHTED_REPEATS * starts.size <= n:
        counts = np.diff(np.append(starts, n)).astype(np.int64)
        return _select_weighted(y[starts], counts, ks)
    groups: list[list[int]] = []
    for k in sorted(set(ks)):
        if groups and k - groups[-1][-1] <= 4 * n:
            groups[-1].append(k)
        else:
            groups.append([k])
    found: dict[int, float] = {}
    padded = _padded(y)
    negated: np.ndarray | None = None
    top = n * (n + 1) // 2 - 1
    for group in groups:
        try:
            if group[0] + group[-1] <= top:
                values = _select_level(padded, group, False)[0]
            else:  # the same floats, negated; + 0.0 makes a zero sum +0.0, as fl(a + b) is
                if negated is None:
                    negated = _padded(-y[::-1])
                mirrored = [top - k for k in reversed(group)]
                values = 0.0 - _select_level(negated, mirrored, False)[0][::-1]
        except _TooTied:  # the search of old, once, rather than at every level
            values = np.array([_kth_sum_by_counting(y, k) for k in group])
        found.update(zip(group, values.tolist(), strict=True))
    return np.array([found[k] for k in ks])


def _select_row(xs: np.ndarray, ks: list[int], direct_limit: int) -> np.ndarray:
    """The ``ks``-th smallest (0-based) Walsh sums of one sorted row: the fastest path.

    Every path selects among the same floats ``fl(xs[i] + xs[j])``, so they agree, except
    in the sign of a zero: sums of two ``-0.0`` are ``-0.0`` and other zero sums ``+0.0``,
    and which of them a partition puts at a rank depends on its order. A row holding
    ``-0.0`` whose order statistics include a zero is therefore done the way it always was
    (:func:`_select_sorted_rows`, or above ``direct_limit`` sums the counting search for
    each zero).
    """
    n = xs.size
    count = n * (n + 1) // 2
    if count <= direct_limit and n < DISTINCT_N:
        return _select_sorted_rows(xs[None, :], ks)[0]
    values = _select_by_rank(xs, ks, general=n >= SELECT_N or count > direct_limit)
    if values is None:
        return _select_sorted_rows(xs[None, :], ks)[0]
    if not values.all() and np.signbit(xs[xs == 0.0]).any():
        if count <= direct_limit:
            return _select_sorted_rows(xs[None, :], ks)[0]
        # the counting search took each rank alone: redo only the zeros
        for i in np.flatnonzero(values == 0.0).tolist():
            values[i] = _kth_sum_by_counting(xs, ks[i])
    return values
