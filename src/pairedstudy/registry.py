"""The test registry: tests are looked up by name, validated, described, and plug in.

A test is a callable ``test(study, *, alternative, mu, confidence_level, **options)`` that
returns a result: a :class:`~pairedstudy.results.TestResult` for a location test (the
default kind), an equivalence result for ``kind="equivalence"``, a Bayes-factor result
for ``kind="bayes factor"`` and a :class:`~pairedstudy.results.TableTestResult` for a test
of the square pre x post table of categories (``kind="table"``). Register one with the
:func:`register_test` decorator, or ship it in a distribution that declares an entry
point in the group ``pairedstudy.tests``::

    [project.entry-points."pairedstudy.tests"]
    mytest = "mypackage.tests:my_test"

Every path that runs a test (:meth:`PairedStudy.test <pairedstudy.PairedStudy.test>`,
:func:`pairedstudy.test_batch` and ``get_test(name)(study, ...)``) goes through the
:class:`RegisteredTest`: it validates ``alternative``, ``mu``, ``confidence_level`` and the
test's options once, runs the test, and checks what it returned (its type, a p-value in
``[0, 1]``, the ``alternative`` echoed, an interval that contains its estimate).

A test may also declare a *batch implementation* for :func:`pairedstudy.test_batch`: a
callable ``batch(changes, *, alternative, mu, confidence_level, **options)`` that takes a
2-D array of complete changes (one study per row, all of the same length) and returns a
:class:`TestRows` (one value per row in each array, with note masks), or a mapping of 1-D
arrays: ``statistic`` and ``pvalue`` (required), ``df``, ``estimate``, ``ci_low``,
``ci_high`` and ``attained_level`` (optional, NaN when absent), ``method`` (a string or an
array of strings) and ``notes``, a list of ``(text, mask, warning_class_or_None)``
triples. Tests without one are run study by study.

Entry points are read lazily: a name that is not registered loads only the entry points of
that name (as numcodecs does), :func:`available_tests` loads them all, and
:func:`refresh_plugins` forgets the plugin tests and reads the entry points again. A plugin
that fails to load is reported with a :class:`~pairedstudy.errors.PluginLoadWarning` and
skipped; it never breaks the library.
"""

from __future__ import annotations

import inspect
import math
import re
import threading
import warnings
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ._validation import check_alternative, check_probability, check_real, show
from .errors import (
    DuplicateTestError,
    InputTypeError,
    InputValueError,
    PairedStudyError,
    PluginLoadWarning,
    UnknownTestError,
)
from .results import ConfidenceInterval, TestResult
from .results._lazy import Deferred, convert_or_defer, evolve, is_pending, lazy_fields, peek

if TYPE_CHECKING:
    from .study import PairedStudy

__all__ = [
    "ENTRY_POINT_GROUP",
    "KINDS",
    "InvalidResultError",
    "PluginError",
    "RegisteredTest",
    "RowNote",
    "TestRows",
    "available_tests",
    "check_arguments",
    "check_options",
    "get_registered",
    "get_test",
    "int_row",
    "refresh_plugins",
    "register_test",
    "registered_tests",
]

ENTRY_POINT_GROUP = "pairedstudy.tests"
#: The kinds of analysis a registered test may be, and the result class each returns.
KINDS = ("location", "equivalence", "bayes factor", "table")
_RESULT_CLASS = {
    "location": "TestResult",
    "equivalence": "EquivalenceResult",
    "bayes factor": "BayesFactorResult",
    "table": "TableTestResult",  # tests of the square pre x post table of categories
}
_RESULT_TYPES: dict[str, type] = {}  # filled on first use (results is imported lazily)


def _result_class_of(kind: str) -> type:
    """The result class of a kind of analysis (looked up once, then cached)."""
    found = _RESULT_TYPES.get(kind)
    if found is None:
        from . import results

        found = getattr(results, _RESULT_CLASS[kind])
        _RESULT_TYPES[kind] = found
    return found


#: Per kind: its result class (or ``None`` when an instance of exactly that class could
#: also be one of another kind's), its result class, and the result classes of the kinds
#: other than it and "location"; built once per kind, as every call checks its result.
_KIND_CHECKS: dict[str, tuple[type | None, type, tuple[type, ...]]] = {}


def _kind_check(kind: str) -> tuple[type | None, type, tuple[type, ...]]:
    """The classes :meth:`RegisteredTest.check_result` checks a result of ``kind`` against."""
    found = _KIND_CHECKS.get(kind)
    if found is None:
        expected = _result_class_of(kind)
        others = tuple(
            _result_class_of(other) for other in KINDS if other != kind and other != "location"
        )
        exact = None if issubclass(expected, others) else expected
        found = _KIND_CHECKS[kind] = (exact, expected, others)
    return found


_NAME = re.compile(r"[a-z][a-z0-9_\-]*")
_COMMON = ("alternative", "mu", "confidence_level")

TestFunction = Callable[..., Any]


