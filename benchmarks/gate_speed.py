"""How fast `mtqa gate` checks a repository: 200 zh->en Markdown pairs of about 50
sentences, with a cold and a warm result cache, and with 1 and 2 worker processes.

    python benchmarks/gate_speed.py [--pairs 200] [--sentences 50] [--keep DIR]

The sentences are the Chinese sources and English machine translations of the WMT23
MQM data in /work/shared/data/mqm (read at run time, never copied into the project);
without it, generated sentences are used. Each timing is a fresh `python -m mtqa gate`
process, as in CI (imports included), best of --repeat runs. A last table measures, in
one process, from which batch size two workers beat one (batch.MIN_PARALLEL).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MQM = ROOT.parent / "shared" / "data" / "mqm" / "wmt23_zhen_dev.jsonl"
if not MQM.exists():
    MQM = Path("/work/shared/data/mqm/wmt23_zhen_dev.jsonl")


def sentences() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    seen = set()
    if MQM.exists():
        for line in MQM.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            src, tgt = row["source"].strip(), row["target"].strip()
            if src and tgt and "\n" not in src + tgt and src not in seen:
                seen.add(src)
                pairs.append((src, tgt))
    if len(pairs) < 100:
        pairs = [(f"第{i}次会议讨论了河流清理工作。", f"Meeting {i} discussed the river "
                  "clean-up work.") for i in range(1000)]
    return pairs


def build(folder: Path, count: int, per_doc: int) -> None:
    pool = sentences()
    for n in range(count):
        rows = [pool[(n * per_doc + k) % len(pool)] for k in range(per_doc)]
        for lang, side in (("zh", 0), ("en", 1)):
            paras = [("" if lang == "zh" else " ").join(r[side] for r in rows[i:i + 5])
                     for i in range(0, per_doc, 5)]
            path = folder / "docs" / lang / f"page{n:03d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {'页面' if lang == 'zh' else 'Page'} {n}\n\n"
                            + "\n\n".join(paras) + "\n", encoding="utf-8")
    (folder / "mtqa.toml").write_text(
        'source-lang = "zh"\ntarget-lang = "en"\nfail-under = 0\n\n[[pairs]]\n'
        'source = "docs/zh/*.md"\ntarget = "docs/en/{relpath}"\n', encoding="utf-8")


def timed_gate(folder: Path, *args: str, repeat: int = 1, clear_cache: bool = False) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "true"}
    best = float("inf")
    for _ in range(repeat):
        if clear_cache:
            shutil.rmtree(folder / ".mtqa_cache", ignore_errors=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mtqa", "gate", "--quiet", *args],
                              cwd=folder, capture_output=True, text=True,
                              env=env)
        best = min(best, time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"mtqa gate failed: {done.stderr}")
    return best


def crossover(folder: Path, sizes: list[int]) -> list[tuple[int, float, float]]:
    sys.path.insert(0, str(ROOT))
    os.chdir(folder)
    from mtqa.gate import GateOptions, run_gate
    from mtqa.project import load_project

    project = load_project()
    targets = sorted(str(p.relative_to(folder)) for p in (folder / "docs" / "en").glob("*.md"))
    run_gate(project, GateOptions(paths=tuple(targets[:2]), jobs=1))  # warm imports
    out = []
    for size in sizes:
        row = [size]
        for jobs in (1, 2):
            start = time.perf_counter()
            run_gate(project, GateOptions(paths=tuple(targets[:size]), jobs=jobs))
            row.append(time.perf_counter() - start)
        out.append((row[0], row[1], row[2]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mtqa-gate-bench-"))
    try:
        build(folder, args.pairs, args.sentences)
        words = sum(len(p.read_text(encoding="utf-8").split())
                    for p in (folder / "docs" / "en").glob("*.md"))
        print(f"{args.pairs} pairs x {args.sentences} sentences ({words} English words), "
              f"{len(os.sched_getaffinity(0))} cores, data: "
              f"{'WMT23 zh-en MQM' if MQM.exists() else 'generated'}")
        cold1 = timed_gate(folder, "--jobs", "1", repeat=args.repeat, clear_cache=True)
        warm = timed_gate(folder, "--jobs", "1", repeat=args.repeat)
        cold2 = timed_gate(folder, "--jobs", "2", repeat=args.repeat, clear_cache=True)
        print(f"{'run':<34}{'seconds':>9}{'docs/s':>9}")
        for label, secs in (("cold cache, 1 process", cold1), ("cold cache, 2 processes", cold2),
                            ("warm cache (all hits)", warm)):
            print(f"{label:<34}{secs:9.2f}{args.pairs / secs:9.1f}")
        print(f"speed-up from 2 processes: {cold1 / cold2:.2f}x; warm/cold: {warm / cold1:.2f}")
        print("load average (1, 5, 15 min) after the runs: "
              + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
        print(f"\n{'documents':>9}{'1 process':>11}{'2 processes':>13}  (in one process, no cache)")
        for size, one, two in crossover(folder, [4, 8, 16, 32, 64]):
            print(f"{size:>9}{one:11.3f}{two:13.3f}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
