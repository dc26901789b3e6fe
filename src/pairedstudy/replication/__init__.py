"""Replication sample-size planning that does not take a small study's effect at face value.

:func:`plan` puts the methods the literature recommends side by side for a paired design:

* **naive**: the observed ``dz`` (known to under-size replications of small significant
  studies: their effects are inflated by selection and noise);
* **bias-corrected**: Hedges' ``gz``;
* **safeguard power** (Perugini, Gallucci & Costantini 2014): the lower limit of a
  two-sided 60 % interval of ``dz``;
* **small telescopes** (Simonsohn 2015): ``d33``, the effect the original study had 33 %
  power to detect, and the ``n`` to reject ``d33`` with 80 % power if the truth is 0;
* **BUCSS** (Anderson, Kelley & Maxwell 2017): the noncentrality at the chosen assurance
  of the likelihood of the observed ``t`` truncated to significant results (publication
  bias) — the dependent-t method of the R package BUCSS;
* **expected power** (assurance in the Bayesian sense; O'Hagan, Stevens & Campbell
  2005): the ``n`` whose power, averaged over the uncertainty of ``dz``, reaches the target;
* **AIPE** (Kelley 2007; MBESS ``ss.aipe.sm``): the ``n`` whose interval for ``dz`` (or
  for the mean change) has a target width, optionally with assurance;
* **replication success** (Held 2020; Held, Micheloud & Pawel 2022): the ``n`` at which
  the golden sceptical p-value shows success with the target probability, under the
  conditional and the predictive design priors;
* **significance (predictive)**: the ``n`` whose predictive power (the original's
  uncertainty averaged over) reaches the target (Micheloud & Held 2022);
* the **Wilcoxon** (A.R.E.) and **sign** tests at the naive effect.

After the replication, :func:`evaluate` judges it by every criterion of success
(:mod:`pairedstudy.replication.evaluate`); the z-scale functions behind both
(:func:`p_sceptical`, :func:`sample_size_replication_success`, the Bayes factors, ...) live
in :mod:`pairedstudy.replication.success`.

References
----------
.. [1] Perugini, M., Gallucci, M. & Costantini, G. (2014). Safeguard power as a protection
   against imprecise power estimates. Perspectives on Psychological Science 9(3), 319-332.
.. [2] Simonsohn, U. (2015). Small telescopes: detectability and the evaluation of
   replication results. Psychological Science 26(5), 559-569.
.. [3] Anderson, S. F., Kelley, K. & Maxwell, S. E. (2017). Sample-size planning for more
   accurate statistical power: a method adjusting sample effect sizes for publication
   bias and uncertainty. Psychological Science 28(11), 1547-1562.
.. [4] Taylor, D. J. & Muller, K. E. (1996). Bias in linear model power and sample size
   calculation due to estimating noncentrality. Communications in Statistics: Theory and
   Methods 25(7), 1595-1610.
.. [5] O'Hagan, A., Stevens, J. W. & Campbell, M. J. (2005). Assurance in clinical trial
   design. Pharmaceutical Statistics 4(3), 187-201.
.. [6] Kelley, K. (2007). Confidence intervals for standardized effect sizes: theory,
   application, and implementation. Journal of Statistical Software 20(8).
.. [8] Held, L. (2020). A new standard for the analysis and design of replication
   studies (with discussion). JRSS A 183(2), 431-448.
.. [9] Held, L., Micheloud, C. & Pawel, S. (2022). The assessment of replication success
   based on relative effect size. The Annals of Applied Statistics 16(2), 706-720.
.. [10] Micheloud, C. & Held, L. (2022). Power calculations for replication studies.
   Statistical Science 37(3), 369-379.
.. [7] Kelley, K. & Rausch, J. R. (2006). Sample size planning for the standardized mean
   difference: accuracy in parameter estimation via narrow confidence intervals.
   Psychological Methods 11(4), 363-385.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from .._noncentral import nct_cdf, noncentrality_interval, t_power
from .._validation import check_alternative, check_probability, check_real
from ..errors import InputTypeError, InputValueError, PairedStudyError
from ..moments import Moments
from ..power._common import smallest_n
from ..results import PlanRow, PowerResult, ReplicationPlan
from ..results.replication import EvaluationRow, ReplicationEvaluation
from .evaluate import StudyZ, evaluate, study_z, t_inflation
from .success import (
    bf_replication,
    bf_sceptical,
    effect_size_replication_success,
    level_sceptical,
    p2z,
    p_sceptical,
    power_replication_success,
    power_significance,
    prediction_interval,
    q_test,
    sample_size_replication_success,
    sample_size_significance,
    z2p,
    z_sceptical,
)

if TYPE_CHECKING:
    from ..study import PairedStudy
    from ..summary import PairedSummary

__all__ = [
    "EvaluationRow",
    "PlanRow",
    "ReplicationEvaluation",
    "ReplicationPlan",
    "StudyZ",
    "bf_replication",
    "bf_sceptical",
    "effect_size_replication_success",
    "evaluate",
    "level_sceptical",
    "p2z",
    "p_sceptical",
    "plan",
    "power_replication_success",
    "power_significance",
    "prediction_interval",
    "q_test",
    "sample_size_replication_success",
    "sample_size_significance",
    "study_z",
    "t_inflation",
    "z2p",
    "z_sceptical",
]

#: Replication sizes are searched up to this many pairs.
N_LIMIT = 1_000_000


# --------------------------------------------------------------------------------------
# the original study


@attrs.frozen(kw_only=True)
class _Planning:
    """What every row of the plan needs: the original study and the replication's targets."""

    n0: int
    sd: float
    dz: float
    t: float
    source: str
    power: float
    alpha: float
    alternative: str

    @property
    def sign(self) -> float:
        """+1 or -1: the sign in which the replication's effect is planned."""
        return _direction(self.dz, self.alternative)

    @property
    def opposed(self) -> bool:
        """Whether the planned alternative points against the original effect."""
        return self.sign * self.dz <= 0

    @property
    def against(self) -> str:
        return (
            f"the original effect (dz = {self.dz:.3f}) points against the planned alternative "
            f"'{self.alternative}': nothing to replicate in that direction"
        )

    def none_row(self, method: str, why: str, planning: float | None = None) -> PlanRow:
        """A row without an ``n``, saying why."""
        return PlanRow(method=method, dz=planning, n=None, power=None, rationale=why)

    def opposed_row(self, method: str) -> PlanRow:
        """The row of an effect-based method when the alternative opposes the original."""
        return self.none_row(method, self.against, self.dz)


