"""Ranking one question: BM25's pool, widened to an article, re-ranked, semantic or not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.ranking.bm25 import BM25Params
from index.ranking.rerank import DEFAULT_RERANK
from index.ranking.rerank_combine import FEATURES, feature_weights
from index.semantic.embedder import HashingEmbedder
from index.semantic.mixing import FEATURES as SEMANTIC
from index.semantic.mixing import ModeWeights, SemanticConfig, SemanticRanker, WeightedTerm
from index.semantic.vectors import SentenceVectors
from index.service.opened_index import OpenedIndex
from index.service.question_ranking import Reranking
from index.service.searcher import Searcher
from index.storage.builder import build_index
from tests.conftest import write


def test_equal_scores_rank_in_document_order(tmp_path: Path) -> None:
    write(tmp_path, "z.txt", "Lamps\n\nGreen lamp glows. Blue lamp glows.\n\nRed lamp glows.")
    write(tmp_path, "a.txt", "Lamps\n\nWhite lamp glows.")
    built = build_index(tmp_path, BM25Params()).index
    index = Searcher(built, rerank=None)
    hits = index.search("lamp", 4).hits
    assert len({h.score for h in hits}) == 1
    assert [h.sentence.text.split()[0] for h in hits] == ["White", "Green", "Blue", "Red"]


def test_the_reference_engine_gives_the_same_answer(article_index: OpenedIndex) -> None:
    fast = article_index.searcher.search("Kirby opposition groups", 5)
    reference = Searcher(article_index.index, reference=True)
    slow = reference.search("Kirby opposition groups", 5, engine="rank-bm25")
    assert [h.position for h in fast.hits] == [h.position for h in slow.hits]
    with pytest.raises(ValueError, match="reference=True"):
        article_index.searcher.search("x", engine="rank-bm25")
    with pytest.raises(ValueError, match="unknown"):
        reference.search("x", engine="magic")


def test_without_semantic_re_ranking_the_searchers_levers_stand() -> None:
    within = Reranking.of(DEFAULT_RERANK, (), None, open_corpus=False)
    assert within == Reranking(DEFAULT_RERANK, ())
    # The feedback pass works within one article only (its cost buys nothing measured in
    # the whole corpus: docs/quality.md, round 8).
    everywhere = Reranking.of(DEFAULT_RERANK, (), None, open_corpus=True)
    assert DEFAULT_RERANK.feedback > 0
    assert everywhere == Reranking(replace(DEFAULT_RERANK, feedback=0.0), ())


def test_semantic_re_ranking_lifts_the_depth_and_joins_the_scorers(cars: Searcher) -> None:
    ranker = _with_semantic(cars, 1.0).semantic
    assert ranker is not None
    shallow = replace(DEFAULT_RERANK, depth=10)
    reranking = Reranking.of(shallow, (), ranker, open_corpus=True)
    assert reranking.config == replace(shallow, depth=ranker.config.depth, feedback=0.0)
    ((scorer, weight),) = [(m.scorer, m.weight) for m in reranking.mixed]
    assert isinstance(scorer, WeightedTerm) and scorer.ranker is ranker and weight == 1.0
    assert scorer.weights == ranker.config.mode(open_corpus=True).features == (1.0, 0.0, 0.0)
    assert reranking.semantic is ranker


def test_feedback_lifts_what_shares_the_top_sentences_words_and_keeps_it_first(
    tmp_path: Path,
) -> None:
    first = "The Golden Gate bridge opened in 1937 in San Francisco."
    echo = "Engineers in San Francisco praised the Golden Gate design."
    text = f"Bridges\n\n{first} The weather was cold that year. {echo}"
    write(tmp_path, "a.txt", text)
    built = build_index(tmp_path, BM25Params()).index
    without = Searcher(built, rerank=replace(DEFAULT_RERANK, feedback=0.0))
    question = "When did the bridge open?"

    def texts(searcher: Searcher) -> list[str]:
        found = searcher.search(question, 3, doc_id="a.txt", min_confidence=0.0, spelling=False)
        return [hit.sentence.text for hit in found.hits]

    # Sharing no question word, the echo came last (the weather follows the answer).
    assert texts(without) == [first, "The weather was cold that year.", echo]
    assert texts(Searcher(built)) == [first, echo, "The weather was cold that year."]

    # The top sentence holds all of its own words: the pass adds its weight to its score,
    # within the article, and not in the whole corpus, where there is no such pass.
    def top_score(searcher: Searcher, doc_id: str | None) -> float:
        found = searcher.search(question, 1, doc_id=doc_id, min_confidence=0.0, spelling=False)
        return found.hits[0].score

    gain = DEFAULT_RERANK.feedback
    assert top_score(Searcher(built), "a.txt") == pytest.approx(top_score(without, "a.txt") + gain)
    assert top_score(Searcher(built), None) == top_score(without, None)


# Semantic re-ranking (the extra), with the deterministic hashing embedder as the model.


def _with_semantic(searcher: Searcher, weight: float) -> Searcher:
    embedder = HashingEmbedder(256, aliases={"vroomster": "car", "zorbled": "bought"})
    table = searcher.index.table
    vectors = SentenceVectors.of(
        embedder.name, embedder.embed(list(map(table.text, range(len(table)))))
    )
    ranker = SemanticRanker(embedder, vectors, SemanticConfig(weight))
    return Searcher(searcher.index, rerank=searcher.rerank, semantic=ranker)


@pytest.fixture(scope="module")
def cars(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    folder = tmp_path_factory.mktemp("cars")
    text = "Cars\n\nThe mayor spoke about the town. Anna bought a car in the town. It is quiet."
    write(folder, "a.txt", text)
    write(folder, "b.txt", "Boats\n\nThe mayor of the harbour town sold boats.")
    return Searcher(build_index(folder, BM25Params()).index)


def test_in_article_mode_the_semantic_term_finds_a_sentence_sharing_no_word(
    cars: Searcher,
) -> None:
    question = "Who zorbled a vroomster?"
    # Every sentence of the article is a candidate, but lexically none beats another.
    plain = cars.search(question, 3, doc_id="a.txt", min_confidence=0.0, spelling=False).hits
    assert plain[0].sentence.text != "Anna bought a car in the town."
    assert cars.search(question, 3, doc_id="a.txt", spelling=False).hits == ()
    semantic = _with_semantic(cars, 1.0)
    hits = semantic.search(question, 3, doc_id="a.txt", min_confidence=0.0, spelling=False).hits
    assert hits[0].sentence.text == "Anna bought a car in the town."
    assert len(hits) == 3  # every sentence of the article is a candidate
    # Close in meaning, it is no longer withheld as a weak match at the default confidence.
    shown = semantic.search(question, 3, doc_id="a.txt", spelling=False).hits
    assert shown and shown[0].sentence.text == "Anna bought a car in the town."


def test_the_semantic_term_reorders_bm25s_candidates_in_the_open_corpus(
    cars: Searcher,
) -> None:
    question = "Which mayor zorbled a vroomster in the town?"
    plain = cars.search(question, 1, min_confidence=0.0, spelling=False).hits[0]
    assert plain.sentence.text != "Anna bought a car in the town."
    lifted = _with_semantic(cars, 5.0).search(question, 1, min_confidence=0.0, spelling=False)
    assert lifted.hits[0].sentence.text == "Anna bought a car in the town."


def test_the_semantic_terms_levers_replace_the_searchers_while_it_is_on(cars: Searcher) -> None:
    question = "Which mayor bought a car in the town?"
    base = _with_semantic(cars, 1.0)
    assert base.semantic is not None
    embedder, vectors = base.semantic.embedder, base.semantic.vectors

    def ranked(config: SemanticConfig, doc_id: str | None) -> tuple[int, ...]:
        searcher = Searcher(cars.index, semantic=SemanticRanker(embedder, vectors, config))
        return searcher.rank(question, 3, doc_id=doc_id)

    lead = SemanticConfig(1.0, levers=(("lead", 9.0),))
    assert ranked(lead, None) != base.rank(question, 3)
    assert ranked(lead, None)[0] == 0  # the lead of the article of "Anna bought a car"
    # Weights of their own for the open corpus leave searches of one article alone.
    only_open = SemanticConfig(1.0, open=ModeWeights((1.0, 0.0, 0.0), (("lead", 9.0),)))
    assert ranked(only_open, None) == ranked(lead, None)
    assert ranked(only_open, "a.txt") == base.rank(question, 3, doc_id="a.txt")


# The features a ranking weighs (for learning the weights, bench/learn_weights.py).


def _ranked_by_features(searcher: Searcher, question: str, doc_id: str | None) -> tuple[int, ...]:
    """The first pass's ranking (the ``feedback`` pass comes after it, weighing no feature)."""
    found = searcher.features(question, 10, doc_id=doc_id)
    weights = feature_weights(searcher.rerank)
    if searcher.semantic is not None:
        mode = searcher.semantic.config.mode(open_corpus=doc_id is None)
        override: dict[str, Any] = dict(mode.levers)
        levers = feature_weights(replace(searcher.rerank, **override))
        weights = np.concatenate([levers, mode.features])
    order = found.ids[np.lexsort((found.ids, -(found.table @ weights)))]
    return tuple([*order.tolist(), *found.rest.tolist()][:10])


@pytest.mark.parametrize("doc_id", [None, "a.txt"])
def test_the_features_weighed_give_the_ranking(cars: Searcher, doc_id: str | None) -> None:
    question = "Which mayor bought a car in the town?"
    cars = Searcher(cars.index, rerank=replace(DEFAULT_RERANK, feedback=0.0))
    found = cars.features(question, 10, doc_id=doc_id)
    assert found.names == FEATURES and found.table.shape == (len(found.ids), len(FEATURES))
    assert _ranked_by_features(cars, question, doc_id) == cars.rank(question, 10, doc_id=doc_id)
    semantic = _with_semantic(cars, 1.0)
    assert semantic.features(question, 10, doc_id=doc_id).names == (*FEATURES, *SEMANTIC)
    expected = semantic.rank(question, 10, doc_id=doc_id)
    assert _ranked_by_features(semantic, question, doc_id) == expected
