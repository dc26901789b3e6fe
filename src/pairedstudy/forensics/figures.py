"""Reported figures and their consistency checks: GRIM, GRIMMER and DEBIT, with exact rounding.

A reported figure such as ``"0.740"`` stands for every value that rounds to it. Which values
those are depends on the rounding convention; the conventions are those of the R package
``scrutiny`` (Jung 2023):

====================  ================================================================
``up_or_down``        either half-up or half-down rounding (the default: it does not
                      accuse a paper of an error that another common convention explains)
``up``                a half rounds up, toward +infinity (scrutiny's ``round_up``)
``down``              a half rounds down, toward -infinity
``even``              a half rounds to the even digit; like scrutiny, both halves are
                      accepted, because software rounds the binary approximation of a
                      half (R's ``round(0.075, 2)`` is 0.07)
``ceiling``           always up; ``floor`` always down; ``trunc`` toward zero
``ceiling_or_floor``  either always up or always down (scrutiny's ``"ceiling_or_floor"``)
``anti_trunc``        always away from zero (scrutiny's ``round_anti_trunc``)
====================  ================================================================

A printed ``-0.0`` keeps its sign: it admits only values at or below zero.

Every comparison is exact: reported numbers are parsed as decimals and candidate statistics
(sums over ``n``, sums of squares) are compared as fractions, never as floats.

Notes
-----
Exactness differs from scrutiny on a rounding boundary. scrutiny's ``grim()`` adds and
subtracts ``1e-12`` ("dust") before it rounds, so under ``"floor"``, ``"trunc"`` and
``"ceiling"`` it also accepts a figure when the true mean sits *exactly* on the boundary
one step away (a mean of exactly 2.5 is accepted as ``"2.4"`` under ``"floor"``). Here a
value exactly on the boundary rounds as the convention says and no other way: under
``"floor"`` 2.5 is printed ``"2.5"`` only. ``"anti_trunc"`` moves every value that is not
already at the printed precision one step away from zero, as scrutiny's
``round_anti_trunc()`` (R/round-ceil-floor.R) does for such values; a value already at
the printed precision is kept (scrutiny's ``anti_trunc()`` computes ``trunc(abs(x)) + 1``,
which moves it too, while its comment calls this ``ceiling(abs(x))``; with its dust both
readings are accepted there). To match scrutiny on a boundary case, try both neighbouring
conventions.

Limits: a figure may show at most :data:`MAX_DECIMALS` decimals and have at most
:data:`MAX_INTEGER_DIGITS` digits before the decimal point; :func:`grimmer` and
:func:`debit` examine at most :data:`MAX_SUMS` candidate sums; ``items`` is at most
:data:`MAX_ITEMS`. Beyond them the work grows without bound, so the input is refused
with an error that says which limit it exceeds.

References
----------
.. [1] Brown, N. J. L. & Heathers, J. A. J. (2017). The GRIM test: a simple technique
   detects numerous anomalies in the reporting of results in psychology. Social
   Psychological and Personality Science 8(4), 363-369.
.. [2] Anaya, J. (2016). The GRIMMER test: a method for testing the validity of reported
   measures of variability. PeerJ Preprints 4, e2400v1.
.. [3] Heathers, J. A. J. & Brown, N. J. L. (2019). DEBIT: a simple consistency test for
   binary data. OSF preprint.
.. [4] Jung, L. (2023). scrutiny: error detection in science (R package).
"""

from __future__ import annotations

import itertools
import math
import numbers
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from .._validation import check_choice, show
from ..errors import InputTypeError, InputValueError

__all__ = [
    "MAX_DECIMALS",
    "MAX_INTEGER_DIGITS",
    "MAX_ITEMS",
    "MAX_SEARCH_STEPS",
    "MAX_SUMS",
    "ROUNDING",
    "Reported",
    "abs_t_interval",
    "admits_root",
    "change_interval",
    "check_range",
    "check_whole",
    "debit",
    "grim",
    "grimmer",
    "interval",
    "mean_sums",
    "realizable",
    "realizable_in",
    "reported",
    "sd_admits",
    "smallest_sumsq",
    "sum_count",
    "sumsq_range",
]

ROUNDING = (
    "up_or_down",
    "up",
    "down",
    "even",
    "ceiling",
    "floor",
    "trunc",
    "ceiling_or_floor",
    "anti_trunc",
)

