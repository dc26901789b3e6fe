"""A third-party paired test, registered through the pairedstudy.tests entry point."""

import attrs
import numpy as np

import pairedstudy as ps


def median_sign(study, *, alternative, mu, confidence_level, min_pairs=2):
    """Sign test re-labelled by a plugin (demonstrates the entry point)."""
    if study.n < min_pairs:
        raise ps.InputValueError(f"min_pairs={min_pairs} exceeds n={study.n}")
    result = ps.get_test("sign")(
        study, alternative=alternative, mu=mu, confidence_level=confidence_level
    )
    return attrs.evolve(
        result,
        test="demo-median-sign",
        title="Plugin sign test",
        details={**result.details, "plugin": True, "median": float(np.median(study.change))},
    )
