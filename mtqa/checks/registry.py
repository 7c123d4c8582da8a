"""The one registry of checks; ``mtqa rules`` and ``mtqa explain`` read it too."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any, TypeVar

from mtqa.checks.base import Check
from mtqa.config import Config
from mtqa.model import Rule, Severity
from mtqa.profiles import profile_options

REGISTRY: dict[str, type[Check]] = {}
_CODE = re.compile(r"^[A-Z]{2}\d{2}$")
# Every module of this package but these defines checks; importing it registers them.
_NOT_CHECKS = {"base", "registry"}

C = TypeVar("C", bound=type[Check])


def register(cls: C) -> C:
    """Class decorator: add a check to the registry (codes and names are unique)."""
    if not _CODE.match(cls.code):
        raise ValueError(f"check code {cls.code!r} must look like AB12")
    for other in REGISTRY.values():
        if other.name == cls.name and other is not cls:
            raise ValueError(f"check name {cls.name!r} used twice")
    if cls.code in REGISTRY and REGISTRY[cls.code] is not cls:
        raise ValueError(f"check code {cls.code} used twice")
    if not (cls.__doc__ or "").strip():
        raise ValueError(f"check {cls.code} needs a docstring: it is its documentation")
    REGISTRY[cls.code] = cls
    return cls


def all_checks() -> list[type[Check]]:
    """Every registered check, sorted by code."""
    import mtqa.checks as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in _NOT_CHECKS and not info.name.startswith("_"):
            importlib.import_module(f"mtqa.checks.{info.name}")
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def find(key: str) -> type[Check] | None:
    """A check by code (case-insensitive) or by name."""
    checks = all_checks()
    for cls in checks:
        if cls.code == key.upper() or cls.name == key:
            return cls
    return None


def _matches(cls: type[Check], patterns: tuple[str, ...]) -> bool:
    return any(cls.code.startswith(p.upper()) or cls.name == p or cls.name.startswith(p + ".")
               for p in patterns)


def selects(cls: type[Check], key: str) -> bool:
    """Whether ``key`` (a code, a code prefix or a name) selects check ``cls``."""
    return _matches(cls, (key,))


def unknown_selectors(config: Config) -> list[str]:
    """Selectors in ``select``/``ignore``/``severity``/``options`` that match no check."""
    checks = all_checks()
    keys = list(config.select) + list(config.ignore) + list(config.severity) + list(config.options)
    return [k for k in keys if not any(_matches(c, (k,)) for c in checks)]


def enabled_checks(config: Config) -> list[Check]:
    """Instances of the checks this config runs, with severity overrides and options."""
    out = []
    for cls in all_checks():
        on = _matches(cls, config.select) if config.select else cls.default_enabled
        if on and _matches(cls, config.ignore):
            on = False
        if not on:
            continue
        severity = None
        for key, value in config.severity.items():
            if _matches(cls, (key,)):
                severity = Severity.parse(value)
        options: dict[str, Any] = dict(profile_options(config.profile, cls.code))
        for key, given in config.options.items():
            if _matches(cls, (key,)):
                options.update(given)
        out.append(cls(severity=severity, options=options))
    return out


def documentation(cls: type[Check]) -> str:
    """The user documentation of a check: its docstring, dedented."""
    return inspect.cleandoc(cls.__doc__ or "")


def source_file(cls: type[Check]) -> str:
    """Where a check is defined, as a path from the repository root
    (``mtqa/checks/punctuation.py``)."""
    return cls.__module__.replace(".", "/") + ".py"


def rule(cls: type[Check]) -> Rule:
    """The report's description of a check."""
    return Rule(code=cls.code, name=cls.name, category=cls.category, severity=cls.severity,
                enabled=cls.default_enabled, documentation=documentation(cls),
                module=cls.__module__)


def rules() -> tuple[Rule, ...]:
    """Every registered check as a ``Rule``, by code."""
    return tuple(rule(cls) for cls in all_checks())