#: The most decimals a printed figure may show (no table prints more; each decimal
#: multiplies the candidate values GRIM and GRIMMER go through by ten).
MAX_DECIMALS = 15
#: The most digits a printed figure may have before the decimal point.
MAX_INTEGER_DIGITS = 15
#: The most items per score (``items``): the granularity of a mean is ``1 / (n items)``.
MAX_ITEMS = 10_000
#: The most candidate sums :func:`grimmer` and :func:`debit` examine one by one (about
#: ``n * items / 10**decimals`` of them; each costs a few exact fraction operations).
MAX_SUMS = 100_000
#: The most steps :func:`realizable` spends for ``n = 3`` (the only size that needs a
#: factorization: Pollard's rho) and :func:`realizable_in` on candidate sums of squares
#: for ``n`` = 3 or 4, within one call; about a second at most.
MAX_SEARCH_STEPS = 300_000


@attrs.frozen
class Reported:
    """A number as printed: its exact decimal value and how many decimals it shows.

    Attributes
    ----------
    value : fractions.Fraction
        The printed value, exactly (``"0.740"`` is 37/50).
    decimals : int
        Decimals shown (3 for ``"0.740"``).
    text : str
        The text as given.
    """

    value: Fraction
    decimals: int
    text: str

    def __float__(self) -> float:
        return float(self.value)

    @property
    def step(self) -> Fraction:
        """One unit in the last shown decimal place."""
        return Fraction(1, 10**self.decimals)

    def bounds(self, rounding: str) -> tuple[Fraction, Fraction, bool, bool]:
        """The true values that round to this figure: ``(low, high, low_closed, high_closed)``.

        Parameters
        ----------
        rounding : str
            One of :data:`ROUNDING`.
        """
        r, h = self.value, self.step / 2
        negative_zero = r == 0 and self.text.lstrip().startswith("-")
        if rounding in ("up_or_down", "even"):
            # "even" is inclusive at both ends, as scrutiny: software rounds the binary
            # approximation of a half, which may fall on either side of it.
            if negative_zero:
                return -h, r, True, True
            return r - h, r + h, True, True
        if rounding == "up":  # a half goes up, toward +infinity (scrutiny's round_up)
            return r - h, r + h, True, False
        if rounding == "down":  # a half goes down, toward -infinity
            return r - h, r + h, False, True
        if rounding == "ceiling" or (rounding == "ceiling_or_floor" and negative_zero):
            return r - self.step, r, False, True
        if rounding == "ceiling_or_floor":  # (r - step, r] or [r, r + step)
            return r - self.step, r + self.step, False, False
        if rounding == "anti_trunc":  # away from zero: only 0 itself prints as 0
            if r > 0:
                return r - self.step, r, False, True
            if r < 0:
                return r, r + self.step, True, False
            return r, r, True, True
        if rounding == "floor":
            return r, r + self.step, True, False
        # trunc: toward zero
        if r > 0:
            return r, r + self.step, True, False
        if r < 0 or negative_zero:
            return r - self.step, r, False, True
        return -self.step, self.step, False, False  # an unsigned 0 from either side

    def admits(self, x: Fraction, rounding: str) -> bool:
        """Whether the exact value ``x`` rounds to this figure."""
        low, high, low_closed, high_closed = self.bounds(rounding)
        above = x >= low if low_closed else x > low
        below = x <= high if high_closed else x < high
        return above and below

    def __str__(self) -> str:
        return self.text


