"""A link to an article: fetched safely, the article extracted off the event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from index.articles.html import extract_article
from index.articles.web_article import WebArticle
from index.errors import FetchError, FetchReason
from index.web.fetcher import FEED_TYPES, HTML_TYPES, Fetched, Fetcher


@dataclass(frozen=True, slots=True)
class FetchedArticle:
    """The article found at ``url`` (the link as given), fetched from ``final_url``."""

    url: str
    final_url: str
    article: WebArticle

    @property
    def citation_url(self) -> str:
        """The URL answers cite: the page's canonical link, else where it was fetched.

        A canonical link to another host is ignored: a page may not claim to be
        another site's article (and so block that article as "already added").
        """
        canonical = self.article.url
        if canonical and _same_site(canonical, self.final_url):
            return canonical
        return self.final_url


async def fetch_article(fetcher: Fetcher, url: str) -> FetchedArticle:
    """The article at ``url``; raises ``FetchError`` saying why there is none."""
    fetched = await fetcher.fetch(url, HTML_TYPES | FEED_TYPES)
    if fetched.media_type in FEED_TYPES:
        raise FetchError(
            FetchReason.NOT_AN_ARTICLE, "this is a news feed; follow it with 'feed add'"
        )
    # Parsing a page takes tens of milliseconds of CPU: never on the event loop.
    article = await asyncio.to_thread(extract_article, page_text(fetched), fetched.url)
    if article is None:
        raise FetchError(FetchReason.NOT_AN_ARTICLE, "no article text found on the page")
    return FetchedArticle(url, fetched.url, article)


def _same_site(canonical: str, fetched: str) -> bool:
    claimed, actual = urlsplit(canonical), urlsplit(fetched)
    return claimed.scheme in ("http", "https") and _host(claimed.hostname) == _host(actual.hostname)


def _host(name: str | None) -> str:
    return (name or "").lower().removeprefix("www.")


def page_text(fetched: Fetched) -> str | bytes:
    """The body as text when the server named a charset we know; else bytes for sniffing."""
    if fetched.charset:
        try:
            return fetched.body.decode(fetched.charset, errors="replace")
        except LookupError:
            pass
    return fetched.body
