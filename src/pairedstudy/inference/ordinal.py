"""Tests of the square pre x post table of categorical (ordinal) scores.

Registered tests of kind ``"table"`` (they return a
:class:`~pairedstudy.results.TableTestResult`):

* ``"stuart-maxwell"`` and ``"bhapkar"``: marginal homogeneity, the distribution of the
  scores over the categories is the same before and after;
* ``"bowker"``: symmetry, a pair is as likely to move from category ``a`` to ``b`` as from
  ``b`` to ``a``.

:func:`crosstab` builds the table. Each test gives a chi-squared p-value
(``method="asymptotic"``), or an exact (``"exact"``) or Monte Carlo (``"monte-carlo"``)
p-value under exchangeability within pairs, as R ``coin::mh_test`` does.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._random import SeedLike, check_seed
from .._validation import as_float_vector, check_choice, show
from ..errors import DegenerateDataWarning, InputValueError
from ..registry import register_test
from ..results import CrossTable, TableTestResult
from ..results.tables import category_label
from .permutation import DEFAULT_RESAMPLES, DEFAULT_SEED, check_resamples, seed_text

if TYPE_CHECKING:
    from ..study import PairedStudy

__all__ = [
    "EXACT_LIMIT",
    "MAX_CATEGORIES",
    "MAX_DECLARED_CATEGORIES",
    "METHODS",
    "MONTE_CARLO_LIMIT",
    "bhapkar_test",
    "bowker_test",
    "crosstab",
    "stuart_maxwell_test",
]

#: Observed distinct values above which the data are refused as not categorical.
MAX_CATEGORIES = 20
#: The most categories ``categories=`` may declare.
MAX_DECLARED_CATEGORIES = 100
#: ``method="exact"`` refuses a table whose null distribution has more distinct values
#: (states of the enumeration) than this.
EXACT_LIMIT = 2_000_000
#: ``method="monte-carlo"`` refuses more than this many random swaps in all (resamples
#: times cells off the diagonal pairs; about 20 s on one core of the test machine).
MONTE_CARLO_LIMIT = 200_000_000
#: How the p-value is found.
METHODS = ("asymptotic", "exact", "monte-carlo")
#: Two statistics closer than this (relative to the observed one, at least 1) are tied.
TIE_RTOL = 1e-10
# Random tables drawn at a time in the Monte Carlo method (about 2**20 numbers per chunk).
_CHUNK_ELEMENTS = 2**20


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------


def _check_categories(categories: Any) -> np.ndarray:
    values = as_float_vector("categories", categories)
    if values.size == 0:
        raise InputValueError("categories must hold at least one category; got none")
    if not np.isfinite(values).all():
        bad = values[~np.isfinite(values)][0]
        raise InputValueError(f"categories must be finite numbers; got {float(bad)!r}")
    unique = np.unique(values)
    if unique.size != values.size:
        seen, repeated = set(), []
        for v in values.tolist():
            if v in seen:
                repeated.append(v)
            seen.add(v)
        raise InputValueError(
            f"categories must be distinct; {category_label(repeated[0])} is given more than once"
        )
    if unique.size > MAX_DECLARED_CATEGORIES:
        raise InputValueError(
            f"categories may declare at most {MAX_DECLARED_CATEGORIES} categories; got "
            f"{unique.size}"
        )
    return unique


def crosstab(pre: Any, post: Any, categories: Sequence[float] | None = None) -> CrossTable:
    """The square pre x post table of counts of categorical scores.

    Parameters
    ----------
    pre, post : array_like
        One score per subject, in the same order (finite numbers).
    categories : sequence of float, optional
        The categories of the scale (e.g. ``range(1, 6)`` for a 5-point scale), so that a
        category nobody used still has its row and column; every score must be one of
        them. By default the categories are the values observed in ``pre`` or ``post``,
        which must be whole numbers, at most :data:`MAX_CATEGORIES` (20) of them.

    Returns
    -------
    CrossTable
        Rows are the pre categories and columns the post categories, sorted.

    Raises
    ------
    InputValueError
        Missing or non-finite scores; ``pre`` and ``post`` of different lengths; without
        ``categories``: a score that is not a whole number, or more than 20 distinct values
        (the data do not look categorical); with ``categories``: a score that is not one of
        them, repeated or non-finite categories, or more than 100 of them.
    InputTypeError
        Text or booleans where numbers belong.

    Examples
    --------
    >>> from pairedstudy.inference.ordinal import crosstab
    >>> table = crosstab([1, 2, 2], [2, 2, 3], categories=[1, 2, 3, 4])
    >>> table.categories, table.counts.tolist()[1]
    ((1.0, 2.0, 3.0, 4.0), [0, 1, 1, 0])
    """
    pre_values = as_float_vector("pre", pre)
    post_values = as_float_vector("post", post)
    if pre_values.size != post_values.size:
        raise InputValueError(
            f"pre and post must have the same length; got {pre_values.size} and {post_values.size}"
        )
    for name, values in (("pre", pre_values), ("post", post_values)):
        if not np.isfinite(values).all():
            position = int(np.flatnonzero(~np.isfinite(values))[0])
            raise InputValueError(
                f"{name} has a missing or non-finite value at position {position}; a table "
                "of categories needs every score"
            )
    both = np.concatenate([pre_values, post_values])
    if categories is None:
        fractional = both[both != np.round(both)]
        if fractional.size:
            raise InputValueError(
                f"the scores must be whole numbers (categories) for a pre x post table; got "
                f"{float(fractional[0])!r}. Pass categories=[...] to declare the categories of a "
                "scale whose values are not whole numbers"
            )
        levels = np.unique(both)
        if levels.size > MAX_CATEGORIES:
            raise InputValueError(
                f"the scores take {levels.size} distinct values, more than the "
                f"{MAX_CATEGORIES} a table of categorical scores allows: these data do not "
                "look categorical (use a location test such as 'wilcoxon' or 't'), or pass "
                "categories=[...] to declare a scale with more categories"
            )
    else:
        levels = _check_categories(categories)
        known = np.isin(both, levels)
        if not known.all():
            bad = both[~known][0]
            raise InputValueError(
                f"the score {category_label(bad)} is not one of the categories given "
                f"({', '.join(category_label(c) for c in levels.tolist())})"
            )
    k = levels.size
    rows = np.searchsorted(levels, pre_values)
    columns = np.searchsorted(levels, post_values)
    counts = np.bincount(rows * k + columns, minlength=k * k).reshape(k, k)
    return CrossTable(categories=levels.tolist(), counts=counts)


# --------------------------------------------------------------------------------------
# The structure of the discordant pairs
# --------------------------------------------------------------------------------------


@attrs.frozen
class _Discordant:
    """The pairs that changed category, by unordered pair of categories ``i < j``.

    ``forward[p]`` pairs moved from ``first[p]`` to ``second[p]`` and
    ``total[p] - forward[p]`` the other way; ``inverse`` is the Moore-Penrose inverse of
    the conditional covariance of the margin differences, ``rank`` its rank and
    ``groups`` the connected groups of categories (between which no pair moved).
    """

    k: int
    first: np.ndarray
    second: np.ndarray
    forward: np.ndarray
    total: np.ndarray
    inverse: np.ndarray
    rank: int
    groups: list[list[int]]


def _groups(k: int, first: np.ndarray, second: np.ndarray) -> list[list[int]]:
    """The connected components of the categories joined by discordant pairs."""
    parent = list(range(k))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(first.tolist(), second.tolist(), strict=True):
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    found: dict[int, list[int]] = {}
    for i in range(k):
        found.setdefault(root(i), []).append(i)
    return list(found.values())


def _discordant(counts: np.ndarray) -> _Discordant:
    k = counts.shape[0]
    upper_i, upper_j = np.triu_indices(k, 1)
    total = counts[upper_i, upper_j] + counts[upper_j, upper_i]
    keep = total > 0
    first, second = upper_i[keep], upper_j[keep]
    forward, total = counts[first, second], total[keep]
    # the conditional covariance of d = row totals - column totals under exchangeability
    # within pairs: a weighted graph Laplacian, sum over discordant pairs of
    # (e_i - e_j)(e_i - e_j)'
    laplacian = np.zeros((k, k))
    np.add.at(laplacian, (first, first), total)
    np.add.at(laplacian, (second, second), total)
    np.add.at(laplacian, (first, second), -total)
    np.add.at(laplacian, (second, first), -total)
    groups = _groups(k, first, second)
    inverse = np.zeros((k, k))
    rank = 0
    for group in groups:
        if len(group) < 2:
            continue
        kept = group[:-1]  # d sums to 0 within a group: drop one category of each
        block = laplacian[np.ix_(kept, kept)]
        inverse[np.ix_(kept, kept)] = np.linalg.inv(block)
        rank += len(kept)
    return _Discordant(
        k=k,
        first=first,
        second=second,
        forward=forward.astype(np.int64),
        total=total.astype(np.int64),
        inverse=inverse,
        rank=rank,
        groups=groups,
    )


def _quadratic(differences: np.ndarray, inverse: np.ndarray) -> np.ndarray:
    """``d' P d`` for each row ``d`` of ``differences``."""
    return np.einsum("ij,ij->i", differences @ inverse, differences)


