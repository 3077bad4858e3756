"""The ``qabot`` command line: a thin layer over the library, for terminals and scripts.

``commands`` builds the one parser from command specs and maps errors to exit
statuses; ``settings`` is the one settings loader (flags, environment, ``.env``,
defaults); ``main`` holds the index commands (``ask``, ``reindex``, ``docs``,
``stats``), ``eval_command`` the quality harness and ``web_commands`` ``add`` and
``feed``; ``terminal`` and ``progress`` render for a terminal. The bot's commands
(``run``, ``sync``) join these in ``bot/cli.py``, the composition root, which with
the bot's settings uses the names this module exports: the command line's public API.
"""

from __future__ import annotations

from index.cli.commands import Command, exit_with, no_arguments
from index.cli.commands import build_parser as build_parser_of
from index.cli.commands import main as run_commands
from index.cli.escaping import shown_name
from index.cli.main import COMMANDS, INDEX_SETTINGS
from index.cli.semantic_options import SEMANTIC, SEMANTIC_INT8, SEMANTIC_MODEL
from index.cli.settings import (
    CORPUS,
    INDEX,
    LOG_LEVEL,
    LOG_LEVELS,
    LoadedSettings,
    Setting,
    load,
)
from index.cli.web_commands import ALLOW_LOOPBACK
from index.errors import SettingsError

__all__ = [
    "ALLOW_LOOPBACK",
    "COMMANDS",
    "CORPUS",
    "INDEX",
    "INDEX_SETTINGS",
    "LOG_LEVEL",
    "LOG_LEVELS",
    "SEMANTIC",
    "SEMANTIC_INT8",
    "SEMANTIC_MODEL",
    "Command",
    "LoadedSettings",
    "Setting",
    "SettingsError",
    "build_parser_of",
    "exit_with",
    "load",
    "no_arguments",
    "run_commands",
    "shown_name",
]
