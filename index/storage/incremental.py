"""The steps of an incremental update: what changed, the updated index, its next generation.

:func:`changed_paths` compares two corpus fingerprints; :func:`read_changes` reads
the new or changed files; :func:`apply_changes` drops the documents of changed or
deleted files and appends the new ones (``index.storage.updates``); and
:func:`save_update` saves the result as the next generation, its manifest carried
over. ``index.service.updating`` strings them together under the build lock.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.articles.corpus import Corpus, CorpusFile, as_roots, read_file
from index.articles.sentences import SentenceSplitter
from index.errors import IndexCorruptError
from index.records import Document, Skipped
from index.storage import generation_writer, generations
from index.storage.manifest import Manifest
from index.storage.sentence_index import SentenceIndex
from index.storage.updates import with_documents, without_documents


@dataclass(frozen=True, slots=True)
class Changes:
    """What a refresh found: files to drop the documents of, and documents to add."""

    dropped_paths: frozenset[str]
    added: tuple[Document, ...]
    skipped: tuple[Skipped, ...]


def changed_paths(old: Sequence[CorpusFile], new: Sequence[CorpusFile]) -> frozenset[str]:
    """Corpus paths (prefixed) that were added, removed or modified between fingerprints."""
    before = {item.relpath: item for item in old}
    after = {item.relpath: item for item in new}
    every = before.keys() | after.keys()
    return frozenset(path for path in every if before.get(path) != after.get(path))


def read_changes(corpus: Corpus, paths: frozenset[str]) -> Changes:
    """Read the files at ``paths`` that still exist; every path's old documents go."""
    added: list[Document] = []
    skipped: list[Skipped] = []
    for root in as_roots(corpus):
        for path in sorted(paths):
            relpath = path.removeprefix(root.prefix)
            if not path.startswith(root.prefix) or not (root.path / relpath).is_file():
                continue
            for item in read_file(root.path / relpath, relpath):
                if isinstance(item, Skipped):
                    skipped.append(Skipped(root.prefix + item.path, item.reason, item.line))
                else:
                    added.append(_prefixed(item, root.prefix))
    return Changes(paths, tuple(added), tuple(skipped))


def _prefixed(document: Document, prefix: str) -> Document:
    if not prefix:
        return document
    info = document.info
    path = prefix + info.path if info.path else None
    return replace(document, info=replace(info, doc_id=prefix + info.doc_id, path=path))


def apply_changes(
    index: SentenceIndex, changes: Changes, splitter: SentenceSplitter
) -> tuple[SentenceIndex, tuple[Skipped, ...]]:
    """``index`` without the changed files' documents and with the new ones."""
    doomed = {doc.doc_id for doc in index.documents if doc.path in changes.dropped_paths}
    index = without_documents(index, doomed)
    fresh, duplicates = _new_only(index, changes.added)
    if fresh:
        index = with_documents(index, fresh, splitter)
    return index, changes.skipped + duplicates


def _new_only(
    index: SentenceIndex, documents: Sequence[Document]
) -> tuple[list[Document], tuple[Skipped, ...]]:
    seen = {doc.doc_id for doc in index.documents}
    fresh: list[Document] = []
    duplicates: list[Skipped] = []
    for document in documents:
        if document.info.doc_id in seen:
            where = document.info.path or document.info.doc_id
            duplicates.append(Skipped(where, f"duplicate id {document.info.doc_id!r}"))
        else:
            seen.add(document.info.doc_id)
            fresh.append(document)
    return fresh, tuple(duplicates)


def updated_manifest(manifest: Manifest, **changes: Any) -> Manifest:
    """``manifest`` with ``changes`` and the time of this update."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return replace(manifest, **changes, updated_at=now)


def save_update(
    stored: generations.StoredIndex, index: SentenceIndex, index_dir: Path, manifest: Manifest
) -> generations.StoredIndex:
    """Save ``index`` with ``manifest`` as the next generation of ``stored``.

    Returns the saved generation loaded back: mapped from disk, as a fresh load would be,
    rather than held in this process's memory.
    """
    punkt = generations.attachment(stored, "punkt")
    generation_writer.save(index, index_dir, manifest, {"punkt": punkt} if punkt else None)
    generations.remove_stale(index_dir)
    return generations.load(index_dir)


def borrowed_splitter(index_dir: Path | None) -> SentenceSplitter | None:
    """The sentence splitter of the index in ``index_dir`` (to split another index's
    documents as that one does), if there is one there."""
    punkt = None if index_dir is None else generations.current_attachment(index_dir, "punkt")
    return SentenceSplitter.from_json(punkt) if isinstance(punkt, dict) else None


def stored_splitter(stored: generations.StoredIndex) -> SentenceSplitter:
    """The splitter the index was built with; raises ``IndexCorruptError`` when it is missing."""
    punkt = generations.attachment(stored, "punkt")
    if not isinstance(punkt, dict):
        raise IndexCorruptError(f"{stored.folder} has no sentence splitter saved")
    try:
        return SentenceSplitter.from_json(punkt)
    except (KeyError, TypeError, ValueError) as error:
        raise IndexCorruptError(
            f"{stored.folder} has a damaged sentence splitter ({error})"
        ) from None


def merged_skipped(
    manifest: Manifest, paths: Collection[str], skipped: Sequence[Skipped]
) -> tuple[Skipped, ...]:
    """The manifest's skipped files, those of ``paths`` replaced by ``skipped``."""
    return tuple(s for s in manifest.skipped if s.path not in paths) + tuple(skipped)
