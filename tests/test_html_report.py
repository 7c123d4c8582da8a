"""The HTML report without a browser: golden structure, escaping, data, CLI output path.
(The page's behaviour in a real browser is tested in test_html_browser.py.)"""
from __future__ import annotations

import base64
import gzip
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT
from html_cases import (
    HOSTILE,
    hostile_report,
    small_report,
    target_only_report,
    two_document_report,
)

from mtqa import __version__
from mtqa.formatters import FORMATS, renderer
from mtqa.formatters.html_format import STRIP_CELLS, _strip, default_path, json_for_script, render
from mtqa.model import Bead, Document, DocumentReport, Report, Scores, Segment

GOLDEN = Path(__file__).parent / "golden" / "html" / "small.html"
FIXED = datetime(2024, 5, 13, 10, 42, tzinfo=timezone.utc)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    tags.close()
    return tags


def data_of(page: str) -> list[dict]:
    """The JSON data of each document, decoded as the page's script decodes it."""
    out = []
    for attrs, text in parse(page).scripts:
        if attrs.get("type") != "application/json":
            continue
        if attrs.get("data-encoding") == "gzip+base64":
            text = gzip.decompress(base64.b64decode(text)).decode("utf-8")
        out.append(json.loads(text))
    return out


def normalise(page: str) -> str:
    """The page without what the golden file should not pin: the stylesheet and script
    (their own files), the script's hash and the version."""
    page = re.sub(r"<style>.*?</style>", "<style>…</style>", page, flags=re.S)
    page = re.sub(r"<script>.*?</script>", "<script>…</script>", page, flags=re.S)
    page = re.sub(r"'sha256-[A-Za-z0-9+/=]+'", "'sha256-…'", page)
    return page.replace(f"mtqa {__version__}", "mtqa VERSION")


def test_registered_as_a_format() -> None:
    assert FORMATS["html"] == "mtqa.formatters.html_format"
    assert renderer("html") is render


def test_golden_structure_of_a_small_document() -> None:
    page = normalise(render(small_report(), generated=FIXED))
    if os.environ.get("MTQA_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8"), \
        "HTML changed: review it, then rerun with MTQA_UPDATE_GOLDEN=1"


def test_rendering_is_deterministic_and_dated() -> None:
    assert render(small_report(), generated=FIXED) == render(small_report(), generated=FIXED)
    assert '<time datetime="2024-05-13T10:42:00Z">2024-05-13 10:42 UTC</time>' in \
        render(small_report(), generated=FIXED)


def test_source_date_epoch_sets_the_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715597000")
    assert 'datetime="2024-05-13T10:43:20Z"' in render(small_report())


def test_data_carries_segments_beads_and_issues() -> None:
    (data,) = data_of(render(small_report(), generated=FIXED))
    assert data["src"][0] == "河长共清理了11.1万吨垃圾。"
    assert data["tgt"][1] == "An added sentence."
    assert data["beads"] == [[[0], [0], [0], 12.1], [[1], [], [1], 25], [[], [1], [], 0]]
    assert data["sep"] == {"src": "", "tgt": " ", "ref": " "}
    codes = [i["c"] for i in data["issues"]]
    assert codes == ["FL01", "TE01", "ST01", "AC03", "FL02", "AC04", "CO01"]
    ac03 = data["issues"][3]
    assert ac03["t"] == [0, 30, 36] and ac03["o"] == [0, 6, 11] and ac03["b"] == 0
    assert ac03["g"] == "111,000" and data["cats"][ac03["k"]] == "accuracy/mistranslation"
    # an omission is shown in the bead of its source segment; a document-wide issue in none
    assert data["issues"][5]["b"] == 1 and "t" not in data["issues"][5]
    assert "b" not in data["issues"][6] and "l" not in data["issues"][6]


@pytest.mark.parametrize("text, escaped", [
    ("</script>", "\\u003c/script\\u003e"),
    ("<!--", "\\u003c!--"),
    ("a & b", "a \\u0026 b"),
    ("line\u2028sep\u2029", "line\\u2028sep\\u2029"),
    ('"quoted"', '\\"quoted\\"'),
    ("河长制", "河长制"),
])
def test_json_for_script_escapes(text: str, escaped: str) -> None:
    out = json_for_script({"t": text})
    assert out == '{"t":"' + escaped + '"}'
    assert json.loads(out) == {"t": text}


