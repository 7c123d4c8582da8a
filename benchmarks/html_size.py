"""Size and speed of the HTML report for a long document.

Builds a report of N beads (default 10,000) from the WMT23 zh->en MQM data in
/work/shared/data/mqm: each bead is a real source sentence, a system's translation, and
another system's translation of the same sentence standing in for the reference; its
issues are one rater's real MQM annotations (overlapping spans included). The 1,780
annotated rows are cycled to reach N. Because they hold only 178 distinct source
sentences, the words of each sentence (the characters of a Chinese one) are shuffled,
seeded by the bead, so that gzip cannot find whole repeated sentences: a real document of
10,000 beads repeats far less than the cycled data, and the shuffled text (which keeps
each sentence's length and vocabulary but loses its phrases) compresses a little worse
than real text, so the size printed is an upper bound. Prints the file size, the time to render it in
Python and, when Playwright and Debian's Chromium are installed, the time the page takes
to be ready and to filter, search, page and navigate.

    python benchmarks/html_size.py [--beads 10000] [--no-reference] [--no-shuffle] [--keep PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.config import Config  # noqa: E402
from mtqa.formatters.html_format import render  # noqa: E402
from mtqa.model import Bead, Document, DocumentReport, Issue, Report, Segment, Severity, locate  # noqa: E402
from mtqa.quality.scoring import gate, score  # noqa: E402

# Beside the checkout (as tests/conftest.py expects it), else where the team keeps it.
DATA = next((p for p in (ROOT.parent / "shared" / "data" / "mqm" / "wmt23_zhen_dev.jsonl",
                         Path("/work/shared/data/mqm/wmt23_zhen_dev.jsonl")) if p.exists()),
            ROOT.parent / "shared" / "data" / "mqm" / "wmt23_zhen_dev.jsonl")
CHROMIUM = os.environ.get("MTQA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SEVERITY = {"minor": Severity.MINOR, "major": Severity.MAJOR, "critical": Severity.CRITICAL}


def shuffled(text: str, seed: int, cjk: bool) -> str:
    """The text with its words (or CJK characters) in a seeded random order; same length."""
    rng = random.Random(seed)
    if cjk:
        chars = list(text)
        rng.shuffle(chars)
        return "".join(chars)
    parts = re.findall(r"\S+|\s+", text)
    words = [p for p in parts if not p.isspace()]
    rng.shuffle(words)
    it = iter(words)
    return "".join(p if p.isspace() else next(it) for p in parts)


def build(beads: int, with_reference: bool, shuffle: bool = True) -> Report:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    by_segment: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_segment[row["source"]].append(row)
    src_texts, tgt_texts, ref_texts = [], [], []
    pending: list[tuple[int, dict]] = []
    for k in range(beads):
        row = rows[k % len(rows)]
        others = [r for r in by_segment[row["source"]] if r["system"] != row["system"]]
        ref = others[k % len(others)]["target"] if others else row["target"]
        if shuffle:
            src_texts.append(shuffled(row["source"], 3 * k, True))
            tgt_texts.append(shuffled(row["target"], 3 * k + 1, False))
            ref_texts.append(shuffled(ref, 3 * k + 2, False))
        else:
            src_texts.append(row["source"])
            tgt_texts.append(row["target"])
            ref_texts.append(ref)
        pending.append((k, row))

    def doc(path: str, lang: str, texts: list[str]) -> Document:
        return Document(path, lang, tuple(Segment(t, k + 1, 1) for k, t in enumerate(texts)))

    src, tgt = doc("wmt23.zh.txt", "zh", src_texts), doc("wmt23.mt.en.txt", "en", tgt_texts)
    ref = doc("wmt23.ref.en.txt", "en", ref_texts) if with_reference else None
    issues = []
    codes: dict[str, str] = {}
    for k, row in pending:
        rater = row["raters"][0] if row["raters"] else None
        for e in row["errors"]:
            sev = SEVERITY.get(str(e.get("severity", "")).lower())
            if e.get("rater") != rater or sev is None or e.get("span_start") is None:
                continue
            category = e["category"].lower().replace(" ", "-")
            side = e.get("span_side")
            where = dict(target=locate(tgt, k, e["span_start"], e["span_end"])) if side == "target" \
                else dict(source=locate(src, k, e["span_start"], e["span_end"]))
            # one code per category, as an mtqa check has one code, name and category
            code = codes.setdefault(category, f"MQ{len(codes) + 1:02d}")
            issues.append(Issue(code, "mqm." + category.replace("/", "."), category, sev,
                                f"{e['category']} ({e['severity']}) marked by {rater}", **where))
    alignment = tuple(Bead((k,), (k,), (k,) if ref else ()) for k in range(beads))
    config = Config()
    scores = score(tgt, alignment, issues, config.weights)
    passed, reasons = gate(scores, issues, config)
    metrics = {"bleu": 30.0, "chrf": 55.0, "ter": 60.0} if ref else {}
    document = DocumentReport(tgt, src, ref, alignment, tuple(issues), metrics, scores,
                              passed, reasons)
    return Report((document,), "benchmark", passed, {"fail_on": "critical", "fail_under": 95.0})


def browse(path: Path) -> dict[str, float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.access(CHROMIUM, os.X_OK):
        return None
    timings: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-ready]", state="attached", timeout=60000)
        timings["open until the rows are shown (s)"] = time.perf_counter() - start
        timings["tab's own ready time, from navigation start (ms)"] = page.evaluate(
            "() => performance.now()")
        # each of these runs synchronously in the page: filter or search, then render
        timings["tick 'minor', filter 10k beads and render (ms)"] = page.evaluate("""() => {
            const t = performance.now();
            document.querySelector('input[name=sev][value="0"]').click();
            return performance.now() - t; }""")
        timings["untick it again (ms)"] = page.evaluate("""() => {
            const t = performance.now();
            document.querySelector('input[name=sev][value="0"]').click();
            return performance.now() - t; }""")
        timings["search 'committee' in every column (ms)"] = page.evaluate("""() => {
            const q = document.querySelector('input[name=q]');
            q.value = 'committee';
            const t = performance.now();
            q.dispatchEvent(new Event('change', {bubbles: true}));
            return performance.now() - t; }""")
        page.locator("button[type=reset]").click()
        timings["go to the last page (ms)"] = page.evaluate("""() => {
            const t = performance.now();
            document.querySelector('button[data-page=last]').click();
            return performance.now() - t; }""")
        page.keyboard.press("Home")
        start = time.perf_counter()
        for _ in range(20):
            page.keyboard.press("j")
        timings["20 presses of j, round trips included (ms)"] = (time.perf_counter() - start) * 1000
        timings["rows in the page's DOM"] = page.evaluate(
            "() => document.querySelectorAll('tbody.bead').length")
        if errors:
            raise SystemExit(f"page errors: {errors}")
        browser.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beads", type=int, default=10_000)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--no-shuffle", action="store_true",
                        help="keep the sentences as they are (gzip then finds the repeats)")
    parser.add_argument("--keep", type=Path, help="also write the report here")
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"MQM data not found at {DATA}")
    report = build(args.beads, not args.no_reference, not args.no_shuffle)
    d = report.documents[0]
    start = time.perf_counter()
    page = render(report)
    elapsed = time.perf_counter() - start
    size = len(page.encode("utf-8"))
    text = sum(len(s.text.encode()) for doc in (d.source, d.target, d.reference) if doc
               for s in doc.segments)
    print(f"beads: {len(d.alignment):,}  issues: {len(d.issues):,}  "
          f"columns: {'source, translation, reference' if d.reference else 'source, translation'}")
    print(f"document text (UTF-8): {text / 1e6:.2f} MB")
    print(f"HTML report: {size / 1e6:.2f} MB ({size:,} bytes; budget 5 MB: "
          f"{'ok' if size < 5_000_000 else 'OVER'})")
    print(f"render in Python: {elapsed:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.html"
        path.write_text(page, encoding="utf-8")
        if args.keep:
            args.keep.write_text(page, encoding="utf-8")
        timings = browse(path)
    if timings is None:
        print("browser timings skipped: Playwright or Chromium is not installed")
        return
    for name, value in timings.items():
        print(f"{name}: {value:,.2f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
