"""Writing generations: what is saved reads back the same, and a failed write changes nothing."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from index.errors import IndexMissingError
from index.storage import generations as storage
from index.storage.generation_writer import save, written
from index.storage.sentence_index import SentenceIndex
from tests.conftest import sample_manifest
from tests.index.storage.conftest import answers

MANIFEST = sample_manifest()


def test_round_trip_gives_the_same_answers(built: SentenceIndex, tmp_path: Path) -> None:
    save(built, tmp_path, MANIFEST, {"punkt": {"x": 1}})
    loaded = storage.load(tmp_path)
    assert answers(loaded.index) == answers(built)
    assert loaded.index.documents == built.documents
    assert storage.attachment(loaded, "punkt") == {"x": 1}
    assert not list(tmp_path.glob("*/*.pkl"))


def test_unknown_attachments_are_refused(built: SentenceIndex, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="attachments"):
        save(built, tmp_path, MANIFEST, {"../escape": 1})


def test_missing_index_and_stale_generations(built: SentenceIndex, tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        storage.load(tmp_path)
    first = save(built, tmp_path, MANIFEST)
    second = save(built, tmp_path, MANIFEST)
    storage.remove_stale(tmp_path)
    assert not first.exists() and second.exists()
    assert storage.load(tmp_path).folder == second
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [second.name]


def test_a_failed_write_leaves_the_previous_index_live(
    built: SentenceIndex, tmp_path: Path
) -> None:
    first = save(built, tmp_path, MANIFEST)
    with pytest.raises(TypeError):
        save(built, tmp_path, MANIFEST, {"punkt": object()})
    assert storage.load(tmp_path).folder == first
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [first.name]


def test_written_gives_the_size_and_checksum_of_a_file_written_in_place(tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000  # over one read chunk
    (tmp_path / "member.bin").write_bytes(data)
    member = written(tmp_path / "member.bin")
    assert (member.size, member.crc32) == (len(data), zlib.crc32(data))
