"""Stored word spans: highlighting from them equals analysing the sentence again."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking.bm25 import BM25Params
from index.ranking.rerank import DEFAULT_RERANK
from index.service.searcher import Searcher
from index.storage.builder import build_index
from index.storage.sentence_index import SentenceIndex
from index.storage.sentence_tokens import SentenceTokens, joined, kept
from index.storage.token_builder import SentenceTokensBuilder
from index.terms.analysis import Analyzer
from tests.conftest import SEEDS

SEED = build_index(SEEDS, BM25Params()).index
ANALYZER = Analyzer()


def _term_ids(index: SentenceIndex) -> dict[str, int]:
    return {term: i for i, term in enumerate(index.postings.vocabulary)}


def test_every_seed_sentence_stores_what_analysis_gives() -> None:
    ids = _term_ids(SEED)
    tokens = SEED.tokens
    for sentence_id in range(len(SEED)):
        lo, hi = int(tokens.indptr[sentence_id]), int(tokens.indptr[sentence_id + 1])
        expected = ANALYZER.tokens(SEED.table.text(sentence_id))
        assert tokens.terms[lo:hi].tolist() == [ids[t.term] for t in expected]
        assert tokens.term_ids(sentence_id).tolist() == [ids[t.term] for t in expected]
        assert tokens.starts[lo:hi].tolist() == [t.start for t in expected]
        assert tokens.ends[lo:hi].tolist() == [t.end for t in expected]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(SEED) - 1), max_size=12), st.data())
def test_spans_are_the_matching_tokens(sentence_ids: list[int], data: st.DataObject) -> None:
    vocabulary = SEED.postings.vocabulary
    wanted = data.draw(st.sets(st.sampled_from(vocabulary), max_size=8))
    ids = _term_ids(SEED)
    query = np.array(sorted(ids[t] for t in wanted), dtype=np.int32)
    found = SEED.tokens.spans(sentence_ids, query)
    for sentence_id, spans in zip(sentence_ids, found, strict=True):
        expected = ANALYZER.matching_tokens(SEED.table.text(sentence_id), wanted)
        assert [(s.start, s.end) for s in spans] == [(t.start, t.end) for t in expected]


def test_hits_highlight_what_analysis_highlights() -> None:
    # Without synonyms a hit's highlighted words are the question's own terms.
    searcher = Searcher(SEED, rerank=DEFAULT_RERANK.without("synonyms"))
    for question in (
        "What did the Pentagon say?",
        "Russian talks on air safety",
        "US bombing campaign in Syria",
    ):
        answer = searcher.search(question, 10, min_confidence=0.0)
        assert answer.hits
        for hit in answer.hits:
            expected = searcher.highlights(hit.sentence.text, frozenset(answer.terms))
            assert (hit.matched, hit.highlights) == expected


def _tokens(lists: list[list[tuple[int, int, int]]]) -> SentenceTokensBuilder:
    builder = SentenceTokensBuilder()
    for tokens in lists:
        terms, starts, ends = (
            [t for t, _, _ in tokens],
            [s for _, s, _ in tokens],
            [e for *_, e in tokens],
        )
        builder.add_sentence(terms, starts, ends)
    return builder


sentence = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 99), st.integers(0, 99)))


@settings(max_examples=60)
@given(st.lists(sentence, max_size=6), st.lists(sentence, max_size=6), st.data())
def test_joined_and_kept_equal_building_the_same_sentences(
    first: list[list[tuple[int, int, int]]],
    second: list[list[tuple[int, int, int]]],
    data: st.DataObject,
) -> None:
    both = joined([SentenceTokens.of(_tokens(first)), SentenceTokens.of(_tokens(second))])
    _same(both, SentenceTokens.of(_tokens(first + second)))
    keep = data.draw(st.lists(st.booleans(), min_size=len(both), max_size=len(both)))
    chosen = [s for s, k in zip(first + second, keep, strict=True) if k]
    _same(kept(both, np.array(keep, dtype=bool)), SentenceTokens.of(_tokens(chosen)))


def _same(a: object, b: object) -> None:
    for name in ("indptr", "terms", "starts", "ends"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