def _original_moments(original: PairedStudy | PairedSummary) -> tuple[Moments, str]:
    """The original's :class:`~pairedstudy.moments.Moments` and its source label."""
    from ..study import PairedStudy
    from ..summary import PairedSummary

    if isinstance(original, PairedStudy):
        return original.moments(), "raw data"
    if isinstance(original, PairedSummary):
        return original.moments(), "summary statistics"
    raise InputTypeError(
        f"original must be a PairedStudy or a PairedSummary; got {type(original).__name__}"
    )


def _original(
    original: PairedStudy | PairedSummary, power: float, alpha: float, alternative: str
) -> _Planning:
    """The original study as the planner sees it (n, SD of change, dz, t)."""
    moments, source = _original_moments(original)
    n = moments.n
    if n < 3:
        raise InputValueError(f"the original study needs at least 3 pairs; got n = {n}")
    if not moments.sd_change > 0:
        raise InputValueError("the original's change has SD 0: its dz is undefined")
    dz = moments.mean_change / moments.sd_change
    return _Planning(
        n0=n,
        sd=moments.sd_change,
        dz=dz,
        t=dz * math.sqrt(n),
        source=source,
        power=power,
        alpha=alpha,
        alternative=alternative,
    )


# --------------------------------------------------------------------------------------
# the methods: one function per row


_TOO_MANY = f"more than {N_LIMIT:,} pairs would be needed"


def _t_row(method: str, dz: float, why: str, c: _Planning) -> PlanRow:
    """A row planned with the paired t-test at effect ``dz``."""
    from ..power import paired_t

    try:
        result = paired_t(dz=dz, power=c.power, alpha=c.alpha, alternative=c.alternative)
    except PairedStudyError:
        return c.none_row(method, f"{why}; {_TOO_MANY}", dz)
    if result.n is None or result.n > N_LIMIT:
        return c.none_row(method, f"{why}; {_TOO_MANY}", dz)
    return PlanRow(method=method, dz=dz, n=result.n, power=result.power, rationale=why)


def _rank_row(
    method: str, solve: Callable[[], PowerResult], why: str, efficiency: float, c: _Planning
) -> PlanRow:
    """A rank-test row, refused early when it would need more than N_LIMIT pairs.

    The rank test needs about the t-test's ``n`` divided by its efficiency (3/pi for the
    signed-rank, 2/pi for the sign test under normality), which is checked first so that
    hopeless searches are not run.
    """
    from ..power import paired_t

    try:
        t_n = paired_t(dz=c.dz, power=c.power).n
        if t_n is None or t_n / efficiency > N_LIMIT:
            raise InputValueError(_TOO_MANY)
        result = solve()
    except PairedStudyError:
        return c.none_row(method, f"{why}; {_TOO_MANY}", c.dz)
    if result.n is None or result.n > N_LIMIT:
        return c.none_row(method, f"{why}; {_TOO_MANY}", c.dz)
    return PlanRow(method=method, dz=c.dz, n=result.n, power=result.power, rationale=why)


