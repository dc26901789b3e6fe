"""The command line: every subcommand, exit codes, errors on stderr without tracebacks."""

import json

import numpy as np
import pytest
from _data import TABLE3_FIGURES as T3

import pairedstudy as ps
from pairedstudy.cli import main

# Table 3 as a user types it on the command line (the figures as printed, as text)
TABLE_FLAGS = [
    *("--n", str(T3["n"])),
    *("--pre", T3["pre_mean"], T3["pre_sd"]),
    *("--post", T3["post_mean"], T3["post_sd"]),
    *("--diff", T3["diff_mean"], T3["diff_sd"]),
    *("--diff-order", T3["diff_order"]),
    *("--pre-range", *(str(v) for v in T3["pre_range"])),
    *("--post-range", *(str(v) for v in T3["post_range"])),
]


@pytest.fixture
def wide_csv(tmp_path):
    study = ps.datasets.oxytocin_massage()
    path = tmp_path / "oxytocin.csv"
    rows = ["respondent,pre,post"] + [
        f"{s},{int(a)},{int(b)}"
        for s, a, b in zip(study.subjects, study.pre, study.post, strict=True)
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture
def long_tsv(tmp_path):
    study = ps.datasets.oxytocin_massage()
    path = tmp_path / "oxytocin.tsv"
    rows = ["id\ttime\tscore"]
    for s, a, b in zip(study.subjects, study.pre, study.post, strict=True):
        rows += [f"{s}\tbefore\t{int(a)}", f"{s}\tafter\t{int(b)}"]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_demo(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert f"{T3['pre_mean']} / {T3['pre_sd']}" in out
    assert f"{T3['diff_mean']} / {T3['diff_sd']}" in out and "Sign test" in out


def test_analyze_wide_json(wide_csv, capsys):
    assert (
        main(
            [
                "analyze",
                str(wide_csv),
                "--pre",
                "pre",
                "--post",
                "post",
                "--subject",
                "respondent",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["study"]["n"] == 21
    assert data["tests"][0]["statistic"] == pytest.approx(7.7071, abs=1e-4)
    assert round(data["effect_size"]["value"], 2) == 1.68


def test_analyze_long_equals_wide(wide_csv, long_tsv, capsys):
    main(["analyze", str(wide_csv), "--pre", "pre", "--post", "post", "--format", "json"])
    wide = json.loads(capsys.readouterr().out)
    main(
        [
            "analyze",
            str(long_tsv),
            "--long",
            "--subject",
            "id",
            "--time",
            "time",
            "--value",
            "score",
            "--pre",
            "before",
            "--post",
            "after",
            "--format",
            "json",
        ]
    )
    long = json.loads(capsys.readouterr().out)
    for a, b in zip(wide["tests"], long["tests"], strict=True):
        a.pop("study_name"), b.pop("study_name")  # the file names differ
        assert a == b


def test_analyze_markdown_and_text(wide_csv, capsys):
    assert (
        main(
            [
                "analyze",
                str(wide_csv),
                "--pre",
                "pre",
                "--post",
                "post",
                "--format",
                "markdown",
                "--tests",
                "t",
            ]
        )
        == 0
    )
    assert "t(20) = 7.71, p < .001" in capsys.readouterr().out
    assert main(["analyze", str(wide_csv), "--pre", "pre", "--post", "post"]) == 0
    assert "APA:" in capsys.readouterr().out


def test_tests_power_check_reconstruct_plan(wide_csv, capsys):
    assert main(["tests"]) == 0
    assert "wilcoxon" in capsys.readouterr().out
    assert main(["power", "--dz", "1.68", "--power", "0.8"]) == 0
    assert "n = 6" in capsys.readouterr().out
    assert main(["power", "--dz", "0.5", "--n", "30", "--test", "sign"]) == 0
    assert main(["check", *TABLE_FLAGS]) == 0
    assert "consistent" in capsys.readouterr().out
    assert main(["reconstruct", *TABLE_FLAGS, "--scale", "6", "10"]) == 0
    assert "all 248" in capsys.readouterr().out
    assert main(["plan", str(wide_csv), "--pre", "pre", "--post", "post"]) == 0
    assert "small telescopes" in capsys.readouterr().out
    assert main(["plan", *TABLE_FLAGS]) == 0


def test_an_inconsistent_table_exits_one(capsys):
    flags = ["--n", "25", "--pre", "4.74", "1.0", "--post", "5.00", "1.0"]
    assert main(["check", *flags]) == 1
    assert "INCONSISTENT" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["analyze", "missing.csv", "--pre", "a", "--post", "b"], 1, "cannot read"),
        (["power", "--dz", "1"], 2, "give two of --n, --dz and --power"),
        (["plan"], 2, "plan needs --pre and --post"),
        (["power", "--dz", "0", "--power", "0.8"], 2, "no n up to"),  # flags only: usage
    ],
)
def test_errors_go_to_stderr_with_exit_codes(argv, code, message, capsys):
    assert main(argv) == code
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


def test_usage_errors_exit_two_and_every_subcommand_has_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    for command in ("demo", "analyze", "tests", "power", "check", "reconstruct", "plan"):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        assert "usage:" in capsys.readouterr().out


def test_missing_column_names_the_columns(wide_csv, capsys):
    assert main(["analyze", str(wide_csv), "--pre", "pre", "--post", "postx"]) == 1
    assert "its columns are: 'respondent', 'pre', 'post'" in capsys.readouterr().err


def test_the_console_script_runs_main_with_its_exit_codes():
    """The installed ``pairedstudy`` script is wired to :func:`main` (exit codes included).

    Every subcommand runs through ``main`` in process above; this checks the entry point
    itself: the main job, a usage error (2) and a data error (1), each in a fresh process.
    """
    import shutil
    import subprocess
    from subprocess import PIPE

    exe = shutil.which("pairedstudy")
    if exe is None:
        pytest.skip("the console script is not installed in this environment")
    demo = ["demo"]
    bad = ["power", "--dz", "1"]
    data_error = ["analyze", "nope.csv", "--pre", "a", "--post", "b"]
    # all started at once (they run side by side on a machine with more than one core)
    running = [
        (argv, subprocess.Popen([exe, *argv], stdout=PIPE, stderr=PIPE, text=True))
        for argv in (demo, bad, data_error)
    ]
    done = {tuple(argv): (process, *process.communicate()) for argv, process in running}
    process, stdout, stderr = done[tuple(demo)]
    assert process.returncode == 0, stderr
    assert "Wilcoxon" in stdout and "oxytocin" in stdout.lower()
    process, _, stderr = done[tuple(bad)]
    assert process.returncode == 2 and "Traceback" not in stderr and "error" in stderr
    process, _, stderr = done[tuple(data_error)]
    assert process.returncode == 1 and "cannot read" in stderr


def test_parquet_input(tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    study = ps.datasets.oxytocin_massage()
    path = tmp_path / "d.parquet"
    pd.DataFrame({"pre": study.pre, "post": study.post}).to_parquet(path)
    assert main(["analyze", str(path), "--pre", "pre", "--post", "post", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["study"]["n"] == 21


def test_demo_gives_a_sample_size(capsys):
    main(["demo"])
    assert "6 pairs" in capsys.readouterr().out


# --- review findings -------------------------------------------------------------------


def _exit_code(argv):
    """The exit status of the command line (argparse's own usage errors exit early)."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.mark.parametrize(
    ("name", "text", "encoding", "code", "message"),
    [
        (
            "dup.csv",
            "before,after,before\n7,9,1\n6,8,2\n5,9,3\n",
            "utf-8",
            1,
            "repeated column names: before",
        ),
        ("extra.csv", "before,after\n7,9,3\n6,8\n", "utf-8", 1, "line 2 has 3 fields"),
        ("latin.csv", "caf\u00e9,after\n7,9\n6,8\n", "latin-1", 1, "is not UTF-8"),
        (
            "thousands.csv",
            'before,after\n"1,000","1,200"\n"900","950"\n',
            "utf-8",
            1,
            "line 2, column 'before': '1,000' is not a number",
        ),
        ("head.csv", "before,after\n", "utf-8", 1, "no data rows"),
    ],
)
def test_awkward_files_are_clear_errors(tmp_path, capsys, name, text, encoding, code, message):
    path = _write(tmp_path, name, text, encoding)
    assert main(["analyze", path, "--pre", "before", "--post", "after"]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bom_spaces_semicolons_and_decimal_commas(tmp_path, capsys):
    path = _write(tmp_path, "eu.csv", "\ufeff before ; after \n7,5;9\n6;8,5\n5;9\n", "utf-8")
    assert (
        main(
            [
                "analyze",
                path,
                "--pre",
                "before",
                "--post",
                "after",
                "--format",
                "json",
                "--tests",
                "t",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["describe"]["pre"]["mean"] == pytest.approx((7.5 + 6 + 5) / 3)


def test_subject_labels_stay_text_and_time_codes_match(tmp_path, capsys):
    path = _write(tmp_path, "long.csv", "id,visit,y\n01,0,7\n01,1,9\n1,0,6\n1,1,8\n2,0,5\n2,1,9\n")
    assert (
        main(
            [
                "analyze",
                path,
                "--long",
                "--subject",
                "id",
                "--time",
                "visit",
                "--value",
                "y",
                "--pre",
                "0",
                "--post",
                "1",
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["study"]["n"] == 3


def test_constant_change_still_reports_the_tests(tmp_path, capsys):
    path = _write(tmp_path, "c.csv", "a,b\n1,2\n2,3\n3,4\n4,5\n")
    assert main(["analyze", path, "--pre", "a", "--post", "b", "--tests", "sign"]) == 0
    captured = capsys.readouterr()
    assert "Sign test" in captured.out and "d_z is not reported" in captured.err


def test_dropped_pairs_are_reported_in_text(tmp_path, capsys):
    path = _write(tmp_path, "m.csv", "a,b\n1,2\n2,\n3,5\n4,4\n")
    assert (
        main(
            ["analyze", path, "--pre", "a", "--post", "b", "--missing", "drop", "--tests", "sign"]
        )
        == 0
    )
    assert "1 incomplete pair(s) dropped" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["--tests", "t,foo"],
        ["--tests", ","],
        ["--plot", "/nonexistent/dir/out.png"],
        ["--plot", "out.xyz"],
        ["--time", "visit"],
    ],
)
def test_bad_analyze_flags_are_usage_errors(wide_csv, capsys, argv):
    assert main(["analyze", str(wide_csv), "--pre", "pre", "--post", "post", *argv]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_plan_and_check_flag_errors():
    arms = ["--pre", T3["pre_mean"], T3["pre_sd"], "--post", T3["post_mean"], T3["post_sd"]]
    assert main(["plan", *arms]) == 2
    assert main(["plan", *TABLE_FLAGS]) == 0
    with pytest.raises(SystemExit) as exc:
        main(["check", *TABLE_FLAGS, "--rounding", "bogus"])
    assert exc.value.code == 2


def test_reconstruct_explains_an_empty_result(capsys):
    flags = [f for f in TABLE_FLAGS]
    i = flags.index("--diff-order")
    del flags[i : i + 2]  # transcribe -1.952 without saying it is pre - post
    assert main(["reconstruct", *flags, "--scale", "6", "10"]) == 0
    assert "no dataset fits" in capsys.readouterr().out


def test_report_formatting_edges():
    from pairedstudy.reports import format_p

    assert format_p(0.9996) == "p > .999" and format_p(float("nan")) == "p = NA"
    big = ps.PairedStudy(np.zeros(3000), np.arange(1, 3001) / 100.0)
    assert "p < 1e-300" in str(big.test("t"))


def test_analyze_alternative_mu_level_and_test_options(wide_csv, capsys):
    args = ["analyze", str(wide_csv), "--pre", "pre", "--post", "post", "--format", "json"]
    assert (
        main(
            [
                *args,
                "--tests",
                "t,tost,yuen",
                "--alternative",
                "greater",
                "--mu",
                "1",
                "--level",
                "0.9",
                "--option",
                "low=-0.5",
                "--option",
                "trim=0.1",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    t, tost, yuen = report["tests"]
    study = ps.datasets.oxytocin_massage()
    expected = study.test("t", alternative="greater", mu=1, confidence_level=0.9)
    assert t["pvalue"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert t["ci"]["level"] == 0.9 and t["ci"]["high"] == "Infinity"  # one-sided limit
    expected_tost = study.test("tost", alternative="greater", mu=1, confidence_level=0.9, low=-0.5)
    assert tost["pvalue"] == pytest.approx(expected_tost.pvalue)
    assert tost["test_type"] == "non-inferiority" and tost["p_lower"] == tost["pvalue"]
    assert tost["equivalent"] is expected_tost.equivalent and tost["high"] is None
    assert yuen["details"]["trim"] == 0.1
    assert report["effect_size"]["ci"]["level"] == 0.9
    assert report["normality"]["n"] == 21


def test_analyze_option_nobody_takes_is_a_usage_error(wide_csv, capsys):
    args = ["analyze", str(wide_csv), "--pre", "pre", "--post", "post", "--tests", "t"]
    assert main([*args, "--option", "trim=0.1"]) == 2
    assert "none of the tests" in capsys.readouterr().err
    assert main([*args, "--option", "trim"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_reconstruct_sample_settings_and_diagnostics(capsys):
    flags = [*TABLE_FLAGS, "--scale", "6", "10", "--limit", "100", "--sample", "128"]
    assert main(["reconstruct", *flags, "--burn-in", "100", "--thin", "10", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    # counted (248 datasets), then sampled exactly: no chains, no R-hat
    assert "a sample of 128" in out and "uniform over the 248 consistent datasets" in out
    assert main(["reconstruct", *flags, "--thin", "0"]) == 2  # a flag's value: usage
    assert "thin must be a whole number" in capsys.readouterr().err


def test_analyze_refuses_shapiro_as_a_test(wide_csv, capsys):
    args = ["analyze", str(wide_csv), "--pre", "pre", "--post", "post"]
    assert main([*args, "--tests", "t,shapiro"]) == 2
    err = capsys.readouterr().err
    assert "shapiro" in err and "diagnostic" in err and "normality" in err


def test_analyze_bayes_and_tost_in_every_format(wide_csv, capsys):
    args = ["analyze", str(wide_csv), "--pre", "pre", "--post", "post", "--tests", "bayes,tost"]
    options = ["--option", "low=-0.5", "--option", "high=0.5", "--option", "r=wide"]
    assert main([*args, *options]) == 0
    text = capsys.readouterr().out
    assert "BF10 = " in text and "prior delta ~ Cauchy(0, 1)" in text
    assert "verdict: equivalence not shown" in text and "one-sided tests" in text
    assert "Normality diagnostic" in text
    assert main([*args, *options, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "BF10 = " in markdown and "equivalence bounds [-0.5, 0.5]" in markdown
    assert main([*args, *options, "--format", "json"]) == 0
    bayes, tost = json.loads(capsys.readouterr().out)["tests"]
    study = ps.datasets.oxytocin_massage()
    assert bayes["bf10"] == pytest.approx(study.test("bayes", r="wide").bf10, rel=1e-12)
    assert bayes["prior_label"] == "wide" and set(bayes["details"]) == {"sd_change", "se"}
    assert tost["test_type"] == "equivalence" and tost["equivalent"] is False


# --- issue 15: hostile files and flags ----------------------------------------------------


def test_plot_into_a_folder_is_an_error_line_after_the_results(wide_csv, tmp_path, capsys):
    folder = tmp_path / "plot.png"
    folder.mkdir()
    argv = ["analyze", str(wide_csv), "--pre", "pre", "--post", "post", "--plot", str(folder)]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "Paired t-test" in captured.out or "t(20)" in captured.out  # results kept
    assert "pairedstudy: error: cannot write the plot to" in captured.err
    assert "Traceback" not in captured.err


def test_plot_without_permission_is_an_error_line(wide_csv, tmp_path, capsys, monkeypatch):
    from matplotlib.figure import Figure

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Figure, "savefig", refuse)
    path = str(tmp_path / "out.png")
    assert main(["analyze", str(wide_csv), "--pre", "pre", "--post", "post", "--plot", path]) == 1
    captured = capsys.readouterr()
    assert "APA:" in captured.out
    assert "cannot write the plot" in captured.err and "Permission denied" in captured.err


def test_a_huge_field_is_a_clean_error_naming_the_line(tmp_path, capsys):
    path = _write(tmp_path, "huge.csv", "pre,post\n1,2\n" + "3" * 200_000 + ",4\n5,7\n")
    assert main(["analyze", path, "--pre", "pre", "--post", "post"]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "field larger than field limit" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1_536", "line 3, column 'pre': '1_536' is not a number (digit separators"),
        ("9007199254740993", "line 3, column 'pre': the integer 9007199254740993 is too large"),
        ("1e400", "line 3, column 'pre': '1e400' is too large for a 64-bit float"),
    ],
)
def test_cells_python_would_alter_are_refused(tmp_path, capsys, cell, message):
    path = _write(tmp_path, "cells.csv", f"pre,post\n1,2\n{cell},4\n5,7\n")
    assert main(["analyze", path, "--pre", "pre", "--post", "post"]) == 1
    err = capsys.readouterr().err
    assert message in err and "missing or non-finite" not in err


def test_only_the_needed_columns_are_kept_as_float_arrays(tmp_path):
    from pairedstudy import cli

    path = _write(tmp_path, "w.csv", "id,pre,post,note\na,1,2,x\nb,NA,4,y\nc,5,7,z\n")
    table = cli._read_csv(path, ["pre", "post"], ["id"], {"--pre": "pre"})
    assert set(table) == {"pre", "post", "id"}
    assert table["pre"].dtype == np.float64 and np.isnan(table["pre"][1])
    assert table["post"].tolist() == [2.0, 4.0, 7.0] and table["id"] == ["a", "b", "c"]


def test_a_failing_plugin_test_is_a_clean_error(wide_csv, capsys, monkeypatch):
    from pairedstudy import registry

    class Point:
        name, value = "explodes", "fake:explodes"

        def load(self):
            def explodes(study, alternative, mu, confidence_level):
                raise RuntimeError("boom")

            return explodes

    monkeypatch.setattr(registry, "_entry_points", lambda: [Point()])
    registry.refresh_plugins()
    try:
        argv = ["analyze", str(wide_csv), "--pre", "pre", "--post", "post", "--tests", "explodes"]
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "pairedstudy: error:" in err and "boom" in err and "Traceback" not in err
    finally:
        monkeypatch.undo()
        registry.refresh_plugins()


def test_plugin_load_warning_is_one_line(capsys, monkeypatch):
    import warnings

    from pairedstudy import registry

    class Broken:
        name, value = "broken", "nowhere:thing"

        def load(self):
            raise ImportError("no module named nowhere")

    monkeypatch.setattr(registry, "_entry_points", lambda: [Broken()])
    registry.refresh_plugins()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            assert main(["tests"]) == 0
        err = capsys.readouterr().err
        assert "warning: " in err and "nowhere" in err
        assert "PluginLoadWarning:" not in err and "warnings.warn" not in err
    finally:
        monkeypatch.undo()
        registry.refresh_plugins()


def test_a_constant_change_reports_the_tests_that_are_defined(tmp_path, capsys):
    path = _write(tmp_path, "const.csv", "pre,post\n1,3\n2,4\n5,7\n6,8\n")
    assert main(["analyze", path, "--pre", "pre", "--post", "post"]) == 0
    captured = capsys.readouterr()
    assert "Wilcoxon" in captured.out and "Sign test" in captured.out
    assert "note: the 't' test is not reported" in captured.err
    assert "Traceback" not in captured.err
    assert main(["analyze", path, "--pre", "pre", "--post", "post", "--tests", "t"]) == 1
    assert "none of the requested tests is defined" in capsys.readouterr().err


@pytest.mark.parametrize("flags", [["--level", "1.5"], ["--mu", "nan"], ["--level", "0"]])
def test_bad_flag_values_are_usage_errors_before_reading(tmp_path, capsys, flags):
    path = str(tmp_path / "absent.csv")  # never read: the flag is refused first
    assert _exit_code(["analyze", path, "--pre", "pre", "--post", "post", *flags]) == 2
    err = capsys.readouterr().err
    assert flags[0] in err and "cannot read" not in err


def test_help_documents_the_exit_status(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit status:" in out and "a usage error" in out and "a data error" in out
