"""Polling followed feeds: every new entry of every feed, added as ONE index update.

Each feed is asked conditionally (ETag / Last-Modified, so an unchanged feed
costs a 304). Entries already seen by any feed of the collection (by GUID or by
link) are skipped, so are entries older than ``Limits.max_entry_age``; at most
``Limits.max_articles_per_poll`` new entries are fetched per poll, taken in turn
from each feed, and the rest wait for the next poll. An entry whose page failed
for good (not an article, too large...) is remembered as seen; one that timed
out or could not be reached is tried again next time. The registry is saved
after the index update, so a failed update leaves every entry to be tried again;
the poll's findings are written into the registry as it is then, under its lock,
so a feed followed or unfollowed during the poll stays so.
Like :mod:`index.service.ingest`, a poll is a web step (:func:`gather_poll`) and
an index step (:func:`finish_poll`).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import zip_longest
from pathlib import Path

from index.errors import FetchError, FetchReason
from index.service.ingest import (
    Gathered,
    IngestReport,
    RefusedLink,
    Update,
    WebAccess,
    commit,
    fetch_articles,
    folder_update,
    keep_articles,
    utc_now,
)
from index.web.feeds import FeedEntry, FeedFetch, fetch_feed
from index.web.fetcher import Fetcher, Validators
from index.web.limits import Limits
from index.web.pages import FetchedArticle
from index.web.registry import FeedRecord, FeedRegistry, change_registry, load_registry
from index.web.store import normalized_url

RETRIED = frozenset({FetchReason.TIMEOUT, FetchReason.CONNECTION, FetchReason.HTTP_STATUS})


@dataclass(frozen=True, slots=True)
class Planned:
    """An entry to fetch in this poll, and the feed it came from."""

    feed: str
    entry: FeedEntry
    link: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The entries to fetch, and per feed the keys to remember without fetching."""

    fetch: tuple[Planned, ...]
    skip: dict[str, list[str]]


async def poll_feeds(
    corpus_dir: Path, index_dir: Path, access: WebAccess, only: str | None = None
) -> IngestReport:
    """Poll every feed of the corpus in ``corpus_dir`` (or just ``only``) and update its index."""
    return await poll_folder(corpus_dir, access, folder_update(corpus_dir, index_dir), only)


@dataclass(frozen=True, slots=True)
class PollGathered:
    """The web step of a poll: the feeds asked, what they answered, the files written."""

    feeds: tuple[FeedRecord, ...]
    fetches: tuple[FeedFetch | RefusedLink, ...]
    plan: Plan
    gathered: Gathered
    now: str


async def poll_folder(
    folder: Path, access: WebAccess, update: Update, only: str | None = None
) -> IngestReport:
    """Poll the feeds of the collection in ``folder``; ``update`` runs once if anything is new."""
    return await finish_poll(folder, await gather_poll(folder, access, only), update)


async def gather_poll(folder: Path, access: WebAccess, only: str | None = None) -> PollGathered:
    """Ask every feed (or ``only``), fetch the new entries' articles and write them."""
    registry = await asyncio.to_thread(load_registry, folder)
    feeds = tuple(feed for feed in registry.feeds if only is None or feed.url == only)
    now = utc_now()
    async with access.fetcher() as fetcher:
        fetches = tuple(await asyncio.gather(*(_fetch_feed(fetcher, feed) for feed in feeds)))
        plan = plan_entries(feeds, fetches, registry.seen(), access.limits, now)
        results = await fetch_articles(fetcher, [item.link for item in plan.fetch])
    origins = {item.link: (item.feed, item.entry.guid) for item in plan.fetch}
    fetched = [item for item in results if isinstance(item, FetchedArticle)]
    failures = [item for item in results if isinstance(item, RefusedLink)]
    kept, unkept = await asyncio.to_thread(keep_articles, folder, fetched, origins, now)
    gathered = Gathered(tuple(kept), (*failures, *unkept))
    return PollGathered(feeds, fetches, plan, gathered, now)


async def finish_poll(folder: Path, polled: PollGathered, update: Update) -> IngestReport:
    """Index what :func:`gather_poll` wrote (once), then save the registry."""
    report = polled.gathered.report(None)
    try:
        opened = await commit(polled.gathered.kept, update)
    except BaseException as error:
        failed = functools.partial(_failed_update, feeds=polled.feeds, now=polled.now, error=error)
        await asyncio.to_thread(change_registry, folder, failed)
        raise
    found = functools.partial(
        record_poll,
        feeds=polled.feeds,
        fetches=polled.fetches,
        plan=polled.plan,
        report=report,
        now=polled.now,
    )
    await asyncio.to_thread(change_registry, folder, found)
    feed_failures = [f for f in polled.fetches if isinstance(f, RefusedLink)]
    return replace(report, failures=(*feed_failures, *report.failures), opened=opened)


