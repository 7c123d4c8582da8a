"""A large translation memory: time and peak memory of ``mtqa check`` on a TMX.

Writes a generated TMX 1.4 (English -> German, one unit in five with inline codes, one
in three with numbers, one in twenty with a planted error) of 50,000, 100,000 and
200,000 units, and checks each in a fresh process, which reports its own peak RSS, so
that the numbers do not mix. Memory should grow linearly with the units (the reader
streams the XML and keeps no tree) and stay well under 2 GB.

    python benchmarks/tmx_large.py                 # 50k, 100k, 200k units
    python benchmarks/tmx_large.py --units 5000    # a quick look
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PAIRS = [
    ("Open the file {n}.", "Öffnen Sie die Datei {n}."),
    ("Save <bpt i=\"1\">&lt;b&gt;</bpt>all<ept i=\"1\">&lt;/b&gt;</ept> documents.",
     "Alle <bpt i=\"1\">&lt;b&gt;</bpt>Dokumente<ept i=\"1\">&lt;/b&gt;</ept> speichern."),
    ("The river cleanup covered {n} kilometres in 2026.",
     "Die Flussreinigung umfasste {n} Kilometer im Jahr 2026."),
    ("Click <ph x=\"1\">&lt;img/&gt;</ph> to continue.",
     "Klicken Sie auf <ph x=\"1\">&lt;img/&gt;</ph>, um fortzufahren."),
    ("You have %s new messages.", "Sie haben %s neue Nachrichten."),
]
_ERRORS = [
    ("Delete %s files?", "Dateien löschen?"),  # TG01
    ("The report lists {n} members.", "Der Bericht nennt {m} Mitglieder."),  # AC03
    ("Read the the manual.", "Lesen Sie das das Handbuch."),  # FL01
]

# The child: check one file, print timings and its own peak RSS as JSON.
_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from mtqa.pipeline import check_files, load_inputs, check_documents
t1 = time.perf_counter()
rss_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
inputs = load_inputs([sys.argv[1]])
t2 = time.perf_counter()
rss_read = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = check_documents(inputs)
t3 = time.perf_counter()
doc = report.documents[0]
print(json.dumps({"import_s": t1 - t0, "read_s": t2 - t1, "check_s": t3 - t2,
                  "units": len(doc.target.segments), "issues": len(doc.issues),
                  "rss_imports_mb": rss_imports / 1024, "rss_after_read_mb": rss_read / 1024,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_tmx(path: Path, units: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                 '<header creationtool="mtqa-bench" creationtoolversion="1" '
                 'segtype="sentence" o-tmf="none" adminlang="en" srclang="en-US" '
                 'datatype="plaintext"/>\n<body>\n')
        for i in range(units):
            src, tgt = (_ERRORS[i % len(_ERRORS)] if i % 20 == 19
                        else _PAIRS[i % len(_PAIRS)])
            n = str((i * 7919) % 100000)  # no separators: AC03 reads "15.838" as 15.838
            fh.write(f'<tu tuid="{i + 1}"><tuv xml:lang="en-US"><seg>'
                     f'{src.format(n=n)}</seg></tuv>\n  <tuv xml:lang="de-DE"><seg>'
                     f'{tgt.format(n=n, m=i)}</seg></tuv></tu>\n')
        fh.write("</body>\n</tmx>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, nargs="*", default=[50_000, 100_000, 200_000])
    args = parser.parse_args()
    print(f"{'units':>8} {'MB':>6} {'read s':>7} {'check s':>8} {'total s':>8} "
          f"{'RSS imports':>11} {'RSS read':>9} {'peak RSS':>9} {'MB/1k units':>11} issues")
    with tempfile.TemporaryDirectory() as tmp:
        for units in args.units:
            path = Path(tmp) / f"tm-{units}.tmx"
            write_tmx(path, units)
            size = path.stat().st_size / 1e6
            start = time.perf_counter()
            run = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=ROOT,
                                 capture_output=True, text=True, check=True)
            wall = time.perf_counter() - start
            r = json.loads(run.stdout)
            grown = (r["peak_rss_mb"] - r["rss_imports_mb"]) / units * 1000
            print(f"{r['units']:>8} {size:>6.1f} {r['read_s']:>7.1f} {r['check_s']:>8.1f} "
                  f"{wall:>8.1f} {r['rss_imports_mb']:>9.0f}MB {r['rss_after_read_mb']:>7.0f}MB "
                  f"{r['peak_rss_mb']:>7.0f}MB {grown:>11.2f} {r['issues']}", flush=True)


if __name__ == "__main__":
    main()
