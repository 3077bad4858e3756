"""What the bot says about links and feeds."""

from __future__ import annotations

from bot.web_messages import feed_lines, link, report_message
from index.errors import FetchReason
from index.service.ingest import AddedArticle, IngestReport, RefusedLink
from index.web.registry import FeedRecord

ADDED = AddedArticle(
    "https://x.example/a", "A *bold* title", "x.example/a.md", "https://x.example/a", "2024-03-05"
)


def test_a_report_lists_added_refused_and_known_links() -> None:
    report = IngestReport(
        (ADDED,),
        (
            RefusedLink(
                "http://10.0.0.1/", FetchReason.PRIVATE_ADDRESS, "10.0.0.1 is a private address"
            ),
            RefusedLink(
                "https://x.example/b", FetchReason.DUPLICATE, "already kept as x.example/b.md"
            ),
        ),
    )
    text = report_message(report, "Heading")
    assert text.splitlines() == [
        "Heading",
        "Added 1 article(s):",
        "• **A \\*bold\\* title** (5 Mar 2024) <https://x.example/a>",
        "Not added:",
        "• <http://10.0.0.1/>: private address: 10.0.0.1 is a private address",
        "1 link(s) were already in the collection.",
    ]


def test_nothing_new_and_nothing_added_are_said_plainly() -> None:
    assert report_message(IngestReport((), ()), "") == "Nothing new to add."
    refused = IngestReport(
        (), (RefusedLink("https://x.example/", FetchReason.TIMEOUT, "no answer"),)
    )
    assert report_message(refused, "").startswith("Nothing was added:\n• <https://x.example/>")


def test_odd_links_are_escaped_not_linked() -> None:
    assert link("https://x.example/a") == "<https://x.example/a>"
    odd = link("https://x.example/a b)[@everyone](x)")
    assert not odd.startswith("<") and "@\u200beveryone" in odd and "\\[" in odd


def test_a_feed_shows_when_it_was_polled_what_it_added_and_its_error() -> None:
    feed = FeedRecord(
        "https://x.example/feed",
        "2024-06-01T00:00:00+00:00",
        title="X News",
        last_polled="2024-06-01T00:30:00+00:00",
        last_added=("First", "Second"),
        added_total=5,
        last_error="https://x.example/c: timeout: no complete answer within 20 s",
    )
    assert feed_lines(feed).splitlines() == [
        "<https://x.example/feed> — X News",
        "  last polled <t:1717201800:R>; 5 article(s) added in all",
        "  latest added: First; Second",
        "  ⚠ last error: https://x.example/c: timeout: no complete answer within 20 s",
    ]
    assert "not polled yet" in feed_lines(FeedRecord("https://x.example/f", "t"))
