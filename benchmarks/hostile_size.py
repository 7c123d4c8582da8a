"""Hostile sizes: does ``mtqa check`` stay linear in time and memory?

Three series, each file checked by ``mtqa check --format json`` (with the fake
encoder, ``--encoder fake``: deterministic, no model to load, but every unit encoded and
estimated as with a real one) in a fresh process whose CPU time and peak RSS are read
with ``getrusage`` (CPU time rather than wall time, which a shared machine stretches):

* ``units``: an XLIFF 1.2 file of N translation units (English -> German, a third with
  placeholders, one in ten with inline tags), N = 10k ... 1M (1M units is a 200 MB
  file, mtqa's input size limit), all in one ``<file>``: one document. Linear means a
  flat "CPU us/unit" column.
* ``files``: an XLIFF file of N ``<file>``s of M units each (``NxM``), each ``<file>``
  a document of its own: memory should grow with the largest document, so peak RSS
  stays flat as N grows, and time per unit stays what it is for one document.
* ``gate``: ``mtqa gate`` on a folder of N XLIFF files of M units each (``NxM``),
  configured as one bilingual pair, in one process (``jobs = 1``, no result cache),
  writing SARIF (``--format sarif``) or, with ``--gate-format json``, JSON: with a
  format that lists issues, memory should grow with the largest file, not the folder.
* ``line``: a plain-text file that is one line of M megabytes with no sentence end,
  M = 1 ... 50: one segment, over the segment limit (``max-segment-chars``), reported
  once (EX08) and not checked. Linear means a flat "CPU s/MB" column.

    python benchmarks/hostile_size.py                          # every series, full sizes
    python benchmarks/hostile_size.py --units 10000 30000 100000 --lines 1 10
    python benchmarks/hostile_size.py --units --lines --files 10x1000 1000x1000
    python benchmarks/hostile_size.py --units --lines --files --gate 10x1000 100x1000
    python benchmarks/hostile_size.py --root /path/to/other/checkout   # mtqa from there
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_UNITS = [
    ("The committee approved {n} new rules for the river project.",
     "Der Ausschuss hat {n} neue Regeln für das Flussprojekt genehmigt."),
    ("Send %s to {{name}} before day {n}.", "Senden Sie %s vor Tag {n} an {{name}}."),
    ("Click <g id=\"1\">Save</g> to keep item {n}.",
     "Klicken Sie auf <g id=\"1\">Speichern</g>, um Element {n} zu behalten."),
]
_WORDS = "river cleanup committee approved new rules for the project and "


def write_xliff(path: Path, units: int, files: int = 1) -> None:
    """``files`` ``<file>``s of ``units`` translation units each."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2">\n')
        for f in range(files):
            name = "bench" if files == 1 else f"bench-{f}"
            fh.write(f'<file source-language="en" target-language="de" original="{name}">'
                     '<body>\n')
            for n in range(units):
                source, target = _UNITS[n % len(_UNITS)]
                fh.write(f'<trans-unit id="u{n}"><source>{source.format(n=n)}</source>'
                         f'<target>{target.format(n=n)}</target></trans-unit>\n')
            fh.write("</body></file>\n")
        fh.write("</xliff>\n")