def _naive_row(c: _Planning) -> PlanRow:
    """The observed ``dz`` at face value."""
    if c.opposed:
        return c.opposed_row("naive")
    why = "the observed dz at face value (inflated for small significant studies)"
    return _t_row("naive", c.dz, why, c)


def _bias_corrected_row(c: _Planning) -> PlanRow:
    """Hedges' ``gz``: ``dz`` times the exact small-sample factor ``J(n - 1)``."""
    from ..effect_sizes import hedges_j

    method = "bias-corrected (gz)"
    if c.opposed:
        return c.opposed_row(method)
    j = hedges_j(c.n0 - 1)
    why = f"Hedges' small-sample correction J({c.n0 - 1}) = {j:.4f}"
    return _t_row(method, c.dz * j, why, c)


def _safeguard_row(c: _Planning, safeguard_level: float) -> PlanRow:
    """Safeguard power: the limit of a two-sided interval of ``dz`` nearest 0."""
    if c.opposed:
        return c.opposed_row("safeguard")
    low, high = noncentrality_interval(c.t, c.n0 - 1, safeguard_level)
    safeguard = (low if c.sign > 0 else high) / math.sqrt(c.n0)
    why = f"limit of the two-sided {100 * safeguard_level:g}% interval of dz nearest 0"
    if c.sign * safeguard <= 0:
        return c.none_row(
            "safeguard",
            f"{why} is {safeguard:.3f}: the interval reaches 0, no effect to plan for",
            safeguard,
        )
    return _t_row("safeguard", safeguard, why, c)


#: Simonsohn's d33 is the effect the original had 33 % power to detect at this
#: (two-sided) significance level, whatever the replication's alpha.
TELESCOPE_ALPHA = 0.05


def _telescope_row(c: _Planning) -> PlanRow:
    """Small telescopes: d33, then the exact one-sided test of H0: delta = d33.

    The replication rejects ``δ = d33`` in favour of ``δ < d33`` when its t falls below
    the 5 % quantile of the noncentral t with noncentrality ``d33 sqrt(n)``; the ``n`` is
    the smallest for which that happens with 80 % probability when ``δ = 0``.
    """
    from scipy import special

    from ..power import paired_t

    if c.opposed:
        return c.opposed_row("small telescopes")
    n0 = c.n0
    d33 = paired_t(n=n0, dz=None, power=1.0 / 3.0, alpha=TELESCOPE_ALPHA).effect

    def power_at(n: int) -> float:
        q = float(special.nctdtrit(n - 1.0, d33 * math.sqrt(n), TELESCOPE_ALPHA))
        return float(special.stdtr(n - 1.0, q))

    n = smallest_n(lambda k: power_at(k) >= 0.8, 3, minimum=3, limit=N_LIMIT)
    return PlanRow(
        method="small telescopes",
        dz=c.sign * d33,
        n=n,
        power=None if n is None else power_at(n),
        rationale=(
            f"d33 = {d33:.3f} (the original had 33% power for it at alpha 0.05); n whose "
            "one-sided 5% test rejects d33 with 80% power if the true effect is 0"
            + ("" if n is None else f" ({n / n0:.1f} x original n)")
            + _telescope_fixed_note(c)
        ),
    )


def _telescope_fixed_note(c: _Planning) -> str:
    """Say so when the plan's power or alpha differ from the method's fixed 80 % and 5 %."""
    if c.power == 0.8 and c.alpha == TELESCOPE_ALPHA and c.alternative == "two-sided":
        return ""
    return (
        f"; the method fixes 80% power, alpha 0.05 and its own one-sided test: the plan's "
        f"power {c.power:g}, alpha {c.alpha:g} and alternative '{c.alternative}' do not "
        "apply to this row"
    )


