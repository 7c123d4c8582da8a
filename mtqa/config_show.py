"""``mtqa config``: the settings a run would use, each with where it came from (as
``vale ls-config`` and ``ruff check --show-settings`` do): the built-in default or the
config file that set it."""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from mtqa.ci.project import PROJECT_KEYS, Project, _load_toml
from mtqa.config import Config


def effective(project: Project) -> list[tuple[str, Any, str]]:
    """(key as written in a config file, value, origin) of every setting."""
    written: set[str] = set()
    if project.file is not None:
        data = _load_toml(project.file)
        if project.file.name == "pyproject.toml":
            data = data.get("tool", {}).get("mtqa", {})
        written = {k.replace("_", "-") for k in data}
    origin_file = str(project.file) if project.file is not None else ""
    rows: list[tuple[str, Any, str]] = []
    for f in dataclasses.fields(Config):
        key = f.name.replace("_", "-")
        rows.append((key, _plain(getattr(project.config, f.name)),
                     origin_file if key in written else "default"))
    extra = {"pairs": len(project.pairs), "output": dict(project.output),
             "baseline": project.baseline, "jobs": project.jobs, "cache": project.cache}
    for name in PROJECT_KEYS:
        key = name.replace("_", "-")
        rows.append((key, extra[name], origin_file if key in written else "default"))
    return rows


def _plain(value: Any) -> Any:
    """A setting as TOML writes it: enums by value, tuples as lists, tables as dicts."""
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in dict(value).items()}
    return value


def render(project: Project) -> str:
    """``key = value  # origin`` lines, the values as TOML would spell them."""
    rows = effective(project)
    lines = [f"# mtqa settings; config file: {project.file or 'none (defaults)'}"]
    width = max(len(k) for k, _, _ in rows)
    for key, value, origin in rows:
        shown = "(none)" if value is None else _toml(value)
        lines.append(f"{key:<{width}} = {shown}  # {origin}")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
