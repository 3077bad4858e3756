"""Adding articles by link: fetch, extract, keep as files, then ONE incremental update.

Ingest runs in two steps so a caller can run them on different event loops:
:func:`gather_urls` fetches, extracts and writes the files (all web traffic),
:func:`commit` updates the index once. Every link gets its own outcome: added,
or refused with a :class:`Failure` saying why (private address, not an
article, too large, timeout, HTTP status, wrong content type...). Files are
written only for articles that were extracted, and if the index update then
fails they are removed again, so the corpus and the index never hold half of an
ingest. The update itself is a callable, so the CLI refreshes one corpus folder
while the bot goes through its library (lock, live swap) for a server's
collection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from aiohttp.abc import AbstractResolver

from index.articles.web_article import Provenance
from index.errors import FetchError, FetchReason
from index.service.opened_index import OpenedIndex
from index.service.updating import refresh
from index.web.fetcher import Fetcher
from index.web.limits import Limits
from index.web.pages import FetchedArticle, fetch_article
from index.web.store import existing_article, remove_articles, write_article

Update = Callable[[], Awaitable[OpenedIndex]]
"""Brings the index up to date with the corpus folder the files were written to."""


@dataclass(frozen=True, slots=True)
class WebAccess:
    """How ingest may reach the web: the limits, whether loopback is allowed, the resolver.

    ``resolver`` is the name lookup under the address checks (the system's by
    default); tests hand in one that knows their host names.
    """

    limits: Limits = Limits()
    allow_loopback: bool = False
    resolver: AbstractResolver | None = None

    def fetcher(self) -> Fetcher:
        """A new :class:`Fetcher` with these settings (use it with ``async with``)."""
        return Fetcher(self.limits, self.allow_loopback, self.resolver)


@dataclass(frozen=True, slots=True)
class AddedArticle:
    """An article that was kept and indexed: where it came from and where it is kept."""

    url: str
    title: str
    path: str
    citation_url: str
    published: str | None = None
    feed: str | None = None


@dataclass(frozen=True, slots=True)
class RefusedLink:
    """A link that was not added, and why."""

    url: str
    reason: FetchReason
    detail: str

    def __str__(self) -> str:
        return f"{self.url}: {self.reason.value}: {self.detail}"


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one add or poll did; ``opened`` is the updated index (``None``: nothing added)."""

    added: tuple[AddedArticle, ...]
    failures: tuple[RefusedLink, ...]
    opened: OpenedIndex | None = None

    @property
    def refused(self) -> tuple[RefusedLink, ...]:
        """The failures that are real refusals (not articles that were already kept)."""
        return tuple(f for f in self.failures if f.reason is not FetchReason.DUPLICATE)


def utc_now() -> str:
    """The time now, as the front matter and the feed registry record it."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


async def add_urls(
    corpus_dir: Path, index_dir: Path, urls: Sequence[str], access: WebAccess
) -> IngestReport:
    """Add the articles at ``urls`` to the corpus in ``corpus_dir`` and update its index."""
    return await ingest_urls(corpus_dir, urls, access, folder_update(corpus_dir, index_dir))


def folder_update(corpus_dir: Path, index_dir: Path) -> Update:
    """The update of one corpus folder's index, run in a worker thread."""

    async def update() -> OpenedIndex:
        return await asyncio.to_thread(refresh, corpus_dir, index_dir)

    return update


@dataclass(frozen=True, slots=True)
class Kept:
    """An article written to the corpus folder this time, not yet indexed."""

    added: AddedArticle
    path: Path


@dataclass(frozen=True, slots=True)
class Gathered:
    """What the web step of an ingest produced: files written, and links refused."""

    kept: tuple[Kept, ...]
    failures: tuple[RefusedLink, ...]

    def report(self, opened: OpenedIndex | None) -> IngestReport:
        """The report once the index step is done."""
        return IngestReport(tuple(item.added for item in self.kept), self.failures, opened)


async def ingest_urls(
    folder: Path, urls: Sequence[str], access: WebAccess, update: Update
) -> IngestReport:
    """Fetch ``urls``, keep their articles in ``folder``, then run ``update`` once."""
    gathered = await gather_urls(folder, urls, access)
    return gathered.report(await commit(gathered.kept, update))


async def gather_urls(folder: Path, urls: Sequence[str], access: WebAccess) -> Gathered:
    """Fetch ``urls`` and write their articles into ``folder`` (no index update)."""
    wanted = list(dict.fromkeys(url.strip() for url in urls if url.strip()))
    known = {url: path for url in wanted if (path := existing_article(folder, url)) is not None}
    async with access.fetcher() as fetcher:
        results = await fetch_articles(fetcher, [url for url in wanted if url not in known])
    fetched = [item for item in results if isinstance(item, FetchedArticle)]
    refused = [item for item in results if isinstance(item, RefusedLink)]
    kept, unkept = await asyncio.to_thread(keep_articles, folder, fetched, {}, utc_now())
    already = [
        RefusedLink(url, FetchReason.DUPLICATE, _kept_as(folder, path))
        for url, path in known.items()
    ]
    return Gathered(tuple(kept), (*already, *refused, *unkept))


async def fetch_articles(
    fetcher: Fetcher, urls: Iterable[str]
) -> list[FetchedArticle | RefusedLink]:
    """Each link's article or failure, fetched concurrently (the fetcher caps how many)."""
    return list(await asyncio.gather(*(_fetch_one(fetcher, url) for url in urls)))


async def _fetch_one(fetcher: Fetcher, url: str) -> FetchedArticle | RefusedLink:
    try:
        return await fetch_article(fetcher, url)
    except FetchError as error:
        return RefusedLink(url, error.reason, error.detail)


def keep_articles(
    folder: Path,
    fetched: Sequence[FetchedArticle],
    feeds: dict[str, tuple[str, str | None]],
    now: str,
) -> tuple[list[Kept], list[RefusedLink]]:
    """Write each article as a file in ``folder``; an article kept already is a failure.

    ``feeds`` maps a link to the feed it came from and the entry's GUID.
    """
    kept: list[Kept] = []
    failures: list[RefusedLink] = []
    for item in fetched:
        feed, guid = feeds.get(item.url, (None, None))
        article = replace(item.article, url=item.citation_url)
        try:
            path = write_article(folder, item.citation_url, article, Provenance(now, guid))
        except FileExistsError as error:
            kept_as = _kept_as(folder, error.args[0])
            failures.append(RefusedLink(item.url, FetchReason.DUPLICATE, kept_as))
            continue
        except OSError as error:  # a full disk or no permission: this article only
            detail = f"the article could not be written ({error.strerror or error})"
            failures.append(RefusedLink(item.url, FetchReason.WRITE, detail))
            continue
        relpath = path.relative_to(folder).as_posix()
        added = AddedArticle(
            item.url, article.title, relpath, item.citation_url, article.published, feed
        )
        kept.append(Kept(added, path))
    return kept, failures


async def commit(kept: Sequence[Kept], update: Update) -> OpenedIndex | None:
    """Run ``update`` for the files just written; if it fails, remove them and re-raise."""
    if not kept:
        return None
    try:
        return await update()
    except BaseException:
        await asyncio.to_thread(remove_articles, [item.path for item in kept])
        raise


def _kept_as(folder: Path, path: Path) -> str:
    return f"already kept as {Path(path).relative_to(folder).as_posix()}"
