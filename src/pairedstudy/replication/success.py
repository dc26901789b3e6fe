"""Replication success on the z scale: the sceptical p-value, its designs, and Bayes factors.

Every function here works with the summaries a replication study is judged by: an effect
estimate ``theta`` with its standard error ``se`` and their ratio ``z = theta / se`` for
the original (``o``) and the replication (``r``), and the variance ratio
``c = se_o^2 / se_r^2`` (about ``n_r / n_o``). How a paired study maps onto these is
:func:`pairedstudy.replication.evaluate`'s business (see its Notes).

The formulas are those of the R packages ReplicationSuccess (1.3.3) and BayesRep (0.42),
re-implemented from their sources and checked against them (``tests/fixtures``); where
they solve an equation to R's default tolerance (``uniroot``, ``integrate``), this module
solves it to near machine precision, and the fixtures check it against a tight-tolerance R
computation too. Argument names follow Python (``design_prior`` for ``designPrior``,
``"one-sided"`` for ``"one.sided"``).

References
----------
.. [1] Held, L. (2020). A new standard for the analysis and design of replication
   studies (with discussion). Journal of the Royal Statistical Society: Series A
   183(2), 431-448. doi:10.1111/rssa.12493
.. [2] Held, L., Micheloud, C. & Pawel, S. (2022). The assessment of replication success
   based on relative effect size. The Annals of Applied Statistics 16(2), 706-720.
   doi:10.1214/21-AOAS1502
.. [3] Micheloud, C., Balabdaoui, F. & Held, L. (2023). Assessing replicability with the
   sceptical p-value: type-I error control and sample size planning. Statistica
   Neerlandica 77(4), 573-591. doi:10.1111/stan.12312
.. [4] Patil, P., Peng, R. D. & Leek, J. T. (2016). What should researchers expect when
   they replicate studies? A statistical view of replicability in psychological science.
   Perspectives on Psychological Science 11(4), 539-544.
.. [5] Verhagen, J. & Wagenmakers, E.-J. (2014). Bayesian tests to quantify the result of
   a replication attempt. Journal of Experimental Psychology: General 143(4), 1457-1475.
.. [6] Pawel, S. & Held, L. (2022). The sceptical Bayes factor for the assessment of
   replication success. Journal of the Royal Statistical Society: Series B 84(3),
   879-911. doi:10.1111/rssb.12491
.. [7] Held, L. (2020). The harmonic mean chi-squared test to substantiate scientific
   findings. Journal of the Royal Statistical Society: Series C 69(3), 697-708.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from .._validation import check_choice, check_probability, check_real
from ..errors import InputValueError

__all__ = [
    "ALTERNATIVES",
    "DESIGN_PRIORS",
    "TYPES",
    "bf_replication",
    "bf_sceptical",
    "effect_size_replication_success",
    "level_sceptical",
    "p2z",
    "p_sceptical",
    "power_replication_success",
    "power_significance",
    "prediction_interval",
    "q_test",
    "sample_size_replication_success",
    "sample_size_significance",
    "z2p",
    "z_sceptical",
]

#: ``alternative``: one-sided in the direction of the original, or two-sided.
ALTERNATIVES = ("one-sided", "two-sided")
#: ``type``: the recalibration of the sceptical p-value.
TYPES = ("golden", "nominal", "controlled")
#: ``design_prior``: what the replication's power averages over.
DESIGN_PRIORS = ("conditional", "predictive", "EB")

#: The golden ratio, (1 + sqrt 5) / 2.
PHI = (1.0 + math.sqrt(5.0)) / 2.0


# --------------------------------------------------------------------------------------
# validation


def _z(name: str, value: Any) -> float:
    return check_real(name, value)


def _c(value: Any, *, zero: bool) -> float:
    c = check_real("c", value)
    if c < 0 or (c == 0 and not zero):
        allowed = "0 or more" if zero else "positive"
        raise InputValueError(f"c must be {allowed} (a variance ratio); got {c!r}")
    return c


def _positive(name: str, value: Any) -> float:
    out = check_real(name, value)
    if not out > 0:
        raise InputValueError(f"{name} must be positive (a standard error); got {out!r}")
    return out


def _alternative(value: Any) -> str:
    return check_choice("alternative", value, ALTERNATIVES)


def _type(value: Any) -> str:
    return check_choice("type", value, TYPES)


def _design_prior(value: Any) -> str:
    return check_choice("design_prior", value, DESIGN_PRIORS)


# --------------------------------------------------------------------------------------
# p <-> z


def p2z(p: float, alternative: str = "two-sided") -> float:
    """The z-value of a p-value (ReplicationSuccess ``p2z``).

    Parameters
    ----------
    p : float
        A p-value in (0, 1].
    alternative : {"two-sided", "one-sided"}
        ``"one-sided"`` gives ``Phi^-1(1 - p)``, ``"two-sided"`` ``Phi^-1(1 - p / 2)``.

    Returns
    -------
    float
    """
    from scipy import special

    p = check_real("p", p)
    if not 0 < p <= 1:
        raise InputValueError(f"p must lie in (0, 1]; got {p!r}")
    alternative = _alternative(alternative)
    return float(-special.ndtri(p / 2.0 if alternative == "two-sided" else p))


def z2p(z: float, alternative: str = "two-sided") -> float:
    """The p-value of a z-value (ReplicationSuccess ``z2p``).

    Parameters
    ----------
    z : float
        The z-value.
    alternative : {"two-sided", "one-sided"}
        ``"one-sided"`` gives ``1 - Phi(z)``, ``"two-sided"`` ``2 (1 - Phi(|z|))``.

    Returns
    -------
    float
    """
    from scipy import special

    z = _z("z", z)
    alternative = _alternative(alternative)
    if alternative == "two-sided":
        return float(2.0 * special.ndtr(-abs(z)))
    return float(special.ndtr(-z))


# --------------------------------------------------------------------------------------
# the sceptical p-value


def z_sceptical(zo: float, zr: float, c: float) -> float:
    """The sceptical z-value ``z_S`` of Held (2020) (ReplicationSuccess ``zSceptical``).

    The sceptical prior that makes the original just non-significant at a level, and a
    replication in conflict with it at the same level, meet at ``z_S``; in closed form,
    with the harmonic and arithmetic means ``H`` and ``A`` of ``zo^2`` and ``zr^2``,
    ``z_S^2 = (sqrt(A (A + (c - 1) H)) - A) / (c - 1)`` (``H / 2`` at ``c = 1``). It is
    computed here as ``H / (1 + sqrt(1 + (c - 1) H / A))``, the same number without the
    cancellation near ``c = 1``.

    Parameters
    ----------
    zo, zr : float
        z-values of the original and the replication.
    c : float
        Variance ratio ``se_o^2 / se_r^2`` (0 or more).

    Returns
    -------
    float
        ``z_S >= 0``.

    References
    ----------
    Held, L. (2020). A new standard for the analysis and design of replication studies.
    JRSS A 183, 431-448.
    """
    zo, zr = _z("zo", zo), _z("zr", zr)
    c = _c(c, zero=True)
    return _z_sceptical(zo, zr, c)


def _z_sceptical(zo: float, zr: float, c: float) -> float:
    a2, b2 = zo * zo, zr * zr
    if a2 == 0.0 or b2 == 0.0:
        return 0.0  # the harmonic mean of a 0 and anything is 0 (as in R: 1/0 = Inf)
    harmonic = 2.0 / (1.0 / a2 + 1.0 / b2)
    arithmetic = (a2 + b2) / 2.0
    inner = max(1.0 + (c - 1.0) * harmonic / arithmetic, 0.0)
    return math.sqrt(harmonic / (1.0 + math.sqrt(inner)))


def _fz(z2: float, c: float) -> float:
    """CDF of ``z_S^2`` under the null (Micheloud, Balabdaoui & Held 2023).

    ``1 - (1/pi) int_0^1 exp(-(c - 1) z / (sqrt(1 + (c - 1) t) - 1)) / sqrt(t (1 - t)) dt``;
    with ``t = sin^2 u`` the integrand becomes the smooth
    ``2 exp(-z (1 + sqrt(1 + (c - 1) sin^2 u)) / sin^2 u)`` on ``(0, pi/2)``, which has no
    singularity and no ``(c - 1)`` cancellation. ``c = 0`` and ``c = 1`` have closed forms.
    """
    from scipy import integrate, special

    if z2 <= 0:
        return 0.0
    if c == 0:
        return float(1.0 - 4.0 * special.ndtr(-math.sqrt(z2)) ** 2)
    if c == 1:
        return float(special.gammainc(0.5, 2.0 * z2))  # Gamma(shape 1/2, rate 2)

    def integrand(u: float) -> float:
        s2 = math.sin(u) ** 2
        if s2 == 0.0:
            return 0.0
        return 2.0 * math.exp(-z2 * (1.0 + math.sqrt(1.0 + (c - 1.0) * s2)) / s2)

    # for small z the integrand climbs from 0 to 2 within u ~ sqrt(z): tell quad where
    width = math.sqrt(z2)
    points = [p for p in (width, 10.0 * width) if p < math.pi / 2.0]
    out = integrate.quad(
        integrand,
        0.0,
        math.pi / 2.0,
        epsabs=1e-15,
        epsrel=1e-13,
        limit=200,
        points=points or None,
        full_output=1,
    )
    if len(out) > 3:  # 1e-13 not reached (round-off): the estimate stands at 1e-10
        out = integrate.quad(
            integrand,
            0.0,
            math.pi / 2.0,
            epsabs=1e-15,
            epsrel=1e-10,
            limit=200,
            points=points or None,
            full_output=1,
        )
    value = out[0]
    return 1.0 - value / math.pi


def p_sceptical(
    zo: float, zr: float, c: float, alternative: str = "one-sided", type: str = "golden"
) -> float:
    """The sceptical p-value of Held (2020), recalibrated (ReplicationSuccess ``pSceptical``).

    The sceptical p-value is the smallest level at which a sceptic, whose prior is just
    sceptical enough to make the original non-significant, is convinced by the
    replication. Replication success at level ``alpha`` is ``p_S <= alpha``.

    Parameters
    ----------
    zo, zr : float
        z-values of the original and the replication (finite).
    c : float
        Variance ratio ``se_o^2 / se_r^2`` (0 or more; ``n_r / n_o`` for equal SDs).
    alternative : {"one-sided", "two-sided"}
        ``"one-sided"``: success only in the direction of the original (the two-sided
        value halved when ``zo`` and ``zr`` share their sign, else ``1 - p / 2``).
    type : {"golden", "nominal", "controlled"}
        The recalibration: ``"nominal"`` none (Held 2020); ``"golden"`` multiplies ``z_S``
        by ``sqrt(phi)``, so that an original just significant at the level can only be
        replicated by a replication effect at least as large (Held, Micheloud & Pawel
        2022); ``"controlled"`` gives exact type-I error ``level^2`` (Micheloud,
        Balabdaoui & Held 2023).

    Returns
    -------
    float
        The sceptical p-value, in [0, 1].

    Raises
    ------
    InputValueError
        A non-finite ``zo``, ``zr`` or ``c``, a negative ``c``, or an unknown
        ``alternative`` or ``type``.

    References
    ----------
    Held, L. (2020). JRSS A 183, 431-448. Held, L., Micheloud, C. & Pawel, S. (2022). The
    Annals of Applied Statistics 16, 706-720. Micheloud, C., Balabdaoui, F. & Held, L.
    (2023). Statistica Neerlandica 77, 573-591.

    Examples
    --------
    >>> from pairedstudy.replication import p2z, p_sceptical
    >>> round(p_sceptical(p2z(0.01), p2z(0.02), c=2, type="nominal"), 6)  # R: 0.05790852
    0.057909
    """
    zo, zr = _z("zo", zo), _z("zr", zr)
    c = _c(c, zero=True)
    alternative, type = _alternative(alternative), _type(type)
    return _p_sceptical(zo, zr, c, alternative, type)


def _p_sceptical(zo: float, zr: float, c: float, alternative: str, type: str) -> float:
    from scipy import special

    z = _z_sceptical(zo, zr, c)
    if type == "controlled":
        p = math.sqrt(max(1.0 - _fz(z * z, c), 0.0))
    else:
        if type == "golden":
            z *= math.sqrt(PHI)
        p = float(2.0 * special.ndtr(-z))
    if alternative == "one-sided":
        same = math.copysign(1.0, zo) == math.copysign(1.0, zr) if zo and zr else zo == zr
        p = p / 2.0 if same else 1.0 - p / 2.0
    return p


# --------------------------------------------------------------------------------------
# the replication success level


def _t1e_nominal(alpha_s: float, c: float, alternative: str) -> float:
    """Overall type-I error of the nominal sceptical p-value at level ``alpha_s``."""
    from scipy import integrate, special

    zas = _p2z(alpha_s, alternative)
    factor = 4.0 if alternative == "two-sided" else 1.0
    if c == 1:
        return factor * float(special.ndtr(-2.0 * zas)) / 2.0

    def integrand(zo: float) -> float:
        if zas == 0:  # alpha_S = 1/2 (one-sided): every zr > 0 succeeds
            return 0.5 * math.exp(-zo * zo / 2.0)
        k = zo * zo / (zas * zas)
        if k <= 1.0:
            return 0.0
        zrmin = zas * math.sqrt(1.0 + c / (k - 1.0))
        return float(special.ndtr(-zrmin)) * math.exp(-zo * zo / 2.0)

    # piecewise over [zas, zas + 40] (beyond, the integrand is below 1e-300): each piece
    # is smooth, and the steep rise just above zas stays in its own piece
    total = 0.0
    knots = [zas + d for d in _T1E_KNOTS]
    for low, high in itertools.pairwise(knots):
        out = integrate.quad(
            integrand, low, high, epsabs=1e-300, epsrel=1e-12, limit=200, full_output=1
        )
        if len(out) > 3:  # 1e-12 not reached: near zas -> 0 (alpha_S -> 1, two-sided,
            # visited by the root search far from the root); 1e-8 there does not move it
            out = integrate.quad(
                integrand, low, high, epsabs=1e-300, epsrel=1e-8, limit=200, full_output=1
            )
        total += out[0]
    return factor * total / math.sqrt(2.0 * math.pi)


#: Where :func:`_t1e_nominal` splits its integral (offsets from the sceptical z).
_T1E_KNOTS = (0.0, 0.05, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 40.0)


def _p2z(p: float, alternative: str) -> float:
    from scipy import special

    return float(-special.ndtri(p / 2.0 if alternative == "two-sided" else p))


def level_sceptical(
    level: float, c: float | None = None, alternative: str = "one-sided", type: str = "golden"
) -> float:
    """The threshold the *nominal* sceptical p-value is compared with (``levelSceptical``).

    ``"nominal"``: ``level``; ``"golden"``: the level whose z is ``z_level / sqrt(phi)``
    (ReplicationSuccess ``pIntrinsic(type = "Matthews")``); ``"controlled"``: the
    level at which the nominal sceptical p-value has overall type-I error ``level^2``
    (needs ``c``).

    Parameters
    ----------
    level : float
        The replication success level (0.025 one-sided by default elsewhere).
    c : float, optional
        Variance ratio, needed for ``type="controlled"``.
    alternative : {"one-sided", "two-sided"}
    type : {"golden", "nominal", "controlled"}

    Returns
    -------
    float

    References
    ----------
    Held, L., Micheloud, C. & Pawel, S. (2022); Micheloud, C., Balabdaoui, F. & Held, L.
    (2023) (see the module's references).
    """
    level = check_probability("level", level)
    alternative, type = _alternative(alternative), _type(type)
    if type == "controlled":
        if c is None:
            raise InputValueError('c is needed for type="controlled"; got None')
        c = _c(c, zero=False)
    return _level_sceptical(level, c if c is not None else 1.0, alternative, type)


def _level_sceptical(level: float, c: float, alternative: str, type: str) -> float:
    from scipy import optimize, special

    if type == "nominal":
        return level
    if type == "golden":
        iz = _p2z(level, alternative) / math.sqrt(2.0) * math.sqrt(math.sqrt(5.0) - 1.0)
        return (
            float(2.0 * special.ndtr(-iz))
            if alternative == "two-sided"
            else float(special.ndtr(-iz))
        )
    target = level * level
    upper = 0.5 if alternative == "one-sided" else 1.0 - 2.0**-13
    return float(
        optimize.brentq(
            lambda a: _t1e_nominal(a, c, alternative) - target,
            level,
            upper,
            xtol=1e-15,
            rtol=1e-13,
            maxiter=500,
        )
    )


def effect_size_replication_success(
    zo: float,
    c: float = 1.0,
    level: float = 0.025,
    alternative: str = "one-sided",
    type: str = "golden",
) -> float:
    """The smallest relative effect ``theta_r / theta_o`` giving replication success.

    ReplicationSuccess ``effectSizeReplicationSuccess``:
    ``d = sqrt(1 + c / (K - 1)) / sqrt(K c)`` with ``K = zo^2 / z_alpha_S^2``; NaN when
    ``|zo|`` is below the sceptical threshold (success impossible).

    Parameters
    ----------
    zo : float
    c : float
        Variance ratio (positive).
    level : float
    alternative : {"one-sided", "two-sided"}
    type : {"golden", "nominal", "controlled"}

    Returns
    -------
    float

    References
    ----------
    Held, L., Micheloud, C. & Pawel, S. (2022). The Annals of Applied Statistics 16,
    706-720.
    """
    zo = _z("zo", zo)
    c = _c(c, zero=False)
    level = check_probability("level", level)
    alternative, type = _alternative(alternative), _type(type)
    zas = _p2z(_level_sceptical(level, c, alternative, type), alternative)
    k = _ratio(zo, zas)
    if zas > abs(zo):
        return math.nan
    return math.sqrt(1.0 + c / (k - 1.0)) / math.sqrt(k * c) if k > 1 else math.inf


# --------------------------------------------------------------------------------------
# power and sample size for replication success


def _ratio(zo: float, zas: float) -> float:
    """``K = zo^2 / z_alpha_S^2`` (infinite when the sceptical level is 1/2: ``zas = 0``)."""
    return zo * zo / (zas * zas) if zas else math.inf


def _zr_min(zoabs: float, c: float, level: float, alternative: str, type: str) -> float:
    """The smallest replication z giving success (``inf`` when none does)."""
    zas = _p2z(_level_sceptical(level, c, alternative, type), alternative)
    k = _ratio(zoabs, zas)
    if k <= 1.0:
        return math.inf
    return zas * math.sqrt(1.0 + c / (k - 1.0))


def _normal_sf(q: float, mean: float, sd: float) -> float:
    from scipy import special

    if sd == 0:
        return 1.0 if mean > q else 0.0
    return float(special.ndtr((mean - q) / sd))


def _prior_moments(zoabs: float, c: float, design_prior: str) -> tuple[float, float]:
    """Mean and SD of ``zr`` under the design prior (no shrinkage, no heterogeneity)."""
    if design_prior == "conditional":
        return zoabs * math.sqrt(c), 1.0
    if design_prior == "predictive":
        return zoabs * math.sqrt(c), math.sqrt(c + 1.0)
    s = min(1.0 / (zoabs * zoabs), 1.0) if zoabs > 0 else 1.0  # empirical Bayes shrinkage
    return zoabs * (1.0 - s) * math.sqrt(c), math.sqrt((1.0 - s) * c + 1.0)


def power_replication_success(
    zo: float,
    c: float = 1.0,
    level: float = 0.025,
    design_prior: str = "conditional",
    alternative: str = "one-sided",
    type: str = "golden",
) -> float:
    """Probability of replication success with the sceptical p-value.

    ReplicationSuccess ``powerReplicationSuccess`` (without shrinkage or heterogeneity):
    ``P(zr >= zr_min)`` with ``zr_min = z_alpha_S sqrt(1 + c / (K - 1))`` and ``zr``
    normal with mean ``|zo| sqrt(c)`` and SD 1 (``"conditional"``: the original effect
    is the truth), SD ``sqrt(1 + c)`` (``"predictive"``: its uncertainty counted), or the
    empirical-Bayes shrunken mean ``(1 - s) |zo| sqrt(c)``, ``s = min(1 / zo^2, 1)``, and
    SD ``sqrt((1 - s) c + 1)`` (``"EB"``). 0 when ``|zo|`` is below the threshold.

    Parameters
    ----------
    zo : float
        z-value of the original (its sign is immaterial: success is in its direction).
    c : float
        Variance ratio ``se_o^2 / se_r^2`` of the planned replication (positive).
    level : float
        Replication success level of the recalibrated sceptical p-value.
    design_prior : {"conditional", "predictive", "EB"}
    alternative : {"one-sided", "two-sided"}
    type : {"golden", "nominal", "controlled"}

    Returns
    -------
    float
        In [0, 1].

    References
    ----------
    Held, L. (2020). JRSS A 183, 431-448. Held, L., Micheloud, C. & Pawel, S. (2022).
    Micheloud, C., Balabdaoui, F. & Held, L. (2023).
    """
    zo = _z("zo", zo)
    c = _c(c, zero=False)
    level = check_probability("level", level)
    design_prior = _design_prior(design_prior)
    alternative, type = _alternative(alternative), _type(type)
    return _power_rs(abs(zo), c, level, design_prior, alternative, type)


def _power_rs(
    zoabs: float, c: float, level: float, design_prior: str, alternative: str, type: str
) -> float:
    zrmin = _zr_min(zoabs, c, level, alternative, type)
    if math.isinf(zrmin):
        return 0.0
    mean, sd = _prior_moments(zoabs, c, design_prior)
    return _normal_sf(zrmin, mean, sd)


def sample_size_replication_success(
    zo: float,
    power: float,
    level: float = 0.025,
    alternative: str = "one-sided",
    type: str = "golden",
    design_prior: str = "conditional",
) -> float:
    """Relative sample size ``c`` for replication success with the given power.

    ReplicationSuccess ``sampleSizeReplicationSuccess`` (without shrinkage or
    heterogeneity). For ``"golden"`` and ``"nominal"`` the closed form of Held (2020) and
    Held, Micheloud & Pawel (2022): the root of a quadratic in ``x = sqrt(1 / c + ...)``,
    taken here in the cancellation-free form ``2 C / (-B +- sqrt(B^2 - 4 A C))``; for
    ``"controlled"`` the root of :func:`power_replication_success` over ``c`` in
    ``[1e-5, 1000]`` (Micheloud, Balabdaoui & Held 2023).

    Parameters
    ----------
    zo : float
        z-value of the original.
    power : float
        Target probability of replication success, in (level, 1).
    level : float
        Replication success level.
    alternative : {"one-sided", "two-sided"}
    type : {"golden", "nominal", "controlled"}
    design_prior : {"conditional", "predictive", "EB"}

    Returns
    -------
    float
        ``c = n_r / n_o``; NaN where the power cannot be reached (``|zo|`` below the
        sceptical threshold, or the power above what any ``c`` gives). For
        ``"controlled"``, NaN also where no ``c`` in ``[1e-5, 1000]`` gives the power
        (the package returns ``Inf`` when even ``c = 1e-5`` exceeds it, ``NA`` else).

    References
    ----------
    Held, L. (2020). JRSS A 183, 431-448. Held, L., Micheloud, C. & Pawel, S. (2022). The
    Annals of Applied Statistics 16, 706-720. Micheloud, C., Balabdaoui, F. & Held, L.
    (2023). Statistica Neerlandica 77, 573-591.

    Examples
    --------
    >>> from pairedstudy.replication import p2z, sample_size_replication_success
    >>> round(sample_size_replication_success(p2z(0.0025, "one-sided"), 0.8), 4)  # R: 0.8950134
    0.895
    """
    zo = _z("zo", zo)
    power = check_probability("power", power)
    level = check_probability("level", level)
    alternative, type = _alternative(alternative), _type(type)
    design_prior = _design_prior(design_prior)
    if not level < power:
        raise InputValueError(f"power must exceed level ({level!r}); got {power!r}")
    return _sample_size_rs(abs(zo), power, level, alternative, type, design_prior)


def _sample_size_rs(
    zoabs: float, power: float, level: float, alternative: str, type: str, design_prior: str
) -> float:
    from scipy import optimize, special

    if type == "controlled":
        low, high = 1e-5, 1000.0

        def gap(c: float) -> float:
            return _power_rs(zoabs, c, level, design_prior, alternative, type) - power

        g_low, g_high = gap(low), gap(high)
        if g_low == 0:
            return low
        if g_high == 0:
            return high
        if (g_low > 0) == (g_high > 0):
            return math.nan
        return float(optimize.brentq(gap, low, high, xtol=1e-13, rtol=1e-13, maxiter=500))

    zas = _p2z(_level_sceptical(level, 1.0, alternative, type), alternative)
    if zoabs <= zas:
        return math.nan
    k = _ratio(zoabs, zas)
    u = float(special.ndtri(power))
    if design_prior == "conditional":
        s, h_var = 0.0, 0.0
    elif design_prior == "predictive":
        s, h_var = 0.0, 1.0
    else:
        s = min(1.0 / (zoabs * zoabs), 1.0)
        h_var = 1.0 - s
    zlim = zas / math.sqrt(k - 1.0)
    if design_prior != "conditional":
        # the predictive power's limit as c grows: P(N(zlim, H) <= (1 - s) |zo|)
        limit = 1.0 - _normal_sf((1.0 - s) * zoabs, zlim, math.sqrt(h_var))
    elif zoabs * (1.0 - s) > zlim:
        limit = 1.0
    elif math.isclose(zoabs * (1.0 - s), zlim, rel_tol=1e-5):
        limit = 0.5
    else:
        c_max = max((k - 1.0) / (zas * zas / (k - 1.0) / ((1.0 - s) * zoabs) ** 2 - 1.0), 0.0)
        limit = _power_rs(zoabs, c_max, level, "conditional", alternative, type) if c_max else 0.0
    if power > limit:
        return math.nan
    a = 1.0 / k - u * u / (zoabs * zoabs)
    b = -2.0 * (1.0 - s) / math.sqrt(k)
    cc = (1.0 - s) ** 2 - u * u / (zoabs * zoabs) * (h_var - 1.0 / (k - 1.0))
    # the discriminant b^2 - 4 a cc, expanded so that nothing cancels:
    # 4 u^2 / zo^2 ((1 - s)^2 + (H - 1 / (k - 1)) a)
    inner = (1.0 - s) ** 2 + (h_var - 1.0 / (k - 1.0)) * a
    if inner < 0:
        return math.nan
    root = 2.0 * abs(u) / zoabs * math.sqrt(inner)
    denom = -b + root if power > 0.5 else -b - root
    if denom == 0:
        return math.nan
    x = 2.0 * cc / denom
    inv = x * x - 1.0 / (k - 1.0)
    if not inv > 0:
        return math.nan
    return 1.0 / inv


# --------------------------------------------------------------------------------------
# power and sample size for significance


def _significance_moments(zoabs: float, c: float, design_prior: str) -> tuple[float, float]:
    if design_prior == "conditional":
        return zoabs * math.sqrt(c), 1.0
    if design_prior == "predictive":
        return zoabs * math.sqrt(c), math.sqrt(c + 1.0)
    s = max(1.0 - 1.0 / (zoabs * zoabs), 0.0) if zoabs > 0 else 0.0
    return s * zoabs * math.sqrt(c), math.sqrt(s * c + 1.0)


def power_significance(
    zo: float,
    c: float = 1.0,
    level: float = 0.025,
    design_prior: str = "conditional",
    alternative: str = "one-sided",
) -> float:
    """Probability that the replication is significant in the original's direction.

    ReplicationSuccess ``powerSignificance`` (without shrinkage or heterogeneity):
    ``P(zr > z_level)`` with ``zr`` normal, mean ``|zo| sqrt(c)`` and SD 1
    (``"conditional"``) or ``sqrt(1 + c)`` (``"predictive"``: the original's uncertainty
    counted, Spiegelhalter's predictive power), or shrunken by
    ``s = max(1 - 1 / zo^2, 0)`` to mean ``s |zo| sqrt(c)``, SD ``sqrt(s c + 1)``
    (``"EB"``).

    Parameters
    ----------
    zo : float
    c : float
        Variance ratio of the planned replication (0 or more).
    level : float
        Significance level (one-sided by default).
    design_prior : {"conditional", "predictive", "EB"}
    alternative : {"one-sided", "two-sided"}
        ``"two-sided"`` uses ``z_{1 - level / 2}`` (and counts only the original's side).

    Returns
    -------
    float

    References
    ----------
    Held, L. (2020). JRSS A 183, 431-448; Micheloud, C. & Held, L. (2022). Power
    calculations for replication studies. Statistical Science 37(3), 369-379.
    """
    zo = _z("zo", zo)
    c = _c(c, zero=True)
    level = check_probability("level", level)
    design_prior, alternative = _design_prior(design_prior), _alternative(alternative)
    mean, sd = _significance_moments(abs(zo), c, design_prior)
    return _normal_sf(_p2z(level, alternative), mean, sd)


def sample_size_significance(
    zo: float,
    power: float,
    level: float = 0.025,
    alternative: str = "one-sided",
    design_prior: str = "conditional",
) -> float:
    """Relative sample size ``c`` for a significant replication with the given power.

    ReplicationSuccess ``sampleSizeSignificance`` (without shrinkage or heterogeneity):
    ``c = (u + v)^2 / zo^2`` under the conditional prior (``u = Phi^-1(power)``,
    ``v = z_level``); under the predictive and EB priors the closed form
    ``sqrt(c) = (zs v + u sqrt(zs^2 + H (v^2 - u^2))) / (zs^2 - u^2 H)`` with ``zs`` the
    (shrunken) ``|zo|`` and ``H`` the prior's variance factor.

    Parameters
    ----------
    zo : float
    power : float
        Target power, in (level, 1).
    level : float
    alternative : {"one-sided", "two-sided"}
    design_prior : {"conditional", "predictive", "EB"}

    Returns
    -------
    float
        NaN where the power cannot be reached (predictive power never exceeds
        ``Phi(|zo| / sqrt(H))``).

    References
    ----------
    Held, L. (2020). JRSS A 183, 431-448; Micheloud, C. & Held, L. (2022). Statistical
    Science 37(3), 369-379.
    """
    from scipy import special

    zo = _z("zo", zo)
    power = check_probability("power", power)
    level = check_probability("level", level)
    alternative, design_prior = _alternative(alternative), _design_prior(design_prior)
    if not level < power:
        raise InputValueError(f"power must exceed level ({level!r}); got {power!r}")
    u = float(special.ndtri(power))
    v = _p2z(level, alternative)
    zoabs = abs(zo)
    if design_prior == "conditional":
        return (u + v) ** 2 / (zoabs * zoabs) if zoabs > 0 else math.inf
    if design_prior == "EB":
        shrink = min(1.0 / (zoabs * zoabs), 1.0) if zoabs > 0 else 1.0
        h_var = 1.0 - shrink
    else:
        shrink, h_var = 0.0, 1.0
    zs = (1.0 - shrink) * zoabs
    if zs * zs <= h_var * u * u and power > 0.5:
        return math.nan
    inner = zs * zs + h_var * (v * v - u * u)
    if inner < 0:
        return math.nan
    denom = zs * zs - u * u * h_var
    if denom == 0:
        return math.nan
    sqrt_c = (zs * v + u * math.sqrt(inner)) / denom
    if not sqrt_c >= 0:
        return math.nan
    return sqrt_c * sqrt_c


# --------------------------------------------------------------------------------------
# prediction interval and Q test


def prediction_interval(
    thetao: float,
    seo: float,
    ser: float,
    conf_level: float = 0.95,
    design_prior: str = "predictive",
) -> tuple[float, float, float]:
    """Prediction interval for the replication's effect estimate (``predictionInterval``).

    Under the predictive design prior (Patil, Peng & Leek 2016) the replication estimate
    is normal with mean ``thetao`` and variance ``seo^2 + ser^2``; under the conditional
    prior the variance is ``ser^2``; under the empirical-Bayes prior the mean is shrunken
    to ``s thetao``, ``s = max(1 - seo^2 / thetao^2, 0)``, and the variance is
    ``s seo^2 + ser^2``.

    Parameters
    ----------
    thetao : float
        The original effect estimate.
    seo, ser : float
        Standard errors of the original and the replication (positive).
    conf_level : float
        Coverage of the interval.
    design_prior : {"predictive", "conditional", "EB"}

    Returns
    -------
    tuple of float
        ``(lower, mean, upper)``.

    References
    ----------
    Patil, P., Peng, R. D. & Leek, J. T. (2016). Perspectives on Psychological Science 11,
    539-544.
    """
    from scipy import special

    thetao = check_real("thetao", thetao)
    seo, ser = _positive("seo", seo), _positive("ser", ser)
    conf_level = check_probability("conf_level", conf_level)
    design_prior = _design_prior(design_prior)
    if design_prior == "conditional":
        mean, sd = thetao, ser
    elif design_prior == "predictive":
        mean, sd = thetao, math.hypot(seo, ser)
    else:
        s = max(1.0 - seo * seo / (thetao * thetao), 0.0) if thetao else 0.0
        mean, sd = s * thetao, math.sqrt(s * seo * seo + ser * ser)
    q = float(special.ndtri((1.0 + conf_level) / 2.0))
    return (mean - q * sd, mean, mean + q * sd)


def q_test(thetao: float, thetar: float, seo: float, ser: float) -> float:
    """p-value of the Q test for a difference between the two effects (``Qtest``).

    ``Q = (thetao - thetar)^2 / (seo^2 + ser^2)`` is chi-squared with one degree of
    freedom if both studies estimate the same effect; a small p-value says they do not
    (the replication's effect differs from the original's).

    Parameters
    ----------
    thetao, thetar : float
        The two effect estimates.
    seo, ser : float
        Their standard errors (positive).

    Returns
    -------
    float

    References
    ----------
    Hedges, L. V. & Schauer, J. M. (2019). More than one replication study is needed for
    unambiguous tests of replication. Journal of Educational and Behavioral Statistics
    44(5), 543-570.
    """
    from scipy import special

    thetao, thetar = check_real("thetao", thetao), check_real("thetar", thetar)
    seo, ser = _positive("seo", seo), _positive("ser", ser)
    z = (thetao - thetar) / math.hypot(seo, ser)
    return float(2.0 * special.ndtr(-abs(z)))


# --------------------------------------------------------------------------------------
# Bayes factors


def _log_dnorm(x: float, mean: float, sd: float) -> float:
    return -0.5 * ((x - mean) / sd) ** 2 - math.log(sd) - 0.5 * math.log(2.0 * math.pi)


def _log_bfr(zo: float, zr: float, c: float, g: float) -> float:
    """The log BF_SA of the replication: sceptic ``N(0, g se_o^2)`` against the advocate."""
    return _log_dnorm(zr, 0.0, math.sqrt(1.0 + c * g)) - _log_dnorm(
        zr, zo * math.sqrt(c), math.sqrt(1.0 + c)
    )


def _log_bfo(zo: float, g: float) -> float:
    """The log Bayes factor of the original: point null against ``N(0, g se_o^2)``."""
    return 0.5 * math.log1p(g) - 0.5 * zo * zo * g / (1.0 + g)


def _studies(to: Any, so: Any, tr: Any, sr: Any) -> tuple[float, float, float]:
    to, tr = check_real("to", to), check_real("tr", tr)
    so, sr = _positive("so", so), _positive("sr", sr)
    return to / so, tr / sr, so * so / (sr * sr)


def bf_replication(to: float, so: float, tr: float, sr: float) -> float:
    """The replication Bayes factor ``BF_SA`` (BayesRep ``BFr``, normal version).

    Verhagen & Wagenmakers (2014): the sceptic's hypothesis (effect 0) against the
    advocate's, whose prior is the original's posterior ``N(to, so^2)`` (from a flat
    prior), judged on the replication's data:
    ``BF_SA = N(tr; 0, sr^2) / N(tr; to, so^2 + sr^2)``. Values below 1 favour the
    advocate (replication success); ``1 / BF_SA`` is Verhagen & Wagenmakers' ``B_r0``.

    Parameters
    ----------
    to, so : float
        Original estimate and its standard error.
    tr, sr : float
        Replication estimate and its standard error.

    Returns
    -------
    float

    References
    ----------
    Verhagen, J. & Wagenmakers, E.-J. (2014). Journal of Experimental Psychology: General
    143, 1457-1475. Pawel, S. & Held, L. (2022). JRSS B 84, 879-911.
    """
    zo, zr, c = _studies(to, so, tr, sr)
    log_bf = _log_bfr(zo, zr, c, 0.0)
    return math.inf if log_bf > _LOG_MAX else math.exp(log_bf)


#: The log of the largest double: a Bayes factor beyond it is infinite.
_LOG_MAX = math.log(1.7976931348623157e308)


def bf_sceptical(to: float, so: float, tr: float, sr: float) -> float:
    """The sceptical Bayes factor ``BF_S`` of Pawel & Held (2022) (BayesRep ``BFs``).

    A sceptic chooses the prior ``N(0, g so^2)`` that makes the original's Bayes factor
    against the null as unconvincing as the level ``gamma``; replication success at level
    ``gamma`` means the replication's data favour the advocate over that sceptic. ``BF_S``
    is the smallest ``gamma`` at which success is reached: the Bayes factor at the ``g``
    where the original's and the replication's Bayes factors are equal (by the Lambert W
    function when ``c = 1``, by root finding otherwise), or the original's minimum Bayes
    factor when the replication is more convincing than that. NaN when no sceptical prior
    can be convinced (the replication's data too weak, or the original not convincing at
    all).

    Parameters
    ----------
    to, so : float
        Original estimate and its standard error.
    tr, sr : float
        Replication estimate and its standard error.

    Returns
    -------
    float
        ``BF_S`` in (0, 1], or NaN. Below 1 indicates replication success; the smaller
        the stronger.

    References
    ----------
    Pawel, S. & Held, L. (2022). The sceptical Bayes factor for the assessment of
    replication success. JRSS B 84(3), 879-911.
    """
    zo, zr, c = _studies(to, so, tr, sr)
    return _bf_sceptical(zo, zr, c)


def _bf_sceptical(zo: float, zr: float, c: float) -> float:
    from scipy import optimize, special

    g_min = max(zo * zo - 1.0, 0.0)
    log_min_bfo = _log_bfo(zo, g_min)
    if _log_bfr(zo, zr, c, g_min) <= log_min_bfo:
        return math.exp(log_min_bfo)
    if c == 1:
        x = (
            0.5
            * (zo * zo + zr * zr)
            / math.sqrt(2.0)
            * math.exp(-0.5 * (zo * zo + 0.5 * (zr - zo) ** 2))
        )
        if not 0 < x <= math.exp(-1.0):
            return math.nan
        w = float(special.lambertw(-x, k=-1).real)
        g = -0.5 * (zo * zo + zr * zr) / w - 1.0
        if g < 0:
            return math.nan
        return math.exp(_log_bfo(zo, g))

    def gap(g: float) -> float:
        return _log_bfr(zo, zr, c, g) - _log_bfo(zo, g)

    low, high = gap(0.0), gap(g_min)
    if low == 0:
        return 1.0
    if (low > 0) == (high > 0):
        return math.nan
    g = float(optimize.brentq(gap, 0.0, g_min, xtol=1e-14, rtol=1e-14, maxiter=500))
    return math.exp(_log_bfo(zo, g))
