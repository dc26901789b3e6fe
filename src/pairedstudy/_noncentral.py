"""The noncentral t distribution: cdf, power of the one-sample t, interval for the noncentrality.

One module for every use of the noncentral t in the library: the power of the paired t-test
(:mod:`pairedstudy.power`), the intervals of the d family of effect sizes
(:mod:`pairedstudy.effect_sizes`) and the replication planner
(:mod:`pairedstudy.replication`). scipy's ``nctdtr`` (Boost) is used throughout (for scalars
through ``scipy.special.cython_special``, the same function without the ufunc's overhead),
guarded by a quadrature where it returns NaN far in the lower tail; a two-sided power skips
that quadrature where the tail provably cannot change the sum.

This module imports only scipy, numpy and the bottom layer (:mod:`pairedstudy.errors`).
"""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import DegenerateDataError

__all__ = [
    "LARGE_T",
    "nct_cdf",
    "nct_cdf_array",
    "noncentrality_interval",
    "t_power",
    "t_power_array",
]

#: Above this |t| the noncentrality limits use their large-t approximation.
LARGE_T = 1e4

FloatArray = npt.NDArray[np.float64]

_SQRT_HALF = math.sqrt(0.5)


@functools.cache
def _scalar_special() -> Any:
    """``scipy.special.cython_special``: the same C functions as ``scipy.special``, scalar.

    A call on Python floats skips the ufunc machinery (argument conversion, type
    resolution, a numpy scalar out) and returns a Python float: about 0.7 us less per
    ``nctdtr`` call than the ufunc, with the same bits on doubles (it is the same compiled
    function; ``tests/test_noncentral.py`` checks the equality). Callers here pass Python
    floats (it has no int signature, and its float32 version would compute in single
    precision). Imported on first use, so ``import pairedstudy`` does not load scipy.
    """
    from scipy.special import cython_special

    return cython_special


def _lower_tail_quad(df: float, ncp: float, x: float) -> float:
    """``P(T <= x)`` by quadrature, for where scipy's ``nctdtr`` gives NaN.

    ``T = (Z + ncp) / U`` with ``U = sqrt(χ²_df / df)``, so ``P(T <= x) = E[Φ(x U - ncp)]``,
    integrated over the probability scale of ``U`` (smooth, bounded on [0, 1]).
    """
    from scipy import integrate, special

    def integrand(q: float) -> float:
        u = math.sqrt(float(special.chdtri(df, 1.0 - q)) / df) if q > 0 else 0.0
        return float(special.ndtr(x * u - ncp))

    with warnings.catch_warnings():  # roundoff reports for probabilities below 1e-20
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(integrand, 0.0, 1.0, epsabs=1e-30, epsrel=1e-11, limit=400)
    return float(value)


def nct_cdf_array(df: FloatArray, ncp: FloatArray, x: FloatArray) -> FloatArray:
    """``P(T <= x)`` for a noncentral t, broadcast over arrays, with a guard for NaN.

    Parameters
    ----------
    df, ncp, x : numpy.ndarray
        Degrees of freedom, noncentrality and quantile (broadcast together).

    Returns
    -------
    numpy.ndarray
        The probabilities, clipped to [0, 1].

    Notes
    -----
    scipy's ``nctdtr`` returns NaN far in the lower tail for large noncentrality (seen for
    ``ncp > 7`` with ``x`` about ``-2``, where the true value is tiny). There the
    probability is computed by quadrature, which agrees with a 40-digit mpmath integration
    to 1e-9 relative for probabilities above 1e-20 (small df included) and to 1e-20
    absolute below, far beyond what a power needs.
    """
    from scipy import special

    return _guarded(np.asarray(special.nctdtr(df, ncp, x), dtype=np.float64), df, ncp, x)


