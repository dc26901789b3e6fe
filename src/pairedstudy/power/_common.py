"""Validation, root finding and the smallest-n search shared by the power functions.

:func:`smallest_n` is the one search for the smallest whole sample size in the library:
the power solvers, the Wilcoxon simulation and the replication planner all use it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from .._validation import check_probability, show
from ..errors import InputTypeError, InputValueError

__all__ = [
    "N_MAX",
    "check_n",
    "check_optional_probability",
    "given",
    "one_unknown",
    "smallest_n",
    "smallest_whole_n",
    "solve_increasing",
]

_T = TypeVar("_T")

#: The largest sample size any solver considers.
N_MAX = 10_000_000


def one_unknown(**arguments: Any) -> str:
    """Return the name of the single argument that is ``None``; refuse zero or several."""
    missing = [name for name, value in arguments.items() if value is None]
    if len(missing) != 1:
        names = ", ".join(arguments)
        got = "none of them" if not missing else ", ".join(missing)
        raise InputValueError(
            f"exactly one of {names} must be None (the one to solve for); None was given for {got}"
        )
    return missing[0]


def given(value: _T | None, name: str) -> _T:
    """``value``, which must not be ``None`` here (it is not the unknown being solved)."""
    if value is None:
        raise InputValueError(f"{name} must be given: only one argument can be solved for")
    return value


def check_n(value: Any, minimum: int, name: str = "n") -> int:
    """A whole number of pairs, at least ``minimum``."""
    if type(value) is int and minimum <= value <= N_MAX:
        return value  # fast path: a plain int in range needs no further checks
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name} must be a whole number of pairs; got {show(value)}")
    number = float(value)
    if not number.is_integer():
        raise InputValueError(f"{name} must be a whole number of pairs; got {value!r}")
    whole = int(number)
    if not minimum <= whole <= N_MAX:
        raise InputValueError(f"{name} must lie in [{minimum}, {N_MAX}]; got {whole}")
    return whole


def check_optional_probability(name: str, value: Any) -> float | None:
    """``None`` (to be solved) or a number strictly between 0 and 1."""
    return None if value is None else check_probability(name, value)


def solve_increasing(
    f: Callable[[float], float], target: float, low: float, high: float, what: str
) -> float:
    """The ``x`` in ``[low, high]`` with ``f(x) = target`` for an increasing ``f``.

    Raises a clear error when even ``f(high)`` falls short of ``target``.
    """
    from scipy import optimize

    f_low, f_high = f(low) - target, f(high) - target
    if f_high < 0:
        raise InputValueError(what)
    if f_low >= 0:
        return low
    return float(
        optimize.brentq(lambda x: f(x) - target, low, high, xtol=1e-12, rtol=1e-12, maxiter=500)
    )


def smallest_n(
    reaches: Callable[[int], bool], start: int, *, minimum: int, limit: int
) -> int | None:
    """The smallest whole ``n`` in ``[minimum, limit]`` where ``reaches(n)`` holds.

    For a predicate that is false below some ``n`` and true from it on (power reaching a
    target, an interval narrow enough). The search starts at ``start`` (a guess: a
    continuous solution rounded up, or ``minimum``). If ``reaches(start)`` fails, the upper
    end doubles (capped at ``limit``) until it holds; otherwise the lower end steps down
    from ``start`` by 1, 2, 4, ... (``minimum - 1`` is taken to fail) until it fails. The
    bracket is then bisected. A good guess costs two evaluations, no guess about
    ``2 log2(n)``.

    Parameters
    ----------
    reaches : callable
        ``reaches(n) -> bool``, monotone in ``n``.
    start : int
        Where to start (clipped to ``[minimum, limit]``).
    minimum : int
        The smallest ``n`` allowed.
    limit : int
        The largest ``n`` considered.

    Returns
    -------
    int or None
        ``None`` when even ``reaches(limit)`` fails.
    """
    high = min(max(start, minimum), limit)
    if reaches(high):
        low, step = high, 1
        while True:  # step down until a failure (minimum - 1 fails by definition)
            candidate = max(high - step, minimum - 1)
            if candidate < minimum or not reaches(candidate):
                low = candidate
                break
            high = candidate
            step *= 2
    else:
        low = high
        while True:
            if high >= limit:
                return None
            low, high = high, min(2 * high, limit)
            if reaches(high):
                break
    while high - low > 1:  # reaches(low) fails, reaches(high) holds
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle
    return high


def smallest_whole_n(
    power_at: Callable[[int], float], start: float, target: float, minimum: int
) -> int:
    """The smallest whole ``n >= minimum`` with ``power_at(n) >= target``, near ``start``.

    ``start`` is the continuous solution: the search (:func:`smallest_n`) starts at
    ``ceil(start)``, so it costs two evaluations when rounding is all that separates them.

    Raises
    ------
    InputValueError
        No ``n`` up to :data:`N_MAX` reaches the target.
    """
    n = smallest_n(
        lambda k: power_at(k) >= target,
        max(minimum, math.ceil(min(start, float(N_MAX)) - 1e-9)),
        minimum=minimum,
        limit=N_MAX,
    )
    if n is None:
        raise InputValueError(f"no n up to {N_MAX} reaches power {target}")
    return n
