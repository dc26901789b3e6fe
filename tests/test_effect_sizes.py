"""Effect sizes: R effectsize and independent R computations, Lakens (2013), properties."""

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pingouin
import pytest
import scipy.stats
from _data import TABLE3_FIGURES, TABLE3_MEAN_CHANGE, TABLE3_SD_CHANGE
from hypothesis import assume, given
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.effect_sizes import KINDS, convert_d, hedges_j

HERE = Path(__file__).parent / "reference"
R_ES = json.loads((HERE / "r_effect_sizes.json").read_text())
R_REF = json.loads((HERE / "r_reference.json").read_text())
MOVIE = ps.PairedStudy([9, 7, 8, 9, 8, 9, 9, 10, 9, 9], [9, 6, 7, 8, 7, 9, 8, 8, 8, 7])


def _study(name):
    data = R_REF["datasets"][name]
    return ps.PairedStudy(data["pre"], data["post"])


def _id(case):
    return f"{case['dataset']}-{case['level']}"


@pytest.mark.parametrize("case", R_ES["cases"], ids=_id)
def test_matches_r(case):
    study = _study(case["dataset"])
    level = case["level"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        table = study.effect_sizes(confidence_level=level)
    # effectsize::cohens_d / hedges_g / rank_biserial. Its noncentrality search is loose
    # (errors up to 1.5e-4 relative, e.g. oxytocin at 90%), so its d intervals are held to
    # 5e-4; the precise inversion below (uniroot on pt(), tol 1e-13) is held to 1e-8.
    # effectsize's hedges_g interval is J times d's (an interval for J * delta); ours is the
    # interval for delta, which g estimates: d's interval itself.
    j = hedges_j(study.n - 1)
    for kind in ("dz", "gz", "rank_biserial"):
        if kind not in case:
            continue
        ours = table[kind]
        loose = 1e-8 if kind == "rank_biserial" else 5e-4
        scale = j if kind == "gz" else 1.0
        assert ours.value == pytest.approx(case[kind]["value"], rel=1e-10, abs=1e-12)
        assert ours.ci.low * scale == pytest.approx(case[kind]["ci"][0], rel=loose, abs=1e-9)
        assert ours.ci.high * scale == pytest.approx(case[kind]["ci"][1], rel=loose, abs=1e-9)
    assert table["gz"].ci == table["dz"].ci
    root_n = math.sqrt(study.n)
    assert table["dz"].ci.low == pytest.approx(case["ncp"][0] / root_n, rel=1e-8)
    assert table["dz"].ci.high == pytest.approx(case["ncp"][1] / root_n, rel=1e-8)
    # formulas and uniroot on pt() computed in R (1e-8); d_rm is refused when r = 1
    # (R's formula gives 0 there), as in all_positive_n9 where post = 1.5 pre.
    for kind in ("drm", "dav", "db"):
        if kind == "drm" and abs(study.describe().correlation) == 1.0:
            assert any(s.startswith("drm") for s in table.skipped)
            continue
        ours = table[kind]
        assert ours.value == pytest.approx(case[kind]["value"], rel=1e-10)
        assert ours.ci.low == pytest.approx(case[kind]["ci"][0], rel=1e-8)
        assert ours.ci.high == pytest.approx(case[kind]["ci"][1], rel=1e-8)
    rms = study.effect_size("dav", confidence_level=level, average="rms")
    assert rms.value == pytest.approx(case["dav_rms"]["value"], rel=1e-10)
    assert rms.ci.low == pytest.approx(case["dav_rms"]["ci"][0], rel=1e-8)
    assert hedges_j(study.n - 1) == pytest.approx(case["hedges_j"], rel=1e-12)
    assert table["cles"].value == pytest.approx(case["cles"], rel=1e-12)


def test_r_fixture_covers_many_datasets():
    assert len({c["dataset"] for c in R_ES["cases"]}) >= 15


def test_lakens_2013_movie_example():
    # reference-values.md (first minus second there; our change is post - pre)
    dz = MOVIE.effect_size("dz")
    assert dz.value == pytest.approx(-1.50, abs=1e-12)
    assert dz.ci.low == pytest.approx(-2.403436, abs=1e-6)
    assert dz.ci.high == pytest.approx(-0.560514, abs=1e-6)
    assert MOVIE.effect_size("dav").value == pytest.approx(-1.1286963, abs=1e-7)
    assert MOVIE.effect_size("drm").value == pytest.approx(-1.1113323, abs=1e-7)
    ak = MOVIE.effect_size("dav", average="rms")
    assert ak.ci.low == pytest.approx(-1.803987, abs=1e-6)
    assert ak.ci.high == pytest.approx(-0.420714, abs=1e-6)
    assert MOVIE.describe().correlation == pytest.approx(0.7255423, abs=1e-7)


def test_oxytocin_dz_matches_the_published_r_value():
    es = ps.datasets.oxytocin_massage().effect_size("dz")
    assert (round(es.value, 2), round(es.ci.low, 2), round(es.ci.high, 2)) == (1.68, 1.0, 2.34)


def test_pingouin_paired_cohen_is_dav_with_the_rms_average():
    """pingouin's paired 'cohen' is d_av (rms of SDs), and its 'hedges' uses df = 2n - 2."""
    rng = np.random.default_rng(3)
    pre = rng.normal(10, 2, 20)
    post = pre + rng.normal(1, 2, 20)
    study = ps.PairedStudy(pre, post)
    cohen = pingouin.compute_effsize(post, pre, paired=True, eftype="cohen")
    assert study.effect_size("dav", average="rms").value == pytest.approx(cohen, rel=1e-12)
    assert study.effect_size("dz").value != pytest.approx(cohen, rel=1e-3)
    hedges = pingouin.compute_effsize(post, pre, paired=True, eftype="hedges")
    ours = study.effect_size("gav", average="rms").value
    assert ours != pytest.approx(hedges, rel=1e-4)  # different df, deliberately
    assert ours == pytest.approx(cohen * hedges_j(19), rel=1e-12)


def test_hl_matches_the_wilcoxon_estimate():
    study = ps.datasets.oxytocin_massage()
    es = study.effect_size("hl")
    w = study.test("wilcoxon")
    assert es.value == w.estimate and es.ci == w.ci


# --- properties -----------------------------------------------------------------------

pairs = st.integers(5, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(1, 7), min_size=n, max_size=n),
        st.lists(st.integers(1, 7), min_size=n, max_size=n),
    )
)


