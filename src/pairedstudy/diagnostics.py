"""Diagnostics of the change ``post - pre``: how far it is from normal, shown beside the tests.

These are descriptions, not gatekeepers. A non-significant normality test does not show that
the change is normal (with few pairs it has little power), a significant one with many pairs
may flag a departure too small to matter, and choosing between the t-test and a rank test
from a preliminary normality test distorts the error rates of the test finally run (Rochon,
Gondan & Kieser 2012; Zimmerman 2004). Choose the test from the design and the kind of
effect of interest, and read these figures as context.

Importing this module registers the ``"shapiro"`` diagnostic as a test, so that
``study.test("shapiro")`` works.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import attrs
import numpy as np

from ._numerics import mean_sd, pow2_scale
from .errors import DegenerateDataError, InputValueError
from .registry import register_test
from .results import TestResult
from .study import PairedStudy

__all__ = ["NormalityDiagnostic", "normality", "shapiro_diagnostic"]

_EPS = float(np.finfo(float).eps)
#: Tukey's fences: a change is outlying when it lies more than this many interquartile
#: ranges below the first or above the third quartile.
TUKEY_K = 1.5
#: Above this n scipy warns that the Shapiro-Wilk p-value may be inaccurate (R refuses).
SHAPIRO_N_MAX = 5000

_NOT_A_GATE = (
    "a diagnostic, not a gatekeeper: a non-significant result does not show that the change "
    "is normal (few pairs give little power), and choosing the t-test or a rank test from "
    "this p-value distorts the error rates of the test finally run (Rochon, Gondan & Kieser "
    "2012; Zimmerman 2004)"
)


@attrs.frozen(kw_only=True)
class NormalityDiagnostic:
    """How the change ``post - pre`` departs from a normal distribution.

    Attributes
    ----------
    n : int
        Number of pairs.
    w : float
        The Shapiro-Wilk statistic W (1 for a perfectly normal-looking sample).
    pvalue : float
        Its p-value (small: evidence of non-normality).
    skewness : float
        Adjusted Fisher-Pearson sample skewness ``G1`` (as SPSS and Excel report it;
        scipy's ``skew(bias=False)``).
    excess_kurtosis : float or None
        Sample excess kurtosis ``G2`` (SPSS; scipy's ``kurtosis(bias=False)``), 0 for a
        normal population; ``None`` for ``n = 3``, where it is undefined.
    n_outliers : int
        Changes outside Tukey's fences ``[Q1 - 1.5 IQR, Q3 + 1.5 IQR]``, with the
        quartiles of R's default (type 7, numpy's ``"linear"``) definition.
    fences : tuple of float
        The fences ``(low, high)``.
    method : str
        How W and its p-value were computed.
    notes : tuple of str
        What a reader should know, starting with why this is not a gatekeeper.
    """

    n: int
    w: float
    pvalue: float
    skewness: float
    excess_kurtosis: float | None
    n_outliers: int
    fences: tuple[float, float]
    method: str
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Return every field as plain Python types."""
        out = attrs.asdict(self)
        out["fences"] = list(self.fences)
        out["notes"] = list(self.notes)
        return out

    def __str__(self) -> str:
        kurtosis = "NA" if self.excess_kurtosis is None else f"{self.excess_kurtosis:.3f}"
        p = f"{self.pvalue:.3g}" if self.pvalue < 1e-4 else f"{self.pvalue:.4f}"
        lines = [
            "Normality diagnostic of change = post - pre (a description, not a gatekeeper)",
            f"  n = {self.n} pairs; Shapiro-Wilk W = {self.w:.4f}, p = {p}",
            f"  skewness = {self.skewness:.3f}, excess kurtosis = {kurtosis}",
            f"  outlying changes (Tukey's fences [{self.fences[0]:.4g}, {self.fences[1]:.4g}])"
            f": {self.n_outliers}",
        ]
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def _skewness_kurtosis(x: np.ndarray) -> tuple[float, float | None]:
    """``G1`` and ``G2`` (scipy's ``skew`` and ``kurtosis`` with ``bias=False``).

    ``g1 = m3 / m2^1.5``, ``G1 = g1 sqrt(n (n - 1)) / (n - 2)``; ``g2 = m4 / m2^2 - 3``,
    ``G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2)(n - 3))`` (Joanes & Gill 1998), ``None``
    for ``n = 3``; computed directly, without scipy's per-call wrappers.
    """
    n = x.size
    centred = x - x.mean()
    squared = centred * centred
    m2 = float(squared.mean())
    m3 = float((squared * centred).mean())
    g1 = m3 / m2**1.5
    skewness = g1 * math.sqrt(n * (n - 1)) / (n - 2)
    if n < 4:
        return skewness, None
    g2 = float((squared * squared).mean()) / (m2 * m2) - 3.0
    return skewness, ((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3))


def normality(study: PairedStudy) -> NormalityDiagnostic:
    """Shapiro-Wilk W, skewness, kurtosis and outliers of the change ``post - pre``.

    Parameters
    ----------
    study : PairedStudy
        The data; the diagnostic uses ``study.change``.

    Returns
    -------
    NormalityDiagnostic

    Raises
    ------
    InputValueError
        Fewer than 3 pairs (the Shapiro-Wilk test needs at least 3).
    DegenerateDataError
        The change is constant: W is undefined.

    Notes
    -----
    W and its p-value are scipy's ``stats.shapiro`` (Royston's 1995 algorithm AS R94, the
    one R's ``shapiro.test`` uses). Above 5000 pairs R refuses and scipy warns that the
    p-value may be inaccurate; here the value is returned with a note instead. W does not
    depend on the location or scale of the change. Read the result as a description
    (module docstring): it is not a test to pass before running the t-test.

    References
    ----------
    .. [1] Shapiro, S. S. & Wilk, M. B. (1965). An analysis of variance test for normality
       (complete samples). Biometrika 52(3/4), 591-611.
    .. [2] Royston, P. (1995). Remark AS R94: A remark on algorithm AS 181: The W-test for
       normality. Applied Statistics 44(4), 547-551.
    .. [3] Rochon, J., Gondan, M. & Kieser, M. (2012). To test or not to test: Preliminary
       assessment of normality when comparing two independent samples. BMC Medical
       Research Methodology 12, 81.
    .. [4] Zimmerman, D. W. (2004). A note on preliminary tests of equality of variances.
       British Journal of Mathematical and Statistical Psychology 57(1), 173-181.
    .. [5] Tukey, J. W. (1977). Exploratory Data Analysis. Addison-Wesley.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> from pairedstudy.diagnostics import normality
    >>> check = normality(ps.datasets.oxytocin_massage())
    >>> check.n, 0 < check.w <= 1
    (21, True)
    """
    from scipy import stats

    change = study.change
    n = int(change.size)
    if n < 3:
        raise InputValueError(
            f"the Shapiro-Wilk normality diagnostic needs at least 3 pairs; got n = {n}"
        )
    mean, sd = mean_sd(change)
    if sd == 0.0 or sd < 10 * _EPS * abs(mean):
        raise DegenerateDataError(
            f"the change post - pre is constant (every pair changed by {mean:g}), so the "
            "Shapiro-Wilk statistic is undefined"
        )
    scaled, _ = pow2_scale(change)  # W, skewness and kurtosis are scale invariant
    notes = [_NOT_A_GATE]
    with warnings.catch_warnings():
        # scipy warns above n = 5000; the caveat goes into the notes instead.
        warnings.filterwarnings("ignore", message=".*N > 5000", category=UserWarning)
        w, p = stats.shapiro(scaled)
    if n > SHAPIRO_N_MAX:
        notes.append(
            f"n = {n} > {SHAPIRO_N_MAX}: the Shapiro-Wilk p-value is an extrapolation of "
            "Royston's approximation (R's shapiro.test refuses such n), and with this many "
            "pairs a departure too small to matter is 'significant'"
        )
    skewness, kurtosis = _skewness_kurtosis(scaled)
    if kurtosis is None:
        notes.append("excess kurtosis is undefined for n = 3")
    q1, q3 = np.quantile(change, [0.25, 0.75])
    iqr = float(q3 - q1)
    fences = (float(q1) - TUKEY_K * iqr, float(q3) + TUKEY_K * iqr)
    n_outliers = int(np.count_nonzero((change < fences[0]) | (change > fences[1])))
    return NormalityDiagnostic(
        n=n,
        w=float(w),
        pvalue=min(max(float(p), 0.0), 1.0),
        skewness=skewness,
        excess_kurtosis=kurtosis,
        n_outliers=n_outliers,
        fences=fences,
        method="Shapiro-Wilk, Royston (1995) AS R94",
        notes=notes,
    )


@register_test("shapiro")
def shapiro_diagnostic(
    study: PairedStudy,
    *,
    alternative: str = "two-sided",
    mu: float = 0.0,
    confidence_level: float = 0.95,
) -> TestResult:
    """Shapiro-Wilk normality diagnostic of the change (a description, not a gatekeeper).

    Parameters
    ----------
    study : PairedStudy
        The data; the diagnostic uses ``study.change``.
    alternative, mu, confidence_level
        Accepted so that every registered test can be called alike, and recorded in the
        result, but they do not apply: W does not depend on ``mu``, the alternative is
        always "not normal", and there is no interval.

    Returns
    -------
    TestResult
        ``statistic`` is W and ``pvalue`` its p-value (H0: the change is normal).
        ``estimate`` is also W (``estimate_name`` says so; it is not a location estimate)
        and ``ci`` is ``None``. ``df`` is ``None``. ``details`` holds the rest of
        :func:`normality`: ``skewness``, ``excess_kurtosis``, ``n_outliers`` and
        ``outlier_fences``.

    Raises
    ------
    InputValueError
        Fewer than 3 pairs.
    DegenerateDataError
        The change is constant.

    Notes
    -----
    See :func:`normality`. Do not use the p-value to choose between the t-test and a rank
    test (Rochon, Gondan & Kieser 2012; Zimmerman 2004): report it, if at all, as context.

    References
    ----------
    .. [1] Shapiro, S. S. & Wilk, M. B. (1965). An analysis of variance test for normality
       (complete samples). Biometrika 52(3/4), 591-611.
    .. [2] Rochon, J., Gondan, M. & Kieser, M. (2012). To test or not to test: Preliminary
       assessment of normality when comparing two independent samples. BMC Medical
       Research Methodology 12, 81.
    .. [3] Zimmerman, D. W. (2004). A note on preliminary tests of equality of variances.
       British Journal of Mathematical and Statistical Psychology 57(1), 173-181.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> result = ps.datasets.oxytocin_massage().test("shapiro")
    >>> result.statistic_name, result.ci is None
    ('W', True)
    """
    check = normality(study)
    notes = list(check.notes)
    if alternative != "two-sided" or mu != 0.0:
        notes.append(
            f"alternative={alternative!r} and mu={mu:g} do not apply to a normality "
            "diagnostic and were ignored"
        )
    notes.append("estimate is W (not a location estimate); there is no interval")
    return TestResult(
        test="shapiro",
        title="Shapiro-Wilk normality diagnostic of the change",
        method=check.method,
        statistic=check.w,
        statistic_name="W",
        pvalue=check.pvalue,
        alternative=alternative,
        mu=mu,
        n=check.n,
        df=None,
        estimate=check.w,
        estimate_name="W (normality diagnostic)",
        ci=None,
        study_name=study.name,
        notes=notes,
        hypothesis="the changes are not normally distributed (a diagnostic, not a gatekeeper)",
        details={
            "skewness": check.skewness,
            "excess_kurtosis": check.excess_kurtosis,
            "n_outliers": check.n_outliers,
            "outlier_fences": check.fences,
        },
    )