@pytest.mark.parametrize("compress_over", [10**9, 0], ids=["plain", "gzip"])
def test_hostile_text_stays_text(compress_over: int) -> None:
    page = render(hostile_report(), generated=FIXED, compress_over=compress_over)
    tags = parse(page)
    allowed = {"html", "head", "meta", "title", "link", "style", "body", "a", "header", "h1",
               "p", "time", "strong", "main", "section", "h2", "span", "div", "ul", "li", "dl",
               "dt", "dd", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
               "svg", "rect", "details", "summary", "em", "mark", "kbd", "form", "fieldset",
               "legend", "label", "input", "code", "button", "noscript", "nav", "select",
               "option", "script", "footer", "h3", "q"}
    assert {t for t, _ in tags.tags} <= allowed
    assert not [(t, a) for t, a in tags.tags for name in a if name.startswith("on")]
    # exactly the page's own two scripts: the data and the code
    assert [attrs.get("type") for attrs, _ in tags.scripts] == ["application/json", None]
    for bad in ("<script>window", "<img", "<svg onload", "<b onmouseover", "<i>grammar"):
        assert bad not in page
    # ...and the text survives the round trip through the data
    (data,) = data_of(page)
    assert data["tgt"] == HOSTILE and data["ref"] == list(reversed(HOSTILE))
    assert data["issues"][0]["m"] == "<script>window.pwned = 7</script>"
    assert data["issues"][0]["g"] == '"><svg onload="window.pwned = 8">'
    # names and categories shown by the template are escaped, not dropped
    assert "&lt;img src=x onerror=&#34;window.pwned = 4&#34;&gt;.md" in page
    assert "fluency/&lt;i&gt;grammar&lt;/i&gt;" in page


def test_content_security_policy_names_the_script() -> None:
    page = render(small_report(), generated=FIXED)
    (code,) = [text for attrs, text in parse(page).scripts if "type" not in attrs]
    import hashlib

    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    for directive in ("default-src 'none'", "base-uri 'none'", "form-action 'none'",
                      "require-trusted-types-for 'script'", "trusted-types 'none'"):
        assert directive in page, directive
    # nothing is fetched: no external URL anywhere in an attribute
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)


def test_compressed_data_decodes_to_the_same_data() -> None:
    plain = data_of(render(small_report(), generated=FIXED))
    packed_page = render(small_report(), generated=FIXED, compress_over=0)
    assert 'data-encoding="gzip+base64"' in packed_page
    assert data_of(packed_page) == plain


def test_header_shows_verdict_scores_and_metrics() -> None:
    page = render(small_report(), generated=FIXED)
    for text in ("Failed", "quality 0.0 is under 95", "1 issue(s) at or above critical",
                 "A document fails on an issue of severity critical or worse or quality "
                 "under 95.", ">38.1<", ">0.0<", "BLEU", ">41.2<", "chrF++", ">60.5<", "TER",
                 ">48.0<", "river.zh.txt", "river.ref.en.txt", "zh → en",
                 "Issues about the whole document", "Source (zh)", "Reference (en)"):
        assert text in page, text
    # the category chart: one row per category, worst counts first
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="bar-col"', page)
    assert rows[0] in ("accuracy/mistranslation", "terminology/wrong-term")
    assert len(rows) == 7


def test_target_only_report_has_no_source_column() -> None:
    page = render(target_only_report(), generated=FIXED)
    assert "Source (" not in page and "Reference (" not in page
    assert "Translation (en)" in page and "translation only, no source" in page
    assert "BLEU" not in page
    (data,) = data_of(page)
    assert data["src"] is None and data["ref"] is None and "src" not in data["sep"]


def test_multi_document_report_has_an_index() -> None:
    page = render(two_document_report(), generated=FIXED)
    assert page.count('<section class="doc"') == 2
    assert '<a href="#d1">river.mt.en.txt</a>' in page and '<a href="#d2">notes.en.txt</a>' in page
    assert "2 of 2 documents failed." in page
    assert [d["id"] for d in data_of(page)] == ["d1", "d2"]


