"""``/ask`` and mention asking: a question in, the cited answer embed out."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from dataclasses import dataclass

import discord
from discord import app_commands
from discord.ext import commands

from bot.cooldowns import Cooldowns
from bot.errors import GENERIC, UserFacingError, report_error
from bot.library import Found, Library
from bot.render import answer_embed, article_choices, nothing_found
from bot.views import AnswerView
from index import MAX_K

log = logging.getLogger(__name__)
MAX_QUESTION = 300
MAX_ANSWER_K = min(10, MAX_K)
NOTE_SECONDS = 30.0
PUBLIC_FAILURE = "I could not answer that one."
HOW_TO_ASK = "Ask me a question after the mention, e.g. `@qabot what did the Pentagon say?`"


@dataclass(frozen=True, slots=True)
class Reply:
    """What to send back: a plain message, or an embed with its buttons."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: AnswerView | None = None


async def fail_privately(interaction: discord.Interaction, error: Exception) -> None:
    """Report an error privately although the command was deferred publicly.

    Discord makes the first follow-up of a deferred response take the
    deferral's visibility, so the public "thinking…" message is first
    replaced, then the private report is sent, then the public note deleted.
    """
    with contextlib.suppress(discord.HTTPException):
        await interaction.edit_original_response(content=PUBLIC_FAILURE)
    await report_error(interaction, error)
    with contextlib.suppress(discord.HTTPException):
        await interaction.delete_original_response()


def mention_question(content: str, bot_id: int) -> str | None:
    """The question in a message that mentions the bot, ``None`` when it does not."""
    mention = re.compile(rf"<@!?{bot_id}>")
    if not mention.search(content):
        return None
    return " ".join(mention.sub(" ", content).split())


def too_long(question: str) -> str | None:
    """The refusal for a question over the length cap, else ``None``."""
    if len(question) <= MAX_QUESTION:
        return None
    return (
        f"That question is {len(question):,} characters long; please keep it under {MAX_QUESTION}."
    )


class AskCog(commands.Cog):
    """Answering questions, by slash command or by mention."""

    def __init__(self, bot: commands.Bot, library: Library, cooldowns: Cooldowns) -> None:
        self.bot = bot
        self.library = library
        self.cooldowns = cooldowns

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know",
        k="How many sentences to show (1-10, default 5)",
        article="Search only this article",
        private="Show the answer only to you",
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION],
        k: app_commands.Range[int, 1, MAX_ANSWER_K] = 5,
        article: str | None = None,
        private: bool = False,
    ) -> None:
        """Answer a question by quoting the indexed articles' best sentences."""
        started = time.perf_counter()
        refusal = self.cooldowns.check(interaction.user.id, interaction.channel_id or 0)
        if refusal is not None:
            await interaction.response.send_message(refusal.message(), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=private, thinking=True)
        try:
            reply = await self.answer(
                interaction.guild_id, question, k, article, interaction.user.id
            )
        except Exception as error:
            if private:
                raise
            await fail_privately(interaction, error)
            return
        sent = await interaction.followup.send(
            content=reply.content or "",
            embed=reply.embed or discord.utils.MISSING,
            view=reply.view or discord.utils.MISSING,
            ephemeral=private,
            wait=True,
        )
        self._finish(reply, sent, question, interaction.guild_id, started)

    @ask.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Titles (and ids) of the articles this server searches that contain ``current``."""
        opened = await self.library.current(interaction.guild_id)
        return article_choices(opened.searcher.documents, current)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer ``@qabot question`` (works without the Message Content intent)."""
        if message.author.bot or self.bot.user is None:
            return
        question = mention_question(message.content, self.bot.user.id)
        if question is None:
            return
        try:
            await self._answer_mention(message, question)
        except Exception:
            guild_id = message.guild.id if message.guild else None
            log.exception("error answering a mention (guild=%s)", guild_id)
            with contextlib.suppress(discord.HTTPException):
                await message.reply(GENERIC, mention_author=False)

    async def _answer_mention(self, message: discord.Message, question: str) -> None:
        started = time.perf_counter()
        refusal = self.cooldowns.check(message.author.id, message.channel.id)
        problem = HOW_TO_ASK if not question else too_long(question)
        if refusal is not None or problem is not None:
            text = refusal.message() if refusal is not None else str(problem)
            await message.reply(text, mention_author=False, delete_after=NOTE_SECONDS)
            return
        guild_id = message.guild.id if message.guild else None
        reply = await self.answer(guild_id, question, 5, None, message.author.id)
        sent = await message.reply(
            content=reply.content,
            embed=reply.embed or discord.utils.MISSING,
            view=reply.view or discord.utils.MISSING,
            mention_author=False,
        )
        self._finish(reply, sent, question, guild_id, started)

    async def answer(
        self, guild_id: int | None, question: str, k: int, article: str | None, asker_id: int
    ) -> Reply:
        """The reply to one question asked in ``guild_id`` (``None``: a DM)."""
        doc_id = await self.resolve_article(guild_id, article) if article else None
        found = await self.library.search(guild_id, question, k, doc_id)
        return reply_for(self.library, guild_id, found, asker_id, k, doc_id)

    async def resolve_article(self, guild_id: int | None, article: str) -> str:
        """The doc id the user picked (or typed as an exact title)."""
        documents = (await self.library.current(guild_id)).searcher.documents
        for doc in documents:
            if article in (doc.doc_id, doc.title) or article.casefold() == doc.title.casefold():
                return doc.doc_id
        raise UserFacingError("I have no article by that name here; pick one from the list.")

    def _finish(
        self,
        reply: Reply,
        sent: discord.Message,
        question: str,
        guild_id: int | None,
        started: float,
    ) -> None:
        if reply.view is not None:
            reply.view.message = sent
        hits = len(reply.view.first.answer.hits) if reply.view is not None else 0
        latency = (time.perf_counter() - started) * 1000
        log.info(
            "answered question=%r guild=%s hits=%d latency=%.0fms",
            question,
            guild_id,
            hits,
            latency,
        )


def reply_for(
    library: Library, guild_id: int | None, found: Found, asker_id: int, k: int, doc_id: str | None
) -> Reply:
    """The embed and buttons for a found answer, or the honest "nothing found"."""
    answer = found.answer
    if not answer.hits:
        return Reply(content=nothing_found(answer))
    embed = answer_embed(answer, found.documents, 1, found.seconds)
    view = AnswerView(library, guild_id, found, asker_id, k, doc_id)
    return Reply(embed=embed, view=view)
