"""Several segments of one side of a bead read as one text, with offsets mapped back to
the segments (checks, the estimate, the comparison and the HTML report all join sides)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mtqa.model import CJK_JOIN_LANGS, Document, Location, locate

__all__ = ["CJK_JOIN_LANGS", "Joined"]


@dataclass(frozen=True)
class Joined:
    """Several segments of one side of a bead as one text, mapping offsets back."""

    doc: Document
    indices: tuple[int, ...]
    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, doc: Document, indices: Iterable[int]) -> Joined:
        idx = tuple(indices)
        sep = doc.joiner
        parts, starts, pos = [], [], 0
        for i in idx:
            starts.append(pos)
            parts.append(doc.segments[i].text)
            pos += len(doc.segments[i].text) + len(sep)
        return cls(doc, idx, sep.join(parts), tuple(starts))

    def locate(self, start: int, end: int) -> Location:
        """The location of ``text[start:end]``, clipped to the segment where it starts."""
        k = 0
        for n, s in enumerate(self.starts):
            if s <= start:
                k = n
        seg = self.indices[k]
        base = self.starts[k]
        return locate(self.doc, seg, start - base, end - base)