def _differences(moved: np.ndarray, pairs: _Discordant) -> np.ndarray:
    """Row totals minus column totals, ``d``, for rows of ``2 x - m`` (one per pair)."""
    signs = np.zeros((pairs.total.size, pairs.k))
    index = np.arange(pairs.total.size)
    signs[index, pairs.first] = 1.0
    signs[index, pairs.second] = -1.0
    return np.asarray(moved, dtype=float) @ signs


def _mh_statistic(pairs: _Discordant) -> float:
    """The Stuart-Maxwell statistic of the observed table (0 without discordant pairs)."""
    if pairs.rank == 0:
        return 0.0
    moved = (2 * pairs.forward - pairs.total)[None, :]
    return float(_quadratic(_differences(moved, pairs), pairs.inverse)[0])


def _bowker_terms(moved: np.ndarray, total: np.ndarray) -> np.ndarray:
    return np.asarray(moved, dtype=float) ** 2 / total


# --------------------------------------------------------------------------------------
# Exact and Monte Carlo null distributions (exchangeability within pairs)
# --------------------------------------------------------------------------------------


def _binomial_half(m: int) -> tuple[np.ndarray, np.ndarray]:
    """``2 x - m`` and its probability for ``x ~ Binomial(m, 1/2)``."""
    from scipy import stats

    x = np.arange(m + 1)
    return 2 * x - m, stats.binom.pmf(x, m, 0.5)


