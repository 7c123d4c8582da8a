"""``mtqa gate``: check the configured pairs of a repository and decide pass or fail.

The steps: expand the pairs into documents; keep those given on the command line or
changed since a git ref; check them (in parallel where it pays); drop the issues that
config or inline comments suppress, that are not on changed lines (when asked), and
that the baseline already knows (mtqa/ci/filters.py: the filter stage); score and decide
what is left, once, with ``pipeline.conclude`` as ``mtqa check`` does. Returns values; the CLI
prints and exits.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtqa.checks.registry import enabled_checks, rules
from mtqa.ci import baseline as baselines
from mtqa.ci.batch import Outcome, Task, aligner, iter_tasks, workers_for
from mtqa.ci.filters import file_directives
from mtqa.ci.project import Job, Project, Suppression, expand, missing_targets
from mtqa.ci.suppress import is_suppressed
from mtqa.config import ConfigError
from mtqa.errors import InputError
from mtqa.model import DocumentReport, Examined, Issue, Report
from mtqa.pipeline import conclude, settings, slimmed
from mtqa.readers import is_bilingual


@dataclass(frozen=True)
class GateOptions:
    """What the command line asked for (beyond the project's config)."""

    paths: tuple[str, ...] = ()
    changed_since: str | None = None
    only_changed_lines: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    jobs: int = 0
    cache: str | None = None  # folder of the result cache; None: no cache
    # Keep of each concluded document only what the formats that list issues need
    # (``pipeline.slimmed``): memory then grows with the largest document, not with all
    # of them. The CLI sets it when every format it writes is one of ``SLIM_FORMATS``.
    slim: bool = False


@dataclass(frozen=True)
class GateResult:
    """The report of the documents checked, with what was filtered out and why."""

    report: Report
    paths: tuple[str, ...]  # per document: its target path relative to the project root
    suppressed: int = 0  # issues turned off by config or inline comments
    unchanged: int = 0  # issues dropped because they are not on changed lines
    baselined: int = 0  # issues the baseline already knows
    stale: tuple[baselines.Entry, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()  # (source, expected target) not found
    skipped: int = 0  # documents not checked because they did not change
    workers: int = 1
    cached: int = 0  # documents whose report came from the cache
    baseline_text: str | None = None  # the baseline to write, with --write-baseline


def plan(project: Project, options: GateOptions) -> tuple[list[Job], int]:
    """The documents to check, and how many configured ones were left out as unchanged."""
    if options.only_changed_lines and not options.changed_since:
        raise ConfigError("--only-changed-lines needs --changed-since REF")
    if options.write_baseline and (options.changed_since or options.baseline):
        raise ConfigError("--write-baseline records every issue: do not combine it with "
                          "--changed-since or --baseline")
    given = [Path(p).resolve() for p in options.paths]
    for path in given:
        if not path.exists():
            raise InputError(str(path), "no such file or folder")
    if project.pairs:
        jobs = expand(project)
        if given:
            jobs = [j for j in jobs if any(_within(f, g) for f in j.files for g in given)]
    elif given:
        # No pairs configured: each file given is a translation checked on its own.
        folders = [g for g in given if g.is_dir()]
        if folders:
            raise ConfigError(f"{folders[0]}: a folder needs [[tool.mtqa.pairs]] in the "
                              "config to say which files are translations")
        jobs = [Job(target=g, bilingual=is_bilingual(g)) for g in given]
    else:
        raise ConfigError("nothing to check: configure [[tool.mtqa.pairs]] in pyproject.toml "
                          "or mtqa.toml, or give the files")
    skipped = 0
    if options.changed_since:
        from mtqa.ci.gitdiff import changed_files

        changed = changed_files(project.root, options.changed_since)
        kept = [j for j in jobs if any(f in changed for f in j.files)]
        skipped = len(jobs) - len(kept)
        jobs = kept
    return jobs, skipped


def _within(path: Path, given: Path) -> bool:
    return path == given or (given.is_dir() and given in path.parents)


def _name(path: Path, cwd: Path) -> str:
    """How a file appears in reports: relative to the current folder when under it (as
    CI annotations and SARIF want), else absolute."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


def run_gate(project: Project, options: GateOptions,
             advance: Callable[[Task], None] | None = None,
             on_plan: Callable[[int, int], None] | None = None) -> GateResult:
    """Check, filter, score and gate. ``on_plan(documents, workers)`` is called once the
    work is known, ``advance`` after each document.

    Documents are checked, filtered and concluded one at a time, in order; what the
    result keeps of each is the concluded document (slimmed with ``options.slim``)."""
    config = project.config
    jobs, skipped = plan(project, options)
    cwd = Path.cwd().resolve()
    tasks = [Task(_name(j.target, cwd), _name(j.source, cwd) if j.source else None,
                  _name(j.reference, cwd) if j.reference else None) for j in jobs]
    known = baselines.Matcher(baselines.load(Path(options.baseline))) if options.baseline else None
    lines = None
    if options.only_changed_lines and options.changed_since:
        from mtqa.ci.gitdiff import changed_lines

        lines = changed_lines(project.root, options.changed_since,
                              [f for j in jobs for f in j.files])
    documents: list[DocumentReport] = []
    rel_paths: list[str] = []
    counts = {"suppressed": 0, "unchanged": 0, "baselined": 0}
    errors: list[str] = []
    signature = ""
    tally = {"workers": 1, "cached": 0}
    # Not zip(jobs, ...): it would leave the generator before its end, where it warns.
    for n, outcome in enumerate(_outcomes(tasks, project, options, advance, on_plan, tally)):
        job = jobs[n]
        if outcome.error or errors:
            # The run fails with the first input error; the rest are still checked,
            # to count them, but not concluded.
            if outcome.error:
                errors.append(outcome.error)
            continue
        assert outcome.document is not None
        signature = signature or outcome.signature
        rel = project.relpath(job.target)
        examined = outcome.document
        kept = _filter(examined, job, rel, project, lines, known, counts)
        # Scored and decided once, after the filter, exactly as `mtqa check` does.
        document = conclude(examined, kept, config)
        documents.append(slimmed(document) if options.slim else document)
        rel_paths.append(rel)
        # Only the concluded document (slimmed when asked) outlives this turn.
        del outcome, examined, document
    if errors:
        more = f" (and {len(errors) - 1} more input error(s))" if len(errors) > 1 else ""
        raise _Reraised(errors[0] + more)
    signature = signature or _signature(project)
    report = Report(documents=tuple(documents), signature=signature,
                    passed=all(d.passed for d in documents),
                    settings=settings(config, enabled_checks(config)), rules=rules())
    full_run = not options.paths and not options.changed_since
    stale = tuple(known.stale(None if full_run else set(rel_paths))) if known else ()
    recorded = None
    if options.write_baseline:
        # Fingerprints read the flagged segments, which a slimmed document keeps.
        recorded = baselines.dumps(baselines.entries(zip(rel_paths, documents)))
    missing = tuple((project.relpath(s), project.relpath(t)) for s, t in missing_targets(project)) \
        if project.pairs and not options.changed_since and not options.paths else ()
    return GateResult(report=report, paths=tuple(rel_paths), stale=stale, missing=missing,
                      skipped=skipped, workers=tally["workers"], cached=tally["cached"],
                      baseline_text=recorded, **counts)


def _outcomes(tasks: list[Task], project: Project, options: GateOptions,
              advance: Callable[[Task], None] | None,
              on_plan: Callable[[int, int], None] | None,
              tally: dict[str, int]) -> Iterator[Outcome]:
    """The outcomes of ``tasks`` in order, from the cache where it has them, one at a
    time: a cached report is decoded at its turn, a document is checked (in process, or
    a few ahead in a pool) when its turn nears. What is checked goes into the cache
    whole (the cache holds reports before the filter). ``tally`` gets the number of
    worker processes and of cache hits."""
    config = project.config
    keys: list[str] = []
    bounds: list[dict[str, Any]] = []
    store = None
    stored: set[int] = set()
    if options.cache:
        from mtqa.ci.cache import Cache, binding, digest_of

        store = Cache(Path(options.cache))
        name = getattr(aligner(config), "name", "aligner")
        bounds = [binding((t.target, t.source, t.reference), config, name) for t in tasks]
        keys = [digest_of(b) for b in bounds]
        stored = {n for n, digest in enumerate(keys) if store.has(digest)}
    todo = [n for n in range(len(tasks)) if n not in stored]
    size = sum(_size(f) for n in todo for f in (tasks[n].target, tasks[n].source,
                                                 tasks[n].reference) if f)
    workers = workers_for(len(todo), options.jobs or project.jobs, size)
    tally["workers"] = workers
    if on_plan:
        on_plan(len(tasks), workers)
    checked = iter_tasks([tasks[n] for n in todo], config, workers, advance)
    for n in range(len(tasks)):
        hit = store.get(keys[n], bounds[n]) if store is not None and n in stored else None
        if hit is not None:
            tally["cached"] += 1
            if advance:
                advance(tasks[n])
            yield Outcome(hit[0], hit[1])
            continue
        # Not in the cache; or its entry failed verification at its turn (edited, or
        # stored for other inputs): checked here.
        outcome = next(checked) if n not in stored else next(iter_tasks([tasks[n]], config,
                                                                        1, advance))
        if store is not None and outcome.document is not None:
            store.put(keys[n], bounds[n], outcome.document, outcome.signature)
        yield outcome
    if store is not None and store.rejected:
        import warnings

        warnings.warn(f"{store.rejected} result cache entr"
                      f"{'y' if store.rejected == 1 else 'ies'} failed verification "
                      "(edited, moved, or signed with another key): checked again",
                      RuntimeWarning, stacklevel=3)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class _Reraised(InputError):
    """An input error from a worker, where only its message survived the trip."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)
        self.path, self.line, self.message = None, None, message


def _filter(doc: Examined, job: Job, rel: str, project: Project,
            lines: dict[Path, set[int] | None] | None, known: baselines.Matcher | None,
            counts: dict[str, int]) -> list[Issue]:
    rules: Sequence[Suppression] = project.pairs[job.pair].suppress if project.pairs else ()
    target_directives = None if job.bilingual else file_directives(job.target)
    source_directives = None if job.bilingual or not job.source else file_directives(job.source)
    kept = []
    for issue in doc.issues:
        loc = issue.target or issue.source
        flagged = loc.text if loc else ""
        if any(r.matches(issue.code, rel, flagged) for r in rules) or \
                is_suppressed(issue, target_directives, source_directives):
            counts["suppressed"] += 1
            continue
        if lines is not None and not _on_changed_line(issue, job, lines):
            counts["unchanged"] += 1
            continue
        if known is not None and known.known(rel, issue, doc):
            counts["baselined"] += 1
            continue
        kept.append(issue)
    return kept


def _on_changed_line(issue: Issue, job: Job, lines: dict[Path, set[int] | None]) -> bool:
    if issue.target is not None:
        loc, path = issue.target, job.target
    elif issue.source is not None and job.source is not None:
        loc, path = issue.source, job.source
    else:
        return True
    changed = lines.get(path.resolve(), set())
    if changed is None:
        return True  # a new file: every line is changed
    return any(n in changed for n in range(loc.line, loc.line + loc.text.count("\n") + 1))


def _signature(project: Project) -> str:
    from mtqa.pipeline import signature

    return signature(enabled_checks(project.config), project.config, aligner(project.config), [])


def ci_mode() -> bool:
    """Whether to be plain and quiet: CI says so, or nobody is watching a terminal."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
