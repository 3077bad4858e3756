"""The embedder protocol, unit rows and the deterministic hashing embedder."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from index.semantic.embedder import Embedder, HashingEmbedder, unit_rows


def test_unit_rows_scales_each_row_to_length_one_and_keeps_zero_rows() -> None:
    rows = unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert rows.dtype == np.float32
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)


def test_hashing_embedder_is_an_embedder_of_unit_vectors() -> None:
    embedder = HashingEmbedder(32)
    assert isinstance(embedder, Embedder)
    vectors = embedder.embed(["the cat sat", "a dog ran", ""])
    assert vectors.shape == (3, 32) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, rtol=1e-6)
    assert not vectors[2].any()
    assert embedder.name == "hashing-32" and embedder.dimension == 32


@given(st.lists(st.text(max_size=40), max_size=5))
def test_hashing_embedder_is_deterministic_and_order_free(texts: list[str]) -> None:
    embedder = HashingEmbedder()
    together = embedder.embed(texts)
    alone = [embedder.embed([text])[0] for text in texts]
    np.testing.assert_array_equal(together, np.array(alone).reshape(together.shape))


def test_aliases_make_different_words_mean_the_same() -> None:
    plain = HashingEmbedder(256)
    aliased = HashingEmbedder(256, aliases={"automobile": "car"})
    first, second = "a red car", "a red automobile"
    assert float(plain.embed([first])[0] @ plain.embed([second])[0]) < 0.99
    assert float(aliased.embed([first])[0] @ aliased.embed([second])[0]) > 0.999
