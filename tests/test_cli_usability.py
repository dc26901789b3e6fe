"""Issue 17: a command line that speaks command line (errors, flags, output, packaging)."""

import csv
import json
import subprocess
import sys

import pytest
from _data import TABLE3_FIGURES as T3

import pairedstudy as ps
from pairedstudy import cli
from pairedstudy.cli import main
from pairedstudy.errors import MissingDependencyError, PairedStudyError

TABLE_FLAGS = [
    *("--n", str(T3["n"])),
    *("--pre", T3["pre_mean"], T3["pre_sd"]),
    *("--post", T3["post_mean"], T3["post_sd"]),
    *("--diff", T3["diff_mean"], T3["diff_sd"]),
    *("--diff-order", T3["diff_order"]),
    *("--pre-range", *(str(v) for v in T3["pre_range"])),
    *("--post-range", *(str(v) for v in T3["post_range"])),
]
SMALL = "a,b\n1,2\n2,4\n3,5\n4,7\n5,6\n"  # n = 5: a 99.9% interval warns


def _exit_code(argv):
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        return exc.code


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def bp_csv(tmp_path):
    """A blood-pressure file with spaces in its column names and P018 missing (line 19)."""
    rows = ["patient_id,SBP baseline,SBP week 12"]
    for i in range(1, 31):
        post = "n/a" if i == 18 else str(140 - (i % 7))
        rows.append(f"P{i:03d},{150 - (i % 5)},{post}")
    return _write(tmp_path, "bp.csv", "\n".join(rows) + "\n")


BP = ["--pre", "SBP baseline", "--post", "SBP week 12"]


# --- item 1: a missing optional package -------------------------------------------------


def test_missing_matplotlib_is_one_line_after_the_results_and_warnings(
    tmp_path, capsys, monkeypatch
):
    path = _write(tmp_path, "w.csv", SMALL)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    argv = ["analyze", path, "--pre", "a", "--post", "b", "--level", "0.999"]
    assert main([*argv, "--plot", str(tmp_path / "x.png")]) == 1
    captured = capsys.readouterr()
    assert "Paired t-test" in captured.out  # the results are kept
    lines = captured.err.strip().splitlines()
    assert lines[-1] == (
        "pairedstudy: error: --plot needs matplotlib, which is not installed: "
        'pip install "pairedstudy[plot]"'
    )
    assert any(line.startswith("warning: n = 5 is too small") for line in lines[:-1])
    assert "Traceback" not in captured.err and not (tmp_path / "x.png").exists()


