"""The ``pairedstudy`` command line.

Results go to stdout, errors and warnings to stderr (``warning: <message>``) without a
traceback. Exit status: 0 on success, 1 on a data error, 2 on a usage error (argparse's own
convention); :data:`EXIT_STATUS` says which is which, and ``pairedstudy --help`` prints it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import math
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .errors import (
    DegenerateDataError,
    InputValueError,
    MissingDependencyError,
    PairedStudyError,
    UnknownTestError,
)
from .forensics import ROUNDING
from .study import PairedStudy
from .summary import PairedSummary

__all__ = ["EXIT_STATUS", "build_parser", "main"]

#: The exit statuses, printed at the end of ``pairedstudy --help``.
EXIT_STATUS = """exit status:
  0  success (analyze: at least one requested test ran; a test undefined for the
     data, such as t for a constant change, is skipped with a note on stderr)
  1  a data error: the file cannot be read or analysed as asked (a missing column,
     a cell that is not a number, too few pairs), no requested test is defined for
     the data, the plot cannot be written (the results are printed first), a plugin
     test failed, `check` finds the table inconsistent, or an optional package the
     command needs is not installed (the message names the extra to install)
  2  a usage error: an unknown flag or test, a flag value that is not allowed (e.g.
     --level 95 for 0.95, --option trim=0.9, --thin 0), or flags that contradict
     each other"""


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _as_published(value: float, like: str) -> str:
    return f"{value:.{_decimals(like)}f}"


def _demo(_: argparse.Namespace) -> int:
    from . import datasets

    study = datasets.oxytocin_massage()
    table = datasets.oxytocin_table3()
    published: dict[str, tuple[str, str]] = {}
    for key, mean, sd in (
        ("pre", table.pre_mean, table.pre_sd),
        ("post", table.post_mean, table.post_sd),
        ("pre - post", table.diff_mean, table.diff_sd),
    ):
        if mean is None or sd is None:  # the bundled table prints all six
            raise InputValueError(f"the bundled Table 3 lacks the {key} mean or SD")
        published[key] = (mean.text, sd.text)
    description = study.describe()
    lines = [
        "Oxytocin massage and breast-milk production: one group measured before and after",
        f"(n = {study.n} pairs, questionnaire scores on a 6-10 scale).",
        "The data are ONE integer dataset that reproduces the published Table 3; they are a",
        "reconstruction, not the authors' raw data.",
        "",
        f"{'':<22}{'this dataset':>18}{'published (Table 3)':>24}",
    ]
    rows = [
        ("pre  mean / SD", description.pre, "pre", 1.0),
        ("post mean / SD", description.post, "post", 1.0),
        ("pre - post mean / SD", description.change, "pre - post", -1.0),
    ]
    for label, arm, key, sign in rows:
        mean_text, sd_text = published[key]
        ours = f"{_as_published(sign * arm.mean, mean_text)} / {_as_published(arm.sd, sd_text)}"
        lines.append(f"{label:<22}{ours:>18}{mean_text + ' / ' + sd_text:>24}")
    lines += [
        "",
        "The paper's -1.952 is pre - post. pairedstudy always analyses change = post - pre,",
        f"so the same difference appears below as +{description.change.mean:.3f}.",
        "",
        str(description),
        "",
    ]
    print("\n".join(lines))

    def block(make: Callable[[], str]) -> None:
        """Print one result, then (on stderr) the warnings it raised, side by side."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            text = make()
        print(text)
        sys.stdout.flush()
        for w in caught:
            print(f"warning: {w.message}", file=sys.stderr)
        sys.stderr.flush()

    for name in ("t", "wilcoxon", "sign"):
        block(lambda name=name: f"{study.test(name)}\n")  # type: ignore[misc]  # bound name
    block(lambda: f"{study.effect_sizes()}\n")

    def replication() -> str:
        from .power import paired_t

        dz = study.effect_size("dz").value
        plan = paired_t(dz=dz, power=0.8)
        return (
            f"Sample size for a replication at the observed dz = {dz:.2f} (80% power, "
            f"two-sided alpha 0.05): {plan.n} pairs (power {plan.power:.3f}). Small "
            "studies overestimate effects: see `pairedstudy plan` for safer plans."
        )

    block(replication)
    return 0


class UsageError(Exception):
    """A command line that is incomplete or contradictory (exit status 2)."""


class DataError(Exception):
    """A data file that cannot be read or analysed as asked (exit status 1)."""


#: The cells pandas' ``read_csv`` reads as missing by default (its documented
#: ``na_values`` list); ``NA`` and ``NaN`` in any letter case are missing too.
DEFAULT_NA_VALUES: tuple[str, ...] = (
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
)
_DEFAULT_NA = frozenset(DEFAULT_NA_VALUES)

#: How ``-`` (standard input) is named in messages.
STDIN_NAME = "<stdin>"


def _is_missing(cell: str, na: frozenset[str]) -> bool:
    return cell in na or cell.upper() in {"NA", "NAN"}


def _number(text: object, decimal_comma: bool = False, na: frozenset[str] = _DEFAULT_NA) -> object:
    """A text cell as a number when it is one; missing markers are ``None``; else the text.

    A decimal comma (``"7,5"``) is read only in ``;``-separated files, where it is the
    convention; elsewhere ``"1,000"`` stays text (and is refused as non-numeric).
    """
    if not isinstance(text, str):
        return text
    cell = text.strip()
    if _is_missing(cell, na):
        return None
    if decimal_comma and cell.count(",") == 1 and "." not in cell:
        cell = cell.replace(",", ".")
    if "_" in cell:  # Python's int() and float() accept 1_536; a data file does not mean it
        return cell
    for convert in (int, float):
        try:
            return convert(cell)
        except ValueError:
            pass
    return cell


#: Integers beyond this magnitude are not all exactly a 64-bit float.
_EXACT = 2**53


class _CellError(Exception):
    """A cell that is not a number (the caller adds where it is)."""


def _cell_value(cell: str, decimal_comma: bool, na: frozenset[str]) -> float:
    """One cell of a numeric column as a float: NaN when missing, else exactly its number."""
    value = _number(cell, decimal_comma, na)
    if value is None:
        return math.nan
    if isinstance(value, str):
        hint = (
            " (digit separators such as _ are not allowed)"
            if "_" in value
            else f" (if it marks a missing value, declare it: --na-values {value!r})"
        )
        raise _CellError(f"{value!r} is not a number{hint}")
    if isinstance(value, int):
        number = float(value) if abs(value) <= 2**1023 else math.inf
        if abs(value) > _EXACT and (math.isinf(number) or int(number) != value):
            raise _CellError(
                f"the integer {value} is too large for a 64-bit float to hold "
                "exactly (allowed: up to 2**53 = 9007199254740992 in absolute value)"
            )
        return number
    number = value if isinstance(value, float) else float(cell)  # _number gave a float
    if math.isinf(number) and "inf" not in cell.lower():
        raise _CellError(f"{cell.strip()!r} is too large for a 64-bit float")
    return number