def _defined(study):
    return (
        study.describe().change.sd > 0
        and study.describe().pre.sd > 0
        and (study.describe().post.sd > 0)
    )


@given(pairs)
def test_swapping_arms_flips_the_sign(data):
    pre, post = data
    a, b = ps.PairedStudy(pre, post), ps.PairedStudy(post, pre)
    assume(_defined(a) and np.any(a.change))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        for kind in ("dz", "drm", "gz", "rank_biserial", "hl"):
            x, y = a.effect_size(kind), b.effect_size(kind)
            assert y.value == pytest.approx(-x.value, rel=1e-12, abs=1e-12)
            assert y.ci.low == pytest.approx(-x.ci.high, rel=1e-9, abs=1e-9)
        # the standardizer of dav / db changes with the swap, the sign does not
        assert np.sign(b.effect_size("dav").value) == -np.sign(a.effect_size("dav").value)
        assert b.effect_size("cles").value == pytest.approx(1 - a.effect_size("cles").value)


@given(pairs, st.integers(-10, 10).filter(lambda k: k != 0))
def test_scale_invariance(data, k):
    pre, post = data
    a = ps.PairedStudy(pre, post)
    factor = 2.0**k
    b = ps.PairedStudy(np.multiply(pre, factor), np.multiply(post, factor))
    assume(_defined(a) and np.any(a.change))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        for kind in ("dz", "drm", "dav", "db", "gav", "rank_biserial", "cles"):
            assert b.effect_size(kind).value == pytest.approx(a.effect_size(kind).value, rel=1e-12)
        assert b.effect_size("hl").value == a.effect_size("hl").value * factor


