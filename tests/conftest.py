import os

import pytest
from _data import TABLE3_FIGURES, oxytocin, table3
from hypothesis import HealthCheck, settings

import pairedstudy as ps

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def table3_figures() -> dict:
    """Table 3 of the oxytocin study as printed (a fresh copy a test may change)."""
    return dict(TABLE3_FIGURES)


@pytest.fixture
def oxytocin_table3() -> ps.PairedSummary:
    """Table 3 of the oxytocin study as a `PairedSummary` (typed once, in tests/_data.py)."""
    return table3()


@pytest.fixture
def oxytocin_study() -> ps.PairedStudy:
    """The shipped oxytocin massage dataset (immutable, read once per session)."""
    return oxytocin()
