"""Term matching and the TE checks, on real bilingual cases, firing and passing."""
from __future__ import annotations

import pytest
from _checkutil import glossary, run

from mtqa.text.termmatch import PhraseMatcher


@pytest.mark.parametrize("phrase, text, found", [
    ("river chief", "More than 200 river chiefs attended", "river chiefs"),
    ("river chief", "Li Xiumei, River Chief of Shimen County", "River Chief"),
    ("river chief", "the river chief's patrol", "river chief's"),
    ("river chief", "the river\nchief system", "river\nchief"),
    ("river chief", "the river-chief system", "river-chief"),
    ("ministry", "three ministries met", "ministries"),
    ("Party branch", "two party branches", "party branches"),
    ("grass-roots", "grassroots Party organizations", "grassroots"),
    ("grass-roots", "grass roots organizations", "grass roots"),
    ("People's Daily", "the People’s Daily reported", "People’s Daily"),
    ("long-term care insurance", "the long term care insurance", "long term care insurance"),
    ("river chief", "the outriver chief", None),     # not at a word start
    ("river chief", "riverchiefs", "riverchiefs"),   # a closed compound
    ("river chief", "the river chieftain", None),    # not at a word end
    ("chief", "mischief", None),
    ("two maintenance", "the two maintenances", "two maintenances"),
])
def test_latin_matching_is_tolerant_but_word_bounded(phrase: str, text: str,
                                                     found: str | None) -> None:
    hits = PhraseMatcher([(phrase, 1, False)]).find(text)
    assert (hits[0].text if hits else None) == found


def test_case_sensitive_phrases() -> None:
    m = PhraseMatcher([("Party committee", 1, True)])
    assert [h.text for h in m.find("the Party committee and the party committee")] == [
        "Party committee"]


def test_cjk_longest_match_without_double_counting() -> None:
    m = PhraseMatcher([(p, p, False) for p in ("河长", "河长制", "河长制办公室", "办公室")])
    text = "省河长制办公室主任周立群主持会议，全省河长参加，推行河长制。"
    assert [h.text for h in m.longest(text)] == ["河长制办公室", "河长", "河长制"]
    # find() reports the overlapping ones too.
    assert len(m.find(text)) == 7


RIVER = glossary(
    "河长制办公室\tRiver Chief Office\tRiver Long System Office\tthe office of the system\t",
    "河长制\triver chief system\triver long system\tcalque of 长\t",
    "河长\triver chief\t\t\t",
    "生态环境部\tMinistry of Ecology and Environment\tMinistry of Ecological Environment\tofficial\t",
    "审计署\tNational Audit Office\tAudit Office\tofficial\t",
    "党支部\tParty branch\t\tXinhua style\tsensitive",
    "\tCommunist Party of China\tChinese Communist Party\tXinhua style\t",
)

TE01 = [
    # (target, flagged text or None)
    ('2024 is the eighth year of the "river long system".', "river long system"),
    ("Zhou Liqun, director of the Provincial River Long System Office, presided.",
     "River Long System Office"),
    ("the Ministry of Ecological Environment said", "Ministry of Ecological Environment"),
    ("officials of the Chinese Communist Party", "Chinese Communist Party"),
    ("2024 is the eighth year of the river chief system.", None),
    ("the Ministry of Ecology and Environment said", None),
    ("the National Audit Office published", None),   # forbidden phrase inside the right name
    ("the river is long; the system works", None),
]


@pytest.mark.parametrize("target, flagged", TE01)
def test_te01_forbidden_rendering_target_only(target: str, flagged: str | None) -> None:
    issues = run("TE01", [target], gloss=RIVER)
    assert [i.target.text for i in issues] == ([flagged] if flagged else [])
    if flagged:
        assert issues[0].suggestion and issues[0].severity.value == "major"


