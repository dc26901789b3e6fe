"""test_batch on dask arrays: equal to numpy, any chunking, any scheduler (skipped without dask).

The whole module is skipped when dask is not installed, so the numpy tests of test_batch.py
run without it.
"""

import warnings

import numpy as np
import pytest

import pairedstudy as ps
from pairedstudy.errors import InputValueError

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")


@pytest.mark.parametrize("name", ["t", "sign", "wilcoxon"])
def test_dask_equals_numpy(name):
    rng = np.random.default_rng(7)
    pre = rng.integers(1, 6, (6, 5, 15)).astype(float)
    post = rng.integers(1, 6, (6, 5, 15)).astype(float)
    pre[0, 0, 3] = np.nan
    post[2, 1, :14] = np.nan  # one study left with one pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        expected = ps.test_batch(name, pre, post, axis=2, missing="drop")
        lazy_pre = da.from_array(pre, chunks=(4, 2, 5))
        lazy_post = da.from_array(post, chunks=(3, 5, 15))
        with dask.config.set(scheduler="synchronous"):
            got = ps.test_batch(name, lazy_pre, lazy_post, axis=2, missing="drop")
    assert got == expected
    assert got.notes == expected.notes


def test_dask_subjects_axis_first_and_threads():
    rng = np.random.default_rng(8)
    pre = rng.normal(size=(20, 7))
    post = pre + rng.normal(0.3, 1, (20, 7))
    expected = ps.test_batch("t", pre, post, axis=0)
    with dask.config.set(scheduler="threads"):
        got = ps.test_batch("t", da.from_array(pre, chunks=(5, 3)), post, axis=0)
    assert got == expected


def test_dask_single_study_and_errors():
    oxy = ps.datasets.oxytocin_massage()
    lazy = da.from_array(np.asarray(oxy.pre), chunks=5)
    with dask.config.set(scheduler="synchronous"):
        got = ps.test_batch("t", lazy, np.asarray(oxy.post))
    assert float(got.pvalue) == oxy.test("t").pvalue
    with pytest.raises(InputValueError, match="same shape"):
        ps.test_batch("t", da.ones((3, 4)), da.ones((3, 5)))
    with pytest.raises(InputValueError, match="axis=5 is out of range"):
        ps.test_batch("t", da.ones((3, 4)), da.ones((3, 4)), axis=5)
    with dask.config.set(scheduler="synchronous"), pytest.raises(InputValueError, match="missing"):
        ps.test_batch("t", da.from_array(np.full((2, 3), np.nan)), da.ones((2, 3)))
