"""Faults: a rebuild killed at random moments, a corpus that changes mid-build, failing writes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.articles.corpus import read_corpus
from index.errors import CorpusError, IndexWriteError
from index.records import Document, Skipped
from index.service.opening import open_index
from index.service.rebuilding import rebuild
from index.service.searcher import Searcher
from index.storage import generations as storage
from tests.conftest import FIXTURE_ARTICLE, write

KILLS = 24


def synthetic_corpus(folder: Path, articles: int) -> None:
    """A corpus big enough that a rebuild takes a second or two."""
    rng = random.Random(5)
    words = FIXTURE_ARTICLE.read_text(encoding="utf-8").split()
    rows = []
    for n in range(articles):
        sentences = [" ".join(rng.choices(words, k=rng.randint(6, 25))) + "." for _ in range(40)]
        rows.append(
            json.dumps({"id": f"a{n}", "title": f"Article {n}", "text": " ".join(sentences)})
        )
    write(folder, "bulk.jsonl", "\n".join(rows))


def start_rebuild(corpus: Path, index_dir: Path) -> subprocess.Popen[bytes]:
    code = "import sys; from index.cli.main import main; sys.exit(main(sys.argv[1:]))"
    args = ["-q", "reindex", "--corpus", str(corpus), "--index", str(index_dir)]
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=index_dir.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_rebuilds_killed_at_random_moments_never_lose_the_index(tmp_path: Path) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "idx"
    synthetic_corpus(corpus, 300)
    good = rebuild(corpus, index_dir)
    expected = [h.position for h in good.searcher.search("Pentagon talks Russia").hits]
    rng = random.Random(11)
    for _ in range(KILLS):
        process = start_rebuild(corpus, index_dir)
        time.sleep(rng.uniform(0.05, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        survivor = Searcher(storage.load(index_dir).index)
        assert [h.position for h in survivor.search("Pentagon talks Russia").hits] == expected
    recovered = open_index(corpus, index_dir)
    assert recovered.rebuilt_because is None
    rebuild(corpus, index_dir)
    leftovers = [p.name for p in index_dir.iterdir() if p.is_dir()]
    assert len(leftovers) == 1 and leftovers[0].startswith("gen-")


def test_a_file_deleted_while_the_corpus_is_read_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "A\n\nFirst article text.")
    write(tmp_path, "b.txt", "B\n\nSecond article text.")
    items = read_corpus(tmp_path)
    first = next(items)
    (tmp_path / "b.txt").unlink()
    rest = list(items)
    assert isinstance(first, Document)
    assert len(rest) == 1 and isinstance(rest[0], Skipped)
    assert "disappeared" in rest[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_an_unreadable_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    corpus = tmp_path / "locked"
    write(corpus, "a.txt", "A\n\nText.")
    corpus.chmod(0)
    try:
        with pytest.raises(CorpusError, match="not readable"):
            open_index(corpus, tmp_path / "idx")
    finally:
        corpus.chmod(0o755)


@pytest.mark.slow
def test_a_write_that_runs_out_of_space_keeps_the_old_index(tmp_path: Path) -> None:
    """The kernel refuses writes past RLIMIT_FSIZE (EFBIG) as a full disk does (ENOSPC)."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "idx"
    write(corpus, "a.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    live = rebuild(corpus, index_dir)
    synthetic_corpus(corpus, 40)
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))\n"
        "from index.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    args = ["reindex", "--corpus", str(corpus), "--index", str(index_dir)]
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "cannot write the index" in result.stderr
    assert "Traceback" not in result.stderr
    survivor = storage.load(index_dir)
    assert survivor.index.documents == live.index.documents


def test_a_failure_at_the_last_step_keeps_the_old_index(tmp_path: Path) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "idx"
    write(corpus, "a.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    live = rebuild(corpus, index_dir)
    write(corpus, "b.txt", "B\n\nA zeppelin article.")
    (index_dir / f".{storage.CURRENT}.tmp").mkdir()  # the pointer can no longer be written
    with pytest.raises(IndexWriteError):
        rebuild(corpus, index_dir)
    assert storage.load(index_dir).index.documents == live.index.documents
    (index_dir / f".{storage.CURRENT}.tmp").rmdir()
    assert open_index(corpus, index_dir).searcher.search("zeppelin").hits


def test_a_question_is_answered_even_when_the_index_cannot_be_saved(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "a.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    blocked = write(tmp_path, "not-a-folder", "a file where the index folder should be")
    opened = open_index(corpus, blocked / "idx")
    assert opened.searcher.search("What did the Pentagon say?").hits
    assert opened.stats.size_bytes == 0


def test_an_index_built_but_not_saved_still_answers(tmp_path: Path) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "idx"
    write(corpus, "a.txt", FIXTURE_ARTICLE.read_text(encoding="utf-8"))
    live = rebuild(corpus, index_dir).index
    write(corpus, "b.txt", "B\n\nA zeppelin article.")
    (index_dir / f".{storage.CURRENT}.tmp").mkdir()  # the last step of every save now fails
    opened = open_index(corpus, index_dir)
    assert opened.searcher.search("zeppelin").hits
    assert opened.rebuilt_because == "the corpus changed since the last build"
    assert storage.load(index_dir).index.documents == live.documents
