"""The Wilcoxon signed-rank test on the changes ``post - pre``, exact with ties and zeros."""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import numpy as np

from .._numerics import scipy_special
from .._validation import check_bool, check_choice
from ..errors import DegenerateDataWarning, InputValueError, SmallSampleWarning
from ..registry import RowNote, TestRows, register_test
from ..results._lazy import Deferred, shared
from ._exact import (
    order_statistic_ranks,
    pvalue_from_tails,
    sign_flip_cost_rows,
    sign_flip_lower_cdf,
    sign_flip_lower_cdf_rows,
    signrank_cdf,
    signrank_cost,
    table_distribution,
    tails_from_lower_cdf,
    tails_from_tables,
)
from ._walsh import midpoint, walsh_order_statistics_rows

if TYPE_CHECKING:
    from ..results import TestResult
    from ..study import PairedStudy

__all__ = [
    "EXACT_BUDGET",
    "EXACT_LIMIT",
    "TABLE_LIMIT",
    "SignedRanks",
    "WilcoxonRows",
    "signed_ranks",
    "wilcoxon_rows",
    "wilcoxon_test",
    "wilcoxon_test_batch",
]

STATISTIC_NAME = "V"
ESTIMATE_NAME = "pseudomedian change (Hodges-Lehmann)"
ZERO_METHODS = ("wilcox", "pratt", "zsplit")
METHODS = ("auto", "exact", "asymptotic")

#: ``method="auto"`` computes the exact distribution when its dynamic programme needs at most
#: this many array-element updates (about 20 ms on one core of the test machine).
EXACT_BUDGET = 25_000_000
#: The untied signed-rank table (for the interval and untied p-values) is built up to this
#: cost (n of about 2400, about 1.5 s); beyond it the interval uses the normal quantile.
TABLE_LIMIT = 2_000_000_000
#: ``method="exact"`` refuses p-value computations costlier than this (about a minute).
EXACT_LIMIT = 60_000_000_000


