"""Embeddings on disk: content-addressed chunks, the complete set, what a kill leaves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from index.ranking.bm25 import BM25Params
from index.semantic.embedder import HashingEmbedder
from index.semantic.vectors import encode_rows
from index.storage.builder import build_index
from index.storage.sentence_index import SentenceIndex
from index.storage.updates import without_documents
from index.storage.vector_store import VectorStore, content_digest, text_keys
from tests.conftest import write

EMBEDDER = HashingEmbedder(16)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SentenceIndex:
    folder = tmp_path_factory.mktemp("corpus")
    write(folder, "a.txt", "Rivers\n\nThe river is long. It floods in May. Boats sail on it.")
    write(folder, "b.txt", "Towns\n\nThe town has a bridge. The bridge is red.")
    return build_index(folder, BM25Params()).index


def _texts(index: SentenceIndex) -> list[str]:
    return [index.table.text(i) for i in range(len(index))]


def _keys(index: SentenceIndex) -> npt.NDArray[np.uint64]:
    return text_keys(_texts(index))


def _save_rows(store: VectorStore, index: SentenceIndex, rows: list[int]) -> None:
    keys = _keys(index)[rows]
    codes, scales = encode_rows(EMBEDDER.embed([_texts(index)[i] for i in rows]))
    store.write_chunk(keys, codes, scales)


def test_keys_depend_on_the_text_alone(index: SentenceIndex) -> None:
    keys = _keys(index)
    assert keys.dtype == np.uint64 and len(set(keys.tolist())) == len(index)
    assert _keys(index).tolist() == keys.tolist()
    assert text_keys(["It floods in May.", "Rivers: It floods in May."])[0] == keys[1]
    assert len(set(text_keys(["It floods in May.", "Rivers: It floods in May."]))) == 2


def test_chunks_fill_the_rows_of_the_sentences_they_hold(
    index: SentenceIndex, tmp_path: Path
) -> None:
    store = VectorStore(tmp_path, EMBEDDER.name)
    _save_rows(store, index, [0, 3])
    vectors = store.assemble(_keys(index), EMBEDDER.dimension)
    assert np.flatnonzero(vectors.scales).tolist() == [0, 3]
    expected, _ = encode_rows(EMBEDDER.embed([_texts(index)[3]]))
    np.testing.assert_array_equal(vectors.codes[3], expected[0])


def test_another_models_chunks_are_never_used(index: SentenceIndex, tmp_path: Path) -> None:
    _save_rows(VectorStore(tmp_path, EMBEDDER.name), index, [0, 1])
    other = VectorStore(tmp_path, "other-model")
    assert other.assemble(_keys(index), EMBEDDER.dimension).ready == 0


def test_after_removing_a_document_its_rows_are_cut_and_the_rest_kept(
    index: SentenceIndex, tmp_path: Path
) -> None:
    store = VectorStore(tmp_path, EMBEDDER.name)
    _save_rows(store, index, list(range(len(index))))
    smaller = without_documents(index, ["a.txt"])
    vectors = store.assemble(_keys(smaller), EMBEDDER.dimension)
    assert vectors.ready == len(smaller) == 2
    expected, _ = encode_rows(EMBEDDER.embed(_texts(smaller)))
    np.testing.assert_array_equal(vectors.codes, expected)


def test_the_full_set_is_mapped_by_content_and_replaces_the_chunks(
    index: SentenceIndex, tmp_path: Path
) -> None:
    store = VectorStore(tmp_path, EMBEDDER.name)
    _save_rows(store, index, [1])
    keys = _keys(index)
    vectors = store.assemble(keys, EMBEDDER.dimension)
    digest = content_digest(index.table)
    assert store.full(digest, len(index)) is None
    store.write_full(digest, keys, vectors)
    mapped = store.full(digest, len(index))
    assert mapped is not None and mapped.ready == 1
    assert [p.name for p in store.folder.iterdir()] == [f"full-{digest}"]
    assert store.full(digest, len(index) + 1) is None  # another index's count
    assert store.full("0" * 32, len(index)) is None


def test_a_damaged_or_unfinished_chunk_is_ignored(index: SentenceIndex, tmp_path: Path) -> None:
    store = VectorStore(tmp_path, EMBEDDER.name)
    _save_rows(store, index, [0])
    _save_rows(store, index, [2])
    first, second = sorted(store.folder.iterdir())
    (first / "codes.npy").write_bytes(b"\x93NUMPY garbage")
    (store.folder / ".tmp-killed").mkdir()
    write(store.folder / ".tmp-killed", "keys.npy", b"partial")
    vectors = store.assemble(_keys(index), EMBEDDER.dimension)
    assert vectors.ready == 1
    assert second.is_dir()
