"""``/index``: rebuild, status, list, add and remove, for server admins and the owner.

Hidden from members by ``default_permissions`` and checked again at run time,
since server admins can override what ``default_permissions`` hides.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.library import Change, Library
from bot.permissions import caller_of, may_change_shared, may_manage_collection
from bot.render import (
    MAX_LISTED,
    MESSAGE_LIMIT,
    add_removed_field,
    article_choices,
    build_summary,
    clip,
    escape,
    skipped_line,
    stats_embed,
    titles_line,
)
from bot.uploads import check_name, check_size, check_suffix, check_upload
from bot.views import DocumentsView
from bot.web_library import WebLibrary
from bot.web_messages import report_message
from index import QabotError

log = logging.getLogger(__name__)
T = TypeVar("T")
NOT_ADMIN = "Only this server's admins (Manage Server) can manage its articles."
NOT_OWNER = "Only the bot's owner can rebuild the shared corpus."
MAX_LINKS = 5


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class AdminCog(
    commands.GroupCog,
    group_name="index",
    group_description="Manage the articles qabot answers from",
):
    """The admin commands; every one is checked by :meth:`interaction_check`."""

    def __init__(
        self,
        bot: commands.Bot,
        library: Library,
        admin_role: str | None,
        max_upload: int,
        web: WebLibrary | None = None,
    ) -> None:
        self.bot = bot
        self.library = library
        self.admin_role = admin_role
        self.max_upload = max_upload
        self.web = web
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await check_manager(self.bot, interaction, self.admin_role)

    @app_commands.command(name="rebuild")
    @app_commands.describe(shared="Rebuild the shared corpus (bot owner only)")
    async def rebuild(self, interaction: discord.Interaction, shared: bool = False) -> None:
        """Reindex this server's articles (or, for the owner, the shared corpus)."""
        if shared and not may_change_shared(
            caller_of(interaction.user, await self.bot.is_owner(interaction.user))
        ):
            raise UserFacingError(NOT_OWNER)
        await interaction.response.defer(ephemeral=True, thinking=True)
        waiting = self.library.building
        if shared:
            opened = await changing(self.library.rebuild_shared())
        else:
            opened = await changing(self.library.rebuild_collection(self._guild_id(interaction)))
        note = "(waited for the build that was already running) " if waiting else ""
        await interaction.followup.send(clip(note + build_summary(opened.stats), MESSAGE_LIMIT))

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Show the index's documents, sentences, last build, size and corpus folder."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = self._guild_id(interaction)
        opened = await self.library.current(guild_id)
        own = self.library.layout.has_collection(guild_id)
        scope = "shared corpus + this server's articles" if own else "shared corpus"
        semantic = self.library.semantic_status(guild_id)
        embed = stats_embed(opened.stats, scope, self.library.building, semantic)
        add_removed_field(embed, *self.library.removed_files(guild_id))
        await interaction.followup.send(embed=embed)

    @app_commands.command(name="list")
    async def list_documents(self, interaction: discord.Interaction) -> None:
        """List the articles this server's questions are answered from."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        opened = await self.library.current(self._guild_id(interaction))
        view = DocumentsView(opened.searcher.documents, interaction.user.id)
        view.message = await interaction.followup.send(embed=view.embed(), view=view, wait=True)

    @app_commands.command(name="add")
    @app_commands.describe(
        file="A .txt, .md, .jsonl or .html file of articles (UTF-8)",
        url=f"A link to a news article (up to {MAX_LINKS}, separated by spaces)",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: str | None = None,
    ) -> None:
        """Add an article file, or an article by its link, to this server's collection."""
        links = (url or "").split()
        if (file is None) == (not links):
            raise UserFacingError("Give either a file or a url (one of them, not both).")
        if file is None:
            await self._add_links(interaction, links)
            return
        check_name(file.filename)
        check_suffix(file.filename)
        check_size(file.size, self.max_upload)
        await interaction.response.defer(ephemeral=True, thinking=True)
        checked = check_upload(file.filename, await file.read(), self.max_upload)
        guild_id = self._guild_id(interaction)
        change = await changing(self.library.add(guild_id, checked.name, checked.data))
        log.info("added %s to guild %s", checked.name, interaction.guild_id)
        await interaction.followup.send(added_message(checked.name, change))

    async def _add_links(self, interaction: discord.Interaction, links: list[str]) -> None:
        if self.web is None:
            raise UserFacingError("Adding by link is not available on this bot.")
        if len(links) > MAX_LINKS:
            raise UserFacingError(f"At most {MAX_LINKS} links at a time, please.")
        guild_id = self._guild_id(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await changing(self.web.add_links(guild_id, links))
        log.info("added %d link(s) to guild %s", len(report.added), guild_id)
        await interaction.followup.send(report_message(report, ""))

    @app_commands.command(name="remove")
    @app_commands.describe(article="The article to remove from this server's collection")
    async def remove(self, interaction: discord.Interaction, article: str) -> None:
        """Remove an article (its whole file) from this server's collection."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        change = await changing(self.library.remove(self._guild_id(interaction), article))
        log.info("removed %s from guild %s", article, interaction.guild_id)
        await interaction.followup.send(removed_message(change))

    @remove.autocomplete("article")
    async def own_articles(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """This server's own articles whose title or id contains ``current``."""
        documents = await self.library.own_documents(self._guild_id(interaction))
        return article_choices(documents, current)

    @staticmethod
    def _guild_id(interaction: discord.Interaction) -> int:
        if interaction.guild_id is None:
            raise UserFacingError("This command works in a server, not in direct messages.")
        return interaction.guild_id


def added_message(name: str, change: Change) -> str:
    """What an upload added, what was skipped and the index's new size."""
    titles = titles_line(change.documents)
    lines = [f"Added {escape(name)}: {len(change.documents):,} article(s). {titles}".rstrip()]
    lines += [skipped_line(item) for item in change.skipped[:MAX_LISTED]]
    stats = change.opened.stats
    lines.append(
        f"The index now holds {stats.documents:,} documents, {stats.sentences:,} sentences."
    )
    return clip("\n".join(lines), MESSAGE_LIMIT)


def removed_message(change: Change) -> str:
    """What a removal took out; the file itself is kept aside, not deleted."""
    titles = titles_line(change.documents)
    return clip(
        f"Removed {len(change.documents):,} article(s): {titles}. The file is kept in the "
        "collection's .removed folder, so it can be restored. "
        f"The index now holds {change.opened.stats.documents:,} documents.",
        MESSAGE_LIMIT,
    )


async def check_manager(
    bot: commands.Bot, interaction: discord.Interaction, admin_role: str | None
) -> bool:
    """Let server admins (Manage Server or ``admin_role``) and the owner through; refuse
    anyone else, whatever ``default_permissions`` showed them."""
    caller = caller_of(interaction.user, await bot.is_owner(interaction.user))
    if not may_manage_collection(caller, admin_role):
        raise app_commands.CheckFailure(NOT_ADMIN)
    return True


async def changing(work: Awaitable[T]) -> T:
    """Await a change to the index; if it fails, the admin is told why and that the
    previous index still answers (a refusal is passed on as it is)."""
    try:
        return await work
    except UserFacingError:
        raise
    except Exception as error:  # whatever failed, the admin hears the old index answers
        raise build_failed(error) from None


def build_failed(error: Exception) -> UserFacingError:
    """Tell the admin a build failed and that questions keep their previous answers.

    Only an :class:`IndexWriteError` says the index could not be written; any other
    failure is the build's (a file that could not be read, a bug), named as such.
    """
    log.warning("index build failed", exc_info=error)
    reason = str(error) if isinstance(error, QabotError) else f"the build failed ({error})"
    return UserFacingError(
        f"The index was not changed: {reason}. "
        "Questions are still answered from the previous index."
    )
