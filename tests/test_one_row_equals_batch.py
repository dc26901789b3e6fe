"""One row of a batch equals the single study bit for bit, whichever path the kernel takes.

The signed-rank and sign kernels specialise some steps when they get one row (the signed-rank
sums of one sorted row as Python numbers, scalar tails, notes built only when some row has
them); these properties check that the specialised steps give exactly the figures of the
general ones, over ties, zeros, alternatives, ``mu``, levels and every option.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.inference._walsh import midpoint, walsh_median
from pairedstudy.inference.sign import sign_test_batch as sign_rows
from pairedstudy.inference.wilcoxon import _block_sums, _row_sums, wilcoxon_rows

ALTERNATIVES = st.sampled_from(["two-sided", "less", "greater"])
LEVELS = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99])


@st.composite
def batches(draw: st.DrawFn) -> np.ndarray:
    """2-4 rows of 1-30 changes, from a few values (ties and zeros) or continuous ones."""
    rows = draw(st.integers(2, 4))
    n = draw(st.integers(1, 30))
    if draw(st.booleans()):
        values = st.integers(-3, 3).map(float)  # ties and zeros
    else:
        values = st.floats(-100, 100, allow_nan=False, allow_subnormal=False)
    flat = draw(st.lists(values, min_size=rows * n, max_size=rows * n))
    return np.array(flat, dtype=float).reshape(rows, n)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


FIELDS = ("statistic", "pvalue", "df", "estimate", "ci_low", "ci_high", "attained_level")


def _check_rows_equal(batch: object, single: object, row: int, extra: tuple[str, ...]) -> None:
    for name in FIELDS + extra:
        got = float(np.asarray(getattr(batch, name))[row])
        want = float(np.asarray(getattr(single, name))[0])
        assert _same(got, want), (name, got, want)
    assert batch.method_of(row) == single.method_of(0)  # type: ignore[attr-defined]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert batch.single_notes(row, warn=False) == single.single_notes(0, warn=False)  # type: ignore[attr-defined]


@given(
    changes=batches(),
    alternative=ALTERNATIVES,
    mu=st.sampled_from([0.0, 1.0, -0.5, 2.0]),
    level=LEVELS,
    zero_method=st.sampled_from(["wilcox", "pratt", "zsplit"]),
    method=st.sampled_from(["auto", "exact", "asymptotic"]),
    correction=st.booleans(),
    interval=st.booleans(),
)
def test_wilcoxon_one_row_equals_its_row_of_a_batch(
    changes: np.ndarray,
    alternative: str,
    mu: float,
    level: float,
    zero_method: str,
    method: str,
    correction: bool,
    interval: bool,
) -> None:
    options = {
        "alternative": alternative,
        "mu": mu,
        "confidence_level": level,
        "zero_method": zero_method,
        "method": method,
        "correction": correction,
        "interval": interval,
    }
    batch = wilcoxon_rows(changes, **options)  # type: ignore[arg-type]
    extra = ("n_zero", "n_used", "null_mean", "null_variance", "z")
    for row in range(changes.shape[0]):
        single = wilcoxon_rows(changes[row : row + 1], **options)  # type: ignore[arg-type]
        _check_rows_equal(batch, single, row, extra)
        assert bool(batch.ties[row]) == bool(single.ties[0])
        assert bool(batch.exact[row]) == bool(single.exact[0])


@given(
    changes=batches(),
    alternative=ALTERNATIVES,
    mu=st.sampled_from([0.0, 1.0, -0.5]),
    level=LEVELS,
)
def test_wilcoxon_study_test_equals_kernel_row(
    changes: np.ndarray, alternative: str, mu: float, level: float
) -> None:
    """``study.test`` reports exactly the kernel's row (the registry adds no arithmetic)."""
    row = changes[0]
    assume(row.size >= 2)  # a study has at least two pairs
    study = ps.PairedStudy(np.zeros(row.size), row)
    assume(np.array_equal(study.change, row))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = study.test("wilcoxon", alternative=alternative, mu=mu, confidence_level=level)
    rows = wilcoxon_rows(changes, alternative=alternative, mu=mu, confidence_level=level)
    assert _same(result.statistic, float(rows.statistic[0]))
    assert _same(result.pvalue, float(rows.pvalue[0]))
    assert _same(result.estimate, float(rows.estimate[0]))
    assert result.ci is not None
    assert _same(result.ci.low, float(rows.ci_low[0]))
    assert _same(result.ci.high, float(rows.ci_high[0]))