class _Columns(dict[str, Any]):
    """The needed columns of a CSV file: numbers as float arrays, labels as text.

    ``lines`` holds each data row's line number in the file (the header is line 1 when
    the file starts with it), ``missing_cells`` the text of the first missing cells of
    each numeric column by row (for messages).
    """

    def __init__(self, header: list[str], path: str) -> None:
        super().__init__()
        self.header = header
        self.path = path
        self.lines: Any = None
        self.missing_cells: dict[str, dict[int, str]] = {}

    def need(self, flag: str, name: str) -> None:
        """Refuse a column the file does not have, listing the columns it has."""
        if name not in self.header:
            listed = ", ".join(repr(c) for c in self.header)
            raise InputValueError(
                f"{flag} {name!r} is not a column of {self.path!r}; its columns are: {listed}"
            )


#: Missing cells remembered per column for messages (the rest are only counted).
_REMEMBERED = 50


def _open_text(path: str) -> Any:
    """The file (or standard input for ``-``) as UTF-8 text, a BOM skipped."""
    if path == "-":
        import io

        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream already (e.g. replaced in a test)
            return contextlib.nullcontext(sys.stdin)
        return contextlib.nullcontext(io.TextIOWrapper(buffer, encoding="utf-8-sig", newline=""))
    try:
        return open(path, newline="", encoding="utf-8-sig")  # Excel writes a BOM
    except OSError as exc:
        raise InputValueError(f"cannot read {path!r}: {exc.strerror}") from None


def _read_csv(
    path: str,
    numeric: Sequence[str],
    text: Sequence[str],
    flags: dict[str, str],
    na_values: Sequence[str] = (),
    subject: str | None = None,
) -> _Columns:
    """Stream a CSV/TSV file (``-``: standard input), keeping only the named columns.

    The ``numeric`` columns become float64 arrays (NaN for missing cells: the markers of
    :data:`DEFAULT_NA_VALUES` and ``na_values``) as the rows go by; the ``text`` columns
    (labels, time codes) lists of strings. Nothing else of the file is kept, so memory
    stays near the size of those columns. ``flags`` maps each flag to the column it
    names, for the error when the file lacks one; ``subject`` is the column of subject
    labels, named in the message about a bad cell.
    """
    import csv
    from array import array

    name = STDIN_NAME if path == "-" else path
    na = _DEFAULT_NA | {v.strip() for v in na_values}
    with _open_text(path) as handle:
        try:
            raw = iter(handle)
            skipped = 0  # blank lines before the header
            first = None
            for candidate in raw:
                if candidate.strip():
                    first = candidate
                    break
                skipped += 1
            if first is None:
                raise InputValueError(f"{name!r} is empty")
            delimiter = "\t" if path.lower().endswith((".tsv", ".tab")) else None
            if delimiter is None:
                try:
                    delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
                except csv.Error:
                    delimiter = ","
            decimal_comma = delimiter == ";"
            reader = csv.reader(itertools.chain([first], raw), delimiter=delimiter)
            header = [cell.strip() for cell in next(reader)]
            repeated = sorted({c for c in header if header.count(c) > 1})
            if repeated:
                raise InputValueError(f"{name!r} has repeated column names: {', '.join(repeated)}")
            table = _Columns(header, name)
            for flag, column in flags.items():
                table.need(flag, column)
            numbers = {column: array("d") for column in numeric}
            texts: dict[str, list[str]] = {column: [] for column in text}
            slots = [(header.index(c), c, numbers[c]) for c in numbers]
            labels = [(header.index(c), texts[c]) for c in texts]
            label_at = header.index(subject) if subject in header else None
            missing_cells: dict[str, dict[int, str]] = {c: {} for c in numbers}
            lines = array("q")
            interned: dict[str, str] = {}
            line = skipped + 1
            try:
                for row in reader:
                    line = skipped + reader.line_num
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue  # a blank line
                    if len(row) != len(header):
                        raise InputValueError(
                            f"{name!r} line {line} has {len(row)} fields, the header has "
                            f"{len(header)}"
                            + (
                                " (a decimal comma in a comma-separated file?)"
                                if delimiter == ","
                                else ""
                            )
                        )
                    for index, column, values in slots:
                        try:
                            value = _cell_value(row[index], decimal_comma, na)
                        except _CellError as exc:
                            who = (
                                f" ({subject} {row[label_at].strip()!r})"
                                if label_at is not None
                                else ""
                            )
                            raise InputValueError(
                                f"{name!r} line {line}, column {column!r}{who}: {exc}"
                            ) from None
                        if value != value:  # NaN: remember the marker for messages
                            cells = missing_cells[column]
                            if len(cells) < _REMEMBERED:
                                cells[len(values)] = row[index].strip()
                        values.append(value)
                    for index, cells_of in labels:
                        cells_of.append(interned.setdefault(row[index], row[index]))
                    lines.append(line)
            except csv.Error as exc:  # e.g. a field over the csv module's size limit
                raise InputValueError(f"cannot read {name!r} line {line + 1}: {exc}") from None
        except UnicodeDecodeError:
            raise InputValueError(
                f"{name!r} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)"
            ) from None
    if not len(lines):
        raise InputValueError(f"{name!r} has a header but no data rows")
    import numpy as np

    for column, values in numbers.items():
        table[column] = np.frombuffer(values, dtype=np.float64)
    table.update(texts)
    table.lines = np.frombuffer(lines, dtype=np.int64)
    table.missing_cells = missing_cells
    return table


def _read_table(
    path: str,
    numeric: Sequence[str],
    text: Sequence[str],
    flags: dict[str, str],
    na_values: Sequence[str] = (),
    subject: str | None = None,
) -> object:
    """The file as a table: a data frame for parquet, else the needed CSV/TSV columns."""
    if path.lower().endswith(".parquet"):
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependencyError(
                'reading parquet needs pandas and pyarrow: pip install "pairedstudy[frames]"',
                name="pandas",
            ) from None
        try:
            return pd.read_parquet(path)
        except ImportError:
            raise MissingDependencyError(
                'reading parquet needs pyarrow: pip install "pairedstudy[frames]"',
                name="pyarrow",
            ) from None
        except Exception as exc:  # a corrupt or unreadable file
            raise InputValueError(f"cannot read {path!r} as parquet: {exc}") from None
    return _read_csv(path, numeric, text, flags, na_values, subject)


def _time_value(table: Any, time: str, wanted: str) -> object:
    """The --pre/--post time code as it appears in the time column (text or number).

    ``table`` is the columns of a CSV file or a data frame (pandas, polars, ...).
    """
    if isinstance(table, dict):
        return wanted  # CSV cells are text
    values = set(table[time].tolist()) if hasattr(table[time], "tolist") else set(table[time])
    if wanted in values:
        return wanted
    number = _number(wanted)
    return number if number in values else wanted


def _floats(values: Any) -> Any:
    """Values as a float array (``None`` as NaN), or ``None`` when they are not numbers."""
    import numpy as np

    try:
        if isinstance(values, list):
            values = [math.nan if v is None else v for v in values]
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return None  # PairedStudy names what is wrong
    return array if array.ndim == 1 else None


def _row_name(table: Any, row: int, subject: str | None, label: Any) -> str:
    """Where a subject of a wide table is: its line in a CSV file, else its row."""
    lines = getattr(table, "lines", None)
    where = f"line {int(lines[row])}" if lines is not None else f"row {row + 1}"
    return where + (f" ({subject} {label!s})" if subject is not None else "")


