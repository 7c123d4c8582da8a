"""The examples in each check's documentation do what the documentation says: the one
after "Fires:" fires, the one after "Passes:" passes."""
from __future__ import annotations

import re

import pytest

from _checkutil import run_check, run_document
from mtqa.checks.registry import all_checks, documentation

_EXAMPLE = re.compile(r"``(.+?)``(?!`)", re.DOTALL)
_PAIR = re.compile(r"source ``(.+?)``\s*/\s*target ``(.+?)``", re.DOTALL)
# Examples that need a whole document (consistency), a glossary (terminology) or an
# aligned document pair: covered by their own tests (test_consistency.py,
# test_terminology.py, test_segment_limit.py...).
_DOCUMENT_LEVEL = {"LO06"}
_OWN_TESTS = ("CO", "TE", "TG05", "TG06", "AL", "EX08")


def _examples(cls: type, label: str) -> list[str]:
    doc = documentation(cls)
    start = doc.find(f"{label}:")
    if start < 0:
        return []
    line = doc[start:].split("\n\n", 1)[0].split(f"\n{'Passes' if label == 'Fires' else 'Fires'}:")[0]
    return [_unwrap(x) for x in _EXAMPLE.findall(line)]


def _unwrap(example: str) -> str:
    """An example as written, without the line breaks of the docstring."""
    return re.sub(r"\s*\n\s*", " ", example)


def _fires(cls: type, example: str, source: str | None = None) -> bool:
    lang = "en"
    if source is not None:
        source_lang = "zh" if re.search(r"[\u4e00-\u9fff]", source) else "en"
        return bool(run_check(cls.code, example, source=source, source_lang=source_lang,
                              lang=lang))
    return bool(run_document(cls.code, example + "\n", lang=lang))


CHECKS = [c for c in all_checks()
          if c.code not in _DOCUMENT_LEVEL and not c.code.startswith(_OWN_TESTS)]


@pytest.mark.parametrize("cls", CHECKS, ids=lambda c: c.code)
def test_documented_examples(cls: type) -> None:
    doc = documentation(cls)
    if "source" in cls.requires:
        fires = _PAIR.search(doc[doc.index("Fires:"):])
        passes = _PAIR.search(doc[doc.index("Passes:"):])
        assert fires and passes, f"{cls.code}: write pair examples as source ``..`` / target ``..``"
        assert _fires(cls, _unwrap(fires.group(2)), _unwrap(fires.group(1)))
        assert not _fires(cls, _unwrap(passes.group(2)), _unwrap(passes.group(1)))
        return
    fires, passes = _examples(cls, "Fires"), _examples(cls, "Passes")
    assert fires and passes, cls.code
    for example in fires:
        assert _fires(cls, example), f"{cls.code} should fire on {example!r}"
    for example in passes:
        assert not _fires(cls, example), f"{cls.code} should pass {example!r}"
