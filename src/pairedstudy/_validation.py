"""Validation helpers shared by every public entry point.

Each helper checks one argument and raises an error whose message names the argument, shows
what was given and says what is allowed.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import numpy as np

from .errors import InputTypeError, InputValueError

ALTERNATIVES = ("two-sided", "less", "greater")

_FLOAT64 = np.float64
_BOOL_ = np.bool_


def show(value: Any) -> str:
    """``repr(value)`` cut to 60 characters, for error messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


#: The former private spelling, kept while other modules still import it.


def check_choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise naming the choices."""
    if type(value) is str and isinstance(allowed, tuple) and value in allowed:
        return value  # fast path for the common case
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise InputValueError(f"{name} must be one of {choices}; got {show(value)}")
    return value


def check_alternative(value: Any) -> str:
    """Validate ``alternative`` (scipy's words)."""
    if type(value) is str and value in ALTERNATIVES:
        return value
    return check_choice("alternative", value, ALTERNATIVES)


def check_real(name: str, value: Any, *, finite: bool = True) -> float:
    """Return ``value`` as a float, refusing strings, booleans, NaN and (optionally) infinity."""
    kind = type(value)
    if kind is float:  # fast paths: a finite float needs no further checks
        if math.isfinite(value):
            return value
    elif kind is _FLOAT64:
        if math.isfinite(value):
            return float(value)
    elif kind is int:  # fast path: a plain int (not a bool) is a float unless it overflows
        try:
            return float(value)
        except OverflowError:
            pass  # refused below, with the message of the general path
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, Decimal)):
        raise InputTypeError(f"{name} must be a real number; got {show(value)}")
    try:
        out = float(value)
    except OverflowError:
        raise InputValueError(
            f"{name} is too large for a 64-bit float; got {show(value)}"
        ) from None
    if math.isnan(out):
        raise InputValueError(f"{name} must be a number; got NaN")
    if finite and math.isinf(out):
        raise InputValueError(f"{name} must be a finite number; got {out!r}")
    return out


def check_probability(name: str, value: Any) -> float:
    """Validate a number strictly between 0 and 1 (a confidence level, alpha, power)."""
    kind = type(value)
    if kind is float and 0.0 < value < 1.0:  # fast paths: a float strictly inside (0, 1)
        return value
    if kind is _FLOAT64 and 0.0 < value < 1.0:
        return float(value)
    out = check_real(name, value)
    if not 0.0 < out < 1.0:
        raise InputValueError(f"{name} must lie strictly between 0 and 1; got {out!r}")
    return out


def check_bool(name: str, value: Any) -> bool:
    """Validate a flag: only ``True`` or ``False`` (not 0/1, not strings)."""
    if value is True or value is False:
        return value
    if type(value) is _BOOL_:  # fast path: a numpy bool
        return bool(value)
    if not isinstance(value, (bool, np.bool_)):
        raise InputTypeError(f"{name} must be True or False; got {show(value)}")
    return bool(value)


def as_float_vector(name: str, value: Any) -> np.ndarray:
    """Convert ``value`` to a new 1-D float64 array, with clear errors for bad input.

    Missing values (``None``, ``pandas.NA``, masked entries of a numpy masked array) become
    NaN; the caller decides what to do with them. Strings, booleans, complex numbers,
    scalars, iterators and arrays of more than one dimension are refused.
    """
    if type(value) is np.ndarray and value.ndim == 1 and value.dtype == np.float64:
        return value.copy()  # fast path: already what we want (copied, NaN kept)
    if isinstance(value, (str, bytes)):
        raise InputTypeError(f"{name} must be a sequence of numbers; got the string {show(value)}")
    if isinstance(value, (dict, set, frozenset)):
        raise InputTypeError(
            f"{name} must be an ordered sequence of numbers; got a {type(value).__name__}"
        )
    if isinstance(value, Iterator):
        raise InputTypeError(
            f"{name} must be a sequence of numbers; got a one-shot iterator "
            f"({type(value).__name__}): pass a list or an array"
        )
    if np.ma.isMaskedArray(value):
        value = np.ma.filled(np.ma.asarray(value, dtype=float), np.nan)  # masked: missing
    elif hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = value.to_numpy()  # pandas / polars Series
    elif isinstance(value, (list, tuple)) and any(
        isinstance(item, (bool, np.bool_)) for item in value
    ):
        raise InputTypeError(
            f"{name} must hold numbers; got a boolean (convert booleans to 0/1 explicitly)"
        )
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise InputValueError(f"{name} must be a 1-D sequence of numbers ({exc})") from None
    if arr.ndim != 1:
        if arr.ndim == 0:
            raise InputValueError(
                f"{name} must be a 1-D sequence of numbers; got the scalar {show(value)}"
            )
        raise InputValueError(
            f"{name} must be 1-D (one value per subject); got an array of shape {arr.shape}"
        )
    kind = arr.dtype.kind
    if kind in "iuf":
        return exact_float64(name, arr)
    if kind == "b":
        raise InputTypeError(
            f"{name} must hold numbers; got booleans (convert them to 0/1 explicitly)"
        )
    if kind == "c":
        raise InputTypeError(f"{name} must hold real numbers; got complex values")
    if kind in "USa":
        raise InputTypeError(
            f"{name} must hold numbers; got text such as {show(arr[0] if arr.size else '')}"
        )
    if kind == "O":
        out = np.empty(arr.shape[0], dtype=np.float64)
        for i, item in enumerate(arr):
            if item is None or is_na(item):
                out[i] = np.nan
            elif isinstance(item, (bool, np.bool_)):
                raise InputTypeError(
                    f"{name} must hold numbers; got the boolean {item!r} at position {i}"
                )
            elif isinstance(item, (numbers.Real, Decimal)):
                out[i] = _exact_item(name, item, i)
            else:
                raise InputTypeError(f"{name} must hold numbers; got {show(item)} at position {i}")
        return out
    raise InputTypeError(f"{name} must hold numbers; got values of dtype {arr.dtype}")


