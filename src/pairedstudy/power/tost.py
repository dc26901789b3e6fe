"""Power of the paired equivalence test (two one-sided t-tests, TOST)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import check_probability, check_real, show
from ..errors import InputTypeError, InputValueError
from ..results import PowerResult
from ._common import (
    N_MAX,
    check_n,
    check_optional_probability,
    given,
    one_unknown,
    smallest_whole_n,
    solve_increasing,
)

__all__ = ["tost", "tost_power"]


def _check_bounds(bounds: Sequence[float]) -> tuple[float, float]:
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise InputValueError(f"bounds must be a (low, high) pair; got {bounds!r}")
    low, high = (check_real("bounds", b) for b in bounds)
    if not low < high:
        raise InputValueError(f"bounds must satisfy low < high; got ({low}, {high})")
    return low, high


def tost_power(
    n: npt.ArrayLike,
    dz: float = 0.0,
    bounds: Sequence[float] = (-0.5, 0.5),
    alpha: float = 0.05,
) -> float | npt.NDArray[np.float64]:
    """Exact power of the paired TOST at ``n`` pairs.

    Parameters
    ----------
    n : float
        Pairs (at least 2).
    dz : float
        The true mean change in SD-of-change units.
    bounds : (float, float)
        The equivalence bounds in SD-of-change units (raw bounds divided by the SD of the
        change).
    alpha : float
        Level of each one-sided test.

    Returns
    -------
    float

    Notes
    -----
    Equivalence is declared when ``L + c s/sqrt(n) < mean < U - c s/sqrt(n)`` with
    ``c = t_{1-α, n-1}``. Given ``u = s / σ``, distributed as ``sqrt(χ²_{n-1} / (n-1))``
    and independent of the normal mean, the power is
    ``E[max(0, Φ(sqrt(n)(U - dz) - c u) - Φ(sqrt(n)(L - dz) + c u))]``, an integral over
    ``0 < u < sqrt(n)(U - L)/(2c)`` evaluated by adaptive quadrature on the probability
    scale of ``u``.
    This is the exact (Owen 1965) power, not the shifted-t approximation.

    References
    ----------
    .. [1] Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and
       the power approach for assessing the equivalence of average bioavailability.
       Journal of Pharmacokinetics and Biopharmaceutics 15(6), 657-680.
    .. [2] Owen, D. B. (1965). A special case of a bivariate non-central t-distribution.
       Biometrika 52(3/4), 437-446.
    """
    if np.ndim(n) > 0:
        try:
            ns = np.asarray(n, dtype=float)
        except (TypeError, ValueError):
            raise InputTypeError(
                f"n must be a number or an array of numbers; got {show(n)}"
            ) from None
        values = [tost_power(float(k), dz, bounds, alpha) for k in ns.ravel()]
        return np.array(values, dtype=float).reshape(ns.shape)
    n_value = check_real("n", n)
    if n_value < 2:
        raise InputValueError(f"n must be at least 2; got {n_value!r}")
    dz = check_real("dz", dz)
    low, high = _check_bounds(bounds)
    alpha = check_probability("alpha", alpha)
    if alpha >= 0.5:
        raise InputValueError(f"alpha of each one-sided test must be below 0.5; got {alpha!r}")
    return _tost_power1(n_value, dz, low, high, alpha)


def _tost_power1(n: float, dz: float, low: float, high: float, alpha: float) -> float:
    """Scalar :func:`tost_power` without validation (the solver calls it many times)."""
    from scipy import integrate, special

    df = n - 1.0
    c = float(special.stdtrit(df, 1.0 - alpha))
    root_n = math.sqrt(n)
    u_max = root_n * (high - low) / (2.0 * c)

    def integrand(q: float) -> float:
        # u = s / σ at the q-th quantile of sqrt(χ²_df / df): integrating over q puts the
        # mass of the (sharply peaked, for large df) chi density evenly on [0, 1].
        u = math.sqrt(float(special.chdtri(df, 1.0 - q)) / df)
        inside = special.ndtr(root_n * (high - dz) - c * u) - special.ndtr(
            root_n * (low - dz) + c * u
        )
        return max(float(inside), 0.0)

    q_max = float(special.chdtr(df, df * u_max * u_max))
    with warnings.catch_warnings():
        warnings.simplefilter("error", integrate.IntegrationWarning)
        try:
            value, _ = integrate.quad(integrand, 0.0, q_max, limit=200, epsabs=1e-12, epsrel=1e-10)
        except integrate.IntegrationWarning:  # roundoff near 1: the looser answer is exact enough
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            value, _ = integrate.quad(integrand, 0.0, q_max, limit=200, epsabs=1e-10, epsrel=1e-8)
    return min(max(float(value), 0.0), 1.0)


def tost(
    n: int | None = None,
    dz: float = 0.0,
    bounds: Sequence[float] = (-0.5, 0.5),
    alpha: float = 0.05,
    power: float | None = None,
) -> PowerResult:
    """Power or sample size of the paired equivalence test (TOST).

    Exactly one of ``n`` and ``power`` is ``None``.

    Parameters
    ----------
    n : int, optional
        Pairs.
    dz : float
        The true mean change in SD-of-change units (0: truly equivalent).
    bounds : (float, float)
        Equivalence bounds in SD-of-change units.
    alpha : float
        Level of each one-sided test.
    power : float, optional
        Power.

    Returns
    -------
    PowerResult
        ``details["bounds"]`` holds the bounds; ``effect`` is ``dz``.

    Raises
    ------
    InputValueError
        ``dz`` outside the bounds with a power to reach (no n reaches it), reversed
        bounds, values out of range.
    """
    unknown = one_unknown(n=n, power=power)
    low, high = _check_bounds(bounds)
    dz = check_real("dz", dz)
    alpha = check_probability("alpha", alpha)
    if alpha >= 0.5:
        raise InputValueError(f"alpha of each one-sided test must be below 0.5; got {alpha!r}")
    target = check_optional_probability("power", power)
    details: dict[str, Any] = {"bounds": (low, high)}
    n_exact = None
    if unknown == "n":
        if not low < dz < high:
            limit_power = "alpha" if dz in (low, high) else "0"
            where = "on" if dz in (low, high) else "outside"
            raise InputValueError(
                f"dz = {dz} lies {where} the bounds ({low}, {high}): the power tends to "
                f"{limit_power} as n grows, so no n reaches the target"
            )
        goal = given(target, "power")
        n_exact = solve_increasing(
            lambda x: _tost_power1(x, dz, low, high, alpha),
            goal,
            2.0,
            float(N_MAX),
            f"no n up to {N_MAX} reaches power {goal}",
        )
        pairs = smallest_whole_n(lambda k: _tost_power1(k, dz, low, high, alpha), n_exact, goal, 2)
    else:
        pairs = check_n(n, 2)
    return PowerResult(
        test="tost",
        method="exact (Owen)",
        solved_for=unknown,
        n=pairs,
        n_exact=n_exact,
        effect=dz,
        effect_name="dz",
        alpha=alpha,
        power=_tost_power1(pairs, dz, low, high, alpha),
        target_power=target,
        alternative="equivalence",
        details=details,
    )
