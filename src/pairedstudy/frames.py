"""Data-frame input: wide and long tables (pandas, polars, or anything with named columns).

No data-frame library is imported here: a frame only needs ``.columns`` and column access
``frame[name]`` returning something with ``to_numpy()`` or ``to_list()`` (pandas and polars
both qualify), or it may be a plain ``dict`` of columns.

The functions here return the columns of a study (:class:`PairedColumns`);
:meth:`PairedStudy.from_frame <pairedstudy.PairedStudy.from_frame>` and
:meth:`PairedStudy.from_long <pairedstudy.PairedStudy.from_long>` build the study from
them, so this module does not import the study's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validation import show
from .errors import InputTypeError, InputValueError

__all__ = ["PairedColumns", "long_columns", "wide_columns"]


class PairedColumns(NamedTuple):
    """The two measurements of a table, one entry per subject, and the subject labels.

    Attributes
    ----------
    pre, post : numpy.ndarray or list
        The values as read (not yet validated: ``PairedStudy`` converts and checks them).
    subjects : numpy.ndarray or list or None
        The subject labels, or ``None`` when the table has none.
    """

    pre: np.ndarray | list[Any]
    post: np.ndarray | list[Any]
    subjects: np.ndarray | list[Any] | None


def _columns(frame: Any) -> list[str]:
    if isinstance(frame, dict):
        return [str(c) for c in frame]
    columns = getattr(frame, "columns", None)
    if columns is None:
        raise InputTypeError(
            f"frame must be a data frame (pandas, polars) or a dict of columns; got "
            f"{type(frame).__name__}"
        )
    return [str(c) for c in list(columns)]


def _column(frame: Any, name: Any, argument: str) -> np.ndarray:
    _columns(frame)  # refuses anything that is not a frame or a dict of columns
    keys = list(frame) if isinstance(frame, dict) else list(frame.columns)
    # match the column as given, or by its text (a CLI passes "1" for the column 1)
    key = next((k for k in keys if k == name), None)
    if key is None:
        key = next((k for k in keys if str(k) == str(name)), None)
    if key is None:
        listed = ", ".join(repr(c) for c in keys)
        raise InputValueError(
            f"{argument}={show(name)} is not a column of the frame; its columns are: {listed}"
        )
    values = frame[key]
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "iuf":
        return values  # numbers already: no per-value Python objects (large files)
    if hasattr(values, "to_numpy"):
        return np.asarray(values.to_numpy(), dtype=object)
    if hasattr(values, "to_list"):
        return np.asarray(values.to_list(), dtype=object)
    return np.asarray(list(values), dtype=object)


def _check_hashable(argument: str, column: Any, values: np.ndarray) -> None:
    """Refuse a column whose entries cannot be labels (lists, dicts, ...)."""
    for position, item in enumerate(values.tolist()):
        try:
            hash(item)
        except TypeError:
            raise InputTypeError(
                f"{argument}={column!r} must hold labels (numbers or strings); got "
                f"{show(item)} at row {position}"
            ) from None


def wide_columns(
    frame: Any,
    pre: str = "pre",
    post: str = "post",
    subject: str | None = None,
) -> PairedColumns:
    """The columns of a wide table: one row per subject, a pre and a post column.

    Parameters
    ----------
    frame : pandas.DataFrame, polars.DataFrame or dict
        The table.
    pre, post : str
        The two measurement columns.
    subject : str, optional
        A column of unique subject labels.

    Returns
    -------
    PairedColumns
        For :meth:`pairedstudy.PairedStudy.from_frame`, which builds the study.

    Raises
    ------
    InputValueError
        A column is missing (the message lists the frame's columns).
    InputTypeError
        ``frame`` is not a data frame or a dict of columns.

    Examples
    --------
    >>> from pairedstudy.frames import wide_columns
    >>> wide_columns({"pre": [7, 6], "post": [9, 8]}).post.tolist()
    [9, 8]
    """
    pre_values = _column(frame, pre, "pre")
    post_values = _column(frame, post, "post")
    subjects = None if subject is None else _column(frame, subject, "subject")
    return PairedColumns(pre_values, post_values, subjects)


def long_columns(
    frame: Any,
    subject: str,
    time: str,
    value: str,
    pre: Any,
    post: Any,
    *,
    missing: str = "raise",
) -> PairedColumns:
    """The columns of a long table: one row per subject and time point.

    Parameters
    ----------
    frame : pandas.DataFrame, polars.DataFrame or dict
        The table.
    subject, time, value : str
        Columns of the subject label, the time point and the measurement.
    pre, post : object
        The values of the ``time`` column that mark the two measurements (rows at other
        time points are not used).
    missing : str
        As for :class:`~pairedstudy.PairedStudy`. With ``"raise"`` a subject measured at
        only one of the two times is an error; otherwise its other value is ``None`` (an
        incomplete pair, which ``missing="drop"`` then drops and counts).

    Returns
    -------
    PairedColumns
        Subjects in the order of their first row, for
        :meth:`pairedstudy.PairedStudy.from_long`, which builds the study.

    Raises
    ------
    InputValueError
        A missing column (listing the columns), columns of unequal lengths (a dict of
        lists), a subject measured twice at one time, a subject with only one of the two
        time points (under ``missing="raise"``), or neither time value present.
    InputTypeError
        Subject labels or time values that are not labels (lists, dicts: unhashable), or
        ``pre``/``post`` of such a kind.

    Examples
    --------
    >>> from pairedstudy.frames import long_columns
    >>> rows = {"id": [1, 1, 2], "when": ["t0", "t1", "t0"], "y": [7, 9, 6]}
    >>> long_columns(rows, "id", "when", "y", "t0", "t1", missing="drop")
    PairedColumns(pre=[7, 6], post=[9, None], subjects=[1, 2])
    """
    labels = _column(frame, subject, "subject")
    times = _column(frame, time, "time")
    values = _column(frame, value, "value")
    lengths = {subject: len(labels), time: len(times), value: len(values)}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{column!r} has {size}" for column, size in lengths.items())
        raise InputValueError(
            f"the columns subject={subject!r}, time={time!r} and value={value!r} must have "
            f"the same length (one entry per row); got: {shown}"
        )
    _check_hashable("subject", subject, labels)
    _check_hashable("time", time, times)
    seen_times = set(times.tolist())
    for argument, wanted in (("pre", pre), ("post", post)):
        try:
            hash(wanted)
        except TypeError:
            raise InputTypeError(
                f"{argument} must be a value of the column {time!r} (a number or a string); "
                f"got {show(wanted)}"
            ) from None
        if wanted not in seen_times:
            shown = ", ".join(repr(t) for t in sorted(seen_times, key=str)[:10])
            raise InputValueError(
                f"{argument}={wanted!r} does not occur in the column {time!r}; its values "
                f"include: {shown}"
            )
    order: list[Any] = []
    pairs: dict[Any, dict[str, Any]] = {}
    for label, when, measured in zip(
        labels.tolist(), times.tolist(), values.tolist(), strict=True
    ):
        slot = "pre" if when == pre else "post" if when == post else None
        if slot is None:
            continue
        entry = pairs.setdefault(label, {})
        if not entry:
            order.append(label)
        if slot in entry:
            raise InputValueError(
                f"subject {label!r} is measured more than once at {time} = "
                f"{pre if slot == 'pre' else post!r}; each subject needs one value per time"
            )
        entry[slot] = measured
    incomplete = [label for label in order if len(pairs[label]) < 2]
    if incomplete and missing == "raise":
        raise InputValueError(
            f"{len(incomplete)} subject(s) have only one of the two time points (e.g. "
            f"{incomplete[0]!r}); pass missing='drop' to leave them out of the pairs (their "
            "observed values are kept as pre_only / post_only)"
        )
    pre_values = [pairs[label].get("pre") for label in order]
    post_values = [pairs[label].get("post") for label in order]
    return PairedColumns(pre_values, post_values, order)
