"""The re-ranker's second compiled pass: its features and scores are the numpy reference's."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking.engines import weighted_terms
from index.ranking.rerank import DEFAULT_RERANK, LEVERS, RerankConfig, columns_of, parse_question
from index.ranking.rerank_combine import FEATURES, combine, feature_weights, features
from index.ranking.rerank_evidence import Question
from index.ranking.rerank_gather import Evidence
from index.ranking.rerank_reference import reference_features, reference_scores
from index.service.searcher import Searcher
from index.storage.builder import build_index
from index.terms.synonyms import Synonyms
from index.terms.variants import HeldForms
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
    "Which Russians bombed Syria?",  # "russia", a shorter form of "russian"
]
levers = st.fixed_dictionaries({lever: st.sampled_from([0.0, 0.1, 0.5, 1.0]) for lever in LEVERS})


def _evidence(question: str, depth: int, config: RerankConfig) -> tuple[
    Question, Evidence, npt.NDArray[np.int64], npt.NDArray[np.float64]
] | None:  # fmt: skip
    """The question parsed, its pool's evidence, ids and BM25 scores (scaled), as ranked."""
    terms = SEARCHER.analyzer.terms(question)
    reranker = SEARCHER.parts.parts[0].reranker
    related = Synonyms.shipped(SEARCHER.analyzer).expand(terms)
    doc_freqs = SEARCHER.parts.doc_freqs(list(dict.fromkeys([*terms, *related.terms])))
    forms = HeldForms(SEARCHER.parts.doc_freqs).of(terms)
    parsed = parse_question(question, terms, related.by_term, doc_freqs, len(SEARCHER.index), forms)
    pool = SEARCHER.parts.pool(weighted_terms(terms, (), 0.0), depth, None).pairs
    if not pool:
        return None
    ids = np.array([i for i, _ in pool], dtype=np.int64)
    bm25 = np.array([s for _, s in pool]) / pool[0][1]
    evidence = reranker.evidence(parsed, ids, config, reranker.stats)
    assert evidence.fits.tolist() == SEARCHER.index.facts.fits(ids, parsed.cues).tolist()
    return parsed, evidence, ids, bm25


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(QUESTIONS), levers, st.integers(1, 100))
def test_compiled_scores_are_the_reference_scores(
    question: str, weights: dict[str, float], depth: int
) -> None:
    config = RerankConfig(depth=depth, **weights)
    found = _evidence(question, depth, config)
    if found is None:
        return
    parsed, evidence, ids, bm25 = found
    got = combine(evidence, ids, bm25, columns_of(parsed, config), feature_weights(config))
    assert got == pytest.approx(reference_scores(parsed, evidence, ids, bm25, config), abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(QUESTIONS), st.integers(1, 100), st.sampled_from([0.0, 0.4, 1.0]))
def test_compiled_features_are_the_reference_features(
    question: str, depth: int, related: float
) -> None:
    config = RerankConfig(depth=depth, title=1.0, synonyms=related, variants=1.0)
    found = _evidence(question, depth, config)
    if found is None:
        return
    parsed, evidence, ids, bm25 = found
    got = features(evidence, ids, bm25, columns_of(parsed, config))
    expected = reference_features(parsed, evidence, ids, bm25, related)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert got.shape == (len(ids), len(FEATURES)) and (got[:, FEATURES.index("bm25")] <= 1).all()


def test_the_feature_positions_are_the_kernels_order() -> None:
    from index.ranking import rerank_combine

    for position, feature in enumerate(FEATURES):
        assert getattr(rerank_combine, feature.upper()) == position
    weights = dict(zip(FEATURES, feature_weights(DEFAULT_RERANK).tolist(), strict=True))
    assert weights["bm25"] == 1.0 - DEFAULT_RERANK.local
    assert all(weights[f] == getattr(DEFAULT_RERANK, f) for f in FEATURES if f != "bm25")


def test_the_variants_column_credits_sentences_holding_a_shorter_form() -> None:
    config = RerankConfig(depth=100, variants=1.0)
    found = _evidence("Which Russians bombed Syria?", 100, config)
    assert found is not None
    parsed, evidence, ids, bm25 = found
    assert "russia" in parsed.variants["russian"]
    column = features(evidence, ids, bm25, columns_of(parsed, config))[
        :, FEATURES.index("variants")
    ]
    assert column.max() > 0
    off = RerankConfig(depth=100)  # the lever off: no columns for the forms, a column of 0
    plain = _evidence("Which Russians bombed Syria?", 100, off)
    assert plain is not None and plain[1].position.shape[1] < evidence.position.shape[1]
    assert not features(plain[1], ids, bm25, columns_of(parsed, off))[:, -1].any()
