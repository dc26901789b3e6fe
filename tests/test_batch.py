"""ps.test_batch: many studies at once, equal to one study at a time, element by element."""

import math
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.errors import DegenerateDataError, InputValueError

FIELDS = ("statistic", "pvalue", "estimate")


def _same(a, b):
    """Equal floats, NaN equal to NaN (batch NaN where a single study gives None)."""
    if b is None:
        return math.isnan(a)
    return (math.isnan(a) and math.isnan(b)) or a == b


def _single(pre, post, name, missing, kwargs):
    """What PairedStudy.test reports for one study: a dict, or the reason it did not run."""
    try:
        study = ps.PairedStudy(pre, post, missing=missing)
    except InputValueError:
        return "too few"
    try:
        return study.test(name, **kwargs)
    except DegenerateDataError:
        return "degenerate"


def check_equal_to_single(pre, post, axis, name, missing="drop", **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        batch = ps.test_batch(name, pre, post, axis=axis, missing=missing, **kwargs)
        pre_m = np.moveaxis(np.asarray(pre, float), axis, -1)
        post_m = np.moveaxis(np.asarray(post, float), axis, -1)
        assert batch.shape == pre_m.shape[:-1]
        for index in np.ndindex(*batch.shape):
            single = _single(pre_m[index], post_m[index], name, missing, kwargs)
            where = (index, name, kwargs)
            if single == "too few":
                assert batch.method[index] == "not computed", where
                assert math.isnan(batch.pvalue[index]), where
                continue
            if single == "degenerate":
                assert math.isnan(batch.statistic[index]), where
                assert math.isnan(batch.pvalue[index]), where
                continue
            for field in FIELDS:
                assert _same(getattr(batch, field)[index], getattr(single, field)), (field, where)
            assert _same(batch.df[index], single.df), where
            assert batch.n[index] == single.n, where
            assert batch.method[index] == single.method, where
            ci = single.ci
            assert _same(batch.ci_low[index], None if ci is None else ci.low), where
            assert _same(batch.ci_high[index], None if ci is None else ci.high), where
            attained = None if ci is None else ci.attained_level
            assert _same(batch.attained_level[index], attained), where
    return batch


@st.composite
def batches(draw):
    ndim = draw(st.integers(1, 3))
    shape = draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim))
    axis = draw(st.integers(-ndim, ndim - 1))
    shape[axis] = draw(st.integers(2, 14))  # subjects
    size = int(np.prod(shape))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["ties", "continuous", "mixed"]))
    if kind == "ties":
        pre = rng.integers(1, 5, size).astype(float)
        post = rng.integers(1, 5, size).astype(float)
    elif kind == "continuous":
        pre = rng.normal(0, 1, size)
        post = pre + rng.normal(0.3, 1, size)
    else:
        pre = rng.integers(-3, 4, size) * 0.5
        post = rng.normal(0, 1, size).round(1)
    nan_rate = draw(st.sampled_from([0.0, 0.0, 0.1, 0.4]))
    pre[rng.random(size) < nan_rate] = np.nan
    post[rng.random(size) < nan_rate / 2] = np.inf
    return pre.reshape(shape), post.reshape(shape), axis


ALTERNATIVES = st.sampled_from(["two-sided", "less", "greater"])
MUS = st.sampled_from([0.0, 0.5, -1.0])
LEVELS = st.sampled_from([0.95, 0.8, 0.99])


@given(batches(), ALTERNATIVES, MUS, LEVELS)
def test_t_batch_equals_single(data, alternative, mu, level):
    pre, post, axis = data
    check_equal_to_single(
        pre, post, axis, "t", alternative=alternative, mu=mu, confidence_level=level
    )


@given(batches(), ALTERNATIVES, MUS, LEVELS)
def test_sign_batch_equals_single(data, alternative, mu, level):
    pre, post, axis = data
    check_equal_to_single(
        pre, post, axis, "sign", alternative=alternative, mu=mu, confidence_level=level
    )


@given(
    batches(),
    ALTERNATIVES,
    MUS,
    LEVELS,
    st.sampled_from(["auto", "exact", "asymptotic"]),
    st.sampled_from(["wilcox", "pratt", "zsplit"]),
    st.booleans(),
    st.sampled_from([True, True, False]),
)
def test_wilcoxon_batch_equals_single(
    data, alternative, mu, level, method, zero, correction, interval
):
    pre, post, axis = data
    check_equal_to_single(
        pre,
        post,
        axis,
        "wilcoxon",
        alternative=alternative,
        mu=mu,
        confidence_level=level,
        method=method,
        zero_method=zero,
        correction=correction,
        interval=interval,
    )


def test_wilcoxon_batch_mixes_exact_and_asymptotic(monkeypatch):
    """auto decides per study; the one exact distribution per rank pattern is shared."""
    from pairedstudy.inference import wilcoxon as module

    rng = np.random.default_rng(5)
    pre = rng.integers(1, 6, (30, 60)).astype(float)
    post = rng.integers(1, 6, (30, 60)).astype(float)
    post[:10] = pre[:10] + rng.normal(0, 1, (10, 60))  # untied: cheap classical table
    monkeypatch.setattr(module, "EXACT_BUDGET", 40_000)
    batch = check_equal_to_single(pre, post, -1, "wilcoxon")
    assert set(batch.method.tolist()) == {"exact", "asymptotic"}


