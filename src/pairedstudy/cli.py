"""The ``pairedstudy`` command line.

Results go to stdout, errors to stderr without a traceback. Exit status: 0 on success, 1 on
a data error, 2 on a usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from . import __version__
from .errors import PairedStudyError

__all__ = ["main"]

# Table 3 of the oxytocin massage study, as printed (the paper subtracts pre - post).
_PUBLISHED = {
    "pre": ("7.05", "0.740"),
    "post": ("9.00", "1.183"),
    "pre - post": ("-1.952", "1.161"),
}


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _as_published(value: float, like: str) -> str:
    return f"{value:.{_decimals(like)}f}"


def _demo(_: argparse.Namespace) -> int:
    from . import datasets

    study = datasets.oxytocin_massage()
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
        mean_text, sd_text = _PUBLISHED[key]
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
    lines.extend(f"warning: {w.message}" for w in caught)
    print("\n".join(lines).rstrip())
    return 0


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
    except PairedStudyError as exc:
        print(f"pairedstudy: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
