import json
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
    assert ps.get_test("t") is ps.inference.paired_t


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
        assert ps.get_test("dup-check") is second
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


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory):
    """Install tests/plugin_dist with pip into a private folder and put it on sys.path."""
    work = tmp_path_factory.mktemp("plugin")
    source = work / "source"
    shutil.copytree(PLUGIN_SOURCE, source)
    site = work / "site"
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
        "    fn = ps.get_test('demo-median-sign')\n"
        "print(json.dumps({'before': before, 'loaded_before': loaded_before,\n"
        "                  'fn': fn.__module__, 'warnings': [str(x.message) for x in w]}))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin_site), *sys.path])}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    )
    report = json.loads(out.stdout)
    assert report["before"] == ["sign", "t", "wilcoxon"]
    assert report["loaded_before"] is False
    assert report["fn"] == "pairedstudy_plugin_demo"
    assert any("demo-broken" in w for w in report["warnings"])
