"""One output row per pair: what mtqa finds about it, and the Parquet schema.

Each pair is checked on its own, as a one-unit bilingual document: the same checks,
MQM weights and estimate as ``mtqa check``, but nothing that compares units with each
other (consistency across units needs the whole corpus; the duplicate key is there for
that). So a row never depends on which batch, worker or engine computed it.

The columns (``SCHEMA``; also in the README):

======================  ==========  ====================================================
column                  type        meaning
======================  ==========  ====================================================
input                   string      the input file, as given on the command line
index                   int64       position of the pair in its input, from 0 (error
                                    rows count too)
id                      string      the unit's id (TMX ``tuid``, XLIFF ``id``, JSONL
                                    ``id``, else line or row number)
source, target          string      the texts (inline codes as mtqa's tokens)
reference               string      the reference, where the input has one
source_lang             string      the language the input's source should be in
target_lang             string      the language its target should be in
source_detected         string      the language detected in the source (null: too
                                    short to tell)
target_detected         string      the same for the target
lang_ok                 bool        both detected languages are the expected ones (or
                                    too short to tell)
length_ratio            float64     target characters / source characters (null when
                                    the source is empty)
dup_key                 string      16 hex digits: a hash of the normalised pair
                                    (NFKC, case-folded, letters and digits only), equal
                                    for pairs that differ only in case, spacing or
                                    punctuation
words                   int32       words of the target (one per CJK character)
issues                  list        what the checks found: code, severity, category,
                                    message
minor, major, critical  int32       issues per severity
penalty                 float64     MQM penalty of the issues (minor 1, major 5,
                                    critical 25, minor punctuation 0.1)
estimate                float64     the learned MQM estimate of the pair (null without
                                    an encoder)
cosine                  float64     cosine of the source and target embeddings (null
                                    without an encoder)
quality                 float64     ``100 * (1 - points / words)`` clamped to 0..100;
                                    points are the penalty (the estimate with
                                    ``quality_basis = "estimate"``)
error                   string      why the pair could not be read (then every column
                                    after ``id`` is null or empty); null for a pair
======================  ==========  ====================================================
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from mtqa.alignment.embed import Encoder
from mtqa.checks.base import Check, Context
from mtqa.config import Config
from mtqa.corpus.pairs import Pair
from mtqa.model import Bead, Document, Issue, Scores, Segment
from mtqa.text.langdetect import detect

if TYPE_CHECKING:
    import pyarrow as pa

SCHEMA_VERSION = "mtqa.corpus/1"
ROUND = {"length_ratio": 4, "penalty": 4, "estimate": 4, "cosine": 6, "quality": 2}
_NOT_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Checks that compare the units of a document with each other: a pair is checked on
# its own, so they have nothing to compare (and would only cost time).
CROSS_UNIT_CHECKS = ("CO",)


@lru_cache(maxsize=1)
def schema() -> pa.Schema:
    """The Arrow schema of the rows (pyarrow is imported only here)."""
    import pyarrow as pa

    issue = pa.struct([("code", pa.string()), ("severity", pa.string()),
                       ("category", pa.string()), ("message", pa.string())])
    return pa.schema([
        ("input", pa.string()), ("index", pa.int64()), ("id", pa.string()),
        ("source", pa.string()), ("target", pa.string()), ("reference", pa.string()),
        ("source_lang", pa.string()), ("target_lang", pa.string()),
        ("source_detected", pa.string()), ("target_detected", pa.string()),
        ("lang_ok", pa.bool_()), ("length_ratio", pa.float64()), ("dup_key", pa.string()),
        ("words", pa.int32()), ("issues", pa.list_(issue)),
        ("minor", pa.int32()), ("major", pa.int32()), ("critical", pa.int32()),
        ("penalty", pa.float64()), ("estimate", pa.float64()), ("cosine", pa.float64()),
        ("quality", pa.float64()), ("error", pa.string()),
    ], metadata={"schema": SCHEMA_VERSION})


def dup_key(source: str, target: str) -> str:
    """A hash of the pair with case, spacing and punctuation normalised away."""
    def norm(text: str) -> str:
        return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()

    digest = hashlib.blake2b(f"{norm(source)}\t{norm(target)}".encode("utf-8", "surrogatepass"),
                             digest_size=8)
    return digest.hexdigest()


def detected_lang(text: str) -> str | None:
    """The language of one side, or None when the text is too short to tell: fewer than
    12 letters (``detect`` would guess English) and no CJK script."""
    # Corpora repeat texts (one source in many systems' pairs, boilerplate in a TM), so
    # sentence-length texts are remembered; the bound keeps the cache under ~70 MB.
    return _detected_cached(text) if len(text) <= 500 else _detected(text)


def _detected(text: str) -> str | None:
    if len(text) < 12 or sum(1 for ch in text[:200] if ch.isalpha()) < 12:
        return detect(text) if _CJK.search(text) else None
    return detect(text)


_detected_cached = lru_cache(maxsize=1 << 16)(_detected)


def lang_matches(found: str | None, expected: str) -> bool:
    return found is None or found == expected.replace("_", "-").split("-")[0].lower()


class PrecomputedEncoder:
    """An encoder that answers from the vectors of one batch (encoded in one call), so
    the checks and the estimate of each pair need no encode call of their own."""

    def __init__(self, encoder: Encoder, texts: Sequence[str]) -> None:
        self.id = encoder.id
        self._encoder = encoder
        unique = list(dict.fromkeys(texts))
        vectors = encoder.encode(unique) if unique else np.zeros((0, 0), dtype=np.float32)
        self._rows = {t: vectors[i] for i, t in enumerate(unique)}

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._rows]
        if missing:  # a check that encodes a text of its own (rare): one more call
            for text, row in zip(missing, self._encoder.encode(missing)):
                self._rows[text] = row
        return np.stack([self._rows[t] for t in texts]) if texts else \
            np.zeros((0, 0), dtype=np.float32)

    def cosine(self, source: str, target: str) -> float:
        a, b = self.encode([source, target]).astype(np.float64)
        norm = float(np.linalg.norm(a) * np.linalg.norm(b))
        return float(a @ b) / norm if norm else 0.0


# ------------------------------------------------------------------ the per-pair flow
# Small named steps so that the scoring path can be rewired in one place.

def pair_context(pair: Pair, name: str, fmt: str, source_lang: str, target_lang: str,
                 config: Config, glossary: Any, encoder: Encoder | None) -> Context:
    """The pair as a one-unit bilingual document, as ``mtqa check`` reads a unit."""
    def doc(text: str, lang: str) -> Document:
        return Document(name, lang, (Segment(text=text, line=1, column=1, kind="unit",
                                             unit_id=pair.id),), fmt)

    reference = doc(pair.reference, target_lang) if pair.reference is not None else None
    bead = Bead((0,), (0,), (0,) if reference is not None else ())
    return Context(target=doc(pair.target, target_lang), source=doc(pair.source, source_lang),
                   reference=reference, alignment=(bead,), glossary=glossary,
                   encoder=encoder, config=config)


def pair_issues(ctx: Context, checks: Sequence[Check]) -> list[Issue]:
    """The issues of the enabled checks (noise dropped where a precondition fired)."""
    from mtqa.pipeline import run_checks

    return run_checks(ctx, checks)


def pair_scores(ctx: Context, issues: Sequence[Issue], config: Config,
                encoder: Encoder | None) -> tuple[Scores, float | None]:
    """MQM scores of the pair, and its learned estimate (None without an encoder): the
    same scoring as ``pipeline.conclude`` (the estimate, where there is one, and never
    under the penalty of the pair's own issues)."""
    from mtqa.quality.estimate import estimate_points, load_params
    from mtqa.quality.scoring import score

    estimate = estimate_points(ctx.target, ctx.source, ctx.reference, ctx.alignment, encoder,
                               load_params(config.estimate))
    scores = score(ctx.target, ctx.alignment, issues, config.weights, estimate,
                   config.quality_basis)
    return scores, (estimate[0] if estimate else None)


def error_row(pair: Pair, name: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(schema().names)
    row.update(input=name, index=pair.index, id=pair.id, source="", target="",
               issues=[], error=pair.error)
    return row


def pair_row(pair: Pair, name: str, fmt: str, source_lang: str, target_lang: str,
             config: Config, checks: Sequence[Check], glossary: Any,
             encoder: PrecomputedEncoder | None) -> dict[str, Any]:
    """The output row of one readable pair."""
    ctx = pair_context(pair, name, fmt, source_lang, target_lang, config, glossary, encoder)
    issues = pair_issues(ctx, checks)
    scores, estimate = pair_scores(ctx, issues, config, encoder)
    src_found, tgt_found = detected_lang(pair.source), detected_lang(pair.target)
    severities = [i.severity.value for i in issues]
    row: dict[str, Any] = {
        "input": name, "index": pair.index, "id": pair.id, "source": pair.source,
        "target": pair.target, "reference": pair.reference,
        "source_lang": source_lang, "target_lang": target_lang,
        "source_detected": src_found, "target_detected": tgt_found,
        "lang_ok": lang_matches(src_found, source_lang) and lang_matches(tgt_found, target_lang),
        "length_ratio": len(pair.target) / len(pair.source) if pair.source else None,
        "dup_key": dup_key(pair.source, pair.target), "words": scores.words,
        "issues": [{"code": i.code, "severity": i.severity.value, "category": i.category,
                    "message": i.message} for i in issues],
        "minor": severities.count("minor"), "major": severities.count("major"),
        "critical": severities.count("critical"), "penalty": scores.penalty,
        "estimate": estimate,
        "cosine": encoder.cosine(pair.source, pair.target) if encoder and pair.source
        and pair.target else None,
        "quality": scores.quality, "error": None,
    }
    for key, digits in ROUND.items():
        if row[key] is not None:
            row[key] = round(float(row[key]), digits)
    return row


class Scorer:
    """What one worker holds for the whole run: the checks, the glossary, the encoder."""

    def __init__(self, config: Config, encoder: str | None) -> None:
        from mtqa.checks.registry import enabled_checks
        from mtqa.glossary import load_glossaries

        self.config = config
        self.checks = [c for c in enabled_checks(config)
                       if not c.code.startswith(CROSS_UNIT_CHECKS)]
        self.glossary = load_glossaries(config.glossaries, config.source_lang,
                                        config.target_lang)
        self.encoder: Encoder | None = None
        if encoder:
            from mtqa.alignment.embed import load_encoder

            # No embedding cache: a corpus is read once, and millions of vectors would
            # fill the user's cache directory.
            self.encoder = load_encoder(encoder, cache=False)

    def rows(self, pairs: Sequence[Pair], name: str, fmt: str, source_lang: str,
             target_lang: str) -> list[dict[str, Any]]:
        """The rows of one batch, in its order."""
        good = [p for p in pairs if p.error is None]
        batch_encoder = None
        if self.encoder is not None:
            texts = [t for p in good for t in (p.source, p.target, p.reference) if t]
            batch_encoder = PrecomputedEncoder(self.encoder, texts)
        return [error_row(p, name) if p.error is not None else
                pair_row(p, name, fmt, source_lang, target_lang, self.config, self.checks,
                         self.glossary, batch_encoder) for p in pairs]

    def table(self, pairs: Sequence[Pair], name: str, fmt: str, source_lang: str,
              target_lang: str) -> pa.Table:
        import pyarrow as pa

        return pa.Table.from_pylist(self.rows(pairs, name, fmt, source_lang, target_lang),
                                    schema=schema())