def check_whole(
    name: str, value: Any, minimum: int = 0, maximum: int | None = None, why: str = ""
) -> int:
    """Validate a whole number (an int, or a float with an integral value such as ``21.0``).

    Parameters
    ----------
    name : str
        The argument's name, for error messages.
    value : Any
        The value given.
    minimum, maximum : int
        The smallest and (when given) largest value allowed.
    why : str
        Why the maximum is there (added to the error message).

    Returns
    -------
    int

    Raises
    ------
    InputTypeError
        Not a real number (a string, a bool, None, ...).
    InputValueError
        Not integral (``2.7``, ``nan``), or outside ``[minimum, maximum]``.

    Examples
    --------
    >>> from pairedstudy.forensics import check_whole
    >>> check_whole("n", 21.0, 1)
    21
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name} must be a whole number; got {show(value)}")
    if isinstance(value, numbers.Integral):
        whole = int(value)
    elif math.isfinite(float(value)) and float(value).is_integer():
        whole = int(float(value))
    else:
        raise InputValueError(
            f"{name} must be a whole number (an int, or a float such as 21.0); got {show(value)}"
        )
    if whole < minimum or (maximum is not None and whole > maximum):
        allowed = f"of at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise InputValueError(
            f"{name} must be a whole number {allowed}; got {show(value)}"
            + (f" ({why})" if why else "")
        )
    return whole


# a number grouped in thousands with one comma: "1,234" may be 1.234 or 1234
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+")


def _printed_text(value: str, name: str) -> str:
    """The text of a printed figure with a decimal point; refuses an ambiguous comma."""
    text = value.strip()
    if "," not in text:
        return text
    if _THOUSANDS.fullmatch(text):
        point, plain = text.replace(",", "."), text.replace(",", "")
        if text.count(",") == 1:
            raise InputValueError(
                f"{name} {value!r} is ambiguous: the comma may be a decimal separator "
                f"({point}) or a thousands separator ({plain}); write {point!r} or {plain!r}"
            )
        raise InputValueError(
            f"{name} {value!r} uses thousands separators, which are not read; write {plain!r}"
        )
    if text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")  # a decimal comma: "0,740"
    raise InputValueError(f"{name} must be a number as printed; got {value!r}")


def _too_precise(name: str, value: Any, decimals: int) -> InputValueError:
    return InputValueError(
        f"{name} shows {decimals} decimals ({show(value)}); at most MAX_DECIMALS = "
        f"{MAX_DECIMALS} are allowed (no table prints more, and the work of GRIM and "
        "GRIMMER grows tenfold with each decimal)"
    )


def _too_large(name: str, value: Any) -> InputValueError:
    return InputValueError(
        f"{name} must be below 10**{MAX_INTEGER_DIGITS} in size (MAX_INTEGER_DIGITS = "
        f"{MAX_INTEGER_DIGITS} digits before the decimal point); got {show(value)}"
    )


def reported(value: Any, decimals: int | None = None, *, name: str = "value") -> Reported:
    """Parse a reported figure, keeping its decimals.

    Parameters
    ----------
    value : str, int, Reported or (float, int)
        ``"0.740"`` (decimals from the text; a decimal comma such as ``"0,740"`` is read,
        but ``"1,234"``, which may also be 1234, is refused), an ``int`` (0 decimals), a
        ``Reported``, or a float with ``decimals`` given.
    decimals : int, optional
        Decimals shown, required with a float (``9.0`` does not say whether the paper
        printed ``9``, ``9.0`` or ``9.00``); at most :data:`MAX_DECIMALS`.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    Reported

    Raises
    ------
    InputValueError
        Unparseable or ambiguous text, a value that is not finite, more than
        :data:`MAX_DECIMALS` decimals, more than :data:`MAX_INTEGER_DIGITS` digits before
        the point, or ``decimals`` that is not a whole number in ``[0, MAX_DECIMALS]``.
    InputTypeError
        Not a number or a string, or a float without ``decimals``.

    Examples
    --------
    >>> from pairedstudy.forensics import reported
    >>> r = reported("0.740")
    >>> r.decimals, float(r.value)
    (3, 0.74)
    """
    if isinstance(value, Reported):
        return value
    if isinstance(value, tuple) and len(value) == 2 and decimals is None:
        value, decimals = value
    if decimals is not None:
        decimals = check_whole(
            f"decimals of {name}",
            decimals,
            0,
            MAX_DECIMALS,
            "MAX_DECIMALS: no table prints more",
        )
    if isinstance(value, str):
        text = _printed_text(value, name)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InputValueError(f"{name} must be a number as printed; got {value!r}") from None
        if not number.is_finite():
            raise InputValueError(f"{name} must be finite; got {value!r}")
        exponent = int(number.as_tuple().exponent)  # an int: the number is finite
        if -exponent > MAX_DECIMALS:
            raise _too_precise(name, value, -exponent)
        if number and number.adjusted() >= MAX_INTEGER_DIGITS:
            raise _too_large(name, value)
        shown = max(0, -exponent) if decimals is None else decimals
        return Reported(Fraction(number), shown, value.strip())
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputTypeError(
            f"{name} must be a number as printed (a string like '0.740'); got {show(value)}"
        )
    if isinstance(value, numbers.Integral) and abs(int(value)) >= 10**MAX_INTEGER_DIGITS:
        raise _too_large(name, value)
    if decimals is None:
        if isinstance(value, numbers.Integral):
            return Reported(Fraction(int(value)), 0, str(int(value)))
        raise InputTypeError(
            f"{name} is the float {value!r}, which does not say how many decimals were "
            f"printed; pass it as a string (e.g. '{value}') or as ({value!r}, decimals)"
        )
    if not math.isfinite(float(value)):
        raise InputValueError(f"{name} must be finite; got {value!r}")
    if abs(float(value)) >= 10**MAX_INTEGER_DIGITS:
        raise _too_large(name, value)
    text = f"{float(value):.{decimals}f}"
    return Reported(Fraction(Decimal(text)), decimals, text)


def _check_n(n: Any, minimum: int = 1) -> int:
    return check_whole("n", n, minimum)


def _check_items(items: Any) -> int:
    return check_whole("items", items, 1, MAX_ITEMS, "MAX_ITEMS: items per score")


def sum_count(sums: range) -> int:
    """How many sums a range from :func:`mean_sums` holds (``len`` fails above ``2**63``).

    Parameters
    ----------
    sums : range
        A range of step 1.

    Returns
    -------
    int
    """
    return max(0, sums.stop - sums.start)


def _check_sums(sums: range, what: str) -> None:
    if sum_count(sums) > MAX_SUMS:
        raise InputValueError(
            f"{what} would examine {sum_count(sums)} candidate sums (about n x items / "
            f"10**decimals of the mean); at most MAX_SUMS = {MAX_SUMS} are examined one by "
            "one. With this many, nearly every mean is possible: check fewer decimals or "
            "a smaller n"
        )


def mean_sums(mean: Reported, n: int, items: int, rounding: str) -> range:
    """The integer sums ``S`` (in item units) whose mean ``S / (n items)`` rounds to ``mean``."""
    total = n * items
    low, high, low_closed, high_closed = mean.bounds(rounding)
    first = math.ceil(low * total)
    if not low_closed and Fraction(first, total) == low:
        first += 1
    last = math.floor(high * total)
    if not high_closed and Fraction(last, total) == high:
        last -= 1
    return range(first, last + 1)


def _sd_sides(sd: Reported, variance: Fraction, rounding: str) -> tuple[bool, bool]:
    """Whether a variance is at or above the square of ``sd``'s low end; at or below its top."""
    low, high, low_closed, high_closed = sd.bounds(rounding)
    if low < 0:
        low, low_closed = Fraction(0), True  # every variance is >= 0
    if high < 0:
        return True, False
    above = variance >= low * low if low_closed else variance > low * low
    below = variance <= high * high if high_closed else variance < high * high
    return above, below


