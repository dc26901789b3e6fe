"""The Wilcoxon signed-rank test on the changes ``post - pre``, exact with ties and zeros."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import attrs
import numpy as np

from .._validation import check_bool, check_choice
from ..errors import DegenerateDataWarning, InputValueError
from ..registry import register_test
from ..results import ConfidenceInterval, TestResult
from ..study import PairedStudy
from ._exact import (
    note_unattained_level,
    order_statistic_ranks,
    pvalue_from_tails,
    sign_flip_cost,
    sign_flip_tails,
    signrank_cdf,
    signrank_cost,
    table_distribution,
)
from ._walsh import walsh_order_statistics

__all__ = [
    "EXACT_BUDGET",
    "EXACT_LIMIT",
    "TABLE_LIMIT",
    "SignedRanks",
    "signed_ranks",
    "wilcoxon_test",
]

ZERO_METHODS = ("wilcox", "pratt", "zsplit")
METHODS = ("auto", "exact", "asymptotic")

#: ``method="auto"`` computes the exact distribution when its dynamic programme needs at most
#: this many array-element updates (about 20 ms on one core of the test machine).
EXACT_BUDGET = 25_000_000
#: The untied signed-rank table (for the interval and untied p-values) is built up to this
#: cost (n of about 2400, about 1.5 s); beyond it the interval uses the normal quantile.
TABLE_LIMIT = 2_000_000_000
#: ``method="exact"`` refuses p-value computations costlier than this (about a minute).
EXACT_LIMIT = 60_000_000_000


def _doubled_midranks(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Twice the mid-ranks (1-based) of ``values``, as int64, and whether there are ties."""
    n = values.size
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    sizes = np.diff(np.append(starts, n))
    doubled = np.empty(n, dtype=np.int64)
    doubled[order] = np.repeat(2 * starts + sizes + 1, sizes)
    return doubled, bool(sizes.size < n)


@attrs.frozen(kw_only=True)
class SignedRanks:
    """The signed-rank decomposition of the changes under one zero method.

    Attributes
    ----------
    scores : numpy.ndarray of int
        Doubled mid-ranks of the non-zero ``|d|`` (ranked among the non-zero values for
        ``"wilcox"``, among all values for ``"pratt"`` and ``"zsplit"``).
    positive : numpy.ndarray of bool
        Which non-zero changes are positive.
    constant : int
        Doubled rank mass that is not random: for ``"zsplit"`` half of the zeros' ranks.
    n_zero : int
        How many changes equal ``mu``.
    ties : bool
        Whether the non-zero ``|d|`` have ties.
    """

    scores: np.ndarray = attrs.field(eq=False)
    positive: np.ndarray = attrs.field(eq=False)
    constant: int
    n_zero: int
    ties: bool

    @property
    def statistic(self) -> float:
        """``V``: the sum of the ranks of the positive changes (plus the zsplit share)."""
        return (int(self.scores[self.positive].sum()) + self.constant) / 2.0

    @property
    def mean(self) -> float:
        """Null expectation of ``V``."""
        return (int(self.scores.sum()) / 2.0 + self.constant) / 2.0

    @property
    def variance(self) -> float:
        """Null variance of ``V`` (the exact permutation variance, ties included)."""
        return float(np.sum(self.scores.astype(float) ** 2)) / 16.0


