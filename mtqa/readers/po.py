"""Gettext PO files: one bead per entry, or per plural form.

``msgid`` is the source and ``msgstr`` the target; a plural entry gives one bead per
``msgstr[n]``, against ``msgid_plural`` for forms 1 and up. Form 0 is compared with
``msgid`` when the header's ``Plural-Forms`` uses it for the count 1 only (English,
German), and with ``msgid_plural`` when it stands for other counts too (Chinese,
Japanese, Korean, Vietnamese have one form for every count; Russian uses form 0 for 21).
The source language is ``en`` (gettext's convention) unless ``X-Source-Language`` says
otherwise; the target language is the header's ``Language``.
``msgctxt`` is part of the unit id (``context::msgid``). The header entry is read for its
``Language`` and not checked; obsolete entries (``#~``) are skipped. Fuzzy entries are
read like the others and carry ``state="fuzzy"``, which check TG06 reports: a fuzzy
translation is a guess that gettext itself does not use. Translator (``#``) and
extracted (``#.``) comments become the unit's notes.

Each target keeps the line and column where its text starts (the first non-empty string
of a ``msgstr`` that continues over several lines). Escapes (``\\n``, ``\\"``) are
decoded, so offsets inside a string with escapes are approximate.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from mtqa.errors import InputError
from mtqa.model import Segment, UnitInfo
from mtqa.readers import plurals
from mtqa.readers.bilingual import Units
from mtqa.readers.encoding import decode, utf8
from mtqa.readers.inline import anchored
from mtqa.readers.xliff import primary_lang

_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d{1,3})\])?[ \t]*(".*)$')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*$')
_ESCAPE = re.compile(r'\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))')
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
MAX_ID = 80
_CHARSET = re.compile(rb"charset=([A-Za-z0-9._-]{1,40})")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_po(data: bytes, name: str) -> str:
    """Decode a PO file in the charset its header declares (``Content-Type: text/plain;
    charset=CP1252``), else like any text file."""
    declared = _CHARSET.search(data[:4096])
    if not data or data.startswith(_BOMS) or declared is None:
        return decode(data, name)
    label = declared.group(1).decode("ascii")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return decode(data, name)  # "charset=CHARSET", the template placeholder
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(name, f"not valid {label} as its header says (byte {exc.start})",
                         line) from None
    except LookupError:  # base64, rot13, zlib...: codecs, but not text encodings
        raise InputError(name, f"the header names charset {label!r}, which is not a "
                               "text encoding") from None
    # Back through the common path as UTF-8: line ends, binary and empty-file checks.
    return decode(utf8(text, name), name)


@dataclass
class _Part:
    """A piece of a PO string with where its text starts in the file."""

    text: str
    line: int
    column: int


@dataclass
class _Entry:
    line: int
    fuzzy: bool = False
    notes: list[str] = field(default_factory=list)
    strings: dict[str, list[_Part]] = field(default_factory=dict)  # keyword -> parts

    def value(self, key: str) -> str | None:
        parts = self.strings.get(key)
        return None if parts is None else "".join(p.text for p in parts)

    def segment(self, key: str, block: int, unit_id: str) -> Segment:
        parts = self.strings[key]
        return anchored([(p.text, p.line, p.column) for p in parts], block, unit_id,
                        parts[0].line, parts[0].column)


def _escape(m: re.Match[str]) -> str:
    octal, hexa, char = m.groups()
    if octal:
        return chr(int(octal, 8))
    if hexa:
        return chr(int(hexa, 16))
    return _SIMPLE.get(char, char)


def _string(rest: str, name: str, number: int, column: int) -> list[_Part]:
    """The pieces of one quoted string: literal runs and decoded escapes, each with the
    column where it is written, so positions stay exact after ``\\n`` or ``\\"``."""
    m = _STRING.match(rest)
    if m is None:
        raise InputError(name, "malformed string (expected one double-quoted string)", number)
    raw, start = m.group(1), column + 1
    out: list[_Part] = []
    pos = 0
    for esc in _ESCAPE.finditer(raw):
        if esc.start() > pos:
            out.append(_Part(raw[pos:esc.start()], number, start + pos))
        out.append(_Part(_escape(esc), number, start + esc.start()))
        pos = esc.end()
    if pos < len(raw) or not out:
        out.append(_Part(raw[pos:], number, start + pos))
    return out


