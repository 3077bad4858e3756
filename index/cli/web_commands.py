"""``qabot add`` and ``qabot feed``: articles by link and followed feeds, from a terminal.

``--allow-loopback-urls`` (or ``QABOT_ALLOW_LOOPBACK_URLS=1``, read by the one settings
loader) lets links reach this machine's own services; it is for tests and
self-hosting, never for a public bot.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from index.cli.commands import Command
from index.cli.escaping import json_text, shown_name
from index.cli.settings import CORPUS, INDEX, LoadedSettings, Setting
from index.errors import FeedListError, FetchError

if TYPE_CHECKING:
    from index.service.ingest import IngestReport, WebAccess
    from index.web.registry import FeedRecord

ALLOW_LOOPBACK = Setting(
    "QABOT_ALLOW_LOOPBACK_URLS",
    "1: let links reach 127.0.0.0/8 and ::1 (unsafe for a public bot)",
    "0",
)
# Titles, URLs and errors come from web pages: all go through ``index.cli.escaping``.


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="+", metavar="URL", help="http(s) links to articles")
    _loopback_argument(parser)


def _loopback_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-loopback-urls",
        action="store_true",
        help="let links reach 127.0.0.0/8 and ::1 "
        f"(UNSAFE for a public bot; {ALLOW_LOOPBACK.env}=1 does the same)",
    )


def _feed_arguments(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    actions = parser.add_subparsers(dest="feed_action", required=True, metavar="ACTION")
    added = actions.add_parser("add", help="follow a feed", description="follow a feed")
    added.add_argument("url")
    listed = actions.add_parser("list", help="list the followed feeds")
    listed.add_argument("--json", action="store_true", help="print JSON")
    removed = actions.add_parser("remove", help="stop following a feed")
    removed.add_argument("url")
    text = "poll every feed once, add what is new, update the index"
    polled = actions.add_parser("poll", help=text, description=text)
    _loopback_argument(polled)
    return [added, listed, removed, polled]


def _access(args: argparse.Namespace, loaded: LoadedSettings) -> WebAccess:
    from index.service.ingest import WebAccess
    from index.web.limits import Limits

    allow = bool(getattr(args, "allow_loopback_urls", False)) or loaded.flag(ALLOW_LOOPBACK)
    return WebAccess(Limits(), allow_loopback=allow)


def _add(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    import asyncio  # 30 ms that ``qabot ask`` and ``--help`` need not pay

    from index.service.ingest import add_urls

    corpus = loaded.path(CORPUS)
    corpus.mkdir(parents=True, exist_ok=True)
    access = _access(args, loaded)
    report = asyncio.run(add_urls(corpus, loaded.path(INDEX), args.urls, access))
    _print_report(report)
    return 2 if report.refused else 0


def _feed(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    corpus = loaded.path(CORPUS)
    if args.feed_action == "add":
        return _feed_add(corpus, args.url)
    if args.feed_action == "remove":
        return _feed_remove(corpus, args.url)
    if args.feed_action == "list":
        return _feed_list(corpus, args.json)
    return _feed_poll(corpus, loaded.path(INDEX), _access(args, loaded))


def _feed_poll(corpus: Path, index_dir: Path, access: WebAccess) -> int:
    import asyncio

    from index.service.feed_list import followed_feeds
    from index.service.feed_poll import poll_feeds

    feeds = followed_feeds(corpus)
    if not feeds:
        where = shown_name(str(corpus))
        print(f"No feeds are followed in {where}; add one with 'qabot feed add URL'.")
        return 0
    report = asyncio.run(poll_feeds(corpus, index_dir, access))
    print(f"Polled {len(feeds)} feed(s).")
    _print_report(report)
    return 0


def _print_report(report: IngestReport) -> None:
    for added in report.added:
        when = f" ({added.published})" if added.published else ""
        line = f"Added {added.title}{when}: {added.citation_url} -> {added.path}"
        print(shown_name(line))
    for failure in report.failures:
        if failure in report.refused:
            print(f"qabot: {shown_name(str(failure))}", file=sys.stderr)
        else:
            print(f"Already added: {shown_name(failure.url)} ({shown_name(failure.detail)})")
    if report.opened is not None:
        stats = report.opened.stats
        print(f"The index now holds {stats.documents:,} documents, {stats.sentences:,} sentences.")
    elif not report.added and not report.refused:
        print("Nothing new to add.")


def _feed_add(corpus: Path, url: str) -> int:
    from index.service.feed_list import follow_feed, followed_feeds
    from index.web.limits import Limits

    try:
        follow_feed(corpus, url, Limits().max_feeds)
    except FetchError as error:
        # Said here, not by main(): the message names the link refused.
        raise FetchError(error.reason, f"{shown_name(url)}: {error.detail}") from None
    count = len(followed_feeds(corpus))
    print(f"Following {shown_name(url)} ({count} feed(s)); 'qabot feed poll' reads it.")
    return 0


def _feed_remove(corpus: Path, url: str) -> int:
    from index.service.feed_list import unfollow_feed

    if not unfollow_feed(corpus, url):
        raise FeedListError(f"{shown_name(url)} is not followed (see 'qabot feed list')")
    print(f"No longer following {shown_name(url)}; the articles it added stay in the corpus.")
    return 0


def _feed_list(corpus: Path, as_json: bool) -> int:
    from index.service.feed_list import followed_feeds

    feeds = followed_feeds(corpus)
    if as_json:
        print(json_text([feed.to_json() for feed in feeds], indent=1))
    elif not feeds:
        print("No feeds are followed; add one with 'qabot feed add URL'.")
    else:
        print("\n".join(describe_feed(feed) for feed in feeds))
    return 0


def describe_feed(feed: FeedRecord) -> str:
    """A feed as ``qabot feed list`` shows it: a line, then what its polls did."""
    title = f" ({shown_name(feed.title)})" if feed.title else ""
    lines = [f"{shown_name(feed.url)}{title}"]
    polled = feed.last_polled or "never"
    lines.append(
        f"  followed since {shown_name(feed.added_at)}; last polled {shown_name(polled)}; "
    )
    lines[-1] += f"{feed.added_total:,} article(s) added in all"
    if feed.last_added:
        lines.append("  latest added: " + "; ".join(shown_name(t) for t in feed.last_added))
    if feed.last_error:
        lines.append(f"  last error: {shown_name(feed.last_error)}")
    return "\n".join(lines)


PATHS = (CORPUS, INDEX)
ADD = Command(
    "add", "add articles by link: fetch, extract, keep as Markdown, update the index",
    _add_arguments, _add, PATHS,
)  # fmt: skip
FEED = Command(
    "feed", "follow news feeds (RSS, Atom): add, list, remove, poll",
    _feed_arguments, _feed, PATHS,
)  # fmt: skip
WEB_COMMANDS = (ADD, FEED)