#: Every integer up to this magnitude is exactly a float64; above it, only some are.
EXACT_INTEGER_LIMIT = 2**53


def _positions(mask: np.ndarray, limit: int = 5) -> str:
    where = [
        str(p[0]) if len(p) == 1 else str(tuple(int(i) for i in p)) for p in np.argwhere(mask)
    ]
    return ", ".join(where[:limit]) + (", ..." if len(where) > limit else "")


def _inexact_message(name: str, where: str, example: Any) -> str:
    return (
        f"{name} has integers that a 64-bit float cannot hold exactly (e.g. {example}) at "
        f"position(s) {where}; allowed: integers up to 2**53 = {EXACT_INTEGER_LIMIT} in "
        "absolute value, or larger ones that are exactly representable. Subtract a common "
        "offset first (the change post - pre does not depend on it)"
    )


def exact_float64(name: str, arr: np.ndarray) -> np.ndarray:
    """A new float64 copy of a numeric (integer or float) array, refusing silent changes.

    Integers that float64 cannot represent exactly (beyond 2**53) would be rounded, and a
    ``longdouble`` would overflow to infinity or underflow to 0: each is refused with an
    :class:`~pairedstudy.errors.InputValueError` naming ``name`` and the positions.
    """
    with np.errstate(over="ignore", under="ignore"):
        out = np.array(arr, dtype=np.float64)
    kind = arr.dtype.kind
    if kind in "iu" and arr.dtype.itemsize >= 8 and arr.size:
        big = (arr > EXACT_INTEGER_LIMIT) | (arr < -EXACT_INTEGER_LIMIT)
        if big.any():
            if np.finfo(np.longdouble).nmant >= 63:  # x87 extended: holds every int64
                inexact = big & (arr.astype(np.longdouble) != out.astype(np.longdouble))
            else:  # compare as Python integers, only where it matters
                inexact = np.zeros(arr.shape, dtype=bool)
                for index in map(tuple, np.argwhere(big)):
                    inexact[index] = int(arr[index]) != int(out[index])
            if inexact.any():
                example = int(arr[tuple(np.argwhere(inexact)[0])])
                raise InputValueError(_inexact_message(name, _positions(inexact), example))
    elif kind == "f" and arr.dtype.itemsize > 8:
        too_big = np.isfinite(arr) & ~np.isfinite(out)
        if too_big.any():
            raise InputValueError(
                f"{name} has values too large for a 64-bit float at position(s) "
                f"{_positions(too_big)}; allowed: magnitudes up to about 1.8e308"
            )
        too_small = (arr != 0) & (out == 0)
        if too_small.any():
            raise InputValueError(
                f"{name} has values too small for a 64-bit float (they would become 0) at "
                f"position(s) {_positions(too_small)}; allowed: 0 or magnitudes from about "
                "4.9e-324"
            )
    return out


def _exact_item(name: str, item: Any, position: int) -> float:
    """One number of an object array as a float, refusing one that would change."""
    try:
        out = float(item)
    except OverflowError:
        out = math.inf
    if isinstance(item, numbers.Integral):
        if abs(int(item)) > EXACT_INTEGER_LIMIT and (
            not math.isfinite(out) or int(out) != int(item)
        ):
            if not math.isfinite(out):
                raise InputValueError(
                    f"{name} has a value too large for a 64-bit float at position {position}"
                )
            raise InputValueError(_inexact_message(name, str(position), int(item)))
        return out
    finite = item.is_finite() if isinstance(item, Decimal) else math.isfinite(item)
    if finite and not math.isfinite(out):
        raise InputValueError(
            f"{name} has a value too large for a 64-bit float at position {position}; "
            "allowed: magnitudes up to about 1.8e308"
        )
    if out == 0 and item != 0:
        raise InputValueError(
            f"{name} has a value too small for a 64-bit float (it would become 0) at "
            f"position {position}; allowed: 0 or magnitudes from about 4.9e-324"
        )
    return out


def is_na(item: Any) -> bool:
    """Whether ``item`` is ``pandas.NA`` or a ``NaT``-like scalar (without importing pandas)."""
    return type(item).__name__ in {"NAType", "NaTType"}
