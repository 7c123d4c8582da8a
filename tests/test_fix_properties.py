"""Property tests of ``mtqa fix`` (hypothesis), on documents (text, Markdown, TSV,
JSONL, XLIFF, PO) built from pieces that the fixing checks fire on, pieces they must
leave alone, and the syntax of each format:

* the bytes outside the edited spans are unchanged (encoding, BOM, line ends, markup);
* fixing twice gives what fixing once gave;
* after fixing, ``mtqa check`` finds none of the fixed issues and no new issue.
"""
from __future__ import annotations

import codecs
import json
import tempfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mtqa.checks.base import Context
from mtqa.checks.registry import enabled_checks
from mtqa.config import Config
from mtqa.errors import InputError
from mtqa.fixes.apply import FileFix, Options, fix_bytes
from mtqa.model import Bead
from mtqa.pipeline import check_files, load_inputs

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# Rules only, as `mtqa fix` runs them: an encoder-based check (AL03/AL04) is no fix's
# business, and the bundled model would make every example slow.
CONFIG = Config(target_lang="en", encoder="none")
CHECKS = enabled_checks(CONFIG)

_PIECES = [
    "The office met", "twice in May.", "Volunteers came", "  ", " , ", ",", ";", ".",
    'the" clean water "campaign', 'it "bold ".', "245000", "1,200", "\uff0c", "\uff1a",
    "\u3002", " -- ", "--", "the the", "study together and study together", "we",
    "Villagers cleaned the banks together, Share the results", "cleanup+forest",
    "%s", "{count}", "<b>", "</b>", "`a  b , c`", "[the  list](http://x.org/a  b)",
    "\u201cquoted\u201d", "'single'", "caf\u00e9", "\u4e2d\u6587", "U.S.", "e.g.",
]
_LINES = ["Search this site:", "Home >> News >> Local", "Text zoom:", "Share to:", "Print"]

words = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map(" ".join)
lines = st.lists(words | st.sampled_from(_LINES) | st.just(""), min_size=1, max_size=8)


def _document(fmt: str, body: list[str], newline: str, final: bool) -> tuple[str, str]:
    """(file name, content) of a document of format ``fmt`` with ``body`` lines."""
    if fmt == "md":
        text = "---\ntitle: a  b , c\n---\n\n" + "\n".join(body) + "\n\n```\nx  y , z\n```"
    elif fmt == "tsv":
        text = "\n".join(f"\u6e90 ,  x\t{line}" for line in body if line.strip())
    elif fmt == "jsonl":
        text = "\n".join(json.dumps({"source": "\u6e90", "target": line}, ensure_ascii=n % 2 == 0)
                         for n, line in enumerate(body) if line.strip())
    elif fmt == "xlf":
        units = "".join(
            f'<trans-unit id="{n}"><source>\u6e90 ,  x</source><target>'
            + (f'<g id="{n}">{escape(line)}</g>' if n % 3 == 0 else escape(line))
            + "</target></trans-unit>\n" for n, line in enumerate(body) if line.strip())
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2"><file '
                'source-language="zh" target-language="en" datatype="plaintext" '
                f'original="x"><body>\n{units}</body></file></xliff>')
    elif fmt == "po":
        text = 'msgid ""\nmsgstr "Language: en\\n"\n' + "".join(
            f'\nmsgid "\u6e90 ,  {n}"\nmsgstr {_po_string(line, n % 2 == 1)}\n'
            for n, line in enumerate(body) if line.strip())
    else:
        text = "\n".join(body)
    if not any(x.strip() for x in body):
        text = "The office met."
        fmt = "txt"
    text = text.replace("\n", newline) + (newline if final else "")
    return f"doc.{fmt}", text


def _po_string(line: str, continued: bool) -> str:
    """A msgstr value; ``continued`` writes it as an empty string and two continuation
    lines split mid-text, as gettext wraps long strings."""
    def quoted(part: str) -> str:
        return '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if not continued:
        return quoted(line)
    half = len(line) // 2
    return f'""\n{quoted(line[:half])}\n{quoted(line[half:])}'


documents = st.builds(_document, st.sampled_from(["txt", "md", "tsv", "jsonl", "xlf", "po"]),
                      lines,
                      st.sampled_from(["\n", "\r\n"]), st.booleans())
