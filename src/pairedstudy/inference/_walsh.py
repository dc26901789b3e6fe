"""Order statistics of the Walsh averages ``(x_i + x_j) / 2, i <= j``.

The Hodges-Lehmann estimate of a one-sample location (the pseudomedian) is their median,
and the signed-rank confidence interval has two of them as limits. There are
``n (n + 1) / 2`` of them. For small ``n`` only those that can hold a requested rank
(judged by their positions alone) are formed and partially sorted; for large ``n`` a
counting search finds the requested order statistics in ``O(n log n)`` memory-light
passes, giving exactly the same floating-point values.

References
----------
.. [1] Hodges, J. L. & Lehmann, E. L. (1963). Estimates of location based on rank tests.
   Annals of Mathematical Statistics 34(2), 598-611.
.. [2] Monahan, J. F. (1984). Algorithm 616: fast computation of the Hodges-Lehmann
   location estimator. ACM Transactions on Mathematical Software 10(3), 265-270.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .._numerics import pow2_scale, pow2_scale_rows

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
        Materialize the sums when there are at most this many.
    """
    scaled, factor = pow2_scale(x)  # exact; keeps x_i + x_j from overflowing
    xs = np.sort(scaled)
    n = xs.size
    ks = [int(k) for k in ks]
    if n * (n + 1) // 2 > direct_limit:
        sums = np.array([_kth_sum_by_counting(xs, k) for k in ks])
    else:
        sums = _select_sorted_rows(xs[None, :], ks)[0]
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
    scaled, factor = scale_rows(x)
    xs = np.sort(scaled, axis=-1)
    ks = [int(k) for k in ks]
    count = n * (n + 1) // 2
    if count <= DIRECT_LIMIT:
        out = _select_sorted_rows(xs, ks)
    else:
        out = np.empty((rows, len(ks)))
        for i in range(rows):
            out[i] = [_kth_sum_by_counting(xs[i], k) for k in ks]
    if rows == 1 and factor[0] == 1.0:  # one unscaled row: times 1 changes nothing
        return out / 2.0
    return out / 2.0 * factor[:, None]


def _prefix_ends(xs: np.ndarray, v: float) -> np.ndarray:
    """For each ``i``, the number of ``j`` with ``fl(xs[i] + xs[j]) <= v``.

    Floating-point addition is monotone in each argument, so for fixed ``i`` those ``j``
    form a prefix; ``searchsorted`` on ``v - xs[i]`` guesses its end and a short fix-up on
    the actual rounded sums makes it exact.
    """
    n = xs.size
    ends = np.searchsorted(xs, v - xs, side="right")
    while True:  # move right while the next sum still fits
        grow = (ends < n) & (xs + xs[np.minimum(ends, n - 1)] <= v)
        if not grow.any():
            break
        ends[grow] += 1
    while True:  # move left while the last included sum is too big
        shrink = (ends > 0) & (xs + xs[np.maximum(ends - 1, 0)] > v)
        if not shrink.any():
            break
        ends[shrink] -= 1
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