@given(pairs, st.sampled_from(sorted(KINDS)), st.sampled_from(["two-sided", "less", "greater"]))
def test_interval_holds_the_estimate(data, kind, alternative):
    study = ps.PairedStudy(*data)
    assume(_defined(study) and np.any(study.change))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        es = study.effect_size(kind, alternative=alternative)
    assert es.ci.contains(es.value)
    if alternative == "greater":
        assert es.ci.high >= es.value and es.ci.high in (math.inf, 1.0)
    if alternative == "less":
        assert es.ci.low in (-math.inf, -1.0, 0.0)


def test_d_variants_coincide_with_equal_sds_and_r_half():
    rng = np.random.default_rng(8)
    n = 40
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    x = (x - x.mean()) / x.std(ddof=1)
    z = z - z.mean()
    z = z - (z @ x) / (x @ x) * x  # orthogonal to x and to the constant
    z = z / z.std(ddof=1)
    y = 0.5 * x + math.sqrt(0.75) * z  # sd 1, correlation exactly 0.5
    study = ps.PairedStudy(10 + x, 10.4 + y)
    assert study.describe().correlation == pytest.approx(0.5, abs=1e-12)
    values = [study.effect_size(k).value for k in ("dz", "drm", "dav", "db")]
    assert values == pytest.approx([values[0]] * 4, rel=1e-10)


@given(
    st.floats(-3, 3),
    st.sampled_from(["dz", "drm", "dav", "db"]),
    st.sampled_from(["dz", "drm", "dav", "db"]),
    st.floats(-0.95, 0.95),
    st.floats(0.2, 5),
)
def test_conversions_round_trip(value, a, b, r, ratio):
    there = convert_d(value, from_kind=a, to_kind=b, r=r, sd_ratio=ratio)
    back = convert_d(there, from_kind=b, to_kind=a, r=r, sd_ratio=ratio)
    assert back == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_conversions_agree_with_the_data():
    study = ps.datasets.oxytocin_massage()
    d = study.describe()
    ratio = d.post.sd / d.pre.sd
    for a in ("dz", "drm", "dav", "db"):
        for b in ("dz", "drm", "dav", "db"):
            converted = convert_d(
                study.effect_size(a).value, from_kind=a, to_kind=b, r=d.correlation, sd_ratio=ratio
            )
            assert converted == pytest.approx(study.effect_size(b).value, rel=1e-10)
    assert convert_d(0.5, from_kind="dav", to_kind="dz", r=0.5) == pytest.approx(0.5)
    assert convert_d(0.5, from_kind="drm", to_kind="dav", r=0.9) == pytest.approx(0.5)


# --- bootstrap ------------------------------------------------------------------------


def test_bootstrap_is_reproducible_and_records_its_seed():
    study = ps.datasets.oxytocin_massage()
    a = study.effect_size("dz", ci="bca", seed=7)
    b = study.effect_size("dz", ci="bca", seed=7)
    c = study.effect_size("dz", ci="bca", seed=8)
    assert a.ci == b.ci and a.ci != c.ci
    assert a.details["seed"] == 7 and "BCa" in a.method
    fresh = study.effect_size("dz", ci="percentile")
    again = study.effect_size("dz", ci="percentile", seed=fresh.details["seed"])
    assert fresh.ci == again.ci


@pytest.mark.parametrize("kind", ["dz", "dav", "db", "gz", "cles", "rank_biserial"])
def test_bootstrap_and_analytic_intervals_agree_for_large_n(kind):
    rng = np.random.default_rng(12)
    pre = rng.normal(50, 10, 400)
    post = 0.6 * pre + rng.normal(22, 8, 400)
    study = ps.PairedStudy(pre, post)
    analytic = study.effect_size(kind)
    boot = study.effect_size(kind, ci="bca", seed=1, n_resamples=4000)
    width = analytic.ci.width
    assert boot.ci.low == pytest.approx(analytic.ci.low, abs=0.12 * width)
    assert boot.ci.high == pytest.approx(analytic.ci.high, abs=0.12 * width)


