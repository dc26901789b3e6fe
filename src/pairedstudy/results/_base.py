"""The one serialization every result shares, the read-only mapping and the number formats.

Every result class mixes in :class:`Serializable`, which gives it ``to_dict()`` (plain Python
types), a strict ``to_json()``, ``to_records()`` / ``to_frame()`` (flat rows, a pandas
table) and ``_repr_html_()`` (notebooks). The rule for JSON, written once here:

* ``NaN`` and ``None`` are written as ``null``;
* ``+inf`` is written as the string ``"Infinity"`` and ``-inf`` as ``"-Infinity"`` (the limit
  of a one-sided interval, an overflowing Bayes factor), so no ``NaN`` or ``Infinity`` token
  ever appears and every JSON parser reads the output;
* nested results and intervals become objects, tuples and numpy arrays become lists, numpy
  scalars become Python numbers.
"""

from __future__ import annotations

import html
import json
import math
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from ..errors import InputValueError

if TYPE_CHECKING:
    from attrs import AttrsInstance

__all__ = [
    "NEGATIVE_INFINITY",
    "POSITIVE_INFINITY",
    "FrozenMapping",
    "LegacyDetails",
    "Serializable",
    "fixed",
    "format_number",
    "format_p",
    "frozen_mapping",
    "json_safe",
    "note_tuple",
    "percent",
    "to_plain",
]

#: How strict JSON writes ``+inf`` and ``-inf``.
POSITIVE_INFINITY = "Infinity"
NEGATIVE_INFINITY = "-Infinity"


