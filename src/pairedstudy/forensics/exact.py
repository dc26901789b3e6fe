"""Exact counting and exact uniform sampling of the datasets consistent with a table.

A dataset is a contingency table of (pre, post) pairs: rows are the scores of one arm,
columns the scores of the other, and the table's margins are the two arms' multisets.
For every consistent pair of multisets (rows ``r``, columns ``c``) :class:`TableCounter`
counts the tables with these margins whose sum of pre x post products lies in the range
the table allows (the SD of the change, or r, fixes it), by dynamic programming over the
cells: the columns in increasing order and, within a column, the rows in increasing
order. A state is the rows' remaining counts ``v`` and the sum of products so far; all
the column multisets beside one row multiset are counted together, as numpy arrays of
states (the network algorithm of Mehta & Patel 1983 for exact tests on r x c tables, with
the statistic sum of ``i x j x t_ij``).

Every state is checked against the sums of products its unfilled part can still reach:
the largest pairs the remaining scores in increasing order and the smallest in opposite
orders (rearrangement inequality, Hardy, Littlewood & Polya 1952, Theorem 368). Inside a
column the rows already passed cannot enter it any more; its ``left`` places go to the
lowest rows not yet passed (largest sum) or the highest (smallest sum), which an exchange
of two subjects shows to be the extremes. With the bounds exact, nearly every state kept
leads to a consistent table.

Counting needs no listing: the number of consistent datasets is known before any is
drawn. A uniform sample then draws a pair of multisets in proportion to its count and a
table of that pair by going back through the stored states (each predecessor with
probability proportional to its count): independent draws, each exactly uniform over the
consistent datasets (as multisets of pairs), no Markov chain and no burn-in.

References
----------
Mehta, C. R. & Patel, N. R. (1983). A network algorithm for performing Fisher's exact test
in r x c contingency tables. *Journal of the American Statistical Association* 78,
427-434.

Hardy, G. H., Littlewood, J. E. & Polya, G. (1952). *Inequalities* (2nd ed.), Theorem 368.
Cambridge University Press.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from .enumeration import Table

__all__ = ["COUNT_LIMIT", "LAYER_LIMIT", "TableCounter"]

#: The largest count a state may hold (int64 arithmetic): a problem whose tables could
#: exceed it is not counted here (the caller samples by Markov chains instead).
COUNT_LIMIT = 2**62

#: The most states one step of the count may expand (each costs about 50 bytes while the
#: step runs): a wider step stops the count as the work budget does.
LAYER_LIMIT = 8_000_000

_KEY_LIMIT = 2**62


#: A forward pass kept for drawing: column multisets, batch, final states, layers, allowed
_Stored = tuple[np.ndarray, "_Batch", np.ndarray, list[tuple[np.ndarray, np.ndarray]], np.ndarray]


class _OverBudget(Exception):
    """Raised when the states expanded exceed the work budget."""


class _Batch:
    """One row multiset and the column multisets counted beside it (numpy arrays)."""

    def __init__(
        self,
        rows: tuple[int, ...],
        cols: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        n: int,
    ) -> None:
        self.r = np.asarray(rows, dtype=np.int64)
        self.cols = cols  # (nb, Kb) column counts
        self.low, self.high = low, high  # allowed sums of products, index units
        self.n = n
        ka, kb = self.r.size, cols.shape[1]
        self.ka, self.kb = ka, kb
        radix = self.r + 1
        self.strides = np.concatenate([[1], np.cumprod(radix[:-1])]).astype(np.int64)
        self.size = int(np.prod(radix))
        index = np.arange(self.size, dtype=np.int64)
        self.comp = (index[None, :] // self.strides[:, None]) % radix[:, None]  # (Ka, V)
        self.total = self.comp.sum(axis=0)
        after = np.cumsum(self.comp[::-1], axis=0)[::-1]
        #: after[i, v]: subjects left in rows >= i (after[ka] = 0)
        self.after = np.concatenate([after, np.zeros((1, self.size), dtype=np.int64)])
        self.span = n * max(ka - 1, 0) * max(kb - 1, 0) + 1
        # rows and columns without subjects hold nothing: only the others' cells are
        # filled, the last row with subjects of each column taking what is left
        rows_used = np.flatnonzero(self.r > 0).tolist()
        cols_used = np.flatnonzero(cols.sum(axis=0) > 0).tolist()
        last = rows_used[-1] if rows_used else -1
        #: the cells filled, in order: (row, column, whether the row is the column's last)
        self.cells = [(i, j, i == last) for j in cols_used for i in rows_used]
        # x = 1..Ka-1 in the bounds' sums, grouped: the rows >= x are those >= the first
        # row with subjects at or after x, so each group is one term times its size
        #: (that row, the row with subjects before it or -1, how many x share it)
        self.groups = []
        for k, q in enumerate(rows_used):
            before = rows_used[k - 1] if k else -1
            if q >= 1:
                self.groups.append((q, before, q - max(before, 0)))
        # subjects left when column j starts, per column multiset
        done = np.cumsum(cols, axis=1) - cols
        self.start = n - done  # (nb, Kb)
        # the bounds' lookup tables: for the columns after j, with suffix counts B_y
        # (y = 1..Kb-1) and N_j subjects, F[b, j, a] = sum_y min(a, B_y) and
        # G[b, j, a] = sum_y max(0, a + B_y - N_j)
        a = np.arange(n + 1, dtype=np.int64)
        nb = cols.shape[0]
        self.f = np.zeros((nb, kb, n + 1), dtype=np.int64)
        self.g = np.zeros((nb, kb, n + 1), dtype=np.int64)
        for j in range(kb):
            later = cols.copy()
            later[:, : j + 1] = 0
            suffix = np.cumsum(later[:, ::-1], axis=1)[:, ::-1][:, 1:]  # (nb, Kb-1)
            count = later.sum(axis=1)
            for y in range(kb - 1):
                by = suffix[:, y][:, None]
                self.f[:, j] += np.minimum(a[None, :], by)
                self.g[:, j] += np.maximum(a[None, :] + by - count[:, None], 0)

    def bounds(
        self, j: int, i: int, b: np.ndarray, v: np.ndarray, left: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Smallest and largest sum of products (index units) the unfilled part can add.

        After rows ``0..i`` of column ``j``: ``left`` places of column ``j`` go to rows
        ``> i``, every other remaining subject to the columns after ``j``.
        """
        low = np.zeros(b.size, dtype=np.int64)
        high = np.zeros(b.size, dtype=np.int64)
        f, g = self.f[:, j], self.g[:, j]
        a_next = self.after[i + 1, v]  # the rows after i
        for q, before, size in self.groups:
            a_x = self.after[q, v]
            if before <= i:  # x <= i + 1, or rows i + 1..x - 1 are empty: all go
                take_low = take_high = left
            else:
                take_low = np.maximum(left - (a_next - a_x), 0)
                take_high = np.minimum(left, a_x)
            high += size * (j * take_low + f[b, a_x - take_low])
            low += size * (j * take_high + g[b, a_x - take_high])
        return low, high


