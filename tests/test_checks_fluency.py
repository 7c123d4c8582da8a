"""Tables of real cases for the fluency checks, firing and passing."""
from __future__ import annotations

import pytest

from _checkutil import run_check, run_document, spans


@pytest.mark.parametrize("text, flagged", [
    ("the the branch met", ["the the"]),
    ("The the branch met", ["The the"]),
    ("it was was held in May", ["was was"]),
    ("Dies ist ist unsere Vorstellung.", ["ist ist"]),
    ("what he had had for lunch", []),
    ("He said that that was enough.", []),
    ("Fang Fang spoke as a representative.", []),  # a name
    ("Es ist der Anteil, der der Meinung ist, dass", []),  # German relative + article
    ("each other and each other", []),
])
def test_repeated_word(text: str, flagged: list[str]) -> None:
    lang = "de" if text.startswith(("Dies", "Es ist")) else "en"
    assert spans("FL01", text, lang=lang) == flagged


@pytest.mark.parametrize("text, flagged", [
    ("We can learn from each other and learn from each other to find shortcomings.",
     ["learn from each other and learn from each other"]),
    ("the spirit of the important instructions and instructions", ["instructions and instructions"]),
    ("the secretary dares to grasp and grasp, and members fight", ["grasp and grasp"]),
    ("design and practice exploration, strategy and strategy, integrity", ["strategy and strategy"]),
    ("in the field of the field of science", ["the field of the field of"]),
    ("members should learn from each other and learn from each other and promote it",
     ["learn from each other and learn from each other"]),  # one problem, one issue
    ("more and more people", []),
    ("again and again", []),
    ("bigger and bigger cities", []),
    ("step by step", []),
    ("the east and the west", []),
    ("day after day and year after year", []),
])
def test_repeated_phrase(text: str, flagged: list[str]) -> None:
    assert spans("FL02", text) == flagged


@pytest.mark.parametrize("text, flagged", [
    ('take advantage of the wind of the" Belt and Road "like a dandelion',
     ['the" ', ' "like']),
    ('making outstanding contributions to serving the" big country ".', ['the" ', ' ".']),
    ("should not stay 'strong by themselves', but also promote' strong by others'.",
     ["promote' "]),
    ("the \u201cBelt and Road\u201d initiative", []),
    ("the\u201c Belt and Road\u201d initiative", ["the\u201c "]),
    ('the "Belt and Road" like a "dandelion" to travel far', []),
    ('He said: "We will go." Then he left.', []),
    ("the members' rights and the workers' union", []),
])
def test_quote_wrong_side(text: str, flagged: list[str]) -> None:
    assert spans("FL03", text) == flagged


def test_quote_wrong_side_german_quotes() -> None:
    assert spans("FL03", "der Begriff \u201eSchwarzes Loch\u201c geprägt", lang="de") == []
    assert spans("FL03", "der Begriff\u201e Schwarzes Loch\u201c", lang="de") == ["Begriff\u201e "]


def test_quote_wrong_side_suggestion_moves_the_space() -> None:
    issue = run_check("FL03", 'serving the" big country ".')[0]
    assert issue.suggestion == 'the "'


@pytest.mark.parametrize("text, flagged", [
    ('He called it "a new era.', ['"']),
    ("The plan (2024-2026 was adopted.", ["("]),
    ("The plan 2024-2026) was adopted.", [")"]),
    ("the \u201cnew era was announced", ["\u201c"]),
    ("the book \u300aGovernance was published", ["\u300a"]),
    ('He called it "a new era".', []),
    ("Steps: 1) read 2) write 3) check.", []),
    ("The plan (2024-2026) was adopted.", []),
    ("[1] Source (see note).", []),
])
def test_unbalanced_marks(text: str, flagged: list[str]) -> None:
    assert spans("FL04", text) == flagged


def test_unbalanced_marks_counts_the_whole_paragraph() -> None:
    text = 'He said: "We will go. We will win." Then he left.\n'
    assert run_document("FL04", text) == []
    assert [i.target.text for i in run_document("FL04", 'He said: "We will go. We will win.\n')] \
        == ['"']


def test_unbalanced_marks_german() -> None:
    assert spans("FL04", "wer würde an einen \u201eUrknall\u201c glauben?", lang="de") == []


@pytest.mark.parametrize("text, flagged", [
    ('promote the "four strong" in the form of "branch secretaries comment" The Party '
     "branch's experience", ['" The']),
    ("exchanged ideas through vivid cases and true feelings, Share the vivid practice",
     [", Share"]),
    ("Taking tourism in Harbin as an example, The party branch implemented it", [", The"]),
    ("strive to be the first person responsible for politics; Take the lead in business",
     ["; Take"]),
    ("and make comprehensive progress in the construction of the branches We will work hard",
     [" We"]),
    ("St. Paul's, Taipa Old Town, And many large resort hotels", [", And"]),
    ("Zou Xiaodong, Deputy Secretary of the Working Committee, attended.", []),
    ("Chen Zhenlin, Secretary of the Party Leadership Group, attended.", []),
    ("Zhang Lu, Member of the Working Committee, presided.", []),
    ('Chen Zhenlin said, "We look forward to the sparks of thought."', []),
    ("In May, Beijing was sunny.", []),
    ("visitors from Malaysia, Japan and Singapore", []),
    ('the "Two Sessions" The meeting', ['" The']),
    ('the "two sessions". The meeting', []),
])
def test_missing_sentence_boundary(text: str, flagged: list[str]) -> None:
    assert spans("FL05", text) == flagged


