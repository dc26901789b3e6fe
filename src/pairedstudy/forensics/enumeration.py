"""Enumeration: integer multisets of one arm and pairings of two arms, under a table's figures.

A dataset is a multiset of (pre, post) pairs of integer scores (item units: a score is the
sum of ``items`` integer answers). Every figure a table prints is a function of five
integer sums: the sum and sum of squares of each arm and the sum of pre x post products.
:class:`TableConstraints` turns a :class:`~pairedstudy.PairedSummary`'s printed figures
into allowed values of those sums; :func:`integer_multisets` lists each arm's multisets
and :func:`pairing_tables` pairs two of them, both by pruned depth-first search.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from .figures import (
    MAX_SUMS,
    Reported,
    admits_root,
    mean_sums,
    realizable_in,
    sum_count,
    sumsq_range,
)

if TYPE_CHECKING:
    from ..summary import PairedSummary

__all__ = [
    "PairingSearch",
    "Table",
    "TableConstraints",
    "integer_multisets",
    "pairing_tables",
    "product_bounds",
    "sq_bounds",
]

#: A dataset as its non-empty cells ``(pre score, post score, count)``, in item units.
Table = tuple[tuple[int, int, int], ...]


def sq_bounds(r: int, total: int, lo: int, hi: int) -> tuple[int, int] | None:
    """Smallest and largest sum of squares of ``r`` integers in ``[lo, hi]`` with sum ``total``.

    Parameters
    ----------
    r : int
        How many integers.
    total : int
        Their sum.
    lo, hi : int
        The smallest and largest value allowed.

    Returns
    -------
    (int, int) or None
        The sums of squares of the most even and the most spread integers; ``None`` when
        no such integers exist.

    Examples
    --------
    >>> from pairedstudy.forensics import sq_bounds
    >>> sq_bounds(3, 6, 0, 5)
    (12, 26)
    """
    if r == 0:
        return (0, 0) if total == 0 else None
    if not r * lo <= total <= r * hi:
        return None
    a, b = divmod(total, r)  # as even as possible: b values a + 1, r - b values a
    smallest = (r - b) * a * a + b * (a + 1) * (a + 1)
    if hi == lo:
        return smallest, smallest
    x, rest = divmod(total - r * lo, hi - lo)  # as spread as possible
    if x >= r:
        largest = r * hi * hi
    else:
        largest = x * hi * hi + (r - x - 1) * lo * lo + (lo + rest) ** 2
    return smallest, largest


def integer_multisets(
    n: int,
    targets: dict[int, range],
    lo: int,
    hi: int,
    *,
    must_include: tuple[int, ...] = (),
    limit: int | None = None,
) -> tuple[list[tuple[int, ...]], bool]:
    """Every multiset of ``n`` integers in ``[lo, hi]`` with an allowed sum and sum of squares.

    ``targets`` maps each allowed sum to the range of allowed sums of squares. Returns
    the count vectors (counts of ``lo..hi``) and whether the enumeration finished
    within ``limit``. The search goes through the values in increasing order and prunes
    every branch whose remaining items cannot reach an allowed sum and sum of squares
    (exact integer bounds: most even and most spread completions).
    """
    values = list(range(lo, hi + 1))
    sums = sorted(targets)
    out: list[tuple[int, ...]] = []
    counts = [0] * len(values)
    forced = {v - lo for v in must_include}

    def feasible(i: int, r: int, s: int, q: int) -> bool:
        v_lo = values[i] if i < len(values) else hi
        for total in sums:
            rest = total - s
            bounds = sq_bounds(r, rest, v_lo, hi)
            if bounds is None:
                continue
            allowed = targets[total]
            if not allowed:
                continue
            if q + bounds[0] <= allowed[-1] and q + bounds[1] >= allowed[0]:
                return True
        return False

    def visit(i: int, r: int, s: int, q: int) -> bool:
        if i == len(values) - 1:
            c = r
            if i in forced and c == 0:
                return True
            total, sq = s + c * values[i], q + c * values[i] ** 2
            if total in targets and sq in targets[total]:
                if limit is not None and len(out) >= limit:
                    return False  # one more than the limit exists
                counts[i] = c
                out.append(tuple(counts))
                counts[i] = 0
            return True
        v = values[i]
        start = 1 if i in forced else 0
        for c in range(start, r + 1):
            s2, q2 = s + c * v, q + c * v * v
            if not feasible(i + 1, r - c, s2, q2):
                continue
            counts[i] = c
            if not visit(i + 1, r - c, s2, q2):
                counts[i] = 0
                return False
            counts[i] = 0
        return True

    finished = visit(0, n, 0, 0) if values else True
    return out, finished


def product_bounds(
    a_values: Sequence[int],
    a_counts: Sequence[int],
    b_values: Sequence[int],
    b_counts: Sequence[int],
) -> tuple[int, int]:
    """Smallest and largest sum of products over the pairings of two multisets.

    Each multiset is given by its values in increasing order and their counts (a count
    vector, never expanded into a list). By the rearrangement inequality the largest sum
    pairs both in increasing order and the smallest pairs one increasing with the other
    decreasing; both are found by merging the count vectors, in
    ``O(len(a_values) + len(b_values))`` steps.

    Parameters
    ----------
    a_values, b_values : sequence of int
        The distinct values of each multiset, increasing.
    a_counts, b_counts : sequence of int
        How often each value occurs; both multisets must have the same size.

    Returns
    -------
    (int, int)
        The smallest and the largest sum of products.

    References
    ----------
    Hardy, G. H., Littlewood, J. E. & Polya, G. (1952). *Inequalities* (2nd ed.),
    Theorem 368. Cambridge University Press.

    Examples
    --------
    >>> from pairedstudy.forensics import product_bounds
    >>> product_bounds([1, 2], [2, 1], [0, 5], [1, 2])  # {1, 1, 2} with {0, 5, 5}
    (10, 15)
    """
    return (
        _merged_products(a_values, a_counts, b_values[::-1], b_counts[::-1]),
        _merged_products(a_values, a_counts, b_values, b_counts),
    )


def _merged_products(
    a_values: Sequence[int],
    a_counts: Sequence[int],
    b_values: Sequence[int],
    b_counts: Sequence[int],
) -> int:
    """Sum of products pairing the multisets in the given orders of their values."""
    total = 0
    j, left = 0, 0
    n_b = len(b_values)
    for u, a in zip(a_values, a_counts, strict=True):
        while a:
            while not left:
                if j == n_b:
                    raise ValueError("the two multisets differ in size")
                left = b_counts[j]
                j += 1
            m = a if a < left else left
            total += m * u * b_values[j - 1]
            a -= m
            left -= m
    return total


class _OverBudget(Exception):
    """Raised inside a pairing search that exceeds its work budget."""


class PairingSearch:
    """The pairings of a pre and a post multiset with an allowed sum of products.

    A pairing is a contingency table with the two count vectors as its margins. The
    search goes through the table cell by cell (rows are pre values, columns post values,
    both increasing; each cell's count from small to large) and prunes every partial
    table whose unfilled part cannot bring the sum of products into ``products``
    (:func:`product_bounds` on the remaining count vectors). :meth:`count` counts the
    tables without listing them, remembering the count of every partial table state
    (row, column, the columns' remaining counts, the sum of products so far), so each
    state is searched once; :meth:`tables` lists them in the search order, entering only
    states that lead to at least one table.

    Parameters
    ----------
    pre_counts, post_counts : tuple of int
        The count vectors of the two multisets (counts of ``pre_values`` and
        ``post_values``); both sum to ``n``.
    pre_values, post_values : list of int
        The scores, increasing.
    products : range or None
        The allowed sums of pre x post products; ``None`` when any is allowed.
    budget : int or None
        The most partial table states :meth:`count` may search (over all its calls);
        beyond it :meth:`count` returns ``None``.

    Examples
    --------
    >>> from pairedstudy.forensics import PairingSearch
    >>> search = PairingSearch((1, 1), (1, 1), [0, 1], [0, 1], None)
    >>> search.count(), search.tables()
    (2, ([((0, 1, 1), (1, 0, 1)), ((0, 0, 1), (1, 1, 1))], True))
    """

    def __init__(
        self,
        pre_counts: tuple[int, ...],
        post_counts: tuple[int, ...],
        pre_values: list[int],
        post_values: list[int],
        products: range | None,
        *,
        budget: int | None = None,
    ) -> None:
        rows = [(u, a) for u, a in zip(pre_values, pre_counts, strict=True) if a]
        cols = [(w, b) for w, b in zip(post_values, post_counts, strict=True) if b]
        self._row_values = [u for u, _ in rows]
        self._row_counts = [a for _, a in rows]
        self._col_values = [w for w, _ in cols]
        self._start_cols = tuple(b for _, b in cols)
        # how many subjects the rows after row i hold
        self._after = [sum(self._row_counts[i + 1 :]) for i in range(len(rows))]
        self._products = products
        self._low = products.start if products else 0
        self._high = products[-1] if products else -1
        # no pairing when no sum of products is allowed or the multisets differ in size
        self._empty = (products is not None and not products) or sum(self._row_counts) != sum(
            self._start_cols
        )
        self._memo: dict[tuple[int, int, tuple[int, ...], int], int] = {}
        self.budget = budget
        #: partial table states searched so far (the work of :meth:`count`)
        self.work = 0

    def count(self) -> int | None:
        """How many tables there are; ``None`` when the budget ran out first.

        Returns
        -------
        int or None
        """
        if self._empty:
            return 0
        if not self._row_values:
            return 0  # no subjects: no table (as the search always had it)
        try:
            return self._count(0, 0, self._row_counts[0], self._start_cols, 0)
        except _OverBudget:
            return None

    def tables(self, limit: int | None = None) -> tuple[list[Table], bool]:
        """The tables in search order, at most ``limit``, and whether that is all of them.

        Parameters
        ----------
        limit : int, optional
            The most tables to list.

        Returns
        -------
        (list of Table, bool)
            Each table as its non-empty cells ``(pre value, post value, count)``; False
            when more than ``limit`` tables exist.
        """
        budget, self.budget = self.budget, None  # listing needs every count
        try:
            total = self.count()
        finally:
            self.budget = budget
        if not total:  # without a budget the count always finishes: None is impossible
            return [], True
        wanted = total if limit is None else min(total, limit)
        out: list[Table] = []
        if wanted:  # a limit of 0 lists nothing
            self._list(0, 0, self._start_cols, 0, [], out, wanted)
        return out, wanted == total

    def _state_ok(self, i: int, row_left: int, col_left: tuple[int, ...], partial: int) -> bool:
        """Whether the unfilled part can still bring the sum of products into range."""
        # the remaining pre scores: row_left of row i, then every later row, increasing
        values, counts = self._row_values, self._row_counts
        cols, n_cols = self._col_values, len(col_left)
        # largest: both increasing (rearrangement inequality), merged on the count vectors
        largest = 0
        j, left = 0, 0
        r, a = i, row_left
        while True:
            while not a:
                r += 1
                if r == len(values):
                    break
                a = counts[r]
            if r == len(values):
                break
            while not left:
                left = col_left[j]
                j += 1
            m = a if a < left else left
            largest += m * values[r] * cols[j - 1]
            a -= m
            left -= m
        if partial + largest < self._low:
            return False
        smallest = 0
        j, left = n_cols, 0
        r, a = i, row_left
        while True:
            while not a:
                r += 1
                if r == len(values):
                    break
                a = counts[r]
            if r == len(values):
                break
            while not left:
                j -= 1
                left = col_left[j]
            m = a if a < left else left
            smallest += m * values[r] * cols[j]
            a -= m
            left -= m
        return partial + smallest <= self._high

    def _count(
        self, i: int, j: int, row_left: int, col_left: tuple[int, ...], partial: int
    ) -> int:
        key = (i, j, col_left, partial)  # row_left follows from i and col_left
        known = self._memo.get(key)
        if known is not None:
            return known
        self.work += 1
        if self.budget is not None and self.work > self.budget:
            raise _OverBudget
        total = 0
        # the bounds cost more than a state: checking them at every other column is faster
        if self._products is None or j % 2 or self._state_ok(i, row_left, col_left, partial):
            u, w = self._row_values[i], self._col_values[j]
            if j == len(col_left) - 1:
                c = row_left
                if c <= col_left[j]:
                    end = partial + c * u * w
                    if i + 1 == len(self._row_values):
                        total = int(self._products is None or end in self._products)
                    else:
                        rest = (*col_left[:j], col_left[j] - c)
                        total = self._count(i + 1, 0, self._row_counts[i + 1], rest, end)
            else:
                low = max(0, row_left - sum(col_left[j + 1 :]))
                head, tail = col_left[:j], col_left[j + 1 :]
                step = u * w
                for c in range(low, min(row_left, col_left[j]) + 1):
                    total += self._count(
                        i, j + 1, row_left - c, (*head, col_left[j] - c, *tail), partial + c * step
                    )
        self._memo[key] = total
        return total

    def _list(
        self,
        i: int,
        j: int,
        col_left: tuple[int, ...],
        partial: int,
        cells: list[tuple[int, int, int]],
        out: list[Table],
        wanted: int,
    ) -> bool:
        """List the tables below a live state; False once ``wanted`` are listed."""
        u, w = self._row_values[i], self._col_values[j]
        row_left = sum(col_left) - self._after[i]
        last_row = i + 1 == len(self._row_values)
        if j == len(col_left) - 1:
            c = row_left
            if c:
                cells.append((u, w, c))
            if last_row:
                out.append(tuple(cells))
                ok = len(out) < wanted
            else:
                rest = (*col_left[:j], col_left[j] - c)
                ok = self._list(i + 1, 0, rest, partial + c * u * w, cells, out, wanted)
            if c:
                cells.pop()
            return ok
        low = max(0, row_left - sum(col_left[j + 1 :]))
        head, tail = col_left[:j], col_left[j + 1 :]
        for c in range(low, min(row_left, col_left[j]) + 1):
            rest = (*head, col_left[j] - c, *tail)
            end = partial + c * u * w
            if not self._count(i, j + 1, row_left - c, rest, end):
                continue
            if c:
                cells.append((u, w, c))
            ok = self._list(i, j + 1, rest, end, cells, out, wanted)
            if c:
                cells.pop()
            if not ok:
                return False
        return True


def pairing_tables(
    pre_counts: tuple[int, ...],
    post_counts: tuple[int, ...],
    pre_values: list[int],
    post_values: list[int],
    products: range | None,
    *,
    limit: int | None = None,
) -> tuple[list[Table], bool]:
    """Every pairing of a pre and a post multiset (contingency tables with these margins).

    When ``products`` is given, the sum of ``pre * post`` must lie in it. Each table is
    returned as its non-empty cells ``(pre value, post value, count)``: a
    multiset of pairs, so no two results describe the same dataset. The tables come in
    the order of a depth-first search (:class:`PairingSearch`), at most ``limit`` of
    them; the flag is False when more exist.
    """
    return PairingSearch(pre_counts, post_counts, pre_values, post_values, products).tables(limit)


@attrs.frozen(kw_only=True)
class TableConstraints:
    """The constraints a table's printed figures put on integer data (item units).

    Build it with :meth:`of` from a :class:`~pairedstudy.PairedSummary`; the attributes
    are the summary's figures, ``sign`` is +1 when the printed difference is
    ``post - pre`` and -1 when it is ``pre - post``.
    """

    n: int
    items: int
    rounding: str
    sign: int
    pre_mean: Reported
    pre_sd: Reported
    post_mean: Reported
    post_sd: Reported
    diff_mean: Reported | None
    diff_sd: Reported | None
    r: Reported | None
    t: Reported | None
    p: Reported | None
    pre_range: tuple[int, int] | None
    post_range: tuple[int, int] | None

    @classmethod
    def of(cls, summary: PairedSummary) -> TableConstraints:
        """The constraints of a summary's figures.

        Parameters
        ----------
        summary : PairedSummary

        Returns
        -------
        TableConstraints
        """
        return cls(
            n=summary.n,
            items=summary.items,
            rounding=summary.rounding,
            sign=1 if summary.diff_order == "post - pre" else -1,
            pre_mean=summary.pre_mean,
            pre_sd=summary.pre_sd,
            post_mean=summary.post_mean,
            post_sd=summary.post_sd,
            diff_mean=summary.diff_mean,
            diff_sd=summary.diff_sd,
            r=summary.r,
            t=summary.t,
            p=summary.p,
            pre_range=summary.pre_range,
            post_range=summary.post_range,
        )

    @property
    def whole_dataset_checks(self) -> bool:
        """Whether t, p or r are printed: figures checked on a whole dataset's sums."""
        return self.t is not None or self.p is not None or self.r is not None

    def arm_sums(self, mean: Reported) -> range:
        """Integer sums of one arm (item units) whose mean rounds to ``mean``."""
        return mean_sums(mean, self.n, self.items, self.rounding)

    def targets(self, mean: Reported, sd: Reported) -> dict[int, range]:
        """Allowed sums of one arm (item units), each with its allowed sums of squares."""
        return {
            s: sumsq_range(sd, self.n, self.items, s, self.rounding) for s in self.arm_sums(mean)
        }

    def grimmer(self, sd: Reported, sums: range) -> bool | None:
        """GRIMMER over candidate sums (exact: :func:`~pairedstudy.forensics.realizable`).

        Parameters
        ----------
        sd : Reported
            The printed SD.
        sums : range
            Candidate sums (item units).

        Returns
        -------
        bool or None
            ``None`` when there are more than :data:`~pairedstudy.forensics.MAX_SUMS`
            candidate sums (not checked).
        """
        if sum_count(sums) > MAX_SUMS:
            return None
        return any(
            realizable_in(total, sumsq_range(sd, self.n, self.items, total, self.rounding), self.n)
            for total in sums
        )

    def arm_multisets(
        self,
        mean: Reported,
        sd: Reported,
        span: tuple[int, int] | None,
        lo: int,
        hi: int,
        limit: int,
    ) -> tuple[list[tuple[int, ...]], bool]:
        """One arm's multisets (counts of each score) with this mean, SD and printed range.

        Parameters
        ----------
        mean, sd : Reported
            The arm's printed mean and SD.
        span : (int, int) or None
            The arm's printed (min, max), which must both occur; else the scale.
        lo, hi : int
            The scale (in score units).
        limit : int
            The most multisets to list.

        Returns
        -------
        (list of tuple of int, bool)
            As :func:`integer_multisets`.
        """
        k = self.items
        low, high = span if span is not None else (lo, hi)
        targets = self.targets(mean, sd)
        must = (low * k, high * k) if span is not None else ()
        return integer_multisets(
            self.n, targets, low * k, high * k, must_include=must, limit=limit
        )

    def products(self, s_a: int, q_a: int, s_b: int, q_b: int) -> range | None:
        """Allowed sums of pre x post products, or None when unconstrained.

        Parameters
        ----------
        s_a, q_a, s_b, q_b : int
            Sum and sum of squares of the pre and of the post arm (item units).

        Returns
        -------
        range or None
            Empty when the arms cannot give the printed difference.
        """
        n, k = self.n, self.items
        diff_sum = s_b - s_a
        if self.diff_mean is not None and not self.diff_mean.admits(
            Fraction(self.sign * diff_sum, n * k), self.rounding
        ):
            return range(0)
        if self.diff_sd is not None:
            d2 = sumsq_range(self.diff_sd, n, k, diff_sum, self.rounding)
            if not d2:
                return range(0)
            # sum d^2 = q_a + q_b - 2 P
            return range((q_a + q_b - d2[-1]) // 2, (q_a + q_b - d2[0]) // 2 + 1)
        if self.r is not None:
            low, high, _, _ = self.r.bounds(self.rounding)
            var_a = Fraction(q_a) - Fraction(s_a * s_a, n)
            var_b = Fraction(q_b) - Fraction(s_b * s_b, n)
            if var_a <= 0 or var_b <= 0:
                return range(0)
            scale = math.sqrt(float(var_a * var_b))
            base = s_a * s_b / n
            return range(
                math.ceil(base + float(low) * scale - 1e-9),
                math.floor(base + float(high) * scale + 1e-9) + 1,
            )
        return None

    def fits_table(self, table: Table) -> bool:
        """Checks of a printed t and r (exact, through their squares) and p on one dataset."""
        if self.t is None and self.p is None and self.r is None:
            return True
        return self.fits_sums(
            sum(c * u for u, _, c in table),
            sum(c * u * u for u, _, c in table),
            sum(c * w for _, w, c in table),
            sum(c * w * w for _, w, c in table),
            sum(c * u * w for u, w, c in table),
        )

    def fits_sums(self, s_a: int, q_a: int, s_b: int, q_b: int, cross: int) -> bool:
        """The t, r and p checks from a dataset's sums (item units).

        The sums and sums of squares of each arm and the sum of pre x post products
        determine all three.
        """
        n = self.n
        sum_d = s_b - s_a
        sum_d2 = q_a + q_b - 2 * cross
        spread = n * sum_d2 - sum_d * sum_d  # n (n - 1) var(d) items^2
        if self.t is not None:
            # the printed t follows the paper's order; compare its size: t^2 is rational
            signed_sum = self.sign * sum_d * (1 if self.t.value >= 0 else -1)
            if spread == 0 or (signed_sum < 0 and self.t.value != 0):
                return False
            t_squared = Fraction(sum_d * sum_d * (n - 1), spread)
            if not admits_root(self.t, t_squared, self.rounding, negative=self.t.value < 0):
                return False
        if self.r is not None:
            num = n * cross - s_a * s_b
            den = (n * q_a - s_a * s_a) * (n * q_b - s_b * s_b)
            if den <= 0:
                return False
            r_squared = Fraction(num * num, den)
            if not admits_root(self.r, r_squared, self.rounding, negative=num < 0):
                return False
        if self.p is not None:
            from scipy import special

            t = math.inf if spread == 0 else abs(sum_d) * math.sqrt((n - 1) / spread)
            p = 2 * float(special.stdtr(n - 1, -t)) if math.isfinite(t) else 0.0
            if not self.p.admits(Fraction(p), self.rounding):
                return False
        return True
