"""``mtqa fix``: each fix kind fires and fixes, and leaves correct text alone; every
format keeps its bytes outside the edited spans; the command line; the golden diff of
the team's example."""
from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.checks.inflect import like, plural
from mtqa.checks.registry import all_checks, documentation, enabled_checks
from mtqa.cli import app
from mtqa.config import Config
from mtqa.errors import InputError
from mtqa.fixes.apply import FileFix, Options, fix_bytes, fix_files, fix_kind, fixable_note
from mtqa.formatters import renderer
from mtqa.glossary import load_glossaries
from mtqa.pipeline import check_files
from tests.conftest import EXAMPLES, ROOT

GOLDEN = Path(__file__).parent / "golden" / "fix"
GLOSSARY_TSV = "source\ttarget\tforbidden\n河长制\triver chief system\triver long system\n"


def fix(content: str | bytes, name: str = "doc.txt", unsafe: bool = False,
        glossary: str | None = None, tmp: Path | None = None, **settings: object) -> FileFix:
    config = Config(target_lang="en", **settings)  # type: ignore[arg-type]
    if glossary is not None:
        assert tmp is not None
        path = tmp / "terms.tsv"
        path.write_text(glossary, encoding="utf-8")
        config = Config(target_lang="en", glossaries=(str(path),),
                        **settings)  # type: ignore[arg-type]
    data = content.encode("utf-8") if isinstance(content, str) else content
    gloss = load_glossaries(config.glossaries, config.source_lang, config.target_lang)
    return fix_bytes(data, name, config, enabled_checks(config), gloss, Options(unsafe))


def fixed(content: str, **kw: object) -> str:
    return fix(content, **kw).after.decode("utf-8")  # type: ignore[arg-type]


# (code, text before, text after `mtqa fix`, whether the fix is unsafe)
FIRES = [
    ("FL03", 'Villagers joined the" clean water "campaign this spring.',
     'Villagers joined the "clean water" campaign this spring.', False),
    ("FL03", 'He called the plan "bold ". Work began.',
     'He called the plan "bold". Work began.', False),
    ("FL06", "The office met  twice in May.", "The office met twice in May.", False),
    ("FL06", "The office met twice , and agreed.", "The office met twice, and agreed.", False),
    ("FL06", "The office met twice,and agreed.", "The office met twice, and agreed.", False),
    ("FL06", "It joined river cleanup+forest care.", "It joined river cleanup + forest care.",
     False),
    ("LO01", "Key tasks for the coming year\uff1a planting.",
     "Key tasks for the coming year: planting.", False),
    ("LO01", "The county\uff0cthe city and the province met.",
     "The county, the city and the province met.", False),
    ("LO02", "The reservoir holds 245000 cubic metres.",
     "The reservoir holds 245,000 cubic metres.", False),
    ("LO05", "River cleanup in Linchuan -- notes from the first meeting.",
     "River cleanup in Linchuan \u2013 notes from the first meeting.", False),
    ("FL01", "The the office met in May.", "The office met in May.", True),
    ("FL02", "The villages should study together and study together now.",
     "The villages should study together now.", True),
    ("FL05", "Villagers cleaned the banks together, Support the work of the county.",
     "Villagers cleaned the banks together. Support the work of the county.", True),
]
PASSES = [
    ("FL03", 'Villagers joined the "clean water" campaign this spring.'),
    ("FL06", "The office met twice, and 1,200.5 tonnes were moved to example.com today."),
    ("LO01", "Key tasks for the coming year: planting."),
    ("LO02", "See order No. 123456; in 2024 the code 02345 was used."),
    ("LO05", "A high-quality plan for 3-5 years."),
    ("FL01", "What he had had for lunch was fine."),
    ("FL02", "More and more people came, step by step."),
    ("FL05", "Wang Fang, Secretary of the County Committee, attended."),
]


@pytest.mark.parametrize("code, before, after, unsafe", FIRES,
                         ids=[f"{c}-{n}" for n, (c, *_rest) in enumerate(FIRES)])
def test_fix_fires_and_fixes(code: str, before: str, after: str, unsafe: bool) -> None:
    result = fix(before + "\n", unsafe=unsafe, select=(code,))
    assert [a.issue.code for a in result.applied][:1] == [code]
    assert result.after.decode() == after + "\n"


