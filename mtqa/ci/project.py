"""The project configuration of a repository: ``[tool.mtqa]`` in ``pyproject.toml`` or a
``mtqa.toml``, found from the current folder upwards, and the file pairs it names.

A pair says which translations to check and where their sources are::

    [[tool.mtqa.pairs]]
    source = "docs/zh/**/*.md"          # a glob, relative to the config file's folder
    target = "docs/en/{relpath}"        # a template: {relpath} {reldir} {name} {stem}
    suppress = ["FL01", {code = "AC01", text = "CPC"}]

    [[tool.mtqa.pairs]]
    bilingual = "i18n/*.tsv"            # bilingual files carry both sides

A pair with a ``target`` glob and no ``source`` checks translations alone. Unknown keys
are errors that name the key, so a typo never silently changes what gates a pipeline.

Every path a config file names (glossaries, baseline, cache, outputs, and the files the
pairs match) must resolve, symlinks followed, inside the repository that holds the
config (the top of its git work tree, else the config's folder). A pull request edits
the config too: ``glossaries = ["../../home/runner/.ssh/id_rsa"]`` or a symlinked
translation would otherwise put a file from outside the repository into a public
report. A path given on the command line may point anywhere.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtqa.config import Config, ConfigError

# Keys of [tool.mtqa] that are not Config fields.
PROJECT_KEYS = ("pairs", "output", "baseline", "jobs", "cache")
PAIR_KEYS = ("source", "target", "reference", "bilingual", "suppress")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Suppression:
    """Drop issues of check ``code`` (on files matching ``path``, with flagged text
    containing ``text``, when those are given)."""

    code: str
    path: str | None = None
    text: str | None = None

    def matches(self, code: str, path: str, flagged: str) -> bool:
        if code != self.code:
            return False
        if self.path is not None and not fnmatch.fnmatch(path, self.path):
            return False
        return self.text is None or self.text in flagged


@dataclass(frozen=True)
class Pair:
    """One ``[[tool.mtqa.pairs]]`` entry."""

    source: str | None = None
    target: str | None = None
    reference: str | None = None
    bilingual: str | None = None
    suppress: tuple[Suppression, ...] = ()


@dataclass(frozen=True)
class Job:
    """One document to check: files as absolute paths, ``pair`` its index in the config."""

    target: Path
    source: Path | None = None
    reference: Path | None = None
    bilingual: bool = False
    pair: int = 0

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(p for p in (self.target, self.source, self.reference) if p is not None)


@dataclass(frozen=True)
class Project:
    """A repository's mtqa settings. ``root`` is the folder of the config file (or the
    current folder when there is none); pair globs and output paths are relative to it."""

    root: Path
    file: Path | None = None
    config: Config = field(default_factory=Config)
    pairs: tuple[Pair, ...] = ()
    output: Mapping[str, str] = field(default_factory=dict)
    baseline: str | None = None
    jobs: int = 0
    cache: str = ".mtqa_cache"  # "" turns the result cache off

    def resolve(self, path: str) -> Path:
        """``path`` (relative to the root), which must stay inside the repository."""
        return confine(self.root, self.root / path, "path")

    def relpath(self, path: Path) -> str:
        """``path`` relative to the root, with forward slashes (as in globs and baselines)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()


def boundary(root: Path) -> Path:
    """The folder that config paths must stay inside: the top of the git work tree that
    holds ``root`` (the config's folder), else ``root`` itself."""
    folder = root.resolve()
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            return parent
    return folder


