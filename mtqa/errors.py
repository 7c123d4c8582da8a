"""The one exception mtqa lets reach the CLI: bad input or bad usage (exit code 2)."""
from __future__ import annotations


class InputError(Exception):
    """Input that mtqa cannot use. ``str()`` is the one-line message the CLI prints."""

    def __init__(self, path: str | None, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
