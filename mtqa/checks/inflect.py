"""Writing a glossary's preferred rendering in the form of the text it replaces.

``ForbiddenTerm`` (TE01) finds a forbidden rendering tolerant of case, plural and
possessive (``River Long Systems'``); its fix has to write the preferred rendering the
same way (``River Chief Systems'``), or the sentence breaks. When the found text is not
the forbidden phrase plus an ending we understand, there is no safe rewrite.
"""
from __future__ import annotations

import re

_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$", re.IGNORECASE)
_SIBILANT = re.compile(r"(?:s|x|z|ch|sh)$", re.IGNORECASE)


def plural(phrase: str) -> str:
    """The English plural of a phrase (its last word): ``system`` -> ``systems``."""
    if _SIBILANT.search(phrase):
        return phrase + "es"
    if len(phrase) > 1 and phrase[-1] in "yY" and phrase[-2].lower() not in "aeiou":
        return phrase[:-1] + ("ies" if phrase[-1] == "y" else "IES")
    return phrase + ("S" if phrase[-1:].isupper() and phrase[-2:].isupper() else "s")


def like(found: str, phrase: str, preferred: str) -> str | None:
    """``preferred`` written as ``found`` writes ``phrase``: same case, number and
    possessive. None when ``found`` is not ``phrase`` with such endings (a hyphen or a
    line break inside it, say): then a person has to rewrite it."""
    possessive = _POSSESSIVE.search(found)
    body = found[:possessive.start()] if possessive else found
    ending = possessive.group() if possessive else ""
    if body.lower() == phrase.lower():
        word = preferred
    elif body.lower() == plural(phrase).lower():
        word = plural(preferred)
    else:
        return None
    if ending.endswith(("'", "\u2019")) and not word.lower().endswith("s"):
        return None  # "systems'" -> a singular preferred form has no such possessive
    return _case_like(body, phrase, word) + ending


def _case_like(body: str, phrase: str, word: str) -> str:
    """Upper case, or capitals on the first letter or on every word, as in ``body`` --
    only where the glossary's own phrase does not have them already. Capitals of the
    preferred rendering (names) are never lowered."""
    if body.isupper() and not phrase.isupper() and len(body) > 1:
        return word.upper()
    words = body.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words) \
            and not all(w[:1].isupper() for w in phrase.split()):
        return " ".join(w[:1].upper() + w[1:] for w in word.split(" "))
    if body[:1].isupper() and not phrase[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
