"""What opening, rebuilding or updating an index hands back: an :class:`OpenedIndex`.

Kept apart from the functions that make one (``opening``, ``rebuilding``,
``updating``): code that only holds or passes an opened index (the bot, the search
thread, followers, the command line's type hints) then imports none of the build
machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.errors import IndexWriteError
from index.records import IndexStats
from index.service.searcher import Searcher
from index.storage.generations import folder_size
from index.storage.manifest import Manifest
from index.storage.sentence_index import SentenceIndex


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
    """``index`` with a searcher made for it and its figures (``folder``: where it is
    saved, ``None`` for an index held in memory only)."""
    return OpenedIndex(index, Searcher(index), _stats(index, manifest, folder), reason)


def _stats(index: SentenceIndex, manifest: Manifest, folder: Path | None) -> IndexStats:
    return IndexStats(
        documents=len(index.documents),
        sentences=len(index),
        vocabulary=len(index.postings.vocabulary),
        postings=int(index.postings.sentence_ids.shape[0]),
        built_at=index.build.built_at,
        build_seconds=index.build.build_seconds,
        size_bytes=folder_size(folder) if folder is not None else 0,
        corpus=index.build.corpus,
        k1=index.params.k1,
        b=index.params.b,
        skipped=manifest.skipped,
    )
