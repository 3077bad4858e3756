"""What the bot says about links and feeds: what was added, what was refused and why."""

from __future__ import annotations

from datetime import datetime

from bot.render import MESSAGE_LIMIT, clip, escape, safe_url
from index import AddedArticle, FeedRecord, IngestReport, RefusedLink, display_date


def link(url: str) -> str:
    """A URL as Discord shows it without a preview, or escaped text when it is odd."""
    safe = safe_url(url)
    return f"<{safe}>" if safe else escape(clip(url, 200))


def added_line(added: AddedArticle) -> str:
    """One added article: its title, date and link."""
    when = display_date(added.published)
    date = f" ({when})" if when else ""
    return f"• **{escape(clip(added.title, 120))}**{date} {link(added.citation_url)}"


def refused_line(failure: RefusedLink) -> str:
    """One refused link and why."""
    return (
        f"• {link(failure.url)}: {escape(clip(f'{failure.reason.value}: {failure.detail}', 300))}"
    )


def report_message(report: IngestReport, heading: str) -> str:
    """What an add or a poll did, in one message."""
    lines = [heading] if heading else []
    if report.added:
        lines.append(f"Added {len(report.added)} article(s):")
        lines += [added_line(item) for item in report.added[:10]]
    refused = report.refused
    if refused:
        lines.append("Not added:" if report.added else "Nothing was added:")
        lines += [refused_line(item) for item in refused[:10]]
    already = [f for f in report.failures if f not in refused]
    if already:
        lines.append(f"{len(already)} link(s) were already in the collection.")
    if not report.added and not report.failures:
        lines.append("Nothing new to add.")
    if report.opened is not None:
        stats = report.opened.stats
        lines.append(
            f"The index now holds {stats.documents:,} documents, {stats.sentences:,} sentences."
        )
    return clip("\n".join(lines), MESSAGE_LIMIT)


def feed_lines(feed: FeedRecord) -> str:
    """One followed feed for ``/feed list``: when polled, what it added, its last error."""
    title = f" — {escape(clip(feed.title, 80))}" if feed.title else ""
    polled = f"last polled {_when(feed.last_polled)}" if feed.last_polled else "not polled yet"
    lines = [
        f"{link(feed.url)}{title}",
        f"  {polled}; {feed.added_total:,} article(s) added in all",
    ]
    if feed.last_added:
        titles = "; ".join(escape(clip(t, 80)) for t in feed.last_added[:3])
        lines.append(f"  latest added: {titles}")
    if feed.last_error:
        lines.append(f"  ⚠ last error: {escape(clip(feed.last_error, 300))}")
    return "\n".join(lines)


def _when(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return escape(iso)
    return f"<t:{int(moment.timestamp())}:R>"
