"""Building documents, glossaries and contexts for the terminology and consistency tests."""
from __future__ import annotations

from collections.abc import Sequence

from mtqa.checks.base import Context
from mtqa.checks.registry import find
from mtqa.model import Bead, Document, Glossary, Issue, Segment
from mtqa.readers.glossary_table import parse_table


def doc(lines: Sequence[str], lang: str) -> Document:
    """One segment per line, at line i+1, column 1."""
    return Document("t", lang, tuple(Segment(t, i + 1, 1, -1, i) for i, t in enumerate(lines)))


def glossary(*rows: str, header: str = "source\ttarget\tforbidden\tnote\tcase") -> Glossary:
    return Glossary(tuple(parse_table("\n".join([header, *rows]), "g.tsv")))


def run(code: str, target: Sequence[str], source: Sequence[str] | None = None,
        gloss: Glossary | None = None, **options: object) -> list[Issue]:
    """Issues of one check on a 1-1 aligned document (target-only without a source)."""
    tgt = doc(target, "en")
    src = doc(source, "zh") if source is not None else None
    beads = tuple(Bead((i,) if src else (), (i,)) for i in range(len(target)))
    ctx = Context(target=tgt, source=src, alignment=beads, glossary=gloss)
    cls = find(code)
    assert cls is not None
    check = cls(options=options)
    return list(check.run(ctx)) if check.applies(ctx) else []
