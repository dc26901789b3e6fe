"""Power and sample size of the Wilcoxon signed-rank test: A.R.E. method or simulation."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from .._numerics import pow2_scale
from .._progress import Progress
from .._random import SeedLike, check_seed
from .._validation import check_alternative, check_choice, check_probability, check_real, show
from ..errors import InputTypeError, InputValueError
from ..results import PowerResult
from ._common import (
    check_n,
    check_optional_probability,
    one_unknown,
    smallest_n,
    smallest_whole_n,
    solve_increasing,
)
from .ttest import check_broadcast, paired_t, power_array

__all__ = ["ARE", "simulate_wilcoxon_power", "wilcoxon", "wilcoxon_power"]

#: Asymptotic relative efficiency of the signed-rank test to the t-test by parent
#: distribution of the changes (G*Power 3 manual; Lehmann 1975); ``"min"`` is the lower
#: bound 108/125 = 0.864 over all symmetric parents (Hodges & Lehmann 1956).
ARE: dict[str, float] = {
    "normal": 3.0 / math.pi,
    "laplace": 1.5,
    "logistic": math.pi**2 / 9.0,
    "uniform": 1.0,
    "min": 0.864,
}
PARENTS = ("normal", "laplace", "logistic", "uniform")
METHODS = ("are", "simulation")

FloatArray: TypeAlias = npt.NDArray[np.float64]
#: A checked parent: a named distribution, ``("t", df)`` or a pilot's changes.
Parent: TypeAlias = "str | tuple[str, float] | FloatArray"


def wilcoxon_power(
    n: npt.ArrayLike,
    dz: npt.ArrayLike,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    parent: str = "normal",
) -> float | FloatArray:
    """A.R.E. power of the signed-rank test: the t-test's power at ``n * ARE`` pairs.

    Parameters
    ----------
    n, dz : float or array_like
        Pairs and standardized effect (vectorized, for power curves).
    alpha : float
        Significance level.
    alternative : {"two-sided", "less", "greater"}
        The test's alternative.
    parent : {"normal", "laplace", "logistic", "uniform", "min"}
        Parent distribution of the changes, which sets the efficiency :data:`ARE`.

    Returns
    -------
    float or numpy.ndarray
    """
    efficiency = ARE[check_choice("parent", parent, ARE)]
    alpha = check_probability("alpha", alpha)
    alternative = check_alternative(alternative)
    try:
        n_arr = np.asarray(n, dtype=float)
        dz_arr = np.asarray(dz, dtype=float)
    except (TypeError, ValueError):
        raise InputTypeError(f"n and dz must be numbers or arrays; got {n!r}, {dz!r}") from None
    if np.any(~np.isfinite(n_arr)) or np.any(n_arr < 2) or np.any(~np.isfinite(dz_arr)):
        raise InputValueError("n must be at least 2 and dz finite")
    check_broadcast(n_arr, dz_arr)
    # G*Power's A.R.E. method: the t-test at a fractional n * ARE (df = n ARE - 1 > 0)
    return power_array(n_arr * efficiency, dz_arr, alpha, alternative)


def _parent_draws(
    parent: str | tuple[str, float], rng: np.random.Generator, shape: tuple[int, int]
) -> FloatArray:
    """Draws with mean 0 and SD 1 from a named parent, or ``("t", df)``."""
    if isinstance(parent, tuple):
        df = parent[1]
        return rng.standard_t(df, size=shape) * math.sqrt((df - 2.0) / df)
    if parent == "normal":
        return rng.standard_normal(shape)
    if parent == "laplace":
        return rng.laplace(0.0, 1.0 / math.sqrt(2.0), shape)
    if parent == "logistic":
        return rng.logistic(0.0, math.sqrt(3.0) / math.pi, shape)
    return rng.uniform(-math.sqrt(3.0), math.sqrt(3.0), shape)  # uniform


def _check_parent(parent: Any) -> Parent:
    if isinstance(parent, str):
        if parent == "min":
            raise InputValueError(
                "parent='min' is the A.R.E. lower bound, not a distribution to simulate; "
                f"use method='are' or one of {', '.join(PARENTS)}"
            )
        return check_choice("parent", parent, PARENTS)
    if isinstance(parent, tuple) and len(parent) == 2 and parent[0] == "t":
        df = check_real("parent t df", parent[1])
        if df <= 2:
            raise InputValueError(f"a t parent needs df > 2 (finite variance); got {df!r}")
        return ("t", df)
    from .._validation import as_float_vector

    pilot = as_float_vector("parent", parent)
    if pilot.size < 2 or not np.isfinite(pilot).all():
        raise InputValueError("an empirical parent needs at least 2 finite changes")
    if np.all(pilot == pilot[0]):
        raise InputValueError(
            f"parent must hold changes that vary (SD > 0): every value of the pilot is "
            f"{pilot[0]:g} (got {show(parent)}), so its dz is undefined and every resampled "
            "study would be the same one; give a pilot with at least two different changes, "
            "or a named parent with dz"
        )
    return pilot


def _rejections(
    changes: FloatArray, alpha: float, alternative: str, test_options: dict[str, Any]
) -> npt.NDArray[np.bool_]:
    """Whether ``study.test("wilcoxon", ...)`` rejects on each row of ``changes``.

    Rows without ties or zeros (continuous parents) are done at once from the cached
    exact table or the normal approximation, whichever ``method="auto"`` would pick;
    the other rows go through the full test, so ties and zeros are handled as the
    library's test handles them.
    """
    from ..inference._exact import signrank_cdf, signrank_cost
    from ..inference.wilcoxon import EXACT_BUDGET, wilcoxon_test
    from ..study import PairedStudy

    k, n = changes.shape
    magnitude = np.abs(changes)
    order = np.argsort(magnitude, axis=1)
    ordered = np.take_along_axis(magnitude, order, axis=1)
    simple = ~((ordered[:, 1:] == ordered[:, :-1]).any(axis=1) | (ordered[:, 0] == 0))
    reject = np.zeros(k, dtype=bool)
    method = test_options.get("method", "auto")
    if simple.any():
        rows = np.flatnonzero(simple)
        ranks = np.empty((rows.size, n))
        np.put_along_axis(ranks, order[rows], np.arange(1.0, n + 1), axis=1)
        v = (ranks * (changes[rows] > 0)).sum(axis=1).astype(np.int64)
        total = n * (n + 1) // 2
        exact = method == "exact" or (method == "auto" and signrank_cost(n) <= EXACT_BUDGET)
        if exact:
            cdf = signrank_cdf(n)
            lower, upper = cdf[v], cdf[total - v]
        else:
            from scipy import special

            sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
            diff = v - total / 2.0
            if test_options.get("correction", True):
                if alternative == "two-sided":
                    diff = diff - np.sign(diff) * 0.5
                else:
                    diff = diff - (0.5 if alternative == "greater" else -0.5)
            lower, upper = special.ndtr(diff / sd), special.ndtr(-diff / sd)
        p = {"less": lower, "greater": upper}.get(alternative)
        if p is None:
            p = np.minimum(1.0, 2.0 * np.minimum(lower, upper))
        reject[rows] = p <= alpha
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in np.flatnonzero(~simple):
            study = PairedStudy(np.zeros(n), changes[row])
            result = wilcoxon_test(
                study, alternative=alternative, mu=0.0, confidence_level=0.95, **test_options
            )
            reject[row] = result.pvalue <= alpha
    return reject


def simulate_wilcoxon_power(
    n: int,
    dz: float | None,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    parent: Any = "normal",
    *,
    n_sim: int = 10_000,
    seed: SeedLike = 0,
    progress: bool | None = None,
    **test_options: Any,
) -> tuple[float, float]:
    """Monte Carlo power of ``study.test("wilcoxon")`` and its standard error.

    Parameters
    ----------
    n : int
        Pairs.
    dz : float or None
        Location shift in SD units for a named parent; ``None`` for an empirical parent,
        whose own values (and effect) are resampled.
    alpha : float
        Significance level.
    alternative : str
        The test's alternative.
    parent : str, tuple or array_like
        ``"normal"``, ``"laplace"``, ``"logistic"``, ``"uniform"``, ``("t", df)``, or the
        changes of a pilot study to resample (ties and zeros included).
    n_sim : int
        Simulated studies.
    seed : int, numpy.random.Generator or None
        Seed of the random numbers (default 0); a Generator is drawn from (and advanced).
    progress : bool, optional
        Show a progress bar (default: only on a terminal).
    **test_options
        ``zero_method``, ``method``, ``correction`` of the test.

    Returns
    -------
    power, mc_se : float
        The proportion of rejections and ``sqrt(power (1 - power) / n_sim)``.
    """
    from ..inference.wilcoxon import METHODS as TEST_METHODS
    from ..inference.wilcoxon import ZERO_METHODS

    checked = _check_parent(parent)
    n = check_n(n, 2)
    alpha = check_probability("alpha", alpha)
    alternative = check_alternative(alternative)
    if isinstance(n_sim, bool) or not isinstance(n_sim, (int, np.integer)) or n_sim < 1:
        raise InputValueError(f"n_sim must be a positive whole number; got {show(n_sim)}")
    rng, _ = check_seed(seed)
    shift = 0.0
    if not isinstance(checked, np.ndarray):
        if dz is None:
            raise InputValueError("dz is needed for a named parent (None only for a pilot)")
        shift = check_real("dz", dz)
    elif dz is not None:
        check_real("dz", dz)
    unknown = set(test_options) - {"zero_method", "method", "correction"}
    if unknown:
        raise InputTypeError(f"unknown test option(s) {sorted(unknown)}")
    check_choice("method", test_options.get("method", "auto"), TEST_METHODS)
    check_choice("zero_method", test_options.get("zero_method", "wilcox"), ZERO_METHODS)
    total = int(n_sim)
    rejected = 0
    batch = max(1, min(total, 2_000_000 // max(n, 1)))
    bar = Progress(total, "simulating", progress if total * n > 5_000_000 else False)
    done = 0
    while done < total:
        size = min(batch, total - done)
        if isinstance(checked, np.ndarray):
            changes = rng.choice(checked, size=(size, n), replace=True)
        else:
            changes = _parent_draws(checked, rng, (size, n)) + shift
        rejected += int(_rejections(changes, alpha, alternative, test_options).sum())
        done += size
        bar.update(size)
    bar.close()
    power = rejected / total
    return power, math.sqrt(max(power * (1.0 - power), 1.0 / total) / total)


def wilcoxon(
    n: int | None = None,
    dz: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    method: str = "are",
    parent: Any = "normal",
    *,
    n_sim: int = 10_000,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> PowerResult:
    """Power or sample size of the Wilcoxon signed-rank test.

    Exactly one of ``n``, ``dz`` and ``power`` is ``None`` (``method="are"``), or one of
    ``n`` and ``power`` (``method="simulation"``).

    Parameters
    ----------
    n : int, optional
        Pairs.
    dz : float, optional
        Mean change / SD of change under the parent. With an empirical parent leave it
        ``None``: the pilot's own changes (and effect) are resampled.
    alpha : float
        Significance level.
    power : float, optional
        Power.
    alternative : {"two-sided", "less", "greater"}
        The test's alternative.
    method : {"are", "simulation"}
        ``"are"``: G*Power's A.R.E. method, the t-test's sample size divided by the
        asymptotic relative efficiency of the parent (power: the t-test's at
        ``n * ARE``). ``"simulation"``: Monte Carlo of the library's own signed-rank test
        (exact with ties where ``method="auto"`` would be) under the parent.
    parent : str, tuple or array_like
        ``"normal"`` (ARE 3/π), ``"laplace"`` (1.5), ``"logistic"`` (π²/9), ``"uniform"``
        (1), ``"min"`` (0.864, A.R.E. only), ``("t", df)`` (simulation only) or the changes
        of a pilot study (simulation only; ordinal scores with ties keep their ties).
    n_sim : int
        Simulated studies per evaluated ``n``.
    seed : int, numpy.random.Generator or None
        Seed of the simulation; when omitted a fresh one is drawn and recorded in
        ``details["seed"]``. A Generator is used (and advanced) and ``None`` recorded.
    progress : bool, optional
        Progress bar for long simulations (default: only on a terminal).

    Returns
    -------
    PowerResult
        For simulation, ``mc_se`` is the Monte Carlo standard error of ``power``.

    Notes
    -----
    The A.R.E. method reproduces G*Power's and pwrss's sample sizes (e.g. 134 pairs for
    ``dz = 0.25``, 80 % power, two-sided, normal parent). It is asymptotic (a local
    efficiency), so for finite samples it can be far off: at ``n = 60, dz = 0.35`` it
    gives 0.907 for a Laplace parent and 0.760 for a uniform one where simulation gives
    0.875 and 0.702 (normal: 0.740 vs 0.742). Simulation is the check. Solving ``n`` by simulation
    uses the same random numbers for every ``n`` (common random numbers) and returns the
    smallest ``n`` whose simulated power reaches the target.

    References
    ----------
    .. [1] Lehmann, E. L. (1975). Nonparametrics: Statistical Methods Based on Ranks.
       Holden-Day.
    .. [2] Faul, F., Erdfelder, E., Lang, A.-G. & Buchner, A. (2007). G*Power 3. Behavior
       Research Methods 39(2), 175-191.
    """
    alternative = check_alternative(alternative)
    method = check_choice("method", method, METHODS)
    target = check_optional_probability("power", power)
    alpha = check_probability("alpha", alpha)
    if method == "are":
        return _wilcoxon_are(n, dz, alpha, target, alternative, parent)
    return _wilcoxon_simulation(
        n, dz, alpha, target, alternative, parent, n_sim=n_sim, seed=seed, progress=progress
    )


def _wilcoxon_are(
    n: int | None,
    dz: float | None,
    alpha: float,
    target: float | None,
    alternative: str,
    parent: Any,
) -> PowerResult:
    """``method="are"``: the t-test at ``n * ARE`` pairs (G*Power's A.R.E. method)."""
    if not isinstance(parent, str):
        raise InputTypeError(
            f"method='are' takes a named parent ({', '.join(ARE)}); got {show(parent)}"
        )
    check_choice("parent", parent, ARE)
    efficiency = ARE[parent]
    unknown = one_unknown(n=n, dz=dz, power=target)
    details: dict[str, Any] = {"are": efficiency}

    def power_at(k: float, effect: float) -> float:
        return float(wilcoxon_power(k, effect, alpha, alternative, parent))

    n_exact = None
    if unknown == "n":
        effect = check_real("dz", dz)
        goal = check_probability("power", target)
        t_plan = paired_t(dz=effect, power=goal, alpha=alpha, alternative=alternative)
        n_exact = float(t_plan.n_exact or 0.0) / efficiency
        pairs = smallest_whole_n(lambda k: power_at(k, effect), n_exact, goal, 2)
    else:
        pairs = check_n(n, 2)
        if unknown == "dz":
            goal = check_probability("power", target)
            if goal <= alpha:
                raise InputValueError(f"power must exceed alpha ({alpha}); got {goal}")
            sign = -1.0 if alternative == "less" else 1.0
            effect = sign * solve_increasing(
                lambda x: power_at(pairs, sign * x),
                goal,
                0.0,
                1e3,
                f"no dz reaches power {goal}",
            )
        else:
            effect = check_real("dz", dz)
    return PowerResult(
        test="wilcoxon",
        method=f"A.R.E. ({parent} parent, ARE {efficiency:.4f})",
        solved_for=unknown,
        n=pairs,
        n_exact=n_exact,
        effect=effect,
        effect_name="dz",
        alpha=alpha,
        power=power_at(pairs, effect),
        target_power=target,
        alternative=alternative,
        notes=[],
        details=details,
    )


#: Simulation never looks beyond this many pairs.
SIM_N_MAX = 100_000


def _wilcoxon_simulation(
    n: int | None,
    dz: float | None,
    alpha: float,
    target: float | None,
    alternative: str,
    parent: Any,
    *,
    n_sim: int,
    seed: SeedLike,
    progress: bool | None,
) -> PowerResult:
    """``method="simulation"``: Monte Carlo of the library's test, with common random numbers."""
    notes: list[str] = []
    details: dict[str, Any] = {}
    pilot = _check_parent(parent)
    if isinstance(pilot, np.ndarray):
        if dz is not None:
            raise InputValueError(
                "with an empirical parent the effect is the pilot's own; leave dz None"
            )
        # dz is scale-free: on values divided by a power of two (exact) nothing overflows
        scaled = pow2_scale(pilot)[0]
        sd = float(np.std(scaled, ddof=1))
        mean = float(np.mean(scaled))
        dz_value = mean / sd  # sd > 0: _check_parent refuses a constant pilot
        details["pilot_n"] = int(pilot.size)
        label = "pilot changes"
    else:
        if dz is None:
            raise InputValueError(
                "method='simulation' needs dz (it solves for n or power, not for dz)"
            )
        dz_value = check_real("dz", dz)
        label = f"t({pilot[1]:g})" if isinstance(pilot, tuple) else pilot
    unknown = one_unknown(n=n, power=target)
    if isinstance(n_sim, bool) or not isinstance(n_sim, (int, np.integer)) or n_sim < 100:
        raise InputValueError(f"n_sim must be an integer of at least 100; got {show(n_sim)}")
    rng, recorded = check_seed(seed)
    # every n draws from the same stream (common random numbers): one integer seed
    stream = recorded if recorded is not None else int(rng.integers(0, 2**63))
    details.update({"seed": recorded, "n_sim": int(n_sim)})

    def simulated(k: int) -> tuple[float, float]:
        return simulate_wilcoxon_power(
            k,
            None if isinstance(pilot, np.ndarray) else dz_value,
            alpha,
            alternative,
            pilot,
            n_sim=n_sim,
            seed=stream,
            progress=progress,
        )

    if unknown == "n":
        goal = check_probability("power", target)
        start = wilcoxon(
            dz=dz_value if math.isfinite(dz_value) else 10.0,
            power=goal,
            alpha=alpha,
            alternative=alternative,
            method="are",
            parent=pilot if isinstance(pilot, str) else "normal",
        ).n
        pairs = _smallest_simulated_n(lambda k: simulated(k)[0], goal, max(2, start or 2))
        notes.append(f"n is the smallest whose simulated power reaches {goal}")
    else:
        pairs = check_n(n, 2)
    achieved, mc_se = simulated(pairs)
    return PowerResult(
        test="wilcoxon",
        method=f"simulation ({label} parent, {n_sim} studies)",
        solved_for=unknown,
        n=pairs,
        n_exact=None,
        effect=dz_value,
        effect_name="dz",
        alpha=alpha,
        power=achieved,
        target_power=target,
        alternative=alternative,
        mc_se=mc_se,
        notes=notes,
        details=details,
    )


def _smallest_simulated_n(power_at: Callable[[int], float], target: float, start: int) -> int:
    """:func:`~pairedstudy.power._common.smallest_n` on a simulated power.

    Refuses when the power does not grow while the upper end doubles (three doublings in
    a row without a new maximum): the effect may point the other way.
    """
    best = -1.0
    stalled = 0
    largest = 0

    def reaches(k: int) -> bool:
        nonlocal best, stalled, largest
        power = power_at(k)
        if k > largest:  # a new upper end: the doubling phase
            if largest:
                stalled = stalled + 1 if power <= best else 0
                if stalled >= 3:
                    raise InputValueError(
                        f"the simulated power does not grow with n (it is {power:.3f} at "
                        f"n = {k}); no n reaches {target}: the effect may point the other way"
                    )
            largest = k
            best = max(best, power)
        return power >= target

    n = smallest_n(reaches, start, minimum=2, limit=SIM_N_MAX)
    if n is None:
        raise InputValueError(f"no n up to {SIM_N_MAX} reaches power {target} in simulation")
    return n
