"""A link's article: fetched from the test site, extracted off the loop."""

from __future__ import annotations

import asyncio

import pytest

from index.errors import FetchError, FetchReason
from index.web.fetcher import Fetched, Fetcher, Validators
from index.web.limits import Limits
from index.web.pages import FetchedArticle, fetch_article, page_text
from tests.web_pages import OBSERVATORY
from tests.web_site import NewsSite, site_resolver


def article_at(url: str) -> FetchedArticle:
    async def run() -> FetchedArticle:
        async with Fetcher(Limits(), True, site_resolver()) as fetcher:
            return await fetch_article(fetcher, url)

    return asyncio.run(run())


def test_the_article_and_its_metadata_are_extracted(site: NewsSite) -> None:
    found = article_at(site.url(f"/news/{OBSERVATORY.slug}"))
    article = found.article
    assert article.title == OBSERVATORY.title
    assert article.paragraphs == OBSERVATORY.paragraphs
    assert (article.published, article.author, article.outlet, article.language) == (
        OBSERVATORY.published,
        OBSERVATORY.author,
        "The Bay Courier",
        "en-GB",
    )
    assert found.citation_url == site.url(f"/news/{OBSERVATORY.slug}")


def test_the_citation_is_the_canonical_link_not_the_redirect(site: NewsSite) -> None:
    found = article_at(site.url("/redirect/2"))
    assert found.url == site.url("/redirect/2")
    assert found.citation_url == site.url("/news/harbour-ferry")


def test_a_canonical_link_to_another_site_is_not_believed(site: NewsSite) -> None:
    found = article_at(site.url("/claims-elsewhere"))
    assert found.article.url == "https://bigpaper.example/news/harbour-ferry"
    assert found.citation_url == site.url("/claims-elsewhere")


@pytest.mark.parametrize(
    ("path", "reason", "words"),
    [
        ("/empty", FetchReason.NOT_AN_ARTICLE, "no article text"),
        ("/feed.rss", FetchReason.NOT_AN_ARTICLE, "feed add"),
        ("/report.pdf", FetchReason.CONTENT_TYPE, "application/pdf"),
    ],
)
def test_pages_without_an_article_are_refused(
    site: NewsSite, path: str, reason: FetchReason, words: str
) -> None:
    with pytest.raises(FetchError) as refused:
        article_at(site.url(path))
    assert refused.value.reason is reason and words in str(refused.value)


def test_page_text_honours_the_charset_and_sniffs_without_one() -> None:
    def fetched(body: bytes, charset: str | None) -> Fetched:
        return Fetched("http://x.test/", 200, "text/html", charset, body, Validators())

    assert page_text(fetched("café".encode("latin-1"), "iso-8859-1")) == "café"
    assert page_text(fetched(b"abc", None)) == b"abc"
    assert page_text(fetched(b"abc", "no-such-charset")) == b"abc"