def _guarded(value: FloatArray, df: FloatArray, ncp: FloatArray, x: FloatArray) -> FloatArray:
    """``nctdtr``'s values with each NaN replaced by the quadrature, clipped to [0, 1]."""
    bad = ~np.isfinite(value)
    if np.any(bad):
        value = np.array(value, copy=True)
        df_b, ncp_b, x_b = (np.broadcast_to(a, value.shape)[bad] for a in (df, ncp, x))
        value[bad] = [
            _lower_tail_quad(float(d), float(c), float(v))
            for d, c, v in zip(df_b, ncp_b, x_b, strict=True)
        ]
    return np.clip(value, 0.0, 1.0)


def nct_cdf(df: float, ncp: float, x: float) -> float:
    """Scalar ``P(T <= x)`` for a noncentral t (the solvers call it many times).

    Parameters
    ----------
    df : float
        Degrees of freedom.
    ncp : float
        Noncentrality.
    x : float
        Quantile.

    Returns
    -------
    float
        The probability in [0, 1]; see :func:`nct_cdf_array` for the guard against NaN.
    """
    # cython_special takes doubles (or float32): ints and numpy scalars as Python floats
    value: float = _scalar_special().nctdtr(float(df), float(ncp), float(x))
    if value != value:  # NaN far in the tail
        value = _lower_tail_quad(df, ncp, x)
    return min(max(value, 0.0), 1.0)


@functools.lru_cache(maxsize=512)
def t_quantile(df: float, p: float) -> float:
    """``scipy.special.stdtrit(df, p)``, cached.

    Solvers and simulations ask for the same critical value again and again (the power
    at one ``n`` and ``alpha``).
    """
    return float(_scalar_special().stdtrit(float(df), float(p)))


def t_power(n: float, dz: float, alpha: float, alternative: str) -> float:
    """Power of the one-sample (paired) t-test, scalar and without validation.

    Parameters
    ----------
    n : float
        Number of pairs (may be fractional; above 1).
    dz : float
        Standardized mean change.
    alpha : float
        Significance level.
    alternative : {"two-sided", "less", "greater"}
        Already validated.

    Returns
    -------
    float
        With ``df = n - 1`` and ``λ = dz sqrt(n)``: two-sided ``P(T' > t_{1-α/2}) +
        P(T' < -t_{1-α/2})``, ``"greater"`` ``P(T' > t_{1-α})``, ``"less"``
        ``P(T' < t_α)``; upper tails as lower tails of ``-T'``.

    Examples
    --------
    >>> from pairedstudy._noncentral import t_power
    >>> round(t_power(21, 0.5, 0.05, "two-sided"), 6)
    0.58728
    """
    df = float(n) - 1.0  # Python floats: cython_special's double signature
    ncp = float(dz) * math.sqrt(n)
    if alternative == "two-sided":
        crit = t_quantile(df, 1.0 - alpha / 2.0)
        nctdtr = _scalar_special().nctdtr
        upper: float = nctdtr(df, -ncp, -crit)  # P(T' >= crit), as P(-T' <= -crit)
        lower: float = nctdtr(df, ncp, -crit)  # P(T' <= -crit)
        if 0.0 <= upper <= 1.0 and 0.0 <= lower <= 1.0:  # not NaN, nothing to clip
            total = upper + lower  # nct_cdf(...) + nct_cdf(...) without four calls
            return total if total <= 1.0 else 1.0
        if upper != upper or lower != lower:  # NaN far in a tail
            return _two_sided_after_nan(df, ncp, crit, upper, lower)
        return min(1.0, min(max(upper, 0.0), 1.0) + min(max(lower, 0.0), 1.0))
    if alternative == "greater":
        return nct_cdf(df, -ncp, -t_quantile(df, 1.0 - alpha))
    return nct_cdf(df, ncp, t_quantile(df, alpha))


