"""Attacks on the gate, each replayed as a real file, git repository or process.

Every replay ends in one of two ways: the gate's verdict equals the verdict of a plain
full run (no cache, whole files), or the input is refused with exit code 2 and one line
on stderr. Nothing here touches the real /dev: devices are stood in for by a FIFO and a
symlink in a temporary folder.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from gitrepo import commit, gate_json, issues_of, make_repo, run, write
from typer.testing import CliRunner

from mtqa.cli import app
from mtqa.errors import InputError
from mtqa.writing import write_report

LOC = Path(__file__).parent / "data" / "loc"


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


def _one_line_error(err: str, name: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in err, err


# ------------------------------------------------------------------ changed lines

WEIRD_NAMES = ['quote"d.md', "back\\slash.md", "tab\there.md", "new\nline.md", "é accent.md",
               "glob[1].md"]


@pytest.mark.parametrize("name", WEIRD_NAMES, ids=repr)
def test_changed_lines_of_a_file_whose_name_git_quotes(tmp_path: Path, name: str) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo / "docs/zh" / name, "# 新\n\n新的页面。\n\n第二段。\n")
    write(repo / "docs/en" / name, "# New\n\nA new page.\n\nA second paragraph.\n")
    commit(repo, "add a page with an odd name")
    write(repo / "docs/en" / name, "# New\n\nA new page.\n\nA second second paragraph.\n")
    commit(repo, "a repeated word")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1", "--only-changed-lines")
    assert issues_of(report) == [(f"docs/en/{name}", "FL01", 5, "second second")]
    assert code == 1


def test_changed_lines_of_a_file_with_cr_only_line_ends(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    target = repo / "docs/en/guide/setup.md"
    old = "# Setup\r\rFirst install the tool.\r\rThen run the checks.\r"
    target.write_bytes(old.encode())
    commit(repo, "old Mac line ends")
    target.write_bytes(old.replace("run the", "run the the").encode())
    commit(repo, "a repeated word on line 5")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1", "--only-changed-lines")
    assert issues_of(report) == [("docs/en/guide/setup.md", "FL01", 5, "the the")]
    assert code == 1
    # An edit elsewhere in that single git line does not blame the untouched lines.
    target.write_bytes(old.replace("run the", "run the the").replace("First", "So").encode())
    commit(repo, "an edit on line 3 only")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1", "--only-changed-lines")
    assert issues_of(report) == [] and code == 0


def test_a_changed_line_that_starts_with_plus_signs_is_not_a_file_header(
        tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    path = repo / "docs/en/guide/usage.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n++ b/docs/en/intro.md\n\n"
                    "Check of of the output.\n", encoding="utf-8")
    commit(repo, "a line that looks like a diff header")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1", "--only-changed-lines")
    assert issues_of(report) == [("docs/en/guide/usage.md", "FL01", 7, "of of")]
    assert code == 1


def test_a_file_git_takes_for_binary_counts_as_wholly_changed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    path = repo / "docs/en/guide/setup.md"
    path.write_bytes("# Setup\n\nFirst install the tool. Then run the checks.\n"
                     .encode("utf-16"))
    commit(repo, "UTF-16")
    path.write_bytes("# Setup\n\nFirst install the the tool. Then run the checks.\n"
                     .encode("utf-16"))
    commit(repo, "a repeated word")
    full, full_report, _ = gate_json(repo, "--changed-since", "HEAD~1")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1", "--only-changed-lines")
    assert issues_of(report) == issues_of(full_report) == [
        ("docs/en/guide/setup.md", "FL01", 3, "the the")]
    assert code == full == 1


# ------------------------------------------------------------------ XML

def test_an_attlist_default_cannot_hide_every_unit(tmp_path: Path) -> None:
    text = (LOC / "app.de.xlf").read_text(encoding="utf-8")
    plain = tmp_path / "plain.xlf"
    plain.write_text(text, encoding="utf-8")
    assert _check(str(plain), "--encoder", "fake", "--format", "json")[0] == 1
    hostile = tmp_path / "hostile.xlf"
    hostile.write_text(text.replace(
        '<xliff version="1.2"',
        '<!DOCTYPE xliff [<!ATTLIST trans-unit translate CDATA "no">]>\n<xliff version="1.2"',
        1), encoding="utf-8")
    code, _, err = _check(str(hostile), "--encoder", "fake")
    assert code == 2 and "ATTLIST" in err
    _one_line_error(err, "hostile.xlf")


# ------------------------------------------------------------------ encodings

def test_almost_utf8_is_refused_at_the_bad_bytes_not_read_as_another_encoding(
        tmp_path: Path) -> None:
    path = tmp_path / "article.fr.md"
    good = ("# Le château\n\nLe château est très beau et la forêt est célèbre.\n\n"
            "Où était la fenêtre ? Elle était ouverte, près de l'église.\n")
    path.write_bytes(good.encode().replace("était ouverte".encode(), b"\xc3\x28tait ouverte"))
    code, _, err = _check(str(path), "--encoder", "fake")
    assert code == 2
    _one_line_error(err, "article.fr.md:5:")
    assert "column 28" in err and "C3 28" in err


def test_gbk_and_shift_jis_files_are_still_read_as_such(tmp_path: Path) -> None:
    from mtqa.readers.encoding import read_text

    # Double-byte text forms a valid UTF-8 sequence now and then: not "almost UTF-8".
    gbk = "志愿者清理了河岸。他们收集了垃圾。国务院新闻办公室今天举行新闻发布会。\n"
    (tmp_path / "zh.txt").write_bytes(gbk.encode("gbk"))
    assert read_text(tmp_path / "zh.txt") == gbk
    sjis = "日本語のテキストです。東京都の天気は晴れです。明日も晴れるでしょう。\n"
    (tmp_path / "ja.txt").write_bytes(sjis.encode("shift_jis"))
    assert read_text(tmp_path / "ja.txt") == sjis


# ------------------------------------------------------------------ writing reports

def test_output_to_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_report(fifo, "report\n")
    reader.join(10)
    assert got == [b"report\n"]
    assert fifo.is_fifo()


def test_output_to_a_terminal_device_is_written_in_place(tmp_path: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        device = Path(os.ttyname(follower))
        link = tmp_path / "tty"
        link.symlink_to(device)
        write_report(link, "to the terminal\n")
        assert os.read(leader, 100).replace(b"\r\n", b"\n") == b"to the terminal\n"
        assert device.is_char_device() and link.is_symlink()
    finally:
        os.close(leader)
        os.close(follower)


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real" / "report.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(target)
    write_report(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
    assert sorted(os.listdir(target.parent)) == ["report.html"]


def test_a_read_only_report_is_refused_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("A the the test.\n", encoding="utf-8")
    out = tmp_path / "report.json"
    out.write_text("keep", encoding="utf-8")
    out.chmod(0o444)
    code, _, err = _check(str(tmp_path / "a.md"), "--format", "json", "-o", str(out))
    assert code == 2 and "read-only" in err
    _one_line_error(err, str(out))
    assert out.read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_an_unwritable_path_is_exit_2() -> None:
    code, _, err = _check(str(LOC / "app.de.xlf"), "--encoder", "fake", "--format", "html",
                          "-o", "/proc/mtqa-report.html")
    assert code == 2
    _one_line_error(err, "/proc/mtqa-report.html")


def test_no_temporary_file_is_left_after_a_failed_write(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rename(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(InputError, match="No space left"):
        write_report(tmp_path / "report.html", "x" * 10_000)
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------ outputs

HOSTILE_NOTE = ('"use tool\n::error file=x::pwned\n::add-mask::hidden\n##vso[task.setvariable '
                'variable=x]1 @octocat ![x](https://evil.example/p.png) '
                '[y](https://evil.example) <img src=x onerror=alert(1)>\x1b]0;title\x07"')


def _hostile_repo(root: Path) -> Path:
    """A repository whose glossary note and file name carry CI log commands."""
    repo = make_repo(root, CONFIG_WITH_GLOSSARY)
    write(repo / "terms.csv", f"source,target,forbidden,note\n,tool,gadget,{HOSTILE_NOTE}\n")
    name = "evil\n::warning::name.md"
    write(repo / "docs/zh" / name, "# 工具\n\n我们每天用这个工具。\n")
    write(repo / "docs/en" / name, "# Tool\n\nWe use the gadget every day.\n")
    commit(repo, "hostile glossary and name")
    return repo


CONFIG_WITH_GLOSSARY = """\
[tool.mtqa]
source-lang = "zh"
target-lang = "en"
select = ["FL01", "AC01", "TE01"]
fail-on = "minor"
glossaries = ["terms.csv"]

