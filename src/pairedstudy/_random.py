"""One seed argument for every random computation: an integer, a numpy Generator or None.

Every function that draws random numbers (permutation and bootstrap tests, bootstrap
intervals, simulated power, reconstruction samples) takes ``seed`` and passes it through
:func:`check_seed`, which returns the generator to draw from and what to record in the
result so the run can be repeated.
"""

from __future__ import annotations

import numbers
from typing import Any, TypeAlias

import numpy as np

from ._validation import show
from .errors import InputTypeError, InputValueError

__all__ = ["SeedLike", "check_seed", "fresh_seed"]

#: What a ``seed`` argument accepts.
SeedLike: TypeAlias = "int | np.integer[Any] | np.random.Generator | None"


def fresh_seed() -> int:
    """A new seed from the operating system's entropy, below 2**32 (to be recorded)."""
    return int(np.random.SeedSequence().generate_state(1, np.uint32)[0])


def check_seed(value: Any, name: str = "seed") -> tuple[np.random.Generator, int | None]:
    """Validate a seed and return ``(generator, recorded_seed)``.

    Parameters
    ----------
    value : int, numpy.random.Generator or None
        A non-negative integer gives ``numpy.random.default_rng(value)`` and is recorded;
        ``None`` draws a fresh integer seed and records it; a ``Generator`` is used as it is
        (and advanced), and ``None`` is recorded since no integer reproduces it.
    name : str
        The argument's name for error messages.

    Returns
    -------
    generator : numpy.random.Generator
    recorded_seed : int or None

    Raises
    ------
    InputTypeError
        Not an integer, a Generator or None (booleans are refused).
    InputValueError
        A negative integer.
    """
    if isinstance(value, np.random.Generator):
        return value, None
    if value is None:
        seed = fresh_seed()
        return np.random.default_rng(seed), seed
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InputTypeError(
            f"{name} must be a non-negative integer, a numpy Generator or None; got {show(value)}"
        )
    if value < 0:
        raise InputValueError(
            f"{name} must be a non-negative integer, a numpy Generator or None; got {show(value)}"
        )
    return np.random.default_rng(int(value)), int(value)
