"""Writing a report or a baseline file where the user asked, without side effects.

A report is written whole or not at all: to a temporary file beside the target, then
renamed over it, so that an interrupted run never leaves half a report. What the target
is decides how:

* a character device or a FIFO (``/dev/stdout``, ``/dev/null``, a named pipe) is written
  directly: renaming over it would replace the device with a regular file, and as root in
  a container that breaks ``/dev/null`` for every later command. ``/dev/stdout`` (or
  ``/dev/fd/N``) redirected to a file is added to, as the shell's stream would be;
* a symbolic link is followed and its target written atomically (the link stays a link);
* a file without write permission is refused (exit 2), never silently replaced, even by
  root, who could;
* the job summary file of GitHub Actions (the path in ``$GITHUB_STEP_SUMMARY``) is
  added to, as GitHub asks of every step, so that ``--output
  markdown=$GITHUB_STEP_SUMMARY`` keeps what earlier steps wrote there;
* a path that cannot be written (``/proc/x.html``, a full disk) is an ``InputError``
  naming the path, exit 2.

The temporary file is unnamed where Linux allows (``O_TMPFILE``), so even ``kill -9``
leaves nothing behind; elsewhere it is a hidden ``.NAME.*.tmp`` removed on any error.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from mtqa.errors import InputError

# A report too large to hold as one string: a function that gives its bytes in pieces,
# from the start each time it is called (a failed attempt may be tried another way).
Chunks = Callable[[], Iterable[bytes]]


def write_report(path: Path, text: str | Chunks) -> None:
    """Write ``text`` (as UTF-8, ``\\n`` line ends; or the bytes ``text()`` gives) to
    ``path``, as described above."""
    name = str(path)
    if isinstance(text, str):
        encoded = text.encode("utf-8")

        def data() -> Iterable[bytes]:
            return (encoded,)
    else:
        data = text
    try:
        info: os.stat_result | None = os.stat(path)  # symlinks followed, /proc's too
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(name, f"cannot write: {exc.strerror or exc}") from None
    try:
        if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            _write_stream(path, data)
            return
        if info is not None and _is_step_summary(path):
            _write_stream(path, data, os.O_APPEND)
            return
        if info is not None and _open_descriptor(path):
            # /dev/stdout redirected to a file: add to it as the shell's stream does,
            # rather than put a new file in its place behind the shell's back.
            _write_stream(path, data, os.O_APPEND)
            return
        target = Path(os.path.realpath(path))  # a symlink's target; the path otherwise
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise InputError(name, "cannot write: not a regular file, a device or a FIFO")
        if info is not None and (not info.st_mode & 0o222 or not os.access(target, os.W_OK)):
            raise InputError(name, "cannot write: the file is read-only; not replaced")
        mode = stat.S_IMODE(info.st_mode) if info is not None else _new_file_mode()
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace_atomically(target, data, mode)
    except OSError as exc:
        raise InputError(name, f"cannot write: {exc.strerror or exc}") from None


def _is_step_summary(path: Path) -> bool:
    """Whether ``path`` is the file that ``$GITHUB_STEP_SUMMARY`` names."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return False
    try:
        return os.path.samefile(path, summary)
    except OSError:
        return False


# /proc/PID/fd: the folder of a process's open file descriptors (/dev/stdout, /dev/fd/N
# lead there).
_FD_FOLDER = re.compile(r"/proc/(?:self|thread-self|\d+)(?:/task/\d+)?/fd")


def _open_descriptor(path: Path) -> bool:
    """Whether ``path`` leads, through symlinks, to an open file descriptor of ours."""
    hop = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a chain of symlinks
        if _FD_FOLDER.fullmatch(os.path.realpath(os.path.dirname(hop))):
            return True
        if not os.path.islink(hop):
            return False
        hop = os.path.join(os.path.dirname(hop), os.readlink(hop))
    return False


def _write_stream(target: Path, data: Chunks, flags: int = 0) -> None:
    # No O_CREAT and no O_TRUNC: a device or a pipe is written as it is, like `> FILE`.
    fd = os.open(target, os.O_WRONLY | flags | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: Chunks) -> None:
    for piece in data():
        view = memoryview(piece)
        while view:
            view = view[os.write(fd, view):]


def _new_file_mode() -> int:
    # The mode any new file gets (0666 less the umask): a report is for sharing.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _replace_atomically(target: Path, data: Chunks, mode: int) -> None:
    tmp = _unnamed_copy(target, data, mode)
    if tmp is None:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), mode)
                _write_all(fh.fileno(), data)  # unbuffered: nothing left to flush
                os.fsync(fh.fileno())
        except BaseException:
            _remove(tmp)
            raise
    try:
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise


def _unnamed_copy(target: Path, data: Chunks, mode: int) -> str | None:
    """Write ``data`` to an unnamed ``O_TMPFILE`` in ``target``'s folder and link it to
    a temporary name only once it is complete; None where the OS or file system has no
    ``O_TMPFILE`` (the caller then uses a named temporary file)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        fd = os.open(target.parent, flag | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        os.fchmod(fd, mode)
        _write_all(fd, data)
        os.fsync(fd)  # complete on disk before it gets a name
        for attempt in range(100):
            tmp = str(target.parent / f".{target.name}.{os.getpid()}.{attempt}.tmp")
            try:
                os.link(f"/proc/self/fd/{fd}", tmp, follow_symlinks=True)
                return tmp
            except FileExistsError:
                continue
            except OSError:
                return None  # no /proc to name it through: use a named file instead
        return None
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
