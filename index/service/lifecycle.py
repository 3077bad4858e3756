"""An index's life cycle: opened fresh, rebuilt when stale or damaged, updated in place.

This is the library API the CLI and the bot share (through ``index/__init__.py``).
It never reads the environment: every folder and parameter is an argument. Each
function returns an :class:`OpenedIndex`: the index's data, the searcher made once
for it, its figures, and why it was (re)built, if it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.articles.corpus import Corpus, CorpusFile, describe, fingerprint
from index.articles.sentences import SentenceSplitter
from index.errors import (
    EmptyIndexError,
    IndexCorruptError,
    IndexMissingError,
    IndexUnusableError,
    IndexWriteError,
)
from index.ranking import band, kernels, rerank_kernel, rescoring
from index.ranking.bm25 import BM25Params
from index.records import Document, IndexStats, Skipped
from index.service.searcher import Searcher
from index.storage import generations, incremental, segments, sentence_tokens
from index.storage.builder import Progress, build_index
from index.storage.index_folder import check_outside_corpus
from index.storage.manifest import Manifest
from index.storage.sentence_index import SentenceIndex
from index.storage.updates import without_documents
from index.terms import spelling
from index.terms.analysis import ANALYZER_VERSION

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OpenedIndex:
    """An index ready to search: its data, its searcher, its figures, and why it was
    (re)built, if it was."""

    index: SentenceIndex
    searcher: Searcher
    stats: IndexStats
    rebuilt_because: str | None = None


Ready = Callable[[OpenedIndex], None]
"""Called from the updating thread with an updated index, before it is saved."""


class IndexNotSavedError(IndexWriteError):
    """The index was built but could not be written; ``opened`` holds it in memory."""

    def __init__(self, error: IndexWriteError, opened: OpenedIndex) -> None:
        super().__init__(error.error, error.index_dir)
        self.opened = opened


def opened(
    index: SentenceIndex, manifest: Manifest, folder: Path | None, reason: str | None = None
) -> OpenedIndex:
    """``index`` with a searcher made for it and its figures."""
    return OpenedIndex(index, Searcher(index), _stats(index, manifest, folder), reason)


def rebuild(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    *,
    splitter_from: Path | None = None,
) -> OpenedIndex:
    """Build from ``corpus`` and atomically replace the index in ``index_dir``.

    ``splitter_from``: split sentences as the index in that folder does (a server's own
    documents as the shared corpus's), rather than train Punkt on ``corpus``.
    Raises ``CorpusError``, ``EmptyIndexError`` or ``IndexFolderError`` (the old index
    stays live) and ``IndexWriteError`` when the new index cannot be written
    (likewise); when it was built but not saved, that is an :class:`IndexNotSavedError`
    holding it.
    """
    check_outside_corpus(index_dir, corpus)
    with generations.build_lock(index_dir):
        return _build_locked(corpus, index_dir, params, progress, splitter_from)


def _build_locked(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params,
    progress: Progress | None,
    splitter_from: Path | None = None,
) -> OpenedIndex:
    prints = fingerprint(corpus)
    splitter = incremental.borrowed_splitter(splitter_from)
    if sum(item.size for item in prints) > segments.SEGMENT_CHARS:
        stored = segments.rebuild_in_segments(corpus, index_dir, params, prints, splitter)
        return opened(stored.index, stored.manifest, stored.folder)
    result = build_index(corpus, params, progress, splitter=splitter)
    manifest = _manifest(result.index, prints, result.skipped)
    # A borrowed splitter stays where it came from: no copy in every server's index.
    punkt = {} if splitter else {"punkt": result.splitter.to_json()}
    try:
        folder = generations.save(result.index, index_dir, manifest, punkt)
    except IndexWriteError as error:
        raise IndexNotSavedError(error, opened(result.index, manifest, None)) from error
    generations.remove_stale(index_dir)
    for item in result.skipped:
        log.warning("skipped %s", item)
    return opened(result.index, manifest, folder)


def warm_up() -> None:
    """Load everything a first question would otherwise wait for: the compiled kernels and
    the spelling word lists. Once per process; call it off the event loop."""
    kernels.warm_up()
    band.warm_up()
    rescoring.warm_up()
    rerank_kernel.warm_up()
    sentence_tokens.warm_up()
    spelling.warm_up()


def load_index(index_dir: Path) -> OpenedIndex:
    """The index saved in ``index_dir`` as it is, without comparing it with a corpus (for
    readers that never build: benchmarks, a second process serving the same index).

    Raises ``IndexMissingError`` or ``IndexCorruptError``.
    """
    warm_up()
    stored = generations.load(index_dir)
    return opened(stored.index, stored.manifest, stored.folder)


def open_index(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    *,
    warm: bool = True,
    splitter_from: Path | None = None,
) -> OpenedIndex:
    """The index for ``corpus``: loaded from ``index_dir`` when current, else rebuilt
    (once, however many processes find it stale at the same time).

    With ``warm`` it also runs :func:`warm_up`, so the first question does not wait; a
    command that asks one question passes ``False`` and loads only what that question needs.
    """
    if warm:
        warm_up()
    check_outside_corpus(index_dir, corpus)
    stored, reason = _usable(corpus, index_dir, params, warn=True)
    if stored is None:
        reason = reason or "no usable index"
        return _rebuilt(corpus, index_dir, params, progress, reason, splitter_from=splitter_from)
    return opened(stored.index, stored.manifest, stored.folder)


def recover(
    corpus: Corpus, index_dir: Path, error: IndexCorruptError, params: BM25Params = BM25Params()
) -> OpenedIndex:
    """The index rebuilt after ``error`` showed it damaged while answering (a sentence
    text that is not UTF-8 in an index too large to checksum at load)."""
    log.warning("%s; rebuilding the index from %s", error, describe(corpus))
    return _rebuilt(corpus, index_dir, params, None, str(error), recheck=False)


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
    analyzer, BM25 parameters or corpus folders changed. Raises like :func:`rebuild`.
    An update is handed to ``ready`` as soon as it can answer, before it is saved.
    ``splitter_from`` as for :func:`rebuild` (an update splits as the index it updates).
    """
    check_outside_corpus(index_dir, corpus)
    with generations.build_lock(index_dir):
        stored, reason = _usable(corpus, index_dir, params, warn=True, fingerprints=False)
        if stored is not None:
            borrowed = incremental.borrowed_splitter(splitter_from)
            splitter = borrowed or incremental.stored_splitter(stored)
            return _updated(corpus, index_dir, stored, ready, splitter)
    reason = reason or "no usable index"
    return _rebuilt(corpus, index_dir, params, progress, reason, splitter_from=splitter_from)


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


def _usable(
    corpus: Corpus, index_dir: Path, params: BM25Params, *, warn: bool, fingerprints: bool = True
) -> tuple[generations.StoredIndex | None, str | None]:
    """The saved index if it can serve ``corpus`` (with ``fingerprints``: unchanged
    files too), else ``None`` and why not; a damaged index is a warning when ``warn``."""
    try:
        stored = generations.load(index_dir)
    except IndexMissingError:
        return None, "no index yet"
    except IndexUnusableError as error:
        if warn:
            log.warning("%s; rebuilding it from %s", error, describe(corpus))
        return None, str(error)
    change = _configuration_change(stored.manifest, corpus, params)
    if change is None and fingerprints and stored.manifest.fingerprint != fingerprint(corpus):
        change = "the corpus changed since the last build"
    return (None, change) if change else (stored, None)


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


def _rebuilt(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params,
    progress: Progress | None,
    reason: str,
    *,
    recheck: bool = True,
    splitter_from: Path | None = None,
) -> OpenedIndex:
    """Build the index once the build lock is held, unless (``recheck``) another
    process built a current one while this one waited for the lock.

    A question still deserves an answer when the index cannot be saved (read-only
    folder, full disk): it is answered from memory this once. Whatever fails, the
    corpus is read and built at most once.
    """
    try:
        with generations.build_lock(index_dir):
            if recheck:
                stored, _ = _usable(corpus, index_dir, params, warn=False)
                if stored is not None:
                    return opened(stored.index, stored.manifest, stored.folder)
            log.info("building the index of %s (%s)", describe(corpus), reason)
            built = _build_locked(corpus, index_dir, params, progress, splitter_from)
    except IndexNotSavedError as error:
        log.warning("%s; answering from memory", error)
        built = error.opened
    except IndexWriteError as error:  # the folder could not even be locked: nothing built yet
        log.warning("%s; answering from memory", error)
        return _in_memory(corpus, params, progress, reason, splitter_from)
    return OpenedIndex(built.index, built.searcher, built.stats, reason)


def _in_memory(
    corpus: Corpus,
    params: BM25Params,
    progress: Progress | None,
    reason: str,
    splitter_from: Path | None = None,
) -> OpenedIndex:
    log.info("building the index of %s in memory (%s)", describe(corpus), reason)
    splitter = incremental.borrowed_splitter(splitter_from)
    result = build_index(corpus, params, progress, splitter=splitter)
    manifest = _manifest(result.index, fingerprint(corpus), result.skipped)
    return opened(result.index, manifest, None, reason)


def _configuration_change(manifest: Manifest, corpus: Corpus, params: BM25Params) -> str | None:
    if manifest.analyzer != ANALYZER_VERSION:
        return "the text analyzer changed"
    if (manifest.k1, manifest.b) != (params.k1, params.b):
        return "the BM25 parameters changed"
    if manifest.corpus != describe(corpus):
        return "the corpus folder changed"
    return None


def _manifest(
    index: SentenceIndex, prints: tuple[CorpusFile, ...], skipped: tuple[Skipped, ...]
) -> Manifest:
    build = index.build
    return Manifest(
        analyzer=ANALYZER_VERSION,
        k1=index.params.k1,
        b=index.params.b,
        corpus=build.corpus,
        built_at=build.built_at,
        build_seconds=build.build_seconds,
        fingerprint=prints,
        skipped=skipped,
    )


def _stats(index: SentenceIndex, manifest: Manifest, folder: Path | None) -> IndexStats:
    return IndexStats(
        documents=len(index.documents),
        sentences=len(index),
        vocabulary=len(index.postings.vocabulary),
        postings=int(index.postings.sentence_ids.shape[0]),
        built_at=index.build.built_at,
        build_seconds=index.build.build_seconds,
        size_bytes=generations.folder_size(folder) if folder is not None else 0,
        corpus=index.build.corpus,
        k1=index.params.k1,
        b=index.params.b,
        skipped=manifest.skipped,
    )