def _two_sided_after_nan(df: float, ncp: float, crit: float, upper: float, lower: float) -> float:
    """Two-sided power when ``nctdtr`` gave NaN for a tail, skipping a needless quadrature.

    :func:`nct_cdf` replaces a NaN by a quadrature; here it is skipped when that tail
    cannot change the sum. The NaN comes far in the tail against the effect (``|λ|`` above
    about 7, where that tail is tiny), and the quadrature costs 30-60 times the two
    ``nctdtr`` calls. Skipping it gives the same bits as computing it:
    ``T' = (Z + λ) / U`` with ``U = sqrt(χ²_df / df) > 0`` and ``crit > 0``
    (``alpha < 1``). For ``λ > 0``, ``T' < -crit`` needs ``Z + λ < 0``, so the minor tail
    is at most ``Φ(-λ)``; for ``λ < 0``, ``T' > crit`` needs ``Z + λ > 0``, at most
    ``Φ(λ)``. The quadrature integrates ``Φ(x U - |λ|)`` with ``x < 0``, at most
    ``Φ(-|λ|)`` everywhere, so its value is too (up to rounding). A float sum
    ``major + minor`` of non-negative terms rounds to ``major`` whenever
    ``minor < ulp(major) / 2`` (the next float above ``major`` is ``major + ulp(major)``);
    the test asks ``Φ(-|λ|) < ulp(major) / 4``, a factor 2 to spare for the rounding of
    ``erfc`` and of the quadrature.

    Not done when ``nctdtr`` returns a number for the minor tail: there Boost's value can
    exceed that bound (noise up to about 1e-16 where the true tail is below 1e-40, at small
    ``df``), and adding it is what the library has always done, so the sum keeps it.
    """
    major, minor = (upper, lower) if ncp > 0 else (lower, upper)
    if minor != minor and major == major:
        major = min(max(major, 0.0), 1.0)
        if 0.5 * math.erfc(abs(ncp) * _SQRT_HALF) < 0.25 * math.ulp(major):
            return min(1.0, major)
    if upper != upper:
        upper = _lower_tail_quad(df, -ncp, -crit)
    if lower != lower:
        lower = _lower_tail_quad(df, ncp, -crit)
    return min(1.0, min(max(upper, 0.0), 1.0) + min(max(lower, 0.0), 1.0))


def _negligible_nan(
    minor: FloatArray, major: FloatArray, ncp: FloatArray
) -> npt.NDArray[np.bool_]:
    """Where ``minor`` is NaN but below a rounding of ``major`` (:func:`_two_sided_after_nan`)."""
    from scipy import special

    with np.errstate(invalid="ignore"):
        bound = 0.5 * special.erfc(np.abs(ncp) * _SQRT_HALF)
        below = bound < 0.25 * np.spacing(np.clip(major, 0.0, 1.0))
    result: npt.NDArray[np.bool_] = np.isnan(minor) & ~np.isnan(major) & below
    return result


def t_power_array(n: FloatArray, dz: FloatArray, alpha: float, alternative: str) -> FloatArray:
    """:func:`t_power` broadcast over arrays of ``n`` (any value above 1) and ``dz``.

    Parameters
    ----------
    n, dz : numpy.ndarray
        Pairs and standardized effects, broadcast together.
    alpha : float
        Significance level.
    alternative : {"two-sided", "less", "greater"}
        Already validated.

    Returns
    -------
    numpy.ndarray
        The power, of the broadcast shape (0-d for scalar inputs).
    """
    from scipy import special

    n_arr, dz_arr = np.broadcast_arrays(np.asarray(n, float), np.asarray(dz, float))
    df = n_arr - 1.0
    ncp = dz_arr * np.sqrt(n_arr)
    if alternative == "two-sided":
        crit = special.stdtrit(df, 1.0 - alpha / 2.0)
        upper = np.asarray(special.nctdtr(df, -ncp, -crit), dtype=np.float64)
        lower = np.asarray(special.nctdtr(df, ncp, -crit), dtype=np.float64)
        # A NaN tail against the effect that cannot change the sum counts as 0 instead of
        # its quadrature: the same bits (see _two_sided_after_nan), a power curve at large
        # noncentrality about 10 times faster
        if np.isnan(upper).any() or np.isnan(lower).any():
            positive = ncp > 0
            lower = np.where(positive & _negligible_nan(lower, upper, ncp), 0.0, lower)
            upper = np.where(~positive & _negligible_nan(upper, lower, ncp), 0.0, upper)
        power = _guarded(upper, df, -ncp, -crit) + _guarded(lower, df, ncp, -crit)
    elif alternative == "greater":
        crit = special.stdtrit(df, 1.0 - alpha)
        power = nct_cdf_array(df, -ncp, -crit)
    else:
        crit = special.stdtrit(df, alpha)
        power = nct_cdf_array(df, ncp, crit)
    return np.clip(power, 0.0, 1.0)


