"""Forensics under hostile and extreme input (issue 15): exact GRIMMER, bounded work, clear errors.

GRIMMER and ``realizable`` are checked against brute force: every multiset of small
integers is enumerated, the figures it prints under each rounding convention are computed
with :mod:`decimal` (independently of the library's rounding code), and the library must
accept exactly those.
"""

import itertools
import math
import warnings
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    localcontext,
)
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy import forensics
from pairedstudy.forensics import ROUNDING, realizable, reported

# how each convention prints a value >= 0 (every value below is >= 0)
PRINTS = {
    "up_or_down": (ROUND_HALF_UP, ROUND_HALF_DOWN),
    "up": (ROUND_HALF_UP,),
    "down": (ROUND_HALF_DOWN,),
    "even": (ROUND_HALF_UP, ROUND_HALF_DOWN),  # both halves, as scrutiny
    "ceiling": (ROUND_CEILING,),
    "floor": (ROUND_FLOOR,),
    "trunc": (ROUND_DOWN,),
    "ceiling_or_floor": (ROUND_CEILING, ROUND_FLOOR),
    "anti_trunc": (ROUND_UP,),  # away from zero; a value already at the precision stays
}
TABLE = {"pre_mean": "1.5", "pre_sd": "0.24", "post_mean": "2.0", "post_sd": "0.47"}


def _printed(x: Fraction | Decimal, decimals: int, mode: str) -> str:
    with localcontext() as ctx:
        ctx.prec = 60
        value = x if isinstance(x, Decimal) else Decimal(x.numerator) / Decimal(x.denominator)
        return str(value.quantize(Decimal(1).scaleb(-decimals), rounding=mode))


