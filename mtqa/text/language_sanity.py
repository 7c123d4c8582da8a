"""Warnings about the languages of a check's inputs: a source in the translation's own
language (en->en), a source and translation given the wrong way round, and a file whose
text is not in the language its name or a flag says.

These are warnings, not errors: a same-language "source" can be deliberate (checking a
post-edit against the raw MT), and detection on a short text can be wrong. A run that
goes ahead on them says so on stderr (``mtqa: warning: ...``) instead of passing quietly.
"""
from __future__ import annotations

import re
from pathlib import PurePath

from mtqa.model import Document
from mtqa.text.langdetect import detect, script_counts

# Below this many letters detection is a guess (it answers "en" when unsure).
MIN_LETTERS = 40
_SAMPLE = 20_000
# article.zh.md, news_en.txt, report-de.xlf: a two-letter tag before the extension.
_NAME_TAG = re.compile(r"[._-]([a-z]{2})$")
_KNOWN_TAGS = frozenset({
    "ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "he", "hi",
    "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "nl", "no", "pl", "pt", "ro", "ru",
    "sk", "sl", "sv", "th", "tr", "uk", "vi", "zh"})


def reads_as(doc: Document) -> str | None:
    """The language ``doc``'s text reads as, or None when there is too little to tell."""
    sample = "\n".join(s.text for s in doc.segments[:500])[:_SAMPLE]
    if sum(script_counts(sample).values()) < MIN_LETTERS:
        return None
    return detect(sample)


def name_tag(path: str | None) -> str | None:
    """The language a file name declares (``article.zh.md`` -> ``zh``), if any."""
    if not path:
        return None
    name = PurePath(path)
    parts = name.name.lower().split(".")
    if len(parts) >= 3 and parts[-2] in _KNOWN_TAGS:
        return parts[-2]
    found = _NAME_TAG.search(name.stem.lower())
    return found.group(1) if found and found.group(1) in _KNOWN_TAGS else None


def language_warnings(target: Document, source: Document | None,
                      declared_source: str | None = None,
                      declared_target: str | None = None) -> list[str]:
    """What looks wrong about the languages of a (source, target) pair.

    ``declared_*`` are the languages the user gave (``--source-lang``/``--target-lang``);
    a file name tag counts as a declaration too.
    """
    if source is None:
        return []
    seen_source, seen_target = reads_as(source), reads_as(target)
    one_file = source.path == target.path  # a bilingual file: its name tags neither side
    src_name = f"{source.path} (source)" if one_file else source.path or "the source"
    tgt_name = target.path or "the translation"
    said_source = declared_source or (None if one_file else name_tag(source.path)) or source.lang
    said_target = declared_target or (None if one_file else name_tag(target.path)) or target.lang
    if (seen_source and seen_target and seen_source != seen_target
            and said_source == seen_target and said_target == seen_source):
        return [(f"{tgt_name}: the source reads as {seen_source} and the translation as "
                 f"{seen_target}, the other way round from what was declared: are source "
                 "and translation swapped?")]
    out = []
    if not one_file and _named_mt(source.path) and not _named_mt(target.path):
        out.append(f"{src_name}: the source's file name marks it as a machine translation "
                   f"(.mt.): are source and translation swapped?")
    if seen_source and seen_source == seen_target:
        out.append(f"{src_name}: the source and the translation are both {seen_source}: "
                   f"checking {seen_source}->{seen_target} (is the source the right file?)")
    for name, said, seen in ((src_name, said_source, seen_source),
                             (tgt_name, said_target, seen_target)):
        if said and seen and said != seen:
            out.append(f"{name}: declared {said} but the text reads as {seen}")
    return out


def _named_mt(path: str | None) -> bool:
    """``article.mt.en.md``: a name part ``mt`` marks a machine translation."""
    return bool(path) and "mt" in PurePath(str(path)).name.lower().split(".")[1:-1]
