"""What the forensics of a published table return: checks, reconstructions, correlation bounds.

:class:`ConsistencyReport` (of :class:`CheckItem` rows) is what
:meth:`PairedSummary.check <pairedstudy.PairedSummary.check>` returns,
:class:`Reconstruction` what :meth:`~pairedstudy.PairedSummary.reconstruct` returns and
:class:`CorrelationBounds` what :attr:`~pairedstudy.PairedSummary.correlation` returns.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._validation import show
from ..errors import InputTypeError, InputValueError
from ._base import Serializable, frozen_mapping

if TYPE_CHECKING:
    from ..forensics.enumeration import Table
    from ..study import PairedStudy

__all__ = ["CheckItem", "ConsistencyReport", "CorrelationBounds", "Reconstruction"]

_MARKS = {"consistent": "ok  ", "inconsistent": "FAIL", "not checked": "--  "}


@attrs.frozen(kw_only=True)
class CheckItem(Serializable):
    """One consistency check of one reported figure.

    Attributes
    ----------
    figure : str
        The figure checked (``"pre mean"``, ``"t"``, ...).
    check : str
        The check (``"GRIM"``, ``"GRIMMER"``, ...).
    verdict : str
        ``"consistent"``, ``"inconsistent"`` or ``"not checked"``.
    reason : str
        Why, in words.
    """

    figure: str
    check: str
    verdict: str
    reason: str

    def __str__(self) -> str:
        mark = _MARKS[self.verdict]
        return f"{mark} {self.check:<28} {self.figure:<22} {self.reason}"


def _as_items(items: Iterable[CheckItem]) -> tuple[CheckItem, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class ConsistencyReport(Serializable):
    """Every check of a table, with a one-line verdict.

    Attributes
    ----------
    items : tuple of CheckItem
        One per check, in the order they ran.

    Notes
    -----
    ``to_dict()`` holds the items; ``to_records()`` and ``to_frame()`` give one row per
    check.
    """

    items: tuple[CheckItem, ...] = attrs.field(converter=_as_items)

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

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat row per check.

        Returns
        -------
        list of dict
        """
        return [item.to_records()[0] for item in self.items]

    def __str__(self) -> str:
        return "\n".join([self.verdict, *(str(item) for item in self.items)])


def _as_tables(tables: Iterable[Table]) -> tuple[Table, ...]:
    return tuple(tables)


