"""Reconstruction that scales: pairings counted before they are listed, bounds from counts.

The pairing search is checked against the search it replaced (kept here as the reference:
a depth-first search that expands the remaining scores into lists at every step) and
against brute force; the reconstruction's choice between listing and sampling against
the rule it always had (list when at most ``limit`` datasets exist).
"""

import itertools
import json
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
from _data import counts_of
from hypothesis import given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.forensics import PairingSearch, pairing_tables, product_bounds, reconstruction


def reference_pairing_tables(pre_counts, post_counts, pre_values, post_values, products, limit):
    """The pairing search before the count-vector rewrite (lists, sorted at every row)."""
    rows = [(u, a) for u, a in zip(pre_values, pre_counts, strict=True) if a]
    cols = [(w, b) for w, b in zip(post_values, post_counts, strict=True) if b]
    col_left = [b for _, b in cols]
    out, cells = [], []

    def bounds(i, row_left):
        rest_rows = sorted(
            [rows[i][0]] * row_left + [u for u, a in rows[i + 1 :] for _ in range(a)]
        )
        rest_cols = sorted(w for (w, _), b in zip(cols, col_left, strict=True) for _ in range(b))
        largest = sum(u * w for u, w in zip(rest_rows, rest_cols, strict=True))
        smallest = sum(u * w for u, w in zip(rest_rows, reversed(rest_cols), strict=True))
        return smallest, largest

    def visit(i, j, row_left, partial):
        if i == len(rows):
            if products is None or partial in products:
                if limit is not None and len(out) >= limit:
                    return False
                out.append(tuple(cells))
            return True
        if products is not None and j == 0:
            smallest, largest = bounds(i, row_left)
            if partial + largest < products.start or partial + smallest > products[-1]:
                return True
        u = rows[i][0]
        if j == len(cols) - 1:
            c = row_left
            if c > col_left[j]:
                return True
            col_left[j] -= c
            cells.extend([(u, cols[j][0], c)] if c else [])
            nxt = rows[i + 1][1] if i + 1 < len(rows) else 0
            ok = visit(i + 1, 0, nxt, partial + c * u * cols[j][0])
            if c:
                cells.pop()
            col_left[j] += c
            return ok
        low = max(0, row_left - sum(col_left[j + 1 :]))
        for c in range(low, min(row_left, col_left[j]) + 1):
            col_left[j] -= c
            cells.extend([(u, cols[j][0], c)] if c else [])
            ok = visit(i, j + 1, row_left - c, partial + c * u * cols[j][0])
            if c:
                cells.pop()
            col_left[j] += c
            if not ok:
                return False
        return True

    done = visit(0, 0, rows[0][1], 0) if rows else True
    return out, done


@settings(max_examples=150)
@given(st.data())
def test_the_pairing_search_lists_what_the_old_search_listed(data):
    n = data.draw(st.integers(1, 9))
    low = data.draw(st.integers(-2, 3))
    pre_values = list(range(low, low + data.draw(st.integers(1, 5))))
    low = data.draw(st.integers(-2, 3))
    post_values = list(range(low, low + data.draw(st.integers(1, 5))))
    a = counts_of(data.draw, len(pre_values), n)
    b = counts_of(data.draw, len(post_values), n)
    products = None
    if data.draw(st.booleans()):
        start = data.draw(st.integers(-40, 80))
        products = range(start, start + data.draw(st.integers(1, 8)))
    limit = data.draw(st.sampled_from([None, 1, 2, 5, 100]))
    expected = reference_pairing_tables(a, b, pre_values, post_values, products, limit)
    assert pairing_tables(a, b, pre_values, post_values, products, limit=limit) == expected
    everything, _ = reference_pairing_tables(a, b, pre_values, post_values, products, None)
    search = PairingSearch(a, b, pre_values, post_values, products)
    assert search.count() == len(everything)
    assert search.tables() == (everything, True)


def test_the_pairing_search_agrees_with_brute_force():
    # every arrangement of {1, 1, 2, 3} against {0, 2, 2, 5}, as multisets of pairs
    pre, post = [1, 1, 2, 3], [0, 2, 2, 5]
    by_products: dict[int, set] = {}
    for order in itertools.permutations(post):
        cells = Counter(zip(pre, order, strict=True))
        total = sum(u * w for u, w in zip(pre, order, strict=True))
        by_products.setdefault(total, set()).add(
            tuple(sorted((u, w, c) for (u, w), c in cells.items()))
        )
    pre_values, post_values = [1, 2, 3], [0, 1, 2, 3, 4, 5]
    a, b = (2, 1, 1), (1, 0, 2, 0, 0, 1)
    for total, expected in by_products.items():
        search = PairingSearch(a, b, pre_values, post_values, range(total, total + 1))
        found, done = search.tables()
        assert done and search.count() == len(expected)
        assert {tuple(sorted(t)) for t in found} == expected
    everything = set().union(*by_products.values())
    assert PairingSearch(a, b, pre_values, post_values, None).count() == len(everything)
    assert PairingSearch(a, b, pre_values, post_values, range(0)).count() == 0