TE02 = [
    # (source, target, missing source term or None)
    ("生态环境部有关负责同志出席会议。", "Officials of the Ministry of Finance attended.",
     "生态环境部"),
    ("全省各市县两百多名河长参加了会议。", "More than 200 officials attended the meeting.", "河长"),
    ("省河长制办公室主任主持会议。", "The director of the provincial office presided.",
     "河长制办公室"),
    ("生态环境部有关负责同志出席会议。",
     "Officials of the Ministry of Ecology and Environment attended.", None),
    ("全省各市县两百多名河长参加了会议。", "More than 200 River Chiefs attended the meeting.", None),
    # A forbidden rendering instead: TE01 reports it, TE02 stays quiet.
    ("推行河长制。", "Implement the river long system.", None),
    # Longest match: 河长制办公室 is found, its rendering is there; 河长 is not counted again.
    ("省河长制办公室主任主持会议。", "The director of the River Chief Office presided.", None),
]


@pytest.mark.parametrize("source, target, missing", TE02)
def test_te02_missing_rendering(source: str, target: str, missing: str | None) -> None:
    issues = run("TE02", [target], [source], gloss=RIVER)
    assert [i.source.text for i in issues] == ([missing] if missing else [])
    if missing:
        assert issues[0].target.segment == 0 and issues[0].suggestion


def test_te02_looks_one_bead_around() -> None:
    source = ["生态环境部有关负责同志出席会议。", "会议由周立群主持。"]
    target = ["The meeting was chaired by Zhou Liqun.",
              "Officials of the Ministry of Ecology and Environment attended."]
    assert run("TE02", target, source, gloss=RIVER) == []
    assert len(run("TE02", target, source, gloss=RIVER, window=0)) == 1


TE03 = [
    ("The county's party branch met.", "party branch"),
    ("Two Party Branches were praised.", "Party Branches"),
    ("The county's Party branch met.", None),
    ("Party branches met.", None),                 # a sentence-initial capital
    ("PARTY BRANCH WORK CONFERENCE", None),        # an all-capitals headline
    ("The branch of the party met.", None),
]


@pytest.mark.parametrize("target, flagged", TE03)
def test_te03_wrong_case(target: str, flagged: str | None) -> None:
    issues = run("TE03", [target], gloss=RIVER)
    assert [i.target.text for i in issues] == ([flagged] if flagged else [])


def test_checks_need_a_glossary() -> None:
    assert run("TE01", ["the river long system"]) == []
    assert run("TE02", ["no"], ["河长制"]) == []


def test_phrases_with_punctuation() -> None:
    m = PhraseMatcher([("(CPC)", 1, False), ("C++ code", 2, False)])
    assert [h.text for h in m.find("the (CPC) wrote C++ code")] == ["(CPC)", "C++ code"]


def test_header_only_glossary_checks_nothing() -> None:
    empty = glossary()
    assert len(empty) == 0
    assert run("TE01", ["the river long system"], gloss=empty) == []
    assert run("TE02", ["no rendering"], ["河长制"], gloss=empty) == []


def test_english_to_chinese_direction() -> None:
    """Latin-script source terms, Chinese renderings: the same checks, the other way."""
    from _checkutil import doc

    from mtqa.checks.base import Context
    from mtqa.checks.registry import find
    from mtqa.model import Bead

    gloss = glossary("river chief system\t河长制\t河长系统\t\t")
    src = doc(["The River Chief System was introduced.", "River chiefs patrol."], "en")
    tgt = doc(["推行了河长系统。", "河长巡河。"], "zh")
    ctx = Context(target=tgt, source=src, glossary=gloss,
                  alignment=(Bead((0,), (0,)), Bead((1,), (1,))))
    te01 = list(find("TE01")().run(ctx))
    assert [i.target.text for i in te01] == ["河长系统"]
    # the forbidden rendering is there instead: TE02 leaves it to TE01
    assert list(find("TE02")(options={"window": 0}).run(ctx)) == []
    ok = Context(target=doc(["推行了河长制。", "河长巡河。"], "zh"), source=src, glossary=gloss,
                 alignment=ctx.alignment)
    assert list(find("TE01")().run(ok)) == [] and list(find("TE02")().run(ok)) == []
