"""Rebuilding an index from its corpus: once, under the build lock, swapped in whole.

Everything a build needs (reading and splitting every article with Punkt, the
builder, segments for a large corpus) is imported here and nowhere on the way of a
question: ``index.service.opening`` imports this module only when an index is
missing, stale or damaged. A build writes a new generation and only then makes it
current, so a failed build leaves the previous index live; an index that was built
but cannot be saved still answers, from memory.
"""

from __future__ import annotations

import logging
from pathlib import Path

from index.articles.corpus import Corpus, CorpusFile, describe, fingerprint
from index.errors import IndexCorruptError, IndexWriteError
from index.ranking.bm25 import BM25Params
from index.records import Skipped
from index.service.opened_index import IndexNotSavedError, OpenedIndex, opened
from index.service.opening import usable
from index.storage import generation_writer, generations, incremental, segments
from index.storage.builder import Progress, build_index
from index.storage.index_folder import check_outside_corpus
from index.storage.manifest import Manifest
from index.storage.sentence_index import SentenceIndex
from index.terms.analysis import ANALYZER_VERSION

log = logging.getLogger(__name__)


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


def recover(
    corpus: Corpus, index_dir: Path, error: IndexCorruptError, params: BM25Params = BM25Params()
) -> OpenedIndex:
    """The index rebuilt after ``error`` showed it damaged while answering (a sentence
    text that is not UTF-8 in an index too large to checksum at load)."""
    log.warning("%s; rebuilding the index from %s", error, describe(corpus))
    return rebuilt(corpus, index_dir, params, None, str(error), recheck=False)


def rebuilt(
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
                stored, _ = usable(corpus, index_dir, params, warn=False)
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
        folder = generation_writer.save(result.index, index_dir, manifest, punkt)
    except IndexWriteError as error:
        raise IndexNotSavedError(error, opened(result.index, manifest, None)) from error
    generations.remove_stale(index_dir)
    for item in result.skipped:
        log.warning("skipped %s", item)
    return opened(result.index, manifest, folder)


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
