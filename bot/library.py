"""The bot's view of the indexes: one shared index, and one small index per server.

A server with documents of its own gets an index over those documents only (ids
prefixed ``guild-<id>/``, sentences split as the shared corpus's), searched beside
the shared index as one index over both would be (``index.combined``): a server
costs its own documents, and a rebuild of the shared corpus reaches every server
as soon as it is swapped in. A server without documents, and direct messages,
search the shared index. Indexes are built off the event loop, one build at a
time behind a lock, and swapped in whole: a question asked during a build is
answered from the index that was live when it was asked.

This module is what the cogs call: questions, and the changes admins make. Where
each index lives and who may write it is ``bot.index_layout``; keeping the
indexes loaded, swapping, checking and repairing them is ``bot.live_indexes``;
how an index is opened, rebuilt or refreshed off the loop is ``bot.index_builds``.
Several processes may share the data folder, each running some Discord shards
(``bot.shards``). Discord-free: the cogs hand it guild ids and get records back.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.collection_files import removed_files, set_aside, write_new
from bot.index_builds import (
    Build,
    Builds,
    Refresh,
    threaded_open,
    threaded_rebuild,
    threaded_refresh,
)
from bot.index_layout import IndexLayout, LibraryError, LibraryPaths, guild_prefix
from bot.live_indexes import LiveIndexes
from bot.shards import Shards
from index import (
    Answer,
    DocumentInfo,
    IndexCorruptError,
    OpenedIndex,
    SearchThread,
    SemanticIndexes,
    Sentence,
    Skipped,
)

T = TypeVar("T")
ALREADY_GONE = "That article was already removed (someone else removed it just now)."


@dataclass(frozen=True, slots=True)
class Found:
    """An answer, how many articles were searched and how long it took."""

    answer: Answer
    documents: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Change:
    """What adding or removing a file did: the documents concerned and the new index."""

    documents: tuple[DocumentInfo, ...]
    skipped: tuple[Skipped, ...]
    opened: OpenedIndex


class Library:
    """Searches and changes the indexes; see the module docstring.

    Every search runs on ``searches``: one search thread competes with the event
    loop for the GIL, where the default executor's several threads kept the loop
    waiting tens of milliseconds in a burst of questions (``bench/loop_lag.py``).
    """

    def __init__(
        self,
        paths: LibraryPaths,
        *,
        searches: SearchThread | None = None,
        opener: Build = threaded_open,
        builder: Build = threaded_rebuild,
        refresher: Refresh = threaded_refresh,
        semantic: SemanticIndexes | None = None,
        shards: Shards | None = None,
    ) -> None:
        self.paths = paths
        self.shards = shards
        self.layout = IndexLayout(paths, shards)
        self.searches = searches or SearchThread()
        self.semantic = semantic
        builds = Builds.attached(opener, builder, refresher, semantic)
        self.live = LiveIndexes(self.layout, builds, semantic)

    @property
    def building(self) -> bool:
        """Whether a build (rebuild, add or remove) is running now."""
        return self.lock.locked()

    @property
    def lock(self) -> asyncio.Lock:
        """The build lock: held by whoever changes files or indexes (see :meth:`refreshed`)."""
        return self.live.lock

    async def current(self, guild_id: int | None) -> OpenedIndex:
        """The live index for questions asked in ``guild_id`` (``None``: a DM): the shared
        one, or the server's own beside it."""
        return await self.live.current(guild_id)

    async def current_unlocked(self, guild_id: int | None) -> OpenedIndex:
        """The live index of ``guild_id`` for callers already holding the build lock."""
        return await self.live.current_unlocked(guild_id)

    async def checks_done(self) -> None:
        """Wait for the background checksum checks started so far."""
        await self.live.checks_done()

    async def search(
        self,
        guild_id: int | None,
        question: str,
        k: int,
        doc_id: str | None = None,
        offset: int = 0,
    ) -> Found:
        """The best ``k`` sentences for ``question`` in what ``guild_id`` may see now,
        after skipping ``offset`` of them (the pages of an answer)."""
        started = time.perf_counter()

        async def ask(opened: OpenedIndex) -> Answer:
            return await self.searches.search(
                opened.searcher, question, k, doc_id=doc_id, offset=offset
            )

        opened, answer = await self._answered(guild_id, ask)
        return Found(answer, opened.stats.documents, time.perf_counter() - started)

    async def context(
        self, guild_id: int | None, sentence: Sentence, around: int = 2
    ) -> list[Sentence]:
        """``sentence`` and up to ``around`` sentences either side, from the live index:
        empty when its article is no longer there (removed since it was quoted)."""

        async def neighbours(opened: OpenedIndex) -> list[Sentence]:
            return opened.searcher.context_of(sentence, around, around)

        return (await self._answered(guild_id, neighbours))[1]

    async def _answered(
        self, guild_id: int | None, ask: Callable[[OpenedIndex], Awaitable[T]]
    ) -> tuple[OpenedIndex, T]:
        """``ask`` the live index; should a sentence it quotes turn out damaged (a large
        index is not checksummed at load), rebuild that index once and ask again."""
        opened = await self.current(guild_id)
        try:
            return opened, await ask(opened)
        except IndexCorruptError as error:
            opened = await self.live.recovered(guild_id, opened, error)
            return opened, await ask(opened)

    def semantic_status(self, guild_id: int | None) -> str | None:
        """How far semantic re-ranking of ``guild_id``'s index is (``None``: switched off)."""
        if self.semantic is None:
            return None
        index_dir = self.layout.index_dir(self.layout.key_of(guild_id))
        progress = self.semantic.progress(index_dir)
        return progress.describe() if progress else "semantic re-ranking on: index not loaded yet"

    def close(self) -> None:
        """Stop the search thread once its queue is done, and the embedding workers."""
        self.searches.close()
        if self.semantic is not None:
            # A worker still inside the model when the process exits aborts it: let it
            # finish its chunk (a few seconds at most).
            self.semantic.close(timeout=10)

    async def rebuild_shared(self) -> OpenedIndex:
        """Rebuild the shared index. Every server searches it from its next question on:
        a server's own index holds its documents only, so none is rebuilt."""
        self.layout.check_writes(None)
        async with self.lock:
            self.layout.forget()
            return await self.live.rebuilt_shared()

    async def rebuild_collection(self, guild_id: int) -> OpenedIndex:
        """Rebuild the index of one server's own documents."""
        self.layout.check_writes(guild_id)
        self.layout.forget(guild_id)
        if not self.layout.has_collection(guild_id):
            raise LibraryError("This server has no documents of its own yet: add one first.")
        async with self.lock:
            return await self.live.rebuilt_collection(guild_id)

    async def add(self, guild_id: int, name: str, data: bytes) -> Change:
        """Save a checked file into the server's collection and index it."""
        self.layout.check_writes(guild_id)
        folder = self.layout.collection(guild_id)
        async with self.lock:
            if (folder / name).exists():
                raise LibraryError(f"This server already has a file named {name}; remove it first.")
            await _saved(folder, name, data)
            try:
                own, opened = await self.live.refreshed_collection(guild_id)
            except BaseException:
                await asyncio.to_thread(set_aside, folder, name)
                raise
        return _change(own, opened, guild_prefix(guild_id) + name)

    async def remove(self, guild_id: int, doc_id: str) -> Change:
        """Set aside the file holding ``doc_id`` (kept in ``.removed``) and reindex.

        A second admin removing the same article meanwhile is told it is already gone.
        """
        self.layout.check_writes(guild_id)
        document = await self._own_document(guild_id, doc_id)
        relpath = (document.path or "").removeprefix(guild_prefix(guild_id))
        async with self.lock:
            before = await self._still_there(guild_id, doc_id)
            # A file deleted by hand meanwhile: the refresh below drops its articles.
            with contextlib.suppress(FileNotFoundError):
                await asyncio.to_thread(set_aside, self.layout.collection(guild_id), relpath)
            _, opened = await self.live.refreshed_collection(guild_id)
        gone = tuple(d for d in before.index.documents if d.path == document.path)
        return Change(gone, (), opened)

    async def _still_there(self, guild_id: int, doc_id: str) -> OpenedIndex:
        """The live index of the server, which must still hold ``doc_id`` (the caller
        holds the lock: another admin may have removed it while this one waited)."""
        self.layout.forget(guild_id)
        if not self.layout.has_collection(guild_id):
            raise LibraryError(ALREADY_GONE)
        before = await self.current_unlocked(guild_id)
        if doc_id not in {doc.doc_id for doc in before.index.documents}:
            raise LibraryError(ALREADY_GONE)
        return before

    def removed_files(self, guild_id: int) -> tuple[Path, int]:
        """Where the server's removed files are kept, and how many there are."""
        return removed_files(self.layout.collection(guild_id))

    async def own_documents(self, guild_id: int) -> tuple[DocumentInfo, ...]:
        """The documents of the server's own collection (not the shared corpus)."""
        if not self.layout.has_collection(guild_id):
            return ()
        opened = await self.current(guild_id)
        prefix = guild_prefix(guild_id)
        return tuple(doc for doc in opened.index.documents if doc.doc_id.startswith(prefix))

    async def _own_document(self, guild_id: int, doc_id: str) -> DocumentInfo:
        for document in await self.own_documents(guild_id):
            if document.doc_id == doc_id:
                return document
        raise LibraryError("That article is not in this server's collection (see /index list).")

    async def refreshed(self, key: int | None) -> OpenedIndex:
        """Update the index of ``key`` (a guild id, or ``None`` for the shared corpus) for
        its changed files; callers hold :attr:`lock`. Returns what questions in ``key``
        now search: a server searches the shared index beside its own, so an update of
        the shared corpus reaches every server at once."""
        self.layout.check_writes(key)
        if key is not None:
            return (await self.live.refreshed_collection(key))[1]
        return await self.live.swapped_refresh(None)


async def _saved(folder: Path, name: str, data: bytes) -> None:
    """Write a new collection file off the loop; a disk that refuses is told to the user."""
    try:
        await asyncio.to_thread(write_new, folder / name, data)
    except OSError as error:
        raise LibraryError(
            f"I could not save {name} ({error.strerror or error}); nothing was changed."
        ) from error


def _change(own: OpenedIndex, opened: OpenedIndex, path: str) -> Change:
    documents = tuple(doc for doc in own.index.documents if doc.path == path)
    skipped = tuple(item for item in own.stats.skipped if item.path == path)
    return Change(documents, skipped, opened)