def _sd(total: int, sumsq: int, n: int) -> Decimal:
    variance = Fraction(sumsq * n - total * total, n * (n - 1))
    with localcontext() as ctx:
        ctx.prec = 60  # exact when the variance is the square of a short decimal
        return (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()


def _moments(n: int, values: range) -> set[tuple[int, int]]:
    return {
        (sum(xs), sum(x * x for x in xs))
        for xs in itertools.combinations_with_replacement(values, n)
    }


# ---- item 1: GRIMMER and realizable are exact -----------------------------------------


def test_the_reported_grimmer_false_positives_are_gone():
    assert not ps.grimmer("1.5", "0.24", 10)  # the smallest SD is 0.527 (five 1s, five 2s)
    assert ps.grimmer("1.5", "0.53", 10)
    assert not ps.grimmer("0", "0.10", 10, rounding="trunc")  # a mean of 0: SD 0 or >= 0.316
    table = ps.PairedSummary(n=10, **TABLE)
    report = table.check()
    assert not report.consistent
    assert [f.check for f in report.failures] == ["GRIMMER"]
    assert len(table.reconstruct(scale=(0, 5))) == 0


def test_realizable_equals_brute_force_for_every_small_n():
    for n, reach in ((1, 30), (2, 24), (3, 14), (4, 9), (5, 6), (6, 5), (7, 4), (8, 3)):
        seen = _moments(n, range(-reach, reach + 1))
        # every integer whose square is at most reach^2 is enumerated
        for total in range(-reach, reach + 1):
            for sumsq in range(reach * reach + 1):
                assert realizable(total, sumsq, n) == ((total, sumsq) in seen), (n, total, sumsq)


def test_realizable_in_a_range_equals_any_single_sum_of_squares():
    for n in range(1, 9):
        for total in range(-6, 7):
            for start in range(0, 40):
                for width in (0, 2, 6):
                    sumsqs = range(start + (start - total) % 2, start + width + 1, 2)
                    expected = any(realizable(total, q, n) for q in sumsqs)
                    assert forensics.realizable_in(total, sumsqs, n) == expected


def test_realizable_large_numbers_are_answered_by_number_theory():
    # sums of squares near 1e24 are far beyond enumeration: these finish only because
    # parity, Legendre's three-square theorem and factorization decide them (no timing
    # is asserted here: the machine's load is not the code's)
    assert realizable(10**12 + 1, 10**24 + 2 * 10**12 + 1, 4)  # S odd: only parity
    assert not realizable(0, 7 * 4**10, 4)  # 0, 4^a (8b + 7): Legendre
    big = (10**9 + 7, 10**9 + 1, -(10**8) + 3)  # n = 3: a factorization of about 1e18
    assert realizable(sum(big), sum(v * v for v in big), 3)
    # S = 0, Q = 2 q r: 3 Q - S^2 = 2 N with N = 3 q r; primes q, r = 2 (mod 3) once each
    q, r = 1000000007, 1000000103
    assert not realizable(0, 2 * q * r, 3)
    assert realizable(0, 2 * 3 * q * q, 3)  # N = 9 q^2: an even power of q
    assert realizable(0, 2 * (7**2) * 4, 2)  # (14, -14)


@pytest.mark.parametrize("rounding", ROUNDING)
def test_grimmer_equals_brute_force_over_small_integer_data(rounding):
    """Every n from 2 to 8 on integers 0-8; means 3-5 and SDs up to 1 need no other values.

    ``|x - mean| <= SD sqrt(n - 1) < 3`` for every value, so every dataset that can print
    these figures lies on 0-8 and was enumerated.
    """
    grids = (
        (1, [f"{3 + i / 10:.1f}" for i in range(21)], 1, [f"{i / 10:.1f}" for i in range(11)]),
        (2, [f"{3 + i / 100:.2f}" for i in range(26)], 2, [f"{i / 100:.2f}" for i in range(61)]),
        (1, ["3.0", "3.1", "3.5"], 2, [f"{i / 100:.2f}" for i in range(101)]),
    )
    for n in range(2, 9):
        moments = _moments(n, range(0, 9))
        for mean_dp, means, sd_dp, sds in grids:
            produced = set()
            for total, sumsq in moments:
                mean, sd = Fraction(total, n), _sd(total, sumsq, n)
                for mode in PRINTS[rounding]:
                    for sd_mode in PRINTS[rounding]:
                        produced.add((_printed(mean, mean_dp, mode), _printed(sd, sd_dp, sd_mode)))
            parsed = [(m, reported(m)) for m in means], [(s, reported(s)) for s in sds]
            for mean, mean_figure in parsed[0]:
                for sd, sd_figure in parsed[1]:
                    expected = (mean, sd) in produced
                    got = ps.grimmer(mean_figure, sd_figure, n, rounding=rounding)
                    assert got == expected, (mean, sd, n, rounding)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=8))
def test_every_integer_dataset_is_realizable(values):
    total, sumsq = sum(values), sum(v * v for v in values)
    assert realizable(total, sumsq, len(values))
    assert not realizable(total, sumsq + 1, len(values))  # the wrong parity
    if len(values) >= 2:
        assert not realizable(total, forensics.smallest_sumsq(total, len(values)) - 2, len(values))


def test_a_huge_table_is_checked_quickly_and_says_what_it_left_out():
    table = ps.PairedSummary(
        n=10**12,
        pre_mean="7.05",
        pre_sd="0.740",
        post_mean="9.00",
        post_sd="1.183",
        diff_mean="-1.952",
        diff_sd="1.161",
        diff_order="pre - post",
        pre_range=(6, 8),
    )
    report = table.check()  # bounded work: the sums beyond MAX_SUMS are skipped, not listed
    assert report.consistent
    skipped = [i.reason for i in report.items if i.verdict == "not checked"]
    assert len(skipped) == 4
    assert all("exceed MAX_SUMS = 100000" in reason for reason in skipped)
    assert "10000000001 candidate sums" in skipped[0]


def _debit_reference(mean: str, sd: str, n: int, rounding: str) -> bool:
    m, s = reported(mean), reported(sd)
    return any(
        m.admits(Fraction(k, n), rounding)
        and forensics.sd_admits(s, Fraction(k * (n - k), n * (n - 1)), rounding)
        for k in range(n + 1)
    )


