"""The on-disk index: a versioned folder of ``.npy`` arrays and JSON, no pickle.

Layout of ``INDEX_DIR`` (``index.storage.index_folder`` guards the folder itself)::

    .qabot-index        marker: this folder is qabot's
    CURRENT             name of the live generation, replaced atomically
    gen-<time>-<id>/    one complete index: manifest.json, documents.json,
                        vocabulary.json, punkt.json, texts.bin, *.npy
    .lock               serialises builders across processes

A generation is written under a temporary name, each file flushed to disk,
then renamed into place; only then does ``CURRENT`` move to it through
``os.replace``. A crash at any point leaves the previous generation live.

Loading maps the arrays instead of reading them, and reads sentence texts
from ``texts.bin`` only when quoted: a million-sentence index opens in a
fraction of a second and its pages stay in the shared page cache.

What a load promises (whatever the bytes on disk, the outcome is a loaded index
or :class:`IndexCorruptError`, never another exception):

- only the member names qabot writes are read, each a regular file inside the
  generation folder, each of the size the manifest gives;
- the JSON members are checked against their CRC-32, and so is every member of
  a generation up to :data:`CHECKSUM_AT_LOAD_BYTES` (a flipped byte anywhere in
  such an index is caught at load);
- the arrays' headers are parsed strictly (``index.storage.array_file``) and
  their structure is checked (``index.storage.structure``): no compiled kernel
  and no array lookup can go out of bounds, whatever a larger generation's
  unchecksummed bytes say. A sentence text that is not UTF-8 is caught when it
  is quoted (``IndexCorruptError`` then too); :func:`verify` checks every CRC-32.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexCorruptError, IndexWriteError, QabotError
from index.storage import index_folder
from index.storage.array_file import map_array, npy_parts, release_pages
from index.storage.codec import MEMBERS, decode_index, encode_index
from index.storage.index_folder import CURRENT, build_lock, claim, remove_stale
from index.storage.manifest import Manifest, MemberFile
from index.storage.sentence_index import SentenceIndex
from index.storage.text_file import TextFile

__all__ = ["CURRENT", "StoredIndex", "attachment", "build_lock", "load", "remove_stale", "save"]

WRITERS = 4
# Up to this many bytes of members, a load checks every CRC-32 (about 30 ms at 64 MiB);
# larger generations rely on the structural checks at load and on :func:`verify`.
CHECKSUM_AT_LOAD_BYTES = 64 * 1024 * 1024
# Files smaller than this are read, not mapped or kept open: a bot with a thousand servers'
# small indexes would otherwise hold tens of thousands of mappings and a thousand files.
READ_BELOW = 256 * 1024
# The JSON files saved beside an index's members (the learned Punkt parameters).
ATTACHMENTS = frozenset({"punkt"})
_CHUNK = 1 << 20
# What reading damaged members can raise (deeply nested JSON: RecursionError).
_UNREADABLE = (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, RecursionError)


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """A loaded index, the manifest it was saved with and its attachments (their bytes,
    checked against the manifest at load)."""

    index: SentenceIndex
    manifest: Manifest
    folder: Path
    attachments: Mapping[str, bytes] = field(default_factory=dict)


def save(
    index: SentenceIndex,
    index_dir: Path,
    manifest: Manifest,
    attachments: dict[str, Any] | None = None,
) -> Path:
    """Write ``index`` as a new generation and make it current; returns its folder.

    ``manifest`` is saved with the list of member files filled in; each of
    ``attachments`` (names from :data:`ATTACHMENTS`) is stored as ``<name>.json``
    beside the index. Raises :class:`IndexWriteError` when the disk refuses and
    ``IndexFolderError`` for a folder that is not qabot's.
    """
    unknown = set(attachments or {}) - ATTACHMENTS
    if unknown:
        raise ValueError(f"unknown attachments {sorted(unknown)}")
    claim(index_dir)
    try:
        return _save(index, index_dir, manifest, attachments or {})
    except OSError as error:
        raise IndexWriteError(error, index_dir) from error


def _save(
    index: SentenceIndex, index_dir: Path, manifest: Manifest, attachments: dict[str, Any]
) -> Path:
    name = index_folder.new_generation_name()
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
    index_folder.fsync_dir(index_dir)
    return index_dir / name


def load(
    index_dir: Path, checksum_limit: int = CHECKSUM_AT_LOAD_BYTES, read_below: int = READ_BELOW
) -> StoredIndex:
    """Load the current generation; raises ``IndexMissingError`` or ``IndexCorruptError``.

    Every member's CRC-32 is checked when the generation is at most ``checksum_limit``
    bytes, the JSON members' always (see the module docstring for the rest). Members of
    at least ``read_below`` bytes are mapped (arrays) or read on demand (texts); smaller
    ones are read whole.
    """
    folder = index_folder.live_generation(index_dir)
    try:
        manifest = _read_manifest(folder)
        members = _read_members(folder, manifest, checksum_limit, read_below)
        # Kept as checked bytes and parsed when asked for: most loads never need them.
        attachments = {
            name: members.pop(f"{name}.json") for name in ATTACHMENTS if f"{name}.json" in members
        }
        index = decode_index(members, manifest)
    except _UNREADABLE as error:
        raise IndexCorruptError(f"index in {index_dir} is unreadable: {error}") from error
    for value in members.values():
        if isinstance(value, np.ndarray):
            release_pages(value)
    return StoredIndex(index, manifest, folder, attachments)


Writer = Callable[[Path], dict[str, MemberFile]]
"""Writes a generation's member files into a staging folder; their sizes and CRCs."""


