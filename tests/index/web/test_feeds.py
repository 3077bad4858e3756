"""Reading RSS 2.0 and Atom feeds with feedparser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from index.errors import FetchError, FetchReason
from index.web.feeds import FeedEntry, parse_feed
from tests.web_pages import HARBOUR, OBSERVATORY, atom_feed, rss_feed

BASE = "http://news.test:8080"


@pytest.mark.parametrize("make", [rss_feed, atom_feed])
def test_rss_and_atom_entries_are_read(make: object) -> None:
    body = make([HARBOUR, OBSERVATORY], BASE).encode()  # type: ignore[operator]
    feed = parse_feed(body, f"{BASE}/feed")
    assert feed.title == "The Bay Courier"
    assert [e.guid for e in feed.entries] == [HARBOUR.guid, OBSERVATORY.guid]
    assert [e.url for e in feed.entries] == [
        f"{BASE}/news/{HARBOUR.slug}",
        f"{BASE}/news/{OBSERVATORY.slug}",
    ]
    assert feed.entries[0].title == HARBOUR.title
    assert feed.entries[0].published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def test_relative_links_are_resolved_against_the_feed() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    <item><title>A</title><link>/news/a</link></item></channel></rss>"""
    (entry,) = parse_feed(body, "http://news.test/feed.xml").entries
    assert entry.url == "http://news.test/news/a" and entry.guid is None and entry.published is None


@pytest.mark.parametrize("body", [b"<html><body>a page</body></html>", b"{}", b"\x00\x01"])
def test_other_documents_are_not_feeds(body: bytes) -> None:
    with pytest.raises(FetchError) as refused:
        parse_feed(body, "http://news.test/feed")
    assert refused.value.reason is FetchReason.NOT_A_FEED


def test_entry_keys() -> None:
    assert FeedEntry("g", "http://x/a", "t").keys == ("g", "http://x/a")
    assert FeedEntry(None, None, "t").keys == ()
