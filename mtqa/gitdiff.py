"""What changed since a git ref: files (``git diff --name-only``) and lines
(``git diff -U0``), for ``mtqa gate --changed-since REF``."""
from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from mtqa.errors import InputError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=root,
                              capture_output=True, text=True, encoding="utf-8",
                              errors="surrogateescape", check=False)
    except FileNotFoundError:
        raise InputError(None, "--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["git failed"])[-1]
        raise InputError(str(root), f"git {' '.join(args[:2])}: {message}")
    return done.stdout


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
    diff = _git(top, "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames",
                base(top, ref), "--",
                *map(str, wanted))
    current: Path | None = None
    for line in diff.split("\n"):
        if line.startswith("+++ "):
            name = line[4:].rstrip("\t")
            current = None if name == "/dev/null" else (top / name[2:]).resolve()
            continue
        m = _HUNK.match(line)
        if m and current is not None:
            start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
            lines = out.setdefault(current, set())
            if lines is not None:
                lines.update(range(start, start + count))
    return out