class InvalidResultError(PairedStudyError, ValueError):
    """A registered test (or its batch kernel) returned a result that breaks the contract."""


class PluginError(PairedStudyError, RuntimeError):
    """A plugin test failed with an exception that is not one of the library's own."""


# --------------------------------------------------------------------------------------
# Typed row results of batch kernels
# --------------------------------------------------------------------------------------


_FLOAT64 = np.dtype(np.float64)
_BOOL = np.dtype(bool)
_INT64 = np.dtype(np.int64)


def _float_row(value: Any) -> np.ndarray:
    if value.__class__ is np.ndarray and value.dtype is _FLOAT64:  # fast path: as it is
        return value
    return np.asarray(value, dtype=np.float64)


def _bool_row(value: Any) -> np.ndarray:
    if value.__class__ is np.ndarray and value.dtype is _BOOL:  # fast path: as it is
        return value
    return np.asarray(value, dtype=bool)


def int_row(value: Any) -> np.ndarray:
    """A converter for an int64 field of a kernel's row result (subclasses of TestRows).

    Parameters
    ----------
    value : array_like
        One integer per row.

    Returns
    -------
    numpy.ndarray
        ``value`` itself when it is already an int64 array (no copy, no call), else
        ``numpy.asarray(value, dtype=numpy.int64)``.
    """
    if value.__class__ is np.ndarray and value.dtype is _INT64:  # fast path: as it is
        return value
    return np.asarray(value, dtype=np.int64)


def _lazy_float_row(value: Any) -> np.ndarray:
    """:func:`_float_row` for a field a kernel may leave to compute on first access."""
    return convert_or_defer(value, _float_row)


@attrs.frozen(kw_only=True)
class RowNote:
    """A note that concerns some rows of a :class:`TestRows`.

    Attributes
    ----------
    mask : numpy.ndarray of bool
        Which rows the note concerns.
    text : str
        The note in a batch result (said once for all the rows in ``mask``).
    single : str or callable, optional
        The note in the result of one study, ``single(row)`` for a callable (to name that
        row's figures); ``text`` by default.
    warning : type of Warning or None
        A warning to issue (once per batch; once per study for one study).
    message : str or callable or None
        The warning's message for one study (``message(row)`` for a callable); the
        note itself by default.
    """

    mask: np.ndarray = attrs.field(converter=_bool_row, eq=False)
    text: str
    single: str | Callable[[int], str] | None = attrs.field(default=None, eq=False)
    warning: type[Warning] | None = None
    message: str | Callable[[int], str] | None = attrs.field(default=None, eq=False)

    def single_text(self, row: int) -> str:
        """The note as the result of study ``row`` alone lists it."""
        if self.single is None:
            return self.text
        return self.single if isinstance(self.single, str) else self.single(row)

    def single_message(self, row: int) -> str:
        """The warning message for study ``row`` alone."""
        if self.message is None:
            return self.single_text(row)
        return self.message if isinstance(self.message, str) else self.message(row)


def _one_per_row(value: Any, dtype: type, rows: int) -> np.ndarray:
    """``value`` as an array of one value per row; a single number stands for every row."""
    array: np.ndarray = np.asarray(value, dtype=dtype)
    return np.full(rows, array, dtype=dtype) if array.ndim == 0 else array


def _note_tuple(value: Iterable[RowNote]) -> tuple[RowNote, ...]:
    return tuple(value)


def _nan_like(instance: Any) -> np.ndarray:
    return np.full(instance.statistic.shape, np.nan)