def _bucss_row(c: _Planning, alpha_prior: float, assurance: float) -> PlanRow:
    """BUCSS: a truncated-likelihood noncentrality, then the smallest n."""
    from scipy import special

    label = "BUCSS"
    if c.opposed:
        return c.opposed_row(label)
    t = c.t * c.sign
    n0 = c.n0
    crit = float(special.stdtrit(n0 - 1.0, 1.0 - alpha_prior / 2.0)) if alpha_prior < 1 else 0.0
    if alpha_prior < 1 and abs(t) <= crit:
        return c.none_row(
            label,
            f"the original is not significant at alpha_prior = {alpha_prior:g}; as BUCSS "
            "prescribes, raise alpha_prior (1 corrects for uncertainty only)",
        )
    lam = _bucss_noncentrality(abs(t), n0, min(alpha_prior, 0.999), assurance)
    if not math.isfinite(lam):
        return c.none_row(
            label,
            "the corrected noncentrality lies beyond 10^6: no replication is needed to see "
            "an effect this large",
        )
    if lam <= 0:
        return c.none_row(
            label,
            f"the corrected noncentrality is 0 at assurance {assurance:g}: lower the "
            "assurance or raise alpha_prior",
            0.0,
        )
    dz = c.sign * lam / math.sqrt(n0)
    n = smallest_n(
        lambda k: t_power(k, dz, c.alpha, c.alternative) >= c.power, 2, minimum=2, limit=N_LIMIT
    )
    return PlanRow(
        method=label,
        dz=dz,
        n=n,
        power=None if n is None else t_power(n, dz, c.alpha, c.alternative),
        rationale=(
            f"noncentrality at assurance {assurance:g} of the likelihood truncated to "
            f"|t| > t_crit(alpha_prior = {alpha_prior:g})"
        ),
    )


def _expected_power_row(c: _Planning) -> PlanRow:
    """Expected power: the n whose power averaged over the uncertainty of dz reaches it."""
    from scipy import special

    method = "expected power"
    if c.opposed:
        return c.opposed_row(method)
    dz, n0 = c.dz, c.n0
    ceiling = float(special.ndtr(abs(dz) / math.sqrt(1.0 / n0 + dz * dz / (2.0 * n0))))
    unreachable = c.none_row(
        method,
        f"unreachable: averaged power cannot exceed P(effect has the original's "
        f"sign) = {ceiling:.3f}",
        dz,
    )
    if c.power >= ceiling:
        return unreachable

    def reaches(k: int) -> bool:
        return _expected_power(k, dz, n0, c.alpha, c.alternative) >= c.power

    n = smallest_n(reaches, 2, minimum=2, limit=N_LIMIT)
    if n is None:
        return unreachable
    return PlanRow(
        method=method,
        dz=dz,
        n=n,
        power=_expected_power(n, dz, n0, c.alpha, c.alternative),
        rationale="power averaged over the uncertainty of dz reaches the target",
    )


#: The plan's rows designed for replication success or predictive significance:
#: (method, criterion, design prior).
SUCCESS_ROWS = (
    ("replication success (conditional)", "success", "conditional"),
    ("replication success (predictive)", "success", "predictive"),
    ("significance (predictive)", "significance", "predictive"),
)


def _success_row(c: _Planning, method: str, criterion: str, design_prior: str) -> PlanRow:
    """A row planned on the z scale: ``n = ceil(c n_o)`` for the relative size ``c``.

    ``zo = t z_{1 - level} / t_{1 - level, n_o - 1}``, the original's z with its standard
    error matched to the t distribution at the level (as :func:`evaluate` maps a study);
    the level is one-sided in the original's direction (``alpha / 2`` for a two-sided
    plan). The row's power is that of the whole ``n`` (``c = n / n_o``, equal SDs) under
    the design prior.
    """
    if c.opposed:
        return c.opposed_row(method)
    level = c.alpha / 2.0 if c.alternative == "two-sided" else c.alpha
    k0 = t_inflation(c.n0 - 1.0, level)
    zo = abs(c.t) / k0

    def c_of(n: int) -> float:
        # se_o^2 / se_r^2 with both standard errors matched to their own t (equal SDs)
        return n / c.n0 * (k0 / t_inflation(n - 1.0, level)) ** 2

    if criterion == "success":
        what = f"golden sceptical p-value <= {level:g} (one-sided)"

        def solve() -> float:
            return sample_size_replication_success(
                zo, c.power, level, "one-sided", "golden", design_prior
            )

        def power_at(n: int) -> float:
            return power_replication_success(
                zo, c_of(n), level, design_prior, "one-sided", "golden"
            )
    else:
        what = f"one-sided significance at {level:g}"

        def solve() -> float:
            return sample_size_significance(zo, c.power, level, "one-sided", design_prior)

        def power_at(n: int) -> float:
            return power_significance(zo, c_of(n), level, design_prior, "one-sided")

    why = f"{what}, {design_prior} design prior, original z = {zo:.3f}"
    if not level < c.power:
        return c.none_row(method, f"{why}; the target power must exceed the level", c.dz)
    relative = solve()  # c for equal standard errors per pair: the starting point
    if math.isnan(relative):
        return c.none_row(
            method, f"{why}: power {c.power:g} cannot be reached at any replication size", c.dz
        )
    if relative * c.n0 > N_LIMIT:
        return c.none_row(method, f"{why}; {_TOO_MANY}", c.dz)
    # the replication's own t widens its standard error: step up from the z-scale answer
    n = max(math.ceil(relative * c.n0 - 1e-9), 2)
    for _ in range(_STEPS):
        if power_at(n) >= c.power:
            break
        n += 1
    else:
        return c.none_row(
            method, f"{why}: power {c.power:g} not reached within {_STEPS} pairs more", c.dz
        )
    while n > 2 and power_at(n - 1) >= c.power:
        n -= 1
    return PlanRow(
        method=method,
        dz=c.dz,
        n=n,
        power=power_at(n),
        rationale=f"{why}; c = {c_of(n):.3f} at n = {n} (both standard errors matched to "
        "their t distributions)",
    )


