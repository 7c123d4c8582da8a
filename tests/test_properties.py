"""Property-based tests: whatever the input, readers, the segmenter and every check
either work or raise ``InputError``, and every span they report lies inside its text.

Example counts are modest so that the suite stays fast; the strategies lean on the
characters that break parsers (quotes, brackets, tabs, escapes, CJK, line ends).
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtqa.checks.registry import all_checks
from mtqa.config import Config
from mtqa.errors import InputError
from mtqa.model import Bead, Document, Report
from mtqa.pipeline import Inputs, check_documents
from mtqa.readers import documents_from_units, parse_document
from mtqa.readers.bilingual import parse_jsonl, parse_tsv
from mtqa.readers.po import parse_po
from mtqa.readers.safexml import decode_xml
from mtqa.readers.tmx import parse_tmx
from mtqa.readers.xliff import parse_xliff
from mtqa.text.placeholders import find
from mtqa.text.segment import split

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

_TRICKY = list("aAzZ éü中文。，！？、“”‘’「」 .,;:!?\"'()[]{}<>/\\%$#&*-_=+|~`@^\t\n\r\x0b"
               "0123456789⟨⟩") + ["%s", "%1$d", "{name}", "{0}", "<b>", "</b>", "<br/>",
                                  "⟨1⟩", "⟨/1⟩", "⟨2/⟩", "the the", "Mr. ", "3.5", "11万",
                                  "\r\n", "\u2028", "\ufeff", "&amp;", "<![CDATA[", "-->"]
tricky = st.lists(st.sampled_from(_TRICKY) | st.characters(blacklist_categories=("Cs",)),
                  max_size=60).map("".join)
prose = st.lists(st.sampled_from(["The", "river", "cleanup", "3", "rules", "%s", "{n}", "<b>",
                                  "</b>", "⟨1⟩", "⟨/1⟩", "中文", "学习", "the the", ".", ",",
                                  " ", "Dr.", "2026", "100,000", "million"]),
                 max_size=25).map(" ".join)


def _spans_inside(report: Report) -> None:
    for doc in report.documents:
        for issue in doc.issues:
            for loc, side in ((issue.target, doc.target), (issue.source, doc.source)):
                if loc is None:
                    continue
                assert side is not None
                text = side.segments[loc.segment].text
                assert 0 <= loc.start <= loc.end <= len(text)
                assert text[loc.start:loc.end] == loc.text


# -- segmentation -------------------------------------------------------------------
@FAST
@given(text=tricky | prose, lang=st.sampled_from(["en", "zh", "de", "ja"]))
def test_split_spans_are_ordered_trimmed_and_never_cut_a_placeholder(text: str,
                                                                     lang: str) -> None:
    spans = split(text, lang)
    end = 0
    for s, e in spans:
        assert end <= s < e <= len(text)
        piece = text[s:e]
        assert piece.strip() and piece == piece.strip()
        end = e
    protected = [(p.start, p.end) for p in find(text)]
    for (_, e1), (s2, _) in zip(spans, spans[1:]):
        assert not any(a < s2 and b > e1 for a, b in protected), (text, spans)


# -- monolingual readers ----------------------------------------------------------------
@FAST
@given(text=tricky | prose, fmt=st.sampled_from(["text", "markdown"]))
def test_plain_and_markdown_segments_are_exact_slices(text: str, fmt: str) -> None:
    try:
        doc = parse_document(text, "f", fmt, "en")
    except InputError:
        return
    lines = text.split("\n")
    for seg in doc.segments:
        assert text[seg.offset:seg.offset + len(seg.text)] == seg.text
        first = seg.text.split("\n")[0]
        assert lines[seg.line - 1][seg.column - 1:].startswith(first)


# -- bilingual readers ------------------------------------------------------------------
@FAST
@given(rows=st.lists(st.tuples(tricky, tricky), min_size=1, max_size=6), garbage=tricky)
def test_tsv_cells_point_at_themselves(rows: list[tuple[str, str]], garbage: str) -> None:
    text = "\n".join(f"{a}\t{b}" for a, b in rows) + "\n" + garbage
    try:
        units = parse_tsv(text, "f")
    except InputError:
        return
    lines = text.split("\n")
    for seg in units.source + units.target:
        assert lines[seg.line - 1][seg.column - 1:].startswith(seg.text)


@FAST
@given(rows=st.lists(st.tuples(tricky, tricky), min_size=1, max_size=6), garbage=tricky)
def test_jsonl_reads_what_json_wrote(rows: list[tuple[str, str]], garbage: str) -> None:
    good = "\n".join(json.dumps({"source": a, "target": b}, ensure_ascii=False)
                     for a, b in rows)
    units = parse_jsonl(good, "f")
    assert [s.text for s in units.target] == [b.strip() for a, b in rows]
    try:
        parse_jsonl(good + "\n" + garbage, "f")
    except InputError:
        pass


_INLINE_12 = st.sampled_from([('<g id="1">', "⟨1⟩"), ("</g>", "⟨/1⟩"), ('<x id="7"/>', "⟨7/⟩"),
                              ('<ph id="2">&lt;br/&gt;</ph>', "⟨2/⟩"),
                              ('<bpt id="3">&lt;b&gt;</bpt>', "⟨3⟩"),
                              ('<ept id="3">&lt;/b&gt;</ept>', "⟨/3⟩"),
                              ('<mrk mtype="term">', ""), ("</mrk>", "")])
_pieces = st.lists(st.tuples(tricky, st.none() | _INLINE_12), max_size=5)


def _clean(text: str) -> str:
    """Only characters XML 1.0 can carry (CR is a line end and reads back as LF)."""
    return "".join(ch for ch in text.replace("\r", "")
                   if ch in "\t\n" or ch >= " " and ch not in "\ufffe\uffff")


def _xml_and_expected(pieces: list[tuple[str, tuple[str, str] | None]]) -> tuple[str, str]:
    xml, expected, opened = [], [], []
    closers = {"</g>": "<g", "</mrk>": "<mrk"}
    for text, code in pieces:
        xml.append(escape(_clean(text)))
        expected.append(_clean(text))
        if code is None:
            continue
        markup, shown = code
        if markup in closers:  # keep the markup well-formed: close only what is open
            if not opened or opened[-1] != closers[markup]:
                continue
            opened.pop()
        elif markup.startswith(("<g ", "<mrk ")):
            opened.append(markup.split(" ")[0])
        xml.append(markup)
        expected.append(shown)
    for name in reversed(opened):
        xml.append(f"</{name[1:]}>")
        expected.append("⟨/1⟩" if name == "<g" else "")
    return "".join(xml), "".join(expected)


@FAST
@given(units=st.lists(st.tuples(_pieces, _pieces), min_size=1, max_size=4))
def test_xliff_round_trip(units: list) -> None:
    body, want = [], []
    for n, (src, tgt) in enumerate(units):
        (s_xml, s_text), (t_xml, t_text) = _xml_and_expected(src), _xml_and_expected(tgt)
        body.append(f'<trans-unit id="u{n}"><source>{s_xml}</source>'
                    f'<target>{t_xml}</target></trans-unit>')
        want.append((s_text.strip(), t_text.strip()))
    doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2"><file '
           'source-language="en" target-language="de"><body>\n' + "\n".join(body) +
           "\n</body></file></xliff>")
    parsed = parse_xliff(decode_xml(doc.encode("utf-8"), "f"), "f")
    assert [(s.text, t.text) for s, t in zip(parsed.source, parsed.target)] == want
    # Every character outside a token sits where the segment says, in the file.
    lines = doc.split("\n")
    for seg in parsed.source + parsed.target:
        tokens = {i for p in find(seg.text) if p.kind == "code" for i in range(p.start, p.end)}
        for i, char in enumerate(seg.text):
            line, column = seg.position(i)
            if i in tokens or char == "\n":
                continue
            in_file = lines[line - 1][column - 1]
            assert in_file == char or in_file == "&" and char in "&<>\"'", (seg, i)


@FAST
@given(units=st.lists(st.tuples(tricky, tricky), min_size=1, max_size=4))
def test_tmx_round_trip(units: list[tuple[str, str]]) -> None:
    tus = "".join(f'<tu tuid="{n}"><tuv xml:lang="en"><seg>{escape(_clean(a))}</seg></tuv>'
                  f'<tuv xml:lang="fr-FR"><seg>{escape(_clean(b))}</seg></tuv></tu>\n'
                  for n, (a, b) in enumerate(units))
    parsed = parse_tmx(f'<tmx version="1.4"><header srclang="en"/><body>\n{tus}</body></tmx>',
                       "f")
    assert [t.text for t in parsed.target] == [_clean(b).strip() for _, b in units]
    assert parsed.target_lang == "fr"


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\t", "\\t").replace("\r", "\\r") + '"'


@FAST
@given(units=st.lists(st.tuples(tricky, tricky), min_size=1, max_size=4), garbage=tricky)
def test_po_round_trip_and_garbage(units: list[tuple[str, str]], garbage: str) -> None:
    entries = "\n".join(f"msgctxt {_po_quote(str(n))}\nmsgid {_po_quote(a or 'x')}\n"
                        f"msgstr {_po_quote(b)}\n" for n, (a, b) in enumerate(units))
    parsed = parse_po(entries, "f")
    assert [t.text for t in parsed.target] == [b.strip() for _, b in units]
    try:
        parse_po(entries + garbage, "f")
    except InputError:
        pass


@FAST
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["xliff", "tmx", "po"]))
def test_arbitrary_bytes_are_read_or_refused(data: bytes, fmt: str) -> None:
    parse = {"xliff": parse_xliff, "tmx": parse_tmx, "po": parse_po}[fmt]
    try:
        parse(decode_xml(data, "f"), "f")
    except InputError:
        pass


# -- every check ----------------------------------------------------------------------
ALL = Config(select=tuple(c.code for c in all_checks()))


@FAST
@given(pairs=st.lists(st.tuples(prose | tricky, prose | tricky), min_size=1, max_size=4),
       langs=st.sampled_from([("zh", "en"), ("en", "de"), ("en", "zh"), ("en", "en")]))
def test_every_check_on_bilingual_pairs(pairs: list[tuple[str, str]],
                                        langs: tuple[str, str]) -> None:
    text = "\n".join(f"{a}\t{b}\t{b[::-1]}".replace("\n", " ").replace("\r", " ")
                     for a, b in pairs)
    try:
        units = parse_tsv(text, "f")
    except InputError:
        return
    src, tgt, ref = documents_from_units(units, "f", "tsv", *langs)
    beads = tuple(Bead((i,), (i,), (i,)) for i in range(len(tgt.segments)))
    report = check_documents([Inputs(tgt, src, ref, beads)], ALL)
    _spans_inside(report)


@FAST
@given(target=prose | tricky, source=st.none() | prose | tricky)
def test_every_check_on_monolingual_text(target: str, source: str | None) -> None:
    from mtqa.api import check_texts

    try:
        report = check_texts(target, source, config=ALL)
    except InputError:
        return
    _spans_inside(report)


def test_the_check_properties_cover_every_registered_check() -> None:
    # The registry is what the property tests select: a new check is fuzzed too.
    assert set(ALL.select) == {c.code for c in all_checks()}
    assert {"TG01", "TG02", "TG03", "TG04", "TG05", "TG06"} <= set(ALL.select)
    assert isinstance(Document("f", "en", ()).units, tuple)


def test_a_brace_placeholder_never_swallows_an_inline_code() -> None:
    # Found by hypothesis (test_xliff_round_trip): "{,<g>}</g>".
    kinds = [(p.kind, p.key) for p in find("{,⟨1⟩}⟨/1⟩")]
    assert kinds == [("code", "⟨1⟩"), ("code", "⟨/1⟩")]
