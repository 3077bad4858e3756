"""Writing a generation: files staged, flushed, renamed into place, then made current.

A generation is written under a temporary name (``.tmp-gen-...``), each file
flushed to disk, then renamed to its ``gen-<time>-<id>`` name; only then does
``CURRENT`` move to it through ``os.replace``. A crash at any point leaves the
previous generation live (``index.storage.generations`` describes the layout and
reads it back). An index held in memory is saved whole (:func:`save`); one
written file by file, a large corpus's segments, is published (:func:`publish`).
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexWriteError
from index.storage import index_folder
from index.storage.array_file import npy_parts
from index.storage.codec import encode_index
from index.storage.generations import ATTACHMENTS, CHUNK
from index.storage.index_folder import CURRENT, claim
from index.storage.manifest import Manifest, MemberFile
from index.storage.sentence_index import SentenceIndex

WRITERS = 4


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

    def write(staging: Path) -> dict[str, MemberFile]:
        members = encode_index(index)
        for key, value in (attachments or {}).items():
            members[f"{key}.json"] = json.dumps(value).encode()
        return _write_members(staging, members)

    return publish(index_dir, manifest, write)


Writer = Callable[[Path], dict[str, MemberFile]]
"""Writes a generation's member files into a staging folder; their sizes and CRCs."""


def publish(index_dir: Path, manifest: Manifest, write: Writer) -> Path:
    """Make a new generation of the files ``write`` puts in a staging folder (each flushed
    to disk), then point ``CURRENT`` at it; returns its folder. :func:`save` publishes
    an index held in memory; ``index.storage.segments`` one written file by file.
    Raises :class:`IndexWriteError` when the disk refuses."""
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
        while chunk := handle.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        os.fsync(handle.fileno())
    return MemberFile(size, crc)


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
