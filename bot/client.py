"""The bot: a ``commands.Bot`` that wires the cogs to an injected :class:`Library`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bot.admin import AdminCog
from bot.ask import AskCog
from bot.cooldowns import Cooldowns
from bot.errors import report_error
from bot.feed_poller import FeedPoller
from bot.feeds import FeedCog
from bot.library import Library
from bot.settings import Settings
from bot.sync import sync_commands
from bot.web_library import WebLibrary
from index import WebAccess

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Startup:
    """What to do while logging in: sync commands (when changed, or forced), warm the index."""

    sync_state: Path
    force_sync: bool = False
    warm_index: bool = True
    poll_feeds: bool = True


def intents() -> discord.Intents:
    """Default intents only: no privileged ones (mentions carry their content anyway)."""
    return discord.Intents.default()


class QABot(commands.Bot):
    """qabot on Discord. Nothing it sends can ping anyone."""

    def __init__(
        self,
        settings: Settings,
        library: Library,
        startup: Startup,
        cooldowns: Cooldowns | None = None,
        web: WebLibrary | None = None,
    ) -> None:
        shards = settings.shards
        sharding: dict[str, Any] = {}
        if shards is not None:
            sharding = {"shard_ids": list(shards.ids), "shard_count": shards.count}
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            owner_ids=set(settings.owner_ids),
            help_command=None,
            **sharding,
        )
        self.settings = settings
        self.library = library
        self.startup = startup
        self.cooldowns = cooldowns or Cooldowns(settings.user_rate, settings.channel_rate)
        access = WebAccess(settings.web.limits, settings.web.allow_loopback_urls)
        self.web = web or WebLibrary(library, access)
        minutes = settings.web.feed_poll_minutes
        self.poller = FeedPoller(self.web, minutes * 60) if minutes > 0 else None

    async def setup_hook(self) -> None:
        settings = self.settings
        await self.add_cog(AskCog(self, self.library, self.cooldowns))
        await self.add_cog(
            AdminCog(self, self.library, settings.admin_role, settings.max_upload_bytes, self.web)
        )
        await self.add_cog(FeedCog(self, self.web, settings.admin_role))
        self.tree.error(report_error)
        await sync_commands(
            self.tree,
            self.application_id,
            settings.guild_id,
            self.startup.sync_state,
            self.startup.force_sync,
        )
        if self.startup.warm_index:
            opened = await self.library.current(None)
            log.info("shared index ready: %d documents", opened.stats.documents)
        if self.poller is not None and self.startup.poll_feeds:
            self.poller.start()

    async def close(self) -> None:
        """Stop polling feeds, log out, then let the search thread finish its queue."""
        if self.poller is not None:
            await self.poller.stop()
        await super().close()
        self.library.close()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: :class:`AskCog` answers mentions itself."""

    async def on_ready(self) -> None:
        """Log who we are and where."""
        log.info("logged in as %s in %d server(s)", self.user, len(self.guilds))


class ShardedQABot(commands.AutoShardedBot, QABot):
    """qabot running some of the bot's shards (``settings.shards``), discord.py's own
    sharding: several such processes share one data folder (``bot.shards``)."""

    def __init__(
        self,
        settings: Settings,
        library: Library,
        startup: Startup,
        cooldowns: Cooldowns | None = None,
        web: WebLibrary | None = None,
    ) -> None:
        QABot.__init__(self, settings, library, startup, cooldowns, web)
