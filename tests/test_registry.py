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
    ps.refresh_plugins()
    yield site
    sys.path.remove(str(site))
    for module in [m for m in sys.modules if m.startswith("pairedstudy_plugin_demo")]:
        del sys.modules[module]
    ps.refresh_plugins()


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
    ps.refresh_plugins()
    yield site
    sys.path.remove(str(site))
    for module in [m for m in sys.modules if m.startswith("pairedstudy_plugin_example")]:
        del sys.modules[module]
    ps.refresh_plugins()


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
    for dataset in contract.DATASETS:
        for alternative in contract.ALTERNATIVES:
            contract.check_paths_agree("normal-scores", dataset, alternative)
    contract.check_bad_arguments_refused("normal-scores")


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


# --- the registry validates and describes ---------------------------------------------------


class _FakeEntryPoint:
    def __init__(self, name, value, load):
        self.name, self.value, self._load = name, value, load

    def load(self):
        return self._load()


@pytest.fixture
def fake_plugins(monkeypatch):
    """Replace the installed entry points with a list the test fills in."""
    points = []
    monkeypatch.setattr(registry, "_entry_points", lambda: list(points))
    registry.refresh_plugins()
    yield points
    monkeypatch.undo()
    registry.refresh_plugins()


def test_builtins_declare_their_names_and_kind():
    names = {e.name: (e.statistic_name, e.estimate_name, e.kind) for e in ps.registered_tests()}
    assert names["t"] == ("t", "mean change", "location")
    assert names["wilcoxon"] == ("V", "pseudomedian change (Hodges-Lehmann)", "location")
    assert names["sign"] == ("S", "median change", "location")
    assert names["yuen"][0] == "t" and names["bootstrap"][0] == "t"
    study = ps.datasets.oxytocin_massage()
    for name in ("t", "wilcoxon", "sign", "yuen", "permutation", "bootstrap"):
        result = study.test(name)
        batch = ps.test_batch(name, study.pre[None, :], study.post[None, :])
        assert batch.statistic_name == result.statistic_name == names[name][0]
        assert batch.estimate_name == names[name][1]


def test_register_test_checks_kind_and_names():
    with pytest.raises(ps.InputValueError, match="kind must be one of"):
        ps.register_test("bad-kind", kind="scale")
    with pytest.raises(ps.InputTypeError, match="statistic_name must be a string"):
        ps.register_test("bad-names", statistic_name=3)


def test_undeclared_names_are_learned_from_the_first_result():
    @ps.register_test("learn-names", replace=True)
    def relabelled(study, *, alternative, mu, confidence_level):
        """The sign test."""
        return ps.get_test("sign")(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level
        )

    try:
        assert ps.get_test("learn-names").statistic_name == "statistic"
        ps.datasets.oxytocin_massage().test("learn-names")
        entry = ps.get_test("learn-names")
        assert (entry.statistic_name, entry.estimate_name) == ("S", "median change")
    finally:
        registry._TESTS.pop("learn-names", None)


def test_arguments_are_validated_once_per_call(monkeypatch):
    calls = []
    original = registry.check_alternative

    def counting(value):
        calls.append(value)
        return original(value)

    monkeypatch.setattr(registry, "check_alternative", counting)
    study = ps.datasets.oxytocin_massage()
    study.test("t", alternative="less")
    assert calls == ["less"]
    ps.get_test("t")(study, alternative="greater")
    assert calls == ["less", "greater"]


def test_a_plugin_failure_is_wrapped_in_a_library_error(fake_plugins):
    def broken(study, *, alternative, mu, confidence_level):
        """Divides by zero."""
        return 1 / 0

    fake_plugins.append(_FakeEntryPoint("zero-div", "fake:broken", lambda: broken))
    study = ps.datasets.oxytocin_massage()
    with pytest.raises(ps.PluginError, match="'zero-div'.*ZeroDivisionError") as info:
        study.test("zero-div")
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert isinstance(info.value, ps.PairedStudyError)
    with pytest.raises(ps.PluginError):
        ps.test_batch("zero-div", study.pre[None, :], study.post[None, :])
    # the library's own errors pass through unchanged
    with pytest.raises(ps.InputValueError, match="alternative"):
        study.test("zero-div", alternative="up")


def test_plugins_are_loaded_per_name_and_refreshed(fake_plugins):
    loaded = []

    def make(label):
        def test(study, *, alternative, mu, confidence_level):
            """A relabelled t-test."""
            return ps.get_test("t")(
                study, alternative=alternative, mu=mu, confidence_level=confidence_level
            )

        def load():
            loaded.append(label)
            return test

        return load

    fake_plugins.append(_FakeEntryPoint("lazy-a", "fake:a", make("a")))
    fake_plugins.append(_FakeEntryPoint("lazy-b", "fake:b", make("b")))
    assert ps.get_test("lazy-a").origin == "plugin lazy-a = fake:a"
    assert loaded == ["a"]  # only the entry point of that name
    assert {"lazy-a", "lazy-b"} <= set(ps.available_tests())
    assert loaded == ["a", "b"]
    ps.available_tests()
    assert loaded == ["a", "b"]  # cached
    fake_plugins.pop()
    ps.refresh_plugins()
    assert "lazy-b" not in ps.available_tests()
    assert loaded == ["a", "b", "a"]


