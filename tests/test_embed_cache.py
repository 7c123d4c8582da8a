"""Encoders and the embedding cache: hits, concurrent writers, corruption, size bound."""
from __future__ import annotations

import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from mtqa.alignment.embed import (
    CachedEncoder,
    EmbeddingCache,
    UnknownEncoderError,
    cache_dir,
    load_encoder,
    normalise,
    text_key,
)
from mtqa.testing import FakeEncoder


def test_fake_encoder_is_deterministic_and_normalised() -> None:
    enc = FakeEncoder()
    a = enc.encode(["The river is clean.", "The river is clean!", "Stock prices fell."])
    b = FakeEncoder().encode(["The river is clean."])
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.allclose(a[0], b[0])
    assert a[0] @ a[1] > 0.8 > 0.3 > a[0] @ a[2]


def test_cache_serves_repeated_texts_without_encoding(tmp_path: Path) -> None:
    inner = FakeEncoder()
    enc = CachedEncoder(inner, EmbeddingCache(tmp_path / "c.sqlite3"))
    texts = ["one sentence", "another sentence", "one sentence"]
    first = enc.encode(texts)
    assert inner.encoded == 2  # the repeated text is encoded once
    again = enc.encode(texts)
    assert inner.encoded == 2
    assert np.allclose(first, again)
    # A new process (a new encoder object) reads the file.
    inner2 = FakeEncoder()
    fresh = CachedEncoder(inner2, EmbeddingCache(tmp_path / "c.sqlite3")).encode(texts)
    assert inner2.encoded == 0
    assert np.array_equal(first, fresh)  # stored exactly: a cached run is the same run


def test_keys_depend_on_encoder_and_text() -> None:
    assert text_key("a", "x") != text_key("b", "x")
    assert text_key("a", "x") != text_key("a", "y")
    assert text_key("a", "x") == text_key("a", "x")


def _writer(args: tuple[str, int]) -> int:
    path, worker = args
    cache = EmbeddingCache(Path(path))
    for batch in range(10):
        items = {f"w{worker}-{batch}-{k}": np.full(8, worker, dtype=np.float32)
                 for k in range(20)}
        items["shared"] = np.ones(8, dtype=np.float32)
        cache.put(items)
    return len(cache.get([f"w{worker}-9-{k}" for k in range(20)]))


def test_concurrent_writers(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite3")
    with ProcessPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(_writer, [(path, w) for w in range(4)]))
    assert found == [20, 20, 20, 20]
    cache = EmbeddingCache(Path(path))
    keys = [f"w{w}-{b}-{k}" for w in range(4) for b in range(10) for k in range(20)]
    got = cache.get(keys + ["shared"])
    assert len(got) == len(keys) + 1
    assert np.allclose(got["w3-5-7"], 3.0)


def test_corrupt_cache_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    inner = FakeEncoder()
    enc = CachedEncoder(inner, EmbeddingCache(path))
    vec = enc.encode(["a sentence"])
    assert vec.shape == (1, inner.dim)
    assert "rebuilding" in caplog.text
    # The rebuilt file is a working cache.
    inner2 = FakeEncoder()
    CachedEncoder(inner2, EmbeddingCache(path)).encode(["a sentence"])
    assert inner2.encoded == 0


def test_cache_broken_after_opening_is_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = EmbeddingCache(path)
    cache.put({"k": np.ones(4, dtype=np.float32)})
    conn = sqlite3.connect(str(path))
    conn.execute("DROP TABLE emb")
    conn.commit()
    conn.close()
    assert cache.get(["k"]) == {}  # the error is caught, the file rebuilt
    cache.put({"k": np.ones(4, dtype=np.float32)})
    assert "k" in cache.get(["k"])


def test_unwritable_cache_switches_itself_off(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = EmbeddingCache(blocker / "sub" / "c.sqlite3")  # parent is a file
    cache.put({"k": np.ones(4, dtype=np.float32)})
    assert cache.get(["k"]) == {}
    assert not cache.enabled


def test_cache_size_is_bounded_in_bytes_on_disk(tmp_path: Path) -> None:
    bound = 1024 * 1024
    cache = EmbeddingCache(tmp_path / "c.sqlite3", max_bytes=bound)
    rng = np.random.default_rng(0)
    for batch in range(10):  # 10 x 500 rows of 1 KiB: five times the bound
        cache.put({f"{batch}-{k}": rng.standard_normal(256).astype(np.float32)
                   for k in range(500)})
        on_disk = sum(p.stat().st_size for p in tmp_path.iterdir()
                      if p.name in ("c.sqlite3", "c.sqlite3-wal"))
        assert on_disk == cache.disk_bytes() <= bound
    conn = sqlite3.connect(str(tmp_path / "c.sqlite3"))
    (count,) = conn.execute("SELECT COUNT(*) FROM emb").fetchone()
    conn.close()
    # Most of the bound holds rows (16 KiB pages: no half-empty page per row).
    assert count >= 500 and count * 1024 > 0.6 * bound
    # The most recent rows are the ones kept.
    assert len(cache.get([f"9-{k}" for k in range(500)])) == 500


def test_cache_dir_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    assert EmbeddingCache().path.parent == tmp_path


def test_load_encoder_is_cached_per_process_and_no_cache_skips_disk() -> None:
    assert load_encoder("fake", cache=False) is load_encoder("fake", cache=False)
    enc = load_encoder("fake", cache=False)
    assert isinstance(enc, CachedEncoder) and enc.disk is None
    assert enc.id == FakeEncoder().id


def test_unknown_encoder_spec() -> None:
    with pytest.raises(UnknownEncoderError):
        load_encoder("no-such-model")


def test_enormous_text_is_clipped_before_encoding(tmp_path: Path) -> None:
    inner = FakeEncoder()
    enc = CachedEncoder(inner, None)
    vec = enc.encode(["word " * 200_000])
    assert vec.shape == (1, inner.dim)


def test_normalise_keeps_zero_rows() -> None:
    out = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_a_locked_cache_is_skipped_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    EmbeddingCache(path).put({"k": np.ones(4, dtype=np.float32)})
    holder = sqlite3.connect(str(path))
    holder.execute("BEGIN EXCLUSIVE")  # another process writing, for longer than we wait
    try:
        cache = EmbeddingCache(path, timeout=0.1)
        cache.put({"other": np.ones(4, dtype=np.float32)})
    finally:
        holder.rollback()
        holder.close()
    after = EmbeddingCache(path).get(["k", "other"])
    assert "k" in after  # the file was left alone
    assert "other" not in after  # the write was skipped, not waited for
