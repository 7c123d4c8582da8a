"""XLIFF 1.2/2.x, TMX and PO readers on real-shaped files written by the team."""
from __future__ import annotations

from pathlib import Path

import pytest

from mtqa.errors import InputError
from mtqa.readers import read_bilingual
from mtqa.readers.po import parse_po
from mtqa.readers.safexml import decode_xml
from mtqa.readers.tmx import parse_tmx
from mtqa.readers.xliff import parse_xliff
from mtqa.text.placeholders import find

LOC = Path(__file__).parent / "data" / "loc"


def _read(name: str, **langs: str):
    return read_bilingual(LOC / name, **langs)


def test_xliff12_units_ids_states_notes_and_inline_codes() -> None:
    src, tgt, ref = _read("app.de.xlf")
    assert (src.lang, tgt.lang, ref) == ("en", "de", None)
    ids = [u.id for u in tgt.units]
    # translate="no" is skipped; groups do not hide units.
    assert ids == ["cart.title", "cart.items", "cart.total", "cart.save", "cart.remove",
                   "cart.move", "help.link", "help.contact", "help.terms", "footer.legal"]
    assert [s.unit_id for s in tgt.segments] == ids
    states = {u.id: u.state for u in tgt.units}
    assert states["cart.title"] == "final"
    assert states["cart.save"] == "needs-review-translation"
    assert states["help.terms"] == "new"
    notes = {u.id: u.notes for u in tgt.units}
    assert notes["cart.items"] == ("%d is the number of items.",)
    assert notes["cart.title"] == ()  # the header's note is the file's, not a unit's
    by_id = dict(zip(ids, zip(src.texts, tgt.texts)))
    assert by_id["cart.save"][0] == "Click ⟨2/⟩ to save ⟨3⟩all⟨/3⟩ changes."
    assert by_id["cart.items"] == ("You have ⟨1⟩%d items⟨/1⟩ in your cart.",
                                   "Sie haben ⟨1⟩%d Artikel⟨/1⟩ in Ihrem Warenkorb.")
    # <ph> content is native code, <mrk> is an annotation whose text stays.
    assert by_id["help.contact"][0] == "Contact ⟨6/⟩ or call 0800 123."
    # <alt-trans> is a suggestion, not the target.
    assert by_id["help.terms"][1] == "Terms and conditions apply."
    assert by_id["footer.legal"] == ("All rights reserved.", "")
    assert by_id["help.link"][1] == ("Lesen Sie zuerst die ⟨4⟩Hilfe ⟨5⟩Seiten⟨/5⟩⟨/4⟩\n"
                                     "          zuerst zuerst.")


def test_xliff20_segments_states_notes_modules() -> None:
    src, tgt, _ = _read("docs.fr.xlf")
    assert (src.lang, tgt.lang) == ("en", "fr")
    assert [u.id for u in tgt.units] == ["u1/s1", "u1/s2", "u2/s1", "u3", "u4"]
    assert [u.state for u in tgt.units] == ["final", "translated", "initial", "translated",
                                            None]
    assert tgt.units[0].notes == ("Opening paragraph of the guide.",)
    assert tgt.units[1].notes == ("Opening paragraph of the guide.",)
    assert tgt.units[2].notes == ()
    assert src.texts[0] == "Welcome to the ⟨1⟩getting started⟨/1⟩ guide."
    # The matches module and <ignorable> are not translations of the unit.
    assert src.texts[2] == "Press ⟨1/⟩ then ⟨2⟩Enter⟨/2⟩."
    assert tgt.texts[2] == "Appuyez sur ⟨2⟩Entrée⟨/2⟩ puis ⟨1/⟩."
    assert tgt.texts[3] == "Ouvrez le menu Settings."
    assert src.texts[4] == "Line one\x0bline two."  # <cp hex="000B"/>


def test_tmx_pairs_from_header_and_flags() -> None:
    src, tgt, _ = _read("memory.tmx")
    assert (src.lang, tgt.lang) == ("en", "de")
    assert [u.id for u in tgt.units] == ["1", "2", "3", "4"]
    assert tgt.texts == ["Datei öffnen", "Alle Dokumente speichern", "Seite ⟨1/⟩ von 21", ""]
    assert src.texts[1] == "Save ⟨1⟩all⟨/1⟩ documents"
    assert tgt.units[0].notes == ("Menu label.",)
    src, tgt, _ = _read("memory.tmx", target_lang="fr")
    assert tgt.lang == "fr"
    assert tgt.texts == ["Ouvrir le fichier", "Enregistrer ⟨1⟩tous⟨/1⟩ les documents", "",
                         "Utilisez le texte ⟨1⟩gras⟨/1⟩ avec modération."]
    # A unit without the source language is skipped.
    src, tgt, _ = _read("memory.tmx", source_lang="fr-FR", target_lang="en")
    assert [u.id for u in tgt.units] == ["1", "2", "4"]
    assert src.texts[0] == "Ouvrir le fichier"
    with pytest.raises(InputError, match=r"no unit in language 'es' \(the file has: "
                                         r"en-US, de-DE, fr-FR\)"):
        _read("memory.tmx", target_lang="es")


