"""A suggestion replaces the flagged text where it stands: it keeps that text's number,
and the glossary's capitals where the glossary writes the term (CO05)."""
from __future__ import annotations

import pytest

from mtqa.checks.base import Context
from mtqa.checks.consistency_target import fit_form
from mtqa.glossary import Glossary, Term
from mtqa.model import Document, Segment

DOC = Document(path=None, lang="en", segments=(Segment("x", 1, 1),))
GLOSSARY = Glossary(terms=(Term(source="党建", targets=("Party building",)),))


@pytest.mark.parametrize("suggestion, flagged, glossary, expected", [
    ("river chiefs", "River Chief", None, "river chief"),
    ("river chief", "River Chiefs", None, "river chiefs"),
    ("river chiefs", "River Chiefs", None, "river chiefs"),
    ("party building", "Party Building", GLOSSARY, "Party building"),
    ("party building", "Party Building", None, "party building"),
    ("grass-roots", "grassroots", None, "grass-roots"),
])
def test_fit_form(suggestion: str, flagged: str, glossary: Glossary | None,
                  expected: str) -> None:
    ctx = Context(target=DOC, glossary=glossary)
    assert fit_form(suggestion, flagged, ctx) == expected
