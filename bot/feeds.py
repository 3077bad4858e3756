"""``/feed``: follow news feeds into a server's collection (admins), or the shared corpus
(the bot's owner). Checked like ``/index``: hidden from members, and refused at run time."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.admin import changing, check_manager
from bot.errors import UserFacingError
from bot.permissions import caller_of, may_change_shared
from bot.render import MESSAGE_LIMIT, clip
from bot.web_library import Key, WebLibrary
from bot.web_messages import feed_lines, link, report_message
from index import FeedListError, FetchError

log = logging.getLogger("qabot.bot")
NOT_OWNER_FEEDS = "Only the bot's owner can change the shared corpus's feeds."
SHARED = "The shared corpus instead of this server's articles (bot owner only)"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class FeedCog(
    commands.GroupCog,
    group_name="feed",
    group_description="Follow news feeds: their new articles are added by themselves",
):
    """Per-server feeds; every command is checked by :meth:`interaction_check`."""

    def __init__(self, bot: commands.Bot, web: WebLibrary, admin_role: str | None) -> None:
        self.bot = bot
        self.web = web
        self.admin_role = admin_role
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await check_manager(self.bot, interaction, self.admin_role)

    @app_commands.command(name="add")
    @app_commands.describe(url="The feed's address (RSS or Atom, http or https)", shared=SHARED)
    async def add(self, interaction: discord.Interaction, url: str, shared: bool = False) -> None:
        """Follow a news feed: its new articles are added by themselves."""
        key = await self._key(interaction, shared)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await self.web.follow(key, url.strip())
        except (FetchError, FeedListError) as error:
            raise UserFacingError(f"Not following {link(url)}: {error}") from None
        report = await changing(self.web.poll(key, only=url.strip()))
        refused = next((f for f in report.failures if f.url == url.strip()), None)
        if refused is not None:  # the feed itself is no feed: do not keep it
            await self.web.unfollow(key, url.strip())
            raise UserFacingError(
                f"Not following {link(url)}: {refused.reason.value}: {refused.detail}"
            )
        log.info("guild %s follows %s", interaction.guild_id, url)
        heading = f"Following {link(url)}; its first poll is done."
        await interaction.followup.send(report_message(report, heading))

    @app_commands.command(name="list")
    @app_commands.describe(shared=SHARED)
    async def list_feeds(self, interaction: discord.Interaction, shared: bool = False) -> None:
        """List the feeds followed, when each was last polled, what it added and its errors."""
        key = await self._key(interaction, shared, changing=False)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            feeds = await self.web.feeds(key)
        except FeedListError as error:
            raise UserFacingError(str(error)) from None
        if not feeds:
            await interaction.followup.send("No feeds are followed yet: add one with /feed add.")
            return
        cap = self.web.access.limits.max_feeds
        text = f"{len(feeds)} of at most {cap} feeds:\n" + "\n".join(map(feed_lines, feeds))
        await interaction.followup.send(clip(text, MESSAGE_LIMIT))

    @app_commands.command(name="remove")
    @app_commands.describe(url="The feed to stop following", shared=SHARED)
    async def remove(
        self, interaction: discord.Interaction, url: str, shared: bool = False
    ) -> None:
        """Stop following a feed (the articles it added stay)."""
        key = await self._key(interaction, shared)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            followed = await self.web.unfollow(key, url.strip())
        except FeedListError as error:
            raise UserFacingError(str(error)) from None
        if not followed:
            raise UserFacingError("That feed is not followed here (see /feed list).")
        await interaction.followup.send(
            f"No longer following {link(url)}. The articles it added stay (see /index list)."
        )

    @remove.autocomplete("url")
    async def followed(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The followed feeds whose address contains ``current``."""
        if interaction.guild_id is None:
            return []
        try:
            feeds = await self.web.feeds(interaction.guild_id)
        except FeedListError:
            return []
        needle = current.casefold().strip()
        return [
            app_commands.Choice(name=clip(feed.url, 100), value=feed.url)
            for feed in feeds
            if len(feed.url) <= 100 and needle in feed.url.casefold()
        ][:25]

    async def _key(
        self, interaction: discord.Interaction, shared: bool, changing: bool = True
    ) -> Key:
        if interaction.guild_id is None:
            raise UserFacingError("This command works in a server, not in direct messages.")
        if not shared:
            return interaction.guild_id
        is_owner = await self.bot.is_owner(interaction.user)
        if changing and not may_change_shared(caller_of(interaction.user, is_owner)):
            raise UserFacingError(NOT_OWNER_FEEDS)
        return None
