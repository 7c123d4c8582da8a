"""TBX glossaries: TBX-Basic (ISO 30042:2008, ``martif``/``termEntry``/``langSet``/``tig``)
and TBX v3 (ISO 30042:2019, ``tbx``/``conceptEntry``/``langSec``/``termSec``), in the
DCA style (``<termNote type="administrativeStatus">``) and the DCT style
(``<basic:administrativeStatus>``).

Each entry becomes terms of the model: the source-language terms are what is matched
in the source; target-language terms with status preferred (or legal, regulated,
standardized) are the required renderings, admitted terms (and terms without a status)
accepted alternatives, deprecated and superseded terms forbidden renderings.

The XML is parsed with defusedxml: entity declarations (internal or external) are
refused, so there is no entity expansion at all and nothing is fetched; a DOCTYPE line
naming a DTD is tolerated (TBX-Basic files carry one) but the DTD is never loaded.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from mtqa.errors import InputError
from mtqa.model import Term

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ENTRY = {"termEntry", "conceptEntry"}
_LANG = {"langSet", "langSec"}
_TERM_GROUP = {"tig", "ntig", "termSec"}
_STATUS_KIND = {"administrativeStatus", "normativeAuthorization"}
# Status value (without the "-admn-sts" suffix) -> role in the model.
_STATUS = {
    "preferredTerm": "preferred", "standardizedTerm": "preferred", "legalTerm": "preferred",
    "regulatedTerm": "preferred", "admittedTerm": "admitted", "deprecatedTerm": "forbidden",
    "supersededTerm": "forbidden",
}
_DECLARATION_ENCODING = re.compile(r"^(<\?xml[^>]*?)\s+encoding\s*=\s*(['\"])[^'\"]*\2")


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        elem = super().start(tag, attrs)
        self.lines[id(elem)] = self.parser.parser.CurrentLineNumber
        return elem


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def _text(elem: ET.Element) -> str:
    return " ".join("".join(elem.itertext()).split())


def parse_xml(text: str, name: str) -> tuple[ET.Element, dict[int, int]]:
    """Parse ``text`` safely; returns the root and element-id -> line numbers."""
    # The text is already decoded: an encoding pseudo-attribute would make expat
    # re-decode it.
    text = _DECLARATION_ENCODING.sub(r"\1", text.lstrip("\ufeff"), count=1)
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(name, f"malformed XML: {exc.msg if hasattr(exc, 'msg') else exc}",
                         line) from None
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber if parser.parser else None
        raise InputError(name, f"refused unsafe XML ({type(exc).__name__}: entity "
                               "declarations and external references are not allowed)",
                         line) from None
    return root, builder.lines


def parse_tbx(text: str, name: str, source_lang: str | None = None,
              target_lang: str | None = None) -> list[Term]:
    """Parse a TBX document into terms for the source -> target language pair.

    Languages: the given ones; else, with two languages in the file, the root's
    ``xml:lang`` (or the first language of the first entry) is the source.
    """
    root, lines = parse_xml(text, name)
    if _local(root.tag) not in ("martif", "tbx"):
        raise InputError(name, f"not a TBX file (root element <{_local(root.tag)}>, "
                               "expected <martif> or <tbx>)", lines.get(id(root)))
    entries = [e for e in root.iter() if _local(e.tag) in _ENTRY]
    langs: list[str] = []
    for entry in entries:
        for sec in entry:
            if _local(sec.tag) in _LANG:
                code = sec.get(XML_LANG)
                if not code:
                    raise InputError(name, f"<{_local(sec.tag)}> without xml:lang",
                                     lines.get(id(sec)))
                if _primary(code) not in langs:
                    langs.append(_primary(code))
    src, tgt = _pair(langs, root.get(XML_LANG), source_lang, target_lang, name)
    terms: list[Term] = []
    for entry in entries:
        terms.extend(_entry_terms(entry, src, tgt, name, lines))
    return terms


def _pair(langs: list[str], root_lang: str | None, source_lang: str | None,
          target_lang: str | None, name: str) -> tuple[str, str]:
    if not langs:
        raise InputError(name, "TBX file has no language sections")
    src = _primary(source_lang) if source_lang else None
    tgt = _primary(target_lang) if target_lang else None
    if src is None and tgt is not None and len(langs) == 2 and tgt in langs:
        src = next(lang for lang in langs if lang != tgt)
    if src is None:
        if len(langs) > 2:
            raise InputError(name, f"TBX file has languages {', '.join(langs)}: give "
                                   "--source-lang and --target-lang")
        src = _primary(root_lang) if root_lang and _primary(root_lang) in langs else langs[0]
    if tgt is None:
        others = [lang for lang in langs if lang != src]
        if len(others) != 1:
            raise InputError(name, f"TBX file has languages {', '.join(langs)}: give "
                                   "--target-lang")
        tgt = others[0]
    return src, tgt


def _notes(elem: ET.Element) -> list[str]:
    out = []
    for child in elem:
        kind = _local(child.tag)
        if kind == "note" or (kind == "descrip" and child.get("type") in
                              ("definition", "explanation", "context")) or kind in (
                "definition", "explanation"):
            value = _text(child)
            if value:
                out.append(value)
    return out


def _status(group: ET.Element, name: str, lines: dict[int, int]) -> str:
    for child in group.iter():
        kind = _local(child.tag)
        if (kind == "termNote" and child.get("type") in _STATUS_KIND) or kind in _STATUS_KIND:
            value = _text(child).removesuffix("-admn-sts")
            if value not in _STATUS:
                raise InputError(name, f"unknown term status {_text(child)!r} (expected "
                                       "preferredTerm-admn-sts, admittedTerm-admn-sts, "
                                       "deprecatedTerm-admn-sts or supersededTerm-admn-sts)",
                                 lines.get(id(child)))
            return _STATUS[value]
    return "admitted"


def _entry_terms(entry: ET.Element, src: str, tgt: str, name: str,
                 lines: dict[int, int]) -> list[Term]:
    sources: list[str] = []
    found: dict[str, list[str]] = {"preferred": [], "admitted": [], "forbidden": []}
    notes = _notes(entry)
    line = lines.get(id(entry))
    for sec in entry:
        if _local(sec.tag) not in _LANG:
            continue
        lang = _primary(sec.get(XML_LANG, ""))
        if lang not in (src, tgt):
            continue
        notes.extend(_notes(sec))
        for group in sec:
            if _local(group.tag) not in _TERM_GROUP:
                continue
            term_elems = [e for e in group.iter() if _local(e.tag) == "term"]
            if not term_elems or not _text(term_elems[0]):
                raise InputError(name, f"<{_local(group.tag)}> without a <term>",
                                 lines.get(id(group)))
            value = _text(term_elems[0])
            notes.extend(_notes(group))
            if lang == src:
                if value not in sources:
                    sources.append(value)
            else:
                found[_status(group, name, lines)].append(value)
    targets = tuple(dict.fromkeys(found["preferred"] + found["admitted"]))
    forbidden = tuple(f for f in dict.fromkeys(found["forbidden"]) if f not in targets)
    if not targets and not forbidden:
        return []
    note = "; ".join(dict.fromkeys(notes))
    origin = f"{name}:{line}" if line else name
    if not sources:
        if not forbidden:
            return []
        return [Term(source="", targets=targets, forbidden=forbidden, note=note, origin=origin)]
    return [Term(source=s, targets=targets, forbidden=forbidden, note=note, origin=origin)
            for s in sources]
