"""Power and sample size of the sign test: exact binomial, or Noether's approximation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import check_alternative, check_choice, check_probability, check_real
from ..errors import InputValueError
from ..results import PowerResult
from ._common import (
    N_MAX,
    check_n,
    check_optional_probability,
    given,
    one_unknown,
    solve_increasing,
)

__all__ = [
    "EXACT_SOLVE_N_MAX",
    "fewest_pairs",
    "sign_critical_values",
    "sign_test",
    "sign_test_power",
]

METHODS = ("exact", "noether")
#: The sawtooth is searched from n + 1 up to 2 n, or n + DIP_WINDOW for larger n (there the
#: teeth are far below any practical precision).
DIP_WINDOW = 20_000
#: Solving ``n`` with the exact method scans the exact power over every ``n`` near the
#: answer; above this many pairs (by Noether's estimate) it is refused, with the advice to
#: use ``method="noether"``, which there agrees with the exact answer to a fraction of a
#: percent (the sawtooth's teeth are far below any practical precision).
EXACT_SOLVE_N_MAX = 200_000


def sign_critical_values(n: int, alpha: float, alternative: str) -> tuple[int, int, float]:
    """Rejection region of the exact sign test with ``n`` non-zero changes.

    Returns
    -------
    k_low, k_high, attained : int, int, float
        Reject when ``S <= k_low`` or ``S >= k_high`` (``k_low = -1`` or
        ``k_high = n + 1`` for a side that never rejects); ``attained`` is the exact size
        under ``p = 1/2``. The region is the set where R's ``binom.test`` gives a p-value
        ``<= alpha``, except when ``alpha`` equals an attainable size to the last bit
        (R's p-value there can exceed it by rounding).
    """
    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    k_high = _first_k_at_most(n, tail)
    size = _null_upper(n, k_high)
    if alternative == "greater":
        return -1, k_high, size
    if alternative == "less":
        return n - k_high, n + 1, size
    return n - k_high, k_high, 2.0 * size


def _null_upper(n: int, k: int) -> float:
    """``P(S >= k)`` under the null (S ~ Binomial(n, 1/2)): 1 for k <= 0, 0 for k > n."""
    from scipy import special

    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    return float(special.bdtrc(k - 1, n, 0.5))


def _first_k_at_most(n: int, tail: float) -> int:
    """The smallest ``k`` in ``[0, n + 1]`` with ``P(S >= k) <= tail`` under the null.

    ``P(S >= k)`` falls with ``k`` (from 1 at ``k = 0`` to 0 at ``k = n + 1``), so the
    first ``k`` is found by bisection: about ``log2(n)`` tail evaluations, not ``n``.
    """
    if _null_upper(n, 0) <= tail:
        return 0
    low, high = 0, n + 1  # upper(low) > tail >= upper(high) = 0
    while high - low > 1:
        middle = (low + high) // 2
        if _null_upper(n, middle) <= tail:
            high = middle
        else:
            low = middle
    return high


def _exact_power_many(
    ns: np.ndarray, p: float, alpha: float, alternative: str
) -> tuple[np.ndarray, np.ndarray]:
    """Exact power and attained size for many ``n`` at once (vectorized over ``n``).

    The critical count ``k`` (reject when ``S >= k``) is found from the continuous inverse
    ``bdtrik`` and then corrected by exact tail evaluations, so it is the same ``k`` as
    :func:`sign_critical_values` gives.
    """
    from scipy import special

    ns = np.asarray(ns, dtype=np.int64)
    tail = alpha / 2.0 if alternative == "two-sided" else alpha

    def upper(k: np.ndarray) -> np.ndarray:  # P(S >= k) under the null
        return np.where(k <= 0, 1.0, np.where(k > ns, 0.0, special.bdtrc(k - 1, ns, 0.5)))

    with np.errstate(invalid="ignore"):
        guess = np.nan_to_num(special.bdtrik(1.0 - tail, ns, 0.5), nan=0.0)
    k = np.clip(np.floor(guess).astype(np.int64), 0, ns + 1)
    for _ in range(4):  # step to the smallest k with P(S >= k) <= tail
        k = np.where(upper(k) > tail, k + 1, k)
        k = np.where((k > 0) & (upper(k - 1) <= tail), k - 1, k)
    k = np.minimum(k, ns + 1)
    size = upper(k)
    hit_high = np.where(k <= ns, np.where(k > 0, special.bdtrc(k - 1, ns, p), 1.0), 0.0)
    if alternative == "greater":
        return hit_high, size
    low = ns - k  # reject when S <= n - k
    hit_low = np.where(low >= 0, special.bdtr(np.maximum(low, 0), ns, p), 0.0)
    if alternative == "less":
        return hit_low, size
    return np.minimum(hit_high + hit_low, 1.0), 2.0 * size


def _exact_power(n: int, p: float, alpha: float, alternative: str) -> tuple[float, float]:
    from scipy import special

    k_low, k_high, attained = sign_critical_values(n, alpha, alternative)
    power = 0.0
    if k_high <= n:
        power += float(special.bdtrc(k_high - 1, n, p)) if k_high > 0 else 1.0
    if k_low >= 0:
        power += float(special.bdtr(k_low, n, p))
    return min(power, 1.0), attained


def _noether_power(n: float, p: float, alpha: float, alternative: str) -> float:
    from scipy import special

    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    z = float(special.ndtri(1.0 - tail))
    shift = 2.0 * math.sqrt(n) * (p - 0.5)
    if alternative == "greater":
        return float(special.ndtr(shift - z))
    if alternative == "less":
        return float(special.ndtr(-shift - z))
    return float(special.ndtr(shift - z) + special.ndtr(-shift - z))


def sign_test_power(
    n: int | Sequence[int] | np.ndarray,
    p: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    method: str = "exact",
) -> float | np.ndarray:
    """Power of the sign test for one or many ``n`` (a power curve, sawtooth included).

    Parameters
    ----------
    n : int or array_like of int
        Numbers of non-zero changes.
    p : float
        Probability that a non-zero change is positive.
    alpha : float
        Nominal significance level.
    alternative : {"two-sided", "less", "greater"}
        The test's alternative.
    method : {"exact", "noether"}
        Exact binomial power of the exact test, or Noether's (1987) normal approximation
        ``Φ(2 sqrt(n) |p - 1/2| - z_{1-α})``.

    Returns
    -------
    float or numpy.ndarray
    """
    alpha = check_probability("alpha", alpha)
    alternative = check_alternative(alternative)
    method = check_choice("method", method, METHODS)
    p = check_probability("p", p)
    try:
        ns = np.atleast_1d(np.asarray(n, dtype=float))
    except (TypeError, ValueError):
        raise InputValueError(f"n must hold whole numbers of pairs; got {n!r}") from None
    if not np.all(np.isfinite(ns)) or not np.all(np.mod(ns, 1) == 0):
        raise InputValueError("n must hold whole numbers of pairs")
    if np.any(ns < 1):
        raise InputValueError("n must be at least 1")
    if method == "exact":
        values = _exact_power_many(ns.astype(np.int64), p, alpha, alternative)[0]
    else:
        values = np.array([_noether_power(float(k), p, alpha, alternative) for k in ns])
    return float(values[0]) if np.ndim(n) == 0 else values


def sign_test(
    n: int | None = None,
    p: float | None = None,
    alpha: float | None = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    method: str = "exact",
) -> PowerResult:
    """Power, sample size, sensitivity or criterion of the sign test.

    Exactly one of ``n``, ``p``, ``alpha`` and ``power`` is ``None``.

    Parameters
    ----------
    n : int, optional
        Number of non-zero changes (pairs with a tie carry no sign; plan for them).
    p : float, optional
        ``P(change > 0)`` among non-zero changes; 0.5 under the null hypothesis.
    alpha : float, optional
        Nominal significance level (default 0.05).
    power : float, optional
        Power.
    alternative : {"two-sided", "less", "greater"}
        ``"greater"`` needs ``p > 0.5``, ``"less"`` ``p < 0.5``.
    method : {"exact", "noether"}
        Exact binomial power, or Noether's (1987) normal approximation.

    Returns
    -------
    PowerResult
        ``attained_alpha`` is the exact size of the test at ``n`` (the discrete test
        never spends all of ``alpha``). When solving for ``n`` with the exact method,
        ``details["dips_below"]`` lists the larger ``n`` (up to twice the answer, or
        20,000 beyond it) whose power falls back below the target: the sawtooth of a
        discrete test.

    Raises
    ------
    InputValueError
        Not exactly one unknown; ``p = 0.5`` (or the wrong side of it) with a power to
        reach; values out of range; solving ``n`` with ``method="exact"`` when more than
        :data:`EXACT_SOLVE_N_MAX` (200,000) pairs would be needed (use
        ``method="noether"`` there).

    Notes
    -----
    The rejection region is ``{S >= k}`` (``{S <= n - k}``, or both for a two-sided test
    at ``alpha/2`` each) with ``k`` the smallest count whose null tail probability is at
    most ``alpha``; power is the probability of that region under Binomial(n, p).

    References
    ----------
    .. [1] Noether, G. E. (1987). Sample size determination for some common nonparametric
       tests. Journal of the American Statistical Association 82(398), 645-647.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> r = ps.power.sign_test(n=40, p=0.7, alternative="greater")
    >>> round(r.power, 6), round(r.attained_alpha, 6)
    (0.807448, 0.040345)
    """
    alternative = check_alternative(alternative)
    method = check_choice("method", method, METHODS)
    unknown = one_unknown(n=n, p=p, alpha=alpha, power=power)
    n_given = None if n is None else check_n(n, 1)
    p_given = None
    if p is not None:
        p_given = check_real("p", p)
        if not 0.0 < p_given < 1.0:
            raise InputValueError(f"p must lie strictly between 0 and 1; got {p_given!r}")
    alpha_given = check_optional_probability("alpha", alpha)
    target = check_optional_probability("power", power)
    notes: list[str] = []
    details: dict[str, Any] = {}
    exact = method == "exact"

    def at(n_: float, p_: float, a_: float) -> float:
        if exact:
            return _exact_power(int(n_), p_, a_, alternative)[0]
        return _noether_power(n_, p_, a_, alternative)

    n_exact = None
    if unknown in ("n", "alpha"):
        p_out = given(p_given, "p")
        favourable = {"greater": p_out > 0.5, "less": p_out < 0.5}.get(alternative, p_out != 0.5)
        if not favourable:
            raise InputValueError(
                f"p = {p_out} gives no power beyond alpha for a {alternative} sign test; "
                "no n reaches the target"
            )
    if unknown == "n":
        p_out, alpha_out = given(p_given, "p"), given(alpha_given, "alpha")
        n_out, n_exact = _solve_sign_n(
            p_out, alpha_out, given(target, "power"), alternative, exact, notes, details
        )
    elif unknown == "p":
        n_out, alpha_out = given(n_given, "n"), given(alpha_given, "alpha")
        goal = given(target, "power")
        if goal <= alpha_out:
            raise InputValueError(f"power must exceed alpha ({alpha_out}); got {goal}")
        sign = -1.0 if alternative == "less" else 1.0
        gap = solve_increasing(
            lambda g: at(n_out, 0.5 + sign * g, alpha_out),
            goal,
            0.0,
            0.5 - 1e-12,
            f"no p reaches power {goal} with n = {n_out}",
        )
        p_out = 0.5 + sign * gap
    elif unknown == "alpha":
        n_out, p_out = given(n_given, "n"), given(p_given, "p")
        goal = given(target, "power")
        if exact:
            alpha_out = _smallest_alpha(n_out, p_out, goal, alternative)
        else:
            alpha_out = solve_increasing(
                lambda a: at(n_out, p_out, a),
                goal,
                1e-12,
                1 - 1e-12,
                f"no alpha gives power {goal}",
            )
    else:
        n_out, p_out = given(n_given, "n"), given(p_given, "p")
        alpha_out = given(alpha_given, "alpha")
    achieved = at(n_out, p_out, alpha_out)
    attained = _exact_power(n_out, p_out, alpha_out, alternative)[1] if exact else None
    return PowerResult(
        test="sign",
        method="exact binomial" if exact else "Noether (normal approximation)",
        solved_for=unknown,
        n=n_out,
        n_exact=n_exact,
        effect=p_out,
        effect_name="p",
        alpha=alpha_out,
        power=achieved,
        target_power=target,
        alternative=alternative,
        attained_alpha=attained,
        notes=notes,
        details=details,
    )


def _solve_sign_n(
    p: float,
    alpha: float,
    target: float,
    alternative: str,
    exact: bool,
    notes: list[str],
    details: dict[str, Any],
) -> tuple[int, float | None]:
    """``(n, n_exact)``: Noether's continuous n rounded up, or the exact test's first n."""
    from scipy import special

    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    z = float(special.ndtri(1.0 - tail)) + float(special.ndtri(target))
    noether = (z / (2.0 * (p - 0.5))) ** 2
    if noether > N_MAX:
        raise InputValueError(
            f"about {noether:.3g} pairs would be needed (Noether), beyond the limit of "
            f"{N_MAX}; p = {p} is too close to 0.5"
        )
    fewest = fewest_pairs(alpha, alternative)
    if not exact:
        n_exact = max(noether, 1.0)
        n = max(1, math.ceil(n_exact - 1e-9))
        if n < fewest:
            notes.append(
                f"Noether's n ({n}) is raised to {fewest}, the fewest pairs with which the "
                f"exact sign test can reject at alpha = {alpha:g} ({alternative})"
            )
            n = fewest
        return n, n_exact
    if noether > EXACT_SOLVE_N_MAX:
        raise InputValueError(
            f"with method='exact', n is solved for up to {EXACT_SOLVE_N_MAX:,} pairs; p = {p} "
            f"needs about {noether:.3g} (Noether), where the exact search would take minutes: "
            "use method='noether', which agrees with the exact answer to a fraction of a "
            "percent at that size"
        )
    n, dips = _first_n_reaching(p, alpha, alternative, target, noether, fewest)
    details["dips_below"] = tuple(dips)
    if dips:
        notes.append(
            f"sawtooth: {len(dips)} larger n up to {2 * n} have power below the "
            f"target (e.g. n = {dips[0]}); the power stays above it from n = "
            f"{dips[-1] + 1} on within that range"
        )
    return n, None


def fewest_pairs(alpha: float, alternative: str) -> int:
    """The fewest non-zero changes with which the exact sign test can reject at ``alpha``.

    The most extreme outcome (every sign the same) has null probability ``2**-n`` per
    tail; below this ``n`` it exceeds ``alpha`` (``alpha / 2`` two-sided) and the power is
    0 whatever the effect (6 pairs for a two-sided test at 0.05, 5 one-sided).
    """
    tail = alpha / 2.0 if alternative == "two-sided" else alpha
    n = 1
    while _null_upper(n, n) > tail:
        n += 1
    return n


def _first_n_reaching(
    p: float, alpha: float, alternative: str, target: float, guess: float, fewest: int = 1
) -> tuple[int, list[int]]:
    """Smallest ``n`` whose exact power reaches ``target``, and the dips after it.

    The exact power is a sawtooth in ``n``: the second value lists the larger ``n`` up to
    twice the answer whose power falls below the target.
    """
    # The exact power is far below the target until near the normal-approximation
    # answer: start the scan at 70 % of it (from 1 if the target is already met there).
    # Below ``fewest`` pairs the test cannot reject: the search never looks there.
    start = max(fewest, int(0.7 * guess))
    if (
        start > fewest
        and _exact_power_many(np.array([start]), p, alpha, alternative)[0][0] >= target
    ):
        start = fewest
    stop = max(start + 50, int(1.5 * guess) + 50)
    while True:
        ns = np.arange(start, min(stop, N_MAX) + 1)
        power = _exact_power_many(ns, p, alpha, alternative)[0]
        reached = np.flatnonzero(power >= target)
        if reached.size:
            n = int(ns[reached[0]])
            if start > fewest and reached[0] == 0:  # reached at the start: look below it
                start, stop = fewest, int(ns[0])
                continue
            break
        if stop >= N_MAX:
            raise InputValueError(f"no n up to {N_MAX} reaches power {target}")
        start, stop = stop + 1, 2 * stop
    window = np.arange(n + 1, n + min(n, DIP_WINDOW) + 1)
    after = _exact_power_many(window, p, alpha, alternative)[0]
    return n, window[after < target].tolist()


def _smallest_alpha(n: int, p: float, target: float, alternative: str) -> float:
    """The smallest attainable size whose exact test reaches ``target`` power."""
    # The attainable sizes are P(S >= k), k = n..0, growing as k falls, and so does the
    # power of the test at that size: bisect for the largest k whose power reaches the
    # target (about 2 log2(n) evaluations of log2(n) tails each, not n of n).

    def nominal(k: int) -> float:
        size = _null_upper(n, k)
        return 2.0 * size if alternative == "two-sided" else size

    def usable(k: int) -> bool:  # a test that rejects every outcome is no test
        return nominal(k) < 1.0 - 1e-9

    def reaches(k: int) -> bool:
        return _exact_power(n, p, nominal(k), alternative)[0] >= target

    no_alpha = f"no alpha below 1 gives power {target} with n = {n} and p = {p}"
    if not usable(n):
        raise InputValueError(no_alpha)
    low, high = -1, n  # the smallest usable k: usable(high) holds, usable(-1) fails
    while high - low > 1:
        middle = (low + high) // 2
        if usable(middle):
            high = middle
        else:
            low = middle
    if not reaches(high):  # not even the largest proper test reaches the target
        raise InputValueError(no_alpha)
    if reaches(n):
        return nominal(n)
    low, high = high, n  # reaches(low) holds, reaches(high) fails: the largest k reaching
    while high - low > 1:
        middle = (low + high) // 2
        if reaches(middle):
            low = middle
        else:
            high = middle
    return nominal(low)