def publish(index_dir: Path, manifest: Manifest, write: Writer) -> Path:
    """Make a new generation of the files ``write`` puts in a staging folder (each flushed
    to disk), then point ``CURRENT`` at it; returns its folder. For indexes written file
    by file rather than held in memory (``index.storage.segments``). Raises
    :class:`IndexWriteError` when the disk refuses."""
    claim(index_dir)
    try:
        return _publish(index_dir, manifest, write)
    except OSError as error:
        raise IndexWriteError(error, index_dir) from error


def _publish(index_dir: Path, manifest: Manifest, write: Writer) -> Path:
    name = index_folder.new_generation_name()
    staging = index_dir / f".tmp-{name}"
    staging.mkdir()
    try:
        saved = manifest.with_files(write(staging))
        _write_file(staging / "manifest.json", json.dumps(saved.to_json(), indent=1).encode())
        os.rename(staging, index_dir / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _write_file(index_dir / f".{CURRENT}.tmp", name.encode(), replace_to=index_dir / CURRENT)
    index_folder.fsync_dir(index_dir)
    return index_dir / name


def written(path: Path) -> MemberFile:
    """The size and CRC-32 of a file written in place, read back once, and flushed to disk."""
    crc, size = 0, 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        os.fsync(handle.fileno())
    return MemberFile(size, crc)


def current_attachment(index_dir: Path, name: str) -> Any:
    """The JSON attachment ``name`` of the current generation in ``index_dir`` (without
    loading the index), or ``None`` when there is no index or no such attachment."""
    try:
        folder = index_folder.live_generation(index_dir)
        return json.loads(_regular(folder / f"{name}.json"))
    except (OSError, ValueError, RecursionError, QabotError):
        return None


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
    parts = npy_parts(value) if isinstance(value, np.ndarray) else [memoryview(value)]
    _write_file(folder / name, *parts)
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    return MemberFile(sum(part.nbytes for part in parts), crc)


def _write_file(path: Path, *parts: bytes | memoryview, replace_to: Path | None = None) -> None:
    with path.open("wb") as handle:
        for part in parts:
            handle.write(part)
        handle.flush()
        os.fsync(handle.fileno())
    if replace_to is not None:
        os.replace(path, replace_to)


def _regular(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file (not a link, device or pipe)."""
    _check_regular(path)
    return path.read_bytes()


def _check_regular(path: Path) -> None:
    if not stat.S_ISREG(path.lstat().st_mode):
        raise IndexCorruptError(f"{path} is not a regular file")


def _read_manifest(folder: Path) -> Manifest:
    """The generation's manifest, once every member it lists is known to be one of the
    names qabot writes, a regular file inside ``folder``, and of the size it gives."""
    manifest = Manifest.from_json(json.loads(_regular(folder / "manifest.json")), str(folder))
    unknown = sorted(set(manifest.files) - MEMBERS - {f"{name}.json" for name in ATTACHMENTS})
    if unknown:
        raise IndexCorruptError(f"{folder} lists unknown member files {unknown[:3]}")
    for name, expected in manifest.files.items():
        _check_regular(folder / name)
        if (folder / name).stat().st_size != expected.size:
            raise IndexCorruptError(
                f"{folder / name} is damaged (its size differs from the manifest)"
            )
    return manifest


def _read_members(
    folder: Path, manifest: Manifest, checksum_limit: int, read_below: int
) -> dict[str, Any]:
    everything = sum(expected.size for expected in manifest.files.values())
    members: dict[str, Any] = {}
    for name, expected in manifest.files.items():
        path = folder / name
        if name.endswith(".json"):
            members[name] = _checked_bytes(path, expected.crc32)
            continue
        if everything <= checksum_limit:
            _check_crc(path, expected.crc32)
        small = expected.size < read_below
        if name.endswith(".npy"):
            mapped = map_array(path)
            members[name] = _read_only_copy(mapped) if small else mapped
        else:
            members[name] = _regular(path) if small else TextFile(path)
    return members


def _read_only_copy(mapped: np.ndarray) -> np.ndarray:
    """A copy of a small mapped array, read-only as the mapping: the copy lets it go."""
    copy = mapped.copy()
    copy.flags.writeable = False
    return copy


def _checked_bytes(path: Path, crc32: int) -> bytes:
    data = path.read_bytes()
    if zlib.crc32(data) != crc32:
        raise _damaged(path)
    return data


def _check_crc(path: Path, crc32: int) -> None:
    """Compare ``path``'s CRC-32 with ``crc32``, reading it in chunks (nothing is mapped)."""
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    if crc != crc32:
        raise _damaged(path)


def _damaged(path: Path) -> IndexCorruptError:
    return IndexCorruptError(f"{path} is damaged (its checksum differs from the manifest)")


def verify(index_dir: Path) -> None:
    """Check every file of the current generation against its CRC-32 (reads them all).

    Raises ``IndexMissingError`` or ``IndexCorruptError``.
    """
    folder = index_folder.live_generation(index_dir)
    try:
        for name, expected in _read_manifest(folder).files.items():
            _check_crc(folder / name, expected.crc32)
    except _UNREADABLE as error:
        raise IndexCorruptError(f"index in {index_dir} is unreadable: {error}") from error


def attachment(stored: StoredIndex, name: str) -> Any:
    """A JSON attachment saved with the index, or ``None`` when absent or unreadable."""
    data = stored.attachments.get(name)
    if data is None:
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None
