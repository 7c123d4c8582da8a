"""Small corpora for the ``mtqa corpus`` tests: invented sentences, some good pairs, some
with a defect a check finds, and some rows that cannot be read."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GOOD = [
    ("Der Rat hat die neue Bibliothek am Samstag eröffnet.",
     "The council opened the new library on Saturday."),
    ("Hunderte Kinder standen vor den Türen Schlange.",
     "Hundreds of children queued at the doors."),
    ("Die Stadt hat 2019 drei neue Brücken gebaut.",
     "The city built three new bridges in 2019."),
    ("Das Museum bleibt im Winter montags geschlossen.",
     "The museum stays closed on Mondays in winter."),
]
# A pair whose number does not survive (AC03), and an untranslated one (AC02).
NUMBER = ("Der Zug fährt um 7 Uhr und hält 12 Mal.", "The train leaves at 8 and stops twice.")
SAME = ("Die Brücke wurde im Mai wieder geöffnet.", "Die Brücke wurde im Mai wieder geöffnet.")


def pairs(count: int) -> list[tuple[str, str]]:
    """``count`` pairs cycling through the good ones and the two defective ones."""
    pool = GOOD + [NUMBER, SAME]
    out = []
    for n in range(count):
        # A counter keeps the pairs distinct, but every 7th repeats the first.
        if n % 7 == 0:
            out.append(pool[0])
        else:
            src, tgt = pool[n % len(pool)]
            out.append((f"{src} ({n})", f"{tgt} ({n})"))
    return out


def write_tsv(path: Path, count: int, bad: bool = True) -> int:
    """A TSV of ``count`` pairs; with ``bad``, also three unreadable lines (a line of
    one column, one that is not UTF-8, one far too long). Returns the lines written
    that are not blank (each a pair or an error row)."""
    lines = [f"{s}\t{t}".encode() for s, t in pairs(count)]
    if bad:
        lines.insert(1, b"only one column here")
        lines.insert(3, "Gr\u00fc\u00dfe\tGreetings".encode("latin-1"))
        lines.insert(5, b"x" * 400_000 + b"\ty")
    path.write_bytes(b"\n".join(lines) + b"\n\n")
    return len(lines)


def write_jsonl(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for n, (s, t) in enumerate(pairs(count)):
            fh.write(json.dumps({"id": f"u{n}", "source": s, "target": t},
                                ensure_ascii=False) + "\n")


def write_tmx(path: Path, count: int, broken: bool = False) -> None:
    units = "".join(f'<tu tuid="t{n}"><tuv xml:lang="de-DE"><seg>{_x(s)}</seg></tuv>'
                    f'<tuv xml:lang="en-GB"><seg>{_x(t)}</seg></tuv></tu>\n'
                    for n, (s, t) in enumerate(pairs(count)))
    tail = "<tu><tuv" if broken else "</body></tmx>\n"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">'
                    '<header srclang="de-DE" datatype="plaintext" segtype="sentence" '
                    'adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/>\n'
                    f'<body>\n{units}{tail}', encoding="utf-8")


def write_xliff(path: Path, count: int) -> None:
    units = "".join(f'<trans-unit id="x{n}"><source>{_x(s)}</source>'
                    f'<target>{_x(t)}</target></trans-unit>\n'
                    for n, (s, t) in enumerate(pairs(count)))
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                    '<file original="a" source-language="de" target-language="en" '
                    f'datatype="plaintext"><body>\n{units}</body></file></xliff>\n',
                    encoding="utf-8")


def write_parquet(path: Path, count: int, nulls: int = 0) -> None:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    rows: list[dict[str, Any]] = [{"id": f"p{n}", "source": s, "target": t}
                                  for n, (s, t) in enumerate(pairs(count))]
    for n in range(nulls):
        rows[n * 2]["target"] = None
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=7)


def _x(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")