@settings(max_examples=400, deadline=None)
@given(
    st.integers(2, 60),
    st.integers(0, 100),
    st.integers(0, 60),
    st.sampled_from(ROUNDING),
    st.sampled_from([1, 2]),
)
def test_debit_bisection_equals_the_count_by_count_search(n, mean, sd, rounding, decimals):
    mean_text = f"{mean / 100:.{decimals}f}"
    sd_text = f"{sd / 100:.{decimals}f}"
    assert ps.debit(mean_text, sd_text, n, rounding=rounding) == _debit_reference(
        mean_text, sd_text, n, rounding
    )


# ---- item 2: an ambiguous comma -------------------------------------------------------


@pytest.mark.parametrize("text", ["1,234", "-1,234", "12,345", "999,000"])
def test_a_comma_before_three_digits_is_refused(text):
    with pytest.raises(ps.InputValueError, match="ambiguous.*write"):
        ps.grim(text, 21)
    with pytest.raises(ps.InputValueError, match="pre_mean.*ambiguous"):
        ps.PairedSummary(n=21, pre_mean=text, pre_sd="1.0", post_mean="2.0", post_sd="1.0")


def test_an_unambiguous_decimal_comma_is_still_read():
    assert reported("0,740").decimals == 3
    assert reported("1,23").value == Fraction(123, 100)
    with pytest.raises(ps.InputValueError, match="thousands separators"):
        reported("1,234,567")


# ---- item 3: bounded work -------------------------------------------------------------


def _quick(call):
    """Run ``call``: its answer or the library's error. The work is bounded by the library's
    limits (MAX_SUMS, ...); speed itself is measured in benchmarks/, never asserted here."""
    try:
        call()
    except ps.PairedStudyError as error:
        result = error
    else:
        result = None
    return result


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ps.grim("1e-999999999", 21), "MAX_DECIMALS"),
        (lambda: ps.grim(("7.05", 10**8), 21), "MAX_DECIMALS"),
        (lambda: ps.grim("1e999999999", 21), "MAX_INTEGER_DIGITS"),
        (lambda: ps.grim("7.05", 21, items=10**6), "MAX_ITEMS"),
        (
            lambda: ps.PairedSummary(
                n=21, pre_mean="1e-9999999", pre_sd="1.0", post_mean="2.0", post_sd="1.0"
            ),
            "MAX_DECIMALS",
        ),
        (
            lambda: ps.PairedSummary(
                n=21, pre_mean="7.05", pre_sd="1.0", post_mean="2.0", post_sd="1.0", items=10**6
            ),
            "MAX_ITEMS",
        ),
        (lambda: ps.grimmer("0.5", "0.5", 10**12), "MAX_SUMS"),
    ],
)
def test_unbounded_work_is_refused_quickly(call, match):
    error = _quick(call)
    assert isinstance(error, ps.InputValueError), error
    assert match in str(error)


def test_huge_inputs_are_answered_quickly():
    assert _quick(lambda: ps.debit("0.50", "0.10", 10**8)) is None
    assert not ps.debit("0.50", "0.10", 10**8)
    assert ps.debit("0.50", "0.50", 10**8)
    assert _quick(lambda: ps.grimmer("100000", "50000", 4)) is None
    assert ps.grimmer("100000", "50000", 4)
    assert ps.grimmer("100000", "50000", 3)
    assert ps.grim("7.05", 10**30)


# ---- item 4: raw exceptions become library errors -------------------------------------


@pytest.mark.parametrize(
    ("figure", "error", "match"),
    [
        (("7.05", -1), ps.InputValueError, "decimals of mean.*from 0 to 15.*-1"),
        (("7.05", "x"), ps.InputTypeError, "decimals of mean.*whole number.*'x'"),
        (("7.05", 2.7), ps.InputValueError, "decimals of mean.*whole number.*2.7"),
        (("7.05", True), ps.InputTypeError, "decimals of mean"),
    ],
)
def test_bad_decimals_are_refused(figure, error, match):
    with pytest.raises(error, match=match):
        ps.grim(figure, 21)


