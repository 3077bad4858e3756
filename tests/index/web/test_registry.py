"""The feed registry: added, removed, capped, saved atomically, read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import FeedListError, FetchError, FetchReason
from index.web.registry import (
    MAX_SEEN,
    REGISTRY_NAME,
    FeedRecord,
    FeedRegistry,
    add_feed,
    load_registry,
    remove_feed,
    save_registry,
)

NOW = "2024-06-01T00:00:00+00:00"


def test_feeds_are_added_saved_and_read_back(tmp_path: Path) -> None:
    registry = add_feed(FeedRegistry(), "https://news.example/feed", NOW, 5)
    registry = registry.updated(
        FeedRecord(
            "https://news.example/feed",
            NOW,
            title="News",
            etag='"e"',
            seen=("a", "b"),
            last_added=("Title",),
            added_total=1,
        )
    )
    save_registry(tmp_path, registry)
    assert load_registry(tmp_path) == registry
    stored = json.loads((tmp_path / REGISTRY_NAME).read_text())
    assert stored["version"] == 1 and stored["feeds"][0]["etag"] == '"e"'
    assert [p.name for p in tmp_path.iterdir()] == [REGISTRY_NAME]  # no temp file left


def test_titles_any_feed_may_send_are_saved_and_read_back(tmp_path: Path) -> None:
    title = "Nachrichten \u00fcber \ud800 und \u202e"
    registry = add_feed(FeedRegistry(), "https://news.example/feed", NOW, 5)
    registry = registry.updated(FeedRecord("https://news.example/feed", NOW, title=title))
    save_registry(tmp_path, registry)
    assert load_registry(tmp_path).feeds[0].title == title


def test_no_registry_is_an_empty_one(tmp_path: Path) -> None:
    assert load_registry(tmp_path / "missing") == FeedRegistry()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://news.example/feed", FetchReason.BAD_URL),
        ("http://10.0.0.1/feed", FetchReason.PRIVATE_ADDRESS),
        ("http://169.254.169.254/feed", FetchReason.PRIVATE_ADDRESS),
    ],
)
def test_bad_feed_links_are_refused(url: str, reason: FetchReason) -> None:
    with pytest.raises(FetchError) as refused:
        add_feed(FeedRegistry(), url, NOW, 5)
    assert refused.value.reason is reason


def test_duplicates_and_the_cap_are_refused_and_removal_works() -> None:
    registry = add_feed(FeedRegistry(), "https://a.example/feed", NOW, 2)
    with pytest.raises(FetchError, match="already followed"):
        add_feed(registry, "https://a.example/feed", NOW, 2)
    registry = add_feed(registry, "https://b.example/feed", NOW, 2)
    with pytest.raises(FetchError) as refused:
        add_feed(registry, "https://c.example/feed", NOW, 2)
    assert refused.value.reason is FetchReason.LIMIT and "at most 2 feeds" in str(refused.value)
    registry = remove_feed(registry, "https://a.example/feed")
    assert [f.url for f in registry.feeds] == ["https://b.example/feed"]
    with pytest.raises(KeyError):
        remove_feed(registry, "https://a.example/feed")


def test_seen_keys_are_bounded_keeping_the_newest() -> None:
    record = FeedRecord("https://a.example/feed", NOW).seeing([str(n) for n in range(MAX_SEEN)])
    record = record.seeing(["new", "0"])
    assert len(record.seen) == MAX_SEEN and record.seen[-1] == "new"
    assert "0" not in record.seen and "1" in record.seen


@pytest.mark.parametrize(
    "content",
    ["not json", '{"version": 9, "feeds": []}', '{"version": 1, "feeds": [{"url": 5}]}', "[]"],
)
def test_a_damaged_registry_is_reported_and_left_alone(tmp_path: Path, content: str) -> None:
    (tmp_path / REGISTRY_NAME).write_text(content)
    with pytest.raises(FeedListError, match="feed list"):
        load_registry(tmp_path)
    assert (tmp_path / REGISTRY_NAME).read_text() == content