def signed_ranks(d: np.ndarray, zero_method: str) -> SignedRanks:
    """Rank ``|d|`` and split off the zeros as ``zero_method`` says.

    Parameters
    ----------
    d : numpy.ndarray
        The changes minus ``mu``.
    zero_method : {"wilcox", "pratt", "zsplit"}
        ``"wilcox"`` drops zeros before ranking (R's ``wilcox.test``, coin's
        ``zero.method = "Wilcoxon"``); ``"pratt"`` ranks them and then drops them (coin's
        default, Pratt 1959); ``"zsplit"`` ranks them and gives half of each zero's rank to
        each sign.
    """
    nonzero = d != 0
    n_zero = int(d.size - np.count_nonzero(nonzero))
    if zero_method == "wilcox":
        scores, ties = _doubled_midranks(np.abs(d[nonzero]))
        constant = 0
    else:
        all_scores, _ = _doubled_midranks(np.abs(d))
        scores = all_scores[nonzero]
        ties = bool(np.unique(scores).size < scores.size)
        constant = int(all_scores[~nonzero].sum()) // 2 if zero_method == "zsplit" else 0
    return SignedRanks(
        scores=scores, positive=d[nonzero] > 0, constant=constant, n_zero=n_zero, ties=ties
    )


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _asymptotic_tails(ranks: SignedRanks, correction: bool, alternative: str) -> tuple:
    """Normal-approximation tails and z, as R's ``wilcox.test(exact = FALSE)``."""
    sd = math.sqrt(ranks.variance)
    diff = ranks.statistic - ranks.mean
    if sd == 0.0:
        return 1.0, 1.0, 0.0
    if correction:
        shift = {"two-sided": math.copysign(0.5, diff) if diff else 0.0, "greater": 0.5}
        diff -= shift.get(alternative, -0.5)
    z = diff / sd
    return _normal_cdf(z), _normal_cdf(-z), z