def sd_admits(sd: Reported, variance: Fraction, rounding: str) -> bool:
    """Whether an exact variance has a square root that rounds to ``sd``."""
    above, below = _sd_sides(sd, variance, rounding)
    return above and below


def sumsq_range(sd: Reported, n: int, items: int, s: int, rounding: str) -> range:
    """Integer sums of squares ``Q`` (item units) for sum ``s`` whose SD rounds to ``sd``.

    ``var = (Q - s^2 / n) / (items^2 (n - 1))``; ``Q`` must also have the parity of ``s``
    (``k^2`` and ``k`` are both even or both odd), the GRIMMER parity condition.
    """
    low, high, low_closed, high_closed = sd.bounds(rounding)
    if high < 0:
        return range(0)
    if low < 0:
        low, low_closed = Fraction(0), True
    scale = items * items * (n - 1)
    base = Fraction(s * s, n)
    q_low_exact = low * low * scale + base
    q_high_exact = high * high * scale + base
    q_low = math.ceil(q_low_exact)
    if not low_closed and q_low == q_low_exact:
        q_low += 1
    q_high = math.floor(q_high_exact)
    if not high_closed and q_high == q_high_exact:
        q_high -= 1
    if (q_low - s) % 2:
        q_low += 1
    if q_high < q_low:
        return range(0)
    return range(q_low, q_high + 1, 2)


def smallest_sumsq(total: int, n: int) -> int:
    """The smallest sum of squares of ``n`` integers with sum ``total``.

    The integers are as equal as possible: ``r`` of them ``q + 1`` and ``n - r`` of them
    ``q``, where ``total = n q + r`` with ``0 <= r < n``.

    Parameters
    ----------
    total : int
        The sum.
    n : int
        How many integers (at least 1).

    Returns
    -------
    int

    Examples
    --------
    >>> from pairedstudy.forensics import smallest_sumsq
    >>> smallest_sumsq(15, 10)  # five 1s and five 2s: the mean 1.5 has SD >= 0.527
    25
    """
    q, r = divmod(total, n)
    return (n - r) * q * q + r * (q + 1) * (q + 1)


