"""Updating a saved index without a full rebuild: only what changed is read and analysed.

:func:`refresh` compares the corpus with the index's fingerprint and reads only the
files added or changed since; :func:`add_documents` and :func:`remove_documents`
edit the index directly (articles added by link, a server's removed file). Each
update is saved as the next generation under the build lock, and handed to a
``ready`` callback first, so a host can answer from it while it is being saved.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from pathlib import Path

from index.articles.corpus import Corpus, describe, fingerprint
from index.articles.sentences import SentenceSplitter
from index.errors import EmptyIndexError
from index.ranking.bm25 import BM25Params
from index.records import Document
from index.service.opened_index import OpenedIndex, Ready, opened
from index.service.opening import usable
from index.service.rebuilding import rebuilt
from index.storage import generations, incremental
from index.storage.builder import Progress
from index.storage.index_folder import check_outside_corpus
from index.storage.manifest import Manifest
from index.storage.sentence_index import SentenceIndex
from index.storage.updates import without_documents

log = logging.getLogger(__name__)


def refresh(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    ready: Ready | None = None,
    *,
    splitter_from: Path | None = None,
) -> OpenedIndex:
    """The index for ``corpus``, updated by reading only the files that changed.

    Documents of changed or deleted files are dropped and new or changed files
    read, split and analysed; the rest is left as it is. Falls back to a full
    rebuild (``rebuilt_because`` says why) when there is no usable index or the
    analyzer, BM25 parameters or corpus folders changed. Raises like
    :func:`index.service.rebuilding.rebuild`. An update is handed to ``ready`` as soon
    as it can answer, before it is saved. ``splitter_from`` as for ``rebuild`` (an
    update splits as the index it updates).
    """
    check_outside_corpus(index_dir, corpus)
    with generations.build_lock(index_dir):
        stored, reason = usable(corpus, index_dir, params, warn=True, fingerprints=False)
        if stored is not None:
            borrowed = incremental.borrowed_splitter(splitter_from)
            splitter = borrowed or incremental.stored_splitter(stored)
            return _updated(corpus, index_dir, stored, ready, splitter)
    reason = reason or "no usable index"
    return rebuilt(corpus, index_dir, params, progress, reason, splitter_from=splitter_from)


def add_documents(
    index_dir: Path, documents: Sequence[Document], ready: Ready | None = None
) -> OpenedIndex:
    """Add parsed ``documents`` to the saved index without re-analysing the others.

    Documents whose id is already indexed are skipped (listed in the stats).
    Raises ``IndexMissingError``/``IndexCorruptError`` when there is no index to add to.
    ``ready`` gets the new index before it is saved (see :func:`refresh`).
    """
    with generations.build_lock(index_dir):
        stored = generations.load(index_dir)
        changes = incremental.Changes(frozenset(), tuple(documents), ())
        index, skipped = incremental.apply_changes(
            stored.index, changes, incremental.stored_splitter(stored)
        )
        listed = incremental.merged_skipped(stored.manifest, (), skipped)
        manifest = incremental.updated_manifest(stored.manifest, skipped=listed)
        return _saved(stored, index, index_dir, manifest, ready)


def remove_documents(
    index_dir: Path, doc_ids: Collection[str], ready: Ready | None = None
) -> OpenedIndex:
    """Remove the documents ``doc_ids`` from the saved index (unknown ids are ignored).

    Raises ``IndexMissingError``/``IndexCorruptError``, and ``EmptyIndexError`` when
    nothing would be left (the index stays as it was). ``ready`` as for :func:`refresh`.
    """
    with generations.build_lock(index_dir):
        stored = generations.load(index_dir)
        index = without_documents(stored.index, frozenset(doc_ids))
        if len(index) == 0:
            raise EmptyIndexError("removing these documents would leave no sentence")
        manifest = incremental.updated_manifest(stored.manifest)
        return _saved(stored, index, index_dir, manifest, ready)


def _updated(
    corpus: Corpus,
    index_dir: Path,
    stored: generations.StoredIndex,
    ready: Ready | None,
    splitter: SentenceSplitter,
) -> OpenedIndex:
    prints = fingerprint(corpus)
    paths = incremental.changed_paths(stored.manifest.fingerprint, prints)
    if not paths:
        return opened(stored.index, stored.manifest, stored.folder)
    changes = incremental.read_changes(corpus, paths)
    index, skipped = incremental.apply_changes(stored.index, changes, splitter)
    if len(index) == 0:
        raise EmptyIndexError(f"no sentences left in {describe(corpus)}")
    for item in skipped:
        log.warning("skipped %s", item)
    listed = incremental.merged_skipped(stored.manifest, paths, skipped)
    manifest = incremental.updated_manifest(stored.manifest, fingerprint=prints, skipped=listed)
    return _saved(stored, index, index_dir, manifest, ready)


def _saved(
    stored: generations.StoredIndex,
    index: SentenceIndex,
    index_dir: Path,
    manifest: Manifest,
    ready: Ready | None,
) -> OpenedIndex:
    """Save ``index`` as the generation after ``stored``; ``ready`` gets it first.

    Writing and syncing a million sentences' files takes about a second; the
    update can answer from memory meanwhile. Should the save fail, the caller
    hears of it (the error propagates) and the files on disk are the old ones.
    """
    if ready is not None:
        ready(opened(index, manifest, None))
    saved = incremental.save_update(stored, index, index_dir, manifest)
    return opened(saved.index, saved.manifest, saved.folder)
