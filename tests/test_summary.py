"""PairedSummary and forensics: published GRIM/GRIMMER/DEBIT vectors, brute force, raw path."""

import itertools
import math
import warnings
from collections import Counter
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    localcontext,
)
from fractions import Fraction

import numpy as np
import pytest
from _data import TABLE3_FIGURES, TABLE3_MEAN_CHANGE, TABLE3_SD_CHANGE
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.errors import ConvergenceWarning
from pairedstudy.forensics import ROUNDING, reported

TABLE3 = TABLE3_FIGURES


# --- published test vectors (reference-values.md) -------------------------------------


@pytest.mark.parametrize(
    ("mean", "n", "expected"),
    [
        ("7.22", 32, True),
        ("4.74", 25, False),
        ("5.23", 29, False),
        ("2.57", 24, False),
        ("6.77", 27, False),
        ("2.68", 28, True),
        ("7.01", 29, False),
        ("7.38", 26, True),
        ("3.14", 27, False),
        ("6.89", 31, False),
        ("5.00", 25, True),
        ("0.24", 28, False),
    ],
)
def test_grim_vectors(mean, n, expected):
    assert ps.grim(mean, n) is expected


def test_grim_sequence_and_items():
    means = [f"{5.19 + 0.01 * i:.2f}" for i in range(12)]
    expected = [False, False, True, False, False, False, True, False, False, False, True, False]
    assert [ps.grim(m, 28) for m in means] == expected
    assert ps.grim("5.18", 14, items=2)


def test_grimmer_and_debit_vectors():
    assert ps.grimmer("5.21", "1.6", 28) and not ps.grimmer("3.44", "2.47", 18)
    assert ps.debit("0.53", "0.50", 1683) and not ps.debit("0.19", "0.35", 1683)
    assert ps.debit("0.05", "0.22", 20)


# --- rounding conventions, against Python's decimal module ------------------------------

# scrutiny's conventions: "up" sends a half toward +infinity, "down" toward -infinity;
# "even" accepts either half (software rounds the binary approximation of a half).
HALF_TO_PLUS = "half toward +inf"
HALF_TO_MINUS = "half toward -inf"
MODES = {
    "up": [HALF_TO_PLUS],
    "down": [HALF_TO_MINUS],
    "up_or_down": [ROUND_HALF_UP, ROUND_HALF_DOWN],
    "even": [ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_HALF_DOWN],
    "ceiling": [ROUND_CEILING],
    "floor": [ROUND_FLOOR],
    "trunc": [ROUND_DOWN],
    "ceiling_or_floor": [ROUND_CEILING, ROUND_FLOOR],
    "anti_trunc": [ROUND_UP],  # away from zero
}


def _round(x: Fraction, decimals: int, mode) -> Decimal:
    if mode == HALF_TO_PLUS:  # Decimal's HALF_UP is away from zero, HALF_DOWN toward it
        mode = ROUND_HALF_UP if x >= 0 else ROUND_HALF_DOWN
    elif mode == HALF_TO_MINUS:
        mode = ROUND_HALF_DOWN if x >= 0 else ROUND_HALF_UP
    with localcontext() as ctx:
        ctx.prec = 60
        value = Decimal(x.numerator) / Decimal(x.denominator)
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=mode)


@given(
    st.integers(-5000, 5000),
    st.sampled_from([1, 2, 4, 8, 10, 20, 40, 1000]),
    st.integers(0, 3),
    st.sampled_from(ROUNDING),
    st.integers(-3, 3),
)
def test_admits_equals_decimal_rounding(num, den, decimals, rounding, nudge):
    x = Fraction(num, den) + Fraction(nudge, 10 ** (decimals + 3))
    for mode in MODES[rounding]:
        printed = _round(x, decimals, mode)
        assert reported(str(printed)).admits(x, rounding), (x, printed, rounding)
    # and a figure it does not round to is not admitted
    printed = _round(x, decimals, MODES[rounding][0])
    other = reported(str(printed + Decimal(1).scaleb(-decimals)))
    if all(
        _round(x, decimals, m) != printed + Decimal(1).scaleb(-decimals) for m in MODES[rounding]
    ):
        assert not other.admits(x, rounding)