@given(
    changes=batches(),
    alternative=ALTERNATIVES,
    mu=st.sampled_from([0.0, 1.0, -0.5]),
    level=LEVELS,
)
def test_sign_one_row_equals_its_row_of_a_batch(
    changes: np.ndarray, alternative: str, mu: float, level: float
) -> None:
    options = {"alternative": alternative, "mu": mu, "confidence_level": level}
    batch = sign_rows(changes, **options)  # type: ignore[arg-type]
    for row in range(changes.shape[0]):
        single = sign_rows(changes[row : row + 1], **options)  # type: ignore[arg-type]
        _check_rows_equal(batch, single, row, ())


@given(
    a=st.floats(-1e300, 1e300, allow_nan=False, allow_subnormal=False),
    b=st.floats(-1e300, 1e300, allow_nan=False, allow_subnormal=False),
)
def test_midpoint_is_the_plain_mean_wherever_that_is_finite(a: float, b: float) -> None:
    assume(abs(a) >= 1e-300 or a == 0.0)
    assume(abs(b) >= 1e-300 or b == 0.0)
    assert midpoint(a, b) == (a + b) / 2.0


# --------------------------------------------------------------------------------------
# Hodges-Lehmann estimate near the largest float64 (issue 15, item 2)
# --------------------------------------------------------------------------------------

HUGE = [1e308, 1.5e308, 1.7e308, 1.6e308]


def test_hodges_lehmann_does_not_overflow_in_the_test() -> None:
    with pytest.warns(ps.SmallSampleWarning):
        result = ps.PairedStudy([0.0] * 4, HUGE).test("wilcoxon")
    assert math.isfinite(result.estimate)
    assert result.estimate == pytest.approx(1.525e308, rel=1e-12)
    assert result.ci is not None
    assert result.ci.low <= result.estimate <= result.ci.high


def test_hodges_lehmann_does_not_overflow_in_a_batch() -> None:
    post = np.array([HUGE, [-x for x in HUGE]])
    with pytest.warns(ps.SmallSampleWarning):
        batch = ps.test_batch("wilcoxon", np.zeros((2, 4)), post)
    assert np.all(np.isfinite(batch.estimate))
    assert batch.estimate[0] == pytest.approx(1.525e308, rel=1e-12)
    assert batch.estimate[1] == -batch.estimate[0]


def test_walsh_median_does_not_overflow() -> None:
    assert walsh_median(np.array(HUGE)) == pytest.approx(1.525e308, rel=1e-12)
    assert walsh_median(np.array([1.0, 2.0, 4.0, 8.0])) == 3.5  # (3 + 4) / 2


def test_hodges_lehmann_effect_size_does_not_overflow() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        effect = ps.PairedStudy([0.0] * 4, HUGE).effect_size("hl")
    assert effect.value == pytest.approx(1.525e308, rel=1e-12)
    assert effect.ci is not None
    assert effect.ci.low <= effect.value <= effect.ci.high


