"""Floating-point safeguards shared by the statistics.

Sums of squares overflow for values near 1e155 and underflow near 1e-160, and sums of two
values overflow near 1e308. Scaling by a power of two is exact, so computing on
``x / 2**e`` and scaling the result back gives bit-identical answers where nothing
overflows, and finite, correct answers where the naive formula would give inf, 0 or NaN.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np


def pow2_exponent(largest: float) -> int:
    """The ``e`` of :func:`pow2_scale` for data whose largest ``|x|`` is ``largest``.

    0 (no scaling) for zero, a non-finite value, or ``|e|`` below 60 (typical data:
    squares cannot overflow or underflow).
    """
    if largest == 0.0 or not math.isfinite(largest):
        return 0
    exponent = math.frexp(largest)[1] - 1  # largest = m * 2**exponent, m in [1, 2)
    return 0 if -60 < exponent < 60 else exponent


def pow2_scale(x: np.ndarray) -> tuple[np.ndarray, float]:
    """Return ``(x / 2**e, 2**e)`` with the largest ``|x / 2**e|`` in ``[1, 2)``.

    ``2**e`` is 1 for an all-zero ``x``, and for data that need no scaling
    (:func:`pow2_exponent`).
    """
    exponent = pow2_exponent(float(np.abs(x).max()) if x.size else 0.0)
    if not exponent:
        return x, 1.0
    return np.ldexp(x, -exponent), math.ldexp(1.0, exponent)


def mean_sd(x: np.ndarray) -> tuple[float, float]:
    """Mean and SD (``n - 1`` denominator) without overflow or underflow.

    The operations of :func:`mean_sd_rows` on one row, the divisions and the square root
    on Python floats (the same IEEE operations, without numpy's scalar machinery).
    """
    scaled, factor = pow2_scale(x)
    n = scaled.shape[-1]
    if n < 2:  # numpy's NaN (and warning) for a division by zero
        mean_row, sd_row = mean_sd_rows(scaled)
        return float(mean_row) * factor, float(sd_row) * factor
    mean = float(np.add.reduce(scaled)) / n
    dev = scaled - mean
    np.multiply(dev, dev, out=dev)
    return mean * factor, math.sqrt(float(np.add.reduce(dev)) / (n - 1)) * factor


def mean_sd_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and SD (``n - 1``) along the last axis, unscaled.

    The same operations as ``np.mean`` and ``np.std(ddof=1)`` (a pairwise sum along the
    contiguous last axis, then a division), without their Python-level dispatch, so a row
    of a C-contiguous 2-D array gives bit for bit what the 1-D row gives.
    """
    n = x.shape[-1]
    mean = np.add.reduce(x, axis=-1) / n
    dev = x - mean[..., None] if x.ndim > 1 else x - mean
    np.multiply(dev, dev, out=dev)
    return mean, np.sqrt(np.add.reduce(dev, axis=-1) / (n - 1))


def pow2_scale_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pow2_scale` applied to each row of a 2-D array (rows scaled independently).

    Returns the scaled rows and one factor per row; rows with every ``|x|`` in a safe
    range are returned unchanged with factor 1, exactly as :func:`pow2_scale` does.
    """
    if x.shape[-1]:  # max |x| without an |x| temporary: the larger of max(x) and -min(x)
        largest = np.maximum(np.max(x, axis=-1), -np.min(x, axis=-1))
    else:
        largest = np.zeros(x.shape[:-1])
    exponent = np.frexp(largest)[1].astype(np.int64) - 1
    scale = (largest != 0.0) & np.isfinite(largest) & ((exponent <= -60) | (exponent >= 60))
    factor = np.ones(x.shape[:-1])
    if scale.any():
        x = x.copy()
        x[scale] = np.ldexp(x[scale], -exponent[scale][:, None])
        factor[scale] = np.ldexp(1.0, exponent[scale])
    return x, factor


def median(x: np.ndarray) -> float:
    """Median without overflow in the average of the two middle values."""
    scaled, factor = pow2_scale(x)
    return float(np.median(scaled)) * factor


EPS = float(np.finfo(float).eps)


def constant_change(mean: Any, se: Any) -> Any:
    """The one rule for a constant change: a standard error 0 or below ``10 eps |mean|``.

    R's ``t.test`` stops with "data are essentially constant" under the same rule, and the
    t-test, TOST, Yuen's and the bootstrap-t tests and the standardized effect sizes (through
    :attr:`pairedstudy.moments.Moments.constant`) all use it; the normality diagnostic
    applies it to the SD of the sample. Works on floats (returns ``bool``) and on arrays
    (returns a boolean array).
    """
    if isinstance(mean, np.ndarray) or isinstance(se, np.ndarray):
        return (se == 0.0) | (se < 10 * EPS * np.abs(mean))
    return bool(se == 0.0 or se < 10 * EPS * abs(mean))


def readonly(array: np.ndarray) -> np.ndarray:
    """A read-only view of a read-only base: its flag cannot be switched back on.

    Setting ``writeable = False`` on an array that owns its data can be undone; on a view
    of a read-only base it cannot, and the view survives ``pickle`` only if the class's
    ``__setstate__`` makes it read-only again.
    """
    array.flags.writeable = False
    view = array.view()
    view.flags.writeable = False
    return view


@functools.cache
def scipy_special() -> Any:
    """``scipy.special``, imported on first use and then looked up once.

    ``import pairedstudy`` stays light, and hot paths (a test, a power) skip the import
    statement's own cost on every call.
    """
    from scipy import special

    return special
