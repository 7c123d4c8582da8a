"""Settings of a run: defaults < config file < command-line flags.

``Config`` is frozen. ``Config.from_mapping`` builds one from a dictionary (a
``[tool.mtqa]`` table, say) and rejects unknown keys by name, so a typo never silently
changes what gates a pipeline.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mtqa.model import Severity

# MQM weights as in the WMT MQM studies (Freitag et al. 2021): minor 1, major 5,
# critical 25 (the weight of a non-translation); minor punctuation 0.1.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "minor": 1.0, "major": 5.0, "critical": 25.0, "minor-punctuation": 0.1,
}
# Quality = 100 * (1 - penalty / words). 95 allows about one major error (or five minor
# ones) per 100 words; see README "Scores and the gate".
DEFAULT_FAIL_UNDER = 95.0
QUALITY_BASES = ("issues", "estimate")
# Without a source the checks see fewer of the errors, so the same translation scores
# higher: 99.5 is the strictest limit that passes every human reference translation
# of the WMT MQM data checked target-only (README "Scores and the gate").
DEFAULT_FAIL_UNDER_TARGET_ONLY = 99.5
# Longer than any real sentence or localisation unit (see mtqa/text/segment_limit.py); some
# checks take time that grows faster than the length of a segment.
DEFAULT_MAX_SEGMENT_CHARS = 10_000


class ConfigError(ValueError):
    """A setting that does not exist or has a value of the wrong kind."""


@dataclass(frozen=True)
class Config:
    """Everything a run can be told. Field names are the config-file keys."""

    source_lang: str | None = None
    target_lang: str | None = None
    # Check selection: codes (``FL01``), code prefixes (``FL``) or names.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # Per-check severity overrides and options: {"FL01": "major"}, {"AC06": {"ratio": 3}}.
    severity: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    fail_on: Severity = Severity.CRITICAL
    fail_under: float = DEFAULT_FAIL_UNDER
    # The quality limit of a document checked without a source (None: ``fail_under``).
    fail_under_target_only: float | None = DEFAULT_FAIL_UNDER_TARGET_ONLY
    # Gate: most issues allowed per MQM category or category prefix, {"accuracy": 0}.
    max_issues: Mapping[str, int] = field(default_factory=dict)
    # What the quality score counts: "issues" (the penalties of the issues found) or
    # "estimate" (the sum of the beads' estimated MQM penalties, see mtqa/quality/estimate.py).
    quality_basis: str = "issues"
    # Gate on the encoder's estimate: fail when it expects more MQM points per 100
    # words than this. Off by default: on the WMT MQM data the document total of the
    # estimate does not separate documents the raters pass from those they fail
    # (README "Scores and the gate").
    fail_over_estimate: float | None = None
    # The estimate's parameters: "default" (shipped) or a file written by `mtqa fit`.
    estimate: str = "default"
    glossaries: tuple[str, ...] = ()
    encoder: str = "default"
    # How the aligner takes a document: "auto" (a free translation is recognised by its
    # sentence counts, a human one by how loosely its sentences match), "free" (always:
    # literary and other free translations), "close" (never: MT, omissions found best).
    align_mode: str = "auto"
    # Keep sentence embeddings in the user cache directory between runs.
    embedding_cache: bool = True
    # Toolkit preset of the software-string checks (mtqa/profiles.py): gnome, kde...
    profile: str | None = None
    # Segments longer than this are reported (EX08) and not checked; 0: no limit.
    max_segment_chars: int = DEFAULT_MAX_SEGMENT_CHARS

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], origin: str = "config") -> Config:
        """Build a Config from ``data``; unknown keys and bad values raise ConfigError."""
        return cls().merged(data, origin)

    def merged(self, data: Mapping[str, Any], origin: str = "config") -> Config:
        """A copy with the keys of ``data`` (``None`` values ignored) applied on top."""
        known = {f.name: f for f in dataclasses.fields(self)}
        changes: dict[str, Any] = {}
        for raw_key, value in data.items():
            key = raw_key.replace("-", "_")
            if key not in known:
                raise ConfigError(f"{origin}: unknown setting {raw_key!r}")
            if value is None:
                continue
            changes[key] = _coerce(key, value, f"{origin}: {raw_key.replace('_', '-')!r}")
        return dataclasses.replace(self, **changes)


def _coerce(key: str, value: Any, where: str) -> Any:
    """The value of setting ``key`` in its Python type; ConfigError (naming ``where``:
    the file and the key) when it has the wrong type or is out of range."""
    try:
        if key in ("select", "ignore", "glossaries"):
            if isinstance(value, str):
                value = [v for v in value.replace(",", " ").split() if v]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str)
                                                              for v in value):
                raise TypeError(f"expected a list of strings, got {_shown(value)}")
            if key == "glossaries":
                return tuple(value)
            from mtqa.check_options import validate_selectors

            # `--select AC03,FL01` as ruff takes it, besides a repeated option.
            return validate_selectors(tuple(p for v in value
                                            for p in v.replace(",", " ").split()))
        if key == "fail_on":
            return _severity(value)
        if key == "fail_under":
            number = _number(value)
            if not 0 <= number <= 100:
                raise ValueError(f"must be between 0 and 100, got {number:g}")
            return number
        if key in ("fail_over_estimate", "fail_under_target_only"):
            if isinstance(value, str) and value.lower() == "none":
                return None
            number = _number(value)  # finite, not negative
            if key == "fail_under_target_only" and number > 100:
                raise ValueError(f"must be between 0 and 100, got {number:g}")
            return number
        if key == "quality_basis":
            text = _string(value).lower()
            if text not in QUALITY_BASES:
                raise ValueError(f"expected one of {', '.join(QUALITY_BASES)}, got {value!r}")
            return text
        if key == "severity":
            from mtqa.check_options import validate_selectors

            levels = {str(k): _severity(v).value for k, v in _table(value).items()}
            validate_selectors(tuple(levels))
            return levels
        if key == "weights":
            weights = dict(DEFAULT_WEIGHTS)
            for k, v in _table(value).items():
                if k not in DEFAULT_WEIGHTS:
                    raise ValueError(f"unknown weight {k!r} (the weights are "
                                     f"{', '.join(DEFAULT_WEIGHTS)})")
                weights[k] = _number(v, f"{k}: ")
            return weights
        if key == "max_issues":
            limits = {}
            for k, v in _table(value).items():
                if isinstance(v, bool) or not isinstance(v, int):
                    raise TypeError(f"{k}: expected a whole number, got {_shown(v)}")
                if v < 0:
                    raise ValueError(f"{k}: limits must be 0 or more, got {v}")
                limits[str(k)] = v
            return limits
        if key == "options":
            from mtqa.check_options import validate_options

            return validate_options(_table(value))
        if key in ("source_lang", "target_lang"):
            from mtqa.text.langtags import base_language

            return base_language(_string(value))
        if key in ("encoder", "estimate"):
            return _string(value)
        if key == "align_mode":
            from mtqa.alignment.aligner import ALIGN_MODES

            mode = _string(value).lower()
            if mode not in ALIGN_MODES:
                raise ValueError(f"expected one of {', '.join(ALIGN_MODES)}, got {_shown(value)}")
            return mode
        if key == "profile":
            from mtqa.profiles import PROFILES

            if value not in PROFILES:
                raise ValueError(f"expected one of {', '.join(PROFILES)}, got {_shown(value)}")
            return str(value)
        if key == "max_segment_chars":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"expected a whole number, got {_shown(value)}")
            if value < 0:
                raise ValueError(f"must be 0 (no limit) or more, got {value}")
            return value
        if key == "embedding_cache":
            if not isinstance(value, bool):
                raise TypeError(f"must be true or false, got {_shown(value)}")
            return value
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return value


def _shown(value: Any) -> str:
    """A wrong value as the message shows it: its repr, cut short, and its type."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} ({type(value).__name__})"


def _number(value: Any, label: str = "") -> float:
    """A finite number, 0 or more: NaN or infinity would make every comparison of
    the gate false (a NaN threshold never fails anything)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{label}expected a number, got {_shown(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{label}expected a finite number, got {number}")
    if number < 0:
        raise ValueError(f"{label}must be 0 or more, got {number:g}")
    return number


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {_shown(value)}")
    return value


def _table(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a table (key = value), got {_shown(value)}")
    return value


def _severity(value: Any) -> Severity:
    if isinstance(value, Severity):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected minor, major or critical, got {_shown(value)}")
    return Severity.parse(value)
