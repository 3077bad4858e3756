"""Starting the bot for real: settings in, a logged-in bot out (or a clear exit)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import aiohttp
import discord

from bot.client import QABot, Startup
from bot.library import Library, LibraryPaths
from bot.logsetup import setup_logging
from bot.settings import README_HINT, Settings
from index.articles.corpus import CorpusError
from index.ranking.bm25 import EmptyIndexError

log = logging.getLogger(__name__)


def create_bot(settings: Settings, force_sync: bool = False, warm_index: bool = True) -> QABot:
    """The bot with its library over the configured folders."""
    paths = LibraryPaths(
        settings.corpus, settings.index, settings.collections, settings.guild_indexes
    )
    startup = Startup(settings.data / "commands.json", force_sync, warm_index)
    return QABot(settings, Library(paths), startup)


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
    except (CorpusError, EmptyIndexError) as error:
        log.error("cannot open the shared corpus: %s (set QABOT_CORPUS or --corpus)", error)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