#: How far the success rows step beyond the z-scale answer before giving up.
_STEPS = 10_000


def _with_assurance(aipe_assurance: float | None) -> str:
    return f" with assurance {aipe_assurance:g}" if aipe_assurance else ""


def _aipe_dz_row(c: _Planning, aipe_width: float, aipe_assurance: float | None) -> PlanRow:
    """AIPE for ``dz``: the n whose interval of dz is at most ``aipe_width`` wide."""
    n = aipe_dz(c.dz, aipe_width, 1.0 - c.alpha, aipe_assurance)
    return PlanRow(
        method="AIPE dz",
        dz=c.dz,
        n=n,
        power=None if n is None or c.opposed else t_power(n, c.dz, c.alpha, c.alternative),
        rationale=f"{100 * (1 - c.alpha):g}% interval of dz at most {aipe_width:g} wide"
        + _with_assurance(aipe_assurance),
    )


def _aipe_mean_row(c: _Planning, aipe_width_mean: float, aipe_assurance: float | None) -> PlanRow:
    """AIPE for the mean change: the n whose t interval is at most that wide."""
    n = aipe_mean(c.sd, aipe_width_mean, 1.0 - c.alpha, aipe_assurance)
    return PlanRow(
        method="AIPE mean change",
        dz=c.dz,
        n=n,
        power=None if n is None or c.opposed else t_power(n, c.dz, c.alpha, c.alternative),
        rationale=f"{100 * (1 - c.alpha):g}% interval of the mean change at most "
        f"{aipe_width_mean:g} wide (SD of change {c.sd:.4g}){_with_assurance(aipe_assurance)}",
    )


def _wilcoxon_row(c: _Planning) -> PlanRow:
    """The signed-rank test by G*Power's A.R.E. method, at the naive effect."""
    from ..power import wilcoxon

    method = "Wilcoxon (ARE)"
    if c.opposed:
        return c.opposed_row(method)
    return _rank_row(
        method,
        lambda: wilcoxon(dz=c.dz, power=c.power, alpha=c.alpha, alternative=c.alternative),
        "t-test n / A.R.E. 3/pi (normal changes), at the naive effect",
        3.0 / math.pi,
        c,
    )


def _sign_row(c: _Planning) -> PlanRow:
    """The exact sign test at ``P(change > 0) = Phi(dz)`` (normal changes)."""
    from scipy import special

    from ..power import sign_test

    method = "sign test"
    if c.opposed:
        return c.opposed_row(method)
    # Phi(dz) rounds to 1 for dz > 8.3, which the sign test refuses (p < 1): the largest
    # double below 1 stands for it (and the smallest above 0 for Phi(dz) = 0)
    p_plus = min(max(float(special.ndtr(c.dz)), math.ulp(0.0)), 1.0 - 2.0**-53)
    return _rank_row(
        method,
        lambda: sign_test(p=p_plus, power=c.power, alpha=c.alpha, alternative=c.alternative),
        f"exact binomial; P(change > 0) = Phi(dz) = {p_plus:.3f} for normal changes, "
        "at the naive effect",
        2.0 / math.pi,
        c,
    )


def _direction(dz: float, alternative: str) -> float:
    """+1 or -1: the sign in which the replication's effect is planned."""
    if alternative == "less":
        return -1.0
    if alternative == "greater":
        return 1.0
    return 1.0 if dz >= 0 else -1.0