def test_a_plugin_may_not_replace_a_builtin_when_imported(fake_plugins):
    def impostor(study, *, alternative, mu, confidence_level):
        """Pretends to be the t-test."""

    def load():
        ps.register_test("t", replace=True)(impostor)
        return impostor

    fake_plugins.append(_FakeEntryPoint("evil", "evil:impostor", load))
    with pytest.warns(ps.PluginLoadWarning, match="may not replace the built-in test 't'"):
        names = ps.available_tests()
    assert "evil" not in names
    assert ps.get_test("t").function is ps.inference.paired_t


def test_a_broken_plugin_is_a_warning_on_lookup_by_name(fake_plugins):
    def load():
        raise ImportError("missing dependency")

    fake_plugins.append(_FakeEntryPoint("broken-one", "fake:broken", load))
    with pytest.warns(ps.PluginLoadWarning, match="broken-one.*missing dependency"):
        with pytest.raises(ps.UnknownTestError):
            ps.get_test("broken-one")


def test_effect_sizes_do_not_go_through_the_public_registry():
    """A user re-binding "wilcoxon" must not break the hl and rank-biserial effect sizes."""
    study = ps.PairedStudy([3, 4, 2, 5, 3, 4, 7, 1, 6, 5], [4, 4, 3, 5, 5, 2, 9, 4, 8, 4])
    before = {kind: study.effect_size(kind) for kind in ("hl", "rank_biserial")}
    original = registry._TESTS["wilcoxon"]

    def replacement(study, *, alternative, mu, confidence_level):
        """A user's own signed-rank test without the built-in's options."""
        return ps.get_test("sign")(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level
        )

    try:
        ps.register_test("wilcoxon", replace=True)(replacement)
        for kind, expected in before.items():
            assert study.effect_size(kind) == expected
    finally:
        registry._TESTS["wilcoxon"] = original
    assert ps.get_test("wilcoxon").function is ps.inference.wilcoxon_test


# --- issue 15: hostile plugins and registrations --------------------------------------------


def _relabelled_t(study, *, alternative, mu, confidence_level):
    """A relabelled t-test."""
    return ps.get_test("t")(
        study, alternative=alternative, mu=mu, confidence_level=confidence_level
    )


@pytest.mark.parametrize(
    "exit_error",
    [
        lambda: SystemExit(3),
        lambda: GeneratorExit("bye"),
        lambda: type("Odd", (BaseException,), {})(),
    ],
)
def test_a_plugin_exiting_at_import_is_skipped_and_the_next_one_loads(fake_plugins, exit_error):
    def exiting():
        raise exit_error()

    fake_plugins.append(_FakeEntryPoint("exits-early", "fake:exit", exiting))
    fake_plugins.append(_FakeEntryPoint("after-exit", "fake:after", lambda: _relabelled_t))
    with pytest.warns(ps.PluginLoadWarning, match="exits-early.*could not be loaded"):
        names = ps.available_tests()
    assert "after-exit" in names and "exits-early" not in names
    assert ps.get_test("after-exit").is_plugin
    ps.refresh_plugins()
    with pytest.warns(ps.PluginLoadWarning, match="exits-early"):
        with pytest.raises(ps.UnknownTestError):
            ps.get_test("exits-early")


def test_a_plugin_interrupted_by_the_user_is_not_swallowed(fake_plugins):
    def interrupted():
        raise KeyboardInterrupt

    fake_plugins.append(_FakeEntryPoint("interrupted", "fake:ctrl_c", interrupted))
    with pytest.raises(KeyboardInterrupt):
        ps.get_test("interrupted")


