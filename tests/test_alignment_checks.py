"""AL01-AL04 through the pipeline, with the fake encoder (a "translation" here is a
text in the same language that shares its words with the source)."""
from __future__ import annotations

import json

import jsonschema
import numpy as np
import pytest
from conftest import ROOT
from typer.testing import CliRunner

from mtqa.api import check_texts
from mtqa.cli import app
from mtqa.config import Config
from mtqa.model import Issue, Report

CONFIG = Config(encoder="fake", embedding_cache=False, source_lang="en", target_lang="en",
                select=("AL",))

SRC = [
    "The council opened the new library on the river bank this Saturday morning.",
    "Hundreds of children queued at the doors with their parents before nine.",
    "The old roof had leaked for years and damaged the periodicals room badly.",
    "Solar panels on the new roof will supply a third of the electricity needed.",
    "Volunteers will read stories to children in the small theatre every weekend.",
    "Opening hours are nine to nine on weekdays and nine to six at weekends.",
]


def run(target: list[str], source: list[str] = SRC) -> Report:
    return check_texts("\n\n".join(target), "\n\n".join(source), config=CONFIG)


def issues(report: Report, code: str | None = None) -> list[Issue]:
    found = list(report.documents[0].issues)
    return [i for i in found if code is None or i.code == code]


def test_faithful_translation_passes() -> None:
    assert issues(run(SRC)) == []


def test_merge_and_split_are_not_errors() -> None:
    merged = SRC[:1] + [SRC[1] + " " + SRC[2]] + SRC[3:]
    words = SRC[4].split()
    split = SRC[:4] + [" ".join(words[:6]) + ".", " ".join(words[6:])] + SRC[5:]
    assert issues(run(merged)) == []
    assert issues(run(split)) == []


def test_omitted_sentence() -> None:
    report = run(SRC[:3] + SRC[4:])
    (issue,) = issues(report)
    assert issue.code == "AL01"
    assert issue.category == "accuracy/omission"
    assert issue.severity.value == "major"
    assert issue.source is not None and issue.source.segment == 3
    assert issue.source.text == SRC[3]
    # The target location is where the sentence would go: the end of target segment 2.
    assert issue.target is not None and issue.target.segment == 2
    assert issue.target.start == issue.target.end == len(SRC[2])


def test_target_covering_only_part_of_a_merged_bead() -> None:
    doc = check_texts("\n\n".join(SRC), "\n\n".join(SRC), config=CONFIG)
    assert issues(doc) == []
    # Source sentences 1 and 2 in one bead whose target renders only sentence 1.
    from mtqa.alignment.embed import load_encoder
    from mtqa.checks.alignment import Omission
    from mtqa.checks.base import Context
    from mtqa.model import Bead

    tgt_doc = doc.documents[0].target
    src_doc = doc.documents[0].source
    beads = (Bead((0,), (0,), similarity=1.0), Bead((1, 2), (1,), similarity=0.6),
             Bead((3,), (3,), similarity=1.0), Bead((4,), (4,), similarity=1.0),
             Bead((5,), (5,), similarity=1.0))
    ctx = Context(target=tgt_doc, source=src_doc, alignment=beads,
                  encoder=load_encoder("fake", cache=False), config=CONFIG)
    found = list(Omission().run(ctx))
    assert [(i.code, i.source.segment, i.target.segment) for i in found  # type: ignore[union-attr]
            ] == [("AL01", 2, 1)]


@pytest.mark.parametrize("confidence,flagged", [(None, True), (0.9, True), (0.5, False),
                                                 (0.2, False)])
def test_unaligned_sentence_needs_the_aligner_to_prefer_an_omission(
        confidence: float | None, flagged: bool) -> None:
    """An omission is reported only where the aligner finds it more likely than a merge
    (confidence over 0.5); without a confidence (the length aligner) the check judges
    by itself."""
    from mtqa.alignment.embed import load_encoder
    from mtqa.checks.alignment import Addition, Omission
    from mtqa.checks.base import Context
    from mtqa.model import Bead

    doc = check_texts("\n\n".join(SRC[:3] + SRC[4:]), "\n\n".join(SRC), config=CONFIG)
    src_doc, tgt_doc = doc.documents[0].source, doc.documents[0].target
    beads = (Bead((0,), (0,), similarity=1.0), Bead((1,), (1,), similarity=1.0),
             Bead((2,), (2,), similarity=1.0), Bead((3,), (), confidence=confidence),
             Bead((4,), (3,), similarity=1.0), Bead((5,), (4,), similarity=1.0))
    ctx = Context(target=tgt_doc, source=src_doc, alignment=beads,
                  encoder=load_encoder("fake", cache=False), config=CONFIG)
    assert [i.source.segment for i in Omission().run(ctx)  # type: ignore[union-attr]
            ] == ([3] if flagged else [])
    # The mirror image: the same document read the other way round is an addition.
    mirrored = tuple(Bead(b.target, b.source, similarity=b.similarity,
                          confidence=b.confidence) for b in beads)
    ctx = Context(target=src_doc, source=tgt_doc, alignment=mirrored,
                  encoder=load_encoder("fake", cache=False), config=CONFIG)
    assert [i.target.segment for i in Addition().run(ctx)  # type: ignore[union-attr]
            ] == ([3] if flagged else [])