def test_bca_agrees_with_scipy_bootstrap():
    rng = np.random.default_rng(21)
    pre = rng.normal(10, 2, 60)
    post = pre + rng.gamma(2.0, 0.5, 60)
    study = ps.PairedStudy(pre, post)
    ours = study.effect_size("dz", ci="bca", seed=3, n_resamples=9999)

    def dz(a, b, axis=-1):
        d = b - a
        return d.mean(axis=axis) / d.std(axis=axis, ddof=1)

    theirs = scipy.stats.bootstrap(
        (pre, post), dz, paired=True, method="BCa", n_resamples=9999, random_state=4
    ).confidence_interval
    assert ours.ci.low == pytest.approx(theirs.low, abs=0.04)
    assert ours.ci.high == pytest.approx(theirs.high, abs=0.04)


def test_undefined_bca_warns_and_says_percentile():
    with pytest.warns(ps.DegenerateDataWarning, match="BCa interval for hl is undefined"):
        es = ps.datasets.oxytocin_massage().effect_size("hl", ci="bca", seed=1)
    assert "percentile" in es.method


# --- bad input ------------------------------------------------------------------------


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(ps.InputValueError, match="kind must be one of 'dz', 'drm'.*'hl'"):
        MOVIE.effect_size("cohen")


def test_constant_change_is_a_clear_error_for_dz():
    study = ps.PairedStudy([1, 2, 3, 4], [2, 3, 4, 5])
    with pytest.raises(ps.DegenerateDataError, match="SD of the change is 0"):
        study.effect_size("dz")
    with pytest.warns(ps.DegenerateDataWarning, match="no noncentral-t interval"):
        dav = study.effect_size("dav")
    assert dav.ci is None and math.isfinite(dav.value)
    table = study.effect_sizes(ci="none")
    assert "dz" not in [row.kind for row in table] and any("dz" in s for s in table.skipped)


def test_constant_baseline_and_all_zero_changes():
    with pytest.raises(ps.DegenerateDataError, match="baseline"):
        ps.PairedStudy([3, 3, 3], [1, 2, 4]).effect_size("db")
    zero = ps.PairedStudy([1, 2, 3], [1, 2, 3])
    with pytest.raises(ps.DegenerateDataError, match="every change is 0"):
        zero.effect_size("rank_biserial")
    assert zero.effect_size("cles").value == 0.5


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"kind": "gz", "study": ps.PairedStudy([1, 2], [2, 5])}, "at least 3 pairs"),
        ({"kind": "dz", "ci": "bootstrap"}, "ci must be one of 'analytic', 'bca'"),
        ({"kind": "dz", "ci": "bca", "n_resamples": 10}, "n_resamples must be an integer of at"),
        ({"kind": "dz", "ci": "bca", "n_resamples": True}, "n_resamples must be an integer of at"),
        ({"kind": "dz", "ci": "bca", "seed": "1"}, "seed must be a non-negative integer"),
        ({"kind": "dz", "ci": "bca", "seed": -1}, "seed must be a non-negative integer"),
        ({"kind": "dz", "average": "rms"}, "average applies to dav and gav only"),
        ({"kind": "dz", "alternative": "greater", "confidence_level": 0.4}, "> 0.5"),
        ({"kind": "dz", "confidence_level": 1.0}, "confidence_level must lie strictly"),
    ],
)
def test_bad_options(kwargs, pattern):
    study = kwargs.pop("study", MOVIE)
    kind = kwargs.pop("kind")
    with pytest.raises(ps.PairedStudyError, match=pattern):
        study.effect_size(kind, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"r": 1.0}, "r must lie strictly between -1 and 1"),
        ({"r": 0.5, "sd_ratio": 0}, "sd_ratio must be positive"),
        ({"r": 0.5, "from_kind": "gz"}, "from_kind must be one of"),
    ],
)
def test_bad_conversions(kwargs, pattern):
    args = {"from_kind": "dz", "to_kind": "dav", **kwargs}
    with pytest.raises(ps.PairedStudyError, match=pattern):
        convert_d(0.4, **args)