def test_empty_document_renders() -> None:
    doc = Document("empty.md", "en", ())
    report = Report((DocumentReport(doc, None, None, (), (), {}, Scores(0, 0, 100.0, ()),
                                    True),), "sig", True, {})
    page = render(report, generated=FIXED)
    assert "No issues found." in page and "Passed" in page


@pytest.mark.parametrize("penalties, cells, flagged", [
    ([0, 5, 0], 3, [(1, 2, "major")]),
    ([0.1, 0, 25, 1], 4, [(0, 1, "minor"), (2, 3, "critical"), (3, 4, "minor")]),
    ([0.0] * 10, 10, []),
    # 1,200 beads fold into 600 cells of 2; a cell shows its worst bead
    ([0.0] * 1000 + [1, 30] + [0.0] * 198, STRIP_CELLS, [(500, 1002, "critical")]),
])
def test_penalty_strip_cells(penalties: list[float], cells: int,
                             flagged: list[tuple[int, int, str]]) -> None:
    strip = _strip(penalties)
    assert strip["cells"] == cells and strip["beads"] == len(penalties)
    assert [(c["x"], c["bead"], c["level"]) for c in strip["flagged"]] == flagged


def test_large_report_stays_small_and_is_compressed() -> None:
    n = 10_000
    texts = [f"Sentence number {k} of the translation, with words enough to make it as long "
             "as a typical sentence of a news article, which is about this long." for k in range(n)]
    tgt = Document("big.md", "en", tuple(Segment(t, k + 1, 1) for k, t in enumerate(texts)))
    beads = tuple(Bead((), (k,)) for k in range(n))
    report = Report((DocumentReport(tgt, None, None, beads, (), {},
                                    Scores(0, 10 * n, 100.0, (0.0,) * n), True),), "sig", True, {})
    page = render(report, generated=FIXED)
    assert 'data-encoding="gzip+base64"' in page
    assert len(page.encode()) < 1_000_000
    assert page.count("<rect ") == 1  # the strip's background: no cell is flagged


def test_default_path_is_named_after_the_document() -> None:
    assert str(default_path(small_report())) == os.path.join("reports", "river.mt.en.html")
    assert str(default_path(two_document_report())) == os.path.join("reports", "river.mt.en+1.html")


def _mtqa(*args: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from typer.testing import CliRunner

    from mtqa.cli import app

    monkeypatch.chdir(cwd)
    return CliRunner().invoke(app, list(args))


def test_cli_writes_reports_folder_and_prints_the_path(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "note.en.txt").write_text("The river is is clean.\n\nIt <b>flows</b>.\n",
                                          encoding="utf-8")
    done = _mtqa("check", "note.en.txt", "--format", "html", cwd=tmp_path,
                 monkeypatch=monkeypatch)
    assert done.exit_code == 1, done.output  # the stray <b> markup is a major issue
    assert done.stdout.strip() == os.path.join("reports", "note.en.html")
    written = tmp_path / "reports" / "note.en.html"
    page = written.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "It \\u003cb\\u003eflows\\u003c/b\\u003e." in page
    assert written.stat().st_mode & 0o044  # readable by others, like any report
    assert not [p for p in written.parent.iterdir() if p.name.endswith(".tmp")]


def test_cli_output_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "note.en.txt").write_text("Clean text here.\n", encoding="utf-8")
    done = _mtqa("check", "note.en.txt", "--format", "html", "--output", "out/r.html",
                 cwd=tmp_path, monkeypatch=monkeypatch)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out" / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert not (tmp_path / "reports").exists()


def test_example_report_renders(tmp_path: Path) -> None:
    from mtqa.pipeline import check_files

    report = check_files([str(EXAMPLES / "river-cleanup.mt.en.md")],
                         str(EXAMPLES / "river-cleanup.zh.md"),
                         str(EXAMPLES / "river-cleanup.ref.en.md"))
    page = render(report)
    (data,) = data_of(page)
    assert len(data["beads"]) == len(report.documents[0].alignment)
    assert len(data["issues"]) == len(report.documents[0].issues)
    assert "Reference (en)" in page and "Source (zh)" in page


def test_jinja_is_imported_lazily() -> None:
    code = ("import sys, mtqa.cli, mtqa.formatters, mtqa.pipeline; "
            "print('jinja2' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