[[tool.mtqa.pairs]]
source = "docs/zh/**/*.md"
target = "docs/en/{relpath}"
"""


def _no_log_command(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith(("::", "##")), line
        assert "##vso[" not in line.lower() and "##[" not in line, line


def test_summary_on_stdout_cannot_inject_workflow_commands(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path / "repo")
    code, out, err = run(repo, "gate")
    assert code == 1
    assert "pwned" in out and "\\n::error" in out and "name.md" in out
    _no_log_command(out)
    _no_log_command(err)
    assert "\x1b" not in out + err


def test_github_format_keeps_every_command_on_its_own_line(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path / "repo")
    code, out, _ = run(repo, "gate", "--format", "github", "--quiet")
    assert code == 1
    commands = [line.split(" ", 1)[0] for line in out.splitlines()]
    assert set(commands) <= {"::error", "::warning"} and "pwned" in out


def test_markdown_posts_no_link_image_html_or_mention(tmp_path: Path) -> None:
    import re

    repo = _hostile_repo(tmp_path / "repo")
    code, out, _ = run(repo, "gate", "--format", "markdown", "--quiet")
    assert code == 1 and "pwned" in out
    # Outside code spans and <code> elements, none of the hostile text is left.
    prose = re.sub(r"<code>.*?</code>", "", re.sub(r"`[^`\n]*`", "", out))
    for bad in ("@octocat", "](", "<img", "evil.example", "pwned", "::"):
        assert bad not in prose, bad
    for line in out.splitlines():
        if re.match(r"\| \d+ \| TE01 \|", line):  # a row of the issues table
            # One cell per column: no "|" from the note split the row.
            assert len(re.split(r"(?<!\\)\|", line)) == 7, line


def test_junit_stays_well_formed_with_control_characters(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    repo = _hostile_repo(tmp_path / "repo")
    code, out, _ = run(repo, "gate", "--format", "junit", "--quiet")
    assert code == 1
    root = ET.fromstring(out)
    names = [s.get("name") for s in root.findall("testsuite")]
    assert "docs/en/evil\n::warning::name.md" in names  # LF is allowed in XML: kept
    assert "\\x1b]0;title\\x07" in out


def test_rich_shows_escape_sequences_instead_of_sending_them(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    # Long enough that four control characters do not make it look like a binary file.
    path.write_text("The the tool\x1b[2J\x1b]0;owned\x07 works well.\n\n"
                    + "The volunteers cleaned the river bank and collected rubbish. " * 10
                    + "\n", encoding="utf-8")
    code, out, _ = _check(str(path), "--target-lang", "en", "--show-segments",
                          "--format", "rich")
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out
    assert "\u241b[2J" in out


# ------------------------------------------------------------------ result cache

def _cache_entries(repo: Path) -> list[Path]:
    return sorted((repo / ".mtqa_cache").glob("*/*.json"))


def _entry_of(repo: Path, target: str) -> Path:
    (found,) = [p for p in _cache_entries(repo)
                if f'"{target}"'.encode() in p.read_bytes().partition(b"\n")[2]]
    return found


def _forged_passing(doc_json: dict) -> dict:
    """The cached document with its issues removed (the gate caches documents before
    scoring: without issues, it passes)."""
    import json

    from mtqa.ci.cache import decode, encode

    doc = decode(doc_json)
    import dataclasses

    clean = dataclasses.replace(doc, issues=())
    return json.loads(json.dumps(encode(clean)))


def test_an_edited_cache_entry_is_not_trusted(tmp_path: Path) -> None:
    import json

    repo = make_repo(tmp_path / "repo")
    expected = run(repo, "gate", "--no-cache")[0]
    assert expected == 1 and run(repo, "gate")[0] == 1  # fills the cache
    entry = _entry_of(repo, "docs/en/guide/usage.md")
    mac, _, body = entry.read_bytes().partition(b"\n")
    data = json.loads(body)
    data["document"] = _forged_passing(data["document"])
    entry.write_bytes(mac + b"\n" + json.dumps(data).encode())
    code, out, err = run(repo, "gate")
    assert code == expected and "2 from the cache" in out
    assert "1 result cache entry failed verification" in err


def test_an_entry_signed_with_another_secret_is_not_trusted(tmp_path: Path) -> None:
    """What a pull request could commit: a .mtqa_cache made on its author's machine,
    with correct keys and bindings, for a document that fails."""
    import json

    from mtqa.ci.cache import Cache

    repo = make_repo(tmp_path / "repo")
    assert run(repo, "gate")[0] == 1
    entry = _entry_of(repo, "docs/en/guide/usage.md")
    data = json.loads(entry.read_bytes().partition(b"\n")[2])
    from mtqa.ci.cache import decode

    forged = decode(_forged_passing(data["document"]))
    Cache(repo / ".mtqa_cache", secret_key=b"the author's own key 32 bytes..").put(
        data["key"], data["binding"], forged, data["signature"])
    code, report, _ = gate_json(repo)
    assert code == 1 and issues_of(report) == [("docs/en/guide/usage.md", "FL01", 3, "the the")]


def test_a_valid_entry_moved_to_another_key_is_not_trusted(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    assert run(repo, "gate")[0] == 1
    failing = _entry_of(repo, "docs/en/guide/usage.md")
    passing = _entry_of(repo, "docs/en/intro.md")
    failing.write_bytes(passing.read_bytes())
    code, report, _ = gate_json(repo)
    assert code == 1 and [d["target"]["path"] for d in report["documents"]] == [
        "docs/en/guide/setup.md", "docs/en/guide/usage.md", "docs/en/intro.md"]


def test_the_cache_secret_stays_outside_the_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    run(repo, "gate")
    key_file = Path(os.environ["MTQA_CACHE_DIR"]) / "result-cache.key"
    assert len(key_file.read_bytes()) == 32 and key_file.stat().st_mode & 0o077 == 0
    secret = key_file.read_bytes()
    assert not [p for p in repo.rglob("*") if p.is_file() and secret in p.read_bytes()]


def test_the_cache_follows_every_input_byte(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    assert run(repo, "gate")[0] == 1
    path = repo / "docs/en/guide/usage.md"
    path.write_bytes(path.read_bytes().replace(b"the the", b"the"))  # fixed
    code, out, _ = run(repo, "gate")
    assert code == 0 and "2 from the cache" in out


# ------------------------------------------------------------------ paths in the config

SECRET_GLOSSARY = "source\ttarget\tforbidden\tnote\n\ttool\tgadget\tTOPSECRET-4711\n"


def _config_repo(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "outside.tsv").write_text(SECRET_GLOSSARY, encoding="utf-8")
    repo = make_repo(tmp_path / "repo", CONFIG_WITH_GLOSSARY.replace(
        'glossaries = ["terms.csv"]\n', extra))
    write(repo / "docs/en/intro.md", "# Introduction\n\nWe use the gadget every day.\n")
    return repo


@pytest.mark.parametrize("extra", [
    'glossaries = ["../outside.tsv"]\n',
    'baseline = "../outside.json"\n',
    'cache = "../cache-outside"\n',
    'output = {json = "../report-outside.json"}\n',
], ids=["glossary", "baseline", "cache", "output"])
def test_config_paths_may_not_leave_the_repository(tmp_path: Path, extra: str) -> None:
    repo = _config_repo(tmp_path, extra)
    code, out, err = run(repo, "gate")
    assert code == 2 and "outside the repository" in err and "TOPSECRET" not in out + err
    _one_line_error(err, "pyproject.toml")
    assert sorted(os.listdir(tmp_path)) == ["outside.tsv", "repo"]  # nothing written


def test_a_symlinked_translation_pointing_outside_is_refused(tmp_path: Path) -> None:
    repo = _config_repo(tmp_path, "")
    target = repo / "docs/en/intro.md"
    target.unlink()
    target.symlink_to(tmp_path / "outside.tsv")
    code, out, err = run(repo, "gate")
    assert code == 2 and "outside the repository" in err and "TOPSECRET" not in out + err


def test_a_path_given_on_the_command_line_may_point_outside(tmp_path: Path) -> None:
    repo = _config_repo(tmp_path, "")
    code, out, _ = run(repo, "check", "docs/en/intro.md", "--target-lang", "en",
                       "--glossary", str(tmp_path / "outside.tsv"), "--format", "json")
    assert code == 1 and "TOPSECRET-4711" in out


def test_a_symlink_inside_the_repository_is_fine(tmp_path: Path) -> None:
    repo = _config_repo(tmp_path, 'glossaries = ["terms/link.tsv"]\n')
    write(repo / "glossaries/real.tsv", SECRET_GLOSSARY)
    (repo / "terms").mkdir()
    (repo / "terms/link.tsv").symlink_to(repo / "glossaries/real.tsv")
    code, report, _ = gate_json(repo)
    assert code == 1 and ("docs/en/intro.md", "TE01", 3, "gadget") in issues_of(report)


# ------------------------------------------------------------------ FIFOs as inputs

def _mtqa(cwd: Path, *args: str) -> tuple[int, str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mtqa", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    return done.returncode, done.stderr


def test_a_fifo_glossary_is_refused_not_waited_for(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("We use the tool every day.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "terms.tsv")
    code, err = _mtqa(tmp_path, "check", "a.md", "--target-lang", "en", "-g", "terms.tsv")
    assert code == 2 and "not a regular file" in err
    _one_line_error(err, "terms.tsv")


def test_a_fifo_baseline_is_refused_not_waited_for(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    os.mkfifo(repo / "base.json")
    code, err = _mtqa(repo, "gate", "--baseline", "base.json", "--quiet")
    assert code == 2 and "not a regular file" in err
    _one_line_error(err, "base.json")


# ------------------------------------------------------------------ embedding cache

EXAMPLES = Path(__file__).parent.parent / "references" / "examples"


def _aligned(cache_dir: Path, *extra: str) -> dict:
    """`mtqa check` on the example pair in a real process, with its own cache folder."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mtqa", "check", str(EXAMPLES / "river-cleanup.mt.en.md"),
         "--source", str(EXAMPLES / "river-cleanup.zh.md"), "--encoder", "fake",
         "--format", "json", *extra],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "MTQA_CACHE_DIR": str(cache_dir)})
    assert done.stdout, done.stderr
    document = json.loads(done.stdout)["documents"][0]
    return {"alignment": document["alignment"], "issues": document["issues"],
            "code": done.returncode}


