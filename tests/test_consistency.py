"""The CO checks on real bilingual and target-only cases, the seed article and the
team example."""
from __future__ import annotations

import pytest
from _checkutil import glossary, run
from conftest import EXAMPLES, ROOT

from mtqa.api import check_texts
from mtqa.config import Config
from mtqa.pipeline import check_files


def where(issue) -> tuple[int, str]:
    return issue.target.line, issue.target.text


# ---- CO01: one source term, several renderings

# The team's own example names (Yunxi Province is fictional).
WATER = ["云溪省水资源管理局发布通知。", "会议在临川召开。", "云溪省水资源管理局表示将加快进度。"]


def test_co01_learned_from_the_alignment() -> None:
    target = ["The Yunxi Provincial Water Resources Administration issued a notice.",
              "The meeting was held in Linchuan.",
              "The Yunxi Provincial Water Management Administration said it would speed up."]
    (issue,) = run("CO01", target, WATER)
    assert where(issue) == (3, "Yunxi Provincial Water Management Administration")
    assert issue.source.text == "云溪省水资源管理局"
    assert "1:5" in issue.message and "3:5" in issue.message


@pytest.mark.parametrize("target", [
    # the same name twice
    ["The Yunxi Provincial Water Resources Administration issued a notice.",
     "The meeting was held in Linchuan.",
     "The Yunxi Provincial Water Resources Administration said it would speed up."],
    # different heads: two different bodies, not two names of one
    ["The Yunxi Provincial Water Resources Administration issued a notice.",
     "The meeting was held in Linchuan.",
     "The Yunxi Provincial Water Resources Fund said it would speed up."],
])
def test_co01_learned_passes(target: list[str]) -> None:
    assert run("CO01", target, WATER) == []


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


def test_co03_counts_a_number_with_separators_as_one_word() -> None:
    # Under three words, a repeat is too short to mean anything: "245,000 tonnes" is two
    # words, written with or without the separator.
    source = ["二十四万五千吨", "二十四万五千吨以上"]
    assert run("CO03", ["245,000 tonnes", "245,000 tonnes"], source) == []
    assert run("CO03", ["245000 tonnes", "245000 tonnes"], source) == []
    assert len(run("CO03", ["about 245,000 tonnes", "about 245,000 tonnes"], source)) == 1


# ---- CO04: one entity, variant names (target only)

CO04 = [
    (["Staff of the Linchuan Environment Protection Bureau met.",
      "Lin Qiao of the Linchuan Environmental Protection Bureau spoke.",
      "The Linchuan Environmental Protection Bureau issues 300 permits a year."],
     (1, "Linchuan Environment Protection Bureau"), "Linchuan Environmental Protection Bureau"),
    (["Seven bodies including the Yunxi Provincial Water Resources Administration spoke.",
      "He Yuming of the Yunxi Provincial Water Resources Bureau shared his experience."],
     (2, "Yunxi Provincial Water Resources Bureau"),
     "Yunxi Provincial Water Resources Administration"),
    (["Officials of the Ministry of Ecology and Environment attended.",
      "Chen Jianhua of the Ministry of Ecological Environment said so."],
     (2, "Ministry of Ecological Environment"), "Ministry of Ecology and Environment"),
    (["The Provincial Development and Planning Commission approved it.",
      "The Provincial Development and Planning Committee said so."],
     (2, "Provincial Development and Planning Committee"), None),
    (["The Meteorological Information Centre opened.",
      "The Meteorological Information Center said so."],
     (2, "Meteorological Information Center"), None),
    (["The Ministry of Education and the Ministry of Finance met.",
      "The Ministry of Finance spoke."], None, None),
    (["The Ministry of Finance and the Ministry of Housing and Urban-Rural Development met."],
     None, None),
    (["The Flood Prevention and Drought Relief Office met.",
      "The Flood Prevention and Drought Relief Office spoke."], None, None),
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
    (["The party branch met.", "Every Party branch reported.", "The Party Branch at the bureau",
      "Each party branch must act."], (2, "Party branch"), "party branch"),
    (["Build grass-roots organizations.", "Strengthen grassroots work.",
      "The grass-roots units reported."], (2, "grassroots"), "grass-roots"),
    (["The river chiefs met.", "River chiefs at all levels must act."], None, None),
    (["PARTY BRANCH WORK", "The party branch met."], None, None),
    (["Steering Committee of the River Basin", "The steering committee met."], None, None),
    (["Officials of the Yunxi Provincial Water Resources Administration spoke.",
      "It improves water resources work."], None, None),
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
    (["Sun Lu spoke.", "Sun Lei spoke."], None),
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
    (['The "three clean" Party branches met.', "All three clean Party branches spoke."], None),
    (["Under the river chief system, rivers improved.",
      'The "river chief system" was introduced.'], (2, "river chief system")),
    (['The "river chief system" was introduced.', "The river chief system works.",
      'A "river chief system" review followed.'], (2, "river chief system")),
    (['The "three clean" branches met.', "The “three clean” branches spoke."], None),
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
