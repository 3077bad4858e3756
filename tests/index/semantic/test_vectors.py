"""Compact sentence vectors: int8 codes with a scale per row."""

from __future__ import annotations

import numpy as np
import pytest

from index.semantic.embedder import HashingEmbedder, unit_rows
from index.semantic.vectors import SentenceVectors, encode_rows


def _random_units(count: int, dimension: int) -> np.ndarray:
    return unit_rows(np.random.default_rng(7).normal(size=(count, dimension)))


def test_int8_cosines_are_within_a_few_thousandths_of_float32() -> None:
    vectors = _random_units(200, 384)
    stored = SentenceVectors.of("m", vectors)
    question = _random_units(1, 384)[0]
    ids = np.arange(200, dtype=np.int64)
    cosines, known = stored.cosines(question, ids)
    assert known.all()
    assert np.abs(cosines - vectors @ question).max() < 0.005
    assert stored.codes.dtype == np.int8 and stored.codes.nbytes == 200 * 384


def test_a_zero_row_has_no_embedding() -> None:
    codes, scales = encode_rows(np.zeros((2, 4), dtype=np.float32))
    assert not codes.any() and not scales.any()


def test_missing_rows_count_as_not_ready() -> None:
    stored = SentenceVectors.missing("m", 3, 8)
    assert len(stored) == 3 and stored.dimension == 8 and stored.ready == 0
    question = HashingEmbedder(8).embed(["x"])[0]
    cosines, known = stored.cosines(question, np.array([0, 2], dtype=np.int64))
    assert not known.any() and not cosines.any()


def test_codes_and_scales_must_agree() -> None:
    with pytest.raises(ValueError, match="disagree"):
        SentenceVectors("m", np.zeros((3, 4), dtype=np.int8), np.zeros(2, dtype=np.float32))
