"""Sentence embeddings kept compact: int8 codes and one scale per sentence.

A unit vector ``v`` is stored as ``codes = round(v / max|v| * 127)`` and
``scale = max|v| / 127`` (symmetric per-row int8 quantization), a quarter of
float32's size: 384 bytes plus 4 for all-MiniLM-L6-v2. The cosine with a float32
question vector ``q`` is then ``(codes . q) * scale``, within about 0.003 of the
float32 cosine. A row whose scale is 0 has no embedding yet (still being
computed): it gets no semantic term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.semantic.embedder import Vectors

Codes = npt.NDArray[np.int8]
Scales = npt.NDArray[np.float32]
_LEVELS = 127.0


def encode_rows(vectors: Vectors) -> tuple[Codes, Scales]:
    """The int8 codes and per-row scales of float vectors (a zero row gets scale 0)."""
    peaks = np.abs(vectors).max(axis=1) if vectors.shape[1] else np.zeros(vectors.shape[0])
    scales = (peaks / _LEVELS).astype(np.float32)
    safe = np.where(scales > 0, scales, 1.0).astype(np.float32)
    codes = np.rint(vectors / safe[:, None]).clip(-_LEVELS, _LEVELS).astype(np.int8)
    return codes, scales


@dataclass(frozen=True, slots=True, eq=False)
class SentenceVectors:
    """One embedding per indexed sentence (row = sentence id), from the model ``model``."""

    model: str
    codes: Codes
    scales: Scales

    def __post_init__(self) -> None:
        if self.codes.ndim != 2 or self.scales.shape != (self.codes.shape[0],):
            raise ValueError("sentence vectors: codes and scales disagree in shape")

    @classmethod
    def missing(cls, model: str, count: int, dimension: int) -> SentenceVectors:
        """``count`` sentences none of which has an embedding yet."""
        codes = np.zeros((count, dimension), dtype=np.int8)
        return cls(model, codes, np.zeros(count, dtype=np.float32))

    @classmethod
    def of(cls, model: str, vectors: Vectors) -> SentenceVectors:
        """Every row of ``vectors`` (unit float vectors) encoded."""
        return cls(model, *encode_rows(np.asarray(vectors, dtype=np.float32)))

    def __len__(self) -> int:
        return int(self.scales.shape[0])

    @property
    def dimension(self) -> int:
        """The length of each vector."""
        return int(self.codes.shape[1])

    @property
    def ready(self) -> int:
        """How many sentences have an embedding."""
        return int(np.count_nonzero(self.scales))

    def cosines(
        self, question: Vectors, ids: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """The cosine of the question vector with each of sentences ``ids``, and whether each
        has an embedding (those without get a cosine of 0)."""
        scales = self.scales[ids]
        dots = self.codes[ids].astype(np.float32) @ question.reshape(-1)
        return (dots * scales).astype(np.float64), scales > 0