def test_missing_pandas_for_parquet_names_the_extra(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    path = str(tmp_path / "d.parquet")
    assert main(["analyze", path, "--pre", "a", "--post", "b"]) == 1
    err = capsys.readouterr().err
    assert 'pip install "pairedstudy[frames]"' in err and len(err.strip().splitlines()) == 1


def test_missing_dependency_error_is_an_import_error_not_a_type_error():
    assert issubclass(MissingDependencyError, ImportError)
    assert issubclass(MissingDependencyError, PairedStudyError)
    assert not issubclass(MissingDependencyError, TypeError)


# --- item 3: errors name the subject and the flag; percentages --------------------------


def test_a_missing_value_names_the_subject_the_line_and_the_flag(bp_csv, capsys):
    assert main(["analyze", bp_csv, *BP, "--subject", "patient_id"]) == 1
    err = capsys.readouterr().err
    assert "line 19 (patient_id P018): 'SBP week 12' is 'n/a'" in err
    assert "--missing drop" in err and 'missing="drop"' not in err
    assert "position" not in err and "Traceback" not in err


def test_without_subject_the_line_counts_the_header_as_line_one(tmp_path, capsys):
    path = _write(tmp_path, "m.csv", "a,b\n1,2\n\n2,\n3,5\n4,4\n")  # a blank line too
    assert main(["analyze", path, "--pre", "a", "--post", "b"]) == 1
    assert "line 4: 'b' is empty" in capsys.readouterr().err


def test_a_long_file_names_the_incomplete_subject(tmp_path, capsys):
    text = "id,visit,y\nA,0,7\nA,1,9\nB,0,6\nB,1,NA\nC,0,5\nC,1,9\nD,0,4\n"
    path = _write(tmp_path, "long.csv", text)
    flags = ["--long", "--subject", "id", "--time", "visit", "--value", "y"]
    assert main(["analyze", path, *flags, "--pre", "0", "--post", "1"]) == 1
    err = capsys.readouterr().err
    assert "id B: visit 1 (line 5): 'y' is 'NA'" in err
    assert "id D: no row with visit 1" in err and "--missing drop" in err
    argv = ["analyze", path, *flags, "--pre", "0", "--post", "1", "--missing", "drop"]
    assert main([*argv, "--tests", "sign", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [row["subject"] for row in report["study"]["dropped_subjects"]] == ["B", "D"]


@pytest.mark.parametrize(
    ("argv", "give"),
    [
        (["analyze", "x.csv", "--pre", "a", "--post", "b", "--level", "95"], "give 0.95"),
        (["power", "--dz", "0.5", "--power", "80"], "give 0.8"),
        (["power", "--dz", "0.5", "--n", "20", "--alpha", "5"], "give 0.05"),
        (["plan", *TABLE_FLAGS, "--power", "90"], "give 0.9"),
    ],
)
def test_percentages_are_usage_errors_saying_what_to_give(argv, give, capsys):
    assert _exit_code(argv) == 2
    err = capsys.readouterr().err
    assert give in err and "percentage" in err and "cannot read" not in err


# --- item 4: missing markers ------------------------------------------------------------


@pytest.mark.parametrize("marker", ["n/a", "#N/A", "NULL", "", "NA", "nan", "<NA>", "None"])
def test_pandas_default_markers_are_missing(tmp_path, capsys, marker):
    path = _write(tmp_path, "m.csv", f"a,b\n1,2\n2,{marker}\n3,5\n4,4\n")
    assert main(["analyze", path, "--pre", "a", "--post", "b", "--tests", "sign"]) == 1
    assert "line 3: 'b' is" in capsys.readouterr().err
    argv = ["analyze", path, "--pre", "a", "--post", "b", "--tests", "sign", "--missing", "drop"]
    assert main(argv) == 0
    assert "1 incomplete pair(s) dropped: line 3" in capsys.readouterr().out


def test_other_markers_are_declared_with_na_values(tmp_path, capsys):
    path = _write(tmp_path, "m.csv", "a,b\n1,2\n2,.\n3,-\n4,4\n5,7\n")
    base = ["analyze", path, "--pre", "a", "--post", "b", "--tests", "sign"]
    assert main(base) == 1
    assert "'.' is not a number (if it marks a missing value, declare it: --na-values '.')" in (
        capsys.readouterr().err
    )
    assert main([*base, "--na-values", ".,-"]) == 1  # declared: now missing, so named
    err = capsys.readouterr().err
    assert "line 3: 'b' is '.'" in err and "line 4: 'b' is '-'" in err
    assert main([*base, "--na-values", ".", "--na-values", "-", "--missing", "drop"]) == 0
    assert "2 incomplete pair(s) dropped: line 3; line 4" in capsys.readouterr().out


def test_default_markers_are_pandas_documented_list():
    pd = pytest.importorskip("pandas")
    from pandas._libs.parsers import STR_NA_VALUES  # the list read_csv documents

    assert set(cli.DEFAULT_NA_VALUES) == set(STR_NA_VALUES)
    assert pd is not None


# --- item 8: --post does not swallow the file --------------------------------------------


def test_plan_with_the_file_after_post(tmp_path, capsys):
    study = ps.datasets.oxytocin_massage()
    rows = ["pre,post"] + [
        f"{int(a)},{int(b)}" for a, b in zip(study.pre, study.post, strict=True)
    ]
    path = _write(tmp_path, "o.csv", "\n".join(rows) + "\n")
    assert main(["plan", "--pre", "pre", "--post", "post", path]) == 0
    after = capsys.readouterr().out
    assert main(["plan", path, "--pre", "pre", "--post", "post"]) == 0
    assert capsys.readouterr().out == after and "original n = 21" in after
    assert main(["plan", "--pre", "pre", path, "--post", "post"]) == 0


# --- item 9: power ------------------------------------------------------------------------


def test_power_solves_whichever_is_left_out(capsys):
    assert main(["power", "--n", "30", "--power", "0.8"]) == 0
    out = capsys.readouterr().out
    expected = ps.power.paired_t(n=30, power=0.8)
    assert expected.solved_for == "dz" and f"dz = {expected.effect:.4g}" in out
    assert main(["power", "--n", "30", "--dz", "0.5"]) == 0
    assert f"power = {ps.power.paired_t(n=30, dz=0.5).power:.4f}" in capsys.readouterr().out
    assert main(["power", "--n", "30", "--power", "0.8", "--test", "wilcoxon"]) == 0
    assert "solved for dz" in capsys.readouterr().out
    assert _exit_code(["power", "--n", "30", "--power", "0.8", "--dz", "0.5"]) == 2
    assert "give two of --n, --dz and --power" in capsys.readouterr().err


def test_power_sizes_tost(capsys):
    assert main(["power", "--test", "tost", "--bounds", "-0.5", "0.5", "--power", "0.8"]) == 0
    expected = ps.power.tost(bounds=(-0.5, 0.5), power=0.8)
    out = capsys.readouterr().out
    assert f"n = {expected.n} (" in out and "equivalence bounds on d_z: [-0.5, 0.5]" in out
    assert _exit_code(["power", "--test", "tost", "--power", "0.8"]) == 2
    assert "--bounds" in capsys.readouterr().err


def test_sign_power_labels_p_positive_not_a_p_value(capsys):
    assert main(["power", "--dz", "1.68", "--n", "10", "--test", "sign"]) == 0
    out = capsys.readouterr().out
    assert "P(change > 0) = 0.9535" in out and ", p = " not in out
    assert "Phi(dz)" in out
    assert main(["power", "--n", "30", "--power", "0.8", "--test", "sign"]) == 0
    out = capsys.readouterr().out
    assert "solved for P(change > 0)" in out and "solved for p\n" not in out
    expected = ps.power.sign_test(n=30, power=0.8)
    assert f"P(change > 0) = {expected.effect:.4f}" in out
    assert main(["power", "--p-positive", "0.7", "--n", "40", "--test", "sign"]) == 0
    expected = ps.power.sign_test(n=40, p=0.7)
    assert f"power = {expected.power:.4f}" in capsys.readouterr().out


# --- item 10: reconstruct ---------------------------------------------------------------


def test_reconstruct_writes_every_dataset(tmp_path, capsys):
    out = tmp_path / "datasets.csv"
    assert main(["reconstruct", *TABLE_FLAGS, "--scale", "6", "10", "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("multisets") == 1 and "all 248" in captured.out
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 248 * 21 and set(rows[0]) == {"dataset", "subject", "pre", "post"}
    first = [r for r in rows if r["dataset"] == "1"]
    summary = ps.PairedStudy([float(r["pre"]) for r in first], [float(r["post"]) for r in first])
    assert f"{summary.describe().pre.mean:.2f}" == T3["pre_mean"]
    assert "written to" in captured.err


def test_reconstruct_writes_parquet_or_says_what_to_install(tmp_path, capsys, monkeypatch):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "d.parquet"
    assert main(["reconstruct", *TABLE_FLAGS, "--scale", "6", "10", "--output", str(out)]) == 0
    frame = pd.read_parquet(out)
    assert len(frame) == 248 * 21 and frame["dataset"].nunique() == 248
    capsys.readouterr()
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert main(["reconstruct", *TABLE_FLAGS, "--scale", "6", "10", "--output", str(out)]) == 1
    assert 'pip install "pairedstudy[frames]"' in capsys.readouterr().err


def test_the_heartbeat_speaks_on_a_non_terminal(capsys):
    import time

    with cli._heartbeat("reconstruct", every=0.05):
        time.sleep(0.3)
    err = capsys.readouterr().err
    assert "reconstruct: still working" in err and 2 <= err.count("\n") <= 7  # throttled


# --- item 11: JSON ----------------------------------------------------------------------


def test_json_carries_order_columns_version_and_dropped_subjects(bp_csv, capsys):
    argv = ["analyze", bp_csv, *BP, "--subject", "patient_id", "--missing", "drop"]
    assert main([*argv, "--format", "json", "--alternative", "less"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["difference"] == "post - pre" and report["pairedstudy_version"] == ps.__version__
    assert report["columns"] == {
        "pre": "SBP baseline",
        "post": "SBP week 12",
        "subject": "patient_id",
    }
    assert report["study"]["dropped_subjects"] == [{"subject": "P018", "line": 19}]
    assert report["tests"][0]["ci"]["low"] == "-Infinity"  # explicit, not null


# --- item 12 ------------------------------------------------------------------------------


def test_demo_warning_is_on_stderr(capsys):
    assert main(["demo"]) == 0
    captured = capsys.readouterr()
    assert "warning:" not in captured.out and "warning: every non-zero change" in captured.err


def _all_parsers():
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return [parser, *subparsers.choices.values()], subparsers


def test_every_option_has_a_capitalised_help():
    parsers, subparsers = _all_parsers()
    for parser in parsers:
        for action in parser._actions:
            if action.dest in {"help", "version", "command"}:
                continue
            assert action.help, (parser.prog, action.dest)
            text = action.help.split(") ", 1)[1] if action.help.startswith("(") else action.help
            assert text[0].isupper(), (parser.prog, action.dest, action.help)
    for choice in subparsers._choices_actions:
        assert choice.help[0].isupper(), choice.dest


def test_help_examples_are_the_right_figures(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--post 9.00 1.183" in out and "--pre 7.05 0.740" in out


def test_tests_table_survives_a_plugin_row_and_shows_no_markup(capsys, monkeypatch):
    from pairedstudy import registry

    class Point:
        name, value = "a_rather_long_plugin_name", "fake:yuend"

        def load(self):
            def yuend(study, alternative, mu, confidence_level):
                """Yuen's test, like ``yuend`` in :func:`WRS2.yuend`."""

            return yuend

    monkeypatch.setattr(registry, "_entry_points", lambda: [Point()])
    registry.refresh_plugins()
    try:
        assert main(["tests"]) == 0
        lines = capsys.readouterr().out.splitlines()
    finally:
        monkeypatch.undo()
        registry.refresh_plugins()
    assert "``" not in "\n".join(lines) and ":func:" not in "\n".join(lines)
    header = lines[0]
    start = header.index("description")
    plugin = next(line for line in lines if line.startswith("a_rather_long_plugin_name"))
    for line in lines[1:]:
        assert line[start - 2 : start] == "  " and line[start] != " "  # columns line up
    assert plugin[start:].startswith("Yuen's test, like yuend in WRS2.yuend")


@pytest.mark.parametrize(
    ("call", "guess"),
    [
        (lambda s: s.test("T"), "did you mean 't'"),
        (lambda s: s.test("ttest"), "did you mean 't'"),
        (lambda s: s.test("Wilcoxon"), "did you mean 'wilcoxon'"),
        (lambda s: s.effect_size("cohen"), "did you mean 'dz'"),
        (lambda s: s.effect_size("DZ"), "did you mean 'dz'"),
    ],
)
def test_did_you_mean(call, guess):
    with pytest.raises(PairedStudyError, match=guess):
        call(ps.datasets.oxytocin_massage())


def test_large_n_prints_plain_numbers():
    import numpy as np

    rng = np.random.default_rng(0)
    pre = rng.normal(size=200_001)
    text = str(ps.PairedStudy(pre, pre + rng.normal(0.01, 1, pre.size)).test("t"))
    assert "df = 200000," in text and "e+" not in text


def test_a_dash_reads_standard_input():
    completed = subprocess.run(
        [sys.executable, "-m", "pairedstudy", "analyze", "-", "--pre", "a", "--post", "b"],
        input=SMALL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Paired study '<stdin>': n = 5 pairs" in completed.stdout


def test_every_readme_command_line_parses():
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## On the command line") : readme.index("## In Python")]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    commands = [re.sub(r"\s+#.*$", "", line) for line in block.replace("\\\n", " ").splitlines()]
    parser = cli.build_parser()
    parsed = 0
    for command in commands:
        words = shlex.split(command.split(" < ")[0])
        words = [w for w in words if not (w.startswith("[") or w.endswith("]"))]
        assert words[0] == "pairedstudy"
        parser.parse_args(words[1:])  # exits (fails the test) on an unknown flag
        parsed += 1
    assert parsed >= 10


def test_format_number_changes_only_what_was_in_exponent_form():
    from hypothesis import given
    from hypothesis import strategies as st

    from pairedstudy.results._base import format_number

    @given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20))
    def check(value):
        before = f"{value:.4g}"
        text = format_number(value)
        if "e+" not in before or abs(value) >= 1e15:
            assert text == before  # every everyday number prints as it did
        else:
            assert "e" not in text and abs(float(text) - value) <= 0.5
            assert len(text.lstrip("-")) >= 5  # 10000 and up, in full

    check()


def test_a_repeated_subject_names_its_lines_and_the_long_flag(tmp_path, capsys):
    path = _write(tmp_path, "d.csv", "id,a,b\nP1,1,2\nP2,2,4\nP1,3,5\n")
    assert main(["analyze", path, "--pre", "a", "--post", "b", "--subject", "id"]) == 1
    err = capsys.readouterr().err
    assert "--subject id must name each subject once" in err
    assert "P1 is on line 2 and line 4" in err and "--long" in err


def test_a_parquet_file_names_the_row_and_subject(tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    path = tmp_path / "d.parquet"
    frame = pd.DataFrame({"id": ["A", "B", "C", "D"], "pre": [1.0, 2, 3, 4]})
    frame["post"] = [2.0, None, 5, 4]
    frame.to_parquet(path)
    argv = ["analyze", str(path), "--pre", "pre", "--post", "post", "--subject", "id"]
    assert main(argv) == 1
    assert "row 2 (id B): 'post' is missing" in capsys.readouterr().err
    assert main([*argv, "--missing", "drop", "--format", "json", "--tests", "sign"]) == 0
    dropped = json.loads(capsys.readouterr().out)["study"]["dropped_subjects"]
    assert dropped == [{"subject": "B", "line": None}]
