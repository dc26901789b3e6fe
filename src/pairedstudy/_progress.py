"""A minimal progress bar for long computations: shown on a terminal, quiet when piped."""

from __future__ import annotations

import sys

__all__ = ["Progress"]


class Progress:
    """A minimal progress bar on stderr, shown only on a terminal (quiet when piped)."""

    def __init__(self, total: int, label: str, enabled: bool | None) -> None:
        self.total = total
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else bool(enabled)
        self.done = 0

    def update(self, step: int) -> None:
        """Advance by ``step`` units and redraw."""
        if not self.enabled:
            return
        self.done += step
        width = 30
        filled = int(width * min(self.done, self.total) / max(self.total, 1))
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        sys.stderr.flush()

    def close(self) -> None:
        """Finish the line."""
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