@settings(max_examples=100)
@given(
    st.lists(st.integers(-3, 6), min_size=1, max_size=7),
    st.integers(-3, 3),
    st.data(),
)
def test_product_bounds_from_counts_are_the_extreme_pairings(a_scores, shift, data):
    b_scores = data.draw(
        st.lists(st.integers(-3, 6), min_size=len(a_scores), max_size=len(a_scores))
    )
    b_scores = [x + shift for x in b_scores]
    a_values, b_values = sorted(set(a_scores)), sorted(set(b_scores))
    a_counts = [a_scores.count(v) for v in a_values]
    b_counts = [b_scores.count(v) for v in b_values]
    sums = {
        sum(u * w for u, w in zip(a_scores, order, strict=True))
        for order in itertools.permutations(b_scores)
    }
    assert product_bounds(a_values, a_counts, b_values, b_counts) == (min(sums), max(sums))


def test_more_datasets_than_the_limit_are_sampled_without_being_listed():
    table = ps.datasets.oxytocin_table3()  # 248 datasets
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.ConvergenceWarning)
        rec = table.reconstruct(scale=(6, 10), limit=247, sample=20, seed=4, burn_in=2, thin=1)
    assert not rec.complete and len(rec) == 20
    assert "more than 247 datasets" in rec.method and rec.diagnostics["seed"] == 4
    assert table.reconstruct(scale=(6, 10), limit=248).complete


def test_a_count_over_the_work_budget_is_sampled_and_says_so(monkeypatch):
    table = ps.datasets.oxytocin_table3()
    complete = table.reconstruct(scale=(6, 10))
    monkeypatch.setattr(reconstruction, "COUNT_BUDGET", 50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.ConvergenceWarning)
        rec = table.reconstruct(scale=(6, 10), sample=20, seed=4, burn_in=2, thin=1)
    assert not rec.complete and len(rec) == 20
    assert "COUNT_BUDGET = 50" in rec.method and "sample" in rec.method
    assert set(rec.tables) <= set(complete.tables)


def test_a_pairing_search_over_its_budget_returns_none():
    search = PairingSearch((3, 3, 3), (3, 3, 3), [1, 2, 3], [1, 2, 3], range(30, 40), budget=5)
    assert search.count() is None
    assert (
        search.tables()
        == PairingSearch((3, 3, 3), (3, 3, 3), [1, 2, 3], [1, 2, 3], range(30, 40)).tables()
    )


def test_the_sampler_lookups_match_their_definitions():
    from scipy import special

    from pairedstudy.forensics import TableConstraints
    from pairedstudy.forensics.sampler import ConsistentDatasetSampler

    table = ps.datasets.oxytocin_table3()
    constraints = TableConstraints.of(table)
    values = list(range(6, 11))
    sampler = ConsistentDatasetSampler(
        table.n,
        values,
        values,
        constraints.targets(table.pre_mean, table.pre_sd),
        constraints.targets(table.post_mean, table.post_sd),
        constraints.products,
        None,
    )
    # log-factorials from a table are the values gammaln gives (the chains' decisions stay)
    counts = np.arange(table.n + 2)
    assert np.array_equal(sampler._log_factorial[counts], special.gammaln(counts + 1))
    rng = np.random.default_rng(0)
    for m in sampler.sizes:
        tuples, _ = sampler._tuples[m]
        s_rest = rng.integers(6 * (table.n - m), 10 * (table.n - m) + 1, 50)
        q_rest = rng.integers(36 * (table.n - m), 100 * (table.n - m) + 1, 50)
        expected = sampler.pre.state(
            s_rest[:, None] + tuples.sums, q_rest[:, None] + tuples.squares
        )
        assert np.array_equal(sampler.pre.beside(s_rest, q_rest, tuples), expected)


def test_a_sample_draws_what_the_sampler_drew_before(monkeypatch):
    # The faster sampler makes the same moves from the same random numbers: at a given
    # seed it draws what the sampler before the rewrite drew. The fixture was made by the
    # earlier code (commit 76a8248), which sampled by Markov chains whenever more than
    # ``limit`` datasets existed:
    #   rec = ps.datasets.oxytocin_table3().reconstruct(scale=(6, 10), **options)
    #   [list(map(list, t)) for t in rec.tables]
    # The chains now sample only when the exact count is over its budget: a budget of 0
    # sends the table to them, with the same random numbers.
    monkeypatch.setattr(reconstruction, "COUNT_BUDGET", 0)
    fixture = Path(__file__).parent / "reference" / "reconstruct_samples_before_rewrite.json"
    cases = json.loads(fixture.read_text())["cases"]
    for case in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ps.ConvergenceWarning)
            rec = ps.datasets.oxytocin_table3().reconstruct(scale=(6, 10), **case["options"])
        assert not rec.complete
        kind, why = case["method"].split(" (more than 100 datasets)")
        assert rec.method.startswith(kind + " (counting them would expand more than")
        assert rec.method.endswith(why)
        assert [list(map(list, t)) for t in rec.tables] == case["tables"]