def test_large_n_uses_the_counting_walsh_search(monkeypatch):
    from pairedstudy.inference import _walsh

    monkeypatch.setattr(_walsh, "DIRECT_LIMIT", 50)
    rng = np.random.default_rng(2)
    pre = rng.normal(size=(3, 30))
    check_equal_to_single(pre, pre + rng.normal(0.2, 1, (3, 30)).round(1), 1, "wilcoxon")


def test_extreme_magnitudes_are_scaled_like_single_studies():
    rng = np.random.default_rng(3)
    pre = rng.normal(size=(4, 9)) * np.array([[1e200], [1e-200], [1.0], [1e150]])
    post = pre * 1.5
    for name in ("t", "sign", "wilcoxon"):
        check_equal_to_single(pre, post, -1, name)


@pytest.mark.parametrize("boundary", [2.0**-59, 2.0**-58, 2.0**-55, 2.0**59, 2.0**60])
def test_tiny_rows_beside_ordinary_ones_are_scaled_like_single_studies(boundary):
    # no huge row: the t kernel skips the per-row scaling pass and recomputes tiny rows
    rng = np.random.default_rng(4)
    scales = np.array([[1.0], [1e-200], [1e-20], [boundary], [1e-310], [0.5 * boundary]])
    pre = rng.normal(size=(6, 11)) * scales
    post = pre + rng.normal(0.3, 1.0, (6, 11)) * scales
    check_equal_to_single(pre, post, -1, "t")


def test_missing_raise_names_the_study():
    pre = np.ones((3, 5))
    post = np.arange(15.0).reshape(3, 5)
    post[2, 3] = np.nan
    with pytest.raises(InputValueError, match=r"study 2, at subject position 3.*missing=\"drop\""):
        ps.test_batch("t", pre, post)


def test_drop_leaves_too_small_studies_uncomputed():
    pre = np.arange(12.0).reshape(3, 4)
    post = pre + np.array([1.0, 3.0, 2.0, 5.0])
    post[1, :3] = np.nan
    result = ps.test_batch("t", pre, post, missing="drop")
    assert result.method.tolist() == ["exact", "not computed", "exact"]
    assert result.n.tolist() == [4, 1, 4]
    assert math.isnan(result.pvalue[1])
    assert any("fewer than 2 complete pairs" in note and "1 of 3" in note for note in result.notes)


def test_constant_change_is_a_nan_row_for_t():
    pre = np.zeros((2, 5))
    post = np.array([[1.0, 1, 1, 1, 1], [1, 2, 3, 4, 6]])
    result = ps.test_batch("t", pre, post)
    assert math.isnan(result.statistic[0]) and not math.isnan(result.statistic[1])
    assert result.estimate[0] == 1.0
    assert any("constant" in note for note in result.notes)


@pytest.mark.parametrize(
    ("pre_shape", "post_shape", "axis", "error", "message"),
    [
        ((3, 5), (3, 6), -1, InputValueError, r"same shape.*\(3, 5\).*\(3, 6\)"),
        ((3, 5), (5, 3), 0, InputValueError, "same shape"),
        ((3, 5), (3, 5), 2, InputValueError, "axis=2 is out of range for pre with 2 dim"),
        ((3, 5), (3, 5), -3, InputValueError, "axis=-3 is out of range"),
        ((3, 5), (3, 5), 1.0, ps.InputTypeError, "axis must be an integer"),
        ((3, 5), (3, 5), True, ps.InputTypeError, "axis must be an integer"),
        ((), (), -1, InputValueError, "scalar"),
    ],
)
def test_bad_shapes_are_clear_errors(pre_shape, post_shape, axis, error, message):
    with pytest.raises(error, match=message):
        ps.test_batch("t", np.ones(pre_shape), np.ones(post_shape), axis=axis)


def test_bad_arguments_are_clear_errors():
    data = np.arange(10.0).reshape(2, 5)
    with pytest.raises(ps.UnknownTestError):
        ps.test_batch("nope", data, data + 1)
    with pytest.raises(ps.InputTypeError, match="booleans"):
        ps.test_batch("t", data > 2, data)
    with pytest.raises(ps.InputTypeError, match="dtype"):
        ps.test_batch("t", np.array([["a", "b"]]), np.array([["c", "d"]]))
    with pytest.raises(InputValueError, match="missing must be one of"):
        ps.test_batch("t", data, data + 1, missing="ignore")
    with pytest.raises(InputValueError, match="alternative"):
        ps.test_batch("t", data, data + 1, alternative="both")
    with pytest.raises(ps.InputTypeError, match="unknown option"):
        ps.test_batch("t", data, data + 1, method="exact")
    with pytest.raises(InputValueError, match="zero_method"):
        ps.test_batch("wilcoxon", data, data + 1, zero_method="drop")


