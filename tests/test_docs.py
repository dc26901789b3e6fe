"""Every Python example in docs/ runs (blocks of a page run in order, sharing a namespace)."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_run(page, capsys):
    namespace: dict = {}
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    assert blocks, f"{page} has no Python example"
    for code in blocks:
        exec(compile(code, str(page), "exec"), namespace)


def test_tutorial_claims_hold():
    import pairedstudy as ps

    plan = ps.replication.plan(ps.datasets.oxytocin_massage())
    assert [plan[m].n for m in ("naive", "safeguard", "small telescopes", "AIPE dz")] == [
        6,
        7,
        51,
        149,
    ]
    assert ps.replication.plan(ps.datasets.oxytocin_massage(), assurance=0.95)["BUCSS"].n > 7
