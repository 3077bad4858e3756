"""Buttons under answers and lists: More/Previous paging, Context, document pages."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import discord

from bot.errors import report_error, send_private
from bot.library import Found, Library
from bot.render import answer_embed, context_embed, documents_embed
from index import DocumentInfo

# Interaction tokens last 15 minutes: time out before, so the buttons can still be greyed.
ANSWER_TIMEOUT = 600.0
NOT_YOURS = "Only the person who asked can page these results; ask your own with /ask."
NO_MORE = "That was everything I found."
GONE = "That article has been removed or changed since this answer; ask again with /ask."


class OwnedView(discord.ui.View):
    """A view that errors report privately and that goes grey when it times out."""

    message: discord.Message | discord.InteractionMessage | discord.WebhookMessage | None = None

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report_error(interaction, error)


class AnswerView(OwnedView):
    """More and Previous (for the asker only) and Context (for anyone, privately).

    Every button asks the library's live index, so an article removed since the
    answer was sent is never quoted again.
    """

    def __init__(
        self,
        library: Library,
        guild_id: int | None,
        found: Found,
        asker_id: int,
        k: int,
        doc_id: str | None,
    ) -> None:
        super().__init__(timeout=ANSWER_TIMEOUT)
        self.library = library
        self.guild_id = guild_id
        self.first = found
        self.shown = found
        self.asker_id = asker_id
        self.k = k
        self.doc_id = doc_id
        self.page = 1
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.previous_page.disabled = self.page <= 1
        self.more.disabled = len(self.shown.answer.hits) < self.k

    async def _show_page(self, interaction: discord.Interaction, page: int) -> None:
        if interaction.user.id != self.asker_id:
            await send_private(interaction, NOT_YOURS)
            return
        await interaction.response.defer()
        question, offset = self.first.answer.question, (page - 1) * self.k
        found = await self.library.search(self.guild_id, question, self.k, self.doc_id, offset)
        if not found.answer.hits:
            self.more.disabled = True
            await interaction.edit_original_response(view=self)
            await interaction.followup.send(NO_MORE, ephemeral=True)
            return
        self.page, self.shown = page, found
        self._update_buttons()
        embed = answer_embed(found.answer, found.documents, page, found.seconds)
        await interaction.edit_original_response(embed=embed, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(
        self, interaction: discord.Interaction, button: discord.ui.Button[AnswerView]
    ) -> None:
        """Show the previous page of results."""
        await self._show_page(interaction, self.page - 1)

    @discord.ui.button(label="More", style=discord.ButtonStyle.primary)
    async def more(
        self, interaction: discord.Interaction, button: discord.ui.Button[AnswerView]
    ) -> None:
        """Show the next page of results."""
        await self._show_page(interaction, self.page + 1)

    @discord.ui.button(label="Context", style=discord.ButtonStyle.secondary)
    async def context(
        self, interaction: discord.Interaction, button: discord.ui.Button[AnswerView]
    ) -> None:
        """Show the sentences before and after the top hit, privately."""
        top = self.first.answer.hits[0]
        sentences = await self.library.context(self.guild_id, top.sentence)
        if not sentences:
            await send_private(interaction, GONE)
            return
        await interaction.response.send_message(embed=context_embed(sentences, top), ephemeral=True)


class DocumentsView(OwnedView):
    """Previous/Next through a document list, for the person who asked for it."""

    def __init__(
        self, documents: Sequence[DocumentInfo], asker_id: int, per_page: int = 10
    ) -> None:
        super().__init__(timeout=ANSWER_TIMEOUT)
        self.documents = tuple(documents)
        self.asker_id = asker_id
        self.per_page = per_page
        self.page = 0
        self._update_buttons()

    @property
    def pages(self) -> int:
        """How many pages the list has."""
        return max(1, -(-len(self.documents) // self.per_page))

    def embed(self) -> discord.Embed:
        """The current page as an embed."""
        return documents_embed(self.documents, self.page, self.per_page)

    def _update_buttons(self) -> None:
        self.previous_page.disabled = self.page <= 0
        self.next_page.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.asker_id:
            return True
        await send_private(interaction, "Only the person who asked can page this list.")
        return False

    async def _turn(self, interaction: discord.Interaction, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        self._update_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(
        self, interaction: discord.Interaction, button: discord.ui.Button[DocumentsView]
    ) -> None:
        """Show the previous page."""
        await self._turn(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next_page(
        self, interaction: discord.Interaction, button: discord.ui.Button[DocumentsView]
    ) -> None:
        """Show the next page."""
        await self._turn(interaction, self.page + 1)
