"""The one harness of the check tests: run one check through the whole pipeline (check
selection, preconditions, suppression of noise, scoring) on a text, a source/target
pair, or aligned lists of sentences with a glossary."""
from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mtqa.api import check_texts
from mtqa.config import Config
from mtqa.model import Bead, Document, Glossary, Issue, Segment
from mtqa.pipeline import Inputs, check_documents
from mtqa.readers.glossary_table import parse_table

GLOSSARY_HEADER = "source\ttarget\tforbidden\tnote\tcase"


def run_check(code: str, target: str, *, lang: str = "en", source: str | None = None,
              source_lang: str = "zh", options: dict[str, Any] | None = None,
              fmt: str = "text") -> list[Issue]:
    """The issues of check ``code`` on one target segment (and its source, if given)."""
    # Rules only: a check table never needs the encoder (nor the estimate it feeds).
    config = Config(select=(code,), options={code: options} if options else {},
                    encoder="none")
    tgt = Document(None, lang, (Segment(target, 1, 1, 0),), fmt)
    src = None
    beads = (Bead((), (0,)),)
    if source is not None:
        src = Document(None, source_lang, (Segment(source, 1, 1, 0),))
        beads = (Bead((0,), (0,)),)
    report = check_documents([Inputs(tgt, src, None, beads)], config)
    return [i for i in report.documents[0].issues if i.code == code]


def spans(code: str, target: str, **kwargs: Any) -> list[str]:
    """The flagged target texts."""
    return [i.target.text if i.target else "" for i in run_check(code, target, **kwargs)]


def run_document(code: str, text: str, lang: str = "en", fmt: str = "text") -> list[Issue]:
    """The issues of check ``code`` on a whole plain-text (or Markdown) document."""
    config = Config(select=(code,), target_lang=lang)
    report = check_texts(text, config=config, fmt=fmt)
    return [i for i in report.documents[0].issues if i.code == code]


def doc(lines: Sequence[str], lang: str) -> Document:
    """One segment per line, at line i+1, column 1."""
    return Document("t", lang, tuple(Segment(t, i + 1, 1, -1, i) for i, t in enumerate(lines)))


def glossary(*rows: str, header: str = GLOSSARY_HEADER) -> Glossary:
    """A glossary from TSV rows (``source<TAB>target<TAB>forbidden<TAB>note<TAB>case``)."""
    return Glossary(tuple(parse_table("\n".join([header, *rows]), "g.tsv")))


def _tsv(gloss: Glossary) -> str:
    rows = ["\t".join((t.source, "|".join(t.targets), "|".join(t.forbidden), t.note, t.case))
            for t in gloss.terms]
    return "\n".join([GLOSSARY_HEADER, *rows]) + "\n"


def run(code: str, target: Sequence[str], source: Sequence[str] | None = None,
        gloss: Glossary | None = None, **options: object) -> list[Issue]:
    """Issues of one check on a 1-1 aligned English document, with its Chinese source
    when given (target-only without); the glossary is read from a file, as a run does."""
    tgt = doc(target, "en")
    src = doc(source, "zh") if source is not None else None
    beads = tuple(Bead((i,) if src else (), (i,)) for i in range(len(target)))
    with tempfile.TemporaryDirectory() as folder:
        glossaries: tuple[str, ...] = ()
        if gloss is not None:
            path = Path(folder) / "glossary.tsv"
            path.write_text(_tsv(gloss), encoding="utf-8")
            glossaries = (str(path),)
        config = Config(select=(code,), options={code: dict(options)} if options else {},
                        glossaries=glossaries, source_lang="zh" if src else None,
                        target_lang="en")
        report = check_documents([Inputs(tgt, src, None, beads)], config)
    return [i for i in report.documents[0].issues if i.code == code]