def test_reported_parsing():
    assert reported("0,740").decimals == 3
    assert reported((9.0, 2)).text == "9.00"
    assert reported(21).decimals == 0
    with pytest.raises(ps.InputTypeError, match="does not say how many decimals"):
        reported(9.0)
    with pytest.raises(ps.InputValueError, match="as printed"):
        reported("abc")


# --- the oxytocin table -----------------------------------------------------------------


def test_table3_inference():
    table = ps.PairedSummary(**TABLE3)
    result = table.test()
    # reference-values.md: t = 7.704727, p = 2.0737e-07 from the rounded table
    assert result.statistic == pytest.approx(7.704727, abs=1e-6)
    assert result.pvalue == pytest.approx(2.0737e-07, rel=1e-4)
    assert result.df == 20 and result.estimate == pytest.approx(1.952)
    r = table.correlation()
    assert r.value == pytest.approx(0.342217, abs=1e-6)
    assert r.low < 0.342217 < r.high and r.possible
    raw = ps.datasets.oxytocin_massage().describe().correlation
    assert r.low <= raw <= r.high
    dz = table.effect_size("dz")
    assert dz.value == pytest.approx(TABLE3_MEAN_CHANGE / TABLE3_SD_CHANGE)
    assert (round(dz.ci.low, 2), round(dz.ci.high, 2)) == (1.0, 2.34)


def test_table3_is_consistent_and_reconstructs():
    table = ps.PairedSummary(**TABLE3)
    report = table.check()
    assert report.consistent and "consistent" in report.verdict
    checks = {item.check for item in report.items}
    assert {"GRIM", "GRIMMER", "difference of means", "SD triangle (|r| <= 1)"} <= checks
    rec = table.reconstruct(scale=(6, 10))
    assert rec.complete and len(rec) == 248
    example = ps.datasets.oxytocin_massage()
    key = Counter(zip(example.pre.tolist(), example.post.tolist(), strict=True))
    assert any(Counter({(u, w): c for u, w, c in t}) == key for t in rec.tables)
    w_low, w_high = rec.range(lambda s: s.test("wilcoxon").pvalue)
    _, s_high = rec.range(lambda s: s.test("sign").pvalue)
    assert w_low <= example.test("wilcoxon").pvalue <= w_high
    assert w_high < 1e-4 and s_high < 1e-3
    for study in rec:
        d = study.describe()
        assert f"{d.pre.mean:.2f}" == TABLE3["pre_mean"]
        assert f"{d.change.sd:.3f}" == TABLE3["diff_sd"]
        assert study.pre.min() == 6 and study.pre.max() == 8


def test_check_flags_impossible_tables_with_reasons():
    arms = {k: TABLE3[k] for k in ("n", "pre_mean", "pre_sd", "post_mean", "post_sd")}
    bad = ps.PairedSummary(**arms, diff_mean="1.96", diff_sd="2.5")
    report = bad.check()
    failures = {item.check for item in report.failures}
    assert "SD triangle (|r| <= 1)" in failures and "difference of means" in failures
    assert "INCONSISTENT" in report.verdict
    assert not bad.correlation().possible
    grim = ps.PairedSummary(n=25, pre_mean="4.74", pre_sd="1.0", post_mean="5.00", post_sd="1.0")
    assert [i.check for i in grim.check().failures] == ["GRIM"]
    out = ps.PairedSummary(
        n=10, pre_mean="9.5", pre_sd="3.0", post_mean="7.0", post_sd="1.0", pre_range=(6, 9)
    )
    failures = {i.check for i in out.check().failures}
    assert "inside range" in failures and "largest SD on the range" in failures


def test_r_from_t_and_p():
    full = ps.PairedSummary(**TABLE3)
    from_t = ps.PairedSummary(**{**TABLE3, "diff_sd": None, "t": "-7.705"})
    r_t = from_t.correlation()
    assert r_t.source == "t"
    assert r_t.value == pytest.approx(full.correlation().value, abs=2e-3)
    assert from_t.test().statistic == pytest.approx(7.705, rel=1e-9)
    from_p = ps.PairedSummary(**{**TABLE3, "diff_sd": None, "p": "0.000"})
    r_p = from_p.correlation()
    assert r_p.source == "p" and r_p.low <= full.correlation().value
    with pytest.raises(ps.InputValueError, match="needs the SD of the change"):
        ps.PairedSummary(
            n=10, pre_mean="1.0", pre_sd="1.0", post_mean="2.0", post_sd="1.0"
        ).correlation()


