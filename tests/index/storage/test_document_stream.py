"""Streaming a build's documents: Punkt learns what it learned from a corpus read first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.articles.sentences import SentenceSplitter
from index.storage.builder import documents_of, read_documents
from index.storage.document_stream import DocumentStream, paragraph_texts, start_build
from index.storage.workers import Workers


def _corpus(root: Path) -> Path:
    rows = [
        {"id": f"n{i}", "text": f"Dr. Smith met Mr. Jones on day {i}. They talked. It rained."}
        for i in range(30)
    ]
    (root / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return root


def test_the_stream_yields_every_document_once_in_order_and_counts_them(tmp_path: Path) -> None:
    stream = DocumentStream(documents_of(_corpus(tmp_path), []))
    ahead = stream.read_ahead(lambda: stream.read >= 5)
    assert [d.info.doc_id for d in ahead] == [f"n{i}" for i in range(5)]
    assert [d.info.doc_id for d in stream] == [f"n{i}" for i in range(30)]
    assert stream.read == 30 and stream.exhausted


def test_too_little_text_trains_here_and_starts_no_workers(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    documents, _ = read_documents(corpus)
    with Workers(1) as pool:
        stream = DocumentStream(documents_of(corpus, []))
        splitter = start_build(stream, 10**9, pool, None)
        assert not pool.started
    wanted = SentenceSplitter.train(paragraph_texts(documents), 10**9)
    assert splitter.to_json() == wanted.to_json()


@pytest.mark.slow
def test_training_in_a_worker_learns_what_training_here_learns(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    documents, _ = read_documents(corpus)
    with Workers(1) as pool:
        stream = DocumentStream(documents_of(corpus, []))
        splitter = start_build(stream, 500, pool, None)
        assert pool.started
        assert [d.info.doc_id for d in stream] == [d.info.doc_id for d in documents]
    wanted = SentenceSplitter.train(paragraph_texts(documents), 500)
    assert splitter.to_json() == wanted.to_json()
