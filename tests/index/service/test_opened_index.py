"""An opened index: its searcher and its figures, saved or held in memory."""

from __future__ import annotations

from pathlib import Path

from index.errors import IndexWriteError
from index.service.opened_index import IndexNotSavedError, opened
from index.storage.builder import build_index
from index.storage.generation_writer import save
from tests.conftest import FIXTURE_CORPUS, sample_manifest

MANIFEST = sample_manifest()


def test_an_index_held_in_memory_has_its_figures_and_no_size_on_disk() -> None:
    index = build_index(FIXTURE_CORPUS).index
    held = opened(index, MANIFEST, None, "no index yet")
    assert held.stats.documents == len(index.documents) and held.stats.sentences == len(index)
    assert held.stats.size_bytes == 0 and held.rebuilt_because == "no index yet"
    assert held.searcher.index is index and held.searcher.search("Pentagon").hits


def test_a_saved_index_counts_the_bytes_of_its_generation(tmp_path: Path) -> None:
    index = build_index(FIXTURE_CORPUS).index
    folder = save(index, tmp_path, MANIFEST)
    files = sum(path.stat().st_size for path in folder.iterdir())
    assert opened(index, MANIFEST, folder).stats.size_bytes == files > 0


def test_an_index_not_saved_carries_the_write_error_and_the_index() -> None:
    held = opened(build_index(FIXTURE_CORPUS).index, MANIFEST, None)
    error = IndexNotSavedError(IndexWriteError(OSError(28, "No space left"), Path("/x")), held)
    assert isinstance(error, IndexWriteError) and error.opened is held
    assert error.index_dir == Path("/x")