def test_reported_p_and_t_are_checked():
    ok = ps.PairedSummary(**{**TABLE3, "t": "-7.705", "p": "0.000"})
    assert ok.check().consistent
    wrong = ps.PairedSummary(**{**TABLE3, "p": "0.030"})
    assert "p from t (two-sided)" in {i.check for i in wrong.check().failures}


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"n": 1}, ps.InputValueError, "n must be a whole number of at least 2"),
        ({"pre_sd": "-0.5"}, ps.InputValueError, "pre_sd must not be negative"),
        ({"post_mean": 9.0}, ps.InputTypeError, "does not say how many decimals"),
        ({"diff_order": "pre-post"}, ps.InputValueError, "diff_order must be one of"),
        ({"pre_range": (8, 6)}, ps.InputValueError, "min <= max"),
        ({"rounding": "bankers"}, ps.InputValueError, "rounding must be one of"),
        ({"p": "1.5"}, ps.InputValueError, r"p must lie in \[0, 1\]"),
        ({"items": 0}, ps.InputValueError, "items must be"),
    ],
)
def test_bad_input(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        ps.PairedSummary(**{**TABLE3, **kwargs})


def test_reconstruct_bad_input_and_kinds_needing_raw_data():
    table = ps.PairedSummary(**TABLE3)
    with pytest.raises(ps.InputValueError, match="outside the scale"):
        table.reconstruct(scale=(7, 10))
    with pytest.raises(ps.InputValueError, match="needs the raw data"):
        table.effect_size("hl")


# --- completeness against brute force -------------------------------------------------


def _figures(pre, post, decimals):
    d = [b - a for a, b in zip(pre, post, strict=True)]

    def fmt_mean(v):
        return str(_round(Fraction(sum(v), len(v)), decimals, HALF_TO_PLUS))

    def fmt_sd(v):
        n = len(v)
        var = Fraction(n * sum(x * x for x in v) - sum(v) ** 2, n * (n - 1))
        with localcontext() as ctx:
            ctx.prec = 50
            sd = (Decimal(var.numerator) / Decimal(var.denominator)).sqrt()
            return str(sd.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))

    return (fmt_mean(pre), fmt_sd(pre), fmt_mean(post), fmt_sd(post), fmt_mean(d), fmt_sd(d))


def _table_from(figures, n, **options):
    """A PairedSummary of the six printed figures made by ``_figures``."""
    names = ("pre_mean", "pre_sd", "post_mean", "post_sd", "diff_mean", "diff_sd")
    return ps.PairedSummary(n=n, **dict(zip(names, figures, strict=True)), **options)


@settings(max_examples=15)
@given(st.integers(3, 6), st.integers(2, 3), st.integers(0, 10**6), st.integers(1, 2))
def test_reconstruction_equals_brute_force(n, top, seed, decimals):
    rng = np.random.default_rng(seed)
    pre = rng.integers(1, top + 1, n).tolist()
    post = rng.integers(1, top + 1, n).tolist()
    figures = _figures(pre, post, decimals)
    assume(all(float(x) >= 0 for x in (figures[1], figures[3], figures[5])))
    table = _table_from(figures, n, rounding="up")
    rec = table.reconstruct(scale=(1, top))
    assert rec.complete
    ours = {frozenset(Counter({(u, w): c for u, w, c in t}).items()) for t in rec.tables}
    assert len(ours) == len(rec)  # no duplicates
    pairs = [(u, w) for u in range(1, top + 1) for w in range(1, top + 1)]
    brute = set()
    for combo in itertools.combinations_with_replacement(pairs, n):
        a = [u for u, _ in combo]
        b = [w for _, w in combo]
        if _figures(a, b, decimals) == figures:
            brute.add(frozenset(Counter(combo).items()))
    assert ours == brute
    raw = frozenset(Counter(zip(pre, post, strict=True)).items())
    assert raw in ours