def test_plugin_discovery_is_thread_safe(fake_plugins):
    """8 threads look plugins up while a slow discovery runs: none sees a partial registry."""
    import threading
    import time

    started = threading.Event()

    def slow(label):
        def load():
            started.set()
            time.sleep(0.05)
            return _relabelled_t

        return load

    names = [f"slow-{i}" for i in range(6)]
    for name in names:
        fake_plugins.append(_FakeEntryPoint(name, f"fake:{name}", slow(name)))
    errors, listings, found = [], [], []

    def discover():
        listings.append(ps.available_tests())

    def reader(i):
        started.wait(5)
        try:
            if i % 2:
                listings.append(ps.available_tests())
            else:
                found.append(ps.get_test(names[-1 - (i // 2) % len(names)]).name)
        except Exception as exc:  # the failure under test is any exception at all
            errors.append(exc)

    threads = [threading.Thread(target=discover)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(listings) == 5 and len(found) == 4
    for listing in listings:
        assert set(names) <= set(listing)


def test_a_plugin_returning_a_bad_result_is_refused(fake_plugins):
    """Issue 15 item 3: a plugin's result is checked like any other test's."""
    import attrs

    def bad_p(study, *, alternative, mu, confidence_level):
        """p = 1.5."""
        result = ps.get_test("t").function(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level
        )
        return attrs.evolve(result, pvalue=1.5)

    fake_plugins.append(_FakeEntryPoint("bad-p", "fake:bad_p", lambda: bad_p))
    study = ps.datasets.oxytocin_massage()
    with pytest.raises(ps.InvalidResultError, match="outside \\[0, 1\\]"):
        study.test("bad-p")
    with pytest.raises(ps.InvalidResultError, match="outside \\[0, 1\\]"):
        ps.test_batch("bad-p", study.pre[None, :], study.post[None, :])


@pytest.mark.parametrize("name", ["abc\n", "abc\n\n", "t\n", "a b"])
def test_a_name_with_a_trailing_newline_is_refused(name):
    with pytest.raises(ps.InputValueError, match="name must be lower-case") as info:
        ps.register_test(name)
    assert repr(name) in str(info.value)


@pytest.mark.parametrize("replace", ["yes", 1, None, 0.0])
def test_replace_must_be_a_bool(replace):
    with pytest.raises(ps.InputTypeError, match="replace must be True or False") as info:
        ps.register_test("replace-check", replace=replace)
    assert repr(replace) in str(info.value)
    assert "replace-check" not in registry._TESTS


def _no_arguments():
    """Takes nothing."""


def _no_mu(study, *, alternative, confidence_level):
    """Forgets mu."""


def _keyword_study(*, study, alternative, mu, confidence_level):
    """The study by keyword only."""


@pytest.mark.parametrize(
    ("function", "message"),
    [
        (_no_arguments, "first positional argument"),
        (lambda: None, "first positional argument"),
        (_keyword_study, "first positional argument"),
        (_no_mu, "does not \\(mu\\)"),
        (lambda study: None, "alternative, mu, confidence_level"),
    ],
)
def test_a_function_that_cannot_be_called_as_a_test_is_refused(function, message):
    with pytest.raises(ps.InputTypeError, match=message) as info:
        ps.register_test("signature-check")(function)
    assert "register_test('signature-check')" in str(info.value)
    assert "signature-check" not in registry._TESTS


def test_functions_taking_kwargs_or_positional_study_are_accepted():
    def with_kwargs(study, **kwargs):
        """Takes anything."""
        return _relabelled_t(study, **kwargs)

    def positional_only(study, /, *, alternative, mu, confidence_level, extra=1):
        """Positional-only study."""
        return _relabelled_t(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level
        )

    try:
        for name, function in [("sig-kwargs", with_kwargs), ("sig-pos", positional_only)]:
            ps.register_test(name, replace=True)(function)
            result = ps.datasets.oxytocin_massage().test(name)
            assert result.statistic == pytest.approx(7.7071, abs=1e-4)
        assert ps.get_test("sig-pos").options == ("extra",)
    finally:
        registry._TESTS.pop("sig-kwargs", None)
        registry._TESTS.pop("sig-pos", None)


def test_a_plugin_without_a_test_signature_is_a_load_warning(fake_plugins):
    fake_plugins.append(_FakeEntryPoint("no-args", "fake:no_args", lambda: _no_arguments))
    with pytest.warns(ps.PluginLoadWarning, match="no-args.*first positional argument"):
        assert "no-args" not in ps.available_tests()


def test_a_plugin_keeps_what_its_decorator_declared_after_refresh(fake_plugins):
    """A plugin module imported once does not run its decorator again on refresh_plugins."""
    imported = []

    def declared(study, *, alternative, mu, confidence_level, **options):
        """A relabelled TOST: an equivalence test."""
        return ps.get_test("tost")(
            study, alternative=alternative, mu=mu, confidence_level=confidence_level, **options
        )

    def load():  # the first import runs the module's decorator; later loads do not
        if not imported:
            ps.register_test(
                "declared-kind",
                kind="equivalence",
                statistic_name="t",
                estimate_name="mean change",
            )(declared)
        imported.append(True)
        return declared

    fake_plugins.append(_FakeEntryPoint("declared-kind", "fake:declared", load))
    study = ps.datasets.oxytocin_massage()
    for _ in range(2):
        entry = ps.get_test("declared-kind")
        assert (entry.kind, entry.statistic_name, entry.estimate_name) == (
            "equivalence",
            "t",
            "mean change",
        )
        assert entry.is_plugin
        result = study.test("declared-kind", low=-0.5, high=0.5)
        assert isinstance(result, ps.results.EquivalenceResult)
        ps.refresh_plugins()
    assert len(imported) == 2
