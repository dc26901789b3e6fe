"""The package's layers (DESIGN.md, Architecture): imports point down only.

A static reading of every module's run-time imports (those at module level, outside
``if TYPE_CHECKING:`` blocks and outside functions) must find no cycle, and no module may
import another module's private (underscore) name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pairedstudy

ROOT = Path(pairedstudy.__file__).parent


def _modules() -> dict[str, tuple[Path, list[str]]]:
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = ["pairedstudy", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
            package = parts
        else:
            package = parts[:-1]
        modules[".".join(parts)] = (path, package)
    return modules


def _runtime_imports(body, package, modules, found, private, name):
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("pairedstudy"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
                is_dunder = alias.name.startswith("__") and alias.name.endswith("__")
                if alias.name.startswith("_") and not is_dunder and sub not in modules:
                    private.append(f"{name} imports {alias.name} from {target}")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pairedstudy"))
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody"):
                _runtime_imports(getattr(node, block, []), package, modules, found, private, name)
            for handler in getattr(node, "handlers", []):
                _runtime_imports(handler.body, package, modules, found, private, name)


def _graph():
    modules = _modules()
    graph, private = {}, []
    for name, (path, package) in modules.items():
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        _runtime_imports(tree.body, package, modules, found, private, name)
        graph[name] = {d for d in found if d in modules and d != name}
    return graph, private


def test_the_graph_sees_the_imports():
    graph, _ = _graph()
    assert "pairedstudy.study" in graph["pairedstudy"]
    assert "pairedstudy._validation" in graph["pairedstudy.study"]
    assert "pairedstudy.results._base" in graph["pairedstudy.results.tests"]


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every back edge of a depth-first search, as the path it closes."""
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_no_module_imports_one_that_imports_it_back():
    graph, _ = _graph()
    assert _cycles(graph) == []


def test_a_cycle_would_be_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a -> b -> c -> a"]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_private_name_is_imported_across_modules():
    _, private = _graph()
    assert private == []


def test_importing_the_package_does_not_import_scipy():
    """``import pairedstudy`` stays light: scipy's submodules are imported where used."""
    import subprocess
    import sys

    code = (
        "import sys, pairedstudy; print(sorted(m for m in sys.modules if m.startswith('scipy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
