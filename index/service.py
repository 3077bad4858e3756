"""Opening an index the way users need it: fresh, rebuilt when stale or damaged.

This is the library API the CLI and the bot share. It never reads the
environment: every folder and parameter is an argument.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index import storage
from index.analysis import ANALYZER_VERSION
from index.bm25 import BM25Params
from index.builder import Progress, build_index
from index.corpus import Corpus, describe, fingerprint
from index.records import IndexStats, Skipped
from index.search import SentenceIndex

log = logging.getLogger("qabot.index")


@dataclass(frozen=True, slots=True)
class OpenedIndex:
    """An index ready to search, its figures, and why it was (re)built, if it was."""

    index: SentenceIndex
    stats: IndexStats
    rebuilt_because: str | None = None


def rebuild(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
) -> OpenedIndex:
    """Build from ``corpus`` and atomically replace the index in ``index_dir``.

    Raises ``CorpusError`` or ``EmptyIndexError`` (the old index stays live)
    and ``OSError`` when the new index cannot be written (likewise).
    """
    with storage.build_lock(index_dir):
        prints = fingerprint(corpus)
        result = build_index(corpus, params, progress)
        manifest = _manifest(result.index, params, prints, result.skipped)
        folder = storage.save(
            result.index, index_dir, manifest, {"punkt": result.splitter.to_json()}
        )
        storage.remove_stale(index_dir)
    for item in result.skipped:
        log.warning("skipped %s", item)
    return OpenedIndex(result.index, _stats(result.index, manifest, folder))


def open_index(
    corpus: Corpus,
    index_dir: Path,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
) -> OpenedIndex:
    """The index for ``corpus``: loaded from ``index_dir`` when current, else rebuilt."""
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


def _rebuilt(
    corpus: Corpus, index_dir: Path, params: BM25Params, progress: Progress | None, reason: str
) -> OpenedIndex:
    log.info("building the index of %s (%s)", describe(corpus), reason)
    opened = rebuild(corpus, index_dir, params, progress)
    return OpenedIndex(opened.index, opened.stats, reason)


def _staleness(manifest: dict[str, Any], corpus: Corpus, params: BM25Params) -> str | None:
    if manifest.get("analyzer") != ANALYZER_VERSION:
        return "the text analyzer changed"
    if (manifest.get("k1"), manifest.get("b")) != (params.k1, params.b):
        return "the BM25 parameters changed"
    if manifest.get("corpus") != describe(corpus):
        return "the corpus folder changed"
    if manifest.get("fingerprint") != fingerprint(corpus):
        return "the corpus changed since the last build"
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


def _stats(index: SentenceIndex, manifest: dict[str, Any], folder: Path) -> IndexStats:
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
        size_bytes=storage.folder_size(folder),
        corpus=index.build.corpus,
        k1=index.params.k1,
        b=index.params.b,
        skipped=skipped,
    )
