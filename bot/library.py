"""The bot's view of the indexes: the shared corpus plus one collection per server.

Each server with documents of its own gets one index over the shared corpus and
its collection (ids prefixed ``guild-<id>/``); a server without one, and direct
messages, search the shared index. Indexes are built off the event loop, one
build at a time behind a lock, and swapped in whole: a question asked during a
build is answered from the index that was live when it was asked.

Discord-free: the cogs hand it guild ids and get records back.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.collection_files import removed_files, set_aside, write_new
from bot.refusal import UserFacingError
from index import (
    Answer,
    Corpus,
    CorpusRoot,
    DocumentInfo,
    IndexCorruptError,
    OpenedIndex,
    QabotError,
    Ready,
    SearchThread,
    SemanticIndexes,
    Sentence,
    Skipped,
    corpus_files,
    open_index,
    rebuild_in_child,
    refresh,
    verify_index,
)

Build = Callable[[Corpus, Path], Awaitable[OpenedIndex]]
Refresh = Callable[[Corpus, Path, Ready], Awaitable[OpenedIndex]]
T = TypeVar("T")
ALREADY_GONE = "That article was already removed (someone else removed it just now)."
log = logging.getLogger(__name__)


async def threaded_open(corpus: Corpus, index_dir: Path) -> OpenedIndex:
    """``open_index`` in a worker thread."""
    return _settled(await asyncio.to_thread(open_index, corpus, index_dir))


async def threaded_rebuild(corpus: Corpus, index_dir: Path) -> OpenedIndex:
    """``rebuild`` in a child process (``index.rebuild_in_child``: the build never holds
    this process's GIL), the result loaded in a worker thread."""
    return _settled(await asyncio.to_thread(rebuild_in_child, corpus, index_dir))


async def threaded_refresh(corpus: Corpus, index_dir: Path, ready: Ready) -> OpenedIndex:
    """``refresh`` (read only the files that changed) in a worker thread; ``ready`` is
    called from that thread with the update before it is saved."""
    return _settled(await asyncio.to_thread(refresh, corpus, index_dir, ready=ready))


def _settled(opened: OpenedIndex) -> OpenedIndex:
    """Move what loading created out of the garbage collector's way.

    A full collection walking a large index's objects mid-burst stalls the loop;
    after ``gc.freeze()`` collections skip everything that exists now.
    """
    gc.collect()
    gc.freeze()
    return opened


class LibraryError(UserFacingError):
    """A request the library refuses; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class LibraryPaths:
    """Where the shared corpus, its index, the collections and their indexes live."""

    corpus: Path
    index: Path
    collections: Path
    guild_indexes: Path


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


def guild_prefix(guild_id: int) -> str:
    """The doc-id prefix of one server's collection."""
    return f"guild-{guild_id}/"


class Library:
    """Opens, caches, rebuilds and searches the indexes; see the module docstring.

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
    ) -> None:
        self.paths = paths
        self.searches = searches or SearchThread()
        self.semantic = semantic
        self._open = _attaching(opener, semantic)
        self._build = _attaching(builder, semantic)
        self._refresh = _attaching_refresh(refresher, semantic)
        self._live: dict[int | None, OpenedIndex] = {}
        self._lock = asyncio.Lock()
        self._checks: set[asyncio.Task[None]] = set()
        self._collections: dict[int, bool] = {}

    @property
    def building(self) -> bool:
        """Whether a build (rebuild, add or remove) is running now."""
        return self._lock.locked()

    def collection(self, guild_id: int) -> Path:
        """The folder of one server's own documents."""
        return self.paths.collections / str(guild_id)

    def has_collection(self, guild_id: int | None) -> bool:
        """Whether the server has at least one document file of its own.

        Remembered per server (a question must not walk a folder) and
        refreshed whenever the bot adds or removes a file.
        """
        if guild_id is None:
            return False
        if guild_id not in self._collections:
            folder = self.collection(guild_id)
            self._collections[guild_id] = folder.is_dir() and bool(corpus_files(folder))
        return self._collections[guild_id]

    def corpus(self, key: int | None) -> Corpus:
        """The corpus roots of the index ``key`` (a guild id, or ``None`` for shared)."""
        shared = CorpusRoot(self.paths.corpus)
        if key is None:
            return [shared]
        return [shared, CorpusRoot(self.collection(key), prefix=guild_prefix(key))]

    def index_dir(self, key: int | None) -> Path:
        """The index folder of ``key`` (a guild id, or ``None`` for shared)."""
        return self.paths.index if key is None else self.paths.guild_indexes / f"guild-{key}"

    async def current(self, guild_id: int | None) -> OpenedIndex:
        """The live index for questions asked in ``guild_id`` (``None``: a DM)."""
        key = guild_id if self.has_collection(guild_id) else None
        live = self._live.get(key)
        if live is not None:
            return live
        async with self._lock:
            if key not in self._live:
                self._live[key] = await self._opened(key)
            return self._live[key]

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
            opened = await self._recovered(guild_id, opened, error)
            return opened, await ask(opened)

    async def _opened(self, key: int | None) -> OpenedIndex:
        """Open the index ``key`` (the caller holds the lock); one loaded from disk rather
        than built just now is checksummed in the background (see :meth:`_verified`)."""
        opened = await self._open(self.corpus(key), self.index_dir(key))
        if opened.rebuilt_because is None:
            task = asyncio.get_running_loop().create_task(self._verified(key, opened))
            self._checks.add(task)
            task.add_done_callback(self._checks.discard)
        return opened

    async def checks_done(self) -> None:
        """Wait for the background checksum checks started so far."""
        await asyncio.gather(*self._checks)

    async def _verified(self, key: int | None, opened: OpenedIndex) -> None:
        """Read every file of a loaded index against its checksum, off the event loop: an
        index over 64 MiB gets only structural checks at load. A damaged one is rebuilt."""
        try:
            await asyncio.to_thread(verify_index, self.index_dir(key))
        except IndexCorruptError as error:
            async with self._lock:
                if self._live.get(key) is opened:
                    log.warning("%s; rebuilding the index", error)
                    self._live[key] = await self._build(self.corpus(key), self.index_dir(key))
        except QabotError:  # no index there any more: nothing to check
            pass

    async def _recovered(
        self, guild_id: int | None, damaged: OpenedIndex, error: IndexCorruptError
    ) -> OpenedIndex:
        key = guild_id if self.has_collection(guild_id) else None
        async with self._lock:
            if self._live.get(key) is damaged:  # not yet rebuilt for another question
                log.warning("%s; rebuilding the index", error)
                self._live[key] = await self._build(self.corpus(key), self.index_dir(key))
            return self._live[key]

    def semantic_status(self, guild_id: int | None) -> str | None:
        """How far semantic re-ranking of ``guild_id``'s index is (``None``: switched off)."""
        if self.semantic is None:
            return None
        key = guild_id if self.has_collection(guild_id) else None
        progress = self.semantic.progress(self.index_dir(key))
        return progress.describe() if progress else "semantic re-ranking on: index not loaded yet"

    def close(self) -> None:
        """Stop the search thread once its queue is done, and the embedding workers."""
        self.searches.close()
        if self.semantic is not None:
            # A worker still inside the model when the process exits aborts it: let it
            # finish its chunk (a few seconds at most).
            self.semantic.close(timeout=10)

    async def rebuild_shared(self) -> OpenedIndex:
        """Rebuild the shared index, then every loaded server index (they contain it)."""
        async with self._lock:
            self._collections.clear()
            shared = await self._build(self.corpus(None), self.index_dir(None))
            self._live[None] = shared
            for key in [key for key in self._live if key is not None]:
                if self.has_collection(key):
                    self._live[key] = await self._build(self.corpus(key), self.index_dir(key))
                else:
                    del self._live[key]
            return shared

    async def rebuild_collection(self, guild_id: int) -> OpenedIndex:
        """Rebuild the index of one server's collection (with the shared corpus)."""
        self._collections.pop(guild_id, None)
        if not self.has_collection(guild_id):
            raise LibraryError("This server has no documents of its own yet: add one first.")
        async with self._lock:
            return await self._rebuild_key(guild_id, self._build)

    async def add(self, guild_id: int, name: str, data: bytes) -> Change:
        """Save a checked file into the server's collection and index it."""
        folder = self.collection(guild_id)
        target = folder / name
        async with self._lock:
            if target.exists():
                raise LibraryError(f"This server already has a file named {name}; remove it first.")
            try:
                await asyncio.to_thread(write_new, target, data)
            except OSError as error:
                raise LibraryError(
                    f"I could not save {name} ({error.strerror or error}); nothing was changed."
                ) from error
            try:
                opened = await self._refreshed(guild_id)
            except BaseException:
                await asyncio.to_thread(set_aside, folder, name)
                raise
        return _change(opened, guild_prefix(guild_id) + name)

    async def remove(self, guild_id: int, doc_id: str) -> Change:
        """Set aside the file holding ``doc_id`` (kept in ``.removed``) and reindex.

        A second admin removing the same article meanwhile is told it is already gone.
        """
        document = await self._own_document(guild_id, doc_id)
        relpath = (document.path or "").removeprefix(guild_prefix(guild_id))
        async with self._lock:
            self._collections.pop(guild_id, None)
            if not self.has_collection(guild_id):
                raise LibraryError(ALREADY_GONE)
            before = await self.current_unlocked(guild_id)
            if doc_id not in {doc.doc_id for doc in before.index.documents}:
                raise LibraryError(ALREADY_GONE)
            # A file deleted by hand meanwhile: the refresh below drops its articles.
            with contextlib.suppress(FileNotFoundError):
                await asyncio.to_thread(set_aside, self.collection(guild_id), relpath)
            opened = await self._refreshed(guild_id)
        gone = tuple(d for d in before.index.documents if d.path == document.path)
        return Change(gone, (), opened)

    def removed_files(self, guild_id: int) -> tuple[Path, int]:
        """Where the server's removed files are kept, and how many there are."""
        return removed_files(self.collection(guild_id))

    async def current_unlocked(self, guild_id: int) -> OpenedIndex:
        """The live index of ``guild_id`` for callers already holding the build lock."""
        key = guild_id if self.has_collection(guild_id) else None
        if key not in self._live:
            self._live[key] = await self._opened(key)
        return self._live[key]

    async def own_documents(self, guild_id: int) -> tuple[DocumentInfo, ...]:
        """The documents of the server's own collection (not the shared corpus)."""
        if not self.has_collection(guild_id):
            return ()
        opened = await self.current(guild_id)
        prefix = guild_prefix(guild_id)
        return tuple(doc for doc in opened.index.documents if doc.doc_id.startswith(prefix))

    async def _own_document(self, guild_id: int, doc_id: str) -> DocumentInfo:
        for document in await self.own_documents(guild_id):
            if document.doc_id == doc_id:
                return document
        raise LibraryError("That article is not in this server's collection (see /index list).")

    async def _rebuild_key(self, guild_id: int, build: Build) -> OpenedIndex:
        self._collections.pop(guild_id, None)
        key = guild_id if self.has_collection(guild_id) else None
        if key is None:
            self._live.pop(guild_id, None)
            return await self._current_shared()
        self._live[key] = await build(self.corpus(key), self.index_dir(key))
        return self._live[key]

    @property
    def lock(self) -> asyncio.Lock:
        """The build lock: held by whoever changes files or indexes (see :meth:`refreshed`)."""
        return self._lock

    async def refreshed(self, key: int | None) -> OpenedIndex:
        """Update the index of ``key`` (a guild id, or ``None`` for the shared corpus) for
        its changed files; callers hold :attr:`lock`. The shared corpus is part of every
        server's index, so ``None`` updates the loaded server indexes too."""
        if key is not None:
            return await self._refreshed(key)
        shared = await self._swapped_refresh(None)
        for guild_id in [key for key in self._live if key is not None]:
            await self._refreshed(guild_id)
        return shared

    async def _refreshed(self, guild_id: int) -> OpenedIndex:
        self._collections.pop(guild_id, None)
        if not self.has_collection(guild_id):  # its last file went: it sees the shared index
            self._live.pop(guild_id, None)
            return await self._current_shared()
        return await self._swapped_refresh(guild_id)

    async def _swapped_refresh(self, key: int | None) -> OpenedIndex:
        """Update one index for its changed files. Questions see the update as soon as it
        can answer, while it is still being saved; if the update fails, the index that
        was live before stays live."""
        before = self._live.get(key)
        loop = asyncio.get_running_loop()

        def ready(opened: OpenedIndex) -> None:
            loop.call_soon_threadsafe(self._live.__setitem__, key, opened)

        try:
            opened = await self._refresh(self.corpus(key), self.index_dir(key), ready)
        except BaseException:
            # ``ready`` may already have swapped the failed update in (it ran first).
            self._live.pop(key, None)
            if before is not None:
                self._live[key] = before
            raise
        self._live[key] = opened
        return opened

    async def _current_shared(self) -> OpenedIndex:
        if None not in self._live:
            self._live[None] = await self._opened(None)
        return self._live[None]


def _attaching(build: Build, semantic: SemanticIndexes | None) -> Build:
    """``build``, then semantic re-ranking switched on for the index it opened (its
    embeddings are filled on a worker thread; the searcher uses what is ready)."""
    if semantic is None:
        return build

    async def built(corpus: Corpus, index_dir: Path) -> OpenedIndex:
        opened = await build(corpus, index_dir)
        semantic.attach(opened.searcher, index_dir)
        return opened

    return built


def _attaching_refresh(refresher: Refresh, semantic: SemanticIndexes | None) -> Refresh:
    """``refresher`` with semantic re-ranking switched on for the updates it hands over."""
    if semantic is None:
        return refresher

    async def refreshed(corpus: Corpus, index_dir: Path, ready: Ready) -> OpenedIndex:
        def attached(opened: OpenedIndex) -> None:
            semantic.attach(opened.searcher, index_dir)
            ready(opened)

        opened = await refresher(corpus, index_dir, attached)
        semantic.attach(opened.searcher, index_dir)
        return opened

    return refreshed


def _change(opened: OpenedIndex, path: str) -> Change:
    documents = tuple(doc for doc in opened.index.documents if doc.path == path)
    skipped = tuple(item for item in opened.stats.skipped if item.path == path)
    return Change(documents, skipped, opened)
