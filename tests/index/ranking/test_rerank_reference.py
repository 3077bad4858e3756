"""The features in numpy, on evidence small enough to work out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from index.ranking.rerank import RerankConfig, parse_question
from index.ranking.rerank_combine import FEATURES
from index.ranking.rerank_gather import Evidence
from index.ranking.rerank_reference import (
    neighbour_scores,
    reference_features,
    reference_scores,
)

QUESTION = parse_question("Who won the race?", ["won", "race"], {}, {"won": 3, "race": 2}, 10)
IDS = np.array([5, 4, 9], dtype=np.int64)  # a pool in BM25 order: 4 and 5 are neighbours
BM25 = np.array([1.0, 0.5, 0.25])


def _evidence(**given: object) -> Evidence:
    """Three candidates of one article, both question terms in each, nothing else known."""
    rows, columns = IDS.shape[0], len(QUESTION.idf)
    fields: dict[str, object] = {
        "weight": np.ones((rows, columns)),
        "position": np.zeros((rows, columns), dtype=np.int32),
        "before": np.zeros((rows, columns), dtype=np.bool_),
        "article_df": np.ones((rows, columns), dtype=np.int64),
        "doc": np.zeros(rows, dtype=np.int64),
        "doc_size": np.full(rows, 20, dtype=np.int64),
        "opening": np.zeros(rows, dtype=np.bool_),
        "next_in_doc": np.ones(rows, dtype=np.bool_),
        "led": np.zeros(rows, dtype=np.bool_),
        "next_led": np.zeros(rows, dtype=np.bool_),
        "fits": np.zeros(rows, dtype=np.bool_),
        "lead": np.zeros(rows, dtype=np.bool_),
        "title": np.zeros(rows),
    }
    fields.update(given)
    return Evidence(**fields)  # type: ignore[arg-type]


def test_with_every_lever_off_the_scores_are_bm25s() -> None:
    scores = reference_scores(QUESTION, _evidence(), IDS, BM25, RerankConfig())
    assert scores.tolist() == BM25.tolist()


def test_answer_type_adds_its_weight_to_each_sentence_holding_the_answer_asked_for() -> None:
    fits = np.array([False, True, False])
    scores = reference_scores(
        QUESTION, _evidence(fits=fits), IDS, BM25, RerankConfig(answer_type=0.2)
    )
    assert scores == pytest.approx([1.0, 0.7, 0.25])


def test_a_sentence_led_by_a_pronoun_gets_the_score_of_the_one_before() -> None:
    led = np.array([True, False, False])  # sentence 5 starts with "He"
    next_led = np.array([False, True, False])  # so the one after sentence 4 does
    found = neighbour_scores(QUESTION, IDS, BM25, _evidence(led=led, next_led=next_led))
    # 5 gets 4's score (its context); 4 gets 5's (its subject is in 4); 9 has no neighbour.
    assert found.tolist() == [0.5, 1.0, 0.0]


def test_an_articles_opening_sentence_takes_no_context_from_before_it() -> None:
    led, opening = np.array([True, False, False]), np.array([True, False, False])
    found = neighbour_scores(QUESTION, IDS, BM25, _evidence(led=led, opening=opening))
    assert found.tolist() == [0.0, 0.0, 0.0]


def test_coverage_lead_and_rarest_are_features_of_what_each_sentence_holds() -> None:
    # Sentence 5 (its article's lead) holds both words, 4 only "won", 9 neither.
    position = np.array([[0, 3], [2, -1], [-1, -1]], dtype=np.int32)
    evidence = _evidence(position=position, lead=np.array([True, False, False]))
    table = reference_features(QUESTION, evidence, IDS, BM25, 0.0)
    column = dict(zip(FEATURES, table.T, strict=True))
    won = QUESTION.idf["won"] / sum(QUESTION.idf.values())
    assert column["coverage"] == pytest.approx([1.0, won, 0.0])
    assert column["lead"] == pytest.approx([1.0, 0.0, 0.0])
    assert column["rarest"].tolist() == [0.0, -1.0, -1.0]  # "race" is the rarer word
    assert column["bm25"].tolist() == BM25.tolist()


def test_answer_value_is_the_answer_type_cue_of_a_question_asking_for_a_value() -> None:
    fits = np.array([False, True, False])
    when = parse_question("When was the race won?", ["race", "won"], {}, {"won": 3, "race": 2}, 10)
    for question, expected in ((when, [0.0, 1.0, 0.0]), (QUESTION, [0.0, 0.0, 0.0])):
        table = reference_features(question, _evidence(fits=fits), IDS, BM25, 0.0)
        column = dict(zip(FEATURES, table.T, strict=True))
        assert column["answer_type"].tolist() == [0.0, 1.0, 0.0]  # "who" and "when" alike
        assert column["answer_value"].tolist() == expected  # only "when" asks for a value