def _bucss_noncentrality(t_obs: float, n: int, alpha_prior: float, assurance: float) -> float:
    """Noncentrality at the ``assurance`` point of the truncated likelihood (BUCSS).

    With ``T`` the paired t of the original (``n - 1`` df) and the truncation
    ``|T| > t_crit`` (only significant results published), the conditional probability
    ``[P(t_crit < T < t_obs) + P(-t_obs < T < -t_crit)] / P(|T| > t_crit)`` falls as the
    noncentrality ``λ`` grows; BUCSS takes the ``λ`` where it equals ``assurance``
    (Taylor & Muller 1996), so 0.5 gives a median-unbiased ``λ`` and more assurance a
    smaller one. BUCSS searches a grid of step 0.001; this solves the same equation by
    Brent's method.
    """
    from scipy import optimize, special

    df = n - 1.0
    crit = float(special.stdtrit(df, 1.0 - alpha_prior / 2.0))

    def conditional(lam: float) -> float:
        above_crit = nct_cdf(df, -lam, -crit)  # P(T > crit)
        below_neg = nct_cdf(df, lam, -crit)  # P(T < -crit)
        above_obs = nct_cdf(df, -lam, -t_obs)  # P(T > t_obs)
        below_neg_obs = nct_cdf(df, lam, -t_obs)  # P(T < -t_obs)
        power = above_crit + below_neg
        between = (above_crit - above_obs) + (below_neg - below_neg_obs)
        return between / power - assurance

    if conditional(0.0) <= 0:
        return 0.0
    high = max(2.0 * t_obs, 1.0)
    while conditional(high) > 0:
        high *= 2.0
        if high > 1e6:
            return math.inf
    return float(optimize.brentq(conditional, 0.0, high, xtol=1e-10))


def _expected_power(n: int, dz: float, n0: int, alpha: float, alternative: str) -> float:
    """Power averaged over the uncertainty of ``dz``: ``δ ~ N(dz, 1/n0 + dz²/(2 n0))``.

    Only rejections in the direction of the original effect count (a significant result
    of the opposite sign is no replication), so for a two-sided test the power is that of
    its tail on the original's side.
    """
    from scipy import integrate, special

    sd = math.sqrt(1.0 / n0 + dz * dz / (2.0 * n0))
    if alternative == "two-sided":  # the tail on the original's side, at alpha / 2
        side, level = ("greater" if dz >= 0 else "less"), alpha / 2.0
    else:
        side, level = alternative, alpha

    def integrand(z: float) -> float:  # over the standard normal z of delta
        return t_power(float(n), dz + sd * z, level, side) * math.exp(-z * z / 2.0)

    # power is nearly a step in delta for large n: tell quad where the step is
    crit = float(special.stdtrit(n - 1.0, 1.0 - level)) / math.sqrt(n)
    step = ((crit if side == "greater" else -crit) - dz) / sd
    points = [p for p in (step, 0.0) if -12.0 < p < 12.0]
    value, _ = integrate.quad(
        integrand, -12.0, 12.0, points=points or None, limit=200, epsabs=1e-10, epsrel=1e-9
    )
    return value / math.sqrt(2.0 * math.pi)


def _dz_interval_width(n: int, dz: float, level: float) -> float:
    low, high = noncentrality_interval(dz * math.sqrt(n), n - 1, level)
    return (high - low) / math.sqrt(n)


def aipe_dz(
    dz: float, width: float, confidence_level: float = 0.95, assurance: float | None = None
) -> int | None:
    """Smallest ``n`` whose noncentral-t interval for ``dz`` is at most ``width`` wide.

    Parameters
    ----------
    dz : float
        The planning value of the standardized mean change.
    width : float
        Target full width of the interval.
    confidence_level : float
        Level of the interval.
    assurance : float, optional
        With assurance ``γ``, the width is computed at the ``γ`` quantile of the sampling
        distribution of ``|d|`` (the interval widens with ``|d|``), so the interval is at
        most ``width`` wide with probability at least ``γ`` under normality (Kelley &
        Rausch 2006; Kelley 2007, MBESS ``ss.aipe.sm``); without it, at the planning value
        itself. The quantile is that of ``|d|``, both tails of ``d`` counted: near
        ``dz = 0`` the quantile of the signed ``d`` falls short (at ``dz = 0``, width 0.5,
        95 %, assurance 0.8 it gives 62 pairs, whose assurance is 0.695; 63 reach 0.8).

    Returns
    -------
    int or None
        ``None`` when no ``n`` up to a million is enough.
    """
    dz = abs(check_real("dz", dz))
    width = check_real("width", width)
    if width <= 0:
        raise InputValueError(f"width must be positive; got {width!r}")
    level = check_probability("confidence_level", confidence_level)
    if assurance is not None:
        assurance = check_probability("assurance", assurance)

    def narrow_enough(n: int) -> bool:
        d = dz
        if assurance is not None:
            d = _abs_t_quantile(n - 1.0, dz * math.sqrt(n), assurance) / math.sqrt(n)
        return _dz_interval_width(n, d, level) <= width

    return smallest_n(narrow_enough, 3, minimum=3, limit=N_LIMIT)


