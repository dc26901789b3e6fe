"""After the replication: did it succeed? Every criterion the literature uses, side by side.

:func:`evaluate` maps each paired study onto the ``(theta, se, z)`` summaries of the
replication literature and judges the pair by significance, the sceptical p-value, small
telescopes, the prediction interval, the Q test, the fixed-effect combination and both
replication Bayes factors (see :mod:`pairedstudy.replication.success` for the formulas and
their references).

References
----------
.. [1] Simonsohn, U. (2015). Small telescopes: detectability and the evaluation of
   replication results. Psychological Science 26(5), 559-569.
.. [2] Held, L. (2020). A new standard for the analysis and design of replication
   studies. JRSS A 183(2), 431-448.
.. [3] Held, L., Micheloud, C. & Pawel, S. (2022). The assessment of replication success
   based on relative effect size. The Annals of Applied Statistics 16(2), 706-720.
.. [4] Patil, P., Peng, R. D. & Leek, J. T. (2016). Perspectives on Psychological Science
   11(4), 539-544.
.. [5] Verhagen, J. & Wagenmakers, E.-J. (2014). Journal of Experimental Psychology:
   General 143(4), 1457-1475.
.. [6] Pawel, S. & Held, L. (2022). The sceptical Bayes factor for the assessment of
   replication success. JRSS B 84(3), 879-911.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs

from .._noncentral import nct_cdf, noncentrality_interval
from .._validation import check_choice, check_probability
from ..errors import DegenerateDataError, InputTypeError, InputValueError
from ..results.replication import EvaluationRow, ReplicationEvaluation
from .success import (
    TYPES,
    bf_replication,
    bf_sceptical,
    p_sceptical,
    prediction_interval,
    q_test,
)

if TYPE_CHECKING:
    from ..study import PairedStudy
    from ..summary import PairedSummary

__all__ = ["SCALES", "StudyZ", "evaluate", "study_z", "t_inflation"]

#: ``scale`` of the effect: the mean change in the data's units, or ``dz``.
SCALES = ("mean", "dz")
#: Simonsohn's d33: the effect the original had 33 % power to detect at two-sided 0.05;
#: the replication tests it one-sided at 0.05.
TELESCOPE_ALPHA = 0.05


@attrs.frozen(kw_only=True)
class StudyZ:
    """A paired study on the ``(theta, se, z)`` scale of the replication literature.

    Attributes
    ----------
    n : int
        Pairs.
    t : float
        The paired t statistic (``n - 1`` degrees of freedom).
    theta : float
        The effect: the mean change ``post - pre`` (``scale="mean"``) or ``dz``.
    se : float
        The standard error, matched to the exact interval at ``level``: for the mean
        change ``(SD / sqrt(n)) t_{1 - level, n - 1} / z_{1 - level}`` (the t interval);
        for ``dz`` the width of its noncentral-t interval over ``2 z_{1 - level}``.
    z : float
        ``theta / se``; for the mean change ``t z_{1 - level} / t_{1 - level, n - 1}``.
    level : float
        The one-sided level the standard error is matched at.
    source : str
        ``"raw data"`` or ``"summary statistics"``.
    """

    n: int
    t: float
    theta: float
    se: float
    z: float
    level: float
    source: str

    @property
    def dz(self) -> float:
        """The standardized mean change ``t / sqrt(n)``."""
        return self.t / math.sqrt(self.n)


def t_inflation(df: float, level: float = 0.025) -> float:
    """``t_{1 - level, df} / z_{1 - level}``: how much wider a t interval is than a z one.

    Parameters
    ----------
    df : float
        Degrees of freedom.
    level : float
        One-sided level.

    Returns
    -------
    float
        Above 1, tending to 1 as ``df`` grows (1.064 at 20 df and level 0.025).
    """
    from scipy import special

    level = check_probability("level", level)
    return float(special.stdtrit(df, 1.0 - level) / -special.ndtri(level))


def study_z(
    study: PairedStudy | PairedSummary,
    scale: str = "mean",
    level: float = 0.025,
    name: str = "study",
) -> StudyZ:
    """Map a paired study onto ``(theta, se, z)``.

    Parameters
    ----------
    study : PairedStudy or PairedSummary
        Raw data or a published table.
    scale : {"mean", "dz"}
        The effect: the mean change ``post - pre`` in the data's units, or ``dz`` (mean
        change / SD of change).
    level : float
        The one-sided level at which the standard error is matched to the exact interval
        (of coverage ``1 - 2 level``).
    name : str
        The argument's name, for error messages.

    Returns
    -------
    StudyZ

    Notes
    -----
    The standard error is ``SD / sqrt(n)`` times ``t_{1 - level, n - 1} / z_{1 - level}``,
    so that the normal interval ``theta +- z_{1 - level} se`` is the exact paired-t
    interval, and ``z = theta / se`` passes ``z_{1 - level}`` exactly when the paired t
    passes ``t_{1 - level, n - 1}``: the normal-theory criteria decide as the exact t
    test does at ``level``. The standard error depends on ``n`` and the SD only, not on
    the observed effect, so ``c = se_o^2 / se_r^2`` stays close to ``n_r / n_o``.

    For ``dz`` the SD is itself estimated, and the exact (noncentral t) interval of
    ``dz`` widens with ``|dz|``; the standard error is its width over ``2 z_{1 - level}``
    (about ``sqrt(1 / n + dz^2 / (2 n))``, the large-sample one), so the normal interval
    has the exact interval's width.
    """
    from ..study import PairedStudy
    from ..summary import PairedSummary

    if isinstance(study, PairedStudy):
        moments, source = study.moments(), "raw data"
    elif isinstance(study, PairedSummary):
        moments, source = study.moments(), "summary statistics"
    else:
        raise InputTypeError(
            f"{name} must be a PairedStudy or a PairedSummary; got {type(study).__name__}"
        )
    scale = check_choice("scale", scale, SCALES)
    level = check_probability("level", level)
    n = moments.n
    if n < 2:
        raise InputValueError(f"{name} needs at least 2 pairs; got n = {n}")
    sd = moments.sd_change
    if not (math.isfinite(sd) and sd > 0):
        raise DegenerateDataError(
            f"{name}'s change has SD {sd!r}: its t statistic and standard error are undefined"
        )
    se_mean = sd / math.sqrt(n)
    t = moments.mean_change / se_mean
    if scale == "mean":
        theta = moments.mean_change
        se = se_mean * t_inflation(n - 1.0, level)
    else:
        # dz's exact (noncentral t) interval is wider than the mean's, rescaled, by the
        # uncertainty of the SD: the standard error is matched to its width
        theta = moments.mean_change / sd
        low, high = noncentrality_interval(t, n - 1.0, 1.0 - 2.0 * level)
        se = (high - low) / math.sqrt(n) / (2.0 * _z_quantile(level))
    return StudyZ(n=n, t=t, theta=theta, se=se, z=theta / se, level=level, source=source)


def _z_quantile(level: float) -> float:
    from scipy import special

    return float(-special.ndtri(level))


def _fmt(x: float) -> str:
    if x != x:
        return "NaN"
    return f"{x:.4f}" if (x == 0 or 1e-3 <= abs(x) < 10) else f"{x:.4g}"


def _significance_row(o: StudyZ, r: StudyZ, level: float) -> EvaluationRow:
    from scipy import special

    sign = 1.0 if o.z >= 0 else -1.0
    p = float(special.stdtr(r.n - 1.0, -sign * r.t))  # exact paired-t one-sided p
    ok = p <= level
    return EvaluationRow(
        criterion="significance",
        value=p,
        statistic="p (one-sided)",
        threshold=level,
        success=ok,
        verdict="significant" if ok else "not significant",
        rationale=f"the replication's one-sided paired-t p-value in the original's direction "
        f"is {_fmt(p)} ({'<=' if ok else '>'} {level:g})",
    )


def _sceptical_row(ps_value: float, c: float, level: float, type: str) -> EvaluationRow:
    ok = ps_value <= level
    return EvaluationRow(
        criterion="sceptical p-value",
        value=ps_value,
        statistic="p_S (one-sided)",
        threshold=level,
        success=ok,
        verdict="replication success" if ok else "no replication success",
        rationale=f"{type} sceptical p-value (Held 2020) with c = {c:.3g} is {_fmt(ps_value)} "
        f"({'<=' if ok else '>'} {level:g})",
    )


def _telescope_row(o: StudyZ, r: StudyZ) -> EvaluationRow:
    from ..power import paired_t

    d33 = paired_t(n=o.n, dz=None, power=1.0 / 3.0, alpha=TELESCOPE_ALPHA).effect
    sign = 1.0 if o.t >= 0 else -1.0
    t_r = sign * r.t
    p = nct_cdf(r.n - 1.0, d33 * math.sqrt(r.n), t_r)
    rejected = p < TELESCOPE_ALPHA
    dz_r = sign * r.dz
    return EvaluationRow(
        criterion="small telescopes",
        value=p,
        statistic="p (H0: dz = d33)",
        threshold=TELESCOPE_ALPHA,
        success=not rejected,
        verdict="effect significantly smaller than d33" if rejected else "d33 not rejected",
        rationale=f"replication dz = {dz_r:.3f} against d33 = {d33:.3f} (the effect the "
        f"original's {o.n} pairs had 33% power to detect): one-sided exact noncentral-t p = "
        f"{_fmt(p)} ({'<' if rejected else '>='} {TELESCOPE_ALPHA:g}; Simonsohn 2015)",
    )


def _prediction_row(o: StudyZ, r: StudyZ, level: float) -> EvaluationRow:
    conf = 1.0 - 2.0 * level
    low, mean, high = prediction_interval(o.theta, o.se, r.se, conf, "predictive")
    inside = low <= r.theta <= high
    return EvaluationRow(
        criterion="prediction interval",
        value=r.theta,
        statistic="replication estimate",
        low=low,
        high=high,
        success=inside,
        verdict="inside" if inside else "outside",
        rationale=f"the replication's estimate {_fmt(r.theta)} lies "
        f"{'inside' if inside else 'outside'} the {100 * conf:g}% predictive interval "
        f"around the original's {_fmt(mean)} "
        "(Patil, Peng & Leek 2016)",
    )


def _q_row(o: StudyZ, r: StudyZ, level: float) -> EvaluationRow:
    p = q_test(o.theta, r.theta, o.se, r.se)
    alpha = 2.0 * level
    ok = p > alpha
    return EvaluationRow(
        criterion="Q test",
        value=p,
        statistic="p (two-sided)",
        threshold=alpha,
        success=ok,
        verdict="no evidence of a difference" if ok else "effects differ",
        rationale=f"Q test of equal effects: p = {_fmt(p)} ({'>' if ok else '<='} {alpha:g})"
        + ("; absence of evidence of a difference, not evidence of equality" if ok else ""),
    )


def _fixed_effect_row(o: StudyZ, r: StudyZ, level: float) -> EvaluationRow:
    from scipy import special

    wo, wr = 1.0 / o.se**2, 1.0 / r.se**2
    theta = (wo * o.theta + wr * r.theta) / (wo + wr)
    se = 1.0 / math.sqrt(wo + wr)
    q = float(-special.ndtri(level))
    low, high = theta - q * se, theta + q * se
    sign = 1.0 if o.z >= 0 else -1.0
    p = float(special.ndtr(-sign * theta / se))
    ok = p <= level
    return EvaluationRow(
        criterion="fixed-effect combination",
        value=theta,
        statistic="pooled estimate",
        low=low,
        high=high,
        threshold=level,
        success=ok,
        verdict="pooled effect significant" if ok else "pooled effect not significant",
        rationale=f"inverse-variance pooled estimate {_fmt(theta)} (SE {_fmt(se)}), "
        f"{100 * (1 - 2 * level):g}% interval [{_fmt(low)}, {_fmt(high)}], one-sided p = "
        f"{_fmt(p)}",
    )


def _bf_rows(o: StudyZ, r: StudyZ, threshold: float) -> list[EvaluationRow]:
    bfr = bf_replication(o.theta, o.se, r.theta, r.se)
    bfs = bf_sceptical(o.theta, o.se, r.theta, r.se)
    ok_r = bfr <= threshold
    ok_s = bfs <= threshold  # NaN: False
    why_s = (
        "no sceptical prior can be convinced: the replication's data do not favour the "
        "advocate over any sceptic"
        if math.isnan(bfs)
        else f"BF_S = {_fmt(bfs)} ({'<=' if ok_s else '>'} {threshold:g})"
    )
    return [
        EvaluationRow(
            criterion="replication Bayes factor",
            value=bfr,
            statistic="BF_SA",
            threshold=threshold,
            success=ok_r,
            verdict="evidence for the original's effect"
            if ok_r
            else ("evidence for no effect" if bfr >= 1.0 / threshold else "inconclusive"),
            rationale=f"BF_SA = {_fmt(bfr)}: effect 0 against the original's posterior "
            f"(Verhagen & Wagenmakers 2014); success when <= {threshold:g}",
        ),
        EvaluationRow(
            criterion="sceptical Bayes factor",
            value=bfs,
            statistic="BF_S",
            threshold=threshold,
            success=ok_s,
            verdict="replication success" if ok_s else "no replication success",
            rationale=f"{why_s} (Pawel & Held 2022)",
        ),
    ]


def evaluate(
    original: PairedStudy | PairedSummary,
    replication: PairedStudy | PairedSummary,
    level: float = 0.025,
    *,
    type: str = "golden",
    scale: str = "mean",
    bf_threshold: float = 0.1,
) -> ReplicationEvaluation:
    """Did the replication succeed? Every criterion side by side, each with its verdict.

    Parameters
    ----------
    original, replication : PairedStudy or PairedSummary
        The two studies, raw data or published tables (any mix).
    level : float
        One-sided level in the original's direction (0.025 matches a two-sided 0.05):
        the significance, sceptical p-value and fixed-effect rows are compared with it;
        the prediction and combined intervals have coverage ``1 - 2 level``, and the Q
        test's two-sided level is ``2 level``.
    type : {"golden", "nominal", "controlled"}
        Recalibration of the sceptical p-value.
    scale : {"mean", "dz"}
        The effect: the mean change ``post - pre`` in the data's units (both studies on
        the same instrument; the default), or ``dz`` (mean change / SD of change; studies
        on different scales). On the ``dz`` scale the standard errors carry the
        uncertainty of each study's SD (see :func:`study_z`), so ``zo``, ``zr``, ``c``
        and the criteria built on them differ somewhat from the mean scale; the
        significance and small-telescopes rows do not depend on the scale.
    bf_threshold : float
        The Bayes factors count as success at or below this (1/10: strong evidence).

    Returns
    -------
    ReplicationEvaluation
        ``zo``, ``zr``, ``c``, ``p_sceptical`` and one row per criterion:
        ``significance``, ``sceptical p-value``, ``small telescopes``,
        ``prediction interval``, ``Q test``, ``fixed-effect combination``,
        ``replication Bayes factor``, ``sceptical Bayes factor``.

    Raises
    ------
    InputTypeError
        A study that is neither a PairedStudy nor a PairedSummary.
    InputValueError
        A level or threshold outside (0, 1), an unknown ``type`` or ``scale``.
    DegenerateDataError
        A study whose change has SD 0.

    Notes
    -----
    *From a paired study to (theta, se, z).* The replication literature works with an
    estimate ``theta``, its standard error ``se`` and ``z = theta / se``, taken as normal.
    A paired study gives the mean change ``m``, the SD of change ``s`` and
    ``t = m / (s / sqrt(n))`` with ``n - 1`` degrees of freedom, whose tails are heavier
    than the normal's for small ``n``. The standard error is therefore matched to the t
    distribution at the level of the evaluation:
    ``se = (s / sqrt(n)) t_{1 - level, n - 1} / z_{1 - level}`` (6.4 % more than
    ``s / sqrt(n)`` at 20 df), so that each study's normal interval is its exact paired-t
    interval and ``z`` crosses ``z_{1 - level}`` exactly when ``t`` crosses
    ``t_{1 - level, n - 1}``. The significance row uses the exact t-test itself. The
    docs (explanation, *Replication success*) compare this choice with the exact t-based
    prediction interval and Q test, and with the alternatives ``z = t`` (overstates a
    small study) and ``z`` with the t-test's p-value (inflates the standard error of a
    strong study, and with it ``c``).

    *Small telescopes* (Simonsohn 2015) is computed exactly with the noncentral t: ``d33``
    solves ``power(n_o, d33) = 1/3`` for the two-sided paired t-test at 0.05, and the
    replication's t is tested against ``dz = d33`` one-sided at 0.05. The row's success
    means ``d33`` is not rejected (the original's effect may be one it could detect).

    References
    ----------
    Held, L. (2020); Held, L., Micheloud, C. & Pawel, S. (2022); Simonsohn, U. (2015);
    Patil, P., Peng, R. D. & Leek, J. T. (2016); Verhagen, J. & Wagenmakers, E.-J.
    (2014); Pawel, S. & Held, L. (2022). See the module's references.
    """
    level = check_probability("level", level)
    if not level < 0.5:
        raise InputValueError(f"level must be below 0.5 (one-sided); got {level!r}")
    type = check_choice("type", type, TYPES)
    scale = check_choice("scale", scale, SCALES)
    bf_threshold = check_probability("bf_threshold", bf_threshold)
    o = study_z(original, scale, level, "original")
    r = study_z(replication, scale, level, "replication")
    c = (o.se / r.se) ** 2
    notes: list[str] = []
    from ..study import PairedStudy

    for role, study in (("original", original), ("replication", replication)):
        # the paired t uses the complete pairs only (a PairedSummary has no halves)
        left_out = study.left_out_note() if isinstance(study, PairedStudy) else None
        if left_out is not None:
            notes.append(f"{role}: {left_out}")
    if o.z == 0:
        notes.append("the original's effect is exactly 0: it has no direction to replicate")
    ps_value = p_sceptical(o.z, r.z, c, "one-sided", type)
    rows: list[Any] = [
        _significance_row(o, r, level),
        _sceptical_row(ps_value, c, level, type),
        _telescope_row(o, r),
        _prediction_row(o, r, level),
        _q_row(o, r, level),
        _fixed_effect_row(o, r, level),
        *_bf_rows(o, r, bf_threshold),
    ]
    return ReplicationEvaluation(
        zo=o.z,
        zr=r.z,
        c=c,
        p_sceptical=ps_value,
        rows=rows,
        level=level,
        type=type,
        scale=scale,
        theta_original=o.theta,
        se_original=o.se,
        theta_replication=r.theta,
        se_replication=r.se,
        t_original=o.t,
        t_replication=r.t,
        n_original=o.n,
        n_replication=r.n,
        source_original=o.source,
        source_replication=r.source,
        notes=notes,
    )
