from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import storage
from index.bm25 import BM25Params
from index.builder import build_index
from index.search import SentenceIndex
from tests.conftest import SEEDS

MANIFEST = {"k1": 1.2, "b": 0.75, "built_at": "now", "build_seconds": 0.1, "corpus": "seeds"}


@pytest.fixture(scope="module")
def built() -> SentenceIndex:
    return build_index(SEEDS, BM25Params()).index


def answers(index: SentenceIndex) -> list[str]:
    return [h.sentence.text for h in index.search("What did the Pentagon say?").hits]


def test_round_trip_gives_the_same_answers(built: SentenceIndex, tmp_path: Path) -> None:
    storage.save(built, tmp_path, MANIFEST, {"punkt": {"x": 1}})
    loaded = storage.load(tmp_path)
    assert answers(loaded.index) == answers(built)
    assert loaded.index.documents == built.documents
    assert storage.attachment(loaded, "punkt") == {"x": 1}
    assert not list(tmp_path.glob("*/*.pkl"))


def test_a_failed_write_leaves_the_previous_index_live(
    built: SentenceIndex, tmp_path: Path
) -> None:
    first = storage.save(built, tmp_path, MANIFEST)
    with pytest.raises(TypeError):
        storage.save(built, tmp_path, MANIFEST, {"punkt": object()})
    assert storage.load(tmp_path).folder == first
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [first.name]


def test_a_new_generation_replaces_the_old_one(built: SentenceIndex, tmp_path: Path) -> None:
    storage.save(built, tmp_path, MANIFEST)
    second = storage.save(built, tmp_path, MANIFEST)
    storage.remove_stale(tmp_path)
    assert storage.load(tmp_path).folder == second
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [second.name]


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(storage.IndexMissingError):
        storage.load(tmp_path)


@pytest.mark.parametrize("member", ["weights.npy", "documents.json", "texts.bin"])
def test_truncated_garbage_or_missing_members_are_detected(
    built: SentenceIndex, tmp_path: Path, member: str
) -> None:
    folder = storage.save(built, tmp_path, MANIFEST)
    path = folder / member
    original = path.read_bytes()
    for damage in (original[: len(original) // 2], b"\x93NUMPY garbage" * 10, None):
        if damage is None:
            path.unlink()
        else:
            path.write_bytes(damage)
        with pytest.raises(storage.IndexCorruptError):
            storage.load(tmp_path)
        path.write_bytes(original)


def test_another_format_version_is_refused(built: SentenceIndex, tmp_path: Path) -> None:
    folder = storage.save(built, tmp_path, MANIFEST)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["version"] = storage.FORMAT_VERSION + 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(storage.IndexCorruptError, match="format version"):
        storage.load(tmp_path)


def test_a_current_pointer_to_nowhere_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / storage.CURRENT).write_text("gen-gone")
    with pytest.raises(storage.IndexCorruptError):
        storage.load(tmp_path)
