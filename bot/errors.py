"""Errors reach the user as a short private message and the log as a full traceback."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.refusal import UserFacingError
from index import InputError, UnknownDocumentError

__all__ = ["GENERIC", "UserFacingError", "report_error", "send_private", "user_message"]

log = logging.getLogger(__name__)
GENERIC = "Sorry, something went wrong on my side; the details are in the bot's log."
GONE = "That article is not in the index any more; pick one from the list."


def user_message(error: BaseException) -> str | None:
    """The message for errors that are the user's to fix, else ``None``."""
    original = getattr(error, "original", error)
    if isinstance(original, UnknownDocumentError):
        return GONE
    if isinstance(original, InputError):
        return str(original)
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You are not allowed to use this command here."
    return None


async def send_private(interaction: discord.Interaction, text: str) -> None:
    """Reply privately, whether or not the interaction was already answered."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user briefly; log the traceback unless it was the user's mistake."""
    message = user_message(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else "a component"
        log.error(
            "error in %s (guild=%s user=%s)",
            command,
            interaction.guild_id,
            interaction.user.id,
            exc_info=error,
        )
        message = GENERIC
    if getattr(interaction, "type", None) == discord.InteractionType.autocomplete:
        return
    try:
        await send_private(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)