class FrozenMapping(Mapping[str, Any]):
    """A read-only mapping that pickles and copies (unlike ``types.MappingProxyType``).

    Parameters
    ----------
    data : Mapping, optional
        The entries (copied).
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMapping, (self._data,))

    def current(self) -> dict[str, Any]:
        """Return the entries that are not deprecated, as a new dict."""
        return dict(self._data)


class LegacyDetails(FrozenMapping):
    """A read-only ``details`` mapping that still serves deprecated keys, with a warning.

    The deprecated keys are the figures a result now has as typed attributes (``bf10`` of a
    Bayes factor, ``p_lower`` of an equivalence test); reading one warns with a
    :class:`DeprecationWarning` naming the attribute, and they are left out of
    :meth:`current` (so ``to_dict()`` and ``to_json()`` do not repeat them).

    Parameters
    ----------
    data : Mapping, optional
        The current entries.
    legacy : Mapping, optional
        ``{key: (value, attribute)}``: the deprecated entries and where they now live.
    """

    __slots__ = ("_legacy",)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        legacy: Mapping[str, tuple[Any, str]] | None = None,
    ) -> None:
        super().__init__(data)
        self._legacy = {k: v for k, v in (legacy or {}).items() if k not in self._data}

    def __getitem__(self, key: str) -> Any:
        if key in self._data:
            return self._data[key]
        if key in self._legacy:
            value, attribute = self._legacy[key]
            warnings.warn(
                f'details["{key}"] is deprecated and will be removed in the next release; '
                f"use the result's .{attribute} instead",
                DeprecationWarning,
                stacklevel=2,
            )
            return value
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self._data or key in self._legacy

    def __iter__(self) -> Iterator[str]:
        yield from self._data
        yield from self._legacy

    def __len__(self) -> int:
        return len(self._data) + len(self._legacy)

    def __repr__(self) -> str:
        return f"LegacyDetails({self._data!r}, deprecated={sorted(self._legacy)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LegacyDetails, (self._data, self._legacy))


def frozen_mapping(value: Mapping[str, Any] | None = None) -> FrozenMapping:
    """Convert ``value`` to a :class:`FrozenMapping` (kept as it is when it already is one).

    Parameters
    ----------
    value : Mapping, optional
        The entries; ``None`` gives an empty mapping.

    Returns
    -------
    FrozenMapping
    """
    if isinstance(value, FrozenMapping):
        return value
    return FrozenMapping(value)


def note_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Convert notes to a tuple of strings; a single string is one note (not its letters).

    Parameters
    ----------
    value : iterable of str, or str
        The notes.

    Returns
    -------
    tuple of str
    """
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def to_plain(value: Any) -> Any:
    """Convert a result's field to plain Python types (the ``to_dict`` rule).

    Results and intervals become dicts (their own ``to_dict()``), mappings dicts, tuples,
    lists and numpy arrays lists, numpy scalars Python numbers; other values are kept.
    Non-finite floats are kept (``to_dict`` is Python, not JSON).

    Parameters
    ----------
    value : object
        The value.

    Returns
    -------
    object
    """
    if isinstance(value, Serializable):
        return value.to_dict()
    if isinstance(value, FrozenMapping):
        return {k: to_plain(v) for k, v in value.current().items()}
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [to_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def json_safe(value: Any) -> Any:
    """Apply the strict JSON rule to plain values.

    ``NaN`` becomes ``None`` (``null``), ``+inf`` ``"Infinity"``, ``-inf`` ``"-Infinity"``;
    dicts, lists and tuples are converted item by item, numpy values first made Python.

    Parameters
    ----------
    value : object
        Plain Python values (the output of ``to_dict()``).

    Returns
    -------
    object

    Examples
    --------
    >>> from pairedstudy.results._base import json_safe
    >>> json_safe({"low": float("-inf"), "high": 1.5, "p": float("nan")})
    {'low': '-Infinity', 'high': 1.5, 'p': None}
    """
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return POSITIVE_INFINITY if value > 0 else NEGATIVE_INFINITY
        return value
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        return json_safe(value.item())
    return value


def _same_value(a: Any, b: Any) -> bool:
    """``a == b``, with NaN equal to NaN inside floats, tuples, mappings and arrays."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    return bool(a == b)


def _hash_key(value: Any) -> Any:
    """``value`` with every float NaN replaced by one marker (NaN hashes by identity)."""
    if isinstance(value, float) and math.isnan(value):
        return ("NaN",)
    if isinstance(value, tuple):
        return tuple(_hash_key(v) for v in value)
    return value


def _same_fields(a: Any, b: Any) -> bool:
    """Whether two attrs instances of one class agree on every compared field."""
    if a.__class__ is not b.__class__:
        return False
    fields = attrs.fields(cast("type[AttrsInstance]", type(a)))
    return all(_same_value(getattr(a, f.name), getattr(b, f.name)) for f in fields if f.eq)


class Serializable:
    """Mixin of every result: ``to_dict()`` and strict ``to_json()``, written once.

    The class using it is an attrs class; ``to_dict`` walks its fields in order.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Make attrs' generated ``__eq__`` see NaN equal to NaN (field by field).

        Python compares two floats NaN as unequal, and attrs' ``__eq__`` compares field
        tuples, so a result holding a NaN equalled itself only through object identity and
        not after a pickle or copy round trip.
        """
        super().__init_subclass__(**kwargs)
        generated = cls.__dict__.get("__eq__")
        if generated is None or getattr(generated, "_nan_aware", False):
            return

        def __eq__(self: Any, other: Any) -> Any:
            equal = generated(self, other)
            if equal is NotImplemented or equal:
                return equal
            return _same_fields(self, other)

        __eq__._nan_aware = True  # type: ignore[attr-defined]  # marks the wrapper
        cls.__eq__ = __eq__  # type: ignore[method-assign]  # attrs generated the original
        if cls.__dict__.get("__hash__") is not None:  # equal results must hash equal

            def __hash__(self: Any) -> int:
                fields = attrs.fields(cast("type[AttrsInstance]", type(self)))
                keys = (
                    _hash_key(getattr(self, f.name))
                    for f in fields
                    if (f.eq if f.hash is None else f.hash)
                )
                return hash((type(self).__qualname__, *keys))

            cls.__hash__ = __hash__  # type: ignore[method-assign]  # as for __eq__

    def to_dict(self) -> dict[str, Any]:
        """Return every field as plain Python types.

        Nested results and intervals are dicts, tuples and arrays lists, numpy scalars
        Python numbers. Infinite limits stay ``float("inf")``: use :meth:`to_json` for
        strict JSON.

        Returns
        -------
        dict
        """
        fields = attrs.fields(cast("type[AttrsInstance]", type(self)))  # an attrs subclass
        return {f.name: to_plain(getattr(self, f.name)) for f in fields}

    def to_records(self) -> list[dict[str, Any]]:
        """Return the result as flat rows for a table (one row; a table of results: one per row).

        Nested dicts are flattened with ``_`` (``ci_low``, ``ci_high``, ...; an absent interval
        gives the same columns, empty), lists of notes joined with ``"; "``; ``details`` is
        left out, so the columns do not change with a test's options.

        Returns
        -------
        list of dict
        """
        record: dict[str, Any] = {}
        for field in attrs.fields(cast("type[AttrsInstance]", type(self))):
            if field.name == "details":
                continue
            value = to_plain(getattr(self, field.name))
            if value is None and "ConfidenceInterval" in str(field.type):
                value = dict.fromkeys(("low", "high", "level", "attained_level"))
            _flatten(record, field.name, value)
        return [record]

    def to_frame(self) -> Any:
        """Return :meth:`to_records` as a pandas ``DataFrame``.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        InputValueError
            pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise InputValueError(
                "to_frame needs pandas: pip install 'pairedstudy[frames]'"
            ) from None
        return pd.DataFrame(self.to_records())

    def _repr_html_(self) -> str:
        """The printed result as HTML, for notebooks."""
        return f"<pre>{html.escape(str(self))}</pre>"

    def to_json(self, **kwargs: Any) -> str:
        """Return the result as strict JSON.

        ``NaN`` and ``None`` are written as ``null``, ``+inf`` as the string
        ``"Infinity"`` and ``-inf`` as ``"-Infinity"``: the output never holds a ``NaN`` or
        ``Infinity`` token, so every JSON parser reads it.

        Parameters
        ----------
        **kwargs
            Passed to :func:`json.dumps` (e.g. ``indent=2``); ``allow_nan`` is always
            ``False``.

        Returns
        -------
        str
        """
        kwargs["allow_nan"] = False
        return json.dumps(json_safe(self.to_dict()), **kwargs)


def _flatten(record: dict[str, Any], name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(record, f"{name}_{key}", item)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        record[name] = "; ".join(value)
    else:
        record[name] = value


def format_number(value: float | None, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits, ``"NA"`` for ``None``.

    A number too large for ``digits`` significant digits without an exponent prints in
    full, rounded to a whole number (``df = 200000``, not ``2e+05``), below 10**15;
    every other number keeps ``digits`` significant digits.

    Parameters
    ----------
    value : float or None
        The number.
    digits : int, default 4
        Significant digits.

    Returns
    -------
    str

    Examples
    --------
    >>> from pairedstudy.results._base import format_number
    >>> format_number(199999.0), format_number(1.95238), format_number(5806070000.0)
    ('199999', '1.952', '5806070000')
    """
    if value is None:
        return "NA"
    text = f"{value:.{digits}g}"
    if "e+" in text and abs(value) < 1e15:  # large, not small: print it in full
        return f"{value:.0f}"
    return text


def format_p(p: float) -> str:
    """A p-value for a result's text: four decimals, or three significant digits if tiny.

    Parameters
    ----------
    p : float
        The p-value.

    Returns
    -------
    str
    """
    if p == 0:
        return "< 1e-300 (below the smallest float)"
    if p < 1e-4:
        return f"{p:.3g}"
    return f"{p:.4f}"


def fixed(value: float) -> str:
    """Three decimals for everyday magnitudes, scientific notation otherwise.

    Parameters
    ----------
    value : float
        The number.

    Returns
    -------
    str
    """
    if value == 0 or math.isinf(value) or 1e-3 <= abs(value) < 1e6:
        return f"{value:.3f}"
    return f"{value:.3e}"


def percent(level: float) -> str:
    """``0.95 -> '95'``, ``0.999 -> '99.9'`` (never rounds 0.9999999 up to 100).

    Parameters
    ----------
    level : float
        A proportion.

    Returns
    -------
    str
    """
    return f"{100 * level:.10g}"
