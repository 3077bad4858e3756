"""The re-ranker's second compiled pass: its scores are the numpy reference's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking.engines import weighted_terms
from index.ranking.rerank import (
    DEFAULT_RERANK,
    LEVERS,
    RerankConfig,
    columns_of,
    lever_weights,
    parse_question,
)
from index.ranking.rerank_combine import combine
from index.ranking.rerank_reference import reference_scores
from index.service.searcher import Searcher
from index.storage.builder import build_index
from index.terms.synonyms import Synonyms
from tests.conftest import SEEDS

SEARCHER = Searcher(build_index(SEEDS).index)


QUESTIONS = [
    "What did the Pentagon say about the talks?",
    "When did Russia agree to resume talks?",
    "Who is the Pentagon press secretary?",
    "How many aircraft flew over Syria?",
    "US bombing campaign against the Islamic State",
    "Why did Russia agree to resume talks?",
    "Why are the Russian jets flying over Syria?",
]
levers = st.fixed_dictionaries({lever: st.sampled_from([0.0, 0.1, 0.5, 1.0]) for lever in LEVERS})


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(QUESTIONS), levers, st.integers(1, 100))
def test_compiled_scores_are_the_reference_scores(
    question: str, weights: dict[str, float], depth: int
) -> None:
    config = RerankConfig(depth=depth, **weights)
    terms = SEARCHER.analyzer.terms(question)
    reranker = SEARCHER.parts.parts[0].reranker
    related = Synonyms.shipped(SEARCHER.analyzer).expand(terms)
    doc_freqs = SEARCHER.parts.doc_freqs(list(dict.fromkeys([*terms, *related.terms])))
    parsed = parse_question(question, terms, related.by_term, doc_freqs, len(SEARCHER.index))
    pool = SEARCHER.parts.best(weighted_terms(terms, (), 0.0), depth, None)
    if not pool:
        return
    ids = np.array([i for i, _ in pool], dtype=np.int64)
    bm25 = np.array([s for _, s in pool]) / pool[0][1]
    evidence = reranker.evidence(parsed, ids, config, reranker.stats)
    assert evidence.fits.tolist() == SEARCHER.index.facts.fits(ids, parsed.cues).tolist()
    got = combine(evidence, ids, bm25, columns_of(parsed, config), lever_weights(config))
    assert got == pytest.approx(reference_scores(parsed, evidence, ids, bm25, config), abs=1e-12)


def test_the_levers_are_in_the_kernels_order() -> None:
    from index.ranking import rerank_combine

    for position, lever in enumerate(LEVERS):
        assert getattr(rerank_combine, lever.upper()) == position
    assert lever_weights(DEFAULT_RERANK).tolist() == [getattr(DEFAULT_RERANK, x) for x in LEVERS]
