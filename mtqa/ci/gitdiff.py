"""What changed since a git ref: files (``git diff --name-only``) and lines
(``git diff -U0``), for ``mtqa gate --changed-since REF``.

Two things could make the changed-lines filter drop real issues, and so make a gate
pass that should fail; both are handled here:

* git quotes a file name in a diff header when it holds a ``"``, a backslash, a tab,
  a newline or another control character (``+++ "b/a\"b.md"``), even with
  ``core.quotePath=false``. Headers are unquoted by git's own C-style rules, and only
  read outside hunks, so a changed line that starts with ``++`` is never taken for one.
* git splits lines at LF only, while mtqa's readers also end a line at a lone CR (old
  Mac files), so git sees such a file as one long line. A changed file with lone CRs is
  compared with its old version here, line by line as mtqa counts lines.
"""
from __future__ import annotations

import difflib
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from mtqa.errors import InputError

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _git(root: Path, *args: str) -> str:
    try:
        # Literal pathspecs: a file named "a[1].md" names that file, not a glob.
        done = subprocess.run(["git", "--literal-pathspecs", "-c", "core.quotePath=false",
                               *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError(None, "--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace")
        message = (error.strip().splitlines() or ["git failed"])[-1]
        raise InputError(str(root), f"git {' '.join(args[:2])}: {message}")
    # Decoded by hand, not with text=True: universal newlines would turn a lone CR in a
    # changed line into a line break and shift every hunk after it.
    return done.stdout.decode("utf-8", "surrogateescape")


def toplevel(folder: Path) -> Path:
    """The top folder of the git work tree that holds ``folder``."""
    return Path(_git(folder, "rev-parse", "--show-toplevel").strip()).resolve()


def base(top: Path, ref: str) -> str:
    """The commit to compare with: where HEAD branched from ``ref`` (as a pull request
    sees it: changes made on ``ref`` since then are not this branch's), else ``ref``."""
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    try:
        return _git(top, "merge-base", commit, "HEAD").strip() or commit
    except InputError:
        return commit  # unrelated histories, or no HEAD yet


def changed_files(folder: Path, ref: str) -> set[Path]:
    """Absolute paths of files changed, added or untracked since ``ref`` (the work tree
    compared with the merge base of ``ref`` and HEAD, so uncommitted edits count)."""
    top = toplevel(folder)
    names = _git(top, "diff", "--name-only", "--no-renames", "-z", base(top, ref),
                 "--").split("\0")
    names += _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return {(top / n).resolve() for n in names if n}


def changed_lines(folder: Path, ref: str, paths: Iterable[Path]) -> dict[Path, set[int] | None]:
    """For each of ``paths``: the 1-based line numbers added or changed since ``ref``;
    ``None`` for a file git does not track (all of it is new)."""
    top = toplevel(folder)
    wanted = sorted({p.resolve() for p in paths})
    out: dict[Path, set[int] | None] = {p: set() for p in wanted}
    if not wanted:
        return out
    untracked = set(_git(top, "ls-files", "--others", "--exclude-standard", "-z",
                         "--", *map(str, wanted)).split("\0")) - {""}
    for name in untracked:
        out[(top / name).resolve()] = None
    since = base(top, ref)
    # Explicit prefixes and no textconv: a user's diff.noPrefix or a textconv filter in
    # .gitattributes would otherwise change the names or the lines read below.
    diff = _git(top, "diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv",
                "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", since, "--",
                *map(str, wanted))
    # git shows no lines for a file it takes for binary (UTF-16 text, say): all of it
    # counts as changed, or its issues would all be dropped.
    numstat = _git(top, "diff", "--numstat", "-z", "--no-textconv", "--no-renames", since, "--",
                   *map(str, wanted))
    for entry in numstat.split("\0"):
        if entry.startswith("-\t-\t"):
            out[(top / entry[4:]).resolve()] = None
    for path, git_lines in _hunks(top, diff).items():
        lines = out.setdefault(path, set())
        if lines is None:
            continue
        try:
            lone_cr = _lone_cr(path.read_bytes())
        except OSError:
            lone_cr = False
        if lone_cr:
            out[path] = _cr_lines(top, since, path)
        else:
            lines.update(git_lines)
    return out


def _hunks(top: Path, diff: str) -> dict[Path, set[int]]:
    """Added or changed line numbers (as git counts lines) per file of a ``-U0`` diff."""
    found: dict[Path, set[int]] = {}
    current: Path | None = None
    pending = 0  # lines of the current hunk still to read: they are content, not headers
    for line in diff.split("\n"):
        if pending > 0:
            if not line.startswith("\\"):  # "\ No newline at end of file" is not a line
                pending -= 1
            continue
        if line.startswith("+++ "):
            name = unquote(line[4:])
            current = None if name == "/dev/null" else (top / name[2:]).resolve()
            continue
        m = _HUNK.match(line)
        if m and current is not None:
            old = int(m.group(2)) if m.group(2) is not None else 1
            start = int(m.group(3))
            count = int(m.group(4)) if m.group(4) is not None else 1
            pending = old + count
            found.setdefault(current, set()).update(range(start, start + count))
    return found


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def unquote(name: str) -> str:
    """A path as git writes it in a diff header, unquoted (git's ``quote_c_style``:
    a quoted name is in double quotes with C escapes and octal bytes)."""
    if not name.startswith('"'):
        # An unquoted name with a space ends with a tab that git adds after it.
        return name[:-1] if name.endswith("\t") else name
    out = bytearray()
    i = 1
    while i < len(name) and name[i] != '"':
        ch = name[i]
        if ch != "\\":
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
        elif name[i + 1:i + 2] in _ESCAPES:
            out.append(_ESCAPES[name[i + 1]])
            i += 2
        else:  # \ooo: one byte in octal
            out.append(int(name[i + 1:i + 4], 8))
            i += 4
    return out.decode("utf-8", "surrogateescape")


def _lone_cr(data: bytes) -> bool:
    return b"\r" in data.replace(b"\r\n", b"")


def _mtqa_lines(data: bytes) -> list[bytes]:
    """Lines as mtqa's readers count them: CRLF, LF and a lone CR each end one."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")


def _cr_lines(top: Path, commit: str, path: Path) -> set[int] | None:
    """Changed lines of a file with lone CRs, which git sees as one long line: diffed
    here, line by line as mtqa counts them. None when the old version is missing."""
    try:
        new = path.read_bytes()
        rel = path.relative_to(top).as_posix()
        old = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=top,
                             capture_output=True, check=False)
    except (OSError, ValueError):
        return None
    if old.returncode != 0:
        return None
    matcher = difflib.SequenceMatcher(None, _mtqa_lines(old.stdout), _mtqa_lines(new),
                                      autojunk=False)
    return {j + 1 for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal"
            for j in range(j1, j2)}
