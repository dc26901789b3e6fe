"""The outcome of one test on many studies: read-only arrays, one value per study."""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import numpy as np

from .._numerics import readonly
from ..errors import InputValueError
from ._base import Serializable, note_tuple, to_plain
from ._lazy import convert_or_defer, lazy_fields

__all__ = ["FLOAT_FIELDS", "NOT_COMPUTED", "BatchResult"]

#: The ``method`` of a study the batch could not analyse (fewer than two complete pairs).
NOT_COMPUTED = "not computed"


def _readonly_float(value: Any) -> np.ndarray:
    if value.__class__ is np.ndarray and value.dtype == np.float64 and not value.flags.writeable:
        view = value.view()  # read-only already (test_batch's own columns): not copied
        view.flags.writeable = False
        return view
    return readonly(np.array(value, dtype=np.float64))


def _readonly_int(value: Any) -> np.ndarray:
    return readonly(np.array(value, dtype=np.int64))


def _readonly_str(value: Any) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind != "U":
        flat = array.ravel().tolist()
        if flat and flat.count(flat[0]) == len(flat):  # one method for every study
            array = np.full(array.shape, str(flat[0]))
        else:
            array = np.array(array, dtype=str)
    else:
        array = array.copy()
    return readonly(array)


def _same_shape(instance: BatchResult, attribute: attrs.Attribute, value: np.ndarray) -> None:
    if value.shape != instance.statistic.shape:
        raise InputValueError(
            f"{attribute.name} has shape {value.shape}; every array of a BatchResult has the "
            f"shape of statistic, {instance.statistic.shape}"
        )


