"""The HTML report in a real browser: Debian's Chromium driven by Playwright for Python.

Never downloads a browser: it uses ``/usr/bin/chromium`` (or ``$MTQA_CHROMIUM``) and is
skipped, with the reason, when that or Playwright is missing. Screenshots are written
to a temporary folder (its path is printed with ``pytest -s``).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from html_cases import HOSTILE, hostile_report, small_report, two_document_report

from mtqa.formatters.html_format import bead_of, render
from mtqa.model import Report, Severity

CHROMIUM = os.environ.get("MTQA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed (pip install playwright; the browser "
           "comes from apt-get install chromium, never from `playwright install`)")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set MTQA_CHROMIUM)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def example() -> Report:
    from mtqa.pipeline import check_files

    return check_files([str(EXAMPLES / "river-cleanup.mt.en.md")],
                       str(EXAMPLES / "river-cleanup.zh.md"),
                       str(EXAMPLES / "river-cleanup.ref.en.md"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("html-report")


class Page:
    """A report open in a tab, with every console error and uncaught exception kept."""

    def __init__(self, browser: Any, path: Path, scheme: str = "light") -> None:
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                     color_scheme=scheme)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-ready]", state="attached", timeout=15000)

    def js(self, code: str, arg: Any = None) -> Any:
        return self.page.evaluate(code, arg)

    def rows(self) -> list[int]:
        return self.js("() => [...document.querySelectorAll('tbody.bead')]"
                       ".map(t => Number(t.id.split('-b')[1]))")

    def marked_issues(self, scope: str = "") -> set[int]:
        """Numbers (0-based) of the issues highlighted in at least one piece of text."""
        ids = self.js("s => [...document.querySelectorAll(s + ' mark.m[data-i]')]"
                      ".flatMap(m => m.dataset.i.split(' ').map(Number))", scope)
        return set(ids)

    def active(self) -> dict[str, Any]:
        return self.js("""() => { const e = document.activeElement;
            return { tag: e.tagName, a: e.dataset.a || null, i: e.dataset.i || null,
                     bead: e.closest('tbody') ? e.closest('tbody').id : null,
                     tip: document.getElementById('tip').hidden ? null
                          : document.getElementById('tip').textContent }; }""")

    def close(self) -> None:
        self.page.close()


def _write(folder: Path, name: str, page: str) -> Path:
    path = folder / name
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def example_page(browser: Any, example: Report, folder: Path) -> Iterator[Page]:
    page = Page(browser, _write(folder, "river-cleanup.html", render(example)))
    yield page
    page.close()


def test_no_console_errors(example_page: Page) -> None:
    assert example_page.errors == []
    assert example_page.js("() => window.pwned") is None


def test_every_issue_with_a_span_is_highlighted(example_page: Page, example: Report) -> None:
    doc = example.documents[0]
    with_target = {n for n, i in enumerate(doc.issues) if i.target is not None}
    with_span = {n for n, i in enumerate(doc.issues) if i.target is not None or i.source is not None}
    assert len(doc.alignment) <= 100  # one page holds every row
    assert example_page.marked_issues("td.tgt") == with_target
    assert example_page.marked_issues() == with_span
    # the rows: one per bead, each issue listed under its row
    assert example_page.rows() == list(range(1, len(doc.alignment) + 1))
    assert example_page.js("() => document.querySelectorAll('li.issue').length") == len(doc.issues)


def test_severity_filter_hides_and_shows_rows(example_page: Page, example: Report) -> None:
    doc = example.documents[0]
    of_t = {t: b for b, bead in enumerate(doc.alignment) for t in bead.target}
    of_s = {s: b for b, bead in enumerate(doc.alignment) for s in bead.source}
    minor = sorted({bead_of(i, of_t, of_s) + 1 for i in doc.issues
                    if i.severity is Severity.MINOR})
    assert minor, "the example should have a minor issue"
    # The filters are folded away (the first screen is for the translation): open them.
    example_page.page.locator("section#d1 details.filter-box > summary").click()
    box = example_page.page.locator("section#d1 input[name=sev][value='0']")
    box.click()
    assert example_page.rows() == minor
    assert "matching" in example_page.page.locator("section#d1 .status").inner_text()
    box.click()
    assert example_page.rows() == list(range(1, len(doc.alignment) + 1))
    # search narrows to the rows containing the text, in any column
    search = example_page.page.locator("section#d1 input[name=q]")
    search.fill("the the")
    example_page.page.wait_for_function("() => document.querySelectorAll('tbody.bead').length < 5")
    texts = example_page.js("() => [...document.querySelectorAll('tbody.bead td.tgt')].map(t => t.textContent)")
    assert texts and all("the the" in t.lower() for t in texts)
    example_page.page.locator("section#d1 button[type=reset]").click()
    assert len(example_page.rows()) == len(doc.alignment)


def test_keyboard_moves_focus_from_issue_to_issue(example_page: Page, example: Report) -> None:
    doc = example.documents[0]
    of_t = {t: b for b, bead in enumerate(doc.alignment) for t in bead.target}
    of_s = {s: b for b, bead in enumerate(doc.alignment) for s in bead.source}
    order = sorted(range(len(doc.issues)),
                   key=lambda n: (bead_of(doc.issues[n], of_t, of_s), n))
    p = example_page.page
    p.locator("h1").click()  # focus nowhere in particular
    p.keyboard.press("j")
    first = example_page.active()
    assert first["tag"] == "MARK" and str(order[0]) in first["a"].split()
    assert first["bead"] == f"d1-b{bead_of(doc.issues[order[0]], of_t, of_s) + 1}"
    assert doc.issues[order[0]].message in first["tip"]
    p.keyboard.press("j")
    second = example_page.active()
    assert str(order[1]) in (second["a"] or second["i"]).split()
    assert doc.issues[order[1]].message in second["tip"]
    p.keyboard.press("n")
    assert doc.issues[order[2]].message in example_page.active()["tip"]
    p.keyboard.press("k")
    assert doc.issues[order[1]].message in example_page.active()["tip"]
    p.keyboard.press("p")
    assert doc.issues[order[0]].message in example_page.active()["tip"]
    # the status line says where we are, for screen readers too
    assert "Issue 1 of" in p.locator("section#d1 .status").inner_text()


def test_strip_click_jumps_to_the_bead(example_page: Page) -> None:
    p = example_page.page
    cell = p.locator("section#d1 svg.strip-svg rect[data-b]").last
    bead = cell.get_attribute("data-b")
    cell.click()
    assert example_page.active()["bead"] == f"d1-b{bead}"
    assert example_page.active()["tag"] == "A"


def test_screenshots_and_contrast(example_page: Page, browser: Any, folder: Path) -> None:
    shot = folder / "river-cleanup.png"
    example_page.page.screenshot(path=str(shot), full_page=True)
    _assert_contrast(example_page, "light")
    dark = Page(browser, folder / "river-cleanup.html", scheme="dark")
    try:
        dark_shot = folder / "river-cleanup-dark.png"
        dark.page.screenshot(path=str(dark_shot))
        assert dark.js("() => getComputedStyle(document.documentElement).backgroundColor") \
            == "rgb(13, 17, 23)"
        _assert_contrast(dark, "dark")
    finally:
        dark.close()
    print(f"\nscreenshots: {shot} {dark_shot}")
    for path in (shot, dark_shot):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


def test_hostile_text_renders_as_text(browser: Any, folder: Path) -> None:
    # compressed data, so that the browser's gzip path is exercised too (the other pages
    # carry plain JSON)
    path = _write(folder, "hostile.html", render(hostile_report(), compress_over=0))
    page = Page(browser, path)
    try:
        assert page.errors == []
        assert page.js("() => window.pwned") is None
        assert page.js("() => document.querySelectorAll('img, b, i, main svg:not(.strip-svg)').length") == 0
        cells = page.js("() => [...document.querySelectorAll('tbody.bead td.tgt')].map(t => t.textContent)")
        assert cells == HOSTILE
        page.page.locator("tbody.bead mark.m").first.hover()
        assert "<script>window.pwned = 7</script>" in \
            page.js("() => document.getElementById('tip').textContent")
        assert page.page.title().startswith("mtqa report: <img")
    finally:
        page.close()


def test_overlapping_and_empty_spans(browser: Any, folder: Path) -> None:
    report = small_report()
    page = Page(browser, _write(folder, "small.html", render(report)))
    try:
        assert page.errors == []
        issues = report.documents[0].issues
        assert page.marked_issues() == {n for n, i in enumerate(issues) if i.target or i.source}
        # each issue's pieces, joined, are exactly its text (offsets are code points; the
        # emoji before them is two UTF-16 units)
        for n, issue in enumerate(issues):
            if issue.target is None:
                continue
            text = page.js("n => [...document.querySelectorAll('td.tgt mark.m')]"
                           ".filter(m => m.dataset.i.split(' ').includes(String(n)))"
                           ".map(m => m.textContent).join('')", n)
            assert text == issue.target.text, issue.code
        # the omission and the addition are marked
        assert page.js("() => document.querySelectorAll('.marker.omission').length") == 1
        assert page.js("() => document.querySelectorAll('.marker.addition').length") == 1
        # Tab reaches the first highlighted piece
        page.page.locator("section#d1 button[data-act=next]").focus()
        for _ in range(10):
            page.page.keyboard.press("Tab")
            if page.active()["tag"] == "MARK":
                break
        assert page.active()["tag"] == "MARK"
    finally:
        page.close()


def test_two_documents_one_target_only(browser: Any, folder: Path) -> None:
    page = Page(browser, _write(folder, "two.html", render(two_document_report())))
    try:
        assert page.errors == []
        # the second document was checked without a source: no source column
        heads = page.js("() => [...document.querySelectorAll('#d2 table.beads thead th')]"
                        ".map(th => th.textContent)")
        assert heads == ["Bead", "Translation (en)", "Penalty"]
        assert page.js("() => document.querySelectorAll('#d2 td.src').length") == 0
        assert page.js("() => document.querySelectorAll('#d1 td.src').length") == 3
        # the index links to each document; keys act on the document that has the focus
        page.page.locator(".index a[href='#d2']").click()
        page.page.locator("#d2 details.filter-box > summary").click()
        page.page.locator("#d2 input[name=q]").focus()
        page.page.keyboard.press("Tab")  # out of the search field, still in document 2
        page.page.keyboard.press("j")
        assert page.active()["bead"] == "d2-b1" and "repeated word 'is'" in page.active()["tip"]
    finally:
        page.close()


def test_pages_of_a_long_document(browser: Any, folder: Path) -> None:
    from mtqa.model import Bead, Document, DocumentReport, Scores, Segment

    n = 250
    tgt = Document("long.md", "en", tuple(Segment(f"Sentence {k}.", k + 1, 1) for k in range(n)))
    report = Report((DocumentReport(tgt, None, None, tuple(Bead((), (k,)) for k in range(n)), (),
                                    {}, Scores(0, 2 * n, 100.0, (0.0,) * n), True),), "sig", True, {})
    page = Page(browser, _write(folder, "long.html", render(report)))
    try:
        assert page.rows() == list(range(1, 101))
        page.page.locator("button[data-page=last]").click()
        assert page.rows() == list(range(201, 251))
        # printing shows every row, then the page goes back to the page it showed (the
        # events a print dialog sends; page.pdf() sends them too, but takes seconds)
        assert page.js("() => { dispatchEvent(new Event('beforeprint'));"
                       " return document.querySelectorAll('tbody.bead').length; }") == 250
        assert page.js("() => { dispatchEvent(new Event('afterprint'));"
                       " return document.querySelectorAll('tbody.bead').length; }") == 50
        page.page.goto((folder / "long.html").as_uri() + "#d1-b155")
        page.page.wait_for_function("() => document.activeElement.closest('tbody')")
        assert page.active()["bead"] == "d1-b155"
        assert page.errors == []
    finally:
        page.close()


CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, k) => s + v * [0.2126, 0.7152, 0.0722][k], 0);
  const background = (e) => { for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3); }
    return rgb(getComputedStyle(document.documentElement).backgroundColor); };
  const out = {};
  for (const sel of ["body", ".meta", ".verdict-word", "dt", ".hint", "td.tgt", "td.ref",
      ".ln", "mark.m.sev-major", "mark.m.sev-minor", ".sev-badge.sev-major",
      ".sev-badge.sev-minor", ".sev-badge.sev-critical", ".pen-badge.lvl-major",
      ".issue-list .cat", ".issue-list .where", "tbody.bead th a", "legend", ".status",
      ".strip-legend", "footer.page", "button"]) {
    const e = document.querySelector(sel);
    if (!e) { out[sel] = null; continue; }
    const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
    out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  return out;
}"""


