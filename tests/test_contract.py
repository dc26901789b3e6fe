"""One contract over every registered test: what any test, built-in or plugin, must honour."""

import json
import math
import warnings

import attrs
import numpy as np
import pytest

import pairedstudy as ps

DATASETS = {
    "oxytocin": ps.datasets.oxytocin_massage(),
    "continuous": ps.PairedStudy(
        np.random.default_rng(1).normal(10, 2, 25), np.random.default_rng(2).normal(11, 2, 25)
    ),
    "small-ties": ps.PairedStudy([3, 4, 2, 5, 3, 4], [4, 4, 3, 5, 5, 2]),
}
ALTERNATIVES = ("two-sided", "less", "greater")
# Options a test cannot run without, given to it by the contract (other tests get none).
REQUIRED_OPTIONS = {"tost": {"low": -1.0, "high": 1.0}}
# Interval levels other than the requested one: TOST reports its 1 - 2 alpha interval.
CI_LEVEL = {("tost", "two-sided"): 0.8}
# Tests whose p-value is not that of a symmetric-null location test: TOST (the larger of two
# one-sided p-values) and the Shapiro-Wilk diagnostic (no location alternative).
NOT_SYMMETRIC_LOCATION = {"tost", "shapiro"}


def _tests():
    return ps.available_tests()


# --- tests of the pre x post table (kind "table") have a contract of their own -------------
# They test the whole table against marginal homogeneity or symmetry: no one-sided
# alternative, no shift mu, no estimate; they take categorical scores only.


def _kind(name):
    return ps.registry.get_registered(name).kind


def _categorical(study):
    values = np.concatenate([study.pre, study.post])
    return bool(np.all(values == np.round(values))) and np.unique(values).size <= 20


def _table_refusal(study, alternative):
    """What a table test must refuse on these data and arguments: (error, word) or None."""
    if alternative != "two-sided":
        return ps.InputValueError, "alternative must be 'two-sided'"
    if not _categorical(study):
        return ps.InputValueError, "whole numbers|distinct values"
    return None


def check_table_contract(name, dataset, alternative):
    """The shared behaviour of every test of kind "table"."""
    study = DATASETS[dataset]
    refusal = _table_refusal(study, alternative)
    if refusal is not None:
        with pytest.raises(refusal[0], match=refusal[1]):
            study.test(name, alternative=alternative, confidence_level=0.9)
        return
    with pytest.raises(ps.InputValueError, match="mu must be 0; got 0.25"):
        study.test(name, mu=0.25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.SmallSampleWarning)
        result = study.test(name, alternative=alternative, confidence_level=0.9)
    entry = ps.registry.get_registered(name)
    assert isinstance(result, ps.TableTestResult)
    assert not isinstance(result, ps.TestResult)
    assert result.test == name
    assert result.alternative == "two-sided"
    assert result.n == study.n == result.table.n
    assert np.array_equal(result.table.counts, study.crosstab().counts)
    assert 0.0 <= result.pvalue <= 1.0
    assert math.isfinite(result.statistic) and result.statistic >= 0
    assert result.df is not None and result.df >= 0
    assert result.statistic_name == entry.statistic_name
    assert result.method
    # confidence_level is accepted and unused
    assert result == study.test(name, confidence_level=0.5)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.pvalue = 0.5
    with pytest.raises(TypeError):
        result.details["x"] = 1
    with pytest.raises(ValueError):
        result.table.counts[0, 0] = 1
    json.dumps(result.to_dict())
    text = str(result)
    assert "pre x post" in text and f"n = {study.n}" in text
    assert study.change.flags.writeable is False


@pytest.mark.parametrize("name", _tests())
@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_every_registered_test_honours_the_contract(name, dataset, alternative):
    if _kind(name) == "table":
        check_table_contract(name, dataset, alternative)
        return
    study = DATASETS[dataset]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.SmallSampleWarning)
        result = study.test(
            name,
            alternative=alternative,
            mu=0.25,
            confidence_level=0.9,
            **REQUIRED_OPTIONS.get(name, {}),
        )
    assert isinstance(result, ps.TestResult)
    assert result.test == name
    assert result.alternative == alternative
    assert result.mu == 0.25
    assert result.n == study.n
    assert 0.0 <= result.pvalue <= 1.0
    assert math.isfinite(result.statistic)
    assert math.isfinite(result.estimate)
    assert result.method
    if result.ci is not None:
        assert result.ci.level == pytest.approx(CI_LEVEL.get((name, alternative), 0.9))
        assert result.ci.contains(result.estimate)
        if alternative == "greater":
            assert result.ci.high == math.inf
        if alternative == "less":
            assert result.ci.low == -math.inf
    # immutable and serializable
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.pvalue = 0.5
    with pytest.raises(TypeError):
        result.details["x"] = 1
    json.dumps(result.to_dict())
    text = str(result)
    assert "post - pre" in text and f"n = {study.n}" in text
    assert study.change.flags.writeable is False