def _missing_marker(table: Any, column: str, row: int, value: float) -> str:
    if math.isinf(value):
        return f"{column!r} is {value} (not finite)"
    cells = getattr(table, "missing_cells", {}).get(column, {})
    if row in cells:
        return f"{column!r} is {cells[row]!r}" if cells[row] else f"{column!r} is empty"
    return f"{column!r} is missing"


def _study_from_args(args: argparse.Namespace) -> PairedStudy:
    """The study a file's flags describe; the dropped subjects go to ``args.dropped_rows``.

    With ``--missing raise`` an incomplete pair is a data error naming the subject (the
    --subject label, or the line of the file) and the flag that drops it.
    """
    import numpy as np

    from .frames import long_columns, wide_columns

    if args.long:
        if not (args.subject and args.time and args.value):
            raise UsageError("--long needs --subject, --time and --value")
        flags = {"--value": args.value}
        labels = {"--subject": args.subject, "--time": args.time}
    else:
        if args.time or args.value:
            raise UsageError("--time and --value are for --long files")
        flags = {"--pre": args.pre, "--post": args.post}
        labels = {"--subject": args.subject} if args.subject else {}
    numeric = list(dict.fromkeys(flags.values()))
    text = [name for name in dict.fromkeys(labels.values()) if name not in numeric]
    name = STDIN_NAME if args.file == "-" else args.file
    na_values = _na_values(getattr(args, "na_values", None))
    try:
        table = _read_table(args.file, numeric, text, {**flags, **labels}, na_values, args.subject)
        if args.long:
            pre_code = _time_value(table, args.time, args.pre)
            post_code = _time_value(table, args.time, args.post)
            columns = long_columns(
                table, args.subject, args.time, args.value, pre_code, post_code, missing="drop"
            )
        else:
            columns = wide_columns(table, args.pre, args.post, args.subject)
            if columns.subjects is not None:
                _refuse_repeated_subjects(table, name, args.subject, columns.subjects)
        pre, post = _floats(columns.pre), _floats(columns.post)
        subjects = columns.subjects
        dropped: list[dict[str, Any]] = []
        if pre is not None and post is not None and pre.shape == post.shape:
            bad = ~(np.isfinite(pre) & np.isfinite(post))
            rows = np.flatnonzero(bad).tolist()
            if args.long:
                index = _long_index(table, args) if rows else {}
                places = [
                    _long_place(table, args, columns, row, pre_code, post_code, index)
                    for row in rows
                ]
            else:
                places = []
                for row in rows:
                    label = None if subjects is None else subjects[row]
                    what = "; ".join(
                        _missing_marker(table, column, row, float(values[row]))
                        for column, values in ((args.pre, pre), (args.post, post))
                        if not math.isfinite(values[row])
                    )
                    places.append((_row_name(table, row, args.subject, label), what, label, row))
            if rows and args.missing == "raise":
                shown = "; ".join(f"{where}: {what}" for where, what, _, _ in places[:5])
                more = f"; and {len(rows) - 5} more" if len(rows) > 5 else ""
                raise DataError(
                    f"{name!r}: {len(rows)} incomplete pair(s) (a pre or post value missing "
                    f"or not finite): "
                    f"{shown}{more}. "
                    "Pass --missing drop to analyse the complete pairs (the observed half of "
                    "each incomplete pair is kept for --tests partial-t)"
                    + ("" if args.long else ", or --na-values to declare other missing markers")
                )
            lines = getattr(table, "lines", None)
            for where, _, label, row in places:
                line = None
                if lines is not None and not args.long:
                    line = int(lines[row])
                dropped.append({"subject": label, "line": line, "where": where})
        args.dropped_rows = dropped
        return PairedStudy(
            pre if pre is not None else columns.pre,
            post if post is not None else columns.post,
            subjects=subjects,
            name=name,
            missing=args.missing,
        )
    except PairedStudyError as exc:
        raise DataError(_cli_words(str(exc))) from None


def _long_place(
    table: Any,
    args: argparse.Namespace,
    columns: Any,
    row: int,
    pre_code: object,
    post_code: object,
    index: dict[tuple[Any, Any], int],
) -> tuple[str, str, Any, int]:
    """Where an incomplete subject of a long table is, and what it lacks.

    ``index`` maps (subject, time) to the row of a CSV file (:func:`_long_index`).
    """
    label = columns.subjects[row]
    parts = []
    for code, values in ((pre_code, columns.pre), (post_code, columns.post)):
        value = values[row]
        if value is None:
            parts.append(f"no row with {args.time} {code!s}")
        elif not math.isfinite(float(value)):
            at = index.get((label, code))
            if at is None:
                parts.append(f"{args.time} {code!s}: {args.value!r} is missing")
            else:
                marker = _missing_marker(table, args.value, at, float(value))
                parts.append(f"{args.time} {code!s} (line {int(table.lines[at])}): {marker}")
    return f"{args.subject} {label!s}", "; ".join(parts), label, row


def _refuse_repeated_subjects(table: Any, name: str, subject: str, labels: Any) -> None:
    """A wide file holds one row per subject: name a repeated label and its lines."""
    first: dict[Any, int] = {}
    repeats: dict[Any, list[int]] = {}
    for row, label in enumerate(labels.tolist() if hasattr(labels, "tolist") else labels):
        try:
            seen = first.setdefault(label, row)
        except TypeError:  # not a label at all: PairedStudy says so
            return
        if seen != row:
            repeats.setdefault(label, [seen]).append(row)
    if repeats:
        label, rows = next(iter(repeats.items()))
        places = " and ".join(_row_name(table, row, None, None) for row in rows[:5])
        raise DataError(
            f"{name!r}: --subject {subject} must name each subject once (a wide file has one "
            f"row per subject); {label!s} is on {places}"
            + (f" ({len(repeats) - 1} more label(s) repeat)" if len(repeats) > 1 else "")
            + ". For one row per subject and time, use --long --time ... --value ..."
        )


def _long_index(table: Any, args: argparse.Namespace) -> dict[tuple[Any, Any], int]:
    """The row of each (subject, time) of a CSV long table, for messages (once per file)."""
    if not isinstance(table, _Columns):
        return {}
    pairs = zip(table[args.subject], table[args.time], strict=True)
    return {pair: i for i, pair in reversed(list(enumerate(pairs)))}  # the first row wins


def _cli_words(message: str) -> str:
    """A library message in the command line's words (``--missing drop``, not Python)."""
    for python in ('missing="drop"', "missing='drop'"):
        message = message.replace(f"pass {python}", "pass --missing drop")
        message = message.replace(f"Pass {python}", "Pass --missing drop")
        message = message.replace(python, "--missing drop")
    return message


def _na_values(given: Sequence[str] | None) -> tuple[str, ...]:
    """The markers of every ``--na-values`` flag (each a comma-separated list)."""
    markers: list[str] = []
    for flag in given or ():
        markers.extend(marker.strip() for marker in flag.split(","))
    return tuple(markers)


