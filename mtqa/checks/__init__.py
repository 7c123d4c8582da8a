"""Checks: the registry, the base classes, and one module per family."""
from mtqa.checks.base import Check, Context, PairCheck, TargetCheck
from mtqa.checks.registry import all_checks, enabled_checks, find, register
from mtqa.text.joined import Joined

__all__ = ["Check", "Context", "Joined", "PairCheck", "TargetCheck", "all_checks",
           "enabled_checks", "find", "register"]
