"""The semantic term: weighted cosines, and a neutral term where no embedding is ready."""

from __future__ import annotations

import numpy as np
import pytest

from index.article_relevance import article_relevance
from index.semantic.embedder import HashingEmbedder
from index.semantic.mixing import SemanticConfig, SemanticRanker
from index.semantic.vectors import SentenceVectors

TEXTS = ["the red car stopped", "a blue boat sailed", "red cars stop at lights"]


def _ranker(config: SemanticConfig, ready: int = 3) -> SemanticRanker:
    embedder = HashingEmbedder(128)
    vectors = SentenceVectors.of(embedder.name, embedder.embed(TEXTS))
    scales = vectors.scales.copy()
    scales[ready:] = 0.0
    return SemanticRanker(embedder, SentenceVectors(vectors.model, vectors.codes, scales), config)


def test_the_term_is_the_weight_times_the_cosine() -> None:
    ranker = _ranker(SemanticConfig(weight=2.0))
    question = ranker.question_vector("the red car")
    ids = np.arange(3, dtype=np.int64)
    expected = 2.0 * (HashingEmbedder(128).embed(TEXTS) @ question)
    scores = ranker.scores("the red car", ids)
    np.testing.assert_allclose(scores, expected, atol=0.02)
    assert scores[0] > scores[1]
    np.testing.assert_array_equal(ranker.vector_scores(question, ids), scores)


def test_range_scaling_spreads_the_pool_from_zero_to_the_weight() -> None:
    ranker = _ranker(SemanticConfig(weight=1.5, scaling="range"))
    scores = ranker.scores("the red car", np.arange(3, dtype=np.int64))
    assert scores.min() == pytest.approx(0.0) and scores.max() == pytest.approx(1.5)


def test_a_sentence_without_an_embedding_gets_the_mean_of_the_others() -> None:
    ranker = _ranker(SemanticConfig(weight=1.0), ready=2)
    scores = ranker.scores("red car", np.arange(3, dtype=np.int64))
    assert scores[2] == pytest.approx(scores[:2].mean())
    nothing = _ranker(SemanticConfig(weight=1.0), ready=0)
    assert not nothing.scores("red", np.arange(3, dtype=np.int64)).any()


def test_vectors_of_another_model_are_refused() -> None:
    vectors = SentenceVectors.missing("other-model", 3, 128)
    with pytest.raises(ValueError, match="cannot be compared"):
        SemanticRanker(HashingEmbedder(128), vectors, SemanticConfig())


def test_the_article_term_lifts_candidates_of_the_article_closest_to_the_question() -> None:
    embedder = HashingEmbedder(128)
    texts = ["red car", "red car fast", "blue boat", "red cars"]
    vectors = SentenceVectors.of(embedder.name, embedder.embed(texts))
    doc_first = np.array([0, 2, 4], dtype=np.int64)  # articles: sentences 0-1 and 2-3
    config = SemanticConfig(weight=0.0, article=1.0)
    ranker = SemanticRanker(embedder, vectors, config, doc_first)
    scores = ranker.scores("red car", np.arange(4, dtype=np.int64))
    assert scores[0] == scores[1] > scores[2] == scores[3]
    assert (
        not SemanticRanker(embedder, vectors, config)
        .scores("red car", np.arange(4, dtype=np.int64))
        .any()
    )


def test_closeness_is_the_clipped_cosine_of_sentences_with_an_embedding() -> None:
    ranker = _ranker(SemanticConfig(), ready=2)
    close = ranker.closeness("the red car", [(0, 1.0), (1, 0.5), (2, 0.1)])
    assert set(close) == {0, 1} and all(0.0 <= value <= 1.0 for value in close.values())
    assert close[0] > close[1]


def test_the_features_are_the_scaled_cosine_its_articles_relevance_and_the_raw_cosine() -> None:
    embedder = HashingEmbedder(128)
    vectors = SentenceVectors.of(embedder.name, embedder.embed(TEXTS))
    doc_first = np.array([0, 2, 3], dtype=np.int64)
    config = SemanticConfig(weight=0.5, scaling="range", article=0.25, raw=2.0)
    ranker = SemanticRanker(embedder, vectors, config, doc_first)
    ids = np.arange(3, dtype=np.int64)
    table = ranker.features("the red car", ids)
    raw = embedder.embed(TEXTS) @ ranker.question_vector("the red car")
    np.testing.assert_allclose(table[:, 2], raw, atol=0.02)
    assert table[:, 0].min() == 0.0 and table[:, 0].max() == 1.0  # the pool's range
    np.testing.assert_allclose(table[:, 1], article_relevance(np.array([0, 0, 1]), table[:, 0]))
    np.testing.assert_allclose(ranker.scores("the red car", ids), table @ [0.5, 0.25, 2.0])


def test_closeness_counts_from_the_models_unrelated_floor() -> None:
    ranker = _ranker(SemanticConfig(unrelated=0.2))
    cosines, _ = ranker.cosines(ranker.question_vector("the red car"), np.arange(3))
    close = ranker.closeness("the red car", [(0, 1.0), (1, 0.5), (2, 0.1)])
    expected = np.clip((cosines - 0.2) / 0.8, 0.0, 1.0)
    np.testing.assert_allclose([close[i] for i in range(3)], expected)
