"""Many paired studies at once: one test over the studies axes of two arrays.

:func:`test_batch` runs a registered test on every study held in two arrays of the same
shape, ``pre`` and ``post``, whose ``axis`` runs over the subjects (the pairs) and whose
other axes index the studies: a corpus of outcomes, a grid of simulated data sets. The
built-in tests (``"t"``, ``"sign"``, ``"wilcoxon"``) are one numpy kernel each over rows of
changes, and the single-study test is that kernel on one row, so study by study the figures
are exactly those :meth:`PairedStudy.test <pairedstudy.PairedStudy.test>` gives; other
registered tests run one :class:`~pairedstudy.PairedStudy` per study unless they declare a
batch implementation (see :func:`pairedstudy.register_test`). The registry validates the
arguments once and checks what the kernel returns (one value per study, p-values in
``[0, 1]``); ``statistic_name`` and ``estimate_name`` come from the registry entry.

Dask arrays are accepted too (install the ``dask`` extra): the numpy kernel is mapped over
the chunks of the studies axes, so the same call runs on a laptop or on a Dask cluster.

Missing data follow :class:`~pairedstudy.PairedStudy`, study by study: with
``missing="raise"`` a missing or non-finite value anywhere is an error naming the study;
with ``missing="drop"`` each study keeps its complete pairs, and a study left with fewer
than two has a NaN row, ``method`` ``"not computed"`` and a note.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from ._validation import (
    check_choice,
    exact_float64,
    show,
)
from .errors import (
    DegenerateDataError,
    InputTypeError,
    InputValueError,
    MissingDependencyError,
    PairedStudyWarning,
)
from .registry import TestRows
from .results._lazy import Deferred, shared
from .results.batch import FLOAT_FIELDS, NOT_COMPUTED, BatchResult

__all__ = ["BatchResult", "test_batch"]


# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------


def _is_dask(value: Any) -> bool:
    return type(value).__module__.split(".")[0] == "dask"


def _as_float_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise InputTypeError(f"{name} must be an array of numbers; got the string {show(value)}")
    if np.ma.isMaskedArray(value):
        value = np.ma.filled(np.ma.asarray(value, dtype=float), np.nan)
    elif hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = value.to_numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise InputValueError(f"{name} must be a rectangular array of numbers ({exc})") from None
    array = _checked_dtype(name, array)
    if array.dtype == np.float64:  # read only, never written: no copy needed
        return array
    # as float64 now, refusing integers beyond 2**53 that would round, longdouble overflow
    return exact_float64(name, array)


def _checked_dtype(name: str, array: Any) -> Any:
    kind = array.dtype.kind
    if kind == "b":
        raise InputTypeError(f"{name} must hold numbers; got booleans (convert them to 0/1)")
    if kind == "c":
        raise InputTypeError(f"{name} must hold real numbers; got complex values")
    if kind not in "iuf":
        raise InputTypeError(
            f"{name} must hold numbers; got an array of dtype {array.dtype} (convert text "
            "and objects to floats, with NaN for missing values)"
        )
    return array


def _check_axis(axis: Any, shape: tuple[int, ...]) -> int:
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise InputTypeError(f"axis must be an integer; got {show(axis)}")
    ndim = len(shape)
    if ndim == 0:
        raise InputValueError(
            "pre must be an array with a subjects axis; got a scalar (0 dimensions)"
        )
    axis = int(axis)
    if not -ndim <= axis < ndim:
        dims = "dimension" if ndim == 1 else "dimensions"
        raise InputValueError(
            f"axis={axis} is out of range for pre with {ndim} {dims}; allowed: "
            f"{-ndim} to {ndim - 1}"
        )
    return axis % ndim


def _check_shapes(pre_shape: tuple, post_shape: tuple) -> None:
    if pre_shape != post_shape:
        raise InputValueError(
            f"pre and post must have the same shape (one value per subject and study in "
            f"each); got pre of shape {pre_shape} and post of shape {post_shape}"
        )


def _check_pairs(shape: tuple, axis: int) -> None:
    """Refuse a subjects axis too short for any study: every test needs two pairs."""
    n = shape[axis]
    if n < 2:
        pairs = "no pairs" if n == 0 else "one pair"
        raise InputValueError(
            f"the subjects axis (axis={axis}) of pre and post has length {n}: each study has "
            f"{pairs}, and a paired test needs at least 2 pairs; got arrays of shape {shape}"
        )


# --------------------------------------------------------------------------------------
# The numpy core: flat studies x subjects in, raw columns out
# --------------------------------------------------------------------------------------


@attrs.define
class _Raw:
    """Columns for ``studies`` (flat), note masks and warnings, before formatting."""

    columns: dict[str, np.ndarray]
    notes: dict[str, tuple[np.ndarray, Any]]
    warnings: list[tuple[type, str]]
    implementation: str
    #: Kernel outputs whose estimates and intervals are left to compute on first access,
    #: with the flat rows they fill.
    pending: list[tuple[np.ndarray | slice, TestRows]] = attrs.Factory(list)

    def fill_pending(self) -> None:
        """Compute the estimates and intervals left pending into the columns."""
        for rows, out in self.pending:
            for name in TestRows.LAZY:
                self.columns[name][rows] = getattr(out, name)
        self.pending = []


def _empty_columns(size: int) -> dict[str, np.ndarray]:
    columns = {name: np.full(size, np.nan) for name in FLOAT_FIELDS}
    columns["n"] = np.zeros(size, dtype=np.int64)
    # a fixed-width string column, widened when a longer method comes (no object array)
    columns["method"] = np.full(size, NOT_COMPUTED)
    return columns


def _add_note(raw: _Raw, text: str, mask: np.ndarray, warning: Any = None) -> None:
    if not mask.any():
        return
    if text in raw.notes:
        previous, _ = raw.notes[text]
        raw.notes[text] = (previous | mask, warning)
    else:
        raw.notes[text] = (mask.copy(), warning)


def _first_missing(valid: np.ndarray) -> tuple[int, int]:
    study = int(np.flatnonzero(~valid.all(axis=-1))[0])
    return study, int(np.flatnonzero(~valid[study])[0])


def _compute_flat(
    entry: Any,
    pre: np.ndarray,
    post: np.ndarray,
    missing: str,
    arguments: dict[str, Any],
    options: dict[str, Any],
    study_shape: tuple[int, ...] | None = None,
) -> _Raw:
    """Run the test on each row of ``(studies, n)`` arrays (any float dtype, NaN = missing)."""
    studies, n = pre.shape
    pre = np.asarray(pre, dtype=np.float64)
    post = np.asarray(post, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        # C order: each study's changes contiguous, so sums run as for one study alone
        change = np.subtract(post, pre, order="C")
    if np.isfinite(change).all():  # the usual case: nothing missing, nothing overflows
        raw = _Raw(_empty_columns(studies), {}, [], "vectorized" if entry.batch else "looped")
        raw.columns["n"][:] = n
        if n >= 2:
            if entry.batch is not None:
                _run_kernel(entry, change, slice(None), raw, arguments, options)
            else:
                _run_looped(entry, pre, post, np.arange(studies), raw, arguments, options)
                _add_note(
                    raw,
                    f"the {entry.name!r} test has no batch implementation: it ran once per study",
                    np.ones(studies, dtype=bool),
                )
            return raw
    valid = np.isfinite(pre) & np.isfinite(post)
    if missing == "raise" and not valid.all():
        study, position = _first_missing(valid)
        where = _study_label(study, study_shape)
        count = int(np.count_nonzero(~valid.all(axis=-1)))
        raise InputValueError(
            f"{count} of {studies} studies have missing or non-finite values (the first: "
            f'{where}, at subject position {position}). Pass missing="drop" to analyse '
            "each study's complete pairs only."
        )
    if (valid & ~np.isfinite(change)).any():
        study, _ = _first_missing(~(valid & ~np.isfinite(change)))
        raise InputValueError(
            f"post - pre overflows to infinity in {_study_label(study, study_shape)}; the "
            "values are too large to subtract"
        )
    counts = valid.sum(axis=-1)
    raw = _Raw(_empty_columns(studies), {}, [], "vectorized" if entry.batch else "looped")
    raw.columns["n"][:] = counts
    too_few = counts < 2
    _add_note(
        raw,
        "fewer than 2 complete pairs after dropping missing values: not computed",
        too_few,
    )
    for size in np.unique(counts[~too_few]).tolist():
        rows = np.flatnonzero(counts == size)
        if size == n and rows.size == studies:  # the usual case: every study complete
            if entry.batch is not None:
                _run_kernel(entry, change, rows, raw, arguments, options)
            else:
                _run_looped(entry, pre, post, rows, raw, arguments, options)
            continue
        if size == n:
            order = None
        else:  # keep each study's complete pairs, in their order, at the front
            order = np.argsort(~valid[rows], axis=-1, kind="stable")[:, :size]

        def complete(values: np.ndarray, rows: np.ndarray = rows, order: Any = order) -> Any:
            chosen = values[rows]
            if order is not None:
                chosen = np.take_along_axis(chosen, order, -1)
            return np.ascontiguousarray(chosen)

        if entry.batch is not None:
            _run_kernel(entry, complete(change), rows, raw, arguments, options)
        elif entry.uses_unpaired:  # the test reads the halves: it gets the whole rows
            _run_looped(entry, pre[rows], post[rows], rows, raw, arguments, options, "drop")
        else:
            _run_looped(entry, complete(pre), complete(post), rows, raw, arguments, options)
    if not entry.uses_unpaired:
        kept = (np.isnan(pre) & np.isfinite(post)) | (np.isnan(post) & np.isfinite(pre))
        halves = kept.any(axis=-1) & ~too_few  # as PairedStudy keeps them: NaN, not inf
        if halves.any():
            _add_note(
                raw,
                "uses the complete pairs only: left out the observed halves of incomplete pairs",
                halves,
            )
    if entry.batch is None:
        _add_note(
            raw,
            f"the {entry.name!r} test has no batch implementation: it ran once per study",
            ~too_few,
        )
    return raw


def _run_kernel(
    entry: Any,
    block: np.ndarray,
    rows: np.ndarray | slice,
    raw: _Raw,
    arguments: dict[str, Any],
    options: dict[str, Any],
) -> None:
    if not entry.is_plugin:  # our own array: a kernel that keeps it need not copy it
        block.flags.writeable = False
    out = entry.run_batch(block, arguments, options)
    lazy = out.pending()  # estimates and intervals computed on first access
    # every study in one call of a built-in kernel: its new arrays are the columns
    take = isinstance(rows, slice) and not entry.is_plugin
    for name in FLOAT_FIELDS:
        if not (lazy and name in TestRows.LAZY):
            if take:
                raw.columns[name] = getattr(out, name)
            else:
                raw.columns[name][rows] = getattr(out, name)
    if lazy:
        raw.pending.append((rows, out))
    _set_methods(raw, rows, out.method)
    studies = raw.columns["n"].shape[0]
    for note in out.notes:
        full = np.zeros(studies, dtype=bool)
        full[rows] = note.mask
        _add_note(raw, note.text, full, note.warning)


def _set_methods(raw: _Raw, rows: np.ndarray | slice, method: str | np.ndarray) -> None:
    """Write the method of ``rows`` (one string for all, or one per row) into the column."""
    values = np.asarray(method, dtype=str)
    column = raw.columns["method"]
    if values.dtype.itemsize > column.dtype.itemsize:
        column = raw.columns["method"] = column.astype(values.dtype)
    column[rows] = values


def _run_looped(
    entry: Any,
    pre: np.ndarray,
    post: np.ndarray,
    rows: np.ndarray,
    raw: _Raw,
    arguments: dict[str, Any],
    options: dict[str, Any],
    missing: str = "raise",
) -> None:
    from .study import PairedStudy

    studies = raw.columns["n"].shape[0]
    for row, pre_row, post_row in zip(rows.tolist(), pre, post, strict=True):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                study = PairedStudy(pre_row, post_row, missing=missing)
                result = entry.run(study, arguments, options)
            except DegenerateDataError as exc:
                mask = np.zeros(studies, dtype=bool)
                mask[row] = True
                _add_note(raw, f"not computed: {exc}", mask)
                continue
        for item in caught:
            if issubclass(item.category, PairedStudyWarning):
                raw.warnings.append((item.category, str(item.message)))
            else:
                warnings.warn(item.message, item.category, stacklevel=2)
        columns = raw.columns
        for name in ("statistic", "pvalue", "df", "estimate"):
            value = getattr(result, name, None)
            columns[name][row] = math.nan if value is None else value
        if getattr(result, "ci", None) is not None:
            columns["ci_low"][row] = result.ci.low
            columns["ci_high"][row] = result.ci.high
            if result.ci.attained_level is not None:
                columns["attained_level"][row] = result.ci.attained_level
        _set_methods(raw, np.array([row]), str(result.method))
        for note in result.notes:
            mask = np.zeros(studies, dtype=bool)
            mask[row] = True
            _add_note(raw, note, mask)


# --------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------


def _study_label(flat: int, shape: tuple[int, ...] | None) -> str:
    if shape is None or len(shape) <= 1:
        return f"study {flat}" if shape != () else "the study"
    return f"study {tuple(int(i) for i in np.unravel_index(flat, shape))}"


def _finish(
    raw: _Raw, shape: tuple[int, ...], test: str, arguments: dict[str, Any]
) -> BatchResult:
    size = int(np.prod(shape, dtype=np.int64))
    notes = []
    for text, (mask, warning) in raw.notes.items():
        where = np.flatnonzero(mask)
        if shape == ():
            note = text
        else:
            shown = ", ".join(_study_label(i, shape).removeprefix("study ") for i in where[:5])
            more = ", ..." if where.size > 5 else ""
            note = f"{where.size} of {size} studies: {text} (studies {shown}{more})"
        notes.append(note)
        if warning is not None:
            warnings.warn(note, warning, stacklevel=3)
    seen = set()
    for category, message in raw.warnings:
        if (category, message) not in seen:
            seen.add((category, message))
            warnings.warn(message, category, stacklevel=3)
    from .registry import get_registered

    columns: dict[str, Any] = {}
    for name, column in raw.columns.items():
        if not (raw.pending and name in TestRows.LAZY):  # those are filled on first access
            column.flags.writeable = False  # ours alone: BatchResult takes it as it is
        columns[name] = column.reshape(shape)
    if raw.pending:  # the estimates and intervals: all three columns on first access

        def fill() -> dict[str, np.ndarray]:
            raw.fill_pending()
            return {name: raw.columns[name].reshape(shape) for name in TestRows.LAZY}

        filled = shared(fill)

        def later(name: str) -> Deferred[np.ndarray]:
            return Deferred(lambda: filled()[name])

        for name in TestRows.LAZY:
            columns[name] = later(name)
    entry = get_registered(test)  # after the run: a plugin's names are known by now
    return BatchResult(
        test=test,
        statistic_name=entry.statistic_name,
        estimate_name=entry.estimate_name,
        alternative=arguments["alternative"],
        mu=arguments["mu"],
        confidence_level=arguments["confidence_level"],
        implementation=raw.implementation,
        notes=notes,
        **columns,
    )


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------


def test_batch(
    name: str,
    pre: Any,
    post: Any,
    axis: int = -1,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    missing: str = "raise",
    **options: Any,
) -> BatchResult:
    """Run one registered test on many paired studies at once.

    Parameters
    ----------
    name : str
        A registered test: ``"t"``, ``"wilcoxon"``, ``"sign"`` (vectorized) or any other
        name from :func:`pairedstudy.available_tests` (vectorized if it declares a batch
        implementation, otherwise run once per study).
    pre, post : array_like or dask.array.Array
        Arrays of the same shape. ``axis`` runs over the subjects of a study; every other
        axis indexes studies. Dask arrays are computed chunk by chunk (see Notes).
    axis : int, default -1
        The subjects axis.
    alternative : {"two-sided", "less", "greater"}
        The alternative about the location of ``post - pre`` relative to ``mu``.
    mu : float, default 0
        The location of the change under the null hypothesis.
    confidence_level : float, default 0.95
        Level of the intervals.
    missing : {"raise", "drop"}, default "raise"
        Per study, as :class:`~pairedstudy.PairedStudy`: ``"raise"`` refuses missing or
        non-finite values; ``"drop"`` analyses each study's complete pairs, and a study
        with fewer than 2 is not computed (NaN row, ``method == "not computed"``, a note).
    **options
        Options of the test, as for :meth:`PairedStudy.test
        <pairedstudy.PairedStudy.test>` (e.g. ``method`` and ``zero_method`` for
        ``"wilcoxon"``).

    Returns
    -------
    BatchResult
        Arrays of the studies' shape (the input's shape without ``axis``), computed (also
        for dask input).

    Raises
    ------
    UnknownTestError
        No test is registered under ``name``.
    InputValueError
        Shapes that differ, an ``axis`` out of range, a subjects axis of length 0 or 1
        (every study needs at least 2 pairs), missing values under
        ``missing="raise"``, or a bad ``alternative``, ``mu``, ``confidence_level``,
        ``missing`` or option value.
    InputTypeError
        Non-numeric arrays, a non-integer ``axis``, unknown options.

    Warns
    -----
    DegenerateDataWarning, SmallSampleWarning
        Once per batch (not per study), with the number of studies concerned.

    Notes
    -----
    *Equal to one study at a time.* For ``"t"``, ``"sign"`` and ``"wilcoxon"`` the batch
    kernels are the single-study tests' own computation (a study alone is one row), so
    every figure equals what
    ``PairedStudy(pre_i, post_i, missing=missing).test(name, ...)`` reports for study
    ``i``, bit for bit (the test suite checks this). Where a single study raises
    (a constant change under ``"t"``), its row is NaN and a note says so. The Wilcoxon
    kernel computes one exact null distribution per distinct pattern of tied ranks and the
    classical table once per number of non-zero changes; ``method="auto"`` picks exact or
    asymptotic per study with the same rule as the single test.

    *Dask.* The subjects axis is rechunked to one chunk and the numpy kernel runs on each
    chunk of the studies axes with :func:`dask.array.map_blocks`, on whatever scheduler is
    active (the local threaded scheduler, ``dask.config.set(scheduler="synchronous")``, or
    a ``dask.distributed`` cluster). The result is computed and gathered: it holds one
    float per study and field, which fits in memory whenever the studies' list does. The
    test's batch kernel (or test function) must be importable on the workers.

    Examples
    --------
    >>> import numpy as np
    >>> import pairedstudy as ps
    >>> rng = np.random.default_rng(1)
    >>> pre = rng.normal(10, 2, size=(4, 20))     # 4 studies of 20 pairs
    >>> post = pre + rng.normal(1, 2, size=(4, 20))
    >>> result = ps.test_batch("t", pre, post)
    >>> result.shape, result.df.tolist()
    ((4,), [19.0, 19.0, 19.0, 19.0])
    >>> single = ps.PairedStudy(pre[2], post[2]).test("t")
    >>> bool(result.pvalue[2] == single.pvalue)
    True
    """
    from .registry import check_arguments, get_registered

    if not isinstance(name, str):
        raise InputTypeError(f"name must be a test name (a string); got {show(name)}")
    entry = get_registered(name)
    entry.check_options(options)
    arguments = check_arguments(alternative, mu, confidence_level)
    check_choice("missing", missing, ("raise", "drop"))
    if _is_dask(pre) or _is_dask(post):
        return _dask_batch(entry, pre, post, axis, missing, arguments, options)
    pre_array = _as_float_array("pre", pre)
    post_array = _as_float_array("post", post)
    axis = _check_axis(axis, pre_array.shape)
    _check_shapes(pre_array.shape, post_array.shape)
    _check_pairs(pre_array.shape, axis)
    n = pre_array.shape[axis]
    shape = pre_array.shape[:axis] + pre_array.shape[axis + 1 :]
    flat_pre = np.moveaxis(pre_array, axis, -1).reshape(-1, n)
    flat_post = np.moveaxis(post_array, axis, -1).reshape(-1, n)
    raw = _compute_flat(entry, flat_pre, flat_post, missing, arguments, options, shape)
    return _finish(raw, shape, name, arguments)


test_batch.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def _dask_batch(
    entry: Any,
    pre: Any,
    post: Any,
    axis: Any,
    missing: str,
    arguments: dict[str, Any],
    options: dict[str, Any],
) -> BatchResult:
    try:
        import dask.array as da
    except ImportError:  # a dask-like array without dask.array installed
        raise MissingDependencyError(
            'dask arrays need dask[array]: pip install "pairedstudy[dask]"', name="dask"
        ) from None

    pre = da.asarray(pre)
    post = da.asarray(post)
    _checked_dtype("pre", pre)
    _checked_dtype("post", post)
    if any(math.isnan(s) for s in (*pre.shape, *post.shape)):
        raise InputValueError(
            "pre and post must have known shapes; call .compute_chunk_sizes() on dask "
            "arrays of unknown chunk sizes first"
        )
    axis = _check_axis(axis, pre.shape)
    _check_shapes(pre.shape, post.shape)
    _check_pairs(pre.shape, axis)
    shape = pre.shape[:axis] + pre.shape[axis + 1 :]
    pre = da.moveaxis(pre, axis, -1)
    post = da.moveaxis(post, axis, -1)
    last = pre.ndim - 1
    pre = pre.rechunk({last: -1})
    post = post.rechunk(pre.chunks)
    if not shape:  # one study: nothing to distribute
        pre_np, post_np = da.compute(pre, post)
        raw = _compute_flat(entry, pre_np[None], post_np[None], missing, arguments, options, ())
        return _finish(raw, (), entry.name, arguments)

    def block(pre_block: np.ndarray, post_block: np.ndarray) -> np.ndarray:
        n = pre_block.shape[-1]
        raw = _compute_flat(
            entry,
            pre_block.reshape(-1, n),
            post_block.reshape(-1, n),
            missing,
            arguments,
            options,
        )
        raw.fill_pending()  # the blocks are joined as arrays: nothing left to compute
        out = np.empty((1,) * (pre_block.ndim - 1), dtype=object)
        out[(0,) * out.ndim] = (raw, pre_block.shape[:-1])
        return out

    grid = da.map_blocks(
        block,
        pre,
        post,
        drop_axis=last,
        chunks=tuple((1,) * len(c) for c in pre.chunks[:-1]),
        dtype=object,
        meta=np.empty((0,) * last, dtype=object),
    ).compute()
    return _finish(_assemble(grid, shape, entry), shape, entry.name, arguments)


def _assemble(grid: np.ndarray, shape: tuple[int, ...], entry: Any) -> _Raw:
    """Join the blocks' raw columns (a grid of ``(raw, block_shape)``) into one flat raw."""
    cells = grid.ravel().tolist()
    texts: dict[str, Any] = {}
    for raw, _ in cells:
        for text, (_, warning) in raw.notes.items():
            texts.setdefault(text, warning)

    def nested(index: tuple[int, ...], extract: Callable[[Any, tuple], np.ndarray]) -> Any:
        if len(index) == grid.ndim:
            raw, block_shape = grid[index]
            return extract(raw, block_shape)
        return [nested((*index, i), extract) for i in range(grid.shape[len(index)])]

    def column(name: str) -> np.ndarray:
        return np.block(nested((), lambda raw, s: raw.columns[name].reshape(s))).reshape(-1)

    def note_mask(text: str) -> np.ndarray:
        def extract(raw: _Raw, s: tuple) -> np.ndarray:
            found = raw.notes.get(text)
            return np.zeros(s, dtype=bool) if found is None else found[0].reshape(s)

        return np.block(nested((), extract)).reshape(-1)

    columns = {name: column(name) for name in (*FLOAT_FIELDS, "n", "method")}
    notes = {text: (note_mask(text), warning) for text, warning in texts.items()}
    messages = [w for raw, _ in cells for w in raw.warnings]
    implementation = cells[0][0].implementation if cells else "vectorized"
    return _Raw(columns, notes, messages, implementation)
