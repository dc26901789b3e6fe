"""Incomplete pairs under missing="drop": the observed halves are kept, and said."""

import copy
import json
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest

import pairedstudy as ps
from pairedstudy.results._lazy import is_pending

NAN = float("nan")
PRE = [7, 6, 8, 7, 5, NAN, 4, NAN]
POST = [9, 8, NAN, 10, 6, 7, np.inf, NAN]


def test_the_halves_are_kept_with_their_positions():
    study = ps.PairedStudy(PRE, POST, missing="drop")
    assert study.n == 4 and study.dropped == 4
    assert study.dropped_subjects == (2, 5, 6, 7)
    # a baseline without its follow-up; a pair with an infinite value is dropped whole
    assert study.pre_only.tolist() == [8.0] and study.pre_only_subjects == (2,)
    assert study.post_only.tolist() == [7.0] and study.post_only_subjects == (5,)
    assert study.has_unpaired
    for array in (study.pre_only, study.post_only):
        assert array.dtype == np.float64 and not array.flags.writeable
        with pytest.raises(ValueError):
            array.flags.writeable = True
    assert repr(study) == "PairedStudy(n=4, dropped=4, pre_only=1, post_only=1)"


def test_the_halves_carry_the_subject_labels():
    study = ps.PairedStudy(PRE, POST, subjects=list("abcdefgh"), missing="drop")
    assert study.pre_only_subjects == ("c",)
    assert study.post_only_subjects == ("f",)
    assert study.subjects == ("a", "b", "d", "e")


def test_complete_data_has_no_halves():
    study = ps.PairedStudy([1, 2, 3], [2, 4, 3])
    assert study.pre_only.size == 0 and study.post_only.size == 0
    assert study.pre_only_subjects == () and not study.has_unpaired
    assert study.describe().pre_only is None
    for array in (study.pre_only, study.post_only):  # shared, so it must stay read-only
        with pytest.raises(ValueError):
            array.flags.writeable = True


def test_missing_raise_still_refuses_incomplete_pairs():
    with pytest.raises(ps.InputValueError, match='missing="drop"'):
        ps.PairedStudy(PRE, POST)


def test_equality_pickle_and_copies_keep_the_halves_read_only():
    study = ps.PairedStudy(PRE, POST, subjects=list("abcdefgh"), missing="drop")
    other = ps.PairedStudy(
        [*PRE[:2], 9, *PRE[3:]], POST, subjects=list("abcdefgh"), missing="drop"
    )
    assert study != other  # only a kept half differs
    for clone in (pickle.loads(pickle.dumps(study)), copy.copy(study), copy.deepcopy(study)):
        assert clone == study
        assert not clone.pre_only.flags.writeable and not clone.post_only.flags.writeable


def test_a_study_pickled_before_the_halves_existed_has_none():
    study = ps.PairedStudy([1, 2, 3], [2, 4, 3])
    state = study.__getstate__()
    for key in ("pre_only", "post_only", "pre_only_subjects", "post_only_subjects"):
        del state[key]
    old = ps.PairedStudy.__new__(ps.PairedStudy)
    old.__setstate__(state)
    assert old == study and not old.has_unpaired


def test_frames_keep_the_halves():
    wide = {"id": [1, 2, 3, 4], "pre": [7, 6, None, 5], "post": [9, 8, 8, None]}
    study = ps.PairedStudy.from_frame(wide, subject="id", missing="drop")
    assert study.post_only_subjects == (3,) and study.pre_only_subjects == (4,)
    long = {
        "id": [1, 1, 2, 2, 3, 4],
        "when": ["t0", "t1", "t0", "t1", "t1", "t0"],
        "y": [7, 9, 6, 8, 8, 5],
    }
    from_long = ps.PairedStudy.from_long(
        long, subject="id", time="when", value="y", pre="t0", post="t1", missing="drop"
    )
    assert from_long == study


def test_describe_reports_the_halves():
    d = ps.PairedStudy(PRE, POST, missing="drop").describe()
    assert d.pre_only.n == 1 and d.pre_only.mean == 8.0
    assert d.post_only.n == 1 and np.isnan(d.post_only.sd)
    text = str(d)
    assert "plus 1 baseline-only and 1 follow-up-only" in text
    assert "pre only (no post)" in text and "post only (no pre)" in text
    assert json.loads(d.to_json())["post_only"]["sd"] is None  # strict JSON: no NaN


@pytest.mark.parametrize("name", ["t", "wilcoxon", "sign", "bayes"])
def test_tests_of_complete_pairs_say_what_they_left_out(name):
    study = ps.PairedStudy(PRE, POST, missing="drop")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.SmallSampleWarning)
        result = study.test(name)
        plain = ps.PairedStudy(study.pre, study.post).test(name)
    assert result.notes[-1] == (
        "uses the 4 complete pairs only: left out 1 baseline-only and 1 follow-up-only "
        "observation(s) of incomplete pairs"
    )
    assert result.notes[:-1] == plain.notes
    assert result.pvalue == plain.pvalue and result.statistic == plain.statistic


