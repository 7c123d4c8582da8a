"""False alarms found on human-translated software catalogues, each kept as a case like
the one seen (written by hand, not copied from the catalogues), with a case that must
still fire beside it."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mtqa.api import check_texts
from mtqa.checks.tags import compared
from mtqa.cli import app
from mtqa.config import Config
from mtqa.readers.po import parse_po
from mtqa.text.placeholders import find
from tests._checkutil import run_check


def codes(code: str, target: str, source: str, source_lang: str = "en", lang: str = "zh") -> list[str]:
    return [i.code for i in run_check(code, target, source=source, source_lang=source_lang,
                                      lang=lang)]


# --- EX05: markup the source has too is the string's content -------------------------
@pytest.mark.parametrize("source, target", [
    ("Open <strong>%(file)s</strong> now", "立即打开 <strong>%(file)s</strong>"),
    ("<h2>Tables of %s</h2>", "<h2>%s 的表</h2>"),
    ("Logs &#8212; %(title)s", "日志 &#8212; %(title)s"),
    ('See <a href="https://example.org/a/">the guide</a>', '参见<a href="https://example.org/a/">指南</a>'),
])
def test_ex05_passes_markup_that_the_source_has(source: str, target: str) -> None:
    assert codes("EX05", target, source) == []


def test_ex05_still_fires_on_markup_the_source_lacks() -> None:
    assert codes("EX05", "立即打开<br>文件", "Open the file now") == ["EX05"]


# --- AC05: Chinese characters inside words, and paraphrases -------------------------
@pytest.mark.parametrize("source, target", [
    ("alias of %s", "%s 的别名"),                       # 别 inside 别名
    ("Kazakh", "哈萨克斯坦语"),
    ("South African rand", "南非兰特"),                   # 南非 is a place
    ("file %s is missing", "文件 %s 不存在"),             # missing -> 不存在
    ("at most %(n)d items", "不超过 %(n)d 项"),           # at most -> 不超过
    ("checksum mismatch", "校验和不匹配"),
    ("folder %s has no index file", "文件夹 %s 中缺少索引文件"),  # has no -> 缺少
    ("heading not inside a section", "在节之外发现了标题"),        # not inside -> 之外
    ("value must be True, False or None", "值必须为 True、False 或 None"),
])
def test_ac05_passes_zh_words_and_paraphrases(source: str, target: str) -> None:
    assert codes("AC05", target, source) == []


def test_ac05_still_fires_when_the_negation_is_dropped() -> None:
    assert codes("AC05", "%(items)s 可用", "No %(items)s available") == ["AC05"]


@pytest.mark.parametrize("source, target", [
    ("Use no more than %(n)s digits.", "Bitte höchstens %(n)s Ziffern verwenden."),
    ("No", "Nein"),
    ("Either True, False or None", "Entweder True, False oder None"),
    ("Send the no-cache header", "Den no-cache-Header senden"),
])
def test_ac05_passes_en_de_bounds_answers_and_values(source: str, target: str) -> None:
    assert codes("AC05", target, source, lang="de") == []


# --- AC02: case, units and placeholders ------------------------------------------------
@pytest.mark.parametrize("source, target", [
    ("%(n)d second", "%(n)d Sekunde"),
    ("%(n)d hour", "%(n)d Hour"),          # a case change is a change (Stunde would be better)
    ("%s GB", "%s GB"),
    ("a.m.", "a.m."),
    ("%(prog)s [OPTIONS] <FILE>", "%(prog)s [OPTIONS] <FILE>"),
])
def test_ac02_passes_case_changes_units_and_command_lines(source: str, target: str) -> None:
    assert codes("AC02", target, source, lang="de") == []


def test_ac02_still_fires_on_a_copied_sentence() -> None:
    assert codes("AC02", "Delete the selected files", "Delete the selected files",
                 lang="de") == ["AC02"]


def test_ac02_compares_after_nfc() -> None:
    decomposed = "Cafe\u0301 menu open"
    assert codes("AC02", "Café menu open", decomposed, lang="de") == ["AC02"]


# --- Placeholders ------------------------------------------------------------------
@pytest.mark.parametrize("text, keys", [
    ("took %.2fs", ["%f"]),
    ("%dh %dm", ["%d", "%d"]),
    ("%dKB free", ["%d"]),
    ("%'d rows", ["%d"]),
    ("page %1 of %2", ["%1", "%2"]),
    ("$name$ was saved", ["$name$"]),
    ("{n, plural, one {# row} other {# rows}}", ["{n}"]),
])
def test_placeholders_recognised(text: str, keys: list[str]) -> None:
    assert [p.key for p in find(text)] == keys


@pytest.mark.parametrize("text", ["100%done", "up 50% on", "<Warning> here", "<<draft copy>>", "$5 or $6"])
def test_prose_is_not_a_placeholder(text: str) -> None:
    assert find(text) == ()


def test_numbering_to_reorder_is_not_missing_plus_added() -> None:
    src, tgt = compared("%s of %d", "%2$d von %1$s")
    assert sorted(p.key for p in src) == sorted(p.key for p in tgt)
    for code in ("TG01", "TG02", "TG03"):
        assert codes(code, "%2$d von %1$s", "%s of %d", lang="de") == []


def test_a_named_placeholder_used_twice_is_not_added() -> None:
    assert codes("TG02", "%(f)s 重复。%(f)s 须唯一", "Duplicate %(f)s must be unique") == []
    assert codes("TG02", "%(f)s %(g)s", "Duplicate %(f)s") == ["TG02"]


# --- PO plural forms ---------------------------------------------------------------
_PO_ZH = '''msgid ""
msgstr ""
"Language: zh_Hans\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "Remove one row"
msgid_plural "Remove %(n)s rows"
msgstr[0] "删除 %(n)s 行"
'''

_PO_RU = '''msgid ""
msgstr ""
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "%(n)s row"
msgid_plural "%(n)s rows"
msgstr[0] "%(n)s строка"
msgstr[1] "%(n)s строки"
msgstr[2] "%(n)s строк"
'''

_PO_DE = _PO_ZH.replace("zh_Hans", "de").replace("nplurals=1; plural=0;",
                                                 "nplurals=2; plural=(n != 1);").replace(
    'msgstr[0] "删除 %(n)s 行"', 'msgstr[0] "Eine Zeile entfernen"\nmsgstr[1] "%(n)s Zeilen entfernen"')


def test_one_plural_form_is_compared_with_msgid_plural() -> None:
    units = parse_po(_PO_ZH, "zh.po")
    assert [s.text for s in units.source] == ["Remove %(n)s rows"]
    assert units.target_lang == "zh" and units.source_lang == "en"


def test_form_zero_used_for_21_is_compared_with_msgid_plural() -> None:
    units = parse_po(_PO_RU, "ru.po")
    assert [s.text for s in units.source] == ["%(n)s rows"] * 3


def test_english_like_form_zero_is_compared_with_msgid() -> None:
    units = parse_po(_PO_DE, "de.po")
    assert [s.text for s in units.source] == ["Remove one row", "Remove %(n)s rows"]


def test_zh_plural_gets_no_added_placeholder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "zh.po"
    path.write_text(_PO_ZH, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--format", "json", "--select", "TG"])
    assert result.exit_code == 0, result.stdout


def test_bad_plural_forms_is_an_input_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.po"
    path.write_text(_PO_ZH.replace("plural=0;", "plural=n ? ;"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "bad.po" in result.stderr and "Plural-Forms" in result.stderr


# --- CO02/CO03: plural forms and contexts of one catalogue ----------------------------
def test_plural_forms_alike_are_not_inconsistent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    po = _PO_DE.replace('msgstr[0] "Eine Zeile entfernen"', 'msgstr[0] "%(n)s Zeilen entfernen"')
    po = po.replace('msgid "Remove one row"', 'msgid "Remove %(n)s row"')
    po += '\nmsgctxt "menu"\nmsgid "Pick a colour"\nmsgstr "Farbe"\n\nmsgid "Pick a colour"\nmsgstr "Farbe wählen"\n'
    path = tmp_path / "de.po"
    path.write_text(po, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--format", "json", "--select", "CO"])
    assert result.exit_code == 0 and '"CO0' not in result.stdout


# --- EX06 / EX03: characters and quotes a language needs -------------------------------
@pytest.mark.parametrize("lang, text", [
    ("km", "ការ\u200bកំណត់\u200bថ្មី"),          # Khmer word separator
    ("fa", "می\u200cخواهم فایل را ببینم"),       # Persian ZWNJ
    ("he", "הקובץ \u200fנשמר\u200f בהצלחה"),      # Hebrew direction marks
])
def test_ex06_passes_characters_a_script_needs(lang: str, text: str) -> None:
    assert run_check("EX06", text, lang=lang) == []


def test_ex06_still_flags_a_zero_width_space_in_latin_text() -> None:
    assert [i.code for i in run_check("EX06", "the\u200b report")] == ["EX06"]


def test_ex03_passes_french_quotes() -> None:
    assert run_check("EX03", "Ouvrez « Fichiers »", lang="fr") == []
    assert [i.code for i in run_check("EX03", "Accueil » Actualités » Monde", lang="fr")] == ["EX03"]


# --- Language tags ------------------------------------------------------------------
@pytest.mark.parametrize("tag", ["en-US", "EN", "en_GB", "en-Latn-US"])
def test_english_tags_run_the_english_checks(tag: str) -> None:
    text = "The the report was was filed."
    base = check_texts(text, config=Config(target_lang="en")).documents[0].issues
    tagged = check_texts(text, config=Config.from_mapping({"target_lang": tag})).documents[0].issues
    assert [i.code for i in tagged] == [i.code for i in base] and base


@pytest.mark.parametrize("tag", ["zh_CN", "zh-Hans", "zh_Hans", "ZH-hant-TW"])
def test_chinese_tags_map_to_zh(tag: str) -> None:
    assert Config.from_mapping({"source_lang": tag}).source_lang == "zh"


@pytest.mark.parametrize("flag", ["--target-lang", "--source-lang"])
def test_unknown_language_is_a_usage_error(tmp_path, flag: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.txt"
    path.write_text("A short text to check.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), flag, "xx"])
    assert result.exit_code == 2
    assert "'xx'" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_declared_language_names_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "odd.po"
    path.write_text(_PO_ZH.replace("zh_Hans", "klingonese"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2 and "odd.po" in result.stderr


# --- A fragment or format the source has too; magnitude words; names -------------------
def test_fl04_passes_a_bracket_the_source_leaves_open() -> None:
    assert codes("FL04", "(im", "(in", lang="de") == []
    assert codes("FL04", "(im", "in", lang="de") == ["FL04"]


def test_fl06_passes_a_list_glued_like_its_source() -> None:
    assert codes("FL06", "an,aus,egal", "on,off,any", lang="de") == []
    assert codes("FL06", "an,aus,egal", "on, off, any", lang="de") == ["FL06", "FL06"]


def test_ac03_passes_digits_for_a_magnitude_word() -> None:
    assert codes("AC03", "%(value)s 10的33次方", "%(value)s decillion") == []
    assert codes("AC03", "共 12 页", "Pages in total") == ["AC03"]


def test_ac02_passes_a_title_case_name() -> None:
    assert codes("AC02", "Static Pages", "Static Pages", lang="de") == []


def test_ac05_reads_traditional_negations() -> None:
    assert codes("AC05", "設定 %r 沒有 \"x\" 表", "setting %r doesn't have the \"x\" table") == []


def test_sw01_ignores_entities_and_a_final_placeholder() -> None:
    assert run_check("SW01", "于版本 %(v)s &#8212; %(t)s 变更", source="Changes in %(v)s &#8212; %(t)s",
                     source_lang="en", lang="zh", fmt="po") == []
    assert run_check("SW01", "配置项：文件 %s 不存在", source="config: file not found: %s",
                     source_lang="en", lang="zh", fmt="po") == []


def test_fast_language_codes_agree_with_langcodes() -> None:
    import langcodes

    from mtqa.text.langtags import ISO_639_1
    assert all(langcodes.Language.get(code).language == code for code in ISO_639_1)


def test_deeply_nested_plural_forms_is_an_input_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deep.po"
    path.write_text(_PO_ZH.replace("plural=0;", "plural=" + "(" * 250 + "n" + ")" * 250 + ";"),
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2 and "deep.po" in result.stderr


def test_a_small_catalogue_loads_no_language_model() -> None:
    import subprocess
    import sys
    from pathlib import Path
    po = Path(__file__).parent / "data" / "conformance" / "small.po"
    code = (f"import sys; from mtqa import check_files; check_files([{str(po)!r}]); "
            "print('py3langid' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- Out of domain (GNU catalogues): metavariables, tabs in help columns ----------------
def test_a_translated_metavariable_is_not_a_missing_tag() -> None:
    assert codes("TG01", "p, pick <提交> = 使用提交", "p, pick <commit> = use commit") == []
    assert codes("TG01", "--debug=<oktal>", "--debug=<octal>", lang="de") == []
    assert codes("TG01", "Klicken Sie auf Datei", "Click <guilabel>File</guilabel>",
                 lang="de") == ["TG01", "TG01"]


def test_tabs_inside_a_help_text_are_layout() -> None:
    src, tgt = "Options:\n  -n\tdo not change\n  -v\tverbose", "选项：\n  -n  不改变\n  -v  详细"
    assert run_check("SW04", tgt, source=src, source_lang="en", lang="zh", fmt="po") == []
    assert run_check("SW04", tgt, source=src, source_lang="en", lang="zh", fmt="po",
                     options={"inner": True}) != []


def test_usage_string_values_are_not_tags() -> None:
    assert find("git cat-file <type> <object>") == ()
    assert find("<standard output>") == ()
    assert [p.key for p in find("Save <b>all")] == ["<b>"]
    assert [p.key for p in find('<a href="x">here</a>')] == ["<a>", "</a>"]


@pytest.mark.parametrize("source, target", [
    ("show the type (one of 'blob', 'tree', ...)", "显示类型（'blob'、'tree'……之一）"),
    ("A file cannot be called “.”", "Eine Datei darf nicht ».« heißen"),
    ("Usage: %s [OPTION]... FILE...", "用法：%s [选项]... 文件"),
    ("could not start ls-files in ..", "无法在 .. 中启动 ls-files"),
])
def test_sw01_passes_quoted_marks_usages_and_paths(source: str, target: str) -> None:
    lang = "de" if "Datei" in target else "zh"
    assert run_check("SW01", target, source=source, source_lang="en", lang=lang, fmt="po") == []


def test_date_formats_and_percent_words_are_not_printf() -> None:
    assert codes("TG01", "%Y年%-m月%-d日 %A %H:%M", "%a %b %e %H:%M:%S %Y") == []
    assert find("Invalid %-encoding in URI") == ()
    assert [p.key for p in find("%dMB and %.1fs")] == ["%d", "%f"]


@pytest.mark.parametrize("source, target", [
    ('option expects "always", "auto" or "never"', 'Option erwartet "always", "auto" oder "never".'),
    ("default is 'none'", "Standard ist »none«"),
    ("Out of paper", "Kein Papier mehr"),
    ("do not print lines without a tab", "nur Zeilen mit Tabulator ausgeben"),
])
def test_ac05_passes_quoted_values_and_lexical_negatives(source: str, target: str) -> None:
    assert codes("AC05", target, source, lang="de") == []


def test_ac04_passes_translated_metavariables_in_catalogues() -> None:
    kwargs = {"source": "Usage: %s FILE1 FILE2", "source_lang": "en", "lang": "zh"}
    assert run_check("AC04", "用法：%s 文件1 文件2", fmt="po", **kwargs) == []  # type: ignore[arg-type]
    assert run_check("AC04", "用法：%s 文件1 文件2", **kwargs) != []  # type: ignore[arg-type]
    assert [i.code for i in run_check("AC04", "飞机已降落", source="The A320 landed",
                                      source_lang="en", lang="zh", fmt="po")] == ["AC04"]


def test_ac03_passes_number_bases_and_metavariable_digits() -> None:
    assert codes("AC03", "以二进制输出", "print in binary") == []
    assert codes("AC03", "十六进制数字", "hexadecimal digits") == []
    kwargs = {"source": "ARG1 < ARG2: ARG1 is less", "source_lang": "en", "lang": "zh"}
    assert run_check("AC03", "参数1 < 参数2：参数1 更小", fmt="po", **kwargs) == []  # type: ignore[arg-type]
    assert codes("AC03", "共 3 个文件", "two files in total") == ["AC03"]


def test_sw01_reads_a_usage_repetition_as_no_punctuation() -> None:
    for source, target in (("Usage: %s [OPTION]... NAME...", "用法：%s [选项]... 名称..."),
                           ("synonym for --stat=a,b1,b2...", "是 --stat=a,b1,b2... 的同义词")):
        assert run_check("SW01", target, source=source, source_lang="en", lang="zh", fmt="po") == []
    assert [i.code for i in run_check("SW01", "Laden", source="Loading...", source_lang="en",
                                      lang="de", fmt="po")] == ["SW01"]


def test_ac05_in_catalogues_passes_a_negated_rendering() -> None:
    kwargs = {"source": "link best version unavailable", "source_lang": "en", "lang": "de"}
    assert run_check("AC05", "beste Version nicht verfügbar", fmt="po", **kwargs) == []  # type: ignore[arg-type]
    assert run_check("AC05", "Umgebung für exec nicht ausreichend", source="environment too large for exec",
                     source_lang="en", lang="de", fmt="po") == []
    assert [i.code for i in run_check("AC05", "Version verfügbar", source="version not available",
                                      source_lang="en", lang="de", fmt="po")] == ["AC05"]


@pytest.mark.parametrize("text", ["git version [--build-options]", "dirs [-clpv] [+N]",
                                  "start_pipeline: pgrp pipe"])
def test_ac02_passes_program_text_kept_in_a_catalogue(text: str) -> None:
    assert run_check("AC02", text, source=text, source_lang="en", lang="de", fmt="po") == []
    assert run_check("AC02", "Delete all files", source="Delete all files", source_lang="en",
                     lang="de", fmt="po") != []


def test_xliff_declared_language_tags_are_read_and_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    xlf = ('<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
           '<file original="a" source-language="EN-us" target-language="{tgt}" datatype="plaintext">'
           '<body><trans-unit id="1"><source>Save</source><target>Speichern</target></trans-unit>'
           '</body></file></xliff>\n')
    good, bad = tmp_path / "good.xlf", tmp_path / "bad.xlf"
    good.write_text(xlf.format(tgt="de_DE"), encoding="utf-8")
    bad.write_text(xlf.format(tgt="xx-YY"), encoding="utf-8")
    import json
    result = CliRunner().invoke(app, ["check", str(good), "--format", "json"])
    doc = json.loads(result.stdout)["documents"][0]
    assert (doc["source"]["lang"], doc["target"]["lang"]) == ("en", "de")
    result = CliRunner().invoke(app, ["check", str(bad)])
    assert result.exit_code == 2 and "bad.xlf" in result.stderr
