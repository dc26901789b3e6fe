"""Reported figures and their consistency checks: GRIM, GRIMMER and DEBIT, with exact rounding.

A reported figure such as ``"0.740"`` stands for every value that rounds to it. Which values
those are depends on the rounding convention; the conventions are those of the R package
``scrutiny`` (Jung 2023):

==============  ======================================================================
``up_or_down``  either half-up or half-down rounding (the default: it does not accuse a
                paper of an error that another common convention explains)
``up``          a half rounds up, toward +infinity (scrutiny's ``round_up``)
``down``        a half rounds down, toward -infinity
``even``        a half rounds to the even digit; like scrutiny, both halves are accepted,
                because software rounds the binary approximation of a half (R's
                ``round(0.075, 2)`` is 0.07)
``ceiling``     always up; ``floor`` always down; ``trunc`` toward zero
==============  ======================================================================

A printed ``-0.0`` keeps its sign: it admits only values at or below zero.

Every comparison is exact: reported numbers are parsed as decimals and candidate statistics
(sums over ``n``, sums of squares) are compared as fractions, never as floats.

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
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs

from .._validation import check_choice, show
from ..errors import InputTypeError, InputValueError

__all__ = [
    "ROUNDING",
    "Reported",
    "abs_t_interval",
    "admits_root",
    "change_interval",
    "check_range",
    "debit",
    "grim",
    "grimmer",
    "interval",
    "mean_sums",
    "realizable",
    "reported",
    "sd_admits",
    "sumsq_range",
]

ROUNDING = ("up_or_down", "up", "down", "even", "ceiling", "floor", "trunc")


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
        if rounding == "ceiling":
            return r - self.step, r, False, True
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


def reported(value: Any, decimals: int | None = None, *, name: str = "value") -> Reported:
    """Parse a reported figure, keeping its decimals.

    Parameters
    ----------
    value : str, int, Reported or (float, int)
        ``"0.740"`` (decimals from the text; a comma decimal separator is accepted), an
        ``int`` (0 decimals), a ``Reported``, or a float with ``decimals`` given.
    decimals : int, optional
        Decimals shown, required with a float (``9.0`` does not say whether the paper
        printed ``9``, ``9.0`` or ``9.00``).
    name : str
        The argument's name, for error messages.

    Returns
    -------
    Reported

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
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InputValueError(f"{name} must be a number as printed; got {value!r}") from None
        if not number.is_finite():
            raise InputValueError(f"{name} must be finite; got {value!r}")
        exponent = int(number.as_tuple().exponent)  # an int: the number is finite
        shown = max(0, -exponent) if decimals is None else decimals
        return Reported(Fraction(number), int(shown), value.strip())
    if isinstance(value, (bool,)) or not isinstance(value, numbers.Real):
        raise InputTypeError(
            f"{name} must be a number as printed (a string like '0.740'); got {show(value)}"
        )
    if decimals is None:
        if isinstance(value, numbers.Integral):
            return Reported(Fraction(int(value)), 0, str(int(value)))
        raise InputTypeError(
            f"{name} is the float {value!r}, which does not say how many decimals were "
            f"printed; pass it as a string (e.g. '{value}') or as ({value!r}, decimals)"
        )
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise InputValueError(f"decimals for {name} must be a non-negative int; got {decimals!r}")
    if not math.isfinite(float(value)):
        raise InputValueError(f"{name} must be finite; got {value!r}")
    text = f"{float(value):.{decimals}f}"
    return Reported(Fraction(Decimal(text)), decimals, text)


