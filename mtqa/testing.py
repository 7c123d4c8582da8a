"""Helpers for tests: a deterministic encoder that needs no model.

``FakeEncoder`` hashes the character n-grams of a text into a fixed number of buckets,
so strings that share many n-grams (the same sentence, a sentence and its near copy)
get similar vectors, and unrelated strings get nearly orthogonal ones. It knows no
language: tests that align with it use "translations" that share text with their
source (the same sentence, upper-cased, with a word changed, ...).
"""
from __future__ import annotations

import hashlib

import numpy as np


class FakeEncoder:
    """Hashed character bigrams and trigrams of the lower-cased text, L2-normalised."""

    def __init__(self, dim: int = 256, orders: tuple[int, ...] = (2, 3)) -> None:
        self.dim = dim
        self.orders = orders
        self.id = f"fake-ngrams-{dim}-{''.join(map(str, orders))}"
        self.calls = 0
        self.encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f" {text.lower()} "
            for n in self.orders:
                for i in range(len(padded) - n + 1):
                    gram = padded[i:i + n]
                    h = int.from_bytes(hashlib.blake2b(gram.encode("utf-8", "surrogatepass"),
                                                       digest_size=8).digest(), "little")
                    sign = 1.0 if h & 1 else -1.0
                    out[row, (h >> 1) % self.dim] += sign
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
