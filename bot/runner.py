"""Starting the bot for real: settings in, a logged-in bot out (or a clear exit)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import aiohttp
import discord

from bot.client import QABot, ShardedQABot, Startup
from bot.index_layout import LibraryPaths
from bot.library import Library
from bot.logsetup import setup_logging
from bot.settings import README_HINT, Settings
from index import CorpusError, QabotError, SemanticIndexes, load_embedder

log = logging.getLogger(__name__)


def create_bot(settings: Settings, force_sync: bool = False, warm_index: bool = True) -> QABot:
    """The bot with its library over the configured folders."""
    paths = LibraryPaths(
        settings.corpus, settings.index, settings.collections, settings.guild_indexes
    )
    # A bot that only syncs commands (warm_index off) logs out at once: no feed polling.
    startup = Startup(settings.data / "commands.json", force_sync, warm_index, warm_index)
    library = Library(paths, semantic=semantic_indexes(settings), shards=settings.shards)
    if settings.shards is None:
        return QABot(settings, library, startup)
    return ShardedQABot(settings, library, startup)


def semantic_indexes(settings: Settings) -> SemanticIndexes | None:
    """The embedding model, loaded once for every index, when ``QABOT_SEMANTIC`` is on.
    Raises ``SemanticUnavailableError`` when the extra or the model is missing."""
    if not settings.semantic:
        return None
    models = settings.data / "models"
    embedder = load_embedder(settings.semantic_model, models, int8=settings.semantic_int8)
    log.info("semantic re-ranking on with %s", embedder.name)
    return SemanticIndexes(embedder, shared=(settings.index,))


def run_bot(settings: Settings) -> int:
    """Run until stopped; returns the exit status."""
    return _guarded(settings, _serve(create_bot(settings), settings.token or ""))


def sync_once(settings: Settings) -> int:
    """Log in, sync the slash commands whatever the stored hash says, log out."""
    return _guarded(settings, _login_only(create_bot(settings, True, False), settings.token or ""))


async def _serve(bot: QABot, token: str) -> None:
    async with bot:
        await bot.start(token)


async def _login_only(bot: QABot, token: str) -> None:
    async with bot:
        await bot.login(token)


def _guarded(settings: Settings, work: Coroutine[Any, Any, None]) -> int:
    setup_logging(settings.log_level, [settings.token or ""])
    try:
        asyncio.run(work)
    except aiohttp.ClientConnectionError as error:
        log.error("cannot reach Discord: %s", error)
        return 1
    except discord.LoginFailure:
        log.error("Discord refused DISCORD_TOKEN: copy the bot token again (%s)", README_HINT)
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error("Discord refused an intent; qabot needs no privileged intent (%s)", README_HINT)
        return 1
    except QabotError as error:
        hint = " (set QABOT_CORPUS or --corpus)" if isinstance(error, CorpusError) else ""
        log.error("cannot open the shared corpus: %s%s", error, hint)
        return error.exit_status
    except KeyboardInterrupt:
        return 0
    return 0
