"""Adding and removing documents in memory gives what a fresh build gives."""

from __future__ import annotations

import numpy as np

from index.articles.jsonl import parse_jsonl
from index.articles.sentences import SentenceSplitter
from index.ranking.bm25 import BM25Params
from index.records import Document
from index.service.searcher import Searcher
from index.storage.builder import index_documents
from index.storage.sentence_index import SentenceIndex
from index.storage.updates import with_documents, without_documents

TOPICS = ["the Pentagon said talks", "Broncos won the Super Bowl", "rain fell on Paris"]
QUESTIONS = ["what did the Pentagon say?", "who won the Super Bowl?", "Paris rain", "zebra"]


def _documents(count: int, tag: str) -> list[Document]:
    lines = [
        (
            f'{{"id": "{tag}{i}", "title": "T{i}", "text": "Item {i}: {TOPICS[i % 3]}. '
            f'Also {tag} word{i} here.\\n\\nEnd of {TOPICS[(i + 1) % 3]} {tag}."}}'
        ).encode()
        for i in range(count)
    ]
    return [d for d in parse_jsonl("x.jsonl", lines) if isinstance(d, Document)]


def _build(documents: list[Document], splitter: SentenceSplitter) -> SentenceIndex:
    return index_documents(documents, splitter, BM25Params(1.1, 0.6), workers=1)


def _same_table(a: SentenceIndex, b: SentenceIndex) -> None:
    assert a.documents == b.documents
    for name in ("doc_first", "paragraph", "number", "start", "end", "text_offsets"):
        assert np.array_equal(getattr(a.table, name), getattr(b.table, name)), name
    assert bytes(a.table.texts) == bytes(b.table.texts)
    for name in ("flags", "cue_indptr", "cue_codes", "text_keys"):
        assert np.array_equal(getattr(a.facts, name), getattr(b.facts, name)), name
    # Token term ids differ when the vocabularies list terms in another order.
    a_terms = np.array(a.postings.vocabulary)[a.tokens.terms]
    b_terms = np.array(b.postings.vocabulary)[b.tokens.terms]
    assert a_terms.tolist() == b_terms.tolist()
    for name in ("indptr", "starts", "ends"):
        assert np.array_equal(getattr(a.tokens, name), getattr(b.tokens, name)), name


def _same_answers(a_index: SentenceIndex, b_index: SentenceIndex) -> None:
    a, b = Searcher(a_index), Searcher(b_index)
    for question in QUESTIONS:
        assert a.search(question, 10) == b.search(question, 10)
        ours, theirs = a.candidates(question), b.candidates(question)
        assert ours.ids.tolist() == theirs.ids.tolist()
        assert ours.scores.tolist() == theirs.scores.tolist()


def test_adding_documents_equals_building_with_them() -> None:
    old, new = _documents(7, "a"), _documents(3, "b")
    splitter = SentenceSplitter.train(d.text for d in old + new)
    grown = with_documents(_build(old, splitter), new, splitter)
    fresh = _build(old + new, splitter)
    _same_table(grown, fresh)
    assert grown.postings.vocabulary == fresh.postings.vocabulary
    for name in ("indptr", "sentence_ids", "weights", "lengths", "term_freqs", "first_positions"):
        assert np.array_equal(getattr(grown.postings, name), getattr(fresh.postings, name)), name
    _same_answers(grown, fresh)


def test_removing_documents_equals_building_without_them() -> None:
    documents = _documents(9, "a")
    splitter = SentenceSplitter.train(d.text for d in documents)
    doomed = {"a0", "a4", "a8"}
    shrunk = without_documents(_build(documents, splitter), doomed)
    fresh = _build([d for d in documents if d.info.doc_id not in doomed], splitter)
    _same_table(shrunk, fresh)
    assert _rows(shrunk) == _rows(fresh)
    _same_answers(shrunk, fresh)


def _rows(index: SentenceIndex) -> dict[str, list[tuple[int, int, int]]]:
    """Each term's (sentence, tf, first position) entries; removal may keep empty rows."""
    postings, rows = index.postings, {}
    for at, term in enumerate(postings.vocabulary):
        lo, hi = int(postings.indptr[at]), int(postings.indptr[at + 1])
        entries = zip(postings.sentence_ids[lo:hi].tolist(),
                      postings.stored_term_freqs()[lo:hi].tolist(),
                      postings.stored_first_positions()[lo:hi].tolist(), strict=True)  # fmt: skip
        if hi > lo:
            rows[term] = list(entries)
    return rows


def test_removing_an_unknown_id_changes_nothing() -> None:
    documents = _documents(3, "a")
    index = _build(documents, SentenceSplitter.train(d.text for d in documents))
    assert without_documents(index, {"nope"}) is index


def test_remove_then_add_back_answers_like_the_original_order() -> None:
    documents = _documents(6, "a")
    splitter = SentenceSplitter.train(d.text for d in documents)
    index = _build(documents, splitter)
    again = with_documents(without_documents(index, {"a2"}), [documents[2]], splitter)
    reordered = _build(documents[:2] + documents[3:] + [documents[2]], splitter)
    _same_table(again, reordered)
    _same_answers(again, reordered)