def test_added_sentence() -> None:
    extra = "Tickets for the jazz festival are sold at the harbour kiosk from June."
    report = run(SRC[:2] + [extra] + SRC[2:])
    (issue,) = issues(report)
    assert (issue.code, issue.category, issue.severity.value) == (
        "AL02", "accuracy/addition", "major")
    assert issue.target is not None and issue.target.text == extra


def test_short_addition_is_minor() -> None:
    from mtqa.alignment.embed import load_encoder
    from mtqa.checks.alignment import Addition
    from mtqa.checks.base import Context
    from mtqa.model import Bead

    doc = check_texts("\n\n".join(["Share to:"] + SRC), "\n\n".join(SRC), config=CONFIG)
    src_doc, tgt_doc = doc.documents[0].source, doc.documents[0].target
    # The aligner left the line alone and is sure of it.
    beads = (Bead((), (0,), confidence=0.9),
             *(Bead((k,), (k + 1,), similarity=1.0, confidence=0.99) for k in range(len(SRC))))
    ctx = Context(target=tgt_doc, source=src_doc, alignment=beads,
                  encoder=load_encoder("fake", cache=False), config=CONFIG)
    (issue,) = Addition().run(ctx)
    assert (issue.code, issue.severity.value) == ("AL02", "minor")
    assert issue.target is not None and issue.target.segment == 0


def test_low_similarity_is_a_possible_mistranslation() -> None:
    wrong = "Zebra quantum jackets vex big fjords while xylophones hum quietly."
    report = run(SRC[:2] + [wrong] + SRC[3:])
    found = issues(report)
    codes = {i.code for i in found}
    # The aligner may pair the sentence (low similarity) or leave it unpaired
    # (omission + addition); either way the problem is reported at that place.
    assert codes in ({"AL03"}, {"AL01", "AL02"})
    assert all(i.target is not None for i in found)
    assert any(i.target is not None and i.target.text in (wrong, "") for i in found)


def test_unrelated_document_is_one_critical_issue() -> None:
    other = ["Quantum zebra xylophone jackets vex wizards nightly in Oslo.",
             "Brown foxes jump over lazy dogs quickly near Zurich lakes.",
             "Hyperactive penguins juggle frozen kiwis beside Tokyo towers.",
             "Mauve gnomes whistle jazz tunes under Lisbon bridges at dusk."]
    report = run(other)
    found = issues(report)
    assert [(i.code, i.severity.value) for i in found] == [("AL04", "critical")]
    assert not report.passed


def test_signature_names_the_encoder() -> None:
    report = run(SRC)
    assert "align:embedding" in report.signature
    assert "enc:fake-ngrams" in report.signature


def test_target_only_has_no_alignment_issues() -> None:
    report = check_texts("\n\n".join(SRC), config=CONFIG)
    assert issues(report) == []
    assert "enc:none" in report.signature


@pytest.fixture
def files(tmp_path):  # type: ignore[no-untyped-def]
    src = tmp_path / "src.txt"
    tgt = tmp_path / "tgt.txt"
    src.write_text("\n\n".join(SRC), encoding="utf-8")
    tgt.write_text("\n\n".join(SRC[:3] + SRC[4:]), encoding="utf-8")
    return src, tgt


