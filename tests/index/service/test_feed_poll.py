"""Polling feeds end to end: RSS and Atom from a site on 127.0.0.1."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from index.errors import FetchReason
from index.service.feed_poll import poll_feeds, poll_folder
from index.service.ingest import WebAccess
from index.service.opened_index import OpenedIndex
from index.web.limits import Limits
from index.web.registry import add_feed, load_registry, save_registry
from tests.web_pages import HARBOUR, LIGHTHOUSE, OBSERVATORY
from tests.web_site import NewsSite, site_resolver


def follow(corpus: Path, *urls: str) -> None:
    registry = load_registry(corpus)
    for url in urls:
        registry = add_feed(registry, url, "2024-06-01T00:00:00+00:00", 20)
    save_registry(corpus, registry)


def access(**limits: object) -> WebAccess:
    return WebAccess(Limits(**limits), allow_loopback=True, resolver=site_resolver())  # type: ignore[arg-type]


def test_a_poll_adds_new_entries_and_the_second_poll_adds_nothing(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    follow(corpus, site.url("/feed.rss"))
    first = asyncio.run(poll_feeds(corpus, tmp_path / "index", access()))
    assert sorted(a.title for a in first.added) == sorted([HARBOUR.title, OBSERVATORY.title])
    assert first.opened is not None and first.opened.stats.documents == 3
    hit = first.opened.searcher.search("mirror installed at the observatory", 1).hits[0]
    assert hit.document.url == site.url(f"/news/{OBSERVATORY.slug}")
    assert hit.document.published == OBSERVATORY.published
    record = load_registry(corpus).feeds[0]
    assert record.title == "The Bay Courier" and record.etag == '"v1"'
    assert record.added_total == 2 and record.last_error is None and record.last_polled
    assert {HARBOUR.guid, OBSERVATORY.guid} <= set(record.seen)

    requests = len(site.requests)
    second = asyncio.run(poll_feeds(corpus, tmp_path / "index", access()))
    assert second.added == () and second.failures == () and second.opened is None
    assert site.conditional == ["/feed.rss"] and len(site.requests) == requests + 1
    assert len(load_registry(corpus).feeds[0].last_added) == 2  # still the latest additions


def test_a_feed_whose_entries_change_adds_only_the_new_one(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    follow(corpus, site.url("/feed.atom"))
    asyncio.run(poll_feeds(corpus, tmp_path / "index", access()))
    site.feed_articles = [LIGHTHOUSE, HARBOUR]  # the observatory entry fell off the feed
    site.feed_version = 2
    later = asyncio.run(poll_feeds(corpus, tmp_path / "index", access()))
    assert [a.title for a in later.added] == [LIGHTHOUSE.title]
    assert later.opened is not None and later.opened.stats.documents == 4
    record = load_registry(corpus).feeds[0]
    assert record.last_added == (LIGHTHOUSE.title,) and record.added_total == 3
    assert record.etag == '"v2"'


def test_two_feeds_listing_the_same_articles_add_each_once(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    follow(corpus, site.url("/feed.rss"), site.url("/feed.atom"))
    report = asyncio.run(poll_feeds(corpus, tmp_path / "index", access()))
    assert len(report.added) == 2
    assert report.opened is not None and report.opened.stats.documents == 3


def test_the_per_poll_cap_leaves_the_rest_for_the_next_poll(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    follow(corpus, site.url("/feed.rss"))
    first = asyncio.run(poll_feeds(corpus, tmp_path / "index", access(max_articles_per_poll=1)))
    assert [a.title for a in first.added] == [HARBOUR.title]
    site.feed_version = 2  # a changed ETag, so the feed is read again
    second = asyncio.run(poll_feeds(corpus, tmp_path / "index", access(max_articles_per_poll=1)))
    assert [a.title for a in second.added] == [OBSERVATORY.title]


def test_entries_older_than_the_cut_off_are_skipped_for_good(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    follow(corpus, site.url("/feed.rss"))
    old = access(max_entry_age=timedelta(days=1))
    report = asyncio.run(poll_feeds(corpus, tmp_path / "index", old))
    assert report.added == () and report.opened is None
    assert HARBOUR.guid in load_registry(corpus).feeds[0].seen


def test_a_broken_feed_is_reported_and_the_others_still_polled(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    follow(
        corpus, site.url(f"/news/{HARBOUR.slug}"), site.url("/to-private"), site.url("/feed.rss")
    )
    report = asyncio.run(poll_feeds(corpus, tmp_path / "index", access()))
    assert len(report.added) == 2
    reasons = [f.reason for f in report.failures]
    assert reasons == [FetchReason.NOT_A_FEED, FetchReason.PRIVATE_ADDRESS]
    records = load_registry(corpus).feeds
    assert "not a feed" in (records[0].last_error or "")
    assert "private address" in (records[1].last_error or "")
    assert records[2].last_error is None


def test_a_failed_update_removes_the_files_and_keeps_the_entries_new(
    site: NewsSite, corpus: Path
) -> None:
    async def broken_update() -> OpenedIndex:
        raise OSError(28, "No space left on device")

    follow(corpus, site.url("/feed.rss"))
    with pytest.raises(OSError):
        asyncio.run(poll_folder(corpus, access(), broken_update))
    assert sorted(p.name for p in corpus.rglob("*.md")) == ["town.md"]
    record = load_registry(corpus).feeds[0]
    assert record.seen == () and record.etag is None
    assert "could not be updated" in (record.last_error or "")
