"""Facts about the code base itself: one version, and formatters that read the model only."""
from __future__ import annotations

import ast
import json
import sys
from importlib import metadata
from pathlib import Path

import mtqa
from mtqa.version import __version__

ROOT = Path(__file__).resolve().parent.parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_the_version_is_written_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert mtqa.__version__ == __version__ == metadata.version("mtqa")


def _mtqa_imports(path: Path) -> set[str]:
    """The mtqa modules a file imports at run time, at the top or inside functions (not
    those under ``if TYPE_CHECKING:``, which only the type checker reads)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree)
                   if isinstance(block, ast.If) and isinstance(block.test, ast.Name)
                   and block.test.id == "TYPE_CHECKING"
                   for stmt in block.body for n in ast.walk(stmt)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "mtqa" else [
                f"mtqa.{a.name}" for a in node.names]
            found.update(n for n in names if n.startswith("mtqa"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("mtqa"))
    return found


def test_formatters_depend_on_the_model_only() -> None:
    # The baseline's fingerprint is a pure function of model values (SARIF quotes it).
    allowed = {"mtqa.model", "mtqa.version", "mtqa.ci.baseline"}
    for path in sorted((ROOT / "mtqa" / "formatters").glob("*.py")):
        outside = {m for m in _mtqa_imports(path)
                   if m not in allowed and not m.startswith("mtqa.formatters")}
        assert not outside, f"{path.name} imports {sorted(outside)}"


def test_sarif_lists_the_rules_the_report_carries() -> None:
    from mtqa.checks.registry import all_checks
    from mtqa.formatters import renderer
    from mtqa.model import Report, Rule, Severity

    rule = Rule("ZZ99", "test.rule", "fluency/test", Severity.MAJOR, False, "Says hello.\n\nMore.")
    data = json.loads(renderer("sarif")(Report((), "sig", True, rules=(rule,))))
    [listed] = data["runs"][0]["tool"]["driver"]["rules"]
    assert (listed["id"], listed["shortDescription"]["text"],
            listed["defaultConfiguration"]) == ("ZZ99", "Says hello.",
                                                {"level": "warning", "enabled": False})
    # A real run carries every registered check.
    from mtqa.api import check_texts

    report = check_texts("Hello there.")
    assert [r.code for r in report.rules] == [c.code for c in all_checks()]


def test_every_check_names_the_file_that_defines_it() -> None:
    from mtqa.checks.registry import all_checks, source_file

    for cls in all_checks():
        text = (ROOT / source_file(cls)).read_text(encoding="utf-8")
        assert f'code = "{cls.code}"' in text, source_file(cls)


def test_explain_names_the_file_of_the_check() -> None:
    from typer.testing import CliRunner

    from mtqa.cli import app

    result = CliRunner().invoke(app, ["explain", "FL03"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].endswith("(mtqa/checks/punctuation.py)")
