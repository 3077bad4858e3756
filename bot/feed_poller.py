"""The feed poller: every few minutes (with jitter), each followed feed is polled.

One task started in the bot's ``setup_hook`` and stopped when the bot closes.
Each collection (the shared corpus, then every server that follows feeds) is
polled in turn, into its own corpus and index; a failure in one is logged and
recorded in its feed list and the others still go on. Fetching and extracting
run off the event loop (see :mod:`bot.web_library`).
"""

from __future__ import annotations

import asyncio
import logging
import random

from bot.web_library import Key, WebLibrary
from index import IngestReport

log = logging.getLogger("qabot.bot")


class FeedPoller:
    """Polls every followed feed each ``interval`` seconds, give or take ``jitter``."""

    def __init__(
        self,
        web: WebLibrary,
        interval: float,
        jitter: float = 0.1,
        rng: random.Random | None = None,
    ) -> None:
        if interval <= 0 or not 0 <= jitter < 1:
            raise ValueError("the poll interval must be positive and the jitter in [0, 1)")
        self.web = web
        self.interval = interval
        self.jitter = jitter
        self._rng = rng or random.Random()
        self._task: asyncio.Task[None] | None = None

    def next_delay(self) -> float:
        """Seconds until the next poll: the interval, moved by up to ``jitter`` of it so
        many bots (or servers) never hit a site at the same moment."""
        return self.interval * (1 + self._rng.uniform(-self.jitter, self.jitter))

    def start(self) -> None:
        """Start polling in the background (once)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="qabot-feed-poller")

    async def stop(self) -> None:
        """Stop polling; a poll in progress is cancelled (its files are rolled back)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.next_delay())
            await self.poll_once()

    async def poll_once(self) -> dict[Key, IngestReport]:
        """Poll every collection that follows feeds; returns what each poll did."""
        reports: dict[Key, IngestReport] = {}
        for key in await self.web.keys_with_feeds():
            try:
                reports[key] = await self.web.poll(key)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("polling the feeds of %s failed", key or "the shared corpus")
                continue
            added = len(reports[key].added)
            if added:
                log.info("feeds of %s: added %d article(s)", key or "the shared corpus", added)
        return reports
