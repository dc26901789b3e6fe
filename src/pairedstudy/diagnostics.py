"""Diagnostics of the change ``post - pre``: how far it is from normal, shown beside the tests.

These are descriptions, not gatekeepers. A non-significant normality test does not show that
the change is normal (with few pairs it has little power), a significant one with many pairs
may flag a departure too small to matter, and choosing between the t-test and a rank test
from a preliminary normality test distorts the error rates of the test finally run (Rochon,
Gondan & Kieser 2012; Zimmerman 2004). Choose the test from the design and the kind of
effect of interest, and read these figures as context.

The diagnostic is not a registered test (its alternative is not about the location of the
change): call :func:`normality` and read its :class:`~pairedstudy.results.NormalityDiagnostic`.
The command line's ``analyze`` reports it beside the tests.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

import numpy as np

from ._numerics import constant_change, mean_sd, pow2_scale
from ._validation import show
from .errors import DegenerateDataError, InputTypeError, InputValueError
from .results import NormalityDiagnostic

if TYPE_CHECKING:
    from .study import PairedStudy

__all__ = ["NormalityDiagnostic", "normality"]

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
        The data; the diagnostic uses ``study.change``. Only a study is accepted (not a
        list or array of changes: build ``PairedStudy(pre, post)`` first, which validates
        the values once).

    Returns
    -------
    NormalityDiagnostic

    Raises
    ------
    InputTypeError
        ``study`` is not a :class:`~pairedstudy.PairedStudy` (a list, an array, ...).
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

    change = getattr(study, "change", None)
    if not isinstance(change, np.ndarray) or not hasattr(study, "pre"):
        raise InputTypeError(
            f"study must be a PairedStudy (e.g. pairedstudy.PairedStudy(pre, post)); got "
            f"{show(study)}"
        )
    n = int(change.size)
    if n < 3:
        raise InputValueError(
            f"the Shapiro-Wilk normality diagnostic needs at least 3 pairs; got n = {n}"
        )
    mean, sd = mean_sd(change)
    if constant_change(mean, sd):
        raise DegenerateDataError(
            f"the change post - pre is constant (every pair changed by {mean:g}), so the "
            "Shapiro-Wilk statistic is undefined"
        )
    scaled, _ = pow2_scale(change)  # W, skewness and kurtosis are scale invariant
    notes = [_NOT_A_GATE]
    left_out = study.left_out_note()  # the change exists for complete pairs only
    if left_out is not None:
        notes.append(left_out)
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
        study_name=study.name,
    )
