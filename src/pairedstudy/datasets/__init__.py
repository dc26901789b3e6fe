"""Example data shipped with pairedstudy."""

from __future__ import annotations

import csv
import io
from importlib import resources

from ..study import PairedStudy
from ..summary import PairedSummary

__all__ = ["massage_dropouts", "oxytocin_massage", "oxytocin_table3"]


def _read_csv(filename: str) -> dict[str, list[str]]:
    text = (
        resources.files(__name__).joinpath("data").joinpath(filename).read_text(encoding="utf-8")
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    return {column: [row[column] for row in rows] for column in rows[0]}


def oxytocin_massage() -> PairedStudy:
    """Breast-milk production scores before and after oxytocin massage (n = 21).

    A one-group pretest-posttest study of oxytocin massage in post-partum mothers, scored
    with a questionnaire on a 6-10 scale. Its Table 3 reports pre 7.05 (SD 0.740), post 9.00
    (SD 1.183) and the difference pre - post -1.952 (SD 1.161), p = 0.000.

    **This is a reconstruction, not the authors' raw data.** The paper publishes only the
    table; these 21 integer pairs are *one* dataset that reproduces every figure of it at
    the published decimals. Other datasets reproduce it too, and tests the paper did not run
    (Wilcoxon, sign test) may differ between them.

    Returns
    -------
    PairedStudy
        ``pre`` and ``post`` scores with the respondents' numbers as ``subjects``; the
        change is ``post - pre``, so the paper's -1.952 (pre - post) appears as +1.952.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.datasets.oxytocin_massage()
    >>> study.n, round(float(study.change.mean()), 3)
    (21, 1.952)
    """
    columns = _read_csv("oxytocin_massage_example.csv")
    return PairedStudy(
        [int(v) for v in columns["pre"]],
        [int(v) for v in columns["post"]],
        subjects=[int(v) for v in columns["respondent"]],
        name="oxytocin massage (reconstructed example)",
    )


def oxytocin_table3() -> PairedSummary:
    """Table 3 of the oxytocin massage study, transcribed as printed.

    Pre 7.05 (SD 0.740, range 6-8), post 9.00 (SD 1.183, range 6-10), difference
    pre - post -1.952 (SD 1.161), n = 21. The paper's "p = 0.000" is left out: it only
    says p < 0.0005.

    Returns
    -------
    PairedSummary

    Examples
    --------
    >>> import pairedstudy as ps
    >>> round(ps.datasets.oxytocin_table3().test().statistic, 3)
    7.705
    """
    return PairedSummary(
        n=21,
        pre_mean="7.05",
        pre_sd="0.740",
        post_mean="9.00",
        post_sd="1.183",
        diff_mean="-1.952",
        diff_sd="1.161",
        diff_order="pre - post",
        pre_range=(6, 8),
        post_range=(6, 10),
    )


def massage_dropouts() -> PairedStudy:
    """A simulated massage study with dropouts: 20 complete pairs, 7 + 3 halves (n = 30).

    **Simulated, not observed.** A hypothetical replication of the oxytocin massage study
    (:func:`oxytocin_massage`), on the same 6-10 questionnaire scale, that enrolled 30
    mothers: 20 answered both questionnaires, 7 only the first (discharged before the
    second) and 3 only the second (their first questionnaire was lost). The scores were
    drawn from a bivariate normal model with the moments of the original Table 3 (pre 7.05,
    SD 0.74; post 9.00, SD 1.18; correlation 0.34), rounded to whole points and kept within
    6-10; which mothers lost a questionnaire was drawn completely at random. The script
    that made it, with its seed, is ``docs/scripts/make_dropout_dataset.py`` in the source
    repository.

    Returns
    -------
    PairedStudy
        Built with ``missing="drop"``: the 20 complete pairs in ``pre``/``post``, the
        baseline-only scores in ``pre_only`` and the follow-up-only ones in ``post_only``,
        with the mothers' numbers as subject labels.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.datasets.massage_dropouts()
    >>> study.n, study.pre_only.size, study.post_only.size
    (20, 7, 3)
    >>> study.pre_only_subjects
    (10, 15, 17, 19, 26, 29, 30)
    """
    columns = _read_csv("massage_dropouts.csv")

    def score(text: str) -> float:
        return float(text) if text.strip() else float("nan")

    return PairedStudy(
        [score(v) for v in columns["pre"]],
        [score(v) for v in columns["post"]],
        subjects=[int(v) for v in columns["mother"]],
        name="massage study with dropouts (simulated)",
        missing="drop",
    )
