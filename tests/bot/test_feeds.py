"""``/feed``: each callback with fake interactions, against the test news site."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

import pytest
from discord import app_commands

from bot.errors import UserFacingError
from bot.feeds import NOT_OWNER_FEEDS, FeedCog
from bot.web_library import WebLibrary
from tests.bot_fakes import MEMBER, OWNER, FakeBot, FakeInteraction, shared_library, web_of
from tests.web_pages import HARBOUR, OBSERVATORY
from tests.web_site import NewsSite


@pytest.fixture
def web(tmp_path: Path) -> WebLibrary:
    return web_of(shared_library(tmp_path))


def cog_of(web: WebLibrary, owner: int = OWNER.id) -> FeedCog:
    return FeedCog(FakeBot(owner_id=owner), web, None)  # type: ignore[arg-type]


def call(command: Any, cog: FeedCog, interaction: FakeInteraction, *args: Any) -> str:
    asyncio.run(command.callback(cog, interaction, *args))
    return interaction.last.content or ""


def test_members_are_refused_and_the_group_is_hidden(web: WebLibrary) -> None:
    cog = cog_of(web)
    with pytest.raises(app_commands.CheckFailure, match="Manage Server"):
        asyncio.run(cog.interaction_check(FakeInteraction(MEMBER)))  # type: ignore[arg-type]
    group = cog.__cog_app_commands_group__
    assert group is not None and group.name == "feed" and group.guild_only
    assert group.default_permissions is not None and group.default_permissions.manage_guild


def test_add_follows_polls_at_once_and_says_what_it_added(site: NewsSite, web: WebLibrary) -> None:
    cog = cog_of(web)
    interaction = FakeInteraction(OWNER, guild_id=5)
    text = call(cog.add, cog, interaction, site.url("/feed.rss"))
    assert interaction.sent[0].kind == "defer" and interaction.sent[0].ephemeral
    assert text.startswith(f"Following <{site.url('/feed.rss')}>; its first poll is done.")
    assert "Added 2 article(s):" in text and f"**{HARBOUR.title}** (5 Mar 2024)" in text
    listed = call(cog.list_feeds, cog, FakeInteraction(OWNER, guild_id=5))
    assert listed.startswith("1 of at most 20 feeds:") and "last polled <t:" in listed
    assert "2 article(s) added in all" in listed and OBSERVATORY.title in listed
    complete: Any = cast(Any, cog).followed
    choices = asyncio.run(complete(FakeInteraction(OWNER, guild_id=5), "rss"))
    assert [c.value for c in choices] == [site.url("/feed.rss")]
    removed = call(cog.remove, cog, FakeInteraction(OWNER, guild_id=5), site.url("/feed.rss"))
    assert removed.startswith("No longer following")
    assert call(cog.list_feeds, cog, FakeInteraction(OWNER, guild_id=5)).startswith("No feeds")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/news/harbour-ferry", "not a feed: this is a web page"),
        ("/to-private", "private address: 10.0.0.1 is a private address"),
        ("/report.pdf", "wrong content type: application/pdf"),
    ],
)
def test_a_link_that_is_no_feed_is_refused_and_not_kept(
    site: NewsSite, web: WebLibrary, path: str, words: str
) -> None:
    cog = cog_of(web)
    with pytest.raises(UserFacingError, match=words):
        call(cog.add, cog, FakeInteraction(OWNER, guild_id=5), site.url(path))
    assert asyncio.run(web.feeds(5)) == ()


def test_bad_links_duplicates_and_unknown_feeds_are_refused(
    site: NewsSite, web: WebLibrary
) -> None:
    cog = cog_of(web)
    with pytest.raises(UserFacingError, match="only http"):
        call(cog.add, cog, FakeInteraction(OWNER, guild_id=5), "file:///etc/passwd")
    call(cog.add, cog, FakeInteraction(OWNER, guild_id=5), site.url("/feed.atom"))
    with pytest.raises(UserFacingError, match="already followed"):
        call(cog.add, cog, FakeInteraction(OWNER, guild_id=5), site.url("/feed.atom"))
    with pytest.raises(UserFacingError, match="not followed here"):
        call(cog.remove, cog, FakeInteraction(OWNER, guild_id=5), site.url("/feed.rss"))


def test_shared_feeds_are_the_owners(site: NewsSite, web: WebLibrary) -> None:
    with pytest.raises(UserFacingError, match=NOT_OWNER_FEEDS):
        call(cog_of(web, owner=99).add, cog_of(web, 99), FakeInteraction(OWNER), "x", True)
    cog = cog_of(web)
    text = call(cog.add, cog, FakeInteraction(OWNER, guild_id=5), site.url("/feed.rss"), True)
    assert "Added 2 article(s)" in text
    assert [f.url for f in asyncio.run(web.feeds(None))] == [site.url("/feed.rss")]
    assert asyncio.run(web.feeds(5)) == ()
