"""Validation of per-check ``options`` against the options each check declares.

``options = {LO02 = {min_digits = 6}}`` applies to every check the key selects (a code,
a code prefix or a name). Each option must be one the selected checks declare in their
``defaults``, with a value of the default's type: a whole number where the default is
one, a finite number of 0 or more where it is a number, true/false where it is a flag.
A wrong option is reported when the configuration is read, naming the option, rather
than when the check is built halfway through a run.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def validate_options(options: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``options`` checked against the registry; ValueError names the bad entry."""
    from mtqa.checks.registry import all_checks, selects

    checks = all_checks()
    out: dict[str, dict[str, Any]] = {}
    for selector, values in options.items():
        if not isinstance(values, Mapping):
            raise TypeError(f"{selector}: expected a table of options, got "
                             f"{type(values).__name__}")
        chosen = [cls for cls in checks if selects(cls, str(selector))]
        if not chosen:
            raise ValueError(f"no check matches {selector!r} (see `mtqa rules`)")
        for name, value in values.items():
            for cls in chosen:
                if name not in cls.defaults:
                    known = ", ".join(sorted(cls.defaults)) or "none"
                    raise ValueError(f"{selector}.{name}: {cls.code} has no option "
                                     f"{name!r} (its options: {known})")
                problem = _problem(cls.defaults[name], value)
                if problem:
                    raise ValueError(f"{selector}.{name}: {problem}")
        out[str(selector)] = dict(values)
    return out


def validate_selectors(selectors: tuple[str, ...]) -> tuple[str, ...]:
    """``selectors`` (codes, prefixes, names) when each selects a check; ValueError
    naming the first that selects none (a typo would silently select nothing)."""
    from mtqa.checks.registry import all_checks, selects

    checks = all_checks()
    for selector in selectors:
        if not any(selects(cls, selector) for cls in checks):
            raise ValueError(f"no check matches {selector!r} (see `mtqa rules`)")
    return selectors


def _problem(default: Any, value: Any) -> str | None:
    """Why ``value`` cannot replace ``default``, or None when it can."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected a whole number, got {value!r}"
        return None if value >= 0 else f"must be 0 or more, got {value}"
    if isinstance(default, float):
        return _number_problem(value)
    if isinstance(default, Mapping):
        # AC06 ratios: {"en-de" = [mean, sd]}, the log length ratio of a language pair.
        if not isinstance(value, Mapping):
            return f"expected a table, got {value!r}"
        for pair, calibration in value.items():
            if (not isinstance(calibration, (list, tuple)) or len(calibration) != 2
                    or any(_finite(x) is None for x in calibration)):
                return f"{pair}: expected [mean, standard deviation], got {calibration!r}"
            if calibration[1] <= 0:
                return f"{pair}: the standard deviation must be over 0"
        return None
    if isinstance(default, str):
        return None if isinstance(value, str) else f"expected a string, got {value!r}"
    return None


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _number_problem(value: Any) -> str | None:
    number = _finite(value)
    if number is None:
        return f"expected a finite number, got {value!r}"
    return None if number >= 0 else f"must be 0 or more, got {number:g}"
