"""``qabot add`` and ``qabot feed`` against a news site on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from index.cli.main import main
from index.cli.web_commands import ALLOW_LOOPBACK
from index.web.registry import FeedRecord, FeedRegistry, save_registry
from tests.web_pages import HARBOUR, LIGHTHOUSE, OBSERVATORY
from tests.web_site import NewsSite

LOOPBACK = "--allow-loopback-urls"


class Cli:
    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.corpus, self.index, self.capsys = tmp_path / "corpus", tmp_path / "index", capsys

    def __call__(self, *args: str, index: bool = True) -> tuple[int, str, str]:
        folders = ["--corpus", str(self.corpus)] + (["--index", str(self.index)] if index else [])
        status = main([*args, *folders])
        out, err = self.capsys.readouterr()
        return status, out, err

    def ask(self, question: str) -> list[dict[str, Any]]:
        status, out, _ = self("ask", question, "--json", "-k", "1")
        assert status == 0
        hits: list[dict[str, Any]] = json.loads(out)["hits"]
        return hits


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def test_add_then_ask_cites_the_page(site: NewsSite, cli: Cli) -> None:
    harbour = site.loopback + f"/news/{HARBOUR.slug}"
    observatory = site.loopback + f"/news/{OBSERVATORY.slug}"
    status, out, err = cli("add", harbour, observatory, LOOPBACK)
    assert status == 0, err
    assert f"Added {HARBOUR.title} (2024-03-05): {harbour} -> 127.0.0.1/" in out
    assert "The index now holds 2 documents" in out
    (hit,) = cli.ask("How many routes does the new ferry terminal serve?")
    assert hit["text"] == HARBOUR.paragraphs[1]
    assert (hit["url"], hit["published"], hit["source"]) == (
        harbour,
        "2024-03-05",
        "The Bay Courier",
    )
    again, out, _ = cli("add", harbour, LOOPBACK)
    assert again == 0 and out.startswith(f"Already added: {harbour}")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-private", "private address: 10.0.0.1 is a private address"),
        ("/loop-a", "bad redirect: a redirect loop"),
        ("/report.pdf", "wrong content type: application/pdf"),
        ("/empty", "not an article"),
    ],
)
def test_a_refused_link_exits_2_with_one_line(
    site: NewsSite, cli: Cli, path: str, reason: str
) -> None:
    status, out, err = cli("add", site.loopback + path, LOOPBACK)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"qabot: {site.loopback}{path}: {reason}")
    assert not cli.index.exists()


def test_loopback_needs_the_flag_or_the_environment(
    site: NewsSite, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = site.loopback + f"/news/{HARBOUR.slug}"
    status, _, err = cli("add", url)
    assert status == 2 and "private address: 127.0.0.1 is a loopback address" in err
    assert site.requests == []
    monkeypatch.setenv(ALLOW_LOOPBACK.env, "1")
    status, out, _ = cli("add", url)
    assert status == 0 and out.startswith("Added ")


def test_follow_poll_twice_list_and_remove_a_feed(site: NewsSite, cli: Cli) -> None:
    feed = site.loopback + "/feed.rss"
    assert cli("feed", "add", feed, index=False)[0] == 0
    status, _, err = cli("feed", "add", feed, index=False)
    assert status == 2 and "already followed" in err
    status, out, _ = cli("feed", "poll", LOOPBACK)
    assert status == 0 and out.count("Added ") == 2 and "The index now holds 2 documents" in out
    hits = cli.ask("Who is the director of the observatory?")
    assert hits[0]["url"] == site.loopback + f"/news/{OBSERVATORY.slug}"
    status, out, _ = cli("feed", "poll", LOOPBACK)
    assert status == 0 and "Nothing new to add." in out
    site.feed_articles, site.feed_version = [LIGHTHOUSE, HARBOUR], 2
    status, out, _ = cli("feed", "poll", LOOPBACK)
    assert out.count("Added ") == 1 and LIGHTHOUSE.title in out
    status, out, _ = cli("feed", "list", index=False)
    assert out.startswith(f"{feed} (The Bay Courier)")
    assert "3 article(s) added in all" in out and f"latest added: {LIGHTHOUSE.title}" in out
    status, out, _ = cli("feed", "list", "--json", index=False)
    assert json.loads(out)[0]["etag"] == '"v2"'
    assert cli("feed", "remove", feed, index=False)[0] == 0
    status, _, err = cli("feed", "remove", feed, index=False)
    assert status == 2 and "is not followed" in err


def test_a_feed_poll_reports_errors_in_the_list(site: NewsSite, cli: Cli) -> None:
    cli("feed", "add", site.loopback + "/report.pdf", index=False)
    status, out, err = cli("feed", "poll", LOOPBACK)
    assert status == 0 and "wrong content type: application/pdf" in err
    _, out, _ = cli("feed", "list", index=False)
    assert "last error: " in out and "application/pdf" in out


def test_bad_feed_links_and_damaged_lists_are_refused(cli: Cli) -> None:
    status, _, err = cli("feed", "add", "http://169.254.169.254/feed", index=False)
    assert status == 2 and "link-local" in err
    cli.corpus.mkdir()
    (cli.corpus / ".feeds.json").write_text("{broken")
    status, _, err = cli("feed", "list", index=False)
    assert status == 2 and "cannot read the feed list" in err


def test_control_characters_in_the_feed_list_never_reach_the_terminal(cli: Cli) -> None:
    unsafe = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\nline")
    feed = FeedRecord(
        url="https://news.example/feed",
        added_at="2026-01-01T00:00:00+00:00",
        title="Evil\x1b]0;owned\x07 \u202eeltit",
        last_added=("A\x9b31m title",),
        last_error="broken\nline \u2066",
    )
    save_registry(cli.corpus, FeedRegistry((feed,)))
    for args in (("feed", "list"), ("feed", "list", "--json")):
        status, out, _ = cli(*args, index=False)
        assert status == 0 and not any(char in out for char in unsafe)
    assert "Evil\\x1b]0;owned\\x07 \\u202eeltit" in cli("feed", "list", index=False)[1]
    status, out, _ = cli("feed", "list", "--json", index=False)
    assert json.loads(out)[0]["title"] == feed.title  # escaped, and reads back the same