encodings = st.sampled_from([("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                             ("utf-16-le", codecs.BOM_UTF16_LE)])


def _fix(data: bytes, name: str, unsafe: bool = False, passes: int = 5) -> FileFix:
    """Fix a generated document; one that is not a document (only markup, no prose)
    is an input error and not an example."""
    try:
        return fix_bytes(data, name, CONFIG, CHECKS, None, Options(unsafe, passes))
    except InputError:
        assume(False)
        raise


def _encode(text: str, encoding: tuple[str, bytes]) -> bytes:
    return encoding[1] + text.encode(encoding[0])


@FAST
@given(doc=documents, encoding=encodings, unsafe=st.booleans())
def test_bytes_outside_the_edited_spans_are_unchanged(doc: tuple[str, str],
                                                      encoding: tuple[str, bytes],
                                                      unsafe: bool) -> None:
    name, text = doc
    data = _encode(text, encoding)
    result = _fix(data, name, unsafe, passes=1)
    assert result.after.startswith(encoding[1])
    after = result.after[len(encoding[1]):].decode(encoding[0])
    rebuilt, pos = [], 0
    for start, end, replacement in result.first_edits:
        assert pos <= start <= end <= len(text)
        # Never inside the markup that is not prose in these documents.
        assert not any(mark in text[start:end] for mark in ("`", "%s", "{count}", "<",
                                                             "http", "\t", '"target"',
                                                             "&", "msgid", "\u6e90"))
        if not name.endswith(".jsonl"):  # JSON escapes are rewritten, others never
            assert "\\" not in text[start:end]
        rebuilt += [text[pos:start], replacement]
        pos = end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == after
    assert after.endswith(("\n", "\r\n")) == text.endswith(("\n", "\r\n"))
    assert ("\r\n" in after) <= ("\r\n" in text)


@FAST
@given(doc=documents, encoding=encodings, unsafe=st.booleans())
def test_fixing_twice_is_fixing_once(doc: tuple[str, str], encoding: tuple[str, bytes],
                                     unsafe: bool) -> None:
    name, text = doc
    once = _fix(_encode(text, encoding), name, unsafe)
    twice = _fix(once.after, name, unsafe)
    assert twice.after == once.after and twice.applied == ()


def _codes(path: Path) -> Counter[str]:
    report = check_files([str(path)], config=CONFIG)
    return Counter(i.code for i in report.documents[0].issues)


def _all_codes(path: Path) -> Counter[str]:
    """Every issue in the file, also those a debris line hides: a debris check
    (EX01-EX03) silences the noise checks on its segment, and once ``mtqa fix``
    removes the debris line, what it hid is reported -- it was there before."""
    item = load_inputs([str(path)], config=CONFIG)[0]
    beads = item.alignment or tuple(Bead((), (j,)) for j in range(len(item.target.segments)))
    ctx = Context(target=item.target, source=item.source, reference=item.reference,
                  alignment=beads, config=CONFIG)
    return Counter(i.code for c in CHECKS if c.applies(ctx) for i in c.run(ctx))


@FAST
@given(doc=documents, unsafe=st.booleans())
def test_after_fixing_no_fixed_issue_and_no_new_issue_is_found(doc: tuple[str, str],
                                                              unsafe: bool) -> None:
    name, text = doc
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(text.encode("utf-8"))
        try:
            before = _all_codes(path)
        except InputError:
            assume(False)  # not a document (no prose): nothing to fix
            return
        result = _fix(path.read_bytes(), name, unsafe)
        path.write_bytes(result.after)
        after = _codes(path)
    # Issues fixed on the first pass were in the file; later passes fix issues that
    # earlier fixes exposed (a Latin comma, then the space before it), never new ones.
    fixed = Counter(a.issue.code for a in result.applied if a.pass_number == 1)
    if fixed["FL05"]:
        # FL07 reads where a sentence ends. A full stop put between two run-on
        # sentences (an unsafe fix) lets it see that the paragraph's last sentence has
        # none either: a problem of the text before, hidden while it was one sentence.
        after.pop("FL07", None)
    if fixed["EX01"] or fixed["EX02"] or fixed["EX03"]:
        # A debris line removed from a paragraph joins what stood around it: a
        # sentence end it hid ("... met" / "Search this site:") is reported (FL07),
        # and so is a phrase it interrupted ("The office met" / debris / "The office
        # met", FL01/FL02). Both were in the text the reader saw, around the debris.
        for code in ("FL01", "FL02", "FL07"):
            after.pop(code, None)
    if fixed["LO01"]:
        # FL05 reads Latin commas only: once a Chinese comma is one, the comma splice
        # it stood in ("\uff0c The office met") is reported. It was there before.
        after.pop("FL05", None)
    if fixed["FL01"] or fixed["FL02"]:
        # A doubled phrase removed can leave a unit's translation equal to another
        # unit's: if their sources differ, CO03 (one translation for different sources)
        # asks whether both are right. The text after the fix raises that question;
        # the doubled text hid it.
        after.pop("CO03", None)
    for code, count in after.items():
        assert count <= max(0, before[code] - fixed[code]), (code, before, fixed, after)