def _assert_contrast(page: Page, scheme: str) -> None:
    ratios = page.js(CONTRAST)
    missing = [sel for sel, ratio in ratios.items() if ratio is None]
    assert not missing, f"no element for {missing}"
    low = {sel: round(r, 2) for sel, r in ratios.items() if r < 4.5}
    assert not low, f"contrast under 4.5:1 in the {scheme} scheme: {low}"


def test_issues_show_the_text_mtqa_fix_would_write(example_page: Page, example: Report) -> None:
    doc = example.documents[0]
    notes = example_page.js("() => [...document.querySelectorAll('li.issue')]"
                            ".map(li => { const f = li.querySelector('.fix');"
                            " return f ? f.textContent : null; })")
    expected = []
    for issue in doc.issues:
        if issue.fix is None or issue.target is None:
            expected.append(None)
            continue
        text = issue.fix.apply(doc.target.segments[issue.target.segment].text,
                               issue.target.segment)
        how = "mtqa fix" if issue.fix.safe else "mtqa fix --unsafe-fixes"
        expected.append(f"Fix ({how}): " + (text or "(removed)"))
    assert notes == expected and any(expected)


def test_trusted_types_block_html_sinks_and_base_or_form_injection(
        browser: Any, example: Report, folder: Path) -> None:
    """Even code that runs in the page cannot turn a string into HTML (Trusted Types),
    and an injected <base> or <form> would be inert (base-uri, form-action)."""
    page = Page(browser, _write(folder, "trusted-types.html", render(example)))
    try:
        assert page.errors == []  # the report's own script needs no HTML sink
        outcome = page.js("""() => {
            try { document.body.insertAdjacentHTML('beforeend',
                                                   '<img src=x onerror="window.pwned=9">');
                  return 'allowed'; } catch (e) { return e.name; } }""")
        assert outcome == "TypeError"
        csp = page.js(
            "() => document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
        assert "base-uri 'none'" in csp and "form-action 'none'" in csp
        assert page.js("() => window.pwned") is None
    finally:
        page.close()


def _open(browser: Any, path: Path, width: int, height: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready]", state="attached", timeout=15000)
    return page


def test_a_phone_never_scrolls_sideways(browser: Any, example: Report, folder: Path) -> None:
    path = folder / "phone.html"
    path.write_text(render(example), encoding="utf-8")
    page = _open(browser, path, 390, 844)
    try:
        wide, screen = page.evaluate("[document.documentElement.scrollWidth, "
                                     "document.documentElement.clientWidth]")
        assert (wide, screen) == (390, 390)
        # the side-by-side cells stack: source above translation, both full width
        src, tgt = page.evaluate("""() => {
            const row = document.querySelector('tbody.bead tr');
            const box = (sel) => row.querySelector(sel).getBoundingClientRect();
            return [box('td.src'), box('td.tgt')].map(r => [r.left, r.top, r.width]);
        }""")
        assert tgt[1] > src[1] and src[2] > 300 and tgt[2] > 300
    finally:
        page.close()


def test_the_first_screen_shows_translation_text(browser: Any, example: Report,
                                                 folder: Path) -> None:
    path = folder / "first-screen.html"
    path.write_text(render(example), encoding="utf-8")
    page = _open(browser, path, 1400, 900)
    try:
        top, text = page.evaluate("""() => {
            const cell = document.querySelector('tbody.bead td.tgt');
            return [cell.getBoundingClientRect().top, cell.textContent];
        }""")
        assert top < 900 - 20 and text.strip()
    finally:
        page.close()


def test_the_strip_counts_beads_with_issues(example: Report) -> None:
    doc = example.documents[0]
    of_t = {t: b for b, bead in enumerate(doc.alignment) for t in bead.target}
    of_s = {s: b for b, bead in enumerate(doc.alignment) for s in bead.source}
    flagged = {bead_of(i, of_t, of_s) for i in doc.issues} - {None}
    assert f"{len(flagged)} of {len(doc.alignment)} beads have issues" in render(example)


def test_consistency_positions_link_to_their_beads(browser: Any, example: Report,
                                                   folder: Path) -> None:
    doc = example.documents[0]
    co = [i for i in doc.issues if i.code.startswith("CO") and i.target is not None]
    assert co, "the example should have a consistency issue"
    of_t = {t: b for b, bead in enumerate(doc.alignment) for t in bead.target}
    path = folder / "links.html"
    path.write_text(render(example), encoding="utf-8")
    page = _open(browser, path, 1400, 900)
    try:
        hrefs = page.evaluate("""() => [...document.querySelectorAll('li.issue')]
            .filter(li => li.querySelector('code').textContent.startsWith('CO'))
            .map(li => [...li.querySelectorAll('a')].map(a => [a.textContent, a.getAttribute('href')]))""")
        assert hrefs and all(links for links in hrefs)
        first = co[0]
        expected = f"#d1-b{of_t[first.target.segment] + 1}"
        assert any(href == expected for links in hrefs for _, href in links)
    finally:
        page.close()
