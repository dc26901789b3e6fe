"""A griffe extension for the docs site: Sphinx roles in docstrings become cross-references.

The docstrings follow numpydoc and cross-reference with Sphinx roles (``:func:`compute```,
``:class:`~pairedstudy.PairedStudy```), which mkdocstrings prints as literal text. This
extension rewrites each role, when the package has been loaded, into an mkdocs-autorefs
reference to the object it names: found the way Sphinx looks (the name as written, then
inside the object, its class, its module and the package). A leading ``~`` shows only the
last part of the name; ``:meth:`title <target>``` shows the title. An object that is
private, outside the package or not rendered on any page becomes plain code (an
*optional* reference: no link, no warning). RST simple tables (``=====  =====`` borders)
become Markdown tables.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

PACKAGE = "pairedstudy"
ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")
TITLED = re.compile(r"(?s)(.*?)\s*<([^<>]+)>")


def _lookup(pkg: griffe.Module, path: str) -> griffe.Object | griffe.Alias | None:
    if path == PACKAGE:
        return pkg
    if not path.startswith(PACKAGE + "."):
        return None
    try:
        return pkg[path[len(PACKAGE) + 1 :]]
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _scopes(obj: griffe.Object) -> list[str]:
    scopes = []
    current: Any = obj
    while current is not None:
        scopes.append(current.path)
        current = current.parent
    return scopes


def _resolve(pkg: griffe.Module, obj: griffe.Object, name: str) -> str | None:
    """The path ``name`` refers to from ``obj``'s docstring, or None when not in the package."""
    name = name.strip().removesuffix("()")
    candidates = [name] if name.startswith(PACKAGE) else []
    candidates += [f"{scope}.{name}" for scope in _scopes(obj)]
    for path in candidates:
        found = _lookup(pkg, path)
        if found is not None:
            return path
    return None


def _public(path: str) -> bool:
    return not any(part.startswith("_") for part in path.split("."))


def _public_path(pkg: griffe.Module, path: str) -> str:
    """The shortest public path of the object at ``path``.

    ``pairedstudy.inference.paired_t`` rather than ``pairedstudy.inference.ttest.paired_t``.
    """
    found = _lookup(pkg, path)
    try:
        target = found.final_target if isinstance(found, griffe.Alias) else found
        paths = [target.path, *target.aliases] if target is not None else []
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return path
    public = [p for p in paths if _public(p) and _lookup(pkg, p) is not None]
    return min(public, key=lambda p: (p.count("."), len(p))) if public else path


BORDER = re.compile(r"^ *=+(?: +=+)+ *$")


def _cells(line: str, starts: list[int]) -> list[str]:
    bounds = []
    for start in starts:  # a cell whose text runs past its column pushes the next one on
        while 0 < start < len(line) and line[start - 1] != " ":
            start += 1
        bounds.append(start)
    ends = [*bounds[1:], len(line)]
    return [line[a:b].strip() for a, b in zip(bounds, ends, strict=True)]


def _markdown_table(lines: list[str]) -> list[str]:
    """An RST simple table (its lines, borders included) as a Markdown table."""
    border = lines[0]
    starts = [m.start() for m in re.finditer(r"=+", border)]
    borders = [i for i, line in enumerate(lines) if BORDER.match(line)]
    header: list[str] = [""] * len(starts)
    body_from = 1
    if len(borders) == 3:  # a header row between the first two borders
        header = _cells(" ".join(lines[1 : borders[1]]), starts)
        body_from = borders[1] + 1
    rows: list[list[str]] = []
    for line in lines[body_from : borders[-1]]:
        cells = _cells(line.ljust(len(border)), starts)
        if rows and not cells[0]:  # a continuation line
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
        elif any(cells):
            rows.append(cells)

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return ["", row(header), "| " + " | ".join("---" for _ in starts) + " |", *map(row, rows), ""]


def simple_tables(text: str) -> str:
    """Convert every RST simple table in ``text`` to a Markdown table."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        if BORDER.match(lines[i]):
            ends = [j for j in range(i + 1, len(lines)) if BORDER.match(lines[j])]
            # the table ends at its last border before a blank line
            last = None
            for j in ends:
                if j + 1 >= len(lines) or not lines[j + 1].strip():
                    last = j
                    break
            if last is not None:
                out.extend(_markdown_table(lines[i : last + 1]))
                i = last + 1
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def rewrite(text: str, pkg: griffe.Module, obj: griffe.Object) -> str:
    """Replace every Sphinx role in ``text`` by a reference (or plain code)."""

    def replace(match: re.Match[str]) -> str:
        tilde, name = match.groups()
        titled = TITLED.fullmatch(name.strip())
        if titled:  # :meth:`title <target>`
            shown, name = titled.group(1), titled.group(2)
        else:
            shown = name.strip().split(".")[-1] if tilde else name.strip()
        path = _resolve(pkg, obj, name)
        if path is None:
            return f"`{shown}`"
        path = _public_path(pkg, path)
        if not _public(path):
            return f"`{shown}`"
        if not titled and not tilde and name.strip().startswith(PACKAGE + "."):
            shown = path  # a full path as written: show the public one
        return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'

    return ROLE.sub(replace, simple_tables(text))


class SphinxRoles(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring in the package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Walk the loaded package and rewrite each docstring once."""
        if pkg.path != PACKAGE:
            return
        seen: set[int] = set()

        def walk(obj: griffe.Object) -> None:
            if id(obj) in seen:
                return
            seen.add(id(obj))
            if obj.docstring is not None:
                obj.docstring.value = rewrite(obj.docstring.value, pkg, obj)
            for member in obj.members.values():
                if not member.is_alias:
                    walk(member)  # type: ignore[arg-type]

        walk(pkg)