def _check_n(n: Any, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < minimum:
        raise InputValueError(f"n must be a whole number of at least {minimum}; got {show(n)}")
    return int(n)


def _check_items(items: Any) -> int:
    if isinstance(items, bool) or not isinstance(items, numbers.Integral) or items < 1:
        raise InputValueError(f"items must be a whole number of at least 1; got {show(items)}")
    return int(items)


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


def sd_admits(sd: Reported, variance: Fraction, rounding: str) -> bool:
    """Whether an exact variance has a square root that rounds to ``sd``."""
    low, high, low_closed, high_closed = sd.bounds(rounding)
    if low < 0:
        low, low_closed = Fraction(0), True  # every variance is >= 0
    above = variance >= low * low if low_closed else variance > low * low
    below = variance <= high * high if high_closed else variance < high * high
    return above and below


def sumsq_range(sd: Reported, n: int, items: int, s: int, rounding: str) -> range:
    """Integer sums of squares ``Q`` (item units) for sum ``s`` whose SD rounds to ``sd``.

    ``var = (Q - s^2 / n) / (items^2 (n - 1))``; ``Q`` must also have the parity of ``s``
    (``k^2`` and ``k`` are both even or both odd), the GRIMMER parity condition.
    """
    low, high, low_closed, high_closed = sd.bounds(rounding)
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


def realizable(total: int, sumsq: int, n: int) -> bool:
    """Whether ``n`` integers have this sum and sum of squares (exact search for small n).

    Parity is necessary but not sufficient for ``n <= 4`` (e.g. no two integers have
    sum 0 and sum of squares 4); for larger ``n`` every parity-admissible pair with
    ``n Q >= S^2`` is realizable, and the search is skipped.
    """
    spread = n * sumsq - total * total  # n^2 times the sum of squared deviations / n
    if spread < 0 or (sumsq - total) % 2:
        return False
    if n >= 5:
        return True
    # every value lies within sqrt(sum of squared deviations) of the mean
    deviation = math.isqrt(spread // n) + 1
    low = (total - deviation * n) // n - 1
    high = -((-total - deviation * n) // n) + 1
    for head in itertools.combinations_with_replacement(range(low, high + 1), n - 1):
        last = total - sum(head)
        if last >= head[-1] and last * last + sum(x * x for x in head) == sumsq:
            return True
    return False


def grim(mean: Any, n: int, items: int = 1, rounding: str = "up_or_down") -> bool:
    """GRIM: test whether ``n`` integer scores can have a mean that rounds to ``mean``.

    Parameters
    ----------
    mean : str or Reported
        The reported mean, e.g. ``"5.19"``.
    n : int
        Sample size.
    items : int
        Items per scale score (the score is the mean of ``items`` integer answers).
    rounding : str
        Rounding convention, one of :data:`ROUNDING`.

    Returns
    -------
    bool

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
    return len(mean_sums(m, n, items, rounding)) > 0


def grimmer(mean: Any, sd: Any, n: int, items: int = 1, rounding: str = "up_or_down") -> bool:
    """GRIMMER: test whether ``n`` integer scores can have this mean and SD, as rounded.

    Parameters
    ----------
    mean, sd : str or Reported
        Reported mean and SD (``n - 1`` denominator).
    n : int
        Sample size (at least 2).
    items : int
        Items per scale score.
    rounding : str
        Rounding convention.

    Returns
    -------
    bool
        True when some integer sum and sum of squares reproduce both figures; the sum of
        squares must have the parity of the sum (Anaya 2016).

    Examples
    --------
    >>> from pairedstudy.forensics import grimmer
    >>> grimmer("5.21", "1.6", 28), grimmer("3.44", "2.47", 18)
    (True, False)
    """
    m = reported(mean, name="mean")
    s = reported(sd, name="sd")
    n = _check_n(n, 2)
    items = _check_items(items)
    check_choice("rounding", rounding, ROUNDING)
    if s.value < 0:
        raise InputValueError(f"sd must not be negative; got {s.text}")
    return any(
        realizable(total, q, n)
        for total in mean_sums(m, n, items, rounding)
        for q in sumsq_range(s, n, items, total, rounding)
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
    for k in mean_sums(m, n, 1, rounding):
        if 0 <= k <= n and sd_admits(s, Fraction(k * (n - k), n * (n - 1)), rounding):
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
