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
    "Table",
    "TableConstraints",
    "integer_multisets",
    "pairing_tables",
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
    multiset of pairs, so no two results describe the same dataset.
    """
    rows = [(u, a) for u, a in zip(pre_values, pre_counts, strict=True) if a]
    cols = [(w, b) for w, b in zip(post_values, post_counts, strict=True) if b]
    n_rows, n_cols = len(rows), len(cols)
    col_left = [b for _, b in cols]
    out: list[Table] = []
    cells: list[tuple[int, int, int]] = []

    def product_bounds(i: int, row_left: int) -> tuple[int, int]:
        """Smallest and largest sum of products the unfilled part can still add."""
        remaining_rows = [rows[i][0]] * row_left + [u for u, a in rows[i + 1 :] for _ in range(a)]
        remaining_cols = [w for (w, _), b in zip(cols, col_left, strict=True) for _ in range(b)]
        ascending = sorted(remaining_rows)
        cols_sorted = sorted(remaining_cols)
        largest = sum(u * w for u, w in zip(ascending, cols_sorted, strict=True))
        smallest = sum(u * w for u, w in zip(ascending, reversed(cols_sorted), strict=True))
        return smallest, largest

    def visit(i: int, j: int, row_left: int, partial: int) -> bool:
        if i == n_rows:
            if products is None or partial in products:
                if limit is not None and len(out) >= limit:
                    return False  # one more than the limit exists
                out.append(tuple(cells))
            return True
        if products is not None and j == 0:
            smallest, largest = product_bounds(i, row_left)
            if partial + largest < products.start or partial + smallest > products[-1]:
                return True
        u = rows[i][0]
        if j == n_cols - 1:
            c = row_left
            if c > col_left[j]:
                return True
            col_left[j] -= c
            if c:
                cells.append((u, cols[j][0], c))
            nxt_row = rows[i + 1][1] if i + 1 < n_rows else 0
            ok = visit(i + 1, 0, nxt_row, partial + c * u * cols[j][0])
            if c:
                cells.pop()
            col_left[j] += c
            return ok
        capacity_after = sum(col_left[j + 1 :])
        low = max(0, row_left - capacity_after)
        for c in range(low, min(row_left, col_left[j]) + 1):
            col_left[j] -= c
            if c:
                cells.append((u, cols[j][0], c))
            ok = visit(i, j + 1, row_left - c, partial + c * u * cols[j][0])
            if c:
                cells.pop()
            col_left[j] += c
            if not ok:
                return False
        return True

    finished = visit(0, 0, rows[0][1], 0) if rows else True
    return out, finished


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