@lazy_fields("estimate", "ci_low", "ci_high", "attained_level")
@attrs.frozen(kw_only=True)
class TestRows:
    """What a batch kernel returns: one value per row (study) in each array.

    Attributes
    ----------
    statistic, pvalue : numpy.ndarray of float
        Shape ``(rows,)``.
    df, estimate, ci_low, ci_high, attained_level : numpy.ndarray of float
        Shape ``(rows,)``; NaN where a test does not define them (the default).
    method : str or numpy.ndarray of str
        What was computed, for all rows or row by row.
    notes : tuple of RowNote
        Notes with their row masks, in the order a single result lists them.

    Notes
    -----
    ``estimate``, ``ci_low``, ``ci_high`` and ``attained_level`` (the fields in ``LAZY``)
    may be given as a
    :class:`~pairedstudy.results._lazy.Deferred` when they cost more than the test: they
    are computed on first access, and :meth:`to_result` and
    :func:`~pairedstudy.test_batch` pass them on uncomputed.
    """

    __test__ = False  # keep pytest from collecting this class

    statistic: np.ndarray = attrs.field(converter=_float_row, eq=False)
    pvalue: np.ndarray = attrs.field(converter=_float_row, eq=False)
    df: np.ndarray = attrs.field(
        converter=_float_row, default=attrs.Factory(_nan_like, takes_self=True), eq=False
    )
    estimate: np.ndarray = attrs.field(
        converter=_lazy_float_row, default=attrs.Factory(_nan_like, takes_self=True), eq=False
    )
    ci_low: np.ndarray = attrs.field(
        converter=_lazy_float_row, default=attrs.Factory(_nan_like, takes_self=True), eq=False
    )
    ci_high: np.ndarray = attrs.field(
        converter=_lazy_float_row, default=attrs.Factory(_nan_like, takes_self=True), eq=False
    )
    attained_level: np.ndarray = attrs.field(
        converter=_lazy_float_row, default=attrs.Factory(_nan_like, takes_self=True), eq=False
    )
    method: str | np.ndarray = attrs.field(default="batch", eq=False)
    notes: tuple[RowNote, ...] = attrs.field(default=(), converter=_note_tuple)

    FIELDS = ("statistic", "pvalue", "df", "estimate", "ci_low", "ci_high", "attained_level")
    #: The fields that may be computed on first access.
    LAZY = ("estimate", "ci_low", "ci_high", "attained_level")

    def pending(self) -> bool:
        """Whether the estimate and interval are still to be computed."""
        return is_pending(self, "estimate")

    @classmethod
    def from_mapping(cls, out: Mapping[str, Any], rows: int) -> TestRows:
        """Read the mapping form of the batch protocol (see the module documentation)."""
        if "statistic" not in out or "pvalue" not in out:
            raise InvalidResultError(
                "a batch implementation's mapping must hold at least 'statistic' and "
                f"'pvalue'; got keys {sorted(out)}"
            )
        columns = {
            name: _one_per_row(out[name], float, rows) for name in cls.FIELDS if name in out
        }
        notes = tuple(
            RowNote(mask=_one_per_row(mask, bool, rows), text=text, warning=warning)
            for text, mask, warning in out.get("notes", ())
        )
        method = out.get("method", "batch")
        return cls(**columns, method=method, notes=notes)

    def method_of(self, row: int) -> str:
        """The method of study ``row``."""
        return self.method if isinstance(self.method, str) else str(self.method[row])

    def single_notes(self, row: int, *, warn: bool = True, stacklevel: int = 5) -> list[str]:
        """The notes of study ``row`` alone; issue their warnings when ``warn``.

        With the default ``stacklevel`` the warnings point at the caller of a test that
        calls this method (the test, :meth:`RegisteredTest.run` and its caller between).
        """
        notes = []
        for note in self.notes:
            if note.mask[row]:
                if warn and note.warning is not None:
                    warnings.warn(note.single_message(row), note.warning, stacklevel=stacklevel)
                notes.append(note.single_text(row))
        return notes

    def to_result(
        self,
        row: int = 0,
        *,
        test: str,
        title: str,
        statistic_name: str,
        estimate_name: str,
        alternative: str,
        mu: float,
        confidence_level: float,
        n: int,
        study_name: str | None = None,
        interval: bool = True,
        notes: Sequence[str] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> TestResult:
        """Study ``row`` as a :class:`~pairedstudy.results.TestResult`.

        ``notes`` default to :meth:`single_notes` (with their warnings); ``interval=False``
        gives ``ci=None``; a NaN ``df`` is ``None`` and a NaN ``attained_level`` is
        ``None``.
        """
        ci: ConfidenceInterval | Deferred[ConfidenceInterval] | None = None
        estimate: float | Deferred[float]
        lazy = self.pending()
        if interval:

            def interval_of_row() -> ConfidenceInterval:
                attained = float(self.attained_level.item(row))
                return ConfidenceInterval(
                    low=float(self.ci_low.item(row)),
                    high=float(self.ci_high.item(row)),
                    level=confidence_level,
                    attained_level=None if math.isnan(attained) else attained,
                )

            ci = Deferred(interval_of_row) if lazy else interval_of_row()
        if lazy:
            estimate = Deferred(lambda: float(self.estimate.item(row)))
        else:
            estimate = float(self.estimate.item(row))
        df = float(self.df.item(row))
        return TestResult(
            test=test,
            title=title,
            method=self.method_of(row),
            statistic=float(self.statistic.item(row)),
            statistic_name=statistic_name,
            pvalue=float(self.pvalue.item(row)),
            alternative=alternative,
            mu=mu,
            n=n,
            df=None if math.isnan(df) else df,
            estimate=estimate,  # a Deferred is computed when read (the converter takes Any)
            estimate_name=estimate_name,
            ci=ci,  # type: ignore[arg-type]  # a Deferred is computed when read
            study_name=study_name,
            notes=self.single_notes(row, stacklevel=6) if notes is None else list(notes),
            details=details or {},
        )


# --------------------------------------------------------------------------------------
# The registry entry
# --------------------------------------------------------------------------------------


def _check_kind(kind: Any) -> str:
    if not isinstance(kind, str) or kind not in KINDS:
        raise InputValueError(
            f"kind must be one of {', '.join(map(repr, KINDS))}; got {show(kind)}"
        )
    return kind


def check_arguments(alternative: Any, mu: Any, confidence_level: Any) -> dict[str, Any]:
    """Validate the three arguments every test takes; return them as keyword arguments."""
    return {
        "alternative": check_alternative(alternative),
        "mu": check_real("mu", mu),
        "confidence_level": check_probability("confidence_level", confidence_level),
    }


@attrs.frozen(kw_only=True)
class RegisteredTest:
    """One entry of the registry; calling it runs the test with validation.

    Attributes
    ----------
    name : str
        The name the test is run by.
    function : callable
        The raw ``function(study, *, alternative, mu, confidence_level, **options)``.
    description : str
        One line saying what the test does (the first line of its docstring by default).
    origin : str
        ``"built-in"``, ``"user"`` or ``"plugin <entry point>"``.
    options : tuple of str or None
        The test-specific keyword options the function accepts; ``None`` when it takes
        arbitrary ``**options``.
    kind : {"location", "equivalence", "bayes factor", "table"}
        The kind of analysis, which fixes the class of its result.
    statistic_name, estimate_name : str
        What the result's ``statistic`` and ``estimate`` are (``"t"``, ``"mean change"``).
    batch : callable or None
        The vectorized implementation used by :func:`pairedstudy.test_batch`, if any.
    uses_unpaired : bool
        Whether the test uses the observed halves of incomplete pairs
        (:attr:`PairedStudy.pre_only <pairedstudy.PairedStudy.pre_only>` and ``post_only``).
        Any other test run on a study that has them gets a note saying how many
        observations it left out.
    """

    __test__ = False  # keep pytest from collecting this class

    name: str
    function: TestFunction = attrs.field(eq=False)
    description: str
    origin: str
    options: tuple[str, ...] | None
    kind: str = "location"
    statistic_name: str = "statistic"
    estimate_name: str = "estimate"
    names_declared: bool = attrs.field(default=True, repr=False)
    batch: TestFunction | None = attrs.field(default=None, eq=False)
    uses_unpaired: bool = False

    @property
    def is_plugin(self) -> bool:
        """Whether the test came from an entry point."""
        return self.origin.startswith("plugin")

    def result_class(self) -> type:
        """The class a result of this kind must be (``TestResult`` for a location test)."""
        return _result_class_of(self.kind)

    def check_options(self, options: Mapping[str, Any]) -> None:
        """Refuse options that the test does not take."""
        allowed = self.options
        if allowed is None or not options:
            return
        unknown = sorted(set(options) - set(allowed))
        if unknown:
            listed = ", ".join(repr(o) for o in allowed) or "none"
            raise InputTypeError(
                f"the {self.name!r} test got unknown option(s) "
                f"{', '.join(map(repr, unknown))}; its options are: {listed}"
            )

    def __call__(
        self,
        study: PairedStudy,
        *,
        alternative: str = "two-sided",
        mu: float = 0.0,
        confidence_level: float = 0.95,
        **options: Any,
    ) -> Any:
        """Validate the arguments, run the test on ``study`` and check its result.

        Parameters
        ----------
        study : PairedStudy
            The data.
        alternative : {"two-sided", "less", "greater"}
            The alternative about the location of ``post - pre`` relative to ``mu``.
        mu : float
            The location of the change under the null hypothesis.
        confidence_level : float
            Strictly between 0 and 1.
        **options
            The test's own options.

        Returns
        -------
        TestResult or the result class of the test's kind

        Raises
        ------
        InputValueError, InputTypeError
            A bad argument or option.
        InvalidResultError
            The test returned something that breaks the contract.
        PluginError
            A plugin test failed with an exception that is not the library's own.
        """
        self.check_options(options)
        arguments = check_arguments(alternative, mu, confidence_level)
        return self.run(study, arguments, options)

    def run(self, study: Any, arguments: Mapping[str, Any], options: Mapping[str, Any]) -> Any:
        """Run the test with arguments already validated; check and return its result."""
        try:
            result = self.function(study, **arguments, **options)
        except PairedStudyError:
            raise
        except Exception as exc:
            if not self.is_plugin:
                raise
            raise PluginError(
                f"the plugin test {self.name!r} ({self.origin}) failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        self.check_result(result, arguments["alternative"])
        if not self.names_declared:
            self._learn_names(result)
        if not self.uses_unpaired and getattr(study, "has_unpaired", False):
            result = evolve(result, notes=(*result.notes, study.left_out_note()))
        return result

    def _learn_names(self, result: Any) -> None:
        if _TESTS.get(self.name) is self:
            _TESTS[self.name] = attrs.evolve(
                self,
                statistic_name=str(getattr(result, "statistic_name", self.statistic_name)),
                estimate_name=str(getattr(result, "estimate_name", self.estimate_name)),
                names_declared=True,
            )

    def check_result(self, result: Any, alternative: str) -> None:
        """Refuse a result that breaks the contract of the test's kind.

        A result of the wrong class, a p-value outside ``[0, 1]`` (or NaN beside a finite
        statistic), an ``alternative`` not echoed, or an interval that excludes a finite
        estimate.
        """
        exact, expected, other_kinds = _KIND_CHECKS.get(self.kind) or _kind_check(self.kind)
        if result.__class__ is not exact and (
            not isinstance(result, expected) or isinstance(result, other_kinds)
        ):
            raise InputTypeError(
                f"the test registered as {self.name!r} (kind {self.kind!r}) returned "
                f"{type(result).__name__}, not a {expected.__name__}"
            )
        p = getattr(result, "pvalue", None)
        if p is not None:
            if math.isnan(p):
                statistic = getattr(result, "statistic", math.nan)
                if statistic is not None and not math.isnan(statistic):
                    raise InvalidResultError(
                        f"{self._returned()} a NaN p-value with a finite statistic "
                        f"{statistic!r}; a p-value is NaN only when the statistic is "
                        "undefined (NaN) too"
                    )
            elif not 0.0 <= p <= 1.0:
                raise InvalidResultError(f"{self._returned()} the p-value {p!r}, outside [0, 1]")
        echoed = getattr(result, "alternative", alternative)
        if echoed != alternative:
            raise InvalidResultError(
                f"{self._returned()} a result for alternative={echoed!r}; it was asked for "
                f"alternative={alternative!r}"
            )
        # an estimate or interval left to compute on first access is not computed here;
        # a one-sided interval below the 50 % level lies beside its estimate by design
        ci = peek(result, "ci", None)
        if isinstance(ci, ConfidenceInterval) and ci.level >= 0.5:
            estimate = peek(result, "estimate", None)
            if isinstance(estimate, float) and math.isfinite(estimate):
                low, high = ci.low, ci.high
                if not (math.isnan(low) or math.isnan(high)) and not low <= estimate <= high:
                    raise InvalidResultError(
                        f"{self._returned()} the interval [{low!r}, {high!r}], which excludes "
                        f"its estimate {estimate!r}"
                    )

    def _returned(self) -> str:
        """The start of an error message about what the test returned."""
        return f"the test registered as {self.name!r} returned"

    def run_batch(
        self, changes: np.ndarray, arguments: Mapping[str, Any], options: Mapping[str, Any]
    ) -> TestRows:
        """Run the batch kernel on ``(rows, n)`` changes; check and return its rows."""
        if self.batch is None:
            raise InputTypeError(f"the {self.name!r} test has no batch implementation")
        rows = changes.shape[0]
        try:
            out = self.batch(changes, **arguments, **options)
        except PairedStudyError:
            raise
        except Exception as exc:
            if not self.is_plugin:
                raise
            raise PluginError(
                f"the batch implementation of the plugin test {self.name!r} "
                f"({self.origin}) failed: {type(exc).__name__}: {exc}"
            ) from exc
        where = f"the batch implementation of {self.name!r}"
        if isinstance(out, Mapping):
            try:
                out = TestRows.from_mapping(out, rows)
            except ValueError as exc:
                if isinstance(exc, PairedStudyError):
                    raise
                raise InvalidResultError(
                    f"{where} must return one value per study ({rows} studies): {exc}"
                ) from None
        if not isinstance(out, TestRows):
            raise InputTypeError(
                f"{where} must return a TestRows or a mapping with at least 'statistic' "
                f"and 'pvalue'; got {type(out).__name__}"
            )
        for name in TestRows.FIELDS:
            value = peek(out, name)  # a field left to compute on first access stays so
            if value.__class__ is Deferred:
                continue

            if value.shape != (rows,):
                raise InvalidResultError(
                    f"{where} returned {name} of shape {value.shape}; it must give one value "
                    f"per study, shape ({rows},)"
                )
        p = out.pvalue
        bad = ~np.isnan(p) & ((p < 0.0) | (p > 1.0))
        if bad.any():
            raise InvalidResultError(
                f"{where} returned the p-value {float(p[bad][0])!r}, outside [0, 1]"
            )
        if not isinstance(out.method, str) and np.shape(out.method) not in ((rows,), ()):
            raise InvalidResultError(
                f"{where} returned methods of shape {np.shape(out.method)}; expected ({rows},)"
            )
        for note in out.notes:
            if note.mask.shape != (rows,):
                raise InvalidResultError(
                    f"{where} returned the mask of note {note.text!r} with shape "
                    f"{note.mask.shape}; expected ({rows},)"
                )
        return out


# --------------------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------------------

_TESTS: dict[str, RegisteredTest] = {}
#: Entry points already read: their names and ``"name = value"`` labels.
_read: set[str] = set()
_all_read = False
#: Guards registration and plugin discovery. Re-entrant: a plugin's module may register
#: tests (or look one up) while it is imported during discovery.
_LOCK = threading.RLock()
#: How many discoveries are running (under ``_LOCK``); readers then wait for the lock.
_discovering = 0


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


_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_KEYWORD = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


def _check_signature(name: str, function: TestFunction) -> None:
    """Refuse a function that cannot be called as ``function(study, alternative=..., ...)``.

    A callable whose signature cannot be read (some built-ins and extension types) is
    accepted as it is.
    """
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return
    required = "function(study, *, alternative, mu, confidence_level, **options)"
    first = parameters[0] if parameters else None
    if first is None or not (
        first.kind in _POSITIONAL or first.kind is inspect.Parameter.VAR_POSITIONAL
    ):
        raise InputTypeError(
            f"register_test({name!r}) needs a test callable as {required}, taking the study "
            f"as its first positional argument; got {getattr(function, '__name__', function)!r}"
            f" with the signature {inspect.signature(function)}"
        )
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return
    # a second positional-only parameter without a default cannot be filled by keywords
    blocked = [
        p.name
        for p in parameters[1:]
        if p.kind is inspect.Parameter.POSITIONAL_ONLY and p.default is inspect.Parameter.empty
    ]
    keywords = {p.name for p in parameters[1:] if p.kind in _KEYWORD}
    missing = [k for k in _COMMON if k not in keywords]
    if missing or blocked:
        lacking = ", ".join(missing) if missing else f"positional-only {', '.join(blocked)}"
        raise InputTypeError(
            f"register_test({name!r}) needs a test callable as {required}: it must accept "
            "the keyword arguments alternative, mu and confidence_level (or **kwargs); "
            f"{getattr(function, '__name__', function)!r} with the signature "
            f"{inspect.signature(function)} does not ({lacking})"
        )


def check_options(name: str, options: Mapping[str, Any]) -> None:
    """Refuse options that the test registered as ``name`` does not take."""
    get_registered(name).check_options(options)


def _first_line(function: TestFunction) -> str:
    doc = (getattr(function, "__doc__", None) or "").strip()
    return doc.splitlines()[0].strip() if doc else ""


def _check_label(name: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InputTypeError(f"{name} must be a string or None; got {show(value)}")
    return value


#: What each function registered with the decorator declared (kind, names, batch), so that
#: a plugin whose module is already imported keeps them when refresh_plugins re-reads it.
_DECLARED: weakref.WeakKeyDictionary[TestFunction, RegisteredTest] = weakref.WeakKeyDictionary()


def _register(
    name: str,
    function: TestFunction,
    *,
    origin: str | None,
    kind: str,
    statistic_name: str | None,
    estimate_name: str | None,
    batch: TestFunction | None,
    replace: bool,
    description: str | None,
    uses_unpaired: bool = False,
) -> RegisteredTest:
    """Add ``function`` under ``name``; ``origin`` is the plugin label or ``None``."""
    if not callable(function):
        raise InputTypeError(
            f"register_test({name!r}) must decorate a callable; got {show(function)}"
        )
    _check_signature(name, function)
    with _LOCK:
        existing = _TESTS.get(name)
        if origin is not None and existing is not None and existing.function is not function:
            if existing.origin == "built-in" or existing.is_plugin:
                raise DuplicateTestError(
                    f"a plugin may not replace the {existing.origin} test {name!r}"
                )
        if existing is not None and existing.function is not function and not replace:
            raise DuplicateTestError(
                f"a test named {name!r} is already registered ({existing.origin}: "
                f"{existing.description or existing.function!r}); pass replace=True to "
                "replace it"
            )
        if origin is not None:
            label = f"plugin {origin}"
        else:
            module = getattr(function, "__module__", "") or ""
            label = "built-in" if module.startswith("pairedstudy.") else "user"
        entry = RegisteredTest(
            name=name,
            function=function,
            description=description if description is not None else _first_line(function),
            origin=label,
            options=_options(function),
            kind=kind,
            statistic_name=statistic_name or "statistic",
            estimate_name=estimate_name or "estimate",
            names_declared=statistic_name is not None and estimate_name is not None,
            batch=batch,
            uses_unpaired=uses_unpaired,
        )
        _TESTS[name] = entry
        if origin is None:  # declared with the decorator: remembered for refresh_plugins
            _DECLARED[function] = entry
        return entry


def register_test(
    name: str,
    *,
    kind: str = "location",
    statistic_name: str | None = None,
    estimate_name: str | None = None,
    batch: TestFunction | None = None,
    replace: bool = False,
    description: str | None = None,
    uses_unpaired: bool = False,
) -> Callable[[TestFunction], TestFunction]:
    """Register a paired test under ``name`` (a decorator).

    Parameters
    ----------
    name : str
        Lower-case letters, digits, ``_`` and ``-``, starting with a letter.
    kind : {"location", "equivalence", "bayes factor", "table"}, default "location"
        The kind of analysis; it fixes the class the test must return (``TestResult``
        for a location test, ``TableTestResult`` for a test of the pre x post table).
    statistic_name, estimate_name : str, optional
        What the test's statistic and estimate are (``"t"``, ``"mean change"``); taken
        from its first result when not given.
    batch : callable, optional
        A vectorized implementation for :func:`pairedstudy.test_batch` (see the module
        documentation for its protocol). Without one, ``test_batch`` runs the test once per
        study and says so in the result.
    replace : bool, default False
        Allow replacing a test already registered under ``name``. Without it a second
        registration of a different function is refused.
    description : str, optional
        One line for listings; defaults to the first line of the function's docstring.
    uses_unpaired : bool, default False
        Whether the test reads the observed halves of incomplete pairs itself
        (``study.pre_only`` and ``study.post_only``). When false, a study that has them
        gets a note in the result saying how many observations the test left out.

    Returns
    -------
    callable
        A decorator that registers the function and returns it unchanged.

    Raises
    ------
    InputTypeError
        ``name`` is not a string, ``replace`` is not a bool, or the decorated object is not
        callable as ``function(study, *, alternative, mu, confidence_level, **options)``
        (it must take the study as its first positional argument and accept those three
        keywords, or ``**kwargs``).
    InputValueError
        ``name`` has characters outside the allowed set, or ``kind`` is unknown.
    DuplicateTestError
        ``name`` is taken and ``replace`` is false.

    Examples
    --------
    >>> import numpy as np
    >>> import pairedstudy as ps
    >>> @ps.register_test("median-sign-demo", statistic_name="S",
    ...                   estimate_name="median change", replace=True)
    ... def median_sign(study, *, alternative, mu, confidence_level):
    ...     '''A sign test under another name.'''
    ...     return ps.get_test("sign")(
    ...         study, alternative=alternative, mu=mu, confidence_level=confidence_level
    ...     )
    >>> "median-sign-demo" in ps.available_tests()
    True
    """
    if not isinstance(name, str):
        raise InputTypeError(f"name must be a string; got {show(name)}")
    if not _NAME.fullmatch(name):
        raise InputValueError(
            f"name must be lower-case letters, digits, '_' or '-', starting with a letter; "
            f"got {name!r}"
        )
    for flag, value in (("replace", replace), ("uses_unpaired", uses_unpaired)):
        if not isinstance(value, (bool, np.bool_)):
            raise InputTypeError(f"{flag} must be True or False; got {show(value)}")
    replace, uses_unpaired = bool(replace), bool(uses_unpaired)
    kind = _check_kind(kind)
    _check_label("statistic_name", statistic_name)
    _check_label("estimate_name", estimate_name)
    if description is not None and not isinstance(description, str):
        raise InputTypeError(f"description must be a string; got {show(description)}")
    if batch is not None and not callable(batch):
        raise InputTypeError(f"batch must be a callable or None; got {show(batch)}")

    def decorator(function: TestFunction) -> TestFunction:
        _register(
            name,
            function,
            origin=None,
            kind=kind,
            statistic_name=statistic_name,
            estimate_name=estimate_name,
            batch=batch,
            replace=replace,
            description=description,
            uses_unpaired=uses_unpaired,
        )
        return function

    return decorator


# --------------------------------------------------------------------------------------
# Plugins: lazy, per name
# --------------------------------------------------------------------------------------


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return list(entry_points(group=ENTRY_POINT_GROUP))


def _load(entry_point: Any) -> None:
    """Load one entry point and register it; a failure is a warning, never an error."""
    label = f"{entry_point.name} = {entry_point.value}"
    before = dict(_TESTS)
    try:
        existing = _TESTS.get(entry_point.name)
        function = entry_point.load()
        for other, entry in before.items():  # importing it must not replace other tests
            if _TESTS.get(other) is not entry and (entry.origin == "built-in" or entry.is_plugin):
                _TESTS[other] = entry
                raise DuplicateTestError(
                    f"a plugin may not replace the {entry.origin} test {other!r}"
                )
        declared: RegisteredTest | None = None
        if isinstance(function, RegisteredTest):
            declared, function = function, function.function
        if not callable(function):
            raise TypeError(f"{entry_point.value} is {type(function).__name__}, not callable")
        if existing is not None:
            if existing.function is function:
                return  # imported (and registered) before discovery ran
            raise DuplicateTestError(
                f"the name {entry_point.name!r} is already taken by a {existing.origin} test"
            )
        registered = _TESTS.get(entry_point.name)
        if registered is None:
            # a module imported before (e.g. before refresh_plugins) does not run its
            # decorator again: register the function with what the decorator declared
            declared = declared or _DECLARED.get(function)
            _register(
                entry_point.name,
                function,
                origin=label,
                kind=declared.kind if declared else "location",
                statistic_name=(
                    declared.statistic_name if declared and declared.names_declared else None
                ),
                estimate_name=(
                    declared.estimate_name if declared and declared.names_declared else None
                ),
                batch=declared.batch if declared else None,
                replace=False,
                description=declared.description if declared else None,
                uses_unpaired=declared.uses_unpaired if declared else False,
            )
        elif registered.function is not function:
            raise DuplicateTestError(
                f"importing it registered a different test as {entry_point.name!r}"
            )
        else:  # importing the module registered it: record where it came from
            _TESTS[entry_point.name] = attrs.evolve(registered, origin=f"plugin {label}")
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a broken plugin must never break the library
        # SystemExit (a plugin calling sys.exit() at import), GeneratorExit and other
        # BaseExceptions included: the host goes on with the next plugin. Only the user's
        # Ctrl-C (KeyboardInterrupt) goes through.
        warnings.warn(
            f"test plugin {label!r} could not be loaded and was skipped: "
            f"{type(exc).__name__}: {exc}",
            PluginLoadWarning,
            stacklevel=4,
        )


def _discover(name: str | None = None) -> None:
    """Load the entry points named ``name`` (every one for ``None``), each only once.

    Runs under ``_LOCK``: a thread that asks while another discovers waits for it, then
    sees every test that discovery registered.
    """
    global _all_read, _discovering
    with _LOCK:
        if _all_read or (name is not None and name in _read):
            return
        _discovering += 1
        try:
            for entry_point in _entry_points():
                if name is not None and entry_point.name != name:
                    continue
                key = f"{entry_point.name} = {entry_point.value}"
                if key in _read:
                    continue
                _read.add(key)
                _load(entry_point)
            if name is None:
                _all_read = True
            else:
                _read.add(name)
        finally:
            _discovering -= 1


def refresh_plugins() -> None:
    """Forget the plugin tests and read the ``pairedstudy.tests`` entry points again.

    Call it after installing or removing a plugin in a running session. Plugins are then
    loaded again lazily: by name on a lookup, all of them by :func:`available_tests`.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> ps.refresh_plugins()
    >>> "t" in ps.available_tests()
    True
    """
    global _all_read
    with _LOCK:
        for name in [n for n, t in _TESTS.items() if t.is_plugin]:
            del _TESTS[name]
        _read.clear()
        _all_read = False


def get_registered(name: str) -> RegisteredTest:
    """Return the registry entry of ``name``: callable, with its names, kind and options.

    Parameters
    ----------
    name : str
        A registered name; see :func:`available_tests`.

    Returns
    -------
    RegisteredTest

    Raises
    ------
    UnknownTestError
        (a ``KeyError``) when no test has that name; the message lists the known names.
    """
    if not isinstance(name, str):
        raise InputTypeError(f"name must be a test name (a string); got {show(name)}")
    entry = _TESTS.get(name)
    if entry is None or _discovering:  # missing, or a discovery is running: wait for it
        with _LOCK:
            _discover(name)
            entry = _TESTS.get(name)
    if entry is None:
        import difflib

        names = available_tests()
        known = ", ".join(repr(n) for n in names)
        lowered = {n.lower(): n for n in names}
        core = name.lower()
        for word in ("paired", "test", "-", "_", " "):  # "ttest", "t-test", "paired_t"
            core = core.replace(word, "")
        close = [lowered[key] for key in (name.lower(), core) if key in lowered]
        close += difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
        close += [n for n in names if len(n) > 1 and n.lower() in name.lower()]  # "signtest"
        guesses = [lowered.get(c, c) for c in dict.fromkeys(close)]
        hint = f" (did you mean {' or '.join(repr(g) for g in guesses[:3])}?)" if guesses else ""
        raise UnknownTestError(
            f"no test is registered as {show(name)}{hint}; known tests: {known}"
        )
    return entry


def get_test(name: str) -> RegisteredTest:
    """Return the test registered under ``name``, ready to call with validation.

    Parameters
    ----------
    name : str
        A registered name; see :func:`available_tests`.

    Returns
    -------
    RegisteredTest
        Callable as ``test(study, *, alternative="two-sided", mu=0.0,
        confidence_level=0.95, **options)``: it validates the arguments, runs the test and
        checks its result. ``test.function`` is the raw function.

    Raises
    ------
    UnknownTestError
        (a ``KeyError``) when no test has that name; the message lists the known names.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> t = ps.get_test("t")
    >>> t.statistic_name, t.estimate_name, t.kind
    ('t', 'mean change', 'location')
    >>> round(t(ps.datasets.oxytocin_massage(), alternative="greater").statistic, 4)
    7.7071
    """
    return get_registered(name)


def registered_tests() -> tuple[RegisteredTest, ...]:
    """Return every registered test (built-in, user and plugin), sorted by name."""
    with _LOCK:
        _discover()
        return tuple(_TESTS[name] for name in sorted(_TESTS))


def available_tests() -> tuple[str, ...]:
    """Return the names of every registered test, sorted.

    Returns
    -------
    tuple of str
        Built-in tests (``"sign"``, ``"t"``, ``"wilcoxon"``, ...), tests registered with
        :func:`register_test`, and third-party tests from the ``pairedstudy.tests`` entry
        points that loaded.
    """
    return tuple(entry.name for entry in registered_tests())
