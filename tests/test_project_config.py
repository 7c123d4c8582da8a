"""The project config file: where it is found, what it may say, and the pairs it names."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import ROOT
from gitrepo import run, write

from mtqa.ci.project import (
    PAIR_KEYS,
    PROJECT_KEYS,
    expand,
    fill,
    find_config,
    load_project,
    missing_targets,
    project_from_mapping,
)
from mtqa.config import Config, ConfigError


def test_found_from_the_current_folder_upwards(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) is None
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.mtqa]: skipped
    assert find_config(deep) is None
    write(tmp_path / "pyproject.toml", "[tool.mtqa]\nfail-under = 90\n")
    assert find_config(deep) == tmp_path / "pyproject.toml"
    write(tmp_path / "a" / "mtqa.toml", "fail-under = 80\n")
    assert find_config(deep) == tmp_path / "a" / "mtqa.toml"
    project = load_project(start=deep)
    assert project.config.fail_under == 80 and project.root == (tmp_path / "a").resolve()


def test_search_stops_at_the_repository_top(tmp_path: Path) -> None:
    write(tmp_path / "mtqa.toml", "fail-under = 80\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert find_config(tmp_path / "repo") is None
    assert load_project(start=tmp_path / "repo").config == Config()


@pytest.mark.parametrize("text, message", [
    ("fail-onn = 'major'\n", "unknown setting 'fail-onn'"),
    ("fail-on = 'huge'\n", "unknown severity 'huge'"),
    ("max-issues = {accuracy = -1}\n", "0 or more"),
    ("jobs = 'many'\n", "'jobs'"),
    ("[output]\nhtml5 = 'x'\n", "unknown output format 'html5'"),
    ("[[pairs]]\nsource = 'a/*.md'\n", "needs 'target'"),
    ("[[pairs]]\ntarget = 'a/*.md'\nsorce = 'b'\n", "unknown setting 'sorce'"),
    ("[[pairs]]\nbilingual = 'a/*.tsv'\ntarget = 'x'\n", "no source/target"),
    ("[[pairs]]\ntarget = 'a/*.md'\nsuppress = ['ZZ01']\n", "no check 'ZZ01'"),
    ("[[pairs]]\ntarget = 'a/*.md'\nsuppress = [{code = 'FL01', line = 3}]\n",
     "unknown setting 'line'"),
    ("fail-under = \n", "not valid TOML"),
])
def test_bad_settings_are_errors_that_name_them(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "mtqa.toml", text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_project(tmp_path / "mtqa.toml")


def test_every_key_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## CI gate", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z-]+)`", section, re.M))
    keys = {f.name.replace("_", "-") for f in dataclasses.fields(Config)}
    keys |= {k.replace("_", "-") for k in PROJECT_KEYS} | set(PAIR_KEYS)
    assert keys - documented == set()
    assert documented - keys == set()


@pytest.mark.parametrize("template, relpath, expected", [
    ("docs/en/{relpath}", "guide/intro.md", "docs/en/guide/intro.md"),
    ("docs/en/{relpath}", "intro.md", "docs/en/intro.md"),
    ("docs/{reldir}/{stem}.en.md", "guide/intro.zh.md", "docs/guide/intro.en.md"),
    ("docs/{reldir}/{stem}.en.md", "intro.zh.md", "docs/intro.en.md"),
    ("en/{name}", "a/b/c.txt", "en/c.txt"),
])
def test_templates(template: str, relpath: str, expected: str) -> None:
    assert fill(template, relpath) == expected


def test_glossary_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    inside = tmp_path.resolve() / "abs" / "b.tsv"  # absolute, inside the project
    write(tmp_path / "mtqa.toml", f'glossaries = ["terms/a.tsv", "{inside}"]\n')
    project = load_project(start=tmp_path)
    assert project.config.glossaries == (str(tmp_path.resolve() / "terms/a.tsv"), str(inside))


def test_bad_template_is_an_error() -> None:
    with pytest.raises(ConfigError, match="relpath"):
        fill("docs/{path}", "a.md")


def test_pairs_expand_to_documents(tmp_path: Path) -> None:
    for rel in ("docs/zh/a.md", "docs/zh/sub/b.md", "docs/zh/sub/c.md", "docs/en/a.md",
                "docs/en/sub/b.md", "refs/sub/b.md", "site/x.zh.md", "site/x.en.md",
                "i18n/ui.tsv", "i18n/ui.md", "blog/en/p.md"):
        write(tmp_path / rel, "text\n")
    project = project_from_mapping({"pairs": [
        {"source": "docs/zh/**/*.md", "target": "docs/en/{relpath}",
         "reference": "refs/{relpath}"},
        {"source": "site/*.zh.md", "target": "site/{stem}.en.md"},
        {"bilingual": "i18n/*.tsv"},
        {"target": "blog/en/*.md"},
    ]}, tmp_path)
    got = [(project.relpath(j.target), j.source and project.relpath(j.source),
            j.reference and project.relpath(j.reference), j.bilingual, j.pair)
           for j in expand(project)]
    assert got == [
        ("docs/en/a.md", "docs/zh/a.md", None, False, 0),
        ("docs/en/sub/b.md", "docs/zh/sub/b.md", "refs/sub/b.md", False, 0),
        ("site/x.en.md", "site/x.zh.md", None, False, 1),
        ("i18n/ui.tsv", None, None, True, 2),
        ("blog/en/p.md", None, None, False, 3),
    ]
    assert [(project.relpath(s), project.relpath(t)) for s, t in missing_targets(project)] == [
        ("docs/zh/sub/c.md", "docs/en/sub/c.md")]


def test_check_reads_the_config_file_and_flags_override_it(tmp_path: Path) -> None:
    # Checked without a source, one minor issue needs 200 words to stay over 99.5.
    write(tmp_path / "a.md", "# Title\n\nThe the page is long enough to pass the gate. "
                             + "It has one minor issue in it, we hope so. " * 25 + "\n")
    assert run(tmp_path, "check", "a.md", "--format", "json")[0] == 0
    write(tmp_path / "mtqa.toml", 'fail-on = "minor"\n')
    assert run(tmp_path, "check", "a.md", "--format", "json")[0] == 1
    assert run(tmp_path, "check", "a.md", "--format", "json", "--fail-on", "major")[0] == 0
    write(tmp_path / "mtqa.toml", 'fail-on = "minor"\nignore = ["FL01"]\n')
    code, out, _ = run(tmp_path, "check", "a.md", "--format", "json")
    assert code == 0 and '"FL01"' not in out
    write(tmp_path / "mtqa.toml", 'fail-onn = "minor"\n')
    code, _, err = run(tmp_path, "check", "a.md")
    assert code == 2 and "'fail-onn'" in err


def test_align_mode_reaches_the_aligner_in_any_case() -> None:
    from mtqa.alignment.aligner import AutoAligner, default_aligner
    from mtqa.config import Config

    config = Config.from_mapping({"align-mode": "Free"}, "mtqa.toml")
    assert config.align_mode == "free"
    aligner = default_aligner(config)
    assert isinstance(aligner, AutoAligner) and aligner.mode == "free"
