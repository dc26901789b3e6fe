"""The test registry: tests are looked up by name, and third-party tests plug in.

A test is a callable ``test(study, *, alternative, mu, confidence_level, **options)`` that
returns a :class:`~pairedstudy.results.TestResult`. Register one with the
:func:`register_test` decorator, or ship it in a distribution that declares an entry point in
the group ``pairedstudy.tests``::

    [project.entry-points."pairedstudy.tests"]
    mytest = "mypackage.tests:my_test"

A test may also declare a *batch implementation* for :func:`pairedstudy.test_batch`: a
callable ``batch(changes, *, alternative, mu, confidence_level, **options)`` that takes a
2-D array of complete changes (one study per row, all of the same length) and returns a
mapping of 1-D arrays, one value per row: ``statistic`` and ``pvalue`` (required),
``df``, ``estimate``, ``ci_low``, ``ci_high`` and ``attained_level`` (optional, NaN when
absent), ``method`` (a string or an array of strings) and ``notes``, a list of
``(text, mask, warning_class_or_None)`` triples. Pass it as ``register_test(name,
batch=...)``; tests without one are run study by study.

Entry points are read lazily, the first time a name is not found or the list of tests is
asked for, and only once per process. A plugin that fails to load is reported with a
:class:`~pairedstudy.errors.PluginLoadWarning` and skipped; it never breaks the library.
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable
from typing import Any

import attrs

from ._validation import _show
from .errors import DuplicateTestError, InputTypeError, PluginLoadWarning, UnknownTestError

__all__ = [
    "ENTRY_POINT_GROUP",
    "RegisteredTest",
    "available_tests",
    "get_registered",
    "get_test",
    "register_test",
    "registered_tests",
]

ENTRY_POINT_GROUP = "pairedstudy.tests"
_NAME = re.compile(r"^[a-z][a-z0-9_\-]*$")

TestFunction = Callable[..., Any]


@attrs.frozen(kw_only=True)
class RegisteredTest:
    """One entry of the registry.

    Attributes
    ----------
    name : str
        The name the test is run by.
    function : callable
        ``function(study, *, alternative, mu, confidence_level, **options) -> TestResult``.
    description : str
        One line saying what the test does (the first line of its docstring by default).
    origin : str
        ``"built-in"``, ``"user"`` or ``"plugin <entry point value>"``.
    options : tuple of str or None
        The test-specific keyword options the function accepts; ``None`` when it takes
        arbitrary ``**options``.
    batch : callable or None
        The vectorized implementation used by :func:`pairedstudy.test_batch`, if any.
    """

    __test__ = False  # keep pytest from collecting this class

    name: str
    function: TestFunction = attrs.field(eq=False)
    description: str
    origin: str
    options: tuple[str, ...] | None
    batch: TestFunction | None = attrs.field(default=None, eq=False)


_COMMON = ("alternative", "mu", "confidence_level")


def _options(function: TestFunction) -> tuple[str, ...] | None:
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    keywords = [
        p.name
        for p in parameters[1:]
        if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    return tuple(name for name in keywords if name not in _COMMON)


def check_options(name: str, options: dict[str, Any]) -> None:
    """Refuse options that the test registered as ``name`` does not take."""
    allowed = _TESTS[name].options
    if allowed is None or not options:
        return
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        listed = ", ".join(repr(o) for o in allowed) or "none"
        raise InputTypeError(
            f"the {name!r} test got unknown option(s) {', '.join(map(repr, unknown))}; "
            f"its options are: {listed}"
        )


_TESTS: dict[str, RegisteredTest] = {}
_discovered = False
_loading_plugin: str | None = None


def _first_line(function: TestFunction) -> str:
    doc = (getattr(function, "__doc__", None) or "").strip()
    return doc.splitlines()[0].strip() if doc else ""


def _origin(function: TestFunction) -> str:
    if _loading_plugin is not None:
        return f"plugin {_loading_plugin}"
    module = getattr(function, "__module__", "") or ""
    return "built-in" if module.startswith("pairedstudy.") else "user"


def register_test(
    name: str,
    *,
    replace: bool = False,
    description: str | None = None,
    batch: TestFunction | None = None,
) -> Callable[[TestFunction], TestFunction]:
    """Register a paired test under ``name`` (a decorator).

    Parameters
    ----------
    name : str
        Lower-case letters, digits, ``_`` and ``-``, starting with a letter.
    replace : bool, default False
        Allow replacing a test already registered under ``name``. Without it a second
        registration of a different function is refused.
    description : str, optional
        One line for listings; defaults to the first line of the function's docstring.
    batch : callable, optional
        A vectorized implementation for :func:`pairedstudy.test_batch` (see the module
        documentation for its protocol). Without one, ``test_batch`` runs the test once per
        study and says so in the result.

    Returns
    -------
    callable
        A decorator that registers the function and returns it unchanged.

    Raises
    ------
    InputTypeError
        ``name`` is not a string or the decorated object is not callable.
    InputValueError
        ``name`` has characters outside the allowed set.
    DuplicateTestError
        ``name`` is taken and ``replace`` is false.

    Examples
    --------
    >>> import numpy as np
    >>> import pairedstudy as ps
    >>> @ps.register_test("median-sign-demo", replace=True)
    ... def median_sign(study, *, alternative, mu, confidence_level):
    ...     '''A sign test under another name.'''
    ...     return ps.get_test("sign")(
    ...         study, alternative=alternative, mu=mu, confidence_level=confidence_level
    ...     )
    >>> "median-sign-demo" in ps.available_tests()
    True
    """
    from .errors import InputValueError

    if not isinstance(name, str):
        raise InputTypeError(f"name must be a string; got {_show(name)}")
    if not _NAME.match(name):
        raise InputValueError(
            f"name must be lower-case letters, digits, '_' or '-', starting with a letter; "
            f"got {name!r}"
        )

    if description is not None and not isinstance(description, str):
        raise InputTypeError(f"description must be a string; got {_show(description)}")
    if batch is not None and not callable(batch):
        raise InputTypeError(f"batch must be a callable or None; got {_show(batch)}")

    def decorator(function: TestFunction) -> TestFunction:
        if not callable(function):
            raise InputTypeError(
                f"register_test({name!r}) must decorate a callable; got {_show(function)}"
            )
        existing = _TESTS.get(name)
        if (
            _loading_plugin is not None
            and existing is not None
            and existing.function is not function
        ):
            if existing.origin == "built-in" or existing.origin.startswith("plugin"):
                raise DuplicateTestError(
                    f"a plugin may not replace the {existing.origin} test {name!r}"
                )
        if existing is not None and existing.function is not function and not replace:
            raise DuplicateTestError(
                f"a test named {name!r} is already registered ({existing.origin}: "
                f"{existing.description or existing.function!r}); pass replace=True to "
                "replace it"
            )
        _TESTS[name] = RegisteredTest(
            name=name,
            function=function,
            description=description if description is not None else _first_line(function),
            origin=_origin(function),
            options=_options(function),
            batch=batch,
        )
        return function

    return decorator


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return list(entry_points(group=ENTRY_POINT_GROUP))


def _discover() -> None:
    """Load every test plugin once; warn about (and skip) any that fails."""
    global _discovered, _loading_plugin
    if _discovered:
        return
    _discovered = True
    for entry_point in _entry_points():
        label = f"{entry_point.name} = {entry_point.value}"
        existing = _TESTS.get(entry_point.name)
        _loading_plugin = label
        try:
            function = entry_point.load()
            if not callable(function):
                raise TypeError(f"{entry_point.value} is {type(function).__name__}, not callable")
            if existing is not None:
                if existing.function is function:
                    continue  # imported (and registered) before discovery ran
                raise DuplicateTestError(
                    f"the name {entry_point.name!r} is already taken by a {existing.origin} test"
                )
            registered = _TESTS.get(entry_point.name)
            if registered is None:
                register_test(entry_point.name)(function)
            elif registered.function is not function:
                raise DuplicateTestError(
                    f"importing it registered a different test as {entry_point.name!r}"
                )
        except Exception as exc:  # a broken plugin must never break the library
            warnings.warn(
                f"test plugin {label!r} could not be loaded and was skipped: "
                f"{type(exc).__name__}: {exc}",
                PluginLoadWarning,
                stacklevel=3,
            )
        finally:
            _loading_plugin = None


def _forget_plugins() -> None:
    """Drop plugin tests and read the entry points again on the next lookup (for tests)."""
    global _discovered
    for name in [n for n, t in _TESTS.items() if t.origin.startswith("plugin")]:
        del _TESTS[name]
    _discovered = False


def get_test(name: str) -> TestFunction:
    """Return the test function registered under ``name``.

    Parameters
    ----------
    name : str
        A registered name; see :func:`available_tests`.

    Returns
    -------
    callable
        ``function(study, *, alternative, mu, confidence_level, **options) -> TestResult``.

    Raises
    ------
    UnknownTestError
        (a ``KeyError``) when no test has that name; the message lists the known names.
    """
    if not isinstance(name, str):
        raise InputTypeError(f"name must be a test name (a string); got {_show(name)}")
    entry = _TESTS.get(name)
    if entry is None:
        _discover()
        entry = _TESTS.get(name)
    if entry is None:
        known = ", ".join(repr(n) for n in available_tests())
        raise UnknownTestError(f"no test is registered as {_show(name)}; known tests: {known}")
    return entry.function


def get_registered(name: str) -> RegisteredTest:
    """Return the registry entry of ``name`` (its function, options and batch kernel).

    Raises
    ------
    UnknownTestError
        No test has that name.
    """
    get_test(name)  # validates the name and loads plugins on a miss
    return _TESTS[name]


def registered_tests() -> tuple[RegisteredTest, ...]:
    """Return every registered test (built-in, user and plugin), sorted by name."""
    _discover()
    return tuple(_TESTS[name] for name in sorted(_TESTS))


def available_tests() -> tuple[str, ...]:
    """Return the names of every registered test, sorted.

    Returns
    -------
    tuple of str
        Built-in tests (``"sign"``, ``"t"``, ``"wilcoxon"``), tests registered with
        :func:`register_test`, and third-party tests from the ``pairedstudy.tests`` entry
        points that loaded.
    """
    return tuple(entry.name for entry in registered_tests())
