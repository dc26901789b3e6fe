"""The square pre x post table of categorical scores and the tests of that table.

* :class:`CrossTable`: the counts of each (pre category, post category) pair, with its
  margins (what :meth:`PairedStudy.crosstab <pairedstudy.PairedStudy.crosstab>` returns).
* :class:`TableTestResult`: a test of the table (Stuart-Maxwell, Bhapkar, Bowker): a
  chi-squared statistic, its degrees of freedom and p-value, and the table itself.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from .._numerics import readonly
from .._validation import show
from ..errors import InputTypeError, InputValueError
from ._base import Serializable, format_number, frozen_mapping, note_tuple, p_text

__all__ = ["CrossTable", "TableTestResult", "category_label"]


def _categories(value: Any) -> tuple[float, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InputTypeError(f"categories must be a sequence of numbers; got {show(value)}")
    out = []
    for item in value:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
            raise InputTypeError(f"categories must be numbers; got {show(item)}")
        number = float(item)
        if not math.isfinite(number):
            raise InputValueError(f"categories must be finite numbers; got {number!r}")
        out.append(number)
    return tuple(out)


def _counts(value: Any) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError, OverflowError):
        raise InputTypeError(
            f"counts must be a square array of whole numbers; got {show(value)}"
        ) from None
    kind = array.dtype.kind
    if kind not in "iuf":  # bool, text, objects (integers beyond 64 bits)
        raise InputTypeError(
            "counts must be whole numbers of pairs (not booleans, text or integers beyond "
            f"64 bits); got an array of dtype {array.dtype}"
        )
    if kind == "f":
        bad = ~np.isfinite(array) | (array != np.round(array)) | (np.abs(array) >= 2.0**63)
        if bad.any():
            raise InputValueError(
                f"counts must be whole numbers of pairs; got {float(array[bad].ravel()[0])!r}"
            )
    if kind == "u" and array.size and array.max() >= 2**63:
        raise InputValueError(f"counts must be below 2**63; got {int(array.max())}")
    return readonly(np.array(array, dtype=np.int64))


def category_label(value: float) -> str:
    """A category as printed: ``7`` for a whole number, else all its digits (``7.5``)."""
    return f"{value:.0f}" if float(value).is_integer() else repr(float(value))


def _check_table(instance: CrossTable, attribute: attrs.Attribute, value: np.ndarray) -> None:
    k = len(instance.categories)
    if value.shape != (k, k):
        raise InputValueError(
            f"counts must be a {k} x {k} array (one row and one column per category); got "
            f"shape {value.shape}"
        )
    if (value < 0).any():
        raise InputValueError(
            f"counts must be non-negative numbers of pairs; got {int(value.min())}"
        )
    if list(instance.categories) != sorted(set(instance.categories)):
        raise InputValueError(
            f"categories must be distinct and sorted; got {list(instance.categories)}"
        )


@attrs.frozen(kw_only=True)
class CrossTable(Serializable):
    r"""The square pre x post table of a study with categorical (ordinal) scores.

    Attributes
    ----------
    categories : tuple of float
        The categories, sorted; row ``i`` and column ``i`` are ``categories[i]``.
    counts : numpy.ndarray of int64
        ``k x k``, read-only: ``counts[i, j]`` is the number of pairs with pre category
        ``categories[i]`` and post category ``categories[j]``. The diagonal holds the pairs
        that did not change category.
    row_totals, column_totals : numpy.ndarray of int64
        The margins: the distribution of pre (rows) and of post (columns) over the
        categories (properties, read-only).
    n : int
        The number of pairs (the sum of the counts).

    Notes
    -----
    ``to_dict()`` holds the categories, the counts as nested lists and both margins;
    ``to_records()`` and ``to_frame()`` give one tidy row per cell (``pre``, ``post``,
    ``count``), ``k * k`` rows.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> table = ps.PairedStudy([1, 2, 2, 3], [2, 2, 3, 3]).crosstab()
    >>> print(table)
    pre x post table (n = 4 pairs; rows pre, columns post)
    pre \ post   1   2   3  total
             1   0   1   0      1
             2   0   1   1      2
             3   0   0   1      1
         total   0   2   2      4
    >>> table.row_totals.tolist(), table.column_totals.tolist()
    ([1, 2, 1], [0, 2, 2])
    """

    categories: tuple[float, ...] = attrs.field(converter=_categories)
    counts: np.ndarray = attrs.field(
        converter=_counts,
        validator=_check_table,
        eq=attrs.cmp_using(eq=np.array_equal),
        hash=False,
    )

    @property
    def n(self) -> int:
        """The number of pairs."""
        return int(self.counts.sum())

    @property
    def k(self) -> int:
        """The number of categories."""
        return len(self.categories)

    @property
    def row_totals(self) -> np.ndarray:
        """How many pairs have each pre category (read-only)."""
        return readonly(self.counts.sum(axis=1))

    @property
    def column_totals(self) -> np.ndarray:
        """How many pairs have each post category (read-only)."""
        return readonly(self.counts.sum(axis=0))

    def __getstate__(self) -> dict[str, Any]:
        return {"categories": self.categories, "counts": self.counts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A pickled or deep-copied array comes back writeable: make it read-only again.
        object.__setattr__(self, "categories", state["categories"])
        object.__setattr__(self, "counts", _counts(state["counts"]))

    def to_dict(self) -> dict[str, Any]:
        """Return the table as plain Python types.

        Returns
        -------
        dict
            ``categories``, ``counts`` (a list of rows), ``row_totals``,
            ``column_totals`` and ``n``.
        """
        return {
            "categories": list(self.categories),
            "counts": self.counts.tolist(),
            "row_totals": self.row_totals.tolist(),
            "column_totals": self.column_totals.tolist(),
            "n": self.n,
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One row per cell: ``pre`` and ``post`` category and the ``count`` of pairs.

        Returns
        -------
        list of dict
        """
        return [
            {"pre": a, "post": b, "count": int(self.counts[i, j])}
            for i, a in enumerate(self.categories)
            for j, b in enumerate(self.categories)
        ]

    def lines(self) -> list[str]:
        """The labelled table as lines of text (rows pre, columns post, with totals)."""
        labels = [category_label(c) for c in self.categories]
        cells = [str(int(v)) for v in self.counts.ravel()]
        width = max(3, *(len(t) for t in labels + cells), len(str(self.n)))
        head = "pre \\ post"
        first = max(len(head), len("total"), *(len(t) for t in labels))
        lines = [
            f"{head:>{first}} "
            + " ".join(f"{t:>{width}}" for t in labels)
            + f"  {'total':>{max(5, width)}}"
        ]
        for label, row, total in zip(labels, self.counts, self.row_totals, strict=True):
            lines.append(
                f"{label:>{first}} "
                + " ".join(f"{int(v):>{width}}" for v in row)
                + f"  {int(total):>{max(5, width)}}"
            )
        lines.append(
            f"{'total':>{first}} "
            + " ".join(f"{int(v):>{width}}" for v in self.column_totals)
            + f"  {self.n:>{max(5, width)}}"
        )
        return lines

    def __str__(self) -> str:
        title = f"pre x post table (n = {self.n} pairs; rows pre, columns post)"
        return "\n".join([title, *self.lines()])


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@attrs.frozen(kw_only=True)
class TableTestResult(Serializable):
    """A test of the square pre x post table: marginal homogeneity or symmetry.

    Attributes
    ----------
    test : str
        The registered name (``"stuart-maxwell"``, ``"bhapkar"``, ``"bowker"``).
    title : str
        A human-readable name, e.g. ``"Stuart-Maxwell test of marginal homogeneity"``.
    method : str
        How the p-value was found: ``"asymptotic"`` (chi-squared), ``"exact"`` or
        ``"monte-carlo"``.
    statistic : float
        The chi-squared statistic; ``statistic_name`` says so (``"chi-squared"``). NaN when
        undefined (the notes say why).
    statistic_name : str
        ``"chi-squared"``.
    df : float or None
        The degrees of freedom of the chi-squared reference distribution.
    pvalue : float
        The p-value (two-sided by nature: any departure from the null).
    alternative : str
        Always ``"two-sided"``.
    n : int
        The number of pairs in the table.
    table : CrossTable
        The table tested.
    hypothesis : str
        The alternative hypothesis in words.
    mu : float
        Always 0: a test of the table has no location to shift (the fields ``mu``,
        ``estimate``, ``estimate_name`` and ``ci`` are there so that every test's result
        can be read alike).
    estimate, estimate_name, ci : None
        A test of the table estimates no location: no estimate and no interval.
    study_name : str or None
        The name of the study.
    notes : tuple of str
        Everything a reader should know (categories without discordant pairs, a
        covariance of reduced rank, the Monte Carlo error, ...).
    details : Mapping
        Test-specific figures (read-only): the rank of the covariance, ``n_resamples``,
        ``seed``, ``mc_se``, ...

    Notes
    -----
    ``to_dict()`` and ``to_json()`` hold the table; ``to_records()`` and ``to_frame()``
    give one row with the scalars and the categories as text (``"6; 7; 8"``), so the
    columns do not change with the number of categories.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> result = ps.datasets.oxytocin_massage().test("stuart-maxwell")
    >>> result.df, round(result.statistic, 2), result.table.categories
    (4.0, 16.42, (6.0, 7.0, 8.0, 9.0, 10.0))
    """

    __test__ = False  # keep pytest from collecting this class

    test: str
    title: str
    method: str
    statistic: float = attrs.field(converter=float)
    statistic_name: str = "chi-squared"
    df: float | None = attrs.field(default=None, converter=_optional_float)
    pvalue: float = attrs.field(converter=float)
    alternative: str = "two-sided"
    n: int
    table: CrossTable
    hypothesis: str
    mu: float = 0.0
    estimate: None = None
    estimate_name: None = None
    ci: None = None
    study_name: str | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=note_tuple)
    details: Mapping[str, Any] = attrs.field(
        factory=dict, converter=frozen_mapping, eq=False, repr=False
    )

    def _statistic_line(self) -> str:
        stat = f"  {self.statistic_name} = {format_number(self.statistic)}"
        if self.df is not None:
            stat += f", df = {format_number(self.df)}"
        p = "p = NA" if math.isnan(self.pvalue) else p_text(self.pvalue)
        return f"{stat}, {p}"

    def __str__(self) -> str:
        name = f" ({self.study_name})" if self.study_name else ""
        lines = [
            f"{self.title}{name}",
            f"  {self.table.k} x {self.table.k} pre x post table, n = {self.n} pairs, "
            f"method: {self.method}",
            self._statistic_line(),
            f"  alternative: {self.hypothesis}",
        ]
        lines.extend(f"  note: {note}" for note in self.notes)
        lines.append("  table (rows pre, columns post):")
        lines.extend(f"    {line}" for line in self.table.lines())
        return "\n".join(lines)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat row: the scalars, the notes joined, the categories as text.

        Returns
        -------
        list of dict
        """
        record: dict[str, Any] = {}
        for field in attrs.fields(TableTestResult):
            if field.name in ("details", "table"):
                continue
            value = getattr(self, field.name)
            record[field.name] = "; ".join(value) if field.name == "notes" else value
        record["categories"] = "; ".join(category_label(c) for c in self.table.categories)
        return [record]