def _doubled_midranks(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Twice the mid-ranks (1-based) of ``values``, as int64, and whether there are ties."""
    n = values.size
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    sizes = np.diff(np.append(starts, n))
    doubled = np.empty(n, dtype=np.int64)
    doubled[order] = np.repeat(2 * starts + sizes + 1, sizes)
    return doubled, bool(sizes.size < n)


@attrs.frozen(kw_only=True)
class SignedRanks:
    """The signed-rank decomposition of the changes under one zero method.

    Attributes
    ----------
    scores : numpy.ndarray of int
        Doubled mid-ranks of the non-zero ``|d|`` (ranked among the non-zero values for
        ``"wilcox"``, among all values for ``"pratt"`` and ``"zsplit"``).
    positive : numpy.ndarray of bool
        Which non-zero changes are positive.
    constant : int
        Doubled rank mass that is not random: for ``"zsplit"`` half of the zeros' ranks.
    n_zero : int
        How many changes equal ``mu``.
    ties : bool
        Whether the non-zero ``|d|`` have ties.
    """

    scores: np.ndarray = attrs.field(eq=False)
    positive: np.ndarray = attrs.field(eq=False)
    constant: int
    n_zero: int
    ties: bool

    @property
    def statistic(self) -> float:
        """``V``: the sum of the ranks of the positive changes (plus the zsplit share)."""
        return (int(self.scores[self.positive].sum()) + self.constant) / 2.0

    @property
    def mean(self) -> float:
        """Null expectation of ``V``."""
        return (int(self.scores.sum()) / 2.0 + self.constant) / 2.0

    @property
    def variance(self) -> float:
        """Null variance of ``V`` (the exact permutation variance, ties included)."""
        return float(np.sum(self.scores.astype(float) ** 2)) / 16.0


def signed_ranks(d: np.ndarray, zero_method: str) -> SignedRanks:
    """Rank ``|d|`` and split off the zeros as ``zero_method`` says.

    Parameters
    ----------
    d : numpy.ndarray
        The changes minus ``mu``.
    zero_method : {"wilcox", "pratt", "zsplit"}
        ``"wilcox"`` drops zeros before ranking (R's ``wilcox.test``, coin's
        ``zero.method = "Wilcoxon"``); ``"pratt"`` ranks them and then drops them (coin's
        default, Pratt 1959); ``"zsplit"`` ranks them and gives half of each zero's rank to
        each sign.
    """
    nonzero = d != 0
    n_zero = int(d.size - np.count_nonzero(nonzero))
    if zero_method == "wilcox":
        scores, ties = _doubled_midranks(np.abs(d[nonzero]))
        constant = 0
    else:
        all_scores, _ = _doubled_midranks(np.abs(d))
        scores = all_scores[nonzero]
        ordered = np.sort(scores)
        ties = bool((ordered[1:] == ordered[:-1]).any())
        constant = int(all_scores[~nonzero].sum()) // 2 if zero_method == "zsplit" else 0
    return SignedRanks(
        scores=scores, positive=d[nonzero] > 0, constant=constant, n_zero=n_zero, ties=ties
    )


def _normal_cdf(z: float) -> float:
    from scipy import special

    return float(special.ndtr(z))


def _interval_distribution(
    n: int, exact: bool, correction: bool
) -> tuple[Callable[[float], int], Callable[[int], float]]:
    """Quantile and cdf of the untied signed-rank statistic for ``n``: exact or normal."""
    if exact:
        return table_distribution(signrank_cdf(n))
    from scipy import special

    count = n * (n + 1) // 2
    centre = count / 2.0
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
    half = 0.5 if correction else 0.0

    def quantile(p: float) -> int:
        q = math.ceil(centre + sd * float(special.ndtri(p)) - half)
        return min(max(q, 0), count)

    def lower_cdf(k: int) -> float:
        return _normal_cdf((k + half - centre) / sd) if k >= 0 else 0.0

    return quantile, lower_cdf


@functools.lru_cache(maxsize=16)
def _untied_doubled(n: int) -> np.ndarray:
    """The doubled ranks ``2, 4, ..., 2 n`` (read-only, cached per ``n``)."""
    doubled = np.arange(2, 2 * n + 1, 2, dtype=np.int64)
    doubled.flags.writeable = False
    return doubled


def _rank_rows(
    d: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]:
    """Each row of ``d`` sorted by ``|d|``, with the doubled 1-based mid-ranks of ``|d|``.

    Returns ``(doubled, new, nonzero, positive, untied)``, the arrays in the sorted
    order of each row: the doubled mid-ranks (int64), where each tie group starts, which
    values are non-zero, which have a clear sign bit (``+0.0`` included: a weight for sums
    of scores, which are 0 at the zeros), and whether no row has ties (``new.all()``). Every
    statistic of the signed-rank test is a sum over the values, so working in sorted order
    gives, row by row, the figures of :func:`_doubled_midranks`: a value's doubled mid-rank
    is ``first + last + 2`` with ``first`` and ``last`` the 0-based sorted positions of its
    tie group (the order inside a tie group does not matter).

    One sort does it: the bits of a finite non-negative float64 order as the float does,
    so each value's bits rotated left by one (``|d|`` in the high 63 bits, the sign in the
    lowest) sort as ``|d|`` and carry the sign along; ``0.0`` and ``-0.0`` are both zero.
    """
    rows, n = d.shape
    bits = np.ascontiguousarray(d, dtype=np.float64).view(np.uint64)
    key = bits << 1
    key |= bits >> 63
    key.sort(axis=-1)
    magnitude = key >> 1  # the bits of |d|, in increasing order
    new = np.empty((rows, n), dtype=bool)
    new[:, 0] = True
    np.not_equal(magnitude[:, 1:], magnitude[:, :-1], out=new[:, 1:])
    nonzero = magnitude != 0
    positive = key & 1 == 0  # zeros included: their scores are 0 in every sum
    if new.all():  # no ties anywhere: the doubled ranks are 2, 4, ..., 2n in every row
        untied = _untied_doubled(n)
        doubled = np.broadcast_to(untied, (rows, n))
        return doubled, new, nonzero, positive, True
    # Tie groups over the flattened rows (every row starts a group, so no group crosses
    # rows): group g starts at flat position starts[g] and has sizes[g] members.
    starts = new.ravel().nonzero()[0]  # np.flatnonzero, without its dispatch
    sizes = np.empty_like(starts)  # np.diff(starts, append=rows * n), without its overhead
    np.subtract(starts[1:], starts[:-1], out=sizes[:-1])
    sizes[-1] = rows * n - starts[-1]
    first = starts % n  # each group's first position in its row
    doubled = np.repeat(2 * first + sizes + 1, sizes).reshape(rows, n)
    return doubled, new, nonzero, positive, False


_HASH_WEIGHTS = np.random.default_rng(20240601).uniform(1.0, 2.0, 4096)


def _same_rows(values: np.ndarray) -> list[np.ndarray]:
    """Group the indices of identical rows of a 2-D int array (hash, then verify)."""
    if values.shape[0] == 1:  # one row: one group
        return [np.zeros(1, dtype=np.intp)]
    n = values.shape[1]
    weights = _HASH_WEIGHTS[:n] if n <= _HASH_WEIGHTS.size else np.resize(_HASH_WEIGHTS, n)
    keys = values @ weights  # rounding may split or merge buckets: verified below
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    first = np.zeros(order.size, dtype=np.intp)  # each sorted row's bucket's first row
    first[cuts] = cuts
    np.maximum.accumulate(first, out=first)
    representative = np.empty(order.size, dtype=np.intp)
    representative[order] = order[first]
    if (values == values[representative]).all():  # no hash collision
        return np.split(order, cuts)
    groups = []
    for members in np.split(order, cuts):
        same = (values[members] == values[members[0]]).all(axis=-1)
        if same.all():
            groups.append(members)
        else:  # a hash collision: group this bucket exactly
            buckets: dict[bytes, list[int]] = {}
            for i in members.tolist():
                buckets.setdefault(values[i].tobytes(), []).append(i)
            groups.extend(np.array(b) for b in buckets.values())
    return groups


#: Rank this many values at a time (a block of rows and its temporaries stay in cache).
_RANK_BLOCK = 32_768


_U64 = np.dtype(np.uint64)
_I64 = np.dtype(np.int64)
_U64_ONE = np.uint64(1)
_U64_SIGN = np.uint64(63)


class _RowSums(NamedTuple):
    """The signed-rank sums of one study (:func:`_row_sums`), as Python numbers."""

    n_used: int
    ties: bool
    positive_sum: int
    score_sum: int
    constant: int
    null_variance: float
    factor: int
    value_ties: bool
    scores: np.ndarray  # the non-zero scores in |d| order (int64; may be read-only)


def _row_sums(d: np.ndarray, zero_method: str, need_factor: bool) -> _RowSums:
    """:func:`_block_sums` of one row ``d`` (1-D: changes minus ``mu``), as Python numbers.

    The same ranking (one sort of the rotated bits, :func:`_rank_rows`) and the same
    integer sums, read off one sorted row: the zeros are its first values, so the
    non-zero scores are a slice; sums the ranks fix are closed forms (doubled mid-ranks
    of ``m`` values sum to ``m (m + 1)``; untied, their squares to
    ``2 m (m + 1) (2 m + 1) / 3``); the positive sum is the total less the negatives'
    (sign bits as 0/1 weights). A tie in a row shows as two equal neighbours. The
    one-study test takes this path; the batch takes :func:`_block_sums`, and the tests
    check that both give every figure alike.
    """
    n = d.size
    one = _U64_ONE  # numpy scalars: no conversion of Python ints per operation
    bits = np.ascontiguousarray(d, dtype=np.float64).view(_U64)
    key = bits << one
    key |= bits >> _U64_SIGN
    key.sort()
    magnitude = key >> one  # the bits of |d|, in increasing order: the zeros first
    n_zero = int(magnitude.searchsorted(one))
    m = n - n_zero
    equal = magnitude[1:] == magnitude[:-1]
    untied = not np.count_nonzero(equal)
    if untied:
        ties = value_ties = False
        doubled = _untied_doubled(m if zero_method == "wilcox" else n)
    else:  # first + last + 2 = (group's first index) + (index past its end) + 1
        ties = bool(np.count_nonzero(equal[n_zero:]))  # equal |d| among the non-zero
        value_ties = n_zero >= 2 or bool(np.count_nonzero(key[1:] == key[:-1]))
        doubled = magnitude.searchsorted(magnitude, "left")
        doubled += magnitude.searchsorted(magnitude, "right")
        doubled += 1
        if zero_method == "wilcox":  # ranks among the non-zero values
            doubled -= 2 * n_zero
    if zero_method == "wilcox":
        scores = doubled[n_zero:] if not untied else doubled
        score_sum = m * (m + 1)
        constant = 0
    else:  # the zeros are the first tie group: doubled rank n_zero + 1 each
        scores = doubled[n_zero:]
        score_sum = n * (n + 1) - n_zero * (n_zero + 1)
        constant = n_zero * (n_zero + 1) // 2 if zero_method == "zsplit" else 0
    negative = (key[n_zero:] & one).view(_I64)  # 1 where the sign bit is set
    positive_sum = score_sum - int(np.dot(scores, negative))
    if 4 * n**3 >= 2**53:  # as _block_sums: a float sum of squares over the whole row
        squares = np.zeros(n)
        squares[n_zero:] = scores
        null_variance = float((squares**2).sum()) / 16.0
    elif untied and zero_method == "wilcox":
        null_variance = float(2 * m * (m + 1) * (2 * m + 1) // 3) / 16.0
    else:
        null_variance = float(np.dot(scores, scores)) / 16.0
    factor = 1
    if need_factor and m:
        if zero_method == "wilcox" and not ties:  # untied ranks 2, 4, ..., 2 m: gcd 2
            factor = 2
        else:
            gcd = int(np.gcd.reduce(scores))
            factor = gcd if gcd > 1 else 1
    return _RowSums(
        m, ties, positive_sum, score_sum, constant, null_variance, factor, value_ties, scores
    )


def _block_sums(
    d: np.ndarray,
    zero_method: str,
    n_used: np.ndarray,
    ties: np.ndarray,
    positive_sum: np.ndarray,
    score_sum: np.ndarray,
    constant: np.ndarray,
    null_variance: np.ndarray,
    factor: np.ndarray,
    need_factor: bool,
    value_ties: np.ndarray | None = None,
) -> np.ndarray:
    """Signed-rank sums of each row of ``d`` (changes minus ``mu``), into per-row arrays.

    Writes the given arrays and returns the scores (doubled ranks, 0 for zeros) in the
    ``|d|`` order of each row. ``value_ties``, when given, gets whether each row of ``d``
    has two equal values (``0.0`` and ``-0.0`` are equal), read off the ranking's sort.
    """
    n = d.shape[1]
    doubled, new, nonzero, positive, untied = _rank_rows(d)
    if not need_factor:
        factor[:] = 1
    n_used[:] = np.count_nonzero(nonzero, axis=-1)
    if value_ties is not None:
        if untied:  # no two |d| equal: no two d equal
            value_ties[:] = False
        else:  # equal keys: equal |d| (no new group) and an equal sign bit
            same = positive[:, 1:] == positive[:, :-1]
            same &= ~new[:, 1:]
            value_ties[:] = (n - n_used >= 2) | same.any(axis=-1)
    if zero_method == "wilcox":
        # ranks among the non-zero values: shifted down by twice the number of zeros
        scores = doubled - 2 * (n - n_used)[:, None]
        scores *= nonzero
    else:
        scores = doubled * nonzero
    if zero_method == "zsplit":
        constant[:] = np.where(nonzero, 0, doubled).sum(axis=-1) // 2
    if untied:  # no ties anywhere in the block
        ties[:] = False
    else:  # fewer tie groups of non-zero values (the zeros are one group) than values
        groups = np.count_nonzero(new, axis=-1)
        ties[:] = groups - (n_used < n) < n_used
    positive_sum[:] = np.einsum("ij,ij->i", scores, positive)
    score_sum[:] = scores.sum(axis=-1)
    if 4 * n**3 < 2**53:  # every partial sum of squares is an exact integer in float64
        squares = np.einsum("ij,ij->i", scores, scores)
        null_variance[:] = squares.astype(float) / 16.0
    else:
        null_variance[:] = (scores.astype(float) ** 2).sum(axis=-1) / 16.0
    if not need_factor:
        return scores
    if zero_method == "wilcox":  # untied scores are 2, 4, ..., 2 m: their gcd is 2
        factor[:] = np.where(n_used > 0, 2, 1)
        if not ties.any():
            return scores
    # The gcd of a row's scores is that of its tie groups' scores (one per group).
    starts = np.flatnonzero(new)
    gcd = np.gcd.reduceat(scores.ravel()[starts], np.flatnonzero(starts % n == 0))
    gcd = np.where(gcd > 1, gcd, 1)
    if zero_method == "wilcox":
        factor[ties] = gcd[ties]
    else:
        factor[:] = gcd
    return scores


#: The initial values of :func:`wilcoxon_rows`' float figures, one per row of its block:
#: null_variance, lower and upper tails (1 unless computed), z, df, estimate, ci_low,
#: ci_high, attained_level and the attained level of every interval (NaN unless computed).
_FLOAT_FILL = np.array([np.nan, 1.0, 1.0, *[np.nan] * 7])[:, None]
_FLOAT_FILL.flags.writeable = False


_EVERY_ROW = slice(None)
#: One study's row, as a mask; and the masks of one study by whether it is in them.
#: Shared, so views of a read-only base (their write protection cannot be switched off).
_MASKS = np.array([True, False])
_MASKS.flags.writeable = False
_ONE_ROW, _NOT_ONE_ROW = _MASKS[0:1], _MASKS[1:2]
_ROW_MASK = {True: _ONE_ROW, False: _NOT_ONE_ROW}


@functools.lru_cache(maxsize=16)
def _one_row_note(text: str) -> RowNote:
    """The note ``text`` of one study (its mask: that study); built once, it is immutable."""
    return RowNote(mask=_ONE_ROW, text=text)


def _row_note(mask: np.ndarray, text: str, one: bool) -> RowNote:
    """A note with the same wording for every row it concerns (``mask``)."""
    return _one_row_note(text) if one else RowNote(mask=mask, text=text)


def _some(mask: Any, one: bool) -> bool:
    """Whether any row is in ``mask`` (one study: a bool, or an array of one element)."""
    return bool(mask) if one else bool(mask.any())


@functools.lru_cache(maxsize=64)
def _interval_ranks(
    n: int, exact: bool, correction: bool, alternative: str, level: float
) -> tuple[int | None, int | None, float]:
    """The Walsh-average ranks of the interval's limits and its coverage (cached).

    :func:`~pairedstudy.inference._exact.order_statistic_ranks` over the untied
    signed-rank distribution of ``n`` (exact or normal); they do not depend on the data.
    """
    quantile, lower_cdf = _interval_distribution(n, exact, correction)
    return order_statistic_ranks(n * (n + 1) // 2, quantile, lower_cdf, alternative, level)


@attrs.frozen(kw_only=True)
class WilcoxonRows(TestRows):
    """The signed-rank test of each row, with the figures a result lists in ``details``.

    Built by :func:`wilcoxon_rows` only, with the arrays typed as below (its own fields are
    taken as given, without conversion). For one study, the arrays are read-only: ``ties``,
    ``exact`` and the note masks are shared, the others views of one array per type. The
    :class:`~pairedstudy.registry.TestRows` fields, and:

    Attributes
    ----------
    n_zero, n_used : numpy.ndarray of int
        Changes equal to ``mu``, and the non-zero ones the test ranks.
    ties : numpy.ndarray of bool
        Whether the non-zero ``|change - mu|`` have ties.
    null_mean, null_variance : numpy.ndarray of float
        Null expectation and variance of ``V``.
    z : numpy.ndarray of float
        The normal deviate of the asymptotic method (NaN for exact rows).
    exact : numpy.ndarray of bool
        Rows whose p-value is exact.
    """

    n_zero: np.ndarray = attrs.field(eq=False)
    n_used: np.ndarray = attrs.field(eq=False)
    ties: np.ndarray = attrs.field(eq=False)
    null_mean: np.ndarray = attrs.field(eq=False)
    null_variance: np.ndarray = attrs.field(eq=False)
    z: np.ndarray = attrs.field(eq=False)
    exact: np.ndarray = attrs.field(eq=False)


def wilcoxon_rows(
    changes: np.ndarray,
    *,
    alternative: str,
    mu: float,
    confidence_level: float,
    zero_method: str = "wilcox",
    method: str = "auto",
    correction: bool = True,
    interval: bool = True,
) -> WilcoxonRows:
    """The signed-rank test on each row of a 2-D array of changes (the kernel).

    ``changes`` has one study per row, all complete and of the same length ``n``. Every
    figure equals, row by row, what :func:`wilcoxon_test` reports for that study (the
    single-study test calls this kernel with one row): one exact null distribution is
    computed per distinct pattern of tied ranks, the classical table once per number of
    non-zero changes, and the Walsh averages of all rows of a block at once.

    Options are not checked here (see :func:`wilcoxon_test_batch`).

    Returns
    -------
    WilcoxonRows
        ``attained_level`` is NaN where the interval is not exact; the notes carry the
        masks of the rows they concern.
    """
    special = scipy_special()
    settings = sys.modules[__name__]  # the limits are read at call time (tests patch them)

    rows, n = changes.shape
    one = rows == 1  # one study: its figures are Python numbers until the result is built
    if mu and changes.size:
        with np.errstate(over="ignore"):
            shifted = (float(changes.max()) - mu, float(changes.min()) - mu)
        if not all(math.isfinite(value) for value in shifted):
            raise InputValueError(
                f"mu = {mu!r} puts change - mu beyond the range of a 64-bit float (the "
                f"changes run from {float(changes.min())!r} to {float(changes.max())!r}); "
                "the signed ranks need finite differences: choose mu within the data's scale"
            )
    need_factor = method != "asymptotic"  # the gcd only serves the exact distributions
    # Ties among the changes themselves (the interval's note): read off the ranking's sort
    # when it ranks the changes as they are (mu = 0), else sorted below.
    value_ties: Any = None
    if one:  # arrays of one element cost more than the arithmetic
        sums = _row_sums(changes[0] - mu if mu else changes[0], zero_method, need_factor)
        n_used1 = sums.n_used
        if interval and not mu:
            value_ties = sums.value_ties
        statistic1 = (sums.positive_sum + sums.constant) / 2.0
        null_mean1 = (sums.score_sum / 2.0 + sums.constant) / 2.0
        total1 = sums.score_sum // sums.factor
        observed1 = sums.positive_sum // sums.factor
        low1 = min(observed1, total1 - observed1)
        lower1 = upper1 = 1.0
        z1 = math.nan
    else:
        # The per-row figures are rows of a few blocks: one allocation each.
        n_used, positive_sum, score_sum, constant, factor = np.zeros((5, rows), dtype=np.int64)
        ties = np.empty(rows, dtype=bool)
        floats = np.empty((len(_FLOAT_FILL), rows))
        floats[...] = _FLOAT_FILL
        (
            null_variance,
            lower,
            upper,
            z,
            df,
            estimate,
            ci_low,
            ci_high,
            attained_level,
            attained_all,
        ) = floats
        # Rows whose scores may not be the untied ranks 1..m: their scores are kept for the
        # sign-flip distribution (all rows when the classical table may be out of reach).
        keep_all = method != "asymptotic" and signrank_cost(n) > settings.TABLE_LIMIT
        kept_scores: list[np.ndarray] = []
        if interval and not mu:
            value_ties = np.empty(rows, dtype=bool)
        step = max(1, _RANK_BLOCK // max(n, 1))  # blocks of rows stay in cache
        for begin in range(0, rows, step):
            stop = min(begin + step, rows)
            block = changes[begin:stop]
            at = slice(begin, stop)
            scores = _block_sums(
                block - mu if mu else block,
                zero_method,
                n_used[at],
                ties[at],
                positive_sum[at],
                score_sum[at],
                constant[at],
                null_variance[at],
                factor[at],
                need_factor,
                None if value_ties is None else value_ties[at],
            )
            if method != "asymptotic":
                m = n_used[at]
                keep = ties[at] | (score_sum[at] // factor[at] != m * (m + 1) // 2)
                if keep_all:
                    keep[:] = True
                if keep.any():
                    kept_scores.append(scores[keep])
        n_zero = n - n_used
        statistic = (positive_sum + constant) / 2.0
        null_mean = (score_sum / 2.0 + constant) / 2.0
        total = score_sum // factor
        observed = positive_sum // factor
        low_point = np.minimum(observed, total - observed)
    n_cost = signrank_cost(n)
    if method == "asymptotic":  # no exact distribution: its costs and tables are not needed
        exact1 = False
        if not one:
            exact = np.zeros(rows, dtype=bool)
    else:
        # Every sign-flip table of n scores costs at most n * upto <= n * n (n + 1) / 2
        # updates (doubled mid-ranks sum to at most n (n + 1); upto is at most half of
        # that), and the classical table of m <= n no more. Within the budget whatever the
        # data, the costs need not be computed: every row is exact (the same decision).
        bound = n * n * (n + 1) // 2 + n_cost
        within = bound <= (settings.EXACT_BUDGET if method == "auto" else settings.EXACT_LIMIT)
        pvalue_cost: Any  # each row's cost (for one study, only when it is needed)
        if one:  # one study: the same tests on Python scalars (nothing to share)
            m1 = n_used1
            used1 = signrank_cost(m1)
            classical1 = (
                not sums.ties and total1 == m1 * (m1 + 1) // 2 and used1 <= settings.TABLE_LIMIT
            )
            # its non-zero scores, divided by their gcd (a new array), unless classical
            reduced1 = sums.scores // sums.factor if not classical1 else sums.scores
            if within:
                cost1 = 0
            elif classical1:
                cost1 = used1
            else:  # the scores are in |d| order, hence already sorted
                cost1 = int(sign_flip_cost_rows(reduced1[None, :], np.array([low1]), True)[0])
            exact1 = (
                within
                or method == "exact"
                or cost1 + (n_cost if m1 != n or not classical1 else 0) <= settings.EXACT_BUDGET
            )
            if method == "exact" and cost1 > settings.EXACT_LIMIT:
                pvalue_cost = np.array([cost1])
        else:
            counts, where = np.unique(n_used, return_inverse=True)
            costs = [signrank_cost(m) for m in counts.tolist()]
            used_cost = np.array(costs, dtype=np.int64)[where]
            classical = (
                ~ties & (total == n_used * (n_used + 1) // 2) & (used_cost <= settings.TABLE_LIMIT)
            )
            pvalue_cost = np.where(classical, used_cost, 0)
            # tied or zeros kept: the sign-flip distribution
            special_rows = np.flatnonzero(~classical)
            if special_rows.size:
                # The kept rows are the special rows, in order (the classical table's cost
                # grows with m, so it is within the limit for every m <= n), or every row.
                reduced = np.concatenate(kept_scores)
                if keep_all:
                    reduced = reduced[special_rows]
                # Rows with the same scores have the same gcd: when the costs are not
                # needed, only each group's representative is divided (below).
                undivided = within
                divide = factor[special_rows] > 1
                if not undivided and divide.any():
                    reduced[divide] //= factor[special_rows[divide], None]
                if not within:  # each row's scores are in |d| order, hence already sorted
                    pvalue_cost[special_rows] = sign_flip_cost_rows(
                        reduced, low_point[special_rows], ordered=True
                    )
            if within:
                exact = np.ones(rows, dtype=bool)
            elif method == "auto":
                cost = pvalue_cost + np.where((n_used != n) | ~classical, n_cost, 0)
                exact = cost <= settings.EXACT_BUDGET
            else:  # method == "exact"
                exact = np.ones(rows, dtype=bool)
        if method == "exact" and (
            cost1 > settings.EXACT_LIMIT
            if one
            else not within and bool((pvalue_cost > settings.EXACT_LIMIT).any())
        ):
            worst = int(np.argmax(pvalue_cost))
            which = f" (study {worst} of the batch)" if rows > 1 else ""
            raise InputValueError(
                f"method='exact' would need about {pvalue_cost[worst]:.2g} array updates for "
                f"n = {n}{which} (the limit is {settings.EXACT_LIMIT:.0g}, about a minute); use "
                "method='asymptotic' or method='auto'"
            )

    if one:
        # the exact tails, read as scalars; or the normal approximation's
        if exact1 and n_used1 > 0:
            if classical1:  # P(S >= s) = P(S <= total - s) by symmetry
                cdf = signrank_cdf(m1)
                lower1, upper1 = float(cdf[observed1]), float(cdf[total1 - observed1])
            else:  # its own sign-flip table
                cdf = sign_flip_lower_cdf(reduced1, low1)
                lower1, upper1 = tails_from_lower_cdf(cdf, total1, observed1)
        elif n_used1 > 0:  # the same arithmetic as the batch, on floats
            sd1 = math.sqrt(sums.null_variance)
            diff1 = statistic1 - null_mean1
            if correction:
                if alternative == "two-sided":
                    diff1 = diff1 - (math.copysign(0.5, diff1) if diff1 != 0 else 0.0)
                else:
                    diff1 = diff1 - (0.5 if alternative == "greater" else -0.5)
            z1 = 0.0 if sd1 == 0.0 else diff1 / sd1
            lower1 = 1.0 if sd1 == 0.0 else float(special.ndtr(z1))
            upper1 = 1.0 if sd1 == 0.0 else float(special.ndtr(-z1))
        pvalue1 = pvalue_from_tails(lower1, upper1, alternative)
    else:
        all_zero: Any = n_used == 0  # the rows with nothing to rank (one study: a bool)
        if method != "asymptotic":  # the exact tails
            pick = exact & classical & ~all_zero
            for m in np.unique(n_used[pick]).tolist():
                at = pick & (n_used == m)
                cdf = signrank_cdf(m)  # P(S >= s) = P(S <= total - s) by symmetry
                lower[at] = cdf[observed[at]]
                upper[at] = cdf[total[at] - observed[at]]
            chosen = (exact & ~all_zero)[special_rows]
            if chosen.any():
                # Rows are in |d| order, so each row's reduced scores are already sorted:
                # rows with the same scores share one exact distribution, tabulated as far
                # as any of them needs; all tails are then read from the tables at once.
                pick = special_rows[chosen]
                patterns = reduced if chosen.all() else reduced[chosen]
                groups = _same_rows(patterns)
                distinct = []  # each group's scores (positive, divided by their gcd) and upto
                uptos = []
                for members in groups:
                    pattern = patterns[members[0]]
                    if undivided and factor[pick[members[0]]] > 1:
                        pattern = pattern // factor[pick[members[0]]]
                    distinct.append(pattern[pattern > 0])
                    uptos.append(int(low_point[pick[members]].max()))
                # every group's table in one programme (one pattern: the same, alone)
                tables, group_offsets, group_sizes = sign_flip_lower_cdf_rows(distinct, uptos)
                offsets = np.empty(pick.size, dtype=np.int64)
                sizes = np.empty(pick.size, dtype=np.int64)
                for g, members in enumerate(groups):
                    offsets[members] = group_offsets[g]
                    sizes[members] = group_sizes[g]
                lower[pick], upper[pick] = tails_from_tables(
                    tables, offsets, sizes, total[pick], observed[pick]
                )
        pick = ~exact & ~all_zero
        if pick.any():
            sd = np.sqrt(null_variance[pick])
            diff = statistic[pick] - null_mean[pick]
            if correction:
                if alternative == "two-sided":
                    diff = diff - np.where(diff != 0, np.copysign(0.5, diff), 0.0)
                else:
                    diff = diff - (0.5 if alternative == "greater" else -0.5)
            with np.errstate(divide="ignore", invalid="ignore"):
                zs = np.where(sd == 0.0, 0.0, diff / sd)
            lower[pick] = np.where(sd == 0.0, 1.0, special.ndtr(zs))
            upper[pick] = np.where(sd == 0.0, 1.0, special.ndtr(-zs))
            z[pick] = zs
        pvalue = pvalue_from_tails(lower, upper, alternative)

    # Hodges-Lehmann estimate and Walsh-average interval. Their critical ranks and coverage
    # depend on n only and are found now (the notes need them); the order statistics of
    # the Walsh averages cost more than the test and are selected on first access.
    interval_exact: Any  # per row (one study: a bool)
    if one:
        interval_exact = exact1 and n_cost <= settings.TABLE_LIMIT
    else:
        interval_exact = exact & (n_cost <= settings.TABLE_LIMIT)
    count = n * (n + 1) // 2
    middle = [count // 2] if count % 2 else [count // 2 - 1, count // 2]
    attained1 = math.nan  # one study: the coverage of its interval (NaN until found)
    # (rows of the kind, whether exact, its ranks and coverage if found now)
    selections: list[tuple[Any, bool, tuple[int | None, int | None, float] | None]] = []
    for kind in ((interval_exact,) if one else (True, False)) if interval else ():
        if one:  # its row is of this kind: a slice assigns faster than a mask
            of_kind: Any = _EVERY_ROW
        else:
            of_kind = interval_exact == kind
            if not of_kind.any():
                continue
            if of_kind.all():
                of_kind = _EVERY_ROW
        ranks = None
        # The exact table of n is costly for large n (0.05 s at n = 1000). Its interval
        # can cover less than asked only when the widest finite one does, which misses
        # 2**(1 - n) or less (two-sided; a q from the quantile over-covers by R's fuzz):
        # when that is at most half of alpha the ranks wait for the first access.
        if not kind or 2.0 ** (1 - n) > 0.5 * (1.0 - confidence_level):
            ranks = _interval_ranks(n, kind, correction, alternative, confidence_level)
            if one:
                attained1 = ranks[2]
            else:
                attained_all[of_kind] = ranks[2]
        selections.append((of_kind, kind, ranks))
    hodges_lehmann: dict[str, Any] = {}  # estimate, ci_low, ci_high, attained_level
    if interval:
        # the changes as they are now: the caller's array may change before the first access
        source = changes.copy() if changes.flags.writeable else changes

        def select() -> np.ndarray:
            # estimate, ci_low, ci_high, attained_level: the rows of one block
            if one:  # one selection, read as Python floats
                ((_, kind, ranks),) = selections
                k_low, k_high, attained = ranks or _interval_ranks(
                    n, kind, correction, alternative, confidence_level
                )
                values = walsh_order_statistics_rows(source, [*middle, k_low or 0, k_high or 0])
                row = values[0].tolist()
                return np.array(
                    [
                        row[0] if count % 2 else midpoint(row[0], row[1]),
                        -math.inf if k_low is None else row[-2],
                        math.inf if k_high is None else row[-1],
                        attained if kind else math.nan,
                    ]
                )[:, None]
            values_at = np.full((4, rows), np.nan)
            for of_kind, kind, ranks in selections:
                k_low, k_high, attained = ranks or _interval_ranks(
                    n, kind, correction, alternative, confidence_level
                )
                if kind:
                    values_at[3][of_kind] = attained
                chosen = source[of_kind] if of_kind is not _EVERY_ROW else source
                values = walsh_order_statistics_rows(chosen, [*middle, k_low or 0, k_high or 0])
                values_at[0][of_kind] = (
                    values[:, 0] if count % 2 else midpoint(values[:, 0], values[:, 1])
                )
                values_at[1][of_kind] = -math.inf if k_low is None else values[:, -2]
                values_at[2][of_kind] = math.inf if k_high is None else values[:, -1]
            return values_at

        selected = shared(select)

        def column(i: int) -> Deferred[np.ndarray]:
            return Deferred(lambda: selected()[i])

        hodges_lehmann = {name: column(i) for i, name in enumerate(TestRows.LAZY)}
    interval_ties: Any  # per row (one study: a bool)
    if interval and value_ties is not None:
        interval_ties = value_ties
    elif interval and one:
        sorted_row = np.sort(changes[0])
        interval_ties = bool(np.count_nonzero(sorted_row[1:] == sorted_row[:-1]))
    elif interval:
        sorted_changes = np.sort(changes, axis=-1)
        interval_ties = np.any(sorted_changes[:, 1:] == sorted_changes[:, :-1], axis=-1)
    else:
        # estimate, ci_low, ci_high and the coverage stay NaN
        interval_ties = False if one else np.zeros(rows, dtype=bool)
        # no interval: nothing to say about its critical values
        interval_exact = exact1 if one else exact
    # The masks of the notes (one study: whether it has the note; False for NaN levels)
    if one:
        all_zero = n_used1 == 0
        interval_normal: Any = exact1 and not interval_exact
        unattained: Any = attained1 < confidence_level
        has_zero: Any = n_used1 < n
        ties_exact: Any = sums.ties and exact1
    else:
        interval_normal = exact & ~interval_exact
        unattained = attained_all < confidence_level
        has_zero = n_zero > 0
        ties_exact = ties & exact
    level = confidence_level
    zero_text = _ZERO_TEXT[zero_method]
    # Each note is built only when some row has it (most single studies have none).
    notes = []
    if _some(all_zero, one):
        notes.append(
            RowNote(
                mask=_ONE_ROW if one else all_zero,
                text=NOTE_TEXTS["all_zero"],
                single=f"every change equals mu = {mu:g}: p-value 1 by definition",
                warning=DegenerateDataWarning,
                message=(
                    f"every change equals mu = {mu:g}; the signed-rank test has nothing to "
                    "rank and its p-value is 1"
                ),
            )
        )
    if _some(has_zero, one):
        notes.append(
            RowNote(
                mask=_ONE_ROW if one else has_zero,
                text=f"changes equal to mu {zero_text}",
                single=(
                    f"{n - n_used1} change(s) equal to mu {zero_text}"
                    if one
                    else lambda i: f"{int(n_zero[i])} change(s) equal to mu {zero_text}"
                ),
            )
        )
    if _some(ties_exact, one):
        notes.append(_row_note(ties_exact, NOTE_TEXTS["ties_exact"], one))
    if _some(interval_ties, one):
        notes.append(_row_note(interval_ties, NOTE_TEXTS["interval_ties"], one))
    if _some(interval_normal, one):
        notes.append(
            RowNote(
                mask=_ONE_ROW if one else interval_normal,
                text=NOTE_TEXTS["interval_normal"],
                single=(
                    f"interval critical values from the normal approximation (the exact table "
                    f"for n = {n} would cost more than the p-value)"
                ),
            )
        )
    if _some(unattained, one):
        attained_of = (lambda i: attained1) if one else (lambda i: float(attained_all[i]))
        lowest = attained1 if one else float(np.min(attained_all[unattained]))
        notes.append(
            RowNote(
                mask=_ONE_ROW if one else unattained,
                text=(
                    f"interval attains only {100 * lowest:.4g}% (n = {n} too small for {level:g})"
                ),
                single=lambda i: (
                    f"interval attains only {100 * attained_of(i):.4g}% (n too small "
                    f"for {level:g})"
                ),
                warning=SmallSampleWarning,
                message=lambda i: (
                    f"n = {n} is too small for a {100 * level:.10g}% signed-rank interval; the "
                    f"interval given is the widest finite one and covers "
                    f"{100 * attained_of(i):.4g}%"
                ),
            )
        )
    if one:  # its figures as arrays of one element: one read-only allocation per type
        nan = math.nan
        floats1 = np.array(
            [statistic1, pvalue1, null_mean1, sums.null_variance, z1, nan, nan, nan, nan, nan]
        )
        ints1 = np.array([n - n_used1, n_used1])
        floats1.flags.writeable = ints1.flags.writeable = False
        (statistic, pvalue, null_mean, null_variance, z, df, *unset) = floats1[:, None]
        n_zero, n_used = ints1[:, None]
        ties, exact = _ROW_MASK[sums.ties], _ROW_MASK[exact1]
        method_of: Any = "exact" if exact1 else "asymptotic"
    else:
        unset = [estimate, ci_low, ci_high, attained_level]
        method_of = np.where(exact, "exact", "asymptotic")
        # df, the tails (a one-sided p-value is one of them) and the unset columns are rows
        # of one block: read-only now, so that no view of them can be made writeable
        floats.flags.writeable = False
    if not interval:  # NaN
        hodges_lehmann = dict(zip(TestRows.LAZY, unset, strict=False))
    return WilcoxonRows(
        statistic=statistic,
        pvalue=pvalue,
        df=df,
        **hodges_lehmann,
        method=method_of,
        notes=tuple(notes),
        n_zero=n_zero,
        n_used=n_used,
        ties=ties,
        null_mean=null_mean,
        null_variance=null_variance,
        z=z,
        exact=exact,
    )


def wilcoxon_test_batch(
    changes: np.ndarray,
    *,
    alternative: str,
    mu: float,
    confidence_level: float,
    zero_method: str = "wilcox",
    method: str = "auto",
    correction: bool = True,
    interval: bool = True,
) -> WilcoxonRows:
    """The signed-rank test on each row of a 2-D array of changes, options checked.

    :func:`wilcoxon_rows` after checking the test's options (``alternative``, ``mu`` and
    ``confidence_level`` are checked by the registry); :func:`wilcoxon_test` is this
    kernel on one row.

    Parameters
    ----------
    changes : numpy.ndarray
        Shape ``(studies, n)``: complete, finite changes ``post - pre``.
    alternative, mu, confidence_level, zero_method, method, correction, interval
        As for :func:`wilcoxon_test`.

    Returns
    -------
    WilcoxonRows
    """
    return wilcoxon_rows(
        changes,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        zero_method=check_choice("zero_method", zero_method, ZERO_METHODS),
        method=check_choice("method", method, METHODS),
        correction=check_bool("correction", correction),
        interval=check_bool("interval", interval),
    )


@register_test(
    "wilcoxon",
    statistic_name=STATISTIC_NAME,
    estimate_name=ESTIMATE_NAME,
    batch=wilcoxon_test_batch,
)
def wilcoxon_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    zero_method: str = "wilcox",
    method: str = "auto",
    correction: bool = True,
    interval: bool = True,
) -> TestResult:
    """Wilcoxon signed-rank test of the location of post - pre, exact with ties and zeros.

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the location (pseudomedian) of ``post - pre`` relative to ``mu``.
    mu : float
        Location of the change under the null hypothesis.
    confidence_level : float
        Level of the interval for the pseudomedian.
    zero_method : {"wilcox", "pratt", "zsplit"}, default "wilcox"
        How changes equal to ``mu`` are treated: ``"wilcox"`` drops them before ranking
        (R's ``wilcox.test``); ``"pratt"`` ranks them, then drops them (coin's default);
        ``"zsplit"`` ranks them and splits each one's rank between the signs.
    method : {"auto", "exact", "asymptotic"}, default "auto"
        ``"exact"``: the exact conditional null distribution of ``V`` given the observed
        ranks, ties and zeros (for untied data without zeros this is R's ``psignrank``).
        ``"asymptotic"``: the normal approximation with the exact permutation variance
        (R's ``wilcox.test(exact = FALSE)``). ``"auto"`` takes the exact distribution
        whenever it is cheap (:data:`EXACT_BUDGET`), which depends only on the data;
        ``result.method`` says which ran. The exact distribution takes about 0.1 s for
        n = 1000 and 1 s for n = 2000 with ties.
    correction : bool, default True
        Continuity correction of the normal approximation (as R's ``correct``).
    interval : bool, default True
        Give the Hodges-Lehmann estimate and its interval. They are computed when first
        read (``result.estimate``, ``result.ci``, ``print``, ``to_dict``, ...), once:
        a caller who reads only the p-value does not pay for them (at large ``n`` they
        cost many times the test). ``False`` leaves both out (``estimate`` is NaN and
        ``ci`` is ``None``).

    Returns
    -------
    TestResult
        ``statistic`` is ``V`` (R's ``V``: the sum of the ranks of the positive changes),
        ``estimate`` the Hodges-Lehmann pseudomedian of the change (the median of the Walsh
        averages) and ``ci`` its interval between two Walsh averages. ``details`` holds
        ``n_zero``, ``n_used``, ``ties``, the null mean and variance of ``V`` and, for the
        asymptotic method, ``z``.

    Warns
    -----
    DegenerateDataWarning
        Every change equals ``mu``: there is nothing to rank and the p-value is 1.
    SmallSampleWarning
        ``n`` is too small for the requested level; the widest finite interval is given
        with its attained level.

    Notes
    -----
    *Exact with ties.* Under the null hypothesis each non-zero change is equally likely to
    be positive or negative, whatever its rank, so ``V`` is distributed as
    ``sum(a_i B_i)`` over the non-zero changes, with ``a_i`` their (mid-)ranks and ``B_i``
    independent fair coins. Doubled mid-ranks are integers, so the distribution is found
    exactly by a dynamic programme over the coins, the idea of the shift algorithm of
    Streitberg & Röhmel (1986) that R's ``coin::wilcoxsign_test(distribution = exact())``
    uses; results agree with coin to rounding. R's ``wilcox.test`` instead falls back to
    the normal approximation whenever there are ties or zeros.

    *Zeros.* Under every zero method the null distribution is the sign-flip distribution of
    the non-zero changes; zeros (which stay zero when their sign is flipped) add nothing
    random. For ``"zsplit"`` this gives the variance ``sum(a_i**2) / 4`` over the non-zero
    changes, so the asymptotic p-value differs from scipy's, which counts the zeros' ranks
    in the variance as if they too could change sign.

    *Interval.* The interval and the pseudomedian describe the location of all ``n``
    changes, whatever ``mu`` is, so every change is used (R's ``wilcox.test`` drops the
    changes equal to ``mu`` first, but only ever reports an exact interval when there are
    none). The limits are the ``q``-th smallest and largest Walsh averages, with
    ``q`` the lower ``alpha/2`` quantile of the signed-rank distribution for ``n`` untied
    values (exact, or its normal approximation for the asymptotic method), as R's
    ``wilcox.test(conf.int = TRUE)`` computes in its exact branch. That interval is exact
    for continuous data; when the changes have ties its coverage is approximate, and a note
    says so. R's asymptotic interval instead inverts the test numerically to a tolerance of
    1e-4; the Walsh-average interval given here is that inversion's exact counterpart.

    References
    ----------
    .. [1] Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics
       Bulletin 1(6), 80-83.
    .. [2] Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank
       procedures. Journal of the American Statistical Association 54(287), 655-667.
    .. [3] Streitberg, B. & Röhmel, J. (1986). Exact distributions for permutation and rank
       tests. Statistical Software Newsletter 12(1), 10-17.
    .. [4] Hodges, J. L. & Lehmann, E. L. (1963). Estimates of location based on rank
       tests. Annals of Mathematical Statistics 34(2), 598-611.
    """
    rows = wilcoxon_test_batch(
        study.change[None, :],
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        zero_method=zero_method,
        method=method,
        correction=correction,
        interval=interval,
    )
    used = rows.method_of(0)
    details: dict[str, object] = {
        "n_zero": rows.n_zero.item(0),
        "n_used": rows.n_used.item(0),
        "ties": rows.ties.item(0),
        "zero_method": zero_method,
        "null_mean": rows.null_mean.item(0),
        "null_variance": rows.null_variance.item(0),
    }
    if used == "asymptotic" and rows.n_used[0] > 0:
        details["z"] = rows.z.item(0)
    details["correction"] = bool(correction) and used == "asymptotic"
    title = "Wilcoxon signed-rank test"
    if used == "asymptotic" and correction:
        title += " (continuity-corrected)"
    return rows.to_result(
        0,
        test="wilcoxon",
        title=title,
        statistic_name=STATISTIC_NAME,
        estimate_name=ESTIMATE_NAME,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        n=study.n,
        study_name=study.name,
        interval=bool(interval),
        details=details,
    )


_ZERO_TEXT = {
    "wilcox": "dropped before ranking",
    "pratt": "ranked, then dropped (Pratt)",
    "zsplit": "ranked, their ranks split between the signs",
}
#: The notes of :func:`wilcoxon_rows`' masks, in the order a single result lists them.
NOTE_TEXTS = {
    "all_zero": "every change equals mu: p-value 1 by definition",
    "ties_exact": "ties among |change|: exact conditional distribution of the mid-ranks",
    "interval_ties": "the interval assumes untied changes; with ties it is approximate",
    "interval_normal": (
        "interval critical values from the normal approximation (the exact table "
        "would cost more than the p-value)"
    ),
}
