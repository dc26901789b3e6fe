"""The ``pairedstudy`` command line.

Results go to stdout, errors to stderr without a traceback. Exit status: 0 on success, 1 on
a data error, 2 on a usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import functools
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from . import __version__
from .errors import InputValueError, PairedStudyError, UnknownTestError
from .forensics import ROUNDING
from .study import PairedStudy
from .summary import PairedSummary

__all__ = ["main"]


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
    for convert in (int, float):
        try:
            return convert(cell)
        except ValueError:
            pass
    return cell


def _read_table(path: str) -> tuple[object, bool]:
    """The file as a frame-like table of text cells, and whether decimal commas apply."""
    import csv

    if path.lower().endswith(".parquet"):
        try:
            import pandas as pd
        except ImportError:
            raise InputValueError(
                "reading parquet needs pandas and pyarrow: pip install 'pairedstudy[frames]'"
            ) from None
        try:
            return pd.read_parquet(path), False
        except ImportError:
            raise InputValueError(
                "reading parquet needs pyarrow: pip install 'pairedstudy[frames]'"
            ) from None
        except Exception as exc:  # a corrupt or unreadable file
            raise InputValueError(f"cannot read {path!r} as parquet: {exc}") from None
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:  # Excel writes a BOM
            text = handle.read()
    except OSError as exc:
        raise InputValueError(f"cannot read {path!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputValueError(
            f"{path!r} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)"
        ) from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputValueError(f"{path!r} is empty")
    delimiter = "\t" if path.lower().endswith((".tsv", ".tab")) else None
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(lines[0], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [name.strip() for name in rows[0]]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputValueError(f"{path!r} has repeated column names: {', '.join(repeated)}")
    if len(rows) < 2:
        raise InputValueError(f"{path!r} has a header but no data rows")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputValueError(
                f"{path!r} line {number} has {len(row)} fields, the header has {len(header)}"
                + (" (a decimal comma in a comma-separated file?)" if delimiter == "," else "")
            )
    table = {name: [row[i] for row in rows[1:]] for i, name in enumerate(header)}
    return table, delimiter == ";"


def _numeric(table: object, column: object, decimal_comma: bool) -> object:
    """Convert one text column of a CSV table to numbers (frames are left as they are)."""
    if isinstance(table, dict) and column in table:
        table[column] = [_number(cell, decimal_comma) for cell in table[column]]
    return table


def _time_value(table: Any, time: str, wanted: str) -> object:
    """The --pre/--post time code as it appears in the time column (text or number).

    ``table`` is the dict of a CSV file or a data frame (pandas, polars, ...).
    """
    if isinstance(table, dict):
        return wanted  # CSV cells are text
    values = set(table[time].tolist()) if hasattr(table[time], "tolist") else set(table[time])
    if wanted in values:
        return wanted
    number = _number(wanted)
    return number if number in values else wanted


def _study_from_args(args: argparse.Namespace) -> PairedStudy:
    table, decimal_comma = _read_table(args.file)
    if args.long:
        if not (args.subject and args.time and args.value):
            raise UsageError("--long needs --subject, --time and --value")
        _numeric(table, args.value, decimal_comma)
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
    if args.time or args.value:
        raise UsageError("--time and --value are for --long files")
    _numeric(table, args.pre, decimal_comma)
    _numeric(table, args.post, decimal_comma)
    return PairedStudy.from_frame(
        table,
        pre=args.pre,
        post=args.post,
        subject=args.subject,
        name=args.file,
        missing=args.missing,
    )


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

    from .diagnostics import normality
    from .errors import DegenerateDataError, PairedStudyError
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
    options = _test_options(names, args.option)
    study = _study_from_args(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [
            study.test(
                name,
                alternative=args.alternative,
                mu=args.mu,
                confidence_level=args.level,
                **options[name],
            )
            for name in names
        ]
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
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from .plotting import analysis_figure

        analysis_figure(study).savefig(args.plot, dpi=120)
        print(f"plot written to {args.plot}", file=sys.stderr)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    return 0


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
        description="Analyse a wide (a pre and a post column) or long CSV/TSV file.",
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pairedstudy`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (without the program name); ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status: 0 success, 1 data error, 2 usage error.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        sys.stderr.close()
        return 0
    except (UsageError, UnknownTestError) as exc:
        print(f"pairedstudy: error: {exc}", file=sys.stderr)
        return 2
    except PairedStudyError as exc:
        if args.handler is _power:  # every input of `power` is a flag
            print(f"pairedstudy: error: {exc}", file=sys.stderr)
            return 2
        print(f"pairedstudy: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