class TableCounter:
    """Exact counts and uniform draws of the tables pairing consistent multisets.

    Parameters
    ----------
    n : int
        Number of pairs.
    row_sets, col_sets : list of tuple of int
        The consistent multisets (count vectors) of the row arm and the column arm.
    allowed : callable
        ``allowed(row, col)``: the allowed sums of products of the row multiset
        ``row_sets[row]`` with ``col_sets[col]``, in index units (each score minus its
        arm's lowest score): a ``range`` (empty: no table), or ``None`` when any is
        allowed.
    budget : int
        The most states the count may expand; beyond it :meth:`count` returns ``None``.
    exclude : callable or None
        ``exclude(row, col, product)``: True when a table of that pair with that sum of
        products (index units) fails a figure checked on the whole dataset (t, p, r).
    """

    def __init__(
        self,
        n: int,
        row_sets: Sequence[tuple[int, ...]],
        col_sets: Sequence[tuple[int, ...]],
        allowed: Callable[[int, int], range | None],
        budget: int,
        exclude: Callable[[int, int, int], bool] | None = None,
    ) -> None:
        self.n = n
        self.row_sets = list(row_sets)
        self.col_sets = list(col_sets)
        self.budget = budget
        #: states expanded so far, the most in one layer, and those of the count
        self.work = 0
        self.widest = 0
        self.count_work = 0
        self._exclude = exclude
        ka = len(self.row_sets[0]) if self.row_sets else 1
        kb = len(self.col_sets[0]) if self.col_sets else 1
        self.ka, self.kb = ka, kb
        top = n * max(ka - 1, 0) * max(kb - 1, 0)
        #: per row multiset: the column multisets with allowed sums, and their ranges
        self._pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for row in range(len(self.row_sets)):
            cols, lows, highs = [], [], []
            for col in range(len(self.col_sets)):
                span = allowed(row, col)
                if span is None:
                    span = range(0, top + 1)
                if len(span) == 0 or span[-1] < 0 or span[0] > top:
                    continue
                cols.append(col)
                lows.append(max(span[0], 0))
                highs.append(min(span[-1], top))
            self._pairs.append(
                (
                    np.array(cols, dtype=np.int64),
                    np.array(lows, dtype=np.int64),
                    np.array(highs, dtype=np.int64),
                )
            )
        #: counts[row][k]: tables of row_sets[row] with col_sets[self._pairs[row][0][k]]
        self.counts: list[list[int]] | None = None

    def fits_int64(self) -> bool:
        """Whether every count is sure to stay below :data:`COUNT_LIMIT`.

        The tables with column counts ``c`` number at most ``prod_j C(c_j + Ka - 1,
        Ka - 1)`` (the ways to fill each column alone), and so does every partial table
        of a state.

        Returns
        -------
        bool
        """
        ka = self.ka
        worst = max(
            (
                sum(math.lgamma(c + ka) - math.lgamma(c + 1) - math.lgamma(ka) for c in col)
                for col in self.col_sets
            ),
            default=0.0,
        )
        return worst < math.log(COUNT_LIMIT) - 1.0

    def _batches(
        self, row: int, cols: np.ndarray, low: np.ndarray, high: np.ndarray
    ) -> list[tuple[np.ndarray, _Batch]]:
        """The column multisets beside one row multiset, in batches whose keys fit int64.

        Returns each batch with the positions (in ``cols``) of its column multisets.
        """
        rows = self.row_sets[row]
        size = math.prod(c + 1 for c in rows)
        span = self.n * max(self.ka - 1, 0) * max(self.kb - 1, 0) + 1
        per = max(1, _KEY_LIMIT // (size * span))
        out = []
        for start in range(0, cols.size, per):
            part = slice(start, start + per)
            table = np.array([self.col_sets[c] for c in cols[part]], dtype=np.int64)
            batch = _Batch(rows, table, low[part], high[part], self.n)
            out.append((np.arange(start, min(start + per, cols.size)), batch))
        return out

    def _spend(self, states: int) -> None:
        """Count ``states`` expanded; stop over the budget or over :data:`LAYER_LIMIT`."""
        self.work += states
        self.widest = max(self.widest, states)
        if self.work > self.budget or states > LAYER_LIMIT:
            raise _OverBudget

    def _run(
        self, batch: _Batch, store: bool
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """The forward pass over the cells, column by column.

        Returns the final states as rows ``(column multiset, sum of products, count)``
        and, with ``store``, every layer's sorted keys and counts.
        """
        nb = batch.cols.shape[0]
        size, span = batch.size, batch.span
        b = np.arange(nb, dtype=np.int64)
        v = np.full(nb, size - 1, dtype=np.int64)
        p = np.zeros(nb, dtype=np.int64)
        cnt = np.ones(nb, dtype=np.int64)
        layers: list[tuple[np.ndarray, np.ndarray]] = []
        if store:
            layers.append(((b * size + v) * span + p, cnt))
        kb = batch.kb
        for i, j, last in batch.cells:
            column = batch.cols[:, j]
            left = column[b] - (batch.start[b, j] - batch.total[v])
            have = batch.comp[i, v]
            if last:
                lo = left
                hi = np.where(left <= have, left, -1)
            else:
                hi = np.minimum(have, left)
                lo = np.maximum(left - batch.after[i + 1, v], 0)
            ways = np.maximum(hi - lo + 1, 0)
            parent = np.repeat(np.arange(b.size), ways)
            self._spend(parent.size)
            t = lo[parent] + (np.arange(parent.size) - np.repeat(np.cumsum(ways) - ways, ways))
            # t more in cell (i, j): row i has t fewer left, the sum gains t i j
            move = i * j - batch.strides[i] * span
            key = (b * size + v)[parent] * span + p[parent] + t * move
            order = np.argsort(key)
            key = key[order]
            if key.size:
                first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
                cnt = np.add.reduceat(cnt[parent][order], first)
                key = key[first]
            else:
                cnt = cnt[:0]
            node, p = np.divmod(key, span)
            if j < kb - 1 and key.size:
                # the bounds depend on the node (column multiset, rows left) alone
                starts = np.flatnonzero(np.concatenate([[True], node[1:] != node[:-1]]))
                nb_, nv = np.divmod(node[starts], size)
                nleft = column[nb_] - (batch.start[nb_, j] - batch.total[nv])
                low, high = batch.bounds(j, i, nb_, nv, nleft)
                lengths = np.diff(np.append(starts, key.size))
                low = np.repeat(low - batch.high[nb_], lengths)
                high = np.repeat(high - batch.low[nb_], lengths)
                keep = (p + low <= 0) & (p + high >= 0)
                key, cnt, node, p = key[keep], cnt[keep], node[keep], p[keep]
            b, v = np.divmod(node, size)
            if store:
                layers.append((key, cnt))
        return np.column_stack([b, p, cnt]), layers

    def _final_ok(
        self, row: int, cols: np.ndarray, batch: _Batch, final: np.ndarray
    ) -> np.ndarray:
        """Which final states have an allowed sum of products (and pass t, p, r)."""
        b, p = final[:, 0], final[:, 1]
        ok = (p >= batch.low[b]) & (p <= batch.high[b])
        if self._exclude is not None:
            for k in np.flatnonzero(ok).tolist():
                if self._exclude(row, int(cols[b[k]]), int(p[k])):
                    ok[k] = False
        return ok

    def count(self, tick: Callable[[int], None] | None = None) -> int | None:
        """The number of consistent tables, all pairs of multisets together.

        Returns ``None`` when the work budget ran out first.

        Parameters
        ----------
        tick : callable, optional
            Called with 1 after each row multiset (progress).

        Returns
        -------
        int or None
        """
        counts: list[list[int]] = []
        try:
            for row, (cols, low, high) in enumerate(self._pairs):
                found = [0] * cols.size
                for where, batch in self._batches(row, cols, low, high):
                    final, _ = self._run(batch, store=False)
                    ok = self._final_ok(row, cols[where], batch, final)
                    for b, c in zip(final[ok, 0].tolist(), final[ok, 2].tolist(), strict=True):
                        found[int(where[b])] += int(c)
                counts.append(found)
                if tick is not None:
                    tick(1)
        except _OverBudget:
            return None
        self.counts = counts
        self.count_work = self.work
        return sum(sum(c) for c in counts)

    def pair_counts(self) -> list[tuple[int, int, int]]:
        """``(row, col, count)`` of every pair of multisets with a table, after :meth:`count`.

        Returns
        -------
        list of (int, int, int)
            Row multiset, column multiset (indices into ``row_sets``, ``col_sets``) and
            how many consistent tables pair them, in increasing (row, col) order.
        """
        if self.counts is None:
            raise RuntimeError("TableCounter.count() must run first")
        return [
            (row, int(cols[k]), c)
            for row, ((cols, _, _), found) in enumerate(zip(self._pairs, self.counts, strict=True))
            for k, c in enumerate(found)
            if c
        ]

    def _stored(self, row: int, wanted: Sequence[int]) -> list[_Stored]:
        """Forward passes keeping every layer, for some column multisets of one row.

        ``wanted`` lists the column multisets (increasing); each batch comes back as
        ``(cols, batch, final, layers, ok)``, ``ok`` marking the allowed final states.
        """
        cols_all, low_all, high_all = self._pairs[row]
        where = np.searchsorted(cols_all, np.asarray(wanted, dtype=np.int64))
        cols, low, high = cols_all[where], low_all[where], high_all[where]
        out = []
        for part, batch in self._batches(row, cols, low, high):
            budget, self.budget = self.budget, 2**62  # the count already bounded the work
            try:
                final, layers = self._run(batch, store=True)
            finally:
                self.budget = budget
            ok = self._final_ok(row, cols[part], batch, final)
            out.append((cols[part], batch, final, layers, ok))
        return out

    def sample(
        self,
        size: int,
        rng: np.random.Generator,
        tick: Callable[[int], None] | None = None,
    ) -> list[np.ndarray]:
        """``size`` independent uniform draws of the consistent tables, in the order drawn.

        :meth:`count` must have run.

        Parameters
        ----------
        size : int
            How many draws.
        rng : numpy.random.Generator
            The random numbers (advanced).
        tick : callable, optional
            Called with the number of draws made after each row multiset.

        Returns
        -------
        list of numpy.ndarray
            Each draw as its (row value, column value) cell counts, in index units.
        """
        pairs = self.pair_counts()
        if not pairs or size == 0:
            return []
        cumulative = np.cumsum(np.array([float(c) for _, _, c in pairs]))
        picked = np.searchsorted(cumulative, (1.0 - rng.random(size)) * cumulative[-1])
        picked = np.minimum(picked, len(pairs) - 1).tolist()
        draws: list[np.ndarray | None] = [None] * size
        by_row: dict[int, list[int]] = {}
        for k, at in enumerate(picked):
            by_row.setdefault(pairs[at][0], []).append(k)
        for row in sorted(by_row):
            mine = by_row[row]
            wanted = sorted({pairs[picked[k]][1] for k in mine})
            for cols, batch, final, layers, ok in self._stored(row, wanted):
                local = {int(c): k for k, c in enumerate(cols.tolist())}
                here = [k for k in mine if pairs[picked[k]][1] in local]
                if not here:
                    continue
                b_f, p_f, c_f = final[:, 0], final[:, 1], final[:, 2]
                b = np.array([local[pairs[picked[k]][1]] for k in here], dtype=np.int64)
                p = np.zeros(b.size, dtype=np.int64)
                u = 1.0 - rng.random(b.size)
                for target in np.unique(b).tolist():
                    draw = np.flatnonzero(b == target)
                    choices = np.flatnonzero(ok & (b_f == target))
                    total = np.cumsum(c_f[choices].astype(float))
                    at = np.searchsorted(total, u[draw] * total[-1])
                    p[draw] = p_f[choices[np.minimum(at, choices.size - 1)]]
                cells = np.zeros((b.size, batch.ka, batch.kb), dtype=np.int64)
                v = np.zeros(b.size, dtype=np.int64)
                for layer, (i, j, last) in self._cells_backward(batch):
                    steps, allowed, weight = self._predecessors(
                        batch, layers[layer - 1], (i, j, last), b, v, p
                    )
                    total = np.cumsum(np.where(allowed, weight, 0.0), axis=1)
                    threshold = (1.0 - rng.random(b.size))[:, None] * total[:, -1:]
                    chosen = np.minimum((total < threshold).sum(axis=1), steps.size - 1)
                    cells[:, i, j] = chosen
                    v = v + chosen * batch.strides[i]
                    p = p - chosen * (i * j)
                for k, table in zip(here, cells, strict=True):
                    draws[k] = table
            if tick is not None:
                tick(len(mine))
        return [d for d in draws if d is not None]

    def tables(self) -> list[tuple[int, int, list[np.ndarray]]]:
        """Every consistent table, by pair of multisets: ``(row, col, tables)``.

        :meth:`count` must have run; the tables of a pair come in no particular order.

        Returns
        -------
        list of (int, int, list of numpy.ndarray)
            Row and column multiset (indices) and their tables' cell counts.
        """
        pairs = self.pair_counts()
        out: list[tuple[int, int, list[np.ndarray]]] = []
        rows = sorted({row for row, _, _ in pairs})
        for row in rows:
            wanted = [col for r, col, _ in pairs if r == row]
            for cols, batch, final, layers, ok in self._stored(row, wanted):
                b = final[ok, 0]
                p = final[ok, 1]
                v = np.zeros(b.size, dtype=np.int64)
                history: list[tuple[int, int, np.ndarray, np.ndarray]] = []
                for layer, (i, j, last) in self._cells_backward(batch):
                    steps, allowed, _ = self._predecessors(
                        batch, layers[layer - 1], (i, j, last), b, v, p
                    )
                    path, step = np.nonzero(allowed)
                    t = steps[step]
                    history.append((i, j, t, path))
                    b, v, p = b[path], v[path] + t * batch.strides[i], p[path] - t * (i * j)
                cells = np.zeros((b.size, batch.ka, batch.kb), dtype=np.int64)
                at = np.arange(b.size)
                for i, j, t, path in reversed(history):
                    cells[:, i, j] = t[at]
                    at = path[at]
                for k, col in enumerate(cols.tolist()):
                    out.append((row, int(col), list(cells[b == k])))
        return out

    @staticmethod
    def _cells_backward(batch: _Batch) -> list[tuple[int, tuple[int, int, bool]]]:
        """``(layer, (row, column, last))`` of every filled cell, the last filled first."""
        return [(layer + 1, cell) for layer, cell in reversed(list(enumerate(batch.cells)))]

    @staticmethod
    def _predecessors(
        batch: _Batch,
        layer: tuple[np.ndarray, np.ndarray],
        cell: tuple[int, int, bool],
        b: np.ndarray,
        v: np.ndarray,
        p: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The states of ``layer`` that lead to each ``(b, v, p)`` by filling ``cell``.

        Returns the counts ``t`` tried (``0..max r``), which of them lead from a stored
        state by a move the forward pass makes, and the stored states' counts.
        """
        keys, counts = layer
        i, j, last = cell
        size, span = batch.size, batch.span
        steps = np.arange(int(batch.r.max()) + 1, dtype=np.int64)
        t = steps[None, :]
        room = (v // batch.strides[i] % (batch.r[i] + 1))[:, None] + t <= batch.r[i]
        pv = np.where(room, v[:, None] + t * batch.strides[i], 0)
        pp = p[:, None] - t * (i * j)
        key = (b[:, None] * size + pv) * span + pp
        at = np.minimum(np.searchsorted(keys, key), keys.size - 1)
        found = room & (pp >= 0) & (keys[at] == key)
        # the move must be one the forward pass made from that state
        left = batch.cols[b, j][:, None] - (batch.start[b, j][:, None] - batch.total[pv])
        have = batch.comp[i, pv]
        if last:
            valid = (t == left) & (left <= have)
        else:
            lowest = np.maximum(left - batch.after[i + 1, pv], 0)
            valid = (t <= np.minimum(have, left)) & (t >= lowest)
        allowed = found & valid
        return steps, allowed, counts[at].astype(float)


def as_table(
    cells: np.ndarray,
    row_values: Sequence[int],
    col_values: Sequence[int],
    rows_are_pre: bool,
) -> Table:
    """A table's cell counts as its non-empty ``(pre, post, count)`` cells, sorted."""
    matrix = (cells if rows_are_pre else cells.T).tolist()
    pre, post = (row_values, col_values) if rows_are_pre else (col_values, row_values)
    return tuple(
        (pre[i], post[j], count)
        for i, line in enumerate(matrix)
        for j, count in enumerate(line)
        if count
    )
