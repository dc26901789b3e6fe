"""The ``pairedstudy`` command line.

Results go to stdout, errors and warnings to stderr (``warning: <message>``) without a
traceback. Exit status: 0 on success, 1 on a data error, 2 on a usage error (argparse's own
convention); :data:`EXIT_STATUS` says which is which, and ``pairedstudy --help`` prints it.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import math
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from . import __version__
from .errors import DegenerateDataError, InputValueError, PairedStudyError, UnknownTestError
from .forensics import ROUNDING
from .study import PairedStudy
from .summary import PairedSummary

__all__ = ["EXIT_STATUS", "main"]

#: The exit statuses, printed at the end of ``pairedstudy --help``.
EXIT_STATUS = """exit status:
  0  success (analyze: at least one requested test ran; a test undefined for the
     data, such as t for a constant change, is skipped with a note on stderr)
  1  a data error: the file cannot be read or analysed as asked (a missing column,
     a cell that is not a number, too few pairs), no requested test is defined for
     the data, the plot cannot be written (the results are printed first), a plugin
     test failed, or `check` finds the table inconsistent
  2  a usage error: an unknown flag or test, a flag value that is not allowed (e.g.
     --level 1.5, --option trim=0.9, --thin 0), or flags that contradict each other"""


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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in ("t", "wilcoxon", "sign"):
            lines.append(str(study.test(name)))
            lines.append("")
        lines.append(str(study.effect_sizes()))
        lines.append("")
        from .power import paired_t

        dz = study.effect_size("dz").value
        plan = paired_t(dz=dz, power=0.8)
        lines.append(
            f"Sample size for a replication at the observed dz = {dz:.2f} (80% power, "
            f"two-sided alpha 0.05): {plan.n} pairs (power {plan.power:.3f}). Small "
            "studies overestimate effects: see `pairedstudy plan` for safer plans."
        )
        lines.append("")
    lines.extend(f"warning: {w.message}" for w in caught)
    print("\n".join(lines).rstrip())
    return 0


class UsageError(Exception):
    """A command line that is incomplete or contradictory (exit status 2)."""


class DataError(Exception):
    """A data file that cannot be read or analysed as asked (exit status 1)."""


def _number(text: object, decimal_comma: bool = False) -> object:
    """A text cell as a number when it is one; empty cells are missing; else the text.

    A decimal comma (``"7,5"``) is read only in ``;``-separated files, where it is the
    convention; elsewhere ``"1,000"`` stays text (and is refused as non-numeric).
    """
    if not isinstance(text, str):
        return text
    cell = text.strip()
    if cell == "" or cell.upper() in {"NA", "NAN"}:
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


def _cell_value(cell: str, column: str, line: int, path: str, decimal_comma: bool) -> float:
    """One cell of a numeric column as a float: NaN when missing, else exactly its number."""
    value = _number(cell, decimal_comma)
    where = f"{path!r} line {line}, column {column!r}"
    if value is None:
        return math.nan
    if isinstance(value, str):
        hint = " (digit separators such as _ are not allowed)" if "_" in value else ""
        raise InputValueError(f"{where}: {value!r} is not a number{hint}")
    if isinstance(value, int):
        number = float(value) if abs(value) <= 2**1023 else math.inf
        if abs(value) > _EXACT and (math.isinf(number) or int(number) != value):
            raise InputValueError(
                f"{where}: the integer {value} is too large for a 64-bit float to hold "
                "exactly (allowed: up to 2**53 = 9007199254740992 in absolute value)"
            )
        return number
    number = value if isinstance(value, float) else float(cell)  # _number gave a float
    if math.isinf(number) and "inf" not in cell.lower():
        raise InputValueError(f"{where}: {cell.strip()!r} is too large for a 64-bit float")
    return number


class _Columns(dict[str, Any]):
    """The needed columns of a CSV file: numbers as float arrays, labels as text."""

    def __init__(self, header: list[str], path: str) -> None:
        super().__init__()
        self.header = header
        self.path = path

    def need(self, flag: str, name: str) -> None:
        """Refuse a column the file does not have, listing the columns it has."""
        if name not in self.header:
            listed = ", ".join(repr(c) for c in self.header)
            raise InputValueError(
                f"{flag} {name!r} is not a column of {self.path!r}; its columns are: {listed}"
            )


def _read_csv(
    path: str, numeric: Sequence[str], text: Sequence[str], flags: dict[str, str]
) -> _Columns:
    """Stream a CSV/TSV file, keeping only the named columns.

    The ``numeric`` columns become float64 arrays (NaN for missing cells) as the rows go
    by; the ``text`` columns (labels, time codes) lists of strings. Nothing else of the
    file is kept, so memory stays near the size of those columns. ``flags`` maps each
    flag to the column it names, for the error when the file lacks one.
    """
    import csv
    from array import array

    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # Excel writes a BOM
    except OSError as exc:
        raise InputValueError(f"cannot read {path!r}: {exc.strerror}") from None
    with handle:
        try:
            lines = (line for line in handle if line.strip())
            first = next(lines, None)
            if first is None:
                raise InputValueError(f"{path!r} is empty")
            delimiter = "\t" if path.lower().endswith((".tsv", ".tab")) else None
            if delimiter is None:
                try:
                    delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
                except csv.Error:
                    delimiter = ","
            decimal_comma = delimiter == ";"
            reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
            header = [name.strip() for name in next(reader)]
            repeated = sorted({name for name in header if header.count(name) > 1})
            if repeated:
                raise InputValueError(f"{path!r} has repeated column names: {', '.join(repeated)}")
            table = _Columns(header, path)
            for flag, name in flags.items():
                table.need(flag, name)
            numbers = {name: array("d") for name in numeric}
            texts: dict[str, list[str]] = {name: [] for name in text}
            slots = [(header.index(name), numbers[name]) for name in numbers]
            labels = [(header.index(name), texts[name]) for name in texts]
            interned: dict[str, str] = {}
            line = 1
            try:
                for line, row in enumerate(reader, start=2):
                    if len(row) != len(header):
                        raise InputValueError(
                            f"{path!r} line {line} has {len(row)} fields, the header has "
                            f"{len(header)}"
                            + (
                                " (a decimal comma in a comma-separated file?)"
                                if delimiter == ","
                                else ""
                            )
                        )
                    for index, values in slots:
                        values.append(
                            _cell_value(row[index], header[index], line, path, decimal_comma)
                        )
                    for index, cells in labels:
                        cells.append(interned.setdefault(row[index], row[index]))
            except csv.Error as exc:  # e.g. a field over the csv module's size limit
                raise InputValueError(f"cannot read {path!r} line {line + 1}: {exc}") from None
        except UnicodeDecodeError:
            raise InputValueError(
                f"{path!r} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)"
            ) from None
    if line < 2:
        raise InputValueError(f"{path!r} has a header but no data rows")
    import numpy as np

    for name, values in numbers.items():
        table[name] = np.frombuffer(values, dtype=np.float64) if len(values) else np.empty(0)
    table.update(texts)
    return table


def _read_table(
    path: str, numeric: Sequence[str], text: Sequence[str], flags: dict[str, str]
) -> object:
    """The file as a table: a data frame for parquet, else the needed CSV/TSV columns."""
    if path.lower().endswith(".parquet"):
        try:
            import pandas as pd
        except ImportError:
            raise InputValueError(
                "reading parquet needs pandas and pyarrow: pip install 'pairedstudy[frames]'"
            ) from None
        try:
            return pd.read_parquet(path)
        except ImportError:
            raise InputValueError(
                "reading parquet needs pyarrow: pip install 'pairedstudy[frames]'"
            ) from None
        except Exception as exc:  # a corrupt or unreadable file
            raise InputValueError(f"cannot read {path!r} as parquet: {exc}") from None
    return _read_csv(path, numeric, text, flags)


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


def _study_from_args(args: argparse.Namespace) -> PairedStudy:
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
    try:
        table = _read_table(args.file, numeric, text, {**flags, **labels})
        if args.long:
            return PairedStudy.from_long(
                table,
                subject=args.subject,
                time=args.time,
                value=args.value,
                pre=_time_value(table, args.time, args.pre),
                post=_time_value(table, args.time, args.post),
                name=args.file,
                missing=args.missing,
            )
        return PairedStudy.from_frame(
            table,
            pre=args.pre,
            post=args.post,
            subject=args.subject,
            name=args.file,
            missing=args.missing,
        )
    except PairedStudyError as exc:
        raise DataError(str(exc)) from None


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

    from ._validation import check_probability, check_real
    from .diagnostics import normality
    from .registry import available_tests
    from .reports import analysis_json, analysis_markdown, apa

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
    _check_flag(check_probability, "--level", args.level)
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
    dropped = (
        f"{study.dropped} incomplete pair(s) dropped: {list(study.dropped_subjects)}"
        if study.dropped
        else ""
    )
    if args.format == "json":
        print(json.dumps(analysis_json(study, results, effect, shape), indent=2, allow_nan=False))
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
        if shape is not None:
            print()
            print(shape)
    status = 0
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from .plotting import analysis_figure

        try:
            analysis_figure(study).savefig(args.plot, dpi=120)
        except (OSError, ValueError) as exc:  # a folder, no permission, a full disk
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(
                f"pairedstudy: error: cannot write the plot to {args.plot!r}: {reason}",
                file=sys.stderr,
            )
            status = 1
        else:
            print(f"plot written to {args.plot}", file=sys.stderr)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    return status


def _check_flag(check: Any, flag: str, value: Any) -> None:
    """Validate a flag's value before any data are read: a bad value is a usage error."""
    try:
        check(flag, value)
    except PairedStudyError as exc:
        raise UsageError(str(exc)) from None


