"""An mkdocs hook: a page whose front matter says ``execute: true`` shows its code's output.

When the site is built, the page's ``python`` blocks run in order in one namespace (as
``tests/test_docs.py`` runs them), and after each block that prints something, or whose
code warns, the hook inserts that output as a ``text`` block titled "Output". A block that
raises stops the build, naming the page and the block. So the numbers a reader sees are the
ones the installed library computes, and the tests still check every page.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import textwrap
import warnings
from collections.abc import Iterator
from typing import Any

# a fenced python block, possibly indented (a list item), closed at its own indent;
# the same pattern tests/test_docs.py reads the blocks with
BLOCK = re.compile(r"^( *)```python\n(.*?)^\1```[ \t]*\n", re.DOTALL | re.MULTILINE)


@contextlib.contextmanager
def _working_directory(path: str) -> Iterator[None]:
    """Run in ``path`` (files a page writes land there), then come back."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_page(markdown: str, name: str = "<page>") -> str:
    """``markdown`` with the output of each python block inserted after it.

    Parameters
    ----------
    markdown : str
        The page.
    name : str
        The page's path, for error messages and tracebacks.

    Returns
    -------
    str
    """
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    pieces: list[str] = []
    end = 0
    with tempfile.TemporaryDirectory() as scratch, _working_directory(scratch):
        for number, match in enumerate(BLOCK.finditer(markdown), start=1):
            indent, code = match.group(1), textwrap.dedent(match.group(2))
            printed = io.StringIO()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                with contextlib.redirect_stdout(printed):
                    try:
                        exec(compile(code, f"{name} (block {number})", "exec"), namespace)
                    except Exception as error:
                        raise RuntimeError(
                            f"{name}: python block {number} raised {error!r}"
                        ) from error
            output = printed.getvalue()
            for warning in caught:
                if warning.category.__module__.startswith("pairedstudy"):
                    output += f"{warning.category.__name__}: {warning.message}\n"
            pieces.append(markdown[end : match.end()])
            end = match.end()
            if output.strip():
                body = textwrap.indent(output.rstrip("\n"), indent)
                pieces.append(f'\n{indent}```text title="Output"\n{body}\n{indent}```\n')
    pieces.append(markdown[end:])
    return "".join(pieces)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Run the page's examples when its front matter asks for it."""
    if not page.meta.get("execute"):
        return markdown
    os.environ.setdefault("COLUMNS", "88")
    return run_page(markdown, page.file.src_uri)
