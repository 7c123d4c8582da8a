"""Per-segment facts several checks need, computed once per text (checks run one after
another over the same segments, so a small cache saves repeating the work).

Speed note: on CPython, per-word Python work (a comprehension over the words of every
segment) costs more than all the regular-expression scans of a check together, so the
word list is made with C-level string methods only and shared through the cache.
"""
from __future__ import annotations

import re
from functools import lru_cache

_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)
def words(text: str) -> list[str]:
    """The words of ``text``, lowercased, split at spaces and at ``,.;:"()``.

    The list is shared: callers must not change it.
    """
    return (text.lower().replace(",", " ").replace(".", " ").replace(";", " ")
            .replace(":", " ").replace('"', " ").replace("(", " ").replace(")", " ")
            .split())


@lru_cache(maxsize=4096)
def has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None
