import json
import math
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import pairedstudy as ps
from pairedstudy import registry

PLUGIN_SOURCE = Path(__file__).parent / "plugin_dist"


def test_builtins_are_registered():
    names = ps.available_tests()
    assert {"t", "wilcoxon", "sign"} <= set(names)
    assert list(names) == sorted(names)
    for entry in ps.registered_tests():
        if entry.name in {"t", "wilcoxon", "sign"}:
            assert entry.origin == "built-in"
            assert entry.description
    assert ps.get_test("t").function is ps.inference.paired_t


def test_unknown_name_is_a_key_error_listing_known_tests():
    with pytest.raises(ps.UnknownTestError) as info:
        ps.get_test("welch")
    assert isinstance(info.value, KeyError)
    message = str(info.value)
    assert "'welch'" in message and "'sign'" in message and "'wilcoxon'" in message
    with pytest.raises(KeyError):
        ps.PairedStudy([1, 2], [3, 5]).test("welch")


def test_duplicate_registration_is_refused_unless_replaced():
    def first(study, *, alternative, mu, confidence_level):
        """First."""
        return ps.get_test("t")(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level
        )

    def second(study, *, alternative, mu, confidence_level):
        """Second."""
        return first(study, alternative=alternative, mu=mu, confidence_level=confidence_level)

    try:
        ps.register_test("dup-check")(first)
        ps.register_test("dup-check")(first)  # the same function again is harmless
        with pytest.raises(ps.DuplicateTestError, match="already registered.*replace=True"):
            ps.register_test("dup-check")(second)
        with pytest.raises(ps.DuplicateTestError):
            ps.register_test("t")(second)
        ps.register_test("dup-check", replace=True)(second)
        assert ps.get_test("dup-check").function is second
        entry = {e.name: e for e in ps.registered_tests()}["dup-check"]
        assert entry.origin == "user" and entry.description == "Second."
    finally:
        registry._TESTS.pop("dup-check", None)


@pytest.mark.parametrize(
    ("name", "error"),
    [("Bad Name", ps.InputValueError), ("", ps.InputValueError), (3, ps.InputTypeError)],
)
def test_bad_names_are_refused(name, error):
    with pytest.raises(error, match="name must"):
        ps.register_test(name)


def test_register_requires_a_callable():
    with pytest.raises(ps.InputTypeError, match="must decorate a callable"):
        ps.register_test("not-callable")(42)


def test_plugin_returning_the_wrong_type_is_reported():
    try:
        ps.register_test("wrong-type")(lambda study, **kw: {"p": 0.5})
        with pytest.raises(ps.InputTypeError, match="returned dict, not a TestResult"):
            ps.PairedStudy([1, 2], [2, 4]).test("wrong-type")
    finally:
        registry._TESTS.pop("wrong-type", None)


# --- a real plugin distribution, installed for these tests ------------------------------


