"""Readers: encodings, plain text, Markdown, bilingual TSV/JSONL, positions."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from mtqa.errors import InputError
from mtqa.readers import markdown, parse_document, read_bilingual, read_document
from mtqa.readers.encoding import decode

ZH = "中央和国家机关召开交流会。会议在北京举行！"


@pytest.mark.parametrize("data", [
    ZH.encode("utf-8"),
    codecs.BOM_UTF8 + ZH.encode("utf-8"),
    codecs.BOM_UTF16_LE + ZH.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"),
    ("Branch meeting held in Beijing on May 11. " * 5).encode("utf-16-le"),
    (ZH * 20).encode("gb18030"),
    (ZH * 20).encode("gbk"),
])
def test_decode_accepts_common_encodings(data: bytes) -> None:
    text = decode(data, "x.txt")
    assert "会议" in text or "Branch" in text
    assert "\ufeff" not in text


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\n", "no text"),
    (b"\x00\x01\x02binary\x00\xff\xfe\x00\x10" * 50, "binary"),
    (bytes(range(128, 256)) * 3, "cannot decode"),
])
def test_decode_rejects_bad_input(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as err:
        decode(data, "bad.txt")
    assert str(err.value).startswith("bad.txt:")


def test_crlf_is_normalised_and_positions_hold(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title line\r\n\r\nFirst sentence here. Second one follows.\r\n")
    doc = read_document(path, "en")
    assert [s.text for s in doc.segments] == ["Title line", "First sentence here.",
                                              "Second one follows."]
    assert [(s.line, s.column) for s in doc.segments] == [(1, 1), (3, 1), (3, 22)]


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


def test_plain_text_segments_are_exact_slices() -> None:
    text = "Font size:\nSearch this site:\n\nThe meeting opened at 9 a.m. on May 11. Mr. Li spoke.\n"
    doc = parse_document(text, "t.txt", "text", "en")
    assert [s.text for s in doc.segments] == [
        "Font size:", "Search this site:", "The meeting opened at 9 a.m. on May 11.", "Mr. Li spoke."]
    for s in doc.segments:
        assert text[s.offset:s.offset + len(s.text)] == s.text


def test_hard_wrapped_prose_is_joined() -> None:
    line = "The branch committee reviewed the plan for the coming year and agreed"
    text = f"{line}\nto carry it out in three stages before the end of the year.\n"
    doc = parse_document(text, None, "text", "en")
    assert len(doc.segments) == 1
    assert doc.segments[0].text.endswith("year.")


MD = """---
title: Example
lang: en
---
# River protection meeting

The meeting opened on May 11. It lasted two hours.

```python
print("not prose. Not at all.")
```

- First item of the list.
- Second item, longer: it has
  a continuation line.

<!-- a comment. Not prose. -->

> A quoted sentence.

| Name | Value |
|------|-------|
| Cell one | Cell two |

Setext heading
==============
"""


def test_markdown_blocks() -> None:
    doc = parse_document(MD, "a.md", "markdown", "en")
    texts = [s.text for s in doc.segments]
    assert texts[:3] == ["River protection meeting", "The meeting opened on May 11.",
                         "It lasted two hours."]
    assert "First item of the list." in texts
    assert "Second item, longer: it has\n  a continuation line." in texts
    assert "A quoted sentence." in texts
    assert "Cell one" in texts and "Cell two" in texts
    assert "Setext heading" in texts
    assert not any("print" in t or "comment" in t or "title:" in t for t in texts)
    heading = next(s for s in doc.segments if s.text == "River protection meeting")
    assert (heading.line, heading.column, heading.kind) == (5, 3, "heading")


def test_markdown_front_matter_without_end_is_prose() -> None:
    text = "---\nJust a rule above. And text.\n"
    assert [(text[b.start:b.end], b.kind) for b in markdown.blocks(text)] == [
        ("Just a rule above. And text.", "paragraph")]


def test_tsv_and_positions(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("source\ttarget\n你好。\tHello.\n\n谢谢。\t  Thanks.\n", encoding="utf-8")
    src, tgt, ref = read_bilingual(path)
    assert ref is None
    assert [s.text for s in tgt.segments] == ["Hello.", "Thanks."]
    assert (tgt.segments[1].line, tgt.segments[1].column) == (4, 7)
    assert src.lang == "zh" and tgt.lang == "en"


def test_ragged_tsv_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "r.tsv"
    path.write_text("一。\tOne.\n二。\tTwo.\t2.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_bilingual(path)
    assert str(err.value).startswith(f"{path}:2:")


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"source": "一。", "target": "One.", "reference": "One."}\n'
                    '{"source": "二。", "target": "Two.", "reference": "Two."}\n', encoding="utf-8")
    src, tgt, ref = read_bilingual(path)
    assert ref is not None and [s.text for s in ref.segments] == ["One.", "Two."]
    col = tgt.segments[0].column
    line = path.read_text(encoding="utf-8").split("\n")[0]
    assert line[col - 1:col - 1 + 4] == "One."


def test_bad_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"source": "一。", "target": "One."}\n{"source": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r":2: missing or non-string 'source'"):
        read_bilingual(path)
