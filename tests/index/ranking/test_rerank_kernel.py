"""The compiled re-ranker: its evidence is what the rows hold, its scores the numpy reference's."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking import kernels
from index.ranking.engines import weighted_terms
from index.ranking.rerank import (
    DEFAULT_RERANK,
    LEVERS,
    RerankConfig,
    columns_of,
    feature_weights,
    parse_question,
    reference_features,
    reference_scores,
)
from index.ranking.rerank_evidence import Question
from index.ranking.rerank_kernel import (
    FEATURES,
    Cues,
    Evidence,
    IndexArrays,
    combine,
    features,
    gather,
)
from index.service.searcher import Searcher
from index.storage.builder import build_index
from index.terms.synonyms import Synonyms
from tests.conftest import SEEDS

SEARCHER = Searcher(build_index(SEEDS).index)


def _arrays(rows: list[list[int]], doc_first: list[int], n: int) -> IndexArrays:
    indptr = np.cumsum([0, *map(len, rows)]).astype(np.int64)
    total = int(indptr[-1])
    return IndexArrays(
        *(
            kernels.read_only(a)
            for a in (
                indptr,
                np.array([s for row in rows for s in row], dtype=np.int32),
                (np.arange(total) % 3 + 1).astype(np.uint16),
                (np.arange(n) % 5 + 1).astype(np.int32),
                (np.arange(total) % 7).astype(np.uint8),
                np.array(doc_first, dtype=np.int64),
                (np.arange(n) % 2).astype(np.uint8),
                np.zeros(n + 1, dtype=np.int64),
                np.zeros(0, dtype=np.int64),
                _leads(doc_first),
            )
        )
    )


def _leads(doc_first: list[int]) -> npt.NDArray[np.int64]:
    """Each document's second sentence (its first when it has one only) as its lead."""
    pairs = itertools.pairwise(doc_first)
    return np.array([min(lo + 1, hi - 1) for lo, hi in pairs], dtype=np.int64)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 29), max_size=12, unique=True), min_size=1, max_size=4),
    st.lists(st.integers(0, 29), min_size=1, max_size=8),
    st.lists(st.integers(1, 29), max_size=4, unique=True),
)
def test_gather_reports_what_the_rows_hold(
    rows: list[list[int]], candidates: list[int], cuts: list[int]
) -> None:
    rows = [sorted(row) for row in rows]
    doc_first = [0, *sorted(cuts), 30]
    arrays = _arrays(rows, doc_first, 30)
    terms = np.array([*range(len(rows)), -1], dtype=np.int64)  # the last term is unknown
    ids = np.array(candidates, dtype=np.int64)
    k1, b, avgdl = 1.2, 0.75, 3.0
    found = gather(arrays, ids, terms, Cues(0, np.zeros(0, dtype=np.int64), 0), k1, b, avgdl)
    for c, sid in enumerate(candidates):
        doc = max(d for d, first in enumerate(doc_first[:-1]) if first <= sid)
        lo, hi = doc_first[doc], doc_first[doc + 1]
        assert (found.doc[c], found.doc_size[c]) == (doc, hi - lo)
        assert found.opening[c] == (sid == lo) and found.next_in_doc[c] == (sid + 1 < hi)
        assert found.lead[c] == (sid == min(lo + 1, hi - 1))
        assert found.led[c] == bool(sid % 2) and found.next_led[c] == bool(min(sid + 1, 29) % 2)
        for t, row in enumerate(rows):
            at = int(arrays.indptr[t]) + row.index(sid) if sid in row else -1
            weight = 0.0
            if at >= 0:
                tf, length = float(arrays.term_freqs[at]), float(arrays.lengths[sid])
                weight = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avgdl))
            assert found.weight[c, t] == weight
            assert found.position[c, t] == (arrays.firsts[at] if at >= 0 else -1)
            assert found.before[c, t] == (sid - 1 in row)
            assert found.article_df[c, t] == sum(lo <= s < hi for s in row)
        assert found.position[c, -1] == -1 and found.article_df[c, -1] == 0


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


def _evidence(question: str, depth: int, config: RerankConfig) -> tuple[
    Question, Evidence, npt.NDArray[np.int64], npt.NDArray[np.float64]
] | None:  # fmt: skip
    """The question parsed, its pool's evidence, ids and BM25 scores (scaled), as ranked."""
    terms = SEARCHER.analyzer.terms(question)
    reranker = SEARCHER.parts.parts[0].reranker
    related = Synonyms.shipped(SEARCHER.analyzer).expand(terms)
    doc_freqs = SEARCHER.parts.doc_freqs(list(dict.fromkeys([*terms, *related.terms])))
    parsed = parse_question(question, terms, related.by_term, doc_freqs, len(SEARCHER.index))
    pool = SEARCHER.parts.best(weighted_terms(terms, (), 0.0), depth, None)
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
    config = RerankConfig(depth=depth, title=1.0, synonyms=related)
    found = _evidence(question, depth, config)
    if found is None:
        return
    parsed, evidence, ids, bm25 = found
    got = features(evidence, ids, bm25, columns_of(parsed, config))
    expected = reference_features(parsed, evidence, ids, bm25, related)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert got.shape == (len(ids), len(FEATURES)) and (got[:, FEATURES.index("bm25")] <= 1).all()


def test_the_feature_positions_are_the_kernels_order() -> None:
    from index.ranking import rerank_kernel

    for position, feature in enumerate(FEATURES):
        assert getattr(rerank_kernel, feature.upper()) == position
    weights = dict(zip(FEATURES, feature_weights(DEFAULT_RERANK).tolist(), strict=True))
    assert weights["bm25"] == 1.0 - DEFAULT_RERANK.local
    assert all(weights[f] == getattr(DEFAULT_RERANK, f) for f in FEATURES if f != "bm25")