@attrs.frozen(kw_only=True)
class Reconstruction(Serializable):
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
        For a sample, how it was drawn; empty for an enumeration. An *exact* sample (the
        datasets were counted, then drawn independently, each uniformly:
        :mod:`pairedstudy.forensics.exact`) has ``sampler`` ``"exact"``, ``count`` (how
        many consistent datasets exist), ``pairs`` (pairs of pre and post multisets
        with at least one), ``count_work`` (states the count expanded), ``distinct``
        datasets drawn and ``seed``; R-hat does not apply to independent draws:
        ``rhat`` is empty, ``rhat_max`` None and ``connected`` True. A *Markov chain*
        sample (when counting would cost too much) has the chains' settings and health:
        ``chains``, ``burn_in_steps``, ``thin_visits``, ``steps``, ``move_rate``
        (changes of the dataset per chain and step, re-pairing swaps included),
        ``consistent_rate``, ``distinct`` datasets drawn, ``seed``, and ``rhat``: the
        Gelman-Rubin R-hat across chains of the sum of absolute changes, the number of
        zero changes, and the counts at the lowest pre and highest post score; near 1
        when the chains agree (``rhat_max`` the largest); ``connected``: False when the
        scale is too wide for the moves that let chains leave their starting multisets.
    """

    tables: tuple[Table, ...] = attrs.field(converter=_as_tables)
    items: int
    complete: bool
    method: str
    n_pre: int
    n_post: int
    diagnostics: Mapping[str, Any] = attrs.field(
        factory=dict, converter=frozen_mapping, eq=False, repr=False
    )

    def __len__(self) -> int:
        return len(self.tables)

    def arrays(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Each dataset as its ``(pre, post)`` values, in the order of :attr:`tables`.

        Yields
        ------
        (numpy.ndarray, numpy.ndarray)
            The pre and post values (item sums divided by :attr:`items`), pair by pair.
        """
        for table in self.tables:
            pre = [u / self.items for u, _, c in table for _ in range(c)]
            post = [w / self.items for _, w, c in table for _ in range(c)]
            yield np.array(pre, dtype=np.float64), np.array(post, dtype=np.float64)

    def __iter__(self) -> Iterator[PairedStudy]:
        # results sit below study in the layers: import it when a study is built, not at
        # import time, so importing the results never imports the study module.
        from ..study import PairedStudy

        for pre, post in self.arrays():
            yield PairedStudy(pre, post, name="reconstructed")

    def values(self, statistic: Callable[[PairedStudy], float]) -> np.ndarray:
        """``statistic`` evaluated on every dataset.

        Parameters
        ----------
        statistic : callable
            A function of a :class:`~pairedstudy.PairedStudy` returning a number;
            warnings it raises are silenced.

        Returns
        -------
        numpy.ndarray
            One value per dataset.
        """
        if not callable(statistic):
            raise InputTypeError(
                f"statistic must be a function of a PairedStudy; got {show(statistic)}"
            )
        values: list[float] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for study in self:
                value = statistic(study)
                if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
                    raise InputTypeError(
                        f"statistic must return a real number for every dataset; "
                        f"{getattr(statistic, '__name__', 'it')} returned {show(value)}"
                    )
                values.append(float(value))
        return np.array(values, dtype=np.float64)

    def range(self, statistic: Callable[[PairedStudy], float]) -> tuple[float, float]:
        """Smallest and largest value of ``statistic`` over the datasets.

        Parameters
        ----------
        statistic : callable
            A function of a :class:`~pairedstudy.PairedStudy` returning a number.

        Returns
        -------
        (float, float)

        Raises
        ------
        InputValueError
            No dataset is consistent with the table.
        InputTypeError
            ``statistic`` does not return a real number.

        Examples
        --------
        ``rec.range(lambda s: s.test("wilcoxon").pvalue)`` bounds the Wilcoxon p-value a
        paper never reported (over all consistent datasets when ``rec.complete``).
        """
        if not self.tables:
            raise InputValueError("no dataset is consistent with the table: nothing to bound")
        values = self.values(statistic)
        return float(values.min()), float(values.max())

    def _pairs(self, stop: int | None = None) -> Iterator[dict[str, Any]]:
        count = 0
        for dataset, (pre, post) in enumerate(self.arrays()):
            for pair in range(pre.size):
                if stop is not None and count >= stop:
                    return
                yield {
                    "dataset": dataset,
                    "pair": pair,
                    "pre": float(pre[pair]),
                    "post": float(post[pair]),
                    "change": float(post[pair] - pre[pair]),
                }
                count += 1

    def to_records(self) -> list[dict[str, Any]]:
        """Return one row per pair of every dataset: the datasets in long form.

        Columns ``dataset`` (its index in :attr:`tables`), ``pair`` (0 to n - 1 within
        it), ``pre``, ``post`` and ``change = post - pre`` (item sums divided by
        :attr:`items`), so ``frame.groupby("dataset")`` gives one dataset at a time.

        Returns
        -------
        list of dict
        """
        return list(self._pairs())

    def _frame_columns(self) -> dict[str, Any]:
        names = ("dataset", "pair", "pre", "post", "change")
        if not self.tables:
            return {name: [] for name in names}
        arrays = list(self.arrays())
        sizes = [pre.size for pre, _ in arrays]
        pre = np.concatenate([a for a, _ in arrays])
        post = np.concatenate([b for _, b in arrays])
        return {
            "dataset": np.repeat(np.arange(len(arrays)), sizes),
            "pair": np.concatenate([np.arange(size) for size in sizes]),
            "pre": pre,
            "post": post,
            "change": post - pre,
        }

    def _html_rows(self, limit: int) -> tuple[list[dict[str, Any]], int]:
        total = sum(count for table in self.tables for _, _, count in table)
        return list(self._pairs(limit)), total

    def __str__(self) -> str:
        kind = "all" if self.complete else "a sample of"
        return (
            f"Reconstruction: {kind} {len(self)} integer dataset(s) consistent with the "
            f"table ({self.method}; {self.n_pre} pre and {self.n_post} post multisets)"
        )


@attrs.frozen(kw_only=True)
class CorrelationBounds(Serializable):
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
