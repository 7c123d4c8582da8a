"""Reading the rows back in input order, and writing the kept pairs in the input's
format (``OUT/kept/<input file name>``).

The kept file is a new file of the same format holding each kept pair's id, source,
target and reference: TSV lines, JSONL objects, Parquet columns, a TMX 1.4 with one
``<tu>`` per pair, or an XLIFF 1.2 with one ``<trans-unit>`` per pair. Inline codes
of TMX and XLIFF are written as the text mtqa read (its tokens), not as markup.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from mtqa.corpus.job import Job, Source

if TYPE_CHECKING:
    import pyarrow as pa


def ordered_tables(rows_dir: Path) -> Iterator[pa.Table]:
    """The row files of ``rows_dir`` as tables, in input order (``input``, ``index``).

    Each file holds a run of consecutive rows (one batch or more); files are taken in
    the order of their first row and sorted inside. Should two files' runs interleave
    (an engine that does not keep order), everything is sorted in memory instead.
    """
    import pyarrow.parquet as pq

    files = sorted(rows_dir.glob("*.parquet"))
    spans = []
    for path in files:
        keys = pq.read_table(path, columns=["input", "index"])
        if keys.num_rows:
            first = min(zip(keys["input"].to_pylist(), keys["index"].to_pylist()))
            last = max(zip(keys["input"].to_pylist(), keys["index"].to_pylist()))
            spans.append((first, last, path))
    spans.sort()
    if any(a[1] >= b[0] for a, b in itertools.pairwise(spans)):
        import pyarrow as pa

        table = pa.concat_tables([pq.read_table(p) for _, _, p in spans])
        yield table.sort_by([("input", "ascending"), ("index", "ascending")])
        return
    for _, _, path in spans:
        yield pq.read_table(path).sort_by([("input", "ascending"), ("index", "ascending")])


class KeptWriter:
    """Writes the kept pairs of one input, in its format, as they come."""

    def __init__(self, source: Source, path: Path) -> None:
        self.source = source
        self.path = path
        self.count = 0
        self._fh: IO[str] | None = None
        self._parquet: Any = None
        self._buffer: list[dict[str, Any]] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        fmt = source.format
        if fmt != "parquet":
            self._fh = path.open("w", encoding="utf-8", newline="\n")
        if fmt == "tmx":
            self._write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                        f'<header creationtool="mtqa" creationtoolversion="corpus" '
                        f'segtype="sentence" o-tmf="mtqa" adminlang="en" '
                        f'datatype="plaintext" srclang={quoteattr(source.source_lang)}/>\n'
                        '<body>\n')
        elif fmt == "xliff":
            self._write('<?xml version="1.0" encoding="UTF-8"?>\n'
                        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
                        f'<file original={quoteattr(Path(source.path).name)} '
                        f'source-language={quoteattr(source.source_lang)} '
                        f'target-language={quoteattr(source.target_lang)} '
                        'datatype="plaintext">\n<body>\n')

    def _write(self, text: str) -> None:
        assert self._fh is not None
        self._fh.write(text)

    def add(self, row: dict[str, Any]) -> None:
        self.count += 1
        fmt = self.source.format
        if fmt == "tsv":
            cells = [row["source"], row["target"]]
            if row["reference"] is not None:
                cells.append(row["reference"])
            self._write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells) + "\n")
        elif fmt == "jsonl":
            obj = {"id": row["id"], "source": row["source"], "target": row["target"]}
            if row["reference"] is not None:
                obj["reference"] = row["reference"]
            self._write(json.dumps(obj, ensure_ascii=False) + "\n")
        elif fmt == "parquet":
            self._buffer.append({k: row[k] for k in ("id", "source", "target", "reference")})
            if len(self._buffer) >= 10_000:
                self._flush_parquet()
        elif fmt == "tmx":
            self._write(f'<tu tuid={quoteattr(row["id"])}>'
                        f'<tuv xml:lang={quoteattr(self.source.source_lang)}>'
                        f'<seg>{escape(row["source"])}</seg></tuv>'
                        f'<tuv xml:lang={quoteattr(self.source.target_lang)}>'
                        f'<seg>{escape(row["target"])}</seg></tuv></tu>\n')
        else:
            self._write(f'<trans-unit id={quoteattr(row["id"])}>'
                        f'<source>{escape(row["source"])}</source>'
                        f'<target>{escape(row["target"])}</target></trans-unit>\n')

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(self._buffer, schema=pa.schema(
            [("id", pa.string()), ("source", pa.string()), ("target", pa.string()),
             ("reference", pa.string())]))
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.path, table.schema)
        self._parquet.write_table(table)
        self._buffer = []

    def close(self) -> None:
        if self.source.format == "parquet":
            if self._buffer or self._parquet is None:
                self._flush_parquet()
            self._parquet.close()
            return
        if self.source.format == "tmx":
            self._write("</body>\n</tmx>\n")
        elif self.source.format == "xliff":
            self._write("</body>\n</file>\n</xliff>\n")
        assert self._fh is not None
        self._fh.close()


def kept_paths(job: Job) -> list[Path]:
    """``OUT/kept/<name>`` per input; inputs that share a file name get their number."""
    names = [Path(s.path).name for s in job.inputs]
    return [job.out / "kept" / (name if names.count(name) == 1 else f"{n}-{name}")
            for n, name in enumerate(names)]
