"""Batches: the same sentences and terms whether split here or in worker processes."""

from __future__ import annotations

import pytest

from index.articles.jsonl import parse_jsonl
from index.articles.sentences import SentenceSplitter
from index.records import Document
from index.storage.batches import analyse_all, analyse_batch, batches_of
from index.terms.analysis import Analyzer

ARTICLES = [
    b'{"id": "a", "title": "A", "text": "Dr. Smith said hello. The cat sat.\\n\\nA new day."}',
    b'{"id": "b", "title": "B", "text": "No sentences here but one"}',
    b'{"id": "c", "title": "C", "text": "Caf\\u00e9 owners said the caf\\u00e9 was open."}',
]


def _documents() -> list[Document]:
    return [item for item in parse_jsonl("x.jsonl", ARTICLES) if isinstance(item, Document)]


def _splitter(documents: list[Document]) -> SentenceSplitter:
    return SentenceSplitter.train(doc.text for doc in documents)


def test_a_batch_holds_each_sentence_its_text_and_term_counts() -> None:
    documents = _documents()
    batch = analyse_batch(documents, _splitter(documents), Analyzer())
    assert list(batch.sentence_counts) == [3, 1, 1]
    texts = bytes(batch.texts).decode("utf-8")
    assert texts.startswith("Dr. Smith said hello.The cat sat.")
    assert "Café owners" in texts
    last = Analyzer().terms("Café owners said the café was open.")
    assert list(batch.lengths)[-1] == len(last) == 5
    cafe = batch.vocabulary["cafe"]
    last_terms = list(batch.term_ids)[-list(batch.distinct)[-1] :]
    last_freqs = list(batch.term_freqs)[-list(batch.distinct)[-1] :]
    assert last_freqs[last_terms.index(cafe)] == 2


def test_batches_keep_document_order() -> None:
    documents = _documents()
    runs = list(batches_of(documents, chars=1))
    assert [[d.info.doc_id for d in run] for run in runs] == [["a"], ["b"], ["c"]]


@pytest.mark.slow
def test_workers_give_the_same_batches_as_this_process() -> None:
    documents = _documents() * 4
    splitter, analyzer = _splitter(documents), Analyzer()
    here = list(analyse_all(documents, splitter, analyzer, workers=1, batch_chars=60))
    there = list(analyse_all(documents, splitter, analyzer, workers=2, batch_chars=60))
    assert len(here) == len(there) > 2
    for mine, theirs in zip(here, there, strict=True):
        assert mine.documents == theirs.documents
        assert bytes(mine.texts) == bytes(theirs.texts)
        assert mine.vocabulary == theirs.vocabulary
        assert list(mine.term_ids) == list(theirs.term_ids)
        assert list(mine.term_freqs) == list(theirs.term_freqs)
