from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from index import storage
from index.bm25 import BM25Params
from index.corpus import CorpusRoot
from index.service import open_index, rebuild
from tests.conftest import SEED_FILE, write


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write(folder, "seed.txt", SEED_FILE.read_text(encoding="utf-8"))
    return folder


def test_first_open_builds_then_loads(corpus: Path, tmp_path: Path) -> None:
    first = open_index(corpus, tmp_path / "idx")
    assert first.rebuilt_because == "no index yet"
    second = open_index(corpus, tmp_path / "idx")
    assert second.rebuilt_because is None
    assert second.stats.sentences == first.stats.sentences == 14


def test_added_changed_and_removed_files_trigger_a_rebuild(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    open_index(corpus, index_dir)
    extra = write(corpus, "new.txt", "New\n\nA zeppelin landed in the harbour.")
    assert open_index(corpus, index_dir).index.search("zeppelin").hits
    extra.write_text("New\n\nA balloon landed instead.", encoding="utf-8")
    os.utime(extra, ns=(1, 1))
    reopened = open_index(corpus, index_dir)
    assert reopened.rebuilt_because == "the corpus changed since the last build"
    assert not reopened.index.search("zeppelin").hits
    extra.unlink()
    assert open_index(corpus, index_dir).stats.documents == 1


def test_a_corrupt_index_is_rebuilt_with_a_warning(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index_dir = tmp_path / "idx"
    folder = open_index(corpus, index_dir).stats
    live = storage.load(index_dir).folder
    (live / "weights.npy").write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING, logger="qabot.index"):
        reopened = open_index(corpus, index_dir)
    assert folder.sentences == reopened.stats.sentences
    assert "damaged" in (reopened.rebuilt_because or "")
    assert any("rebuilding" in r.message for r in caplog.records)
    assert reopened.index.search("Pentagon").hits


def test_changed_bm25_parameters_trigger_a_rebuild(corpus: Path, tmp_path: Path) -> None:
    open_index(corpus, tmp_path / "idx")
    reopened = open_index(corpus, tmp_path / "idx", BM25Params(k1=0.9, b=0.4))
    assert reopened.rebuilt_because == "the BM25 parameters changed"
    assert (reopened.stats.k1, reopened.stats.b) == (0.9, 0.4)


def test_a_failed_rebuild_keeps_the_last_good_index(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    good = open_index(corpus, index_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no readable documents"):
        rebuild(empty, index_dir)
    assert storage.load(index_dir).index.documents == good.index.documents


def test_several_roots_index_together(corpus: Path, tmp_path: Path) -> None:
    guild = tmp_path / "guild"
    write(guild, "note.md", "# Note\n\nThe bakery sells sourdough on Tuesdays.")
    roots = [CorpusRoot(corpus), CorpusRoot(guild, "guild-7/")]
    opened = open_index(roots, tmp_path / "idx")
    hit = opened.index.search("sourdough").hits[0]
    assert hit.document.doc_id == "guild-7/note.md"
    assert opened.index.search("Pentagon").hits
    assert open_index(roots, tmp_path / "idx").rebuilt_because is None
