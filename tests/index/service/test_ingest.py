"""Adding articles by link, end to end against a news site on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from index.errors import FetchReason
from index.service.ingest import WebAccess, add_urls, ingest_urls
from index.service.opened_index import OpenedIndex
from index.service.opening import open_index
from index.web.limits import Limits
from tests.web_pages import HARBOUR, OBSERVATORY
from tests.web_site import NewsSite, site_resolver


def access(**limits: object) -> WebAccess:
    return WebAccess(Limits(**limits), allow_loopback=True, resolver=site_resolver())  # type: ignore[arg-type]


def corpus_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_links_are_added_with_their_citation_and_refusals_say_why(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    urls = [
        site.url(f"/news/{HARBOUR.slug}"),
        site.url("/redirect/3"),  # the harbour article again, through redirects
        site.url(f"/news/{OBSERVATORY.slug}"),
        site.url("/to-private"),
        site.url("/loop-a"),
        site.url("/report.pdf"),
        site.url("/empty"),
        site.url("/bomb"),
        "ftp://example.org/x",
    ]
    report = asyncio.run(add_urls(corpus, tmp_path / "index", urls, access()))
    assert [a.title for a in report.added] == [HARBOUR.title, OBSERVATORY.title]
    harbour = report.added[0]
    assert harbour.citation_url == site.url(f"/news/{HARBOUR.slug}")
    assert harbour.path.startswith("news.test/harbour-opens-a-ferry-terminal")
    reasons = {f.url: f.reason for f in report.failures}
    assert reasons == {
        site.url("/redirect/3"): FetchReason.DUPLICATE,
        site.url("/to-private"): FetchReason.PRIVATE_ADDRESS,
        site.url("/loop-a"): FetchReason.REDIRECTS,
        site.url("/report.pdf"): FetchReason.CONTENT_TYPE,
        site.url("/empty"): FetchReason.NOT_AN_ARTICLE,
        site.url("/bomb"): FetchReason.BOMB,
        "ftp://example.org/x": FetchReason.BAD_URL,
    }
    assert report.opened is not None and report.opened.stats.documents == 3
    hit = report.opened.searcher.search("How many routes does the ferry terminal serve?", 1).hits[0]
    assert hit.sentence.text == HARBOUR.paragraphs[1]
    assert hit.document.url == site.url(f"/news/{HARBOUR.slug}")
    assert hit.document.published == HARBOUR.published
    assert hit.document.source == "The Bay Courier"


def test_the_stored_file_is_markdown_an_admin_can_read(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    report = asyncio.run(
        add_urls(corpus, tmp_path / "index", [site.url(f"/news/{HARBOUR.slug}")], access())
    )
    text = (corpus / report.added[0].path).read_text(encoding="utf-8")
    head = text.split("---")[1]
    assert f'title: "{HARBOUR.title}"' in head and 'author: "Dana Whitfield"' in head
    assert f'url: "{site.url("/news/" + HARBOUR.slug)}"' in head
    assert 'date: "2024-03-05"' in head and 'language: "en-GB"' in head
    assert "fetched_at: " in head
    assert f"# {HARBOUR.title}" in text and HARBOUR.paragraphs[2] in text
    for furniture in ("Advertisement", "Subscribe", "First!", "Copyright", "Related"):
        assert furniture not in text


def test_adding_the_same_link_again_adds_nothing(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    url = site.url(f"/news/{HARBOUR.slug}")
    asyncio.run(add_urls(corpus, tmp_path / "index", [url], access()))
    fetched = len(site.requests)
    again = asyncio.run(add_urls(corpus, tmp_path / "index", [url, url], access()))
    assert again.added == () and again.opened is None
    assert [f.reason for f in again.failures] == [FetchReason.DUPLICATE]
    assert "already kept as news.test/" in again.failures[0].detail
    assert len(site.requests) == fetched  # known before fetching


def test_only_failures_leave_corpus_and_index_as_they_were(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    before = open_index(corpus, tmp_path / "index")
    report = asyncio.run(
        add_urls(corpus, tmp_path / "index", [site.url("/slow")], access(fetch_seconds=0.5))
    )
    assert report.added == () and report.opened is None
    assert [f.reason for f in report.failures] == [FetchReason.TIMEOUT]
    assert corpus_files(corpus) == ["town.md"]
    assert open_index(corpus, tmp_path / "index").stats.built_at == before.stats.built_at


def test_a_failed_index_update_removes_the_files_it_wrote(site: NewsSite, corpus: Path) -> None:
    async def broken_update() -> OpenedIndex:
        raise OSError(28, "No space left on device")

    urls = [site.url(f"/news/{HARBOUR.slug}"), site.url(f"/news/{OBSERVATORY.slug}")]
    with pytest.raises(OSError, match="No space left"):
        asyncio.run(ingest_urls(corpus, urls, access(), broken_update))
    assert corpus_files(corpus) == ["town.md"]


def test_loopback_links_are_refused_unless_allowed(
    site: NewsSite, corpus: Path, tmp_path: Path
) -> None:
    closed = WebAccess(Limits(), allow_loopback=False, resolver=site_resolver())
    url = site.loopback + f"/news/{HARBOUR.slug}"
    report = asyncio.run(add_urls(corpus, tmp_path / "index", [url], closed))
    assert [f.reason for f in report.failures] == [FetchReason.PRIVATE_ADDRESS]
    assert "127.0.0.1 is a loopback address" in str(report.failures[0])
    assert site.requests == []
