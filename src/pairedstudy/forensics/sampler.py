"""Markov chain sampling of integer datasets consistent with a reported table.

When a table admits too many datasets to enumerate, :meth:`PairedSummary.reconstruct`
samples them: exactly, from their counts (:mod:`pairedstudy.forensics.exact`), whenever
counting them fits its budget. The Markov chains here are the fallback for the tables
whose count would cost more (``COUNT_BUDGET`` in
:mod:`pairedstudy.forensics.reconstruction`), or whose arms have too many multisets to
pair one by one. They are Metropolis-Hastings chains whose stationary distribution is
*uniform over datasets as multisets of pairs*: every consistent dataset is equally likely
in the limit, however many orderings of its subjects it has.

A dataset is a list of ``n`` (pre, post) scores. Every figure a table can print is a
function of five integer sums (item units): the sum and sum of squares of each arm and
the sum of pre x post products (the mean and SD of the change, t, p and r follow from
them), plus the printed minimum and maximum of each arm. One step picks ``m`` subjects
(2 to 6, as the scale allows; at least 3 unless the scale has more than 20 values, since
re-drawing 2 subjects cannot change an arm's multiset at a fixed sum and sum of squares)
and re-draws their scores:

1. new pre scores, uniformly among the ``m``-tuples of scale values that keep the pre
   arm's sum and sum of squares allowed given the other subjects (GRIM and GRIMMER);
2. new post scores, uniformly among the ``m``-tuples that keep the post arm's sum and sum
   of squares allowed *and* the sum of products allowed (the SD of the change, or r)
   given the new pre scores;
3. acceptance with probability ``min(1, prod(t'!) / prod(t!) * |C'| / |C|)``: ``t`` are
   the cell counts of the dataset's table of pairs (a multiset of pairs with cell counts
   ``t`` is reached by ``n! / prod(t!)`` orderings of its subjects, so this factor turns
   uniform-over-orderings into uniform-over-multisets) and ``|C'|``, ``|C|`` count the
   post tuples allowed beside the new and the old pre scores (the Hastings correction of
   step 2). A proposal failing a figure checked on the whole dataset (printed minimum and
   maximum, t, p, r to full precision) is rejected.

Step 1's candidates depend only on the subjects left untouched, so they are the same from
both ends of a move; with the correction of step 3 the chain is reversible with respect to
the uniform distribution on the consistent datasets it can reach. Many chains run at
once (as numpy arrays), each from a random consistent dataset; each discards a burn-in
and then keeps every ``thin``-th consistent dataset it visits.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .enumeration import Table

__all__ = [
    "CELL_BUDGET",
    "DENSE_LIMIT",
    "MAX_CHAINS",
    "TRIPLE_LIMIT",
    "TUPLE_LIMIT",
    "ConsistentDatasetSampler",
]

#: the most m-tuples a move may consider (values ** m)
TUPLE_LIMIT = 400
#: the most triples a three-subject move may consider (values ** 3). Moves of two
#: subjects alone cannot change an arm's multiset while keeping its sum and sum of squares
#: (two scores with a given sum and sum of squares are unique), so on a scale with more
#: than ``TUPLE_LIMIT ** (1/3)`` values a chain without three-subject moves keeps its
#: starting multisets (the walk is disconnected). Beyond this limit it does, and
#: ``ConsistentDatasetSampler.connected`` is False.
TRIPLE_LIMIT = 8000
#: the most chain x tuple entries held at once
CELL_BUDGET = 600_000
#: the largest dense (sum, sum of squares) lookup table of an arm
DENSE_LIMIT = 4_000_000
#: chains run side by side
MAX_CHAINS = 64


class _Arm:
    """The (sum, sum of squares) states of one arm the chains may visit, indexed.

    ``extend`` widens every allowed range of sums of squares by that many steps of 2 on
    each side; ``exact`` marks the states that are really allowed.
    """

    def __init__(
        self, values: Sequence[int], targets: dict[int, range], n: int, extend: int
    ) -> None:
        self.values = np.asarray(values, dtype=np.int64)
        self.offset = n * int(self.values[0])
        size = n * int(self.values[-1]) - self.offset + 1
        self.q_low = np.ones(size, dtype=np.int64)
        self.q_high = np.zeros(size, dtype=np.int64)  # low > high: nothing allowed
        self.base = np.zeros(size, dtype=np.int64)
        self.states: list[tuple[int, int]] = []
        exact: list[bool] = []
        for s in sorted(targets):
            allowed = targets[s]
            if allowed and 0 <= s - self.offset < size:
                low, high = allowed[0] - 2 * extend, allowed[-1] + 2 * extend
                self.q_low[s - self.offset], self.q_high[s - self.offset] = low, high
                self.base[s - self.offset] = len(self.states)
                for q in range(low, high + 1, 2):
                    self.states.append((s, q))
                    exact.append(q in allowed)
        self.exact = np.array(exact, dtype=bool)
        # a dense (sum, sum of squares) -> state table over every sum and sum of squares
        # n scores of the scale can have, when it is small enough: lookups need no checks
        squares = self.values**2
        self.q_offset = n * int(squares.min())
        q_size = n * int(squares.max()) - self.q_offset + 1
        self.q_size = q_size
        self.table: np.ndarray | None = None
        self.flat: np.ndarray | None = None  # the table as one row: one gather per lookup
        if size * q_size <= DENSE_LIMIT:
            self.table = np.full((size, q_size), -1, dtype=np.int64)
            for k, (s_k, q_k) in enumerate(self.states):
                if 0 <= q_k - self.q_offset < q_size:
                    self.table[s_k - self.offset, q_k - self.q_offset] = k
            self.flat = self.table.ravel()

    def beside(self, s_rest: np.ndarray, q_rest: np.ndarray, tuples: _Tuples) -> np.ndarray:
        """:meth:`state` of each chain's other subjects with each tuple (chains x tuples)."""
        if self.flat is not None:  # the flat index is linear in the sums
            rest = (s_rest - self.offset) * self.q_size + (q_rest - self.q_offset)
            return self.flat[rest[:, None] + (tuples.sums * self.q_size + tuples.squares)]
        return self.state(s_rest[:, None] + tuples.sums, q_rest[:, None] + tuples.squares)

    def state(self, s: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Index of each visitable (sum, sum of squares); -1 elsewhere."""
        if self.table is not None:  # s and q are sums over n scores of the scale
            return self.table[s - self.offset, q - self.q_offset]
        index = s - self.offset
        inside = (index >= 0) & (index < self.q_low.size)
        index = np.where(inside, index, 0)
        low, high = self.q_low[index], self.q_high[index]
        ok = inside & (q >= low) & (q <= high) & ((q - low) % 2 == 0)
        return np.where(ok, self.base[index] + (q - low) // 2, -1)


class _Tuples:
    """All m-tuples of value indices with their scores, sums and sums of squares."""

    def __init__(self, values: np.ndarray, m: int) -> None:
        grid = np.array(list(itertools.product(range(values.size), repeat=m)), dtype=np.int64)
        self.index = grid
        self.scores = values[grid]
        #: the scores at each place of the tuples, one contiguous row per place
        self.scores_by_place = np.ascontiguousarray(self.scores.T)
        self.sums = self.scores.sum(axis=1)
        self.squares = (self.scores**2).sum(axis=1)


def _pick(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A uniformly random True column of each row of ``mask`` (rows must have one)."""
    return np.where(mask, rng.random(mask.shape), -1.0).argmax(axis=1)


def _log_factorial_change(
    cells: np.ndarray,
    rows: np.ndarray,
    old: np.ndarray,
    new: np.ndarray,
    log_factorial: np.ndarray,
) -> np.ndarray:
    """``log(prod t'! / prod t!)`` per row when the cells ``old`` become ``new``.

    ``log_factorial[k]`` is ``log(k!)`` for every count a cell can hold.
    """
    m = old.shape[1]
    touched = np.concatenate([old, new], axis=1)
    before = cells.ravel()[rows[:, None] * cells.shape[1] + touched]
    same = touched[:, :, None] == touched[:, None, :]
    # each touched cell gains one for each new and loses one for each old place it fills
    after = before + (same[:, :, m:].sum(axis=2) - same[:, :, :m].sum(axis=2))
    # each touched cell may appear several times: count it once
    seen = same.sum(axis=2)
    terms = (log_factorial[after] - log_factorial[before]) / seen
    return terms.sum(axis=1)


def _move(counts: np.ndarray, rows: np.ndarray, old: np.ndarray, new: np.ndarray) -> None:
    """Take one from ``counts[row, old]`` and add one to ``counts[row, new]``, every place.

    A column may repeat within a row (``np.add.at`` semantics), counted by one bincount.
    """
    width = counts.shape[1]
    base = rows[:, None] * width
    change = np.bincount((base + new).ravel(), minlength=counts.size) - np.bincount(
        (base + old).ravel(), minlength=counts.size
    )
    counts += change.reshape(counts.shape)


class ConsistentDatasetSampler:
    """Metropolis-Hastings chains over the datasets consistent with a table.

    The chains move uniformly over a wider set of datasets (the *walk*): the arms' sums
    as allowed, but their sums of squares ``extend_q`` steps and the sum of products
    ``extend_p`` units beyond the allowed ranges, and no whole-dataset checks. Datasets
    are kept only when they meet every figure exactly; the uniform distribution on the
    walk, conditioned on the consistent datasets, is uniform on them. The margin lets
    the chains re-pair subjects freely instead of needing moves that keep the sums of
    squares and of products exactly, which are rare.

    Parameters
    ----------
    n : int
        Number of pairs.
    pre_values, post_values : sequence of int
        The possible scores of each arm (consecutive integers in item units).
    pre_targets, post_targets : dict
        Allowed sums of each arm, each mapped to its allowed sums of squares.
    products : callable
        ``products(s_pre, q_pre, s_post, q_post)``: the allowed sums of pre x post
        products (a ``range``), or ``None`` when they are unconstrained.
    fits : callable or None
        ``fits(s_pre, q_pre, s_post, q_post, products)``: the figures checked to full
        precision on a whole dataset (t, p, r); ``None`` when there are none.
    attained : (bool, bool)
        Whether each arm's lowest and highest value must occur (a printed range).
    extend_q, extend_p : int
        The walk's margins (see above).
    swaps : int
        Re-pairing moves (two subjects exchange post scores) after each re-draw.
    """

    def __init__(
        self,
        n: int,
        pre_values: Sequence[int],
        post_values: Sequence[int],
        pre_targets: dict[int, range],
        post_targets: dict[int, range],
        products: Callable[[int, int, int, int], range | None],
        fits: Callable[[int, int, int, int, int], bool] | None,
        attained: tuple[bool, bool] = (False, False),
        extend_q: int = 0,
        extend_p: int = 0,
        swaps: int = 0,
    ) -> None:
        self.n = n
        self.swaps = swaps
        self.pre = _Arm(pre_values, pre_targets, n, extend_q)
        self.post = _Arm(post_values, post_targets, n, extend_q)
        big = np.iinfo(np.int64).max // 4
        shape = (len(self.pre.states), len(self.post.states))
        self.p_low = np.full(shape, -big, dtype=np.int64)  # exact limits
        self.p_high = np.full(shape, big, dtype=np.int64)
        self.walk_low = np.full(shape, -big, dtype=np.int64)  # the walk's limits
        self.walk_high = np.full(shape, big, dtype=np.int64)
        for i, (s_a, q_a) in enumerate(self.pre.states):
            for j, (s_b, q_b) in enumerate(self.post.states):
                allowed = products(s_a, q_a, s_b, q_b)
                if allowed is None:
                    continue
                if len(allowed):
                    self.p_low[i, j], self.p_high[i, j] = allowed[0], allowed[-1]
                    self.walk_low[i, j] = allowed[0] - extend_p
                    self.walk_high[i, j] = allowed[-1] + extend_p
                else:
                    self.p_low[i, j] = self.walk_low[i, j] = 1
                    self.p_high[i, j] = self.walk_high[i, j] = 0
        self._post_states = len(self.post.states)
        self._walk_low_flat = self.walk_low.ravel()
        self._walk_high_flat = self.walk_high.ravel()
        from scipy import special  # lazily: importing pairedstudy must not import scipy

        #: log(k!) for every count a cell can hold (the values special.gammaln gives)
        self._log_factorial = special.gammaln(np.arange(n + 2) + 1)
        self._fits = fits
        self._fits_cache: dict[tuple[int, int, int], bool] = {}
        self.attained = attained
        largest = max(self.pre.values.size, self.post.values.size)
        self.sizes = [
            m
            for m in range(2, 7)
            if m <= n and (largest**m <= TUPLE_LIMIT or (m == 3 and largest**m <= TRIPLE_LIMIT))
        ] or [2]
        #: whether moves can change an arm's multiset at a fixed sum and sum of squares
        self.connected = n < 3 or 3 in self.sizes
        self._tuples = {
            m: (_Tuples(self.pre.values, m), _Tuples(self.post.values, m)) for m in self.sizes
        }

    def chains_for(self, wanted: int) -> int:
        """How many chains to run side by side for ``wanted`` draws."""
        widest = max(self.pre.values.size, self.post.values.size) ** max(self.sizes)
        return int(max(1, min(MAX_CHAINS, wanted, CELL_BUDGET // widest)))

    def _consistent(
        self,
        i_a: np.ndarray,
        i_b: np.ndarray,
        p: np.ndarray,
        pre_counts: np.ndarray,
        post_counts: np.ndarray,
    ) -> np.ndarray:
        """Which chains' datasets meet every figure exactly."""
        ok = self.pre.exact[i_a] & self.post.exact[i_b]
        ok &= (p >= self.p_low[i_a, i_b]) & (p <= self.p_high[i_a, i_b])
        if self.attained[0]:
            ok &= (pre_counts[:, 0] > 0) & (pre_counts[:, -1] > 0)
        if self.attained[1]:
            ok &= (post_counts[:, 0] > 0) & (post_counts[:, -1] > 0)
        if self._fits is not None:
            for k in np.flatnonzero(ok).tolist():
                key = (int(i_a[k]), int(i_b[k]), int(p[k]))
                if key not in self._fits_cache:
                    (s_a, q_a), (s_b, q_b) = self.pre.states[key[0]], self.post.states[key[1]]
                    self._fits_cache[key] = self._fits(s_a, q_a, s_b, q_b, key[2])
                ok[k] = self._fits_cache[key]
        return ok

    def _post_allowed(
        self,
        valid: tuple[np.ndarray, np.ndarray, np.ndarray],
        post_scores: np.ndarray,
        p_rest: np.ndarray,
        pre_state: np.ndarray,
        pre_scores: np.ndarray,
    ) -> np.ndarray:
        """Which of the ``valid`` places the walk allows beside these pre scores.

        ``valid`` holds the (chain, tuple) places where the post arm's sums stay on the
        walk, with their post states (:meth:`_Arm.beside`), and ``post_scores`` the
        scores of those places' tuples: only those places are checked.
        """
        chain, _, state = valid
        p = p_rest[chain] + (pre_scores[chain] * post_scores).sum(axis=1)
        at = pre_state[chain] * self._post_states + state
        return (p >= self._walk_low_flat[at]) & (p <= self._walk_high_flat[at])

    def _swap(
        self,
        u: np.ndarray,
        w: np.ndarray,
        cells: np.ndarray,
        p: np.ndarray,
        i_a: np.ndarray,
        i_b: np.ndarray,
        rng: np.random.Generator,
    ) -> int:
        """Swap the post scores of two random subjects in every chain (a re-pairing).

        The arms stay as they are; the sum of products changes by
        ``(u_i - u_j) (w_j - w_i)`` and must stay on the walk. The proposal is symmetric,
        so acceptance is the multiset factor alone. Returns how many chains moved.
        """
        chains, n = u.shape
        rows = np.arange(chains)
        i = np.asarray(rng.integers(n, size=chains))  # an array (the stubs say a scalar)
        j = (i + rng.integers(1, n, size=chains)) % n
        ui, uj, wi, wj = u[rows, i], u[rows, j], w[rows, i], w[rows, j]
        pv, wv = self.pre.values, self.post.values
        new_p = p + (pv[ui] - pv[uj]) * (wv[wj] - wv[wi])
        at = i_a * self._post_states + i_b
        ok = (new_p >= self._walk_low_flat[at]) & (new_p <= self._walk_high_flat[at])
        ok &= wi != wj
        width = wv.size
        # the cells (ui, wi), (uj, wj) become (ui, wj), (uj, wi): four distinct cells
        # when ui != uj (and wi != wj, else no move), so log(prod t'! / prod t!) is four
        # log-factorial differences, added in the order of _log_factorial_change; when
        # ui == uj the same two cells are refilled and the ratio is 1
        flat = cells.ravel()
        base = rows * cells.shape[1]
        lf = self._log_factorial
        a, b = flat[base + ui * width + wi], flat[base + uj * width + wj]
        c, d = flat[base + ui * width + wj], flat[base + uj * width + wi]
        log_ratio = (lf[a - 1] - lf[a]) + (lf[b - 1] - lf[b]) + (lf[c + 1] - lf[c])
        log_ratio += lf[d + 1] - lf[d]
        log_ratio[ui == uj] = 0.0
        go = np.flatnonzero(ok & (np.log(rng.random(chains)) < log_ratio))
        if go.size:
            old = np.column_stack([ui * width + wi, uj * width + wj])
            new = np.column_stack([ui * width + wj, uj * width + wi])
            _move(cells, go, old[go], new[go])
            w[go, i[go]], w[go, j[go]] = wj[go], wi[go]
            p[go] = new_p[go]
        return int(go.size)

    def run(
        self,
        starts: Sequence[Table],
        draws: int,
        burn_in: int,
        thin: int,
        rng: np.random.Generator,
        tick: Callable[[int], None] | None = None,
        max_steps: int | None = None,
    ) -> tuple[list[list[Table]], dict[str, Any]]:
        """Run one chain per start until each kept ``draws`` consistent datasets.

        After ``burn_in`` steps every ``thin``-th visit of a chain to a consistent
        dataset is kept. The visits of a chain to a subset of its states form a Markov
        chain themselves, whose stationary distribution is the original one restricted
        to the subset (the trace chain; Levin, Peres & Wilmer 2017, Markov Chains and
        Mixing Times, sec. 13.3): uniform over the consistent datasets. ``max_steps``
        bounds the steps (chains may then come back short).
        """
        pv, wv = self.pre.values, self.post.values
        pre_at = {v: i for i, v in enumerate(pv.tolist())}
        post_at = {v: i for i, v in enumerate(wv.tolist())}
        chains, n = len(starts), self.n
        u = np.array([[pre_at[a] for a, _, c in t for _ in range(c)] for t in starts])
        w = np.array([[post_at[b] for _, b, c in t for _ in range(c)] for t in starts])
        rows = np.arange(chains)
        width = wv.size
        cells = np.zeros((chains, pv.size * width), dtype=np.int64)
        np.add.at(cells, (rows[:, None], u * width + w), 1)
        s_a, q_a = pv[u].sum(axis=1), (pv[u] ** 2).sum(axis=1)
        s_b, q_b = wv[w].sum(axis=1), (wv[w] ** 2).sum(axis=1)
        i_a, i_b = self.pre.state(s_a, q_a), self.post.state(s_b, q_b)
        p = (pv[u] * wv[w]).sum(axis=1)
        pre_counts = cells.reshape(chains, pv.size, width).sum(axis=2)
        post_counts = cells.reshape(chains, pv.size, width).sum(axis=1)
        out: list[list[Table]] = [[] for _ in range(chains)]
        moved = looked = kept = 0
        visits = np.zeros(chains, dtype=np.int64)
        step = 0
        limit = max_steps if max_steps is not None else burn_in + 100_000 * draws * thin
        while step < limit and min(len(chain) for chain in out) < draws:
            step += 1
            m = self.sizes[int(rng.integers(len(self.sizes)))]
            pre_t, post_t = self._tuples[m]
            chosen = rng.random((chains, n)).argpartition(m - 1, axis=1)[:, :m]
            old_u, old_w = u[rows[:, None], chosen], w[rows[:, None], chosen]
            old_a, old_b = pv[old_u], wv[old_w]
            s_a_rest, q_a_rest = s_a - old_a.sum(axis=1), q_a - (old_a**2).sum(axis=1)
            s_b_rest, q_b_rest = s_b - old_b.sum(axis=1), q_b - (old_b**2).sum(axis=1)
            p_rest = p - (old_a * old_b).sum(axis=1)
            pre_state = self.pre.beside(s_a_rest, q_a_rest, pre_t)
            new_pre = _pick(pre_state >= 0, rng)  # the current scores are always allowed
            new_a = pre_t.scores[new_pre]
            new_i_a = pre_state[rows, new_pre]
            # the post tuples' states depend on the other subjects alone: the same both ways
            post_state = self.post.beside(s_b_rest, q_b_rest, post_t)
            chain_at, tuple_at = np.nonzero(post_state >= 0)
            valid = (chain_at, tuple_at, post_state[chain_at, tuple_at])
            post_scores = post_t.scores[tuple_at]
            ahead = self._post_allowed(valid, post_scores, p_rest, new_i_a, new_a)
            back = self._post_allowed(valid, post_scores, p_rest, i_a, old_a)
            forward = np.zeros(post_state.shape, dtype=bool)
            forward[chain_at[ahead], tuple_at[ahead]] = True
            n_forward = np.bincount(chain_at[ahead], minlength=chains)
            n_backward = np.bincount(chain_at[back], minlength=chains)
            live = n_forward > 0
            new_post = _pick(forward | ~live[:, None], rng)
            new_u, new_w = pre_t.index[new_pre], post_t.index[new_post]
            old_cells, new_cells = old_u * width + old_w, new_u * width + new_w
            log_ratio = _log_factorial_change(
                cells, rows, old_cells, new_cells, self._log_factorial
            )
            log_ratio += np.log(np.maximum(n_forward, 1)) - np.log(np.maximum(n_backward, 1))
            go = np.flatnonzero(live & (np.log(rng.random(chains)) < log_ratio))
            if go.size:
                changed = np.sort(old_cells[go], axis=1) != np.sort(new_cells[go], axis=1)
                moved += int(changed.any(axis=1).sum())
                _move(cells, go, old_cells[go], new_cells[go])
                _move(pre_counts, go, old_u[go], new_u[go])
                _move(post_counts, go, old_w[go], new_w[go])
                u[go[:, None], chosen[go]] = new_u[go]
                w[go[:, None], chosen[go]] = new_w[go]
                new_b = wv[new_w[go]]
                s_a[go] = s_a_rest[go] + new_a[go].sum(axis=1)
                q_a[go] = q_a_rest[go] + (new_a[go] ** 2).sum(axis=1)
                s_b[go] = s_b_rest[go] + new_b.sum(axis=1)
                q_b[go] = q_b_rest[go] + (new_b**2).sum(axis=1)
                i_a[go] = new_i_a[go]
                i_b[go] = post_state[go, new_post[go]]
                p[go] = p_rest[go] + (new_a[go] * new_b).sum(axis=1)
            for _ in range(self.swaps):
                moved += self._swap(u, w, cells, p, i_a, i_b, rng)
            if step > burn_in:
                ok = self._consistent(i_a, i_b, p, pre_counts, post_counts)
                looked += chains
                visits += ok
                for chain in np.flatnonzero(ok & (visits % thin == 0)).tolist():
                    if len(out[chain]) >= draws:
                        continue
                    filled = np.flatnonzero(cells[chain])
                    out[chain].append(
                        tuple(
                            (int(pv[c // width]), int(wv[c % width]), int(cells[chain, c]))
                            for c in filled.tolist()
                        )
                    )
                    if tick is not None:
                        tick(1)
                kept += int(ok.sum())
        return out, {
            "steps": step,
            "proposed": step * chains,
            "moved": moved,
            "looked": looked,
            "kept": kept,
        }
