"""The on-disk index and reading it back: a versioned folder of ``.npy`` arrays and JSON.

Layout of ``INDEX_DIR`` (``index.storage.index_folder`` guards the folder itself)::

    .qabot-index        marker: this folder is qabot's
    CURRENT             name of the live generation, replaced atomically
    gen-<time>-<id>/    one complete index: manifest.json, documents.json,
                        vocabulary.json, punkt.json, texts.bin, *.npy
    .lock               serialises builders across processes

No pickle anywhere. A generation is written under a temporary name, each file
flushed to disk, then renamed into place; only then does ``CURRENT`` move to it
through ``os.replace`` (``index.storage.generation_writer``). A crash at any point
leaves the previous generation live.

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
import stat
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexCorruptError, QabotError
from index.storage import index_folder
from index.storage.array_file import map_array, release_pages
from index.storage.codec import MEMBERS, decode_index
from index.storage.index_folder import CURRENT, build_lock, remove_stale
from index.storage.manifest import Manifest
from index.storage.sentence_index import SentenceIndex
from index.storage.text_file import TextFile

__all__ = ["CURRENT", "StoredIndex", "attachment", "build_lock", "load", "remove_stale", "verify"]

# Up to this many bytes of members, a load checks every CRC-32 (about 30 ms at 64 MiB);
# larger generations rely on the structural checks at load and on :func:`verify`.
CHECKSUM_AT_LOAD_BYTES = 64 * 1024 * 1024
# Files smaller than this are read, not mapped or kept open: a bot with a thousand servers'
# small indexes would otherwise hold tens of thousands of mappings and a thousand files.
READ_BELOW = 256 * 1024
# The JSON files saved beside an index's members (the learned Punkt parameters).
ATTACHMENTS = frozenset({"punkt"})
CHUNK = 1 << 20  # how much of a member is read at a time to checksum it
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
        while chunk := handle.read(CHUNK):
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