def noncentrality_interval(t: float, df: float, level: float) -> tuple[float, float]:
    """Two-sided interval for the noncentrality of a t statistic, by inverting its cdf.

    Parameters
    ----------
    t : float
        The observed t statistic.
    df : float
        Its degrees of freedom.
    level : float
        Confidence level.

    Returns
    -------
    low, high : float
        ``λ`` with ``P(T <= t | λ_low) = 1 - α/2`` and ``P(T <= t | λ_high) = α/2``.

    Raises
    ------
    DegenerateDataError
        The cdf could not be evaluated (NaN) while solving.

    Notes
    -----
    The noncentral t cdf decreases in ``λ``. Each limit starts from scipy's ``nctdtrinc``
    (cdflib, good to about 1e-7), is bracketed around it and polished with Brent's method
    on ``nctdtr`` (Boost) to 1e-12, so the limits agree with R's ``uniroot`` on ``pt()`` to
    1e-8. For ``|t| > 10^4`` (an effect of hundreds of SDs), where the cdf becomes slow and
    then NaN, the limits come from ``T ≈ λ / sqrt(χ²_df / df)`` (relative error below
    1e-3). A NaN from the cdf is reported as an error, never passed on.

    Examples
    --------
    The interval of ``dz`` for the oxytocin study (n = 21, dz = 1.681): the limits of the
    noncentrality divided by ``sqrt(n)``.

    >>> import math
    >>> from pairedstudy._noncentral import noncentrality_interval
    >>> low, high = noncentrality_interval(1.681309216192937 * math.sqrt(21), 20, 0.95)
    >>> round(low / math.sqrt(21), 4), round(high / math.sqrt(21), 4)
    (1.0014, 2.3438)
    """
    from scipy import optimize, special

    alpha = 1.0 - level
    if t < 0:  # P(T <= t | λ) = 1 - P(T <= -t | -λ): mirror the interval
        low, high = noncentrality_interval(-t, df, level)
        return -high, -low
    if t > LARGE_T:
        # Far beyond any real study (scipy's cdf turns slow, then NaN): T ≈ λ / sqrt(V/df)
        # with V ~ χ²_df, so λ = t sqrt(χ²_q / df); relative error about z / t < 1e-3.
        return (
            t * math.sqrt(float(special.chdtri(df, 1.0 - alpha / 2.0)) / df),
            t * math.sqrt(float(special.chdtri(df, alpha / 2.0)) / df),
        )

    def solve(p: float) -> float:
        def f(lam: float) -> float:
            value = float(special.nctdtr(df, lam, t)) - p
            if math.isnan(value):
                raise DegenerateDataError(
                    f"the noncentral t distribution could not be evaluated at t = {t:g}, "
                    f"df = {df:g}, noncentrality {lam:g}"
                )
            return value

        # cdflib's inverse is good to about 1e-7: bracket it tightly, widen if needed,
        # and polish with Brent's method.
        guess = float(special.nctdtrinc(df, p, t))
        if not math.isfinite(guess):
            guess = t
        step = 1e-5 * (1.0 + abs(guess))
        low, high = guess - step, guess + step
        while f(low) < 0:
            low -= step
            step *= 4.0
        step = 1e-5 * (1.0 + abs(guess))
        while f(high) > 0:
            high += step
            step *= 4.0
        return float(optimize.brentq(f, low, high, xtol=1e-12, rtol=1e-13, maxiter=500))

    return solve(1.0 - alpha / 2.0), solve(alpha / 2.0)
