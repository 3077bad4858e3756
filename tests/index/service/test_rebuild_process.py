"""Rebuilding in a child process: the same index on disk, errors carried back."""

from __future__ import annotations

import errno
import pickle
from pathlib import Path

import pytest

from index.errors import EmptyIndexError, IndexWriteError
from index.service.rebuild_process import _rebuild, rebuild_in_child
from index.service.rebuilding import rebuild
from index.service.searcher import Searcher
from index.storage import generation_writer
from index.storage import generations as storage


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("Pentagon talks\n\nThe Pentagon said talks resume.\n")
    (folder / "b.txt").write_text("Super Bowl\n\nThe Broncos won the Super Bowl.\n")
    return folder


@pytest.mark.slow
def test_a_child_rebuild_saves_what_a_rebuild_here_saves(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    opened = rebuild_in_child(corpus, tmp_path / "child")
    here = rebuild(corpus, tmp_path / "here")
    assert opened.rebuilt_because is None and opened.stats.sentences == here.stats.sentences
    assert opened.searcher.search("Pentagon", 1) == here.searcher.search("Pentagon", 1)
    assert Searcher(storage.load(tmp_path / "child").index).search("Broncos", 1).hits


@pytest.mark.slow
def test_errors_in_the_child_reach_the_caller(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(EmptyIndexError):
        rebuild_in_child(empty, tmp_path / "index")
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_an_index_built_but_not_saved_crosses_back_as_a_plain_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> Path:
        raise IndexWriteError(OSError(errno.ENOSPC, "No space left on device"), tmp_path)

    monkeypatch.setattr(generation_writer, "save", disk_full)  # the child's save, run here
    with pytest.raises(IndexWriteError) as caught:
        _rebuild(_corpus(tmp_path / "corpus"), tmp_path / "index", None)
    assert type(caught.value) is IndexWriteError and caught.value.error.errno == errno.ENOSPC
    again = pickle.loads(pickle.dumps(caught.value))  # what crossing the process boundary does
    assert type(again) is IndexWriteError
    assert again.error.errno == errno.ENOSPC and "No space" in str(again)
