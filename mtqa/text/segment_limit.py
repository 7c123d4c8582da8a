"""Bounded work per segment: segments over ``Config.max_segment_chars`` are blanked
before alignment and checks, so that no check ever runs on a megabyte-long "sentence".

The report keeps the original documents (their text, positions and word counts); only
what the aligner and the checks read is blanked, and check EX08 (mtqa/checks/limits.py)
reports each blanked segment once. Blanking rather than splitting keeps every
bilingual file's contract (bead *i* is unit *i*) and every position exact.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mtqa.model import Bead, Document, Issue

if TYPE_CHECKING:
    from mtqa.checks.base import Context


def blank_long(doc: Document | None, limit: int) -> Document | None:
    """``doc`` with the text of segments longer than ``limit`` characters emptied (the
    same object when there are none, or when ``limit`` is 0: no limit)."""
    if doc is None or limit <= 0 or all(len(s.text) <= limit for s in doc.segments):
        return doc
    segments = tuple(dataclasses.replace(s, text="") if len(s.text) > limit else s
                     for s in doc.segments)
    return dataclasses.replace(doc, segments=segments)


def unblanked(issues: Sequence[Issue], ctx: Context,
              alignment: Sequence[Bead]) -> list[Issue]:
    """``issues`` less those in a bead with a blanked segment: an emptied text looks
    untranslated or omitted to the checks, which it is not. ``ctx`` holds the original
    documents."""
    limit = ctx.config.max_segment_chars
    long_target = {i for i, s in enumerate(ctx.target.segments) if len(s.text) > limit}
    long_source = ({i for i, s in enumerate(ctx.source.segments) if len(s.text) > limit}
                   if ctx.source is not None else set())
    long_reference = ({i for i, s in enumerate(ctx.reference.segments) if len(s.text) > limit}
                      if ctx.reference is not None else set())
    skipped_target: set[int] = set(long_target)
    skipped_source: set[int] = set(long_source)
    for bead in alignment:
        if (long_target.intersection(bead.target) or long_source.intersection(bead.source)
                or long_reference.intersection(bead.reference)):
            skipped_target.update(bead.target)
            skipped_source.update(bead.source)
    return [i for i in issues
            if not (i.target is not None and i.target.segment in skipped_target)
            and not (i.source is not None and i.source.segment in skipped_source)]