def _probability(flag: str, name: str) -> Callable[[str], float]:
    """An argparse type: a probability strictly between 0 and 1 (``95`` is refused)."""

    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a number between 0 and 1; got {text!r}"
            ) from None
        if 1 < value <= 100:
            raise argparse.ArgumentTypeError(
                f"{name} is a proportion between 0 and 1, not a percentage: for {value:g}% "
                f"give {value / 100:g} ({flag} {value / 100:g})"
            )
        if not 0 < value < 1:  # NaN fails too
            raise argparse.ArgumentTypeError(
                f"{name} must lie strictly between 0 and 1 (e.g. 0.95); got {text!r}"
            )
        return value

    convert.__name__ = name  # argparse names the type in some messages
    return convert


def _option_value(text: str) -> Any:
    """A number when the text is one, True/False for those words, else the text."""
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text else number


def _test_options(names: list[str], pairs: list[str]) -> dict[str, dict[str, Any]]:
    """Give each ``--option KEY=VALUE`` to every selected test that takes ``KEY``."""
    from .registry import get_registered

    options: dict[str, dict[str, Any]] = {name: {} for name in names}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--option must look like KEY=VALUE; got {pair!r}")
        key = key.strip().replace("-", "_")
        takers = []
        for name in names:
            accepted = get_registered(name).options
            if accepted is None or key in accepted:
                options[name][key] = _option_value(value.strip())
                takers.append(name)
        if not takers:
            raise UsageError(f"--option {key}: none of the tests {names} takes it")
    return options


