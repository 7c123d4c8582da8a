"""Fluency checks: problems a reader sees in the translation alone."""
from __future__ import annotations

import re
from typing import Iterable

from mtqa.checks.base import Context, TargetCheck
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity

_REPEATED_WORD = re.compile(r"\b([^\W\d_]+)(\s+\1\b)+", re.IGNORECASE)
# Doubling that English grammar allows.
_ALLOWED_REPEATS = frozenset({"had", "that", "is", "do", "bye", "no", "very", "so",
                              "ha", "knock", "hush", "tut", "yada"})


@register
class RepeatedWord(TargetCheck):
    """The same word twice in a row.

    Flags ``the the``, ``of of``, ``Party Party`` (case-insensitive), in Latin-script
    text. Doublings that grammar allows (``had had``, ``that that``) pass.

    Fires: ``the the branch``
    Passes: ``what he had had for lunch``
    """

    code = "FL01"
    name = "fluency.repeated-word"
    category = "fluency/grammar"
    severity = Severity.MINOR
    noise = True

    def check_segment(self, ctx: Context, index: int, text: str) -> Iterable[Issue]:
        for m in _REPEATED_WORD.finditer(text):
            word = m.group(1)
            if word.lower() in _ALLOWED_REPEATS or not word.isascii() and not word.isalpha():
                continue
            if any("\u4e00" <= ch <= "\u9fff" for ch in word):
                continue  # 看看, 常常: reduplication is Chinese grammar
            yield self.flag(ctx, index, m.start(), m.end(),
                            f"repeated word {word!r}", suggestion=word)
