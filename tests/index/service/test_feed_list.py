"""Following feeds: the service over the feed list beside a collection."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from multiprocessing.synchronize import Barrier as BarrierType
from pathlib import Path

import pytest

from index.errors import FeedListError, FetchError, FetchReason, InputError
from index.service.feed_list import follow_feed, followed_feeds, follows_feeds, unfollow_feed
from index.web.registry import (
    LOCK_NAME,
    add_feed,
    load_registry,
    registry_lock,
    save_registry,
)
from tests.conftest import blocked_lock_waiters


def test_follow_list_and_unfollow(tmp_path: Path) -> None:
    assert not follows_feeds(tmp_path) and followed_feeds(tmp_path) == ()
    record = follow_feed(tmp_path, " https://news.example/feed.xml ", 3)
    assert record.url == "https://news.example/feed.xml" and record.added_at.endswith("+00:00")
    assert follows_feeds(tmp_path)
    assert [f.url for f in followed_feeds(tmp_path)] == ["https://news.example/feed.xml"]
    assert unfollow_feed(tmp_path, "https://news.example/feed.xml")
    assert not unfollow_feed(tmp_path, "https://news.example/feed.xml")
    assert followed_feeds(tmp_path) == ()


def test_refusals_are_input_errors_that_cross_processes(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as refused:
        follow_feed(tmp_path, "http://192.168.1.1/feed", 3)
    error = refused.value
    assert isinstance(error, InputError) and error.exit_status == 2
    assert error.reason is FetchReason.PRIVATE_ADDRESS
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.reason, copy.detail, str(copy)) == (error.reason, error.detail, str(error))
    assert not follows_feeds(tmp_path)


def test_a_feed_list_that_cannot_be_read_or_written_is_reported(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(FeedListError, match="cannot read the feed list"):
        follow_feed(blocked / "inside", "https://news.example/feed", 3)
    (tmp_path / f".feeds.json.{os.getpid()}.part").mkdir()  # the temp file cannot be made
    with pytest.raises(FeedListError, match="cannot write the feed list"):
        follow_feed(tmp_path, "https://news.example/feed", 3)
    assert not follows_feeds(tmp_path)


def _follow_many(folder: Path, site: str, count: int, start: BarrierType) -> None:
    """Follow ``count`` feeds of ``site``, once every process is ready to start."""
    start.wait()
    for n in range(count):
        follow_feed(folder, f"https://{site}.example/feed-{n}.xml", 1000)


@pytest.mark.slow
def test_two_processes_following_feeds_at_once_keep_every_feed(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    sites = ("north", "south")
    followers = [
        context.Process(target=_follow_many, args=(tmp_path, site, 20, start)) for site in sites
    ]
    for follower in followers:
        follower.start()
    for follower in followers:
        follower.join(300)
    assert [follower.exitcode for follower in followers] == [0, 0]
    urls = {feed.url for feed in followed_feeds(tmp_path)}
    assert urls == {f"https://{site}.example/feed-{n}.xml" for site in sites for n in range(20)}


def _follow_one(folder: Path, url: str) -> None:
    follow_feed(folder, url, 10)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_a_change_waits_for_the_lock_then_reads_the_list_as_it_is(tmp_path: Path) -> None:
    """A process that read the list before taking the lock would save it without the
    feed another process added meanwhile."""
    follow_feed(tmp_path, "https://first.example/feed.xml", 10)
    context = multiprocessing.get_context("spawn")
    with registry_lock(tmp_path):
        later = context.Process(target=_follow_one, args=(tmp_path, "https://later.example/feed"))
        later.start()
        deadline = time.monotonic() + 300
        while blocked_lock_waiters(tmp_path / LOCK_NAME) < 1:
            assert time.monotonic() < deadline and later.is_alive(), "it never waited"
            time.sleep(0.05)
        # Meanwhile this process, holding the lock, changes the list.
        registry = load_registry(tmp_path)
        save_registry(tmp_path, add_feed(registry, "https://meanwhile.example/feed", "now", 10))
    later.join(300)
    assert later.exitcode == 0
    assert [feed.url for feed in followed_feeds(tmp_path)] == [
        "https://first.example/feed.xml",
        "https://meanwhile.example/feed",
        "https://later.example/feed",
    ]
