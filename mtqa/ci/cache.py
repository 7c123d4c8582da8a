"""A cache of document reports for ``mtqa gate``, so that a second run over a
repository checks only the documents whose files changed.

The key hashes everything the report depends on (its *binding*): the exact bytes (and
report names) of the target, source and reference files, the settings, the bytes of the
glossaries, the aligner, the version and source code of mtqa itself and the packages
installed beside it, so that an edited file or check never serves an old result. Values
are JSON (not pickle: the cache folder lives in the repository, and loading a pickle
from a folder a pull request can write to would run its code). Issues are cached before suppressions, the baseline and
the changed-lines filter are applied.

Entries are verified on read, because the folder may hold files someone else wrote (a
pull request can commit a ``.mtqa_cache`` folder, and a CI cache can be restored from
another branch's run). Each entry records its key and its binding, and carries an
HMAC-SHA256 over both and the report, made with a secret that lives outside the
repository: ``$MTQA_CACHE_KEY`` when set (a CI secret), else a random key that mtqa
creates once in the user cache folder (``$MTQA_CACHE_DIR``). An entry whose MAC, key or
binding does not match is ignored and the document checked again. Anyone who can read
that secret can forge entries, so the secret must never be in the repository or in a
cache a pull request can write (see the README, "Restoring the result cache in CI").
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtqa import model
from mtqa.config import Config
from mtqa.model import Examined, Severity
from mtqa.version import __version__

FORMAT = "mtqa.cache/4"
KEY_FILE = "result-cache.key"
# Every value class of the model, found rather than listed: a list once left out the
# segments and units of XLIFF/TMX/PO files, so their reports never decoded and every
# lookup missed without a word.
_TYPES: dict[str, type] = {name: cls for name, cls in vars(model).items()
                           if isinstance(cls, type) and dataclasses.is_dataclass(cls)
                           and cls.__module__ == model.__name__}


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of mtqa's own source files."""
    h = hashlib.sha256(__version__.encode())
    # The package root, wherever in it this module sits.
    package = Path(model.__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".tsv") and path.is_file():
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def environment_hash() -> str:
    """A hash of the packages installed where mtqa runs (the names of the ``*.dist-info``
    folders on ``sys.path``, which carry name and version): an upgraded sacrebleu or
    numpy may change a report as much as an edited check. Listing folders takes a
    millisecond; importlib.metadata would take a fifth of a warm gate run."""
    h = hashlib.sha256()
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".")
                           if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        h.update("\0".join([entry, *names]).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _file_hash(path: str | None) -> str:
    if path is None:
        return "-"
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return "unreadable"  # the check itself reports the error; never cache it


def binding(names: tuple[str | None, ...], config: Config, aligner: str) -> dict[str, Any]:
    """What one document's report depends on, hashed: its files as named in reports,
    the settings, the glossaries, the aligner, and mtqa's version and code."""
    return {
        "mtqa": __version__,
        "code": code_hash(),
        "packages": environment_hash(),
        "config": hashlib.sha256(repr(config).encode()).hexdigest(),
        "aligner": aligner,
        "glossaries": [_file_hash(g) for g in config.glossaries],
        # A parameters file of `mtqa fit` changes the estimate, so its bytes count too.
        "estimate": (_file_hash(config.estimate)
                     if config.estimate not in ("", "default") else None),
        "files": [[name, _file_hash(name)] if name is not None else None for name in names],
    }


def key(names: tuple[str | None, ...], config: Config, aligner: str) -> str:
    """The cache key of one document: the hash of its ``binding``."""
    return digest_of(binding(names, config, aligner))


def digest_of(bound: dict[str, Any]) -> str:
    text = json.dumps(bound, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(f"{FORMAT}\0{text}".encode()).hexdigest()


def cache_dir() -> Path:
    """Where mtqa keeps its caches: ``$MTQA_CACHE_DIR`` or the platform's user cache dir."""
    env = os.environ.get("MTQA_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mtqa", appauthor=False))


def secret() -> bytes:
    """The key that signs cache entries: ``$MTQA_CACHE_KEY``, else a random key kept in
    the user cache folder (created on first use, readable by its owner only; a key file
    that others may read, or that another user owns, is not used). Failing that, a key
    for this process only: nothing is served from the cache, and nothing forged is."""
    env = os.environ.get("MTQA_CACHE_KEY")
    if env:
        return hashlib.sha256(env.encode()).digest()
    path = cache_dir() / KEY_FILE
    for _ in range(50):
        try:
            data = path.read_bytes()
            info = path.stat()
            if hasattr(os, "getuid") and (info.st_mode & 0o077 or info.st_uid != os.getuid()):
                # Not a key mtqa made for this user (git checks files out 0644, never
                # 0600): perhaps one a pull request committed. Trust nothing signed.
                return secrets.token_bytes(32)
            if len(data) == 32:
                return data
            if len(data) > 32 or time.time() - path.stat().st_mtime > 5:
                return secrets.token_bytes(32)  # not ours: trust nothing, change nothing
            time.sleep(0.02)  # another process is writing it: wait for it
            continue
        except FileNotFoundError:
            pass
        except OSError:
            return secrets.token_bytes(32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.")  # 0600
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
            try:
                os.link(tmp, path)  # fails if another process made one first: use that
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        except OSError:
            return secrets.token_bytes(32)
    return secrets.token_bytes(32)


def _mac(secret_key: bytes, digest: str, body: bytes) -> str:
    return hmac.new(secret_key, digest.encode() + b"\n" + body, hashlib.sha256).hexdigest()


_PLAIN = (str, int, float, bool, type(None))


def encode(value: Any) -> Any:
    """A JSON-able form of a report value that ``decode`` turns back into an equal one.
    Dataclasses are stored by position: compact, and quick to read back."""
    if isinstance(value, _PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if _TYPES.get(type(value).__name__) is not type(value):
            raise TypeError(f"cannot cache a {type(value).__name__}")
        return {"@": type(value).__name__,
                "v": [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    if isinstance(value, Severity):
        return {"@": "Severity", "v": value.value}
    if isinstance(value, tuple):
        return {"@": "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"@": "dict", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list):
        return [decode(v) for v in value]
    tag, items = value["@"], value["v"]
    if tag == "tuple":
        return tuple([decode(v) for v in items])
    if tag == "dict":
        return {decode(k): decode(v) for k, v in items}
    if tag == "Severity":
        return Severity(items)
    cls = _TYPES.get(tag)
    if cls is None:
        raise ValueError(f"unknown cached type {tag!r}")
    return cls(*[decode(v) for v in items])


class Cache:
    """Signed reports by key in ``folder`` (created with a .gitignore on first write).
    ``rejected`` counts entries that were there but failed verification."""

    def __init__(self, folder: Path, secret_key: bytes | None = None) -> None:
        self.folder = folder
        self.secret = secret_key if secret_key is not None else secret()
        self.rejected = 0  # entries that failed verification (the gate warns)

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest[2:]}.json"

    def has(self, digest: str) -> bool:
        """Whether an entry is stored under ``digest`` (not yet read or verified: ``get``
        does that at the entry's turn, so that one decoded report is held at a time)."""
        return self._path(digest).is_file()

    def get(self, digest: str, bound: dict[str, Any]) -> tuple[Examined, str] | None:
        """The report stored under ``digest``, if its MAC verifies with our secret and
        it was stored for exactly ``bound``; None otherwise."""
        try:
            raw = self._path(digest).read_bytes()
        except OSError:
            return None  # absent or unreadable: check again
        try:
            mac, _, body = raw.partition(b"\n")
            if not hmac.compare_digest(mac.decode("ascii"), _mac(self.secret, digest, body)):
                raise ValueError("bad MAC")
            data = json.loads(body.decode("utf-8"))
            if data.get("format") != FORMAT or data.get("key") != digest \
                    or data.get("binding") != bound or digest_of(bound) != digest:
                raise ValueError("stored for other inputs")
            found = decode(data["document"]), str(data["signature"])
            if not isinstance(found[0], Examined):
                raise ValueError("not a checked document")
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeError):
            self.rejected += 1
            return None
        return found

    def put(self, digest: str, bound: dict[str, Any], document: Examined,
            signature: str) -> None:
        path = self._path(digest)
        try:
            if not self.folder.exists():
                self.folder.mkdir(parents=True)
                (self.folder / ".gitignore").write_text("# written by mtqa\n*\n")
            path.parent.mkdir(exist_ok=True)
            body = json.dumps({"format": FORMAT, "key": digest, "binding": bound,
                               "signature": signature, "document": encode(document)},
                              ensure_ascii=False).encode("utf-8")
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_mac(self.secret, digest, body).encode("ascii") + b"\n" + body)
                os.replace(tmp, path)
            except OSError:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # a read-only checkout still gets checked, just not cached
