"""The on-disk index: a versioned folder of ``.npy`` arrays and JSON, no pickle.

Layout of ``INDEX_DIR``::

    CURRENT             name of the live generation, replaced atomically
    gen-<time>-<id>/    one complete index: manifest.json, documents.json,
                        vocabulary.json, punkt.json, texts.bin, *.npy
    .lock               serialises builders across processes

A generation is written under a temporary name, each file flushed to disk,
then renamed into place; only then does ``CURRENT`` move to it through
``os.replace``. A crash at any point leaves the previous generation live.

Loading maps the arrays instead of reading them, and reads sentence texts
from ``texts.bin`` only when quoted: a million-sentence index opens in a
fraction of a second and its pages stay in the shared page cache. The trade-off:
at load every file's size is checked against the manifest, the JSON members
against their CRC-32, and the arrays' shapes, types and offsets for
consistency, but the bulk arrays are not checksummed (that would read them
all); the scoring kernel never writes outside its scratch array whatever
ids it reads. :func:`verify` checks every CRC-32 when wanted.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import numpy as np

from index.errors import IndexCorruptError, IndexMissingError, IndexWriteError
from index.storage.codec import decode_index, encode_index
from index.storage.manifest import Manifest, MemberFile
from index.storage.sentence_index import SentenceIndex
from index.storage.text_file import TextFile

CURRENT = "CURRENT"
WRITERS = 4


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """A loaded index and the manifest it was saved with."""

    index: SentenceIndex
    manifest: Manifest
    folder: Path


def save(
    index: SentenceIndex,
    index_dir: Path,
    manifest: Manifest,
    attachments: dict[str, Any] | None = None,
) -> Path:
    """Write ``index`` as a new generation and make it current; returns its folder.

    ``manifest`` is saved with the list of member files filled in; each of
    ``attachments`` is stored as ``<name>.json`` beside the index (the learned Punkt
    parameters, say). Raises :class:`IndexWriteError` when the disk refuses.
    """
    try:
        return _save(index, index_dir, manifest, attachments or {})
    except OSError as error:
        raise IndexWriteError(error, index_dir) from error


def _save(
    index: SentenceIndex, index_dir: Path, manifest: Manifest, attachments: dict[str, Any]
) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    name = f"gen-{stamp}-{uuid4().hex[:8]}"
    staging = index_dir / f".tmp-{name}"
    staging.mkdir()
    try:
        members = encode_index(index)
        for key, value in attachments.items():
            members[f"{key}.json"] = json.dumps(value).encode()
        saved = manifest.with_files(_write_members(staging, members))
        _write_file(staging / "manifest.json", json.dumps(saved.to_json(), indent=1).encode())
        os.rename(staging, index_dir / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _write_file(index_dir / f".{CURRENT}.tmp", name.encode(), replace_to=index_dir / CURRENT)
    _fsync_dir(index_dir)
    return index_dir / name


def load(index_dir: Path) -> StoredIndex:
    """Load the current generation; raises ``IndexMissingError`` or ``IndexCorruptError``."""
    pointer = index_dir / CURRENT
    if not pointer.exists():
        raise IndexMissingError(f"no index in {index_dir}")
    try:
        folder = index_dir / pointer.read_text(encoding="utf-8").strip()
        manifest = _read_manifest(folder)
        members = _read_members(folder, manifest)
        return StoredIndex(decode_index(members, manifest), manifest, folder)
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError) as error:
        raise IndexCorruptError(f"index in {index_dir} is unreadable: {error}") from error


def remove_stale(index_dir: Path) -> None:
    """Delete every generation and staging folder except the current one."""
    try:
        live = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        live = ""
    for entry in index_dir.iterdir():
        if entry.is_dir() and entry.name != live and entry.name.startswith(("gen-", ".tmp-gen-")):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``index_dir`` so two builds never interleave.

    Raises :class:`IndexWriteError` when the folder cannot be created or locked.
    """
    import fcntl

    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = (index_dir / ".lock").open("a")
    except OSError as error:
        raise IndexWriteError(error, index_dir) from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def folder_size(folder: Path) -> int:
    """Bytes used by the files of one generation."""
    return sum(entry.stat().st_size for entry in folder.iterdir() if entry.is_file())


def _write_members(
    folder: Path, members: dict[str, bytes | np.ndarray[Any, Any]]
) -> dict[str, MemberFile]:
    # Writing, checksumming and fsyncing release the GIL: a few files at once use both cores.
    with ThreadPoolExecutor(WRITERS) as pool:
        written = pool.map(lambda item: _write_member(folder, *item), members.items())
        return dict(zip(members, written, strict=True))


def _write_member(folder: Path, name: str, value: Any) -> MemberFile:
    parts = _npy_parts(value) if isinstance(value, np.ndarray) else [memoryview(value)]
    _write_file(folder / name, *parts)
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    return MemberFile(sum(part.nbytes for part in parts), crc)


def _npy_parts(array: np.ndarray[Any, Any]) -> list[memoryview]:
    """An ``.npy`` file as its header and the array's own memory (no copy of the data)."""
    array = np.ascontiguousarray(array)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, np.lib.format.header_data_from_array_1_0(array))
    return [memoryview(header.getvalue()), array.data.cast("B")]


def _write_file(path: Path, *parts: bytes | memoryview, replace_to: Path | None = None) -> None:
    with path.open("wb") as handle:
        for part in parts:
            handle.write(part)
        handle.flush()
        os.fsync(handle.fileno())
    if replace_to is not None:
        os.replace(path, replace_to)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _read_manifest(folder: Path) -> Manifest:
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return Manifest.from_json(data, str(folder))


def _read_members(folder: Path, manifest: Manifest) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for name, expected in manifest.files.items():
        path = folder / name
        if path.stat().st_size != expected.size:
            raise IndexCorruptError(f"{path} is damaged (its size differs from the manifest)")
        if name.endswith(".npy"):
            # A plain view of the mapping: indexing an np.memmap costs microseconds more.
            members[name] = np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
        elif name.endswith(".bin"):
            members[name] = TextFile(path)
        else:
            members[name] = _checked_bytes(path, expected.crc32)
    return members


def _checked_bytes(path: Path, crc32: int) -> bytes:
    data = path.read_bytes()
    if zlib.crc32(data) != crc32:
        raise IndexCorruptError(f"{path} is damaged (its checksum differs from the manifest)")
    return data


def verify(index_dir: Path) -> None:
    """Check every file of the current generation against its CRC-32 (reads them all).

    Raises ``IndexMissingError`` or ``IndexCorruptError``.
    """
    pointer = index_dir / CURRENT
    if not pointer.exists():
        raise IndexMissingError(f"no index in {index_dir}")
    folder = index_dir / pointer.read_text(encoding="utf-8").strip()
    for name, expected in _read_manifest(folder).files.items():
        try:
            _checked_bytes(folder / name, expected.crc32)
        except OSError as error:
            raise IndexCorruptError(f"{folder / name} is unreadable: {error}") from error


def attachment(stored: StoredIndex, name: str) -> Any:
    """A JSON attachment saved with the index, or ``None`` when absent or unreadable."""
    path = stored.folder / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
