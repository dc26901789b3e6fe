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
    if type(value) is float and math.isfinite(value):
        return value  # fast path: a finite Python float needs no further checks
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
    if type(value) is float and 0.0 < value < 1.0:
        return value
    out = check_real(name, value)
    if not 0.0 < out < 1.0:
        raise InputValueError(f"{name} must lie strictly between 0 and 1; got {out!r}")
    return out


def check_bool(name: str, value: Any) -> bool:
    """Validate a flag: only ``True`` or ``False`` (not 0/1, not strings)."""
    if value is True or value is False:
        return value
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
        with np.errstate(over="ignore"):
            out = np.array(arr, dtype=np.float64)
        if kind == "f" and arr.dtype.itemsize > 8:
            too_big = np.isfinite(arr) & ~np.isfinite(out)
            if too_big.any():
                raise InputValueError(
                    f"{name} has values too large for a 64-bit float at position(s) "
                    f"{np.flatnonzero(too_big)[:5].tolist()}"
                )
        return out
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
            if item is None or _is_na(item):
                out[i] = np.nan
            elif isinstance(item, (bool, np.bool_)):
                raise InputTypeError(
                    f"{name} must hold numbers; got the boolean {item!r} at position {i}"
                )
            elif isinstance(item, (numbers.Real, Decimal)):
                try:
                    out[i] = float(item)
                except OverflowError:
                    raise InputValueError(
                        f"{name} has a value too large for a 64-bit float at position {i}"
                    ) from None
            else:
                raise InputTypeError(f"{name} must hold numbers; got {show(item)} at position {i}")
        return out
    raise InputTypeError(f"{name} must hold numbers; got values of dtype {arr.dtype}")


def _is_na(item: Any) -> bool:
    # pandas.NA and NaT-like scalars without importing pandas.
    return type(item).__name__ in {"NAType", "NaTType"}
