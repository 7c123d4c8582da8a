"""Segments too long to check: reported, not checked (see mtqa/text/segment_limit.py)."""
from __future__ import annotations

from collections.abc import Iterator

from mtqa.checks.base import Check, Context
from mtqa.checks.registry import register
from mtqa.model import Issue, Severity, locate


@register
class SegmentTooLong(Check):
    """A segment longer than ``max-segment-chars`` characters (default 10,000): it is not
    checked, and this one issue says so.

    A sentence runs to a few hundred characters; a "segment" of 10,000 or more is a
    file without sentence punctuation (a scraped page on one line, a base64 blob in a
    JSONL string, a whole chapter in one XLIFF unit). Running every check on it would
    take time that grows with its length squared for some of them, and its findings
    would point nowhere useful. So the other checks skip it (its text is still in the
    report) and this check reports it once, on the target or the source side. Raise
    the limit in the config (``max-segment-chars = 50000``) or set it to 0 to check
    everything, whatever the cost.

    Fires: a 12,000-character line with no sentence end.
    Passes: any ordinary sentence.
    """

    code = "EX08"
    name = "extraction.segment-too-long"
    category = "other/unchecked"
    severity = Severity.MINOR

    def run(self, ctx: Context) -> Iterator[Issue]:
        limit = ctx.config.max_segment_chars
        if limit <= 0:
            return
        for side in ("target", "source"):
            doc = getattr(ctx, side)
            if doc is None:
                continue
            for index, seg in enumerate(doc.segments):
                if len(seg.text) > limit:
                    where = locate(doc, index, 0, 60)  # the start, not megabytes
                    message = (f"{side} segment of {len(seg.text):,} characters, over the "
                               f"limit of {limit:,}: not checked (max-segment-chars)")
                    yield (self.issue(message, target=where) if side == "target"
                           else self.issue(message, source=where))
