"""Opening an index: loaded when current, rebuilt once when missing, stale or damaged."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from index.articles.corpus import CorpusRoot
from index.errors import IndexFolderError
from index.ranking.bm25 import BM25Params
from index.service.opening import open_index
from index.storage import generations as storage
from tests.conftest import write


def test_open_builds_once_then_loads(articles: Path, tmp_path: Path) -> None:
    first = open_index(articles, tmp_path / "index")
    assert first.rebuilt_because == "no index yet"
    second = open_index(articles, tmp_path / "index")
    assert second.rebuilt_because is None
    assert second.stats.sentences == first.stats.sentences == 6


def test_added_changed_and_removed_files_trigger_a_rebuild(
    seed_corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "idx"
    open_index(seed_corpus, index_dir)
    extra = write(seed_corpus, "new.txt", "New\n\nA zeppelin landed in the harbour.")
    assert open_index(seed_corpus, index_dir).searcher.search("zeppelin").hits
    extra.write_text("New\n\nA balloon landed instead.", encoding="utf-8")
    os.utime(extra, ns=(1, 1))
    reopened = open_index(seed_corpus, index_dir)
    assert reopened.rebuilt_because == "the corpus changed since the last build"
    assert not reopened.searcher.search("zeppelin").hits
    extra.unlink()
    assert open_index(seed_corpus, index_dir).stats.documents == 1


def test_a_corrupt_index_is_rebuilt_with_a_warning(
    seed_corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index_dir = tmp_path / "idx"
    folder = open_index(seed_corpus, index_dir).stats
    live = storage.load(index_dir).folder
    (live / "weights.npy").write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING, logger="index"):
        reopened = open_index(seed_corpus, index_dir)
    assert folder.sentences == reopened.stats.sentences
    assert "damaged" in (reopened.rebuilt_because or "")
    assert any("rebuilding" in r.message for r in caplog.records)
    assert reopened.searcher.search("Pentagon").hits


def test_changed_bm25_parameters_trigger_a_rebuild(seed_corpus: Path, tmp_path: Path) -> None:
    open_index(seed_corpus, tmp_path / "idx")
    reopened = open_index(seed_corpus, tmp_path / "idx", BM25Params(k1=0.9, b=0.4))
    assert reopened.rebuilt_because == "the BM25 parameters changed"
    assert (reopened.stats.k1, reopened.stats.b) == (0.9, 0.4)


def test_several_roots_index_together(seed_corpus: Path, tmp_path: Path) -> None:
    guild = tmp_path / "guild"
    write(guild, "note.md", "# Note\n\nThe bakery sells sourdough on Tuesdays.")
    roots = [CorpusRoot(seed_corpus), CorpusRoot(guild, "guild-7/")]
    opened = open_index(roots, tmp_path / "idx")
    hit = opened.searcher.search("sourdough").hits[0]
    assert hit.document.doc_id == "guild-7/note.md"
    assert opened.searcher.search("Pentagon").hits
    assert open_index(roots, tmp_path / "idx").rebuilt_because is None


def test_a_users_folder_is_never_used_as_an_index(articles: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    draft = write(home / "gen-ideas", "draft.txt", "my ideas")
    with pytest.raises(IndexFolderError, match="did not write"):
        open_index(articles, home)
    assert draft.read_text() == "my ideas"
    assert sorted(p.name for p in home.iterdir()) == ["gen-ideas"]
