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

from functools import lru_cache


class LanguageTagError(ValueError):
    """A language tag that names no known language."""


@lru_cache(maxsize=256)
def base_language(tag: str) -> str:
    """The base language code of a BCP 47 tag: ``zh`` for ``zh_Hans``, ``en`` for
    ``EN-us``. Raises ``LanguageTagError`` for a malformed or unregistered tag."""
    import langcodes  # 80 ms; only when a language is given

    text = tag.strip().replace("_", "-")
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
