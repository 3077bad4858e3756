"""Starting the bot: wiring from settings, and clear exits on a refused token or corpus."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import discord
import pytest

from bot.runner import _guarded, create_bot
from bot.settings import Settings
from index.errors import CorpusError


@pytest.fixture(autouse=True)
def restore_root_logging() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield None
    root.handlers[:] = handlers
    root.setLevel(level)


def test_create_bot_uses_the_configured_folders(tmp_path: Path) -> None:
    settings = Settings(corpus=tmp_path / "c", index=tmp_path / "i", data=tmp_path / "d")
    bot = create_bot(settings, force_sync=True)
    assert bot.library.paths.corpus == tmp_path / "c"
    assert bot.library.paths.index == tmp_path / "i"
    assert bot.library.paths.collections == tmp_path / "d" / "collections"
    assert bot.startup.sync_state == tmp_path / "d" / "commands.json"
    assert bot.startup.force_sync


async def refused() -> None:
    raise discord.LoginFailure("Improper token has been passed.")


async def no_corpus() -> None:
    raise CorpusError("corpus folder /x does not exist")


async def offline() -> None:
    raise aiohttp.ClientConnectionError("Cannot connect to host discord.com:443")


async def fine() -> None:
    await asyncio.sleep(0)


def test_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(token="tok.en")
    assert _guarded(settings, refused()) == 1
    assert _guarded(settings, no_corpus()) == 2
    assert _guarded(settings, offline()) == 1
    errors = capsys.readouterr().err
    assert "cannot reach Discord" in errors and "Discord refused DISCORD_TOKEN" in errors
    assert "set QABOT_CORPUS" in errors
    assert "tok.en" not in errors
    assert _guarded(settings, fine()) == 0