def _gcd_reduce(scores: np.ndarray) -> tuple[np.ndarray, int]:
    g = int(np.gcd.reduce(scores)) if scores.size else 1
    return (scores // g if g > 1 else scores), max(g, 1)


def _interval_distribution(
    n: int, exact: bool, correction: bool
) -> tuple[Callable[[float], int], Callable[[int], float]]:
    """Quantile and cdf of the untied signed-rank statistic for ``n``: exact or normal."""
    if exact:
        return table_distribution(signrank_cdf(n))
    from scipy import special

    count = n * (n + 1) // 2
    centre = count / 2.0
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
    half = 0.5 if correction else 0.0

    def quantile(p: float) -> int:
        q = math.ceil(centre + sd * float(special.ndtri(p)) - half)
        return min(max(q, 0), count)

    def lower_cdf(k: int) -> float:
        return _normal_cdf((k + half - centre) / sd) if k >= 0 else 0.0

    return quantile, lower_cdf


def _hodges_lehmann(
    change: np.ndarray, exact: bool, correction: bool, alternative: str, level: float
) -> tuple[float, float, float, float]:
    """Pseudomedian and its Walsh-average interval, from one selection of order statistics.

    Returns ``(estimate, low, high, attained_level)``.
    """
    n = change.size
    count = n * (n + 1) // 2
    quantile, lower_cdf = _interval_distribution(n, exact, correction)
    k_low, k_high, attained = order_statistic_ranks(count, quantile, lower_cdf, alternative, level)
    middle = [count // 2] if count % 2 else [count // 2 - 1, count // 2]
    values = walsh_order_statistics(change, [*middle, k_low or 0, k_high or 0])
    estimate = float(values[0] if count % 2 else (values[0] + values[1]) / 2.0)
    low = -math.inf if k_low is None else float(values[-2])
    high = math.inf if k_high is None else float(values[-1])
    return estimate, low, high, attained


@register_test("wilcoxon")
def wilcoxon_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    zero_method: str = "wilcox",
    method: str = "auto",
    correction: bool = True,
) -> TestResult:
    """Wilcoxon signed-rank test of the location of post - pre, exact with ties and zeros.

    Parameters
    ----------
    study : PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the location (pseudomedian) of ``post - pre`` relative to ``mu``.
    mu : float
        Location of the change under the null hypothesis.
    confidence_level : float
        Level of the interval for the pseudomedian.
    zero_method : {"wilcox", "pratt", "zsplit"}, default "wilcox"
        How changes equal to ``mu`` are treated: ``"wilcox"`` drops them before ranking
        (R's ``wilcox.test``); ``"pratt"`` ranks them, then drops them (coin's default);
        ``"zsplit"`` ranks them and splits each one's rank between the signs.
    method : {"auto", "exact", "asymptotic"}, default "auto"
        ``"exact"``: the exact conditional null distribution of ``V`` given the observed
        ranks, ties and zeros (for untied data without zeros this is R's ``psignrank``).
        ``"asymptotic"``: the normal approximation with the exact permutation variance
        (R's ``wilcox.test(exact = FALSE)``). ``"auto"`` takes the exact distribution
        whenever it is cheap (:data:`EXACT_BUDGET`), which depends only on the data;
        ``result.method`` says which ran. The exact distribution takes about 0.1 s for
        n = 1000 and 1 s for n = 2000 with ties.
    correction : bool, default True
        Continuity correction of the normal approximation (as R's ``correct``).

    Returns
    -------
    TestResult
        ``statistic`` is ``V`` (R's ``V``: the sum of the ranks of the positive changes),
        ``estimate`` the Hodges-Lehmann pseudomedian of the change (the median of the Walsh
        averages) and ``ci`` its interval between two Walsh averages. ``details`` holds
        ``n_zero``, ``n_used``, ``ties``, the null mean and variance of ``V`` and, for the
        asymptotic method, ``z``.

    Warns
    -----
    DegenerateDataWarning
        Every change equals ``mu``: there is nothing to rank and the p-value is 1.
    SmallSampleWarning
        ``n`` is too small for the requested level; the widest finite interval is given
        with its attained level.

    Notes
    -----
    *Exact with ties.* Under the null hypothesis each non-zero change is equally likely to
    be positive or negative, whatever its rank, so ``V`` is distributed as
    ``sum(a_i B_i)`` over the non-zero changes, with ``a_i`` their (mid-)ranks and ``B_i``
    independent fair coins. Doubled mid-ranks are integers, so the distribution is found
    exactly by a dynamic programme over the coins, the idea of the shift algorithm of
    Streitberg & Röhmel (1986) that R's ``coin::wilcoxsign_test(distribution = exact())``
    uses; results agree with coin to rounding. R's ``wilcox.test`` instead falls back to
    the normal approximation whenever there are ties or zeros.

    *Zeros.* Under every zero method the null distribution is the sign-flip distribution of
    the non-zero changes; zeros (which stay zero when their sign is flipped) add nothing
    random. For ``"zsplit"`` this gives the variance ``sum(a_i**2) / 4`` over the non-zero
    changes, so the asymptotic p-value differs from scipy's, which counts the zeros' ranks
    in the variance as if they too could change sign.

    *Interval.* The interval and the pseudomedian describe the location of all ``n``
    changes, whatever ``mu`` is, so every change is used (R's ``wilcox.test`` drops the
    changes equal to ``mu`` first, but only ever reports an exact interval when there are
    none). The limits are the ``q``-th smallest and largest Walsh averages, with
    ``q`` the lower ``alpha/2`` quantile of the signed-rank distribution for ``n`` untied
    values (exact, or its normal approximation for the asymptotic method), as R's
    ``wilcox.test(conf.int = TRUE)`` computes in its exact branch. That interval is exact
    for continuous data; when the changes have ties its coverage is approximate, and a note
    says so. R's asymptotic interval instead inverts the test numerically to a tolerance of
    1e-4; the Walsh-average interval given here is that inversion's exact counterpart.

    References
    ----------
    .. [1] Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics
       Bulletin 1(6), 80-83.
    .. [2] Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank
       procedures. Journal of the American Statistical Association 54(287), 655-667.
    .. [3] Streitberg, B. & Röhmel, J. (1986). Exact distributions for permutation and rank
       tests. Statistical Software Newsletter 12(1), 10-17.
    .. [4] Hodges, J. L. & Lehmann, E. L. (1963). Estimates of location based on rank
       tests. Annals of Mathematical Statistics 34(2), 598-611.
    """
    check_choice("zero_method", zero_method, ZERO_METHODS)
    check_choice("method", method, METHODS)
    correction = check_bool("correction", correction)
    change = study.change
    n = change.size
    ranks = signed_ranks(change - mu, zero_method)
    n_used = int(ranks.scores.size)
    notes: list[str] = []
    details: dict[str, object] = {
        "n_zero": ranks.n_zero,
        "n_used": n_used,
        "ties": ranks.ties,
        "zero_method": zero_method,
        "null_mean": ranks.mean,
        "null_variance": ranks.variance,
    }

    scores, factor = _gcd_reduce(ranks.scores)
    total = int(scores.sum())
    observed = int(ranks.scores[ranks.positive].sum()) // factor
    # Untied ranks 1..m (no ties, no Pratt zeros): the classical table, cached per m.
    classical = (
        not ranks.ties
        and total == n_used * (n_used + 1) // 2
        and signrank_cost(n_used) <= TABLE_LIMIT
    )
    pvalue_cost = (
        signrank_cost(n_used)
        if classical
        else sign_flip_cost(scores, min(observed, total - observed))
    )
    interval_exact = signrank_cost(n) <= TABLE_LIMIT
    if method == "auto":
        cost = pvalue_cost + (signrank_cost(n) if n != n_used or not classical else 0)
        used = "exact" if cost <= EXACT_BUDGET else "asymptotic"
    else:
        used = method
    if method == "exact" and pvalue_cost > EXACT_LIMIT:
        raise InputValueError(
            f"method='exact' would need about {pvalue_cost:.2g} array updates for n = {n} "
            f"(the limit is {EXACT_LIMIT:.0g}, about a minute); use method='asymptotic' or "
            "method='auto'"
        )

    if n_used == 0:
        warnings.warn(
            f"every change equals mu = {mu:g}; the signed-rank test has nothing to rank "
            "and its p-value is 1",
            DegenerateDataWarning,
            stacklevel=3,
        )
        notes.append(f"every change equals mu = {mu:g}: p-value 1 by definition")
        lower = upper = 1.0
    elif used == "exact" and classical:
        cdf = signrank_cdf(n_used)  # P(S >= s) = P(S <= total - s) by symmetry
        lower, upper = float(cdf[observed]), float(cdf[total - observed])
    elif used == "exact":
        lower, upper = sign_flip_tails(scores, observed)
    else:
        lower, upper, z = _asymptotic_tails(ranks, correction, alternative)
        details["z"] = z
    details["correction"] = correction and used == "asymptotic"
    p = pvalue_from_tails(lower, upper, alternative)

    if ranks.n_zero:
        kind = {
            "wilcox": "dropped before ranking",
            "pratt": "ranked, then dropped (Pratt)",
            "zsplit": "ranked, their ranks split between the signs",
        }[zero_method]
        notes.append(f"{ranks.n_zero} change(s) equal to mu {kind}")
    if ranks.ties and used == "exact":
        notes.append("ties among |change|: exact conditional distribution of the mid-ranks")
    if np.unique(change).size < n:
        notes.append("the interval assumes untied changes; with ties it is approximate")

    interval_exact = interval_exact and used == "exact"
    if used == "exact" and not interval_exact:
        notes.append(
            f"interval critical values from the normal approximation (the exact table for "
            f"n = {n} would cost more than the p-value)"
        )
    estimate, low, high, attained = _hodges_lehmann(
        change, interval_exact, correction, alternative, confidence_level
    )
    note_unattained_level("signed-rank interval", n, confidence_level, attained, notes)
    title = "Wilcoxon signed-rank test"
    if used == "asymptotic" and correction:
        title += " (continuity-corrected)"
    return TestResult(
        test="wilcoxon",
        title=title,
        method=used,
        statistic=ranks.statistic,
        statistic_name="V",
        pvalue=p,
        alternative=alternative,
        mu=mu,
        n=n,
        df=None,
        estimate=estimate,
        estimate_name="pseudomedian change (Hodges-Lehmann)",
        ci=ConfidenceInterval(
            low=low,
            high=high,
            level=confidence_level,
            attained_level=attained if interval_exact else None,
        ),
        study_name=study.name,
        notes=notes,
        details=details,
    )