def test_missing_sentence_boundary_suggests_a_full_stop() -> None:
    assert [i.suggestion for i in run_check("FL05", "true feelings, Share the practice")] \
        == [". Share"]
    assert [i.suggestion for i in run_check("FL05", 'the "secretaries comment" The branch')] \
        == ['." The']
    assert [i.suggestion for i in run_check("FL05", "the branches We will work")] == [". We"]


def test_missing_sentence_boundary_uses_document_evidence() -> None:
    # "Combined" is not in the word lists; the document writes "combined" in lowercase
    # elsewhere and never capitalises it mid-sentence.
    text = ("The plan was combined with practice.\n\nThe council met in May, Combined with "
            "the central work, members wrote reports.\n")
    assert [i.target.text for i in run_document("FL05", text)] == [", Combined"]
    # A word the document capitalises mid-sentence ("the Party") is a name there.
    text = "Members of the Party met.\n\nOver four years, Party members wrote reports.\n"
    assert run_document("FL05", text) == []


def test_missing_sentence_boundary_is_english_only() -> None:
    assert spans("FL05", "Es ist weißes Rauschen; Es ist so ein Klingeln.", lang="de") == []


@pytest.mark.parametrize("text, flagged", [
    ("the  branch", ["  "]),
    ("the branch , and the members", [" ,"]),
    ("the branch ; the members", [" ;"]),
    ("the branch met .", [" ."]),
    ("one,two and three", [",t"]),
    ("the meeting ended.The members left", [".T"]),
    ('a series of "Party building+foreign affairs" activities', ["+"]),
    ("the branch, and 1,200 members", []),
    ("It costs 3.5 million yuan.", []),
    ("Visit example.com or www.gov.cn today.", []),
    ("The U.S.A. and the U.K. agreed.", []),
    ("It ended.  Then it began.", []),  # two spaces after a full stop: a convention
    ("A line\nbreak is fine", []),
    ("C++ and 3+4", []),
])
def test_spacing(text: str, flagged: list[str]) -> None:
    assert spans("FL06", text) == flagged


def test_spacing_option_double_after_stop() -> None:
    assert spans("FL06", "It ended.  Then it began.", options={"double_after_stop": True}) \
        == ["  "]


def test_spacing_skips_french() -> None:
    assert spans("FL06", "Pourquoi ? Parce que .", lang="fr") == []


@pytest.mark.parametrize("text, flagged", [
    ("The branch met twice. Members spoke about their work\n", ["work"]),
    ("The branch met twice. Members spoke about their work.\n", []),
    ("The branch met twice. Did members speak?\n", []),
    ('The branch met twice. He said: "We will work hard"\n', []),
    ("Focusing on strengthening the political function\n", []),  # a heading
    ("Submission email:\nOn site search:\nBanner net >> Grass roots organization\n", []),
    ("The branch met twice. In 2024\n", []),  # too short to be a sentence
])
def test_missing_final_punctuation_target_only(text: str, flagged: list[str]) -> None:
    assert [i.target.text for i in run_document("FL07", text)] == flagged


def test_missing_final_punctuation_with_source() -> None:
    assert spans("FL07", "The meeting was held in Beijing on Friday",
                 source="会议于周五在北京举行。") == ["Friday"]
    assert spans("FL07", "The meeting was held in Beijing on Friday.",
                 source="会议于周五在北京举行。") == []
    assert spans("FL07", "Meeting held in Beijing on Friday",
                 source="会议于周五在北京举行") == []


@pytest.mark.parametrize("text, flagged", [
    ("the exchanges and co construction of branch work", ["co construction"]),
    ("convenient cross provincial settlement services", ["cross provincial"]),
    ("cross regional medical treatment", ["cross regional"]),
    ("helped the cloud based early warning support system", ["cloud based"]),
    ("Problem oriented, people's livelihood", ["Problem oriented"]),
    ("a non profit organisation", ["non profit"]),
    ("co-construction of branch work", []),
    ("a platform based on data", []),
    ("the system is based in Beijing", []),
    ("cross the river", []),
    ("a closely related issue", []),
    ("market oriented towards exports", []),
    ("it was mainly driven by exports", []),
])
def test_missing_hyphen(text: str, flagged: list[str]) -> None:
    assert spans("FL08", text) == flagged
