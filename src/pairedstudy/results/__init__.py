"""Immutable result objects returned by pairedstudy: one type per kind of analysis.

Results are frozen attrs classes with keyword-only fields. They hold what was computed and
how (``method``, ``notes``); they never hold the data. Every result shares one
serialization (the mixin :class:`Serializable`):

* ``to_dict()`` gives plain Python types: nested results and intervals as dicts, tuples
  and numpy arrays as lists, numpy scalars as Python numbers (infinite limits stay
  ``float("inf")``);
* ``to_json(**kwargs)`` gives strict JSON that never holds a ``NaN`` or ``Infinity`` token:
  ``NaN`` and ``None`` are written as ``null``, ``+inf`` as the string ``"Infinity"`` and
  ``-inf`` as ``"-Infinity"`` (e.g. the open end of a one-sided interval);
* ``to_frame()`` gives a tidy pandas (or, with ``backend="polars"``, polars) table of
  scalars, one row per result or per row of a result that has rows, and
  ``_repr_html_()`` the small HTML table a notebook shows.

Modules by subject: :mod:`~pairedstudy.results.intervals` (:class:`ConfidenceInterval`),
:mod:`~pairedstudy.results.tests` (:class:`TestResult`, :class:`BayesFactorResult`,
:class:`EquivalenceResult`), :mod:`~pairedstudy.results.effects` (:class:`EffectSize`,
:class:`EffectSizeTable`), :mod:`~pairedstudy.results.power` (:class:`PowerResult`),
:mod:`~pairedstudy.results.tables` (:class:`CrossTable`, :class:`TableTestResult`),
:mod:`~pairedstudy.results.diagnostics` (:class:`NormalityDiagnostic`),
:mod:`~pairedstudy.results.descriptions` (:class:`ArmDescription`, :class:`Description`),
:mod:`~pairedstudy.results.batch` (:class:`BatchResult`),
:mod:`~pairedstudy.results.replication` (:class:`ReplicationPlan`, :class:`PlanRow`,
:class:`ReplicationEvaluation`, :class:`EvaluationRow`) and
:mod:`~pairedstudy.results.forensics` (:class:`ConsistencyReport`, :class:`CheckItem`,
:class:`Reconstruction`, :class:`CorrelationBounds`).
"""

from __future__ import annotations

from ._base import (
    FrozenMapping,
    Serializable,
    format_number,
    frozen_mapping,
    json_safe,
    note_tuple,
    to_plain,
)
from .batch import BatchResult
from .descriptions import ArmDescription, Description
from .diagnostics import NormalityDiagnostic
from .effects import EffectSize, EffectSizeTable
from .forensics import CheckItem, ConsistencyReport, CorrelationBounds, Reconstruction
from .intervals import ConfidenceInterval
from .power import PowerResult
from .replication import EvaluationRow, PlanRow, ReplicationEvaluation, ReplicationPlan
from .tables import CrossTable, TableTestResult
from .tests import BayesFactorResult, EquivalenceResult, TestResult

__all__ = [
    "ArmDescription",
    "BatchResult",
    "BayesFactorResult",
    "CheckItem",
    "ConfidenceInterval",
    "ConsistencyReport",
    "CorrelationBounds",
    "CrossTable",
    "Description",
    "EffectSize",
    "EffectSizeTable",
    "EquivalenceResult",
    "EvaluationRow",
    "FrozenMapping",
    "NormalityDiagnostic",
    "PlanRow",
    "PowerResult",
    "Reconstruction",
    "ReplicationEvaluation",
    "ReplicationPlan",
    "Serializable",
    "TableTestResult",
    "TestResult",
    "format_number",
    "frozen_mapping",
    "json_safe",
    "note_tuple",
    "to_plain",
]