def _analyze(args: argparse.Namespace) -> int:
    import json
    import os

    from ._validation import check_real
    from .diagnostics import normality
    from .registry import available_tests
    from .reports import analysis_markdown, apa

    names = [t.strip() for t in args.tests.split(",") if t.strip()]
    if not names:
        raise UsageError("--tests names no test (e.g. --tests t,wilcoxon,sign)")
    if "shapiro" in names and "shapiro" not in available_tests():  # a plugin may take it
        raise UsageError(
            "--tests shapiro: the Shapiro-Wilk normality check is a diagnostic, not a test; "
            "analyze reports it beside the tests anyway (in Python: "
            "pairedstudy.diagnostics.normality(study))"
        )
    if args.plot:
        folder = os.path.dirname(os.path.abspath(args.plot))
        extension = os.path.splitext(args.plot)[1].lower()
        if not os.path.isdir(folder):
            raise UsageError(f"--plot: the folder {folder!r} does not exist")
        if extension not in {".png", ".pdf", ".svg", ".jpg", ".jpeg"}:
            raise UsageError("--plot must end in .png, .pdf, .svg or .jpg")
    _check_flag(check_real, "--mu", args.mu)
    options = _test_options(names, args.option)
    study = _study_from_args(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = []
        for name in names:
            try:
                results.append(
                    study.test(
                        name,
                        alternative=args.alternative,
                        mu=args.mu,
                        confidence_level=args.level,
                        **options[name],
                    )
                )
            except DegenerateDataError as exc:  # e.g. t of a constant change: undefined
                print(f"note: the {name!r} test is not reported: {exc}", file=sys.stderr)
        if not results:
            raise DataError(
                "none of the requested tests is defined for these data (see the notes above)"
            )
        try:
            effect = study.effect_size("dz", confidence_level=args.level)
        except DegenerateDataError as exc:
            effect = None
            print(f"note: d_z is not reported: {exc}", file=sys.stderr)
        try:
            shape = normality(study)
        except PairedStudyError as exc:  # fewer than 3 pairs, or a constant change
            shape = None
            print(f"note: no normality diagnostic: {exc}", file=sys.stderr)
    rows = getattr(args, "dropped_rows", [])
    dropped = (
        f"{len(rows)} incomplete pair(s) dropped: " + "; ".join(row["where"] for row in rows)
        if rows
        else ""
    )
    if study.has_unpaired:
        dropped += (
            f". Their observed halves are kept ({study.pre_only.size} baseline-only, "
            f"{study.post_only.size} follow-up-only): tests of the complete pairs leave them "
            "out and say so; --tests partial-t uses them"
        )
    if args.format == "json":
        report = _analysis_report(args, study, results, effect, shape)
        print(json.dumps(report, indent=2, allow_nan=False))
    elif args.format == "markdown":
        print(analysis_markdown(study, results, effect, shape))
        if dropped:
            print(f"\n{dropped}")
    else:
        print(study.describe())
        if dropped:
            print(dropped)
        for r in results:
            print()
            print(r)
            print(f"  APA: {apa(r)}")
        if effect is not None:
            print()
            print(effect)
            for note in effect.notes:
                print(f"  note: {note}")
        if shape is not None:
            print()
            print(shape)
    sys.stdout.flush()  # the results before any message below
    failure = None
    if args.plot:
        try:
            _draw(args, study).savefig(args.plot, dpi=120)
        except MissingDependencyError as exc:
            failure = str(exc)
        except (OSError, ValueError) as exc:  # a folder, no permission, a full disk
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            failure = f"cannot write the plot to {args.plot!r}: {reason}"
        else:
            print(f"plot written to {args.plot}", file=sys.stderr)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    if failure is not None:  # after the warnings, so that none is lost
        print(f"pairedstudy: error: {failure}", file=sys.stderr)
        return 1
    return 0


def _draw(args: argparse.Namespace, study: PairedStudy) -> Any:
    """The --plot figure, labelled with the file's names."""
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError(
            '--plot needs matplotlib, which is not installed: pip install "pairedstudy[plot]"',
            name="matplotlib",
        ) from None
    matplotlib.use("Agg")
    from .plotting import analysis_figure

    if args.long:
        measured = args.value
    else:
        pre, post = str(args.pre), str(args.post)
        pairs = enumerate(zip(pre, post, strict=False))
        size = next((i for i, (a, b) in pairs if a != b), min(len(pre), len(post)))
        shared = pre[:size].strip(" _-.:(")
        measured = shared if len(shared) >= 2 else "value"
    return analysis_figure(study, labels=(str(args.pre), str(args.post)), ylabel=measured)


def _plain_label(label: Any) -> Any:
    """A subject label as a JSON value (numpy scalars made Python, others text)."""
    if hasattr(label, "item"):
        label = label.item()
    return label if label is None or isinstance(label, (str, int, float)) else str(label)


def _analysis_report(
    args: argparse.Namespace,
    study: PairedStudy,
    results: list[Any],
    effect: Any,
    shape: Any,
) -> dict[str, Any]:
    """The JSON report: each result by its own strict ``to_json`` rule, and provenance."""
    import json

    def plain(result: Any) -> Any:
        return None if result is None else json.loads(result.to_json())

    if args.long:
        columns = {
            "subject": args.subject,
            "time": args.time,
            "value": args.value,
            "pre": args.pre,
            "post": args.post,
        }
    else:
        columns = {"pre": args.pre, "post": args.post, "subject": args.subject}
    dropped = [
        {"subject": _plain_label(row["subject"]), "line": row["line"]}
        for row in getattr(args, "dropped_rows", [])
    ]
    return {
        "pairedstudy_version": __version__,
        "file": STDIN_NAME if args.file == "-" else args.file,
        "difference": "post - pre",
        "columns": columns,
        "missing": args.missing,
        "study": {
            "name": study.name,
            "n": study.n,
            "dropped": study.dropped,
            "dropped_subjects": dropped,
            "pre_only": int(study.pre_only.size),
            "post_only": int(study.post_only.size),
        },
        "describe": plain(study.describe()),
        "tests": [plain(r) for r in results],
        "effect_size": plain(effect),
        "normality": plain(shape),
    }


def _check_flag(check: Any, flag: str, value: Any) -> None:
    """Validate a flag's value before any data are read: a bad value is a usage error."""
    try:
        check(flag, value)
    except PairedStudyError as exc:
        raise UsageError(str(exc)) from None


def _plain_text(text: str) -> str:
    """A docstring's first sentence without reStructuredText markup (``x``, :func:`x`)."""
    import re

    text = re.sub(r":[a-z:]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    return re.sub(r"``?([^`]*)``?", r"\1", text).strip()


def _tests(_: argparse.Namespace) -> int:
    from .registry import registered_tests

    rows = [
        (entry.name, entry.origin, _plain_text(" ".join(str(entry.description).split())))
        for entry in registered_tests()
    ]
    header = ("test", "origin", "description")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(2)]
    for name, origin, description in [header, *rows]:
        print(f"{name:<{widths[0]}}  {origin:<{widths[1]}}  {description}".rstrip())
    return 0


def _power(args: argparse.Namespace) -> int:
    import attrs

    from . import power as pw

    if args.test == "tost":
        if args.bounds is None:
            raise UsageError(
                "--test tost needs --bounds LOW HIGH (the equivalence bounds in d_z units, "
                "e.g. --bounds -0.5 0.5)"
            )
        if args.alternative is not None or args.p_positive is not None:
            raise UsageError("--test tost takes no --alternative or --p-positive (see --bounds)")
        if (args.power is None) == (args.n is None):
            raise UsageError(
                "--test tost: give either --power (to solve n) or --n (to compute power); "
                "--dz is the true effect (default 0: truly equivalent)"
            )
        result = pw.tost(
            n=args.n,
            dz=0.0 if args.dz is None else args.dz,
            bounds=tuple(args.bounds),
            alpha=args.alpha,
            power=args.power,
        )
        print(result)
        low, high = result.details["bounds"]
        print(f"  equivalence bounds on d_z: [{low:g}, {high:g}]")
        return 0
    if args.bounds is not None:
        raise UsageError("--bounds is for --test tost")
    if args.p_positive is not None:
        if args.test != "sign":
            raise UsageError("--p-positive is for --test sign (use --dz for t and wilcoxon)")
        if args.dz is not None:
            raise UsageError("give --dz or --p-positive, not both")
    effect = args.p_positive if args.test == "sign" and args.p_positive is not None else args.dz
    given = {"--n": args.n, "--power": args.power, "the effect (--dz)": effect}
    unknown = [flag for flag, value in given.items() if value is None]
    if len(unknown) != 1:
        raise UsageError(
            "give two of --n, --dz and --power; the one left out is solved for "
            f"(left out: {', '.join(unknown) or 'none'})"
        )
    alternative = args.alternative or "two-sided"
    if args.test == "t":
        result = pw.paired_t(
            n=args.n, dz=args.dz, power=args.power, alpha=args.alpha, alternative=alternative
        )
    elif args.test == "wilcoxon":
        result = pw.wilcoxon(
            n=args.n, dz=args.dz, power=args.power, alpha=args.alpha, alternative=alternative
        )
    else:
        from scipy import special

        p_plus = args.p_positive
        if p_plus is None and args.dz is not None:
            p_plus = float(special.ndtr(args.dz))
        result = pw.sign_test(
            n=args.n, p=p_plus, power=args.power, alpha=args.alpha, alternative=alternative
        )
        if args.p_positive is not None:
            note = "P(change > 0) is the share of positive changes among the non-zero ones"
        else:
            note = (
                f"P(change > 0) = Phi(dz) = {result.effect:.4f} for dz = "
                f"{float(special.ndtri(result.effect)):.4g}: the share of positive changes "
                "when the changes are normal (give --p-positive for other shapes)"
            )
        result = attrs.evolve(
            result,
            effect_name="P(change > 0)",
            solved_for="P(change > 0)" if result.solved_for == "p" else result.solved_for,
            notes=(*result.notes, note),
        )
    print(result)
    return 0


def _summary_from_args(args: argparse.Namespace) -> PairedSummary:
    return PairedSummary(
        n=args.n,
        pre_mean=args.pre[0],
        pre_sd=args.pre[1],
        post_mean=args.post[0],
        post_sd=args.post[1],
        diff_mean=args.diff[0] if args.diff else None,
        diff_sd=args.diff[1] if args.diff else None,
        r=args.r,
        t=args.t,
        p=args.p,
        diff_order=args.diff_order,
        pre_range=tuple(args.pre_range) if args.pre_range else None,
        post_range=tuple(args.post_range) if args.post_range else None,
        items=args.items,
        rounding=args.rounding,
    )


def _check(args: argparse.Namespace) -> int:
    table = _summary_from_args(args)
    print(table.check())
    return 0 if table.check().consistent else 1


#: Seconds between two "still working" lines on a non-terminal.
HEARTBEAT_SECONDS = 5.0


@contextlib.contextmanager
def _heartbeat(label: str, every: float = HEARTBEAT_SECONDS) -> Any:
    """On a non-terminal stderr, say every ``every`` seconds that ``label`` still runs.

    (On a terminal the library draws its own progress bar.) The lines are throttled:
    nothing is written for a call shorter than ``every`` seconds, and after ``6 * every``
    seconds only one line every ``6 * every`` seconds.
    """
    import threading
    import time

    if sys.stderr.isatty():
        yield
        return
    done = threading.Event()
    start = time.monotonic()

    def beat() -> None:
        wait = every
        while not done.wait(wait):
            elapsed = time.monotonic() - start
            print(f"{label}: still working ({elapsed:.0f} s)", file=sys.stderr)
            sys.stderr.flush()
            if elapsed >= 6 * every:  # after the first half minute, twice a minute
                wait = 6 * every

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _output_kind(path: str) -> str:
    """``csv``, ``tsv`` or ``parquet`` by the extension of --output (else a usage error)."""
    import os

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"--output: the folder {folder!r} does not exist")
    extension = os.path.splitext(path)[1].lower()
    kinds = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet"}
    if extension not in kinds:
        raise UsageError("--output must end in .csv, .tsv or .parquet")
    return kinds[extension]


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _write_datasets(rec: Any, path: str, kind: str) -> None:
    """Every dataset of a reconstruction, one row per subject and dataset."""
    header = ("dataset", "subject", "pre", "post")
    if kind == "parquet":
        import importlib.util

        try:
            import pandas as pd

            if importlib.util.find_spec("pyarrow") is None:  # pandas writes parquet with it
                raise ImportError("pyarrow")
        except ImportError:
            raise MissingDependencyError(
                'writing parquet needs pandas and pyarrow: pip install "pairedstudy[frames]"',
                name="pyarrow",
            ) from None
        import numpy as np

        parts = [
            (np.full(pre.size, k + 1), np.arange(1, pre.size + 1), pre, post)
            for k, (pre, post) in enumerate(rec.arrays())
        ]
        columns = (
            [np.concatenate([p[i] for p in parts]) for i in range(4)]
            if parts
            else [np.empty(0, dtype=np.int64)] * 2 + [np.empty(0)] * 2
        )
        pd.DataFrame(dict(zip(header, columns, strict=True))).to_parquet(path, index=False)
        return
    import csv

    try:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter="\t" if kind == "tsv" else ",")
            writer.writerow(header)
            for k, (pre, post) in enumerate(rec.arrays(), start=1):
                writer.writerows(
                    (k, i, _number_text(a), _number_text(b))
                    for i, (a, b) in enumerate(zip(pre.tolist(), post.tolist(), strict=True), 1)
                )
    except OSError as exc:
        raise DataError(f"cannot write {path!r}: {exc.strerror or exc}") from None


def _reconstruct(args: argparse.Namespace) -> int:
    kind = None if args.output is None else _output_kind(args.output)
    table = _summary_from_args(args)
    settings = {
        key: value
        for key, value in (("burn_in", args.burn_in), ("thin", args.thin))
        if value is not None
    }
    with warnings.catch_warnings(record=True) as caught, _heartbeat("reconstruct"):
        warnings.simplefilter("always")
        rec = table.reconstruct(
            scale=tuple(args.scale),
            limit=args.limit,
            seed=args.seed,
            sample=args.sample,
            **settings,
        )
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    counts = f"{rec.n_pre} pre and {rec.n_post} post multisets"
    method = rec.method if "multisets" in rec.method else f"{rec.method}; {counts}"
    how_many = "all" if rec.complete else "a sample of"
    print(
        f"Reconstruction: {how_many} {len(rec)} integer dataset(s) consistent with the "
        f"table ({method})"
    )
    if not rec.complete and rec.diagnostics.get("sampler") == "exact":
        print(
            f"sample diagnostics: {rec.diagnostics['count']} consistent datasets counted; "
            "independent draws, each exactly uniform (no chains, no R-hat)"
        )
    if not rec.complete and rec.diagnostics.get("rhat_max") is not None:
        print(
            f"sample diagnostics: {rec.diagnostics['chains']} chains, largest R-hat "
            f"{rec.diagnostics['rhat_max']:.3f} (near 1 when the chains agree)"
        )
    if not len(rec):
        report = table.check()
        print(
            "no dataset fits: "
            + (
                report.verdict
                if not report.consistent
                else "the figures pass every single check but not all together (see `check`, and "
                "whether --diff-order matches the paper)"
            )
        )
    if len(rec):
        with _heartbeat("p-values over the datasets"):
            for label, test in (("Wilcoxon", "wilcoxon"), ("sign test", "sign")):
                low, high = rec.range(functools.partial(_pvalue, test=test))
                print(f"{label} p-value over these datasets: [{low:.3g}, {high:.3g}]")
    if args.output is not None and kind is not None:
        sys.stdout.flush()
        _write_datasets(rec, args.output, kind)
        print(
            f"{len(rec)} dataset(s) of {args.n} pairs written to {args.output} "
            "(one row per subject and dataset)",
            file=sys.stderr,
        )
    return 0


def _pvalue(study: PairedStudy, test: str) -> float:
    return study.test(test).pvalue


def _split_trailing_file(args: argparse.Namespace) -> None:
    """``plan --pre a --post b data.csv``: the file that ``--post`` took back as FILE.

    ``--pre``/``--post`` take one column name or two figures (MEAN SD), so a value after
    a column name that is not a number is the file.
    """
    if args.file is not None:
        return
    taken = [
        flag
        for flag in ("pre", "post")
        if getattr(args, flag) is not None
        and len(getattr(args, flag)) == 2
        and isinstance(_number(getattr(args, flag)[1]), str)
    ]
    if len(taken) > 1:
        raise UsageError("--pre and --post each take one column (with FILE) or MEAN SD")
    for flag in taken:
        values = getattr(args, flag)
        setattr(args, flag, values[:1])
        args.file = values[1]


def _plan(args: argparse.Namespace) -> int:
    from .replication import plan

    if args.pre is None or args.post is None:
        raise UsageError("plan needs --pre and --post (columns with FILE, else MEAN SD)")
    _split_trailing_file(args)
    if args.file:
        if len(args.pre) != 1 or len(args.post) != 1:
            raise UsageError("with FILE, --pre and --post each name one column")
        args.pre, args.post = args.pre[0], args.post[0]
        original: PairedStudy | PairedSummary = _study_from_args(args)
    else:
        if args.n is None or len(args.pre) != 2 or len(args.post) != 2:
            raise UsageError("without FILE, plan needs --n and --pre MEAN SD --post MEAN SD")
        original = _summary_from_args(args)
    print(plan(original, power=args.target_power, alpha=args.alpha))
    return 0


# ---- evaluate: did the replication succeed? (one block: the handler and its parser) ----


def _evaluate_side(args: argparse.Namespace, side: str) -> PairedStudy | PairedSummary:
    """The original or the replication: a data file (--SIDE) or its summary flags."""
    opt = args.__dict__
    path = opt[side]
    pre, post = opt[f"{side}_pre"], opt[f"{side}_post"]
    if path:
        pre = pre or ["pre"]
        post = post or ["post"]
        if len(pre) != 1 or len(post) != 1 or opt[f"{side}_n"] is not None:
            raise UsageError(
                f"with --{side} FILE, --{side}-pre and --{side}-post each name one column "
                f"(default pre and post) and --{side}-n is not given"
            )
        file_args = argparse.Namespace(
            file=path,
            pre=pre[0],
            post=post[0],
            subject=opt[f"{side}_subject"],
            long=False,
            time=None,
            value=None,
            missing=args.missing,
        )
        return _study_from_args(file_args)
    if opt[f"{side}_n"] is None or pre is None or post is None or len(pre) != 2 or len(post) != 2:
        raise UsageError(
            f"give --{side} FILE, or --{side}-n N --{side}-pre MEAN SD --{side}-post MEAN SD"
        )
    diff = opt[f"{side}_diff"]
    return PairedSummary(
        n=opt[f"{side}_n"],
        pre_mean=pre[0],
        pre_sd=pre[1],
        post_mean=post[0],
        post_sd=post[1],
        diff_mean=diff[0] if diff else None,
        diff_sd=diff[1] if diff else None,
        r=opt[f"{side}_r"],
        t=opt[f"{side}_t"],
        diff_order=opt[f"{side}_diff_order"],
    )


def _evaluate(args: argparse.Namespace) -> int:
    from .replication import evaluate

    original = _evaluate_side(args, "original")
    replication = _evaluate_side(args, "replication")
    result = evaluate(
        original,
        replication,
        level=args.level,
        type=args.type,
        scale=args.scale,
        bf_threshold=args.bf_threshold,
    )
    print(result.to_json(indent=2) if args.format == "json" else result)
    return 0


def _add_evaluate_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "evaluate",
        help="Did the replication succeed? Every criterion side by side.",
        description="Judge a replication against its original by significance, the "
        "sceptical p-value, small telescopes, the prediction interval, the Q test, the "
        "fixed-effect combination and two Bayes factors. Each study is a CSV/TSV file "
        "(--original FILE, columns --original-pre/--original-post, default pre and post) "
        "or its summary statistics (--original-n N --original-pre MEAN SD "
        "--original-post MEAN SD [--original-diff MEAN SD]); likewise --replication.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for side in ("original", "replication"):
        group = parser.add_argument_group(f"the {side} study")
        group.add_argument(
            f"--{side}", metavar="FILE", help=f"CSV or TSV file of the {side} study"
        )
        group.add_argument(f"--{side}-n", type=int, help="Number of pairs (summary statistics)")
        for arm in ("pre", "post"):
            group.add_argument(
                f"--{side}-{arm}",
                nargs="+",
                metavar="VALUE",
                help=f"With FILE: the {arm} column; else the {arm} mean and SD as printed",
            )
        group.add_argument(
            f"--{side}-diff",
            nargs=2,
            metavar=("MEAN", "SD"),
            help="Printed mean and SD of the difference",
        )
        group.add_argument(
            f"--{side}-diff-order",
            default="post - pre",
            choices=["post - pre", "pre - post"],
            help="Order of the printed difference (default post - pre)",
        )
        group.add_argument(f"--{side}-r", help="Printed pre-post correlation")
        group.add_argument(f"--{side}-t", help="Printed paired t")
        group.add_argument(f"--{side}-subject", help="With FILE: the column of subject labels")
    parser.add_argument(
        "--missing",
        default="raise",
        choices=["raise", "drop"],
        help="Incomplete pairs in a FILE: an error (raise, the default) or left out (drop)",
    )
    parser.add_argument(
        "--level",
        type=_probability("--level", "the one-sided level"),
        default=0.025,
        help="One-sided level in the original's direction (default 0.025)",
    )
    parser.add_argument(
        "--type",
        default="golden",
        choices=["golden", "nominal", "controlled"],
        help="Recalibration of the sceptical p-value (default golden)",
    )
    parser.add_argument(
        "--scale",
        default="mean",
        choices=["mean", "dz"],
        help="Effect scale: the mean change or dz (default mean)",
    )
    parser.add_argument(
        "--bf-threshold",
        type=float,
        default=0.1,
        help="Bayes factors at or below this count as success (default 0.1)",
    )
    parser.add_argument(
        "--format",
        default="text",
        choices=["text", "json"],
        help="Output as text (the default) or JSON",
    )
    parser.set_defaults(handler=_evaluate)


# ---- end of evaluate ----


def _add_summary_flags(
    parser: argparse.ArgumentParser, required: bool, arms: str | int = 2
) -> None:
    """The flags of a published table. ``arms="+"`` lets --pre/--post also name columns."""
    parser.add_argument("--n", type=int, required=required, help="Number of pairs.")
    examples = {"pre": "7.05 0.740", "post": "9.00 1.183"}
    for arm in ("pre", "post"):
        parser.add_argument(
            f"--{arm}",
            nargs=arms,
            metavar=("MEAN", "SD") if arms == 2 else "VALUE",
            required=required,
            help=f"The {arm} mean and SD as printed, e.g. --{arm} {examples[arm]}"
            + ("." if arms == 2 else f" (with FILE: the {arm} column)."),
        )
    parser.add_argument(
        "--diff",
        nargs=2,
        metavar=("MEAN", "SD"),
        help="Mean and SD of the difference as printed, e.g. --diff -1.952 1.161.",
    )
    parser.add_argument(
        "--diff-order",
        default="post - pre",
        choices=["post - pre", "pre - post"],
        help='Order of the printed difference (default "post - pre"; SPSS subtracts '
        'first minus second: "pre - post").',
    )
    parser.add_argument("--r", help="The printed pre-post correlation.")
    parser.add_argument("--t", help="The printed paired t.")
    parser.add_argument("--p", help="The printed two-sided p-value.")
    parser.add_argument(
        "--pre-range",
        nargs=2,
        type=int,
        metavar=("MIN", "MAX"),
        help="The printed smallest and largest pre score, e.g. --pre-range 6 8.",
    )
    parser.add_argument(
        "--post-range",
        nargs=2,
        type=int,
        metavar=("MIN", "MAX"),
        help="The printed smallest and largest post score, e.g. --post-range 6 10.",
    )
    parser.add_argument("--items", type=int, default=1, help="Items per score (default 1).")
    parser.add_argument(
        "--rounding",
        default="up_or_down",
        choices=list(ROUNDING),
        help="Rounding convention (scrutiny's names; default up_or_down).",
    )


def _add_file_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--subject", help="Column of subject labels (named in messages and in the JSON)."
    )
    parser.add_argument(
        "--long", action="store_true", help="The file is long: one row per subject and time."
    )
    parser.add_argument("--time", help="(--long) Column of the time point.")
    parser.add_argument("--value", help="(--long) Column of the measurement.")
    parser.add_argument(
        "--missing",
        default="raise",
        choices=["raise", "drop"],
        help="An incomplete pair (a missing or non-finite value) is an error naming it "
        "(raise, the default) or is left out of the pairs and listed (drop); drop keeps its "
        "observed half (baseline-only or follow-up-only), which --tests partial-t uses.",
    )
    parser.add_argument(
        "--na-values",
        action="append",
        metavar="MARKERS",
        help="Comma-separated cells that mark a missing value, e.g. --na-values '.,-' "
        "(repeatable). Always missing, as in pandas' read_csv: an empty cell, NA, N/A, "
        "n/a, NaN, nan, NULL, null, None, #N/A, <NA> and the like.",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``pairedstudy`` command's argument parser, with every subcommand.

    The command line reference of the docs is printed from it when the site is built.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="pairedstudy",
        description="Statistics for studies that measure the same subjects twice.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pairedstudy {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    demo = commands.add_parser(
        "demo",
        help="Analyse the bundled oxytocin massage example.",
        description=(
            "Print the descriptive table of the bundled oxytocin massage example next to "
            "the published Table 3, the paired t, Wilcoxon signed-rank and sign tests, and "
            "every paired effect size with its interval. Warnings go to stderr, each right "
            "after the result it is about."
        ),
    )
    demo.set_defaults(handler=_demo)

    analyze = commands.add_parser(
        "analyze",
        help="Tests and effect size for a CSV/TSV file.",
        description="Analyse a wide (a pre and a post column) or long CSV/TSV file ('-' "
        "reads standard input). A test that is undefined for the data (the t-test of a "
        "constant change) is skipped with a note; the exit status is 0 when at least one "
        "requested test ran, else 1. Only the needed columns are read, row by row.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    analyze.add_argument("file", help="CSV, TSV or parquet file ('-': standard input).")
    analyze.add_argument(
        "--pre", required=True, help="The pre column (wide) or the time value of pre (long)."
    )
    analyze.add_argument(
        "--post", required=True, help="The post column (wide) or the time value of post (long)."
    )
    _add_file_flags(analyze)
    analyze.add_argument(
        "--tests",
        default="t,wilcoxon,sign",
        help="Comma-separated registered tests (default t,wilcoxon,sign; see "
        "`pairedstudy tests`).",
    )
    analyze.add_argument(
        "--alternative",
        default="two-sided",
        choices=["two-sided", "less", "greater"],
        help="About the location of post - pre relative to --mu (default two-sided).",
    )
    analyze.add_argument("--mu", type=float, default=0.0, help="Null location (default 0).")
    analyze.add_argument(
        "--level",
        type=_probability("--level", "the confidence level"),
        default=0.95,
        help="Confidence level between 0 and 1 (default 0.95).",
    )
    analyze.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="A test option, given to every selected test that takes it (repeatable), "
        "e.g. --option low=-0.5 --option high=0.5 for tost, --option trim=0.1 for yuen.",
    )
    analyze.add_argument(
        "--format",
        default="text",
        choices=["text", "json", "markdown"],
        help="Output format (default text). JSON carries the package version, the "
        "columns read, the difference order and the dropped subjects.",
    )
    analyze.add_argument(
        "--plot",
        metavar="PNG",
        help="Also draw the slope plot and the changes to this file (.png, .pdf, .svg, "
        ".jpg; needs the plot extra: matplotlib).",
    )
    analyze.set_defaults(handler=_analyze)

    tests = commands.add_parser(
        "tests",
        help="List the registered tests.",
        description="List the registered tests, built-in and plugins.",
    )
    tests.set_defaults(handler=_tests)

    power = commands.add_parser(
        "power",
        help="Power, sample size or the smallest detectable effect.",
        description="Give two of --n, --dz and --power: the one left out is solved for "
        "(the sample size, the power, or the smallest detectable d_z). --test tost sizes "
        "an equivalence test within --bounds.",
        epilog="examples:\n"
        "  pairedstudy power --dz 0.5 --power 0.8              # pairs needed\n"
        "  pairedstudy power --n 30 --power 0.8                # smallest detectable d_z\n"
        "  pairedstudy power --dz 0.5 --n 30 --test wilcoxon   # power\n"
        "  pairedstudy power --test tost --bounds -0.5 0.5 --power 0.8",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    power.add_argument(
        "--dz",
        type=float,
        help="Mean change / SD of change (tost: the true effect, default 0).",
    )
    power.add_argument(
        "--power",
        type=_probability("--power", "power"),
        help="Target power between 0 and 1, e.g. 0.8.",
    )
    power.add_argument("--n", type=int, help="Number of pairs.")
    power.add_argument(
        "--alpha",
        type=_probability("--alpha", "alpha"),
        default=0.05,
        help="Significance level (default 0.05; tost: of each one-sided test).",
    )
    power.add_argument(
        "--test",
        default="t",
        choices=["t", "wilcoxon", "sign", "tost"],
        help="The test: t (noncentral t), wilcoxon (A.R.E., normal changes), sign (exact "
        "binomial; the effect is P(change > 0) = Phi(dz), or --p-positive) or tost "
        "(default t).",
    )
    power.add_argument(
        "--p-positive",
        type=_probability("--p-positive", "P(change > 0)"),
        metavar="P",
        help="(--test sign) The share of positive changes among the non-zero ones, "
        "instead of --dz.",
    )
    power.add_argument(
        "--bounds",
        nargs=2,
        type=float,
        metavar=("LOW", "HIGH"),
        help="(--test tost) Equivalence bounds in d_z units, e.g. --bounds -0.5 0.5.",
    )
    power.add_argument(
        "--alternative",
        choices=["two-sided", "less", "greater"],
        help="Alternative of the t, Wilcoxon or sign test (default two-sided).",
    )
    power.set_defaults(handler=_power)

    for name, handler, text in (
        (
            "check",
            _check,
            "Check a published table (GRIM, GRIMMER, ...); exit status 1 if it fails.",
        ),
        ("reconstruct", _reconstruct, "Every integer dataset consistent with a table."),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        _add_summary_flags(sub, required=True)
        if name == "reconstruct":
            sub.add_argument(
                "--scale",
                nargs=2,
                type=int,
                required=True,
                metavar=("LOW", "HIGH"),
                help="The possible scores, e.g. --scale 6 10.",
            )
            sub.add_argument(
                "--limit",
                type=int,
                default=100_000,
                help="Enumerate at most this many datasets; with more, draw a random sample "
                "of --sample datasets instead (default 100000).",
            )
            sub.add_argument(
                "--seed", type=int, help="Seed of the fallback sample (for a repeatable run)."
            )
            sub.add_argument(
                "--sample",
                type=int,
                default=1000,
                help="Size of the fallback sample (default 1000).",
            )
            sub.add_argument(
                "--burn-in",
                type=int,
                default=None,
                help="Fallback sample: the sweeps each Markov chain discards at its start.",
            )
            sub.add_argument(
                "--thin",
                type=int,
                default=None,
                help="Fallback sample: keep every THIN-th dataset visited.",
            )
            sub.add_argument(
                "--output",
                metavar="FILE",
                help="Write the datasets to FILE, one row per subject and dataset "
                "(.csv, .tsv, or .parquet with the frames extra).",
            )
        sub.set_defaults(handler=handler)

    plan_parser = commands.add_parser(
        "plan",
        help="Replication sample size by every method.",
        description="Plan a replication from a CSV/TSV file (--pre/--post columns) or from "
        "summary statistics given as flags.",
    )
    plan_parser.add_argument(
        "file", nargs="?", help="CSV, TSV or parquet file of the original study ('-': stdin)."
    )
    _add_summary_flags(plan_parser, required=False, arms="+")
    plan_parser.add_argument(
        "--power",
        dest="target_power",
        type=_probability("--power", "power"),
        default=0.8,
        help="Target power of the replication (default 0.8).",
    )
    plan_parser.add_argument(
        "--alpha",
        type=_probability("--alpha", "alpha"),
        default=0.05,
        help="Significance level of the replication (default 0.05).",
    )
    _add_file_flags(plan_parser)
    plan_parser.set_defaults(handler=_plan)
    _add_evaluate_parser(commands)  # evaluate: defined with its handler above
    return parser


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Print a warning as ``warning: <message>``, without Python's source line."""
    print(f"warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pairedstudy`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (without the program name); ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status (also in ``pairedstudy --help``): 0 success (``analyze``: at least
        one requested test ran); 1 a data error (a file that cannot be read or analysed,
        no requested test defined for the data, a plot that cannot be written, a plugin
        test that failed, ``check`` finding the table inconsistent, figures that define a
        degenerate case); 2 a usage error (an unknown flag or test, a flag value that is
        not allowed, flags that contradict each other).
    """
    from .registry import PluginError

    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning  # restored when the block ends
        try:
            return int(args.handler(args))
        except BrokenPipeError:  # e.g. piped into head: stop quietly
            sys.stderr.close()
            return 0
        except (UsageError, UnknownTestError) as exc:
            print(f"pairedstudy: error: {exc}", file=sys.stderr)
            return 2
        except (DataError, PluginError, DegenerateDataError, MissingDependencyError) as exc:
            print(f"pairedstudy: error: {_cli_words(str(exc))}", file=sys.stderr)
            return 1
        except PairedStudyError as exc:  # the data were read: a flag's value is not allowed
            print(f"pairedstudy: error: {_cli_words(str(exc))}", file=sys.stderr)
            return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