@pytest.mark.parametrize("code, before, after, unsafe",
                         [f for f in FIRES if f[3]], ids=lambda v: str(v)[:12])
def test_unsafe_fix_needs_unsafe_fixes(code: str, before: str, after: str,
                                       unsafe: bool) -> None:
    result = fix(before + "\n", select=(code,))
    assert not result.changed and result.applied == ()


@pytest.mark.parametrize("code, text", PASSES, ids=[c for c, _ in PASSES])
def test_fix_leaves_correct_text_alone(code: str, text: str) -> None:
    result = fix(text + "\n", unsafe=True, select=(code,))
    assert result.after == result.before and result.applied == ()


# -- TE01: the preferred rendering in the hit's case, number and possessive -----------
@pytest.mark.parametrize("before, after", [
    ("the river long system works.", "the river chief system works."),
    ("The River Long System works.", "The River Chief System works."),
    ("River long systems were set up.", "River chief systems were set up."),
    ("the river long system's office met.", "the river chief system's office met."),
    ("the river long systems\u2019 offices met.", "the river chief systems\u2019 offices met."),
    ("THE RIVER LONG SYSTEM WORKS.", "THE RIVER CHIEF SYSTEM WORKS."),
])
def test_forbidden_term_fix_keeps_case_number_possessive(tmp_path: Path, before: str,
                                                        after: str) -> None:
    result = fix(before + "\n", glossary=GLOSSARY_TSV, tmp=tmp_path, select=("TE01",))
    assert result.after.decode() == after + "\n"
    assert [a.issue.code for a in result.applied] == ["TE01"]


def test_forbidden_term_fix_leaves_preferred_rendering_alone(tmp_path: Path) -> None:
    result = fix("The river chief system works.\n", glossary=GLOSSARY_TSV, tmp=tmp_path)
    assert not result.changed


def test_inflection_helpers() -> None:
    assert plural("branch") == "branches" and plural("policy") == "policies"
    assert plural("day") == "days"
    assert like("River-Long System", "river long system", "river chief system") is None
    assert like("Iraq's", "iraq", "Iraq") == "Iraq's"


# -- EX01-EX03: whole debris lines ----------------------------------------------------
def test_debris_lines_are_removed_with_their_line_end() -> None:
    text = ("Search this site:\nHome >> News >> Local\n\n"
            "The office met twice in May. Volunteers came.\n")
    # At the top of the file, the empty line after the debris goes too.
    assert fixed(text) == "The office met twice in May. Volunteers came.\n"
    text = "The office met twice in May.\n\nHome >> News >> Local\n\nVolunteers came.\n"
    assert fixed(text) == "The office met twice in May.\n\n\nVolunteers came.\n"


def test_debris_with_prose_on_its_line_is_left_alone() -> None:
    text = "The office met twice in May. Home >> News >> Local\n"
    result = fix(text, select=("EX03",))
    assert not result.changed


def test_debris_line_is_never_removed_from_a_bilingual_unit() -> None:
    result = fix("源\tSearch this site:\n源\tThe office met.\n", name="units.tsv",
                 select=("EX",))
    assert not result.changed and result.skipped >= 1


# -- formats: bytes outside the edits, protected text -----------------------------------
def test_markdown_code_front_matter_and_links_are_never_edited() -> None:
    text = ("---\ntitle: a  b , c\n---\n\n"
            "The office met  twice. Run `a  b , c` to see [the  list](http://x.org/a  b).\n\n"
            "```\nThe office met  twice , here.\n```\n\n    indented  code , here\n")
    out = fixed(text, name="doc.md")
    # Link text is prose; the link's address is not.
    assert out == text.replace("met  twice. Run", "met twice. Run", 1).replace(
        "[the  list]", "[the list]")


def test_crlf_bom_and_missing_final_newline_are_kept() -> None:
    data = codecs.BOM_UTF8 + b"The office met  twice.\r\nVolunteers came , too."
    result = fix(data)
    assert result.after == codecs.BOM_UTF8 + b"The office met twice.\r\nVolunteers came, too."


def test_utf16_file_stays_utf16() -> None:
    text = "The office met  twice.\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    result = fix(data)
    assert result.after == codecs.BOM_UTF16_LE + "The office met twice.\r\n".encode("utf-16-le")


