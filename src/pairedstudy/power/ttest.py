"""Power and sample size of the paired t-test (noncentral t), as R's ``pwr`` and G*Power."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._noncentral import t_power, t_power_array
from .._validation import check_alternative, check_probability, check_real, show
from ..errors import InputTypeError, InputValueError
from ..results import PowerResult
from ._common import (
    N_MAX,
    check_n,
    check_optional_probability,
    given,
    one_unknown,
    smallest_n,
    solve_increasing,
)

__all__ = ["check_broadcast", "dz_from_summary", "paired_t", "paired_t_power", "power_array"]


def _n_guess(dz: float, alpha: float, target: float, alternative: str) -> float:
    """Normal approximation with Guenther's (1981) correction ``+ z²/2`` for the t."""
    from scipy import special

    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    z_alpha = float(special.ndtri(1.0 - tail))
    z_beta = float(special.ndtri(target))
    ratio = (z_alpha + z_beta) / abs(dz)
    if ratio > 1e6:  # the answer is far beyond N_MAX anyway
        return math.inf
    if ratio < -1e6:  # a target below alpha: 2 pairs reach it (ratio**2 would overflow)
        return 2.0
    return max(2.0, ratio**2 + z_alpha**2 / 2.0)


def _solve_n(at: Callable[[float], float], target: float, guess: float, message: str) -> float:
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
    x = high
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
    n: npt.ArrayLike,
    dz: npt.ArrayLike,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> float | npt.NDArray[np.float64]:
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
    check_broadcast(n_arr, dz_arr)
    return power_array(n_arr, dz_arr, alpha, alternative)


def check_broadcast(n_arr: npt.NDArray[np.float64], dz_arr: npt.NDArray[np.float64]) -> None:
    """Refuse ``n`` and ``dz`` arrays whose shapes do not broadcast together."""
    try:
        np.broadcast_shapes(n_arr.shape, dz_arr.shape)
    except ValueError:
        raise InputValueError(
            f"n and dz must have shapes that broadcast together (equal, or one of them a "
            f"single number); got n of shape {n_arr.shape} and dz of shape {dz_arr.shape}"
        ) from None


def power_array(
    n_arr: npt.NDArray[np.float64], dz_arr: npt.NDArray[np.float64], alpha: float, alternative: str
) -> float | npt.NDArray[np.float64]:
    """Vectorized power without validation; ``n`` may be any value above 1 (df > 0).

    A float for 0-d input, else an array (the shape of ``n`` and ``dz`` broadcast).
    """
    power = t_power_array(n_arr, dz_arr, alpha, alternative)
    return float(power) if power.ndim == 0 else power


