"""Validation and root finding shared by the power functions."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .._validation import _show, check_probability
from ..errors import InputTypeError, InputValueError

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


def check_n(value: Any, minimum: int, name: str = "n") -> int:
    """A whole number of pairs, at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name} must be a whole number of pairs; got {_show(value)}")
    if not float(value).is_integer():
        raise InputValueError(f"{name} must be a whole number of pairs; got {value!r}")
    if not minimum <= int(value) <= N_MAX:
        raise InputValueError(f"{name} must lie in [{minimum}, {N_MAX}]; got {int(value)}")
    return int(value)


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


def smallest_whole_n(
    power_at: Callable[[int], float], start: float, target: float, minimum: int
) -> int:
    """The smallest whole ``n >= minimum`` with ``power_at(n) >= target``, near ``start``.

    For a power increasing in ``n`` this is ``ceil(start)``; the checks on both sides make
    it robust to rounding in the continuous solution.
    """
    n = max(minimum, math.ceil(start - 1e-9))
    while power_at(n) < target:
        n += 1
    while n > minimum and power_at(n - 1) >= target:
        n -= 1
    return n
