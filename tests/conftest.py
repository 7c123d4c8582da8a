"""Shared fixtures and paths for the test suite."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Hypothesis is a test dependency (the `test` extra); the property tests need it.
from hypothesis import settings as hypothesis_settings

# In CI the property tests run the same examples every time: a gate must not fail at
# random. Locally they explore (and remember failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "references" / "examples"
# The shared data sits beside the checkout (../shared), or higher up for a worktree.
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "seed").is_dir()),
              ROOT.parent / "shared")
SEED = SHARED / "seed" / "four-strong.mt.en.txt"
MQM_DATA = SHARED / "data" / "mqm"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"example article not found at {SEED}")
    return SEED


@pytest.fixture(autouse=True, scope="session")
def _private_embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's embedding cache."""
    import os

    os.environ["MTQA_CACHE_DIR"] = str(tmp_path_factory.mktemp("mtqa-cache"))