def _pair(name: str, value: Any) -> tuple[Any, Any]:
    """``value`` as a (pre, post) pair: a list, tuple or 1-D array of two numbers."""
    sequence = isinstance(value, Sequence) and not isinstance(value, (str, bytes))
    if sequence or (isinstance(value, np.ndarray) and value.ndim == 1):
        if len(value) == 2:
            return value[0], value[1]
        raise InputValueError(
            f"{name} must be a (pre, post) pair of two numbers; got {len(value)} values: "
            f"{show(value)}"
        )
    raise InputTypeError(
        f"{name} must be a (pre, post) pair of two numbers (a tuple, list or array); got "
        f"{type(value).__name__} {show(value)}"
    )


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
        m1, m2 = (check_real("means", m) for m in _pair("means", means))
        s1, s2 = (check_real("sds", s) for s in _pair("sds", sds))
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
    summary_given = (
        mean_change is not None
        or sd_change is not None
        or means is not None
        or sds is not None
        or r is not None
    )
    if summary_given:
        if dz is not None:
            raise InputValueError("give dz or the summary statistics (mean_change, ...), not both")
        dz = dz_from_summary(
            mean_change=mean_change, sd_change=sd_change, means=means, sds=sds, r=r
        )
    unknown = one_unknown(n=n, dz=dz, alpha=alpha, power=power)
    n_given = None if n is None else check_n(n, 2)
    dz_given = None if dz is None else check_real("dz", dz)
    alpha_given = check_optional_probability("alpha", alpha)
    target = check_optional_probability("power", power)
    notes: list[str] = []
    details: dict[str, Any] = {"df": None if n_given is None else n_given - 1}
    if summary_given:
        details["dz_from"] = "summary statistics"
    n_exact = None
    if unknown == "power":
        n_out, dz_out = given(n_given, "n"), given(dz_given, "dz")
        alpha_out = given(alpha_given, "alpha")
        achieved = t_power(n_out, dz_out, alpha_out, alternative)
    elif unknown == "n":
        dz_out, alpha_out = given(dz_given, "dz"), given(alpha_given, "alpha")
        n_out, n_exact, achieved = _solve_paired_n(
            dz_out, alpha_out, given(target, "power"), alternative
        )
        if n_exact <= 2.0:
            notes.append("the target power is already reached at the smallest n, 2 pairs")
        details["df"] = n_out - 1
    elif unknown == "dz":
        n_out, alpha_out = given(n_given, "n"), given(alpha_given, "alpha")
        dz_out = _solve_paired_dz(n_out, alpha_out, given(target, "power"), alternative)
        achieved = t_power(n_out, dz_out, alpha_out, alternative)
        notes.append("dz is the smallest effect detectable with this power (sensitivity)")
    else:  # alpha
        n_out, dz_out = given(n_given, "n"), given(dz_given, "dz")
        alpha_out = _solve_paired_alpha(n_out, dz_out, given(target, "power"), alternative)
        achieved = t_power(n_out, dz_out, alpha_out, alternative)
    return PowerResult(
        test="t",
        method="noncentral t",
        solved_for=unknown,
        n=n_out,
        n_exact=n_exact,
        effect=dz_out,
        effect_name="dz",
        alpha=alpha_out,
        power=achieved,
        target_power=target,
        alternative=alternative,
        notes=notes,
        details=details,
    )


def _solve_paired_n(
    dz: float, alpha: float, target: float, alternative: str
) -> tuple[int, float, float]:
    """``(n, n_exact, power at n)``: the smallest whole n and the continuous solution."""
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
    n_exact = _solve_n(
        lambda n_: t_power(n_, dz, alpha, alternative), target, min(guess, float(N_MAX)), no_n
    )
    if n_exact > N_MAX:
        raise InputValueError(no_n)
    powers: dict[int, float] = {}

    def reaches(k: int) -> bool:
        powers[k] = t_power(k, dz, alpha, alternative)
        return powers[k] >= target

    # rounding in n_exact: the search checks both neighbours of its ceiling
    n = smallest_n(reaches, max(2, math.ceil(n_exact - 1e-9)), minimum=2, limit=N_MAX)
    if n is None:
        raise InputValueError(no_n)
    return n, n_exact, powers[n]


def _solve_paired_dz(n: int, alpha: float, target: float, alternative: str) -> float:
    """The smallest detectable ``dz`` (sensitivity), signed as ``alternative`` asks."""
    if target <= alpha:
        raise InputValueError(
            f"power must exceed alpha ({alpha}), the power at dz = 0; got {target}"
        )
    sign = -1.0 if alternative == "less" else 1.0
    magnitude = solve_increasing(
        lambda x: t_power(n, sign * x, alpha, alternative),
        target,
        0.0,
        1e3,
        f"no dz reaches power {target}",
    )
    return sign * magnitude


def _solve_paired_alpha(n: int, dz: float, target: float, alternative: str) -> float:
    """The ``alpha`` at which the test has power ``target`` (criterion analysis)."""
    if t_power(n, dz, 1e-12, alternative) >= target:
        raise InputValueError(
            f"power {target} is already exceeded at alpha = 1e-12 (n = {n}, dz = {dz}): "
            "any practical alpha gives more power than asked"
        )
    return solve_increasing(
        lambda a: t_power(n, dz, a, alternative),
        target,
        1e-12,
        1.0 - 1e-12,
        f"no alpha below 1 gives power {target} with n = {n} and dz = {dz}",
    )
