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
    # "estimate" (the sum of the beads' estimated MQM penalties, see mtqa/estimate.py).
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
    # Keep sentence embeddings in the user cache directory between runs.
    embedding_cache: bool = True
    # Toolkit preset of the software-string checks (mtqa/profiles.py): gnome, kde...
    profile: str | None = None

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
            changes[key] = _coerce(key, value, origin)
        return dataclasses.replace(self, **changes)


def _coerce(key: str, value: Any, origin: str) -> Any:
    try:
        if key in ("select", "ignore", "glossaries"):
            if isinstance(value, str):
                value = [v for v in value.replace(",", " ").split() if v]
            return tuple(str(v) for v in value)
        if key == "fail_on":
            return Severity.parse(value)
        if key == "fail_under":
            number = float(value)
            if not 0 <= number <= 100:
                raise ValueError("must be between 0 and 100")
            return number
        if key in ("fail_over_estimate", "fail_under_target_only"):
            if isinstance(value, str) and value.lower() == "none":
                return None
            if isinstance(value, bool):
                raise ValueError("expected a number or \"none\"")
            number = float(value)
            if not 0 <= number <= (100 if key == "fail_under_target_only" else math.inf):
                raise ValueError("out of range")
            return number
        if key == "quality_basis":
            if value not in QUALITY_BASES:
                raise ValueError(f"expected one of {', '.join(QUALITY_BASES)}")
            return str(value)
        if key == "severity":
            return {str(k): Severity.parse(v).value for k, v in dict(value).items()}
        if key == "weights":
            weights = dict(DEFAULT_WEIGHTS)
            for k, v in dict(value).items():
                if k not in DEFAULT_WEIGHTS:
                    raise ValueError(f"unknown weight {k!r}")
                weights[k] = float(v)
            return weights
        if key == "max_issues":
            limits = {str(k): int(v) for k, v in dict(value).items()}
            if any(v < 0 for v in limits.values()):
                raise ValueError("limits must be 0 or more")
            return limits
        if key == "options":
            return {str(k): dict(v) for k, v in dict(value).items()}
        if key in ("source_lang", "target_lang"):
            from mtqa.langtags import base_language

            return base_language(str(value))
        if key in ("encoder", "estimate"):
            return str(value)
        if key == "profile":
            from mtqa.profiles import PROFILES

            if value not in PROFILES:
                raise ValueError(f"expected one of {', '.join(PROFILES)}")
            return str(value)
        if key == "embedding_cache":
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return value
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: bad value for {key!r}: {exc}") from None
    return value
