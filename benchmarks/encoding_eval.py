"""How mtqa decodes damaged UTF-8 and legacy-encoded files, before and after the
"almost UTF-8" rule (a file that is UTF-8 but for a few bad bytes is refused with their
line and column instead of being handed to the encoding detector).

Documents are the WMT MQM data (``/work/shared/data/mqm``): German translations (one
file per document and system) and Chinese sources (one file per document). Cases:

* ``legacy``: German saved as cp1252 and Chinese saved as GBK: these must still be
  decoded, to the same text (a refusal here is a false alarm of the new rule);
* ``damaged-k``: the UTF-8 file with k non-ASCII characters cut (their second byte
  replaced by ``(``, as in ``C3 28``): these must be refused, never decoded to other
  text.

The baseline is the detector alone (what mtqa did before: charset-normalizer's guess).
Outcomes: ``same`` (decoded to the original text), ``refused`` (an InputError),
``garbled`` (decoded, to some other text). Run: ``python benchmarks/encoding_eval.py``.
"""
from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtqa.errors import InputError  # noqa: E402
from mtqa.readers import encoding  # noqa: E402

DATA = Path("/work/shared/data/mqm")


def documents() -> list[tuple[str, str, str]]:
    """(kind, name, text): German MT per document and system, Chinese sources per document."""
    german: dict[tuple[str, str], list[str]] = defaultdict(list)
    chinese: dict[str, list[str]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for line in (DATA / "wmt23_ende.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        german[(row["doc"], row["system"])].append(row["target"])
    for line in (DATA / "wmt23_zhen_dev.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if (row["doc"], row["doc_seg_index"]) not in seen:
            seen.add((row["doc"], row["doc_seg_index"]))
            chinese[row["doc"]].append(row["source"])
    out = [("de", f"{d}/{s}", "\n".join(t) + "\n") for (d, s), t in sorted(german.items())]
    out += [("zh", d, "\n".join(t) + "\n") for d, t in sorted(chinese.items())]
    return [(k, n, t) for k, n, t in out if any(ord(c) > 127 for c in t)]


def damage(text: str, k: int, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    starts = [i for i, b in enumerate(data) if b >= 0xC2 and i + 1 < len(data)]
    for i in rng.sample(starts, min(k, len(starts))):
        data[i + 1] = ord("(")
    return bytes(data)


def new_rule(data: bytes) -> str:
    return encoding.decode(data, "f")


def detector_only(data: bytes) -> str:
    """mtqa before the rule: UTF-8, else the detector's guess."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = encoding._detect(data, "f", exc)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def outcome(decode: object, data: bytes, original: str) -> str:
    try:
        text = decode(data)  # type: ignore[operator]
    except InputError:
        return "refused"
    return "same" if text == original else "garbled"


def main() -> None:
    rng = random.Random(19)
    docs = documents()
    cases: list[tuple[str, bytes, str]] = []
    for kind, _, text in docs:
        legacy = "cp1252" if kind == "de" else "gbk"
        try:
            cases.append((f"legacy {kind} ({legacy})", text.encode(legacy), text))
        except UnicodeEncodeError:
            pass  # a character the legacy encoding lacks: no such file can exist
        for k in (1, 3):
            cases.append((f"damaged-{k} {kind}", damage(text, k, rng), text))
    started = time.perf_counter()
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for label, data, original in cases:
        for name, fn in (("detector only (before)", detector_only), ("mtqa (after)", new_rule)):
            table[(label, name)][outcome(fn, data, original)] += 1
    print(f"{len(docs)} documents, {len(cases)} files, "
          f"{time.perf_counter() - started:.1f} s\n")
    print("| Files | Decoder | same | refused | garbled |")
    print("|---|---|---:|---:|---:|")
    for (label, name), counts in sorted(table.items()):
        print(f"| {label} | {name} | {counts['same']} | {counts['refused']} | "
              f"{counts['garbled']} |")


if __name__ == "__main__":
    main()
