"""The feeds a collection follows, kept as a hidden JSON file beside its articles.

``<corpus>/.feeds.json`` (hidden, so the corpus reader never reads it) holds,
per feed: its URL, when it was added and last polled, the server's ETag and
Last-Modified for conditional requests, the GUIDs and URLs already seen (the
newest :data:`MAX_SEEN`), the titles the latest poll that added anything added,
and the last poll's error.
It is versioned and written to a temp file then ``os.replace``-d, so a crash
leaves the old registry or the new one, never half of one. Every change is a
read-modify-write under an exclusive ``fcntl.flock`` on ``.feeds.json.lock``
beside it (:func:`change_registry`): two processes changing the list at once
(``qabot feed add`` while the bot follows another feed) each keep the other's
change.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.errors import FeedListError, FetchError, FetchReason
from index.web.addresses import check_url

REGISTRY_NAME = ".feeds.json"
LOCK_NAME = ".feeds.json.lock"
VERSION = 1
MAX_SEEN = 2000
MAX_TITLES = 10


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """One followed feed and what its polls found."""

    url: str
    added_at: str
    title: str | None = None
    last_polled: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    seen: tuple[str, ...] = ()
    last_added: tuple[str, ...] = ()
    added_total: int = 0
    last_error: str | None = None

    def seeing(self, keys: list[str]) -> FeedRecord:
        """This record with ``keys`` remembered as seen (the oldest forgotten past the cap)."""
        fresh = [key for key in dict.fromkeys(keys) if key not in self.seen]
        return replace(self, seen=(*self.seen, *fresh)[-MAX_SEEN:])

    def to_json(self) -> dict[str, Any]:
        """The record as stored."""
        data = {name: getattr(self, name) for name in self.__slots__}
        data["seen"], data["last_added"] = list(self.seen), list(self.last_added)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedRecord:
        """Read back :meth:`to_json`; raises ``KeyError``/``TypeError``/``ValueError``."""
        known = {name: data[name] for name in cls.__slots__ if name in data}
        record = cls(**known)
        if not isinstance(record.url, str) or not isinstance(record.added_at, str):
            raise TypeError("url and added_at must be strings")
        seen, added = data.get("seen", []), data.get("last_added", [])
        return replace(record, seen=tuple(map(str, seen)), last_added=tuple(map(str, added)))


@dataclass(frozen=True, slots=True)
class FeedRegistry:
    """All feeds of one collection, in the order they were added."""

    feeds: tuple[FeedRecord, ...] = ()

    def find(self, url: str) -> FeedRecord | None:
        """The record of ``url``, if followed."""
        return next((feed for feed in self.feeds if feed.url == url), None)

    def seen(self) -> frozenset[str]:
        """Every key any feed has seen: an article in two feeds is added once."""
        return frozenset(key for feed in self.feeds for key in feed.seen)

    def updated(self, record: FeedRecord) -> FeedRegistry:
        """This registry with ``record`` replacing the one of the same URL."""
        return FeedRegistry(tuple(record if f.url == record.url else f for f in self.feeds))


def feed_link(url: str) -> str:
    """``url`` as a feed is followed by; raises ``FetchError`` when refused.

    Only the link itself is checked here (http(s), no private literal address);
    the host is resolved and checked when the feed is polled.
    """
    return check_url(url, allow_loopback=True)


def add_feed(registry: FeedRegistry, url: str, now: str, max_feeds: int) -> FeedRegistry:
    """``registry`` following ``url`` too; raises ``FetchError`` when refused (a link
    :func:`feed_link` refuses, one followed already, or one past ``max_feeds``)."""
    url = feed_link(url)
    if registry.find(url) is not None:
        raise FetchError(FetchReason.DUPLICATE, "this feed is already followed")
    if len(registry.feeds) >= max_feeds:
        raise FetchError(
            FetchReason.LIMIT, f"at most {max_feeds} feeds may be followed; remove one first"
        )
    return FeedRegistry((*registry.feeds, FeedRecord(url=url, added_at=now)))


def remove_feed(registry: FeedRegistry, url: str) -> FeedRegistry:
    """``registry`` without ``url``; raises ``KeyError`` when it was not followed."""
    if registry.find(url) is None:
        raise KeyError(url)
    return FeedRegistry(tuple(feed for feed in registry.feeds if feed.url != url))


def registry_path(folder: Path) -> Path:
    """Where the registry of the collection in ``folder`` lives."""
    return folder / REGISTRY_NAME


def load_registry(folder: Path) -> FeedRegistry:
    """The registry of ``folder`` (empty when there is none); raises ``RegistryError``."""
    path = registry_path(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return FeedRegistry()
    except (OSError, ValueError) as error:
        raise FeedListError(f"cannot read the feed list {path}: {error}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise FeedListError(f"the feed list {path} is not a version {VERSION} qabot feed list")
    try:
        return FeedRegistry(tuple(FeedRecord.from_json(item) for item in data["feeds"]))
    except (KeyError, TypeError, ValueError) as error:
        raise FeedListError(f"the feed list {path} is damaged ({error!r})") from None


def save_registry(folder: Path, registry: FeedRegistry) -> None:
    """Write the registry atomically (temp file, flush, ``os.replace``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = registry_path(folder)
    temp = path.with_name(f"{path.name}.{os.getpid()}.part")
    data = {"version": VERSION, "feeds": [feed.to_json() for feed in registry.feeds]}
    try:
        with temp.open("w", encoding="utf-8") as handle:
            # ASCII escapes: a feed's title may hold a lone surrogate, which UTF-8 cannot write.
            json.dump(data, handle, ensure_ascii=True, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        if temp.is_file():
            temp.unlink()
        raise


@contextmanager
def registry_lock(folder: Path) -> Iterator[None]:
    """Hold the feed list's lock of ``folder`` (blocking: call it off an event loop);
    raises ``FeedListError`` when the lock file cannot be made there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK_NAME).open("a")
    except OSError as error:
        raise FeedListError(
            f"cannot read the feed list in {folder}: {error.strerror or error}"
        ) from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the file is closed
        yield


def change_registry(folder: Path, change: Callable[[FeedRegistry], FeedRegistry]) -> FeedRegistry:
    """Apply ``change`` to the registry as it is on disk now and save the result, both
    under :func:`registry_lock`; returns what was saved. Whatever ``change`` raises
    leaves the registry as it was; a failed save raises ``OSError``."""
    with registry_lock(folder):
        updated = change(load_registry(folder))
        save_registry(folder, updated)
        return updated
