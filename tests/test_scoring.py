"""MQM penalties, quality score, and the gate."""
from __future__ import annotations

from mtqa.config import Config
from mtqa.model import Bead, Document, Issue, Location, Segment, Severity
from mtqa.quality.scoring import count_words, gate, score

DOC = Document("t.txt", "en", (
    Segment("One two three four five six seven eight nine ten.", 1, 1),
    Segment("Eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty.", 2, 1),
))
BEADS = (Bead((0,), (0,)), Bead((1,), (1,)))


def issue(severity: Severity, segment: int, category: str = "accuracy/mistranslation") -> Issue:
    return Issue("AC03", "x", category, severity, "m", Location(segment, 0, 3, segment + 1, 1, "One"))


def test_weights_and_quality() -> None:
    issues = [issue(Severity.MAJOR, 0), issue(Severity.MINOR, 1),
              issue(Severity.MINOR, 1, "fluency/punctuation")]
    s = score(DOC, BEADS, issues, Config().weights)
    assert s.penalty == 6.1
    assert s.segments == (5.0, 1.1)
    assert s.words == 20
    assert abs(s.quality - (100 * (1 - 6.1 / 20))) < 1e-9


def test_quality_is_clamped() -> None:
    issues = [issue(Severity.CRITICAL, 0)]
    assert score(DOC, BEADS, issues, Config().weights).quality == 0.0


def test_words_count_cjk_characters() -> None:
    zh = Document(None, "zh", (Segment("会议在北京举行。", 1, 1), Segment("GDP grew.", 2, 1)))
    assert count_words(zh) == 7 + 2


def test_gate() -> None:
    clean = score(DOC, BEADS, [], Config().weights)
    assert gate(clean, [], Config()) == (True, ())
    major = [issue(Severity.MAJOR, 0)]
    s = score(DOC, BEADS, major, Config().weights)
    passed, reasons = gate(s, major, Config(fail_under=0))
    assert passed
    passed, reasons = gate(s, major, Config(fail_on=Severity.MAJOR, fail_under=0))
    assert not passed and "major" in reasons[0]
    passed, reasons = gate(s, major, Config())
    assert not passed and "quality 75.0 is under 95" in reasons[0]
