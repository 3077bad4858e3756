"""The feeds a collection follows: follow, stop following, list (see ``index.web.registry``).

Only the link is checked when a feed is followed (http(s), no private literal
address); the host is resolved and checked when the feed is polled. Each change
is made to the list as it is on disk, under its lock (``change_registry``), so
two processes changing it at once lose neither change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.errors import FeedListError
from index.service.ingest import utc_now
from index.web.registry import (
    REGISTRY_NAME,
    FeedRecord,
    FeedRegistry,
    add_feed,
    change_registry,
    feed_link,
    load_registry,
    remove_feed,
)


def followed_feeds(folder: Path) -> tuple[FeedRecord, ...]:
    """The feeds the collection in ``folder`` follows; raises ``FeedListError``."""
    return load_registry(folder).feeds


def follows_feeds(folder: Path) -> bool:
    """Whether the collection in ``folder`` has a feed list."""
    return (folder / REGISTRY_NAME).is_file()


def follow_feed(folder: Path, url: str, max_feeds: int) -> FeedRecord:
    """Follow ``url``; raises ``FetchError`` (bad link, followed already, cap reached)."""
    link = feed_link(url)  # a refused link changes nothing, not even the folder
    updated = _changed(folder, lambda registry: add_feed(registry, link, utc_now(), max_feeds))
    return updated.feeds[-1]


def unfollow_feed(folder: Path, url: str) -> bool:
    """Stop following ``url``; ``False`` when it was not followed."""
    try:
        _changed(folder, lambda registry: remove_feed(registry, url.strip()))
    except KeyError:
        return False
    return True


def _changed(folder: Path, change: Callable[[FeedRegistry], FeedRegistry]) -> FeedRegistry:
    try:
        return change_registry(folder, change)
    except OSError as error:
        raise FeedListError(
            f"cannot write the feed list in {folder}: {error.strerror or error}"
        ) from None