def _abs_t_quantile(df: float, ncp: float, probability: float) -> float:
    """The ``probability`` quantile of ``|T|`` for a noncentral t ``T`` (df, ncp).

    Solves ``P(-q <= T <= q) = probability`` for ``q >= 0``. Near ``ncp = 0`` both tails
    of ``T`` count: the quantile of the signed ``T`` would be too small there (at
    ``ncp = 0`` it is the ``probability`` quantile, not the ``(1 + probability) / 2`` one).
    """
    from scipy import optimize, special

    def inside(q: float) -> float:
        return nct_cdf(df, ncp, q) - nct_cdf(df, ncp, -q) - probability

    # P(|T| <= q) >= probability once q passes both two-sided quantiles of T
    tail = (1.0 - probability) / 2.0
    high = max(
        abs(float(special.nctdtrit(df, ncp, 1.0 - tail))),
        abs(float(special.nctdtrit(df, ncp, tail))),
    )
    while inside(high) < 0:  # guard against the inverse's rounding
        high = 2.0 * high + 1e-6
    return float(optimize.brentq(inside, 0.0, high, xtol=1e-12, rtol=1e-13, maxiter=500))


def aipe_mean(
    sd: float, width: float, confidence_level: float = 0.95, assurance: float | None = None
) -> int | None:
    """Smallest ``n`` whose t interval for the mean change is at most ``width`` wide.

    The width is ``2 t_{1-α/2, n-1} s / sqrt(n)``; ``s`` is the planning SD of the change
    (expected width, using ``E[s] ≈ σ``) or, with assurance ``γ``, its ``γ`` quantile
    ``σ sqrt(χ²_{γ, n-1} / (n - 1))`` (Kelley & Rausch 2006), so the interval is narrow
    enough with probability ``γ`` under normality.
    """
    from scipy import special

    sd = check_real("sd", sd)
    width = check_real("width", width)
    if sd <= 0 or width <= 0:
        raise InputValueError("sd and width must be positive")
    level = check_probability("confidence_level", confidence_level)
    if assurance is not None:
        assurance = check_probability("assurance", assurance)

    def narrow_enough(n: int) -> bool:
        s = sd
        if assurance is not None:
            s = sd * math.sqrt(float(special.chdtri(n - 1.0, 1.0 - assurance)) / (n - 1.0))
        crit = float(special.stdtrit(n - 1.0, 1.0 - (1.0 - level) / 2.0))
        return 2.0 * crit * s / math.sqrt(n) <= width

    return smallest_n(narrow_enough, 2, minimum=2, limit=N_LIMIT)


