"""``mtqa check`` reads, checks and reports a document at a time (issue 15): every
``<file>`` of an XLIFF is a document of its own, read from a file decoded and parsed a
piece at a time, and what the run keeps of a checked document is what its format needs.
These tests hold it to giving the same results as checking everything at once."""
from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner
from xliff_units import file_element, xliff

from mtqa.cli import app
from mtqa.cli_inputs import shown_from
from mtqa.config import Config
from mtqa.errors import InputError
from mtqa.formatters import renderer
from mtqa.formatters.json_format import Spool, render
from mtqa.model import Report
from mtqa.pipeline import check_files, slimmed, stream_files
from mtqa.readers import iter_bilingual, read_bilingual, safexml
from mtqa.testing import FakeEncoder

# The units are made to have issues: with one left in English, a file's target may read
# as English, which the run warns about.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
LOC = Path(__file__).parent / "data" / "loc"
def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


THREE = [file_element('original="a.txt"', 7), file_element('id="second"', 5, 7), file_element("", 6, 12)]


def test_each_file_element_is_a_document_named_after_it(tmp_path: Path) -> None:
    path = tmp_path / "three.xlf"
    path.write_text(xliff(THREE), encoding="utf-8")
    docs = list(iter_bilingual(path))
    assert [t.path for _, t, _ in docs] == [f"{path}#a.txt", f"{path}#second", f"{path}#file-3"]
    assert [len(t.segments) for _, t, _ in docs] == [7, 5, 6]
    # Each document's segments keep their lines in the whole file; unit ids are the file's.
    _, second, _ = docs[1]
    assert second.segments[0].line == 1 + 2 + 8 + 2  # declaration, root, file a, own head
    assert [u.id for u in second.units] == [f"u{n}" for n in range(7, 12)]
    assert {s.lang for s, _, _ in docs} == {"en"} and {t.lang for _, t, _ in docs} == {"de"}


def test_one_file_element_keeps_the_plain_name(tmp_path: Path) -> None:
    path = tmp_path / "one.xlf"
    path.write_text(xliff([file_element('original="a.txt"', 4)]), encoding="utf-8")
    (_, target, _), = iter_bilingual(path)
    assert target.path == str(path)
    # ...and reads as the whole-file reader (mtqa gate, mtqa fix) reads it.
    assert target == read_bilingual(path)[1]


def test_file_elements_without_units_make_no_document(tmp_path: Path) -> None:
    path = tmp_path / "gaps.xlf"
    empty = '<file source-language="en" target-language="de" original="x"><body/></file>'
    path.write_text(xliff([empty, file_element('original="b"', 3), empty]), encoding="utf-8")
    assert [t.path for _, t, _ in iter_bilingual(path)] == [f"{path}#b"]
    path.write_text(xliff([empty, empty]), encoding="utf-8")
    with pytest.raises(InputError, match="no translation units"):
        list(iter_bilingual(path))


def _without_paths(document: dict) -> dict:
    text = json.dumps(document)
    return json.loads(re.sub(r'"path": "[^"]*"', '"path": null', text))


def test_a_document_checks_as_it_would_alone(tmp_path: Path) -> None:
    """Checked among others, a ``<file>`` gets the issues, scores and verdict it gets
    in a file of its own. The lone files keep the other files' lines blank, so that
    every line and column is comparable too."""
    whole = xliff(THREE)
    path = tmp_path / "three.xlf"
    path.write_text(whole, encoding="utf-8")
    code, out, err = _check(str(path), "--format", "json", "--encoder", "fake", "--no-cache")
    together = json.loads(out)["documents"]
    assert len(together) == 3 and code == 1, err
    for i, element in enumerate(THREE):
        lone = tmp_path / f"alone{i}.xlf"
        lone.write_text(_lone(whole, element), encoding="utf-8")
        _, out, _ = _check(str(lone), "--format", "json", "--encoder", "fake", "--no-cache")
        (alone,) = json.loads(out)["documents"]
        assert _without_paths(alone) == _without_paths(together[i])
        assert alone["issues"], "the units are made to have issues"


def _lone(whole: str, element: str) -> str:
    """``whole`` with every ``<file>`` but ``element`` made blank lines."""
    start = whole.index(element)
    before, after = whole[:start], whole[start + len(element):]
    head, _, rest = before.partition('<xliff version="1.2">\n')
    blank = re.sub(r"[^\n]", "", rest)
    tail_files, _, end = after.rpartition("</xliff>")
    return (head + '<xliff version="1.2">\n' + blank + element
            + re.sub(r"[^\n]", "", tail_files) + "</xliff>" + end)


@pytest.mark.parametrize("extra", [[], ["--min-severity", "major"]])
def test_json_is_byte_for_byte_the_whole_report(tmp_path: Path, extra: list[str]) -> None:
    path = tmp_path / "three.xlf"
    path.write_text(xliff(THREE), encoding="utf-8")
    files = [str(path), str(LOC / "shop.de.po"), str(LOC / "memory.tmx")]
    code, out, _ = _check(*files, "--format", "json", "--no-encoder", *extra)
    report = check_files(files, config=Config(encoder="none"))
    if extra:
        report = shown_from(report, "major")
    assert out == render(report)
    assert code == (0 if report.passed else 1)
    written = tmp_path / "out" / "report.json"
    _check(*files, "--format", "json", "--no-encoder", "--output", str(written), *extra)
    assert written.read_text(encoding="utf-8") == out


