"""The version of mtqa: the one place it is written (``pyproject.toml`` reads it from
here at build time, and every signature and report quotes it)."""

__version__ = "0.1.0"
