"""Agreement with R (t.test, wilcox.test, coin::wilcoxsign_test, binom.test, psignrank).

The values come from tests/reference/make_reference.R, committed with its output
r_reference.json; R is not needed to run these tests.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import pairedstudy as ps
from pairedstudy.inference._exact import signrank_cdf

REFERENCE = json.loads((Path(__file__).parent / "reference" / "r_reference.json").read_text())
ALT = {"two.sided": "two-sided", "less": "less", "greater": "greater"}
RTOL = 1e-8


def _case_id(case):
    return f"{case['dataset']}-mu{case['mu']}-{case['alternative']}"


CASES = REFERENCE["cases"]


def _study(case):
    data = REFERENCE["datasets"][case["dataset"]]
    return ps.PairedStudy(data["pre"], data["post"])


def _run(case, test, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        return _study(case).test(
            test, alternative=ALT[case["alternative"]], mu=case["mu"], **options
        )


def test_reference_covers_the_issue():
    assert len(REFERENCE["datasets"]) >= 15
    sizes = {len(d["pre"]) for d in REFERENCE["datasets"].values()}
    assert min(sizes) == 5 and max(sizes) == 100
    assert {c["alternative"] for c in CASES} == set(ALT)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_t_matches_r(case):
    ref = case["t"]
    result = _run(case, "t")
    assert result.statistic == pytest.approx(ref["statistic"], rel=RTOL)
    assert result.df == ref["df"]
    assert result.pvalue == pytest.approx(ref["pvalue"], rel=RTOL)
    assert result.estimate == pytest.approx(ref["estimate"], rel=RTOL)
    low, high = (
        float("inf") if v == "Inf" else float("-inf") if v == "-Inf" else v for v in ref["ci"]
    )
    assert result.ci.low == pytest.approx(low, rel=RTOL)
    assert result.ci.high == pytest.approx(high, rel=RTOL)


ASYMPTOTIC = [c for c in CASES if "wilcox_asymptotic" in c]


@pytest.mark.parametrize("case", ASYMPTOTIC, ids=_case_id)
def test_wilcoxon_asymptotic_matches_wilcox_test(case):
    ref = case["wilcox_asymptotic"]
    result = _run(case, "wilcoxon", method="asymptotic", correction=True)
    assert result.method == "asymptotic"
    assert result.statistic == ref["statistic"]
    assert result.pvalue == pytest.approx(ref["pvalue"], rel=RTOL)
    plain = _run(case, "wilcoxon", method="asymptotic", correction=False)
    assert plain.pvalue == pytest.approx(ref["pvalue_uncorrected"], rel=RTOL)


EXACT = [c for c in CASES if "wilcox_exact" in c]


def _inf(v):
    return float("inf") if v == "Inf" else float("-inf") if v == "-Inf" else v


@pytest.mark.parametrize("case", EXACT, ids=_case_id)
def test_wilcoxon_exact_matches_wilcox_test_with_hl_interval(case):
    ref = case["wilcox_exact"]
    result = _run(case, "wilcoxon", method="exact")
    assert result.method == "exact"
    assert result.statistic == ref["statistic"]
    assert result.pvalue == pytest.approx(ref["pvalue"], rel=RTOL)
    assert result.estimate == pytest.approx(ref["estimate"], rel=RTOL)
    low, high = (_inf(v) for v in ref["ci"])
    assert result.ci.low == pytest.approx(low, rel=RTOL)
    assert result.ci.high == pytest.approx(high, rel=RTOL)
    if ref["conf_level"] != 0.95:  # R lowers conf.level when 95% is not attainable
        assert result.ci.attained_level == pytest.approx(ref["conf_level"], rel=0.01)


def test_exact_cases_exist_in_numbers():
    assert len(EXACT) >= 20


COIN = [(c, zm) for c in CASES for zm in ("wilcoxon", "pratt") if f"coin_exact_{zm}" in c]


@pytest.mark.parametrize(
    ("case", "zero_method"), COIN, ids=[f"{_case_id(c)}-{z}" for c, z in COIN]
)
def test_wilcoxon_exact_with_ties_and_zeros_matches_coin(case, zero_method):
    ref = case[f"coin_exact_{zero_method}"]
    ours = "wilcox" if zero_method == "wilcoxon" else "pratt"
    result = _run(case, "wilcoxon", method="exact", zero_method=ours)
    assert result.pvalue == pytest.approx(ref["pvalue"], rel=RTOL)
    assert result.statistic == pytest.approx(ref["linear"], rel=RTOL)
    assert result.details["null_mean"] == pytest.approx(ref["expectation"], rel=RTOL)
    assert result.details["null_variance"] == pytest.approx(ref["variance"], rel=RTOL)
    asym = case[f"coin_asymptotic_{zero_method}"]
    approx = _run(case, "wilcoxon", method="asymptotic", zero_method=ours, correction=False)
    if result.details["n_used"]:
        assert approx.details["z"] == pytest.approx(asym["standardized"], rel=RTOL)
        assert approx.pvalue == pytest.approx(asym["pvalue"], rel=RTOL)


BINOM = [c for c in CASES if "binom" in c]


@pytest.mark.parametrize("case", BINOM, ids=_case_id)
def test_sign_matches_binom_test(case):
    ref = case["binom"]
    result = _run(case, "sign")
    assert result.statistic == ref["statistic"]
    assert result.details["n_used"] == ref["n"]
    assert result.pvalue == pytest.approx(ref["pvalue"], rel=RTOL)


@pytest.mark.parametrize("table", REFERENCE["psignrank"], ids=lambda t: f"n{t['n']}")
def test_signrank_distribution_matches_psignrank(table):
    cdf = signrank_cdf(table["n"])
    np.testing.assert_allclose(cdf, table["cdf"], rtol=1e-12, atol=0)
