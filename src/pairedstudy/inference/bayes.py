"""The JZS Bayes factor for the paired t-test (Rouder et al. 2009) on ``post - pre``."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._numerics import mean_sd
from .._validation import check_alternative, check_real
from ..errors import InputTypeError, InputValueError
from ..registry import register_test
from ..results import BayesFactorResult
from .ttest import t_from_moments

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = ["RSCALES", "T_LIMIT", "bayes_t", "jzs_log_bayes_factor", "resolve_rscale"]

#: Named prior scales, as BayesFactor's one-sample ``ttestBF`` reads them.
RSCALES = {"medium": math.sqrt(2.0) / 2.0, "wide": 1.0, "ultrawide": math.sqrt(2.0)}

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
#: The integrand is dropped where it is below ``exp(-_TAIL)`` times its peak.
_TAIL = 60.0


def resolve_rscale(r: Any) -> float:
    """Return the Cauchy prior scale ``r`` as a positive float.

    Parameters
    ----------
    r : float or {"medium", "wide", "ultrawide"}
        A positive finite number, or one of BayesFactor's names for
        ``sqrt(2)/2``, ``1`` and ``sqrt(2)``.

    Returns
    -------
    float

    Raises
    ------
    InputValueError
        An unknown name, or a number that is not positive and finite.
    InputTypeError
        Neither a number nor a string.
    """
    if isinstance(r, str):
        if r not in RSCALES:
            names = ", ".join(repr(k) for k in RSCALES)
            raise InputValueError(f"r must be a positive number or one of {names}; got {r[:60]!r}")
        return RSCALES[r]
    if isinstance(r, (bool, np.bool_)):
        raise InputTypeError(f"r must be a positive number or a prior name; got {r!r}")
    value = check_real("r", r)
    if not value > 0.0:
        raise InputValueError(f"r (the Cauchy prior scale) must be positive; got {value!r}")
    return value


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def _log_student_cdf(df: float, x: np.ndarray) -> np.ndarray:
    """``log P(T_df <= x)``, finite far into the lower tail where the CDF underflows."""
    from scipy import special

    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore"):
        out = np.log(special.stdtr(df, x))
    deep = out < -600.0  # the CDF is below 1e-260: use the log of the tail series
    if np.any(deep):
        a, b = df / 2.0, 0.5
        log_norm = float(special.betaln(a, b)) + math.log(a) + math.log(2.0)
        flat = out.reshape(-1)
        for i in np.flatnonzero(deep.reshape(-1)):
            xi = float(x.reshape(-1)[i])
            # P(T <= x) = I_z(df/2, 1/2) / 2 with z = df / (df + x^2), and x^2 >> 3 here,
            # so the continued fraction converges (z < (a + 1) / (a + b + 2)).
            log_ratio = math.log(df) - 2.0 * math.log(abs(xi))  # log(df / x^2), no overflow
            log_1mz = -math.log1p(math.exp(log_ratio))  # log(x^2 / (df + x^2))
            log_z = log_ratio + log_1mz  # log(df / (df + x^2))
            z = math.exp(log_z)
            flat[i] = a * log_z + b * log_1mz - log_norm + math.log(_betacf(a, b, z))
        out = flat.reshape(out.shape)
    return out


#: Beyond ``log(n g)`` of this, ``1 + n g`` is ``n g`` in floating point (and ``exp`` of it
#: would overflow): the integrand is then written with ``log(n g)`` alone.
_LOG_NG_BIG = 700.0
#: The largest ``|t|`` whose square is a finite float.
T_LIMIT = math.sqrt(float(np.finfo(float).max))


@attrs.frozen(kw_only=True)
class _Integrand:
    """``log`` of the JZS integrand on ``v = log(g / r^2)``, divided by the null likelihood.

    With ``g = r^2 h`` the prior of ``h`` is the standard ``InvGamma(1/2, 1/2)`` whatever
    ``r``; the scale enters only through ``n g = exp(log(n r^2) + v)``, kept as a
    logarithm, so neither a tiny ``r`` (``r^2`` underflows: ``BF10 -> 1``) nor a huge one
    (``n r^2`` overflows: ``BF10 -> 0``) breaks the integral.
    """

    t: float
    n: float
    log_nr2: float  # log(n r^2)
    side: int  # 0 two-sided, +1 delta > 0, -1 delta < 0

    def __call__(self, v: np.ndarray | float) -> np.ndarray:
        t, n = self.t, self.n
        nu = n - 1.0
        v = np.asarray(v, dtype=float)
        log_ng = self.log_nr2 + v
        big = log_ng > _LOG_NG_BIG
        ng = np.exp(np.minimum(log_ng, _LOG_NG_BIG))
        inv = np.where(big, np.exp(-np.maximum(log_ng, _LOG_NG_BIG)), 1.0 / (1.0 + ng))
        frac = np.where(big, 1.0, ng * inv)  # n g / (1 + n g)
        log1p_ng = np.where(big, log_ng, np.log1p(ng))
        t2 = t * t
        share = t2 / (nu + t2)  # R^2 = t^2 / (nu + t^2)
        product = share * frac
        with np.errstate(divide="ignore"):
            # log[(1 + t^2 / ((1 + n g) nu)) / (1 + t^2 / nu)] = log(1 - R^2 n g / (1 + n g)),
            # written as a sum of positive terms where the product is near 1.
            log_ratio = np.where(
                product < 0.5,
                np.log1p(-np.minimum(product, 0.5)),
                np.log(nu / (nu + t2) + share * inv),
            )
        with np.errstate(over="ignore"):
            value = (
                -0.5 * log1p_ng
                - 0.5 * (nu + 1.0) * log_ratio
                - _LOG_SQRT_2PI
                - 0.5 * v  # h^{-3/2} dh = h^{-1/2} dv
                - 0.5 * np.exp(-v)  # e^{-1 / (2 h)}
            )
        if self.side:
            # P(side | t, g): the conditional posterior probability of the sign of delta
            # is a Student-t probability with nu + 1 df (see the Notes of bayes_t).
            arg = self.side * t * np.sqrt(frac) * np.sqrt((nu + 1.0) / (nu + t2 * inv))
            value = value + math.log(2.0) + _log_student_cdf(nu + 1.0, arg)
        return value


def _log1p_exp(a: float) -> float:
    """``log(1 + exp(a))`` without overflow."""
    return a + math.log1p(math.exp(-a)) if a > 0.0 else math.log1p(math.exp(a))


def jzs_log_bayes_factor(
    t: float, n: int, *, r: float | str = "medium", alternative: str = "two-sided"
) -> tuple[float, float]:
    """Natural log of the JZS Bayes factor BF10 of a one-sample (paired) t statistic.

    Parameters
    ----------
    t : float
        The t statistic ``(mean - mu) / (sd / sqrt(n))`` of the changes.
    n : int
        The number of pairs (at least 2).
    r : float or {"medium", "wide", "ultrawide"}, default "medium"
        Scale of the Cauchy prior on ``delta = (mean change - mu) / sd``.
    alternative : {"two-sided", "less", "greater"}
        ``"two-sided"``: ``delta ~ Cauchy(0, r)``; ``"greater"`` / ``"less"``: that prior
        truncated to ``delta > 0`` / ``delta < 0`` (BayesFactor's ``nullInterval``).

    Returns
    -------
    (float, float)
        ``log(BF10)`` and an estimate of the relative error of ``BF10`` from the quadrature.

    Raises
    ------
    InputValueError
        ``n`` below 2, a non-finite ``t`` or one beyond :data:`T_LIMIT` (about 1.3e154,
        where ``t**2`` overflows), a bad ``r`` or ``alternative``.

    Notes
    -----
    See :func:`bayes_t`. The integral over ``g`` is computed on ``v = log(g / r^2)`` with
    the log of the integrand shifted by its maximum, so neither very large Bayes factors
    (large ``|t|`` and ``n``) nor very small ones overflow or underflow, and every
    positive finite ``r`` works: ``BF10`` tends to 1 as ``r -> 0`` (the prior is then a
    point mass at the null) and to 0 as ``r -> inf`` for a fixed ``t`` (about
    ``C / r``; the log stays finite, ``bf10`` itself underflows to 0 beyond about
    ``r = 1e300``).

    Examples
    --------
    >>> from pairedstudy.inference.bayes import jzs_log_bayes_factor
    >>> import math
    >>> log_bf, err = jzs_log_bayes_factor(2.03, 80, r=1.0)
    >>> round(1 / math.exp(log_bf), 2)  # BF01 for Rouder et al.'s example
    1.56
    """
    t = check_real("t", t)
    if abs(t) > T_LIMIT:
        raise InputValueError(
            f"t must be at most {T_LIMIT:.4g} in absolute value (its square must be a finite "
            f"float); got {t!r}"
        )
    n_value = check_real("n", n)
    if n_value < 2:
        raise InputValueError(f"n must be at least 2 pairs; got {n!r}")
    scale = resolve_rscale(r)
    alternative = check_alternative(alternative)
    side = {"two-sided": 0, "greater": 1, "less": -1}[alternative]
    log_nr2 = math.log(n_value) + 2.0 * math.log(scale)
    f = _Integrand(t=t, n=n_value, log_nr2=log_nr2, side=side)

    # Locate the bulk on a coarse grid wide enough for every scale of g: around
    # g = r^2 + t^2 / n, that is v = log(1 + t^2 / (n r^2)).
    centre = 0.0 if t == 0.0 else _log1p_exp(2.0 * math.log(abs(t)) - log_nr2)
    grid = np.arange(centre - 60.0, centre + 60.0 + 1e-9, 0.25)
    values = f(grid)
    peak = float(values.max())
    keep = np.flatnonzero(values > peak - _TAIL)
    low = float(grid[max(keep[0] - 1, 0)])
    high = float(grid[min(keep[-1] + 1, grid.size - 1)])
    # The right tail decays only like exp(-u/2 - ...): extend until it is negligible.
    while float(f(high)) > peak - _TAIL:
        high += 20.0
    while float(f(low)) > peak - _TAIL:
        low -= 20.0
    return _composite_gauss_legendre(f, low, high)


@functools.cache
def _gauss_legendre_20() -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(20)


def _composite_gauss_legendre(f: _Integrand, low: float, high: float) -> tuple[float, float]:
    """``log`` of the integral of ``exp(f)`` over ``[low, high]``, and its relative error.

    Composite 20-point Gauss-Legendre rules on 16, 32, 64, ... equal panels (one
    vectorized evaluation each) until two successive totals agree to 1e-13; the log
    integrand is shifted by its largest value, so nothing overflows.
    """
    nodes, weights = _gauss_legendre_20()
    panels, previous = 16, None
    while True:
        edges = np.linspace(low, high, panels + 1)
        middle, half = (edges[:-1] + edges[1:]) / 2, (edges[1:] - edges[:-1]) / 2
        u = (middle[:, None] + half[:, None] * nodes).ravel()
        log_values = f(u)
        top = float(log_values.max())
        total = float(np.sum((half[:, None] * weights).ravel() * np.exp(log_values - top)))
        log_total = top + math.log(total)
        if previous is not None:
            error = abs(math.expm1(log_total - previous))
            if error <= 1e-13 or panels >= 8192:
                return log_total, error
        previous, panels = log_total, 2 * panels


@register_test("bayes", kind="bayes factor", statistic_name="t", estimate_name="mean change")
def bayes_t(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    r: float | str = "medium",
) -> BayesFactorResult:
    r"""JZS Bayes factor for the paired t-test (Cauchy prior on the standardized change).

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        ``"two-sided"`` compares ``delta != 0`` with ``delta = 0``; ``"greater"`` and
        ``"less"`` put the prior on ``delta > 0`` or ``delta < 0`` only, where
        ``delta = (mean of post - pre - mu) / sd``.
    mu : float
        Mean change under the null hypothesis (the test is on ``post - pre - mu``).
    confidence_level : float
        Level of the Student-t interval for the mean change.
    r : float or {"medium", "wide", "ultrawide"}, default "medium"
        Scale of the Cauchy prior on ``delta``; the names are BayesFactor's:
        ``sqrt(2)/2`` (about 0.707, the default of BayesFactor and JASP), ``1`` and
        ``sqrt(2)``.

    Returns
    -------
    BayesFactorResult
        ``bf10`` is the Bayes factor for the alternative against the null, ``log_bf10``
        its natural log (finite when ``bf10`` overflows), ``bf01 = 1 / bf10``,
        ``prior_scale`` the prior scale ``r`` (``prior_label`` its name, if given by name),
        ``prior`` the prior in words and ``error`` the estimated relative error of
        ``bf10``. ``statistic`` is the t statistic; ``pvalue``, ``df``, ``estimate`` (the
        mean change) and ``ci`` are exactly those of the paired t-test of the same
        hypothesis (:func:`pairedstudy.inference.ttest.paired_t`): the p-value is a
        *frequentist* p-value reported beside the Bayes factor, not a Bayesian quantity.
        ``method`` is ``"numerical integration"``; ``details`` holds ``sd_change`` and
        ``se`` (the old ``details["bf10"]`` and its siblings still work for one release,
        with a :class:`DeprecationWarning`).

    Raises
    ------
    DegenerateDataError
        The change is constant (t is undefined).
    InputValueError
        A bad ``r``, or a ``mu`` so far from the data that ``t = (mean change - mu) / se``
        overflows (``|t|`` beyond :data:`T_LIMIT`, about 1.3e154).

    Notes
    -----
    The model is Rouder et al.'s (2009): ``post - pre ~ N(mu + delta sigma, sigma^2)`` with
    Jeffreys' prior on ``sigma`` and ``delta ~ Cauchy(0, r)``, written as
    ``delta | g ~ N(0, g)`` and ``g ~ InvGamma(1/2, r^2/2)``. With ``nu = n - 1``,

    .. math::

        BF_{10} = \int_0^\infty (1 + n g)^{-1/2}
        \left(\frac{1 + t^2 / ((1 + n g)\nu)}{1 + t^2/\nu}\right)^{-(\nu + 1)/2}
        \frac{r}{\sqrt{2\pi}} g^{-3/2} e^{-r^2 / (2g)} \, dg.

    For a one-sided alternative the prior on ``delta`` is the Cauchy truncated to one
    side (and doubled), as BayesFactor's ``nullInterval = c(0, Inf)`` or
    ``c(-Inf, 0)``. Given ``g`` and ``t`` the posterior probability that ``delta > 0``
    is ``F_{nu+1}(t sqrt(n g / (1 + n g)) sqrt((nu + 1) / (nu + t^2 / (1 + n g))))``
    (``F_k`` the Student-t CDF; it follows from ``X = sqrt(n) delta + Z`` and the
    conditional chi distribution of ``s / sigma`` given ``t``), so the one-sided factor is
    the same one-dimensional integral with the integrand multiplied by twice that
    probability. It is exact: BayesFactor switches to a normal ("Savage-Dickey t")
    approximation of that posterior probability for ``|t| > 5``, which is why its
    one-sided factor against the direction of a large ``t`` differs from this one.

    The integral is taken over ``log(g / r^2)`` with the integrand's logarithm shifted by
    its maximum (adaptive quadrature, relative tolerance 1e-12), so it stays accurate for
    ``|t|`` in the tens and ``n`` in the tens of thousands, where ``BF10`` itself may
    overflow (``bf10`` is then ``inf`` and ``log_bf10`` is finite), and for every positive
    finite ``r``: ``BF10`` tends to 1 as ``r -> 0`` and to 0 (like ``1 / r``) as
    ``r -> inf``.

    *Agreement with other software.* BayesFactor's ``ttestBF`` / ``ttest.tstat`` agree to
    within their reported proportional error (and 1e-6) wherever they integrate R's
    noncentral-t density accurately. They do not when that density is needed where R's
    ``pnt`` is approximate: for ``|t| >= 15`` (R switches to a normal approximation for a
    noncentrality above 37.62; e.g. ``t = 30, n = 5`` is off by 0.6%) and for a one-sided
    prior pointing against a large ``t`` with large ``n`` (``t = 5, n = 1000``: 0.06%);
    there an independent double integral (over ``delta`` and ``s / sigma``) agrees with
    this function to 1e-8. pingouin's ``bayesfactor_ttest(t, n, paired=True, r=r)``
    agrees to its quadrature tolerance for two-sided tests; its default ``r = 0.707`` is a
    rounding of ``sqrt(2)/2``.

    References
    ----------
    .. [1] Rouder, J. N., Speckman, P. L., Sun, D., Morey, R. D. & Iverson, G. (2009).
       Bayesian t tests for accepting and rejecting the null hypothesis. Psychonomic
       Bulletin & Review 16(2), 225-237.
    .. [2] Morey, R. D. & Wagenmakers, E.-J. (2014). Simple relation between Bayesian
       order-restricted and point-null hypothesis tests. Statistics & Probability
       Letters 92, 121-124.
    .. [3] Morey, R. D. & Rouder, J. N. BayesFactor: Computation of Bayes factors for
       common designs (R package), function ``ttestBF``.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> result = ps.datasets.oxytocin_massage().test("bayes")
    >>> round(result.statistic, 4), round(result.bf10)  # BayesFactor: 76529
    (7.7071, 76529)
    """
    scale = resolve_rscale(r)
    mean, sd = mean_sd(study.change)
    frequentist = t_from_moments(
        mean,
        sd,
        study.n,
        alternative=alternative,
        mu=mu,
        confidence_level=confidence_level,
        study_name=study.name,
    )
    t = frequentist.statistic
    if not abs(t) <= T_LIMIT:  # also NaN
        raise InputValueError(
            f"mu = {mu!r} is too far from the mean change ({mean:.6g}) for its standard "
            f"error ({frequentist.details['se']:.6g}): the standardized effect "
            f"t = (mean change - mu) / se overflows (t = {t!r}); the Bayes factor needs "
            f"|t| at most {T_LIMIT:.3g} (t**2 must be a finite float). Give a mu nearer "
            "the data"
        )
    log_bf, error = jzs_log_bayes_factor(t, study.n, r=scale, alternative=alternative)
    bf10 = math.exp(log_bf) if log_bf < 709.0 else math.inf
    prior = {
        "two-sided": f"delta ~ Cauchy(0, {scale:.6g})",
        "greater": f"delta ~ Cauchy(0, {scale:.6g}) truncated to delta > 0",
        "less": f"delta ~ Cauchy(0, {scale:.6g}) truncated to delta < 0",
    }[alternative]
    notes = (
        f"BF10 = {bf10:.6g} (log BF10 = {log_bf:.6g}) for the alternative against "
        f"delta = 0, delta = (mean change - mu) / sd; prior {prior}",
        "the p-value, estimate and interval are the frequentist paired t-test's, reported "
        "beside the Bayes factor",
    )
    return BayesFactorResult(
        test="bayes",
        title="Bayesian paired t-test (JZS Bayes factor)",
        method="numerical integration",
        statistic=frequentist.statistic,
        statistic_name=frequentist.statistic_name,
        pvalue=frequentist.pvalue,
        alternative=frequentist.alternative,
        mu=frequentist.mu,
        n=frequentist.n,
        df=frequentist.df,
        estimate=frequentist.estimate,
        estimate_name=frequentist.estimate_name,
        ci=frequentist.ci,
        study_name=frequentist.study_name,
        notes=notes,
        hypothesis=frequentist.hypothesis,
        details={"sd_change": sd, "se": frequentist.details["se"]},
        bf10=bf10,
        log_bf10=log_bf,
        prior_scale=scale,
        prior_label=r if isinstance(r, str) else None,
        prior=prior,
        error=error,
    )
