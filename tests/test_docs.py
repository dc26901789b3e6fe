"""Every Python example in docs/ runs (blocks of a page run in order, sharing a namespace)."""

import re
import warnings
from pathlib import Path

import pytest

import pairedstudy as ps

DOCS = Path(__file__).parent.parent / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
PAGES = sorted(p for p in DOCS.rglob("*.md") if BLOCK.search(p.read_text(encoding="utf-8")))


# printed numbers the pages state in their text
EXPECTED = {
    "tutorials/01-reproducing-the-oxytocin-study.md": [
        "pre 7.05 (0.740), post 9.00 (1.183)",
        "pre - post -1.952 (1.161)",
        "p < .001",
        "exact 153.0",
    ],
    "tutorials/02-checking-a-published-table.md": [
        "consistent: every checked figure",
        "r = 0.3422, within rounding [0.3408, 0.3436]",
        "all 248 integer dataset(s)",
    ],
    "tutorials/03-planning-a-replication.md": ["True", "51 7"],
    "getting-started.md": ["[2. 0. 2.]"],
}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_run(page, capsys):
    namespace: dict = {}
    with warnings.catch_warnings():  # the pages may show the library's own warnings
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        for code in BLOCK.findall(page.read_text(encoding="utf-8")):
            exec(compile(code, str(page), "exec"), namespace)
    printed = capsys.readouterr().out
    for text in EXPECTED.get(str(page.relative_to(DOCS)), []):
        assert text in printed, (page.name, text)


def test_tutorial_claims_hold():
    plan = ps.replication.plan(ps.datasets.oxytocin_massage())
    assert [plan[m].n for m in ("naive", "safeguard", "small telescopes", "AIPE dz")] == [
        6,
        7,
        51,
        149,
    ]
    assert ps.replication.plan(ps.datasets.oxytocin_massage(), assurance=0.95)["BUCSS"].n > 7


def test_every_tutorial_has_examples():
    tutorials = sorted((DOCS / "tutorials").glob("*.md"))
    assert len(tutorials) >= 4
    assert all(page in PAGES for page in tutorials)
