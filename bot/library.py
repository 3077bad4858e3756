"""The bot's view of the indexes: one shared index, and one small index per server.

A server with documents of its own gets an index over those documents only (ids
prefixed ``guild-<id>/``, sentences split as the shared corpus's), searched beside
the shared index as one index over both would be (``index.combined``): a server
costs its own documents, and a rebuild of the shared corpus reaches every server
as soon as it is swapped in. A server without documents, and direct messages,
search the shared index. Indexes are built off the event loop, one build at a
time behind a lock, and swapped in whole: a question asked during a build is
answered from the index that was live when it was asked.

Several processes may share the data folder, each running some Discord shards
(``bot.shards``): the one running shard 0 writes the shared index and the others
follow it (``index.IndexFollower``); each server's index is written by the
process running its shard.

Discord-free: the cogs hand it guild ids and get records back.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.collection_files import removed_files, set_aside, write_new
from bot.refusal import UserFacingError
from bot.shards import Shards
from index import (
    Answer,
    Corpus,
    CorpusRoot,
    DocumentInfo,
    IndexCorruptError,
    IndexFollower,
    OpenedIndex,
    QabotError,
    Ready,
    SearchThread,
    SemanticIndexes,
    Sentence,
    Skipped,
    combined,
    corpus_files,
    open_index,
    rebuild_in_child,
    refresh,
    verify_index,
)

Build = Callable[..., Awaitable[OpenedIndex]]
"""``(corpus, index_dir, *, splitter_from=None)``: an index opened or rebuilt."""
Refresh = Callable[..., Awaitable[OpenedIndex]]
"""``(corpus, index_dir, ready, *, splitter_from=None)``: an index refreshed."""
T = TypeVar("T")
ALREADY_GONE = "That article was already removed (someone else removed it just now)."
log = logging.getLogger(__name__)


async def threaded_open(
    corpus: Corpus, index_dir: Path, *, splitter_from: Path | None = None
) -> OpenedIndex:
    """``open_index`` in a worker thread."""
    opened = await asyncio.to_thread(open_index, corpus, index_dir, splitter_from=splitter_from)
    return _settled(opened)


async def threaded_rebuild(
    corpus: Corpus, index_dir: Path, *, splitter_from: Path | None = None
) -> OpenedIndex:
    """``rebuild`` in a child process (``index.rebuild_in_child``: the build never holds
    this process's GIL), the result loaded in a worker thread."""
    build = functools.partial(rebuild_in_child, splitter_from=splitter_from)
    return _settled(await asyncio.to_thread(build, corpus, index_dir))


async def threaded_refresh(
    corpus: Corpus, index_dir: Path, ready: Ready, *, splitter_from: Path | None = None
) -> OpenedIndex:
    """``refresh`` (read only the files that changed) in a worker thread; ``ready`` is
    called from that thread with the update before it is saved."""
    update = functools.partial(refresh, ready=ready, splitter_from=splitter_from)
    return _settled(await asyncio.to_thread(update, corpus, index_dir))


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
        shards: Shards | None = None,
    ) -> None:
        self.paths = paths
        self.shards = shards
        # Unless this process writes the shared index, it follows the writer's.
        self._follower = (
            None if shards is None or shards.writes_shared else IndexFollower(paths.index)
        )
        self.searches = searches or SearchThread()
        self.semantic = semantic
        self._open = _attaching(opener, semantic)
        self._build = _attaching(builder, semantic)
        self._refresh = _attaching_refresh(refresher, semantic)
        # The shared index (key ``None``) and each server's own index.
        self._live: dict[int | None, OpenedIndex] = {}
        # What each server searches, made from the two indexes it was made for.
        self._views: dict[int, tuple[OpenedIndex, OpenedIndex, OpenedIndex]] = {}
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
        if key is None:
            return [CorpusRoot(self.paths.corpus)]
        return [CorpusRoot(self.collection(key), prefix=guild_prefix(key))]

    def index_dir(self, key: int | None) -> Path:
        """The index folder of ``key`` (a guild id, or ``None`` for shared)."""
        return self.paths.index if key is None else self.paths.guild_indexes / f"guild-{key}"

    def _options(self, key: int | None) -> dict[str, Path]:
        """A server's index splits sentences as the shared index does."""
        return {} if key is None else {"splitter_from": self.index_dir(None)}

    def owns(self, key: int | None) -> bool:
        """Whether this process may write the index of ``key`` (``None``: the shared one)."""
        if self.shards is None:
            return True
        return self.shards.writes_shared if key is None else self.shards.owns(key)

    def _check_writes(self, key: int | None) -> None:
        if not self.owns(key):
            whose = "the shared corpus" if key is None else "this server"
            raise LibraryError(
                f"This bot process only reads {whose}: the process running "
                f"{'shard 0' if key is None else 'its shard'} updates it."
            )

    async def current(self, guild_id: int | None) -> OpenedIndex:
        """The live index for questions asked in ``guild_id`` (``None``: a DM): the shared
        one, or the server's own beside it."""
        key = guild_id if self.has_collection(guild_id) else None
        if self._follower is not None and self._follower.changed():
            await self._follow()
        view = self._view(key)
        if view is not None:
            return view
        async with self._lock:
            return await self.current_unlocked(guild_id)

    def _view(self, key: int | None) -> OpenedIndex | None:
        """What questions in ``key`` search, if everything it needs is loaded."""
        shared, own = self._live.get(None), self._live.get(key) if key is not None else None
        if shared is None or key is None:
            return shared
        if own is None:
            return None
        cached = self._views.get(key)
        if cached is None or cached[0] is not shared or cached[1] is not own:
            cached = (shared, own, combined(shared, own))
            self._views[key] = cached
        return cached[2]

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
        opened = await self._open(self.corpus(key), self.index_dir(key), **self._options(key))
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
                    self._live[key] = await self._rebuilt(key)
        except QabotError:  # no index there any more: nothing to check
            pass

    async def _recovered(
        self, guild_id: int | None, damaged: OpenedIndex, error: IndexCorruptError
    ) -> OpenedIndex:
        """Rebuild the index a damaged answer came from, unless it was replaced meanwhile:
        a server's own index when it fails its checksums, else the shared one (which
        only the process writing it rebuilds)."""
        key = guild_id if self.has_collection(guild_id) else None
        async with self._lock:
            if damaged is self._view(key):
                part = key if key is not None and not await self._intact(key) else None
                if not self.owns(part):
                    raise error
                log.warning("%s; rebuilding the index", error)
                self._live[part] = await self._rebuilt(part)
            return await self.current_unlocked(guild_id)

    async def _intact(self, key: int | None) -> bool:
        """Whether the index of ``key`` on disk passes its checksums (read in a thread)."""
        try:
            await asyncio.to_thread(verify_index, self.index_dir(key))
        except QabotError:
            return False
        return True

    async def _rebuilt(self, key: int | None) -> OpenedIndex:
        return await self._build(self.corpus(key), self.index_dir(key), **self._options(key))

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
        """Rebuild the shared index. Every server searches it from its next question on:
        a server's own index holds its documents only, so none is rebuilt."""
        self._check_writes(None)
        async with self._lock:
            self._collections.clear()
            shared = await self._rebuilt(None)
            self._live[None] = shared
            return shared

    async def rebuild_collection(self, guild_id: int) -> OpenedIndex:
        """Rebuild the index of one server's own documents."""
        self._check_writes(guild_id)
        self._collections.pop(guild_id, None)
        if not self.has_collection(guild_id):
            raise LibraryError("This server has no documents of its own yet: add one first.")
        async with self._lock:
            return await self._rebuild_key(guild_id, self._build)

    async def add(self, guild_id: int, name: str, data: bytes) -> Change:
        """Save a checked file into the server's collection and index it."""
        self._check_writes(guild_id)
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
                own, opened = await self._refreshed(guild_id)
            except BaseException:
                await asyncio.to_thread(set_aside, folder, name)
                raise
        return _change(own, opened, guild_prefix(guild_id) + name)

    async def remove(self, guild_id: int, doc_id: str) -> Change:
        """Set aside the file holding ``doc_id`` (kept in ``.removed``) and reindex.

        A second admin removing the same article meanwhile is told it is already gone.
        """
        self._check_writes(guild_id)
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
            _, opened = await self._refreshed(guild_id)
        gone = tuple(d for d in before.index.documents if d.path == document.path)
        return Change(gone, (), opened)

    def removed_files(self, guild_id: int) -> tuple[Path, int]:
        """Where the server's removed files are kept, and how many there are."""
        return removed_files(self.collection(guild_id))

    async def current_unlocked(self, guild_id: int | None) -> OpenedIndex:
        """The live index of ``guild_id`` for callers already holding the build lock."""
        key = guild_id if self.has_collection(guild_id) else None
        await self._current_shared()
        if key is not None and key not in self._live:
            self._live[key] = await self._opened(key)
        view = self._view(key)
        assert view is not None
        return view

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
        await self._current_shared()
        self._live[key] = await build(self.corpus(key), self.index_dir(key), **self._options(key))
        view = self._view(key)
        assert view is not None
        return view

    @property
    def lock(self) -> asyncio.Lock:
        """The build lock: held by whoever changes files or indexes (see :meth:`refreshed`)."""
        return self._lock

    async def refreshed(self, key: int | None) -> OpenedIndex:
        """Update the index of ``key`` (a guild id, or ``None`` for the shared corpus) for
        its changed files; callers hold :attr:`lock`. Returns what questions in ``key``
        now search: a server searches the shared index beside its own, so an update of
        the shared corpus reaches every server at once."""
        self._check_writes(key)
        if key is not None:
            return (await self._refreshed(key))[1]
        return await self._swapped_refresh(None)

    async def _refreshed(self, guild_id: int) -> tuple[OpenedIndex, OpenedIndex]:
        """Update the server's index for its changed files; the server's own index and
        what it now searches."""
        self._collections.pop(guild_id, None)
        if not self.has_collection(guild_id):  # its last file went: it sees the shared index
            self._live.pop(guild_id, None)
            shared = await self._current_shared()
            return shared, shared
        await self._current_shared()
        own = await self._swapped_refresh(guild_id)
        view = self._view(guild_id)
        assert view is not None
        return own, view

    async def _swapped_refresh(self, key: int | None) -> OpenedIndex:
        """Update one index for its changed files. Questions see the update as soon as it
        can answer, while it is still being saved; if the update fails, the index that
        was live before stays live."""
        before = self._live.get(key)
        loop = asyncio.get_running_loop()

        def ready(opened: OpenedIndex) -> None:
            loop.call_soon_threadsafe(self._live.__setitem__, key, opened)

        corpus, index_dir = self.corpus(key), self.index_dir(key)
        try:
            opened = await self._refresh(corpus, index_dir, ready, **self._options(key))
        except BaseException:
            # ``ready`` may already have swapped the failed update in (it ran first).
            self._live.pop(key, None)
            if before is not None:
                self._live[key] = before
            raise
        self._live[key] = opened
        return opened

    async def _current_shared(self) -> OpenedIndex:
        if self._follower is not None:
            return await self._follow()
        if None not in self._live:
            self._live[None] = await self._opened(None)
        return self._live[None]

    async def _follow(self) -> OpenedIndex:
        """The writer's newest shared index, loaded (off the loop) when it changed."""
        assert self._follower is not None
        follower = self._follower
        if follower.changed() or None not in self._live:
            opened = _settled(await asyncio.to_thread(follower.current))
            if self.semantic is not None:
                self.semantic.attach(opened.searcher, self.index_dir(None))
            self._live[None] = opened
        return self._live[None]


def _attaching(build: Build, semantic: SemanticIndexes | None) -> Build:
    """``build``, then semantic re-ranking switched on for the index it opened (its
    embeddings are filled on a worker thread; the searcher uses what is ready)."""
    if semantic is None:
        return build

    async def built(corpus: Corpus, index_dir: Path, **options: Path) -> OpenedIndex:
        opened = await build(corpus, index_dir, **options)
        semantic.attach(opened.searcher, index_dir)
        return opened

    return built


def _attaching_refresh(refresher: Refresh, semantic: SemanticIndexes | None) -> Refresh:
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


def _change(own: OpenedIndex, opened: OpenedIndex, path: str) -> Change:
    documents = tuple(doc for doc in own.index.documents if doc.path == path)
    skipped = tuple(item for item in own.stats.skipped if item.path == path)
    return Change(documents, skipped, opened)
