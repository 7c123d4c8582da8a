"""Reports built by hand for the HTML report tests: independent of the checks and the
aligner, so that their output (and the golden file) changes only when the HTML does."""
from __future__ import annotations

from mtqa.config import Config
from mtqa.model import Bead, Document, DocumentReport, Issue, Report, Segment, Severity, locate
from mtqa.quality.scoring import gate, score

HOSTILE = [
    "<script>window.pwned = 1</script>",
    "</script><script>window.pwned = 2</script>",
    '<img src=x onerror="window.pwned = 3">',
    "<!-- not a comment --> & &amp; \u2028line\u2029sep",
]


def _doc(path: str | None, lang: str, texts: list[str], fmt: str = "text") -> Document:
    return Document(path, lang, tuple(Segment(t, line=n + 1, column=1, offset=-1)
                                      for n, t in enumerate(texts)), fmt)


def _issue(code: str, name: str, category: str, severity: Severity, message: str,
           target: tuple[Document, int, int, int] | None = None,
           source: tuple[Document, int, int, int] | None = None,
           suggestion: str | None = None) -> Issue:
    return Issue(code, name, category, severity, message,
                 target=locate(*target) if target else None,
                 source=locate(*source) if source else None, suggestion=suggestion)


def _report(docs: list[tuple[Document, Document | None, Document | None, tuple[Bead, ...],
                             list[Issue]]], signature: str = "mtqa:test|checks:6") -> Report:
    config = Config()
    reports = []
    for tgt, src, ref, beads, issues in docs:
        scores = score(tgt, beads, issues, config.weights)
        passed, reasons = gate(scores, issues, config)
        metrics = {"bleu": 41.23, "chrf": 60.5, "ter": 48.0} if ref else {}
        reports.append(DocumentReport(tgt, src, ref, beads, tuple(issues), metrics, scores,
                                      passed, reasons))
    return Report(tuple(reports), signature, all(r.passed for r in reports),
                  {"fail_on": config.fail_on.value, "fail_under": config.fail_under})


def small_report() -> Report:
    """Three beads (a match, an omission, an addition) with crossing and nested spans,
    an empty span, a source-side span, an issue without a location, and an emoji
    before a span (offsets count code points, JavaScript counts UTF-16 units)."""
    src = _doc("river.zh.txt", "zh", ["河长共清理了11.1万吨垃圾。", "会议要求加强治理。"])
    tgt = _doc("river.mt.en.txt", "en", ["🌊 The the river chief removed 11,100 tons of waste",
                                         "An added sentence."])
    ref = _doc("river.ref.en.txt", "en", ["River chiefs removed 111,000 tonnes of waste.",
                                          "The meeting called for stronger management."])
    beads = (Bead((0,), (0,), (0,), 0.9), Bead((1,), (), (1,), None), Bead((), (1,), (), None))
    issues = [
        _issue("FL01", "fluency.repeated-word", "fluency/grammar", Severity.MINOR,
               "repeated word 'the'", target=(tgt, 0, 2, 9), suggestion="The"),
        _issue("TE01", "terminology.wrong-term", "terminology/wrong-term", Severity.MAJOR,
               "'river chief' should be 'river chief' <the glossary's term>",
               target=(tgt, 0, 6, 21)),
        _issue("ST01", "style.awkward", "style/awkward", Severity.MINOR,
               "'river' is nested inside the term span", target=(tgt, 0, 10, 15)),
        _issue("AC03", "accuracy.number-mismatch", "accuracy/mistranslation", Severity.MAJOR,
               "number '11,100' does not match '11.1万' in the source",
               target=(tgt, 0, 30, 36), source=(src, 0, 6, 11), suggestion="111,000"),
        _issue("FL02", "fluency.missing-period", "fluency/punctuation", Severity.MINOR,
               "the sentence has no final period", target=(tgt, 0, 50, 50), suggestion="."),
        _issue("AC04", "accuracy.omission", "accuracy/omission", Severity.CRITICAL,
               "this source sentence is not translated", source=(src, 1, 0, 9)),
        _issue("CO01", "consistency.term", "terminology/inconsistent", Severity.MINOR,
               "'river chief' and 'River Chief' are both used"),
    ]
    return _report([(tgt, src, ref, beads, issues)])


def target_only_report() -> Report:
    tgt = _doc("notes.en.txt", "en", ["This is is fine.", "Nothing here."])
    beads = (Bead((), (0,)), Bead((), (1,)))
    issues = [_issue("FL01", "fluency.repeated-word", "fluency/grammar", Severity.MINOR,
                     "repeated word 'is'", target=(tgt, 0, 5, 10))]
    return _report([(tgt, None, None, beads, issues)])


def hostile_report() -> Report:
    """Hostile text everywhere a document or a check puts text: file name, segments,
    reference, message, suggestion, check name and category."""
    tgt = _doc('<img src=x onerror="window.pwned = 4">.md', "en", HOSTILE)
    src = _doc("</title><script>window.pwned = 5</script>.md", "zh", ["源文。"] * len(HOSTILE))
    ref = _doc("ref.md", "en", list(reversed(HOSTILE)))
    beads = tuple(Bead((n,), (n,), (n,)) for n in range(len(HOSTILE)))
    issues = [
        _issue("FL01", '<b onmouseover="window.pwned = 6">name</b>', "fluency/<i>grammar</i>",
               Severity.MAJOR, "<script>window.pwned = 7</script>", target=(tgt, n, 0, 8),
               suggestion='"><svg onload="window.pwned = 8">')
        for n in range(len(HOSTILE))
    ]
    return _report([(tgt, src, ref, beads, issues)])


def two_document_report() -> Report:
    first, second = small_report().documents[0], target_only_report().documents[0]
    return Report((first, second), "mtqa:test|checks:6", first.passed and second.passed,
                  {"fail_on": "critical", "fail_under": 95.0})
