"""The on-disk index: round trips through mapped files, and damage is caught at load."""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.errors import IndexCorruptError
from index.records import Skipped
from index.service.searcher import Searcher
from index.storage import generations as storage
from index.storage.generation_writer import save
from index.storage.manifest import FORMAT_VERSION
from index.storage.sentence_index import SentenceIndex
from index.storage.text_file import TextFile
from tests.conftest import sample_manifest
from tests.index.storage.conftest import answers

MANIFEST = sample_manifest()


def _replace_member(folder: Path, name: str, data: bytes) -> None:
    """Write ``data`` as member ``name`` and make the manifest agree (a crafted index)."""
    (folder / name).write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = {"bytes": len(data), "crc32": zlib.crc32(data)}
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _flipped(path: Path, at: int, bit: int = 0x40) -> bytes:
    data = bytearray(path.read_bytes())
    data[at] ^= bit
    return bytes(data)


def test_arrays_are_mapped_and_texts_read_on_demand(built: SentenceIndex, tmp_path: Path) -> None:
    save(built, tmp_path, MANIFEST)
    loaded = storage.load(tmp_path, read_below=0).index
    weights = loaded.postings.weights
    assert not weights.flags.owndata and not weights.flags.writeable
    assert isinstance(loaded.table.texts, TextFile)
    assert loaded.table.text(0) == built.table.text(0)


def test_a_small_index_is_read_whole_not_mapped(built: SentenceIndex, tmp_path: Path) -> None:
    """A thousand servers' small indexes must not hold a thousand open files."""
    save(built, tmp_path, MANIFEST)
    loaded = storage.load(tmp_path).index
    weights = loaded.postings.weights
    assert weights.flags.owndata and not weights.flags.writeable
    assert isinstance(loaded.table.texts, bytes)
    assert loaded.table.text(0) == built.table.text(0)


@pytest.mark.parametrize("version", [FORMAT_VERSION - 1, FORMAT_VERSION + 1])
def test_another_format_version_is_refused(
    built: SentenceIndex, tmp_path: Path, version: int
) -> None:
    folder = save(built, tmp_path, MANIFEST)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["version"] = version
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="format version"):
        storage.load(tmp_path)


def test_truncated_array_is_caught_at_load(built: SentenceIndex, tmp_path: Path) -> None:
    folder = save(built, tmp_path, MANIFEST)
    data = (folder / "weights.npy").read_bytes()
    (folder / "weights.npy").write_bytes(data[:-4])
    with pytest.raises(IndexCorruptError, match="size"):
        storage.load(tmp_path)


@pytest.mark.parametrize("member", ["vocabulary.json", "weights.npy", "texts.bin", "punkt.json"])
def test_a_flipped_byte_in_a_small_index_is_caught_at_load(
    built: SentenceIndex, tmp_path: Path, member: str
) -> None:
    folder = save(built, tmp_path, MANIFEST, {"punkt": {"x": 1}})
    (folder / member).write_bytes(_flipped(folder / member, -2))
    with pytest.raises(IndexCorruptError, match="checksum"):
        storage.load(tmp_path)


def test_a_large_index_trusts_its_arrays_at_load_and_verify_checks_them(
    built: SentenceIndex, tmp_path: Path
) -> None:
    folder = save(built, tmp_path, MANIFEST)
    storage.verify(tmp_path)
    (folder / "first_positions.npy").write_bytes(_flipped(folder / "first_positions.npy", -1, 1))
    storage.load(tmp_path, checksum_limit=0)  # any position is a valid byte: structure holds
    with pytest.raises(IndexCorruptError, match="checksum"):
        storage.verify(tmp_path)


def test_a_flipped_byte_in_an_array_header_is_corrupt(built: SentenceIndex, tmp_path: Path) -> None:
    folder = save(built, tmp_path, MANIFEST)
    for at in (8, 12, 20, 30, 45, 60, 126, 127):
        _replace_member(folder, "weights.npy", _flipped(folder / "weights.npy", at, 0x05))
        with pytest.raises(IndexCorruptError, match=r"weights\.npy"):
            storage.load(tmp_path)
        _replace_member(folder, "weights.npy", _flipped(folder / "weights.npy", at, 0x05))
    assert answers(storage.load(tmp_path).index) == answers(built)


def test_damaged_text_in_a_large_index_is_corrupt_when_quoted(
    built: SentenceIndex, tmp_path: Path
) -> None:
    folder = save(built, tmp_path, MANIFEST)
    texts = bytearray((folder / "texts.bin").read_bytes())
    texts[: len(texts)] = b"\xff" * len(texts)
    _replace_member(folder, "texts.bin", bytes(texts))
    loaded = storage.load(tmp_path, checksum_limit=0).index
    with pytest.raises(IndexCorruptError, match="sentence 0"):
        loaded.table.text(0)
    with pytest.raises(IndexCorruptError):
        Searcher(loaded).search("What did the Pentagon say?")


