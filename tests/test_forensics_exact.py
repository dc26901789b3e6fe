"""Exact counting and sampling of consistent datasets (pairedstudy.forensics.exact).

The counts are checked against the pairing search (itself checked against brute force in
test_reconstruct_scaling.py), the listing against the order the reconstruction always
gave, and the draws against the tables they must come from.
"""

import warnings
from collections import Counter

import numpy as np
import pytest
from _data import TABLE3_FIGURES, counts_of
from hypothesis import given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.forensics import PairingSearch, TableConstraints, exact, reconstruction
from pairedstudy.forensics.exact import TableCounter, as_table


@settings(max_examples=150)
@given(st.data())
def test_counts_and_tables_are_those_of_the_pairing_search(data):
    n = data.draw(st.integers(1, 9))
    rows = [counts_of(data.draw, data.draw(st.integers(1, 4)), n)]
    size = data.draw(st.integers(1, 5))
    cols = [counts_of(data.draw, size, n) for _ in range(data.draw(st.integers(1, 3)))]
    low = data.draw(st.integers(-3, 3))
    row_values = list(range(low, low + len(rows[0])))
    low = data.draw(st.integers(-3, 3))
    col_values = list(range(low, low + size))
    spans = {}
    for k in range(len(cols)):
        if data.draw(st.booleans()):
            start = data.draw(st.integers(-20, 60))
            spans[k] = range(start, start + data.draw(st.integers(0, 8)))
        else:
            spans[k] = None
    u0, w0 = row_values[0], col_values[0]

    def shift(col):
        s_a = sum(c * v for c, v in zip(rows[0], row_values, strict=True))
        s_b = sum(c * v for c, v in zip(cols[col], col_values, strict=True))
        return n * u0 * w0 + u0 * (s_b - n * w0) + w0 * (s_a - n * u0)

    def allowed(row, col):
        span = spans[col]
        return None if span is None else range(span.start - shift(col), span.stop - shift(col))

    for rows_are_pre in (True, False):
        if rows_are_pre:
            counter = TableCounter(n, rows, cols, allowed, 10**9)
        else:  # the same tables, transposed
            counter = TableCounter(n, cols, rows, lambda r, c: allowed(c, r), 10**9)
        total = counter.count()
        found = {}
        for row, col, tables in counter.tables():
            k = col if rows_are_pre else row
            found[k] = {
                as_table(t, row_values, col_values, True)
                if rows_are_pre
                else as_table(t, col_values, row_values, False)
                for t in tables
            }
            assert len(found[k]) == len(tables)  # no table twice
        expected_total = 0
        for k, col in enumerate(cols):
            search = PairingSearch(rows[0], col, row_values, col_values, spans[k])
            listed, done = search.tables()
            assert done
            expected_total += len(listed)
            assert found.get(k, set()) == set(listed)
        assert total == expected_total


def _old_listing(table, scale):
    """The reconstruction's listing before the exact count: pairs in order, each pair's
    tables in the pairing search's order, filtered by t, p and r."""
    constraints = TableConstraints.of(table)
    lo, hi = scale
    pre_sets, _ = constraints.arm_multisets(
        constraints.pre_mean, constraints.pre_sd, constraints.pre_range, lo, hi, 10**6
    )
    post_sets, _ = constraints.arm_multisets(
        constraints.post_mean, constraints.post_sd, constraints.post_range, lo, hi, 10**6
    )
    k = constraints.items
    pre_values = list(
        range((table.pre_range or scale)[0] * k, (table.pre_range or scale)[1] * k + 1)
    )
    post_values = list(
        range((table.post_range or scale)[0] * k, (table.post_range or scale)[1] * k + 1)
    )
    out = []
    for a in pre_sets:
        s_a = sum(c * v for c, v in zip(a, pre_values, strict=True))
        q_a = sum(c * v * v for c, v in zip(a, pre_values, strict=True))
        for b in post_sets:
            s_b = sum(c * v for c, v in zip(b, post_values, strict=True))
            q_b = sum(c * v * v for c, v in zip(b, post_values, strict=True))
            products = constraints.products(s_a, q_a, s_b, q_b)
            tables, _ = PairingSearch(a, b, pre_values, post_values, products).tables()
            out.extend(t for t in tables if constraints.fits_table(t))
    return out


@settings(max_examples=25)
@given(
    st.integers(3, 9),
    st.integers(3, 5),
    st.integers(0, 10**6),
    st.sampled_from(["", "t", "r", "ranges"]),
)
def test_the_listing_is_the_order_the_reconstruction_always_gave(n, top, seed, extra):
    rng = np.random.default_rng(seed)
    pre = rng.integers(1, top + 1, n)
    post = np.clip(pre + rng.integers(-1, 2, n), 1, top)
    study = ps.PairedStudy(pre, post)
    d = study.describe()
    figures = {
        "n": n,
        "pre_mean": f"{d.pre.mean:.1f}",
        "pre_sd": f"{d.pre.sd:.1f}",
        "post_mean": f"{d.post.mean:.1f}",
        "post_sd": f"{d.post.sd:.1f}",
        "diff_mean": f"{d.change.mean:.1f}",
        "diff_sd": f"{d.change.sd:.1f}",
    }
    if extra == "t" and d.change.sd > 0:
        figures["t"] = f"{study.test('t').statistic:.2f}"
    if extra == "r" and d.pre.sd > 0 and d.post.sd > 0:
        figures["r"] = f"{d.correlation:.2f}"
    if extra == "ranges":
        figures["pre_range"] = (int(pre.min()), int(pre.max()))
        figures["post_range"] = (int(post.min()), int(post.max()))
    table = ps.PairedSummary(**figures)
    rec = table.reconstruct(scale=(1, top))
    assert rec.complete
    assert list(rec.tables) == _old_listing(table, (1, top))
    raw = tuple(sorted(Counter(zip(pre.tolist(), post.tolist(), strict=True)).items()))
    assert tuple((u, w, c) for (u, w), c in raw) in rec.tables


