"""News feeds (RSS 2.0, RSS 1.0, Atom) read with feedparser, always from fetched bytes.

feedparser is never handed a URL: it would fetch it itself, past every check in
:mod:`index.web.fetcher`.
"""

from __future__ import annotations

import asyncio
import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from index.errors import FetchError, FetchReason
from index.web.fetcher import FEED_TYPES, HTML_TYPES, Fetcher, Validators


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed: its id (GUID or Atom id), its link, title and date."""

    guid: str | None
    url: str | None
    title: str
    published: datetime | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """What identifies the entry when deciding whether it was seen before."""
        return tuple(key for key in (self.guid, self.url) if key)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and entries, in the feed's order."""

    title: str | None
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class FeedFetch:
    """A feed fetched (``feed`` is ``None`` when the server said 304 Not Modified)."""

    feed: ParsedFeed | None
    validators: Validators


async def fetch_feed(fetcher: Fetcher, url: str, validators: Validators) -> FeedFetch:
    """The feed at ``url``, asked conditionally; raises ``FetchError`` when it is not one."""
    fetched = await fetcher.fetch(url, FEED_TYPES | HTML_TYPES, validators)
    if fetched.not_modified:
        return FeedFetch(
            None,
            Validators(
                fetched.validators.etag or validators.etag,
                fetched.validators.last_modified or validators.last_modified,
            ),
        )
    if fetched.media_type in HTML_TYPES:
        raise FetchError(FetchReason.NOT_A_FEED, "this is a web page; add it with 'add' instead")
    parsed = await asyncio.to_thread(parse_feed, fetched.body, fetched.url)
    return FeedFetch(parsed, fetched.validators)


def parse_feed(body: bytes, url: str) -> ParsedFeed:
    """The entries of an RSS or Atom document; raises ``FetchError`` when it is neither."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise FetchError(FetchReason.NOT_A_FEED, f"not RSS or Atom ({problem or 'unknown format'})")
    entries = tuple(_entry(entry) for entry in parsed.entries)
    title = parsed.feed.get("title")
    return ParsedFeed(title if isinstance(title, str) else None, entries)


def _entry(entry: Any) -> FeedEntry:
    guid, link, title = entry.get("id"), entry.get("link"), entry.get("title")
    return FeedEntry(
        guid=guid if isinstance(guid, str) and guid else None,
        url=link if isinstance(link, str) and link else None,
        title=title.strip() if isinstance(title, str) else "",
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _when(parsed: Any) -> datetime | None:
    # feedparser gives UTC struct_time values.
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, TypeError, ValueError):
        return None