def _array_eq(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


_ARRAY: dict[str, Any] = {
    "validator": _same_shape,
    "eq": attrs.cmp_using(eq=_array_eq),
    "hash": False,
    "repr": False,
}
#: The fields that may be computed on first access: no validator (attrs would read the
#: value to validate it); the library's kernels give them the shape of ``statistic``.
_LAZY_ARRAY = {key: value for key, value in _ARRAY.items() if key != "validator"}


#: The float fields holding one value per study.
FLOAT_FIELDS = (
    "statistic",
    "pvalue",
    "df",
    "estimate",
    "ci_low",
    "ci_high",
    "attained_level",
)
#: The fields holding one value per study, in the order of a record.
_PER_STUDY = (*FLOAT_FIELDS, "n", "method")


def _lazy_float(value: Any) -> np.ndarray:
    return convert_or_defer(value, _readonly_float)


@lazy_fields("estimate", "ci_low", "ci_high", "attained_level")
@attrs.frozen(kw_only=True)
class BatchResult(Serializable):
    """The outcome of one test on many studies: read-only arrays, one value per study.

    Every array has :attr:`shape`, the shape of the input with the subjects ``axis``
    removed (``()`` for a single study given as 1-D arrays). The arrays stay read-only
    after a pickle round trip or a copy.

    Attributes
    ----------
    test : str
        The registered name of the test.
    statistic_name, estimate_name : str
        What ``statistic`` and ``estimate`` are (``"t"``, ``"mean change"``, ...).
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``.
    mu : float
        The hypothesised location of the change.
    confidence_level : float
        The level of the intervals.
    statistic, pvalue, df, estimate, ci_low, ci_high : numpy.ndarray of float
        As the fields of :class:`~pairedstudy.TestResult` (``ci_low``/``ci_high`` are
        ``ci.low``/``ci.high``); NaN where the test does not define them or a study could
        not be analysed.
    attained_level : numpy.ndarray of float
        ``ci.attained_level`` of each study (NaN when the interval has none).
    n : numpy.ndarray of int
        The number of complete pairs of each study.
    method : numpy.ndarray of str
        What was computed for each study: ``"exact"``, ``"asymptotic"``, ...,
        ``"not computed"``.
    implementation : str
        ``"vectorized"`` (a batch kernel ran) or ``"looped"`` (the test ran once per
        study because it declares no batch implementation).
    notes : tuple of str
        What a reader should know, each with how many studies (and which) it concerns.

    Notes
    -----
    ``estimate``, ``ci_low``, ``ci_high`` and ``attained_level`` may be computed on first
    access (the signed-rank test's Hodges-Lehmann estimates and intervals, which cost more
    than its p-values), all at once; the values are the same.

    ``to_dict()`` gives the arrays as nested lists; ``to_json()`` writes a NaN as ``null``
    and an infinite limit as ``"Infinity"`` / ``"-Infinity"``; ``to_records()`` and
    ``to_frame()`` give one row per study.
    """

    test: str
    statistic_name: str
    estimate_name: str
    alternative: str
    mu: float
    confidence_level: float
    statistic: np.ndarray = attrs.field(
        converter=_readonly_float, eq=attrs.cmp_using(eq=_array_eq), hash=False, repr=False
    )
    pvalue: np.ndarray = attrs.field(converter=_readonly_float, **_ARRAY)
    df: np.ndarray = attrs.field(converter=_readonly_float, **_ARRAY)
    estimate: np.ndarray = attrs.field(converter=_lazy_float, **_LAZY_ARRAY)
    ci_low: np.ndarray = attrs.field(converter=_lazy_float, **_LAZY_ARRAY)
    ci_high: np.ndarray = attrs.field(converter=_lazy_float, **_LAZY_ARRAY)
    attained_level: np.ndarray = attrs.field(converter=_lazy_float, **_LAZY_ARRAY)
    n: np.ndarray = attrs.field(converter=_readonly_int, **_ARRAY)
    method: np.ndarray = attrs.field(converter=_readonly_str, **_ARRAY)
    implementation: str = "vectorized"
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the studies (the input's shape without the subjects axis)."""
        return tuple(self.statistic.shape)

    @property
    def size(self) -> int:
        """The number of studies."""
        return int(self.statistic.size)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a BatchResult of one study (shape ()); use .size")
        return self.shape[0]

    def __getstate__(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in attrs.fields(type(self))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A pickled or deep-copied array comes back writeable: make it read-only again.
        for name, value in state.items():
            if isinstance(value, np.ndarray) and value.flags.writeable:
                value = readonly(value)
            object.__setattr__(self, name, value)

    def _study_labels(self, stop: int | None = None) -> list[Any]:
        """The ``study`` column: the index in a 1-D batch, the index tuple otherwise."""
        indices = itertools.islice(np.ndindex(*self.shape), stop)
        if len(self.shape) == 1:
            return [index[0] for index in indices]
        return list(indices)

    def _rows(self, stop: int | None = None) -> list[dict[str, Any]]:
        flat = {name: getattr(self, name).ravel()[:stop] for name in _PER_STUDY}
        constant = self._constant_columns()
        return [
            {
                "study": label,
                **constant,
                **{name: to_plain(flat[name][i]) for name in _PER_STUDY},
                "ci_level": self.confidence_level,
            }
            for i, label in enumerate(self._study_labels(stop))
        ]

    def _constant_columns(self) -> dict[str, Any]:
        return {"test": self.test, "alternative": self.alternative, "mu": self.mu}

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat row per study, in C order of :attr:`shape`.

        Each row has ``study`` (the study's index: an integer in a 1-D batch, a tuple of
        indices into :attr:`shape` otherwise, ``()`` for a single study), the test's name,
        ``alternative`` and ``mu``, every per-study value, and ``ci_level``.

        Returns
        -------
        list of dict
        """
        return self._rows()

    def _frame_columns(self) -> dict[str, Any]:
        columns: dict[str, Any] = {"study": self._study_labels()}
        for name, value in self._constant_columns().items():
            columns[name] = [value] * self.size
        for name in _PER_STUDY:
            values = getattr(self, name).ravel()
            columns[name] = values.tolist() if name == "method" else values
        columns["ci_level"] = np.full(self.size, self.confidence_level)
        return columns

    def _html_rows(self, limit: int) -> tuple[list[dict[str, Any]], int]:
        return self._rows(limit), self.size

    def __repr__(self) -> str:
        return (
            f"BatchResult(test={self.test!r}, shape={self.shape}, "
            f"alternative={self.alternative!r}, implementation={self.implementation!r})"
        )

    def __str__(self) -> str:
        computed = self.method != NOT_COMPUTED
        kinds, counts = np.unique(self.method, return_counts=True)
        methods = ", ".join(f"{m} {int(c)}" for m, c in zip(kinds, counts, strict=True))
        lines = [
            f"{self.test!r} test on {self.size} paired studies (shape {self.shape}), "
            f"change = post - pre, alternative {self.alternative}, mu = {self.mu:g}",
            f"  methods: {methods}",
        ]
        if computed.any():
            p = self.pvalue[computed & ~np.isnan(self.pvalue)]
            if p.size:
                lines.append(
                    f"  p-values: min {p.min():.4g}, median {np.median(p):.4g}, max "
                    f"{p.max():.4g}; {int(np.sum(p < 0.05))} below 0.05"
                )
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)
