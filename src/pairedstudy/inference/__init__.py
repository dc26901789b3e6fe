"""Built-in paired tests, each registered by name and computed on ``post - pre``.

Importing this package registers the location tests ``"t"``, ``"wilcoxon"``, ``"sign"``,
``"permutation"``, ``"bootstrap"``, ``"yuen"``, the partially overlapping samples tests
``"partial-t"``, ``"looney-jones"`` and ``"kim-t"`` (which also use the observed halves
of incomplete pairs), the Bayes factor ``"bayes"`` (a
:class:`~pairedstudy.results.BayesFactorResult`) and the equivalence test ``"tost"`` (an
:class:`~pairedstudy.results.EquivalenceResult`), and the tests of the pre x post table of
categorical scores ``"stuart-maxwell"``, ``"bhapkar"`` and ``"bowker"`` (a
:class:`~pairedstudy.results.TableTestResult`). The normality diagnostic is not a test:
it is :func:`pairedstudy.diagnostics.normality`.
"""

from __future__ import annotations

from .bayes import bayes_t
from .bootstrap import bootstrap_t_test
from .ordinal import bhapkar_test, bowker_test, crosstab, stuart_maxwell_test
from .partial import kim_t_test, looney_jones_test, partial_t_test
from .permutation import permutation_test
from .sign import sign_test
from .tost import tost_test
from .ttest import paired_t
from .wilcoxon import wilcoxon_test
from .yuen import yuen_test

__all__ = [
    "bayes_t",
    "bhapkar_test",
    "bootstrap_t_test",
    "bowker_test",
    "crosstab",
    "kim_t_test",
    "looney_jones_test",
    "paired_t",
    "partial_t_test",
    "permutation_test",
    "sign_test",
    "stuart_maxwell_test",
    "tost_test",
    "wilcoxon_test",
    "yuen_test",
]