def plan(
    original: PairedStudy | PairedSummary,
    power: float = 0.8,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    *,
    safeguard_level: float = 0.6,
    alpha_prior: float = 0.05,
    assurance: float = 0.8,
    aipe_width: float = 0.5,
    aipe_width_mean: float | None = None,
    aipe_assurance: float | None = None,
) -> ReplicationPlan:
    """How many pairs a replication needs, by every serious method, side by side.

    Parameters
    ----------
    original : PairedStudy or PairedSummary
        The study to replicate (raw data or its published table).
    power : float
        Target power of the replication.
    alpha : float
        Significance level of the replication.
    alternative : {"two-sided", "less", "greater"}
        The replication's alternative (about the mean of ``post - pre``).
    safeguard_level : float
        Level of the two-sided interval whose lower limit is the safeguard effect (0.6
        as Perugini et al. recommend).
    alpha_prior : float
        The significance threshold the original passed to be published (BUCSS); 1 means
        no publication bias (uncertainty only).
    assurance : float
        BUCSS assurance: the probability that the replication reaches the target power.
    aipe_width : float
        Target full width of the interval for ``dz`` (AIPE).
    aipe_width_mean : float, optional
        Target full width of the interval for the mean change, in the data's units.
    aipe_assurance : float, optional
        Assurance for the AIPE rows (probability that the interval is that narrow).

    Returns
    -------
    ReplicationPlan
        Rows ``naive``, ``bias-corrected (gz)``, ``safeguard``, ``small telescopes``,
        ``BUCSS``, ``expected power``, ``replication success (conditional)``,
        ``replication success (predictive)``, ``significance (predictive)``, ``AIPE dz``
        (and ``AIPE mean`` when asked), ``Wilcoxon (ARE)`` and ``sign test``; each with
        ``dz``, ``n``, ``power`` and a rationale. A method that cannot give an ``n`` (a
        non-positive safeguard effect, a non-significant original for BUCSS, an
        unreachable expected power) has ``n = None`` and says why.

    Notes
    -----
    *Small telescopes* for a paired design: ``d33`` solves ``power(n_original, d33) =
    1/3`` for the two-sided test at 0.05, as Simonsohn (whatever the replication's
    ``alpha``); the replication tests ``H0: δ = d33`` against ``δ < d33`` one-sided at
    0.05 with the exact (noncentral t) null distribution, and needs the ``n`` that rejects
    with 80 % power when ``δ = 0``. The row keeps these fixed levels whatever ``power``,
    ``alpha`` and ``alternative`` the plan is given (its rationale says so when they
    differ). For an original of about 25-40 pairs this is about 2.5 times the original
    ``n``, Simonsohn's rule of thumb; the ratio falls for smaller originals (2.4 at
    ``n = 21``) and rises towards ``((z_0.95 + z_0.8) / (z_0.975 - z_(2/3)))^2 = 2.64``
    as the original grows.

    If the planned alternative points against the original effect, every effect-based row
    is ``None`` with that reason; the AIPE rows (precision) remain.

    *Replication success* rows plan for the golden sceptical p-value (Held, Micheloud &
    Pawel 2022) at the one-sided level ``alpha / 2`` (``alpha`` for a one-sided plan),
    with the original's z from its paired t, ``t z_{1 - level} / t_{1 - level, n - 1}``
    (its standard error matched to the t distribution, as :func:`evaluate`); the conditional
    design prior trusts the original effect, the predictive one averages over its
    uncertainty. *Significance (predictive)* is the predictive power of an ordinary
    significance test. A row is ``None`` where the target power cannot be reached (an
    original too weak for success at that level, or a predictive power that levels off
    below the target).

    *Expected power* averages the power over ``δ ~ N(dz, 1/n + dz²/(2n))``, the large-
    sample distribution of ``dz``, by adaptive quadrature, counting only significant
    results in the original's direction. It cannot exceed the probability that ``δ`` has
    that sign, so high targets may be unreachable.
    """
    power = check_probability("power", power)
    alpha = check_probability("alpha", alpha)
    alternative = check_alternative(alternative)
    safeguard_level = check_probability("safeguard_level", safeguard_level)
    alpha_prior = check_real("alpha_prior", alpha_prior)
    if not 0 < alpha_prior <= 1:
        raise InputValueError(f"alpha_prior must lie in (0, 1]; got {alpha_prior!r}")
    assurance = check_probability("assurance", assurance)
    if aipe_assurance is not None:
        aipe_assurance = check_probability("aipe_assurance", aipe_assurance)
        if aipe_assurance <= 0.5:
            raise InputValueError(
                f"aipe_assurance must exceed 0.5 (as MBESS); got {aipe_assurance!r}"
            )
    c = _original(original, power, alpha, alternative)
    rows = [
        _naive_row(c),
        _bias_corrected_row(c),
        _safeguard_row(c, safeguard_level),
        _telescope_row(c),
        _bucss_row(c, alpha_prior, assurance),
        _expected_power_row(c),
        *(_success_row(c, *row) for row in SUCCESS_ROWS),
        _aipe_dz_row(c, aipe_width, aipe_assurance),
    ]
    if aipe_width_mean is not None:
        rows.append(_aipe_mean_row(c, aipe_width_mean, aipe_assurance))
    rows.extend([_wilcoxon_row(c), _sign_row(c)])
    return ReplicationPlan(
        rows=rows,
        n_original=c.n0,
        dz_original=c.dz,
        t_original=c.t,
        power=power,
        alpha=alpha,
        alternative=alternative,
        source=c.source,
        settings={
            "safeguard_level": safeguard_level,
            "alpha_prior": alpha_prior,
            "assurance": assurance,
            "aipe_width": aipe_width,
            "aipe_width_mean": aipe_width_mean,
            "aipe_assurance": aipe_assurance,
        },
        notes=_left_out(original),
    )


def _left_out(original: object) -> tuple[str, ...]:
    """The note of an original whose complete pairs leave incomplete ones' halves out."""
    from ..study import PairedStudy

    left_out = original.left_out_note() if isinstance(original, PairedStudy) else None
    return () if left_out is None else (f"original: {left_out}",)
