"""Independent checks of the exact machinery: brute-force sign flips, Walsh averages, scipy."""

import itertools
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.inference import _exact, _walsh
from pairedstudy.inference._exact import (
    sign_flip_lower_cdf,
    sign_flip_lower_cdf_rows,
    signrank_cdf,
)
from pairedstudy.inference.wilcoxon import signed_ranks


def _brute_force_pvalues(d, zero_method):
    """Enumerate all 2^m sign patterns of the non-zero changes and recompute V each time."""
    d = np.asarray(d, dtype=float)
    if zero_method == "wilcox":
        kept = d[d != 0]
        ranks = scipy.stats.rankdata(np.abs(kept))
        zero_share = 0.0
    else:
        ranks_all = scipy.stats.rankdata(np.abs(d))
        ranks = ranks_all[d != 0]
        kept = d[d != 0]
        zero_share = ranks_all[d == 0].sum() / 2 if zero_method == "zsplit" else 0.0
    observed = ranks[kept > 0].sum() + zero_share
    values = [
        ranks[np.array(signs, dtype=bool)].sum() + zero_share
        for signs in itertools.product([0, 1], repeat=kept.size)
    ]
    values = np.array(values)
    lower = np.mean(values <= observed + 1e-9)
    upper = np.mean(values >= observed - 1e-9)
    return observed, lower, upper


@given(
    st.lists(st.integers(-4, 4), min_size=2, max_size=12),
    st.sampled_from(["wilcox", "pratt", "zsplit"]),
)
def test_exact_wilcoxon_equals_brute_force_enumeration(changes, zero_method):
    study = ps.PairedStudy(np.zeros(len(changes)), changes)
    observed, lower, upper = _brute_force_pvalues(changes, zero_method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        less = study.test("wilcoxon", alternative="less", method="exact", zero_method=zero_method)
        greater = study.test(
            "wilcoxon", alternative="greater", method="exact", zero_method=zero_method
        )
    assert less.statistic == pytest.approx(observed)
    assert less.pvalue == pytest.approx(lower, rel=1e-12)
    assert greater.pvalue == pytest.approx(upper, rel=1e-12)


def test_exact_statistic_with_half_ranks_and_zsplit():
    d = np.array([0, 0, 0, 1, -1, 2, 2, -3, 5.5])
    ranks = signed_ranks(d, "zsplit")
    # zeros take ranks 1..3 (mid 2) -> share 3; |1| ranks 4,5 -> 4.5; |2| 6,7 -> 6.5
    assert ranks.statistic == pytest.approx(3 + 4.5 + 6.5 + 6.5 + 9)


def test_sign_flip_distribution_beyond_the_rescaling_block_matches_scipy():
    # n = 300 > 256 exercises the periodic rescaling; scipy's exact signrank is independent.
    rng = np.random.default_rng(5)
    x = rng.normal(0.15, 1.0, 300)
    study = ps.PairedStudy(np.zeros(300), x)
    ours = study.test("wilcoxon", method="exact", alternative="greater")
    theirs = scipy.stats.wilcoxon(x, method="exact", alternative="greater")
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9)


def test_signrank_cdf_is_a_distribution():
    cdf = signrank_cdf(40)
    assert cdf[-1] == 1.0
    assert np.all(np.diff(cdf) >= 0)
    total = 40 * 41 // 2
    k = np.arange(total)
    np.testing.assert_allclose(cdf[k] + cdf[total - k - 1], 1.0, rtol=1e-13)


def test_doubled_scores_cdf_counts_exactly():
    # scores 1, 1, 2: sums {0,1,1,2,2,3,3,4} -> P(S <= k)
    cdf = sign_flip_lower_cdf(np.array([1, 1, 2]), 4)
    np.testing.assert_allclose(cdf, np.array([1, 3, 5, 7, 8]) / 8)


@given(
    st.lists(st.integers(-20, 20), min_size=1, max_size=60),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=4),
)
def test_walsh_counting_search_equals_direct(values, ranks):
    x = np.asarray(values, dtype=float) / 4.0
    count = x.size * (x.size + 1) // 2
    ks = [r % count for r in ranks]
    direct = _walsh.walsh_order_statistics(x, ks)
    counted = _walsh.walsh_order_statistics(x, ks, direct_limit=0)
    np.testing.assert_array_equal(direct, counted)
    every = np.sort([(a + b) / 2 for i, a in enumerate(x) for b in x[i:]])
    np.testing.assert_array_equal(direct, every[ks])


