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
import importlib
import json
import math
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from ..errors import InputValueError, MissingDependencyError

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

#: The libraries ``to_frame`` can build a frame with.
_FRAME_BACKENDS = ("pandas", "polars")
#: The rows a notebook shows of a result with many (the frame has them all).
HTML_ROW_LIMIT = 20

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
    if type(value) is dict:  # fast path: the usual ``details``, without the ABC's isinstance
        return FrozenMapping(value)
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
    if type(value) is tuple:  # fast path: already a tuple (``tuple(value)`` is itself)
        return value
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


#: The columns of a nested result that may be absent (``None``), so that a table's columns
#: do not change with the data: an interval, an arm description.
_ABSENT_COLUMNS = {
    "ConfidenceInterval": ("low", "high", "level", "attained_level"),
    "ArmDescription": ("n", "mean", "sd", "median", "min", "max"),
}


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

        Every value is a scalar: nested results and intervals are flattened with ``_``
        (``ci_low``, ``ci_high``, ``ci_level``, ``ci_attained_level``; an absent interval
        or arm description gives the same columns, empty), notes joined with ``"; "``,
        other mappings written ``"key: value; ..."`` and other sequences spread over
        ``name_0``, ``name_1``, ...;
        ``details`` is left out, so the columns do not change with a test's options.

        Returns
        -------
        list of dict
        """
        record: dict[str, Any] = {}
        for field in attrs.fields(cast("type[AttrsInstance]", type(self))):
            if field.name == "details":
                continue
            raw = getattr(self, field.name)  # attribute access: lazy fields compute here
            if isinstance(raw, Mapping) and not isinstance(raw, Serializable):
                plain = to_plain(raw)
                value: Any = "; ".join(f"{key}: {item}" for key, item in plain.items())
            else:
                value = to_plain(raw)
            if value is None:  # an absent nested result gives its columns, empty
                for kind, columns in _ABSENT_COLUMNS.items():
                    if kind in str(field.type):
                        value = dict.fromkeys(columns)
                        break
            _flatten(record, field.name, value)
        return [record]

    def _frame_columns(self) -> dict[str, Any]:
        """The columns of :meth:`to_frame`: ``{name: values}`` (from :meth:`to_records`).

        A type whose rows are many overrides this with arrays (a batch of a million
        studies does not build a million dicts).
        """
        records = self.to_records()
        names: dict[str, None] = {}
        for record in records:
            names.update(dict.fromkeys(record))
        return {name: [record.get(name) for record in records] for name in names}

    def to_frame(self, backend: str = "pandas") -> Any:
        """Return the result as a tidy data frame: the rows of :meth:`to_records`.

        One row per result, or per row of a result that has rows (a test per study of a
        batch, an effect size per kind, a method per replication plan, a check per
        consistency report, a pair per reconstructed dataset); every cell a scalar
        (``statistic``, ``pvalue``, ``ci_low``, ``ci_high``, ``ci_level``, ``method``, ...).
        Frames of several results concatenate (``pandas.concat``) into one table.

        Parameters
        ----------
        backend : {"pandas", "polars"}, default "pandas"
            Which library builds the frame; it is imported only here.

        Returns
        -------
        pandas.DataFrame or polars.DataFrame

        Raises
        ------
        InputValueError
            ``backend`` is not one of the two.
        MissingDependencyError
            That library is not installed (install the extra ``pairedstudy[frames]``); an
            ``ImportError`` too.

        Examples
        --------
        >>> import pairedstudy as ps
        >>> frame = ps.datasets.oxytocin_massage().test("t").to_frame()
        >>> frame[["test", "statistic", "df", "ci_low", "ci_high"]].round(3)
          test  statistic    df  ci_low  ci_high
        0    t      7.707  20.0   1.424    2.481
        """
        if backend not in _FRAME_BACKENDS:
            raise InputValueError(
                f"backend must be one of {list(_FRAME_BACKENDS)}; got {backend!r}"
            )
        try:
            module = importlib.import_module(backend)
        except ImportError:
            raise MissingDependencyError(
                f"to_frame(backend={backend!r}) needs {backend}, which is not installed: "
                "install the extra pairedstudy[frames] (python -m pip install "
                "'pairedstudy[frames]', or '.[frames]' from a checkout)"
            ) from None
        return module.DataFrame(self._frame_columns())

    def _html_rows(self, limit: int) -> tuple[list[dict[str, Any]], int]:
        """The first ``limit`` rows of :meth:`to_records` and how many there are in all."""
        records = self.to_records()
        return records[:limit], len(records)

    def _repr_html_(self) -> str:
        """A small HTML table of the result, for notebooks (Jupyter calls it).

        The first printed line is the caption; a result of one row is shown as a two-column
        table (figure, value), a result with rows as a table of its first rows. Empty
        figures are left out; every text is HTML-escaped.

        Returns
        -------
        str
        """
        return _html_table(self)

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
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(record, f"{name}_{index}", item)
    else:
        record[name] = value


def _html_cell(value: Any) -> str:
    """One cell: floats with 4 significant digits, ``NA`` for missing, text escaped."""
    if value is None:
        return "NA"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.4g}"
    return html.escape(str(value))


def _html_title(result: Serializable) -> str:
    """The first printed line (the class name when the type prints only its repr)."""
    if type(result).__str__ is object.__str__:
        return type(result).__name__
    lines = str(result).splitlines()
    return lines[0] if lines else type(result).__name__


def _filled(value: Any) -> bool:
    return value is not None and value != ""


def _html_table(result: Serializable) -> str:
    """The notebook table of a result (see :meth:`Serializable._repr_html_`)."""
    rows, total = result._html_rows(HTML_ROW_LIMIT)
    title = _html_title(result)
    line = "padding: 2px 8px; border-bottom: 1px solid #ddd; vertical-align: top"

    def cell(tag: str, text: str, value: Any = None) -> str:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        align = "right" if number else "left"
        return f'<{tag} style="{line}; text-align: {align}; max-width: 36em">{text}</{tag}>'

    parts = [
        '<table class="pairedstudy-result" style="border-collapse: collapse">',
        '<caption style="text-align: left; font-weight: bold; padding: 2px 8px">'
        f"{html.escape(title)}</caption>",
    ]
    footer: list[str] = []
    if total == 1:
        parts.append("<tbody>")
        for name, value in rows[0].items():
            if _filled(value):
                parts.append(
                    f"<tr>{cell('th', html.escape(name))}{cell('td', _html_cell(value))}</tr>"
                )
        parts.append("</tbody>")
    else:
        names: dict[str, None] = {}
        for row in rows:
            names.update(dict.fromkeys(k for k, v in row.items() if _filled(v)))
        for name in list(names):  # a text every row shares and the caption already says
            values = {str(row.get(name)) for row in rows}
            value = rows[0].get(name) if rows else None
            if len(values) == 1 and isinstance(value, str) and value in title:
                del names[name]
        numeric = {
            name: any(
                isinstance(row.get(name), (int, float)) and not isinstance(row.get(name), bool)
                for row in rows
            )
            for name in names
        }
        parts.append(
            "<thead><tr>"
            + "".join(cell("th", html.escape(n), 0 if numeric[n] else None) for n in names)
            + "</tr></thead><tbody>"
        )
        for row in rows:
            cells = "".join(
                cell("td", _html_cell(row.get(n)), 0 if numeric[n] else None) for n in names
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody>")
        if total > len(rows):
            footer.append(f"first {len(rows)} of {total} rows; to_frame() has them all")
        footer.extend(f"note: {note}" for note in getattr(result, "notes", ()))
    footer.extend(f"skipped {reason}" for reason in getattr(result, "skipped", ()))
    parts.append("</table>")
    parts.extend(
        f'<div style="font-size: smaller; padding: 0 8px">{html.escape(text)}</div>'
        for text in footer
    )
    return "\n".join(parts)


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


def p_text(p: float) -> str:
    """``"p = 0.0123"`` or ``"p < 1e-300"``: :func:`format_p` with its relation."""
    text = format_p(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


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