def test_an_exact_sample_meets_every_figure_and_says_how_many_exist():
    # no SD of the change: any sum of products, each dataset checked against t exactly
    figures = {k: v for k, v in TABLE3_FIGURES.items() if k != "diff_sd"}
    table = ps.PairedSummary(**figures, t="-7.71")
    everything = table.reconstruct(scale=(6, 10))
    assert everything.complete and len(everything) == 248
    assert list(everything.tables) == _old_listing(table, (6, 10))
    rec = table.reconstruct(scale=(6, 10), limit=247, sample=300, seed=2)
    assert not rec.complete and "more than 247 datasets" in rec.method
    assert rec.diagnostics["count"] == 248 and len(rec) == 300
    assert set(rec.tables) <= set(everything.tables)


def test_counts_that_could_overflow_are_sampled_by_markov_chains(monkeypatch):
    monkeypatch.setattr(exact, "COUNT_LIMIT", 100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.ConvergenceWarning)
        rec = ps.datasets.oxytocin_table3().reconstruct(
            scale=(6, 10), sample=10, seed=0, burn_in=1, thin=1
        )
    assert not rec.complete and "Markov chain sample" in rec.method and "int64" in rec.method


def test_the_count_stops_at_its_budget():
    table = ps.datasets.oxytocin_table3()
    constraints = TableConstraints.of(table)
    values = list(range(6, 11))
    pre, _ = constraints.arm_multisets(
        constraints.pre_mean, constraints.pre_sd, (6, 8), 6, 10, 100
    )
    post, _ = constraints.arm_multisets(
        constraints.post_mean, constraints.post_sd, (6, 10), 6, 10, 100
    )
    assert len(pre) == 1 and len(post) == 4
    counter = TableCounter(table.n, pre, post, lambda r, c: None, budget=10)
    assert counter.count() is None and counter.work > 10
    assert values  # the scale of the arms above
    with pytest.raises(RuntimeError, match="count"):
        counter.pair_counts()


def test_the_draws_follow_the_counts_of_the_pairs_of_multisets():
    # n = 14 on 1-5: 1468 datasets over many pairs of multisets with different counts;
    # each pair is drawn in proportion to its count, each dataset uniformly
    from scipy import stats

    names = ("pre_mean", "pre_sd", "post_mean", "post_sd", "diff_mean", "diff_sd")
    figures = dict(zip(names, ("2.9", "1.6", "3.5", "1.2", "0.6", "0.9"), strict=True))
    table = ps.PairedSummary(n=14, **figures)
    everything = table.reconstruct(scale=(1, 5))
    assert everything.complete and len(everything) == 1468
    rec = table.reconstruct(scale=(1, 5), limit=1000, sample=2936, seed=11)
    assert rec.diagnostics["count"] == 1468 and len(rec) == 2936
    assert set(rec.tables) <= set(everything.tables)

    def arms(t):
        pre, post = Counter(), Counter()
        for u, w, c in t:
            pre[u] += c
            post[w] += c
        return tuple(sorted(pre.items())), tuple(sorted(post.items()))

    population = Counter(arms(t) for t in everything.tables)
    assert len(population) > 10 and len(set(population.values())) > 5
    drawn = Counter(arms(t) for t in rec.tables)
    # 2 draws per dataset: each pair is expected twice its count (at least 2); pairs
    # expected fewer than 5 times share one bin
    small = [k for k in population if population[k] < 3]
    keys = [k for k in population if population[k] >= 3]
    observed = [drawn[k] for k in keys] + [sum(drawn[k] for k in small)]
    expected = [population[k] * 2 for k in keys] + [sum(population[k] for k in small) * 2]
    assert len(small) > 1 and stats.chisquare(observed, expected).pvalue > 1e-3
    assert reconstruction.COUNT_BUDGET > 10**6


def test_an_arm_without_multisets_is_a_complete_empty_enumeration_as_before():
    # no pre multiset has an SD of 2.12 within 1-5 at mean 3: nothing to count; the
    # result is what it always was (complete, empty, "exhaustive enumeration")
    table = ps.PairedSummary(
        n=5, pre_mean="3.00", pre_sd="2.12", post_mean="3.00", post_sd="1.00", pre_range=(1, 5)
    )
    rec = table.reconstruct(scale=(1, 5))
    assert rec.complete and len(rec) == 0 and rec.n_pre == 0
    assert rec.method == "exhaustive enumeration"
