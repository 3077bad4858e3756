"""``qabot``: the composition root of the command line.

The index commands (``ask``, ``reindex``, ``docs``, ``stats``, ``eval``, ``add``,
``feed``) come from :mod:`index.cli`; this module adds ``run``, ``sync`` and ``doctor`` and
hands all of them, with every setting, to the one parser and settings loader.
``qabot ask`` and friends never import discord; ``run`` and ``sync`` import the bot
only after checking that a token is configured.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Mapping, Sequence

from bot.settings import DATA, README_HINT, SHARD_SETTINGS, Settings
from bot.settings import SETTINGS as BOT_SETTINGS
from index.cli import (
    COMMANDS as INDEX_COMMANDS,
)
from index.cli import (
    CORPUS,
    INDEX,
    INDEX_SETTINGS,
    Command,
    LoadedSettings,
    build_parser_of,
    exit_with,
    no_arguments,
    run_commands,
    shown_name,
)

NO_TOKEN = (
    "qabot: DISCORD_TOKEN is not set. Put your bot's token in the environment or in a .env "
    f"file ({README_HINT}). 'qabot ask' works without it."
)


def _run(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    settings = _settings_with_token(loaded)
    if settings is None:
        return 2
    from bot.runner import run_bot

    return run_bot(settings)


def _sync(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    settings = _settings_with_token(loaded)
    if settings is None:
        return 2
    from bot.runner import sync_once

    return sync_once(settings)


def _doctor(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    """Print every check (never the token) and the invite URL; 1 when something must be
    fixed."""
    _quiet_voice_warnings()
    from bot.doctor import diagnose

    diagnosis = diagnose(Settings.from_loaded(loaded))
    for check in diagnosis.checks:
        mark = "ok  " if check.ok else "FIX "
        print(shown_name(f"{mark} {check.name}: {check.detail}"))
    if diagnosis.invite_url is not None:
        print(f"Invite URL: {diagnosis.invite_url}")
    else:
        print("Invite URL: set a valid DISCORD_TOKEN first (it names the application)")
    return 0 if diagnosis.ok else 1


def _settings_with_token(loaded: LoadedSettings) -> Settings | None:
    """The settings for talking to Discord, or ``None`` (after saying why) without a token."""
    settings = Settings.from_loaded(loaded)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return None
    _quiet_voice_warnings()
    return settings


def _quiet_voice_warnings() -> None:
    # discord.py warns at import that voice libraries are missing; qabot has no voice.
    logging.getLogger("discord.client").addFilter(
        lambda record: "voice will NOT be supported" not in record.getMessage()
    )


BOT_PATHS = (CORPUS, INDEX, DATA)
RUN = Command(
    "run",
    "start the Discord bot (needs DISCORD_TOKEN); several processes may share the data folder, "
    "each running some shards (--shard-ids 0,1 --shard-count 4)",
    no_arguments,
    _run,
    (*BOT_PATHS, *SHARD_SETTINGS),
)
SYNC = Command(
    "sync", "sync the slash commands to Discord now, then exit", no_arguments, _sync, BOT_PATHS
)
DOCTOR = Command(
    "doctor",
    "check the setup for Discord offline (token, folders, index, intents, invite) "
    "and print the invite URL",
    no_arguments,
    _doctor,
    BOT_PATHS,
)
COMMANDS = (*INDEX_COMMANDS, RUN, SYNC, DOCTOR)
SETTINGS = tuple({s.env: s for s in (*INDEX_SETTINGS, *BOT_SETTINGS)}.values())


def build_parser() -> argparse.ArgumentParser:
    """The whole ``qabot`` parser with every command's options (for tests and docs)."""
    return build_parser_of(COMMANDS, detailed={command.name for command in COMMANDS})


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run one ``qabot`` command; returns the exit status."""
    return run_commands(argv, COMMANDS, SETTINGS, environ)


def run(argv: Iterable[str] | None = None) -> None:
    """Console-script entry point."""
    exit_with(main(list(argv) if argv is not None else None))
