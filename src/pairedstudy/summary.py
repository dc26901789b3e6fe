"""Inference from a paper's table: ``PairedSummary``.

A pre/post paper usually prints means and SDs of both measurements, often the mean and SD of
the difference, sometimes t, p or r. :class:`PairedSummary` keeps those figures exactly as
printed (``"0.740"`` keeps its three decimals) and re-derives the paired t-test and the d
family from them. Whether the figures are possible at all, and which integer datasets
reproduce them, is the work of :mod:`pairedstudy.forensics` (``check()`` and
``reconstruct()`` call it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from ._random import SeedLike
from ._validation import check_alternative, check_choice, check_probability, check_real
from .errors import InputValueError
from .forensics import (
    MAX_ITEMS,
    ROUNDING,
    CheckItem,
    ConsistencyReport,
    Reconstruction,
    Reported,
    abs_t_interval,
    change_interval,
    check_range,
    check_summary,
    check_whole,
    interval,
    reconstruct_summary,
    reported,
)
from .forensics.reconstruction import BURN_IN_SWEEPS, THIN_VISITS
from .moments import Moments
from .results import CorrelationBounds, EffectSize, TestResult

__all__ = [
    "CheckItem",
    "ConsistencyReport",
    "CorrelationBounds",
    "PairedSummary",
    "Reconstruction",
]

ORDERS = ("post - pre", "pre - post")


def _optional(value: Any, name: str) -> Reported | None:
    return None if value is None else reported(value, name=name)


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
        ``n < 2``, a negative SD, a bare float without decimals, unparseable or ambiguous
        text (``"1,234"``: write ``"1.234"`` or ``"1234"``), a figure beyond the limits of
        :func:`~pairedstudy.forensics.reported` (at most
        :data:`~pairedstudy.forensics.MAX_DECIMALS` decimals), ``items`` above
        :data:`~pairedstudy.forensics.MAX_ITEMS`, a bad range or option. Figures that are
        possible to write down but impossible together (a mean outside its range, SDs
        that make ``|r| > 1``, a p that does not match t) are not errors: :meth:`check`
        flags them, saying which.

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
        n = check_whole("n", n, 2)
        items = check_whole("items", items, 1, MAX_ITEMS, "MAX_ITEMS: items per score")
        check_choice("diff_order", diff_order, ORDERS)
        check_choice("rounding", rounding, ROUNDING)
        figures: dict[str, Any] = {  # Reported, or None for an optional figure
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
            pre_range=check_range(pre_range, "pre_range"),
            post_range=check_range(post_range, "post_range"),
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
        s1, s2 = interval(self.pre_sd, self.rounding), interval(self.post_sd, self.rounding)
        v1, v2 = float(self.pre_sd), float(self.post_sd)
        if s1[1] <= 0 or s2[1] <= 0:
            raise InputValueError(
                "the correlation is undefined: an arm's SD is 0 (every score equal)"
            )
        sd_value: float | None
        if self.diff_sd is not None:
            sd_box, sd_value, source = (
                interval(self.diff_sd, self.rounding),
                float(self.diff_sd),
                "SD of change",
            )
        elif self.t is not None or self.p is not None:
            sd_box, sd_value, source = self._sd_change_from_t_or_p()
        elif self.r is not None:
            low, high = interval(self.r, self.rounding)
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

    def _sd_change_from_t_or_p(self) -> tuple[tuple[float, float], float | None, str]:
        """SD of the change backed out of |t| (or of p through t): sd = |M| sqrt(n) / |t|.

        The value is ``None`` when the printed figure only bounds ``|t|`` (``t = 0``,
        ``p = 0.000`` or ``p = 1``).
        """
        from scipy import special

        m_low, m_high = change_interval(
            self.pre_mean, self.post_mean, self.diff_mean, self.diff_order, self.rounding
        )
        m_abs = (
            0.0 if m_low <= 0 <= m_high else min(abs(m_low), abs(m_high)),
            max(abs(m_low), abs(m_high)),
        )
        root_n = math.sqrt(self.n)
        t_low, t_high = abs_t_interval(self.t, self.p, self.n, self.rounding)
        if self.t is not None:
            t_mid, source = abs(float(self.t)), "t"
        elif self.p is None:  # abs_t_interval has already refused this
            raise InputValueError("the SD of the change needs a printed t or p; got neither")
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

    def moments(self) -> Moments:
        """The moments the table gives or implies: n, mean and SD of the change, arm SDs, r.

        Returns
        -------
        Moments
            ``source`` is ``"summary statistics"``; ``origins["sd_change"]`` says where the
            SD of the change came from (reported, or from the SDs and r, or backed out of t
            or p), and ``notes`` that the figures are rounded.
        """
        sd_change, source = self._sd_change()
        s1, s2 = float(self.pre_sd), float(self.post_sd)
        if self.diff_sd is None and self.r is not None:
            r = float(self.r)
        elif s1 > 0 and s2 > 0:
            r = min(1.0, max(-1.0, _cochrane(s1, s2, sd_change)))
        else:
            r = math.nan
        return Moments(
            n=self.n,
            mean_change=self.mean_change,
            sd_change=sd_change,
            pre_sd=s1,
            post_sd=s2,
            r=r,
            pre_mean=float(self.pre_mean),
            post_mean=float(self.post_mean),
            source="summary statistics",
            origins={"sd_change": source},
            # plugin (every caller gets arg-type); goes when moments.py types its converter
            notes=(f"computed from the rounded table; SD of the change from {source}",),
        )

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

        moments = self.moments()
        return t_from_moments(
            moments.mean_change,
            moments.sd_change,
            moments.n,
            alternative=check_alternative(alternative),
            mu=check_real("mu", mu),
            confidence_level=check_probability("confidence_level", confidence_level),
            title="Paired t-test from summary statistics",
            method="from summary statistics",
            notes=moments.notes,
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

        return compute_from_moments(
            kind, self.moments(), confidence_level=confidence_level, **options
        )

    # ---- forensics ----------------------------------------------------------------------

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

        See Also
        --------
        pairedstudy.forensics.check_summary : the checks themselves.
        """
        return check_summary(self)

    def reconstruct(
        self,
        scale: Sequence[int],
        limit: int = 100_000,
        *,
        sample: int = 1000,
        seed: SeedLike = None,
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
            The most datasets to enumerate. The datasets are counted before any is
            listed; when there are more, a sample of ``sample`` consistent datasets is
            returned instead, labelled as a sample (``complete`` is False; ``method`` says
            why, ``diagnostics["count"]`` how many exist): independent draws, each exactly
            uniform. When the count itself would cost too much (more than
            :data:`~pairedstudy.forensics.reconstruction.PAIRS_LIMIT` pairs of consistent
            pre and post multisets, or more than
            :data:`~pairedstudy.forensics.reconstruction.COUNT_BUDGET` partial tables), the
            sample is drawn by Markov chains.
        sample : int
            Size of that fallback sample. ``limit`` and ``sample`` are at most
            :data:`~pairedstudy.forensics.reconstruction.MAX_DATASETS`.
        seed : int, numpy.random.Generator or None
            Seed of the fallback sample (a Generator is used as it is and advanced). The
            seed used is recorded in ``rec.diagnostics["seed"]`` (one drawn from the
            operating system when ``None``; ``None`` for a Generator).
        progress : bool, optional
            Show a progress bar (default: only on a terminal, and only for long
            enumerations and samples).
        burn_in, thin : int
            For a Markov chain sample only (an exact sample needs neither): the sweeps
            (about ``n`` re-scored subjects each) each chain discards at its start, and
            which of the consistent datasets it then visits are kept (every
            ``thin``-th). Raise them when the sample's R-hat (``rec.diagnostics``) is
            above 1.1.

        Returns
        -------
        Reconstruction
            Datasets as multisets of (pre, post) pairs, each reproducing every figure at
            its rounding: both means and SDs (GRIM/GRIMMER), the printed ranges (min and
            max attained), the mean and SD of the difference (which fix the sum of
            pre x post products), and t, p or r when printed. A table that fails an exact
            check (GRIM, GRIMMER, the difference of the means) has no consistent dataset:
            the result is complete and empty.

        Raises
        ------
        InputValueError
            A bad option; a scale with more than
            :data:`~pairedstudy.forensics.reconstruction.MAX_SCALE_VALUES` scores; or
            ``n x scores`` above
            :data:`~pairedstudy.forensics.reconstruction.MAX_SUBJECT_SCORES` (the error
            estimates how many multisets an arm could have).

        Notes
        -----
        Pre and post multisets are enumerated separately by a depth-first search over the
        scale values that prunes every branch whose remaining scores cannot reach an
        allowed sum and sum of squares (exact integer bounds). Each compatible pair of
        multisets is then paired: contingency tables with those margins whose sum of
        products lies in the range the SD of the change (or r) allows, again by pruned
        dynamic programming over the cells (:class:`~pairedstudy.forensics.TableCounter`:
        the network algorithm of Mehta & Patel 1983, with exact rearrangement bounds),
        which counts them first and lists them only when at most ``limit`` exist, in the
        order of the depth-first :class:`~pairedstudy.forensics.PairingSearch`. When
        more exist, the sample draws a pair of multisets in proportion to its count and
        one of its tables back through the counted states: every consistent dataset is
        equally likely in every draw (no burn-in, no R-hat). The oxytocin table (248
        datasets) is counted in milliseconds, a 1-7 table of n = 40 with ranges
        (25 million datasets) in about 8 s.

        A sample of a table whose count would cost too much comes from Markov chains
        whose stationary distribution is
        uniform over the consistent datasets as multisets of pairs (Metropolis-Hastings
        with a multiset correction; see :mod:`pairedstudy.forensics.sampler`): up to 64
        chains start from random consistent datasets (random pre and post multisets, randomly
        paired), discard ``burn_in`` sweeps and then keep every ``thin``-th consistent
        dataset they visit. "Uniform in the limit" is a property of the chain,
        not of a finite run: ``rec.diagnostics["rhat"]`` holds the Gelman-Rubin R-hat of
        four statistics across chains, and a
        :class:`~pairedstudy.errors.ConvergenceWarning` is issued when one exceeds 1.1.
        On the oxytocin table (248 datasets), forced onto the chains, 4000 draws pass a
        chi-square test of uniformity. Tables whose arms admit thousands of
        multisets with the same sum and sum of squares mix slowly between them: an
        n = 50 table on a 1-7 scale needs the default ``burn_in=500, thin=20`` (1000
        datasets in about 35 s, largest R-hat 1.08); ``burn_in=100, thin=10`` halves the
        time and leaves R-hat at 1.27, with the warning. The range of a
        statistic over a sample is not a bound.
        """
        return reconstruct_summary(
            self,
            scale,
            limit,
            sample=sample,
            seed=seed,
            progress=progress,
            burn_in=burn_in,
            thin=thin,
            stacklevel=2,
        )