@pytest.mark.parametrize("name", _tests())
def test_alternatives_are_consistent(name):
    """For a symmetric-null test, two-sided p = min(1, 2 * smaller one-sided p)."""
    if _kind(name) == "table":  # no one-sided versions: every path refuses them
        study = DATASETS["small-ties"]
        for alternative in ("less", "greater"):
            with pytest.raises(ps.InputValueError, match="alternative must be 'two-sided'"):
                study.test(name, alternative=alternative)
            with pytest.raises(ps.InputValueError, match="alternative must be 'two-sided'"):
                ps.get_test(name)(study, alternative=alternative)
        return
    if name in NOT_SYMMETRIC_LOCATION:
        pytest.skip(f"{name!r} is not a symmetric-null location test")
    study = DATASETS["continuous"]
    options = REQUIRED_OPTIONS.get(name, {})
    p = {a: study.test(name, alternative=a, **options).pvalue for a in ALTERNATIVES}
    assert p["two-sided"] == pytest.approx(min(1.0, 2 * min(p["less"], p["greater"])))


def test_result_to_dict_round_trips_through_json():
    result = DATASETS["oxytocin"].test("wilcoxon")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["test"] == "wilcoxon"
    assert data["ci"]["level"] == 0.95
    assert data["details"]["n_zero"] == 4
    assert data["statistic"] == result.statistic


# --- every path that runs a test agrees, serializes strictly and refuses bad arguments ----

PATH_FIELDS = ("statistic", "pvalue", "df", "estimate")


def _nan(value):
    return math.nan if value is None else float(value)


def _same(a, b):
    a, b = _nan(a), _nan(b)
    return (math.isnan(a) and math.isnan(b)) or a == b


def _strict_json(text):
    def refuse(token):
        raise ValueError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def check_paths_agree(name, dataset, alternative):
    """study.test, get_test(name)(...) and test_batch(name) give the same figures."""
    study = DATASETS[dataset]
    table = _kind(name) == "table"
    kwargs = dict(
        alternative=alternative,
        mu=0.0 if table else 0.25,  # a test of the table has no shift
        confidence_level=0.9,
        **REQUIRED_OPTIONS.get(name, {}),
    )
    refusal = _table_refusal(study, alternative) if table else None
    if refusal is not None:  # every path refuses alike
        with pytest.raises(refusal[0], match=refusal[1]):
            study.test(name, **kwargs)
        with pytest.raises(refusal[0], match=refusal[1]):
            ps.get_test(name)(study, **kwargs)
        with pytest.raises(refusal[0], match=refusal[1]):
            ps.test_batch(name, study.pre[None, :], study.post[None, :], **kwargs)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        single = study.test(name, **kwargs)
        direct = ps.get_test(name)(study, **kwargs)
        batch = ps.test_batch(name, study.pre[None, :], study.post[None, :], **kwargs)
    entry = ps.registry.get_registered(name)
    assert type(direct) is type(single)
    assert direct.to_json() == single.to_json()
    assert batch.shape == (1,)
    for field in PATH_FIELDS:
        if hasattr(single, field):
            assert _same(getattr(batch, field)[0], getattr(single, field)), (name, field)
    ci = getattr(single, "ci", None)
    if ci is not None and entry.kind == "location":
        assert _same(batch.ci_low[0], ci.low) and _same(batch.ci_high[0], ci.high)
        assert _same(batch.attained_level[0], ci.attained_level)
    assert batch.n[0] == study.n
    assert batch.method[0] == single.method
    assert batch.statistic_name == entry.statistic_name
    assert batch.estimate_name == entry.estimate_name
    if entry.kind == "location":
        assert single.statistic_name == entry.statistic_name
    # strict JSON: no NaN or Infinity tokens
    _strict_json(single.to_json())
    if hasattr(batch, "to_json"):
        _strict_json(batch.to_json())


@pytest.mark.parametrize("name", _tests())
@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_every_path_agrees_and_serializes_strictly(name, dataset, alternative):
    check_paths_agree(name, dataset, alternative)