def test_the_spool_of_no_document_is_the_empty_report() -> None:
    spool = Spool()
    report = Report(documents=(), signature="s", passed=True)
    assert b"".join(spool.chunks(report)).decode() == render(report)
    # Chunks may be asked for again (a failed atomic write is retried another way).
    assert b"".join(spool.chunks(report)) == b"".join(spool.chunks(report))
    spool.close()


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "markdown", "summary"])
def test_slimmed_documents_render_as_whole_ones(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "three.xlf"
    path.write_text(xliff(THREE), encoding="utf-8")
    files = [str(path), str(LOC / "app.de.xlf")]
    _, out, _ = _check(*files, "--format", fmt, "--no-encoder")
    report = check_files(files, config=Config(encoder="none"))
    assert out == renderer(fmt)(report)
    slim = Report(tuple(slimmed(d) for d in report.documents), report.signature,
                  report.passed, report.settings, report.rules)
    assert renderer(fmt)(slim) == out


def test_bilingual_units_are_encoded_once() -> None:
    encoder = FakeEncoder()
    report = check_files([str(LOC / "app.de.xlf")], encoder=encoder)
    units = len(report.documents[0].target.segments)
    assert encoder.encoded == 2 * units  # each side once: similarities and estimate share


def test_a_bad_min_severity_stops_the_run_before_it_reads(tmp_path: Path) -> None:
    code, out, err = _check(str(tmp_path / "missing.xlf"), "--min-severity", "huge")
    assert code == 2 and out == ""
    assert "min-severity" in err and "missing.xlf" not in err
    assert len(err.strip().splitlines()) == 1


def _peak(path: Path, config: Config) -> int:
    """Peak traced memory of ``mtqa check`` on ``path`` (what the CLI keeps: slimmed
    documents), after a first run has loaded what every run loads once."""
    tracemalloc.start()
    try:
        run, documents = stream_files([str(path)], config=config)
        kept = [slimmed(d) for d in documents]
        assert kept and run.report(kept)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_with_the_largest_document_not_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """40 and 80 files of 100 units: twice the documents cost a few pointers a unit
    more (what a report keeps of a checked document), not twice the memory, and far
    less than holding every document would (measured on two of the same documents,
    held whole). The files are read in 64 KiB pieces here (1 MiB in use), so that
    small files show what large ones do."""
    monkeypatch.setattr(safexml, "CHUNK", 1 << 16)
    config = Config(encoder="none")
    paths = {}
    for files in (2, 40, 80):
        paths[files] = tmp_path / f"{files}.xlf"
        # Good translations: the issues a report keeps are not what this measures.
        paths[files].write_text(xliff([file_element(f'original="f{i}"', 100, kinds=1)
                                        for i in range(files)]), "utf-8")
    assert paths[40].stat().st_size > 4 * safexml.CHUNK
    _peak(paths[2], config)  # the language models, rules and estimate parameters load once
    forty, eighty = _peak(paths[40], config), _peak(paths[80], config)
    tracemalloc.start()
    try:
        held = list(stream_files([str(paths[2])], config=config)[1])
        two_held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(held) == 2
    kept_per_unit = (eighty - forty) / (40 * 100)
    assert kept_per_unit < 200, (forty, eighty)  # bytes: pointers, not segments
    assert eighty < 40 * two_held / 3, (eighty, two_held)  # measured: about a sixth


def test_a_large_file_is_read_in_pieces_and_stays_guarded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over ``CHUNK`` bytes the file is decoded and parsed a piece at a time: CRLF line
    ends still count one line, an entity declaration is still refused, a bad byte is
    still reported on its line (64 KiB pieces here, 1 MiB in use)."""
    monkeypatch.setattr(safexml, "CHUNK", 1 << 16)
    units = safexml.CHUNK // 25  # a unit line is over 100 bytes: four pieces or more
    body = xliff([file_element('original="a"', units // 2), file_element('original="b"', units // 2)])
    assert len(body.encode()) > 4 * safexml.CHUNK
    lf, crlf = tmp_path / "lf.xlf", tmp_path / "crlf.xlf"
    lf.write_text(body, encoding="utf-8")
    crlf.write_bytes(body.replace("\n", "\r\n").encode())
    by_lf = [(t.path, t.segments) for _, t, _ in iter_bilingual(lf)]
    by_crlf = [(t.path.replace("crlf", "lf"), t.segments) for _, t, _ in iter_bilingual(crlf)]
    assert by_lf == by_crlf and len(by_lf) == 2

    bomb = tmp_path / "bomb.xlf"
    bomb.write_text(body.replace('<xliff version="1.2">', '<!DOCTYPE xliff [<!ENTITY a "aaaa">'
                                 ']>\n<xliff version="1.2">'), encoding="utf-8")
    with pytest.raises(InputError, match="entity declarations are not allowed"):
        list(iter_bilingual(bomb))
    code, _, err = _check(str(bomb), "--no-encoder")
    assert code == 2 and "entity" in err

    damaged = tmp_path / "damaged.xlf"
    data = body.encode()
    at = data.index(b"</target>", len(data) - 5000)
    damaged.write_bytes(data[:at] + b"\xc3\x28" + data[at:])
    with pytest.raises(InputError) as caught:
        list(iter_bilingual(damaged))
    assert caught.value.line == data.count(b"\n", 0, at) + 1
