"""The examples in each check's documentation do what the documentation says: the one
after "Fires:" fires, the one after "Passes:" passes -- for every registered check.

Two forms. Inline: ``text`` after the label (a pair check writes source ``..`` /
target ``..``). Block: the label alone on its line, then indented lines that build a
document, one segment each::

    Fires:
        source: 会议在临川召开。
        target: The meeting was held in Linchuan.
        glossary: 河长制 -> river chief system (not: river long system)
        po: msgid "Save"

``source``/``target`` lines are aligned one to one (alignment checks run the real
aligner instead), ``glossary`` lines are glossary entries (``-> accepted`` with an
empty source for a target-only rule; ``(case-sensitive)`` at the end), and ``po`` lines
are the lines of a PO file.
"""
from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from _checkutil import doc, run_check, run_document

from mtqa.api import check_texts
from mtqa.checks.registry import all_checks, documentation
from mtqa.config import Config
from mtqa.model import Bead, Issue
from mtqa.pipeline import Inputs, check_documents, check_files

_EXAMPLE = re.compile(r"``(.+?)``(?!`)", re.DOTALL)
_PAIR = re.compile(r"source ``(.+?)``\s*/\s*target ``(.+?)``", re.DOTALL)
_GLOSSARY_ROW = re.compile(r"^(?P<source>.*?)\s*->\s*(?P<target>.*?)"
                           r"(?:\s*\(not: (?P<forbidden>.*?)\))?"
                           r"(?P<sensitive>\s*\(case-sensitive\))?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _block(cls: type, label: str) -> dict[str, list[str]] | None:
    """The block example after ``label``, by kind of line; None for an inline one."""
    m = re.search(rf"^{label}(?: \(.*\))?:[ \t]*\n((?:[ \t]+\S.*(?:\n|$))+)",
                  documentation(cls), re.M)
    if m is None:
        return None
    out: dict[str, list[str]] = defaultdict(list)
    last = ""
    for line in m.group(1).splitlines():
        kind, sep, value = line.strip().partition(": ")
        if sep and kind in ("source", "target", "glossary", "po"):
            out[kind].append(value)
            last = kind
        else:  # a long segment wrapped onto the next line
            assert last, (cls.code, line)
            out[last][-1] += " " + line.strip()
    return out


def _glossary_tsv(rows: list[str]) -> str:
    lines = ["source\ttarget\tforbidden\tnote\tcase"]
    for row in rows:
        m = _GLOSSARY_ROW.match(row)
        assert m, row
        case = "sensitive" if m["sensitive"] else "insensitive"
        lines.append("\t".join((m["source"], m["target"], m["forbidden"] or "", "", case)))
    return "\n".join(lines) + "\n"


def _run_block(cls: type, block: dict[str, list[str]]) -> list[Issue]:
    with tempfile.TemporaryDirectory() as folder:
        glossaries: tuple[str, ...] = ()
        if block.get("glossary"):
            path = Path(folder) / "glossary.tsv"
            path.write_text(_glossary_tsv(block["glossary"]), encoding="utf-8")
            glossaries = (str(path),)
        source, target = block.get("source", []), block.get("target", [])
        source_lang = "zh" if any(_CJK.search(s) for s in source) else "en"
        config = Config(select=(cls.code,), glossaries=glossaries,
                        source_lang=source_lang if source else None, target_lang="en")
        if block.get("po"):
            path = Path(folder) / "example.po"
            path.write_text("\n".join(block["po"]) + "\n", encoding="utf-8")
            report = check_files([str(path)], config=config)
        elif cls.code.startswith("AL"):
            # The alignment is what these checks judge: the real aligner makes it.
            report = check_texts("\n\n".join(target), "\n\n".join(source), config=config)
        else:
            assert not source or len(source) == len(target), cls.code
            src = doc(source, source_lang) if source else None
            beads = tuple(Bead((i,) if src else (), (i,)) for i in range(len(target)))
            report = check_documents([Inputs(doc(target, "en"), src, None, beads)], config)
    return [i for i in report.documents[0].issues if i.code == cls.code]


def _examples(cls: type, label: str) -> list[str]:
    doc = documentation(cls)
    start = doc.find(f"{label}:")
    if start < 0:
        return []
    line = doc[start:].split("\n\n", 1)[0].split(f"\n{'Passes' if label == 'Fires' else 'Fires'}:")[0]
    return [_unwrap(x) for x in _EXAMPLE.findall(line)]


def _unwrap(example: str) -> str:
    """An example as written, without the line breaks of the docstring."""
    return re.sub(r"\s*\n\s*", " ", example)


def _fires(cls: type, example: str, source: str | None = None) -> bool:
    lang = "en"
    if source is not None:
        source_lang = "zh" if re.search(r"[\u4e00-\u9fff]", source) else "en"
        # Checks of software strings run on localisation files only (a PO unit here).
        fmt = "po" if cls.code.startswith("SW") else "text"
        return bool(run_check(cls.code, example, source=source, source_lang=source_lang,
                              lang=lang, fmt=fmt, options=getattr(cls, "example_options", None)))
    return bool(run_document(cls.code, example + "\n", lang=lang))


# Examples described in words because they cannot be written out in a docstring: the
# text each description stands for.
_DESCRIBED = {
    "EX08": ("x" * 12_000, "An ordinary sentence."),  # a 12,000-character line
}


@pytest.mark.parametrize("cls", all_checks(), ids=lambda c: c.code)
def test_documented_examples(cls: type) -> None:
    if cls.code in _DESCRIBED:
        fires, passes = _DESCRIBED[cls.code]
        assert _fires(cls, fires) and not _fires(cls, passes), cls.code
        return
    fires_block, passes_block = _block(cls, "Fires"), _block(cls, "Passes")
    if fires_block is not None or passes_block is not None:
        assert fires_block and passes_block, f"{cls.code}: give both blocks"
        assert _run_block(cls, fires_block), f"{cls.code} should fire on its example"
        assert not _run_block(cls, passes_block), f"{cls.code} should pass its example"
        return
    doc = documentation(cls)
    if "source" in cls.requires:
        fires = _PAIR.search(doc[doc.index("Fires:"):])
        passes = _PAIR.search(doc[doc.index("Passes:"):])
        assert fires and passes, f"{cls.code}: write pair examples as source ``..`` / target ``..``"
        assert _fires(cls, _unwrap(fires.group(2)), _unwrap(fires.group(1)))
        assert not _fires(cls, _unwrap(passes.group(2)), _unwrap(passes.group(1)))
        return
    fires, passes = _examples(cls, "Fires"), _examples(cls, "Passes")
    assert fires and passes, cls.code
    for example in fires:
        assert _fires(cls, example), f"{cls.code} should fire on {example!r}"
    for example in passes:
        assert not _fires(cls, example), f"{cls.code} should pass {example!r}"
