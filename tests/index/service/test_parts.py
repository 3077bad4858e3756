"""A server's small index beside the shared one answers as one index over both would."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from index.articles.sentences import SentenceSplitter
from index.errors import UnknownDocumentError
from index.ranking.bm25 import BM25Params
from index.ranking.engines import weighted_terms
from index.ranking.rerank_gather import Evidence
from index.records import Document, DocumentInfo, Span
from index.semantic.embedder import HashingEmbedder
from index.service.embedding import SentenceEmbedding
from index.service.question_ranking import Reranking, Scope
from index.service.searcher import Searcher
from index.service.servers import joined_semantic
from index.storage.builder import index_documents
from index.storage.sentence_index import SentenceIndex
from index.terms.wordlists import english_words

WORDS = sorted(english_words())[::97][:400]


def _documents(count: int, prefix: str, seed: int) -> list[Document]:
    """Articles of a few paragraphs of sentences drawn from a small vocabulary (so terms
    repeat across articles, sentences tie and the two indexes' statistics differ)."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        paragraphs = []
        for _ in range(rng.randint(1, 3)):
            sentences = [
                " ".join(
                    rng.choices(WORDS[: rng.choice((60, 400))], k=rng.randint(3, 14))
                ).capitalize()
                + "."
                for _ in range(rng.randint(1, 5))
            ]
            paragraphs.append(" ".join(sentences))
        text = "\n\n".join(paragraphs)
        spans, at = [], 0
        for paragraph in paragraphs:
            spans.append(Span(at, at + len(paragraph)))
            at += len(paragraph) + 2
        info = DocumentInfo(f"{prefix}{number}", f"Title {rng.choice(WORDS)} {number}")
        documents.append(Document(info, text, tuple(spans)))
    return documents


SHARED = _documents(80, "shared-", 1)
OWN = _documents(6, "guild-1/", 2)
SPLITTER = SentenceSplitter.train(doc.text for doc in SHARED + OWN)
PARAMS = BM25Params()


def _index(documents: list[Document]) -> SentenceIndex:
    return index_documents(documents, SPLITTER, PARAMS, workers=1)


SHARED_SEARCHER = Searcher(_index(SHARED))
COMBINED = Searcher(_index(OWN), beside=SHARED_SEARCHER)
SINGLE = Searcher(_index(SHARED + OWN))
questions = st.lists(st.sampled_from(WORDS[:120]), min_size=1, max_size=6).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(questions, st.integers(1, 30))
def test_bm25_top_k_equals_one_index_over_both(question: str, k: int) -> None:
    terms = SINGLE.analyzer.terms(question)
    weighted = weighted_terms(terms, (), 0.0)
    combined = COMBINED.parts.pool(weighted, k, None).pairs
    single = SINGLE.parts.pool(weighted, k, None).pairs
    assert [i for i, _ in combined] == [i for i, _ in single]
    assert [s for _, s in combined] == pytest.approx([s for _, s in single], rel=1e-9, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(questions)
def test_answers_equal_one_index_over_both(question: str) -> None:
    combined = COMBINED.search(question, 10, min_confidence=0.0)
    single = SINGLE.search(question, 10, min_confidence=0.0)
    assert [h.sentence for h in combined.hits] == [h.sentence for h in single.hits]
    assert [h.document for h in combined.hits] == [h.document for h in single.hits]
    assert [(h.matched, h.highlights) for h in combined.hits] == [
        (h.matched, h.highlights) for h in single.hits
    ]
    assert [h.score for h in combined.hits] == pytest.approx(
        [h.score for h in single.hits], rel=1e-9, abs=1e-12
    )
    assert [h.confidence for h in combined.hits] == pytest.approx(
        [h.confidence for h in single.hits], rel=1e-9
    )
    assert [h.also_in for h in combined.hits] == [h.also_in for h in single.hits]
    assert [h.also_in_count for h in combined.hits] == [h.also_in_count for h in single.hits]


@settings(max_examples=80, deadline=None)
@given(questions, st.integers(1, 40))
def test_the_pools_places_give_the_evidence_searching_gives(question: str, depth: int) -> None:
    """The re-ranker reads where the pool's candidates stand in each part's rows from the
    rescoring instead of searching again: the same evidence, whichever part holds them."""
    terms = COMBINED.analyzer.terms(question)
    config = COMBINED.rerank
    parsed = COMBINED.ranker.pooled(question, terms, Scope(), 10, Reranking(config))
    pool = COMBINED.parts.pool(weighted_terms(terms, (), 0.0), depth, None)
    ids = np.array([i for i, _ in pool.pairs], dtype=np.int64)
    assume(ids.shape[0] > 0)
    assert set(pool.places) == {0, 1}
    for number, part in enumerate(COMBINED.parts.parts):  # each part's first, in order
        owners = [COMBINED.parts.locate(i) for i in ids.tolist()]
        mine = [local for owner, local in owners if owner is part]
        assert pool.places[number].ids[: len(mine)].tolist() == mine
    read = COMBINED.parts.evidence(parsed.question, ids, config, pool.places)
    searched = COMBINED.parts.evidence(parsed.question, ids, config)
    for name in Evidence.__dataclass_fields__:
        assert np.array_equal(getattr(read, name), getattr(searched, name)), name


def test_sentence_keys_and_documents_span_both_indexes() -> None:
    ids = list(range(len(SINGLE.index)))[::-1]  # any order, across the parts
    assert COMBINED.parts.text_keys(ids) == SINGLE.parts.text_keys(ids)
    assert COMBINED.parts.document_numbers(ids) == SINGLE.parts.document_numbers(ids)
    numbers = COMBINED.parts.document_numbers(ids[:3])
    assert [COMBINED.parts.documents[n] for n in numbers] == SINGLE.parts.sentences(ids[:3])[1]
    # Each sentence's stored terms are what the analyzer makes of its text.
    texts = [sentence.text for sentence in SINGLE.parts.sentences(ids)[0]]
    assert [COMBINED.parts.terms(i) for i in ids] == [SINGLE.analyzer.terms(t) for t in texts]


def test_a_shared_sentence_the_server_keeps_too_is_quoted_once() -> None:
    copy = Document(DocumentInfo("guild-1/copy", "Copy"), SHARED[0].text, SHARED[0].paragraphs)
    combined = Searcher(_index([copy]), beside=SHARED_SEARCHER)
    question = SHARED[0].text.split(".")[0]
    hits = combined.search(question, 5, min_confidence=0.0).hits
    assert hits[0].sentence.text.startswith(question)
    assert {hits[0].document.doc_id, *(d.doc_id for d in hits[0].also_in)} == {
        "shared-0",
        "guild-1/copy",
    }
    texts = [hit.sentence.text for hit in hits]
    assert len(texts) == len(set(texts))


def test_one_article_of_either_index_can_be_searched_alone() -> None:
    for doc_id in ("guild-1/3", "shared-17"):
        question = " ".join(SINGLE.document(doc_id).title.split()[1:2] + WORDS[:8])
        combined = COMBINED.search(question, 5, doc_id=doc_id, min_confidence=0.0)
        single = SINGLE.search(question, 5, doc_id=doc_id, min_confidence=0.0)
        assert [h.sentence for h in combined.hits] == [h.sentence for h in single.hits]
        assert {h.document.doc_id for h in combined.hits} <= {doc_id}


def test_documents_context_and_errors_span_both_indexes() -> None:
    assert list(COMBINED.documents) == list(SINGLE.documents)
    assert len(COMBINED.documents) == 86 and COMBINED.documents[-1].doc_id == "guild-1/5"
    assert COMBINED.documents[80:82] == list(SINGLE.documents[80:82])
    assert COMBINED.document("guild-1/0") == SINGLE.document("guild-1/0")
    hit = SINGLE.search(" ".join(WORDS[:5]), 30, min_confidence=0.0).hits[-1]
    assert COMBINED.context_of(hit.sentence, 2, 2) == SINGLE.context_of(hit.sentence, 2, 2)
    with pytest.raises(UnknownDocumentError):
        COMBINED.document("guild-2/0")


def test_the_shared_part_is_shared_not_copied() -> None:
    shared_part = SHARED_SEARCHER.parts.parts[0]
    assert COMBINED.parts.parts[0] is shared_part
    assert COMBINED.parts.parts[1].index is COMBINED.index
    assert COMBINED.analyzer is SHARED_SEARCHER.analyzer


def test_indexes_with_other_bm25_parameters_cannot_be_searched_together() -> None:
    other = index_documents(OWN, SPLITTER, BM25Params(k1=1.2), workers=1)
    with pytest.raises(ValueError, match="BM25 parameters"):
        Searcher(other, beside=SHARED_SEARCHER)


def test_alone_the_shared_index_scores_otherwise() -> None:
    """The equality above is the union's statistics at work: the shared index's own
    statistics give other scores for the same sentences."""
    weighted = weighted_terms(SINGLE.analyzer.terms(" ".join(WORDS[:6])), (), 0.0)
    alone = dict(SHARED_SEARCHER.parts.pool(weighted, 20, None).pairs)
    together = dict(SINGLE.parts.pool(weighted, 20, None).pairs)
    same_ids = set(alone) & set(together)
    assert same_ids
    assert all(abs(alone[i] - together[i]) > 1e-6 for i in same_ids)


def _embedded(searcher: Searcher) -> Searcher:
    embedding = SentenceEmbedding(searcher.index, None, HashingEmbedder(32))
    embedding.fill()
    embedding.attach(searcher)
    return searcher


def test_with_semantic_re_ranking_answers_equal_one_index_over_both() -> None:
    """Each index embeds its own sentences; the joined ranker reads each candidate's
    vector from its own index and scales over the whole pool, as one index would."""
    shared, own = _embedded(Searcher(_index(SHARED))), _embedded(Searcher(_index(OWN)))
    combined = Searcher(own.index, beside=shared, own=own.parts.parts[0])
    combined.semantic = joined_semantic(combined, shared, own)
    single = _embedded(Searcher(_index(SHARED + OWN)))
    assert combined.semantic is not None
    rng = random.Random(5)
    for _ in range(40):
        question = " ".join(rng.choices(WORDS[:120], k=rng.randint(1, 6)))
        ours = combined.search(question, 10, min_confidence=0.0)
        theirs = single.search(question, 10, min_confidence=0.0)
        assert [h.sentence for h in ours.hits] == [h.sentence for h in theirs.hits]
        assert [h.score for h in ours.hits] == pytest.approx(
            [h.score for h in theirs.hits], rel=1e-6
        )
        assert [h.confidence for h in ours.hits] == pytest.approx(
            [h.confidence for h in theirs.hits], rel=1e-6
        )
