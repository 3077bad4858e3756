"""The bot driven through SimCord as members and admins of two servers would drive it."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord

from bot.client import QABot, Startup
from bot.errors import GENERIC
from bot.library import Library
from bot.settings import Rate, Settings
from bot.views import NOT_YOURS
from index.articles.corpus import Corpus
from index.service.opened_index import OpenedIndex
from index.service.opening import open_index
from tests.bot_fakes import SETTLE, library_paths, markdown, shared_library, web_of, write_article
from tests.web_pages import HARBOUR, OBSERVATORY
from tests.web_site import running_site

Scenario = Callable[[simcord.Env, QABot], Awaitable[None]]
MANAGE = discord.Permissions(manage_guild=True)
STORM = "A storm closed the airport."
LIGHTHOUSE = markdown(
    "Lighthouse restored", "The old lighthouse on the cape was restored in spring."
)


def make_bot(tmp_path: Path, library: Library | None = None, **settings: Any) -> QABot:
    """The real bot over temp folders, with generous cooldowns unless told otherwise."""
    library = library or shared_library(tmp_path)
    defaults: dict[str, Any] = {"user_rate": Rate(100, 1.0), "channel_rate": Rate(100, 1.0)}
    config = Settings(data=tmp_path / "data", **{**defaults, **settings})
    return QABot(config, library, Startup(tmp_path / "data" / "commands.json"))


def drive(bot: QABot, scenario: Scenario) -> None:
    """Run ``scenario`` against ``bot`` in a fresh SimCord environment."""

    async def main() -> None:
        intents = discord.Intents.default()
        async with simcord.run(bot, approved_intents=intents, settle_timeout=SETTLE) as env:
            await scenario(env, bot)

    asyncio.run(main())


def only_embed(message: simcord.ResponseMessage | discord.Message | None) -> discord.Embed:
    assert message is not None and len(message.embeds) == 1
    return message.embeds[0]


def test_ask_answers_with_the_cited_embed(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        result = await alice.slash(channel, "ask", question="what did the Pentagon say?")
        simcord.assert_responded(result, ephemeral=False)
        embed = only_embed(result.response)
        assert embed.title == "what did the Pentagon say?"
        assert "The **Pentagon** **said** talks with Russia" in (embed.description or "")
        assert "— *Russia to resume talks* · Test Wire · 10 Oct 2015 · ¶1 s1" in (
            embed.description or ""
        )
        labels = [c["label"] for row in result.response.components for c in row["components"]]  # type: ignore[union-attr]
        assert labels == ["Previous", "More", "Context"]

    drive(make_bot(tmp_path), scenario)


def test_private_answers_are_ephemeral_and_buttons_page_for_the_asker_only(
    tmp_path: Path,
) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        bob = guild.add_member(env.create_user("bob"))
        result = await alice.slash(channel, "ask", question="who said what", k=1)
        assert result.response is not None
        refused = await bob.click(result.response, label="More")
        simcord.assert_responded(refused, content=NOT_YOURS, ephemeral=True)
        await alice.click(result.response, label="More")
        assert only_embed(result.response).footer.text.startswith("page 2")  # type: ignore[union-attr]
        context = await bob.click(result.response, label="Context")
        simcord.assert_responded(context, ephemeral=True)
        assert only_embed(context.response).title == "Context: Russia to resume talks"
        private = await alice.slash(channel, "ask", question="ferry", private=True)
        simcord.assert_responded(private, ephemeral=True)

    drive(make_bot(tmp_path), scenario)


def test_nothing_found_is_said_plainly(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        result = await alice.slash(channel, "ask", question="zeppelinz")
        simcord.assert_responded(result, contains="I found nothing in the indexed articles")
        assert result.response is not None and not result.response.embeds

    drive(make_bot(tmp_path), scenario)


def test_mention_asking_works_without_the_message_content_intent(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        assert not bot.intents.message_content
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        assert bot.user is not None
        await alice.send(channel, "the Pentagon said what?")
        assert channel.last_message is not None and channel.last_message.author.id == alice.id
        await alice.send(channel, f"{bot.user.mention} what did the Pentagon say?")
        reply = channel.last_message
        assert reply is not None and reply.author.id == bot.user.id
        assert "**Pentagon**" in (only_embed(reply).description or "")

    drive(make_bot(tmp_path), scenario)


def test_admin_commands_are_hidden_and_refused_to_members(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        admin = guild.add_member(
            env.create_user("admin"), roles=[guild.create_role("mods", permissions=MANAGE)]
        )
        assert not any(name.startswith("index") for name in alice.available_commands(channel))
        assert "index status" in admin.available_commands(channel)
        # A server admin may show the commands to everyone; the bot still refuses.
        command = next(c for c in await bot.tree.fetch_commands() if c.name == "index")
        guild.set_command_permissions(command, {alice: True})
        result = await alice.slash(channel, "index status")
        simcord.assert_responded(result, contains="Manage Server", ephemeral=True)
        removed = await alice.slash(channel, "index add", file=("x.md", LIGHTHOUSE.encode()))
        simcord.assert_responded(removed, contains="Manage Server", ephemeral=True)
        allowed = await admin.slash(channel, "index status")
        assert only_embed(allowed.response).title == "Index status: shared corpus"

    drive(make_bot(tmp_path), scenario)


def test_a_document_added_in_one_server_is_never_returned_in_another(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        a, b = env.create_guild("A"), env.create_guild("B")
        chan_a, chan_b = a.create_text_channel("general"), b.create_text_channel("general")
        admin_a = a.add_member(
            env.create_user("ada"), roles=[a.create_role("m", permissions=MANAGE)]
        )
        member_b = b.add_member(env.create_user("bea"))
        added = await admin_a.slash(
            chan_a, "index add", file=("lighthouse.md", LIGHTHOUSE.encode())
        )
        simcord.assert_responded(
            added, contains="Added lighthouse.md: 1 article(s)", ephemeral=True
        )
        found_a = await admin_a.slash(chan_a, "ask", question="lighthouse on the cape")
        assert "Lighthouse restored" in (only_embed(found_a.response).description or "")
        found_b = await member_b.slash(chan_b, "ask", question="lighthouse on the cape")
        simcord.assert_responded(found_b, contains="I found nothing")
        choices = await member_b.autocomplete(chan_b, "ask", "article", "light")
        assert choices == []
        listed = await admin_a.slash(chan_a, "index list")
        assert "Lighthouse restored" in (only_embed(listed.response).description or "")
        gone = await admin_a.slash(chan_a, "index remove", article=f"guild-{a.id}/lighthouse.md")
        simcord.assert_responded(gone, contains="Removed 1 article(s)", ephemeral=True)

    drive(make_bot(tmp_path), scenario)


def test_fast_askers_are_asked_to_slow_down(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        assert bot.user is not None
        first = await alice.slash(channel, "ask", question="Pentagon")
        assert only_embed(first.response).description
        second = await alice.slash(channel, "ask", question="Pentagon")
        simcord.assert_responded(second, contains="Slow down", ephemeral=True)
        await alice.send(channel, f"{bot.user.mention} Pentagon?")
        assert channel.last_message is not None
        note = channel.last_message
        assert note.content.startswith("Slow down")
        await env.advance_time(31)
        assert all(message.id != note.id for message in channel.history())

    drive(make_bot(tmp_path, user_rate=Rate(1, 60.0)), scenario)


def test_no_reply_ever_mentions_anyone_even_when_an_article_pings(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(
        corpus,
        "ping.md",
        "@everyone read this",
        "Hey @everyone and @here: the <@&123456789012345678> meeting moved to Friday. "
        "<@123456789012345678> agreed.",
    )
    library = Library(library_paths(tmp_path))

    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        assert bot.user is not None
        result = await alice.slash(channel, "ask", question="meeting moved")
        text = only_embed(result.response).description or ""
        assert "meeting" in text and "@everyone" not in text and "<@&" not in text
        await alice.send(channel, f"{bot.user.mention} meeting moved?")
        sent = [
            r.json
            for r in env.http_requests
            if r.method in ("POST", "PATCH")
            and isinstance(r.json, dict)
            and ("content" in r.json or "embeds" in r.json)
        ]
        assert sent
        for payload in sent:
            assert payload.get("allowed_mentions", {}).get("parse") == []

    drive(make_bot(tmp_path, library), scenario)


def test_a_4000_character_sentence_still_gets_a_valid_reply(tmp_path: Path) -> None:
    # The index cuts sentences over about 1,500 characters into pieces; the renderer's
    # handling of a whole 4,000-character hit is covered in test_bot_render.py.
    corpus = tmp_path / "corpus"
    sentence = "The committee " + " ".join(["discussed the *budget* and the_plan"] * 115) + "."
    assert len(sentence) >= 4000
    write_article(corpus, "long.md", "Long minutes", sentence)
    library = Library(library_paths(tmp_path))

    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        result = await alice.slash(channel, "ask", question="committee budget", k=10)
        embed = only_embed(result.response)
        assert len(embed.description or "") <= 4096 and len(embed) <= 6000
        assert "**committee**" in (embed.description or "")
        context = await alice.click(result.response, label="Context")  # type: ignore[arg-type]
        assert len(only_embed(context.response).description or "") <= 4096

    drive(make_bot(tmp_path, library), scenario)


def test_questions_during_a_rebuild_are_all_answered(tmp_path: Path) -> None:
    # The rebuild is a fake that waits for the test's go-ahead, then hands over an index
    # built beforehand from the new corpus: no child process, nothing that takes time.
    after = tmp_path / "after"
    write_article(shared_library(after).paths.corpus, "storm.md", "Storm", STORM)
    rebuilt = open_index(after / "corpus", after / "index")
    gate = asyncio.Event()
    holder: dict[str, simcord.Env] = {}

    async def held_build(corpus: Corpus, index_dir: Path) -> OpenedIndex:
        await holder["env"].external_wait(gate.wait(), reason="the test holds the rebuild")
        return rebuilt

    library = Library(shared_library(tmp_path).paths, builder=held_build)

    async def scenario(env: simcord.Env, bot: QABot) -> None:
        holder["env"] = env
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        owner = guild.add_member(
            env.create_user("owner"), roles=[guild.create_role("m", permissions=MANAGE)]
        )
        members = [guild.add_member(env.create_user(f"m{i}")) for i in range(4)]
        bot.owner_ids = {owner.id}
        rebuild = await owner.slash(channel, "index rebuild", shared=True)
        assert rebuild.deferred and library.building
        for member in members:
            answer = await member.slash(channel, "ask", question="Pentagon talks")
            assert "**Pentagon**" in (only_embed(answer.response).description or "")
            old = await member.slash(channel, "ask", question="storm airport")
            simcord.assert_responded(old, contains="I found nothing")
        gate.set()
        await env.settle()
        simcord.assert_responded(rebuild, contains="Indexed 3 documents", ephemeral=True)
        new = await members[0].slash(channel, "ask", question="storm airport")
        assert "**storm**" in (only_embed(new.response).description or "")

    drive(make_bot(tmp_path, library), scenario)


def test_only_the_owner_rebuilds_the_shared_corpus(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        admin = guild.add_member(
            env.create_user("admin"), roles=[guild.create_role("m", permissions=MANAGE)]
        )
        refused = await admin.slash(channel, "index rebuild", shared=True)
        simcord.assert_responded(refused, contains="Only the bot's owner", ephemeral=True)
        own = await admin.slash(channel, "index rebuild")
        simcord.assert_responded(own, contains="no documents of its own", ephemeral=True)

    drive(make_bot(tmp_path, owner_ids=frozenset({1})), scenario)


def test_answer_buttons_go_grey_when_the_view_times_out(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        result = await alice.slash(channel, "ask", question="who said what", k=1)
        await env.advance_time(601)
        assert result.response is not None
        buttons = [c for row in result.response.components for c in row["components"]]
        assert buttons and all(button["disabled"] for button in buttons)

    drive(make_bot(tmp_path), scenario)


def test_the_configured_admin_role_may_manage_once_shown_the_commands(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        role = guild.create_role("qabot-admins")
        helper = guild.add_member(env.create_user("helper"), roles=[role])
        command = next(c for c in await bot.tree.fetch_commands() if c.name == "index")
        guild.set_command_permissions(command, {role: True})
        added = await helper.slash(channel, "index add", file=("l.md", LIGHTHOUSE.encode()))
        simcord.assert_responded(added, contains="Added l.md", ephemeral=True)

    drive(make_bot(tmp_path, admin_role="qabot-admins"), scenario)


def test_in_direct_messages_ask_searches_the_shared_corpus_only(tmp_path: Path) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        admin = guild.add_member(
            env.create_user("ada"), roles=[guild.create_role("m", permissions=MANAGE)]
        )
        await admin.slash(channel, "index add", file=("lighthouse.md", LIGHTHOUSE.encode()))
        user = env.create_user("dee")
        assert (
            "ask" in user.available_commands() and "index status" not in user.available_commands()
        )
        shared = await user.slash("ask", question="ferry terminal")
        assert "ferry" in (only_embed(shared.response).description or "")
        private = await user.slash("ask", question="lighthouse on the cape")
        simcord.assert_responded(private, contains="I found nothing")

    drive(make_bot(tmp_path), scenario)


def test_an_error_reaches_the_user_privately_and_the_log_in_full(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(Library):
        async def search(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the disk is on fire")

    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        result = await alice.slash(channel, "ask", question="Pentagon")
        assert result.response is None
        (followup,) = result.followups
        assert followup.ephemeral and followup.content == GENERIC
        bob = guild.add_member(env.create_user("bob"))
        unknown = await bob.slash(channel, "ask", question="Pentagon", article="No such thing")
        (told,) = unknown.followups
        assert told.ephemeral and "no article by that name" in told.content

    with caplog.at_level(logging.INFO):
        drive(make_bot(tmp_path, Broken(shared_library(tmp_path).paths)), scenario)
    assert "Traceback" in caplog.text and "the disk is on fire" in caplog.text


def test_a_flood_from_one_user_is_slowed_and_everyone_else_still_answered(
    tmp_path: Path,
) -> None:
    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        flooder = guild.add_member(env.create_user("flooder"))
        others = [guild.add_member(env.create_user(f"user{n}")) for n in range(5)]
        results = [await flooder.slash(channel, "ask", question="Pentagon") for _ in range(50)]
        answered = [r for r in results if r.response is not None and r.response.embeds]
        slowed = [
            r for r in results if r.response is not None and "Slow down" in r.response.content
        ]
        assert (len(answered), len(slowed)) == (3, 47)
        for result in slowed:
            simcord.assert_responded(result, ephemeral=True)
        for member in others:
            reply = await member.slash(channel, "ask", question="ferry terminal")
            assert "terminal" in (only_embed(reply.response).description or "")

    drive(make_bot(tmp_path, user_rate=Rate(3, 30.0), channel_rate=Rate(20, 60.0)), scenario)


def test_markdown_links_and_code_fences_in_articles_render_as_plain_text(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(
        corpus,
        "tricks.md",
        "Tricks",
        "The ferry [timetable](https://evil.example/phish) changed ```rm -rf``` and "
        "**bold** claims @here too.",
    )

    async def scenario(env: simcord.Env, bot: QABot) -> None:
        guild = env.create_guild("A")
        channel = guild.create_text_channel("general")
        alice = guild.add_member(env.create_user("alice"))
        result = await alice.slash(channel, "ask", question="ferry timetable changed @everyone")
        text = only_embed(result.response).description or ""
        assert "evil.example" in text
        assert re.search(r"(?<!\\)\]\(", text) is None  # no live masked link
        assert "```" not in text and "@here" not in text
        assert "\\*\\*bold\\*\\*" in text

    drive(make_bot(tmp_path, Library(library_paths(tmp_path))), scenario)


def web_bot(tmp_path: Path) -> QABot:
    """The real bot whose links and feeds reach the test news site."""
    library = shared_library(tmp_path)
    config = Settings(data=tmp_path / "data", user_rate=Rate(100, 1.0), channel_rate=Rate(100, 1.0))
    startup = Startup(tmp_path / "data" / "commands.json")
    return QABot(config, library, startup, web=web_of(library))


def test_an_admin_adds_an_article_by_link_and_a_member_is_refused(tmp_path: Path) -> None:
    with running_site() as site:

        async def scenario(env: simcord.Env, bot: QABot) -> None:
            guild = env.create_guild("A")
            channel = guild.create_text_channel("general")
            alice = guild.add_member(env.create_user("alice"))
            admin = guild.add_member(
                env.create_user("ada"), roles=[guild.create_role("m", permissions=MANAGE)]
            )
            url = site.url("/news/harbour-ferry")
            added = await admin.slash(channel, "index add", url=url)
            simcord.assert_responded(added, contains="Added 1 article(s):", ephemeral=True)
            assert f"<{url}>" in (added.response.content if added.response else "")
            found = await alice.slash(channel, "ask", question="How many routes does it serve?")
            text = only_embed(found.response).description or ""
            assert "twelve **routes**" in text and f"]({url})" in text  # cited, linked
            command = next(c for c in await bot.tree.fetch_commands() if c.name == "index")
            guild.set_command_permissions(command, {alice: True})
            refused = await alice.slash(channel, "index add", url=site.url("/news/x"))
            simcord.assert_responded(refused, contains="Manage Server", ephemeral=True)
            private = await admin.slash(channel, "index add", url=site.url("/to-private"))
            simcord.assert_responded(
                private, contains="private address: 10.0.0.1 is a private address"
            )

        drive(web_bot(tmp_path), scenario)


def test_a_feed_poll_adds_articles_that_ask_then_finds(tmp_path: Path) -> None:
    with running_site() as site:
        site.feed_articles = [HARBOUR]

        async def scenario(env: simcord.Env, bot: QABot) -> None:
            guild = env.create_guild("A")
            channel = guild.create_text_channel("general")
            admin = guild.add_member(
                env.create_user("ada"), roles=[guild.create_role("m", permissions=MANAGE)]
            )
            member = guild.add_member(env.create_user("bea"))
            followed = await admin.slash(channel, "feed add", url=site.url("/feed.atom"))
            simcord.assert_responded(followed, contains="Following", ephemeral=True)
            assert not any(name.startswith("feed") for name in member.available_commands(channel))
            command = next(c for c in await bot.tree.fetch_commands() if c.name == "feed")
            guild.set_command_permissions(command, {member: True})
            refused = await member.slash(channel, "feed list")
            simcord.assert_responded(refused, contains="Manage Server", ephemeral=True)
            before = await member.slash(channel, "ask", question="telescope mirror")
            simcord.assert_responded(before, contains="I found nothing")
            site.feed_articles, site.feed_version = [OBSERVATORY, HARBOUR], 2
            assert bot.poller is not None
            reports = await bot.poller.poll_once()
            assert [a.title for a in reports[guild.id].added] == [OBSERVATORY.title]
            after = await member.slash(channel, "ask", question="telescope mirror")
            assert OBSERVATORY.title in (only_embed(after.response).description or "")
            listed = await admin.slash(channel, "feed list")
            simcord.assert_responded(listed, contains="2 article(s) added in all")

        drive(web_bot(tmp_path), scenario)