def confine(root: Path, path: Path, what: str, origin: str = "config") -> Path:
    """``path`` resolved (symlinks followed); a ``ConfigError`` if that leaves the
    repository of ``root``."""
    resolved = path.resolve()
    top = boundary(root)
    if resolved != top and top not in resolved.parents:
        raise ConfigError(f"{origin}: {what} {str(path)!r} resolves outside the repository "
                          f"({top}); refused. Give it on the command line to use it")
    return resolved


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``mtqa.toml`` or ``pyproject.toml`` with a ``[tool.mtqa]`` table, from
    ``start`` upwards; the search stops at the top of the git repository."""
    folder = (start or Path.cwd()).resolve()
    while True:
        candidate = folder / "mtqa.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "mtqa" in _load_toml(candidate).get("tool", {}):
            return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def load_project(path: Path | None = None, start: Path | None = None) -> Project:
    """The project of config file ``path``, or of the config found from ``start`` (the
    current folder) upwards; defaults when there is none."""
    file = path or find_config(start)
    if file is None:
        return Project(root=(start or Path.cwd()).resolve())
    if not file.is_file():
        raise ConfigError(f"{file}: config file not found")
    data = _load_toml(file)
    if file.name == "pyproject.toml":
        data = data.get("tool", {}).get("mtqa", {})  # mtqa.toml holds the keys at its top
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: [tool.mtqa] must be a table")
    return project_from_mapping(data, file.resolve().parent, file)


def project_from_mapping(data: Mapping[str, Any], root: Path,
                         file: Path | None = None) -> Project:
    """Build a Project from a ``[tool.mtqa]`` table; unknown keys raise ConfigError."""
    origin = str(file) if file else "config"
    settings = {k: v for k, v in data.items() if k.replace("-", "_") not in PROJECT_KEYS}
    config = Config.from_mapping(settings, origin)
    if config.glossaries:  # relative to the config file, like every path in it
        config = dataclasses.replace(config, glossaries=tuple(
            g if _shipped_name(g, root) else str(confine(root, root / g, "glossary", origin))
            for g in config.glossaries))
    if config.estimate not in ("", "default"):  # a parameters file of `mtqa fit`
        config = dataclasses.replace(config, estimate=str(
            confine(root, root / config.estimate, "estimate", origin)))
    extra = {k.replace("-", "_"): v for k, v in data.items()
             if k.replace("-", "_") in PROJECT_KEYS}
    pairs = tuple(_pair(p, n, origin) for n, p in enumerate(_list(extra.get("pairs", []),
                                                                   "pairs", origin)))
    output = extra.get("output", {})
    if not isinstance(output, dict) or not all(isinstance(v, str) for v in output.values()):
        raise ConfigError(f"{origin}: 'output' must be a table of format = \"path\"")
    check_formats(output, origin)
    jobs = extra.get("jobs", 0)
    if not isinstance(jobs, int) or jobs < 0:
        raise ConfigError(f"{origin}: 'jobs' must be 0 (automatic) or a number of processes")
    for key in ("baseline", "cache"):
        if key in extra and not isinstance(extra[key], str):
            raise ConfigError(f"{origin}: {key!r} must be a path")
    for key, value in (("baseline", extra.get("baseline")),
                       ("cache", extra.get("cache", ".mtqa_cache"))):
        if value:  # the default cache folder too: a committed symlink could move it
            confine(root, root / value, key, origin)
    for name, path in output.items():
        confine(root, root / path, f"output {name}", origin)
    return Project(root=root.resolve(), file=file, config=config, pairs=pairs,
                   output=dict(output), baseline=extra.get("baseline"), jobs=jobs,
                   cache=extra.get("cache", ".mtqa_cache"))


def _shipped_name(name: str, root: Path) -> bool:
    """Whether ``name`` means a glossary shipped with mtqa (``cpc-terms``), not a file."""
    from mtqa.shipped import resolve_glossary

    return not (root / name).exists() and resolve_glossary(name) != name


def check_formats(output: Mapping[str, str], origin: str) -> None:
    from mtqa.formatters import FORMATS

    for name in output:
        if name not in FORMATS:
            raise ConfigError(f"{origin}: unknown output format {name!r} "
                              f"(available: {', '.join(sorted(FORMATS))})")


def _list(value: Any, key: str, origin: str) -> list[Any]:
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{origin}: {key!r} must be a list")
    return value


def _pair(data: Any, number: int, origin: str) -> Pair:
    where = f"{origin}: pairs[{number}]"
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must be a table")
    for key in data:
        if key not in PAIR_KEYS:
            raise ConfigError(f"{where}: unknown setting {key!r} "
                              f"(a pair has {', '.join(PAIR_KEYS)})")
        if key != "suppress" and not isinstance(data[key], str):
            raise ConfigError(f"{where}: {key!r} must be a string")
    if "bilingual" in data:
        if set(data) - {"bilingual", "suppress"}:
            raise ConfigError(f"{where}: a 'bilingual' pair has no source/target/reference")
    elif "target" not in data:
        raise ConfigError(f"{where}: needs 'target' (and usually 'source') or 'bilingual'")
    elif "reference" in data and "source" not in data:
        raise ConfigError(f"{where}: 'reference' is a template on the source path; "
                          "give 'source' too")
    suppress = tuple(_suppression(s, f"{where}.suppress")
                     for s in _list(data.get("suppress", []), "suppress", where))
    return Pair(source=data.get("source"), target=data.get("target"),
                reference=data.get("reference"), bilingual=data.get("bilingual"),
                suppress=suppress)


def _suppression(data: Any, where: str) -> Suppression:
    from mtqa.checks.registry import find

    if isinstance(data, str):
        data = {"code": data}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: an entry is a code or a table with 'code'")
    unknown = set(data) - {"code", "path", "text"}
    if unknown:
        raise ConfigError(f"{where}: unknown setting {sorted(unknown)[0]!r} "
                          "(a suppression has code, path, text)")
    code = data.get("code")
    if not isinstance(code, str) or not code:
        raise ConfigError(f"{where}: every suppression needs a check 'code'")
    cls = find(code)
    if cls is None:
        raise ConfigError(f"{where}: no check {code!r} (see `mtqa rules`)")
    return Suppression(code=cls.code, path=data.get("path"), text=data.get("text"))


def expand(project: Project) -> list[Job]:
    """Every document the pairs name, in config order then path order. A source whose
    translation does not exist yet is skipped (see ``missing_targets``)."""
    jobs, _ = _expand(project)
    return jobs


def missing_targets(project: Project) -> list[tuple[Path, Path]]:
    """(source, expected target) for sources that have no translation yet."""
    return _expand(project)[1]


def _expand(project: Project) -> tuple[list[Job], list[tuple[Path, Path]]]:
    jobs: dict[tuple[Path, ...], Job] = {}
    missing: list[tuple[Path, Path]] = []
    for number, pair in enumerate(project.pairs):
        if pair.bilingual is not None:
            for path in _glob(project.root, pair.bilingual):
                jobs.setdefault((path,), Job(target=path, bilingual=True, pair=number))
            continue
        assert pair.target is not None
        if pair.source is None:
            for path in _glob(project.root, pair.target):
                jobs.setdefault((path,), Job(target=path, pair=number))
            continue
        base = _glob_base(pair.source)
        for src in _glob(project.root, pair.source):
            rel = src.relative_to((project.root / base).resolve()).as_posix()
            target = project.resolve(fill(pair.target, rel))
            reference = project.resolve(fill(pair.reference, rel)) if pair.reference else None
            if not target.is_file():
                missing.append((src, target))
                continue
            if reference is not None and not reference.is_file():
                reference = None
            jobs.setdefault((target,), Job(target=target, source=src, reference=reference,
                                           pair=number))
    return list(jobs.values()), missing


def fill(template: str, relpath: str) -> str:
    """Fill a target/reference template from a source path relative to its glob base:
    ``{relpath}`` (``guide/intro.zh.md``), ``{reldir}`` (``guide``), ``{name}``
    (``intro.zh.md``), ``{stem}`` (``intro``: the name up to its first dot)."""
    reldir, _, name = relpath.rpartition("/")
    values = {"relpath": relpath, "reldir": reldir, "name": name, "stem": name.split(".")[0]}
    try:
        out = template.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"bad template {template!r}: use {{relpath}}, {{reldir}}, "
                          f"{{name}} or {{stem}} ({exc})") from None
    while "//" in out:
        out = out.replace("//", "/")
    return out


def _glob_base(pattern: str) -> str:
    parts = []
    for part in pattern.split("/"):
        if _GLOB_CHARS & set(part):
            break
        parts.append(part)
    else:
        parts = parts[:-1]  # no wildcard: the base is the file's folder
    return "/".join(parts) or "."


def _glob(root: Path, pattern: str) -> list[Path]:
    if os.path.isabs(pattern):
        raise ConfigError(f"pair pattern {pattern!r} must be relative to the config folder")
    if not _GLOB_CHARS & set(pattern):
        path = confine(root, root / pattern, "pair file")
        return [path] if path.is_file() else []
    return sorted(confine(root, p, "pair file") for p in root.glob(pattern) if p.is_file())


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
