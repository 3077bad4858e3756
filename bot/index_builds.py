"""How the bot opens, rebuilds and refreshes an index: off the event loop, then settled.

Each is a coroutine with one signature (:data:`Build`, :data:`Refresh`) so the
library can take fakes in tests. Opening and refreshing run in a worker thread; a
rebuild runs in a child process, whose build never holds this process's GIL.
Whatever loading created is then moved out of the garbage collector's way, and,
with semantic re-ranking on, every index they hand over gets its embeddings
attached.
"""

from __future__ import annotations

import asyncio
import functools
import gc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from index import (
    Corpus,
    OpenedIndex,
    Ready,
    SemanticIndexes,
    open_index,
    rebuild_in_child,
    refresh,
)

Build = Callable[..., Awaitable[OpenedIndex]]
"""``(corpus, index_dir, *, splitter_from=None)``: an index opened or rebuilt."""
Refresh = Callable[..., Awaitable[OpenedIndex]]
"""``(corpus, index_dir, ready, *, splitter_from=None)``: an index refreshed."""


async def threaded_open(
    corpus: Corpus, index_dir: Path, *, splitter_from: Path | None = None
) -> OpenedIndex:
    """``open_index`` in a worker thread."""
    opened = await asyncio.to_thread(open_index, corpus, index_dir, splitter_from=splitter_from)
    return settled(opened)


async def threaded_rebuild(
    corpus: Corpus, index_dir: Path, *, splitter_from: Path | None = None
) -> OpenedIndex:
    """``rebuild`` in a child process (``index.rebuild_in_child``: the build never holds
    this process's GIL), the result loaded in a worker thread."""
    build = functools.partial(rebuild_in_child, splitter_from=splitter_from)
    return settled(await asyncio.to_thread(build, corpus, index_dir))


async def threaded_refresh(
    corpus: Corpus, index_dir: Path, ready: Ready, *, splitter_from: Path | None = None
) -> OpenedIndex:
    """``refresh`` (read only the files that changed) in a worker thread; ``ready`` is
    called from that thread with the update before it is saved."""
    update = functools.partial(refresh, ready=ready, splitter_from=splitter_from)
    return settled(await asyncio.to_thread(update, corpus, index_dir))


def settled(opened: OpenedIndex) -> OpenedIndex:
    """Move what loading created out of the garbage collector's way.

    A full collection walking a large index's objects mid-burst stalls the loop;
    after ``gc.freeze()`` collections skip everything that exists now.
    """
    gc.collect()
    gc.freeze()
    return opened


def attaching(build: Build, semantic: SemanticIndexes | None) -> Build:
    """``build``, then semantic re-ranking switched on for the index it opened (its
    embeddings are filled on a worker thread; the searcher uses what is ready)."""
    if semantic is None:
        return build

    async def built(corpus: Corpus, index_dir: Path, **options: Path) -> OpenedIndex:
        opened = await build(corpus, index_dir, **options)
        semantic.attach(opened.searcher, index_dir)
        return opened

    return built


def attaching_refresh(refresher: Refresh, semantic: SemanticIndexes | None) -> Refresh:
    """``refresher`` with semantic re-ranking switched on for the updates it hands over."""
    if semantic is None:
        return refresher

    async def refreshed(
        corpus: Corpus, index_dir: Path, ready: Ready, **options: Path
    ) -> OpenedIndex:
        def attached(opened: OpenedIndex) -> None:
            semantic.attach(opened.searcher, index_dir)
            ready(opened)

        opened = await refresher(corpus, index_dir, attached, **options)
        semantic.attach(opened.searcher, index_dir)
        return opened

    return refreshed


@dataclass(frozen=True, slots=True)
class Builds:
    """The three ways the library gets an index: opened, rebuilt, refreshed."""

    open: Build
    rebuild: Build
    refresh: Refresh

    @classmethod
    def attached(
        cls, opener: Build, builder: Build, refresher: Refresh, semantic: SemanticIndexes | None
    ) -> Builds:
        """The three, each switching semantic re-ranking on for what it hands over."""
        return cls(
            attaching(opener, semantic),
            attaching(builder, semantic),
            attaching_refresh(refresher, semantic),
        )
