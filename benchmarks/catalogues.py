"""Human-translated software catalogues: does the default gate pass them, how precise
are the remaining flags, and how does mtqa compare with pofilter?

    python benchmarks/catalogues.py                # gate, flags and precision
    python benchmarks/catalogues.py --pofilter     # + pofilter findings side by side
    python benchmarks/catalogues.py --speed        # + speed and memory on 12,000 units

The catalogues are the Chinese (zh_Hans, zh_CN) and German PO files shipped in the
Django and Sphinx wheels on PyPI. The script downloads the pinned wheels with
``pip download --no-deps`` into ``--wheels`` (default ``~/.cache/mtqa-bench/wheels``)
unless they are there already; nothing is committed but the verdicts.

``benchmarks/data/catalogue_verdicts.tsv`` holds a person's reading of every flag the
default checks raise on these files (``real`` or ``false``, with a note); the script
joins the flags with it and prints precision. A flag the file does not list is counted
as ``unread`` (the verdicts are out of date: read the new flags and add them).

pofilter (translate-toolkit) is needed only for ``--pofilter`` and ``--speed``:
``pip install translate-toolkit``. It is never a dependency of mtqa.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mtqa.config import Config  # noqa: E402
from mtqa.pipeline import check_files  # noqa: E402

WHEELS = {"django": "5.2.19", "sphinx": "9.0.4"}
LANGS = ("zh_Hans", "zh_CN", "de")
VERDICTS = Path(__file__).parent / "data" / "catalogue_verdicts.tsv"
# pofilter's checks and the mtqa check that does the same job (None: no counterpart).
COUNTERPARTS = {
    "endpunc": "SW01", "startcaps": "SW02", "accelerators": "SW03", "newlines": "SW04",
    "tabs": "SW04", "escapes": "SW05", "startwhitespace": "SW06", "endwhitespace": "SW06",
    "doublequoting": "SW07", "short": "SW08", "long": "SW08", "xmltags": "TG01/TG02/SW09",
    "printf": "TG01/TG02", "pythonbraceformat": "TG01/TG02", "variables": "TG01/TG02",
    "unchanged": "AC02", "untranslated": "TG05", "numbers": "AC03", "urls": "AC04",
    "doublewords": "FL01", "brackets": "FL04", "puncspacing": "FL06",
}


def fetch(wheels: Path) -> list[Path]:
    """The wheels, downloaded with pip when missing."""
    wheels.mkdir(parents=True, exist_ok=True)
    found = []
    for name, version in WHEELS.items():
        path = wheels / f"{name}-{version}-py3-none-any.whl"
        if not path.exists():
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                            f"{name}=={version}", "-d", str(wheels)], check=True)
        found.append(path)
    return found


def extract(wheels: list[Path], into: Path) -> list[Path]:
    """The Chinese and German catalogues of the wheels, extracted under ``into``."""
    out = []
    pattern = re.compile(rf"/locale/({'|'.join(LANGS)})/LC_MESSAGES/[^/]+\.po$")
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            for name in sorted(zf.namelist()):
                if pattern.search(name):
                    zf.extract(name, into)
                    out.append(into / name)
    return out


def short(path: Path, root: Path) -> str:
    return str(path.relative_to(root))


def mtqa_flags(files: list[Path], root: Path) -> tuple[list[dict[str, str]], dict[str, bool], int]:
    """Every issue of the default checks, per file; whether each file passes the gate;
    the number of units read."""
    flags, passed, units = [], {}, 0
    config = Config()
    for path in files:
        report = check_files([str(path)], None, None, config)
        doc = report.documents[0]
        passed[short(path, root)] = doc.passed
        src, tgt = doc.source, doc.target
        units += len(tgt.segments)
        for issue in doc.issues:
            seg = issue.target.segment if issue.target else 0
            flags.append({
                "file": short(path, root), "code": issue.code,
                "unit": tgt.units[seg].id if seg < len(tgt.units) else str(seg),
                "source": src.segments[seg].text if src is not None else "",
                "target": tgt.segments[seg].text, "message": issue.message,
            })
    return flags, passed, units


def read_verdicts() -> dict[tuple[str, str, str, str], tuple[str, str]]:
    if not VERDICTS.exists():
        return {}
    with VERDICTS.open(encoding="utf-8", newline="") as f:
        return {(r["file"], r["code"], r["unit"], r["message"]): (r["verdict"], r["note"])
                for r in csv.DictReader(f, delimiter="\t")}


def write_unread(flags: list[dict[str, str]], path: Path) -> None:
    """The flags without a verdict, as rows to read and add to the verdicts file."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["file", "code", "unit", "message", "verdict", "note", "source", "target"])
        for fl in flags:
            w.writerow([fl["file"], fl["code"], fl["unit"], fl["message"], "", "",
                        _one_line(fl["source"]), _one_line(fl["target"])])


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def report_precision(flags: list[dict[str, str]], passed: dict[str, bool], units: int,
                     unread_out: Path | None) -> None:
    verdicts = read_verdicts()
    by_code: dict[str, Counter[str]] = {}
    unread = []
    for fl in flags:
        key = (fl["file"], fl["code"], fl["unit"], fl["message"])
        verdict = verdicts.get(key, ("unread", ""))[0]
        if verdict == "unread":
            unread.append(fl)
        by_code.setdefault(fl["code"], Counter())[verdict] += 1
    print(f"{len(passed)} catalogues, {units} units; default gate passes "
          f"{sum(passed.values())}: fails {', '.join(f for f, ok in passed.items() if not ok) or 'none'}")
    print("\n| check | flags | real | false | unread |\n|---|---|---|---|---|")
    total: Counter[str] = Counter()
    for code in sorted(by_code):
        c = by_code[code]
        total += c
        print(f"| {code} | {sum(c.values())} | {c['real']} | {c['false']} | {c['unread']} |")
    print(f"| all | {sum(total.values())} | {total['real']} | {total['false']} | {total['unread']} |")
    for label, codes in (("all flags", None), ("without TG05 (empty msgstr)", {"TG05"})):
        real = sum(c["real"] for k, c in by_code.items() if not codes or k not in codes)
        false = sum(c["false"] for k, c in by_code.items() if not codes or k not in codes)
        if real + false:
            print(f"precision, {label}: {real / (real + false):.3f} ({real} real, {false} false)")
    if unread and unread_out is not None:
        write_unread(unread, unread_out)
        print(f"{len(unread)} flags without a verdict written to {unread_out}")


