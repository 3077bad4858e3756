"""The feed poller: jittered intervals, every collection polled, failures contained."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import pytest

from bot.feed_poller import FeedPoller
from index.service.ingest import AddedArticle, IngestReport


class FakeWeb:
    """Two collections follow feeds; the one of server 9 cannot be polled."""

    def __init__(self) -> None:
        self.polled: list[int | None] = []

    async def keys_with_feeds(self) -> list[int | None]:
        return [None, 9, 7]

    async def poll(self, key: int | None) -> IngestReport:
        self.polled.append(key)
        if key == 9:
            raise OSError("the disk is full")
        added = (AddedArticle("u", "A title", "p.md", "u"),) if key == 7 else ()
        return IngestReport(added, ())


def poller(web: Any, interval: float = 1800.0) -> FeedPoller:
    return FeedPoller(web, interval, jitter=0.1, rng=random.Random(4))


def test_delays_are_the_interval_give_or_take_the_jitter() -> None:
    one = poller(FakeWeb())
    delays = [one.next_delay() for _ in range(500)]
    assert all(1620 <= delay <= 1980 for delay in delays)
    assert len(set(delays)) == 500 and min(delays) < 1700 and max(delays) > 1900


@pytest.mark.parametrize(("interval", "jitter"), [(0, 0.1), (-5, 0.1), (60, 1.0), (60, -0.1)])
def test_nonsense_intervals_are_refused(interval: float, jitter: float) -> None:
    with pytest.raises(ValueError):
        FeedPoller(FakeWeb(), interval, jitter)  # type: ignore[arg-type]


def test_one_failing_collection_never_stops_the_others(caplog: pytest.LogCaptureFixture) -> None:
    web = FakeWeb()
    with caplog.at_level(logging.INFO, "qabot.bot"):
        reports = asyncio.run(poller(web).poll_once())
    assert web.polled == [None, 9, 7]
    assert set(reports) == {None, 7} and len(reports[7].added) == 1
    assert "polling the feeds of 9 failed" in caplog.text and "the disk is full" in caplog.text
    assert "feeds of 7: added 1 article(s)" in caplog.text


def test_start_and_stop() -> None:
    async def run() -> bool:
        running = poller(FakeWeb())
        running.start()
        running.start()  # once only
        task = running._task
        await running.stop()
        return task is not None and task.cancelled() and running._task is None

    assert asyncio.run(run())
