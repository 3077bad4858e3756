"""Bringing a saved index up to date with its corpus file by file, not from scratch.

:func:`refresh` compares the corpus with the fingerprint saved in the
manifest, drops the documents of files that changed or went away, reads
only the new or changed files, and saves the result as a new generation.
:func:`add_documents` and :func:`remove_documents` do the same for documents
given directly. All hold the build lock and leave the old generation live
until the new one is complete.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.articles.corpus import Corpus, as_roots, read_file
from index.articles.sentences import SentenceSplitter
from index.records import Document, Skipped
from index.service.searcher import SentenceIndex
from index.storage import generations as storage
from index.storage.updates import with_documents, without_documents


@dataclass(frozen=True, slots=True)
class Changes:
    """What a refresh found: files to drop the documents of, and documents to add."""

    dropped_paths: frozenset[str]
    added: tuple[Document, ...]
    skipped: tuple[Skipped, ...]


def changed_paths(old: list[list[Any]], new: list[list[Any]]) -> frozenset[str]:
    """Corpus paths (prefixed) that were added, removed or modified between fingerprints."""
    before = {str(item[0]): tuple(item[1:]) for item in old}
    after = {str(item[0]): tuple(item[1:]) for item in new}
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


def save_update(
    stored: storage.StoredIndex,
    index: SentenceIndex,
    index_dir: Path,
    manifest_changes: dict[str, Any],
) -> storage.StoredIndex:
    """Save ``index`` as the next generation of ``stored``, its manifest carried over.

    Returns the saved generation loaded back: mapped from disk, as a fresh load would be,
    rather than held in this process's memory.
    """
    manifest = {key: value for key, value in stored.manifest.items() if key not in _OWN_KEYS}
    manifest.update(manifest_changes, updated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    punkt = storage.attachment(stored, "punkt")
    storage.save(index, index_dir, manifest, {"punkt": punkt} if punkt else None)
    storage.remove_stale(index_dir)
    return storage.load(index_dir)


_OWN_KEYS = frozenset({"format", "version", "files"})


def stored_splitter(stored: storage.StoredIndex) -> SentenceSplitter:
    """The splitter the index was built with; raises ``IndexCorruptError`` when it is missing."""
    punkt = storage.attachment(stored, "punkt")
    if not isinstance(punkt, dict):
        raise storage.IndexCorruptError(f"{stored.folder} has no sentence splitter saved")
    return SentenceSplitter.from_json(punkt)


def merged_skipped(
    manifest: dict[str, Any], paths: Collection[str], skipped: Sequence[Skipped]
) -> list[dict[str, Any]]:
    """The manifest's skipped files, those of ``paths`` replaced by ``skipped``."""
    kept = [s for s in manifest.get("skipped", []) if s.get("path") not in paths]
    return kept + [{"path": s.path, "reason": s.reason, "line": s.line} for s in skipped]
