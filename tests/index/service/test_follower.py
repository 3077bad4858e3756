"""A follower reads the index another process writes and switches to each new generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import IndexCorruptError, IndexMissingError
from index.service.follower import IndexFollower
from index.service.opened_index import OpenedIndex
from index.service.opening import load_index
from index.service.rebuilding import rebuild
from index.storage.generations import CURRENT
from tests.conftest import write


def _corpus(folder: Path, extra: str = "") -> Path:
    write(folder, "a.md", "# Harbour\n\nThe ferry terminal opened in the harbour.")
    if extra:
        write(folder, "b.md", f"# Airship\n\n{extra}")
    return folder


def _top(opened: OpenedIndex, question: str) -> str | None:
    hits = opened.searcher.search(question, 1, min_confidence=0.0).hits
    return hits[0].sentence.text if hits else None


def test_a_follower_switches_to_each_new_generation(tmp_path: Path) -> None:
    corpus, index_dir = _corpus(tmp_path / "corpus"), tmp_path / "index"
    rebuild(corpus, index_dir)
    follower = IndexFollower(index_dir)
    first = follower.current()
    assert not follower.changed() and follower.current() is first
    assert _top(first, "zeppelin") is None
    _corpus(corpus, "The zeppelin landed at Lakehurst.")
    rebuild(corpus, index_dir)  # what the writer process does
    assert follower.changed()
    second = follower.current()
    assert second is not first and follower.generation == (index_dir / CURRENT).read_text()
    assert _top(second, "zeppelin") == "The zeppelin landed at Lakehurst."
    assert _top(first, "ferry terminal")  # the old index still answers: mapped, files open


def test_no_index_yet_is_missing(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        IndexFollower(tmp_path / "index").current()


def test_a_generation_deleted_while_being_read_is_read_again_from_current(
    tmp_path: Path,
) -> None:
    corpus, index_dir = _corpus(tmp_path / "corpus"), tmp_path / "index"
    rebuild(corpus, index_dir)
    read: list[str] = []

    def writer_switches_meanwhile(folder: Path) -> OpenedIndex:
        read.append((folder / CURRENT).read_text())
        if len(read) == 1:
            # The writer saves a new generation and deletes this one while it is read:
            # the read fails on a missing file, as ``generations.load`` reports it.
            _corpus(corpus, "The zeppelin landed at Lakehurst.")
            rebuild(corpus, folder)
            assert not (folder / read[0]).exists()
            raise IndexCorruptError(f"{folder / read[0]} is unreadable: a file is gone")
        return load_index(folder)

    follower = IndexFollower(index_dir, load=writer_switches_meanwhile)
    opened = follower.current()
    assert len(read) == 2 and read[1] != read[0] and follower.generation == read[1]
    assert _top(opened, "zeppelin") == "The zeppelin landed at Lakehurst."


def test_a_damaged_index_that_was_not_replaced_is_an_error(tmp_path: Path) -> None:
    corpus, index_dir = _corpus(tmp_path / "corpus"), tmp_path / "index"
    rebuild(corpus, index_dir)
    live = index_dir / (index_dir / CURRENT).read_text()
    (live / "texts.bin").write_bytes(b"")
    with pytest.raises(IndexCorruptError):
        IndexFollower(index_dir).current()