def test_po_plurals_contexts_fuzzy_notes_multiline() -> None:
    src, tgt, _ = _read("shop.de.po")
    assert tgt.lang == "de"
    assert [u.id for u in tgt.units] == [
        "Your shopping cart", "%(count)d item in your cart[0]",
        "%(count)d item in your cart[1]", "button::Save", "menu::Save", "Pay %s now with %s",
        "Your order of 3 books ships on Monday. You will receive an email.",
        "Hello {name}, welcome back!"]
    assert [u.plural for u in tgt.units[:3]] == [None, 0, 1]
    assert src.texts[1:3] == ["%(count)d item in your cart", "%(count)d items in your cart"]
    assert tgt.texts[4] == ""
    assert [u.fuzzy for u in tgt.units] == [False] * 5 + [True] + [False] * 2
    assert tgt.units[5].state == "fuzzy"
    assert tgt.units[0].notes == ("Shown in the header of every page.",)
    assert tgt.units[5].notes == ("Translator: checked with the style guide.",)
    assert tgt.texts[6] == "Ihre Bestellung von 4 Büchern wird am Montag versandt. " \
                           "Sie erhalten eine E-Mail."
    assert "Alte Zeichenkette" not in tgt.texts  # obsolete entries are not checked


@pytest.mark.parametrize("name", ["app.de.xlf", "docs.fr.xlf", "memory.tmx", "shop.de.po"])
def test_every_character_points_at_itself_in_the_file(name: str) -> None:
    lines = (LOC / name).read_text(encoding="utf-8").split("\n")
    src, tgt, _ = _read(name)
    checked = 0
    for doc in (src, tgt):
        for seg in doc.segments:
            tokens = [range(p.start, p.end) for p in find(seg.text) if p.kind == "code"]
            for i, char in enumerate(seg.text):
                line, column = seg.position(i)
                if char == "\n":  # the line end itself: just past the line's last character
                    assert column == len(lines[line - 1]) + 1
                    continue
                in_file = lines[line - 1][column - 1]
                if any(i in t for t in tokens):
                    assert i not in (t.start for t in tokens) or in_file == "<"
                    continue
                if in_file in "&\\<" and char != in_file:
                    continue  # an entity, an escape or <cp/>: the character it stands for
                assert in_file == char, (name, seg.text, i)
                checked += 1
    assert checked > 100
    for unit, seg in zip(tgt.units, tgt.segments):
        assert unit.line == seg.line


@pytest.mark.parametrize("parse, text, message, line", [
    (parse_xliff, "<xliff version='1.2'><file><body><trans-unit id='a'><target>x</target>"
                  "</trans-unit></body></file></xliff>", "unit 'a' has no <source>", 1),
    (parse_xliff, "<xliff version='3.0'/>", "unsupported XLIFF version '3.0'", 1),
    (parse_xliff, "<xliff version='1.2'>\n<file><body/></file></xliff>",
     "no translation units found", None),
    (parse_xliff, "<xliff version='1.2'>\n<file>\n<body><trans-unit id='a'><source>x</sourc>",
     "not well-formed XML: mismatched tag", 3),
    (parse_xliff, "<xliff version='1.2'><file><body><trans-unit id='a'><source>&bogus;"
                  "</source></trans-unit></body></file></xliff>", "undefined entity", 1),
    (parse_tmx, "<tmx><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>",
     "<tuv> without xml:lang", 1),
    (parse_tmx, "<tmx><body><tu><tuv xml:lang='en'><seg>x</seg></tuv></tu></body></tmx>",
     "only one language in the file", None),
    (parse_tmx, "<xliff/>", "not a TMX file", 1),
    (parse_po, 'msgid "a"\n', "entry without msgstr", 1),
    (parse_po, 'msgstr "a"\n', "entry without msgid", 1),
    (parse_po, 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n', "msgstr given twice", 3),
    (parse_po, 'msgid "a"\nmsgstr "b" junk\n', "malformed string", 2),
    (parse_po, 'msgid "a"\nmsgstr "b"\nhello\n', "unexpected line 'hello'", 3),
    (parse_po, '"orphan"\n', "string without a keyword", 1),
    (parse_po, 'msgid ""\nmsgstr "Language: de\\n"\n', "no translation units found", None),
])
def test_malformed_localisation_files_are_input_errors(parse, text: str, message: str,
                                                       line: int | None) -> None:
    with pytest.raises(InputError) as err:
        parse(text, "f")
    assert message in err.value.message
    assert err.value.line == line


@pytest.mark.parametrize("data, expected", [
    ('<?xml version="1.0" encoding="ISO-8859-1"?><a>Café</a>'.encode("latin-1"), "Café"),
    ('<?xml version="1.0" encoding="windows-1252"?><a>“quoted”</a>'.encode("cp1252"),
     "“quoted”"),
    ('<?xml version="1.0" encoding="UTF-16"?><a>中文</a>'.encode("utf-16"), "中文"),
    ("<a>Café\r\nline</a>".encode(), "Café\nline"),
])
def test_xml_is_decoded_as_it_declares(data: bytes, expected: str) -> None:
    assert expected in decode_xml(data, "f")


@pytest.mark.parametrize("data, message", [
    (b'<?xml version="1.0" encoding="klingon"?><a/>', "unknown encoding 'klingon'"),
    ('<?xml version="1.0" encoding="UTF-8"?>\n<a>Café</a>'.encode("latin-1"),
     "not valid UTF-8 as its XML declaration says"),
    (b"", "file is empty"),
])
def test_xml_encoding_lies_are_input_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_xml(data, "f")
