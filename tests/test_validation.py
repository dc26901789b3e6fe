"""The argument checks' fast paths give the general path's results and errors.

``check_real``, ``check_probability``, ``check_bool``, ``check_choice`` and
``check_alternative`` answer the common plain values (a float, a numpy float64, an int, a
numpy bool, a string from a tuple) before their general checks. ``_general`` below is the
general path alone (the checks as they were before the fast paths); every value, plain or
not, must give the same result (value and type) or the same error (type and message).
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pairedstudy._validation import (
    ALTERNATIVES,
    check_alternative,
    check_bool,
    check_choice,
    check_probability,
    check_real,
    show,
)
from pairedstudy.errors import InputTypeError, InputValueError


class _General:
    """The checks without their fast paths."""

    @staticmethod
    def check_real(name: str, value: Any, *, finite: bool = True) -> float:
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

    @classmethod
    def check_probability(cls, name: str, value: Any) -> float:
        out = cls.check_real(name, value)
        if not 0.0 < out < 1.0:
            raise InputValueError(f"{name} must lie strictly between 0 and 1; got {out!r}")
        return out

    @staticmethod
    def check_bool(name: str, value: Any) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise InputTypeError(f"{name} must be True or False; got {show(value)}")
        return bool(value)

    @staticmethod
    def check_choice(name: str, value: Any, allowed: Any) -> str:
        allowed = tuple(allowed)
        if not isinstance(value, str) or value not in allowed:
            choices = ", ".join(repr(a) for a in allowed)
            raise InputValueError(f"{name} must be one of {choices}; got {show(value)}")
        return value


def _outcome(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """``("value", value, type)`` or ``("error", type, message)``."""
    try:
        out = function(*args, **kwargs)
    except (InputTypeError, InputValueError) as exc:
        return ("error", type(exc), str(exc))
    if isinstance(out, float) and math.isnan(out):
        return ("value", "nan", type(out))
    return ("value", out, type(out))


FLOATS = st.floats(allow_nan=True, allow_infinity=True)
NUMBERS = st.one_of(
    FLOATS,
    FLOATS.map(np.float64),
    st.floats(width=32).map(np.float32),
    st.integers(),  # huge ones overflow a float
    st.sampled_from([0, 1, -1, 2**1023, 2**1024, -(2**1024), 10**400]),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.booleans(),
    st.booleans().map(np.bool_),
    st.sampled_from([0.0, 0.5, 1.0, 0.95, 1e-300, 1 - 1e-16, -0.0]),
    st.sampled_from([0.0, 0.5, 1.0, 0.95, 1e-300, 1 - 1e-16]).map(np.float64),
    st.decimals(allow_nan=False),
    st.fractions(),
    st.sampled_from(["0.5", None, b"1", 1j, [0.5], np.array(0.5), np.array([0.5])]),
)


@given(value=NUMBERS, finite=st.booleans())
def test_check_real_fast_paths_equal_the_general_path(value: Any, finite: bool) -> None:
    assert _outcome(check_real, "mu", value, finite=finite) == _outcome(
        _General.check_real, "mu", value, finite=finite
    )


@given(value=NUMBERS)
def test_check_probability_fast_paths_equal_the_general_path(value: Any) -> None:
    assert _outcome(check_probability, "confidence_level", value) == _outcome(
        _General.check_probability, "confidence_level", value
    )


@given(value=NUMBERS)
def test_check_bool_fast_paths_equal_the_general_path(value: Any) -> None:
    assert _outcome(check_bool, "interval", value) == _outcome(
        _General.check_bool, "interval", value
    )


CHOICES = st.one_of(
    st.sampled_from([*ALTERNATIVES, "two_sided", "Less", "", "exact"]),
    st.text(max_size=5),
    st.sampled_from([None, 1, b"less", np.str_("less")]),
)


@given(value=CHOICES, container=st.sampled_from([tuple, list, frozenset, dict.fromkeys]))
def test_check_choice_fast_path_equals_the_general_path(value: Any, container: Any) -> None:
    allowed = container(("exact", "asymptotic", "auto"))
    assert _outcome(check_choice, "method", value, allowed) == _outcome(
        _General.check_choice, "method", value, allowed
    )


@given(value=CHOICES)
def test_check_alternative_equals_the_general_path(value: Any) -> None:
    assert _outcome(check_alternative, value) == _outcome(
        _General.check_choice, "alternative", value, ALTERNATIVES
    )


def test_a_python_float_comes_back_itself() -> None:
    """The fast path returns the very float it got (no copy, no conversion)."""
    value = 0.123456789
    assert check_real("mu", value) is value
    assert check_probability("confidence_level", value) is value
    assert type(check_real("mu", np.float64(0.5))) is float
    assert type(check_probability("confidence_level", np.float64(0.5))) is float


@pytest.mark.parametrize("value", [2**1024, -(10**400)], ids=["2**1024", "-10**400"])
def test_an_int_too_large_is_refused_with_the_general_message(value: int) -> None:
    with pytest.raises(InputValueError, match="mu is too large for a 64-bit float"):
        check_real("mu", value)
