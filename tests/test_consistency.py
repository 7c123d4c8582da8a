"""The CO checks on real bilingual and target-only cases, the seed article and the
team example."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from termhelp import glossary, run
from mtqa.api import check_texts
from mtqa.config import Config
from mtqa.pipeline import check_files


def where(issue) -> tuple[int, str]:
    return issue.target.line, issue.target.text


# ---- CO01: one source term, several renderings

NHSA = ["国家医疗保障局发布通知。", "会议在北京召开。", "国家医疗保障局表示将加快进度。"]


def test_co01_learned_from_the_alignment() -> None:
    target = ["The National Healthcare Security Administration issued a notice.",
              "The meeting was held in Beijing.",
              "The National Medical Security Administration said it would speed up."]
    (issue,) = run("CO01", target, NHSA)
    assert where(issue) == (3, "National Medical Security Administration")
    assert issue.source.text == "国家医疗保障局"
    assert "1:5" in issue.message and "3:5" in issue.message


@pytest.mark.parametrize("target", [
    # the same name twice
    ["The National Healthcare Security Administration issued a notice.",
     "The meeting was held in Beijing.",
     "The National Healthcare Security Administration said it would speed up."],
    # different heads: two different bodies, not two names of one
    ["The National Healthcare Security Administration issued a notice.",
     "The meeting was held in Beijing.",
     "The National Healthcare Security Fund said it would speed up."],
])
def test_co01_learned_passes(target: list[str]) -> None:
    assert run("CO01", target, NHSA) == []


GLOSS = glossary("河长制\triver chief system|river chief mechanism\t\t\t")


def test_co01_with_glossary_alternatives() -> None:
    source = ["推行河长制。", "河长制成效明显。", "河长制是好制度。"]
    target = ["We implement the river chief system.", "The river chief mechanism works.",
              "The river chief system is good."]
    (issue,) = run("CO01", target, source, gloss=GLOSS)
    assert where(issue) == (2, "river chief mechanism")
    assert issue.suggestion == "river chief system"
    same = ["We implement the river chief system.", "The river chief systems work.",
            "The river chief system is good."]
    assert run("CO01", same, source, gloss=GLOSS) == []


def test_co01_short_form_after_full_name_passes() -> None:
    gloss = glossary("新华社\tXinhua News Agency|Xinhua\t\t\t")
    source = ["新华社北京电。", "新华社评论员文章。"]
    target = ["Beijing (Xinhua News Agency) reported.", "A Xinhua commentary."]
    assert run("CO01", target, source, gloss=gloss) == []


# ---- CO02 / CO03: repeated sentences


def test_co02_same_source_sentence_translated_differently() -> None:
    source = ["会议要求各地抓好落实。", "会议在北京召开。", "会议要求各地抓好落实。"]
    target = ["The meeting required all localities to implement it.",
              "The meeting was held in Beijing.",
              "The meeting asked all regions to carry it out."]
    (issue,) = run("CO02", target, source)
    assert issue.target.line == 3 and issue.source.line == 1
    same = [target[0], target[1], "The meeting required all localities to implement it"]
    assert run("CO02", same, source) == []


def test_co03_same_translation_for_different_sources() -> None:
    source = ["会议在北京召开。", "会议在上海召开。"]
    target = ["The meeting was held in Beijing.", "The meeting was held in Beijing."]
    (issue,) = run("CO03", target, source)
    assert issue.target.line == 2 and issue.source.text == "会议在上海召开。"
    assert run("CO03", ["The meeting was held in Beijing.", "The meeting was held in Shanghai."],
               source) == []
    # the same source twice may share a translation
    assert run("CO03", target, ["会议在北京召开。", "会议在北京召开。"]) == []


# ---- CO04: one entity, variant names (target only)

CO04 = [
    (["The Party branch of the Security and Control Bureau of the Ministry of Commerce met.",
      "Jiang Qianliang of the Safety and Control Bureau of the Ministry of Commerce spoke.",
      "The Safety and Control Bureau issues 100,000 licences a year."],
     (1, "Security and Control Bureau"), "Safety and Control Bureau"),
    (["Seven bodies including the National Medical Security Administration spoke.",
      "Wang Wenjun of the National Medical Security Bureau shared his experience."],
     (2, "National Medical Security Bureau"), "National Medical Security Administration"),
    (["Officials of the Ministry of Ecology and Environment attended.",
      "Chen Jianhua of the Ministry of Ecological Environment said so."],
     (2, "Ministry of Ecological Environment"), "Ministry of Ecology and Environment"),
    (["The National Development and Reform Commission approved it.",
      "The National Development and Reform Committee said so."],
     (2, "National Development and Reform Committee"), None),
    (["The Meteorological Information Centre opened.",
      "The Meteorological Information Center said so."],
     (2, "Meteorological Information Center"), None),
    (["The Ministry of Natural Resources and the Ministry of Water Resources met.",
      "The Ministry of Water Resources spoke."], None, None),
    (["The Ministry of Commerce and the Ministry of Culture and Tourism met."], None, None),
    (["The Safety and Control Bureau met.", "The Safety and Control Bureau spoke."], None, None),
    (["The United States said the balloon carried sensors.", "U.S. officials said so."],
     (2, "U.S."), "United States"),
    (["U.S. officials said so.", "The U.S. said it again."], None, None),
    (["The Minister of Economy spoke.", "The Ministry of Economy said so."], None, None),
    (["East Germany was a state.", "East German police came."], None, None),
    (["Visitors from Macau and Hong Kong came.", "Hong Kong and Macau agreed."], None, None),
]


@pytest.mark.parametrize("target, flagged, suggestion", CO04)
def test_co04_entity_variants(target, flagged, suggestion) -> None:
    issues = run("CO04", target)
    assert [where(i) for i in issues] == ([flagged] if flagged else [])
    if suggestion:
        assert issues[0].suggestion == suggestion


# ---- CO05: one term, several capitalisations / hyphenations

CO05 = [
    (["More than 200 river chiefs attended.", "The river chiefs at all levels must act.",
      "Li Xiumei, River Chief of Shimen County, said so."], (3, "River Chief"), "river chief"),
    (["The party branch met.", "Every Party branch reported.", "The Party Branch of the bureau",
      "Each party branch must act."], (2, "Party branch"), "party branch"),
    (["Build grass-roots organizations.", "Strengthen grassroots work.",
      "The grass-roots units reported."], (2, "grassroots"), "grass-roots"),
    (["The river chiefs met.", "River chiefs at all levels must act."], None, None),
    (["PARTY BRANCH WORK", "The party branch met."], None, None),
    (["Working Committee of the Central Organs", "The working committee met."], None, None),
    (["Officials of the National Medical Security Administration spoke.",
      "It improves medical security work."], None, None),
    (["The Secretary spoke.", "The secretary spoke."], None, None),
]


@pytest.mark.parametrize("target, flagged, suggestion", CO05)
def test_co05_term_form(target, flagged, suggestion) -> None:
    issues = run("CO05", target)
    assert [where(i) for i in issues] == ([flagged] if flagged else [])
    if suggestion:
        assert issues[0].suggestion == suggestion


def test_co05_reports_a_varying_word_once() -> None:
    target = ["The party branch met.", "The party branch spoke.", "The Party branch voted.",
              "Strong party branches", "Strong Party branches"]
    assert len(run("CO05", target)) == 1


# ---- CO06: romanisation

CO06 = [
    (["Zhou Liqun chaired the meeting.", "Zhou Li-qun said so."], (2, "Zhou Li-qun")),
    (["Director Zhou Liqun chaired.", "ZHOU Liqun said.", "Zhou Liqun left."], (2, "ZHOU Liqun")),
    (["Zhou Liqun chaired.", "Zhou Liqun spoke.", "Zhou Liqiun said so."], (3, "Zhou Liqiun")),
    (["Visitors came to Macao.", "Macau's tourism grew.", "Macao hotels"], (2, "Macau")),
    (["Chen Jianhua and Chen Jianguo spoke."], None),
    (["Zhou Liqun chaired.", "Zhou Liqun said so."], None),
    (["Zhang Lu spoke.", "Zhang Lei spoke."], None),
]


@pytest.mark.parametrize("target, flagged", CO06)
def test_co06_romanisation(target, flagged) -> None:
    issues = run("CO06", target)
    assert [where(i) for i in issues] == ([flagged] if flagged else [])


# ---- CO07: quoting

CO07 = [
    # Quoted at first mention only: house style, not an inconsistency.
    (['The "river chief system" was introduced.', "Under the river chief system, rivers improved.",
      "The river chief system works."], None),
    (['The "four strong" Party branches met.', "All four strong Party branches spoke."], None),
    (["Under the river chief system, rivers improved.",
      'The "river chief system" was introduced.'], (2, "river chief system")),
    (['The "river chief system" was introduced.', "The river chief system works.",
      'A "river chief system" review followed.'], (2, "river chief system")),
    (['The "four strong" branches met.', "The “four strong” branches spoke."], None),
    (['She said: "We patrol the river once a week."', "We patrol the river once a week."], None),
    (["The river chief system works."], None),
]


@pytest.mark.parametrize("target, flagged", CO07)
def test_co07_quoting(target, flagged) -> None:
    issues = run("CO07", target)
    assert [where(i) for i in issues] == ([flagged] if flagged else [])


# ---- Whole documents


def _found(report, code: str) -> list[tuple[int, int, str]]:
    return [(i.target.line, i.target.column, i.target.text)
            for i in report.documents[0].issues if i.code == code]


def test_seed_article_target_only(seed_path: Path) -> None:
    """The variant names and capitalisations a reader of the seed article sees, found
    without a source or glossary, with every location."""
    report = check_files([str(seed_path)], config=Config(select=("CO",)))
    issues = report.documents[0].issues
    text = seed_path.read_text(encoding="utf-8")

    def places(phrase: str) -> set[str]:
        out = set()
        for n, line in enumerate(text.split("\n"), start=1):
            for m in re.finditer(re.escape(phrase), line):
                out.add(f"{n}:{m.start() + 1}")
        return out

    def group(*forms: str):
        hits = [i for i in issues if all(f'"{f}"' in i.message for f in forms)]
        assert len(hits) == 1, [i.message for i in issues]
        return hits[0]

    # one body, two names: every occurrence is listed
    for a, b in (("Security and Control Bureau", "Safety and Control Bureau"),
                 ("National Medical Security Administration", "National Medical Security Bureau")):
        issue = group(a, b)
        assert issue.code == "CO04"
        for place in places(a) | places(b):
            assert place in issue.message
    # party branch / Party branch / Party Branch, with the Party Branch places
    issue = group("Party branch", "Party Branch")
    assert issue.code == "CO05"
    for place in places("Party Branch"):
        assert place in issue.message
    assert group("party members", "Party members").code == "CO05"
    assert group("working committee", "Working Committee").code == "CO05"
    assert len(issues) <= 10  # a reader's list, not noise


def test_team_example_with_source_and_glossary() -> None:
    gl = str(ROOT / "references" / "glossaries" / "river-cleanup.zh-en.tsv")
    report = check_files([str(EXAMPLES / "river-cleanup.mt.en.md")],
                         source=str(EXAMPLES / "river-cleanup.zh.md"),
                         config=Config(select=("TE", "CO", "AL"), glossaries=(gl,)))
    te01 = _found(report, "TE01")
    for planted in [(9, 383, "River Long System Office"), (11, 60, "river long system"),
                    (13, 88, "Ministry of Ecological Environment"),
                    (19, 67, "river long system")]:
        assert planted in te01
    assert (17, 97, "River Chief") in _found(report, "CO05")
    # The omitted sentence (NDRC in the source) is a 1-0 bead: the aligner reports it
    # as an omission (AL01) at line 15, and no term of the glossary goes missing.
    al01 = [i for i in report.documents[0].issues if i.code == "AL01"]
    assert [(i.target.line, i.source.text[:10]) for i in al01] == [(15, "国家发展和改革委员会")]
    assert not [i for i in report.documents[0].issues if i.code == "TE02"]


def test_team_example_without_glossary() -> None:
    report = check_files([str(EXAMPLES / "river-cleanup.mt.en.md")],
                         source=str(EXAMPLES / "river-cleanup.zh.md"),
                         config=Config(select=("CO",)))
    assert (13, 88, "Ministry of Ecological Environment") in _found(report, "CO04")
    assert (17, 97, "River Chief") in _found(report, "CO05")


def test_glossary_flows_through_the_api_and_signature() -> None:
    gl = str(ROOT / "references" / "glossaries" / "cpc-terms.zh-en.tsv")
    report = check_texts("The two maintenance are key to Chinese style modernization.",
                         config=Config(select=("TE01",), glossaries=(gl,)))
    assert [i.target.text for i in report.documents[0].issues] == [
        "two maintenance", "Chinese style modernization"]
    assert "gloss:none" not in report.signature