_SMALL_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)


def _is_prime(m: int) -> bool:
    """Miller-Rabin with the first 13 primes as bases: exact below 3.3e24."""
    if m < 2:
        return False
    for p in _SMALL_PRIMES:
        if m % p == 0:
            return m == p
    d, s = m - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in _SMALL_PRIMES:
        x = pow(a, d, m)
        if x in (1, m - 1):
            continue
        for _ in range(s - 1):
            x = x * x % m
            if x == m - 1:
                break
        else:
            return False
    return True


def _split(m: int, budget: list[int]) -> int:
    """A non-trivial factor of the composite ``m`` (Pollard's rho, Brent's variant)."""
    for c in itertools.count(1):
        x = y = 2
        factor = 1
        while factor == 1:
            budget[0] -= 1
            if budget[0] < 0:
                raise InputValueError(
                    "realizable for n = 3 needs the prime factors of a number with "
                    f"{len(str(m))} digits, which takes more than MAX_SEARCH_STEPS = "
                    f"{MAX_SEARCH_STEPS} steps; the figures are too large for an exact "
                    "answer in reasonable time"
                )
            x = (x * x + c) % m
            y = (y * y + c) % m
            y = (y * y + c) % m
            factor = math.gcd(abs(x - y), m)
        if factor != m:
            return factor
    raise AssertionError("unreachable")  # pragma: no cover