def _entries(text: str, name: str) -> list[_Entry]:
    entries: list[_Entry] = []
    entry: _Entry | None = None
    last: str | None = None  # keyword a continuation string belongs to
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            entry, last = None, None
            continue
        indent = len(raw) - len(raw.lstrip())
        if line.startswith("#"):
            if line.startswith("#~"):
                continue  # obsolete entry: no longer in the program
            if entry is not None and "msgstr" in (last or ""):
                entry, last = None, None  # comments start the next entry
            if entry is None:
                entry = _Entry(number)
                entries.append(entry)
            if line.startswith("#,"):
                flags = {f.strip() for f in line[2:].split(",")}
                entry.fuzzy = entry.fuzzy or "fuzzy" in flags
            elif line.startswith("#.") or line.startswith("# ") or line == "#":
                note = line[2:].strip()
                if note:
                    entry.notes.append(note)
            continue
        if line.startswith('"'):
            if entry is None or last is None:
                raise InputError(name, "string without a keyword before it", number)
            entry.strings[last].extend(_string(line, name, number, indent + 1))
            continue
        m = _KEYWORD.match(line)
        if m is None:
            raise InputError(name, f"unexpected line {line[:40]!r} (not PO syntax)", number)
        keyword, index, rest = m.groups()
        if keyword == "msgstr" and index is not None:
            keyword = f"msgstr[{int(index)}]"
        if keyword in ("msgctxt", "msgid") and entry is not None and \
                any(k.startswith("msgstr") for k in entry.strings):
            entry = None
        if entry is None:
            entry = _Entry(number)
            entries.append(entry)
        if keyword in entry.strings:
            raise InputError(name, f"{keyword} given twice in one entry", number)
        entry.strings[keyword] = _string(rest, name, number, indent + m.start(3) + 1)
        last = keyword
    return entries


def parse_po(text: str, name: str) -> Units:
    """Parse a PO file into parallel msgid/msgstr units."""
    source: list[Segment] = []
    target: list[Segment] = []
    info: list[UnitInfo] = []
    language: str | None = None
    source_language: str | None = None
    # Until a header says otherwise, form 0 is the singular (the gettext default).
    zero_is_singular = True
    for entry in _entries(text, name):
        msgid = entry.value("msgid")
        if msgid is None:
            if entry.strings:
                raise InputError(name, "entry without msgid", entry.line)
            continue  # a comment block on its own
        forms = sorted((k for k in entry.strings if k.startswith("msgstr")),
                       key=lambda k: int(k[7:-1]) if "[" in k else 0)
        if not forms:
            raise InputError(name, "entry without msgstr", entry.line)
        context = entry.value("msgctxt")
        if msgid == "" and context is None:
            header = entry.value("msgstr") or ""
            language = _header_field(header, "Language")
            source_language = _header_field(header, "X-Source-Language")
            zero_is_singular = _zero_is_singular(header, name, entry.line)
            continue
        plural = entry.value("msgid_plural")
        if (plural is None) == any("[" in k for k in forms):
            raise InputError(name, "msgid_plural goes with msgstr[n], msgid with msgstr",
                             entry.line)
        key = (f"{context}::" if context else "") + msgid[:MAX_ID]
        for form in forms:
            n = int(form[7:-1]) if "[" in form else None
            src_key = "msgid_plural" if n or (n == 0 and not zero_is_singular) else "msgid"
            unit_id = key if n is None else f"{key}[{n}]"
            block = len(target)
            source.append(entry.segment(src_key, block, unit_id))
            target.append(entry.segment(form, block, unit_id))
            info.append(UnitInfo(id=unit_id, line=target[-1].line,
                                 state="fuzzy" if entry.fuzzy else None,
                                 notes=tuple(entry.notes), fuzzy=entry.fuzzy, plural=n,
                                 source_edges=_edges(entry.value(src_key) or ""),
                                 target_edges=_edges(entry.value(form) or "")))
    if not target:
        raise InputError(name, "no translation units found")
    # gettext wants msgids in English (its manual: "the original strings in English");
    # a catalogue in another source language says so in X-Source-Language.
    return Units(source, target, None, info=info,
                 source_lang=primary_lang(source_language, name) or "en",
                 target_lang=primary_lang(language, name))


def _edges(text: str) -> tuple[str, str]:
    """The leading and trailing whitespace of a PO string (``""`` each when none): the
    segment keeps the trimmed text, the string checks the edges."""
    body = text.strip()
    if body == text:
        return ("", "")
    if not body:
        return (text, "")
    lead = len(text) - len(text.lstrip())
    return (text[:lead], text[lead + len(body):])


def _header_field(header: str, field: str) -> str | None:
    m = re.search(rf"^{re.escape(field)}:[ \t]*(\S{{1,40}})[ \t]*$", header, re.MULTILINE)
    return m.group(1) if m else None


def _zero_is_singular(header: str, name: str, line: int) -> bool:
    try:
        forms = plurals.parse(header)
    except plurals.PluralFormsError as exc:
        raise InputError(name, f"header Plural-Forms: {exc}", line) from None
    return forms is None or plurals.form_zero_is_singular(*forms)
