"""Warnings on stderr for inputs whose languages look wrong: en->en, swapped files, a
file that is not in the language declared for it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.text.language_sanity import name_tag

EXAMPLES = Path(__file__).resolve().parent.parent / "references" / "examples"
ZH, MT, REF = "river-cleanup.zh.md", "river-cleanup.mt.en.md", "river-cleanup.ref.en.md"


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args, "--encoder", "fake", "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("mtqa: warning: ")]


def test_the_right_way_round_has_no_warning() -> None:
    code, out, err = _check(str(EXAMPLES / MT), "--source", str(EXAMPLES / ZH))
    assert code == 1  # the example has real errors
    assert json.loads(out)["documents"][0]["source"]["lang"] == "zh"
    assert _warnings(err) == []


def test_an_english_source_for_an_english_text_is_said() -> None:
    _, _, err = _check(str(EXAMPLES / MT), "--source", str(EXAMPLES / REF))
    assert _warnings(err) == [
        (f"mtqa: warning: {EXAMPLES / REF}: the source and the translation are both en: "
         "checking en->en (is the source the right file?)")]


def test_flags_the_other_way_round_from_the_text_say_swapped() -> None:
    _, _, err = _check(str(EXAMPLES / MT), "--source", str(EXAMPLES / ZH),
                       "--source-lang", "en", "--target-lang", "zh")
    assert _warnings(err) == [
        (f"mtqa: warning: {EXAMPLES / MT}: the source reads as zh and the translation as "
         "en, the other way round from what was declared: are source and translation "
         "swapped?")]


def test_file_names_the_other_way_round_say_swapped(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / ZH, tmp_path / "news.en.md")
    shutil.copy(EXAMPLES / MT, tmp_path / "news.zh.md")
    _, _, err = _check(str(tmp_path / "news.en.md"), "--source", str(tmp_path / "news.zh.md"))
    assert len(_warnings(err)) == 1
    assert "are source and translation swapped?" in err


def test_a_machine_translation_given_as_source_is_said() -> None:
    _, _, err = _check(str(EXAMPLES / ZH), "--source", str(EXAMPLES / MT))
    assert _warnings(err) == [
        (f"mtqa: warning: {EXAMPLES / MT}: the source's file name marks it as a machine "
         "translation (.mt.): are source and translation swapped?")]


def test_a_bilingual_file_with_english_on_both_sides_is_said(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("The river was cleaned by the committee this year.\tThe river was "
                    "cleaned this year by the committee.\nMore than three hundred river "
                    "chiefs were appointed.\tOver three hundred river chiefs were named.\n",
                    encoding="utf-8")
    _, _, err = _check(str(path))
    assert _warnings(err) == [(f"mtqa: warning: {path} (source): the source and the "
                               "translation are both en: checking en->en (is the source "
                               "the right file?)")]


def test_short_texts_are_not_judged(tmp_path: Path) -> None:
    path = tmp_path / "short.tsv"
    path.write_text("Hello.\tHallo.\n", encoding="utf-8")
    _, _, err = _check(str(path))
    assert _warnings(err) == []


@pytest.mark.parametrize("path, tag", [
    ("docs/article.zh.md", "zh"), ("news_en.txt", "en"), ("report-de.xlf", "de"),
    ("article.md", None), ("river-cleanup.mt.en.md", "en"), ("notes.xx.md", None),
])
def test_name_tags(path: str, tag: str | None) -> None:
    assert name_tag(path) == tag
