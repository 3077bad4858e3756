"""What turns texts into sentence embeddings, and a deterministic stand-in for tests.

An :class:`Embedder` maps texts to float32 unit vectors (one row per text), so a
dot product is a cosine. :class:`HashingEmbedder` is the test seam: it hashes
words into a vector, needs no model and gives the same vectors on every run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
"""Rows of unit vectors, float32, one per text."""

_WORD = re.compile(r"\w+")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into sentence embeddings."""

    @property
    def name(self) -> str:
        """The model's name, as reported in ``qabot stats`` and stored with embeddings."""
        ...

    @property
    def dimension(self) -> int:
        """The length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One float32 unit vector per text (``len(texts) x dimension``)."""
        ...


def unit_rows(matrix: npt.NDArray[np.floating]) -> Vectors:
    """``matrix`` with every row scaled to length 1 (rows of zeros stay zero), as float32."""
    rows = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: Vectors = (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return unit


@dataclass(frozen=True, slots=True)
class HashingEmbedder:
    """A deterministic bag-of-words embedder for tests: each lower-cased word adds +-1 at a
    position chosen by hashing it. ``aliases`` maps a word to another whose vector it takes,
    so a test can make two different words mean the same (as a real model would)."""

    dimension: int = 64
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Names the dimension, so vectors of two sizes are never mixed up."""
        return f"hashing-{self.dimension}"

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Hash each text's words into a vector and normalise it."""
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                slot, sign = self._slot(self.aliases.get(word, word))
                vectors[row, slot] += sign
        return unit_rows(vectors)

    def _slot(self, word: str) -> tuple[int, float]:
        digest = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
        return digest % self.dimension, 1.0 if digest >> 63 else -1.0
