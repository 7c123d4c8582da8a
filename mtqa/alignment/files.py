"""Reading two files for ``mtqa align``, and writing the alignment as it goes."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import TextIO

from mtqa.alignment.aligner import Aligner, AutoAligner, default_aligner
from mtqa.config import Config
from mtqa.model import Bead, Document, Segment
from mtqa.readers import read_document
from mtqa.readers.encoding import read_text
from mtqa.text.langdetect import detect


def read_presplit(path: str, lang: str | None) -> Document:
    """One sentence per line, taken as it is (empty lines skipped)."""
    text = read_text(path)
    segs = tuple(Segment(text=line.strip(), line=n, column=1 + len(line) - len(line.lstrip()),
                         block=n)
                 for n, line in enumerate(text.split("\n"), start=1) if line.strip())
    return Document(path, lang or detect(text), segs, "presplit")


def align_files(source: str, target: str, presplit: bool = False,
                source_lang: str | None = None, target_lang: str | None = None,
                aligner: Aligner | None = None,
                config: Config | None = None,
                progress: Callable[[int, int], None] | None = None
                ) -> tuple[Document, Document, list[Bead]]:
    """Read both files and align them; ``progress`` follows the encoding of the
    default aligner (texts done, texts in all)."""
    reader = read_presplit if presplit else read_document
    src = reader(source, source_lang)
    tgt = reader(target, target_lang)
    if aligner is None:
        aligner = default_aligner(config)
        if isinstance(aligner, AutoAligner):
            aligner.progress = progress
    beads = aligner.align(src.texts, tgt.texts, src.lang, tgt.lang)
    return src, tgt, beads


def terminal_progress(stream: TextIO = sys.stderr) -> Callable[[int, int], None] | None:
    """A one-line progress report on ``stream`` when it is a terminal, else None (a
    pipe or a CI log gets no carriage-return noise)."""
    if not stream.isatty():
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        stream.write(f"\rencoding sentences: {done}/{total}{end}")
        stream.flush()

    return report


def _joined(doc: Document, ids: Iterable[int]) -> str:
    return " ".join(doc.segments[i].text for i in ids)


def _one_line(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ").strip()


def write_tsv(out: TextIO, src: Document, tgt: Document, beads: Iterable[Bead]) -> None:
    """One bead a line: ``ids<TAB>similarity<TAB>source<TAB>target<TAB>confidence``, written
    bead by bead. Ids are ``source ids:target ids``, comma-separated and 0-based."""
    for b in beads:
        s = _joined(src, b.source)
        t = _joined(tgt, b.target)
        sim = "" if b.similarity is None else f"{b.similarity:.3f}"
        conf = "" if b.confidence is None else f"{b.confidence:.3f}"
        ids = f"{','.join(map(str, b.source))}:{','.join(map(str, b.target))}"
        fields = [ids, sim, s, t, conf]
        out.write("\t".join(_one_line(f) for f in fields) + "\n")


def write_json(out: TextIO, src: Document, tgt: Document, beads: Iterable[Bead]) -> None:
    """A JSON array with one object per bead, written bead by bead (a long document is
    never held as one string)."""
    out.write("[")
    for n, b in enumerate(beads):
        row = {"source": list(b.source), "target": list(b.target),
               "similarity": b.similarity, "confidence": b.confidence,
               "source_text": _joined(src, b.source), "target_text": _joined(tgt, b.target)}
        out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(row, ensure_ascii=False))
    out.write("\n]\n")
