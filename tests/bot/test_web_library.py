"""Links and feeds through the bot's library: per server, the shared corpus, rollbacks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.library import Library
from bot.web_library import WebLibrary
from index.articles.corpus import Corpus
from index.errors import FetchError, FetchReason
from index.service.opened_index import OpenedIndex, Ready
from tests.bot_fakes import shared_library, web_of
from tests.web_pages import HARBOUR, OBSERVATORY
from tests.web_site import NewsSite


def titles_found(library: Library, guild_id: int | None, question: str) -> list[str]:
    found = asyncio.run(library.search(guild_id, question, 3))
    return [hit.document.title for hit in found.answer.hits]


def test_links_go_into_the_servers_collection_only(site: NewsSite, tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    web = web_of(library)
    url = site.url(f"/news/{HARBOUR.slug}")
    report = asyncio.run(web.add_links(7, [url, site.url("/to-private")]))
    assert [a.title for a in report.added] == [HARBOUR.title]
    assert [f.reason for f in report.failures] == [FetchReason.PRIVATE_ADDRESS]
    assert report.added[0].path.startswith("news.test/")
    assert (tmp_path / "data/collections/7" / report.added[0].path).is_file()
    assert HARBOUR.title in titles_found(library, 7, "ferry terminal routes across the bay")
    assert HARBOUR.title not in titles_found(library, 8, "ferry terminal routes across the bay")


def test_a_failed_update_removes_the_fetched_files(site: NewsSite, tmp_path: Path) -> None:
    async def broken(
        corpus: Corpus, index_dir: Path, ready: Ready, *, splitter_from: Path | None = None
    ) -> OpenedIndex:
        raise OSError(28, "No space left on device")

    library = Library(shared_library(tmp_path).paths, refresher=broken)
    with pytest.raises(OSError):
        asyncio.run(web_of(library).add_links(7, [site.url(f"/news/{HARBOUR.slug}")]))
    assert list((tmp_path / "data/collections/7").rglob("*.md")) == []


def test_feeds_are_followed_polled_and_listed_per_collection(
    site: NewsSite, tmp_path: Path
) -> None:
    library = shared_library(tmp_path)
    web = web_of(library, max_feeds=1)
    asyncio.run(web.follow(7, site.url("/feed.rss")))
    with pytest.raises(FetchError, match="at most 1 feeds"):
        asyncio.run(web.follow(7, site.url("/feed.atom")))
    assert asyncio.run(web.keys_with_feeds()) == [7]
    report = asyncio.run(web.poll(7))
    assert {a.title for a in report.added} == {HARBOUR.title, OBSERVATORY.title}
    assert OBSERVATORY.title in titles_found(library, 7, "four-metre mirror observatory")
    (feed,) = asyncio.run(web.feeds(7))
    assert feed.added_total == 2 and feed.last_polled
    assert asyncio.run(web.unfollow(7, site.url("/feed.rss")))
    assert asyncio.run(web.feeds(7)) == ()
    assert not asyncio.run(web.unfollow(7, site.url("/feed.rss")))


def test_shared_feeds_update_the_shared_index_and_every_loaded_server_index(
    site: NewsSite, tmp_path: Path
) -> None:
    library = shared_library(tmp_path)
    web: WebLibrary = web_of(library)
    asyncio.run(web.add_links(7, [site.url(f"/news/{HARBOUR.slug}")]))
    asyncio.run(web.follow(None, site.url("/feed.atom")))
    assert asyncio.run(web.keys_with_feeds()) == [None]
    site.feed_articles = [OBSERVATORY]
    report = asyncio.run(web.poll(None))
    assert [a.title for a in report.added] == [OBSERVATORY.title]
    assert (tmp_path / "corpus" / report.added[0].path).is_file()
    question = "four-metre mirror observatory"
    assert OBSERVATORY.title in titles_found(library, None, question)
    assert OBSERVATORY.title in titles_found(library, 7, question)
