"""Opening an index the way users need it: fresh, rebuilt when stale or damaged.

This is the library API the CLI and the bot share. It never reads the
environment: every folder and parameter is an argument.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.articles.corpus import Corpus, describe, fingerprint
from index.ranking import kernels
from index.ranking.bm25 import BM25Params, EmptyIndexError
from index.records import Document, IndexStats, Skipped
from index.service.searcher import SentenceIndex
from index.storage import generations as storage
from index.storage import incremental
from index.storage.builder import Progress, build_index
from index.storage.updates import without_documents
from index.terms import spelling
from index.terms.analysis import ANALYZER_VERSION

log = logging.getLogger("qabot.index")


@dataclass(frozen=True, slots=True)
class OpenedIndex:
    """An index ready to search, its figures, and why it was (re)built, if it was."""

    index: SentenceIndex
    stats: IndexStats
    rebuilt_because: str | None = None


Ready = Callable[[OpenedIndex], None]
"""Called from the updating thread with an updated index, before it is saved."""


class IndexNotSavedError(OSError):
    """The index was built but could not be written; ``opened`` holds it in memory."""

    def __init__(self, error: OSError, opened: OpenedIndex) -> None:
        super().__init__(error.errno, error.strerror or str(error), error.filename)
        self.opened = opened


def rebuild(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
) -> OpenedIndex:
    """Build from ``corpus`` and atomically replace the index in ``index_dir``.

    Raises ``CorpusError`` or ``EmptyIndexError`` (the old index stays live)
    and ``OSError`` when the new index cannot be written (likewise); when it was
    built but not saved, that is an :class:`IndexNotSavedError` holding it.
    """
    with storage.build_lock(index_dir):
        prints = fingerprint(corpus)
        result = build_index(corpus, params, progress)
        manifest = _manifest(result.index, params, prints, result.skipped)
        try:
            folder = storage.save(
                result.index, index_dir, manifest, {"punkt": result.splitter.to_json()}
            )
        except OSError as error:
            built = OpenedIndex(result.index, _stats(result.index, manifest, None))
            raise IndexNotSavedError(error, built) from error
        storage.remove_stale(index_dir)
    for item in result.skipped:
        log.warning("skipped %s", item)
    return OpenedIndex(result.index, _stats(result.index, manifest, folder))


def warm_up() -> None:
    """Load everything a first question would otherwise wait for: the compiled kernels and
    the spelling word lists. Once per process; call it off the event loop."""
    kernels.warm_up()
    spelling.warm_up()


def open_index(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    *,
    warm: bool = True,
) -> OpenedIndex:
    """The index for ``corpus``: loaded from ``index_dir`` when current, else rebuilt.

    With ``warm`` it also runs :func:`warm_up`, so the first question does not wait; a
    command that asks one question passes ``False`` and loads only what that question needs.
    """
    if warm:
        warm_up()
    try:
        stored = storage.load(index_dir)
    except storage.IndexMissingError:
        return _rebuilt(corpus, index_dir, params, progress, "no index yet")
    except storage.IndexCorruptError as error:
        log.warning("%s; rebuilding it from %s", error, describe(corpus))
        return _rebuilt(corpus, index_dir, params, progress, str(error))
    reason = _staleness(stored.manifest, corpus, params)
    if reason is not None:
        return _rebuilt(corpus, index_dir, params, progress, reason)
    return OpenedIndex(stored.index, _stats(stored.index, stored.manifest, stored.folder))


def refresh(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    ready: Ready | None = None,
) -> OpenedIndex:
    """The index for ``corpus``, updated by reading only the files that changed.

    Documents of changed or deleted files are dropped and new or changed files
    read, split and analysed; the rest is left as it is. Falls back to a full
    rebuild (``rebuilt_because`` says why) when there is no usable index or the
    analyzer, BM25 parameters or corpus folders changed. Raises like :func:`rebuild`.
    An update is handed to ``ready`` as soon as it can answer, before it is saved.
    """
    with storage.build_lock(index_dir):
        stored, reason = _current(corpus, index_dir, params)
        if stored is not None:
            return _updated(corpus, index_dir, stored, ready)
    return _rebuilt(corpus, index_dir, params, progress, reason or "no usable index")


def add_documents(
    index_dir: Path, documents: Sequence[Document], ready: Ready | None = None
) -> OpenedIndex:
    """Add parsed ``documents`` to the saved index without re-analysing the others.

    Documents whose id is already indexed are skipped (listed in the stats).
    Raises ``IndexMissingError``/``IndexCorruptError`` when there is no index to add to.
    ``ready`` gets the new index before it is saved (see :func:`refresh`).
    """
    with storage.build_lock(index_dir):
        stored = storage.load(index_dir)
        changes = incremental.Changes(frozenset(), tuple(documents), ())
        index, skipped = incremental.apply_changes(
            stored.index, changes, incremental.stored_splitter(stored)
        )
        return _saved(stored, index, index_dir, _skipped_entry(stored, skipped), ready)


def remove_documents(
    index_dir: Path, doc_ids: Collection[str], ready: Ready | None = None
) -> OpenedIndex:
    """Remove the documents ``doc_ids`` from the saved index (unknown ids are ignored).

    Raises ``IndexMissingError``/``IndexCorruptError``, and ``EmptyIndexError`` when
    nothing would be left (the index stays as it was). ``ready`` as for :func:`refresh`.
    """
    with storage.build_lock(index_dir):
        stored = storage.load(index_dir)
        index = without_documents(stored.index, frozenset(doc_ids))
        if len(index.table) == 0:
            raise EmptyIndexError("removing these documents would leave no sentence")
        return _saved(stored, index, index_dir, {}, ready)


def _saved(
    stored: storage.StoredIndex,
    index: SentenceIndex,
    index_dir: Path,
    manifest_changes: dict[str, Any],
    ready: Ready | None,
) -> OpenedIndex:
    """Save ``index`` as the generation after ``stored``; ``ready`` gets it first.

    Writing and syncing a million sentences' files takes about a second; the
    update can answer from memory meanwhile. Should the save fail, the caller
    hears of it (the error propagates) and the files on disk are the old ones.
    """
    if ready is not None:
        ready(OpenedIndex(index, _stats(index, {**stored.manifest, **manifest_changes}, None)))
    saved = incremental.save_update(stored, index, index_dir, manifest_changes)
    return OpenedIndex(saved.index, _stats(saved.index, saved.manifest, saved.folder))


def _skipped_entry(stored: storage.StoredIndex, skipped: tuple[Skipped, ...]) -> dict[str, Any]:
    if not skipped:
        return {}
    return {"skipped": incremental.merged_skipped(stored.manifest, (), skipped)}


def _current(
    corpus: Corpus, index_dir: Path, params: BM25Params
) -> tuple[storage.StoredIndex | None, str | None]:
    try:
        stored = storage.load(index_dir)
    except storage.IndexMissingError:
        return None, "no index yet"
    except storage.IndexCorruptError as error:
        return None, str(error)
    reason = _configuration_change(stored.manifest, corpus, params)
    return (None, reason) if reason else (stored, None)


def _updated(
    corpus: Corpus, index_dir: Path, stored: storage.StoredIndex, ready: Ready | None
) -> OpenedIndex:
    prints = fingerprint(corpus)
    paths = incremental.changed_paths(stored.manifest.get("fingerprint", []), prints)
    if not paths:
        return OpenedIndex(stored.index, _stats(stored.index, stored.manifest, stored.folder))
    changes = incremental.read_changes(corpus, paths)
    index, skipped = incremental.apply_changes(
        stored.index, changes, incremental.stored_splitter(stored)
    )
    if len(index.table) == 0:
        raise EmptyIndexError(f"no sentences left in {describe(corpus)}")
    for item in skipped:
        log.warning("skipped %s", item)
    listed = incremental.merged_skipped(stored.manifest, paths, skipped)
    return _saved(stored, index, index_dir, {"fingerprint": prints, "skipped": listed}, ready)


def _rebuilt(
    corpus: Corpus, index_dir: Path, params: BM25Params, progress: Progress | None, reason: str
) -> OpenedIndex:
    log.info("building the index of %s (%s)", describe(corpus), reason)
    # A question still deserves an answer when the index cannot be saved
    # (read-only folder, full disk): it is answered from memory this once.
    try:
        opened = rebuild(corpus, index_dir, params, progress)
    except IndexNotSavedError as error:
        log.warning("cannot save the index in %s (%s); answering from memory", index_dir, error)
        opened = error.opened
    except OSError as error:  # the folder could not even be locked: nothing was built yet
        log.warning("cannot save the index in %s (%s); answering from memory", index_dir, error)
        return _in_memory(corpus, params, progress, reason)
    return OpenedIndex(opened.index, opened.stats, reason)


def _in_memory(
    corpus: Corpus, params: BM25Params, progress: Progress | None, reason: str
) -> OpenedIndex:
    result = build_index(corpus, params, progress)
    manifest = _manifest(result.index, params, fingerprint(corpus), result.skipped)
    return OpenedIndex(result.index, _stats(result.index, manifest, None), reason)


def _staleness(manifest: dict[str, Any], corpus: Corpus, params: BM25Params) -> str | None:
    reason = _configuration_change(manifest, corpus, params)
    if reason is None and manifest.get("fingerprint") != fingerprint(corpus):
        return "the corpus changed since the last build"
    return reason


def _configuration_change(
    manifest: dict[str, Any], corpus: Corpus, params: BM25Params
) -> str | None:
    if manifest.get("analyzer") != ANALYZER_VERSION:
        return "the text analyzer changed"
    if (manifest.get("k1"), manifest.get("b")) != (params.k1, params.b):
        return "the BM25 parameters changed"
    if manifest.get("corpus") != describe(corpus):
        return "the corpus folder changed"
    return None


def _manifest(
    index: SentenceIndex,
    params: BM25Params,
    prints: list[list[object]],
    skipped: tuple[Skipped, ...],
) -> dict[str, Any]:
    return {
        "analyzer": ANALYZER_VERSION,
        "k1": params.k1,
        "b": params.b,
        "corpus": index.build.corpus,
        "built_at": index.build.built_at,
        "build_seconds": round(index.build.build_seconds, 3),
        "fingerprint": prints,
        "skipped": [{"path": s.path, "reason": s.reason, "line": s.line} for s in skipped],
    }


def _stats(index: SentenceIndex, manifest: dict[str, Any], folder: Path | None) -> IndexStats:
    skipped = tuple(
        Skipped(s["path"], s["reason"], s.get("line")) for s in manifest.get("skipped", [])
    )
    return IndexStats(
        documents=len(index.documents),
        sentences=len(index.table),
        vocabulary=len(index.postings.vocabulary),
        postings=int(index.postings.sentence_ids.shape[0]),
        built_at=index.build.built_at,
        build_seconds=index.build.build_seconds,
        size_bytes=storage.folder_size(folder) if folder is not None else 0,
        corpus=index.build.corpus,
        k1=index.params.k1,
        b=index.params.b,
        skipped=skipped,
    )
