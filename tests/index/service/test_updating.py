"""Updating an index without a full rebuild: refresh, add and remove documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.articles.corpus import CorpusRoot
from index.articles.jsonl import parse_jsonl
from index.errors import EmptyIndexError, IndexMissingError
from index.records import Document
from index.service.opened_index import OpenedIndex
from index.service.opening import open_index
from index.service.rebuilding import rebuild
from index.service.searcher import Searcher
from index.service.updating import add_documents, refresh, remove_documents
from index.storage import generations as storage
from tests.index.service.conftest import write_article


def _answers(index_dir: Path, articles: Path) -> list[list[tuple[str, str, float]]]:
    index = open_index(articles, index_dir).searcher
    questions = ["what did the Pentagon say?", "who won the Super Bowl?", "rain in Paris"]
    return [
        [(h.document.doc_id, h.sentence.text, round(h.score, 5)) for h in index.search(q, 5).hits]
        for q in questions
    ]


def test_refresh_reads_only_what_changed_and_matches_a_rebuild(
    articles: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    open_index(articles, index_dir)
    write_article(articles, "d.txt", "The Pentagon said the Super Bowl was safe.")
    (articles / "c.txt").unlink()
    os.utime(write_article(articles, "b.txt", "The Broncos lost. Rain fell in Denver."), ns=(1, 1))
    refreshed = refresh(articles, index_dir)
    assert refreshed.rebuilt_because is None
    assert sorted(d.doc_id for d in refreshed.index.documents) == ["a.txt", "b.txt", "d.txt"]
    assert open_index(articles, index_dir).rebuilt_because is None  # the fingerprint is current
    incremental = _answers(index_dir, articles)
    rebuild(articles, tmp_path / "fresh")
    assert sorted(map(sorted, incremental)) == sorted(
        map(sorted, _answers(tmp_path / "fresh", articles))
    )


def test_refresh_with_nothing_changed_keeps_the_generation(articles: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    open_index(articles, index_dir)
    before = (index_dir / "CURRENT").read_text()
    assert refresh(articles, index_dir).rebuilt_because is None
    assert (index_dir / "CURRENT").read_text() == before


def test_refresh_rebuilds_when_there_is_no_index(articles: Path, tmp_path: Path) -> None:
    assert refresh(articles, tmp_path / "index").rebuilt_because == "no index yet"


def test_refresh_of_a_prefixed_root(articles: Path, tmp_path: Path) -> None:
    guild = tmp_path / "guild"
    guild.mkdir()
    roots = [CorpusRoot(articles), CorpusRoot(guild, prefix="guild-1/")]
    open_index(roots, tmp_path / "index")
    write_article(guild, "mine.txt", "Our own note about the Pentagon budget.")
    refreshed = refresh(roots, tmp_path / "index")
    assert refreshed.rebuilt_because is None
    hit = refreshed.searcher.search("Pentagon budget", 1).hits[0]
    assert hit.document.doc_id == "guild-1/mine.txt"
    assert hit.document.path == "guild-1/mine.txt"


def test_refresh_that_would_empty_the_index_keeps_the_old_one(
    articles: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    open_index(articles, index_dir)
    for name in ("a.txt", "b.txt", "c.txt"):
        (articles / name).unlink()
    write_article(articles, "d.txt", "x")
    (articles / "d.txt").write_text("", encoding="utf-8")
    with pytest.raises(EmptyIndexError):
        refresh(articles, index_dir)
    assert Searcher(storage.load(index_dir).index).search("Pentagon", 1).hits


def test_add_and_remove_documents_directly(articles: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    open_index(articles, index_dir)
    line = b'{"id": "n1", "title": "News", "text": "A zebra crossed the Pentagon lawn."}'
    documents = [d for d in parse_jsonl("n.jsonl", [line, line]) if isinstance(d, Document)]
    added = add_documents(index_dir, documents)
    assert added.searcher.search("zebra", 1).hits[0].document.doc_id == "n1"
    assert [s.reason for s in added.stats.skipped] == ["duplicate id 'n1'"]
    assert Searcher(storage.load(index_dir).index).search("zebra", 1).hits
    removed = remove_documents(index_dir, ["n1", "a.txt"])
    assert sorted(d.doc_id for d in removed.index.documents) == ["b.txt", "c.txt"]
    assert not Searcher(storage.load(index_dir).index).search("zebra", 1).hits
    with pytest.raises(EmptyIndexError):
        remove_documents(index_dir, ["b.txt", "c.txt"])
    assert len(storage.load(index_dir).index.documents) == 2


def test_add_to_a_missing_index_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        add_documents(tmp_path / "nothing", [])


def test_an_update_can_answer_before_it_is_saved(articles: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    open_index(articles, index_dir)
    seen: list[tuple[OpenedIndex, str]] = []

    def ready(opened: OpenedIndex) -> None:
        seen.append((opened, (index_dir / "CURRENT").read_text()))

    generation = (index_dir / "CURRENT").read_text()
    write_article(articles, "d.txt", "A zebra crossed the Pentagon lawn.")
    refreshed = refresh(articles, index_dir, ready=ready)
    ((early, live_then),) = seen
    assert live_then == generation  # handed over while the old generation was still current
    assert early.searcher.search("zebra", 1).hits[0].document.doc_id == "d.txt"
    assert early.stats.sentences == refreshed.stats.sentences
    line = b'{"id": "n1", "title": "News", "text": "An okapi ate."}'
    documents = [d for d in parse_jsonl("n.jsonl", [line]) if isinstance(d, Document)]
    add_documents(index_dir, documents, ready=ready)
    assert seen[-1][0].searcher.search("okapi", 1).hits
    remove_documents(index_dir, ["n1"], ready=ready)
    assert not seen[-1][0].searcher.search("okapi", 1).hits and len(seen) == 3