PO_HEADER = 'msgid ""\nmsgstr "Language: en\\nContent-Type: text/plain; charset={}\\n"\n\n'


def test_declared_legacy_encoding_is_kept() -> None:
    po = PO_HEADER.format("CP1252") + 'msgid "x"\nmsgstr "The caf\u00e9 met -- in May."\n'
    result = fix(po.encode("cp1252"), name="a.po", select=("LO05",))
    assert result.after == po.replace("--", "\u2013").encode("cp1252")


def test_fix_that_the_encoding_cannot_write_is_skipped() -> None:
    # Latin-1 has no en dash: the LO05 fix is left alone, the file stays as it was.
    po = PO_HEADER.format("ISO-8859-1") + 'msgid "x"\nmsgstr "The caf\u00e9 met -- in May."\n'
    result = fix(po.encode("latin-1"), name="a.po", select=("LO05",))
    assert not result.changed and result.skipped == 1


def test_xliff_target_only_and_never_inside_inline_codes_or_entities() -> None:
    xliff = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<xliff version="1.2"><file source-language="zh" target-language="en" '
             'datatype="plaintext" original="x"><body>\n'
             '<trans-unit id="1"><source>会议  开了 , 好</source>'
             '<target>The office met  twice , with <g id="1">ten  people</g> &amp;  '
             'friends.</target></trans-unit>\n'
             '</body></file></xliff>\n')
    out = fixed(xliff, name="a.xlf")
    assert "<source>会议  开了 , 好</source>" in out
    assert "The office met twice, with <g id=\"1\">ten people</g> &amp;  friends." in out


def test_po_msgstr_with_escapes() -> None:
    po = ('msgid ""\nmsgstr "Language: en\\n"\n\n'
          'msgid "会议"\nmsgstr "The \\"office\\" met  twice , today."\n')
    out = fixed(po, name="a.po")
    assert out.endswith('msgstr "The \\"office\\" met twice, today."\n')
    assert 'msgstr "Language: en\\n"' in out


def test_tmx_target_side() -> None:
    tmx = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh" '
           'segtype="sentence" datatype="plaintext" adminlang="en" creationtool="t" '
           'creationtoolversion="1" o-tmf="x"/><body>\n'
           '<tu><tuv xml:lang="zh"><seg>会议  开了</seg></tuv>'
           '<tuv xml:lang="en"><seg>The office met  twice.</seg></tuv></tu>\n</body></tmx>\n')
    out = fixed(tmx, name="a.tmx", source_lang="zh")
    assert "<seg>会议  开了</seg>" in out and "<seg>The office met twice.</seg>" in out


def test_tsv_target_column_only() -> None:
    tsv = "source\ttarget\n会议 ,  开了\tThe office met  twice , today.\n"
    assert fixed(tsv, name="a.tsv") == "source\ttarget\n会议 ,  开了\tThe office met twice, today.\n"


def test_jsonl_with_ascii_escapes_keeps_its_style() -> None:
    line = json.dumps({"source": "会议", "target": "\u201cThe\u201d office met  twice\uff0c today."})
    out = fixed(line + "\n", name="a.jsonl")
    assert json.loads(out)["target"] == "\u201cThe\u201d office met twice, today."
    assert out.isascii() and out.startswith('{"source": "\\u4f1a\\u8bae"')


def test_placeholders_and_tags_are_never_edited() -> None:
    tsv = '源\tThe office met <a title="one , two">twice</a> today , with %s.\n'
    assert fixed(tsv, name="a.tsv") == \
        '源\tThe office met <a title="one , two">twice</a> today, with %s.\n'


def test_entity_inside_a_span_is_skipped_not_guessed() -> None:
    xliff = ('<xliff version="1.2"><file source-language="zh" target-language="en" '
             'datatype="plaintext" original="x"><body><trans-unit id="1"><source>x</source>'
             '<target>Villagers joined the&quot; clean water &quot;campaign.</target>'
             '</trans-unit></body></file></xliff>\n')
    result = fix(xliff, name="a.xlf", select=("FL03",))
    assert not result.changed and result.skipped == 2


# -- passes, overlaps, idempotence ----------------------------------------------------------
def test_a_fix_that_makes_another_fixable_is_applied_on_the_next_pass() -> None:
    # LO01 writes ", " and the space before it is then FL06's.
    result = fix("The county \uff0cthe city met.\n")
    assert result.after.decode() == "The county, the city met.\n" and result.passes >= 2


