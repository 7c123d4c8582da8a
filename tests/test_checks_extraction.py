"""Tables of real cases for the extraction-debris checks, firing and passing."""
from __future__ import annotations

import pytest
from _checkutil import run_check, run_document, spans


@pytest.mark.parametrize("text, flagged", [
    ("Search this site:\n\nThe meeting was held.\n", ["Search this site:"]),
    ("On site search:\n\nThe meeting was held.\n", ["On site search:"]),
    ("Contributor e-mail:\n\nThe meeting was held.\n", ["Contributor e-mail:"]),
    ("Responsible editor:\n\nThe meeting was held.\n", ["Responsible editor:"]),
    ("Font size\uff1a\n\nThe meeting was held.\n", ["Font size\uff1a"]),
    # two label lines next to each other: both are debris, whatever they say
    ("Column A:\nColumn B:\n\nThe meeting was held.\n", ["Column A:", "Column B:"]),
    # a label next to a breadcrumb or a line of buttons is page chrome too
    ("Text zoom:\nHome >> News >> Local\n\nThe meeting was held.\n", ["Text zoom:"]),
    ("Text zoom:\n[Print] [Close window]\n\nThe meeting was held.\n", ["Text zoom:"]),
    ("Text zoom:\nThe meeting was held.\n", []),
    ("Source: Yunxi Daily 10:42, May 13, 2024\n\nThe meeting was held.\n", []),
    ("Share to:\n\nThe meeting was held.\n", []),  # a button, for EX02
    ("Steps:\n\nFirst, read the text.\n", []),
    ("The plan has three parts:\n\nFirst, read the text.\n", []),
])
def test_label_line(text: str, flagged: list[str]) -> None:
    assert [i.target.text for i in run_document("EX01", text)] == flagged


@pytest.mark.parametrize("text, flagged", [
    ("[Print] [Close window]", ["[Print] [Close window]"]),
    ("Share to:", ["Share to:"]),
    ("Share | Print | E-mail", ["Share | Print | E-mail"]),
    ("Back to top", ["Back to top"]),
    ("\u3010\u5927 \u4e2d \u5c0f\u3011", ["\u3010\u5927 \u4e2d \u5c0f\u3011"]),
    ("Share your photos of the river with us.", []),
    ("Members share their experience.", []),
    ("Print media are in decline.", []),
])
def test_page_buttons(text: str, flagged: list[str]) -> None:
    assert spans("EX02", text) == flagged


@pytest.mark.parametrize("text, flagged", [
    ("Yunxi Daily >> Local news >> Rivers", ["Yunxi Daily >> Local news >> Rivers"]),
    ("Home > News > China", ["Home > News > China"]),
    ("Home \u00bb Politics \u00bb Party building", ["Home \u00bb Politics \u00bb Party building"]),
    ("Growth was > 5% in May.", []),
    ("If x > 3 then stop.", []),
    ("and/or", []),
    ("The plan >> was adopted. It worked.", []),
])
def test_breadcrumb(text: str, flagged: list[str]) -> None:
    assert spans("EX03", text) == flagged


@pytest.mark.parametrize("text, flagged", [
    ("(Edited by: Lin Xiaowen Signed by: Lin Xiaowen Signed by: Zhao Qiang)",
     ["Signed by: Zhao Qiang"]),
    ("Editor: Li Ming Editor: Wang Fang", ["Editor: Wang Fang"]),
    ("(Edited by: Lin Xiaowen Signed by: Zhao Qiang)", []),
    ("Source: Xinhua Editor: Li Ming", []),
    ("(Author's unit: Yunxi Daily)", []),
    ("Editor: Li Ming Editor: Li Ming", []),  # same value twice: a harmless duplicate
])
def test_repeated_byline(text: str, flagged: list[str]) -> None:
    assert spans("EX04", text) == flagged


@pytest.mark.parametrize("text, flagged", [
    ("the meeting&nbsp;was held", ["&nbsp;"]),
    ("the &#8220;three clean&#8221; villages", ["&#8220;", "&#8221;"]),
    ("the meeting<br>was held", ["<br>"]),
    ('<span class="x">text</span>', ['<span class="x">', "</span>"]),
    ("[b]bold[/b] text", ["[b]", "[/b]"]),
    ("R&D spending and AT&T", []),
    ("growth of 3 < 5 and 7 > 6", []),
    ("[1] see the note", []),
])
def test_stray_markup(text: str, flagged: list[str]) -> None:
    assert spans("EX05", text) == flagged


def test_stray_markup_allows_inline_html_in_markdown() -> None:
    assert spans("EX05", "a line<br>break", fmt="markdown") == []
    assert spans("EX05", "a&nbsp;space", fmt="markdown") == ["&nbsp;"]


@pytest.mark.parametrize("text, flagged", [
    ("the Party\u00e2\u20ac\u2122s branch", ["\u00e2\u20ac\u2122"]),
    ("caf\u00c3\u00a9 culture", ["\u00c3\u00a9"]),
    ("\u951f\u65a4\u62f7 text", ["\u951f\u65a4\u62f7"]),
    ("a lost \ufffd character", ["\ufffd"]),
    ("a bell\x07 here", ["\x07"]),
    ("zero\u200bwidth", ["\u200b"]),
    ("the Party's branch", []),
    ("caf\u00e9 culture", []),
    ("tab\tand newline\n", []),
    ("\u00c2ge and \u00e2me", []),  # real French letters before a space
])
def test_broken_characters(text: str, flagged: list[str]) -> None:
    assert spans("EX06", text) == flagged


def test_broken_characters_suggest_removing_invisible_ones() -> None:
    assert [i.suggestion for i in run_check("EX06", "zero\u200bwidth")] == [""]


@pytest.mark.parametrize("text", ["Copyright (C) <year>  <name of author>",
                                  "<program> Copyright (C) <year>"])
def test_stray_markup_leaves_template_placeholders(text: str) -> None:
    assert spans("EX05", text) == []


@pytest.mark.parametrize("text, flagged", [
    ("The fitness industry should overcome its crisis of trust - China News Network",
     [" - China News Network"]),
    ("Jobs for returning students hit a new high - Xinhua", [" - Xinhua"]),
    ("Four trapped people were rescued-Chinanews.com", ["-Chinanews.com"]),
    ("Prices of dental implants fall _新华网", [" _新华网"]),
    ("Linchuan cleans its rivers | Yunxi Daily", [" | Yunxi Daily"]),
    ("The network - and the news - matter to everyone.", []),
    ("He works for China News Network.", []),
    ("A well-known network", []),
    ("Trading starts next week - officials said", []),
])
def test_site_name_suffix(text: str, flagged: list[str]) -> None:
    assert spans("EX07", text) == flagged
