"""Links and feeds for the bot: each server's collection, and the owner's shared corpus.

The web step of an ingest (fetching, extracting, writing files) runs in a worker
thread on an event loop of its own, so no page, feed or slow server ever touches
the bot's loop; the index step then goes through the :class:`Library` (its
lock, and the live swap questions see). Everything runs under the library's
build lock, so a feed list is never edited while a poll of it is running and a
rolled-back ingest never removes a file another update indexed.

Discord-free: the cogs hand it guild ids (``None`` for the shared corpus).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from bot.library import Library
from index import (
    FeedRecord,
    IngestReport,
    OpenedIndex,
    Update,
    WebAccess,
    commit,
    finish_poll,
    follow_feed,
    followed_feeds,
    follows_feeds,
    gather_poll,
    gather_urls,
    unfollow_feed,
)

log = logging.getLogger("qabot.bot")
T = TypeVar("T")
Key = int | None


async def off_loop(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` to the end on a new event loop in a worker thread."""
    return await asyncio.to_thread(asyncio.run, work)


class WebLibrary:
    """Adds pages by link and polls followed feeds into a :class:`Library`'s corpora."""

    def __init__(self, library: Library, access: WebAccess) -> None:
        self.library = library
        self.access = access

    def folder(self, key: Key) -> Path:
        """The corpus folder of ``key``: a server's collection, or the shared corpus."""
        return self.library.paths.corpus if key is None else self.library.layout.collection(key)

    async def add_links(self, guild_id: int, urls: Sequence[str]) -> IngestReport:
        """Fetch ``urls`` into the server's collection and index them in one update."""
        folder = self.folder(guild_id)
        async with self.library.lock:
            gathered = await off_loop(gather_urls(folder, urls, self.access))
            opened = await commit(gathered.kept, self._update(guild_id))
        return gathered.report(opened)

    async def feeds(self, key: Key) -> tuple[FeedRecord, ...]:
        """The feeds ``key`` follows; raises ``FeedListError`` when the list is damaged."""
        return await asyncio.to_thread(followed_feeds, self.folder(key))

    async def follow(self, key: Key, url: str) -> FeedRecord:
        """Follow ``url``; raises ``FetchError`` (bad link, already followed, cap reached)."""
        async with self.library.lock:
            limit = self.access.limits.max_feeds
            return await asyncio.to_thread(follow_feed, self.folder(key), url, limit)

    async def unfollow(self, key: Key, url: str) -> bool:
        """Stop following ``url``; ``False`` when it was not followed."""
        async with self.library.lock:
            return await asyncio.to_thread(unfollow_feed, self.folder(key), url)

    async def poll(self, key: Key, only: str | None = None) -> IngestReport:
        """Poll the feeds of ``key`` (or just ``only``): new articles in one index update."""
        folder = self.folder(key)
        async with self.library.lock:
            polled = await off_loop(gather_poll(folder, self.access, only))
            return await finish_poll(folder, polled, self._update(key))

    async def keys_with_feeds(self) -> list[Key]:
        """The shared corpus (``None``) and the servers whose collections follow feeds."""
        return await asyncio.to_thread(self._keys_with_feeds)

    def _keys_with_feeds(self) -> list[Key]:
        """Those this process writes: with several processes, each polls its own."""
        keys: list[Key] = [None] if follows_feeds(self.library.paths.corpus) else []
        collections = self.library.paths.collections
        if collections.is_dir():
            for folder in sorted(collections.iterdir()):
                if folder.name.isdigit() and follows_feeds(folder):
                    keys.append(int(folder.name))
        return [key for key in keys if self.library.layout.owns(key)]

    def _update(self, key: Key) -> Update:
        async def update() -> OpenedIndex:
            return await self.library.refreshed(key)

        return update
