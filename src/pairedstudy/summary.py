"""Inference from a paper's table: ``PairedSummary``.

A pre/post paper usually prints means and SDs of both measurements, often the mean and SD of
the difference, sometimes t, p or r. :class:`PairedSummary` keeps those figures exactly as
printed (``"0.740"`` keeps its three decimals), re-derives the paired t-test and the d
family from them, checks that they are possible at all, and reconstructs every integer
dataset that reproduces them.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from ._validation import _show, check_alternative, check_choice, check_probability, check_real
from .errors import InputValueError
from .forensics import (
    ROUNDING,
    Reported,
    _sq_bounds,
    integer_multisets,
    mean_sums,
    pairing_tables,
    realizable,
    reported,
    sumsq_range,
)
from .moments import Moments
from .results import EffectSize, FrozenMapping, TestResult
from .study import PairedStudy

__all__ = [
    "CheckItem",
    "ConsistencyReport",
    "CorrelationBounds",
    "PairedSummary",
    "Reconstruction",
]

ORDERS = ("post - pre", "pre - post")
#: Above this many (pre multiset, post multiset) pairs the datasets are sampled, not listed.
PAIRS_LIMIT = 20_000
#: independent Markov chains of the fallback sample, each from its own random start
CHAINS = 4
#: sweeps (about n re-drawn subjects each) discarded at the start of each chain
BURN_IN_SWEEPS = 500
#: each chain keeps every THIN-th consistent dataset it visits
THIN_VISITS = 20
#: how far the chains may wander beyond the allowed sums of squares (steps of 2) and
#: sums of products; only datasets inside are kept (see pairedstudy._sampler)
WALK_MARGIN_Q = 1
WALK_MARGIN_P = 1
#: re-pairing moves between two re-draws
SWAPS = 2
#: random multisets tried to find the chains' starting datasets
START_ATTEMPTS = 20_000
#: Multisets listed per arm before the arm counts as too large to list.
ARM_LIMIT = 1_000_000
#: Widest scale (number of possible scores) the exact search accepts.
MAX_SCALE_VALUES = 500


def _optional(value: Any, name: str) -> Reported | None:
    return None if value is None else reported(value, name=name)


def _range(value: Any, name: str) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InputValueError(f"{name} must be a (min, max) pair; got {_show(value)}")
    low, high = value
    for v in value:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not float(v).is_integer():
            raise InputValueError(f"{name} must hold whole numbers; got {_show(value)}")
    if low > high:
        raise InputValueError(f"{name} must satisfy min <= max; got {_show(value)}")
    return int(low), int(high)


def _box(value: Reported, rounding: str) -> tuple[float, float]:
    low, high, _, _ = value.bounds(rounding)
    return float(low), float(high)


def _cochrane(s1: float, s2: float, sd: float) -> float:
    return (s1 * s1 + s2 * s2 - sd * sd) / (2.0 * s1 * s2)


def _r_range(
    s1: tuple[float, float], s2: tuple[float, float], sd: tuple[float, float]
) -> tuple[float, float]:
    """Smallest and largest Cochrane r over a box of (s1, s2, sd).

    ``r`` decreases in ``sd``; in ``s1`` it has one stationary point,
    ``s1 = sqrt(s2² - sd²)`` (a minimum, when ``s2 > sd``), and likewise in ``s2``: the
    extremes lie on the box's corners or at those points.
    """
    if s1[0] <= 0 or s2[0] <= 0:  # an SD that may be 0 leaves r unconstrained
        return -math.inf, math.inf
    candidates = []
    for a in s1:
        for b in s2:
            for c in sd:
                candidates.append(_cochrane(a, b, c))
    for c in sd:
        for b in s2:
            inner = b * b - c * c
            if inner > 0 and s1[0] <= math.sqrt(inner) <= s1[1]:
                candidates.append(_cochrane(math.sqrt(inner), b, c))
        for a in s1:
            inner = a * a - c * c
            if inner > 0 and s2[0] <= math.sqrt(inner) <= s2[1]:
                candidates.append(_cochrane(a, math.sqrt(inner), c))
    return min(candidates), max(candidates)


@attrs.frozen(kw_only=True)
class CorrelationBounds:
    """The pre-post correlation a table implies (Cochrane Handbook, section 6.5.2.8).

    Attributes
    ----------
    value : float or None
        ``r = (s_pre² + s_post² - s_change²) / (2 s_pre s_post)`` at the printed figures
        (or backed out of t or p); ``None`` when the figures only bound it (``p = 0.000``).
    low, high : float
        The range of r over every true value that rounds to the printed figures, clipped
        to [-1, 1] when possible (the unclipped range when the table is impossible).
    source : str
        ``"SD of change"``, ``"t"``, ``"p"`` or ``"reported r"``.
    possible : bool
        False when no values within rounding give an r in [-1, 1]: the table is impossible.
    """

    value: float | None
    low: float
    high: float
    source: str
    possible: bool

    def __str__(self) -> str:
        verdict = "" if self.possible else " (IMPOSSIBLE: outside [-1, 1])"
        value = "undetermined (only bounded)" if self.value is None else f"{self.value:.4f}"
        return (
            f"r = {value}, within rounding [{self.low:.4f}, {self.high:.4f}] "
            f"(from {self.source}){verdict}"
        )


@attrs.frozen(kw_only=True)
class CheckItem:
    """One consistency check of one reported figure."""

    figure: str
    check: str
    verdict: str  # "consistent", "inconsistent" or "not checked"
    reason: str

    def __str__(self) -> str:
        mark = {"consistent": "ok  ", "inconsistent": "FAIL", "not checked": "--  "}[self.verdict]
        return f"{mark} {self.check:<28} {self.figure:<22} {self.reason}"


@attrs.frozen(kw_only=True)
class ConsistencyReport:
    """Every check of a table, with a one-line verdict."""

    items: tuple[CheckItem, ...] = attrs.field(converter=tuple)

    @property
    def consistent(self) -> bool:
        """True when no check failed."""
        return all(item.verdict != "inconsistent" for item in self.items)

    @property
    def failures(self) -> tuple[CheckItem, ...]:
        """The failed checks."""
        return tuple(item for item in self.items if item.verdict == "inconsistent")

    @property
    def verdict(self) -> str:
        """One line: consistent, or how many checks failed and which."""
        if self.consistent:
            return "consistent: every checked figure can come from integer data"
        names = ", ".join(f"{i.check} of {i.figure}" for i in self.failures)
        return f"INCONSISTENT: {len(self.failures)} check(s) failed ({names})"

    def __str__(self) -> str:
        return "\n".join([self.verdict, *(str(item) for item in self.items)])


@attrs.frozen(kw_only=True)
class Reconstruction:
    """Integer datasets consistent with a table; iterate it for ``PairedStudy`` objects.

    Attributes
    ----------
    tables : tuple
        Each dataset as its multiset of pairs: ``((pre, post, count), ...)`` in item units.
    items : int
        Items per score (values are item sums divided by ``items``).
    complete : bool
        True when the enumeration is exhaustive: these are *all* consistent datasets.
    method : str
        ``"exhaustive enumeration"`` or a description of the sample.
    n_pre, n_post : int
        How many pre and post multisets were consistent with their own figures (the
        first ``ARM_LIMIT`` when there are more).
    diagnostics : Mapping
        For a sample: the Markov chains' settings and health (``chains``,
        ``burn_in_steps``, ``thin_visits``, ``steps``, ``move_rate`` (changes of the
        dataset per chain and step, re-pairing swaps included), ``consistent_rate``, ``distinct``
        datasets drawn, and ``rhat``: the Gelman-Rubin R-hat across chains of the sum of
        absolute changes, the number of zero changes, and the counts at the lowest pre and
        highest post score; near 1 when the chains agree; ``connected``: False when the
        scale is too wide for the moves that let chains leave their starting multisets).
        Empty for an enumeration.
    """

    tables: tuple[tuple[tuple[int, int, int], ...], ...] = attrs.field(converter=tuple)
    items: int
    complete: bool
    method: str
    n_pre: int
    n_post: int
    diagnostics: Mapping[str, Any] = attrs.field(
        factory=dict, converter=FrozenMapping, eq=False, repr=False
    )

    def __len__(self) -> int:
        return len(self.tables)

    def __iter__(self) -> Iterator[PairedStudy]:
        for table in self.tables:
            pre = [u / self.items for u, _, c in table for _ in range(c)]
            post = [w / self.items for _, w, c in table for _ in range(c)]
            yield PairedStudy(pre, post, name="reconstructed")

    def values(self, statistic: Callable[[PairedStudy], float]) -> np.ndarray:
        """``statistic`` evaluated on every dataset."""
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.array([float(statistic(study)) for study in self])

    def range(self, statistic: Callable[[PairedStudy], float]) -> tuple[float, float]:
        """Smallest and largest value of ``statistic`` over the datasets.

        Examples
        --------
        ``rec.range(lambda s: s.test("wilcoxon").pvalue)`` bounds the Wilcoxon p-value a
        paper never reported (over all consistent datasets when ``rec.complete``).
        """
        if not self.tables:
            raise InputValueError("no dataset is consistent with the table: nothing to bound")
        values = self.values(statistic)
        return float(values.min()), float(values.max())

    def __str__(self) -> str:
        kind = "all" if self.complete else "a sample of"
        return (
            f"Reconstruction: {kind} {len(self)} integer dataset(s) consistent with the "
            f"table ({self.method}; {self.n_pre} pre and {self.n_post} post multisets)"
        )


def _admits_root(figure: Reported, square: Fraction, rounding: str, negative: bool) -> bool:
    """Whether ``±sqrt(square)`` (sign from ``negative``) rounds to ``figure``, exactly."""
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


def _random_pairing(
    pre: np.ndarray, post: np.ndarray, products: range | None, rng: np.random.Generator
) -> np.ndarray | None:
    """A random pairing of two sorted arms whose sum of products lies in ``products``.

    Starts from the sorted pairing (the largest sum of products) and makes random swaps
    of two partners, accepting a swap while the sum stays at or above the lower limit;
    once inside the allowed range it keeps swapping within it for ``10 n`` steps to
    forget the start. Returns ``None`` if the range cannot be reached.
    """
    n = pre.size
    paired = post.copy()
    if products is None:
        return rng.permutation(paired)
    low, high = products.start, products[-1]
    total = int(np.dot(pre, paired))
    smallest = int(np.dot(pre, paired[::-1]))
    if total < low or smallest > high:
        return None
    inside_steps = 0
    for _ in range(400 * n):
        i, j = rng.integers(n, size=2)
        delta = int((pre[i] - pre[j]) * (paired[j] - paired[i]))
        new = total + delta
        inside = low <= total <= high
        if (inside and low <= new <= high) or (not inside and new >= low):
            paired[i], paired[j] = paired[j], paired[i]
            total = new
        if low <= total <= high:
            inside_steps += 1
            if inside_steps >= 10 * n:
                return paired
    return paired if low <= total <= high else None


@attrs.frozen(init=False)
class PairedSummary:
    """A pre/post study known only from its reported summary statistics.

    Parameters
    ----------
    n : int
        Number of pairs.
    pre_mean, pre_sd, post_mean, post_sd : str or Reported or (float, decimals)
        As printed: ``"7.05"``, ``"0.740"``. Strings keep their decimals; a float must come
        with its decimals, ``(9.0, 2)``; an int means 0 decimals.
    diff_mean, diff_sd : optional
        Mean and SD of the difference, in the order ``diff_order``.
    r, t, p : optional
        A reported pre-post correlation, paired t statistic and two-sided p-value
        (``"0.000"`` is read as p < 0.0005).
    diff_order : {"post - pre", "pre - post"}
        The order of the reported difference (SPSS prints first minus second). Everything
        computed is about ``post - pre``.
    pre_range, post_range : (int, int), optional
        Observed (min, max) of each arm, when printed.
    items : int
        Items averaged into each score (GRIM granularity ``1 / (n items)``).
    rounding : str
        Rounding convention of the paper, one of :data:`~pairedstudy.forensics.ROUNDING`.

    Raises
    ------
    InputValueError, InputTypeError
        ``n < 2``, a negative SD, a bare float without decimals, unparseable text, a bad
        range or option. Figures that are possible to write down but impossible together
        (a mean outside its range, SDs that make ``|r| > 1``, a p that does not match t)
        are not errors: :meth:`check` flags them, saying which.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> table = ps.PairedSummary(n=21, pre_mean="7.05", pre_sd="0.740", post_mean="9.00",
    ...     post_sd="1.183", diff_mean="-1.952", diff_sd="1.161", diff_order="pre - post")
    >>> round(table.test().statistic, 4)
    7.7047
    """

    n: int
    pre_mean: Reported
    pre_sd: Reported
    post_mean: Reported
    post_sd: Reported
    diff_mean: Reported | None
    diff_sd: Reported | None
    r: Reported | None
    t: Reported | None
    p: Reported | None
    diff_order: str
    pre_range: tuple[int, int] | None
    post_range: tuple[int, int] | None
    items: int
    rounding: str

    def __init__(
        self,
        n: int,
        pre_mean: Any,
        pre_sd: Any,
        post_mean: Any,
        post_sd: Any,
        diff_mean: Any = None,
        diff_sd: Any = None,
        r: Any = None,
        t: Any = None,
        p: Any = None,
        diff_order: str = "post - pre",
        pre_range: Any = None,
        post_range: Any = None,
        items: int = 1,
        rounding: str = "up_or_down",
    ) -> None:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2:
            raise InputValueError(f"n must be a whole number of at least 2; got {_show(n)}")
        if isinstance(items, bool) or not isinstance(items, numbers.Integral) or items < 1:
            raise InputValueError(f"items must be a whole number >= 1; got {_show(items)}")
        check_choice("diff_order", diff_order, ORDERS)
        check_choice("rounding", rounding, ROUNDING)
        figures = {
            "pre_mean": reported(pre_mean, name="pre_mean"),
            "pre_sd": reported(pre_sd, name="pre_sd"),
            "post_mean": reported(post_mean, name="post_mean"),
            "post_sd": reported(post_sd, name="post_sd"),
            "diff_mean": _optional(diff_mean, "diff_mean"),
            "diff_sd": _optional(diff_sd, "diff_sd"),
            "r": _optional(r, "r"),
            "t": _optional(t, "t"),
            "p": _optional(p, "p"),
        }
        for name in ("pre_sd", "post_sd", "diff_sd"):
            if figures[name] is not None and figures[name].value < 0:
                raise InputValueError(f"{name} must not be negative; got {figures[name].text}")
        if figures["p"] is not None and not 0 <= figures["p"].value <= 1:
            raise InputValueError(f"p must lie in [0, 1]; got {figures['p'].text}")
        if figures["r"] is not None and not -1 <= figures["r"].value <= 1:
            raise InputValueError(f"r must lie in [-1, 1]; got {figures['r'].text}")
        self.__attrs_init__(
            n=int(n),
            **figures,
            diff_order=diff_order,
            pre_range=_range(pre_range, "pre_range"),
            post_range=_range(post_range, "post_range"),
            items=int(items),
            rounding=rounding,
        )

    # ---- derived quantities ----------------------------------------------------------

    @property
    def _sign(self) -> int:
        return 1 if self.diff_order == "post - pre" else -1

    @property
    def mean_change(self) -> float:
        """Mean of ``post - pre``: the reported difference (re-oriented) or of the means."""
        if self.diff_mean is not None:
            return self._sign * float(self.diff_mean)
        return float(self.post_mean) - float(self.pre_mean)

    def _mean_change_box(self) -> tuple[float, float]:
        if self.diff_mean is not None:
            low, high = _box(self.diff_mean, self.rounding)
            return (low, high) if self._sign > 0 else (-high, -low)
        a, b = _box(self.pre_mean, self.rounding)
        c, d = _box(self.post_mean, self.rounding)
        return c - b, d - a

    def correlation(self) -> CorrelationBounds:
        """The pre-post correlation the table implies, with the range rounding allows.

        From the SD of the change when reported (Cochrane's formula), else from t, else
        from a two-sided p, else the reported r.

        Returns
        -------
        CorrelationBounds

        Raises
        ------
        InputValueError
            The table has none of diff_sd, t, p or r.
        """
        s1, s2 = _box(self.pre_sd, self.rounding), _box(self.post_sd, self.rounding)
        v1, v2 = float(self.pre_sd), float(self.post_sd)
        if s1[1] <= 0 or s2[1] <= 0:
            raise InputValueError(
                "the correlation is undefined: an arm's SD is 0 (every score equal)"
            )
        if self.diff_sd is not None:
            sd_box, sd_value, source = (
                _box(self.diff_sd, self.rounding),
                float(self.diff_sd),
                "SD of change",
            )
        elif self.t is not None or self.p is not None:
            sd_box, sd_value, source = self._sd_change_from_t_or_p()
        elif self.r is not None:
            low, high = _box(self.r, self.rounding)
            return CorrelationBounds(
                value=float(self.r),
                low=max(low, -1.0),
                high=min(high, 1.0),
                source="reported r",
                possible=True,
            )
        else:
            raise InputValueError(
                "the correlation needs the SD of the change (diff_sd), t, p or r"
            )
        low, high = _r_range(s1, s2, sd_box)
        value = (
            _cochrane(v1, v2, sd_value)
            if v1 > 0 and v2 > 0 and sd_value is not None and math.isfinite(sd_value)
            else None
        )
        possible = low <= 1.0 and high >= -1.0
        return CorrelationBounds(
            value=value,
            low=max(low, -1.0) if possible else low,
            high=min(high, 1.0) if possible else high,
            source=source,
            possible=possible,
        )

    def _t_abs_box(self) -> tuple[float, float]:
        """|t| as printed (directly, or through a two-sided p)."""
        from scipy import special

        if self.t is not None:
            t_low, t_high = _box(self.t, self.rounding)
            low = 0.0 if t_low <= 0 <= t_high else min(abs(t_low), abs(t_high))
            return low, max(abs(t_low), abs(t_high))
        p_low, p_high = _box(self.p, self.rounding)
        p_low, p_high = max(p_low, 0.0), min(p_high, 1.0)
        df = self.n - 1
        t_high = float(special.stdtrit(df, 1.0 - p_low / 2.0)) if p_low > 0 else math.inf
        t_low = float(special.stdtrit(df, 1.0 - p_high / 2.0)) if p_high < 1 else 0.0
        return max(t_low, 0.0), t_high

    def _sd_change_from_t_or_p(self) -> tuple[tuple[float, float], float | None, str]:
        """SD of the change backed out of |t| (or of p through t): sd = |M| sqrt(n) / |t|.

        The value is ``None`` when the printed figure only bounds ``|t|`` (``t = 0``,
        ``p = 0.000`` or ``p = 1``).
        """
        from scipy import special

        m_low, m_high = self._mean_change_box()
        m_abs = (
            0.0 if m_low <= 0 <= m_high else min(abs(m_low), abs(m_high)),
            max(abs(m_low), abs(m_high)),
        )
        root_n = math.sqrt(self.n)
        t_low, t_high = self._t_abs_box()
        if self.t is not None:
            t_mid, source = abs(float(self.t)), "t"
        else:
            p_value = float(self.p)
            t_mid = (
                float(special.stdtrit(self.n - 1, 1.0 - p_value / 2.0))
                if 0 < p_value < 1
                else math.nan
            )
            source = "p"
        value = abs(self.mean_change) * root_n / t_mid if t_mid > 0 else None
        if value is not None and not math.isfinite(value):
            value = None
        sd_low = m_abs[0] * root_n / t_high if t_high > 0 else math.inf
        sd_high = m_abs[1] * root_n / t_low if t_low > 0 else math.inf
        return (sd_low, sd_high), value, source

    def _sd_change(self) -> tuple[float, str]:
        if self.diff_sd is not None:
            return float(self.diff_sd), "the reported SD of the change"
        if self.r is not None:
            s1, s2, r = float(self.pre_sd), float(self.post_sd), float(self.r)
            return (
                math.sqrt(max(s1 * s1 + s2 * s2 - 2 * r * s1 * s2, 0.0)),
                "SDs and the reported r",
            )
        if self.t is not None or self.p is not None:
            _, value, source = self._sd_change_from_t_or_p()
            if value is None:
                raise InputValueError(
                    f"the reported {source} only bounds |t| (it is 0, 0.000 or 1), so the SD "
                    "of the change is not determined; give diff_sd, r or a t"
                )
            return value, f"the reported {source}"
        raise InputValueError(
            "the SD of the change is unknown: the table needs diff_sd, r, t or p"
        )

    def _moments(self) -> tuple[dict[str, float], list[str]]:
        sd_change, source = self._sd_change()
        s1, s2 = float(self.pre_sd), float(self.post_sd)
        if self.diff_sd is None and self.r is not None:
            r = float(self.r)
        elif s1 > 0 and s2 > 0:
            r = min(1.0, max(-1.0, _cochrane(s1, s2, sd_change)))
        else:
            r = math.nan
        notes = [f"computed from the rounded table; SD of the change from {source}"]
        return {"m": self.mean_change, "s_d": sd_change, "s1": s1, "s2": s2, "r": r}, notes

    def moments(self) -> Moments:
        """The moments the table gives or implies: n, mean and SD of the change, arm SDs, r.

        Returns
        -------
        Moments
            ``source`` is ``"summary statistics"``; ``origins["sd_change"]`` says where the
            SD of the change came from (reported, or from the SDs and r, or backed out of t
            or p), and ``notes`` that the figures are rounded.
        """
        values, notes = self._moments()
        _, source = self._sd_change()
        return Moments(
            n=self.n,
            mean_change=values["m"],
            sd_change=values["s_d"],
            pre_sd=values["s1"],
            post_sd=values["s2"],
            r=values["r"],
            pre_mean=float(self.pre_mean) if self.pre_mean is not None else None,
            post_mean=float(self.post_mean) if self.post_mean is not None else None,
            source="summary statistics",
            origins={"sd_change": source},
            notes=tuple(notes),
        )

    # ---- inference ---------------------------------------------------------------------

    def test(
        self, alternative: str = "two-sided", mu: float = 0.0, confidence_level: float = 0.95
    ) -> TestResult:
        """The paired t-test from the table (change = post - pre).

        Parameters
        ----------
        alternative : {"two-sided", "less", "greater"}
            About the mean of ``post - pre``.
        mu : float
            Mean change under the null hypothesis.
        confidence_level : float
            Level of the interval for the mean change.

        Returns
        -------
        TestResult
            ``method`` is ``"from summary statistics"``; ``notes`` say where the SD of the
            change came from (reported, or from the SDs and r, or backed out of t or p).
        """
        from .inference.ttest import t_from_moments

        moments, notes = self._moments()
        return t_from_moments(
            moments["m"],
            moments["s_d"],
            self.n,
            alternative=check_alternative(alternative),
            mu=check_real("mu", mu),
            confidence_level=check_probability("confidence_level", confidence_level),
            title="Paired t-test from summary statistics",
            method="from summary statistics",
            notes=tuple(notes),
        )

    def effect_size(self, kind: str, confidence_level: float = 0.95, **options: Any) -> EffectSize:
        """A d or g kind with its analytic interval, from the table.

        Parameters
        ----------
        kind : str
            ``"dz"``, ``"drm"``, ``"dav"``, ``"db"`` or their ``g`` forms.
        confidence_level : float
            Level of the interval.
        **options
            ``alternative``, ``average`` (see :func:`pairedstudy.effect_sizes.compute`).

        Returns
        -------
        EffectSize
        """
        from .effect_sizes import compute_from_moments

        moments, notes = self._moments()
        return compute_from_moments(
            kind, self.n, moments, confidence_level=confidence_level, notes=notes, **options
        )

    # ---- consistency --------------------------------------------------------------------

    def _arm_sums(self, mean: Reported) -> range:
        return mean_sums(mean, self.n, self.items, self.rounding)

    def check(self) -> ConsistencyReport:
        """Check every reported figure against the others and against integer data.

        Returns
        -------
        ConsistencyReport
            One item per check: GRIM for each mean (and the mean difference), GRIMMER for
            each SD, the mean difference against the difference of the means, the SD
            triangle (``|s_pre - s_post| <= s_change <= s_pre + s_post``, i.e. ``|r| <= 1``),
            means inside the printed ranges and SDs below the largest the ranges allow,
            and reported t, p and r against what the other figures imply. Each failure
            says why; ``report.verdict`` is one line.
        """
        from scipy import special

        items: list[CheckItem] = []
        n, k, rounding = self.n, self.items, self.rounding

        def add(figure: str, check: str, ok: bool | None, reason: str) -> None:
            verdict = "not checked" if ok is None else ("consistent" if ok else "inconsistent")
            items.append(CheckItem(figure=figure, check=check, verdict=verdict, reason=reason))

        arms = {"pre": (self.pre_mean, self.pre_sd), "post": (self.post_mean, self.post_sd)}
        if self.diff_mean is not None:
            arms["difference"] = (self.diff_mean, self.diff_sd)
        for arm, (mean, sd) in arms.items():
            sums = self._arm_sums(mean)
            add(
                f"{arm} mean {mean}",
                "GRIM",
                len(sums) > 0,
                f"{len(sums)} integer sum(s) over n = {n}"
                + (f" x {k} items" if k > 1 else "")
                + (" give this mean" if sums else f" give a mean rounding to {mean}"),
            )
            if sd is not None and not sums:
                add(f"{arm} SD {sd}", "GRIMMER", None, "not checked: the mean fails GRIM")
            elif sd is not None:
                ok = self._grimmer(sd, sums)
                add(
                    f"{arm} SD {sd}",
                    "GRIMMER",
                    ok,
                    "some integer sum of squares gives this SD with the mean"
                    if ok
                    else "no integer data with this mean have an SD rounding to it",
                )
        if self.diff_mean is None and self.diff_sd is not None:
            diff_sums = sorted(
                {
                    self._sign * (b - a)
                    for a in self._arm_sums(self.pre_mean)
                    for b in self._arm_sums(self.post_mean)
                }
            )
            ok = self._grimmer(self.diff_sd, diff_sums) if diff_sums else None
            add(
                f"difference SD {self.diff_sd}",
                "GRIMMER",
                ok,
                "not checked: the means fail GRIM"
                if ok is None
                else (
                    "some integer changes with the means' difference give this SD"
                    if ok
                    else "no integer changes whose mean is the difference of the means "
                    "have an SD rounding to it"
                ),
            )
        if self.diff_mean is not None:
            target = self.diff_mean
            ok = any(
                target.admits(Fraction(self._sign * (b - a), n * k), rounding)
                for a in self._arm_sums(self.pre_mean)
                for b in self._arm_sums(self.post_mean)
            )
            add(
                f"difference {self.diff_mean}",
                "difference of means",
                ok,
                f"post mean - pre mean can round to it ({self.diff_order})"
                if ok
                else f"no means rounding to {self.pre_mean} and {self.post_mean} differ by "
                f"a value rounding to {self.diff_mean} ({self.diff_order})",
            )
        try:
            bounds = self.correlation()
        except InputValueError:
            bounds = None
        if bounds is not None and bounds.source != "reported r":
            figure = {
                "SD of change": f"SD of change {self.diff_sd}",
                "t": f"t {self.t}",
                "p": f"p {self.p}",
            }[bounds.source]
            add(
                figure,
                "SD triangle (|r| <= 1)",
                bounds.possible,
                f"implied r in [{bounds.low:.4f}, {bounds.high:.4f}]"
                if bounds.possible
                else "|s_pre - s_post| <= s_change <= s_pre + s_post fails for every value "
                "within rounding",
            )
        for arm, mean, sd, span in (
            ("pre", self.pre_mean, self.pre_sd, self.pre_range),
            ("post", self.post_mean, self.post_sd, self.post_range),
        ):
            if span is None:
                continue
            lo, hi = span
            m_low, m_high = _box(mean, rounding)
            inside = m_high >= lo and m_low <= hi
            add(f"{arm} mean {mean}", "inside range", inside, f"range {lo}-{hi}")
            largest = 0.0
            for total in self._arm_sums(mean):
                bounds_q = _sq_bounds(n, total, lo * k, hi * k)
                if bounds_q is not None:
                    variance = (bounds_q[1] - total * total / n) / (k * k * (n - 1))
                    largest = max(largest, math.sqrt(max(variance, 0.0)))
            sd_low = max(_box(sd, rounding)[0], 0.0)
            add(
                f"{arm} SD {sd}",
                "largest SD on the range",
                sd_low <= largest + 1e-12,
                f"integer scores on {lo}-{hi} with this mean have SD at most {largest:.4f}",
            )
        if self.t is not None and self.diff_sd is not None:
            implied = self._t_box_from_moments()
            lo_t, hi_t = self._t_abs_box()
            ok = hi_t >= implied[0] and lo_t <= implied[1]
            reason = (
                f"the mean and SD of the change imply |t| in [{implied[0]:.4f}, {implied[1]:.4f}]"
            )
            if self.diff_mean is not None and self.t.value * self.diff_mean.value < 0:
                ok = False
                reason = "the sign of t contradicts the sign of the printed difference"
            add(f"t {self.t}", "t from mean and SD", ok, reason)
        if self.p is not None and (self.diff_sd is not None or self.t is not None):
            t_box = self._t_abs_box() if self.t is not None else self._t_box_from_moments()
            df = n - 1
            p_low = 2 * float(special.stdtr(df, -t_box[1]))
            p_high = 2 * float(special.stdtr(df, -t_box[0]))
            lo_p, hi_p = _box(self.p, rounding)
            ok = hi_p >= p_low and lo_p <= p_high
            source = "t" if self.t is not None else "mean and SD of the change"
            add(
                f"p {self.p}",
                "p from t (two-sided)",
                ok,
                f"the {source} imply p in [{p_low:.3g}, {p_high:.3g}]",
            )
        if self.r is not None and bounds is not None and bounds.source != "reported r":
            lo_r, hi_r = _box(self.r, rounding)
            ok = hi_r >= bounds.low and lo_r <= bounds.high
            add(
                f"r {self.r}",
                "r from the SDs",
                ok,
                f"the SDs imply r in [{bounds.low:.4f}, {bounds.high:.4f}]",
            )
        return ConsistencyReport(items=items)

    def _grimmer(self, sd: Reported, sums: Sequence[int]) -> bool:
        """GRIMMER over candidate sums, with the exact small-n realizability search."""
        return any(
            realizable(total, q, self.n)
            for total in sums
            for q in sumsq_range(sd, self.n, self.items, total, self.rounding)
        )

    def _t_box_from_moments(self) -> tuple[float, float]:
        """|t| over the rounding box of the mean and the SD of the change."""
        m_low, m_high = self._mean_change_box()
        m_abs_low = 0.0 if m_low <= 0 <= m_high else min(abs(m_low), abs(m_high))
        m_abs_high = max(abs(m_low), abs(m_high))
        if self.diff_sd is not None:
            sd_low, sd_high = _box(self.diff_sd, self.rounding)
        else:
            sd_low, sd_high = self._sd_change_from_t_or_p()[0]
        root_n = math.sqrt(self.n)
        high = m_abs_high * root_n / sd_low if sd_low > 0 else math.inf
        low = m_abs_low * root_n / sd_high if sd_high > 0 else 0.0
        return low, high

    # ---- reconstruction -----------------------------------------------------------------

    def reconstruct(
        self,
        scale: Sequence[int],
        limit: int = 100_000,
        *,
        sample: int = 1000,
        seed: int | None = None,
        progress: bool | None = None,
        burn_in: int = BURN_IN_SWEEPS,
        thin: int = THIN_VISITS,
    ) -> Reconstruction:
        """Every integer dataset consistent with all the reported figures.

        Parameters
        ----------
        scale : (int, int)
            The instrument's lowest and highest possible score.
        limit : int
            The most datasets to enumerate. When there are more (or more than
            :data:`PAIRS_LIMIT` pairs of consistent pre and post multisets, each of which
            needs its own pairing search), a random sample of ``sample`` consistent
            datasets is returned instead, labelled as a sample (``complete`` is False).
        sample : int
            Size of that fallback sample.
        seed : int, optional
            Seed of the fallback sample.
        progress : bool, optional
            Show a progress bar (default: only on a terminal, and only for long
            enumerations and samples).
        burn_in, thin : int
            For the fallback sample: the sweeps (about ``n`` re-scored subjects each) each
            Markov chain discards at its start, and which of the consistent datasets it
            then visits are kept (every ``thin``-th). Raise them when the sample's R-hat
            (``rec.diagnostics``) is above 1.1.

        Returns
        -------
        Reconstruction
            Datasets as multisets of (pre, post) pairs, each reproducing every figure at
            its rounding: both means and SDs (GRIM/GRIMMER), the printed ranges (min and
            max attained), the mean and SD of the difference (which fix the sum of
            pre x post products), and t, p or r when printed.

        Notes
        -----
        Pre and post multisets are enumerated separately by a depth-first search over the
        scale values that prunes every branch whose remaining scores cannot reach an
        allowed sum and sum of squares (exact integer bounds). Each compatible pair of
        multisets is then paired: contingency tables with those margins whose sum of
        products lies in the range the SD of the change (or r) allows, again by pruned
        depth-first search (rearrangement bounds). Nothing is sampled unless the count
        exceeds ``limit``.

        The fallback sample comes from Markov chains whose stationary distribution is
        uniform over the consistent datasets as multisets of pairs (Metropolis-Hastings
        with a multiset correction; see ``pairedstudy._sampler``): up to 64 chains start
        from random consistent datasets (random pre and post multisets, randomly
        paired), discard ``burn_in`` sweeps and then keep every ``thin``-th consistent
        dataset they visit. "Uniform in the limit" is a property of the chain,
        not of a finite run: ``rec.diagnostics["rhat"]`` holds the Gelman-Rubin R-hat of
        four statistics across chains, and a
        :class:`~pairedstudy.errors.ConvergenceWarning` is issued when one exceeds 1.1.
        On the oxytocin table (248 datasets; ``limit=100`` forces sampling) 4000 draws
        pass a chi-square test of uniformity. Tables whose arms admit thousands of
        multisets with the same sum and sum of squares mix slowly between them: an
        n = 50 table on a 1-7 scale needs the default ``burn_in=500, thin=20`` (1000
        datasets in about 35 s, largest R-hat 1.08); ``burn_in=100, thin=10`` halves the
        time and leaves R-hat at 1.27, with the warning. The range of a
        statistic over a sample is not a bound.
        """
        lo, hi = _range(scale, "scale")
        if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1:
            raise InputValueError(f"limit must be a positive whole number; got {_show(limit)}")
        k = self.items
        for arm, span in (("pre_range", self.pre_range), ("post_range", self.post_range)):
            if span is not None and (span[0] < lo or span[1] > hi):
                raise InputValueError(f"{arm} {span} lies outside the scale {(lo, hi)}")
        if (hi - lo) * k + 1 > MAX_SCALE_VALUES:
            raise InputValueError(
                f"the scale {lo}-{hi} with {k} item(s) has {(hi - lo) * k + 1} possible "
                f"scores; exact reconstruction handles at most {MAX_SCALE_VALUES}"
            )
        arm_limit = max(limit, ARM_LIMIT)
        pre_sets, pre_done = self._arm_multisets(
            self.pre_mean, self.pre_sd, self.pre_range, lo, hi, arm_limit
        )
        post_sets, post_done = self._arm_multisets(
            self.post_mean, self.post_sd, self.post_range, lo, hi, arm_limit
        )
        tables: list[tuple[tuple[int, int, int], ...]] = []
        complete = pre_done and post_done
        too_many = len(pre_sets) * len(post_sets) > PAIRS_LIMIT
        if too_many:  # every pair needs its own pairing search: sample instead
            complete = False
        pre_values = list(
            range((self.pre_range or (lo, hi))[0] * k, (self.pre_range or (lo, hi))[1] * k + 1)
        )
        post_values = list(
            range((self.post_range or (lo, hi))[0] * k, (self.post_range or (lo, hi))[1] * k + 1)
        )
        from ._progress import Progress

        bar = Progress(
            len(pre_sets) if complete else 0,
            "reconstructing",
            progress if len(pre_sets) * len(post_sets) > 200 else False,
        )
        for a in pre_sets if complete else ():
            bar.update(1)
            s_a = sum(c * v for c, v in zip(a, pre_values, strict=True))
            q_a = sum(c * v * v for c, v in zip(a, pre_values, strict=True))
            for b in post_sets:
                s_b = sum(c * v for c, v in zip(b, post_values, strict=True))
                q_b = sum(c * v * v for c, v in zip(b, post_values, strict=True))
                products = self._products(s_a, q_a, s_b, q_b)
                if products is not None and len(products) == 0:
                    continue
                remaining = limit - len(tables)
                found, done = pairing_tables(
                    a, b, pre_values, post_values, products, limit=remaining
                )
                tables.extend(t for t in found if self._fits_t_and_p(t))
                if not done:
                    complete = False
                    break
            if not complete:
                break
        bar.close()
        method = "exhaustive enumeration"
        diagnostics: dict[str, Any] = {}
        if not complete:
            if not (pre_done and post_done):
                why = f"more than {arm_limit} multisets for an arm"
            elif too_many:
                why = f"{len(pre_sets)} x {len(post_sets)} consistent pre and post multisets"
            else:
                why = f"more than {limit} datasets"
            tables, diagnostics = self._sample_uniform(
                pre_sets,
                post_sets,
                pre_values,
                post_values,
                sample,
                seed,
                progress,
                _count("burn_in", burn_in, 0),
                _count("thin", thin, 1),
            )
            method = (
                f"Markov chain sample of {len(tables)} ({why}): uniform over the consistent "
                "datasets in the limit; ranges over a sample are not bounds"
            )
        return Reconstruction(
            tables=tables,
            items=k,
            complete=complete,
            method=method,
            n_pre=len(pre_sets),
            n_post=len(post_sets),
            diagnostics=diagnostics,
        )

    def _arm_multisets(
        self,
        mean: Reported,
        sd: Reported,
        span: tuple[int, int] | None,
        lo: int,
        hi: int,
        limit: int,
    ) -> tuple[list[tuple[int, ...]], bool]:
        k = self.items
        low, high = span if span is not None else (lo, hi)
        targets = self._targets(mean, sd)
        must = (low * k, high * k) if span is not None else ()
        return integer_multisets(
            self.n, targets, low * k, high * k, must_include=must, limit=limit
        )

    def _targets(self, mean: Reported, sd: Reported) -> dict[int, range]:
        """Allowed sums of one arm (item units), each with its allowed sums of squares."""
        return {
            s: sumsq_range(sd, self.n, self.items, s, self.rounding) for s in self._arm_sums(mean)
        }

    def _products(self, s_a: int, q_a: int, s_b: int, q_b: int) -> range | None:
        """Allowed sums of pre x post products, or None when unconstrained."""
        n, k = self.n, self.items
        diff_sum = s_b - s_a
        if self.diff_mean is not None and not self.diff_mean.admits(
            Fraction(self._sign * diff_sum, n * k), self.rounding
        ):
            return range(0)
        if self.diff_sd is not None:
            d2 = sumsq_range(self.diff_sd, n, k, diff_sum, self.rounding)
            if not d2:
                return range(0)
            # sum d^2 = q_a + q_b - 2 P
            return range((q_a + q_b - d2[-1]) // 2, (q_a + q_b - d2[0]) // 2 + 1)
        if self.r is not None:
            low, high, _, _ = self.r.bounds(self.rounding)
            var_a = Fraction(q_a) - Fraction(s_a * s_a, n)
            var_b = Fraction(q_b) - Fraction(s_b * s_b, n)
            if var_a <= 0 or var_b <= 0:
                return range(0)
            scale = math.sqrt(float(var_a * var_b))
            base = s_a * s_b / n
            return range(
                math.ceil(base + float(low) * scale - 1e-9),
                math.floor(base + float(high) * scale + 1e-9) + 1,
            )
        return None

    def _fits_t_and_p(self, table: tuple[tuple[int, int, int], ...]) -> bool:
        """Checks of a printed t and r (exact, through their squares) and p on one dataset."""
        if self.t is None and self.p is None and self.r is None:
            return True
        return self._fits_sums(
            sum(c * u for u, _, c in table),
            sum(c * u * u for u, _, c in table),
            sum(c * w for _, w, c in table),
            sum(c * w * w for _, w, c in table),
            sum(c * u * w for u, w, c in table),
        )

    def _fits_sums(self, s_a: int, q_a: int, s_b: int, q_b: int, cross: int) -> bool:
        """The t, r and p checks from a dataset's sums (item units).

        The sums and sums of squares of each arm and the sum of pre x post products
        determine all three.
        """
        n = self.n
        sum_d = s_b - s_a
        sum_d2 = q_a + q_b - 2 * cross
        spread = n * sum_d2 - sum_d * sum_d  # n (n - 1) var(d) items^2
        if self.t is not None:
            # the printed t follows the paper's order; compare its size: t^2 is rational
            signed_sum = self._sign * sum_d * (1 if self.t.value >= 0 else -1)
            if spread == 0 or (signed_sum < 0 and self.t.value != 0):
                return False
            t_squared = Fraction(sum_d * sum_d * (n - 1), spread)
            if not _admits_root(self.t, t_squared, self.rounding, negative=self.t.value < 0):
                return False
        if self.r is not None:
            num = n * cross - s_a * s_b
            den = (n * q_a - s_a * s_a) * (n * q_b - s_b * s_b)
            if den <= 0:
                return False
            r_squared = Fraction(num * num, den)
            if not _admits_root(self.r, r_squared, self.rounding, negative=num < 0):
                return False
        if self.p is not None:
            from scipy import special

            t = math.inf if spread == 0 else abs(sum_d) * math.sqrt((n - 1) / spread)
            p = 2 * float(special.stdtr(n - 1, -t)) if math.isfinite(t) else 0.0
            if not self.p.admits(Fraction(p), self.rounding):
                return False
        return True

    def _sample_uniform(
        self,
        pre_sets: list[tuple[int, ...]],
        post_sets: list[tuple[int, ...]],
        pre_values: list[int],
        post_values: list[int],
        size: int,
        seed: int | None,
        progress: bool | None,
        burn_in_sweeps: int,
        thin_sweeps: int,
    ) -> tuple[list[tuple[tuple[int, int, int], ...]], dict[str, Any]]:
        """``size`` datasets from Markov chains uniform over the consistent datasets."""
        from ._progress import Progress
        from ._sampler import ConsistentDatasetSampler

        rng = np.random.default_rng(seed)
        whole = self.t is not None or self.p is not None or self.r is not None
        sampler = ConsistentDatasetSampler(
            self.n,
            pre_values,
            post_values,
            self._targets(self.pre_mean, self.pre_sd),
            self._targets(self.post_mean, self.post_sd),
            self._products,
            self._fits_sums if whole else None,
            (self.pre_range is not None, self.post_range is not None),
            extend_q=WALK_MARGIN_Q,
            extend_p=WALK_MARGIN_P,
            swaps=SWAPS,
        )
        chains = sampler.chains_for(size)
        starts = self._starts(pre_sets, post_sets, pre_values, post_values, chains, rng)
        if not starts:
            return [], {"chains": 0, "note": "no consistent dataset was found to start from"}
        starts = [starts[i % len(starts)] for i in range(chains)]
        sweep = math.ceil(self.n / (sum(sampler.sizes) / len(sampler.sizes)))
        burn_in, thin = burn_in_sweeps * sweep, thin_sweeps
        per_chain = math.ceil(size / chains)
        bar = Progress(per_chain * chains, "sampling datasets", progress)
        drawn, counts = sampler.run(starts, per_chain, burn_in, thin, rng, bar.update)
        bar.close()
        per_chain = min(len(chain) for chain in drawn)
        low, high = pre_values[0], post_values[-1]
        statistics: dict[str, Callable[[tuple[tuple[int, int, int], ...]], int]] = {
            "sum_abs_change": lambda t: sum(c * abs(w - u) for u, w, c in t),
            "zero_changes": lambda t: sum(c for u, w, c in t if u == w),
            "pre_at_lowest": lambda t: sum(c for u, _, c in t if u == low),
            "post_at_highest": lambda t: sum(c for _, w, c in t if w == high),
        }
        rhat = {
            name: _rhat([[f(t) for t in chain] for chain in drawn])
            for name, f in statistics.items()
        }
        worst = max((v for v in rhat.values() if v is not None), default=None)
        # interleave the chains so that a shortened sample keeps every chain
        order = [chain[i] for i in range(per_chain) for chain in drawn]
        diagnostics: dict[str, Any] = {
            "chains": chains,
            "distinct_starts": len(set(starts)),
            "burn_in_steps": burn_in,
            "thin_visits": thin,
            "subjects_per_step": list(sampler.sizes),
            "steps": counts["steps"],
            "move_rate": counts["moved"] / counts["proposed"] if counts["proposed"] else 0.0,
            "consistent_rate": counts["kept"] / counts["looked"] if counts["looked"] else 0.0,
            "rhat": rhat,
            "rhat_max": worst,
            "distinct": len(set(order[:size])),
            "connected": sampler.connected,
        }
        if (worst is not None and worst > 1.1) or not sampler.connected:
            import warnings

            from .errors import ConvergenceWarning

            if not sampler.connected:
                why = (
                    f"the scale has too many values ({max(len(pre_values), len(post_values))}) "
                    "for moves that re-draw three subjects, and two-subject moves cannot "
                    "change an arm's multiset: the chains may stay near their starting "
                    "datasets, whatever burn_in and thin"
                )
            else:
                why = (
                    "the sample is not yet uniform over the consistent datasets; raise "
                    f"burn_in (now {burn_in_sweeps}) and thin (now {thin_sweeps})"
                )
            shown = "not computed" if worst is None else f"{worst:.2f}"
            warnings.warn(
                f"the Markov chains of the sample may not be uniform (largest R-hat "
                f"{shown}): {why}",
                ConvergenceWarning,
                stacklevel=3,
            )
        return order[:size], diagnostics

    def _starts(
        self,
        pre_sets: list[tuple[int, ...]],
        post_sets: list[tuple[int, ...]],
        pre_values: list[int],
        post_values: list[int],
        size: int,
        rng: np.random.Generator,
    ) -> list[tuple[tuple[int, int, int], ...]]:
        """Distinct consistent datasets to start chains from: random multisets, paired."""
        found: set[tuple[tuple[int, int, int], ...]] = set()
        attempts = repeats = 0
        # stop when 200 consistent draws in a row repeat earlier ones: few datasets exist
        while (
            len(found) < size
            and attempts < START_ATTEMPTS
            and repeats < 200
            and pre_sets
            and post_sets
        ):
            attempts += 1
            a = pre_sets[rng.integers(len(pre_sets))]
            b = post_sets[rng.integers(len(post_sets))]
            s_a = sum(c * v for c, v in zip(a, pre_values, strict=True))
            q_a = sum(c * v * v for c, v in zip(a, pre_values, strict=True))
            s_b = sum(c * v for c, v in zip(b, post_values, strict=True))
            q_b = sum(c * v * v for c, v in zip(b, post_values, strict=True))
            products = self._products(s_a, q_a, s_b, q_b)
            if products is not None and len(products) == 0:
                continue
            pre = np.repeat(pre_values, a)  # ascending
            post = np.repeat(post_values, b)  # ascending: the pairing with the largest sum
            paired = _random_pairing(pre, post, products, rng)
            if paired is None:
                continue
            cells: dict[tuple[int, int], int] = {}
            for u, w in zip(pre.tolist(), paired.tolist(), strict=True):
                cells[(u, w)] = cells.get((u, w), 0) + 1
            table = tuple(sorted((u, w, c) for (u, w), c in cells.items()))
            if self._fits_t_and_p(table):
                repeats = repeats + 1 if table in found else 0
                found.add(table)
        return sorted(found)


def _count(name: str, value: Any, smallest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < smallest:
        raise InputValueError(
            f"{name} must be a whole number of at least {smallest}; got {_show(value)}"
        )
    return int(value)


def _rhat(chains: list[list[float]]) -> float | None:
    """Gelman-Rubin potential scale reduction of one statistic over several chains."""
    chains = [c for c in chains if len(c) >= 2]
    if len(chains) < 2:
        return None
    length = min(len(c) for c in chains)
    values = np.array([c[:length] for c in chains], dtype=float)
    within = values.var(axis=1, ddof=1).mean()
    between = length * values.mean(axis=1).var(ddof=1)
    if within == 0:
        return None if between == 0 else math.inf
    pooled = (length - 1) / length * within + between / length
    return float(math.sqrt(pooled / within))
