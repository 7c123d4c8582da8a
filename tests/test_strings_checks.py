"""The software-string checks (SW01-SW09) beyond the pofilter conformance cases:
where they run, their severities, and the toolkit profiles."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.config import Config, ConfigError
from mtqa.model import Severity
from tests._checkutil import run_check

_PO = '''msgid ""
msgstr ""
"Language: de\\n"

msgid "_Open file"
msgstr "Datei öffnen"
'''


def _check_po(tmp_path: Path, *args: str) -> list[str]:
    path = tmp_path / "de.po"
    path.write_text(_PO, encoding="utf-8")
    config = tmp_path / "mtqa.toml"
    config.write_text("\n".join(args) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--config", str(config),
                                      "--format", "json", "--select", "SW03"])
    assert result.exit_code in (0, 1), result.stderr
    import json
    return [i["code"] for i in json.loads(result.stdout)["documents"][0]["issues"]]


def test_gnome_profile_checks_underscore_accelerators(tmp_path: Path) -> None:
    assert _check_po(tmp_path, 'profile = "gnome"') == ["SW03"]


def test_kde_profile_does_not_read_underscores(tmp_path: Path) -> None:
    assert _check_po(tmp_path, 'profile = "kde"') == []


def test_no_profile_no_accelerator_check(tmp_path: Path) -> None:
    assert _check_po(tmp_path) == []


def test_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="profile"):
        Config.from_mapping({"profile": "emacs"})


def test_string_checks_skip_prose_documents() -> None:
    assert run_check("SW01", "Datei löschen", source="Delete the file?", source_lang="en",
                     lang="de", fmt="text") == []
    assert [i.code for i in run_check("SW01", "Datei löschen", source="Delete the file?",
                                      source_lang="en", lang="de", fmt="xliff")] == ["SW01"]


def test_ascii_full_stop_after_chinese_suggests_the_chinese_one() -> None:
    issues = run_check("SW01", "文件已保存.", source="File saved.", source_lang="en", lang="zh",
                       fmt="po")
    assert [(i.code, i.suggestion) for i in issues] == [("SW01", "\u3002")]


def test_abbreviations_end_no_sentence() -> None:
    for source, target in (("Dec.", "十二月"), ("6 a.m.", "上午6点"), ("PM", "nachm.")):
        lang = "de" if target.startswith("n") else "zh"
        assert run_check("SW01", target, source=source, source_lang="en", lang=lang, fmt="po") == []


def test_a_lost_trailing_line_break_is_major_and_inner_ones_are_opt_in() -> None:
    issues = run_check("SW04", "Fertig", source="Done\n", source_lang="en", lang="de", fmt="po")
    assert [i.severity for i in issues] == [Severity.MAJOR]
    inner = {"source": "One.\nTwo.", "source_lang": "en", "lang": "de", "fmt": "po"}
    assert run_check("SW04", "Eins. Zwei.", **inner) == []  # type: ignore[arg-type]
    flagged = run_check("SW04", "Eins. Zwei.", options={"inner": True}, **inner)  # type: ignore[arg-type]
    assert [i.severity for i in flagged] == [Severity.MINOR]


def test_german_nouns_may_capitalise_a_lower_case_source() -> None:
    assert run_check("SW02", "Benutzer", source="user", source_lang="en", lang="de", fmt="po") == []
    assert [i.code for i in run_check("SW02", "benutzer", source="User", source_lang="en",
                                      lang="de", fmt="po")] == ["SW02"]


def test_double_quotes_are_off_by_default(tmp_path: Path) -> None:
    from mtqa.checks.registry import enabled_checks
    assert "SW07" not in {c.code for c in enabled_checks(Config())}
    assert "SW01" in {c.code for c in enabled_checks(Config())}


_PO_EDGES = '''msgid ""
msgstr ""
"Language: de\\n"

msgid "Loading files... "
msgstr "Dateien werden geladen …"

msgid "Numbers only."
msgstr "Nur Ziffern. "

msgid "Saved\\n"
msgstr "Gespeichert"
'''


def test_po_strings_keep_their_outer_whitespace_for_the_string_checks(tmp_path: Path) -> None:
    import json
    path = tmp_path / "de.po"
    path.write_text(_PO_EDGES, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--format", "json",
                                      "--select", "SW04", "--select", "SW06"])
    issues = json.loads(result.stdout)["documents"][0]["issues"]
    assert [(i["code"], i["message"]) for i in issues] == [
        ("SW06", "trailing space missing"), ("SW06", "trailing space added"),
        ("SW04", "a trailing line break is missing")]
