"""``qabot``: the index commands plus ``run`` and ``sync`` for Discord.

``qabot ask`` and friends never import discord; ``run`` and ``sync`` import
the bot lazily, and only after checking that a token is configured.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import README_HINT, Settings, SettingsError
from index.cli import main as index_cli

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]

NO_TOKEN = (
    "qabot: DISCORD_TOKEN is not set. Put your bot's token in the environment or in a .env "
    f"file ({README_HINT}). 'qabot ask' works without it."
)


def build_parser() -> argparse.ArgumentParser:
    """The index CLI's parser with the ``run`` and ``sync`` subcommands added."""
    parser = index_cli.build_parser()
    commands = _subcommands(parser)
    for name, help_text, handler in (
        ("run", "start the Discord bot (needs DISCORD_TOKEN)", _run),
        ("sync", "sync the slash commands to Discord now, then exit", _sync),
    ):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _add_bot_options(sub)
        sub.set_defaults(handler=handler)
    return parser


def _add_bot_options(parser: argparse.ArgumentParser) -> None:
    # No defaults here: unset flags leave QABOT_CORPUS/QABOT_INDEX from the
    # environment or .env (read by Settings.from_env) in charge.
    parser.add_argument("--corpus", type=Path, help="shared corpus folder (QABOT_CORPUS)")
    parser.add_argument("--index", type=Path, help="shared index folder (QABOT_INDEX)")
    parser.add_argument(
        "--env-file", type=Path, default=Path(".env"), help="settings file (default .env)"
    )


def _subcommands(parser: argparse.ArgumentParser) -> Subcommands:
    # argparse offers no public way to reach the subcommands of a built parser.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the qabot parser has no subcommands")


def load_settings(args: argparse.Namespace) -> Settings:
    """Settings from the environment and ``--env-file``; ``--corpus``/``--index`` win."""
    try:
        settings = Settings.from_env(os.environ, args.env_file)
    except SettingsError as error:
        raise index_cli.UsageError(str(error)) from None
    return replace(
        settings, corpus=args.corpus or settings.corpus, index=args.index or settings.index
    )


def _run(args: argparse.Namespace) -> int:
    settings = _settings_with_token(args)
    if settings is None:
        return 2
    from bot.runner import run_bot

    return run_bot(settings)


def _sync(args: argparse.Namespace) -> int:
    settings = _settings_with_token(args)
    if settings is None:
        return 2
    from bot.runner import sync_once

    return sync_once(settings)


def _settings_with_token(args: argparse.Namespace) -> Settings | None:
    """The settings for talking to Discord, or ``None`` (after saying why) without a token."""
    settings = load_settings(args)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``qabot`` command; returns the exit status."""
    return index_cli.main(argv, build_parser())


def run(argv: Iterable[str] | None = None) -> None:
    """Console-script entry point."""
    sys.exit(main(list(argv) if argv is not None else None))