def test_results_serialize_and_print():
    with pytest.warns(ps.DegenerateDataWarning, match="collapses"):  # r_rb = -1 here
        table = MOVIE.effect_sizes()
    assert [row.kind for row in table] == list(KINDS)
    text = str(table)
    assert "post - pre" in text and "dav" in text
    json.loads(table["dz"].to_json())
    data = table.to_dict()
    assert data["rows"][0]["kind"] == "dz"
    with pytest.raises(KeyError, match="not in this table"):
        MOVIE.effect_sizes(kinds=["dz"])["dav"]


# --- review findings -------------------------------------------------------------------


def test_nearly_constant_change_is_refused_quickly():
    noisy = [0.1, 0.7, 1.3, 2.9, 3.3]
    study = ps.PairedStudy(noisy, [p + 0.1 for p in noisy])
    with pytest.raises(ps.DegenerateDataError, match="constant"):
        study.effect_size("dz")
    tiny = ps.PairedStudy([0] * 5, [1, 1, 1, 1, 1.000001])
    es = tiny.effect_size("dz")  # t = 5e6: the large-t limits, at once
    assert es.ci.low < es.value < es.ci.high


def test_noncentrality_interval_is_mirror_symmetric_and_continuous_at_large_t():
    from pairedstudy.effect_sizes import LARGE_T, noncentrality_interval

    low, high = noncentrality_interval(4.2, 12, 0.9)
    assert noncentrality_interval(-4.2, 12, 0.9) == pytest.approx((-high, -low), rel=1e-10)
    below = noncentrality_interval(LARGE_T * 0.999, 30, 0.95)
    above = noncentrality_interval(LARGE_T * 1.001, 30, 0.95)
    assert above[0] / below[0] == pytest.approx(1.002, rel=2e-3)


@pytest.mark.parametrize("factor", [1e110, 1e-110, 1e200])
def test_hl_bootstrap_is_scale_equivariant(factor):
    rng = np.random.default_rng(5)
    pre = rng.normal(10, 2, 25)
    post = pre + rng.gamma(2, 0.6, 25) - 0.7
    unit = ps.PairedStudy(pre, post).effect_size("hl", ci="bca", seed=1)
    scaled = ps.PairedStudy(pre * factor, post * factor).effect_size("hl", ci="bca", seed=1)
    assert scaled.ci.low == pytest.approx(unit.ci.low * factor, rel=1e-9)
    assert scaled.ci.high == pytest.approx(unit.ci.high * factor, rel=1e-9)


def test_drm_needs_a_correlation_strictly_inside_minus_one_one():
    x = np.array([1, 2, 4, 7, 8, 11.0])
    with pytest.raises(ps.DegenerateDataError, match="r = 1"):
        ps.PairedStudy(x, 2 * x + 1).effect_size("drm")
    with pytest.raises(ps.DegenerateDataError, match="an arm is constant"):
        ps.PairedStudy([3, 3, 3, 3, 3], [1, 2, 4, 5, 9]).effect_size("drm")


def test_tables_leave_out_what_the_data_cannot_support():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        table = ps.PairedStudy([1, 2], [2, 5]).effect_sizes()
        assert any(s.startswith("gz") for s in table.skipped)
        boot = ps.PairedStudy([1, 2, 4], [2, 5, 5]).effect_sizes(ci="bca", seed=1)
        assert len(boot) == 0 and all("at least 5 pairs" in s for s in boot.skipped)
    with pytest.warns(ps.DegenerateDataWarning):
        rms = MOVIE.effect_sizes(average="rms")
    assert rms["dav"].details["average"] == "rms" and "average" not in rms["dz"].details
    json.loads(rms.to_json())


