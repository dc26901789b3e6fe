"""Power and sample size of the partially overlapping samples t-test, by simulation.

A study planned with ``n`` complete pairs that expects dropouts also gets the observed
halves of its incomplete pairs: baselines of subjects lost to follow-up (``pre_only``) and
follow-ups of subjects whose baseline is missing (``post_only``). The ``"partial-t"`` test
uses them; its power has no closed form, so it is simulated from bivariate normal data with
the kernel of the test itself (:func:`pairedstudy.inference.partial.partial_moments` and
:func:`~pairedstudy.inference.partial.partial_t_rows`), on every simulated study at once.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from .._progress import Progress
from .._random import SeedLike, check_seed
from .._validation import check_alternative, check_bool, check_probability, check_real, show
from ..errors import InputTypeError, InputValueError
from ..inference.partial import partial_moments, partial_t_rows
from ..results import PowerResult
from ._common import check_n, check_optional_probability, one_unknown, smallest_n
from .ttest import paired_t, power_array

__all__ = ["SIM_BUDGET", "SIM_N_MAX", "TOTAL_BUDGET", "partial_t", "simulate_partial_t_power"]

#: The most random values one simulated power may draw (about 10 s): ``n_sim`` studies of
#: ``2 n + pre_only + post_only`` values each.
SIM_BUDGET = 250_000_000
#: The most random values a whole call may draw (about a minute), over every ``n`` that the
#: search for a sample size evaluates.
TOTAL_BUDGET = 1_500_000_000
#: The search for ``n`` never looks beyond this many pairs.
SIM_N_MAX = 100_000
#: Rows simulated together: about this many values at a time (bounded memory).
_CHUNK_VALUES = 2_000_000


def _check_count(name: str, value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name} must be a whole number of observations; got {show(value)}")
    number = float(value)
    if not number.is_integer() or number < 0 or number > SIM_N_MAX:
        raise InputValueError(
            f"{name} must be a whole number of observations in [0, {SIM_N_MAX}]; got {value!r}"
        )
    return int(number)


def _check_rate(name: str, value: Any) -> float | None:
    if value is None:
        return None
    rate = check_real(name, value)
    if not 0.0 <= rate < 1.0:
        raise InputValueError(
            f"{name} must lie in [0, 1) (a fraction of the enrolled subjects); got {rate!r}"
        )
    return rate


def _check_sds(value: Any) -> tuple[float, float]:
    sequence = isinstance(value, Sequence) and not isinstance(value, (str, bytes))
    if not (sequence or (isinstance(value, np.ndarray) and value.ndim == 1)) or len(value) != 2:
        raise InputTypeError(
            f"sds must be a (pre, post) pair of two positive numbers; got {show(value)}"
        )
    s_pre, s_post = (check_real("sds", s) for s in value)
    if s_pre <= 0 or s_post <= 0:
        raise InputValueError(f"sds must be positive; got {show(value)}")
    return s_pre, s_post


def _check_n_sim(value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputTypeError(f"n_sim must be a whole number of at least 100; got {show(value)}")
    if value < 100:
        raise InputValueError(f"n_sim must be a whole number of at least 100; got {value!r}")
    return int(value)


class _Design:
    """The checked inputs of a simulation: the effect, the spreads and the halves."""

    def __init__(
        self,
        *,
        dz: float | None,
        mean_change: float | None,
        r: Any,
        sds: Any,
        pre_only: Any,
        post_only: Any,
        pre_only_rate: Any,
        post_only_rate: Any,
    ) -> None:
        if r is None:
            raise InputValueError(
                "r (the pre-post correlation of the complete pairs) must be given: what the "
                "incomplete pairs add depends on it"
            )
        self.r = check_real("r", r)
        if not -1.0 < self.r < 1.0:
            raise InputValueError(f"r must lie strictly between -1 and 1; got {self.r!r}")
        self.s_pre, self.s_post = _check_sds(sds)
        self.sd_change = math.sqrt(
            self.s_pre**2 + self.s_post**2 - 2.0 * self.r * self.s_pre * self.s_post
        )
        if (dz is None) == (mean_change is None):
            raise InputValueError(
                "give the effect as exactly one of dz (mean change / SD of change) and "
                "mean_change (in the units of sds)"
            )
        if dz is not None:
            self.dz = check_real("dz", dz)
            self.mean_change = self.dz * self.sd_change
        else:
            self.mean_change = check_real("mean_change", mean_change)
            self.dz = self.mean_change / self.sd_change
        self.pre_only_rate = _check_rate("pre_only_rate", pre_only_rate)
        self.post_only_rate = _check_rate("post_only_rate", post_only_rate)
        for name, count, rate in (
            ("pre_only", pre_only, self.pre_only_rate),
            ("post_only", post_only, self.post_only_rate),
        ):
            if rate is not None and count not in (None, 0):
                raise InputValueError(
                    f"give {name} as a count ({name}) or as a rate ({name}_rate), not both; "
                    f"got {name}={count!r} and {name}_rate={rate!r}"
                )
        self.pre_only = 0 if pre_only is None else _check_count("pre_only", pre_only)
        self.post_only = 0 if post_only is None else _check_count("post_only", post_only)
        rates = (self.pre_only_rate or 0.0) + (self.post_only_rate or 0.0)
        if rates >= 1.0:
            raise InputValueError(
                "pre_only_rate + post_only_rate must be below 1 (some subjects must complete "
                f"both measurements); got {rates!r}"
            )
        self.rates = rates

    def halves(self, n: int) -> tuple[int, int]:
        """``(pre_only, post_only)`` counts for ``n`` complete pairs.

        A rate is a fraction of the enrolled subjects ``N = n / (1 - rates)``: the count is
        ``round(N * rate)``.
        """
        enrolled = n / (1.0 - self.rates)
        a = self.pre_only if self.pre_only_rate is None else round(enrolled * self.pre_only_rate)
        b = (
            self.post_only
            if self.post_only_rate is None
            else round(enrolled * self.post_only_rate)
        )
        return int(a), int(b)


def _simulate(
    design: _Design,
    n: int,
    alpha: float,
    alternative: str,
    var_equal: bool,
    n_sim: int,
    seed: SeedLike,
    progress: bool | None,
) -> tuple[float, float]:
    """Simulated power and its Monte Carlo SE (inputs checked; the work already bounded)."""
    a, b = design.halves(n)
    rng, _ = check_seed(seed)
    width = 2 * n + a + b
    chunk = max(1, min(n_sim, _CHUNK_VALUES // width))
    noise = math.sqrt(1.0 - design.r * design.r)
    rejected = 0
    done = 0
    bar = Progress(n_sim, "simulating", progress if n_sim * width > 20_000_000 else False)
    while done < n_sim:
        size = min(chunk, n_sim - done)
        z1 = rng.standard_normal((size, n))
        z2 = rng.standard_normal((size, n))
        pre = design.s_pre * z1
        post = design.mean_change + design.s_post * (design.r * z1 + noise * z2)
        pre_only = design.s_pre * rng.standard_normal((size, a))
        post_only = design.mean_change + design.s_post * rng.standard_normal((size, b))
        moments = partial_moments(pre, post, pre_only, post_only, check=False)
        rows = partial_t_rows(
            moments, var_equal=var_equal, alternative=alternative, mu=0.0, confidence_level=0.95
        )
        rejected += int(np.count_nonzero(rows.pvalue <= alpha))  # a NaN row does not reject
        done += size
        bar.update(size)
    bar.close()
    power = rejected / n_sim
    return power, math.sqrt(max(power * (1.0 - power), 1.0 / n_sim) / n_sim)


def _work(design: _Design, n: int, n_sim: int) -> int:
    a, b = design.halves(n)
    return n_sim * (2 * n + a + b)


def _refuse_costly(design: _Design, n: int, n_sim: int, spent: int) -> int:
    """The values one simulation at ``n`` draws; refuse one that would take too long."""
    work = _work(design, n, n_sim)
    if work > SIM_BUDGET:
        a, b = design.halves(n)
        raise InputValueError(
            f"simulating {n_sim} studies of {n} pairs, {a} baseline-only and {b} "
            f"follow-up-only observations would draw {work:.3g} random values, more than "
            f"SIM_BUDGET = {SIM_BUDGET:.3g} (about 10 s); lower n_sim or the sample size"
        )
    if spent + work > TOTAL_BUDGET:
        raise InputValueError(
            f"the search for n would draw more than TOTAL_BUDGET = {TOTAL_BUDGET:.3g} random "
            f"values (about a minute; it reached n = {n}); lower n_sim, or look for a larger "
            "effect"
        )
    return work


def simulate_partial_t_power(
    n: int,
    dz: float | None = None,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    *,
    r: float | None = None,
    sds: Sequence[float] = (1.0, 1.0),
    mean_change: float | None = None,
    pre_only: int = 0,
    post_only: int = 0,
    pre_only_rate: float | None = None,
    post_only_rate: float | None = None,
    var_equal: bool = False,
    n_sim: int = 10_000,
    seed: SeedLike = 0,
    progress: bool | None = None,
) -> tuple[float, float]:
    """Monte Carlo power of the ``"partial-t"`` test and its standard error.

    Parameters
    ----------
    n : int
        Complete pairs (at least 2).
    dz : float, optional
        ``mean(post - pre) / SD(post - pre)`` of the complete pairs; or give
        ``mean_change``.
    alpha : float
        Significance level.
    alternative : {"two-sided", "less", "greater"}
        The test's alternative.
    r : float
        Pre-post correlation (strictly between -1 and 1); required.
    sds : (float, float)
        SDs of pre and post (default ``(1, 1)``); they set the scale of ``mean_change``
        and, with ``r``, the SD of the change ``sqrt(s_pre² + s_post² - 2 r s_pre s_post)``.
    mean_change : float, optional
        The mean change in the units of ``sds`` (instead of ``dz``).
    pre_only, post_only : int
        Baseline-only and follow-up-only observations per study.
    pre_only_rate, post_only_rate : float, optional
        Instead of the counts: the fractions of the enrolled subjects
        ``N = n / (1 - pre_only_rate - post_only_rate)`` that have only a baseline or only
        a follow-up (counts ``round(N * rate)``).
    var_equal : bool
        Simulate ``T_new1`` (pooled variance) instead of ``T_new2``.
    n_sim : int
        Simulated studies (at least 100).
    seed : int, numpy.random.Generator or None
        Seed of the random numbers (default 0); a Generator is drawn from (and advanced).
    progress : bool, optional
        Show a progress bar (default: only on a terminal, for long runs).

    Returns
    -------
    power, mc_se : float
        The proportion of rejections and ``sqrt(power (1 - power) / n_sim)``.

    Raises
    ------
    InputValueError
        A simulation that would draw more than :data:`SIM_BUDGET` random values (about
        10 s), and bad arguments.
    """
    design = _Design(
        dz=dz,
        mean_change=mean_change,
        r=r,
        sds=sds,
        pre_only=pre_only,
        post_only=post_only,
        pre_only_rate=pre_only_rate,
        post_only_rate=post_only_rate,
    )
    n = check_n(n, 2)
    alpha = check_probability("alpha", alpha)
    alternative = check_alternative(alternative)
    var_equal = check_bool("var_equal", var_equal)
    n_sim = _check_n_sim(n_sim)
    _refuse_costly(design, n, n_sim, 0)
    return _simulate(design, n, alpha, alternative, var_equal, n_sim, seed, progress)


def partial_t(
    n: int | None = None,
    dz: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
    *,
    r: float | None = None,
    sds: Sequence[float] = (1.0, 1.0),
    mean_change: float | None = None,
    pre_only: int = 0,
    post_only: int = 0,
    pre_only_rate: float | None = None,
    post_only_rate: float | None = None,
    var_equal: bool = False,
    n_sim: int = 10_000,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> PowerResult:
    """Power or sample size of the partially overlapping samples t-test, by simulation.

    Exactly one of ``n`` and ``power`` is ``None``; it is solved for. The data are
    bivariate normal: ``n`` complete pairs with correlation ``r``, plus the observed halves
    of incomplete pairs, given as counts (``pre_only``, ``post_only``) or as rates of the
    enrolled subjects (``pre_only_rate``, ``post_only_rate``), e.g. an expected dropout.

    Parameters
    ----------
    n : int, optional
        Complete pairs (at least 2).
    dz : float, optional
        ``mean(post - pre) / SD(post - pre)``; or give ``mean_change``.
    alpha : float
        Significance level.
    power : float, optional
        Target power.
    alternative : {"two-sided", "less", "greater"}
        The test's alternative about ``post - pre``.
    r : float
        The pre-post correlation, strictly between -1 and 1 (required: what the halves add
        depends on it).
    sds : (float, float)
        SDs of pre and post (default ``(1, 1)``).
    mean_change : float, optional
        The mean change in the units of ``sds``, instead of ``dz``.
    pre_only, post_only : int
        Baseline-only and follow-up-only observations (fixed counts, whatever ``n``).
    pre_only_rate, post_only_rate : float, optional
        Fractions of the enrolled subjects ``N = n / (1 - pre_only_rate - post_only_rate)``
        with only a baseline (lost to follow-up) or only a follow-up; the counts are
        ``round(N * rate)`` and grow with ``n``.
    var_equal : bool
        Plan for ``T_new1`` (pooled variance) instead of ``T_new2`` (the default).
    n_sim : int
        Simulated studies per evaluated ``n`` (at least 100).
    seed : int, numpy.random.Generator or None
        Seed; when omitted a fresh one is drawn and recorded in ``details["seed"]``.
    progress : bool, optional
        Progress bar for long simulations (default: only on a terminal).

    Returns
    -------
    PowerResult
        ``test="partial-t"``, ``effect`` is ``dz``, ``mc_se`` the Monte Carlo standard
        error of ``power``. ``details`` holds the counts of halves at ``n``
        (``"pre_only"``, ``"post_only"``), the enrolled subjects (``"enrolled"``), the
        paired t-test's power on the complete pairs alone (``"paired_t_power"``), ``r``,
        ``sds``, ``mean_change``, ``seed`` and ``n_sim``.

    Raises
    ------
    InputValueError
        Not exactly one unknown; no ``r``; a simulation that would draw more than
        :data:`SIM_BUDGET` random values at one ``n`` (about 10 s) or
        :data:`TOTAL_BUDGET` over the search (about a minute); no ``n`` up to
        :data:`SIM_N_MAX` reaching the power; an effect pointing away from a one-sided
        alternative.

    Notes
    -----
    Solving for ``n`` uses the same random numbers for every ``n`` (common random numbers)
    and returns the smallest ``n`` whose simulated power reaches the target, searching
    down from the paired t-test's sample size for the complete pairs alone. The simulation
    assumes what the test assumes: normal data, and halves missing completely at random.
    Without halves the test is the paired t-test and the simulated power agrees with
    :func:`paired_t` within its Monte Carlo error.

    References
    ----------
    .. [1] Derrick, B., Russ, B., Toher, D. & White, P. (2017). Test statistics for the
       comparison of means for two samples that include both paired and independent
       observations. Journal of Modern Applied Statistical Methods 16(1), 137-157.

    Examples
    --------
    >>> import pairedstudy as ps
    >>> plan = ps.power.partial_t(n=20, dz=0.5, r=0.5, pre_only=6, n_sim=2000, seed=1)
    >>> plan.details["pre_only"], plan.power > plan.details["paired_t_power"] - 3 * plan.mc_se
    (6, True)
    """
    alternative = check_alternative(alternative)
    alpha = check_probability("alpha", alpha)
    target = check_optional_probability("power", power)
    var_equal = check_bool("var_equal", var_equal)
    n_sim = _check_n_sim(n_sim)
    unknown = one_unknown(n=n, power=target)
    design = _Design(
        dz=dz,
        mean_change=mean_change,
        r=r,
        sds=sds,
        pre_only=pre_only,
        post_only=post_only,
        pre_only_rate=pre_only_rate,
        post_only_rate=post_only_rate,
    )
    if not var_equal and design.halves(2) == (0, 0) and design.halves(SIM_N_MAX) == (0, 0):
        # no incomplete pairs: T_new2 is the paired t-test, whose power is exact
        exact = paired_t(n=n, dz=design.dz, alpha=alpha, power=target, alternative=alternative)
        return attrs.evolve(
            exact,
            test="partial-t",
            method="noncentral t (no incomplete pairs: the partial t is the paired t-test)",
            notes=(
                *exact.notes,
                "no incomplete pairs expected: T_new2 is the paired t-test, so its power is "
                "computed exactly instead of simulated",
            ),
            details={**exact.details, "pre_only": 0, "post_only": 0, "enrolled": exact.n},
        )
    rng, recorded = check_seed(seed)
    # every n draws from the same stream (common random numbers): one integer seed
    stream = recorded if recorded is not None else int(rng.integers(0, 2**63))
    spent = 0
    powers: dict[int, tuple[float, float]] = {}

    def simulated(k: int) -> tuple[float, float]:
        nonlocal spent
        if k not in powers:
            spent += _refuse_costly(design, k, n_sim, spent)
            powers[k] = _simulate(
                design, k, alpha, alternative, var_equal, n_sim, stream, progress
            )
        return powers[k]

    notes: list[str] = []
    if unknown == "n":
        goal = check_probability("power", target)
        pairs = _solve_n(design, alpha, goal, alternative, lambda k: simulated(k)[0])
        notes.append(
            f"n is the smallest number of complete pairs whose simulated power reaches {goal}"
        )
    else:
        pairs = check_n(n, 2)
    achieved, mc_se = simulated(pairs)
    a, b = design.halves(pairs)
    notes.append(
        "simulated from bivariate normal data with the halves missing completely at random "
        "(MCAR), the test's assumptions"
    )
    details: dict[str, Any] = {
        "pre_only": a,
        "post_only": b,
        "enrolled": pairs + a + b,
        "paired_t_power": float(
            power_array(np.asarray(float(pairs)), np.asarray(design.dz), alpha, alternative)
        ),
        "r": design.r,
        "sds": (design.s_pre, design.s_post),
        "mean_change": design.mean_change,
        "var_equal": var_equal,
        "seed": recorded,
        "n_sim": n_sim,
    }
    if design.pre_only_rate is not None or design.post_only_rate is not None:
        details["rates"] = (design.pre_only_rate, design.post_only_rate)
    variant = "T_new1" if var_equal else "T_new2"
    return PowerResult(
        test="partial-t",
        method=f"simulation ({variant}, bivariate normal, r = {design.r:g}, {n_sim} studies)",
        solved_for=unknown,
        n=pairs,
        n_exact=None,
        effect=design.dz,
        effect_name="dz",
        alpha=alpha,
        power=achieved,
        target_power=target,
        alternative=alternative,
        mc_se=mc_se,
        notes=notes,
        details=details,
    )


def _solve_n(
    design: _Design,
    alpha: float,
    goal: float,
    alternative: str,
    power_at: Any,
) -> int:
    """The smallest ``n`` whose simulated power reaches ``goal``."""
    favourable = {"greater": design.dz > 0, "less": design.dz < 0}.get(alternative, design.dz != 0)
    if not favourable and goal > alpha:
        raise InputValueError(
            f"no n reaches power {goal} with dz = {design.dz} ({alternative}): the effect is 0 "
            "or points the other way"
        )
    if favourable:
        start = paired_t(dz=design.dz, power=goal, alpha=alpha, alternative=alternative).n or 2
    else:
        start = 2
    n = smallest_n(
        lambda k: power_at(k) >= goal, min(start, SIM_N_MAX), minimum=2, limit=SIM_N_MAX
    )
    if n is None:
        raise InputValueError(f"no n up to {SIM_N_MAX} reaches power {goal} in simulation")
    return n
