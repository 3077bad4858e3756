"""The library API: open, rebuild, and refresh or edit an index without a full rebuild."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE

import pytest

from index.articles.corpus import CorpusRoot
from index.articles.jsonl import parse_jsonl
from index.errors import EmptyIndexError, IndexFolderError, IndexMissingError
from index.ranking.bm25 import BM25Params
from index.records import Document
from index.service.lifecycle import (
    OpenedIndex,
    add_documents,
    open_index,
    rebuild,
    refresh,
    remove_documents,
)
from index.service.searcher import Searcher
from index.storage import generations as storage
from tests.conftest import FIXTURE_ARTICLE, ROOT, write


def _article(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"Title of {name}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _article(folder, "a.txt", "The Pentagon said talks would resume. Officials agreed.")
    _article(folder, "b.txt", "The Broncos won the Super Bowl. Fans cheered loudly.")
    _article(folder, "c.txt", "Rain fell on Paris all week. The river rose.")
    return folder


def _answers(index_dir: Path, corpus: Path) -> list[list[tuple[str, str, float]]]:
    index = open_index(corpus, index_dir).searcher
    questions = ["what did the Pentagon say?", "who won the Super Bowl?", "rain in Paris"]
    return [
        [(h.document.doc_id, h.sentence.text, round(h.score, 5)) for h in index.search(q, 5).hits]
        for q in questions
    ]


def test_open_builds_once_then_loads(corpus: Path, tmp_path: Path) -> None:
    first = open_index(corpus, tmp_path / "index")
    assert first.rebuilt_because == "no index yet"
    second = open_index(corpus, tmp_path / "index")
    assert second.rebuilt_because is None
    assert second.stats.sentences == first.stats.sentences == 6


def test_refresh_reads_only_what_changed_and_matches_a_rebuild(
    corpus: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    open_index(corpus, index_dir)
    _article(corpus, "d.txt", "The Pentagon said the Super Bowl was safe.")
    (corpus / "c.txt").unlink()
    os.utime(_article(corpus, "b.txt", "The Broncos lost. Rain fell in Denver."), ns=(1, 1))
    refreshed = refresh(corpus, index_dir)
    assert refreshed.rebuilt_because is None
    assert sorted(d.doc_id for d in refreshed.index.documents) == ["a.txt", "b.txt", "d.txt"]
    assert open_index(corpus, index_dir).rebuilt_because is None  # the fingerprint is current
    incremental = _answers(index_dir, corpus)
    rebuild(corpus, tmp_path / "fresh")
    assert sorted(map(sorted, incremental)) == sorted(
        map(sorted, _answers(tmp_path / "fresh", corpus))
    )


def test_refresh_with_nothing_changed_keeps_the_generation(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    open_index(corpus, index_dir)
    before = (index_dir / "CURRENT").read_text()
    assert refresh(corpus, index_dir).rebuilt_because is None
    assert (index_dir / "CURRENT").read_text() == before


def test_refresh_rebuilds_when_there_is_no_index(corpus: Path, tmp_path: Path) -> None:
    assert refresh(corpus, tmp_path / "index").rebuilt_because == "no index yet"


def test_refresh_of_a_prefixed_root(corpus: Path, tmp_path: Path) -> None:
    guild = tmp_path / "guild"
    guild.mkdir()
    roots = [CorpusRoot(corpus), CorpusRoot(guild, prefix="guild-1/")]
    open_index(roots, tmp_path / "index")
    _article(guild, "mine.txt", "Our own note about the Pentagon budget.")
    refreshed = refresh(roots, tmp_path / "index")
    assert refreshed.rebuilt_because is None
    hit = refreshed.searcher.search("Pentagon budget", 1).hits[0]
    assert hit.document.doc_id == "guild-1/mine.txt"
    assert hit.document.path == "guild-1/mine.txt"


def test_refresh_that_would_empty_the_index_keeps_the_old_one(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    open_index(corpus, index_dir)
    for name in ("a.txt", "b.txt", "c.txt"):
        (corpus / name).unlink()
    _article(corpus, "d.txt", "x")
    (corpus / "d.txt").write_text("", encoding="utf-8")
    with pytest.raises(EmptyIndexError):
        refresh(corpus, index_dir)
    assert Searcher(storage.load(index_dir).index).search("Pentagon", 1).hits


def test_add_and_remove_documents_directly(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    open_index(corpus, index_dir)
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


# --- from the core suite ---


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write(folder, "seed.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    return folder


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


def test_a_failed_rebuild_keeps_the_last_good_index(seed_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    good = open_index(seed_corpus, index_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(EmptyIndexError, match="no readable documents"):
        rebuild(empty, index_dir)
    assert storage.load(index_dir).index.documents == good.index.documents


def test_several_roots_index_together(seed_corpus: Path, tmp_path: Path) -> None:
    guild = tmp_path / "guild"
    write(guild, "note.md", "# Note\n\nThe bakery sells sourdough on Tuesdays.")
    roots = [CorpusRoot(seed_corpus), CorpusRoot(guild, "guild-7/")]
    opened = open_index(roots, tmp_path / "idx")
    hit = opened.searcher.search("sourdough").hits[0]
    assert hit.document.doc_id == "guild-7/note.md"
    assert opened.searcher.search("Pentagon").hits
    assert open_index(roots, tmp_path / "idx").rebuilt_because is None


def test_an_update_can_answer_before_it_is_saved(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    open_index(corpus, index_dir)
    seen: list[tuple[OpenedIndex, str]] = []

    def ready(opened: OpenedIndex) -> None:
        seen.append((opened, (index_dir / "CURRENT").read_text()))

    generation = (index_dir / "CURRENT").read_text()
    _article(corpus, "d.txt", "A zebra crossed the Pentagon lawn.")
    refreshed = refresh(corpus, index_dir, ready=ready)
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


def _building(caplog: pytest.LogCaptureFixture) -> int:
    return sum("building the index" in record.getMessage() for record in caplog.records)


def test_a_failed_build_is_attempted_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    empty = tmp_path / "empty"
    write(empty, "blank.txt", "   \n")
    with caplog.at_level(logging.INFO), pytest.raises(EmptyIndexError):
        open_index(empty, tmp_path / "idx")
    assert _building(caplog) == 1


def test_an_index_that_cannot_be_saved_is_built_once_and_answers(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = write(tmp_path, "a-file", "where the index folder should be")
    builds: list[int] = []
    with caplog.at_level(logging.INFO):
        opened = open_index(corpus, blocked / "idx", progress=lambda d, t: builds.append(d))
    assert opened.searcher.search("Pentagon").hits
    assert _building(caplog) == 1 and builds.count(3) == 1


def _blocked_lock_waiters(lock: Path) -> int:
    """How many processes wait for the flock on ``lock`` (from /proc/locks)."""
    inode = f":{os.stat(lock).st_ino} "
    lines = Path("/proc/locks").read_text().splitlines()
    return sum("->" in line and inode in line for line in lines)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_several_asks_after_a_corpus_change_rebuild_once(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    open_index(corpus, index_dir)
    _article(corpus, "d.txt", "A zeppelin landed in the harbour.")
    code = "import sys; from index.cli.main import main; sys.exit(main(sys.argv[1:]))"
    args = ["ask", "zeppelin", "--json", "--corpus", str(corpus), "--index", str(index_dir)]
    with storage.build_lock(index_dir):  # every ask finds the index stale, then waits here
        asks = [
            subprocess.Popen(
                [sys.executable, "-c", code, *args], cwd=ROOT, stdout=PIPE, stderr=PIPE, text=True
            )
            for _ in range(4)
        ]
        deadline = time.monotonic() + 300
        while _blocked_lock_waiters(index_dir / ".lock") < 4:
            assert time.monotonic() < deadline, "the asks never reached the build lock"
            assert all(ask.poll() is None for ask in asks), "an ask ended before the lock"
            time.sleep(0.1)
    results = [ask.communicate() for ask in asks]
    assert all(ask.returncode == 0 for ask in asks)
    assert all(json.loads(out)["hits"] for out, _ in results)
    assert sum(err.count("building the index") for _, err in results) == 1


def test_an_index_folder_in_the_corpus_is_refused_and_nothing_is_deleted(
    corpus: Path, tmp_path: Path
) -> None:
    kept = write(corpus / "gen-2015", "old.txt", "Old\n\nAn article from 2015.")
    for index_dir in (corpus, corpus / "index"):
        for call in (open_index, rebuild, refresh):
            with pytest.raises(IndexFolderError, match=r"(is|is inside) the corpus folder"):
                call(corpus, index_dir)
    assert kept.is_file() and not (corpus / "index").exists()


def test_a_users_folder_is_never_used_as_an_index(corpus: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    draft = write(home / "gen-ideas", "draft.txt", "my ideas")
    with pytest.raises(IndexFolderError, match="did not write"):
        open_index(corpus, home)
    assert draft.read_text() == "my ideas"
    assert sorted(p.name for p in home.iterdir()) == ["gen-ideas"]