async def _fetch_feed(fetcher: Fetcher, feed: FeedRecord) -> FeedFetch | RefusedLink:
    try:
        return await fetch_feed(fetcher, feed.url, Validators(feed.etag, feed.last_modified))
    except FetchError as error:
        return RefusedLink(feed.url, error.reason, error.detail)


def plan_entries(
    feeds: Sequence[FeedRecord],
    fetches: Sequence[FeedFetch | RefusedLink],
    seen: frozenset[str],
    limits: Limits,
    now: str,
) -> Plan:
    """Which new entries to fetch (in turn from each feed, up to the cap) and which to skip."""
    taken: set[str] = set(seen)
    fresh: list[list[Planned]] = []
    skip: dict[str, list[str]] = {}
    for feed, fetched in zip(feeds, fetches, strict=True):
        if isinstance(fetched, RefusedLink) or fetched.feed is None:
            continue
        new, old = _new_entries(feed.url, fetched.feed.entries, taken, limits, now)
        fresh.append(new)
        skip[feed.url] = old
    in_turn = [item for row in zip_longest(*fresh) for item in row if item is not None]
    return Plan(tuple(in_turn[: limits.max_articles_per_poll]), skip)


def _new_entries(
    feed: str, entries: Sequence[FeedEntry], taken: set[str], limits: Limits, now: str
) -> tuple[list[Planned], list[str]]:
    new: list[Planned] = []
    old: list[str] = []
    cutoff = datetime.fromisoformat(now) - limits.max_entry_age if limits.max_entry_age else None
    for entry in entries:
        keys = entry_keys(entry)
        if not keys or any(key in taken for key in keys):
            continue
        taken.update(keys)
        if entry.url is None or (cutoff and entry.published and entry.published < cutoff):
            old.extend(keys)
        else:
            new.append(Planned(feed, entry, entry.url))
    return new, old


def entry_keys(entry: FeedEntry) -> list[str]:
    """The keys an entry is remembered by: its GUID and its normalized link."""
    keys = [entry.guid] if entry.guid else []
    return keys + ([normalized_url(entry.url)] if entry.url else [])


def record_poll(
    registry: FeedRegistry,
    feeds: Sequence[FeedRecord],
    fetches: Sequence[FeedFetch | RefusedLink],
    plan: Plan,
    report: IngestReport,
    now: str,
) -> FeedRegistry:
    """The registry after a poll whose index update succeeded."""
    for feed, fetched in zip(feeds, fetches, strict=True):
        record = replace(feed, last_polled=now)
        if isinstance(fetched, RefusedLink):
            record = replace(record, last_error=str(fetched))
        else:
            record = _polled(record, fetched, plan, report)
        registry = registry.updated(record)
    return registry


def _polled(record: FeedRecord, fetched: FeedFetch, plan: Plan, report: IngestReport) -> FeedRecord:
    keys = list(plan.skip.get(record.url, []))
    added = [a for a in report.added if a.feed == record.url]
    mine = {item.link: item.entry for item in plan.fetch if item.feed == record.url}
    for item in added:
        keys += [*entry_keys(mine[item.url]), normalized_url(item.citation_url)]
    failed = [f for f in report.failures if f.url in mine]
    keys += [k for f in failed if f.reason not in RETRIED for k in entry_keys(mine[f.url])]
    title = fetched.feed.title if fetched.feed is not None else record.title
    return replace(
        record.seeing(keys),
        title=title or record.title,
        etag=fetched.validators.etag,
        last_modified=fetched.validators.last_modified,
        last_added=tuple(item.title for item in added)[:10] or record.last_added,
        added_total=record.added_total + len(added),
        last_error=_entry_errors(failed),
    )


def _entry_errors(failed: list[RefusedLink]) -> str | None:
    real = [f for f in failed if f.reason is not FetchReason.DUPLICATE]
    if not real:
        return None
    more = f" (and {len(real) - 1} more)" if len(real) > 1 else ""
    return f"{real[0]}{more}"


def _failed_update(
    registry: FeedRegistry, feeds: Sequence[FeedRecord], now: str, error: BaseException
) -> FeedRegistry:
    """The registry after a poll whose index update failed: nothing marked seen."""
    note = f"the index could not be updated ({error}); the entries will be tried again"
    for feed in feeds:
        registry = registry.updated(replace(feed, last_polled=now, last_error=note))
    return registry