def test_walsh_counting_search_on_continuous_data():
    x = np.random.default_rng(3).standard_cauchy(500)
    count = 500 * 501 // 2
    ks = [0, 1, count // 2, count - 1, 12345]
    np.testing.assert_array_equal(
        _walsh.walsh_order_statistics(x, ks),
        _walsh.walsh_order_statistics(x, ks, direct_limit=0),
    )


def test_large_n_exact_wilcoxon_with_ties_runs_and_agrees_with_normal():
    rng = np.random.default_rng(11)
    pre = rng.integers(1, 8, 2000)
    post = np.clip(pre + rng.integers(-2, 3, 2000), 1, 7)
    study = ps.PairedStudy(pre, post)
    exact = study.test("wilcoxon", method="exact")
    approx = study.test("wilcoxon", method="asymptotic", correction=False)
    assert exact.method == "exact"
    assert exact.pvalue == pytest.approx(approx.pvalue, abs=5e-3)


def test_auto_chooses_exact_when_cheap_and_says_so():
    study = ps.datasets.oxytocin_massage()
    assert study.test("wilcoxon").method == "exact"
    rng = np.random.default_rng(0)
    big = ps.PairedStudy(rng.normal(size=3000), rng.normal(size=3000))
    assert big.test("wilcoxon").method == "asymptotic"


def _sign_flip_lower_cdf_before(scores, upto):
    """The dynamic programme as it was before it stopped at the first score above ``upto``."""
    upto = int(upto)
    counts = np.zeros(upto + 1)
    counts[0] = 1.0
    spare = np.zeros(upto + 1)
    total = 0
    scale_exponent = 0
    ordered = np.sort(np.asarray(scores, dtype=np.int64)).tolist()
    for i, score in enumerate(ordered, start=1):
        total += score
        high = min(total, upto)
        if score <= high:
            spare[:score] = counts[:score]
            top = high + 1
            np.add(counts[score:top], counts[: top - score], out=spare[score:top])
            counts, spare = spare, counts
        if i % 256 == 0:
            counts *= 2.0**-256
            scale_exponent += 256
    counts *= 2.0 ** -(len(ordered) - scale_exponent)
    return np.cumsum(counts)


@settings(max_examples=300)
@given(
    st.lists(st.integers(1, 400), min_size=1, max_size=700),
    st.integers(0, 2000),
)
def test_sign_flip_cdf_stops_early_with_the_same_bits(scores, upto):
    # more than 256 coins cross the rescaling steps after the early stop
    new = sign_flip_lower_cdf(np.array(scores), upto)
    old = _sign_flip_lower_cdf_before(np.array(scores), upto)
    assert new.view(np.uint64).tolist() == old.view(np.uint64).tolist()


@pytest.mark.parametrize("coins", [1, 17, 255, 256, 300, 1024, 1074, 1075, 1076, 1100, 1500])
@pytest.mark.parametrize("upto", [0, 2])
def test_sign_flip_cdf_with_no_coin_in_reach_has_the_same_bits(coins, upto):
    # every score above upto: the table is 2**-coins throughout, subnormals and underflow
    # to zero included, as the programme's rescaling steps give it
    scores = np.full(coins, 3)
    new = sign_flip_lower_cdf(scores, upto)
    old = _sign_flip_lower_cdf_before(scores, upto)
    assert new.view(np.uint64).tolist() == old.view(np.uint64).tolist()


_PATTERNS = st.lists(
    st.tuples(
        st.one_of(
            st.lists(st.integers(1, 60), max_size=40),  # mostly untied
            st.lists(st.sampled_from([3, 11, 26, 40]), max_size=40),  # heavily tied
        ),
        st.integers(0, 400),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=60)
@given(_PATTERNS, st.sampled_from([1 << 21, 300]))
def test_sign_flip_tables_of_many_patterns_have_the_same_bits(cases, cells):
    # one programme over many patterns (blocks of similar upto) gives each pattern's table
    # bit for bit as the one-pattern programme does, whatever the blocks
    patterns = [np.array(scores, dtype=np.int64) for scores, _ in cases]
    uptos = [min(upto, int(p.sum())) for p, (_, upto) in zip(patterns, cases, strict=True)]
    saved = _exact.ROWS_CELLS
    _exact.ROWS_CELLS = cells  # small blocks too
    try:
        tables, offsets, sizes = sign_flip_lower_cdf_rows(patterns, uptos)
    finally:
        _exact.ROWS_CELLS = saved
    assert sizes.tolist() == [u + 1 for u in uptos]
    for pattern, upto, offset, size in zip(patterns, uptos, offsets, sizes, strict=True):
        alone = sign_flip_lower_cdf(pattern, upto)
        got = tables[offset : offset + size]
        assert got.view(np.uint64).tolist() == alone.view(np.uint64).tolist()


def test_sign_flip_tables_of_many_long_patterns_have_the_same_bits():
    # more than 256 coins: the rescaling steps fall after the same coins in every row
    rng = np.random.default_rng(11)
    patterns = [rng.integers(1, 4, size) for size in (255, 256, 257, 300, 520, 10)]
    uptos = [0, 40, 300, 5, 700, 12]
    tables, offsets, sizes = sign_flip_lower_cdf_rows(patterns, uptos)
    for pattern, upto, offset, size in zip(patterns, uptos, offsets, sizes, strict=True):
        alone = sign_flip_lower_cdf(pattern, upto)
        got = tables[offset : offset + size]
        assert got.view(np.uint64).tolist() == alone.view(np.uint64).tolist()
