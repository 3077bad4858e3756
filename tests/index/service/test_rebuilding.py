"""Rebuilding: once under the lock, the old index live until the new one is saved."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE

import pytest

from index.errors import EmptyIndexError, IndexFolderError
from index.service.opening import open_index
from index.service.rebuilding import rebuild
from index.service.updating import refresh
from index.storage import generations as storage
from tests.conftest import ROOT, blocked_lock_waiters, write
from tests.index.service.conftest import write_article


def test_a_failed_rebuild_keeps_the_last_good_index(seed_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    good = open_index(seed_corpus, index_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(EmptyIndexError, match="no readable documents"):
        rebuild(empty, index_dir)
    assert storage.load(index_dir).index.documents == good.index.documents


def _building(caplog: pytest.LogCaptureFixture) -> int:
    return sum("building the index" in record.getMessage() for record in caplog.records)


def test_a_failed_build_is_attempted_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    empty = tmp_path / "empty"
    write(empty, "blank.txt", "   \n")
    with caplog.at_level(logging.INFO), pytest.raises(EmptyIndexError):
        open_index(empty, tmp_path / "idx")
    assert _building(caplog) == 1


def test_an_index_that_cannot_be_saved_is_built_once_and_answers(
    articles: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = write(tmp_path, "a-file", "where the index folder should be")
    builds: list[int] = []
    with caplog.at_level(logging.INFO):
        opened = open_index(articles, blocked / "idx", progress=lambda d, t: builds.append(d))
    assert opened.searcher.search("Pentagon").hits
    assert _building(caplog) == 1 and builds.count(3) == 1


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_several_asks_after_a_corpus_change_rebuild_once(articles: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    open_index(articles, index_dir)
    write_article(articles, "d.txt", "A zeppelin landed in the harbour.")
    code = "import sys; from index.cli.main import main; sys.exit(main(sys.argv[1:]))"
    args = ["ask", "zeppelin", "--json", "--corpus", str(articles), "--index", str(index_dir)]
    with storage.build_lock(index_dir):  # every ask finds the index stale, then waits here
        asks = [
            subprocess.Popen(
                [sys.executable, "-c", code, *args], cwd=ROOT, stdout=PIPE, stderr=PIPE, text=True
            )
            for _ in range(4)
        ]
        deadline = time.monotonic() + 300
        while blocked_lock_waiters(index_dir / ".lock") < 4:
            assert time.monotonic() < deadline, "the asks never reached the build lock"
            assert all(ask.poll() is None for ask in asks), "an ask ended before the lock"
            time.sleep(0.1)
    results = [ask.communicate() for ask in asks]
    assert all(ask.returncode == 0 for ask in asks)
    assert all(json.loads(out)["hits"] for out, _ in results)
    assert sum(err.count("building the index") for _, err in results) == 1


def test_an_index_folder_in_the_corpus_is_refused_and_nothing_is_deleted(
    articles: Path, tmp_path: Path
) -> None:
    kept = write(articles / "gen-2015", "old.txt", "Old\n\nAn article from 2015.")
    for index_dir in (articles, articles / "index"):
        for call in (open_index, rebuild, refresh):
            with pytest.raises(IndexFolderError, match=r"(is|is inside) the corpus folder"):
                call(articles, index_dir)
    assert kept.is_file() and not (articles / "index").exists()
