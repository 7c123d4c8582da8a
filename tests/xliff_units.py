"""XLIFF files made for the streaming tests (``mtqa check`` and ``mtqa gate``): units
with something for the checks to find, so that every document has issues to report."""
from __future__ import annotations

# A number changed, a target left untranslated, doubled spaces, an empty target, a
# placeholder lost.
UNITS = [
    ("The committee approved {n} new rules.", "Der Ausschuss hat {n} neue Regeln genehmigt."),
    ("Send the report to the office.", "Send the report to the office."),
    ("Open the file before day {n}.", "Öffnen Sie die  Datei vor Tag {m}."),
    ("Save your work.", ""),
    ("Hello %s, you have {n} messages.", "Hallo, Sie haben {n} Nachrichten."),
]


def file_element(label: str, units: int, start: int = 0, kinds: int = len(UNITS)) -> str:
    """One ``<file>`` element (``label`` is its attributes), a unit a line, of the
    first ``kinds`` of ``UNITS`` in turn, numbered from ``start``."""
    lines = [f'<file source-language="en" target-language="de" {label}><body>']
    for n in range(start, start + units):
        source, target = UNITS[n % kinds]
        lines.append(f'<trans-unit id="u{n}"><source>{source.format(n=n)}</source>'
                     f'<target>{target.format(n=n, m=n + 1)}</target></trans-unit>')
    lines.append("</body></file>")
    return "\n".join(lines)


def xliff(files: list[str]) -> str:
    """An XLIFF 1.2 document of these ``<file>`` elements."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2">\n'
            + "\n".join(files) + "\n</xliff>\n")