def _damage(db: Path, how: str) -> int:
    import sqlite3

    import numpy as np

    from mtqa.alignment.embed import _pack

    conn = sqlite3.connect(str(db))
    rows = conn.execute("SELECT key, dim, vec FROM emb").fetchall()
    for key, dim, blob in rows:
        vec = np.frombuffer(blob[:4 * dim], dtype=np.float32).copy()
        if how == "zeros":  # bytes damaged: the checksum fails
            new = (dim, bytes(len(blob)))
        elif how == "truncated":
            new = (dim // 2, blob[:2 * dim])
        elif how == "scaled":  # a consistent row (checksum fixed) of the wrong length
            new = (dim, _pack(key, vec * 3))
        elif how == "nan":
            vec[0] = np.nan
            new = (dim, _pack(key, vec))
        else:  # "dimension": unit rows of another size, checksums fixed
            short = vec[: dim // 2] / np.linalg.norm(vec[: dim // 2])
            new = (dim // 2, _pack(key, short.astype(np.float32)))
        conn.execute("UPDATE emb SET dim = ?, vec = ? WHERE key = ?", (*new, key))
    conn.commit()
    conn.close()
    return len(rows)


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _aligned(tmp_path_factory.mktemp("fresh"), "--no-cache")


@pytest.mark.parametrize("how", ["zeros", "truncated", "scaled", "nan", "dimension"])
def test_damaged_embedding_rows_are_recomputed(tmp_path: Path, how: str,
                                               uncached: dict) -> None:
    expected = uncached
    assert _aligned(tmp_path / "cache") == expected  # fills the cache
    assert _damage(tmp_path / "cache" / "embeddings.sqlite3", how) > 10
    assert _aligned(tmp_path / "cache") == expected
    # ...and the recomputed rows were stored again: a third run reads them back.
    assert _aligned(tmp_path / "cache") == expected


def test_a_rebuild_never_deletes_files_another_process_holds(tmp_path: Path) -> None:
    import numpy as np

    from mtqa.alignment.embed import EmbeddingCache

    path = tmp_path / "c.sqlite3"
    other = EmbeddingCache(path)  # another user of the cache, still running
    other.put({"k": np.ones(4, dtype=np.float32)})
    broken = EmbeddingCache(path)
    broken._fail(RuntimeError("disk image is malformed"))  # what a failed query calls
    assert path.exists() and not broken.enabled
    assert "k" in other.get(["k"])  # the other process was not pulled out from under
    other.clear()
    assert not path.exists()  # alone, it may rebuild


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="needs O_TMPFILE (Linux)")
def test_kill_9_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    out.mkdir()
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "import mtqa.writing as w\n"
        "def stall(fd):\n"
        "    Path(sys.argv[2]).write_text('writing')\n"
        "    time.sleep(60)\n"
        "w.os.fsync = stall\n"
        "w.write_report(Path(sys.argv[1]), 'x' * 1_000_000)\n")
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", script, str(out / "report.html"),
                             str(marker)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert os.listdir(out) == []


def test_changed_lines_ignore_a_users_diff_settings(tmp_path: Path) -> None:
    from gitrepo import git

    repo = make_repo(tmp_path / "repo")
    git(repo, "config", "diff.noprefix", "true")
    git(repo, "config", "diff.mnemonicPrefix", "true")
    # A textconv filter that would hide every change from the line diff.
    git(repo, "config", "diff.blank.textconv", "true")
    write(repo / ".gitattributes", "*.md diff=blank\n")
    commit(repo, "diff settings")
    path = repo / "docs/en/guide/usage.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nCheck of of the output.\n",
                    encoding="utf-8")
    commit(repo, "a new issue")
    code, report, _ = gate_json(repo, "--changed-since", "HEAD~1", "--only-changed-lines")
    assert issues_of(report) == [("docs/en/guide/usage.md", "FL01", 5, "of of")]
    assert code == 1