def test_integral_floats_are_whole_numbers():
    assert ps.grim("7.05", 21.0) == ps.grim("7.05", 21)
    assert reported(("7.05", 2.0)).decimals == 2
    with pytest.raises(ps.InputValueError, match=r"n must be a whole number.*21\.5"):
        ps.grim("7.05", 21.5)
    with pytest.raises(ps.InputTypeError, match="n must be a whole number"):
        ps.grim("7.05", "21")


def test_debit_refuses_a_negative_sd():
    with pytest.raises(ps.InputValueError, match="sd must not be negative; got -0.10"):
        ps.debit("0.50", "-0.10", 20)


# ---- item 5: scrutiny's ceiling_or_floor and anti_trunc -------------------------------


def test_anti_trunc_matches_scrutinys_examples():
    # scrutiny, man/rounding-uncommon.Rd: round_anti_trunc(8.421, 2) is 8.43,
    # round_anti_trunc(-8.421, 2) is -8.43
    x = Fraction(8421, 1000)
    assert reported("8.43").admits(x, "anti_trunc")
    assert not reported("8.42").admits(x, "anti_trunc")
    assert reported("-8.43").admits(-x, "anti_trunc")
    assert not reported("-8.42").admits(-x, "anti_trunc")
    # GRIM: 160 / 19 = 8.42105... prints 8.43 away from zero, 8.42 toward it
    assert ps.grim("8.43", 19, rounding="anti_trunc")
    assert not ps.grim("8.42", 19, rounding="anti_trunc")
    assert ps.grim("8.42", 19, rounding="trunc")
    # a value already at the printed precision stays (exact): 3 / 2 prints 1.5
    assert ps.grim("1.5", 2, rounding="anti_trunc")
    assert not ps.grim("1.6", 2, rounding="anti_trunc")
    assert not reported("0.0").admits(Fraction(1, 100), "anti_trunc")
    assert reported("0.0").admits(Fraction(0), "anti_trunc")


def test_ceiling_or_floor_accepts_either():
    # scrutiny, man/rounding-uncommon.Rd: round_ceiling(4.52, 1) is 4.6,
    # round_floor(4.67, 1) is 4.6
    assert reported("4.6").admits(Fraction(452, 100), "ceiling_or_floor")
    assert reported("4.6").admits(Fraction(467, 100), "ceiling_or_floor")
    assert reported("4.5").admits(Fraction(452, 100), "ceiling_or_floor")
    assert not reported("4.4").admits(Fraction(452, 100), "ceiling_or_floor")
    # 160 / 19 = 8.421...: 8.43 up, 8.42 down, never 8.44
    assert ps.grim("8.43", 19, rounding="ceiling_or_floor")
    assert ps.grim("8.42", 19, rounding="ceiling_or_floor")
    assert not ps.grim("8.44", 19, rounding="ceiling_or_floor")
    assert not ps.grim("8.42", 19, rounding="ceiling")
    assert ps.PairedSummary(n=19, rounding="ceiling_or_floor", **TABLE).rounding == (
        "ceiling_or_floor"
    )


def test_boundaries_are_exact_unlike_scrutinys_dust():
    # a mean of exactly 2.5 (5 / 2): scrutiny's dust also accepts "2.4" under floor
    assert ps.grim("2.5", 2, rounding="floor") and not ps.grim("2.4", 2, rounding="floor")
    assert ps.grim("2.5", 2, rounding="ceiling") and not ps.grim("2.6", 2, rounding="ceiling")
    assert "Exact" in ps.grim.__doc__ and "scrutiny" in ps.grim.__doc__
    assert math.isfinite(float(reported("2.5")))