def test_cli_check_with_encoder_and_no_cache(files) -> None:  # type: ignore[no-untyped-def]
    src, tgt = files
    result = CliRunner().invoke(app, ["check", str(tgt), "--source", str(src), "--encoder",
                                      "fake", "--no-cache", "--format", "json",
                                      "--source-lang", "en", "--target-lang", "en"])
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["passed"] else 1), result.output
    schema = json.loads((ROOT / "mtqa" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(data, schema)
    codes = [i["code"] for i in data["documents"][0]["issues"]]
    assert "AL01" in codes
    assert all(i["target"] is not None for i in data["documents"][0]["issues"])
    assert "enc:fake-ngrams" in data["signature"]


def test_cli_align_json(files) -> None:  # type: ignore[no-untyped-def]
    src, tgt = files
    result = CliRunner().invoke(app, ["align", str(src), str(tgt), "--encoder", "fake",
                                      "--no-cache", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"source": [3], "target": []}.items() <= {
        k: v for r in rows if r["source"] == [3] for k, v in r.items()}.items()
    assert all(r["similarity"] is not None for r in rows if r["source"] and r["target"])


def test_cli_unknown_encoder_is_a_usage_error(files) -> None:  # type: ignore[no-untyped-def]
    src, tgt = files
    result = CliRunner().invoke(app, ["align", str(src), str(tgt), "--encoder", "nope"])
    assert result.exit_code == 2
    assert "unknown encoder" in result.stderr


def test_reference_is_aligned_to_the_target() -> None:
    # The reference joins sentences 1 and 2 into one and drops the last one.
    joined = SRC[1][:-1] + ", and " + SRC[2][0].lower() + SRC[2][1:]
    reference = SRC[:1] + [joined] + SRC[3:5]
    target = SRC[:3] + SRC[4:]  # sentence 3 omitted
    report = check_texts("\n\n".join(target), "\n\n".join(SRC), "\n\n".join(reference),
                         config=CONFIG)
    beads = report.documents[0].alignment
    by_target = {t: b.reference for b in beads for t in b.target}
    assert by_target[0] == (0,)
    assert by_target[1] == (1,) and by_target[2] == ()  # the joined reference sits once
    assert by_target[3] == (3,)  # target 3 is source 4 and reference 3
    assert by_target[4] == ()  # no reference for the last sentence


class _TableEncoder:
    """Each text is the vector the test gives it, so calibrated similarities are known."""

    id = "table"

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.array([self.table[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _unit(k: int, dim: int = 16) -> list[float]:
    return [1.0 if i == k else 0.0 for i in range(dim)]


def _addition_in_merge(added: str, toward_source: float,
                       options: dict[str, object] | None = None) -> list[int]:
    """Target sentences AL02 reports where source sentence 1 is aligned to target
    sentences 1 and 2, and target 2 (``added``) leans ``toward_source`` on source 1
    (negative: away from it) and is otherwise unrelated to every sentence."""
    from mtqa.checks.alignment import Addition
    from mtqa.checks.base import Context
    from mtqa.model import Bead, Document, Segment

    src = SRC[:4]
    tgt = SRC[:2] + [added] + SRC[2:4]
    table = {text: _unit(k) for k, text in enumerate(src)}
    table[added] = [toward_source * x + y for x, y in zip(_unit(1), _unit(10))]
    src_doc = Document(None, "en", tuple(Segment(t, i + 1, 1) for i, t in enumerate(src)))
    tgt_doc = Document(None, "en", tuple(Segment(t, i + 1, 1) for i, t in enumerate(tgt)))
    beads = (Bead((0,), (0,), similarity=1.0, confidence=0.99),
             Bead((1,), (1, 2), similarity=0.9, confidence=0.9),
             Bead((2,), (3,), similarity=1.0, confidence=0.99),
             Bead((3,), (4,), similarity=1.0, confidence=0.99))
    ctx = Context(target=tgt_doc, source=src_doc, alignment=beads,
                  encoder=_TableEncoder(table), config=CONFIG)  # type: ignore[arg-type]
    return [i.target.segment for i in Addition(options=options).run(ctx)]  # type: ignore[union-attr]


LONG_ADDITION = "The mayor later thanked the architects and builders for finishing on time."


def test_addition_inside_a_merge_less_like_the_source_than_unrelated_text() -> None:
    # Calibrated similarity about -0.2: the sentence leans away from its source.
    assert _addition_in_merge(LONG_ADDITION, -0.3) == [2]


def test_sentence_inside_a_merge_slightly_like_its_source_is_not_an_addition() -> None:
    # About 0.1: somewhat like the source, as a translator's own clause in a merge is;
    # the omission check's threshold (0.1) would still report it.
    assert _addition_in_merge(LONG_ADDITION, 0.09) == []
    assert _addition_in_merge(LONG_ADDITION, 0.09, {"partial": 0.1}) == [2]


def test_short_line_inside_a_merge_is_not_judged() -> None:
    assert _addition_in_merge("He nodded.", -0.3) == []
