"""Effect sizes for paired designs, every variant named unambiguously, each with an interval.

Standardized mean changes (the *d family*) differ only in the standardizer that divides the
mean change ``M = mean(post - pre)``:

========  =========================================  ======================================
kind      standardizer                               use
========  =========================================  ======================================
``dz``    SD of the change, ``s_d``                  power analysis of the paired t-test
``drm``   ``s_d / sqrt(2 (1 - r))``                  "repeated measures" d (Morris &
                                                     DeShon 2002; Lakens 2013)
``dav``   mean of the arms' SDs ``(s_pre + s_post)/2``  comparable with between-subject d
                                                     (Cumming 2012; Lakens 2013)
``db``    SD of the baseline ``s_pre``               pre/post studies and meta-analysis
                                                     (Becker 1988; Morris 2008)
========  =========================================  ======================================

``gz``, ``grm``, ``gav`` and ``gb`` multiply them by Hedges' exact small-sample factor
``J(df) = Γ(df/2) / (sqrt(df/2) Γ((df - 1)/2))`` with ``df = n - 1``, the degrees of freedom
of the paired design (pingouin uses the independent-groups ``2n - 2``, which under-corrects).

The nonparametric kinds are ``rank_biserial`` (the matched-pairs rank-biserial correlation
of Kerby 2014), ``cles`` (the probability that a subject's change is positive, ties counted
half) and ``hl`` (the Hodges-Lehmann shift, the pseudomedian of the changes).

Where tools disagree: pingouin's ``compute_effsize(paired=True, eftype="cohen")`` is
``dav`` (not ``dz``), and its paired CLES compares every pre value with every post value,
ignoring the pairing; the CLES of a paired design is about the within-pair changes.
R's ``effectsize::cohens_d(paired = TRUE)`` is ``dz``.

References
----------
.. [1] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
   science: a practical primer for t-tests and ANOVAs. Frontiers in Psychology 4, 863.
.. [2] Morris, S. B. & DeShon, R. P. (2002). Combining effect size estimates in
   meta-analysis with repeated measures and independent-groups designs. Psychological
   Methods 7(1), 105-125.
.. [3] Algina, J. & Keselman, H. J. (2003). Approximate confidence intervals for effect
   sizes. Educational and Psychological Measurement 63(4), 537-553.
.. [4] Becker, B. J. (1988). Synthesizing standardized mean-change measures. British
   Journal of Mathematical and Statistical Psychology 41(2), 257-278.
.. [5] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
   related estimators. Journal of Educational Statistics 6(2), 107-128.
.. [6] Kerby, D. S. (2014). The simple difference formula: an approach to teaching
   nonparametric correlation. Comprehensive Psychology 3, 11.IT.3.1.
.. [7] Efron, B. (1987). Better bootstrap confidence intervals. Journal of the American
   Statistical Association 82(397), 171-185.
.. [8] Cumming, G. (2012). Understanding the New Statistics. Routledge.
.. [9] Morris, S. B. (2008). Estimating effect sizes from pretest-posttest-control group
   designs. Organizational Research Methods 11(2), 364-386.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

import numpy as np
import numpy.typing as npt

from ._noncentral import LARGE_T, noncentrality_interval
from ._numerics import pow2_scale
from ._random import SeedLike, check_seed
from ._validation import check_alternative, check_choice, check_probability, check_real, show
from .errors import (
    DegenerateDataError,
    DegenerateDataWarning,
    InputTypeError,
    InputValueError,
    SmallSampleWarning,
)
from .moments import Moments
from .results import ConfidenceInterval, EffectSize, EffectSizeTable

if TYPE_CHECKING:
    from .study import PairedStudy

__all__ = [
    "D_KINDS",
    "KINDS",
    "LARGE_T",
    "MomentRows",
    "compute",
    "compute_all",
    "compute_from_moments",
    "convert_d",
    "hedges_j",
    "noncentrality_interval",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]

#: Every kind, with the label printed in tables.
KINDS: dict[str, str] = {
    "dz": "d_z (mean change / SD of change)",
    "drm": "d_rm (repeated measures)",
    "dav": "d_av (mean change / average SD)",
    "db": "d_b (mean change / baseline SD)",
    "gz": "g_z (Hedges-corrected d_z)",
    "grm": "g_rm (Hedges-corrected d_rm)",
    "gav": "g_av (Hedges-corrected d_av)",
    "gb": "g_b (Hedges-corrected d_b)",
    "rank_biserial": "matched-pairs rank-biserial r",
    "cles": "P(change > 0) + P(change = 0)/2",
    "hl": "Hodges-Lehmann shift (pseudomedian change)",
}
#: The standardized mean changes, without Hedges' correction.
D_KINDS = ("dz", "drm", "dav", "db")
_HEDGES = {"gz": "dz", "grm": "drm", "gav": "dav", "gb": "db"}
CI_METHODS = ("analytic", "bca", "percentile", "none")
_AVERAGES = ("mean", "rms")
#: The keyword options of :func:`compute` and :func:`compute_from_moments`.
_COMPUTE_OPTIONS = (
    "confidence_level",
    "alternative",
    "ci",
    "n_resamples",
    "seed",
    "average",
    "n_boot",
)
_MOMENTS_OPTIONS = ("confidence_level", "alternative", "average")


def hedges_j(df: float) -> float:
    """Hedges' exact small-sample correction ``Γ(df/2) / (sqrt(df/2) Γ((df - 1)/2))``.

    Parameters
    ----------
    df : float
        Degrees of freedom, greater than 1.

    Returns
    -------
    float
        ``J(df)``, which rises towards 1 (``J(9) = 0.9139``); about ``1 - 3 / (4 df - 1)``.

    References
    ----------
    .. [1] Hedges, L. V. (1981). Journal of Educational Statistics 6(2), 107-128.
    """
    from scipy import special

    df = check_real("df", df)
    if df <= 1:
        raise InputValueError(f"df must exceed 1 for Hedges' correction; got {df!r}")
    return float(
        math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)
    )


# --------------------------------------------------------------------------------------
# the statistics, vectorized over rows so that the bootstrap can share them


class MomentRows(NamedTuple):
    """The moments of many studies at once (one value per row; the bootstrap's resamples).

    The row-wise counterpart of :class:`~pairedstudy.moments.Moments`, with the same
    field names.
    """

    mean_change: FloatArray
    sd_change: FloatArray
    pre_sd: FloatArray
    post_sd: FloatArray
    r: FloatArray


def _moment_rows(pre: FloatArray, post: FloatArray) -> MomentRows:
    """Per-row mean change, SD of change, arm SDs and correlation (arrays of shape (k,))."""
    change = post - pre
    n = pre.shape[-1]
    m = change.mean(axis=-1)
    s_d = change.std(axis=-1, ddof=1)
    s1 = pre.std(axis=-1, ddof=1)
    s2 = post.std(axis=-1, ddof=1)
    cov = (
        (pre - pre.mean(axis=-1, keepdims=True)) * (post - post.mean(axis=-1, keepdims=True))
    ).sum(axis=-1) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.clip(cov / (s1 * s2), -1.0, 1.0)
    return MomentRows(mean_change=m, sd_change=s_d, pre_sd=s1, post_sd=s2, r=r)


def _standardizer(kind: str, mo: Moments, average: str) -> float:
    """The SD that divides the mean change for a d kind (``dz``, ``drm``, ``dav``, ``db``)."""
    if kind == "dz":
        return mo.sd_change
    if kind == "drm":
        with np.errstate(divide="ignore", invalid="ignore"):  # r = 1: d_rm = 0
            return float(np.divide(mo.sd_change, np.sqrt(2.0 * (1.0 - np.asarray(mo.r)))))
    if kind == "dav":
        if average == "rms":  # on SDs scaled by a power of two: squares stay finite
            sds, factor = pow2_scale(np.array([mo.pre_sd, mo.post_sd]))
            return float(np.sqrt((sds[0] ** 2 + sds[1] ** 2) / 2.0)) * factor
        return (mo.pre_sd + mo.post_sd) / 2.0
    return mo.pre_sd  # db


def _standardizer_rows(kind: str, rows: MomentRows, average: str) -> FloatArray:
    """:func:`_standardizer` for every row."""
    if kind == "dz":
        return rows.sd_change
    if kind == "drm":
        with np.errstate(divide="ignore", invalid="ignore"):  # r = 1: d_rm = 0
            return np.divide(rows.sd_change, np.sqrt(2.0 * (1.0 - rows.r)))
    if kind == "dav":
        if average == "rms":
            return np.sqrt((rows.pre_sd**2 + rows.post_sd**2) / 2.0)
        return (rows.pre_sd + rows.post_sd) / 2.0
    return rows.pre_sd  # db


def _d_rows(kind: str, pre: FloatArray, post: FloatArray, average: str) -> FloatArray:
    rows = _moment_rows(pre, post)
    with np.errstate(divide="ignore", invalid="ignore"):
        return rows.mean_change / _standardizer_rows(kind, rows, average)


def _cles_rows(change: FloatArray) -> FloatArray:
    return (change > 0).mean(axis=-1) + 0.5 * (change == 0).mean(axis=-1)


def _rank_biserial_one(change: FloatArray) -> float:
    from .inference.wilcoxon import signed_ranks

    ranks = signed_ranks(change, "wilcox")
    total = int(ranks.scores.sum())
    if total == 0:
        return math.nan
    positive = int(ranks.scores[ranks.positive].sum())
    return (2 * positive - total) / total


def _hl_one(change: FloatArray) -> float:
    from .inference._walsh import walsh_median

    return walsh_median(change)  # the two middle averages meet without overflow


def _statistic_rows(
    kind: str, pre: FloatArray, post: FloatArray, average: str, progress: bool | None = False
) -> FloatArray:
    """The effect size for each row of ``pre`` and ``post`` (shape (k, n)).

    The d family and ``cles`` are vectorized; the rank kinds loop over rows, with a
    progress bar when ``progress`` is true (or None: on a terminal, for long runs).
    """
    base = _HEDGES.get(kind, kind)
    if base in D_KINDS:
        values = _d_rows(base, pre, post, average)
        if kind in _HEDGES:
            values = values * hedges_j(pre.shape[-1] - 1)
        return values
    change = post - pre
    if kind == "cles":
        return _cles_rows(change)
    from ._progress import Progress

    one = _rank_biserial_one if kind == "rank_biserial" else _hl_one
    rows = change.shape[0]
    bar = Progress(rows, f"bootstrap {kind}", progress if rows * change.shape[1] > 2e6 else False)
    values = np.empty(rows)
    for i, row in enumerate(change):
        values[i] = one(row)
        if (i + 1) % 500 == 0:
            bar.update(500)
    bar.close()
    return values


# --------------------------------------------------------------------------------------
# analytic intervals


def _d_interval(
    kind: str, mo: Moments, level: float, average: str, notes: list[str]
) -> tuple[float, float, str] | None:
    """Two-sided noncentral-t interval for a d or g ``kind`` at ``level``, and its name.

    ``None`` (with a warning and a note) for a constant change.
    """
    n = mo.n
    base = _HEDGES.get(kind, kind)
    if mo.constant:
        what = "0 for every pair" if mo.mean_change == 0 else "constant"
        warnings.warn(
            f"the change is {what}, so the paired t is undefined and {kind} has no "
            "noncentral-t interval",
            DegenerateDataWarning,
            stacklevel=4,
        )
        notes.append("constant change: no interval")
        return None
    scale = _standardizer(base, mo, average) / mo.sd_change
    t = mo.mean_change / (mo.sd_change / math.sqrt(n))
    lam_low, lam_high = noncentrality_interval(t, n - 1, level)
    # d = t * s_d / (sqrt(n) * standardizer): the same scaling maps the t limits.
    low, high = lam_low / math.sqrt(n) / scale, lam_high / math.sqrt(n) / scale
    name = "noncentral t" if base == "dz" else "noncentral t, scaled (Algina-Keselman)"
    if base != "dz":
        notes.append(
            "interval: noncentral-t limits of the paired t, scaled by SD of change / "
            "standardizer (conditional on the observed SDs and r)"
        )
    return low, high, name


def _rank_interval(
    kind: str, n: int, change: FloatArray, value: float, level: float, notes: list[str]
) -> tuple[float, float, str] | None:
    """Two-sided analytic interval for ``rank_biserial`` or ``cles``; ``None`` for ``hl``."""
    if kind == "rank_biserial":
        from scipy import special

        n_used = int(np.count_nonzero(change))
        if abs(value) == 1.0 or n_used == 0:
            warnings.warn(
                "every non-zero change has the same sign (|r| = 1): the Fisher-z interval "
                "collapses to the estimate and says nothing about its uncertainty",
                DegenerateDataWarning,
                stacklevel=4,
            )
            notes.append("|r| = 1: the Fisher-z interval collapses to the estimate")
            return value, value, "Fisher z"
        se = math.sqrt((2 * n_used**3 + 3 * n_used**2 + n_used) / 6.0) / (
            n_used * (n_used + 1) / 2.0
        )
        z = float(special.ndtri(1.0 - (1.0 - level) / 2.0))
        centre = math.atanh(value)
        return math.tanh(centre - z * se), math.tanh(centre + z * se), "Fisher z"
    if kind == "cles":
        from scipy import special

        z = float(special.ndtri(1.0 - (1.0 - level) / 2.0))
        centre = (value + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(value * (1 - value) / n + z * z / (4 * n * n))
        # At value 0 (1) the lower (upper) Wilson limit is exactly 0 (1); computed as
        # centre -+ half it misses by rounding and would exclude the estimate.
        low = 0.0 if value == 0.0 else max(0.0, min(centre - half, value))
        high = 1.0 if value == 1.0 else min(1.0, max(centre + half, value))
        return low, high, "Wilson score"
    return None  # hl: from the Wilcoxon machinery


def _scaled_arms(study: PairedStudy) -> tuple[FloatArray, FloatArray, float]:
    """Both arms as one-row matrices divided by one power of two (exact), and that power.

    Squares of the scaled values cannot overflow or underflow; the d family, ``cles`` and
    ``rank_biserial`` do not depend on the scale, ``hl`` is multiplied back.
    """
    _, factor = pow2_scale(np.concatenate([study.pre, study.post]))
    return study.pre[None, :] / factor, study.post[None, :] / factor, factor


# --------------------------------------------------------------------------------------
# bootstrap intervals


def _bootstrap_interval(
    kind: str,
    study: PairedStudy,
    value: float,
    level: float,
    method: str,
    n_resamples: int,
    rng: np.random.Generator,
    seed: int | None,
    average: str,
    notes: list[str],
) -> tuple[float, float, str]:
    """Percentile or BCa interval from ``n_resamples`` resamples of the pairs.

    ``rng`` draws the resamples; ``seed`` is what the label records (``None`` for a
    Generator given by the caller).
    """
    from scipy import special

    n = study.n
    if n < 5:
        raise DegenerateDataError(f"bootstrap intervals need at least 5 pairs; got n = {n}")
    alpha = 1.0 - level
    if alpha / 2.0 * n_resamples < 5:
        warnings.warn(
            f"{n_resamples} resamples leave fewer than 5 beyond each limit of a "
            f"{100 * level:.10g}% interval; the limits are extreme resamples. Use more "
            "resamples (n_resamples)",
            SmallSampleWarning,
            stacklevel=4,
        )
        notes.append("too few resamples for this level")
    # Everything on data scaled by one power of two; only hl depends on the scale.
    pre_rows, post_rows, factor = _scaled_arms(study)
    pre, post = pre_rows[0], post_rows[0]
    scale_back = factor if kind == "hl" else 1.0
    estimate = value / scale_back
    index = rng.integers(0, n, size=(n_resamples, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        values = _statistic_rows(kind, pre[index], post[index], average, progress=None)
    finite = np.isfinite(values)
    if not finite.all():
        notes.append(
            f"{int((~finite).sum())} of {n_resamples} resamples gave an undefined value "
            "(e.g. a constant change) and were left out"
        )
        values = values[finite]
    if values.size < 2:
        raise DegenerateDataError(
            f"fewer than 2 of {n_resamples} bootstrap resamples gave a defined {kind}"
        )
    tails = np.array([alpha / 2.0, 1.0 - alpha / 2.0])
    drawn = f"seed {seed}" if seed is not None else "a given Generator"
    label = f"bootstrap percentile ({n_resamples} resamples, {drawn})"
    if method == "bca":
        below = (
            np.count_nonzero(values < estimate) + 0.5 * np.count_nonzero(values == estimate)
        ) / values.size
        with np.errstate(divide="ignore", invalid="ignore"):
            leave_one_out = np.array(
                [
                    _statistic_rows(
                        kind, np.delete(pre, i)[None, :], np.delete(post, i)[None, :], average
                    )[0]
                    for i in range(n)
                ]
            )
        spread = leave_one_out.mean() - leave_one_out
        spread = spread / max(float(np.max(np.abs(spread))), 1e-300)  # a is scale-free
        denominator = 6.0 * float(np.sum(spread**2)) ** 1.5
        if 0.0 < below < 1.0 and denominator > 0 and np.isfinite(spread).all():
            z0 = float(special.ndtri(below))
            accel = float(np.sum(spread**3)) / denominator
            z = special.ndtri(tails)
            if not np.isfinite(z).all():  # 1 - alpha/2 rounds to 1: use the symmetry
                z = np.array([1.0, -1.0]) * float(special.ndtri(alpha / 2.0))
            shifted = z0 + z
            if not np.all(1.0 - accel * shifted > 0.0):  # |accel| <= 1/6: only extreme levels
                # the BCa map needs 1 - a (z0 +- z) > 0: |z| below 1/a - z0 (a > 0)
                z_max = 1.0 / accel - z0 if accel > 0 else z0 - 1.0 / accel
                allowed = (
                    f"two-sided levels below 1 - {2.0 * float(special.ndtr(-z_max)):.3g}"
                    if z_max > 0
                    else "no level"
                )
                raise InputValueError(
                    f"confidence_level={level!r} is too extreme for a BCa interval of {kind} "
                    f"from these data (acceleration {accel:.3g}, bias correction "
                    f"{z0:.3g}: the BCa correction is undefined there); allowed here are "
                    f"{allowed}, or use ci='percentile'"
                )
            tails = special.ndtr(z0 + shifted / (1.0 - accel * shifted))
            label = f"bootstrap BCa ({n_resamples} resamples, {drawn})"
        else:
            warnings.warn(
                f"the BCa interval for {kind} is undefined for these data (every resample "
                "on one side of the estimate, or no jackknife spread); the percentile "
                "interval is given instead",
                DegenerateDataWarning,
                stacklevel=4,
            )
            notes.append("BCa undefined: percentile interval given")
    low, high = np.quantile(values, tails) * scale_back
    if not low <= value <= high:
        notes.append("the estimate lies outside its bootstrap interval (a skewed statistic)")
    return float(low), float(high), label


# --------------------------------------------------------------------------------------
# the public entry points


def _check_kind(kind: Any) -> str:
    if not isinstance(kind, str) or kind not in KINDS:
        import difflib

        listed = ", ".join(repr(k) for k in KINDS)
        guesses: list[str] = []
        if isinstance(kind, str):
            lowered = kind.lower().replace("-", "_").replace(" ", "_")
            if lowered in KINDS:
                guesses.append(lowered)
            guesses += difflib.get_close_matches(lowered, list(KINDS), n=3, cutoff=0.6)
            # a name from the label: "cohen" -> the d kinds, "hedges" -> the g kinds, ...
            guesses += [
                k for k, label in KINDS.items() if len(lowered) > 2 and lowered in label.lower()
            ]
            if lowered.startswith("cohen"):
                guesses += ["dz", "drm", "dav", "db"]
            if lowered.startswith("hedge"):
                guesses += ["gz", "grm", "gav", "gb"]
        guesses = list(dict.fromkeys(guesses))
        hint = f" (did you mean {' or '.join(repr(g) for g in guesses[:4])}?)" if guesses else ""
        raise InputValueError(f"kind must be one of {listed}; got {show(kind)}{hint}")
    return kind


def _refuse_unknown(unknown: dict[str, Any], allowed: Sequence[str], where: str) -> None:
    """Refuse keyword options that ``where`` does not take, naming them and the allowed ones."""
    if unknown:
        given = ", ".join(f"{name}={show(value)}" for name, value in unknown.items())
        raise InputTypeError(
            f"unknown option(s) for {where}: {given}; the options are {', '.join(allowed)}"
        )


def _check_resamples(value: Any, name: str) -> int:
    integral = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    if not integral or value < 100:
        raise InputValueError(f"{name} must be an integer of at least 100; got {show(value)}")
    return int(value)


def _d_value(kind: str, n: int, mo: Moments, average: str) -> float:
    """A standardized mean change (d or g kind) from the moments of the change."""
    base = _HEDGES.get(kind, kind)
    if base in ("dz", "drm") and mo.constant:
        raise DegenerateDataError(
            f"{kind} is undefined: the SD of the change is 0 (the change is constant), "
            "so the mean change cannot be standardized"
        )
    if base == "drm" and (math.isnan(mo.r) or abs(mo.r) == 1.0):
        reason = "an arm is constant" if math.isnan(mo.r) else f"r = {mo.r:g}"
        raise DegenerateDataError(
            f"{kind} is undefined: it needs the pre-post correlation r strictly between "
            f"-1 and 1, and {reason}"
        )
    standardizer = _standardizer(base, mo, average)
    if kind in _HEDGES and n < 3:
        raise DegenerateDataError(
            f"{kind} needs at least 3 pairs (Hedges' J is 0 at df = 1); got n = {n}"
        )
    if standardizer == 0.0 or math.isnan(standardizer):
        what = {
            "dav": "the average SD of the arms",
            "db": "the SD of the baseline (pre)",
        }[base]
        raise DegenerateDataError(
            f"{kind} is undefined: {what} is 0 (every value equal), so the mean change "
            "cannot be standardized"
        )
    value = mo.mean_change / standardizer
    return value * hedges_j(n - 1) if kind in _HEDGES else value


def _point_value(kind: str, study: PairedStudy, mo: Moments | None, average: str) -> float:
    if mo is not None:
        return _d_value(kind, study.n, mo, average)
    if kind == "rank_biserial":
        value = _rank_biserial_one(study.change)
        if math.isnan(value):
            raise DegenerateDataError(
                "rank_biserial is undefined: every change is 0, so there are no signed ranks"
            )
        return value
    if kind == "cles":
        return float(_cles_rows(study.change))
    return _hl_one(study.change)  # scale-safe: Walsh averages are computed scaled


def _result(
    kind: str,
    value: float,
    interval: tuple[float, float, str] | None,
    level: float,
    alternative: str,
    n: int,
    notes: list[str],
    details: dict[str, Any],
) -> EffectSize:
    """The EffectSize of a two-sided ``interval``, made one-sided as ``alternative`` asks.

    A one-sided interval replaces the far limit by the kind's bound (+-1 for
    ``rank_biserial``, 0 or 1 for ``cles``, infinity otherwise).
    """
    ci = None
    method = "none"
    if interval is not None:
        low, high, method = interval
        bounds = {"rank_biserial": (-1.0, 1.0), "cles": (0.0, 1.0)}.get(
            kind, (-math.inf, math.inf)
        )
        if alternative == "greater":
            high = bounds[1]
        elif alternative == "less":
            low = bounds[0]
        ci = ConfidenceInterval(low=low, high=high, level=level)
    return EffectSize(
        kind=kind,
        label=KINDS[kind],
        value=value,
        ci=ci,
        method=method,
        n=n,
        notes=notes,
        details=details,
    )


def compute(
    study: PairedStudy,
    kind: str,
    *,
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    ci: str = "analytic",
    n_resamples: int = 2000,
    seed: SeedLike = None,
    average: str = "mean",
    n_boot: int | None = None,
    **unknown: Any,
) -> EffectSize:
    """Compute one paired effect size with its confidence interval.

    Parameters
    ----------
    study : PairedStudy
        The data; every kind is about ``change = post - pre``.
    kind : str
        One of :data:`KINDS`: ``"dz"``, ``"drm"``, ``"dav"``, ``"db"``, ``"gz"``, ``"grm"``,
        ``"gav"``, ``"gb"``, ``"rank_biserial"``, ``"cles"``, ``"hl"``.
    confidence_level : float, default 0.95
        Level of the interval.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        ``"greater"`` gives a lower bound (upper limit infinite, or the kind's maximum),
        ``"less"`` an upper bound; one-sided limits are the two-sided limits at level
        ``2 * confidence_level - 1``.
    ci : {"analytic", "bca", "percentile", "none"}, default "analytic"
        How the interval is computed. ``"analytic"``: noncentral t for the d family (exact
        for ``dz``; scaled by the observed standardizer for the others, as Algina &
        Keselman 2003), Fisher z for ``rank_biserial``, Wilson score for ``cles``, the
        signed-rank (Walsh average) interval for ``hl``. ``"bca"`` and ``"percentile"``:
        bootstrap over pairs, ``n_resamples`` resamples from ``seed``.
    n_resamples : int, default 2000
        Bootstrap resamples (at least 100).
    seed : int, numpy.random.Generator or None
        Seed of the bootstrap; when omitted a fresh one is drawn and recorded in
        ``details["seed"]``, so every interval can be reproduced. A Generator is drawn
        from (and advanced); ``details["seed"]`` is then ``None``.
    average : {"mean", "rms"}, default "mean"
        The average SD of ``dav``: ``(s_pre + s_post) / 2`` (Cumming 2012; Lakens 2013) or
        ``sqrt((s_pre**2 + s_post**2) / 2)`` (Algina & Keselman 2003).
    n_boot : int, optional
        Deprecated spelling of ``n_resamples`` (a ``DeprecationWarning``; removed in the
        next release).
    **unknown
        Any other keyword is refused (:class:`~pairedstudy.errors.InputTypeError` naming
        it and listing the options above).

    Returns
    -------
    EffectSize

    Raises
    ------
    InputValueError
        Unknown ``kind`` (the message lists the kinds), bad options, or a Hedges kind with
        fewer than 3 pairs.
    InputTypeError
        An option this function does not take.
    DegenerateDataError
        The standardizer is 0 (a constant change for ``dz``/``drm``, constant arms for
        ``dav``/``db``), or every change is 0 for ``rank_biserial``.

    Notes
    -----
    Formulas, with ``M`` the mean change, ``s_d`` its SD, ``s_1``, ``s_2`` the SDs of pre
    and post and ``r`` their correlation:

    * ``dz = M / s_d``; interval: the noncentral-t limits of ``t = dz sqrt(n)`` with
      ``n - 1`` df, divided by ``sqrt(n)`` (exact under normality; as R's
      ``effectsize::cohens_d(paired = TRUE)``).
    * ``drm = dz sqrt(2 (1 - r))`` (Morris & DeShon 2002, eq. 11; Lakens 2013, eq. 9).
    * ``dav = M / ((s_1 + s_2) / 2)`` (Lakens 2013, eq. 10).
    * ``db = M / s_1`` (Becker 1988).
    * For ``drm``, ``dav`` and ``db`` the interval scales the noncentral-t limits of the
      paired t by ``s_d / standardizer`` (Algina & Keselman 2003), treating the observed
      SDs and ``r`` as fixed. In a simulation (normal data, equal SDs, true dz = 0.5,
      2000 studies per cell) the two-sided 95% intervals covered 0.943-0.956 for n = 15
      and 40 and r = 0.2-0.8, but lopsidedly (the true value lies above the upper limit
      3.5-5.6% of the time and below the lower one about 1%), so one-sided bounds
      under-cover (0.92 for dav and db, r = 0.8, n = 15). Use ``ci="bca"`` for those.
    * ``g = J(n - 1) d`` with Hedges' exact ``J``. Its interval is the noncentral-t
      interval for the population effect ``δ`` itself, which both d and g estimate (g
      with less bias). R's ``effectsize::hedges_g`` multiplies d's limits by ``J``, which
      gives an interval for ``J δ``, a quantity nobody estimates; its coverage of ``δ``
      falls below nominal (0.936 for grm, r = 0.8, n = 15, in the simulation above).
    * ``rank_biserial = (W+ - W-) / (W+ + W-)`` over the non-zero changes (Kerby 2014);
      Fisher-z interval with ``SE = sqrt((2m^3 + 3m^2 + m)/6) / (m(m+1)/2)``, ``m`` the
      number of non-zero changes, as R's one-sample ``effectsize::rank_biserial(post -
      pre)`` (its two-vector paired form counts the non-zero values of ``x`` instead).
      That SE is the null SD of r; away from 0 it is too small, and the interval
      under-covers (0.88 at n = 15 and 0.91 at n = 40 for a true r of about 0.5 in a
      simulation): prefer ``ci="bca"``. It collapses to a point when every change has
      the same sign, with a warning.
    * ``cles = P(D > 0) + P(D = 0)/2`` over the pairs' changes; Wilson score interval with
      ties counted as half a success (approximate with ties).
    * ``hl``: median of the Walsh averages, with the signed-rank interval of
      :func:`pairedstudy.inference.wilcoxon_test`.
    """
    _refuse_unknown(unknown, _COMPUTE_OPTIONS, "effect_size")
    kind = _check_kind(kind)
    level = check_probability("confidence_level", confidence_level)
    alternative = check_alternative(alternative)
    ci = check_choice("ci", ci, CI_METHODS)
    average = check_choice("average", average, _AVERAGES)
    if average != "mean" and _HEDGES.get(kind, kind) != "dav":
        raise InputValueError(f"average applies to dav and gav only; got it for {kind!r}")
    if n_boot is not None:
        warnings.warn(
            "n_boot is deprecated; use n_resamples (n_boot will be removed in the next release)",
            DeprecationWarning,
            stacklevel=3,
        )
        resamples = _check_resamples(n_boot, "n_boot")
    else:
        resamples = _check_resamples(n_resamples, "n_resamples")
    two_sided_level = level if alternative == "two-sided" else 2.0 * level - 1.0
    if two_sided_level <= 0.0:
        raise InputValueError(f"a one-sided interval needs confidence_level > 0.5; got {level!r}")
    notes: list[str] = []
    left_out = study.left_out_note()  # no effect size of pairs and halves exists
    if left_out is not None:
        notes.append(left_out)
    details: dict[str, Any] = {"n": study.n, "alternative": alternative}
    if _HEDGES.get(kind, kind) == "dav":
        details["average"] = average
    mo = study.moments() if _HEDGES.get(kind, kind) in D_KINDS else None
    value = _point_value(kind, study, mo, average)

    interval: tuple[float, float, str] | None
    if ci == "none":
        interval = None
    elif ci == "analytic" and kind == "hl":
        from .inference.wilcoxon import NOTE_TEXTS, wilcoxon_rows

        # the shared signed-rank kernel itself, never the public registry (which a user
        # may have re-bound); its warnings point at the caller of effect_size
        rows = wilcoxon_rows(
            study.change[None, :],
            alternative=alternative,
            mu=0.0,
            confidence_level=level,
            zero_method="wilcox",
            method="auto",
            correction=True,
            interval=True,
        )
        notes.extend(n for n in rows.single_notes(0, stacklevel=4) if "interval" in n)
        low, high = float(rows.ci_low[0]), float(rows.ci_high[0])
        attained = float(rows.attained_level[0])
        # how its critical values were found (not how the test's p-value was)
        shown = {note.text for note in rows.notes if note.mask[0]}
        if not rows.exact[0] or NOTE_TEXTS["interval_normal"] in shown:
            method = "signed-rank interval (normal-approximation critical values)"
        elif NOTE_TEXTS["interval_ties"] in shown:
            method = "signed-rank interval (exact critical values; approximate with ties)"
        else:
            method = "signed-rank interval (exact)"
        return EffectSize(
            kind=kind,
            label=KINDS[kind],
            value=value,
            ci=ConfidenceInterval(
                low=low,
                high=high,
                level=level,
                attained_level=None if math.isnan(attained) else attained,
            ),
            method=method,
            n=study.n,
            notes=notes,
            details=details,
        )
    elif ci == "analytic":
        if mo is None:
            interval = _rank_interval(kind, study.n, study.change, value, two_sided_level, notes)
        else:
            interval = _d_interval(kind, mo, two_sided_level, average, notes)
    else:
        rng, recorded = check_seed(seed)
        details["seed"] = recorded
        details["n_resamples"] = resamples
        interval = _bootstrap_interval(
            kind, study, value, two_sided_level, ci, resamples, rng, recorded, average, notes
        )

    return _result(kind, value, interval, level, alternative, study.n, notes, details)


def compute_from_moments(
    kind: str,
    moments: Moments,
    *,
    confidence_level: float = 0.95,
    alternative: str = "two-sided",
    average: str = "mean",
    **unknown: Any,
) -> EffectSize:
    """A d or g kind from a study's moments (e.g. a paper's table), with its analytic interval.

    Parameters
    ----------
    kind : str
        One of :data:`D_KINDS` or their Hedges-corrected ``g`` forms.
    moments : Moments
        The study's moments (:meth:`pairedstudy.PairedSummary.moments` or
        :meth:`pairedstudy.PairedStudy.moments`); ``n`` comes from them and their
        ``notes`` (e.g. where ``r`` came from) are carried into the result.
    confidence_level, alternative, average
        As for :func:`compute`.
    **unknown
        Any other keyword (a bootstrap option, which needs the raw data, or a misspelling)
        is refused with :class:`~pairedstudy.errors.InputTypeError`.

    Returns
    -------
    EffectSize
        ``details["source"]`` is ``moments.source``.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> m = ps.datasets.oxytocin_massage().moments()
    >>> es = ps.effect_sizes.compute_from_moments("dz", m)
    >>> round(es.value, 2), round(es.ci.low, 2), round(es.ci.high, 2)
    (1.68, 1.0, 2.34)
    """
    _refuse_unknown(unknown, _MOMENTS_OPTIONS, "an effect size from summary statistics")
    kind = _check_kind(kind)
    if not isinstance(moments, Moments):
        raise InputTypeError(
            f"moments must be a pairedstudy.moments.Moments (study.moments()); got "
            f"{type(moments).__name__}"
        )
    if _HEDGES.get(kind, kind) not in D_KINDS:
        raise InputValueError(
            f"{kind} needs the raw data; from summary statistics only the d and g kinds "
            f"({', '.join([*D_KINDS, *_HEDGES])}) can be computed"
        )
    level = check_probability("confidence_level", confidence_level)
    alternative = check_alternative(alternative)
    average = check_choice("average", average, _AVERAGES)
    two_sided_level = level if alternative == "two-sided" else 2.0 * level - 1.0
    if two_sided_level <= 0.0:
        raise InputValueError(f"a one-sided interval needs confidence_level > 0.5; got {level!r}")
    notes = list(moments.notes)
    n = moments.n
    value = _d_value(kind, n, moments, average)
    interval = _d_interval(kind, moments, two_sided_level, average, notes)
    details = {"n": n, "alternative": alternative, "source": moments.source}
    return _result(kind, value, interval, level, alternative, n, notes, details)


def compute_all(
    study: PairedStudy,
    kinds: Sequence[str] | None = None,
    **options: Any,
) -> EffectSizeTable:
    """Compute several kinds at once (all by default) as an :class:`EffectSizeTable`.

    Parameters
    ----------
    study : PairedStudy
        The data.
    kinds : sequence of str, optional
        Which kinds, in order; every kind of :data:`KINDS` by default. A kind that is
        undefined for the data (e.g. ``db`` with a constant baseline) is left out of the
        table with a note rather than failing the whole table.
    **options
        Passed to :func:`compute` (``confidence_level``, ``ci``, ``seed``, ...);
        ``average`` applies to ``dav`` and ``gav`` only.

    Returns
    -------
    EffectSizeTable
    """
    chosen = list(KINDS) if kinds is None else [_check_kind(k) for k in kinds]
    rows = []
    skipped = []
    average = options.pop("average", "mean")
    for kind in chosen:
        extra = {"average": average} if _HEDGES.get(kind, kind) == "dav" else {}
        try:
            rows.append(compute(study, kind, **options, **extra))
        except DegenerateDataError as exc:  # undefined for these data: leave it out
            skipped.append(f"{kind}: {exc}")
    return EffectSizeTable(rows=tuple(rows), skipped=tuple(skipped), name=study.name)


def convert_d(
    value: float, *, from_kind: str, to_kind: str, r: float, sd_ratio: float = 1.0
) -> float:
    """Convert a standardized mean change between ``dz``, ``drm``, ``dav`` and ``db``.

    Parameters
    ----------
    value : float
        The effect size to convert.
    from_kind, to_kind : {"dz", "drm", "dav", "db"}
        Its kind and the wanted kind.
    r : float
        The pre-post correlation, in (-1, 1).
    sd_ratio : float, default 1
        ``s_post / s_pre``; needed for ``dav`` and ``db`` (1 when the SDs are equal).

    Returns
    -------
    float
        The same mean change over the other standardizer.

    Notes
    -----
    With ``k = sd_ratio`` and ``s_pre = 1``: ``s_d = sqrt(1 + k^2 - 2 r k)``, the
    standardizers are ``s_d`` (dz), ``s_d / sqrt(2 (1 - r))`` (drm), ``(1 + k) / 2`` (dav)
    and ``1`` (db), and ``to = from * standardizer(from) / standardizer(to)``. With equal
    SDs and ``r = 0.5`` all four coincide; with equal SDs ``drm = dav`` for any ``r``
    (Lakens 2013). Use it to turn a paper's ``dav`` into the ``dz`` that power analysis of
    the paired t-test needs.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> round(ps.effect_sizes.convert_d(0.5, from_kind="dav", to_kind="dz", r=0.7), 4)
    0.6455
    """
    value = check_real("value", value)
    from_kind = check_choice("from_kind", from_kind, D_KINDS)
    to_kind = check_choice("to_kind", to_kind, D_KINDS)
    r = check_real("r", r)
    if not -1.0 < r < 1.0:
        raise InputValueError(f"r must lie strictly between -1 and 1; got {r!r}")
    k = check_real("sd_ratio", sd_ratio)
    if k <= 0:
        raise InputValueError(f"sd_ratio must be positive; got {k!r}")
    s_d = math.sqrt(1.0 + k * k - 2.0 * r * k)
    standardizer = {
        "dz": s_d,
        "drm": s_d / math.sqrt(2.0 * (1.0 - r)),
        "dav": (1.0 + k) / 2.0,
        "db": 1.0,
    }
    return value * standardizer[from_kind] / standardizer[to_kind]
