"""``qabot add`` and ``qabot feed``: articles by link and followed feeds, from a terminal.

An edge like ``index.cli.main``: it alone reads ``QABOT_ALLOW_LOOPBACK_URLS`` and
turns it, with ``--allow-loopback-urls``, into the explicit argument the library
takes. Allowing loopback lets links reach this machine's own services; it is for
tests and self-hosting, never for a public bot.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any

from index.errors import FeedListError, FetchError
from index.service.feed_list import follow_feed, followed_feeds, unfollow_feed
from index.service.feed_poll import poll_feeds
from index.service.ingest import IngestReport, WebAccess, add_urls
from index.web.limits import Limits
from index.web.registry import FeedRecord

LOOPBACK_ENV = "QABOT_ALLOW_LOOPBACK_URLS"
# Titles, URLs and errors come from web pages: no escape sequence reaches the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CorpusOptions = Callable[[argparse.ArgumentParser], None]


def add_web_commands(commands: Any, corpus_options: CorpusOptions) -> None:
    """Register ``add`` and ``feed add|list|remove|poll`` on the ``qabot`` subcommands."""
    text = "add articles by link: fetch, extract, keep as Markdown, update the index"
    add = _parser(commands, "add", text, _add, corpus_options, web=True)
    add.add_argument("urls", nargs="+", metavar="URL", help="http(s) links to articles")
    text = "follow news feeds (RSS, Atom) and poll them for new articles"
    feed = commands.add_parser("feed", help=text, description=text)
    subs = feed.add_subparsers(dest="feed_command", required=True, metavar="ACTION")
    _parser(subs, "add", "follow a feed", _feed_add, corpus_options).add_argument("url")
    listed = _parser(subs, "list", "list the followed feeds", _feed_list, corpus_options)
    listed.add_argument("--json", action="store_true", help="print JSON")
    _parser(subs, "remove", "stop following a feed", _feed_remove, corpus_options).add_argument(
        "url"
    )
    text = "poll every feed once, add what is new, update the index"
    _parser(subs, "poll", text, _feed_poll, corpus_options, web=True)


def _parser(
    commands: Any,
    name: str,
    text: str,
    handler: Callable[[argparse.Namespace], int],
    corpus_options: CorpusOptions,
    web: bool = False,
) -> argparse.ArgumentParser:
    sub: argparse.ArgumentParser = commands.add_parser(name, help=text, description=text)
    corpus_options(sub)
    if web:
        sub.add_argument(
            "--allow-loopback-urls",
            action="store_true",
            default=_env_flag(os.environ.get(LOOPBACK_ENV)),
            help=f"let links reach 127.0.0.0/8 and ::1 (UNSAFE for a public bot; {LOOPBACK_ENV}=1)",
        )
    sub.set_defaults(handler=handler)
    return sub


def _env_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _access(args: argparse.Namespace) -> WebAccess:
    return WebAccess(Limits(), allow_loopback=args.allow_loopback_urls)


def _add(args: argparse.Namespace) -> int:
    args.corpus.mkdir(parents=True, exist_ok=True)
    report = asyncio.run(add_urls(args.corpus, args.index, args.urls, _access(args)))
    _print_report(report)
    return 2 if report.refused else 0


def _feed_poll(args: argparse.Namespace) -> int:
    feeds = followed_feeds(args.corpus)
    if not feeds:
        print(f"No feeds are followed in {args.corpus}; add one with 'qabot feed add URL'.")
        return 0
    report = asyncio.run(poll_feeds(args.corpus, args.index, _access(args)))
    print(f"Polled {len(feeds)} feed(s).")
    _print_report(report)
    return 0


def _print_report(report: IngestReport) -> None:
    for added in report.added:
        when = f" ({added.published})" if added.published else ""
        print(f"Added {plain(added.title)}{when}: {added.citation_url} -> {plain(added.path)}")
    for failure in report.failures:
        if failure in report.refused:
            print(f"qabot: {plain(str(failure))}", file=sys.stderr)
        else:
            print(f"Already added: {plain(failure.url)} ({plain(failure.detail)})")
    if report.opened is not None:
        stats = report.opened.stats
        print(f"The index now holds {stats.documents:,} documents, {stats.sentences:,} sentences.")
    elif not report.added and not report.refused:
        print("Nothing new to add.")


def _feed_add(args: argparse.Namespace) -> int:
    try:
        follow_feed(args.corpus, args.url, Limits().max_feeds)
    except FetchError as error:
        # Said here, not by main(): the message names the link refused.
        raise FetchError(error.reason, f"{plain(args.url)}: {error.detail}") from None
    count = len(followed_feeds(args.corpus))
    print(f"Following {plain(args.url)} ({count} feed(s)); 'qabot feed poll' reads it.")
    return 0


def _feed_remove(args: argparse.Namespace) -> int:
    if not unfollow_feed(args.corpus, args.url):
        raise FeedListError(f"{plain(args.url)} is not followed (see 'qabot feed list')")
    print(f"No longer following {plain(args.url)}; the articles it added stay in the corpus.")
    return 0


def _feed_list(args: argparse.Namespace) -> int:
    feeds = followed_feeds(args.corpus)
    if args.json:
        print(json.dumps([feed.to_json() for feed in feeds], ensure_ascii=False, indent=1))
    elif not feeds:
        print("No feeds are followed; add one with 'qabot feed add URL'.")
    else:
        print("\n".join(describe_feed(feed) for feed in feeds))
    return 0


def describe_feed(feed: FeedRecord) -> str:
    """A feed as ``qabot feed list`` shows it: a line, then what its polls did."""
    title = f" ({plain(feed.title)})" if feed.title else ""
    lines = [f"{plain(feed.url)}{title}"]
    polled = feed.last_polled or "never"
    lines.append(f"  followed since {feed.added_at}; last polled {polled}; ")
    lines[-1] += f"{feed.added_total:,} article(s) added in all"
    if feed.last_added:
        lines.append("  latest added: " + "; ".join(plain(t) for t in feed.last_added))
    if feed.last_error:
        lines.append(f"  last error: {plain(feed.last_error)}")
    return "\n".join(lines)


def plain(text: str) -> str:
    """``text`` with control characters (escape sequences, line breaks) shown as ``?``."""
    return _CONTROL.sub("?", text)
