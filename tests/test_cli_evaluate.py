"""`pairedstudy evaluate`: each study a data file or its summary flags (issue 18)."""

import json

import numpy as np
import pytest
from _data import TABLE3_FIGURES as T3

import pairedstudy as ps
from pairedstudy.cli import main

# Table 3 as typed on the command line (the figures as printed, as text)
ORIGINAL_FLAGS = [
    *("--original-n", str(T3["n"])),
    *("--original-pre", T3["pre_mean"], T3["pre_sd"]),
    *("--original-post", T3["post_mean"], T3["post_sd"]),
    *("--original-diff", T3["diff_mean"], T3["diff_sd"]),
    *("--original-diff-order", T3["diff_order"]),
]


@pytest.fixture
def replication_csv(tmp_path):
    rng = np.random.default_rng(11)
    pre = rng.integers(5, 9, 40)
    post = np.clip(pre + rng.integers(-1, 3, 40), 5, 10)
    path = tmp_path / "replication.csv"
    rows = ["id,before,after"] + [
        f"{i},{a},{b}" for i, (a, b) in enumerate(zip(pre, post, strict=True))
    ]
    path.write_text("\n".join(rows) + "\n")
    return path, ps.PairedStudy(pre.astype(float), post.astype(float))


def test_summary_original_and_file_replication(replication_csv, capsys):
    path, study = replication_csv
    argv = ["evaluate", *ORIGINAL_FLAGS, "--replication", str(path)]
    argv += ["--replication-pre", "before", "--replication-post", "after", "--format", "json"]
    assert main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = ps.replication.evaluate(ps.datasets.oxytocin_table3(), study)
    assert printed["zo"] == pytest.approx(expected.zo, rel=1e-12)
    assert printed["p_sceptical"] == pytest.approx(expected.p_sceptical, rel=1e-12)
    assert [r["criterion"] for r in printed["rows"]] == list(expected.criteria)
    assert printed["source_replication"] == "raw data"


def test_both_from_flags_prints_the_table(capsys):
    argv = ["evaluate", *ORIGINAL_FLAGS]
    argv += ["--replication-n", "40", "--replication-pre", "7.1", "0.8"]
    argv += ["--replication-post", "8.2", "1.2", "--replication-diff", "1.1", "1.3"]
    assert main([*argv, "--type", "nominal", "--level", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "sceptical p-value (nominal)" in out and "one-sided level 0.05" in out
    assert "small telescopes" in out and "sceptical Bayes factor" in out


def test_default_columns_pre_and_post(tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("pre,post\n7,9\n6,8\n8,8\n7,10\n6,7\n")
    assert main(["evaluate", *ORIGINAL_FLAGS, "--replication", str(path)]) == 0
    assert "replication: n = 5" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "give --replication FILE"),
        (["--replication-n", "30", "--replication-pre", "7", "1"], "give --replication FILE"),
        (["--replication", "r.csv", "--replication-pre", "7", "1"], "each name one column"),
    ],
)
def test_usage_errors(extra, message, capsys):
    assert main(["evaluate", *ORIGINAL_FLAGS, *extra]) == 2
    assert message in capsys.readouterr().err


def test_data_and_value_errors(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert main(["evaluate", *ORIGINAL_FLAGS, "--replication", str(missing)]) == 1
    flat = tmp_path / "flat.csv"
    flat.write_text("pre,post\n1,2\n2,3\n3,4\n")
    assert main(["evaluate", *ORIGINAL_FLAGS, "--replication", str(flat)]) == 1
    assert "SD 0" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text("pre,post\n7,9\n6,8\n8,8\n7,10\n")
    assert main(["evaluate", *ORIGINAL_FLAGS, "--replication", str(good), "--level", "0.7"]) == 2
    assert "level must be below 0.5" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", *ORIGINAL_FLAGS, "--replication", str(good), "--type", "liberal"])
    assert exc.value.code == 2
