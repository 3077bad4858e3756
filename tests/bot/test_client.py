"""The bot object: no pings, no privileged intents, cogs loaded, commands synced once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord
import simcord

from bot.client import QABot, ShardedQABot, Startup, intents
from bot.settings import Settings
from bot.shards import Shards
from tests.bot_fakes import SETTLE, shared_library


def make(tmp_path: Path) -> QABot:
    settings = Settings(data=tmp_path / "data", owner_ids=frozenset({5}))
    return QABot(settings, shared_library(tmp_path), Startup(tmp_path / "data" / "commands.json"))


def test_nothing_the_bot_sends_can_ping(tmp_path: Path) -> None:
    bot = make(tmp_path)
    assert bot.allowed_mentions is not None
    assert bot.allowed_mentions.to_dict() == discord.AllowedMentions.none().to_dict()


def test_no_privileged_intent_is_requested() -> None:
    wanted = intents()
    assert not (wanted.message_content or wanted.members or wanted.presences)


def test_the_owner_setting_reaches_the_bot(tmp_path: Path) -> None:
    assert make(tmp_path).owner_ids == {5}


def sync_requests(bot: QABot) -> int:
    async def main() -> int:
        async with simcord.run(bot, settle_timeout=SETTLE) as env:
            assert {c.name for c in bot.tree.get_commands()} == {"ask", "index", "feed"}
            return sum(1 for r in env.http_requests if r.method == "PUT" and "commands" in r.path)

    return asyncio.run(main())


def test_commands_sync_on_the_first_start_only(tmp_path: Path) -> None:
    assert sync_requests(make(tmp_path)) == 1
    assert sync_requests(make(tmp_path)) == 0


def test_a_process_runs_the_shards_it_is_given(tmp_path: Path) -> None:
    settings = Settings(data=tmp_path / "data", shards=Shards((0, 1), 4))
    startup = Startup(tmp_path / "data" / "commands.json")
    bot = ShardedQABot(settings, shared_library(tmp_path), startup)
    assert isinstance(bot, discord.AutoShardedClient) and isinstance(bot, QABot)
    assert (bot.shard_ids, bot.shard_count) == ([0, 1], 4)