def test_one_sided_results_record_their_alternative():
    es = MOVIE.effect_size("cles", alternative="greater")
    assert es.details["alternative"] == "greater" and es.ci.high == 1.0


def test_too_few_resamples_for_the_level_warn():
    with pytest.warns(ps.SmallSampleWarning, match="fewer than 5 beyond each limit"):
        MOVIE.effect_size("dz", ci="percentile", n_resamples=100, confidence_level=0.999, seed=1)


def test_rank_biserial_of_one_warns_that_its_interval_collapses():
    with pytest.warns(ps.DegenerateDataWarning, match="collapses"):
        es = ps.PairedStudy(np.zeros(20), np.arange(1, 21) + 0.5).effect_size("rank_biserial")
    assert es.ci.width == 0


def test_n_boot_is_the_deprecated_spelling_of_n_resamples():
    new = MOVIE.effect_size("dz", ci="bca", seed=5, n_resamples=500)
    with pytest.warns(DeprecationWarning, match="n_boot is deprecated; use n_resamples"):
        old = MOVIE.effect_size("dz", ci="bca", seed=5, n_boot=500)
    assert old.ci == new.ci and old.details["n_resamples"] == 500
    with pytest.warns(DeprecationWarning), pytest.raises(ps.InputValueError, match="n_boot"):
        MOVIE.effect_size("dz", ci="bca", n_boot=10)


def test_a_generator_seeds_the_bootstrap_and_an_int_seed_matches_default_rng():
    by_int = MOVIE.effect_size("dav", ci="percentile", seed=11, n_resamples=300)
    by_generator = MOVIE.effect_size(
        "dav", ci="percentile", seed=np.random.default_rng(11), n_resamples=300
    )
    assert by_int.ci == by_generator.ci
    assert by_int.details["seed"] == 11 and by_generator.details["seed"] is None
    rng = np.random.default_rng(3)
    first = MOVIE.effect_size("dz", ci="percentile", seed=rng, n_resamples=300)
    second = MOVIE.effect_size("dz", ci="percentile", seed=rng, n_resamples=300)
    assert first.ci != second.ci  # the generator was advanced


@pytest.mark.parametrize("kind", ["dz", "drm", "dav", "db", "gz", "grm", "gav", "gb"])
def test_compute_from_moments_matches_the_raw_data_bit_for_bit(kind):
    from pairedstudy.effect_sizes import compute_from_moments

    raw = MOVIE.effect_size(kind)
    from_moments = compute_from_moments(kind, MOVIE.moments())
    assert from_moments.value == raw.value and from_moments.ci == raw.ci
    assert from_moments.details["source"] == "data"


def test_compute_from_moments_carries_the_notes_and_refuses_a_dict():
    from pairedstudy.effect_sizes import compute_from_moments
    from pairedstudy.moments import Moments

    table = Moments(
        n=TABLE3_FIGURES["n"],
        mean_change=TABLE3_MEAN_CHANGE,
        sd_change=TABLE3_SD_CHANGE,
        pre_sd=float(TABLE3_FIGURES["pre_sd"]),
        post_sd=float(TABLE3_FIGURES["post_sd"]),
        r=0.34,
        source="summary statistics",
        notes=("rounded",),
    )
    es = compute_from_moments("dz", table, confidence_level=0.9)
    assert es.notes[0] == "rounded" and es.n == 21 and es.ci.level == 0.9
    assert es.details["source"] == "summary statistics"
    with pytest.raises(ps.InputTypeError, match="moments must be"):
        compute_from_moments("dz", {"m": 1.0, "s_d": 1.0, "s1": 1, "s2": 1, "r": 0.5})
    with pytest.raises(ps.InputValueError, match="needs the raw data"):
        compute_from_moments("hl", table)


# --- hostile and extreme input (issue 15) ------------------------------------------------


