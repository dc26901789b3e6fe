"""Tests run from many threads at once give the figures of a serial run (issue 15, item 11)."""

from __future__ import annotations

import sys
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import pairedstudy as ps
from pairedstudy.inference import _exact


def _figures(n: int) -> tuple[float, float, float, float, float]:
    rng = np.random.default_rng(n)
    pre = rng.normal(10.0, 2.0, n)
    post = pre + rng.normal(0.3, 1.0, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ps.PairedStudy(pre, post).test("wilcoxon")
    assert result.ci is not None
    return result.statistic, result.pvalue, result.estimate, result.ci.low, result.ci.high


def test_wilcoxon_from_eight_threads_over_forty_sizes_equals_a_serial_run() -> None:
    # 40 different n, more than the 16 signed-rank tables the cache keeps: threads evict
    # entries while others insert (this raised a raw KeyError before the cache had a lock)
    sizes = list(range(5, 45)) * 3
    _exact._SIGNRANK_CACHE.clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(_figures, sizes))
    assert len(_exact._SIGNRANK_CACHE) <= _exact._SIGNRANK_CACHE_SIZE
    serial = [_figures(n) for n in sizes]
    assert threaded == serial


def test_signrank_cdf_from_eight_threads_equals_a_serial_run() -> None:
    sizes = list(range(1, 41)) * 4
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: the unguarded cache failed 2 in 20
    try:
        for _ in range(20):
            _exact._SIGNRANK_CACHE.clear()
            with ThreadPoolExecutor(max_workers=8) as pool:
                threaded = list(pool.map(_exact.signrank_cdf, sizes))
    finally:
        sys.setswitchinterval(interval)
    for n, cdf in zip(sizes, threaded, strict=True):
        assert np.array_equal(cdf, _exact.signrank_cdf(n))
        assert cdf.size == n * (n + 1) // 2 + 1