# --- summary path vs raw path -----------------------------------------------------------


@settings(max_examples=30)
@given(st.integers(8, 40), st.integers(0, 10**6))
def test_summary_and_raw_paths_agree(n, seed):
    rng = np.random.default_rng(seed)
    pre = rng.integers(1, 8, n)
    post = np.clip(pre + rng.integers(-2, 4, n), 1, 7)
    study = ps.PairedStudy(pre, post)
    d = study.describe()
    assume(d.change.sd > 0 and d.pre.sd > 0 and d.post.sd > 0)
    table = ps.PairedSummary(
        n=n,
        pre_mean=f"{d.pre.mean:.3f}",
        pre_sd=f"{d.pre.sd:.3f}",
        post_mean=f"{d.post.mean:.3f}",
        post_sd=f"{d.post.sd:.3f}",
        diff_mean=f"{d.change.mean:.3f}",
        diff_sd=f"{d.change.sd:.3f}",
    )
    raw, summary = study.test("t"), table.test()
    assert summary.statistic == pytest.approx(raw.statistic, rel=2e-3, abs=2e-3)
    assert summary.ci.low == pytest.approx(raw.ci.low, abs=2e-3)
    for kind in ("dz", "dav", "db", "gz"):
        assert table.effect_size(kind).value == pytest.approx(
            study.effect_size(kind).value, rel=5e-3, abs=5e-3
        )
    r = table.correlation()
    assert r.low - 1e-12 <= d.correlation <= r.high + 1e-12
    assert table.check().consistent


# --- review findings -------------------------------------------------------------------


def test_open_rounding_bounds_and_zero_sds():
    assert not ps.grimmer("2", "0.1", 3, rounding="ceiling")  # the only SD is 0, printed 0.0
    assert ps.debit("1.00", "0.00", 4, rounding="ceiling")  # four 1s
    from pairedstudy.forensics import mean_sums

    # a half goes toward +infinity ("up") or -infinity ("down"), as scrutiny
    assert list(mean_sums(reported("0.00"), 200, 1, "up")) == [-1, 0]
    assert list(mean_sums(reported("0.00"), 200, 1, "down")) == [0, 1]
    assert list(mean_sums(reported("0.00"), 200, 1, "trunc")) == [-1, 0, 1]
    assert list(mean_sums(reported("-0.00"), 200, 1, "trunc")) == [-1, 0]


def test_scrutiny_conventions_for_even_and_negative_halves():
    assert ps.grim("0.07", 40, rounding="even")  # 3/40; R's round(0.075, 2) is 0.07
    assert ps.grim("-0.07", 40, rounding="up")  # a half goes toward +infinity


def test_grimmer_small_n_needs_more_than_parity():
    assert not ps.grimmer("0.0", "2.0", 2)
    assert not ps.grimmer("1.00", "1.41", 3)
    assert not ps.grimmer("1.50", "1.53", 4)


def test_reported_r_is_enforced_even_with_the_sd_of_change():
    table = ps.PairedSummary(
        n=5,
        items=2,
        rounding="down",
        pre_mean="1.7",
        pre_sd="0.7",
        post_mean="2.2",
        post_sd="0.9",
        diff_mean="0.5",
        diff_sd="1.5",
        r="-0.7",
    )
    rec = table.reconstruct(scale=(1, 3))
    assert len(rec) >= 1
    for study in rec:
        assert f"{study.describe().correlation:.1f}" == "-0.7"


def test_check_catches_what_reconstruction_cannot_find():
    impossible_t = ps.PairedSummary(**{**TABLE3, "diff_sd": None, "t": "-2.00"})
    assert "SD triangle (|r| <= 1)" in {i.check for i in impossible_t.check().failures}
    no_diff_mean = ps.PairedSummary(**{**TABLE3, "diff_mean": None, "diff_sd": "1.160"})
    report = no_diff_mean.check()
    assert not report.consistent
    assert len(no_diff_mean.reconstruct(scale=(6, 10))) == 0
    tight = ps.PairedSummary(
        n=5, pre_mean="3.00", pre_sd="2.12", post_mean="3.00", post_sd="1.00", pre_range=(1, 5)
    )
    assert "largest SD on the range" in {i.check for i in tight.check().failures}
    wrong_sign = ps.PairedSummary(**{**TABLE3, "t": "7.705"})
    assert "t from mean and SD" in {i.check for i in wrong_sign.check().failures}
    p_vs_t = ps.PairedSummary(
        n=30,
        pre_mean="1.0",
        pre_sd="1.0",
        post_mean="1.5",
        post_sd="1.0",
        diff_mean="0.5",
        t="2.10",
        p="0.090",
    )
    assert "p from t (two-sided)" in {i.check for i in p_vs_t.check().failures}