def test_the_note_leaves_a_lazy_interval_uncomputed():
    study = ps.PairedStudy(np.arange(40.0), np.arange(40.0) ** 1.1, missing="drop")
    study = ps.PairedStudy([*study.pre, 3.0], [*study.post, NAN], missing="drop")
    result = study.test("wilcoxon")
    assert is_pending(result, "ci")
    assert result.ci.low <= result.estimate <= result.ci.high


def test_a_test_using_the_halves_gets_no_note():
    @ps.register_test("halves-demo", uses_unpaired=True, replace=True)
    def halves(study, *, alternative, mu, confidence_level):
        """Counts the halves (a demonstration)."""
        result = ps.get_test("t")(
            ps.PairedStudy(study.pre, study.post),
            alternative=alternative,
            mu=mu,
            confidence_level=confidence_level,
        )
        return result

    try:
        assert ps.get_test("halves-demo").uses_unpaired
        result = ps.PairedStudy(PRE, POST, missing="drop").test("halves-demo")
        assert not any("left out" in note for note in result.notes)
    finally:
        ps.registry._TESTS.pop("halves-demo", None)


def test_uses_unpaired_must_be_a_bool():
    with pytest.raises(ps.InputTypeError, match="uses_unpaired must be True or False; got"):
        ps.register_test("x-demo", uses_unpaired="yes")


def test_the_command_line_reports_the_halves(tmp_path, capsys):
    from pairedstudy.cli import main

    path = tmp_path / "halves.csv"
    path.write_text("id,pre,post\n1,7,9\n2,6,8\n3,8,NA\n4,7,10\n5,5,6\n6,NA,7\n")
    command = ["analyze", str(path), "--pre", "pre", "--post", "post", "--subject", "id"]
    command += ["--missing", "drop", "--tests", "t"]
    assert main(command) == 0
    text = capsys.readouterr().out
    assert "n = 4 pairs, plus 1 baseline-only and 1 follow-up-only" in text
    assert "(1 baseline-only, 1 follow-up-only)" in text
    assert main([*command, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["study"]["pre_only"] == 1 and report["study"]["post_only"] == 1
    assert report["describe"]["pre_only"]["mean"] == 8.0


def test_the_command_line_runs_the_tests_that_use_the_halves(tmp_path, capsys):
    from pairedstudy.cli import main

    study = ps.datasets.massage_dropouts()
    path = tmp_path / "dropouts.csv"
    path.write_text((Path(ps.datasets.__file__).parent / "data/massage_dropouts.csv").read_text())
    command = ["analyze", str(path), "--pre", "pre", "--post", "post", "--subject", "mother"]
    command += ["--missing", "drop", "--tests", "t,partial-t,stuart-maxwell", "--format", "json"]
    assert main(command) == 0
    paired, partial, table = json.loads(capsys.readouterr().out)["tests"]
    assert table["statistic"] == study.test("stuart-maxwell").statistic
    assert any("left out 7 baseline-only" in note for note in table["notes"])
    assert paired["statistic"] == study.test("t").statistic
    assert partial["statistic"] == study.test("partial-t").statistic
    assert partial["n"] == 20 and "left out" not in " ".join(partial["notes"])


def test_test_batch_gives_the_halves_to_the_tests_that_use_them():
    study = ps.datasets.massage_dropouts()
    pre = np.r_[study.pre, study.pre_only, [NAN] * 3]
    post = np.r_[study.post, [NAN] * 7, study.post_only]
    rows = ps.test_batch(
        "partial-t", np.stack([pre, pre + 1]), np.stack([post, post]), missing="drop"
    )
    for row, shift in enumerate((0, 1)):
        single = ps.PairedStudy(pre + shift, post, missing="drop").test("partial-t")
        assert rows.statistic[row] == single.statistic and rows.pvalue[row] == single.pvalue
    paired = ps.test_batch("t", pre[None, :], post[None, :], missing="drop")
    assert paired.statistic[0] == study.test("t").statistic
    assert any("left out the observed halves" in note for note in paired.notes)


def test_effect_sizes_say_what_they_left_out():
    study = ps.datasets.massage_dropouts()
    complete = ps.PairedStudy(study.pre, study.post)
    for kind in ("dz", "hl", "cles"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ps.PairedStudyWarning)
            es, plain = study.effect_size(kind), complete.effect_size(kind)
        assert es.value == plain.value and es.ci == plain.ci
        assert es.notes[0].startswith("uses the 20 complete pairs only: left out 7 baseline")
        assert list(es.notes[1:]) == list(plain.notes)


def test_the_planner_and_the_diagnostic_say_what_they_left_out():
    study = ps.datasets.massage_dropouts()
    plan = ps.replication.plan(study)
    assert plan.n_original == 20
    assert plan.notes == (f"original: {study.left_out_note()}",)
    assert str(plan).endswith(plan.notes[0])
    assert ps.replication.plan(ps.datasets.oxytocin_massage()).notes == ()
    assert study.left_out_note() in ps.diagnostics.normality(study).notes
    evaluation = ps.replication.evaluate(study, ps.datasets.oxytocin_table3())
    assert evaluation.notes == (f"original: {study.left_out_note()}",)