def _too_large(states: int) -> InputValueError:
    return InputValueError(
        f"method='exact' enumerates the null distribution of the table and allows at most "
        f"{EXACT_LIMIT} distinct states; this table needs more ({states} or more). Use "
        "method='monte-carlo' (raise n_resamples for a more precise p-value)"
    )


def _merge(keys: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, np.bincount(inverse.ravel(), weights=probs.ravel())


def _exact_mh(pairs: _Discordant, observed: float) -> tuple[float, int]:
    """Exact ``P(Q* >= Q)`` of the Stuart-Maxwell statistic; and the number of states."""
    # d restricted to the categories kept in the inverse, encoded as one integer key
    kept = [i for group in pairs.groups if len(group) > 1 for i in group[:-1]]
    reach = np.zeros(pairs.k, dtype=np.int64)
    np.add.at(reach, pairs.first, pairs.total)
    np.add.at(reach, pairs.second, pairs.total)
    stride = np.zeros(pairs.k, dtype=np.int64)
    size = 1
    for i in kept:
        stride[i] = size
        radix = 2 * int(reach[i]) + 1
        if size > (2**62) // radix:
            raise _too_large(EXACT_LIMIT + 1)
        size *= radix
    offset = int(np.dot(stride, reach))
    keys = np.array([offset], dtype=np.int64)
    probs = np.ones(1)
    for i, j, m in zip(
        pairs.first.tolist(), pairs.second.tolist(), pairs.total.tolist(), strict=True
    ):
        steps, weights = _binomial_half(m)
        if keys.size * steps.size > 4 * EXACT_LIMIT:
            raise _too_large(keys.size * steps.size)
        shift = steps.astype(np.int64) * (stride[i] - stride[j])
        keys, probs = _merge(keys[:, None] + shift[None, :], probs[:, None] * weights[None, :])
        if keys.size > EXACT_LIMIT:
            raise _too_large(keys.size)
    # decode the keys (key = sum (d_i + reach_i) stride_i) a chunk at a time: d of two
    # million states and twenty categories would take 320 MB at once
    order = sorted(kept, key=lambda c: -stride[c])
    rows = max(1, _CHUNK_ELEMENTS // pairs.k)
    tolerance = TIE_RTOL * max(1.0, observed)
    extreme = np.zeros(keys.size, dtype=bool)
    for start in range(0, keys.size, rows):
        rest = keys[start : start + rows].copy()
        d = np.zeros((rest.size, pairs.k))
        for i in order:
            digit = rest // stride[i]
            rest = rest - digit * stride[i]
            d[:, i] = digit - reach[i]
        q = _quadratic(d, pairs.inverse)
        extreme[start : start + rows] = q >= observed - tolerance
    tail = float(probs[extreme].sum())
    # divided by the total (1 up to rounding), so that a table at the centre gets p = 1
    return min(1.0, tail / float(probs.sum())), int(keys.size)


def _exact_bowker(pairs: _Discordant, observed: float) -> tuple[float, int]:
    """Exact ``P(B* >= B)`` of Bowker's statistic; and the number of states."""
    values: np.ndarray = np.zeros(1)
    probs: np.ndarray = np.ones(1)
    for m in pairs.total.tolist():
        steps, weights = _binomial_half(m)
        terms = _bowker_terms(steps, np.full(steps.size, m))
        if values.size * steps.size > 4 * EXACT_LIMIT:
            raise _too_large(values.size * steps.size)
        sums = values[:, None] + terms[None, :]
        # merge equal sums (rounded to 1e-9; the tail below compares with a tolerance)
        keys = np.round(sums * 1e9).astype(np.int64)
        unique, inverse = np.unique(keys, return_inverse=True)
        merged = np.bincount(inverse.ravel(), weights=(probs[:, None] * weights[None, :]).ravel())
        first = np.zeros(unique.size)
        first[inverse.ravel()] = sums.ravel()
        values, probs = first, merged
        if values.size > EXACT_LIMIT:
            raise _too_large(values.size)
    tail = float(probs[values >= observed - TIE_RTOL * max(1.0, observed)].sum())
    return min(1.0, tail / float(probs.sum())), int(values.size)


def _monte_carlo(
    pairs: _Discordant,
    observed: float,
    statistic: str,
    n_resamples: int,
    rng: np.random.Generator,
) -> float:
    """``(b + 1) / (B + 1)``: ``b`` random tables at least as extreme as the observed."""
    width = max(1, pairs.total.size, pairs.k)
    rows = max(1, _CHUNK_ELEMENTS // width)
    tolerance = TIE_RTOL * max(1.0, observed)
    count = 0
    for start in range(0, n_resamples, rows):
        stop = min(start + rows, n_resamples)
        forward = rng.binomial(pairs.total, 0.5, size=(stop - start, pairs.total.size))
        moved = 2 * forward - pairs.total
        if statistic == "bowker":
            values = _bowker_terms(moved, pairs.total).sum(axis=1)
        else:
            values = _quadratic(_differences(moved, pairs), pairs.inverse)
        count += int(np.count_nonzero(values >= observed - tolerance))
    return (count + 1) / (n_resamples + 1)


# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------

_TITLES = {
    "stuart-maxwell": "Stuart-Maxwell test of marginal homogeneity",
    "bhapkar": "Bhapkar test of marginal homogeneity",
    "bowker": "Bowker test of symmetry",
}
_HYPOTHESES = {
    "stuart-maxwell": "the distributions of pre and post over the categories differ "
    "(marginal inhomogeneity)",
    "bhapkar": "the distributions of pre and post over the categories differ "
    "(marginal inhomogeneity)",
    "bowker": "moves from one category to another are not balanced by moves back (asymmetry)",
}


def _check_location_arguments(test: str, alternative: str, mu: float) -> None:
    if alternative != "two-sided":
        raise InputValueError(
            f"the {test!r} test of the pre x post table has no one-sided version: "
            f"alternative must be 'two-sided'; got {show(alternative)}"
        )
    if mu != 0:
        raise InputValueError(
            f"the {test!r} test of the pre x post table has no shift mu: mu must be 0; got "
            f"{show(mu)}"
        )


def _rank_notes(table: CrossTable, pairs: _Discordant) -> list[str]:
    """What a covariance of reduced rank means for this table, in words."""
    k = table.k
    if pairs.rank == k - 1 or pairs.rank == 0:
        return []
    labels = [category_label(c) for c in table.categories]
    isolated = [labels[g[0]] for g in pairs.groups if len(g) == 1]
    joined = [g for g in pairs.groups if len(g) > 1]
    parts = []
    if isolated:
        parts.append(
            f"no pair changed to or from the categor{'y' if len(isolated) == 1 else 'ies'} "
            f"{', '.join(isolated)}"
        )
    if len(joined) > 1:
        shown = " and ".join("{" + ", ".join(labels[i] for i in g) + "}" for g in joined)
        parts.append(f"no pair moved between the groups {shown}")
    return [
        f"{'; '.join(parts)}: the covariance of the margin differences has rank "
        f"{pairs.rank}, not k - 1 = {k - 1}; the statistic uses its Moore-Penrose inverse "
        f"(the test within each group of categories, summed) with df = {pairs.rank}, as R "
        "coin::mh_test does"
    ]


def _run(
    test: str,
    study: PairedStudy,
    alternative: str,
    mu: float,
    categories: Sequence[float] | None,
    method: str,
    n_resamples: int,
    seed: SeedLike,
) -> TableTestResult:
    from scipy import stats

    _check_location_arguments(test, alternative, mu)
    check_choice("method", method, METHODS)
    n_resamples = check_resamples(n_resamples)
    rng, seed_used = check_seed(seed)
    table = crosstab(study.pre, study.post, categories)
    pairs = _discordant(table.counts)
    n = table.n
    notes: list[str] = []
    details: dict[str, Any] = {}
    if test == "bowker":
        df = int(pairs.total.size)
        moved = 2 * pairs.forward - pairs.total
        statistic = float(_bowker_terms(moved, pairs.total).sum())
        k_pairs = table.k * (table.k - 1) // 2
        if 0 < df < k_pairs:
            notes.append(
                f"{k_pairs - df} of the {k_pairs} pairs of categories have no pair moving "
                f"between them: they add nothing to the statistic and no degree of freedom "
                f"(df = {df}, not {k_pairs}; statsmodels keeps k(k - 1)/2 = {k_pairs}, R "
                "mcnemar.test gives NaN)"
            )
    else:
        df = pairs.rank
        statistic = _mh_statistic(pairs)
        notes.extend(_rank_notes(table, pairs))
    details["rank"] = df
    details["discordant_pairs"] = int(pairs.total.sum())
    undefined = False
    if test == "bhapkar" and df > 0:
        # Bhapkar's W = Q / (1 - Q / n) (Q the Stuart-Maxwell statistic); its covariance
        # estimate is singular when Q reaches n
        share = statistic / n
        if share >= 1.0 - 1e-12:
            undefined = True
            details["stuart_maxwell"] = statistic
            statistic = math.inf
            notes.append(
                "Bhapkar's covariance estimate is singular (the Stuart-Maxwell statistic "
                f"equals n = {n}): the statistic is infinite"
            )
        else:
            details["stuart_maxwell"] = statistic
            statistic = statistic / (1.0 - share)
    if df == 0:
        warnings.warn(
            f"no pair changed category: the {test!r} statistic is 0 with 0 degrees of "
            "freedom and the p-value is 1",
            DegenerateDataWarning,
            stacklevel=5,  # the caller of study.test (through the registry)
        )
        notes.append("no pair changed category: statistic 0, df 0, p-value 1 by definition")
        return _result(test, method, 0.0, 0, 1.0, table, study, notes, details)
    # the exact and Monte Carlo methods order tables by the Stuart-Maxwell statistic for
    # Bhapkar's test too (W is increasing in it for a fixed n)
    ordering = details.get("stuart_maxwell", statistic)
    if method == "asymptotic":
        if undefined:
            warnings.warn(
                "Bhapkar's covariance estimate is singular (the Stuart-Maxwell statistic "
                f"equals n = {n}): the asymptotic test is undefined; use method='exact' or "
                "the 'stuart-maxwell' test",
                DegenerateDataWarning,
                stacklevel=5,  # the caller of study.test (through the registry)
            )
            notes.append("asymptotic p-value undefined: use method='exact'")
            return _result(test, method, math.nan, df, math.nan, table, study, notes, details)
        p = float(stats.chi2.sf(statistic, df))
    elif method == "exact":
        if test == "bowker":
            p, states = _exact_bowker(pairs, ordering)
        else:
            p, states = _exact_mh(pairs, ordering)
        details["states"] = states
        notes.append(
            "exact p-value under exchangeability within pairs (each pair's pre and post "
            f"swapped with probability 1/2), from {states} distinct null values"
        )
    else:
        work = n_resamples * max(1, pairs.total.size, pairs.k)
        if work > MONTE_CARLO_LIMIT:
            raise InputValueError(
                f"n_resamples = {n_resamples} would draw about {work:.2g} random swaps for "
                f"this table ({max(1, pairs.total.size)} pairs of cells with moves), over "
                f"the limit of {MONTE_CARLO_LIMIT:.0e} (about 20 s); use fewer resamples "
                "(the Monte Carlo SE shrinks as 1 / sqrt(n_resamples))"
            )
        p = _monte_carlo(pairs, ordering, test, n_resamples, rng)
        mc_se = math.sqrt(p * (1.0 - p) / n_resamples)
        details.update({"n_resamples": n_resamples, "seed": seed_used, "mc_se": mc_se})
        notes.append(
            f"Monte Carlo p-value (b + 1) / (B + 1) from B = {n_resamples} random swaps "
            f"within pairs ({seed_text(seed_used)}); Monte Carlo SE {mc_se:.2g}"
        )
    return _result(test, method, statistic, df, p, table, study, notes, details)


def _result(
    test: str,
    method: str,
    statistic: float,
    df: int,
    p: float,
    table: CrossTable,
    study: PairedStudy,
    notes: list[str],
    details: dict[str, Any],
) -> TableTestResult:
    return TableTestResult(
        test=test,
        title=_TITLES[test],
        method=method,
        statistic=statistic,
        statistic_name="chi-squared",
        df=float(df),
        pvalue=p,
        alternative="two-sided",
        n=table.n,
        table=table,
        hypothesis=_HYPOTHESES[test],
        study_name=study.name,
        notes=notes,
        details=details,
    )


@register_test("stuart-maxwell", kind="table", statistic_name="chi-squared", estimate_name="none")
def stuart_maxwell_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    categories: Sequence[float] | None = None,
    method: str = "asymptotic",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: SeedLike = DEFAULT_SEED,
) -> TableTestResult:
    """Stuart-Maxwell test of marginal homogeneity of the pre x post table.

    Does the distribution of the scores over the categories differ between pre and post?
    With two categories it is McNemar's test (without continuity correction).

    Parameters
    ----------
    study : PairedStudy
        The data: ``study.pre`` and ``study.post`` are categorical scores.
    alternative : {"two-sided"}
        Only ``"two-sided"``: the test is of any departure from the null, in any
        direction; another value is refused.
    mu : float
        Only 0 (there is no shift in a test of the table); another value is refused.
    confidence_level : float
        Accepted for the common signature and unused: the test gives no interval.
    categories : sequence of float, optional
        The categories of the scale (see :func:`crosstab`); by default the values observed.
    method : {"asymptotic", "exact", "monte-carlo"}, default "asymptotic"
        ``"asymptotic"``: the chi-squared distribution with ``df`` degrees of freedom.
        ``"exact"``: the exact distribution of the statistic under exchangeability within
        pairs (each pair's pre and post swapped with probability 1/2, independently), as R
        ``coin::mh_test(distribution = "exact")``; refused when the enumeration would have
        more than :data:`EXACT_LIMIT` distinct states. ``"monte-carlo"``: ``n_resamples``
        random swaps, as ``coin::mh_test(distribution = approximate(nresample = B))``,
        with the p-value ``(b + 1) / (B + 1)``.
    n_resamples : int, default 9999
        Random tables of the Monte Carlo method (ignored otherwise).
    seed : int, numpy.random.Generator or None, default 0
        Seed of the Monte Carlo method, as for the ``"permutation"`` test; the integer seed
        used is in ``details["seed"]``.

    Returns
    -------
    TableTestResult
        ``statistic`` (chi-squared), ``df``, ``pvalue``, the ``table`` tested, ``method``
        and ``notes``; ``details`` holds ``rank`` (the degrees of freedom),
        ``discordant_pairs``, and for the resampling methods ``states`` (exact) or
        ``n_resamples``, ``seed`` and ``mc_se`` (Monte Carlo).

    Raises
    ------
    InputValueError
        ``alternative`` other than ``"two-sided"``, ``mu`` other than 0, an unknown
        ``method``, data that are not categorical (see :func:`crosstab`), or an exact
        enumeration too large.
    InputTypeError
        ``n_resamples`` or ``seed`` of the wrong type.

    Warns
    -----
    DegenerateDataWarning
        No pair changed category (statistic 0, df 0, p-value 1).

    Notes
    -----
    With ``n_ij`` the pairs in pre category ``i`` and post category ``j``, let
    ``d_i = n_i. - n_.i`` (row minus column total) and ``V`` the matrix with
    ``V_ii = n_i. + n_.i - 2 n_ii`` and ``V_ij = -(n_ij + n_ji)``. The statistic is
    ``Q = d' V^- d``, chi-squared with ``df = rank(V)`` under marginal homogeneity
    (Stuart 1955; Maxwell 1970; Agresti 2013, section 11.3.1). ``V`` is the exact
    covariance of ``d`` given the discordant pairs under exchangeability within pairs,
    which makes ``Q`` the statistic of R ``coin::mh_test``.

    *Categories without discordant pairs.* ``V`` is the Laplacian of the graph that joins
    two categories when some pair moved between them, so its rank is ``k`` minus the
    number of connected groups of categories. When every category is reached by a
    discordant pair and the groups are connected, ``rank = k - 1`` and ``Q`` is the usual
    statistic with one category dropped. Otherwise (a category nobody moved to or from:
    declared in ``categories`` and unused, or used only by pairs that stayed; or groups of
    categories between which nobody moved) the library uses the Moore-Penrose inverse and
    ``df = rank(V)``, as ``coin::mh_test`` does: the statistic is the sum of the tests
    within the groups, and the notes say which categories were concerned. The reduced
    matrix of the textbook formula (one category dropped) is then singular, whichever
    category is dropped. statsmodels' ``SquareTable.homogeneity`` solves it anyway: it
    returns NaN with a ``SingularMatrixWarning``, or, when the solve goes through in
    floating point (an empty last category), the statistic with ``df = k - 1``, one degree
    of freedom too many. Its default ``shift_zeros=True`` also replaces every zero cell by
    0.5, which changes the statistic of any table with a zero cell; with
    ``shift_zeros=False`` it agrees with this test when ``rank(V) = k - 1``. R
    ``coin::mh_test`` agrees everywhere (checked in the test suite on tables of every
    kind). R ``DescTools::StuartMaxwellTest`` documents the same rule for a category with
    no discordant pair (leave it out). R ``irr::stuart.maxwell.mh`` instead drops every
    category whose row and column totals happen to be equal, discordant pairs or not:
    that is another statistic (for the table ``[[5, 3, 2], [2, 3, 3], [1, 2, 6]]`` it
    gives 0.333 with 1 df where the Stuart-Maxwell statistic is 0.727 with 2 df), chosen
    after seeing the data.

    References
    ----------
    .. [1] Stuart, A. (1955). A test for homogeneity of the marginal distributions in a
       two-way classification. Biometrika 42(3/4), 412-416.
    .. [2] Maxwell, A. E. (1970). Comparing the classification of subjects by two
       independent judges. British Journal of Psychiatry 116, 651-655.
    .. [3] Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley, section 11.3.
    .. [4] Hothorn, T., Hornik, K., van de Wiel, M. A. & Zeileis, A. (2006). A Lego system
       for conditional inference. The American Statistician 60(3), 257-263.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.datasets.oxytocin_massage()  # scores 6 to 10
    >>> result = study.test("stuart-maxwell")
    >>> round(result.statistic, 4), result.df, round(result.pvalue, 4)
    (16.4171, 4.0, 0.0025)
    >>> exact = study.test("stuart-maxwell", method="exact")
    >>> round(exact.pvalue, 6), exact.details["states"]
    (0.000137, 764)
    """
    return _run("stuart-maxwell", study, alternative, mu, categories, method, n_resamples, seed)


@register_test("bhapkar", kind="table", statistic_name="chi-squared", estimate_name="none")
def bhapkar_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    categories: Sequence[float] | None = None,
    method: str = "asymptotic",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: SeedLike = DEFAULT_SEED,
) -> TableTestResult:
    """Bhapkar test of marginal homogeneity of the pre x post table.

    The Wald test of the same hypothesis as the Stuart-Maxwell test, with the unrestricted
    multinomial covariance of the margin differences. Its statistic is
    ``W = Q / (1 - Q / n)`` with ``Q`` the Stuart-Maxwell statistic: always larger, and
    its chi-squared p-value is liberal in small samples (1500 simulated null studies on a
    1-5 scale rejected at alpha 0.05 in 7 % of cases with 30 pairs and 6 % with 100,
    Stuart-Maxwell in 2 % and 4 %). Its exact and Monte Carlo p-values equal
    Stuart-Maxwell's (``W`` rises with ``Q`` for fixed ``n``). Prefer the Stuart-Maxwell
    test; Bhapkar's is given for comparison with software that reports it.

    Parameters
    ----------
    study : PairedStudy
        The data: ``study.pre`` and ``study.post`` are categorical scores.
    alternative : {"two-sided"}
        Only ``"two-sided"``: the test is of any departure from the null, in any
        direction; another value is refused.
    mu : float
        Only 0 (there is no shift in a test of the table); another value is refused.
    confidence_level : float
        Accepted for the common signature and unused: the test gives no interval.
    categories : sequence of float, optional
        The categories of the scale (see :func:`crosstab`); by default the values observed.
    method : {"asymptotic", "exact", "monte-carlo"}, default "asymptotic"
        ``"asymptotic"``: the chi-squared distribution with ``df`` degrees of freedom.
        ``"exact"``: the exact distribution of the statistic under exchangeability within
        pairs (each pair's pre and post swapped with probability 1/2, independently), as R
        ``coin::mh_test(distribution = "exact")``; refused when the enumeration would have
        more than :data:`EXACT_LIMIT` distinct states. ``"monte-carlo"``: ``n_resamples``
        random swaps, as ``coin::mh_test(distribution = approximate(nresample = B))``,
        with the p-value ``(b + 1) / (B + 1)``.
    n_resamples : int, default 9999
        Random tables of the Monte Carlo method (ignored otherwise).
    seed : int, numpy.random.Generator or None, default 0
        Seed of the Monte Carlo method, as for the ``"permutation"`` test; the integer seed
        used is in ``details["seed"]``.

    Returns
    -------
    TableTestResult
        ``statistic`` (chi-squared), ``df``, ``pvalue``, the ``table`` tested, ``method``
        and ``notes``; ``details`` holds ``rank`` (the degrees of freedom),
        ``discordant_pairs``, and for the resampling methods ``states`` (exact) or
        ``n_resamples``, ``seed`` and ``mc_se`` (Monte Carlo).

    Raises
    ------
    InputValueError
        ``alternative`` other than ``"two-sided"``, ``mu`` other than 0, an unknown
        ``method``, data that are not categorical (see :func:`crosstab`), or an exact
        enumeration too large.
    InputTypeError
        ``n_resamples`` or ``seed`` of the wrong type.

    Warns
    -----
    DegenerateDataWarning
        No pair changed category (statistic 0, df 0, p-value 1).

    Notes
    -----
    With the Stuart-Maxwell statistic ``Q`` (see :func:`stuart_maxwell_test`) and ``n``
    pairs, Bhapkar's statistic is ``W = n d' (V/n - d d'/n^2)^- d / n = Q / (1 - Q/n)``
    (Bhapkar 1966; Agresti 2013, section 11.3.1; Sherman-Morrison), chi-squared with the
    same degrees of freedom. Categories without discordant pairs are handled as for
    Stuart-Maxwell (Moore-Penrose inverse, ``df = rank``). When ``Q = n`` (every pair is
    discordant and all moved one way, e.g. 5 pairs all from 1 to 2) the estimated
    covariance is singular in the direction of ``d`` and ``W`` is infinite: the asymptotic
    test reports a NaN statistic and p-value (with a warning), as statsmodels does; the
    exact and Monte Carlo methods report ``W = inf`` and their p-value.

    The exact and Monte Carlo p-values order the tables by ``Q``, since ``W`` increases
    with ``Q`` for a fixed ``n``: they equal those of the Stuart-Maxwell test.

    References
    ----------
    .. [1] Bhapkar, V. P. (1966). A note on the equivalence of two test criteria for
       hypotheses in categorical data. Journal of the American Statistical Association
       61(313), 228-235.
    .. [2] Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley, section 11.3.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.datasets.oxytocin_massage()
    >>> result = study.test("bhapkar")
    >>> round(result.statistic, 4), result.df, round(result.details["stuart_maxwell"], 4)
    (75.2282, 4.0, 16.4171)
    """
    return _run("bhapkar", study, alternative, mu, categories, method, n_resamples, seed)


@register_test("bowker", kind="table", statistic_name="chi-squared", estimate_name="none")
def bowker_test(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
    categories: Sequence[float] | None = None,
    method: str = "asymptotic",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: SeedLike = DEFAULT_SEED,
) -> TableTestResult:
    """Bowker test of symmetry of the pre x post table.

    Is a move from category ``i`` to ``j`` as likely as a move from ``j`` to ``i``, for
    every pair of categories? Symmetry implies marginal homogeneity, not the converse.
    With two categories it is McNemar's test (without continuity correction).

    Parameters
    ----------
    study : PairedStudy
        The data: ``study.pre`` and ``study.post`` are categorical scores.
    alternative : {"two-sided"}
        Only ``"two-sided"``: the test is of any departure from the null, in any
        direction; another value is refused.
    mu : float
        Only 0 (there is no shift in a test of the table); another value is refused.
    confidence_level : float
        Accepted for the common signature and unused: the test gives no interval.
    categories : sequence of float, optional
        The categories of the scale (see :func:`crosstab`); by default the values observed.
    method : {"asymptotic", "exact", "monte-carlo"}, default "asymptotic"
        ``"asymptotic"``: the chi-squared distribution with ``df`` degrees of freedom.
        ``"exact"``: the exact distribution of the statistic under exchangeability within
        pairs (each pair's pre and post swapped with probability 1/2, independently), as R
        ``coin::mh_test(distribution = "exact")``; refused when the enumeration would have
        more than :data:`EXACT_LIMIT` distinct states. ``"monte-carlo"``: ``n_resamples``
        random swaps, as ``coin::mh_test(distribution = approximate(nresample = B))``,
        with the p-value ``(b + 1) / (B + 1)``.
    n_resamples : int, default 9999
        Random tables of the Monte Carlo method (ignored otherwise).
    seed : int, numpy.random.Generator or None, default 0
        Seed of the Monte Carlo method, as for the ``"permutation"`` test; the integer seed
        used is in ``details["seed"]``.

    Returns
    -------
    TableTestResult
        ``statistic`` (chi-squared), ``df``, ``pvalue``, the ``table`` tested, ``method``
        and ``notes``; ``details`` holds ``rank`` (the degrees of freedom),
        ``discordant_pairs``, and for the resampling methods ``states`` (exact) or
        ``n_resamples``, ``seed`` and ``mc_se`` (Monte Carlo).

    Raises
    ------
    InputValueError
        ``alternative`` other than ``"two-sided"``, ``mu`` other than 0, an unknown
        ``method``, data that are not categorical (see :func:`crosstab`), or an exact
        enumeration too large.
    InputTypeError
        ``n_resamples`` or ``seed`` of the wrong type.

    Warns
    -----
    DegenerateDataWarning
        No pair changed category (statistic 0, df 0, p-value 1).

    Notes
    -----
    ``B = sum_{i<j} (n_ij - n_ji)^2 / (n_ij + n_ji)`` over the pairs of categories with
    ``n_ij + n_ji > 0``, chi-squared with ``df`` = the number of those pairs of categories
    (Bowker 1948; Agresti 2013, section 11.4). Given ``m = n_ij + n_ji``, each term is the
    squared standardized binomial count of a McNemar test, so a pair of categories with
    ``m = 0`` is a constant 0 and adds no degree of freedom. statsmodels'
    ``SquareTable.symmetry`` keeps ``df = k(k - 1)/2`` whatever the counts (a conservative
    test when some ``m`` is 0), and R ``mcnemar.test`` returns NaN (``0/0``); they agree
    with this test when every pair of categories has a discordant pair (and statsmodels
    only with ``shift_zeros=False``).

    References
    ----------
    .. [1] Bowker, A. H. (1948). A test for symmetry in contingency tables. Journal of the
       American Statistical Association 43(244), 572-574.
    .. [2] Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley, section 11.4.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.datasets.oxytocin_massage()
    >>> result = study.test("bowker")
    >>> result.statistic, result.df, round(result.pvalue, 4)
    (17.0, 6.0, 0.0093)
    >>> result.notes[0][:60]
    '4 of the 10 pairs of categories have no pair moving between '
    """
    return _run("bowker", study, alternative, mu, categories, method, n_resamples, seed)
