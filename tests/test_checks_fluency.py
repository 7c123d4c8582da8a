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
    ("Villages can study together and study together to find their weak points.",
     ["study together and study together"]),
    ("following the written reports and reports of the office", ["reports and reports"]),
    ("the chief dares to manage and manage, and the villagers help", ["manage and manage"]),
    ("design and practice exploration, strategy and strategy, integrity", ["strategy and strategy"]),
    ("in the field of the field of science", ["the field of the field of"]),
    ("towns should study together and study together and share results",
     ["study together and study together"]),  # one problem, one issue
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
    ('villagers joined the" clean water "campaign like a" green wave "this spring',
     ['the" ', ' "campaign', 'a" ', ' "this']),
    ('making the river a model of the" beautiful countryside ".', ['the" ', ' ".']),
    ("they said the bank was 'clean again', and the stream' clear at last'.",
     ["stream' "]),
    ("the \u201cclean water\u201d campaign", []),
    ("the\u201c clean water\u201d campaign", ["the\u201c "]),
    ('the "clean water" campaign like a "green wave" this spring', []),
    ('He said: "We will go." Then he left.', []),
    ('on an "AS IS" BASIS', []),  # a short quoted phrase may end in a function word
    ('a work "based on" the earlier work', []),
    ("the members' rights and the workers' union", []),
])
def test_quote_wrong_side(text: str, flagged: list[str]) -> None:
    assert spans("FL03", text) == flagged


def test_quote_wrong_side_german_quotes() -> None:
    assert spans("FL03", "der Begriff \u201eSchwarzes Loch\u201c geprägt", lang="de") == []
    assert spans("FL03", "der Begriff\u201e Schwarzes Loch\u201c", lang="de") == ["Begriff\u201e "]


def test_quote_wrong_side_suggestion_moves_the_space() -> None:
    issue = run_check("FL03", 'a model of the" beautiful countryside ".')[0]
    assert issue.suggestion == 'the "'


@pytest.mark.parametrize("text, flagged", [
    ('He called it "a new era.', ['"']),
    ("The plan (2024-2026 was adopted.", ["("]),
    ("The plan 2024-2026) was adopted.", [")"]),
    ("the \u201cnew era was announced", ["\u201c"]),
    ("the book \u300aGovernance was published", ["\u300a"]),
    ('He called it "a new era".', []),
    ("Steps: 1) read 2) write 3) check.", []),
    ("an input error (exit 2) and a report (best of 5).", []),
    ("an input error (exit 2 and a report", ["("]),
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
    ('the county named the plan "clean banks first" The villagers agreed', ['" The']),
    ("villagers cleaned the banks through weekly patrols and joint work, Build the new paths",
     [", Build"]),
    ("After the rain stopped in Linchuan, The volunteers returned", [", The"]),
    ("the county asked every village to act early; Take the lead in weekly patrols",
     ["; Take"]),
    ("and make steady progress in the cleanup of the rivers We will keep working",
     [" We"]),
    ("St. Paul's, Taipa Old Town, And many large resort hotels", [", And"]),
    ("Zhao Qiang, Deputy Director of the Water Bureau, attended.", []),
    ("Wang Fang, Secretary of the County Committee, attended.", []),
    ("If You distribute it, You must keep the notice.", []),  # legal "You"
    ("Li Ming, Member of the Standing Committee, presided.", []),
    ('Lin Xiaowen said, "We hope the rivers stay clean."', []),
    ("In May, Beijing was sunny.", []),
    ("visitors from Malaysia, Japan and Singapore", []),
    ('the "Two Sessions" The meeting', ['" The']),
    ('the "two sessions". The meeting', []),
])
def test_missing_sentence_boundary(text: str, flagged: list[str]) -> None:
    assert spans("FL05", text) == flagged


def test_missing_sentence_boundary_suggests_a_full_stop() -> None:
    assert [i.suggestion for i in run_check("FL05", "joint work, Build the new paths")] \
        == [". Build"]
    assert [i.suggestion for i in run_check("FL05", 'the "river patrols" The office')] \
        == ['." The']
    assert [i.suggestion for i in run_check("FL05", "the rivers We will work")] == [". We"]


def test_missing_sentence_boundary_uses_document_evidence() -> None:
    # "Combined" is in no word list; the document writes "combined" in lowercase
    # elsewhere and never capitalises it mid-sentence. (After a comma the capital itself
    # counts as a mid-sentence one, so this evidence works after semicolons only.)
    text = ("The patrols were combined with training.\n\nThe council met in May; Combined "
            "with the river work, volunteers wrote reports.\n")
    assert [i.target.text for i in run_document("FL05", text)] == ["; Combined"]
    # A word the document capitalises mid-sentence ("the Party") is a name there.
    text = "Members of the Council met.\n\nOver four years, Council members wrote reports.\n"
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
    ('a series of "river cleanup+forest care" activities', ["+"]),
    ("the branch, and 1,200 members", []),
    ("It costs 3.5 million yuan.", []),
    ("Visit example.com or www.gov.cn today.", []),
    ("The U.S.A. and the U.K. agreed.", []),
    ("It ended.  Then it began.", []),  # two spaces after a full stop: a convention
    ("Name          Value", []),  # columns aligned with spaces
    ("*  6. Disclaimer of Warranty  *", []),  # a box drawn with asterisks
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
    ("The office met twice. Volunteers spoke about their work\n", ["work"]),
    ("The office met twice. Volunteers spoke about their work.\n", []),
    ("The office met twice. Did volunteers speak?\n", []),
    ('The office met twice. She said: "We will keep the river clean"\n', []),
    ("Cleaning up the rivers of Linchuan this year\n", []),  # a heading
    ("Contributor e-mail:\nSearch this site:\nYunxi Daily >> Local news\n", []),
    ("The office met twice. In 2024\n", []),  # too short to be a sentence
    # A stray mark before the sentence is not a sentence that ended.
    (". Volunteers spoke about their work\n", []),
    ("\u3002 Volunteers spoke about their work\n", []),
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
    ("the co management of the river by two towns", ["co management"]),
    ("a cross provincial water transfer", ["cross provincial"]),
    ("cross regional river basins", ["cross regional"]),
    ("the satellite based flood warning system", ["satellite based"]),
    ("Results oriented, the office set targets", ["Results oriented"]),
    ("a non profit organisation", ["non profit"]),
    ("co-management of the river", []),
    ("a platform based on data", []),
    ("the system is based in Beijing", []),
    ("a work based\non the Program", []),
    ("cross the river", []),
    ("a closely related issue", []),
    ("market oriented towards exports", []),
    ("it was mainly driven by exports", []),
])
def test_missing_hyphen(text: str, flagged: list[str]) -> None:
    assert spans("FL08", text) == flagged
