"""Make ``massage_dropouts.csv``: a simulated pre/post study with dropouts (seeded).

The dataset shipped as :func:`pairedstudy.datasets.massage_dropouts`. It is *simulated*,
not observed: a hypothetical replication of the oxytocin massage study (scores on the
same 6-10 questionnaire scale) that enrolled 30 mothers, of whom

- 20 answered both questionnaires,
- 7 answered only the first (discharged before the second), and
- 3 answered only the second (their first questionnaire was lost).

Scores are drawn from a bivariate normal model with the moments of the original study's
Table 3 (pre 7.05, SD 0.74; post 9.00, SD 1.18; correlation 0.34), rounded to whole points
and kept within 6-10. Which mothers lose a questionnaire is drawn completely at random
(independently of their scores), the assumption the partially overlapping samples tests
make. Run from the project root::

    python docs/scripts/make_dropout_dataset.py

It rewrites ``src/pairedstudy/datasets/data/massage_dropouts.csv``; the seed makes the
file the same every time.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20261130
ENROLLED = 30
BASELINE_ONLY = 7
FOLLOW_UP_ONLY = 3
OUT = Path(__file__).resolve().parents[2] / "src/pairedstudy/datasets/data/massage_dropouts.csv"


def main() -> None:
    """Draw the scores and the lost questionnaires, and write the CSV file."""
    rng = np.random.default_rng(SEED)
    means = np.array([7.05, 9.00])
    sds = np.array([0.74, 1.18])
    r = 0.34
    cov = np.array([[1.0, r], [r, 1.0]]) * np.outer(sds, sds)
    scores = np.clip(np.rint(rng.multivariate_normal(means, cov, size=ENROLLED)), 6, 10)
    lost = rng.permutation(ENROLLED)
    no_post = set(lost[:BASELINE_ONLY].tolist())
    no_pre = set(lost[BASELINE_ONLY : BASELINE_ONLY + FOLLOW_UP_ONLY].tolist())
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["mother", "pre", "post"])
        for i, (pre, post) in enumerate(scores.astype(int).tolist()):
            writer.writerow([i + 1, "" if i in no_pre else pre, "" if i in no_post else post])


if __name__ == "__main__":
    main()
