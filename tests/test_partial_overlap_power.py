"""Power of the "partial-t" test by simulation: ps.power.partial_t and its simulator."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pairedstudy as ps
from pairedstudy.power.partial import SIM_BUDGET, TOTAL_BUDGET


@pytest.mark.parametrize(
    ("n", "dz", "alternative"),
    [(10, 0.8, "two-sided"), (25, 0.4, "greater"), (16, -0.5, "less"), (40, 0.0, "two-sided")],
)
def test_without_halves_the_power_is_the_paired_t_power(n, dz, alternative):
    """No incomplete pairs: partial-t is the paired t, so its power is the noncentral t's.

    The simulator agrees within its Monte Carlo error; the solver gives the exact value.
    """
    power, mc_se = ps.power.simulate_partial_t_power(
        n, dz=dz, r=0.3, alternative=alternative, n_sim=20_000, seed=2017
    )
    exact = ps.power.paired_t(n=n, dz=dz, alternative=alternative)
    assert abs(power - exact.power) < 4 * mc_se
    assert mc_se == pytest.approx(math.sqrt(power * (1 - power) / 20_000), rel=1e-12)
    result = ps.power.partial_t(n=n, dz=dz, r=0.3, alternative=alternative, seed=2017)
    assert result.power == exact.power and result.mc_se is None
    assert result.details["pre_only"] == result.details["post_only"] == 0
    assert "paired t-test" in result.method
    if dz:
        solved = ps.power.partial_t(dz=dz, r=0.3, power=0.8, alternative=alternative)
        assert solved.n == ps.power.paired_t(dz=dz, power=0.8, alternative=alternative).n


@settings(max_examples=8)
@given(
    n=st.integers(6, 20),
    extra=st.integers(0, 12),
    more=st.integers(6, 20),
    r=st.sampled_from([0.0, 0.5, 0.8]),
)
def test_power_grows_with_the_number_of_halves(n, extra, more, r):
    """With the same seed, more halves on both sides give at least as much power."""

    def power(k):
        return ps.power.simulate_partial_t_power(
            n, 0.5, r=r, pre_only=k, post_only=k, n_sim=2000, seed=7
        )

    fewer, se_fewer = power(extra)
    plenty, se_plenty = power(extra + more)
    assert plenty > fewer - 2 * math.hypot(se_fewer, se_plenty)


def test_halves_add_power_over_the_complete_pairs_alone():
    result = ps.power.partial_t(
        n=20, dz=0.5, r=0.5, pre_only=10, post_only=10, n_sim=20_000, seed=3
    )
    assert result.power > result.details["paired_t_power"] + 4 * result.mc_se
    assert result.details["enrolled"] == 40
    assert "missing completely at random" in " ".join(result.notes)


def test_solving_for_n_gives_the_smallest_n_reaching_the_power():
    result = ps.power.partial_t(
        power=0.8, dz=0.5, r=0.5, post_only_rate=0.1, pre_only_rate=0.15, n_sim=4000, seed=9
    )
    assert result.solved_for == "n"
    assert result.power >= 0.8
    below = ps.power.partial_t(
        n=result.n - 1,
        dz=0.5,
        r=0.5,
        post_only_rate=0.1,
        pre_only_rate=0.15,
        n_sim=4000,
        seed=9,
    )
    assert below.power < 0.8
    # the paired t on the complete pairs alone needs more pairs
    assert result.n <= ps.power.paired_t(dz=0.5, power=0.8).n
    enrolled = result.n / (1 - 0.25)
    assert result.details["pre_only"] == round(enrolled * 0.15)
    assert result.details["post_only"] == round(enrolled * 0.1)
    assert result.details["rates"] == (0.15, 0.1)


def test_mean_change_and_sds_give_the_same_dz():
    sd_change = math.sqrt(2.0**2 + 3.0**2 - 2 * 0.6 * 2.0 * 3.0)
    by_mean = ps.power.partial_t(
        n=15, mean_change=1.2, sds=(2.0, 3.0), r=0.6, pre_only=4, n_sim=1000, seed=4
    )
    by_dz = ps.power.partial_t(
        n=15, dz=1.2 / sd_change, sds=(2.0, 3.0), r=0.6, pre_only=4, n_sim=1000, seed=4
    )
    assert by_mean.dz == pytest.approx(1.2 / sd_change, rel=1e-15)
    assert by_mean.power == by_dz.power
    assert by_mean.details["mean_change"] == 1.2


def test_a_seed_repeats_the_simulation_and_is_recorded():
    first = ps.power.partial_t(n=12, dz=0.6, r=0.4, post_only=5, n_sim=500, seed=21)
    again = ps.power.partial_t(n=12, dz=0.6, r=0.4, post_only=5, n_sim=500, seed=21)
    assert first.power == again.power and first.details["seed"] == 21
    fresh = ps.power.partial_t(n=12, dz=0.6, r=0.4, post_only=5, n_sim=500)
    assert isinstance(fresh.details["seed"], int)


def test_a_simulation_that_would_take_minutes_is_refused():
    with pytest.raises(ps.InputValueError, match="SIM_BUDGET"):
        ps.power.partial_t(n=5000, dz=0.1, r=0.5, pre_only=10, n_sim=10**6, seed=1)
    assert SIM_BUDGET < TOTAL_BUDGET


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"n": 10, "dz": 0.5}, ps.InputValueError, "r .*must be given"),
        ({"n": 10, "dz": 0.5, "r": 1.0}, ps.InputValueError, "r must lie strictly"),
        ({"n": 10, "dz": 0.5, "r": 0.5, "mean_change": 1.0}, ps.InputValueError, "exactly one"),
        ({"n": 10, "r": 0.5}, ps.InputValueError, "exactly one of dz"),
        (
            {"n": 10, "dz": 0.5, "r": 0.5, "pre_only": 3, "pre_only_rate": 0.1},
            ps.InputValueError,
            "not both",
        ),
        (
            {"n": 10, "dz": 0.5, "r": 0.5, "pre_only_rate": 0.6, "post_only_rate": 0.4},
            ps.InputValueError,
            "below 1",
        ),
        ({"n": 10, "dz": 0.5, "r": 0.5, "pre_only": 2.5}, ps.InputValueError, "whole number"),
        ({"n": 10, "dz": 0.5, "r": 0.5, "post_only": "3"}, ps.InputTypeError, "post_only"),
        ({"n": 10, "dz": 0.5, "r": 0.5, "n_sim": 10}, ps.InputValueError, "n_sim"),
        ({"n": 10, "dz": 0.5, "r": 0.5, "sds": (1.0, 0.0)}, ps.InputValueError, "sds"),
        ({"n": 10, "dz": 0.5, "r": 0.5, "power": 0.8}, ps.InputValueError, "exactly one"),
        ({"n": 1, "dz": 0.5, "r": 0.5}, ps.InputValueError, "n must lie"),
        ({"n": 10, "dz": 0.5, "r": 0.5, "var_equal": 1}, ps.InputTypeError, "var_equal"),
        (
            {"dz": -0.5, "r": 0.5, "power": 0.8, "alternative": "greater"},
            ps.InputValueError,
            "points the other way",
        ),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, words):
    with pytest.raises(error, match=words):
        ps.power.partial_t(**{"n_sim": 200, "seed": 1, **kwargs})


def test_t_new1_can_be_planned():
    result = ps.power.partial_t(
        n=12, dz=0.7, r=0.5, pre_only=6, post_only=6, var_equal=True, n_sim=1000, seed=2
    )
    assert "T_new1" in result.method and result.details["var_equal"] is True
    assert 0.0 < result.power < 1.0