def test_fix_twice_is_fix_once() -> None:
    text = 'The the office met  twice , and 245000 people joined the" clean "campaign.\n'
    once = fix(text, unsafe=True).after
    assert fix(once, unsafe=True).after == once


# -- reporting ----------------------------------------------------------------------------
def test_json_sarif_and_html_carry_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The office met  twice in May.\n", encoding="utf-8")
    report = check_files([str(path)], config=Config(target_lang="en", select=("FL06",)))
    data = json.loads(renderer("json")(report))
    assert data["documents"][0]["issues"][0]["fix"] == {
        "safe": True, "whole_line": False,
        "edits": [{"start": 14, "end": 16, "replacement": " "}]}
    sarif = json.loads(renderer("sarif")(report))
    change = sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 1, "startColumn": 15, "endLine": 1, "endColumn": 17},
        "insertedContent": {"text": " "}}]
    html = renderer("html")(report)
    assert '"x":["The office met twice in May.",true]' in html


def test_fixable_note_counts_safe_and_unsafe(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The the office met  twice in May.\n", encoding="utf-8")
    report = check_files([str(path)], config=Config(target_lang="en"))
    assert fixable_note(report.documents[0].issues) == \
        "1 fixable with `mtqa fix` (1 more with `mtqa fix --unsafe-fixes`)."


# -- command line -------------------------------------------------------------------------
runner = CliRunner()


def test_cli_prints_a_diff_by_default_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The office met  twice.\n", encoding="utf-8")
    result = runner.invoke(app, ["fix", str(path), "--target-lang", "en"])
    assert result.exit_code == 0
    assert "-The office met  twice.\n+The office met twice.\n" in result.stdout
    assert path.read_text(encoding="utf-8") == "The office met  twice.\n"


def test_cli_check_exits_1_when_fixable_and_0_when_clean(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The office met  twice.\n", encoding="utf-8")
    assert runner.invoke(app, ["fix", str(path), "--check", "--target-lang", "en"]).exit_code == 1
    path.write_text("The office met twice.\n", encoding="utf-8")
    assert runner.invoke(app, ["fix", str(path), "--check", "--target-lang", "en"]).exit_code == 0


def test_cli_write_replaces_the_file_through_a_symlink_keeping_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "doc.txt"
    real.write_text("The office met  twice.\n", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = runner.invoke(app, ["fix", str(link), "--write", "--target-lang", "en"])
    assert result.exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "The office met twice.\n"
    assert real.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_select_and_ignore(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The office met  twice , today.\n", encoding="utf-8")
    out = runner.invoke(app, ["fix", str(path), "--target-lang", "en", "--ignore", "FL06"])
    assert out.exit_code == 0 and out.stdout == ""


def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["fix", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "missing.txt" in result.stderr
    path = tmp_path / "doc.txt"
    path.write_text("Text.\n", encoding="utf-8")
    result = runner.invoke(app, ["fix", str(path), "--write", "--check"])
    assert result.exit_code == 2


def test_fix_files_raises_input_error_on_binary(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError):
        fix_files([str(path)])


# -- the team's example: a diff a person has read ---------------------------------------
def test_example_round_trip_matches_the_reviewed_golden_diff() -> None:
    os.chdir(ROOT)
    target = "references/examples/river-cleanup.mt.en.md"
    config = Config(glossaries=("references/glossaries/river-cleanup.zh-en.tsv",))
    result = fix_files([target], config)[0]
    diff = result.diff()
    golden = GOLDEN / "river-cleanup.diff"
    if os.environ.get("MTQA_UPDATE_GOLDEN"):
        golden.write_text(diff, encoding="utf-8")
    assert diff == golden.read_text(encoding="utf-8")
    assert (EXAMPLES / "river-cleanup.mt.en.md").read_bytes() == result.before


def test_check_says_how_many_issues_fix_can_fix(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The the office met  twice in May.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--target-lang", "en"])
    assert "1 fixable with `mtqa fix` (1 more with `mtqa fix --unsafe-fixes`)." in result.stdout
    path.write_text("The office met twice in May.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--target-lang", "en"])
    assert "fixable" not in result.stdout


@pytest.mark.parametrize("code, kind", [("FL06", "fix: safe (mtqa fix)"),
                                        ("TE01", "fix: safe (mtqa fix)"),
                                        ("CO05", "fix: unsafe (mtqa fix --unsafe-fixes)")])
def test_explain_names_the_fix(code: str, kind: str) -> None:
    result = runner.invoke(app, ["explain", code])
    assert result.exit_code == 0 and kind in result.stdout.splitlines()


def test_explain_says_nothing_of_fixes_for_a_check_without_one() -> None:
    result = runner.invoke(app, ["explain", "FL04"])
    assert result.exit_code == 0 and "fix:" not in result.stdout


def test_cli_write_to_a_folder_it_cannot_write_is_one_line_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "doc.txt"
    path.write_text("The office met  twice.\n", encoding="utf-8")
    os.chmod(folder, 0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        result = runner.invoke(app, ["fix", str(path), "--write", "--target-lang", "en"])
    finally:
        os.chmod(folder, 0o755)
    assert result.exit_code == 2
    assert "doc.txt" in result.stderr and "cannot write" in result.stderr
    assert path.read_text(encoding="utf-8") == "The office met  twice.\n"


def test_write_atomic_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    from mtqa.fixes.apply import write_atomic

    with pytest.raises(InputError, match="cannot write the fixed file"):
        write_atomic(str(tmp_path), b"text")
    assert list(tmp_path.iterdir()) == []


def test_gate_cache_keeps_fixes(tmp_path: Path) -> None:
    from mtqa.ci.cache import decode, encode

    path = tmp_path / "doc.txt"
    path.write_text("The office met  twice in May.\n", encoding="utf-8")
    doc = check_files([str(path)], config=Config(target_lang="en")).documents[0]
    assert any(i.fix for i in doc.issues)
    assert decode(json.loads(json.dumps(encode(doc)))) == doc


# -- CO04/CO05 (unsafe): every variant of a group written in the majority form ----------
@pytest.mark.parametrize("code, before, after", [
    ("CO04", ("The Linchuan Environmental Protection Bureau met. Lin Qiao of the Linchuan "
              "Environment Protection Bureau spoke. The Linchuan Environmental Protection "
              "Bureau issues 300 permits a year.\n"),
     ("The Linchuan Environmental Protection Bureau met. Lin Qiao of the Linchuan "
      "Environmental Protection Bureau spoke. The Linchuan Environmental Protection "
      "Bureau issues 300 permits a year.\n")),
    ("CO05", ("The party branch met.\n\nEvery Party branch reported.\n\nThe Party Branch of "
              "the bureau\n\nEach party branch must act.\n"),
     # A title-case heading's capitals tell nothing: it keeps them.
     ("The party branch met.\n\nEvery party branch reported.\n\nThe Party Branch of "
      "the bureau\n\nEach party branch must act.\n")),
])
def test_consistency_fix_aligns_every_variant(code: str, before: str, after: str) -> None:
    assert fix(before, select=(code,)).after == before.encode()  # unsafe: not by default
    result = fix(before, unsafe=True, select=(code,))
    assert result.after.decode() == after
    assert [a.issue.code for a in result.applied] == [code]


def test_consistency_fix_keeps_number_and_sentence_capitals() -> None:
    # "River Chief" (singular) against "river chiefs": no edit, the group stays reported.
    text = ("More than 200 river chiefs attended.\n\nThe river chiefs at all levels must "
            "act.\n\nLi Xiumei, River Chief of Shimen County, said so.\n")
    assert not fix(text, unsafe=True, select=("CO05",)).changed


@pytest.mark.parametrize("code, text", [
    ("CO04", "The Linchuan Environmental Protection Bureau met. The Linchuan Environmental "
             "Protection Bureau spoke.\n"),
    ("CO05", "The party branch met.\n\nEvery party branch reported.\n\nParty branch work.\n"),
])
def test_consistency_fix_leaves_consistent_text_alone(code: str, text: str) -> None:
    result = fix(text, unsafe=True, select=(code,))
    assert not result.changed and result.applied == ()


def test_json_of_a_group_fix_names_other_segments_and_validates(tmp_path: Path) -> None:
    import jsonschema

    path = tmp_path / "doc.txt"
    path.write_text("The party branch met.\n\nEvery Party branch reported.\n\nEach party "
                    "branch must act.\n\nOne Party branch voted.\n\nThe party branch "
                    "closed.\n", encoding="utf-8")
    report = check_files([str(path)], config=Config(target_lang="en", select=("CO05",)))
    data = json.loads(renderer("json")(report))
    schema = json.loads((ROOT / "mtqa" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(data, schema)
    edits = data["documents"][0]["issues"][0]["fix"]["edits"]
    assert {"start": 6, "end": 18, "replacement": "party branch"} in edits
    assert {"start": 4, "end": 16, "replacement": "party branch", "segment": 3} in edits


# -- overlaps and the pass bound ------------------------------------------------------------
def test_overlapping_edits_resolve_the_same_way_in_any_order() -> None:
    from mtqa.fixes.apply import Options as Opts
    from mtqa.fixes.apply import _spans, _target
    from mtqa.fixes.textmap import TextMap
    from mtqa.model import Edit, Fix, Issue, Severity, locate

    text = "The office met  twice.\n"
    textmap = TextMap(text)
    target = _target(textmap.normal, "doc.txt", "text", Config(target_lang="en"))
    doc = target.doc

    def issue(code: str, start: int, end: int, new: str) -> Issue:
        return Issue(code, code, "x", Severity.MINOR, "m", locate(doc, 0, start, end),
                     fix=Fix((Edit(start, end, new),)))

    wide = issue("FL02", 11, 21, "met twice")
    narrow = issue("FL06", 14, 16, " ")
    later = issue("LO05", 15, 20, "x")
    for order in ([wide, narrow, later], [later, narrow, wide]):
        chosen, _ = _spans(order, target, textmap, "text", "utf-8", Opts())
        assert [c[3].code for c in chosen] == ["FL02"]


def test_passes_are_bounded() -> None:
    config = Config(target_lang="en")
    once = fix_bytes("The county \uff0cthe city met.\n".encode(), "doc.txt", config,
                     enabled_checks(config), None, Options(max_passes=1))
    assert once.passes == 1 and once.after.decode() == "The county , the city met.\n"


# -- each fixing check documents its fix, and the documented example is what fix does ----
_FIX_DOC = re.compile(r"^Fix \((safe|unsafe)\): (.*?)(?:\n\n|\Z)", re.MULTILINE | re.DOTALL)
_EXAMPLE = re.compile(r"``(.+?)``(?!`)", re.DOTALL)
FIXING = [cls for cls in all_checks() if fix_kind(cls)]


@pytest.mark.parametrize("cls", FIXING, ids=lambda c: c.code)
def test_fixing_check_documents_its_fix(cls: type) -> None:
    found = _FIX_DOC.search(documentation(cls))
    assert found, f"{cls.code}: no 'Fix (safe|unsafe):' paragraph"
    assert fix_kind(cls) is not None and fix_kind(cls).startswith(found.group(1))
    examples = [re.sub(r"\s*\n\s*", " ", e) for e in _EXAMPLE.findall(found.group(2))]
    if len(examples) == 2 and "->" in found.group(2) and cls.code != "TE01":
        before, after = examples
        result = fix(before + "\n", unsafe=found.group(1) == "unsafe", select=(cls.code,))
        assert result.after.decode() == after + "\n"


def test_cli_select_naming_no_check_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The office met  twice.\n", encoding="utf-8")
    result = runner.invoke(app, ["fix", str(path), "--select", "ZZ99"])
    assert result.exit_code == 2 and "ZZ99" in result.stderr


def test_inline_suppressions_are_honoured() -> None:
    text = ("<!-- mtqa-disable-next-line FL06 -->\nThe office met  twice.\n\n"
            "The office met  again.\n")
    assert fixed(text, name="doc.md") == text.replace("met  again", "met again")


def test_cli_says_how_many_more_unsafe_fixes_would_fix(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The the office met  twice.\n", encoding="utf-8")
    result = runner.invoke(app, ["fix", str(path), "--target-lang", "en"])
    assert "mtqa: would fix 1 issue(s) in 1 file(s) (1 more with --unsafe-fixes)" in result.stderr
    result = runner.invoke(app, ["fix", str(path), "--target-lang", "en", "--unsafe-fixes"])
    assert "mtqa: would fix 2 issue(s) in 1 file(s)\n" in result.stderr
