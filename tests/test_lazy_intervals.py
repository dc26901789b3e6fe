"""Intervals on demand: the signed-rank test's Hodges-Lehmann estimate and interval.

They are computed on first access (issue 16), once, and every way of reading a result
(attributes, ``print``, ``to_dict``, ``to_json``, ``==``, ``pickle``) sees the same values
as a result whose interval was read at once.
"""

from __future__ import annotations

import json
import pickle
import threading

import numpy as np
import pytest

import pairedstudy as ps
from pairedstudy.inference import wilcoxon as wilcoxon_module
from pairedstudy.results._lazy import Deferred, is_pending, lazy_fields, peek, shared


@pytest.fixture
def count_selections(monkeypatch):
    """Count the calls of the Walsh-average selection the kernel makes."""
    calls = []
    original = wilcoxon_module.walsh_order_statistics_rows

    def counted(x, ks):
        calls.append(x.shape)
        return original(x, ks)

    monkeypatch.setattr(wilcoxon_module, "walsh_order_statistics_rows", counted)
    return calls


def _study(n=30, seed=1):
    rng = np.random.default_rng(seed)
    pre = rng.normal(10, 2, n)
    return ps.PairedStudy(pre, pre + rng.normal(0.5, 1, n))


def test_single_result_selects_only_when_read(count_selections):
    result = _study().test("wilcoxon")
    assert is_pending(result, "ci") and is_pending(result, "estimate")
    assert count_selections == []  # the p-value did not need the Walsh averages
    assert 0.0 <= result.pvalue <= 1.0 and result.notes is not None
    low = result.ci.low
    assert count_selections == [(1, 30)]
    assert result.ci.contains(result.estimate)
    assert count_selections == [(1, 30)]  # estimate and interval: one selection
    assert not is_pending(result, "ci") and not is_pending(result, "estimate")
    assert result.ci.low == low


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"alternative": "greater"},
        {"alternative": "less", "confidence_level": 0.9},
        {"method": "asymptotic"},
        {"mu": 0.3, "zero_method": "pratt"},
    ],
)
def test_lazy_values_equal_the_values_read_at_once(options):
    study = _study(n=25, seed=4)
    read_now = study.test("wilcoxon", **options)
    estimate, ci = read_now.estimate, read_now.ci
    later = study.test("wilcoxon", **options)
    assert is_pending(later, "ci")
    # equality reads the pending fields: the same values as those read at once
    assert later == read_now
    assert later.estimate == estimate and later.ci == ci


def test_every_reader_sees_the_values():
    study = ps.datasets.oxytocin_massage()
    reference = study.test("wilcoxon")
    reference_dict = reference.to_dict()  # reads them
    assert reference_dict["ci"]["low"] == 1.5 and reference_dict["estimate"] == 2.0

    assert study.test("wilcoxon").to_dict() == reference_dict
    assert json.loads(study.test("wilcoxon").to_json()) == json.loads(reference.to_json())
    assert "95% CI [1.5, 2.5]" in str(study.test("wilcoxon"))
    assert "1.5" in repr(study.test("wilcoxon"))
    restored = pickle.loads(pickle.dumps(study.test("wilcoxon")))
    assert not is_pending(restored, "ci")
    assert restored == reference and restored.ci == reference.ci
    assert hash(study.test("wilcoxon")) == hash(reference)


def test_interval_false_has_nothing_pending():
    result = _study().test("wilcoxon", interval=False)
    assert result.ci is None and np.isnan(result.estimate)
    assert not is_pending(result, "estimate")


def test_other_tests_are_not_lazy():
    result = _study().test("t")
    assert not is_pending(result, "ci") and not is_pending(result, "estimate")


def test_the_callers_array_may_change_after_the_call():
    rng = np.random.default_rng(7)
    changes = rng.normal(0.4, 1.0, (3, 15))
    kept = changes.copy()
    rows = wilcoxon_module.wilcoxon_test_batch(
        changes, alternative="two-sided", mu=0.0, confidence_level=0.95
    )
    changes[:] = 1e6  # the caller reuses its buffer before reading the intervals
    expected = wilcoxon_module.wilcoxon_test_batch(
        kept, alternative="two-sided", mu=0.0, confidence_level=0.95
    )
    np.testing.assert_array_equal(rows.ci_low, expected.ci_low)
    np.testing.assert_array_equal(rows.estimate, expected.estimate)


def test_concurrent_first_reads_agree(count_selections):
    result = _study(n=60).test("wilcoxon")
    seen = []
    barrier = threading.Barrier(8)

    def read():
        barrier.wait()
        seen.append((result.estimate, result.ci.low, result.ci.high))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1
    assert len(count_selections) == 1  # shared: selected once whatever the race


