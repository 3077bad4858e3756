"""The indexes the bot answers from now: loaded on first use, swapped in whole.

The shared index (key ``None``) and each server's own index stay loaded; what a
server searches is a view of the two (``index.combined``), remade when either is
swapped. Whoever loads, builds or updates an index holds :attr:`LiveIndexes.lock`,
so one build runs at a time, and a question asked meanwhile is answered from the
index that was live when it was asked. An index loaded from disk rather than
built is checksummed in the background; one found damaged, then or while
answering, is rebuilt. A process that does not write the shared index follows
the writer's (``index.IndexFollower``).
"""

from __future__ import annotations

import asyncio
import logging

from bot.index_builds import Builds, settled
from bot.index_layout import IndexLayout
from index import (
    IndexCorruptError,
    IndexFollower,
    OpenedIndex,
    QabotError,
    SemanticIndexes,
    combined,
    verify_index,
)

log = logging.getLogger(__name__)


class LiveIndexes:
    """The loaded indexes of ``layout``, got with ``builds`` (see the module docstring)."""

    def __init__(
        self, layout: IndexLayout, builds: Builds, semantic: SemanticIndexes | None = None
    ) -> None:
        self.layout = layout
        self.builds = builds
        self.semantic = semantic
        writes_shared = layout.shards is None or layout.shards.writes_shared
        self._follower = None if writes_shared else IndexFollower(layout.paths.index)
        # The shared index (key ``None``) and each server's own index.
        self._live: dict[int | None, OpenedIndex] = {}
        # What each server searches, made from the two indexes it was made for.
        self._views: dict[int, tuple[OpenedIndex, OpenedIndex, OpenedIndex]] = {}
        self.lock = asyncio.Lock()
        self._checks: set[asyncio.Task[None]] = set()

    async def current(self, guild_id: int | None) -> OpenedIndex:
        """What questions in ``guild_id`` (``None``: a DM) search now, loaded if need be."""
        key = self.layout.key_of(guild_id)
        if self._follower is not None and self._follower.changed():
            await self._follow()
        view = self.view(key)
        if view is not None:
            return view
        async with self.lock:
            return await self.current_unlocked(guild_id)

    def view(self, key: int | None) -> OpenedIndex | None:
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

    async def current_unlocked(self, guild_id: int | None) -> OpenedIndex:
        """:meth:`current` for callers already holding the lock."""
        key = self.layout.key_of(guild_id)
        await self.current_shared()
        if key is not None and key not in self._live:
            self._live[key] = await self._opened(key)
        return self._view_of(key)

    def _view_of(self, key: int | None) -> OpenedIndex:
        view = self.view(key)
        assert view is not None
        return view

    async def current_shared(self) -> OpenedIndex:
        """The shared index, opened (or followed) if need be; callers hold the lock."""
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
            opened = settled(await asyncio.to_thread(follower.current))
            if self.semantic is not None:
                self.semantic.attach(opened.searcher, self.layout.index_dir(None))
            self._live[None] = opened
        return self._live[None]

    async def rebuilt_shared(self) -> OpenedIndex:
        """Rebuild the shared index and swap it in; callers hold the lock."""
        shared = await self._rebuilt(None)
        self._live[None] = shared
        return shared

    async def rebuilt_collection(self, guild_id: int) -> OpenedIndex:
        """Rebuild one server's own index and swap it in (none left when its last file
        went); what questions there now search. Callers hold the lock."""
        self.layout.forget(guild_id)
        if not self.layout.has_collection(guild_id):
            self._live.pop(guild_id, None)
            return await self.current_shared()
        await self.current_shared()
        self._live[guild_id] = await self._rebuilt(guild_id)
        return self._view_of(guild_id)

    async def refreshed_collection(self, guild_id: int) -> tuple[OpenedIndex, OpenedIndex]:
        """Update the server's index for its changed files; the server's own index and
        what it now searches. Callers hold the lock."""
        self.layout.forget(guild_id)
        if not self.layout.has_collection(guild_id):  # its last file went: it sees the shared
            self._live.pop(guild_id, None)
            shared = await self.current_shared()
            return shared, shared
        await self.current_shared()
        own = await self.swapped_refresh(guild_id)
        return own, self._view_of(guild_id)

    async def swapped_refresh(self, key: int | None) -> OpenedIndex:
        """Update one index for its changed files. Questions see the update as soon as it
        can answer, while it is still being saved; if the update fails, the index that
        was live before stays live. Callers hold the lock."""
        before = self._live.get(key)
        loop = asyncio.get_running_loop()

        def ready(opened: OpenedIndex) -> None:
            loop.call_soon_threadsafe(self._live.__setitem__, key, opened)

        layout = self.layout
        try:
            opened = await self.builds.refresh(
                layout.corpus(key), layout.index_dir(key), ready, **layout.options(key)
            )
        except BaseException:
            # ``ready`` may already have swapped the failed update in (it ran first).
            self._live.pop(key, None)
            if before is not None:
                self._live[key] = before
            raise
        self._live[key] = opened
        return opened

    async def _rebuilt(self, key: int | None) -> OpenedIndex:
        layout = self.layout
        return await self.builds.rebuild(
            layout.corpus(key), layout.index_dir(key), **layout.options(key)
        )

    async def _opened(self, key: int | None) -> OpenedIndex:
        """Open the index ``key`` (the caller holds the lock); one loaded from disk rather
        than built just now is checksummed in the background (see :meth:`_verified`)."""
        layout = self.layout
        opened = await self.builds.open(
            layout.corpus(key), layout.index_dir(key), **layout.options(key)
        )
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
            await asyncio.to_thread(verify_index, self.layout.index_dir(key))
        except IndexCorruptError as error:
            async with self.lock:
                if self._live.get(key) is opened:
                    log.warning("%s; rebuilding the index", error)
                    self._live[key] = await self._rebuilt(key)
        except QabotError:  # no index there any more: nothing to check
            pass

    async def recovered(
        self, guild_id: int | None, damaged: OpenedIndex, error: IndexCorruptError
    ) -> OpenedIndex:
        """Rebuild the index a damaged answer came from, unless it was replaced meanwhile:
        a server's own index when it fails its checksums, else the shared one (which
        only the process writing it rebuilds)."""
        key = self.layout.key_of(guild_id)
        async with self.lock:
            if damaged is self.view(key):
                part = key if key is not None and not await self._intact(key) else None
                if not self.layout.owns(part):
                    raise error
                log.warning("%s; rebuilding the index", error)
                self._live[part] = await self._rebuilt(part)
            return await self.current_unlocked(guild_id)

    async def _intact(self, key: int | None) -> bool:
        """Whether the index of ``key`` on disk passes its checksums (read in a thread)."""
        try:
            await asyncio.to_thread(verify_index, self.layout.index_dir(key))
        except QabotError:
            return False
        return True
