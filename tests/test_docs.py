"""Every Python example in docs/ and README.md runs (a page's blocks in order, one namespace).

Also: the printed numbers the pages quote are the true output, the code blocks are formatted
as ruff formats code, and the figure script renders every figure the pages embed.
"""

import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
from _data import TABLE3_FIGURES as T3

import pairedstudy as ps

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
FIGURE_SCRIPT = DOCS / "scripts" / "make_figures.py"
# a fenced python block, possibly indented (README's list items), closed at its own indent
BLOCK = re.compile(r"^( *)```python\n(.*?)^\1```", re.DOTALL | re.MULTILINE)
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+\.png)\)")
PAGES = sorted(p for p in DOCS.rglob("*.md") if BLOCK.search(p.read_text(encoding="utf-8")))


def blocks(path: Path) -> list[str]:
    """The page's python blocks, dedented, in order."""
    return [textwrap.dedent(code) for _, code in BLOCK.findall(path.read_text(encoding="utf-8"))]


def run_blocks(path: Path) -> None:
    namespace: dict = {}
    with warnings.catch_warnings():  # the pages may show the library's own warnings
        warnings.simplefilter("ignore", ps.PairedStudyWarning)
        for code in blocks(path):
            exec(compile(code, str(path), "exec"), namespace)


# printed numbers the pages state in their text
EXPECTED = {
    "tutorials/01-reproducing-the-oxytocin-study.md": [
        f"pre {T3['pre_mean']} ({T3['pre_sd']}), post {T3['post_mean']} ({T3['post_sd']})",
        f"pre - post {T3['diff_mean']} ({T3['diff_sd']})",
        "p < .001",
        "exact 153.0 1.5e-05",
    ],
    "tutorials/02-checking-a-published-table.md": [
        "consistent: every checked figure",
        "r = 0.3422, within rounding [0.3408, 0.3436]",
        "all 248 integer dataset(s)",
        "Wilcoxon p from 1.9e-06 to 3.2e-05",
        "sign test p from 1.9e-06 to 2.2e-04",
    ],
    "tutorials/03-planning-a-replication.md": ["True", "51 7\n9\n"],
    "tutorials/05-did-the-replication-succeed.md": ["zo = 7.239, zr = 7.371, c = 1.76"],
    "tutorials/04-writing-a-test-plugin.md": [
        "('one zero change dropped',)",
        "{'low': 0.5, 'high': 'Infinity', 'level': 0.95, 'attained_level': None}",
        "1.52587890625e-05",
        "3.629",
    ],
    "getting-started.md": [
        "7 ('P06',)",
        "[2. 0. 2.]",
        "19 0.909",
        "t(5) = 2.99, p = .031, d_z = 1.22, 95% CI [0.10, 2.28]",
    ],
    "index.md": [
        "t = 4.076, df = 6, p = 0.0065",
        "mean change = 1.714, 95% CI [0.6852, 2.743]",
        "1 change(s) equal to mu dropped",
        "\n6\n",
    ],
    "how-to/batch-and-dask.md": [
        "(3, 200) ['exact' 'exact' 'exact'] float64",
        "dz                 0.0     0.3     0.5     0.8",
        "t        n=20    0.062   0.245   0.556   0.928",
        "[0.247 0.565 0.924] True",
    ],
    "how-to/choosing-an-effect-size.md": [
        "dz   1.682 [1.002, 2.344]  noncentral t",
        "drm  1.928 [1.149, 2.688]  noncentral t, scaled (Algina-Keselman)",
        "dav  2.030 [1.209, 2.830]  noncentral t, scaled (Algina-Keselman)",
        "db   2.638 [1.571, 3.678]  noncentral t, scaled (Algina-Keselman)",
        "0.9619",
        "gz 1.618 [1.002, 2.344]",
        "rank_biserial 1.000 [1.000, 1.000]",
        "cles          0.905 [0.711, 0.973]",
        "hl            2.000 [1.500, 2.500]",
        "0.55",
        "dz from dav: 1.682",
        "r = 0.0: dav 0.5 is dz 0.354",
        "r = 0.5: dav 0.5 is dz 0.500",
        "r = 0.7: dav 0.5 is dz 0.645",
        "r = 0.9: dav 0.5 is dz 1.118",
        "1.978 1.941",
    ],
    "how-to/power-for-ordinal-scores.md": [
        "6\n6\n",
        "8 0.8 0.013",
        "power at 6 pairs: 0.27",
        "dz 0.666\n20\n21\n23 0.828",
        "49 0.81 (50, 53)",
        "[0.81  0.782 0.836 0.811 0.784 0.837]",
        "15 24",
        "stuart-maxwell  Stuart-Maxwell χ²(4) = 16.42, p = .003",
        "bowker          Bowker χ²(6) = 17.00, p = .009",
        "Stuart-Maxwell χ²(4) = 16.42, exact p < .001 764",
        "wilcoxon        V = 68, p > .999",
        "stuart-maxwell  Stuart-Maxwell χ²(4) = 16.00, p = .003",
        "sign            shift 0.46  spread 0.04",
        "stuart-maxwell  shift 0.49  spread 0.23",
    ],
    "how-to/choosing-a-test.md": [
        "t        t = 7.707, p = 2.06e-07, mean change 1.95 [1.42, 2.48], method exact",
        "wilcoxon V = 153, p = 1.53e-05, pseudomedian change (Hodges-Lehmann) 2 [1.5, 2.5], "
        "method exact",
        "sign     S = 17, p = 1.53e-05, median change 2 [1, 3], method exact",
        "95% CI [1.515, inf]",
        "exact 153.0 1.53e-05 4 True",
        "asymptotic 153.0 0.000234 4 True",
        "wilcox  V = 153, asymptotic p = 0.000234",
        "pratt   V = 221, asymptotic p = 0.000101",
        "zsplit  V = 226, asymptotic p = 0.000101",
        "17.0 | 17 | 95% CI [1, 3] (attained 97.34%)",
        "exact 1.53e-05 95% CI [1.429, 2.5] (attained 95%)",
        "monte-carlo 0.0002 9999 0",
        "bootstrap-t 0.0008 95% CI [1.334, 2.414]",
        "trimmed t (arms) t = 6.044, df = 12, p = 5.81e-05",
        "2.154 95% CI [1.377, 2.93]",
        "BF10 = 7.65e+04 numerical integration",
        "BF10 = 9.18e+04 with r = 1",
        "medium 0.7071 log BF10 = 11.2454",
        "p = 0.0447 True 90% CI [1.515, 2.389]",
        "equivalence (-0.5, 0.5) p_lower = 0.0447, p_upper = 0.0215",
        "W = 0.792, p = 0.0005 0",
    ],
}