@pytest.mark.parametrize("budget", [0, 60, 400, 10**9])
@pytest.mark.parametrize("table_limit", [0, 100, 2_000_000_000])
@pytest.mark.parametrize("method", ["auto", "exact"])
def test_wilcoxon_one_row_exact_decision_equals_batch(
    monkeypatch: pytest.MonkeyPatch, budget: int, table_limit: int, method: str
) -> None:
    """One study decides exact or asymptotic (and classical or sign-flip) as its batch row."""
    import pairedstudy.inference.wilcoxon as kernel

    monkeypatch.setattr(kernel, "EXACT_BUDGET", budget)
    monkeypatch.setattr(kernel, "TABLE_LIMIT", table_limit)
    rng = np.random.default_rng(14)
    changes = np.vstack(
        [
            rng.normal(size=12),  # untied, no zeros: the classical table
            rng.integers(-2, 3, 12).astype(float),  # ties and zeros: the sign-flip table
            np.round(rng.normal(size=12), 1),
            np.r_[np.zeros(3), rng.normal(size=9)],  # zeros only
            np.zeros(12),  # every change equals mu
        ]
    )
    options = {"alternative": "two-sided", "mu": 0.0, "confidence_level": 0.9, "method": method}
    batch = wilcoxon_rows(changes, **options)  # type: ignore[arg-type]
    for row in range(changes.shape[0]):
        single = wilcoxon_rows(changes[row : row + 1], **options)  # type: ignore[arg-type]
        _check_rows_equal(batch, single, row, ("null_mean", "null_variance", "z"))
        assert bool(batch.exact[row]) == bool(single.exact[0])
    if method == "auto" and budget == 0:
        assert not batch.exact[:-1].any()  # every test costs something: none is exact
    if method == "auto" and budget == 10**9:
        assert batch.exact.all()


def test_a_mu_that_pushes_change_minus_mu_beyond_the_float_range_is_refused() -> None:
    study = ps.PairedStudy([0.0] * 6, [-1.7e308, -1e308, -1.2e308, -1.5e308, -1.1e308, -1.3e308])
    with pytest.raises(ps.InputValueError, match=r"mu = 1e\+308"):
        study.test("wilcoxon", mu=1e308)
    with pytest.raises(ps.InputValueError, match=r"mu = 1e\+308"):
        ps.test_batch("wilcoxon", study.pre[None, :], study.post[None, :], mu=1e308)
    assert 0.0 <= study.test("wilcoxon", mu=-1e307).pvalue <= 1.0  # finite differences


def _sums_of_block(d: np.ndarray, zero_method: str, need_factor: bool) -> list[tuple]:
    """:func:`_block_sums` of the rows of ``d``, row by row, in :func:`_row_sums`' order."""
    rows = d.shape[0]
    n_used, positive_sum, score_sum, constant, factor = np.zeros((5, rows), dtype=np.int64)
    ties, value_ties = np.zeros((2, rows), dtype=bool)
    null_variance = np.zeros(rows)
    scores = _block_sums(
        d, zero_method, n_used, ties, positive_sum, score_sum, constant, null_variance, factor,
        need_factor, value_ties,
    )  # fmt: skip
    return [
        (
            int(n_used[i]),
            bool(ties[i]),
            int(positive_sum[i]),
            int(score_sum[i]),
            int(constant[i]),
            float(null_variance[i]),
            int(factor[i]),
            bool(value_ties[i]),
            scores[i][scores[i] > 0].tolist(),  # the non-zero scores, in |d| order
        )
        for i in range(rows)
    ]


def _sums_of_row(d: np.ndarray, zero_method: str, need_factor: bool) -> tuple:
    sums = _row_sums(d, zero_method, need_factor)
    return (*sums[:-1], sums.scores.tolist())


@given(
    changes=batches(),
    zero_method=st.sampled_from(["wilcox", "pratt", "zsplit"]),
    need_factor=st.booleans(),
)
def test_signed_rank_sums_of_one_row_equal_the_block_sums(
    changes: np.ndarray, zero_method: str, need_factor: bool
) -> None:
    """The one-study sums (closed forms, a slice past the zeros) equal the batch's."""
    changes = np.vstack([changes, -changes[:1], np.abs(changes[:1])])  # both signs of -0.0
    block = _sums_of_block(changes, zero_method, need_factor)
    for i in range(changes.shape[0]):
        assert _sums_of_row(changes[i], zero_method, need_factor) == block[i]


