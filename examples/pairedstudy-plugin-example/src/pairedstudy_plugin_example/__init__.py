"""An example pairedstudy plugin: the van der Waerden normal-scores signed-rank test.

The test ranks the absolute changes ``|d_i - mu|`` (mid-ranks for ties, zeros dropped as
in Wilcoxon's method), replaces rank ``R_i`` by the normal score
``a_i = Phi^-1(1/2 + R_i / (2 (m + 1)))`` (``m`` non-zero changes) and sums the scores
with the signs of the changes: ``S = sum sign(d_i - mu) a_i``. Under the null hypothesis
of a distribution symmetric about ``mu`` each sign is + or - with probability 1/2, so
``E S = 0`` and ``Var S = sum a_i^2`` exactly, and ``z = S / sqrt(sum a_i^2)`` is compared
with the standard normal distribution. Its asymptotic relative efficiency to the t-test
is 1 for normal data and at least 1 for every symmetric distribution (Chernoff & Savage
1958), which is why it is sometimes preferred to Wilcoxon's test.

References
----------
.. [1] van der Waerden, B. L. (1952). Order tests for the two-sample problem and their
   power. Indagationes Mathematicae 14, 453-458.
.. [2] Conover, W. J. (1999). Practical Nonparametric Statistics, 3rd ed., section 5.10.
   Wiley.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

import pairedstudy as ps

__all__ = ["normal_scores_test"]


# The entry point (pyproject.toml) names this function; importing the module registers it
# with what the registry cannot read from a signature: the names of its statistic and
# estimate (and, for a test that is not a location test, its kind). Without the decorator
# the entry point alone still works: the test is then a location test and the names are
# taken from its first result.
@ps.register_test("normal-scores", statistic_name="z", estimate_name="median change")
def normal_scores_test(
    study: ps.PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
) -> ps.TestResult:
    """Normal-scores (van der Waerden) signed-rank test of the change post - pre.

    Parameters
    ----------
    study : pairedstudy.PairedStudy
        The data; the test uses ``study.change``.
    alternative : {"two-sided", "less", "greater"}
        Alternative about the location of ``post - pre`` relative to ``mu``.
    mu : float
        Location of the change under the null hypothesis.
    confidence_level : float
        Unused: the test gives no interval (kept for the common test signature).

    Returns
    -------
    pairedstudy.TestResult
        ``statistic`` is z; ``details`` holds the score sum ``S`` and its variance.
    """
    d = study.change - mu
    d = d[d != 0]
    m = d.size
    if m == 0:
        raise ps.DegenerateDataError("every change equals mu: the test needs a non-zero change")
    ranks = stats.rankdata(np.abs(d))
    scores = special.ndtri(0.5 + ranks / (2 * (m + 1)))
    s = float(np.sum(np.sign(d) * scores))
    variance = float(np.sum(scores**2))
    z = s / np.sqrt(variance)
    lower, upper = float(special.ndtr(z)), float(special.ndtr(-z))
    pvalue = {"less": lower, "greater": upper, "two-sided": min(1.0, 2 * min(lower, upper))}
    return ps.TestResult(
        test="normal-scores",
        title="Normal-scores (van der Waerden) signed-rank test",
        method="asymptotic",
        statistic=z,
        statistic_name="z",
        pvalue=pvalue[alternative],
        alternative=alternative,
        mu=mu,
        n=study.n,
        estimate=float(np.median(study.change)),
        estimate_name="median change",
        ci=None,
        study_name=study.name,
        notes=[f"{study.n - m} zero change(s) dropped"] if m < study.n else [],
        details={"score_sum": s, "variance": variance},
    )
