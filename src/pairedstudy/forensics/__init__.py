"""Forensics of a published table: whether it is possible, and which integer data give it.

A reported figure such as ``"0.740"`` stands for every value that rounds to it
(:mod:`~pairedstudy.forensics.figures`, with GRIM, GRIMMER and DEBIT). The modules, by
responsibility:

===================  ==============================================================
``figures``          printed figures (:class:`Reported`), rounding conventions,
                     :func:`grim`, :func:`grimmer`, :func:`debit`
``enumeration``      integer multisets of one arm and pairings of two
                     (:func:`integer_multisets`, :func:`pairing_tables`) under a
                     table's figures (:class:`TableConstraints`)
``consistency``      the consistency report of a table (:func:`check_summary`)
``reconstruction``   every consistent integer dataset, or a uniform sample
                     (:func:`reconstruct_summary`)
``sampler``          the Markov chains of that sample
===================  ==============================================================

:class:`~pairedstudy.PairedSummary` ``.check()`` and ``.reconstruct()`` call
:func:`check_summary` and :func:`reconstruct_summary`.
"""

from __future__ import annotations

from .consistency import CheckItem, ConsistencyReport, check_summary
from .enumeration import Table, TableConstraints, integer_multisets, pairing_tables, sq_bounds
from .figures import (
    ROUNDING,
    Reported,
    abs_t_interval,
    admits_root,
    change_interval,
    check_range,
    debit,
    grim,
    grimmer,
    interval,
    mean_sums,
    realizable,
    reported,
    sd_admits,
    sumsq_range,
)
from .reconstruction import Reconstruction, reconstruct_summary, rhat

__all__ = [
    "ROUNDING",
    "CheckItem",
    "ConsistencyReport",
    "Reconstruction",
    "Reported",
    "Table",
    "TableConstraints",
    "abs_t_interval",
    "admits_root",
    "change_interval",
    "check_range",
    "check_summary",
    "debit",
    "grim",
    "grimmer",
    "integer_multisets",
    "interval",
    "mean_sums",
    "pairing_tables",
    "realizable",
    "reconstruct_summary",
    "reported",
    "rhat",
    "sd_admits",
    "sq_bounds",
    "sumsq_range",
]