def _loeschian(m: int, budget: list[int]) -> bool:
    """Whether ``m = u^2 + u v + v^2`` for integers: every prime 2 mod 3 to an even power."""
    for p in (2, 3, 5, 7, 11, 13):
        exponent = 0
        while m and m % p == 0:
            m, exponent = m // p, exponent + 1
        if p % 3 == 2 and exponent % 2:
            return False
    pending = [m] if m > 1 else []
    primes: dict[int, int] = {}
    while pending:
        part = pending.pop()
        if _is_prime(part):
            primes[part] = primes.get(part, 0) + 1
            continue
        factor = _split(part, budget)
        pending += [factor, part // factor]
    return all(e % 2 == 0 for p, e in primes.items() if p % 3 == 2)


def _realizable(total: int, sumsq: int, n: int, budget: list[int]) -> bool:
    if (sumsq - total) % 2 or sumsq < smallest_sumsq(total, n):
        return False
    if n >= 5:  # every sum of squares above the smallest, with its parity, occurs
        return True
    if n == 1:
        return sumsq == total * total
    if n == 2:  # (x - y)^2 = 2 Q - S^2
        square = 2 * sumsq - total * total
        return math.isqrt(square) ** 2 == square
    if n == 3:  # 3 Q - S^2 = 2 (u^2 + u v + v^2) with u = a - b, v = b - c
        return _loeschian((3 * sumsq - total * total) // 2, budget)
    # n = 4: with y = (a+b-c-d, a-b+c-d, a-b-c+d), |y|^2 = 4 Q - S^2 and every y_i has
    # the parity of S; Legendre's three-square theorem decides the even case
    if total % 2:
        return True
    rest = sumsq - (total // 2) ** 2
    while rest and rest % 4 == 0:
        rest //= 4
    return rest % 8 != 7


def realizable(total: int, sumsq: int, n: int) -> bool:
    """Whether ``n`` integers have this sum and sum of squares (exact).

    Parameters
    ----------
    total, sumsq : int
        The sum ``S`` and sum of squares ``Q``.
    n : int
        How many integers (at least 1).

    Returns
    -------
    bool

    Notes
    -----
    ``Q`` must have the parity of ``S`` and be at least :func:`smallest_sumsq`, the value
    when the integers are as equal as possible. For ``n >= 5`` that is enough: take one
    integer at the common value ``t`` of the most equal set and apply the rule to the
    other ``n - 1`` (down to ``n = 5``, where a fifth integer of the parity opposite to
    ``S`` reduces it to the odd case of ``n = 4``). For fewer integers: ``n = 1``,
    ``Q = S^2``; ``n = 2``, ``2Q - S^2`` is a square; ``n = 3``, ``(3Q - S^2) / 2`` has the
    form ``u^2 + uv + v^2`` (every prime that is 2 mod 3 divides it to an even power);
    ``n = 4``, ``S`` odd or ``Q - (S/2)^2`` not of the form ``4^a (8b + 7)`` (Legendre's
    three-square theorem). The test suite checks all of these against brute force.

    Raises
    ------
    InputValueError
        ``n = 3`` with numbers too large to factor within :data:`MAX_SEARCH_STEPS`.

    Examples
    --------
    >>> from pairedstudy.forensics import realizable
    >>> realizable(15, 23, 10), realizable(15, 25, 10)  # ten integers with mean 1.5
    (False, True)
    >>> realizable(0, 4, 2)  # no two integers with sum 0 have squares adding to 4
    False
    """
    n = check_whole("n", n, 1)
    return _realizable(int(total), int(sumsq), n, [MAX_SEARCH_STEPS])


def realizable_in(total: int, sumsqs: range, n: int) -> bool:
    """Whether ``n`` integers with sum ``total`` have a sum of squares in ``sumsqs``.

    Parameters
    ----------
    total : int
        The sum.
    sumsqs : range
        Candidate sums of squares, all of the parity of ``total`` (as
        :func:`sumsq_range` gives them).
    n : int
        How many integers.

    Returns
    -------
    bool
        As :func:`realizable` for some element, in time that does not grow with the
        length of ``sumsqs`` for ``n`` other than 3 and 4.
    """
    if not sumsqs:
        return False
    first = max(sumsqs.start, smallest_sumsq(total, n))
    first += (first - total) % 2
    last = sumsqs[-1]
    if first > last:
        return False
    if n >= 5:
        return True
    if n == 1:
        return first <= total * total <= last
    if n == 2:  # a d >= 0 with d = S (mod 2) and d^2 in [2 first - S^2, 2 last - S^2]
        low, high = 2 * first - total * total, 2 * last - total * total
        d = math.isqrt(low)
        d += d * d < low
        d += (d - total) % 2
        return d * d <= high
    budget = [MAX_SEARCH_STEPS]
    for q in range(first, last + 1, 2):
        budget[0] -= 1
        if budget[0] < 0:
            raise InputValueError(
                f"GRIMMER for n = {n} would examine more than MAX_SEARCH_STEPS = "
                f"{MAX_SEARCH_STEPS} sums of squares; the SD allows too many to check exactly"
            )
        if _realizable(total, q, n, budget):
            return True
    return False


def grim(mean: Any, n: int, items: int = 1, rounding: str = "up_or_down") -> bool:
    """GRIM: test whether ``n`` integer scores can have a mean that rounds to ``mean``.

    Parameters
    ----------
    mean : str or Reported
        The reported mean, e.g. ``"5.19"``.
    n : int
        Sample size (a float such as ``21.0`` is accepted).
    items : int
        Items per scale score (the score is the mean of ``items`` integer answers); at
        most :data:`MAX_ITEMS`.
    rounding : str
        Rounding convention, one of :data:`ROUNDING`.

    Returns
    -------
    bool

    Notes
    -----
    Exact: a mean exactly on a rounding boundary rounds as ``rounding`` says and no other
    way. scrutiny adds and subtracts ``1e-12`` before rounding, so under ``"floor"``,
    ``"ceiling"`` and ``"trunc"`` it also accepts the figure one step away; see
    :mod:`pairedstudy.forensics.figures`.

    Examples
    --------
    >>> from pairedstudy.forensics import grim
    >>> grim("7.22", 32), grim("4.74", 25)
    (True, False)
    """
    m = reported(mean, name="mean")
    n = _check_n(n)
    items = _check_items(items)
    check_choice("rounding", rounding, ROUNDING)
    return sum_count(mean_sums(m, n, items, rounding)) > 0


def grimmer(mean: Any, sd: Any, n: int, items: int = 1, rounding: str = "up_or_down") -> bool:
    """GRIMMER: test whether ``n`` integer scores can have this mean and SD, as rounded.

    Parameters
    ----------
    mean, sd : str or Reported
        Reported mean and SD (``n - 1`` denominator).
    n : int
        Sample size (at least 2).
    items : int
        Items per scale score; at most :data:`MAX_ITEMS`.
    rounding : str
        Rounding convention.

    Returns
    -------
    bool
        True when some integer data reproduce both figures: an integer sum whose mean
        rounds to ``mean`` and a sum of squares whose SD rounds to ``sd`` that ``n``
        integers with that sum can have (:func:`realizable`: the parity of Anaya 2016,
        and at least the sum of squares of the most equal integers).

    Raises
    ------
    InputValueError
        More than :data:`MAX_SUMS` candidate sums (huge ``n x items`` for the decimals
        shown), or a figure beyond the limits of :func:`reported`.

    Notes
    -----
    Exact on rounding boundaries, unlike scrutiny (see :func:`grim`).

    Examples
    --------
    >>> from pairedstudy.forensics import grimmer
    >>> grimmer("5.21", "1.6", 28), grimmer("3.44", "2.47", 18)
    (True, False)
    >>> grimmer("1.5", "0.24", 10)  # ten integers with mean 1.5 have SD >= 0.527
    False
    """
    m = reported(mean, name="mean")
    s = reported(sd, name="sd")
    n = _check_n(n, 2)
    items = _check_items(items)
    check_choice("rounding", rounding, ROUNDING)
    if s.value < 0:
        raise InputValueError(f"sd must not be negative; got {s.text}")
    sums = mean_sums(m, n, items, rounding)
    _check_sums(sums, "grimmer")
    return any(
        realizable_in(total, sumsq_range(s, n, items, total, rounding), n) for total in sums
    )


def debit(mean: Any, sd: Any, n: int, rounding: str = "up_or_down") -> bool:
    """DEBIT: test whether binary (0/1) data of size ``n`` can have this mean and SD.

    Parameters
    ----------
    mean, sd : str or Reported
        Reported proportion and SD (``n - 1`` denominator: ``sqrt(p (1 - p) n / (n - 1))``).
    n : int
        Sample size (at least 2).
    rounding : str
        Rounding convention.

    Returns
    -------
    bool

    Raises
    ------
    InputValueError
        A negative SD, or a figure beyond the limits of :func:`reported`.

    Notes
    -----
    The SD of ``k`` ones among ``n`` grows with ``k`` up to ``n / 2`` and falls after it,
    so each half of the counts the mean allows is searched by bisection: the work grows
    with ``log n``, not with ``n``.

    Examples
    --------
    >>> from pairedstudy.forensics import debit
    >>> debit("0.53", "0.50", 1683), debit("0.19", "0.35", 1683)
    (True, False)
    """
    m = reported(mean, name="mean")
    s = reported(sd, name="sd")
    n = _check_n(n, 2)
    check_choice("rounding", rounding, ROUNDING)
    if s.value < 0:
        raise InputValueError(f"sd must not be negative; got {s.text}")
    sums = mean_sums(m, n, 1, rounding)
    first, last = max(sums.start, 0), min(sums.stop - 1, n)
    denominator = n * (n - 1)

    def sides(k: int) -> tuple[bool, bool]:
        return _sd_sides(s, Fraction(k * (n - k), denominator), rounding)

    half = n // 2
    # counts up to n / 2: the variance rises with k; the last k at or below the top wins
    a, b = first, min(last, half)
    if a <= b and sides(a)[1]:
        while a < b:
            mid = (a + b + 1) // 2
            a, b = (mid, b) if sides(mid)[1] else (a, mid - 1)
        if sides(a)[0]:
            return True
    # counts from n / 2: the variance falls with k; the first k at or below the top wins
    a, b = max(first, half), last
    if a <= b and sides(b)[1]:
        while a < b:
            mid = (a + b) // 2
            a, b = (a, mid) if sides(mid)[1] else (mid + 1, b)
        if sides(a)[0]:
            return True
    return False


# --------------------------------------------------------------------------------------
# what printed figures admit, as floats (used by the summary's derived quantities and by
# the consistency report)


def check_range(value: Any, name: str) -> tuple[int, int] | None:
    """Validate a printed ``(min, max)`` range of whole numbers.

    Parameters
    ----------
    value : (int, int) or None
        The range as given; ``None`` passes through.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    (int, int) or None

    Raises
    ------
    InputValueError
        Not a pair, not whole numbers, or ``min > max``.

    Examples
    --------
    >>> from pairedstudy.forensics import check_range
    >>> check_range([6, 10.0], "scale")
    (6, 10)
    """
    if value is None:
        return None
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InputValueError(f"{name} must be a (min, max) pair; got {show(value)}")
    low, high = value
    for v in value:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not float(v).is_integer():
            raise InputValueError(f"{name} must hold whole numbers; got {show(value)}")
    if low > high:
        raise InputValueError(f"{name} must satisfy min <= max; got {show(value)}")
    return int(low), int(high)


def interval(figure: Reported, rounding: str) -> tuple[float, float]:
    """The true values that round to a figure, as floats ``(low, high)``.

    Parameters
    ----------
    figure : Reported
        The printed figure.
    rounding : str
        One of :data:`ROUNDING`.

    Returns
    -------
    (float, float)
        The ends of :meth:`Reported.bounds` (open or closed alike).

    Examples
    --------
    >>> from pairedstudy.forensics import interval, reported
    >>> interval(reported("0.74"), "up_or_down")
    (0.735, 0.745)
    """
    low, high, _, _ = figure.bounds(rounding)
    return float(low), float(high)


def change_interval(
    pre_mean: Reported,
    post_mean: Reported,
    diff_mean: Reported | None,
    diff_order: str,
    rounding: str,
) -> tuple[float, float]:
    """The mean of ``post - pre`` the printed figures allow, as floats ``(low, high)``.

    Parameters
    ----------
    pre_mean, post_mean : Reported
        The printed means.
    diff_mean : Reported or None
        The printed mean difference, in the order ``diff_order``; when given it alone
        bounds the change.
    diff_order : {"post - pre", "pre - post"}
        The order of ``diff_mean``.
    rounding : str
        One of :data:`ROUNDING`.

    Returns
    -------
    (float, float)
    """
    if diff_mean is not None:
        low, high = interval(diff_mean, rounding)
        return (low, high) if diff_order == "post - pre" else (-high, -low)
    a, b = interval(pre_mean, rounding)
    c, d = interval(post_mean, rounding)
    return c - b, d - a


def abs_t_interval(
    t: Reported | None, p: Reported | None, n: int, rounding: str
) -> tuple[float, float]:
    """``|t|`` as printed: directly from ``t``, or through a two-sided ``p`` on ``n - 1`` df.

    Parameters
    ----------
    t, p : Reported or None
        The printed paired t and two-sided p; ``t`` is used when given.
    n : int
        Number of pairs.
    rounding : str
        One of :data:`ROUNDING`.

    Returns
    -------
    (float, float)
        The smallest and largest ``|t|`` (``inf`` when ``p`` may be 0).

    Raises
    ------
    InputValueError
        Neither ``t`` nor ``p`` is given.
    """
    from scipy import special

    if t is not None:
        t_low, t_high = interval(t, rounding)
        low = 0.0 if t_low <= 0 <= t_high else min(abs(t_low), abs(t_high))
        return low, max(abs(t_low), abs(t_high))
    if p is None:
        raise InputValueError("|t| needs a printed t or p; got neither")
    p_low, p_high = interval(p, rounding)
    p_low, p_high = max(p_low, 0.0), min(p_high, 1.0)
    df = n - 1
    t_high = float(special.stdtrit(df, 1.0 - p_low / 2.0)) if p_low > 0 else math.inf
    t_low = float(special.stdtrit(df, 1.0 - p_high / 2.0)) if p_high < 1 else 0.0
    return max(t_low, 0.0), t_high


def admits_root(figure: Reported, square: Fraction, rounding: str, negative: bool) -> bool:
    """Whether ``±sqrt(square)`` (sign from ``negative``) rounds to ``figure``, exactly.

    Parameters
    ----------
    figure : Reported
        A printed t or r.
    square : fractions.Fraction
        The exact square of the candidate value.
    rounding : str
        One of :data:`ROUNDING`.
    negative : bool
        Whether the candidate is ``-sqrt(square)``.

    Returns
    -------
    bool

    Examples
    --------
    >>> from fractions import Fraction
    >>> from pairedstudy.forensics import admits_root, reported
    >>> admits_root(reported("-0.50"), Fraction(1, 4), "up_or_down", negative=True)
    True
    """
    low, high, low_closed, high_closed = figure.bounds(rounding)
    if negative:  # x = -sqrt(square): mirror the bounds
        low, high, low_closed, high_closed = -high, -low, high_closed, low_closed
    # now test sqrt(square) in the (mirrored) bounds; sqrt is >= 0
    if high < 0 or (high == 0 and not high_closed and square == 0):
        return False
    if low > 0:
        above = square >= low * low if low_closed else square > low * low
    else:
        above = square > 0 or low < 0 or low_closed
    below = square <= high * high if high_closed else square < high * high
    return above and below
