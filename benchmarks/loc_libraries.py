"""Which library should read XLIFF, TMX and PO? Import time, parse speed and safety of
translate-toolkit, polib and mtqa's own readers (stdlib expat with defusedxml's guards).

Each measurement runs in a fresh interpreter. The other libraries are not dependencies
of mtqa: install them in a separate environment and point ``--other-python`` at it::

    python3 -m venv /tmp/libs && /tmp/libs/bin/pip install translate-toolkit polib
    python benchmarks/loc_libraries.py --other-python /tmp/libs/bin/python --units 20000
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

IMPORTS = {
    "mtqa readers (expat)": ("mtqa", "import mtqa.readers"),
    "translate-toolkit xliff+tmx+po": ("other", "import translate.storage.xliff, "
                                       "translate.storage.tmx, translate.storage.pypo"),
    "polib": ("other", "import polib"),
    "lxml.etree": ("other", "import lxml.etree"),
    "defusedxml.ElementTree": ("other", "import defusedxml.ElementTree"),
}

PARSE = {
    ("xliff", "mtqa"): "from mtqa.readers.xliff import parse_xliff as p; "
                       "n = len(p(open(F, encoding='utf-8').read(), F).target)",
    ("xliff", "translate-toolkit"): "from translate.storage.xliff import xlifffile; "
                                    "n = len([u for u in xlifffile.parsefile(F).units])",
    ("tmx", "mtqa"): "from mtqa.readers.tmx import parse_tmx as p; "
                     "n = len(p(open(F, encoding='utf-8').read(), F).target)",
    ("tmx", "translate-toolkit"): "from translate.storage.tmx import tmxfile; "
                                  "n = len(tmxfile.parsefile(F).units)",
    ("po", "mtqa"): "from mtqa.readers.po import parse_po as p; "
                    "n = len(p(open(F, encoding='utf-8').read(), F).target)",
    ("po", "translate-toolkit"): "from translate.storage.pypo import pofile; "
                                 "n = len([u for u in pofile.parsefile(F).units if not u.isheader()])",
    ("po", "polib"): "import polib; n = len(polib.pofile(F))",
}

BOMB = ('<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + ']><xliff version="1.2"><file source-language="en" target-language="de"><body>'
          '<trans-unit id="1"><source>&i;</source><target>&i;</target></trans-unit>'
          '</body></file></xliff>')
SECRET = "SECRET-0451"


def _xxe(secret: Path) -> str:
    return (f'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY s SYSTEM "file://{secret}">]>'
            '<xliff version="1.2"><file source-language="en" target-language="de"><body>'
            '<trans-unit id="1"><source>Hello &s;</source><target>Hallo &s;</target>'
            '</trans-unit></body></file></xliff>')


SAFETY = {
    "mtqa": "from mtqa.readers.xliff import parse_xliff as p; "
            "u = p(open(F, encoding='utf-8').read(), F); out = u.target[0].text",
    "translate-toolkit": "from translate.storage.xliff import xlifffile; "
                         "out = xlifffile.parsefile(F).units[0].target",
}


def _run(python: str, code: str, timeout: float = 120) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        run = subprocess.run([python, "-c", code], cwd=ROOT, capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, "timeout"
    took = time.perf_counter() - start
    lines = (run.stdout.strip() or run.stderr.strip()).splitlines()
    out = lines[-1] if lines else ""
    return took, out


def _write(tmp: Path, units: int) -> dict[str, Path]:
    xlf, tmx, po = tmp / "a.xlf", tmp / "a.tmx", tmp / "a.po"
    with xlf.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
                 'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" '
                 'target-language="de" datatype="plaintext" original="x"><body>\n')
        for i in range(units):
            fh.write(f'<trans-unit id="u{i}"><source>Save <g id="1">{i} files</g> now.</source>'
                     f'<target state="translated">Jetzt <g id="1">{i} Dateien</g> speichern.'
                     '</target><note>A note.</note></trans-unit>\n')
        fh.write("</body></file></xliff>\n")
    with tmx.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
                 'srclang="en" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" '
                 'creationtool="x" creationtoolversion="1"/><body>\n')
        for i in range(units):
            fh.write(f'<tu tuid="{i}"><tuv xml:lang="en"><seg>Save {i} files now.</seg></tuv>'
                     f'<tuv xml:lang="de"><seg>Jetzt {i} Dateien speichern.</seg></tuv></tu>\n')
        fh.write("</body></tmx>\n")
    with po.open("w", encoding="utf-8") as fh:
        fh.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                 '"Language: de\\n"\n\n')
        for i in range(units):
            fh.write(f'#: src/app.py:{i}\n#, python-format\nmsgid "Save %(n)d files ({i})"\n'
                     f'msgstr "%(n)d Dateien speichern ({i})"\n\n')
    return {"xliff": xlf, "tmx": tmx, "po": po}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--other-python", default=sys.executable)
    parser.add_argument("--units", type=int, default=20_000)
    args = parser.parse_args()
    pythons = {"mtqa": sys.executable, "other": args.other_python}
    print("import time (fresh interpreter, best of 3, measured inside it):")
    for label, (which, code) in IMPORTS.items():
        timed = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
        took = min(float(_run(pythons[which], timed)[1]) for _ in range(3))
        print(f"  {label:34} {took * 1000:7.0f} ms")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        files = _write(tmp, args.units)
        print(f"parse {args.units:,} units (wall time incl. start-up and import; the "
              "file and its units stay in memory):")
        for (fmt, lib), code in PARSE.items():
            python = pythons["mtqa" if lib == "mtqa" else "other"]
            took, out = _run(python, f"F = {str(files[fmt])!r}\n{code}\nimport resource\n"
                                     "print(n, resource.getrusage(resource.RUSAGE_SELF)"
                                     ".ru_maxrss // 1024)")
            units, rss = (out.split() + ["?", "?"])[:2]
            print(f"  {fmt:6} {lib:18} {took:6.2f} s  units={units:>6}  peak RSS {rss:>4} MB")
        secret = tmp / "secret.txt"
        secret.write_text(SECRET, encoding="utf-8")
        (tmp / "bomb.xlf").write_text(BOMB, encoding="utf-8")
        (tmp / "xxe.xlf").write_text(_xxe(secret), encoding="utf-8")
        print("hostile XLIFF (billion laughs, 10^9 'a'; XXE reading a local file):")
        for lib, code in SAFETY.items():
            python = pythons["mtqa" if lib == "mtqa" else "other"]
            for name in ("bomb.xlf", "xxe.xlf"):
                took, out = _run(python, f"F = {str(tmp / name)!r}\n{code}\n"
                                         "print('read', len(str(out)), 'chars', "
                                         f"'LEAKED' if {SECRET!r} in str(out) else '')",
                                 timeout=60)
                print(f"  {lib:18} {name:9} {took:6.2f} s  {out[:110]}")


if __name__ == "__main__":
    main()
