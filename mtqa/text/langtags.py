"""Language tags: ``en-US``, ``EN``, ``zh_CN``, ``zh-Hans`` and ``zh_Hans`` all name the
language whose checks run (``en``, ``zh``).

Checks know languages by their base code (ISO 639). A tag from the command line, the
config or a file header (PO ``Language``, XLIFF ``srcLang``/``trgLang``, TMX ``srclang``)
is parsed as a BCP 47 tag by ``langcodes`` (case-insensitive; ``_`` read as ``-``;
deprecated codes replaced, ``iw`` -> ``he``) and reduced to its language subtag. A tag
that names no registered language (``xx``, ``english``) is an error: silently running
without the language's checks would pass a pipeline it should fail.
"""
from __future__ import annotations

import re
from functools import lru_cache


class LanguageTagError(ValueError):
    """A language tag that names no known language."""


# ISO 639-1 codes in use (deprecated and remapped ones, such as iw and tl, go through
# langcodes). A tag made of one of these, an optional script and an optional region
# needs no registry lookup: importing langcodes' data costs 80-300 ms of start-up.
ISO_639_1 = frozenset((
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be",
    "bg", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu",
    "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa",
    "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he",
    "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io",
    "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko",
    "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu",
    "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa",
    "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se",
    "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw",
    "ta", "te", "tg", "th", "ti", "tk", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug",
    "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
))
# Languages whose quotations open with a low mark („...“): the punctuation checks and the
# aligner's quotation reader (mtqa.alignment.quotes) both go by it.
LOW_OPENING_QUOTES = frozenset({"de", "cs", "sk", "pl", "hu", "ro", "bg", "hr", "lt", "et",
                                "sl"})
_SIMPLE_TAG = re.compile(r"([a-z]{2})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?", re.IGNORECASE)


@lru_cache(maxsize=256)
def base_language(tag: str) -> str:
    """The base language code of a BCP 47 tag: ``zh`` for ``zh_Hans``, ``en`` for
    ``EN-us``. Raises ``LanguageTagError`` for a malformed or unregistered tag."""
    text = tag.strip().replace("_", "-")
    simple = _SIMPLE_TAG.fullmatch(text)
    if simple and simple.group(1).lower() in ISO_639_1:
        return simple.group(1).lower()
    import langcodes  # only for rarer tags: its registry takes 80-300 ms to import

    try:
        language = langcodes.Language.get(text)
    except (langcodes.LanguageTagError, ValueError):
        raise LanguageTagError(f"{tag!r} is not a language tag (expected e.g. en, de-DE, "
                               "zh-Hans)") from None
    code = language.language
    if not code or code == "und" or not language.is_valid():
        raise LanguageTagError(f"{tag!r} is not a known language (expected e.g. en, de-DE, "
                               "zh-Hans)")
    return str(code)
