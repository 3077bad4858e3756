"""Following feeds: the service over the feed list beside a collection."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from index.errors import FeedListError, FetchError, FetchReason, InputError
from index.service.feed_list import follow_feed, followed_feeds, follows_feeds, unfollow_feed


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
