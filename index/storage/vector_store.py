"""Sentence embeddings on disk: content-addressed chunks, and one mapped set per index.

Layout, beside the index generations (``INDEX_DIR/vectors/<model>/``)::

    chunk-<id>/     keys.npy codes.npy scales.npy: some sentences' embeddings
    full-<digest>/  the same for every sentence of one index, rows = sentence ids
    .tmp-*/         a folder being written (renamed into place when complete)

Every folder is written under a temporary name, each file flushed to disk, then
renamed: a killed embedder leaves only complete chunks, and the next run reuses
them. A row is found by its *key*, a 64-bit hash of the text embedded (the
sentence in its article's context, ``index.service.embedding_texts``), so a chunk
serves any index holding the same sentences in the same context: an update that
adds or removes articles re-embeds only the new sentences, and a stale chunk can
never lend a row to a sentence whose text or context differs. ``full-<digest>``
is named after the index's content (its texts and offsets, :func:`content_digest`,
with its titles and the context rule): opening an index whose embeddings are
complete maps it without hashing a sentence. Arrays are ``.npy``
(no pickle), codes int8 and scales float32 (``index.semantic.vectors``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from uuid import uuid4

import numpy as np
import numpy.typing as npt

from index.semantic.vectors import SentenceVectors
from index.storage.sentence_table import SentenceTable

Keys = npt.NDArray[np.uint64]
# 2: rows are sentences in their article's context (index.semantic.context), keyed by
# the text embedded; the int8 model is quantized per channel.
VERSION = 2
_ARRAYS = ("keys", "codes", "scales")


def text_keys(texts: Iterable[str]) -> Keys:
    """The 64-bit key of each text: a BLAKE2b hash of its UTF-8 bytes."""
    return np.fromiter((_key(text) for text in texts), dtype=np.uint64)


def _key(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def content_digest(table: SentenceTable) -> str:
    """A digest of the index's sentence texts and their boundaries (names its full set)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.ascontiguousarray(table.text_offsets, dtype=np.int64).tobytes())
    digest.update(bytes(table.texts))
    return digest.hexdigest()


class VectorStore:
    """The embeddings of one model under an index folder; rows are also looked up, never
    written or removed, in the stores of ``also`` (a server's index holds the shared
    corpus too, whose sentences are embedded once, in the shared index's store)."""

    def __init__(self, index_dir: Path, model: str, also: tuple[Path, ...] = ()) -> None:
        self.folder = _folder(index_dir, model)
        self.model = model
        self._others = tuple(_folder(other, model) for other in also if other != index_dir)

    def full(self, digest: str, count: int) -> SentenceVectors | None:
        """The complete embeddings of the index with ``digest`` (mapped), if saved."""
        folder = self.folder / f"full-{digest}"
        arrays = _read(folder)
        if arrays is None or arrays[0].shape[0] != count:
            return None
        return SentenceVectors(self.model, arrays[1], arrays[2])

    def assemble(self, keys: Keys, dimension: int) -> SentenceVectors:
        """Writable embeddings for sentences with ``keys``: rows found in any saved chunk
        or full set are filled, the others are missing (scale 0)."""
        vectors = SentenceVectors.missing(self.model, keys.shape[0], dimension)
        for stored_keys, codes, scales in self._saved():
            if codes.shape[1] != dimension or stored_keys.shape[0] == 0:
                continue
            order = np.argsort(stored_keys)
            at = np.minimum(np.searchsorted(stored_keys[order], keys), order.shape[0] - 1)
            found = np.flatnonzero(stored_keys[order][at] == keys)
            rows = order[at[found]]
            vectors.codes[found] = codes[rows]
            vectors.scales[found] = scales[rows]
        return vectors

    def write_chunk(
        self, keys: Keys, codes: npt.NDArray[np.int8], scales: npt.NDArray[np.float32]
    ) -> None:
        """Save some sentences' embeddings as a new chunk (complete or not at all)."""
        self._write(f"chunk-{uuid4().hex}", keys, codes, scales)

    def write_full(self, digest: str, keys: Keys, vectors: SentenceVectors) -> None:
        """Save every sentence's embeddings for the index with ``digest``, then drop the
        chunks and other full sets (their rows are in this one, or belong to removed
        sentences)."""
        name = f"full-{digest}"
        self._write(name, keys, vectors.codes, vectors.scales)
        for entry in self.folder.iterdir():
            if entry.name != name and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)

    def _write(self, name: str, *arrays: npt.NDArray[np.generic]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        staging = self.folder / f".tmp-{uuid4().hex}"
        staging.mkdir()
        try:
            for array_name, array in zip(_ARRAYS, arrays, strict=True):
                with (staging / f"{array_name}.npy").open("wb") as handle:
                    np.save(handle, np.ascontiguousarray(array), allow_pickle=False)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.rename(staging, self.folder / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _saved(self) -> Iterator[tuple[Keys, npt.NDArray[np.int8], npt.NDArray[np.float32]]]:
        for folder in (self.folder, *self._others):
            try:
                entries = sorted(folder.iterdir())
            except OSError:  # no such store yet
                continue
            for entry in entries:
                arrays = _read(entry) if entry.name.startswith(("chunk-", "full-")) else None
                if arrays is not None:
                    yield arrays


def _read(folder: Path) -> tuple[Keys, npt.NDArray[np.int8], npt.NDArray[np.float32]] | None:
    """A saved folder's arrays, mapped; ``None`` when absent or damaged."""
    try:
        keys, codes, scales = (
            np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS
        )
    except (OSError, ValueError):
        return None
    shapes_agree = keys.ndim == 1 and codes.ndim == 2 and scales.shape == keys.shape
    typed = keys.dtype == np.uint64 and codes.dtype == np.int8 and scales.dtype == np.float32
    if not (shapes_agree and typed and codes.shape[0] == keys.shape[0]):
        return None
    return np.asarray(keys), np.asarray(codes), np.asarray(scales)


def _folder(index_dir: Path, model: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)
    return index_dir / "vectors" / f"v{VERSION}-{safe}"
