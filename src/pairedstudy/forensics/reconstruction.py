"""Reconstruction: every integer dataset consistent with a table, or a uniform sample of them.

:func:`reconstruct_summary` lists each arm's consistent multisets and counts the tables
pairing every compatible pre and post multiset exactly
(:class:`~pairedstudy.forensics.exact.TableCounter`) before listing any. It lists them when
at most ``limit`` exist, in the order the pairing search
(:class:`~pairedstudy.forensics.PairingSearch`) finds them; when there are more it draws an
exact uniform sample from the counts. Only when counting would take more than
:data:`COUNT_BUDGET` states (or the arms have too many multisets to list or pair) does it
sample the consistent datasets with the Markov chains of
:mod:`pairedstudy.forensics.sampler` instead. The result says which (``complete``,
``method``, and the sample's seed and count in ``diagnostics``).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._progress import Progress
from .._random import SeedLike, check_seed
from .._validation import show
from ..errors import ConvergenceWarning, InputValueError
from ..results import FrozenMapping, Reconstruction, frozen_mapping
from .consistency import check_summary
from .enumeration import Table, TableConstraints
from .exact import COUNT_LIMIT, TableCounter, as_table
from .figures import check_range
from .sampler import ConsistentDatasetSampler

if TYPE_CHECKING:
    from ..summary import PairedSummary

__all__ = [
    "ARM_LIMIT",
    "BURN_IN_SWEEPS",
    "CHAINS",
    "COUNT_BUDGET",
    "MAX_ARM_CELLS",
    "MAX_DATASETS",
    "MAX_SCALE_VALUES",
    "MAX_SUBJECT_SCORES",
    "PAIRS_LIMIT",
    "START_ATTEMPTS",
    "SWAPS",
    "THIN_VISITS",
    "WALK_MARGIN_P",
    "WALK_MARGIN_Q",
    "Reconstruction",
    "reconstruct_summary",
    "rhat",
]

#: Above this many (pre multiset, post multiset) pairs the datasets are sampled, not listed.
PAIRS_LIMIT = 20_000
#: The most partial tables (states of the exact count, :mod:`pairedstudy.forensics.exact`)
#: the datasets may be counted over, all pairs of multisets together, before they are
#: sampled by Markov chains instead: about 0.15 microseconds each, so the count takes
#: seconds, not minutes (an n = 40 table on a 1-7 scale expands about 58 million).
COUNT_BUDGET = 100_000_000
#: independent Markov chains of the fallback sample, each from its own random start
CHAINS = 4
#: sweeps (about n re-drawn subjects each) discarded at the start of each chain
BURN_IN_SWEEPS = 500
#: each chain keeps every THIN-th consistent dataset it visits
THIN_VISITS = 20
#: how far the chains may wander beyond the allowed sums of squares (steps of 2) and
#: sums of products; only datasets inside are kept (see pairedstudy.forensics.sampler)
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
#: The largest ``n x possible scores`` reconstruction accepts: the arms' multisets (and the
#: work of listing or sampling them) grow combinatorially with both.
MAX_SUBJECT_SCORES = 20_000
#: The most counts (multisets x possible scores) an arm's listing may hold: it bounds the
#: memory and the time (about 10 000 multisets a second) of listing one arm, so an arm is
#: listed up to ``min(ARM_LIMIT, MAX_ARM_CELLS // scores)`` multisets (or ``limit``).
MAX_ARM_CELLS = 4_000_000
#: The largest ``limit`` and ``sample``: each dataset is held in memory.
MAX_DATASETS = 1_000_000


def reconstruct_summary(
    summary: PairedSummary,
    scale: Sequence[int],
    limit: int = 100_000,
    *,
    sample: int = 1000,
    seed: SeedLike = None,
    progress: bool | None = None,
    burn_in: int = BURN_IN_SWEEPS,
    thin: int = THIN_VISITS,
    stacklevel: int = 1,
) -> Reconstruction:
    """Every integer dataset consistent with all the figures of a table.

    The work of :meth:`pairedstudy.PairedSummary.reconstruct`, which documents the
    parameters, the result and the method.

    Parameters
    ----------
    summary : PairedSummary
        The table.
    scale, limit, sample, seed, progress, burn_in, thin
        As for :meth:`~pairedstudy.PairedSummary.reconstruct`.
    stacklevel : int
        Where a :class:`~pairedstudy.errors.ConvergenceWarning` points: 1 is the caller
        of this function, 2 its caller, and so on.

    Returns
    -------
    Reconstruction

    Examples
    --------
    >>> import pairedstudy as ps
    >>> from pairedstudy.forensics import reconstruct_summary
    >>> len(reconstruct_summary(ps.datasets.oxytocin_table3(), scale=(6, 10)))
    248
    """
    checked = check_range(scale, "scale")
    if checked is None:
        raise InputValueError("scale must be a (min, max) pair; got None")
    lo, hi = checked
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1:
        raise InputValueError(f"limit must be a positive whole number; got {show(limit)}")
    if limit > MAX_DATASETS:
        raise InputValueError(
            f"limit must be at most MAX_DATASETS = {MAX_DATASETS} (each dataset is held in "
            f"memory); got {show(limit)}"
        )
    sample = _count("sample", sample, 1)
    if sample > MAX_DATASETS:
        raise InputValueError(
            f"sample must be at most MAX_DATASETS = {MAX_DATASETS} (each dataset is held in "
            f"memory); got {show(sample)}"
        )
    burn_in, thin = _count("burn_in", burn_in, 0), _count("thin", thin, 1)
    rng, recorded_seed = check_seed(seed)
    table = TableConstraints.of(summary)
    k = table.items
    for arm, span in (("pre_range", table.pre_range), ("post_range", table.post_range)):
        if span is not None and (span[0] < lo or span[1] > hi):
            raise InputValueError(f"{arm} {span} lies outside the scale {(lo, hi)}")
    scores = (hi - lo) * k + 1
    if scores > MAX_SCALE_VALUES:
        raise InputValueError(
            f"the scale {lo}-{hi} with {k} item(s) has {scores} possible "
            f"scores; exact reconstruction handles at most {MAX_SCALE_VALUES}"
        )
    if table.n * scores > MAX_SUBJECT_SCORES:
        # the multisets of n scores among `scores` values: C(n + scores - 1, scores - 1)
        digits = (
            math.lgamma(table.n + scores) - math.lgamma(table.n + 1) - math.lgamma(scores)
        ) / math.log(10)
        raise InputValueError(
            f"reconstruction of n = {table.n} pairs on {scores} possible scores is refused: "
            f"n x scores = {table.n * scores} exceeds MAX_SUBJECT_SCORES = "
            f"{MAX_SUBJECT_SCORES}; an arm has up to about 10^{digits:.0f} multisets of "
            "scores, far too many to list, and Markov chains over them would not mix in "
            "reasonable time"
        )
    arm_limit = max(limit, min(ARM_LIMIT, MAX_ARM_CELLS // scores))
    pre_sets, pre_done = table.arm_multisets(
        table.pre_mean, table.pre_sd, table.pre_range, lo, hi, arm_limit
    )
    post_sets, post_done = table.arm_multisets(
        table.post_mean, table.post_sd, table.post_range, lo, hi, arm_limit
    )
    tables: list[Table] = []
    complete = pre_done and post_done
    too_many = len(pre_sets) * len(post_sets) > PAIRS_LIMIT
    if too_many:  # every pair needs its own pairing search: sample instead
        complete = False
    pre_values = list(
        range((table.pre_range or (lo, hi))[0] * k, (table.pre_range or (lo, hi))[1] * k + 1)
    )
    post_values = list(
        range((table.post_range or (lo, hi))[0] * k, (table.post_range or (lo, hi))[1] * k + 1)
    )
    # Count the consistent datasets before listing any (exactly, by dynamic programming
    # over the cells of the tables: pairedstudy.forensics.exact). They are listed when
    # at most ``limit`` exist, and otherwise sampled exactly and uniformly from the
    # counts; the Markov chains of pairedstudy.forensics.sampler remain for tables
    # whose count would exceed the work budget (or int64, or whose arms are too many to
    # list or pair).
    counter: TableCounter | None = None
    total: int | None = None
    over_budget = too_large = False
    rows_are_pre = True
    if complete and not too_many and pre_sets and post_sets:
        counter, rows_are_pre = _counter(table, pre_sets, post_sets, pre_values, post_values)
        if not counter.fits_int64():
            too_large = True
        else:
            bar = Progress(
                len(counter.row_sets),
                "counting datasets",
                progress if len(pre_sets) * len(post_sets) > 200 else False,
            )
            total = counter.count(bar.update)
            bar.close()
            over_budget = total is None
    if counter is not None and total is not None and total <= limit:
        tables = _listed(counter, rows_are_pre, pre_values, post_values, progress)
    elif pre_sets and post_sets:  # more than limit, or not counted: a sample
        complete = False
    method = "exhaustive enumeration"
    diagnostics: Mapping[str, Any] = frozen_mapping()
    impossible = _exact_failures(summary) if not complete else ""
    if impossible or (pre_done and not pre_sets) or (post_done and not post_sets):
        # no dataset exists: say so instead of sampling nothing
        complete, tables = True, []
        if impossible:
            method = f"exhaustive: no consistent dataset exists ({impossible})"
    elif not complete:
        if not (pre_done and post_done):
            why = f"more than {arm_limit} multisets for an arm"
        elif over_budget:
            why = (
                f"counting them would expand more than COUNT_BUDGET = {COUNT_BUDGET} "
                "partial tables"
            )
        elif too_large:
            why = f"their counts could exceed {COUNT_LIMIT} (int64)"
        elif too_many:
            why = f"{len(pre_sets)} x {len(post_sets)} consistent pre and post multisets"
        else:
            why = f"more than {limit} datasets"
        if counter is not None and total is not None:
            tables, diagnostics = _sample_exact(
                counter, total, rows_are_pre, pre_values, post_values, sample, rng, progress
            )
            diagnostics = frozen_mapping({**diagnostics, "seed": recorded_seed})
            method = (
                f"exact uniform sample of {len(tables)} ({why}): independent draws, each "
                f"uniform over the {total} consistent datasets; ranges over a sample are "
                "not bounds"
            )
        else:
            tables, diagnostics = _sample_uniform(
                table,
                pre_sets,
                post_sets,
                pre_values,
                post_values,
                sample,
                rng,
                progress,
                burn_in,
                thin,
                stacklevel + 2,
            )
            diagnostics = frozen_mapping({**diagnostics, "seed": recorded_seed})
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


def _counter(
    table: TableConstraints,
    pre_sets: list[tuple[int, ...]],
    post_sets: list[tuple[int, ...]],
    pre_values: list[int],
    post_values: list[int],
) -> tuple[TableCounter, bool]:
    """The exact counter of the tables pairing the two arms' multisets.

    The arm with fewer multisets gives the rows (one dynamic programme per row
    multiset); returns the counter and whether the rows are the pre arm.
    """
    n = table.n
    rows_are_pre = len(pre_sets) <= len(post_sets)

    def sums(sets: list[tuple[int, ...]], values: list[int]) -> list[tuple[int, int]]:
        return [
            (
                sum(c * v for c, v in zip(counts, values, strict=True)),
                sum(c * v * v for c, v in zip(counts, values, strict=True)),
            )
            for counts in sets
        ]

    pre_sums, post_sums = sums(pre_sets, pre_values), sums(post_sets, post_values)
    u0, w0 = pre_values[0], post_values[0]

    def pair(row: int, col: int) -> tuple[int, int, int, int, int]:
        a, b = (row, col) if rows_are_pre else (col, row)
        (s_a, q_a), (s_b, q_b) = pre_sums[a], post_sums[b]
        # sum u w = n u0 w0 + u0 sum(w - w0) + w0 sum(u - u0) + sum (u - u0)(w - w0)
        shift = n * u0 * w0 + u0 * (s_b - n * w0) + w0 * (s_a - n * u0)
        return s_a, q_a, s_b, q_b, shift

    def allowed(row: int, col: int) -> range | None:
        s_a, q_a, s_b, q_b, shift = pair(row, col)
        products = table.products(s_a, q_a, s_b, q_b)
        if products is None:
            return None
        return range(products.start - shift, products.stop - shift)

    exclude = None
    if table.whole_dataset_checks:
        verdicts: dict[tuple[int, int, int, int, int], bool] = {}

        def fails(row: int, col: int, product: int) -> bool:
            s_a, q_a, s_b, q_b, shift = pair(row, col)
            key = (s_a, q_a, s_b, q_b, product + shift)
            if key not in verdicts:
                verdicts[key] = not table.fits_sums(*key)
            return verdicts[key]

        exclude = fails
    rows, cols = (pre_sets, post_sets) if rows_are_pre else (post_sets, pre_sets)
    return TableCounter(n, rows, cols, allowed, COUNT_BUDGET, exclude), rows_are_pre


def _listed(
    counter: TableCounter,
    rows_are_pre: bool,
    pre_values: list[int],
    post_values: list[int],
    progress: bool | None,
) -> list[Table]:
    """Every counted table, in the order the pairing search always listed them.

    Pre multisets in the order of their listing, then post multisets, then each pair's
    tables in increasing order of their cells (pre major), as the depth-first search of
    :class:`~pairedstudy.forensics.PairingSearch` finds them.
    """
    by_pair: dict[tuple[int, int], list[np.ndarray]] = {}
    for row, col, found in counter.tables():
        key = (row, col) if rows_are_pre else (col, row)
        by_pair[key] = [m if rows_are_pre else m.T for m in found]
    listed = sum(len(found) for found in by_pair.values())
    bar = Progress(listed, "listing datasets", progress if listed > 10_000 else False)
    tables: list[Table] = []
    for key in sorted(by_pair):
        found = sorted(by_pair[key], key=lambda m: m.ravel().tolist())
        tables.extend(as_table(m, pre_values, post_values, True) for m in found)
        bar.update(len(found))
    bar.close()
    return tables


def _sample_exact(
    counter: TableCounter,
    total: int,
    rows_are_pre: bool,
    pre_values: list[int],
    post_values: list[int],
    size: int,
    rng: np.random.Generator,
    progress: bool | None,
) -> tuple[list[Table], FrozenMapping]:
    """``size`` independent draws, each uniform over the ``total`` counted datasets."""
    rows, cols = (pre_values, post_values) if rows_are_pre else (post_values, pre_values)
    bar = Progress(size, "sampling datasets", progress if total > 10_000 else False)
    drawn = counter.sample(size, rng, bar.update)
    bar.close()
    tables = [as_table(m, rows, cols, rows_are_pre) for m in drawn]
    return tables, frozen_mapping(
        {
            "sampler": "exact",
            "count": total,
            "pairs": len(counter.pair_counts()),
            "count_work": counter.count_work,
            "distinct": len(set(tables)),
            "rhat": frozen_mapping(),
            "rhat_max": None,
            "connected": True,
        }
    )


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


def _sample_uniform(
    table: TableConstraints,
    pre_sets: list[tuple[int, ...]],
    post_sets: list[tuple[int, ...]],
    pre_values: list[int],
    post_values: list[int],
    size: int,
    rng: np.random.Generator,
    progress: bool | None,
    burn_in_sweeps: int,
    thin_sweeps: int,
    stacklevel: int,
) -> tuple[list[Table], FrozenMapping]:
    """``size`` datasets from Markov chains uniform over the consistent datasets.

    ``stacklevel`` is that of the ConvergenceWarning, counted from this function.
    """
    sampler = ConsistentDatasetSampler(
        table.n,
        pre_values,
        post_values,
        table.targets(table.pre_mean, table.pre_sd),
        table.targets(table.post_mean, table.post_sd),
        table.products,
        table.fits_sums if table.whole_dataset_checks else None,
        (table.pre_range is not None, table.post_range is not None),
        extend_q=WALK_MARGIN_Q,
        extend_p=WALK_MARGIN_P,
        swaps=SWAPS,
    )
    chains = sampler.chains_for(size)
    starts = _starts(table, pre_sets, post_sets, pre_values, post_values, chains, rng)
    if not starts:
        return [], frozen_mapping(
            {"chains": 0, "note": "no consistent dataset was found to start from"}
        )
    starts = [starts[i % len(starts)] for i in range(chains)]
    sweep = math.ceil(table.n / (sum(sampler.sizes) / len(sampler.sizes)))
    burn_in, thin = burn_in_sweeps * sweep, thin_sweeps
    per_chain = math.ceil(size / chains)
    bar = Progress(per_chain * chains, "sampling datasets", progress)
    drawn, counts = sampler.run(starts, per_chain, burn_in, thin, rng, bar.update)
    bar.close()
    per_chain = min(len(chain) for chain in drawn)
    low, high = pre_values[0], post_values[-1]
    statistics: dict[str, Callable[[Table], int]] = {
        "sum_abs_change": lambda t: sum(c * abs(w - u) for u, w, c in t),
        "zero_changes": lambda t: sum(c for u, w, c in t if u == w),
        "pre_at_lowest": lambda t: sum(c for u, _, c in t if u == low),
        "post_at_highest": lambda t: sum(c for _, w, c in t if w == high),
    }
    rhats = {
        name: rhat([[f(t) for t in chain] for chain in drawn]) for name, f in statistics.items()
    }
    worst = max((v for v in rhats.values() if v is not None), default=None)
    # interleave the chains so that a shortened sample keeps every chain
    order = [chain[i] for i in range(per_chain) for chain in drawn]
    diagnostics: dict[str, Any] = {
        "chains": chains,
        "distinct_starts": len(set(starts)),
        "burn_in_steps": burn_in,
        "thin_visits": thin,
        "subjects_per_step": tuple(sampler.sizes),
        "steps": counts["steps"],
        "move_rate": counts["moved"] / counts["proposed"] if counts["proposed"] else 0.0,
        "consistent_rate": counts["kept"] / counts["looked"] if counts["looked"] else 0.0,
        "rhat": frozen_mapping(rhats),
        "rhat_max": worst,
        "distinct": len(set(order[:size])),
        "connected": sampler.connected,
    }
    if (worst is not None and worst > 1.1) or not sampler.connected:
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
            f"the Markov chains of the sample may not be uniform (largest R-hat {shown}): {why}",
            ConvergenceWarning,
            stacklevel=stacklevel,
        )
    return order[:size], frozen_mapping(diagnostics)


def _exact_failures(summary: PairedSummary) -> str:
    """The exact checks (GRIM, GRIMMER, difference of means) a table fails, as one line."""
    failed = [
        f"{item.check} of {item.figure}"
        for item in check_summary(summary).failures
        if item.check in ("GRIM", "GRIMMER", "difference of means")
    ]
    return ", ".join(failed) + " fails" if failed else ""


def _starts(
    table: TableConstraints,
    pre_sets: list[tuple[int, ...]],
    post_sets: list[tuple[int, ...]],
    pre_values: list[int],
    post_values: list[int],
    size: int,
    rng: np.random.Generator,
) -> list[Table]:
    """Distinct consistent datasets to start chains from: random multisets, paired."""
    found: set[Table] = set()
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
        products = table.products(s_a, q_a, s_b, q_b)
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
        dataset = tuple(sorted((u, w, c) for (u, w), c in cells.items()))
        if table.fits_table(dataset):
            repeats = repeats + 1 if dataset in found else 0
            found.add(dataset)
    return sorted(found)


def _count(name: str, value: Any, smallest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < smallest:
        raise InputValueError(
            f"{name} must be a whole number of at least {smallest}; got {show(value)}"
        )
    return int(value)


def rhat(chains: list[list[float]]) -> float | None:
    """Gelman-Rubin potential scale reduction of one statistic over several chains.

    Parameters
    ----------
    chains : list of list of float
        The statistic along each chain (chains shorter than 2 are left out; all are cut
        to the shortest).

    Returns
    -------
    float or None
        Near 1 when the chains agree; ``None`` with fewer than two chains or when every
        value is equal, ``inf`` when each chain is constant but they differ.

    Examples
    --------
    >>> from pairedstudy.forensics import rhat
    >>> round(rhat([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]), 4)
    1.0801
    """
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
