"""Placeholders and tags: what is protected, and the TG checks on real bilingual cases."""
from __future__ import annotations

import pytest

from mtqa.config import Config
from mtqa.model import Bead
from mtqa.pipeline import Inputs, check_documents
from mtqa.readers import documents_from_units
from mtqa.readers.bilingual import parse_tsv
from mtqa.text.placeholders import find, mask
from mtqa.text.segment import split


@pytest.mark.parametrize("text, keys", [
    ("Delete %s files?", ["%s"]),
    ("%1$s of %2$d", ["%1$s", "%2$d"]),
    ("%(count)d items, %.2f%% done, %-5ld rows, %@ name", ["%(count)d", "%f", "%ld"[::2], "%@"]),
    ("50% off, 100%done, %%s literal", []),
    ("Hello {name}, {0} and {} of {{user}}", ["{name}", "{0}", "{}", "{{user}}"]),
    ("{count, plural, one {# file} other {# files}} left", ["{count}"]),
    ("Python {{literal}} braces and {not closed", ["{{literal}}"]),
    ("Click <a href=\"/x\">here</a> or <br/> <img src=x>", ["<a>", "</a>", "<br/>", "<img/>"]),
    ("a < b > c, 3<4", []),
    ("Press ⟨1⟩OK⟨/1⟩ then ⟨x2/⟩", ["⟨1⟩", "⟨/1⟩", "⟨x2/⟩"]),
    ("<a title=\"%s\">", ["<a>"]),  # a placeholder inside a tag is part of the tag
    ("覆盖率50%，{数量}个", []),
])
def test_placeholders_found(text: str, keys: list[str]) -> None:
    assert [p.key for p in find(text)] == keys


def test_mask_keeps_offsets() -> None:
    text = "Save ⟨1⟩%d files⟨/1⟩ to {dir}."
    masked = mask(text)
    assert len(masked) == len(text)
    assert masked == "Save " + " " * 5 + " files" + " " * 4 + " to " + " " * 5 + "."


@pytest.mark.parametrize("text, sentences", [
    ('See <img alt="A cat. The dog"> here. Next one.',
     ['See <img alt="A cat. The dog"> here.', "Next one."]),
    ("You have {n, plural, one {# file. Delete it?} other {# files}} left. Done.",
     ["You have {n, plural, one {# file. Delete it?} other {# files}} left.", "Done."]),
    ("First sentence. Second sentence.", ["First sentence.", "Second sentence."]),
])
def test_segmentation_never_splits_a_placeholder(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in split(text, "en")] == sentences


def _issues(source: str, target: str, select: str = "TG") -> list[tuple[str, str, str]]:
    units = parse_tsv(f"{source}\t{target}\n", "t.tsv")
    src, tgt, _ = documents_from_units(units, "t.tsv", "tsv", "en", "de")
    report = check_documents([Inputs(tgt, src, None, (Bead((0,), (0,)),))],
                             Config(select=(select,), encoder="none"))
    return [(i.code, i.severity.value, i.target.text if i.target else "")
            for i in report.documents[0].issues]


@pytest.mark.parametrize("source, target, expected", [
    # missing
    ("Delete %s files?", "Dateien löschen?", [("TG01", "major", "Dateien löschen?")]),
    ("Click <b>here</b>.", "Klicken Sie hier.",
     [("TG01", "major", "Klicken Sie hier."), ("TG01", "major", "Klicken Sie hier.")]),
    ("Save ⟨1⟩all⟨/1⟩ ⟨2/⟩", "Alle speichern ⟨2/⟩",
     [("TG01", "major", "Alle speichern ⟨2/⟩")] * 2),
    ("%s and %s", "%s und", [("TG01", "major", "%s und")]),
    # added: a format placeholder the program does not fill is critical
    ("Saved.", "%s gespeichert.", [("TG02", "critical", "%s")]),
    ("Hello {name}", "Hallo {user}", [("TG01", "major", "Hallo {user}"),
                                     ("TG02", "critical", "{user}")]),
    ("Saved.", "<b>Gespeichert</b>.", [("TG02", "major", "<b>"), ("TG02", "major", "</b>")]),
    ("Saved.", "Gespeichert ⟨3/⟩.", [("TG02", "major", "⟨3/⟩")]),
    # reordered
    ("%s of %d", "%d von %s", [("TG03", "major", "%d von %s")]),
    ("{} of {}", "{} von {}", []),
    ("%1$s of %2$d", "%2$d von %1$s", []),
    ("{name} has {count}", "{count} hat {name}", []),
    ("<b>bold</b> and <i>italic</i>", "<i>kursiv</i> und <b>fett</b>",
     [("TG03", "minor", "<i>kursiv</i> und <b>fett</b>")]),
    # malformed
    ("<b>Save <i>all</i> files</b>", "<b>Alle <i>Dateien</b> speichern</i>",
     [("TG04", "major", "<i>")]),
    ("Save <b>all</b>", "<b>Alle</b> speichern</b>",
     [("TG02", "major", "</b>"), ("TG04", "major", "</b>")]),
    ("<p>One", "<p>Eins", []),  # an optional end tag, and the source has it open too
    ("if a<b and c>d", "wenn a<b und c>d", []),  # prose, not an unclosed <b> tag
    ("<b>Start", "<b>Anfang", []),  # the unit opens a tag the next one closes
    # passes
    ("Delete %s files?", "%s Dateien löschen?", []),
    ("Click <a href=\"/en/help\">help</a>", "Klicken Sie auf <a href=\"/de/hilfe\">Hilfe</a>", []),
    ("50% off", "50 % Rabatt", []),
    ("You have {n, plural, one {# file} other {# files}}",
     "Sie haben {n, plural, one {# Datei} other {# Dateien}}", []),
    # empty target
    ("Save", "", [("TG05", "major", "")]),
])
def test_tag_checks(source: str, target: str, expected: list[tuple[str, str, str]]) -> None:
    assert _issues(source, target) == expected


def test_tag_ids_are_not_numbers() -> None:
    assert _issues("Page ⟨1/⟩ of 12 %1$s", "Seite ⟨1/⟩ von 12 %1$s", select="AC03") == []
    assert _issues("Page ⟨1/⟩ of 12", "Seite ⟨1/⟩ von 13", select="AC03") == \
        [("AC03", "major", "13")]


def test_malformed_tags_in_a_monolingual_translation() -> None:
    from mtqa.api import check_texts

    report = check_texts("Press <b>Save <i>now</b> please.</i>\n\nAll <b>good</b>.",
                         config=Config(select=("TG",), target_lang="en"))
    found = [(i.code, i.target.text) for i in report.documents[0].issues]
    assert found == [("TG04", "<i>")]
    report = check_texts("The rule holds if x<y and y>z, or if <b>both</b> hold.",
                         config=Config(select=("TG",), target_lang="en"))
    assert report.documents[0].issues == ()