def test_degenerate_printed_figures_are_clear_errors():
    for extra in ({"t": "0.00"}, {"p": "1.000"}, {"p": "0.000"}):
        table = ps.PairedSummary(**{**TABLE3, "diff_sd": None, **extra})
        with pytest.raises(ps.InputValueError, match="only bounds"):
            table.test()
    r = ps.PairedSummary(**{**TABLE3, "diff_sd": None, "p": "0.000"}).correlation()
    assert r.value is None and r.low < r.high <= 1.0
    flat = ps.PairedSummary(
        n=5,
        pre_mean="3.0",
        pre_sd="0.000",
        post_mean="3.0",
        post_sd="0.000",
        diff_mean="0.0",
        diff_sd="0.000",
    )
    r_flat = flat.correlation()  # SDs printed 0.000 may be tiny: r is unconstrained
    assert r_flat.value is None and (r_flat.low, r_flat.high) == (-1.0, 1.0)
    flat.check()
    with pytest.raises(ps.InputValueError, match="at most 500"):
        ps.PairedSummary(**TABLE3).reconstruct(scale=(0, 1000))


def test_limit_equal_to_the_count_is_complete():
    rec = ps.PairedSummary(**TABLE3).reconstruct(scale=(6, 10), limit=248)
    assert rec.complete and len(rec) == 248
    # only the labelling of a sample is checked here, not its uniformity (the tests below
    # do that): the shortest chains do, instead of the default 500 sweeps of burn-in
    sampled = ps.PairedSummary(**TABLE3).reconstruct(
        scale=(6, 10), limit=100, sample=50, seed=1, burn_in=1, thin=1
    )
    assert not sampled.complete and "sample" in sampled.method
    assert len(sampled) == 50


def test_exact_t_boundaries():
    # t is exactly -1 for five (1, 1) pairs and one (1, 2) pair, in pre - post order
    table = ps.PairedSummary(
        n=6,
        pre_mean="1.00",
        pre_sd="0.00",
        post_mean="1.17",
        post_sd="0.41",
        diff_mean="-0.16",
        diff_sd="0.41",
        diff_order="pre - post",
        t="-1.00",
        rounding="ceiling",
    )
    tables = table.reconstruct(scale=(1, 2)).tables
    assert ((1, 1, 5), (1, 2, 1)) in tables


# --- the sample: exact and uniform over the consistent datasets ---------------------------


def _chi_square_uniform(sample, population):
    from scipy import stats

    counts = Counter(sample)
    observed = [counts.get(table, 0) for table in population]
    return stats.chisquare(observed).pvalue


def _markov_chains_only():
    """Force the Markov chain fallback: no count fits a budget of 0 partial tables."""
    from unittest import mock

    from pairedstudy.forensics import reconstruction

    return mock.patch.object(reconstruction, "COUNT_BUDGET", 0)