def test_one_study_as_1d_arrays_has_shape_empty():
    oxy = ps.datasets.oxytocin_massage()
    result = ps.test_batch("wilcoxon", oxy.pre, oxy.post)
    single = oxy.test("wilcoxon")
    assert result.shape == () and result.size == 1
    assert float(result.pvalue) == single.pvalue
    assert float(result.estimate) == single.estimate
    with pytest.raises(TypeError):
        len(result)


def test_result_is_read_only_and_serializable():
    rng = np.random.default_rng(0)
    pre = rng.normal(size=(2, 3, 8))
    result = ps.test_batch("sign", pre, pre + 1, axis=2)
    assert result.shape == (2, 3) and len(result) == 2 and result.size == 6
    with pytest.raises(ValueError):
        result.pvalue[0, 0] = 0.5
    data = result.to_dict()
    assert data["test"] == "sign" and len(data["pvalue"]) == 2
    assert pickle.loads(pickle.dumps(result)) == result
    assert "sign" in str(result) and "BatchResult" in repr(result)


def test_a_test_without_batch_implementation_is_looped():
    @ps.register_test("batch-demo-loop", replace=True)
    def demo(study, *, alternative, mu, confidence_level):
        """A sign test under another name, without a batch kernel."""
        return ps.get_test("sign")(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level
        )

    rng = np.random.default_rng(4)
    pre = rng.normal(size=(4, 12))
    post = pre + rng.normal(0.5, 1, (4, 12))
    looped = ps.test_batch("batch-demo-loop", pre, post)
    vectorized = ps.test_batch("sign", pre, post)
    assert looped.implementation == "looped" and vectorized.implementation == "vectorized"
    assert np.array_equal(looped.pvalue, vectorized.pvalue)
    assert np.array_equal(looped.ci_low, vectorized.ci_low)
    assert any("no batch implementation" in note for note in looped.notes)


def test_a_registered_batch_implementation_is_used():
    def kernel(changes, *, alternative, mu, confidence_level):
        return {"statistic": changes.mean(axis=-1), "pvalue": np.full(len(changes), 0.5)}

    @ps.register_test("batch-demo-kernel", replace=True, batch=kernel)
    def demo(study, *, alternative, mu, confidence_level):
        """Demo."""
        raise AssertionError("the batch kernel should run")

    data = np.arange(12.0).reshape(3, 4)
    result = ps.test_batch("batch-demo-kernel", data, 2 * data)
    assert result.implementation == "vectorized"
    assert result.statistic.tolist() == [1.5, 5.5, 9.5]
    assert np.isnan(result.df).all() and result.method.tolist() == ["batch"] * 3
    assert ps.registry.get_registered("batch-demo-kernel").batch is kernel
    with pytest.raises(ps.InputTypeError, match="batch must be a callable"):
        ps.register_test("batch-demo-bad", batch=3)


def test_warnings_are_issued_once_per_batch():
    pre = np.zeros((5, 4))
    post = pre.copy()
    post[:, 0] = [1, 2, 3, 4, 5]
    with pytest.warns(ps.SmallSampleWarning) as record:
        ps.test_batch("sign", pre, post)
    assert len([w for w in record if issubclass(w.category, ps.SmallSampleWarning)]) == 1
    with pytest.warns(ps.DegenerateDataWarning, match="2 of 2 studies"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ps.SmallSampleWarning)
            ps.test_batch("wilcoxon", np.ones((2, 6)), np.ones((2, 6)))


def test_import_does_not_load_heavy_modules():
    code = (
        "import sys, pairedstudy\n"
        "heavy = [m for m in ('dask', 'scipy.stats', 'pandas', 'matplotlib') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fortran_ordered_input_equals_single():
    rng = np.random.default_rng(9)
    pre = np.asfortranarray(rng.normal(size=(50, 40)))
    post = np.asfortranarray(pre + rng.normal(0.1, 1, (50, 40)))
    for name in ("t", "sign", "wilcoxon"):
        check_equal_to_single(pre, post, -1, name)


def test_rank_patterns_survive_hash_collisions(monkeypatch):
    from pairedstudy.inference import wilcoxon as module

    monkeypatch.setattr(module, "_HASH_WEIGHTS", np.zeros(4096, dtype=np.uint64))
    rng = np.random.default_rng(11)
    pre = rng.integers(1, 4, (40, 12)).astype(float)
    post = rng.integers(1, 4, (40, 12)).astype(float)
    check_equal_to_single(pre, post, -1, "wilcoxon", method="exact")


@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=2, max_size=12)
)
def test_sign_kernel_median_is_the_shared_median(values):
    """The sign kernel's median of sorted rows equals _numerics.median bit for bit."""
    from pairedstudy._numerics import median
    from pairedstudy.inference.sign import _sorted_medians

    x = np.array(values)
    assert _sorted_medians(np.sort(x)[None, :])[0] == median(x)