BAD_ARGUMENTS = [
    ({"alternative": "grater"}, ps.InputValueError, "alternative"),
    ({"confidence_level": 95}, ps.InputValueError, "confidence_level"),
    ({"mu": "a"}, ps.InputTypeError, "mu"),
    ({"no_such_option": 1}, ps.InputTypeError, "no_such_option"),
]


def check_bad_arguments_refused(name):
    study = DATASETS["oxytocin"]
    entry = ps.registry.get_registered(name)
    required = REQUIRED_OPTIONS.get(name, {})
    for bad, error, word in BAD_ARGUMENTS:
        if "no_such_option" in bad and entry.options is None:
            continue  # the test takes any **options
        kwargs = {**required, **bad}
        with pytest.raises(error, match=word):
            study.test(name, **kwargs)
        with pytest.raises(error, match=word):
            ps.get_test(name)(study, **kwargs)
        with pytest.raises(error, match=word):
            ps.test_batch(name, study.pre[None, :], study.post[None, :], **kwargs)


@pytest.mark.parametrize("name", _tests())
def test_bad_arguments_are_refused_by_every_path(name):
    check_bad_arguments_refused(name)


def test_the_registered_function_is_not_called_with_an_unchecked_alternative():
    study = DATASETS["oxytocin"]
    with pytest.raises(ps.InputValueError, match="alternative must be one of.*'grater'"):
        ps.get_test("t")(study, alternative="grater", mu=0, confidence_level=0.95)
    with pytest.raises(ps.InputValueError, match="confidence_level must lie strictly"):
        ps.get_test("t")(study, confidence_level=95)


# --- results that break the contract are refused -------------------------------------------


def _rogue(**changes):
    """A test that returns the sign test's result with some fields broken."""

    def test(study, *, alternative, mu, confidence_level):
        """A rogue test."""
        result = ps.get_test("sign").function(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level
        )
        return attrs.evolve(result, **changes)

    return test


ROGUES = {
    "p above 1": (dict(pvalue=1.5), "outside \\[0, 1\\]"),
    "NaN p with a statistic": (dict(pvalue=math.nan), "NaN p-value"),
    "another alternative": (dict(alternative="sideways"), "alternative='sideways'"),
    "interval beside its estimate": (
        dict(ci=ps.ConfidenceInterval(low=10.0, high=11.0, level=0.95)),
        "excludes its estimate",
    ),
}


@pytest.mark.parametrize("rogue", ROGUES)
def test_a_result_breaking_the_contract_is_refused(rogue):
    changes, message = ROGUES[rogue]
    name = "contract-rogue"
    ps.register_test(name, replace=True)(_rogue(**changes))
    study = DATASETS["oxytocin"]
    try:
        with pytest.raises(ps.InvalidResultError, match=message):
            study.test(name)
        with pytest.raises(ps.InvalidResultError, match=message):
            ps.get_test(name)(study)
        with pytest.raises(ps.InvalidResultError, match=message):
            ps.test_batch(name, study.pre[None, :], study.post[None, :])
    finally:
        ps.registry._TESTS.pop(name, None)


def test_nan_p_is_allowed_with_an_undefined_statistic():
    name = "contract-undefined"
    ps.register_test(name, replace=True)(_rogue(pvalue=math.nan, statistic=math.nan))
    try:
        result = DATASETS["oxytocin"].test(name)
        assert math.isnan(result.pvalue)
    finally:
        ps.registry._TESTS.pop(name, None)


@pytest.mark.parametrize(
    ("kernel_output", "message"),
    [
        (lambda rows: {"statistic": np.zeros(rows), "pvalue": np.full(rows, 7.0)}, "7.0"),
        (lambda rows: {"statistic": np.zeros(1), "pvalue": np.full(1, 0.5)}, "one value"),
        (
            lambda rows: ps.TestRows(statistic=np.zeros(1), pvalue=np.full(1, 0.5)),
            "shape \\(1,\\)",
        ),
        (
            lambda rows: ps.TestRows(statistic=np.zeros(rows), pvalue=np.full(rows, -0.1)),
            "outside",
        ),
    ],
)
def test_a_batch_kernel_breaking_the_contract_is_refused(kernel_output, message):
    def kernel(changes, *, alternative, mu, confidence_level):
        return kernel_output(changes.shape[0])

    name = "contract-rogue-kernel"
    ps.register_test(name, replace=True, batch=kernel)(_rogue())
    data = np.arange(12.0).reshape(3, 4)
    try:
        with pytest.raises(ps.InvalidResultError, match=message):
            ps.test_batch(name, data, 2 * data + 1)
    finally:
        ps.registry._TESTS.pop(name, None)