def test_an_input_error_naming_a_hostile_file_is_one_log_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    name = "bad\n::error::injected.md"
    write(repo / "docs/zh" / name, "# 新\n\n新的页面。\n")
    (repo / "docs/en" / name).write_bytes(b"\x00\x01binary\x00" * 50)
    code, out, err = run(repo, "gate", "--quiet")
    assert code == 2
    _one_line_error(err, "bad\\n::error::injected.md")
    _no_log_command(out + err)


def test_a_key_file_others_can_read_is_not_trusted(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A key checked out from git (mode 0644) may be one the pull request chose."""
    from mtqa.ci.cache import KEY_FILE, secret

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MTQA_CACHE_KEY", raising=False)
    key = tmp_path / KEY_FILE
    key.write_bytes(b"k" * 32)
    key.chmod(0o644)
    assert secret() != b"k" * 32 and secret() != secret()  # a fresh key each time
    key.chmod(0o600)
    assert secret() == b"k" * 32


def test_a_committed_cache_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (tmp_path / "elsewhere").mkdir()
    (repo / ".mtqa_cache").symlink_to(tmp_path / "elsewhere")
    code, _, err = run(repo, "gate")
    assert code == 2 and "outside the repository" in err
    assert os.listdir(tmp_path / "elsewhere") == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("into", ["pipe", "file"])
def test_output_to_stdout_through_a_link_reaches_the_stream(tmp_path: Path, into: str) -> None:
    import json
    import subprocess
    import sys

    (tmp_path / "a.md").write_text("A the the test.\n", encoding="utf-8")
    # What /dev/stdout is, made here so that the real /dev is never named.
    (tmp_path / "stdout").symlink_to("/proc/self/fd/1")
    args = [sys.executable, "-m", "mtqa", "check", "a.md", "--target-lang", "en",
            "--format", "json", "-o", "stdout"]
    if into == "pipe":
        done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, check=False)
        text = done.stdout
    else:
        out = tmp_path / "out.json"
        with out.open("w") as fh:
            done = subprocess.run(args, cwd=tmp_path, stdout=fh, stderr=subprocess.PIPE,
                                  text=True, timeout=120, check=False)
            inode = os.fstat(fh.fileno()).st_ino
        text = out.read_text(encoding="utf-8")
        assert out.stat().st_ino == inode  # the shell's file, not a new one in its place
    assert done.returncode == 1, done.stderr
    assert json.loads(text)["passed"] is False


def test_the_github_step_summary_is_added_to_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "step_summary"
    summary.write_text("## Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    write_report(summary, "## mtqa\n")
    assert summary.read_text(encoding="utf-8") == "## Earlier step\n## mtqa\n"
    # Any other file is still replaced whole.
    other = tmp_path / "report.md"
    other.write_text("old\n", encoding="utf-8")
    write_report(other, "new\n")
    assert other.read_text(encoding="utf-8") == "new\n"
