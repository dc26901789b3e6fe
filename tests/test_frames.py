"""Data-frame input: wide and long tables from pandas, polars (if installed) and dicts."""

import numpy as np
import pandas as pd
import pytest

import pairedstudy as ps

WIDE = pd.DataFrame({"id": ["a", "b", "c"], "before": [7, 6, 8], "after": [9, 8.5, 8]})
LONG = pd.DataFrame(
    {
        "id": ["a", "a", "b", "b", "c", "c", "c"],
        "when": ["pre", "post", "pre", "post", "pre", "post", "follow-up"],
        "score": [7, 9, 6, 8.5, 8, 8, 99],
    }
)


def test_wide_frame():
    study = ps.PairedStudy.from_frame(WIDE, pre="before", post="after", subject="id")
    assert study.subjects == ("a", "b", "c")
    np.testing.assert_array_equal(study.change, [2, 2.5, 0])


def test_long_frame_equals_wide():
    wide = ps.PairedStudy.from_frame(WIDE, pre="before", post="after", subject="id")
    long = ps.PairedStudy.from_long(
        LONG, subject="id", time="when", value="score", pre="pre", post="post"
    )
    assert long == wide  # the follow-up row is not used


def test_polars_frames_work_too():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"pre": [7, 6, 8], "post": [9, 8, 8]})
    assert ps.PairedStudy.from_frame(frame).change.tolist() == [2, 2, 0]


def test_the_bundled_csv_read_with_pandas_reproduces_the_dataset(tmp_path):
    example = ps.datasets.oxytocin_massage()
    frame = pd.DataFrame(
        {"respondent": example.subjects, "pre": example.pre, "post": example.post}
    )
    assert ps.PairedStudy.from_frame(frame, subject="respondent").describe() == (
        ps.PairedStudy(example.pre, example.post, subjects=example.subjects).describe()
    )


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (
            lambda: ps.PairedStudy.from_frame(WIDE, pre="pre"),
            ps.InputValueError,
            r"pre='pre' is not a column of the frame; its columns are: 'id', 'before', 'after'",
        ),
        (
            lambda: ps.PairedStudy.from_frame(WIDE, pre="id", post="after"),
            ps.InputTypeError,
            "pre must hold numbers",
        ),
        (lambda: ps.PairedStudy.from_frame([1, 2]), ps.InputTypeError, "must be a data frame"),
        (
            lambda: ps.PairedStudy.from_long(
                pd.concat([LONG, LONG.iloc[:1]]),
                subject="id",
                time="when",
                value="score",
                pre="pre",
                post="post",
            ),
            ps.InputValueError,
            "measured more than once",
        ),
        (
            lambda: ps.PairedStudy.from_long(
                LONG.iloc[:5], subject="id", time="when", value="score", pre="pre", post="post"
            ),
            ps.InputValueError,
            "only one of the two time points",
        ),
        (
            lambda: ps.PairedStudy.from_long(
                LONG, subject="id", time="when", value="score", pre="baseline", post="post"
            ),
            ps.InputValueError,
            "pre='baseline' does not occur",
        ),
    ],
)
def test_bad_frames(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_incomplete_subjects_can_be_dropped_and_counted():
    study = ps.PairedStudy.from_long(
        LONG.iloc[:5],
        subject="id",
        time="when",
        value="score",
        pre="pre",
        post="post",
        missing="drop",
    )
    assert study.n == 2 and study.dropped == 1 and study.dropped_subjects == ("c",)


def test_frames_return_columns_and_the_study_builds_itself():
    from pairedstudy.frames import PairedColumns, long_columns, wide_columns

    wide = wide_columns(WIDE, pre="before", post="after", subject="id")
    assert isinstance(wide, PairedColumns)
    assert wide.subjects.tolist() == ["a", "b", "c"] and wide.post.tolist() == [9, 8.5, 8]
    assert wide_columns(WIDE, pre="before", post="after").subjects is None
    long = long_columns(LONG, "id", "when", "score", "pre", "post")
    assert long == PairedColumns([7, 6, 8], [9, 8.5, 8], ["a", "b", "c"])

    class Study(ps.PairedStudy):
        pass

    assert type(Study.from_frame(WIDE, pre="before", post="after")) is Study
    assert type(Study.from_long(LONG, "id", "when", "score", "pre", "post")) is Study