def write_line(path: Path, megabytes: int) -> None:
    size = megabytes * 1_000_000
    path.write_text((_WORDS * (size // len(_WORDS) + 1))[:size], encoding="utf-8")


# The child runs mtqa and then reports its own CPU time and peak RSS on the last line
# of stderr, so that every size is measured alone.
_CHILD = """
import json, resource, runpy, sys
try:
    runpy.run_module("mtqa", run_name="__main__")
except SystemExit as exc:
    code = exc.code
use = resource.getrusage(resource.RUSAGE_SELF)
sys.stderr.write(json.dumps({"code": code, "cpu_s": use.ru_utime + use.ru_stime,
                             "peak_mib": use.ru_maxrss / 1024}) + "\\n")
"""


def measure(path: Path, root: Path = ROOT) -> dict[str, float]:
    """CPU seconds and peak RSS (MiB) of one ``mtqa check`` in a fresh process."""
    # The report goes to a file beside the input (never --output /dev/null: a report
    # is written through a temporary file and a rename).
    report = path.with_suffix(".report.json")
    run = subprocess.run([sys.executable, "-c", _CHILD, "check", str(path), "--encoder",
                          "fake", "--no-cache", "--format", "json", "--output", str(report)],
                         cwd=root, capture_output=True, text=True, check=False)
    report.unlink(missing_ok=True)
    result = json.loads(run.stderr.strip().splitlines()[-1])
    if result.pop("code") not in (0, 1):
        raise SystemExit(f"mtqa failed on {path}: {run.stderr.strip()}")
    return result


def write_project(folder: Path, files: int, units: int) -> None:
    """A project of ``files`` XLIFF files of ``units`` units each, one bilingual pair."""
    (folder / "xliff").mkdir(parents=True)
    (folder / "mtqa.toml").write_text('encoder = "fake"\njobs = 1\ncache = ""\n'
                                      '[[pairs]]\nbilingual = "xliff/*.xlf"\n',
                                      encoding="utf-8")
    for f in range(files):
        write_xliff(folder / "xliff" / f"f{f:04d}.xlf", units)


def measure_gate(folder: Path, fmt: str, root: Path = ROOT) -> dict[str, float]:
    """CPU seconds and peak RSS (MiB) of one ``mtqa gate`` in ``folder``, in a fresh
    process that imports mtqa from ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    run = subprocess.run([sys.executable, "-c", _CHILD, "gate", "--quiet", "--format",
                          "summary", "--output", f"{fmt}=report.{fmt}"],
                         cwd=folder, env=env, capture_output=True, text=True, check=False)
    (folder / f"report.{fmt}").unlink(missing_ok=True)
    result = json.loads(run.stderr.strip().splitlines()[-1])
    if result.pop("code") not in (0, 1):
        raise SystemExit(f"mtqa gate failed in {folder}: {run.stderr.strip()}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--units", type=int, nargs="*",
                        default=[10_000, 30_000, 100_000, 300_000, 1_000_000])
    parser.add_argument("--lines", type=int, nargs="*", default=[1, 10, 50],
                        help="sizes in MB of the one-line text files")
    parser.add_argument("--files", nargs="*", type=_n_by_m,
                        default=[(10, 1000), (100, 1000), (1000, 1000)],
                        help="NxM: an XLIFF file of N <file>s of M units each")
    parser.add_argument("--gate", nargs="*", type=_n_by_m,
                        default=[(10, 1000), (100, 1000)],
                        help="NxM: mtqa gate on a folder of N XLIFF files of M units each")
    parser.add_argument("--gate-format", default="sarif",
                        help="the report mtqa gate writes (sarif keeps slimmed documents, "
                             "json and html whole ones)")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose mtqa runs (default: this one), to "
                             "measure another version on the same files")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for units in sorted(args.units):
            path = Path(tmp) / f"units-{units}.xlf"
            write_xliff(path, units)
            rows.append(_per_unit({"series": "units", "size": units,
                                   "mb": path.stat().st_size / 1e6, **measure(path, args.root)},
                                  f"units {units:>9,}"))
            path.unlink()
        for files, each in args.files:
            path = Path(tmp) / f"files-{files}x{each}.xlf"
            write_xliff(path, each, files)
            rows.append(_per_unit({"series": "files", "size": files * each, "files": files,
                                   "mb": path.stat().st_size / 1e6, **measure(path, args.root)},
                                  f"files {f'{files}x{each}':>11}"))
            path.unlink()
        for files, each in args.gate:
            folder = Path(tmp) / f"gate-{files}x{each}"
            write_project(folder, files, each)
            rows.append(_per_unit({"series": "gate", "size": files * each, "files": files,
                                   "mb": sum(p.stat().st_size for p in folder.rglob("*.xlf")) / 1e6,
                                   **measure_gate(folder, args.gate_format, args.root)},
                                  f"gate  {f'{files}x{each}':>11}", f" ({args.gate_format})"))
            shutil.rmtree(folder)
        for megabytes in sorted(args.lines):
            path = Path(tmp) / f"line-{megabytes}.txt"
            write_line(path, megabytes)
            row = {"series": "line", "size": megabytes, "mb": float(megabytes),
                   **measure(path, args.root)}
            row["per"] = row["cpu_s"] / megabytes  # CPU seconds per MB
            rows.append(row)
            path.unlink()
            print(f"line  {megabytes:>6} MB  CPU {row['cpu_s']:8.1f} s  {row['per']:6.2f} s/MB  "
                  f"peak RSS {row['peak_mib']:7.0f} MiB", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))


def _n_by_m(spec: str) -> tuple[int, int]:
    """``NxM`` (N files of M units) as a pair of numbers."""
    files, _, each = spec.partition("x")
    if not (files.isdigit() and each.isdigit()):
        raise argparse.ArgumentTypeError(f"expected NxM (files x units), not {spec!r}")
    return int(files), int(each)


def _per_unit(row: dict[str, Any], label: str, note: str = "") -> dict[str, Any]:
    """``row`` with its CPU microseconds per unit (``size`` units), printed as it comes."""
    row["per"] = 1e6 * row["cpu_s"] / row["size"]
    print(f"{label}  {row['mb']:7.1f} MB  CPU {row['cpu_s']:8.1f} s  "
          f"{row['per']:6.0f} us/unit  peak RSS {row['peak_mib']:7.0f} MiB{note}", flush=True)
    return row


if __name__ == "__main__":
    main()