def test_batch_columns_on_first_access(count_selections):
    rng = np.random.default_rng(3)
    pre = rng.normal(size=(6, 20))
    post = pre + rng.normal(0.3, 1.0, (6, 20))
    post[2, 4] = np.nan  # a study of 19 complete pairs: its own kernel call
    batch = ps.test_batch("wilcoxon", pre, post, missing="drop")
    assert all(is_pending(batch, name) for name in ("estimate", "ci_low", "ci_high"))
    assert count_selections == []
    low = batch.ci_low
    calls = len(count_selections)
    assert calls >= 2  # the 20-pair and 19-pair groups
    np.testing.assert_array_equal(batch.ci_low, low)
    assert batch.ci_high.shape == batch.estimate.shape == (6,)
    assert len(count_selections) == calls  # the three columns from one computation
    assert not is_pending(batch, "ci_high") and not is_pending(batch, "estimate")
    assert not low.flags.writeable and not batch.estimate.flags.writeable
    for i in range(6):
        keep = ~np.isnan(post[i])
        single = ps.PairedStudy(pre[i][keep], post[i][keep]).test("wilcoxon")
        assert batch.estimate[i] == single.estimate
        assert (batch.ci_low[i], batch.ci_high[i]) == (single.ci.low, single.ci.high)


def test_batch_pickle_and_equality_read_the_columns():
    rng = np.random.default_rng(5)
    pre = rng.normal(size=(4, 12))
    post = pre + rng.normal(0.2, 1.0, (4, 12))
    first = ps.test_batch("wilcoxon", pre, post)
    second = ps.test_batch("wilcoxon", pre, post)
    restored = pickle.loads(pickle.dumps(ps.test_batch("wilcoxon", pre, post)))
    assert first == second == restored
    assert first.to_records()[1]["ci_low"] == second.ci_low[1]


def test_the_result_check_does_not_compute(count_selections):
    ps.get_test("wilcoxon")(_study(), alternative="two-sided", mu=0.0, confidence_level=0.95)
    assert count_selections == []


def test_the_mechanism_on_its_own():
    import attrs

    @lazy_fields("value")
    @attrs.frozen
    class Box:
        value: float
        other: int = 0

    calls = []
    once = shared(lambda: calls.append(1) or 2.5)
    box = Box(Deferred(once))
    assert isinstance(peek(box, "value"), Deferred) and repr(peek(box, "value"))
    assert box.value == 2.5 and box.value == 2.5 and calls == [1]
    assert peek(box, "other") == 0 and peek(box, "missing", None) is None
    with pytest.raises(TypeError, match="no slot 'nope'"):
        lazy_fields("nope")(Box)


def test_a_lazy_field_is_converted_by_its_own_class_when_computed():
    """The converter runs when the value is computed, as the instance's class declares it."""
    import attrs

    from pairedstudy.results._lazy import convert_or_defer

    def to_float(value: object) -> float:
        return convert_or_defer(value, float)

    def rounded(value: object) -> float:
        return convert_or_defer(value, lambda v: float(round(v, 1)))

    @lazy_fields("value")
    @attrs.frozen
    class Box:
        value: float = attrs.field(converter=to_float)

    @attrs.frozen
    class Rounded(Box):  # redeclares the field with its own converter
        value: float = attrs.field(converter=rounded)

    assert Box(Deferred(lambda: 2)).value == 2.0 and type(Box(Deferred(lambda: 2)).value) is float
    assert Rounded(1.23456).value == 1.2
    assert Rounded(Deferred(lambda: 1.23456)).value == 1.2  # the same either way
    with pytest.raises(TypeError, match="computed as a Deferred"):
        Box(Deferred(lambda: Deferred(lambda: 1.0))).value  # noqa: B018


def test_the_exact_interval_table_waits_unless_the_level_may_be_missed(monkeypatch):
    asked = []
    original = wilcoxon_module._interval_ranks

    def spy(n, exact, correction, alternative, level):
        asked.append((n, exact))
        return original(n, exact, correction, alternative, level)

    monkeypatch.setattr(wilcoxon_module, "_interval_ranks", spy)
    result = _study(n=40).test("wilcoxon")
    assert result.method == "exact" and asked == []  # the p-value alone: no table for n
    assert result.ci.attained_level >= 0.95 and asked == [(40, True)]
    # n = 5 cannot reach 95 %: found at once, for the note and its warning
    asked.clear()
    with pytest.warns(ps.SmallSampleWarning, match="too small"):
        small = ps.PairedStudy([1.0, 2, 3, 4, 5], [2.5, 2.9, 4.2, 5.1, 7]).test("wilcoxon")
    assert asked == [(5, True)]
    assert any("attains only" in note for note in small.notes)
    assert small.ci.attained_level < 0.95
    # a level so high that n = 40 may miss it is checked at once too
    asked.clear()
    with pytest.warns(ps.SmallSampleWarning, match="n = 40 is too small"):
        _study(n=40).test("wilcoxon", confidence_level=1 - 1e-13)
    assert asked == [(40, True)]
