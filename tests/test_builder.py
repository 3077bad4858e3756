from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.bm25 import BM25Params, EmptyIndexError
from index.builder import build_index, read_documents
from tests.conftest import SEEDS, write


def test_the_seed_builds_with_every_sentence_indexed() -> None:
    result = build_index(SEEDS, BM25Params())
    assert len(result.index.documents) == 1
    assert len(result.index.table) == 14
    assert result.skipped == ()
    assert result.index.build.corpus == str(SEEDS.resolve())


def test_progress_is_reported_per_document(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        write(tmp_path, f"{name}.txt", f"Title {name}\n\nSentence about {name}.")
    seen: list[tuple[int, int]] = []
    build_index(tmp_path, BM25Params(), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


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
    assert result.index.search("harbour").hits