def test_sample_is_uniform_over_the_table3_datasets():
    table = ps.PairedSummary(**TABLE3)
    everything = table.reconstruct(scale=(6, 10)).tables
    # limit=100 < 248 datasets: an exact sample, drawn from the counts (independent draws)
    rec = table.reconstruct(scale=(6, 10), limit=100, sample=2480, seed=7)
    assert not rec.complete and "exact uniform sample of 2480" in rec.method
    assert "uniform over the 248 consistent datasets" in rec.method
    assert rec.diagnostics["count"] == 248 and rec.diagnostics["rhat_max"] is None
    assert len(rec) == 2480
    assert set(rec.tables) <= set(everything)  # every draw meets every figure
    # 2480 uniform draws = 10 per dataset leave 248 exp(-10) = 0.01 undrawn on average; a
    # sampler that favoured some datasets (say in proportion to their orderings) would
    # leave many undrawn and fail the chi-square
    assert len(set(rec.tables)) >= 245
    assert _chi_square_uniform(rec.tables, everything) > 0.01
    # the same seed draws the same sample; a Generator is used as it is
    again = table.reconstruct(scale=(6, 10), limit=100, sample=2480, seed=7)
    assert again.tables == rec.tables and again.diagnostics["seed"] == 7
    generator = table.reconstruct(
        scale=(6, 10), limit=100, sample=2480, seed=np.random.default_rng(7)
    )
    assert generator.tables == rec.tables and generator.diagnostics["seed"] is None
    other = table.reconstruct(scale=(6, 10), limit=100, sample=2480, seed=8)
    assert other.tables != rec.tables


def test_markov_chain_sample_is_uniform_over_the_table3_datasets():
    # the fallback (a count over its budget): the chains' burn-in and thinning stay what
    # they were (thin=5 or burn_in=20, thin=3 failed this chi-square at p < 1e-4); 320
    # draws = 5 from each of the 64 chains are half the draws of before (p = 0.06 to 0.9
    # at seeds 1 to 8)
    table = ps.PairedSummary(**TABLE3)
    everything = table.reconstruct(scale=(6, 10)).tables
    with _markov_chains_only():
        rec = table.reconstruct(scale=(6, 10), limit=100, sample=320, seed=7, burn_in=100, thin=10)
    assert not rec.complete and "Markov chain sample" in rec.method
    assert len(rec) == 320
    assert set(rec.tables) <= set(everything)
    # 320 uniform draws from 248 leave 248 exp(-320/248) = 68 +- 7 undrawn
    assert len(set(rec.tables)) > 0.6 * len(everything)
    assert _chi_square_uniform(rec.tables, everything) > 0.01
    assert rec.diagnostics["rhat_max"] < 1.1
    assert rec.diagnostics["chains"] == 64


# Power: a sampler without the multiset correction draws each dataset in proportion to its
# orderings n! / prod(t!). For the tables drawn here (n = 5-7 on a 1-4 scale, 3-14
# datasets) 20 draws per dataset detect that (chi-square p <= 1e-3) in about 70% of
# tables (0% when every dataset has the same orderings, 100% for most n = 7 tables; 40
# draws: about 90%). The exact sample draws 40 per dataset (independent draws cost next
# to nothing), so 8 examples catch such a bias with probability above 0.999.
@settings(max_examples=8)
@given(st.integers(4, 7), st.integers(0, 10**6))
def test_sample_is_uniform_on_small_tables(n, seed):
    rng = np.random.default_rng(seed)
    pre = rng.integers(1, 5, n).tolist()
    post = rng.integers(1, 5, n).tolist()
    figures = _figures(pre, post, 1)
    assume(all(float(x) >= 0 for x in (figures[1], figures[3], figures[5])))
    table = _table_from(figures, n)
    everything = table.reconstruct(scale=(1, 4)).tables
    assume(len(everything) >= 3)
    rec = table.reconstruct(scale=(1, 4), limit=1, sample=40 * len(everything), seed=seed)
    assert "exact uniform sample" in rec.method
    assert rec.diagnostics["count"] == len(everything)
    assert set(rec.tables) <= set(everything)
    assert _chi_square_uniform(rec.tables, everything) > 1e-3


def test_markov_chain_sample_is_uniform_on_a_small_table():
    # The fallback's multiset correction, on one n = 7 table whose 5 datasets have
    # different numbers of orderings (a chain without the correction fails this
    # chi-square, as the hypothesis test above showed when it ran the chains: p <= 1e-3
    # for most n = 7 tables at 20 draws per dataset). thin=3 instead of 10: a chain of
    # these tables visits a consistent dataset every 10-20 steps and mixes within a few
    # visits (p >= 0.017 for the first ten seeds of n = 5 and 7).
    table = _table_from(("2.3", "1.1", "3.1", "1.2", "0.9", "1.6"), 7)
    everything = table.reconstruct(scale=(1, 4)).tables
    assert len(everything) == 5
    orderings = {
        math.factorial(7) // math.prod(math.factorial(c) for _, _, c in t) for t in everything
    }
    assert len(orderings) > 1
    with warnings.catch_warnings(), _markov_chains_only():
        warnings.simplefilter("ignore", ConvergenceWarning)
        rec = table.reconstruct(scale=(1, 4), limit=1, sample=100, seed=3, burn_in=100, thin=3)
    assert "Markov chain sample" in rec.method
    assert set(rec.tables) <= set(everything)
    assert _chi_square_uniform(rec.tables, everything) > 1e-3


