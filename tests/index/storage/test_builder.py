"""Building: the same index on one process or two, and clear errors for nothing to index."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.articles.sentences import SentenceSplitter
from index.errors import EmptyIndexError
from index.ranking.bm25 import BM25Params
from index.service.searcher import Searcher
from index.storage.builder import build_index, index_documents, read_documents
from index.terms.analysis import Analyzer
from index.terms.sentence_facts import SentenceFacts
from tests.conftest import FIXTURE_CORPUS, write


def _corpus(tmp_path: Path) -> Path:
    lines = [
        f'{{"id": "n{i}", "title": "N{i}", "text": "Article {i} says hello. '
        f'The Pentagon said {i} things.\\n\\nMore words about topic {i % 3}."}}'
        for i in range(30)
    ]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_two_workers_build_the_same_index_as_one(tmp_path: Path) -> None:
    documents, _ = read_documents(_corpus(tmp_path))
    splitter = SentenceSplitter.train(doc.text for doc in documents)
    one = index_documents(documents, splitter, BM25Params(), workers=1, batch_chars=200)
    two = index_documents(documents, splitter, BM25Params(), workers=2, batch_chars=200)
    assert one.postings.vocabulary == two.postings.vocabulary
    for name in ("indptr", "sentence_ids", "weights", "lengths", "term_freqs", "first_positions"):
        assert np.array_equal(getattr(one.postings, name), getattr(two.postings, name)), name
    for name in ("doc_first", "paragraph", "number", "start", "end", "text_offsets"):
        assert np.array_equal(getattr(one.table, name), getattr(two.table, name)), name
    assert bytes(one.table.texts) == bytes(two.table.texts)
    question = "Pentagon things 7"
    assert Searcher(one).search(question, 3) == Searcher(two).search(question, 3)
    # The facts the batches worked out are the ones the texts give.
    texts = SentenceFacts.of_texts(map(two.table.text, range(len(two.table))), Analyzer())
    for name in ("flags", "cue_indptr", "cue_codes", "text_keys"):
        assert np.array_equal(getattr(two.facts, name), getattr(texts, name)), name


def test_progress_reaches_every_document(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    build_index(_corpus(tmp_path), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (30, 30)


def test_seed_build_keeps_exact_spans() -> None:
    index = build_index(FIXTURE_CORPUS).index
    first = index.table.sentence(0)
    assert first.end - first.start == len(first.text)
    assert len(index.table) > 5


def test_nothing_to_index_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text('{"id": "x", "text": "   "}\n', encoding="utf-8")
    with pytest.raises(EmptyIndexError, match="no readable documents"):
        build_index(tmp_path)


# --- from the core suite ---


def test_the_seed_builds_with_every_sentence_indexed() -> None:
    result = build_index(FIXTURE_CORPUS, BM25Params())
    assert len(result.index.documents) == 1
    assert len(result.index.table) == 14
    assert result.skipped == ()
    assert result.index.build.corpus == str(FIXTURE_CORPUS.resolve())


def test_duplicate_ids_keep_the_first_and_skip_the_rest(tmp_path: Path) -> None:
    rows = [{"id": "x", "text": "First."}, {"id": "x", "text": "Second."}]
    write(tmp_path, "c.jsonl", "\n".join(json.dumps(r) for r in rows))
    documents, skipped = read_documents(tmp_path)
    assert [d.text for d in documents] == ["First."]
    assert "duplicate id" in skipped[0].reason


def test_a_corpus_with_nothing_readable_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, "bad.txt", b"\x00\x00")
    with pytest.raises(EmptyIndexError, match="no readable documents"):
        build_index(tmp_path, BM25Params())


def test_one_bad_file_does_not_stop_the_build(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", "Good\n\nThe harbour froze in winter.")
    write(tmp_path, "bad.txt", "caf\xe9".encode("latin-1"))
    result = build_index(tmp_path, BM25Params())
    assert [s.path for s in result.skipped] == ["bad.txt"]
    assert Searcher(result.index).search("harbour").hits
