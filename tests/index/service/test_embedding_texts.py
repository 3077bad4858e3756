"""The texts an index's sentences are embedded as: in context, keyed, and digested."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.ranking.bm25 import BM25Params
from index.service.embedding_texts import EmbeddingTexts
from index.storage.builder import build_index
from index.storage.sentence_index import SentenceIndex
from index.storage.vector_store import text_keys
from tests.conftest import write

LENNON = "John Lennon\n\nJohn Lennon was a musician. He was shot in New York in 1980."
BRIDGE = "Notes 7f3a\n\nThe bridge is red. It was built in 1931."


def _index(folder: Path, lennon: str = LENNON) -> SentenceIndex:
    write(folder, "a.txt", lennon)
    write(folder, "b.txt", BRIDGE)
    return build_index(folder, BM25Params()).index


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SentenceIndex:
    return _index(tmp_path_factory.mktemp("corpus"))


def test_each_sentence_is_embedded_in_its_articles_context(index: SentenceIndex) -> None:
    texts = EmbeddingTexts(index.table).texts(np.arange(len(index), dtype=np.int64))
    assert texts == [
        "John Lennon: John Lennon was a musician.",
        "John Lennon: John Lennon was a musician. He was shot in New York in 1980.",
        "The bridge is red.",  # "Notes 7f3a" names nothing in its article
        "The bridge is red. It was built in 1931.",
    ]


def test_the_keys_are_those_of_the_texts_embedded(index: SentenceIndex) -> None:
    embedding = EmbeddingTexts(index.table)
    everything = embedding.texts(np.arange(len(index), dtype=np.int64))
    np.testing.assert_array_equal(embedding.keys(), text_keys(everything))
    assert embedding.text(3) == everything[3]


def test_the_digest_covers_titles_as_well_as_texts(index: SentenceIndex, tmp_path: Path) -> None:
    digest = EmbeddingTexts(index.table).digest()
    assert EmbeddingTexts(_index(tmp_path / "same").table).digest() == digest
    retitled = _index(tmp_path / "retitled", LENNON.replace("John Lennon\n", "Lennon\n", 1))
    assert [retitled.table.text(i) for i in range(len(retitled))] == [
        index.table.text(i) for i in range(len(index))
    ]
    assert EmbeddingTexts(retitled.table).digest() != digest
    assert EmbeddingTexts(retitled.table).keys()[2:].tolist() == (
        EmbeddingTexts(index.table).keys()[2:].tolist()  # the other article's rows still serve
    )
