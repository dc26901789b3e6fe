"""Power and sample size of the paired t-test (noncentral t), as R's ``pwr`` and G*Power."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import check_alternative, check_probability, check_real
from ..errors import InputTypeError, InputValueError
from ..results import PowerResult
from ._common import (
    N_MAX,
    check_n,
    check_optional_probability,
    one_unknown,
    solve_increasing,
)

__all__ = ["dz_from_summary", "paired_t", "paired_t_power"]


def _nct_lower_quad(df: float, ncp: float, x: float) -> float:
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
    return value


def _nct_cdf(df: np.ndarray, ncp: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``P(T <= x)`` for a noncentral t, with a guard where scipy returns NaN.

    scipy's ``nctdtr`` returns NaN far in the lower tail for large noncentrality (seen for
    ``ncp > 7`` with ``x`` about ``-2``, where the true value is tiny). There the
    probability is computed by quadrature (:func:`_nct_lower_quad`), which agrees with a
    40-digit mpmath integration to 1e-9 relative for probabilities above 1e-20 (small df
    included) and to 1e-20 absolute below, far beyond what a power needs.
    """
    from scipy import special

    value = special.nctdtr(df, ncp, x)
    bad = ~np.isfinite(value)
    if np.any(bad):
        value = np.array(value, copy=True)
        df_b, ncp_b, x_b = (np.broadcast_to(a, value.shape)[bad] for a in (df, ncp, x))
        value[bad] = [
            _nct_lower_quad(float(d), float(c), float(v))
            for d, c, v in zip(df_b, ncp_b, x_b, strict=True)
        ]
    return np.clip(value, 0.0, 1.0)


def _cdf1(df: float, ncp: float, x: float) -> float:
    """Scalar :func:`_nct_cdf` (the solvers call it many times)."""
    from scipy import special

    value = float(special.nctdtr(df, ncp, x))
    if value != value:  # NaN far in the tail
        value = _nct_lower_quad(df, ncp, x)
    return min(max(value, 0.0), 1.0)


def _power1(n: float, dz: float, alpha: float, alternative: str) -> float:
    """Scalar power of the paired t-test, without validation (inputs already checked)."""
    from scipy import special

    df = n - 1.0
    ncp = dz * math.sqrt(n)
    if alternative == "two-sided":
        crit = float(special.stdtrit(df, 1.0 - alpha / 2.0))
        return min(1.0, _cdf1(df, -ncp, -crit) + _cdf1(df, ncp, -crit))
    if alternative == "greater":
        return _cdf1(df, -ncp, -float(special.stdtrit(df, 1.0 - alpha)))
    return _cdf1(df, ncp, float(special.stdtrit(df, alpha)))


def _n_guess(dz: float, alpha: float, target: float, alternative: str) -> float:
    """Normal approximation with Guenther's (1981) correction ``+ z²/2`` for the t."""
    from scipy import special

    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    z_alpha = float(special.ndtri(1.0 - tail))
    z_beta = float(special.ndtri(target))
    ratio = (z_alpha + z_beta) / abs(dz)
    if ratio > 1e6:  # the answer is far beyond N_MAX anyway
        return math.inf
    return max(2.0, ratio**2 + z_alpha**2 / 2.0)


def _solve_n(at: Any, target: float, guess: float, message: str) -> float:
    """Continuous ``n`` with ``at(n) = target``: bracket around a good guess, then Illinois.

    The guess is within about one pair of the answer, so a handful of power evaluations
    reach 1e-12 relative; the bracket widens (up to ``N_MAX``) when it is not.
    """
    low, high = max(2.0, guess - 1.0), guess + 1.0
    f_low, f_high = at(low) - target, at(high) - target
    while f_low > 0 and low > 2.0:
        low = max(2.0, low - 4.0 * (high - low))
        f_low = at(low) - target
    if f_low >= 0:
        return 2.0
    while f_high < 0:
        if high >= N_MAX:
            raise InputValueError(message)
        low, f_low = high, f_high
        high = min(float(N_MAX), 2.0 * high)
        f_high = at(high) - target
    side = 0
    for _ in range(200):
        x = high - f_high * (high - low) / (f_high - f_low)
        f_x = at(x) - target
        if f_x == 0 or high - low <= 1e-12 * high:
            return x
        if f_x > 0:
            high, f_high = x, f_x
            if side == -1:
                f_low /= 2.0  # Illinois: keep the stale end from stalling the secant
            side = -1
        else:
            low, f_low = x, f_x
            if side == 1:
                f_high /= 2.0
            side = 1
        if abs(f_x) < 1e-15:
            return x
    return x


