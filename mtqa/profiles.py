"""Toolkit profiles: config presets for the software-string checks, as pofilter has them.

``profile = "gnome"`` in ``[tool.mtqa]`` (or ``mtqa.toml``) sets the options a toolkit's
strings need, under the options the config gives itself. Today that is the keyboard
accelerator marker of SW03 (and SW02, which skips it when it finds the first letter):
GTK/GNOME writes ``_File``, Qt/KDE and Mozilla ``&File``, LibreOffice ``~File``.
Placeholders of every toolkit (``%s``, ``%1``, ``$name$``, ``{name}``) are recognised
whatever the profile.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ACCELERATOR = ("SW02", "SW03")

PROFILES: Mapping[str, Mapping[str, Mapping[str, Any]]] = {
    "standard": {},
    "gnome": {code: {"markers": "_"} for code in _ACCELERATOR},
    "kde": {code: {"markers": "&"} for code in _ACCELERATOR},
    "mozilla": {code: {"markers": "&"} for code in _ACCELERATOR},
    "libreoffice": {code: {"markers": "~"} for code in _ACCELERATOR},
    "openoffice": {code: {"markers": "~"} for code in _ACCELERATOR},
    "windows": {code: {"markers": "&"} for code in _ACCELERATOR},
}


def profile_options(profile: str | None, code: str) -> Mapping[str, Any]:
    """The options profile ``profile`` gives check ``code`` (empty for none)."""
    if not profile:
        return {}
    return PROFILES[profile].get(code, {})