def pofilter_findings(files: list[Path], root: Path) -> Counter[str]:
    """Units each pofilter check fails, over all files (pofilter's default checks)."""
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            lang = path.parts[-3]
            out = Path(tmp) / "out.po"
            out.unlink(missing_ok=True)
            subprocess.run([_pofilter(), f"--language={lang}", str(path), "-o", str(out)],
                           check=True, capture_output=True)
            if not out.exists():
                continue  # pofilter writes nothing when no unit fails
            for line in out.read_text(encoding="utf-8").splitlines():
                m = re.match(r"# \(pofilter\) (\w+):", line)
                if m:
                    counts[m.group(1)] += 1
    return counts


def _pofilter() -> str:
    exe = Path(sys.executable).parent / "pofilter"
    if not exe.exists():
        sys.exit("pofilter not found: pip install translate-toolkit")
    return str(exe)


def report_pofilter(files: list[Path], root: Path, flags: list[dict[str, str]]) -> None:
    pf = pofilter_findings(files, root)
    ours = Counter(fl["code"] for fl in flags)
    print("\n| pofilter check | pofilter units | mtqa counterpart | mtqa flags |\n|---|---|---|---|")
    for check, n in pf.most_common():
        codes = COUNTERPARTS.get(check)
        mine = sum(ours[c] for c in codes.split("/")) if codes else 0
        print(f"| {check} | {n} | {codes or '-'} | {mine if codes else '-'} |")
    print(f"| all | {sum(pf.values())} | | {sum(ours.values())} |")


def big_catalogue(files: list[Path], units: int, out: Path) -> None:
    """A PO file of ``units`` translated units, the catalogues' own entries repeated with
    a msgctxt that keeps them distinct."""
    from mtqa.readers.po import parse_po
    pairs = []
    for path in files:
        if "zh" in str(path):
            parsed = parse_po(path.read_text(encoding="utf-8"), str(path))
            pairs += [(s.text, t.text) for s, t in zip(parsed.source, parsed.target) if t.text]
    lines = ['msgid ""', 'msgstr ""', '"Language: zh_CN\\n"',
             '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for n in range(units):
        src, tgt = pairs[n % len(pairs)]
        lines += [f'msgctxt "copy {n}"', f"msgid {_po_string(src)}", f"msgstr {_po_string(tgt)}", ""]
    out.write_text("\n".join(lines), encoding="utf-8")


def _po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of a fresh process.

    On a shared machine wall time mostly measures the other jobs; CPU time is what the
    tool itself spent."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def report_speed(files: list[Path], units: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big, one = Path(tmp) / "big.po", Path(tmp) / "one.po"
        big_catalogue(files, units, big)
        big_catalogue(files, 1, one)
        out = Path(tmp) / "report.json"
        tools = {
            "mtqa check (terminal report)": lambda p: [sys.executable, "-m", "mtqa", "check", str(p)],
            "mtqa check --format json": lambda p: [sys.executable, "-m", "mtqa", "check", str(p),
                                                   "--format", "json", "-o", str(out)],
            "pofilter": lambda p: [_pofilter(), "--language=zh_CN", str(p), "-o", str(out)],
        }
        print(f"\n| tool | start-up CPU (1 unit) | CPU, {units:,} units | CPU per unit "
              f"| wall, {units:,} units | peak RSS, {units:,} units |\n|---|---|---|---|---|---|")
        for name, cmd in tools.items():
            small = min(_run(cmd(one))[1] for _ in range(repeats))
            runs = [_run(cmd(big)) for _ in range(repeats)]
            wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
            rss = max(r[2] for r in runs)
            print(f"| {name} | {small:.2f} s | {cpu:.2f} s | {(cpu - small) / (units - 1) * 1000:.3f} ms "
                  f"| {wall:.1f} s | {rss:.0f} MB |")
        print(f"load average: {os.getloadavg()[0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", type=Path, default=Path.home() / ".cache" / "mtqa-bench" / "wheels")
    ap.add_argument("--pofilter", action="store_true", help="pofilter's findings side by side")
    ap.add_argument("--speed", action="store_true", help="speed and memory on --units units")
    ap.add_argument("--units", type=int, default=12000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--unread", type=Path, default=Path("catalogue_unread.tsv"),
                    help="where to write flags that have no verdict yet")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = extract(fetch(args.wheels), root)
        flags, passed, units = mtqa_flags(files, root)
        report_precision(flags, passed, units, args.unread)
        if args.pofilter:
            report_pofilter(files, root, flags)
        if args.speed:
            report_speed(files, args.units, args.repeats)


if __name__ == "__main__":
    main()