def _pip_install(source, site):
    """Install a distribution with pip into the folder ``site`` (not the environment)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return site


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory):
    """Install tests/plugin_dist with pip into a private folder and put it on sys.path."""
    work = tmp_path_factory.mktemp("plugin")
    source = work / "source"
    shutil.copytree(PLUGIN_SOURCE, source)
    site = _pip_install(source, work / "site")
    assert list(site.glob("pairedstudy_plugin_demo-*.dist-info"))
    sys.path.insert(0, str(site))
    registry._forget_plugins()
    yield site
    sys.path.remove(str(site))
    for module in [m for m in sys.modules if m.startswith("pairedstudy_plugin_demo")]:
        del sys.modules[module]
    registry._forget_plugins()


def test_entry_point_plugin_is_found_and_broken_one_is_a_warning(plugin_site):
    with pytest.warns(ps.PluginLoadWarning, match="demo-broken.*broken on purpose"):
        names = ps.available_tests()
    assert "demo-median-sign" in names
    assert "demo-broken" not in names
    entry = {e.name: e for e in ps.registered_tests()}["demo-median-sign"]
    assert entry.origin.startswith("plugin demo-median-sign")
    assert entry.options == ("min_pairs",)
    study = ps.datasets.oxytocin_massage()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # discovery is cached: no second warning
        result = study.test("demo-median-sign", alternative="greater", min_pairs=5)
    assert result.test == "demo-median-sign" and result.details["plugin"] is True
    assert result.pvalue == study.test("sign", alternative="greater").pvalue
    with pytest.raises(ps.InputTypeError, match="its options are: 'min_pairs'"):
        study.test("demo-median-sign", trim=0.2)


def test_plugin_is_loaded_lazily_on_lookup_in_a_fresh_process(plugin_site):
    code = (
        "import sys, json, warnings\n"
        "import pairedstudy as ps\n"
        "from pairedstudy import registry\n"
        "before = sorted(registry._TESTS)\n"
        "loaded_before = 'pairedstudy_plugin_demo' in sys.modules\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    fn = ps.get_test('demo-median-sign').function\n"
        "after = sorted(registry._TESTS)\n"
        "with warnings.catch_warnings(record=True) as w_all:\n"
        "    warnings.simplefilter('always')\n"
        "    ps.available_tests()\n"
        "print(json.dumps({'before': before, 'loaded_before': loaded_before, 'after': after,\n"
        "                  'fn': fn.__module__, 'warnings': [str(x.message) for x in w],\n"
        "                  'all': [str(x.message) for x in w_all]}))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin_site), *sys.path])}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    )
    report = json.loads(out.stdout)
    assert "demo-median-sign" not in report["before"] and {"sign", "t", "wilcoxon"} <= set(
        report["before"]
    )
    assert report["loaded_before"] is False
    assert report["fn"] == "pairedstudy_plugin_demo"
    # a lookup loads only the entry points of that name: the broken one is not touched...
    assert not any("demo-broken" in w for w in report["warnings"])
    assert "demo-median-sign" in report["after"]
    # ...until every test is listed
    assert any("demo-broken" in w for w in report["all"])


# --- the example plugin package of the docs (examples/pairedstudy-plugin-example) ----------

EXAMPLE_SOURCE = Path(__file__).parent.parent / "examples" / "pairedstudy-plugin-example"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """pip-install the documented example plugin into a private folder on sys.path."""
    site = _pip_install(EXAMPLE_SOURCE, tmp_path_factory.mktemp("example") / "site")
    assert list(site.glob("pairedstudy_plugin_example-*.dist-info"))
    sys.path.insert(0, str(site))
    registry._forget_plugins()
    yield site
    sys.path.remove(str(site))
    for module in [m for m in sys.modules if m.startswith("pairedstudy_plugin_example")]:
        del sys.modules[module]
    registry._forget_plugins()


def _van_der_waerden(change, mu=0.0):
    """An independent computation: explicit mid-ranks and statistics.NormalDist."""
    from statistics import NormalDist

    d = [x - mu for x in change if x != mu]
    m = len(d)
    order = sorted(abs(x) for x in d)
    rank = {v: (order.index(v) + 1 + m - order[::-1].index(v)) / 2 for v in order}
    normal = NormalDist()
    scores = [normal.inv_cdf(0.5 + rank[abs(x)] / (2 * (m + 1))) for x in d]
    s = sum(a if x > 0 else -a for a, x in zip(scores, d, strict=True))
    z = s / math.sqrt(sum(a * a for a in scores))
    return z, 2 * min(normal.cdf(z), 1 - normal.cdf(z))


def test_example_plugin_is_listed_runs_and_honours_the_contract(example_site):
    with warnings.catch_warnings():  # the broken demo plugin above may still be on the path
        warnings.simplefilter("ignore", ps.PluginLoadWarning)
        assert "normal-scores" in ps.available_tests()
    study = ps.datasets.oxytocin_massage()
    result = study.test("normal-scores")
    z, p = _van_der_waerden(study.change.tolist())
    assert result.statistic == pytest.approx(z, rel=1e-12)
    assert result.pvalue == pytest.approx(p, rel=1e-9)
    contract = _load_contract()
    for dataset in contract.DATASETS:
        for alternative in contract.ALTERNATIVES:
            contract.test_every_registered_test_honours_the_contract(
                "normal-scores", dataset, alternative
            )
    contract.test_alternatives_are_consistent("normal-scores")


def test_example_plugin_appears_in_the_command_line_listing(example_site):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(example_site), *sys.path])}
    out = subprocess.run(
        [sys.executable, "-m", "pairedstudy", "tests"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("normal-scores"))
    assert "plugin" in line and "van der Waerden" in line


def _load_contract():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "contract_for_plugins", Path(__file__).parent / "test_contract.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
