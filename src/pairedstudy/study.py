"""The paired study: two measurements of the same subjects, validated once.

:class:`PairedStudy` is the object every analysis starts from. Its constructor is the single
place where raw input is checked (types, shapes, lengths, missing values); everything
downstream can rely on two finite, read-only float64 arrays of equal length, at least two
pairs long.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ._numerics import pow2_scale, readonly
from ._validation import (
    as_float_vector,
    check_choice,
    is_na,
    show,
)
from .errors import InputTypeError, InputValueError
from .registry import check_arguments, get_registered
from .results import ArmDescription, Description

if TYPE_CHECKING:
    from .moments import Moments
    from .results import CrossTable, EffectSize, EffectSizeTable, TestResult

__all__ = ["ArmDescription", "Description", "PairedStudy"]

_MISSING_POLICIES = ("raise", "drop")
_NO_HALVES: dict[str, Any] = {
    "pre_only": np.empty(0),
    "post_only": np.empty(0),
    "pre_only_subjects": (),
    "post_only_subjects": (),
}


#: The halves of a study without incomplete pairs: one shared read-only empty array (a
#: read-only view of a read-only base, so its flag cannot be switched back on).
_EMPTY = readonly(np.empty(0))


def _array_eq(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b))


def _positions(mask: np.ndarray, limit: int = 5) -> str:
    where = np.flatnonzero(mask).tolist()
    shown = ", ".join(str(i) for i in where[:limit])
    return shown + (", ..." if len(where) > limit else "")


def _check_same_index(pre: Any, post: Any) -> None:
    """Refuse two pandas Series whose indexes differ: pairing is by position."""
    pre_index: Any = getattr(pre, "index", None)
    post_index: Any = getattr(post, "index", None)
    if not (hasattr(pre_index, "equals") and hasattr(post_index, "equals")):
        return  # not two pandas objects
    if not pre_index.equals(post_index):
        raise InputValueError(
            "pre and post are Series with different indexes; PairedStudy pairs values by "
            "position, so align them first (e.g. post.reindex(pre.index)) or reset both "
            "indexes"
        )


def _labels(subjects: Any, n: int) -> tuple[Any, ...]:
    if isinstance(subjects, (str, bytes)):
        raise InputTypeError(
            f"subjects must be a sequence of labels, one per pair; got the string {show(subjects)}"
        )
    if hasattr(subjects, "to_numpy") and not isinstance(subjects, np.ndarray):
        subjects = subjects.to_numpy()
    arr = np.asarray(subjects, dtype=object)
    if arr.ndim != 1:
        raise InputValueError(
            f"subjects must be 1-D (one label per pair); got an array of shape {arr.shape}"
        )
    if arr.shape[0] != n:
        raise InputValueError(
            f"subjects must have one label per pair: pre and post have {n} values, "
            f"subjects has {arr.shape[0]}"
        )
    labels = tuple(x.item() if isinstance(x, np.generic) else x for x in arr)
    seen: set[Any] = set()
    duplicates: list[Any] = []
    for position, label in enumerate(labels):
        if label is None or (isinstance(label, float) and math.isnan(label)) or is_na(label):
            raise InputValueError(
                f"subjects must not be missing (None, NaN, pandas.NA or NaT); got "
                f"{show(label)} at position {position}; give every pair a label"
            )
        try:
            if label in seen:
                duplicates.append(label)
            seen.add(label)
        except TypeError:
            raise InputTypeError(
                f"subjects must be hashable labels (numbers or strings); got {show(label)}"
            ) from None
    if duplicates:
        raise InputValueError(
            f"subjects must be unique (one pair per subject); repeated: {show(duplicates)}"
        )
    return labels


@attrs.frozen(init=False, repr=False)
class PairedStudy:
    """Two measurements of the same subjects: before and after, or two conditions.

    Parameters
    ----------
    pre, post : array_like
        One number per subject, in the same subject order. Lists, tuples, numpy arrays and
        pandas/polars Series are accepted; they are copied to read-only float64 arrays.
    subjects : array_like, optional
        One unique label per pair (numbers or strings). A missing label (``None``, NaN,
        ``pandas.NA``, ``NaT``) is refused under either ``missing`` policy: ``missing``
        is about the measurements, and a pair without a label cannot be reported.
    name : str, optional
        A name shown in printed results.
    missing : {"raise", "drop"}, default "raise"
        What to do with a pair where either value is missing or not finite (NaN, ``None``,
        infinity): ``"raise"`` refuses the data; ``"drop"`` removes those pairs from the
        paired data, records how many in :attr:`dropped`, and keeps the observed half of
        each (a baseline without its follow-up, or the reverse) in :attr:`pre_only` and
        :attr:`post_only`.

    Attributes
    ----------
    pre, post : numpy.ndarray
        The complete pairs, read-only float64.
    change : numpy.ndarray
        ``post - pre``, read-only. Every test and effect size is about this difference.
    n : int
        The number of complete pairs.
    subjects : tuple or None
        The labels of the complete pairs.
    dropped : int
        How many incomplete pairs ``missing="drop"`` removed.
    dropped_subjects : tuple
        The labels (or, without labels, the 0-based positions) of the removed pairs.
    pre_only, post_only : numpy.ndarray
        With ``missing="drop"``: the observed halves of the removed pairs, read-only
        float64 in input order. ``pre_only`` holds the baselines whose follow-up is
        missing, ``post_only`` the follow-ups whose baseline is missing; a pair missing
        both values contributes to neither, and a pair with an infinite value is dropped
        whole (infinity is not a missing observation). Empty otherwise. Tests of the complete pairs
        (``"t"``, ``"wilcoxon"``, ...) leave them out and say so in their notes; the
        partially overlapping samples tests (``"partial-t"``) use them.
    pre_only_subjects, post_only_subjects : tuple
        The labels (or, without labels, the 0-based input positions) of those halves.

    Raises
    ------
    InputTypeError
        Text, booleans or complex numbers where numbers belong; a non-string ``name``.
    InputValueError
        Arrays that are not 1-D, of unequal lengths, with fewer than two complete pairs, with
        missing values under ``missing="raise"``, or repeated subject labels.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> study = ps.PairedStudy([7, 6, 8, 7], [9, 8, 8, 10], name="pilot")
    >>> study.n, study.change.tolist()
    (4, [2.0, 2.0, 0.0, 3.0])

    A baseline-only subject (the third) is left out of the pairs and kept as a half:

    >>> nan = float("nan")
    >>> partial = ps.PairedStudy([7, 6, 8, 7], [9, 8, nan, 10], missing="drop")
    >>> partial.n, partial.pre_only.tolist(), partial.pre_only_subjects, partial.post_only.size
    (3, [8.0], (2,), 0)
    """

    pre: np.ndarray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), hash=False)
    post: np.ndarray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), hash=False)
    change: np.ndarray = attrs.field(eq=False, hash=False)
    subjects: tuple[Any, ...] | None
    name: str | None
    missing: str
    dropped: int
    dropped_subjects: tuple[Any, ...]
    pre_only: np.ndarray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), hash=False)
    post_only: np.ndarray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), hash=False)
    pre_only_subjects: tuple[Any, ...]
    post_only_subjects: tuple[Any, ...]

    def __init__(
        self,
        pre: Sequence[float] | np.ndarray,
        post: Sequence[float] | np.ndarray,
        subjects: Sequence[Any] | np.ndarray | None = None,
        name: str | None = None,
        missing: str = "raise",
    ) -> None:
        check_choice("missing", missing, _MISSING_POLICIES)
        if name is not None and not isinstance(name, str):
            raise InputTypeError(f"name must be a string or None; got {show(name)}")
        _check_same_index(pre, post)
        pre_arr = as_float_vector("pre", pre)
        post_arr = as_float_vector("post", post)
        if pre_arr.size != post_arr.size:
            raise InputValueError(
                f"pre and post must have the same length (one value per subject in each); "
                f"got {pre_arr.size} pre values and {post_arr.size} post values"
            )
        labels = None if subjects is None else _labels(subjects, pre_arr.size)

        pre_bad = ~np.isfinite(pre_arr)
        post_bad = ~np.isfinite(post_arr)
        incomplete = pre_bad | post_bad
        dropped_subjects: tuple[Any, ...] = ()
        halves: dict[str, tuple[np.ndarray, tuple[Any, ...]]] = {}
        if incomplete.any():
            if missing == "raise":
                parts = []
                for arm, bad in (("pre", pre_bad), ("post", post_bad)):
                    if bad.any():
                        parts.append(
                            f"{arm} has {int(bad.sum())} missing or non-finite value(s) at "
                            f"position(s) {_positions(bad)}"
                        )
                raise InputValueError(
                    "; ".join(parts) + '. Pass missing="drop" to analyse the complete pairs '
                    "(the observed half of each incomplete pair is kept as pre_only / post_only)."
                )

            def labels_at(mask: np.ndarray) -> tuple[Any, ...]:
                where = np.flatnonzero(mask).tolist()
                return tuple(labels[i] for i in where) if labels is not None else tuple(where)

            dropped_subjects = labels_at(incomplete)
            # a baseline without its follow-up (missing, NaN: an infinite value is not a
            # missing observation, and its pair is dropped whole), and the reverse
            pre_half = np.isnan(post_arr) & ~pre_bad
            post_half = np.isnan(pre_arr) & ~post_bad
            halves = {
                "pre_only": (pre_arr[pre_half], labels_at(pre_half)),
                "post_only": (post_arr[post_half], labels_at(post_half)),
            }
            keep = ~incomplete
            pre_arr, post_arr = pre_arr[keep], post_arr[keep]
            if labels is not None:
                labels = tuple(label for label, k in zip(labels, keep, strict=True) if k)

        if pre_arr.size < 2:
            detail = f" ({len(dropped_subjects)} incomplete pair(s) dropped)" * bool(
                dropped_subjects
            )
            raise InputValueError(
                f"pre and post must hold at least 2 complete pairs; got {pre_arr.size}{detail}"
            )
        with np.errstate(over="ignore"):
            change = post_arr - pre_arr
        if not np.isfinite(change).all():
            raise InputValueError(
                "post - pre overflows to infinity; the values are too large to subtract"
            )
        self.__attrs_init__(
            pre=readonly(pre_arr),
            post=readonly(post_arr),
            change=readonly(change),
            subjects=labels,
            name=name,
            missing=missing,
            dropped=len(dropped_subjects),
            dropped_subjects=dropped_subjects,
            pre_only=readonly(halves["pre_only"][0]) if halves else _EMPTY,
            post_only=readonly(halves["post_only"][0]) if halves else _EMPTY,
            pre_only_subjects=halves["pre_only"][1] if halves else (),
            post_only_subjects=halves["post_only"][1] if halves else (),
        )

    def __getstate__(self) -> dict[str, Any]:
        """The fields, for pickle and :mod:`copy`."""
        return {field.name: getattr(self, field.name) for field in attrs.fields(type(self))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore the fields, with the arrays read-only again.

        A pickle, a deep copy or a copy would otherwise hand back writeable arrays, and
        writing one would leave ``change`` stale.
        """
        # a study pickled before the halves were kept has none
        state = {**_NO_HALVES, **state}
        for key, value in state.items():
            if isinstance(value, np.ndarray):
                value = readonly(np.array(value, dtype=np.float64))  # an own, read-only base
            object.__setattr__(self, key, value)

    @property
    def n(self) -> int:
        """The number of complete pairs."""
        return self.change.size  # a Python int already

    def __repr__(self) -> str:
        name = f"name={self.name!r}, " if self.name else ""
        dropped = f", dropped={self.dropped}" if self.dropped else ""
        halves = "".join(
            f", {field}={size}"
            for field, size in (
                ("pre_only", self.pre_only.size),
                ("post_only", self.post_only.size),
            )
            if size
        )
        return f"PairedStudy({name}n={self.n}{dropped}{halves})"

    @property
    def has_unpaired(self) -> bool:
        """Whether the study keeps observed halves of incomplete pairs (:attr:`pre_only`)."""
        if self.pre_only is _EMPTY and self.post_only is _EMPTY:  # the common case, cheaply
            return False
        return bool(self.pre_only.size or self.post_only.size)

    def left_out_note(self) -> str | None:
        """What an analysis of the complete pairs leaves out, or ``None`` if nothing.

        The note that tests, effect sizes, the normality diagnostic and the replication
        planner add to their results on a study with observed halves of incomplete pairs.

        Returns
        -------
        str or None

        Examples
        --------
        >>> import pairedstudy as ps
        >>> ps.datasets.massage_dropouts().left_out_note()[:60]
        'uses the 20 complete pairs only: left out 7 baseline-only an'
        >>> ps.datasets.oxytocin_massage().left_out_note() is None
        True
        """
        if not self.has_unpaired:
            return None
        return (
            f"uses the {self.n} complete pairs only: left out {self.pre_only.size} "
            f"baseline-only and {self.post_only.size} follow-up-only observation(s) of "
            "incomplete pairs"
        )

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        pre: str = "pre",
        post: str = "post",
        subject: str | None = None,
        *,
        name: str | None = None,
        missing: str = "raise",
    ) -> PairedStudy:
        """A study from a wide table (pandas, polars or a dict of columns).

        Parameters
        ----------
        frame : pandas.DataFrame, polars.DataFrame or dict
            The table: one row per subject.
        pre, post : str
            The two measurement columns.
        subject : str, optional
            A column of unique subject labels.
        name, missing
            As for :class:`PairedStudy`.

        Returns
        -------
        PairedStudy

        Raises
        ------
        InputValueError
            A column is missing (the message lists the frame's columns), labels repeat, or
            values are missing under ``missing="raise"``.
        InputTypeError
            Non-numeric values.

        See Also
        --------
        pairedstudy.frames.wide_columns : reads the columns.

        Examples
        --------
        >>> import pairedstudy as ps
        >>> ps.PairedStudy.from_frame({"pre": [7, 6, 8], "post": [9, 8, 8]}).n
        3
        """
        from .frames import wide_columns

        columns = wide_columns(frame, pre, post, subject)
        return cls(
            columns.pre, columns.post, subjects=columns.subjects, name=name, missing=missing
        )

    @classmethod
    def from_long(
        cls,
        frame: Any,
        subject: str,
        time: str,
        value: str,
        pre: Any,
        post: Any,
        *,
        name: str | None = None,
        missing: str = "raise",
    ) -> PairedStudy:
        """A study from a long table, one row per subject and time point.

        Parameters
        ----------
        frame : pandas.DataFrame, polars.DataFrame or dict
            The table.
        subject, time, value : str
            Columns of the subject label, the time point and the measurement.
        pre, post : object
            The values of the ``time`` column that mark the two measurements (rows at other
            time points are not used).
        name, missing
            As for :class:`PairedStudy`. With ``missing="drop"`` a subject measured at only
            one of the two times is an incomplete pair, dropped and counted; with
            ``"raise"`` it is an error.

        Returns
        -------
        PairedStudy
            Subjects in the order of their first row.

        Raises
        ------
        InputValueError
            A missing column (listing the columns), a subject measured twice at one time, a
            subject with only one of the two time points (under ``missing="raise"``),
            neither time value present, or columns of unequal lengths.
        InputTypeError
            Subject labels or time values that cannot be labels (lists: unhashable).

        See Also
        --------
        pairedstudy.frames.long_columns : reads the columns.

        Examples
        --------
        >>> import pairedstudy as ps
        >>> rows = {"id": [1, 1, 2, 2], "when": ["t0", "t1", "t0", "t1"], "y": [7, 9, 6, 8]}
        >>> ps.PairedStudy.from_long(rows, subject="id", time="when", value="y",
        ...                          pre="t0", post="t1").change.tolist()
        [2.0, 2.0]
        """
        from .frames import long_columns

        columns = long_columns(frame, subject, time, value, pre, post, missing=missing)
        return cls(
            columns.pre, columns.post, subjects=columns.subjects, name=name, missing=missing
        )

    def describe(self) -> Description:
        """Summarize each arm, the change ``post - pre`` and the pre-post correlation.

        Returns
        -------
        Description
            ``.pre``, ``.post`` and ``.change`` each with n, mean, sd (n - 1 denominator),
            median, min and max; ``.correlation`` is Pearson's r (``None`` if an arm is
            constant). With incomplete pairs kept by ``missing="drop"``, ``.pre_only``
            and ``.post_only`` describe their observed halves (``None`` when there are
            none); the other figures are of the complete pairs.

        Examples
        --------
        >>> import pairedstudy as ps
        >>> d = ps.datasets.oxytocin_massage().describe()
        >>> round(d.pre.mean, 2), round(d.pre.sd, 3), round(d.change.sd, 3)
        (7.05, 0.74, 1.161)
        """
        pre = ArmDescription.of(self.pre)
        post = ArmDescription.of(self.post)
        change = ArmDescription.of(self.change)
        correlation: float | None = None
        if pre.sd > 0 and post.sd > 0:
            centred_pre = pow2_scale(self.pre - pre.mean)[0]
            centred_post = pow2_scale(self.post - post.mean)[0]
            r = float(
                np.dot(centred_pre, centred_post)
                / math.sqrt(np.dot(centred_pre, centred_pre) * np.dot(centred_post, centred_post))
            )
            correlation = min(1.0, max(-1.0, r))
        return Description(
            pre=pre,
            post=post,
            change=change,
            correlation=correlation,
            name=self.name,
            pre_only=ArmDescription.of(self.pre_only) if self.pre_only.size else None,
            post_only=ArmDescription.of(self.post_only) if self.post_only.size else None,
        )

    def moments(self) -> Moments:
        """The moments of the study: n, mean and SD of the change, arm SDs and means, r.

        Returns
        -------
        Moments
            The same value object :meth:`pairedstudy.PairedSummary.moments` returns for a
            table; effect sizes, power and the replication planner work from it.

        Examples
        --------
        >>> import pairedstudy as ps
        >>> m = ps.datasets.oxytocin_massage().moments()
        >>> m.n, round(m.mean_change, 3), round(m.sd_change, 3), round(m.r, 4)
        (21, 1.952, 1.161, 0.3426)
        """
        from .moments import moments_of_arms

        return moments_of_arms(self.pre, self.post)

    def test(
        self,
        test: str = "t",
        *,
        alternative: str = "two-sided",
        mu: float = 0.0,
        confidence_level: float = 0.95,
        **options: Any,
    ) -> TestResult:
        """Run a registered test on the change ``post - pre``.

        Parameters
        ----------
        test : str, default "t"
            A name from :func:`pairedstudy.available_tests`: ``"t"``, ``"wilcoxon"``,
            ``"sign"`` or a test registered by you or a plugin.
        alternative : {"two-sided", "less", "greater"}
            The alternative about the location of ``post - pre`` relative to ``mu``.
        mu : float, default 0
            The location of the change under the null hypothesis.
        confidence_level : float, default 0.95
            Level of the confidence interval for the location.
        **options
            Options of that test (see its documentation), e.g. ``zero_method`` and
            ``method`` for the Wilcoxon test.

        Returns
        -------
        TestResult
            Or a subclass; a test of the pre x post table (``"stuart-maxwell"``,
            ``"bhapkar"``, ``"bowker"``) returns a
            :class:`~pairedstudy.results.TableTestResult` instead (the annotation stays
            ``TestResult`` for the location tests that most calls run).

        Raises
        ------
        UnknownTestError
            No test is registered under ``test``.
        InputValueError, InputTypeError
            A bad ``alternative``, ``mu``, ``confidence_level`` or option.

        Examples
        --------
        >>> import pairedstudy as ps
        >>> result = ps.datasets.oxytocin_massage().test("t")
        >>> round(result.statistic, 4), result.df
        (7.7071, 20.0)
        """
        if not isinstance(test, str):
            raise InputTypeError(f"test must be a test name (a string); got {show(test)}")
        entry = get_registered(test)
        if options:  # no options, nothing to refuse
            entry.check_options(options)
        result: TestResult = entry.run(
            self, check_arguments(alternative, mu, confidence_level), options
        )
        return result

    def effect_size(self, kind: str, confidence_level: float = 0.95, **options: Any) -> EffectSize:
        """One effect size of the change with its confidence interval.

        Parameters
        ----------
        kind : str
            ``"dz"``, ``"drm"``, ``"dav"``, ``"db"``, ``"gz"``, ``"grm"``, ``"gav"``,
            ``"gb"``, ``"rank_biserial"``, ``"cles"`` or ``"hl"``.
        confidence_level : float, default 0.95
            Level of the interval.
        **options
            ``alternative``, ``ci`` ("analytic", "bca", "percentile", "none"), ``n_resamples``,
            ``seed``, ``average``; see :func:`pairedstudy.effect_sizes.compute`, which also
            gives every formula and reference.

        Returns
        -------
        EffectSize

        Examples
        --------
        >>> import pairedstudy as ps
        >>> es = ps.datasets.oxytocin_massage().effect_size("dz")
        >>> round(es.value, 2), round(es.ci.low, 2), round(es.ci.high, 2)
        (1.68, 1.0, 2.34)
        """
        from .effect_sizes import compute

        return compute(self, kind, confidence_level=confidence_level, **options)

    def effect_sizes(
        self, kinds: Sequence[str] | None = None, confidence_level: float = 0.95, **options: Any
    ) -> EffectSizeTable:
        """Several effect sizes at once (every kind by default), as a printable table.

        Parameters
        ----------
        kinds : sequence of str, optional
            Which kinds; all of them by default.
        confidence_level : float, default 0.95
            Level of the intervals.
        **options
            As for :meth:`effect_size`.

        Returns
        -------
        EffectSizeTable
            Index it by kind (``table["dz"]``), iterate over it, or print it.
        """
        from .effect_sizes import compute_all

        return compute_all(self, kinds, confidence_level=confidence_level, **options)

    def crosstab(self, categories: Sequence[float] | None = None) -> CrossTable:
        """The square pre x post table of counts, for categorical (ordinal) scores.

        Parameters
        ----------
        categories : sequence of float, optional
            The categories of the scale (e.g. ``range(6, 11)``), so that a category nobody
            used still has its row and column; every score must be one of them. By default
            the values observed in ``pre`` or ``post`` (whole numbers, at most 20).

        Returns
        -------
        CrossTable
            Rows are the pre categories, columns the post categories; the tests
            ``"stuart-maxwell"``, ``"bhapkar"`` and ``"bowker"`` test this table.

        Raises
        ------
        InputValueError
            Scores that are not whole numbers or take more than 20 values (without
            ``categories``), or a score that is not one of ``categories``. See
            :func:`pairedstudy.inference.crosstab`.

        Examples
        --------
        >>> import pairedstudy as ps
        >>> table = ps.datasets.oxytocin_massage().crosstab()
        >>> table.categories
        (6.0, 7.0, 8.0, 9.0, 10.0)
        >>> table.row_totals.tolist(), table.column_totals.tolist()
        ([5, 10, 6, 0, 0], [1, 1, 5, 4, 10])
        """
        from .inference.ordinal import crosstab

        return crosstab(self.pre, self.post, categories)
