"""Floating-point safeguards shared by the statistics.

Sums of squares overflow for values near 1e155 and underflow near 1e-160, and sums of two
values overflow near 1e308. Scaling by a power of two is exact, so computing on
``x / 2**e`` and scaling the result back gives bit-identical answers where nothing
overflows, and finite, correct answers where the naive formula would give inf, 0 or NaN.
"""

from __future__ import annotations

import math

import numpy as np


def pow2_scale(x: np.ndarray) -> tuple[np.ndarray, float]:
    """Return ``(x / 2**e, 2**e)`` with the largest ``|x / 2**e|`` in ``[1, 2)``.

    ``2**e`` is 1 for an all-zero ``x``.
    """
    largest = float(np.max(np.abs(x))) if x.size else 0.0
    if largest == 0.0 or not math.isfinite(largest):
        return x, 1.0
    exponent = math.frexp(largest)[1] - 1  # largest = m * 2**exponent, m in [1, 2)
    if -60 < exponent < 60:  # typical data: squares cannot overflow or underflow
        return x, 1.0
    return np.ldexp(x, -exponent), math.ldexp(1.0, exponent)


def mean_sd(x: np.ndarray) -> tuple[float, float]:
    """Mean and SD (``n - 1`` denominator) without overflow or underflow."""
    scaled, factor = pow2_scale(x)
    return float(np.mean(scaled)) * factor, float(np.std(scaled, ddof=1)) * factor


def median(x: np.ndarray) -> float:
    """Median without overflow in the average of the two middle values."""
    scaled, factor = pow2_scale(x)
    return float(np.median(scaled)) * factor
