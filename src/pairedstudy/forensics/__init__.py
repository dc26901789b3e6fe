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
``exact``            exact counts of the consistent datasets and exact uniform
                     draws of them (:class:`TableCounter`)
``reconstruction``   every consistent integer dataset, or a uniform sample
                     (:func:`reconstruct_summary`)
``sampler``          the Markov chains of the sample when the count is too costly
===================  ==============================================================

:class:`~pairedstudy.PairedSummary` ``.check()`` and ``.reconstruct()`` call
:func:`check_summary` and :func:`reconstruct_summary`.
"""

from __future__ import annotations

from .consistency import CheckItem, ConsistencyReport, check_summary
from .enumeration import (
    PairingSearch,
    Table,
    TableConstraints,
    integer_multisets,
    pairing_tables,
    product_bounds,
    sq_bounds,
)
from .exact import TableCounter
from .figures import (
    MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
    MAX_ITEMS,
    MAX_SEARCH_STEPS,
    MAX_SUMS,
    ROUNDING,
    Reported,
    abs_t_interval,
    admits_root,
    change_interval,
    check_range,
    check_whole,
    debit,
    grim,
    grimmer,
    interval,
    mean_sums,
    realizable,
    realizable_in,
    reported,
    sd_admits,
    smallest_sumsq,
    sum_count,
    sumsq_range,
)
from .reconstruction import Reconstruction, reconstruct_summary, rhat

__all__ = [
    "MAX_DECIMALS",
    "MAX_INTEGER_DIGITS",
    "MAX_ITEMS",
    "MAX_SEARCH_STEPS",
    "MAX_SUMS",
    "ROUNDING",
    "CheckItem",
    "ConsistencyReport",
    "PairingSearch",
    "Reconstruction",
    "Reported",
    "Table",
    "TableConstraints",
    "TableCounter",
    "abs_t_interval",
    "admits_root",
    "change_interval",
    "check_range",
    "check_summary",
    "check_whole",
    "debit",
    "grim",
    "grimmer",
    "integer_multisets",
    "interval",
    "mean_sums",
    "pairing_tables",
    "product_bounds",
    "realizable",
    "realizable_in",
    "reconstruct_summary",
    "reported",
    "rhat",
    "sd_admits",
    "smallest_sumsq",
    "sq_bounds",
    "sum_count",
    "sumsq_range",
]