@pytest.mark.parametrize("zero_method", ["wilcox", "pratt", "zsplit"])
def test_signed_rank_sums_of_one_long_row_equal_the_block_sums(zero_method: str) -> None:
    """Past n = 130 000 the null variance is a float sum over the row: the same one."""
    rng = np.random.default_rng(3)
    n = 140_000
    changes = np.vstack(
        [
            rng.integers(-50, 51, n).astype(float),  # ties and zeros
            np.r_[0.0, rng.normal(size=n - 1)],  # untied, one zero
        ]
    )
    block = _sums_of_block(changes, zero_method, True)
    for i in range(2):
        assert _sums_of_row(changes[i], zero_method, True) == block[i]


# --------------------------------------------------------------------------------------
# The sign kernel's one-row path on extreme values (issue 14, item 1: the single call
# counts signs by bisection of the sorted row and takes its figures as Python floats)
# --------------------------------------------------------------------------------------

EXTREME = st.one_of(
    st.sampled_from(
        [0.0, -0.0, 5e-324, -5e-324, 2.5e-308, -1e-310, 1.5, -1.5, 1e308, -1e308, 1.7e308]
    ),
    st.floats(allow_nan=False, allow_infinity=False),
)


@given(
    data=st.data(),
    alternative=ALTERNATIVES,
    level=LEVELS,
)
def test_sign_one_row_equals_its_batch_row_on_extreme_values(
    data: st.DataObject, alternative: str, level: float
) -> None:
    """Huge (scaled medians, overflowing x - mu), subnormal and signed-zero changes and mu."""
    rows = data.draw(st.integers(2, 3))
    n = data.draw(st.integers(1, 12))
    flat = data.draw(st.lists(EXTREME, min_size=rows * n, max_size=rows * n))
    changes = np.array(flat, dtype=float).reshape(rows, n)
    # mu equal to a change (a tie with mu), or another extreme value
    mu = data.draw(st.one_of(st.sampled_from(flat), EXTREME))
    options = {"alternative": alternative, "mu": mu, "confidence_level": level}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # nothing overflows or warns
        batch = sign_rows(changes, **options)  # type: ignore[arg-type]
        for row in range(rows):
            single = sign_rows(changes[row : row + 1], **options)  # type: ignore[arg-type]
            _check_rows_equal(batch, single, row, ("n_positive", "n_negative"))
            assert int(single.n_positive[0]) == np.count_nonzero(changes[row] > mu)
            assert int(single.n_negative[0]) == np.count_nonzero(changes[row] < mu)


@pytest.mark.parametrize("test", ["t", "sign", "wilcoxon", "yuen"])
@pytest.mark.parametrize("studies", [1, 3])
@pytest.mark.parametrize(
    "options", [{}, {"alternative": "less"}, {"alternative": "greater", "interval": False}]
)
def test_batch_columns_cannot_be_made_writeable(
    test: str, studies: int, options: dict[str, object]
) -> None:
    """Every column of a kernel's batch stays read-only (views of a read-only base)."""
    if test != "wilcoxon":  # the others have no interval option
        options = {k: v for k, v in options.items() if k != "interval"}
    pre = np.zeros((studies, 6))
    post = np.array([[0.5, -1.0, 2.0, 3.0, 0.0, 1.5]] * studies) + np.arange(studies)[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ps.test_batch(test, pre, post, **options)
    for name in FIELDS:
        array = getattr(result, name)
        with pytest.raises(ValueError):
            array.flags.writeable = True


def test_one_study_masks_cannot_be_made_writeable() -> None:
    """One study's masks are shared by every later call: their write protection stays."""
    for changes in ([1.0, 2, 3, 4, 5, 6], [1.0, 1, 0, 2, -2, 3]):
        rows = wilcoxon_rows(
            np.array([changes]), alternative="two-sided", mu=0.0, confidence_level=0.95
        )
        for mask in (rows.ties, rows.exact, *(note.mask for note in rows.notes)):
            with pytest.raises(ValueError):
                mask.flags.writeable = True