def test_inconsistent_offsets_are_caught_at_load(built: SentenceIndex, tmp_path: Path) -> None:
    folder = save(built, tmp_path, MANIFEST)
    offsets = np.load(folder / "text_offsets.npy")
    offsets[-1] += 1
    np.save(folder / "text_offsets.npy", offsets)
    _replace_member(folder, "text_offsets.npy", (folder / "text_offsets.npy").read_bytes())
    with pytest.raises(IndexCorruptError, match="bounds"):
        storage.load(tmp_path)


def test_an_out_of_range_sentence_id_is_caught_at_load(
    built: SentenceIndex, tmp_path: Path
) -> None:
    folder = save(built, tmp_path, MANIFEST)
    _replace_member(folder, "sentence_ids.npy", _flipped(folder / "sentence_ids.npy", -1))
    with pytest.raises(IndexCorruptError, match="sentence_ids"):
        storage.load(tmp_path)


def test_documents_of_the_wrong_shape_are_refused(built: SentenceIndex, tmp_path: Path) -> None:
    folder = save(built, tmp_path, MANIFEST)
    columns = json.loads((folder / "documents.json").read_text())
    columns["title"] = [7] * len(columns["title"])
    _replace_member(folder, "documents.json", json.dumps(columns).encode())
    with pytest.raises(IndexCorruptError, match="title"):
        storage.load(tmp_path)
    _replace_member(folder, "documents.json", json.dumps([{"doc_id": "x"}]).encode())
    with pytest.raises(IndexCorruptError, match="columns"):
        storage.load(tmp_path)
    _replace_member(folder, "documents.json", b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(IndexCorruptError):
        storage.load(tmp_path)


def test_a_flipped_byte_in_a_skipped_entry_of_the_manifest_is_corrupt(
    built: SentenceIndex, tmp_path: Path
) -> None:
    skipped = (Skipped("bad.txt", "empty file"), Skipped("b.jsonl", "not JSON", 3))
    folder = save(built, tmp_path, replace(MANIFEST, skipped=skipped))
    text = (folder / "manifest.json").read_text()
    for key in ('"path"', '"reason"', '"line"'):
        (folder / "manifest.json").write_text(text.replace(key, key.replace('"', '"x', 1), 1))
        with pytest.raises(IndexCorruptError, match="manifest"):
            storage.load(tmp_path)
    (folder / "manifest.json").write_text(text.replace('"line": 3', '"line": "3"'))
    with pytest.raises(IndexCorruptError, match="manifest"):
        storage.load(tmp_path)


@pytest.mark.parametrize("name", ["../outside.npy", "/dev/zero", "extra.npy", "sub/weights.npy"])
def test_only_known_member_names_are_read(built: SentenceIndex, tmp_path: Path, name: str) -> None:
    folder = save(built, tmp_path / "idx", MANIFEST)
    (tmp_path / "outside.npy").write_bytes(b"x")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = {"bytes": 1, "crc32": zlib.crc32(b"x")}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="unknown member"):
        storage.load(tmp_path / "idx")


def test_a_member_that_is_a_link_is_corrupt(built: SentenceIndex, tmp_path: Path) -> None:
    folder = save(built, tmp_path / "idx", MANIFEST)
    os.replace(folder / "texts.bin", tmp_path / "texts.bin")
    (folder / "texts.bin").symlink_to(tmp_path / "texts.bin")
    with pytest.raises(IndexCorruptError, match="not a regular file"):
        storage.load(tmp_path / "idx")


@pytest.mark.parametrize("pointer", ["../elsewhere", "/tmp", "gen-ideas", "", "gen-x/../.."])
def test_current_must_name_a_generation_inside_the_folder(
    built: SentenceIndex, tmp_path: Path, pointer: str
) -> None:
    save(built, tmp_path, MANIFEST)
    (tmp_path / "gen-ideas").mkdir()
    (tmp_path / storage.CURRENT).write_text(pointer)
    with pytest.raises(IndexCorruptError, match="generation"):
        storage.load(tmp_path)


def test_current_naming_a_link_to_a_generation_elsewhere_is_corrupt(
    built: SentenceIndex, tmp_path: Path
) -> None:
    real = save(built, tmp_path / "other", MANIFEST)
    save(built, tmp_path / "idx", MANIFEST)
    link = tmp_path / "idx" / "gen-20990101T000000-0000beef"
    link.symlink_to(real)
    (tmp_path / "idx" / storage.CURRENT).write_text(link.name)
    with pytest.raises(IndexCorruptError, match="generation"):
        storage.load(tmp_path / "idx")


@pytest.mark.parametrize("member", ["weights.npy", "documents.json", "texts.bin"])
def test_truncated_garbage_or_missing_members_are_detected(
    built: SentenceIndex, tmp_path: Path, member: str
) -> None:
    folder = save(built, tmp_path, MANIFEST)
    path = folder / member
    original = path.read_bytes()
    for damage in (original[: len(original) // 2], b"\x93NUMPY garbage" * 10, None):
        if damage is None:
            path.unlink()
        else:
            path.write_bytes(damage)
        with pytest.raises(IndexCorruptError):
            storage.load(tmp_path)
        path.write_bytes(original)


def test_a_current_pointer_to_nowhere_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / storage.CURRENT).write_text("gen-20260101T000000-deadbeef")
    with pytest.raises(IndexCorruptError):
        storage.load(tmp_path)