def test_sample_settings_are_checked():
    table = ps.PairedSummary(**TABLE3)
    for name, bad in (("thin", 0), ("thin", 1.5), ("burn_in", -1), ("burn_in", True)):
        with pytest.raises(ps.InputValueError, match=name):
            table.reconstruct(scale=(6, 10), limit=1, **{name: bad})


def test_rhat_flags_chains_that_disagree():
    from pairedstudy.forensics import rhat

    rng = np.random.default_rng(0)
    agree = [rng.normal(size=200).tolist() for _ in range(4)]
    apart = [(rng.normal(size=200) + shift).tolist() for shift in range(4)]
    assert rhat(agree) < 1.02
    assert rhat(apart) > 1.5
    assert rhat([[1.0, 1.0], [1.0, 1.0]]) is None


WIDE = {  # a 0-8 scale: 9 values, too many for 4-subject moves; 53 consistent datasets
    "n": 6,
    "pre_mean": "4.50",
    "pre_sd": "2.59",
    "post_mean": "3.33",
    "post_sd": "2.80",
    "diff_mean": "-1.17",
    "diff_sd": "5.19",
}


def _wide_sampler(table, scale):
    from pairedstudy.forensics import TableConstraints, reconstruction
    from pairedstudy.forensics.sampler import ConsistentDatasetSampler

    values = list(range(scale[0], scale[1] + 1))
    constraints = TableConstraints.of(table)
    return ConsistentDatasetSampler(
        table.n,
        values,
        values,
        constraints.targets(table.pre_mean, table.pre_sd),
        constraints.targets(table.post_mean, table.post_sd),
        constraints.products,
        None,
        extend_q=reconstruction.WALK_MARGIN_Q,
        extend_p=reconstruction.WALK_MARGIN_P,
        swaps=reconstruction.SWAPS,
    )


def test_chains_from_one_dataset_reach_every_dataset_on_a_wide_scale():
    # Regression: on scales of more than 7 values only 2-subject moves were made, and two
    # scores with a given sum and sum of squares are unique, so each chain kept its
    # starting multisets (53 datasets, 1 reached); the pooled sample looked uniform only
    # because the chains started from different datasets.
    table = ps.PairedSummary(**WIDE)
    everything = table.reconstruct(scale=(0, 8)).tables
    assert len(everything) == 53
    sampler = _wide_sampler(table, (0, 8))
    assert 3 in sampler.sizes and sampler.connected
    drawn, _ = sampler.run([everything[0]] * 8, 40, 300, 5, np.random.default_rng(3))
    reached = {t for chain in drawn for t in chain}
    assert reached <= set(everything)
    assert len(reached) > 0.9 * len(everything)


def test_a_scale_too_wide_for_three_subject_moves_is_flagged():
    table = ps.PairedSummary(n=4, pre_mean="12.0", pre_sd="5.0", post_mean="13.0", post_sd="6.0")
    assert not _wide_sampler(table, (0, 24)).connected
    with pytest.warns(ConvergenceWarning, match="three subjects"), _markov_chains_only():
        rec = table.reconstruct(scale=(0, 24), limit=1, sample=8, seed=0, burn_in=1, thin=1)
    assert rec.diagnostics["connected"] is False
    assert rec.diagnostics["distinct"] == len(set(rec.tables))
    # counted exactly, the same table needs no chains: an exact sample, no warning
    everything = table.reconstruct(scale=(0, 24))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        exact = table.reconstruct(scale=(0, 24), limit=1, sample=8, seed=0)
    assert exact.diagnostics["count"] == len(everything) and everything.complete
    assert set(exact.tables) <= set(everything.tables)
