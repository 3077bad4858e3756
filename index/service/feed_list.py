"""The feeds a collection follows: follow, stop following, list (see ``index.web.registry``).

Only the link is checked when a feed is followed (http(s), no private literal
address); the host is resolved and checked when the feed is polled.
"""

from __future__ import annotations

from pathlib import Path

from index.errors import FeedListError
from index.service.ingest import utc_now
from index.web.registry import (
    REGISTRY_NAME,
    FeedRecord,
    FeedRegistry,
    add_feed,
    load_registry,
    remove_feed,
    save_registry,
)


def followed_feeds(folder: Path) -> tuple[FeedRecord, ...]:
    """The feeds the collection in ``folder`` follows; raises ``FeedListError``."""
    return load_registry(folder).feeds


def follows_feeds(folder: Path) -> bool:
    """Whether the collection in ``folder`` has a feed list."""
    return (folder / REGISTRY_NAME).is_file()


def follow_feed(folder: Path, url: str, max_feeds: int) -> FeedRecord:
    """Follow ``url``; raises ``FetchError`` (bad link, followed already, cap reached)."""
    updated = add_feed(load_registry(folder), url, utc_now(), max_feeds)
    _save(folder, updated)
    return updated.feeds[-1]


def unfollow_feed(folder: Path, url: str) -> bool:
    """Stop following ``url``; ``False`` when it was not followed."""
    registry = load_registry(folder)
    try:
        updated = remove_feed(registry, url.strip())
    except KeyError:
        return False
    _save(folder, updated)
    return True


def _save(folder: Path, registry: FeedRegistry) -> None:
    try:
        save_registry(folder, registry)
    except OSError as error:
        raise FeedListError(
            f"cannot write the feed list in {folder}: {error.strerror or error}"
        ) from None