# printed numbers README.md states in its comments
README_EXPECTED = [
    "6 pairs, power 0.90",
    "0.643",
    "0.8074, size 0.0403",
    "134",
    "36",
    "t = 7.705, df = 20, p = 2.07e-07",
    "r = 0.3422, within rounding [0.3408, 0.3436]",
    "dz = 1.681, 95% CI [1.001, 2.344]",
    "consistent: every checked figure",
    "all 248 integer dataset(s)",
    "1.9e-06 3.2e-05",
    "1.9e-06 2.2e-04",
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_examples_run(page, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files a page writes (getting-started's CSV) land here
    run_blocks(page)
    printed = capsys.readouterr().out
    for text in EXPECTED.get(page.relative_to(DOCS).as_posix(), []):
        assert text in printed, (page.name, text)


def test_readme_examples_run(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(blocks(README)) >= 3
    run_blocks(README)
    printed = capsys.readouterr().out
    for text in README_EXPECTED:
        assert text in printed, text


def _ruff() -> str | None:
    beside = Path(sys.executable).parent / "ruff"
    return str(beside) if beside.exists() else shutil.which("ruff")


@pytest.mark.parametrize(
    "page", [*PAGES, README], ids=lambda p: p.name if p == README else str(p.relative_to(DOCS))
)
def test_examples_are_ruff_formatted(page):
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed")
    for code in blocks(page):
        formatted = subprocess.run(
            [ruff, "format", "--stdin-filename", "example.py", "-"],
            input=code,
            capture_output=True,
            text=True,
            cwd=ROOT,  # the project's ruff settings (line length)
            check=True,
        ).stdout
        assert formatted == code, f"{page.name}: a code block is not ruff-formatted:\n{code}"


def test_figure_script_renders_every_figure(tmp_path):
    pytest.importorskip("matplotlib")
    subprocess.run(
        [sys.executable, str(FIGURE_SCRIPT), str(tmp_path / "figures")], check=True, cwd=tmp_path
    )
    made = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert len(made) >= 4
    for name in made:
        data = (tmp_path / "figures" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 1000, name
    # every figure a page embeds is one the script makes, committed, with alt text
    for page in DOCS.rglob("*.md"):
        for alt, target in IMAGE.findall(page.read_text(encoding="utf-8")):
            path = (page.parent / target).resolve()
            assert path.parent == (DOCS / "figures").resolve(), (page.name, target)
            assert path.name in made and path.exists(), (page.name, target)
            assert len(alt) > 20, (page.name, target)


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


# --- the site shows real output: the build hook and the command-line page ---------------

HOOK = DOCS / "scripts" / "run_examples.py"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _load_hook():
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_examples", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _executed(page: Path) -> bool:
    match = FRONT_MATTER.match(page.read_text(encoding="utf-8"))
    return bool(match) and "execute: true" in match.group(1)


def test_tutorials_and_first_pages_show_their_output_when_built():
    executed = {p.relative_to(DOCS).as_posix() for p in PAGES if _executed(p)}
    for page in ("index.md", "getting-started.md"):
        assert page in executed
    for number in ("01", "02", "03", "04"):
        assert any(p.startswith(f"tutorials/{number}-") for p in executed), number


def test_build_hook_inserts_each_blocks_real_output():
    hook = _load_hook()
    page = DOCS / "tutorials" / "01-reproducing-the-oxytocin-study.md"
    markdown = FRONT_MATTER.sub("", page.read_text(encoding="utf-8"))
    rendered = hook.run_page(markdown, "tutorial 1")
    outputs = re.findall(r'```text title="Output"\n(.*?)\n```', rendered, re.DOTALL)
    assert len(outputs) == len(blocks(page))  # every block of this page prints
    assert outputs[0] == "pre 7.05 (0.740), post 9.00 (1.183)\npre - post -1.952 (1.161)"
    assert "t = 7.707, df = 20, p = 2.06e-07" in outputs[1]
    assert "DegenerateDataWarning:" in rendered  # a warning is shown beside its output
    assert rendered.replace("\n", "").count("```python") == len(blocks(page))


def test_build_hook_stops_on_a_failing_block():
    hook = _load_hook()
    with pytest.raises(RuntimeError, match="python block 2 raised"):
        hook.run_page("```python\nx = 1\n```\n\n```python\n1 / 0\n```\n", "bad page")


def test_build_hook_leaves_pages_without_output_alone():
    hook = _load_hook()
    markdown = "Text.\n\n```python\nx = 1\n```\n\nMore text.\n"
    assert hook.run_page(markdown) == markdown


def test_command_line_page_is_printed_from_the_parser(capsys):
    code = re.search(
        r'```python exec="on"\n(.*?)^```',
        (DOCS / "reference" / "cli.md").read_text(encoding="utf-8"),
        re.DOTALL | re.MULTILINE,
    ).group(1)
    exec(compile(code, "cli.md", "exec"), {})
    printed = capsys.readouterr().out
    for command in ("demo", "analyze", "tests", "power", "check", "reconstruct", "plan"):
        assert f"## pairedstudy {command}\n" in printed, command
        assert f"usage: pairedstudy {command}" in printed, command
    assert "--pre" in printed and "--alternative" in printed


def test_executed_pages_do_not_repeat_the_output_by_hand():
    typed_output = re.compile(r"^```python\n.*?^```\n\n```text\n", re.DOTALL | re.MULTILINE)
    for page in (p for p in PAGES if _executed(p)):
        assert not typed_output.search(page.read_text(encoding="utf-8")), page.name


def test_docs_extension_turns_roles_and_simple_tables_into_markdown():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "griffe_roles", DOCS / "scripts" / "griffe_roles.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.simple_tables(
        "Intro:\n\n====  ==========\nkind  use\n====  ==========\n``a``   first line\n"
        "      and more\n``b``   two | three\n====  ==========\n\nAfter."
    )
    assert "| kind | use |" in table and "| ``a`` | first line and more |" in table
    assert "two \\| three" in table and "====" not in table and table.endswith("After.")


def test_docs_extension_links_roles_to_public_paths():
    griffe = pytest.importorskip("griffe")  # installed with the docs extra
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "griffe_roles", DOCS / "scripts" / "griffe_roles.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pkg = griffe.load("pairedstudy", search_paths=[str(ROOT / "src")])
    power = pkg["power"]
    text = module.rewrite(
        ":func:`paired_t`, :class:`~pairedstudy.PairedStudy`, "
        ":func:`pairedstudy.inference.ttest.paired_t`, :func:`_band`, :func:`json.dumps`, "
        ":meth:`PairedStudy.test <pairedstudy.PairedStudy.test>`",
        pkg,
        power,
    )
    assert '<autoref identifier="pairedstudy.power.paired_t" optional>' in text
    assert (
        '<autoref identifier="pairedstudy.PairedStudy" optional><code>PairedStudy</code>' in text
    )
    assert "<code>pairedstudy.inference.paired_t</code>" in text  # the public path shown
    assert "`_band`" in text and "`json.dumps`" in text  # private or outside: plain code
    assert "<code>PairedStudy.test</code>" in text
    assert not module.ROLE.search(text)
