"""Running one check on a text or a source/target pair, for the check tables."""
from __future__ import annotations

from typing import Any

from mtqa.api import check_texts
from mtqa.config import Config
from mtqa.model import Bead, Document, Issue, Segment
from mtqa.pipeline import Inputs, check_documents


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
