"""``mtqa fix``: apply the edits that checks attach to their issues, to the file itself.

The run, for one file: read its bytes, check it (the same checks as ``mtqa check``, on
the target side), turn every fix edit into a span of the file, drop the edits that
could damage it, apply the others, and check again, until nothing changes (at most
``MAX_PASSES`` times). The result is the new bytes and the issues fixed; the command
line prints a diff or writes the file.

What never changes:

* bytes outside the edited spans: the encoding, the byte-order mark, line endings
  (CRLF stays CRLF) and the trailing newline are those of the file;
* what a person said to leave alone: issues that an inline suppression comment
  (``<!-- mtqa-disable-next-line FL06 -->``) turns off;
* text that is not translation: Markdown front matter and code blocks (not read as
  prose), code spans, links and inline HTML; in every format placeholders
  (``{name}``, ``%s``) and inline tags; in a bilingual file the source side and the
  markup around the target;
* text that is not where the segment says it is: an edit is applied only where the
  file holds exactly the segment text at that place (an entity or a PO escape in the
  span makes it skipped, not guessed; JSON strings are decoded character by character,
  so their escapes are rewritten in the file's style).

Overlapping edits are resolved in a fixed order (the earliest span first, then the
shorter, then by check code); an edit left out is tried again on the next pass.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mtqa.checks.base import Check, Context, TargetCheck
from mtqa.checks.registry import enabled_checks, unknown_selectors
from mtqa.ci.suppress import is_suppressed, parse_directives
from mtqa.config import Config, ConfigError
from mtqa.errors import InputError
from mtqa.fixes.spans import issue_spans
from mtqa.fixes.textmap import FileMap, TextMap
from mtqa.glossary import Glossary, load_glossaries
from mtqa.model import Bead, Document, Issue
from mtqa.pipeline import run_checks
from mtqa.readers import (
    BILINGUAL,
    CHOOSES_LANGS,
    DECODERS,
    documents_from_units,
    format_of,
    parse_document,
)
from mtqa.readers.encoding import decode, read_bytes

# A pass fixes what the previous one made fixable (a Latin comma, then the space before
# it); two passes settle every file in the tests, the example article and the WMT data.
# The bound keeps a pair of fixes that undo each other from looping.
MAX_PASSES = 5


@dataclass(frozen=True)
class Applied:
    """An issue that ``mtqa fix`` fixed: the issue as found, where it was (1-based line
    and column in the text of the pass that fixed it: the file as read for pass 1),
    and that pass."""

    issue: Issue
    line: int
    column: int
    pass_number: int = 1


@dataclass(frozen=True)
class FileFix:
    """The outcome of fixing one file."""

    path: str
    before: bytes
    after: bytes
    applied: tuple[Applied, ...]
    skipped: int  # fixable issues whose edits were not safe to apply here
    passes: int
    # The first pass's edits: (start, end, replacement) in characters of the text as
    # written (after the BOM), in order; what a reviewer can map onto the diff.
    first_edits: tuple[tuple[int, int, str], ...] = ()
    encoding: str = "utf-8"  # of the file, for the diff
    unsafe_left: int = 0  # issues only --unsafe-fixes would fix (first pass, safe run)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        """A unified diff of the file, as ``git diff`` shows one (``a/``, ``b/``)."""
        old = FileMap.strip_bom(self.before).decode(self.encoding).splitlines(keepends=True)
        new = FileMap.strip_bom(self.after).decode(self.encoding).splitlines(keepends=True)
        a, b = (self.path, self.path) if os.path.isabs(self.path) else \
            (f"a/{self.path}", f"b/{self.path}")
        lines = difflib.unified_diff(old, new, a, b)
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)


@dataclass(frozen=True)
class Options:
    """What ``mtqa fix`` may do: unsafe fixes too, or only the safe ones; how many
    check-and-fix passes at most."""

    unsafe: bool = False
    max_passes: int = MAX_PASSES


def fixable(issue: Issue, unsafe: bool = False) -> bool:
    """Whether ``mtqa fix`` (``--unsafe-fixes`` when ``unsafe``) would try to fix it."""
    return (issue.fix is not None and bool(issue.fix.edits) and issue.target is not None
            and (issue.fix.safe or unsafe))


def fixable_counts(issues: Sequence[Issue]) -> tuple[int, int]:
    """(issues ``mtqa fix`` fixes, more that ``--unsafe-fixes`` would fix)."""
    safe = sum(1 for i in issues if fixable(i))
    return safe, sum(1 for i in issues if fixable(i, unsafe=True)) - safe


def fixable_note(issues: Sequence[Issue]) -> str | None:
    """The line ``mtqa check`` prints under its report, as ruff does."""
    safe, unsafe = fixable_counts(issues)
    if not safe and not unsafe:
        return None
    note = f"{safe} fixable with `mtqa fix`" if safe else "none fixable with `mtqa fix`"
    if unsafe:
        note += f" ({unsafe} more with `mtqa fix --unsafe-fixes`)"
    return note + "."


def fix_files(paths: Sequence[str], config: Config | None = None,
              options: Options | None = None) -> list[FileFix]:
    """Fix each file (in memory); raises ``InputError`` on a file that cannot be read
    and ``ConfigError`` on a ``--select``/``--ignore`` that names no check."""
    config = config or Config()
    unknown = unknown_selectors(config)
    if unknown:
        raise ConfigError(f"no check matches {', '.join(repr(u) for u in unknown)} "
                          "(see `mtqa rules`)")
    checks = enabled_checks(config)
    glossary = load_glossaries(config.glossaries, config.source_lang, config.target_lang)
    return [fix_bytes(read_bytes(p), str(p), config, checks, glossary, options or Options())
            for p in paths]


def fix_bytes(data: bytes, name: str, config: Config, checks: Sequence[Check],
              glossary: Glossary | None, options: Options) -> FileFix:
    """Fix the content ``data`` of file ``name``; returns the new content."""
    fmt = format_of(name)
    # The readers' own decoding first: it refuses what ``mtqa check`` refuses.
    expected = DECODERS.get(fmt, decode)(data, name)
    filemap = FileMap.sniff(data, name)
    if filemap.normal() != expected:
        raise InputError(name, "cannot fix: the file does not decode the same way twice "
                               "(mixed encodings?)")
    raw = filemap.text
    applied: list[Applied] = []
    skipped = 0
    passes = 0
    first: tuple[tuple[int, int, str], ...] = ()
    unsafe_left = 0
    textmap = TextMap(raw)
    target = _target(textmap.normal, name, fmt, config)
    # Later passes read the edited text in the languages found now: detecting them
    # again is most of the time a re-read takes, and an edit does not change them.
    config = dataclasses.replace(
        config, target_lang=target.doc.lang,
        source_lang=target.source.lang if target.source is not None else config.source_lang)
    # After the first pass only the checks that can fix something (and those that
    # silence others on a segment) run, and the per-segment ones only on segments
    # the edits changed: the rest of the text gives what it gave before.
    later = [c for c in checks if offers_fixes(c, options.unsafe) or c.precondition]
    dirty: set[int] | None = None
    while passes < options.max_passes:
        passes += 1
        issues = _issues(target, config, checks if dirty is None else later, glossary, dirty)
        issues = _unsuppressed(issues, textmap.normal, name, fmt)
        chosen, rejected = _spans(issues, target, textmap, fmt, filemap.encoding, options)
        chosen = _from_the_top(chosen, textmap.normal)
        if passes == 1:
            skipped = rejected
            if not options.unsafe:
                unsafe_left = sum(1 for i in issues if fixable(i, True) and not fixable(i))
        if not chosen:
            break
        new_raw = textmap.apply([(s, e, r) for s, e, r, _ in chosen])
        new_map = TextMap(new_raw)
        try:
            new_target = _target(new_map.normal, name, fmt, config)
        except InputError:
            # A file of nothing but debris is left as it is, not emptied: a file
            # without prose is not a document any more.
            kept = [c for c in chosen if not (c[3].fix and c[3].fix.whole_line)]
            rejected += len(_applied(chosen)) - len(_applied(kept))
            chosen = kept
            new_raw = textmap.apply([(s, e, r) for s, e, r, _ in chosen])
            new_map = TextMap(new_raw)
            new_target = _target(new_map.normal, name, fmt, config)
        if passes == 1:
            skipped = rejected
            first = tuple((textmap.to_raw(s), textmap.to_raw(e), r) for s, e, r, _ in chosen)
        if not chosen:
            break
        dirty = _changed(target.doc, new_target.doc, _unsettled(issues, options))
        raw, textmap, target = new_raw, new_map, new_target
        applied.extend(_applied(chosen, passes))
    after = filemap.bom + raw.encode(filemap.encoding)
    return FileFix(path=name, before=data, after=after, applied=tuple(applied),
                   skipped=skipped, passes=passes, first_edits=first,
                   encoding=filemap.encoding, unsafe_left=unsafe_left)


def _from_the_top(chosen: list[tuple[int, int, str, Issue]],
                  normal: str) -> list[tuple[int, int, str, Issue]]:
    """Debris lines removed from the top of a file take the empty lines after them
    along: the file then starts with its first line of prose, not a blank one."""
    spans = sorted(chosen, key=lambda c: (c[0], c[1]))
    pos, last = 0, -1
    for k, (start, end, _, issue) in enumerate(spans):
        if start != pos or issue.fix is None or not issue.fix.whole_line:
            break
        pos, last = end, k
    stop = pos
    while stop < len(normal) and normal[stop] == "\n":
        stop += 1
    if last < 0 or stop == pos or stop == len(normal):
        return chosen
    start, _, text, issue = spans[last]
    spans[last] = (start, stop, text, issue)
    return spans


def _unsuppressed(issues: list[Issue], text: str, name: str, fmt: str) -> list[Issue]:
    """The issues that no inline ``<!-- mtqa-disable-line CODE -->`` comment turns off:
    what a person has told mtqa to leave alone is not fixed either."""
    if fmt not in ("text", "markdown") or "mtqa-disable" not in text:
        return issues
    directives = parse_directives(text, name)
    return [i for i in issues if not is_suppressed(i, directives)]


def offers_fixes(check: Check | type[Check], unsafe: bool = False) -> bool:
    """Whether ``check`` attaches fixes that ``mtqa fix`` (with ``unsafe``) applies."""
    return (check.fix_safety == "safe" or check.makes_fixes
            or (unsafe and check.fix_safety == "unsafe"))


def fix_kind(check: Check | type[Check]) -> str | None:
    """How ``mtqa explain`` names the fixes a check offers, if any."""
    if offers_fixes(check):
        return "safe (mtqa fix)"
    if offers_fixes(check, unsafe=True):
        return "unsafe (mtqa fix --unsafe-fixes)"
    return None


def _unsettled(issues: Sequence[Issue], options: Options) -> set[int]:
    """Target segments that had something to fix in this pass (fixed, or left out for
    an overlap): text like theirs is checked again on the next pass."""
    return {i.target.segment for i in issues
            if i.target is not None and fixable(i, options.unsafe)}


def _changed(old: Document, new: Document, unsettled: set[int]) -> set[int]:
    """Segments of ``new`` to check again: those whose text no segment of ``old`` had,
    or only a segment that had something to fix (the same words elsewhere, or a
    segment that an overlap left as it was)."""
    settled = {s.text for i, s in enumerate(old.segments) if i not in unsettled}
    return {i for i, s in enumerate(new.segments) if s.text not in settled}


def _applied(chosen: list[tuple[int, int, str, Issue]], number: int = 1) -> list[Applied]:
    """Each fixed issue once (an issue may have several edits), where it was found."""
    seen: set[int] = set()
    out = []
    for _, _, _, issue in chosen:
        if id(issue) not in seen and issue.target is not None:
            seen.add(id(issue))
            out.append(Applied(issue, issue.target.line, issue.target.column, number))
    return out


@dataclass(frozen=True)
class _Target:
    """The target side of a file, and the source side when the file is bilingual."""

    doc: Document
    source: Document | None
    reference: Document | None


def _target(text: str, name: str, fmt: str, config: Config) -> _Target:
    if fmt in BILINGUAL:
        if fmt in CHOOSES_LANGS:
            units = BILINGUAL[fmt](text, name, config.source_lang,  # type: ignore[call-arg]
                                   config.target_lang)
        else:
            units = BILINGUAL[fmt](text, name)
        src, tgt, ref = documents_from_units(units, name, fmt, config.source_lang,
                                             config.target_lang)
        return _Target(tgt, src, ref)
    return _Target(parse_document(text, name, fmt, config.target_lang), None, None)


def _issues(target: _Target, config: Config, checks: Sequence[Check],
            glossary: Glossary | None, only: set[int] | None = None) -> list[Issue]:
    """The issues ``mtqa check`` finds in the file: the same checks, run through the
    pipeline's ``run_checks`` (a bilingual file is aligned unit by unit; a monolingual
    one is checked target-only, as it is without ``--source``). With ``only``, the
    checks that read one segment at a time read only those segments."""
    doc = target.doc
    if target.source is not None:
        beads = tuple(Bead((i,), (i,), (i,) if target.reference else ())
                      for i in range(len(doc.segments)))
    else:
        beads = tuple(Bead((), (j,)) for j in range(len(doc.segments)))
    ctx = Context(target=doc, source=target.source, reference=target.reference,
                  alignment=beads, glossary=glossary, config=config)
    if only is None:
        return run_checks(ctx, checks)
    found: list[tuple[Check, Issue]] = []
    for check in checks:
        if not check.applies(ctx):
            continue
        if isinstance(check, TargetCheck) and type(check).run is TargetCheck.run:
            for index in sorted(only):
                text = doc.segments[index].text
                if text:
                    found.extend((check, i) for i in check.check_segment(ctx, index, text))
        else:
            found.extend((check, i) for i in check.run(ctx))
    # The rule of ``run_checks``: noise is dropped where a precondition check fired.
    blocked = {i.target.segment for c, i in found if i.target and c.blocks(i)}
    return [i for c, i in found
            if not (c.noise and i.target is not None and i.target.segment in blocked)]


def _spans(issues: Sequence[Issue], target: _Target, textmap: TextMap, fmt: str,
           encoding: str, options: Options) -> tuple[list[tuple[int, int, str, Issue]], int]:
    """The file spans (in the normalised text) of every applicable edit, without
    overlaps, and how many fixable issues had an edit that could not be applied."""
    candidates: list[tuple[int, int, str, Issue]] = []
    rejected = 0
    for issue in issues:
        if not fixable(issue, options.unsafe):
            continue
        spans = issue_spans(issue, target.doc, textmap, fmt, encoding)
        if spans is None:
            rejected += 1
            continue
        candidates.extend((s, e, r, issue) for s, e, r in spans)
    candidates.sort(key=lambda c: (c[0], c[1], c[3].code, c[2]))
    chosen: list[tuple[int, int, str, Issue]] = []
    dropped: set[int] = set()
    end = -1
    last_start = -1
    for start, stop, text, issue in candidates:
        if id(issue) in dropped:
            continue
        # Two insertions at one place, or any overlap, would be applied in an order
        # that changes the result: the later one waits for the next pass.
        if start < end or (start == stop == last_start):
            dropped.add(id(issue))
            continue
        chosen.append((start, stop, text, issue))
        end, last_start = stop, start
    # An issue with several edits is applied whole or not at all.
    chosen = [c for c in chosen if id(c[3]) not in dropped]
    return chosen, rejected


def write_atomic(path: str, data: bytes) -> None:
    """Replace the file at ``path`` (through a symlink, its target) with ``data`` by a
    temporary file in the same folder and a rename, keeping its permissions: an
    interrupted run leaves the old file or the new one, never half of one. A file that
    cannot be written is an ``InputError`` naming it."""
    real = Path(os.path.realpath(path))
    try:
        _replace(real, data)
    except OSError as exc:
        raise InputError(path, f"cannot write the fixed file ({exc.strerror or exc})") from None


def _replace(real: Path, data: bytes) -> None:
    if not real.is_file():
        raise OSError(0, "not a regular file")
    mode = real.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".mtqa-fix", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