# ---- reconstruction: refusals, the seed, immutable diagnostics, an impossible table ------


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"sample": 0}, ps.InputValueError, "sample must be a whole number of at least 1; got 0"),
        ({"sample": -1}, ps.InputValueError, "sample must be .* got -1"),
        ({"sample": True}, ps.InputValueError, "sample must be .* got True"),
        ({"sample": 10**7}, ps.InputValueError, "sample must be at most MAX_DATASETS"),
        ({"limit": 10**9}, ps.InputValueError, "limit must be at most MAX_DATASETS"),
        ({"seed": 5.0}, ps.InputTypeError, "seed must be a non-negative integer.*5.0"),
        ({"seed": -1}, ps.InputValueError, "seed must be a non-negative integer.*-1"),
        ({"thin": 0}, ps.InputValueError, "thin must be a whole number of at least 1"),
    ],
)
def test_reconstruct_refuses_bad_options_up_front(options, error, match):
    with pytest.raises(error, match=match):
        ps.datasets.oxytocin_table3().reconstruct(scale=(6, 10), **options)


@pytest.mark.parametrize(("n", "scale"), [(300, (0, 100)), (10**6, (0, 10))])
def test_reconstruct_refuses_oversized_tables_with_an_estimate(n, scale):
    table = ps.PairedSummary(n=n, pre_mean="5.00", pre_sd="1.00", post_mean="5.50", post_sd="1.00")
    error = _quick(lambda: table.reconstruct(scale=scale))
    assert isinstance(error, ps.InputValueError)
    assert "MAX_SUBJECT_SCORES" in str(error) and "multisets" in str(error)


def test_a_sample_records_its_seed_and_its_diagnostics_are_immutable(monkeypatch):
    table = ps.datasets.oxytocin_table3()
    options = {"limit": 100, "sample": 4, "burn_in": 2, "thin": 1}
    rec = table.reconstruct(scale=(6, 10), seed=None, **options)
    again = table.reconstruct(scale=(6, 10), seed=rec.diagnostics["seed"], **options)
    seeded = table.reconstruct(scale=(6, 10), seed=3, **options)
    assert isinstance(rec.diagnostics["seed"], int)
    assert again.tables == rec.tables
    assert seeded.diagnostics["seed"] == 3
    # an exact sample: its count, no chains (R-hat does not apply)
    assert rec.diagnostics["sampler"] == "exact" and rec.diagnostics["count"] == 248
    assert rec.diagnostics["rhat_max"] is None
    with pytest.raises(TypeError):
        rec.diagnostics["rhat"]["zero_changes"] = 0  # type: ignore[index]
    # the Markov chains' sample (a count over its budget) records the same
    monkeypatch.setattr(forensics.reconstruction, "COUNT_BUDGET", 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.ConvergenceWarning)
        chains = table.reconstruct(scale=(6, 10), seed=None, **options)
        chains_again = table.reconstruct(scale=(6, 10), seed=chains.diagnostics["seed"], **options)
    assert chains_again.tables == chains.tables
    assert isinstance(chains.diagnostics["subjects_per_step"], tuple)
    with pytest.raises(TypeError):
        chains.diagnostics["rhat"]["zero_changes"] = 0  # type: ignore[index]


def test_an_impossible_table_is_no_consistent_dataset_not_an_empty_sample():
    # 1444 x 1224 consistent pre and post multisets (too many pairs to list), but the
    # printed difference 3.00 cannot come from means 5.00 and 6.00
    table = ps.PairedSummary(
        n=20,
        pre_mean="5.00",
        pre_sd="2.00",
        post_mean="6.00",
        post_sd="2.00",
        diff_mean="3.00",
        diff_sd="2.00",
    )
    rec = table.reconstruct(scale=(0, 10), sample=5, seed=0)
    assert rec.complete and len(rec) == 0
    assert str(rec).startswith("Reconstruction: all 0")
    assert "no consistent dataset exists (difference of means" in rec.method


def test_a_statistic_that_is_not_a_number_is_refused_by_name():
    rec = ps.datasets.oxytocin_table3().reconstruct(scale=(6, 10))
    with pytest.raises(ps.InputTypeError, match="real number"):
        rec.range(lambda s: "x")
    with pytest.raises(ps.InputTypeError, match="statistic must be a function"):
        rec.values("pvalue")
