"""Selection by rank of the Walsh sums gives the same floats as before, bit for bit.

The reference is a frozen copy of ``pairedstudy.inference._walsh`` before selection by rank
(commit 76a8248; the band partition for small ``n``, value bisection with a counting pass
per step for large ``n``), at the end of this file, and for small ``n`` also the plain sort
of all the Walsh averages. Every comparison is of the bits (``-0.0`` differs from
``0.0``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pairedstudy._numerics import pow2_scale, pow2_scale_rows
from pairedstudy.inference import _walsh
from pairedstudy.inference._walsh import (
    middle_ranks,
    walsh_median,
    walsh_order_statistics,
    walsh_order_statistics_rows,
)


def bits(a: Any) -> np.ndarray:
    return np.asarray(a, dtype=np.float64).view(np.int64)


def assert_same_bits(got: Any, expected: Any) -> None:
    np.testing.assert_array_equal(bits(got), bits(expected))


def wilcoxon_ranks(n: int, z: float = 1.959963984540054) -> list[int]:
    """The middle rank(s) and the normal-approximation interval ranks for ``n`` values."""
    count = n * (n + 1) // 2
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    low = max(0, min(count - 1, int(count / 2 - z * sd)))
    return [*middle_ranks(n), low, count - 1 - low]


def every_average(x: np.ndarray) -> np.ndarray:
    """All the Walsh averages the library forms (scaled, summed, halved, scaled back)."""
    scaled, factor = pow2_scale(x)
    xs = np.sort(scaled)
    i, j = np.triu_indices(xs.size)
    return np.sort(xs[i] + xs[j]) / 2.0 * factor


@contextmanager
def patched(**values: Any) -> Iterator[None]:
    """Set module constants of ``_walsh`` for a block (works inside hypothesis tests)."""
    saved = {name: getattr(_walsh, name) for name in values}
    try:
        for name, value in values.items():
            setattr(_walsh, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(_walsh, name, value)


def brute_ends(y: np.ndarray, v: float, strict: bool) -> np.ndarray:
    sums = y[:, None] + y[None, :]
    return (sums < v if strict else sums <= v).sum(axis=1)


# Values: integers and Likert-like steps (many ties), continuous, huge and tiny
# magnitudes, and signed zeros.
SPECIAL = st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 1e308, -1e308, 1e-308, 5e-324, 3.0])
VALUE = st.one_of(
    st.integers(-6, 6).map(float),
    st.integers(-200, 200).map(lambda i: i / 8),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False),
    SPECIAL,
)
SAMPLE = st.lists(VALUE, min_size=1, max_size=90).map(np.array)


@st.composite
def sample_and_ranks(draw: st.DrawFn) -> tuple[np.ndarray, list[int]]:
    x = draw(SAMPLE)
    count = x.size * (x.size + 1) // 2
    ranks = draw(
        st.one_of(
            st.lists(st.integers(0, count - 1), min_size=1, max_size=4),
            st.just(wilcoxon_ranks(x.size)),
        )
    )
    return x, ranks


# Patches that send every sample to the recursion, or to the weighted search on distinct
# values, however tied (its floor of pairs off, so that it bisects even a small sample).
RECURSION = {"DISTINCT_PAIRS": 0, "DISTINCT_MAX_PAIRS": 0, "WEIGHTED_REPEATS": 10**9}
WEIGHTED = {"DISTINCT_PAIRS": 0, "DISTINCT_MAX_PAIRS": 0, "WEIGHTED_REPEATS": 0}


@given(sample_and_ranks())
def test_every_path_gives_the_old_floats(case):
    x, ks = case
    old_band = old_walsh_order_statistics(x, ks)
    old_counted = old_walsh_order_statistics(x, ks, direct_limit=0)
    assert_same_bits(walsh_order_statistics(x, ks), old_band)
    # direct_limit=0 takes selection by rank (the distinct pairs or the recursion)
    assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), old_counted)
    # deep recursions on small samples: end it at 4 values, aim the pivots badly
    for base, slacks in ((4, _walsh.SLACKS), (2, ((-1.0, -1.0), (3.5, 1.0)))):
        with patched(BASE_N=base, SLACKS=slacks, **RECURSION):
            assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), old_counted)
    for pairs, floor in ((0, 0), (1, 3), (_walsh.WEIGHTED_PAIRS, 10)):
        with patched(WEIGHTED_PAIRS=pairs, WEIGHTED_MIN_PAIRS=floor, **WEIGHTED):
            assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), old_counted)
    np.testing.assert_array_equal(walsh_order_statistics(x, ks), every_average(x)[ks])


def partitioned_averages(x: np.ndarray, ks: list[int]) -> np.ndarray:
    """The ``ks``-th of every Walsh average, by ``np.partition`` of all of them."""
    scaled, factor = pow2_scale(x)
    i, j = np.triu_indices(x.size)
    sums = scaled[i] + scaled[j]
    return np.partition(sums, ks)[ks] / 2.0 * factor


# Tied samples: a few values repeated, a grid, one value most of the time, continuous
# values with a spike; no -0.0 (which zero a partition puts at a rank depends on order).
TIED_SAMPLE = st.one_of(
    st.lists(st.integers(-4, 4), min_size=1, max_size=150).map(lambda v: np.array(v, float)),
    st.lists(st.integers(-300, 300), min_size=1, max_size=150).map(lambda v: np.array(v) / 4),
    st.tuples(
        st.integers(1, 150), st.floats(-1e3, 1e3), st.lists(st.floats(-1e3, 1e3), max_size=20)
    ).map(lambda t: np.array([t[1]] * t[0] + t[2])),
    st.lists(st.one_of(st.just(0.25), st.floats(-10, 10)), min_size=1, max_size=150).map(np.array),
).map(lambda x: x + 0.0)


@given(TIED_SAMPLE, st.data())
def test_every_path_equals_a_partition_of_all_the_averages(x, data):
    count = x.size * (x.size + 1) // 2
    ks = data.draw(
        st.one_of(
            st.just(wilcoxon_ranks(x.size)),
            st.lists(st.integers(0, count - 1), min_size=1, max_size=5),
        )
    )
    expected = partitioned_averages(x, ks)
    assert_same_bits(walsh_order_statistics(x, ks), expected)
    assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), expected)
    assert_same_bits(walsh_order_statistics_rows(x[None, :], ks)[0], expected)
    with patched(BASE_N=4, **RECURSION):
        assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), expected)
    with patched(BASE_N=2, CANDIDATES_PER_VALUE=1, **RECURSION):
        assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), expected)
    with patched(WEIGHTED_PAIRS=0, WEIGHTED_MIN_PAIRS=0, **WEIGHTED):
        assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), expected)


@given(
    st.lists(st.integers(-3, 3), min_size=2, max_size=120).map(lambda v: np.array(v) / 2),
    st.integers(0, 10**6),
)
def test_heavy_ties_are_set_aside_at_the_pivots(x, seed):
    # tied pivots: too many candidates between them, so the sums equal to a pivot are set
    # aside (or, failing that, the level counts); still the same floats
    ks = wilcoxon_ranks(x.size)
    old = old_walsh_order_statistics(x, ks, direct_limit=0)
    for per_value in (0, 1, 3):
        with patched(BASE_N=3, CANDIDATES_PER_VALUE=per_value, **RECURSION):
            assert_same_bits(walsh_order_statistics(x, ks, direct_limit=0), old)
    rng = np.random.default_rng(seed)
    ks = sorted(set(rng.integers(0, x.size * (x.size + 1) // 2, 3).tolist()))
    with patched(BASE_N=3, CANDIDATES_PER_VALUE=1, **RECURSION):
        assert_same_bits(
            walsh_order_statistics(x, ks, direct_limit=0),
            old_walsh_order_statistics(x, ks, direct_limit=0),
        )


@given(sample_and_ranks())
def test_each_level_returns_its_row_counts(case):
    # the counts a level hands to the finer one: sums below its first value, at most
    # its last, over whole rows, raised to the row's index (all the upper triangle needs)
    x, ks = case
    y = np.sort(pow2_scale(x)[0])
    ks = sorted(set(ks))
    with patched(BASE_N=4):
        try:
            values, below, at_most = _walsh._select_level(np.append(y, np.inf), ks, True)
        except _walsh._TooTied:  # its caller counts instead
            assume(False)
            raise
    assert below is not None and at_most is not None
    i, j = np.triu_indices(y.size)
    np.testing.assert_array_equal(values, np.sort(y[i] + y[j])[ks])
    rows = np.arange(y.size)
    # rows past the arrays returned count their index
    below, at_most = _walsh._head(below, y.size), _walsh._head(at_most, y.size)
    np.testing.assert_array_equal(below, np.maximum(rows, brute_ends(y, values[0], True)))
    np.testing.assert_array_equal(at_most, np.maximum(rows, brute_ends(y, values[-1], False)))


@given(
    st.integers(1, 5),
    st.integers(1, 60),
    st.sampled_from(["normal", "likert", "zeros", "huge"]),
    st.integers(0, 2**32 - 1),
)
def test_rows_of_a_batch_equal_the_old_rows(rows, n, kind, seed):
    rng = np.random.default_rng(seed)
    x = make(kind, (rows, n), rng)
    ks = wilcoxon_ranks(n)
    expected = old_walsh_order_statistics_rows(x, ks)
    assert_same_bits(walsh_order_statistics_rows(x, ks), expected)
    for i in range(rows):
        assert_same_bits(walsh_order_statistics(x[i], ks), expected[i])
    # rows selected by rank one by one (as above DIRECT_LIMIT sums, where the old code
    # counted)
    counted = [old_walsh_order_statistics(row, ks, direct_limit=0) for row in x]
    with patched(DIRECT_LIMIT=0):
        assert_same_bits(walsh_order_statistics_rows(x, ks), counted)
    # and rows of few distinct values picked out of a batch of middle-sized rows
    with patched(DISTINCT_N=1, SELECT_N=10**9):
        assert_same_bits(walsh_order_statistics_rows(x, ks), expected)


def make(kind: str, shape: Any, rng: np.random.Generator) -> np.ndarray:
    if kind == "normal":
        return rng.normal(size=shape)
    if kind == "cauchy":
        return rng.standard_cauchy(size=shape)
    if kind == "likert":
        return (rng.integers(1, 8, shape) - rng.integers(1, 8, shape)).astype(float)
    if kind == "rounded":  # many distinct values, each tied many times
        return np.round(rng.normal(0, 20, shape), 1)
    if kind == "zeros":  # signed zeros among ties
        x = rng.integers(-2, 3, shape).astype(float)
        x[rng.random(shape) < 0.3] = -0.0
        return x
    if kind == "huge":
        return rng.normal(size=shape) * 1e307
    if kind == "tiny":
        return rng.normal(size=shape) * 1e-310
    if kind == "grid":  # 2500 values on a grid, each about 8 times at n = 20000
        return rng.integers(-1000, 1500, shape) / 4
    if kind == "spike":  # a third of the values equal, the rest continuous
        x = rng.normal(size=shape)
        x[rng.random(shape) < 0.35] = 0.25
        return x
    raise ValueError(kind)


LARGE_KINDS = ["normal", "cauchy", "likert", "rounded", "zeros", "huge", "tiny", "spike", "grid"]


@pytest.mark.parametrize("kind", LARGE_KINDS)
@pytest.mark.parametrize("n", [5000, 20000])
def test_large_n_equals_the_old_counting_search(kind, n):
    rng = np.random.default_rng(n + LARGE_KINDS.index(kind))
    x = make(kind, n, rng)
    count = n * (n + 1) // 2
    ks = [*wilcoxon_ranks(n), *wilcoxon_ranks(n, 2.5758293035489004)[2:], 0, count - 1, 1234]
    assert_same_bits(walsh_order_statistics(x, ks), old_walsh_order_statistics(x, ks))


@pytest.mark.parametrize("n", [1299, 1300, 1301, 2001])
def test_around_the_crossover(n):
    rng = np.random.default_rng(n)
    for kind in ("normal", "likert", "zeros"):
        x = make(kind, (2, n), rng)
        ks = wilcoxon_ranks(n)
        assert_same_bits(
            walsh_order_statistics_rows(x, ks), old_walsh_order_statistics_rows(x, ks)
        )


@pytest.mark.parametrize("offset", [-1, 0, 1, 100])
def test_around_the_distinct_crossover(offset):
    """From DISTINCT_N values on, rows of few distinct values take the distinct pairs."""
    n = _walsh.DISTINCT_N + offset
    rng = np.random.default_rng(n)
    for kind in ("normal", "likert", "zeros"):
        x = make(kind, (2, n), rng)
        ks = wilcoxon_ranks(n)
        expected = old_walsh_order_statistics_rows(x, ks)
        assert_same_bits(walsh_order_statistics_rows(x, ks), expected)
        for i in range(2):  # one row alone: its own test of few distinct values
            assert_same_bits(walsh_order_statistics_rows(x[i : i + 1], ks), expected[i : i + 1])
            # the same values as a sort of all the averages (the sign of a zero sum at a
            # rank is the partition's: compared by value)
            np.testing.assert_array_equal(every_average(x[i])[ks], expected[i])


@given(
    st.lists(
        st.sampled_from([1e300, -1e300, 1.0, -1e-30, 1e-30, 1e-310, -5e-324, 0.0, -0.0]),
        min_size=2,
        max_size=12,
    ),
    st.integers(1, 3),
)
def test_rows_scaled_down_keep_the_signs_of_their_zeros(values, rows):
    """Scaled down, tiny values flush to signed zeros: scaled first, sorted after, as before."""
    x = np.array([values] * rows)
    x[1:] = x[1:, ::-1]  # the same values in another order
    n = x.shape[1]
    ks = sorted({*wilcoxon_ranks(n), 0, n * (n + 1) // 2 - 1})
    assert_same_bits(walsh_order_statistics_rows(x, ks), old_walsh_order_statistics_rows(x, ks))
    for i in range(rows):
        assert_same_bits(
            walsh_order_statistics_rows(x[i : i + 1], ks),
            old_walsh_order_statistics_rows(x[i : i + 1], ks),
        )


@pytest.mark.parametrize("base", [4, 256])
def test_ranks_near_the_largest_sum_are_selected_on_the_negated_values(base):
    # mirrored selection: -fl(a + b) == fl(-a + -b) except that an exact zero is +0.0
    # both ways; zero sums sit high among mostly negative values
    x = np.concatenate([-np.arange(1.0, 1500.0), np.arange(1.0, 40.0), [0.5, -0.25]])
    every = every_average(x)
    count = every.size
    zeros = np.flatnonzero(every == 0.0)
    assert zeros[0] > count // 2  # the group is nearer the top
    ks = [int(zeros[0]), int(zeros[-1]), count - 1, count - 2, count - 700]
    with patched(BASE_N=base, **RECURSION):
        got = walsh_order_statistics(x, ks, direct_limit=0)
    assert_same_bits(got, every[ks])
    assert not np.signbit(got[:2]).any()
    assert_same_bits(got, old_walsh_order_statistics(x, ks, direct_limit=0))


def test_signed_zero_median_keeps_its_old_sign():
    # the sums of two -0.0 are -0.0; which zero sits at a rank depends on the old order
    x = np.array([-0.0] * 700 + [0.0] * 100 + [1.0] * 400 + [-1.0] * 400 + list(np.arange(2, 402)))
    ks = wilcoxon_ranks(x.size)
    assert_same_bits(walsh_order_statistics(x, ks), old_walsh_order_statistics(x, ks))
    assert_same_bits(walsh_median(x), np.float64(_old_median(x)))


def _old_median(x: np.ndarray) -> float:
    values = old_walsh_order_statistics(x, middle_ranks(x.size))
    return float(values[0] if values.size == 1 else values[0] * 0.5 + values[1] * 0.5)


def test_no_square_arrays_for_large_n():
    # at 1e5 values the sums number 5e9: selection must stay within O(n) memory
    import tracemalloc

    x = np.random.default_rng(5).normal(size=100_000)
    tracemalloc.start()
    walsh_order_statistics(x, wilcoxon_ranks(x.size))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40 * x.nbytes  # measured about 14: the O(n) candidates and indices


# --- the reference: _walsh.py as of commit 76a8248 -------------------------------------

# Above this many Walsh sums, use the counting search instead of materializing them.
DIRECT_LIMIT = 2_000_000
#: Up to this many values the sums are few: one band for all ranks (fewer calls).
SMALL_N = 24
#: Up to this many values, select each run of consecutive ranks from its own band
#: (``_band``); above it, all ranks at once from the hull of their bands (one
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

    Only the sums of a band (``_band``) are formed, block by block of rows, and
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


def old_walsh_order_statistics(
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


def old_walsh_order_statistics_rows(x: np.ndarray, ks: Sequence[int]) -> np.ndarray:
    """:func:`walsh_order_statistics` of every row of a 2-D array, with the same ``ks``.

    Rows are scaled one by one exactly as the 1-D function scales its input, and the same
    sums are formed, so row ``i`` of the result equals
    ``old_walsh_order_statistics(x[i], ks)`` bit for bit. Rows are processed in blocks of about
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