def paired_t_power(
    n: float | Sequence[float] | np.ndarray,
    dz: float | Sequence[float] | np.ndarray,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> float | np.ndarray:
    """Power of the paired t-test, vectorized over ``n`` and ``dz`` (for power curves).

    Parameters
    ----------
    n : float or array_like
        Number of pairs (may be fractional, as in ``pwr``; at least 2).
    dz : float or array_like
        Standardized mean change ``mean(post - pre) / SD(post - pre)``.
    alpha : float
        Significance level.
    alternative : {"two-sided", "less", "greater"}
        The test's alternative about the mean change.

    Returns
    -------
    float or numpy.ndarray
        Power, broadcast over ``n`` and ``dz``; a float when both are scalars.

    Notes
    -----
    With ``df = n - 1`` and noncentrality ``λ = dz sqrt(n)``: two-sided power is
    ``P(T' > t_{1-α/2}) + P(T' < -t_{1-α/2})``, ``"greater"`` ``P(T' > t_{1-α})``,
    ``"less"`` ``P(T' < t_α)``, as R's ``pwr.t.test(type = "paired")``. Upper tails are
    computed as lower tails of ``-T'`` (no cancellation near 1).

    References
    ----------
    .. [1] Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed.
    .. [2] Faul, F., Erdfelder, E., Lang, A.-G. & Buchner, A. (2007). G*Power 3. Behavior
       Research Methods 39(2), 175-191.
    """
    alpha = check_probability("alpha", alpha)
    alternative = check_alternative(alternative)
    try:
        n_arr = np.asarray(n, dtype=float)
        dz_arr = np.asarray(dz, dtype=float)
    except (TypeError, ValueError):
        raise InputTypeError(
            f"n and dz must be numbers or arrays of numbers; got {n!r}, {dz!r}"
        ) from None
    if np.any(~np.isfinite(n_arr)) or np.any(n_arr < 2):
        raise InputValueError("n must be at least 2 (and finite) for the paired t-test")
    if np.any(~np.isfinite(dz_arr)):
        raise InputValueError("dz must be finite")
    return _power_array(n_arr, dz_arr, alpha, alternative)


def _power_array(
    n_arr: np.ndarray, dz_arr: np.ndarray, alpha: float, alternative: str
) -> float | np.ndarray:
    """Vectorized power without validation; ``n`` may be any value above 1 (df > 0)."""
    from scipy import special

    n_arr, dz_arr = np.broadcast_arrays(np.asarray(n_arr, float), np.asarray(dz_arr, float))
    df = n_arr - 1.0
    ncp = dz_arr * np.sqrt(n_arr)
    if alternative == "two-sided":
        crit = special.stdtrit(df, 1.0 - alpha / 2.0)
        power = _nct_cdf(df, -ncp, -crit) + _nct_cdf(df, ncp, -crit)
    elif alternative == "greater":
        crit = special.stdtrit(df, 1.0 - alpha)
        power = _nct_cdf(df, -ncp, -crit)
    else:
        crit = special.stdtrit(df, alpha)
        power = _nct_cdf(df, ncp, crit)
    power = np.clip(power, 0.0, 1.0)
    return float(power) if power.ndim == 0 else power


def dz_from_summary(
    *,
    mean_change: float | None = None,
    sd_change: float | None = None,
    means: Sequence[float] | None = None,
    sds: Sequence[float] | None = None,
    r: float | None = None,
) -> float:
    """``dz`` from (mean change, SD of change) or from (means, SDs, r), as G*Power's dialog.

    Parameters
    ----------
    mean_change, sd_change : float, optional
        Mean and SD of ``post - pre``.
    means, sds : pair of float, optional
        ``(pre, post)`` means and SDs.
    r : float, optional
        The pre-post correlation (with ``means`` and ``sds``).

    Returns
    -------
    float
        ``mean_change / sd_change`` with
        ``sd_change = sqrt(s_pre² + s_post² - 2 r s_pre s_post)``.
    """
    if means is not None or sds is not None or r is not None:
        if mean_change is not None or sd_change is not None:
            raise InputValueError(
                "give the effect either as mean_change and sd_change or as means, sds and r"
            )
        if means is None or sds is None or r is None:
            raise InputValueError("means, sds and r must be given together")
        if len(means) != 2 or len(sds) != 2:
            raise InputValueError("means and sds must each be a (pre, post) pair")
        m1, m2 = (check_real("means", m) for m in means)
        s1, s2 = (check_real("sds", s) for s in sds)
        rho = check_real("r", r)
        if s1 <= 0 or s2 <= 0:
            raise InputValueError(f"sds must be positive; got {tuple(sds)!r}")
        if not -1.0 <= rho <= 1.0:
            raise InputValueError(f"r must lie in [-1, 1]; got {rho!r}")
        mean_change = m2 - m1
        sd_change = math.sqrt(max(s1 * s1 + s2 * s2 - 2.0 * rho * s1 * s2, 0.0))
    if mean_change is None or sd_change is None:
        raise InputValueError("mean_change and sd_change must be given together")
    mean_change = check_real("mean_change", mean_change)
    sd_change = check_real("sd_change", sd_change)
    if sd_change <= 0:
        raise InputValueError(f"the SD of the change must be positive; got {sd_change!r}")
    return mean_change / sd_change


def paired_t(
    n: int | None = None,
    dz: float | None = None,
    alpha: float | None = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    *,
    mean_change: float | None = None,
    sd_change: float | None = None,
    means: Sequence[float] | None = None,
    sds: Sequence[float] | None = None,
    r: float | None = None,
) -> PowerResult:
    """Power, sample size, sensitivity or criterion of the paired t-test.

    Exactly one of ``n``, ``dz``, ``alpha`` and ``power`` is ``None``; it is solved for.

    Parameters
    ----------
    n : int, optional
        Number of pairs (at least 2).
    dz : float, optional
        ``mean(post - pre) / SD(post - pre)``. Instead of ``dz`` the effect may be given as
        ``mean_change`` and ``sd_change``, or as ``means``, ``sds`` (pre, post) and ``r``.
    alpha : float, optional
        Significance level (default 0.05).
    power : float, optional
        Power.
    alternative : {"two-sided", "less", "greater"}
        For ``"less"`` the effect is a negative ``dz``.
    mean_change, sd_change, means, sds, r
        See ``dz`` and :func:`dz_from_summary`.

    Returns
    -------
    PowerResult
        When solving for ``n``: ``.n`` is the smallest whole number of pairs reaching the
        power, ``.n_exact`` the continuous solution (R's ``pwr``), ``.power`` the power at
        ``.n``. When solving for ``dz`` (the minimal detectable effect) or ``alpha``:
        ``.power`` is the target power, reached exactly.

    Raises
    ------
    InputValueError
        Not exactly one unknown; a power no ``n`` up to 10^7 reaches (e.g. ``dz = 0``, or
        an effect in the direction the one-sided alternative does not test); values out
        of range.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> result = ps.power.paired_t(dz=1.681309, power=0.8)
    >>> result.n, round(result.power, 4)
    (6, 0.9035)
    """
    alternative = check_alternative(alternative)
    summary_given = any(v is not None for v in (mean_change, sd_change, means, sds, r))
    if summary_given:
        if dz is not None:
            raise InputValueError("give dz or the summary statistics (mean_change, ...), not both")
        dz = dz_from_summary(
            mean_change=mean_change, sd_change=sd_change, means=means, sds=sds, r=r
        )
    unknown = one_unknown(n=n, dz=dz, alpha=alpha, power=power)
    n = None if n is None else check_n(n, 2)
    dz = None if dz is None else check_real("dz", dz)
    alpha = check_optional_probability("alpha", alpha)
    target = check_optional_probability("power", power)
    notes: list[str] = []
    details: dict[str, Any] = {"df": None if n is None else n - 1}
    if summary_given:
        details["dz_from"] = "summary statistics"

    def at(n_: float, dz_: float = dz, alpha_: float = alpha) -> float:  # type: ignore[assignment]
        return _power1(n_, dz_, alpha_, alternative)

    n_exact = None
    if unknown == "power":
        achieved = at(n)
    elif unknown == "n":
        no_n = (
            f"no n up to {N_MAX} reaches power {target} with dz = {dz} ({alternative}); "
            "the effect is too small, 0, or points the other way"
        )
        favourable = {"greater": dz > 0, "less": dz < 0}.get(alternative, dz != 0)
        if not favourable:
            raise InputValueError(no_n)
        guess = _n_guess(dz, alpha, target, alternative)
        if guess > 4 * N_MAX:
            raise InputValueError(no_n)
        n_exact = _solve_n(at, target, min(guess, float(N_MAX)), no_n)
        if n_exact > N_MAX:
            raise InputValueError(no_n)
        n = max(2, math.ceil(n_exact - 1e-9))
        achieved = at(n)
        while achieved < target:  # rounding in n_exact: step up
            n += 1
            achieved = at(n)
        while n > 2 and at(n - 1) >= target:
            n -= 1
            achieved = at(n)
        if n_exact <= 2.0:
            notes.append("the target power is already reached at the smallest n, 2 pairs")
        details["df"] = n - 1
    elif unknown == "dz":
        if target <= alpha:
            raise InputValueError(
                f"power must exceed alpha ({alpha}), the power at dz = 0; got {target}"
            )
        sign = -1.0 if alternative == "less" else 1.0
        magnitude = solve_increasing(
            lambda x: at(n, sign * x), target, 0.0, 1e3, f"no dz reaches power {target}"
        )
        dz = sign * magnitude
        achieved = at(n, dz)
        notes.append("dz is the smallest effect detectable with this power (sensitivity)")
    else:  # alpha
        if at(n, dz, 1e-12) >= target:
            raise InputValueError(
                f"power {target} is already exceeded at alpha = 1e-12 (n = {n}, dz = {dz}): "
                "any practical alpha gives more power than asked"
            )
        alpha = solve_increasing(
            lambda a: at(n, dz, a),
            target,
            1e-12,
            1.0 - 1e-12,
            f"no alpha below 1 gives power {target} with n = {n} and dz = {dz}",
        )
        achieved = at(n, dz, alpha)
    return PowerResult(
        test="t",
        method="noncentral t",
        solved_for=unknown,
        n=n,
        n_exact=n_exact,
        effect=dz,
        effect_name="dz",
        alpha=alpha,
        power=achieved,
        target_power=target,
        alternative=alternative,
        notes=notes,
        details=details,
    )
