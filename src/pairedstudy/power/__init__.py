"""Power and sample size for paired designs.

Every solver takes the test's inputs with exactly one of them ``None`` and returns a
:class:`~pairedstudy.results.PowerResult`:

- :func:`paired_t`: noncentral t (as R's ``pwr`` and G*Power), solving ``n``, ``dz``,
  ``alpha`` or ``power``;
- :func:`sign_test`: exact binomial power with its attained size (or Noether's
  approximation);
- :func:`wilcoxon`: G*Power's A.R.E. method, or simulation of the library's own test under
  a parent distribution, including a pilot study's changes;
- :func:`tost`: the paired equivalence test (exact power);
- :func:`partial_t`: the partially overlapping samples t-test (``"partial-t"``) of a study
  that expects incomplete pairs (dropouts), by simulation.

The ``*_power`` functions evaluate power over arrays of ``n`` or ``dz`` (power curves).
"""

from __future__ import annotations

from .partial import partial_t, simulate_partial_t_power
from .sign import sign_test, sign_test_power
from .tost import tost, tost_power
from .ttest import dz_from_summary, paired_t, paired_t_power
from .wilcoxon import ARE, simulate_wilcoxon_power, wilcoxon, wilcoxon_power

__all__ = [
    "ARE",
    "dz_from_summary",
    "paired_t",
    "paired_t_power",
    "partial_t",
    "sign_test",
    "sign_test_power",
    "simulate_partial_t_power",
    "simulate_wilcoxon_power",
    "tost",
    "tost_power",
    "wilcoxon",
    "wilcoxon_power",
]
