"""Reading two files for ``mtqa align``."""
from __future__ import annotations

from mtqa.align import Aligner, default_aligner
from mtqa.config import Config
from mtqa.langdetect import detect
from mtqa.model import Bead, Document, Segment
from mtqa.readers import read_document
from mtqa.readers.encoding import read_text


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
                config: Config | None = None) -> tuple[Document, Document, list[Bead]]:
    reader = read_presplit if presplit else read_document
    src = reader(source, source_lang)
    tgt = reader(target, target_lang)
    beads = (aligner or default_aligner(config)).align(src.texts, tgt.texts, src.lang, tgt.lang)
    return src, tgt, beads
