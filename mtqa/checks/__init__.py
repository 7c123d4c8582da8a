"""Checks: the registry, the base classes, and one module per family."""
from mtqa.checks.base import Check, Context, Joined, PairCheck, TargetCheck
from mtqa.checks.registry import all_checks, enabled_checks, find, register

__all__ = ["Check", "Context", "Joined", "PairCheck", "TargetCheck", "all_checks",
           "enabled_checks", "find", "register"]