def _tests(_: argparse.Namespace) -> int:
    from .registry import registered_tests

    for entry in registered_tests():
        print(f"{entry.name:<20} {entry.origin:<12} {entry.description}")
    return 0


def _power(args: argparse.Namespace) -> int:
    from . import power as pw

    if (args.power is None) == (args.n is None):
        raise UsageError("give either --power (to solve n) or --n (to compute power)")
    if args.test == "t":
        result = pw.paired_t(
            n=args.n, dz=args.dz, power=args.power, alpha=args.alpha, alternative=args.alternative
        )
    elif args.test == "wilcoxon":
        result = pw.wilcoxon(
            n=args.n, dz=args.dz, power=args.power, alpha=args.alpha, alternative=args.alternative
        )
    else:
        from scipy import special

        p_plus = float(special.ndtr(args.dz))
        result = pw.sign_test(
            n=args.n, p=p_plus, power=args.power, alpha=args.alpha, alternative=args.alternative
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


def _reconstruct(args: argparse.Namespace) -> int:
    table = _summary_from_args(args)
    settings = {
        key: value
        for key, value in (("burn_in", args.burn_in), ("thin", args.thin))
        if value is not None
    }
    with warnings.catch_warnings(record=True) as caught:
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
    print(rec)
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
        for label, test in (("Wilcoxon", "wilcoxon"), ("sign test", "sign")):
            low, high = rec.range(functools.partial(_pvalue, test=test))
            print(f"{label} p-value over these datasets: [{low:.3g}, {high:.3g}]")
    return 0


def _pvalue(study: PairedStudy, test: str) -> float:
    return study.test(test).pvalue


def _plan(args: argparse.Namespace) -> int:
    from .replication import plan

    if args.pre is None or args.post is None:
        raise UsageError("plan needs --pre and --post (columns with FILE, else MEAN SD)")
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
        help="did the replication succeed? every criterion side by side",
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
        group.add_argument(f"--{side}", metavar="FILE", help=f"CSV or TSV file of the {side}")
        group.add_argument(f"--{side}-n", type=int, help="number of pairs (summary)")
        for arm in ("pre", "post"):
            group.add_argument(
                f"--{side}-{arm}",
                nargs="+",
                metavar="VALUE",
                help=f"with FILE: the {arm} column; else the {arm} mean and SD as printed",
            )
        group.add_argument(
            f"--{side}-diff", nargs=2, metavar=("MEAN", "SD"), help="printed difference"
        )
        group.add_argument(
            f"--{side}-diff-order",
            default="post - pre",
            choices=["post - pre", "pre - post"],
            help="order of the printed difference (default post - pre)",
        )
        group.add_argument(f"--{side}-r", help="printed pre-post correlation")
        group.add_argument(f"--{side}-t", help="printed paired t")
        group.add_argument(f"--{side}-subject", help="(FILE) column of subject labels")
    parser.add_argument("--missing", default="raise", choices=["raise", "drop"])
    parser.add_argument(
        "--level",
        type=float,
        default=0.025,
        help="one-sided level in the original's direction (default 0.025)",
    )
    parser.add_argument(
        "--type",
        default="golden",
        choices=["golden", "nominal", "controlled"],
        help="recalibration of the sceptical p-value (default golden)",
    )
    parser.add_argument(
        "--scale",
        default="mean",
        choices=["mean", "dz"],
        help="effect scale: the mean change or dz (default mean)",
    )
    parser.add_argument(
        "--bf-threshold",
        type=float,
        default=0.1,
        help="Bayes factors at or below this count as success (default 0.1)",
    )
    parser.add_argument("--format", default="text", choices=["text", "json"])
    parser.set_defaults(handler=_evaluate)


# ---- end of evaluate ----


def _add_summary_flags(
    parser: argparse.ArgumentParser, required: bool, arms: str | int = 2
) -> None:
    """The flags of a published table. ``arms="+"`` lets --pre/--post also name columns."""
    parser.add_argument("--n", type=int, required=required, help="number of pairs")
    for arm in ("pre", "post"):
        parser.add_argument(
            f"--{arm}",
            nargs=arms,
            metavar=("MEAN", "SD") if arms == 2 else "VALUE",
            required=required,
            help=f"{arm} mean and SD as printed, e.g. 7.05 0.740"
            + ("" if arms == 2 else f" (with FILE: the {arm} column)"),
        )
    parser.add_argument(
        "--diff", nargs=2, metavar=("MEAN", "SD"), help="mean and SD of the difference, as printed"
    )
    parser.add_argument(
        "--diff-order",
        default="post - pre",
        choices=["post - pre", "pre - post"],
        help="order of the printed difference (default post - pre)",
    )
    parser.add_argument("--r", help="printed pre-post correlation")
    parser.add_argument("--t", help="printed paired t")
    parser.add_argument("--p", help="printed two-sided p")
    parser.add_argument("--pre-range", nargs=2, type=int, metavar=("MIN", "MAX"))
    parser.add_argument("--post-range", nargs=2, type=int, metavar=("MIN", "MAX"))
    parser.add_argument("--items", type=int, default=1, help="items per score (default 1)")
    parser.add_argument(
        "--rounding",
        default="up_or_down",
        choices=list(ROUNDING),
        help="rounding convention (scrutiny's names; default up_or_down)",
    )


def _add_file_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--subject", help="column of subject labels")
    parser.add_argument(
        "--long", action="store_true", help="the file is long: one row per subject and time"
    )
    parser.add_argument("--time", help="(long) column of the time point")
    parser.add_argument("--value", help="(long) column of the measurement")
    parser.add_argument("--missing", default="raise", choices=["raise", "drop"])


def _build_parser() -> argparse.ArgumentParser:
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
        help="analyse the bundled oxytocin massage example",
        description=(
            "Print the descriptive table of the bundled oxytocin massage example next to "
            "the published Table 3, the paired t, Wilcoxon signed-rank and sign tests, and "
            "every paired effect size with its interval."
        ),
    )
    demo.set_defaults(handler=_demo)

    analyze = commands.add_parser(
        "analyze",
        help="tests and effect size for a CSV/TSV file",
        description="Analyse a wide (a pre and a post column) or long CSV/TSV file. A "
        "test that is undefined for the data (the t-test of a constant change) is skipped "
        "with a note; the exit status is 0 when at least one requested test ran, else 1. "
        "Only the needed columns are read, row by row.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    analyze.add_argument("file", help="CSV or TSV file")
    analyze.add_argument(
        "--pre", required=True, help="pre column (wide) or the time value of pre (long)"
    )
    analyze.add_argument(
        "--post", required=True, help="post column (wide) or the time value of post (long)"
    )
    _add_file_flags(analyze)
    analyze.add_argument(
        "--tests",
        default="t,wilcoxon,sign",
        help="comma-separated registered tests (default t,wilcoxon,sign)",
    )
    analyze.add_argument(
        "--alternative",
        default="two-sided",
        choices=["two-sided", "less", "greater"],
        help="about the location of post - pre relative to --mu (default two-sided)",
    )
    analyze.add_argument("--mu", type=float, default=0.0, help="null location (default 0)")
    analyze.add_argument(
        "--level", type=float, default=0.95, help="confidence level (default 0.95)"
    )
    analyze.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a test option, given to every selected test that takes it (repeatable), "
        "e.g. --option low=-0.5 --option high=0.5 for tost, --option trim=0.1 for yuen",
    )
    analyze.add_argument("--format", default="text", choices=["text", "json", "markdown"])
    analyze.add_argument(
        "--plot", metavar="PNG", help="also draw the slope plot and the changes to this file"
    )
    analyze.set_defaults(handler=_analyze)

    tests = commands.add_parser(
        "tests",
        help="list the registered tests",
        description="List the registered tests, built-in and plugins.",
    )
    tests.set_defaults(handler=_tests)

    power = commands.add_parser(
        "power",
        help="power or sample size",
        description="Sample size for a target power (--power) or power at --n.",
    )
    power.add_argument("--dz", type=float, required=True, help="mean change / SD of change")
    power.add_argument("--power", type=float, help="target power (solve n)")
    power.add_argument("--n", type=int, help="number of pairs (compute power)")
    power.add_argument("--alpha", type=float, default=0.05)
    power.add_argument("--test", default="t", choices=["t", "wilcoxon", "sign"])
    power.add_argument(
        "--alternative", default="two-sided", choices=["two-sided", "less", "greater"]
    )
    power.set_defaults(handler=_power)

    for name, handler, text in (
        ("check", _check, "check a published table (GRIM, GRIMMER, ...); exit 1 if it fails"),
        ("reconstruct", _reconstruct, "every integer dataset consistent with a table"),
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
                help="possible scores",
            )
            sub.add_argument("--limit", type=int, default=100_000)
            sub.add_argument("--seed", type=int)
            sub.add_argument(
                "--sample", type=int, default=1000, help="size of the fallback sample"
            )
            sub.add_argument(
                "--burn-in", type=int, default=None, help="fallback sample: sweeps discarded"
            )
            sub.add_argument(
                "--thin", type=int, default=None, help="fallback sample: keep every THIN-th"
            )
        sub.set_defaults(handler=handler)

    plan_parser = commands.add_parser(
        "plan",
        help="replication sample size by every method",
        description="Plan a replication from a CSV/TSV file (--pre/--post columns) or from "
        "summary statistics given as flags.",
    )
    plan_parser.add_argument("file", nargs="?", help="CSV or TSV file of the original study")
    _add_summary_flags(plan_parser, required=False, arms="+")
    plan_parser.add_argument("--power", dest="target_power", type=float, default=0.8)
    plan_parser.add_argument("--alpha", type=float, default=0.05)
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

    parser = _build_parser()
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
        except (DataError, PluginError, DegenerateDataError) as exc:
            print(f"pairedstudy: error: {exc}", file=sys.stderr)
            return 1
        except PairedStudyError as exc:  # the data were read: a flag's value is not allowed
            print(f"pairedstudy: error: {exc}", file=sys.stderr)
            return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