@pytest.mark.parametrize("n", [7, 8, 10, 12, 25, 27])  # n where centre -+ half missed 0 or 1
@pytest.mark.parametrize("sign", [-1.0, 1.0])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_cles_wilson_interval_reaches_the_boundary_and_holds_its_estimate(n, sign, alternative):
    pre = np.arange(1.0, n + 1.0)
    study = ps.PairedStudy(pre, pre + sign * np.arange(1.0, n + 1.0))  # every change one sign
    es = study.effect_size("cles", alternative=alternative)
    assert es.value == (1.0 if sign > 0 else 0.0)
    assert es.ci.low <= es.value <= es.ci.high
    if sign > 0:
        assert es.ci.high == 1.0
    else:
        assert es.ci.low == 0.0
    # one change of the other sign: the interval stays strictly inside (0, 1), as before
    mixed = ps.PairedStudy(pre, pre + sign * np.r_[np.arange(1.0, n), -1.0])
    inner = mixed.effect_size("cles")
    assert 0.0 < inner.ci.low < inner.value < inner.ci.high < 1.0


@pytest.mark.parametrize("ci", ["bca", "percentile"])
@pytest.mark.parametrize("level", [1 - 1e-16, 1 - 1e-15, 1e-300])
def test_bootstrap_intervals_at_extreme_levels_are_valid(ci, level):
    rng = np.random.default_rng(3)
    pre = rng.normal(size=20)
    study = ps.PairedStudy(pre, pre + rng.normal(0.5, 1.0, size=20))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            es = study.effect_size("dz", ci=ci, confidence_level=level, seed=1)
        except ps.InputValueError as exc:  # a clear refusal naming the level is allowed
            assert "confidence_level" in str(exc)
            return
    assert np.isfinite([es.ci.low, es.ci.high]).all()
    assert es.ci.low <= es.ci.high


@pytest.mark.filterwarnings("ignore::pairedstudy.errors.SmallSampleWarning")
def test_bca_refuses_a_level_where_its_correction_breaks_down():
    # a skewed change (acceleration -0.156): at 1 - 1e-16 the BCa map 1 - a (z0 + z) <= 0
    change = np.array([0.0] * 19 + [1000.0, 0.1, 0.2, 0.3, 0.4, 0.5])
    study = ps.PairedStudy(np.zeros(change.size), change)
    with pytest.raises(ps.InputValueError, match=r"confidence_level=0.9999999999999999 .*BCa"):
        study.effect_size("dz", ci="bca", confidence_level=1 - 1e-16, seed=2)
    with pytest.raises(
        ps.InputValueError, match=r"levels below 1 - 2.35e-08, or use ci='percentile'"
    ):
        study.effect_size("dz", ci="bca", confidence_level=1 - 1e-16, seed=2)
    es = study.effect_size("dz", ci="bca", confidence_level=0.9999999, seed=2)
    assert es.ci.low <= es.ci.high


def test_unknown_effect_size_options_are_refused_by_name():
    study = ps.datasets.oxytocin_massage()
    with pytest.raises(ps.InputTypeError, match=r"foo=1.*confidence_level, alternative, ci"):
        study.effect_size("dz", foo=1)
    with pytest.raises(ps.InputTypeError, match="n_resample=500"):
        study.effect_sizes(["dz"], n_resample=500)
    with pytest.raises(ps.InputTypeError, match=r"ci='bca'.*confidence_level, alternative"):
        ps.datasets.oxytocin_table3().effect_size("dz", ci="bca")


def test_hl_interval_label_says_how_its_critical_values_were_found():
    # the label is about the interval, not the test's p-value (issue 17, item 12)
    tied = ps.datasets.oxytocin_massage().effect_size("hl")
    assert tied.method == "signed-rank interval (exact critical values; approximate with ties)"
    assert any("untied" in note for note in tied.notes)
    rng = np.random.default_rng(1)
    pre = rng.normal(size=30)
    assert ps.PairedStudy(pre, pre + rng.normal(size=30)).effect_size("hl").method == (
        "signed-rank interval (exact)"
    )
