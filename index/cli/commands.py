"""The ``qabot`` command line built from command specs: the one place argv is parsed.

Each adapter describes its subcommands as :class:`Command` values (the index
commands in :mod:`index.cli.main`, ``run`` and ``sync`` in ``bot.cli``); the
composition root hands all of them, with all their settings, to :func:`main`.

Start-up stays fast because a command's own options and handler are only
touched when that command runs: ``qabot --help`` lists the commands from their
names and summaries alone, so it imports none of numpy, numba, nltk or discord.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from index.cli.escaping import SafeFormatter, shown_name
from index.cli.settings import LOG_LEVEL, LOG_LEVELS, LoadedSettings, Setting, load
from index.errors import InputError, QabotError, SettingsError

Handler = Callable[[argparse.Namespace, LoadedSettings], int]

DESCRIPTION = "Answer questions from articles with cited sentences."
PRECEDENCE = (
    "Each setting comes from its flag, else the environment, else the settings file "
    "(--env-file, default ./.env), else its built-in default; relative paths in the settings "
    "file are relative to the file's folder. Options before the command apply to it too. "
    "See 'Configuration' in README.md."
)


class UsageError(InputError):
    """A mistake in a command's arguments: reported in one line with exit status 2."""


@dataclass(frozen=True, slots=True)
class Command:
    """One ``qabot`` subcommand.

    ``arguments`` adds the command's own options (and returns the parsers of its
    actions, if it has any, such as ``feed add``) and ``handler`` runs it; both may
    import heavy modules, since they run only when this command is chosen.
    ``settings`` are the flagged settings it takes (``--corpus``, ...), which are
    accepted before the command name too.
    """

    name: str
    summary: str
    arguments: Callable[[argparse.ArgumentParser], Sequence[argparse.ArgumentParser] | None]
    handler: Handler
    settings: tuple[Setting, ...] = ()


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command with only the shared options."""


def build_parser(
    commands: Sequence[Command],
    loaded: LoadedSettings | None = None,
    detailed: Collection[str] = (),
    scan: bool = False,
) -> argparse.ArgumentParser:
    """The ``qabot`` parser; only the ``detailed`` commands get their own options.

    ``loaded`` puts each setting's current value and origin into ``--help``.
    A ``scan`` parser only finds the command and ``--env-file``: it has no help, and
    it raises on a mistake instead of exiting (the full parser then reports it).
    """
    parser = argparse.ArgumentParser(
        prog="qabot",
        description=DESCRIPTION,
        epilog=PRECEDENCE,
        add_help=not scan,
        exit_on_error=not scan,
    )
    flagged = _unique(setting for command in commands for setting in command.settings)
    _add_shared_options(parser, flagged, loaded, argparse.SUPPRESS if scan else None)
    subparsers = parser.add_subparsers(dest="command", required=not scan, metavar="COMMAND")
    for command in commands:
        full = command.name in detailed
        sub = subparsers.add_parser(
            command.name,
            help=command.summary,
            description=command.summary,
            add_help=full,
            exit_on_error=not scan,
        )
        _add_shared_options(sub, command.settings, loaded, argparse.SUPPRESS)
        if full:
            # An action's own parser takes the shared options too: ``feed add URL --corpus D``.
            for action in command.arguments(sub) or ():
                _add_shared_options(action, command.settings, loaded, argparse.SUPPRESS)
        sub.set_defaults(handler=command.handler)
    return parser


def _add_shared_options(
    parser: argparse.ArgumentParser,
    settings: Iterable[Setting],
    loaded: LoadedSettings | None,
    default: object,
) -> None:
    # After the command name the defaults are SUPPRESS, so an option given before
    # the command is not overwritten by the subcommand's default.
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if default is None else default,
        help="print no progress or warnings",
    )
    parser.add_argument("--env-file", metavar="FILE", default=default, help=_env_file_help(loaded))
    for setting in settings:
        assert setting.flag is not None
        text = f"{setting.meaning} ({loaded.described(setting)})" if loaded else setting.meaning
        metavar = "DIR" if setting.is_path else "VALUE"
        parser.add_argument(setting.flag, metavar=metavar, default=default, help=text)


def _env_file_help(loaded: LoadedSettings | None) -> str:
    if loaded is None:
        return "settings file (default ./.env)"
    found = "" if loaded.env_file.is_file() else ", absent"
    return f"settings file (now {loaded.env_file}{found})"


def _dest(flag: str) -> str:
    """argparse's attribute name for ``flag``: ``--env-file`` is ``env_file``."""
    return flag.lstrip("-").replace("-", "_")


def _unique(settings: Iterable[Setting]) -> list[Setting]:
    return list({setting.env: setting for setting in settings}.values())


def parse(
    argv: Sequence[str],
    commands: Sequence[Command],
    settings: Sequence[Setting],
    environ: Mapping[str, str],
) -> tuple[argparse.Namespace, LoadedSettings]:
    """The parsed command line and every setting with flags applied (exits on ``--help``)."""
    everything = {command.name for command in commands}
    try:
        scanned, _ = build_parser(commands, scan=True).parse_known_args(argv)
        detailed = {scanned.command} if scanned.command else set()
    except argparse.ArgumentError:  # the full parser below says what is wrong, and exits
        scanned, detailed = argparse.Namespace(), everything
    env_file = getattr(scanned, "env_file", None)
    loaded = load(settings, environ, Path(env_file) if env_file else None)
    args = build_parser(commands, loaded, detailed).parse_args(argv)
    flags = {s.flag: getattr(args, _dest(s.flag), None) for s in settings if s.flag}
    return args, loaded.with_flags(settings, flags)


def main(
    argv: Sequence[str] | None,
    commands: Sequence[Command],
    settings: Sequence[Setting],
    environ: Mapping[str, str] | None = None,
) -> int:
    """Parse ``argv``, load the settings, run the chosen command; returns the exit status."""
    try:
        args, loaded = parse(
            sys.argv[1:] if argv is None else argv,
            commands,
            settings,
            os.environ if environ is None else environ,
        )
        level = "WARNING" if args.quiet else loaded.choice(LOG_LEVEL, LOG_LEVELS)
    except SettingsError as error:
        print(f"qabot: {shown_name(str(error))}", file=sys.stderr)
        return 2
    log_handler = logging.StreamHandler()
    log_handler.setFormatter(SafeFormatter("qabot: %(message)s"))
    logging.basicConfig(level=level, handlers=[log_handler])
    handler: Handler = args.handler
    try:
        return handler(args, loaded)
    except QabotError as error:
        print(f"qabot: {shown_name(str(error))}", file=sys.stderr)
        return error.exit_status
    except OSError as error:  # a file qabot had to read or write, not the index (IndexWriteError)
        print(f"qabot: {shown_name(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def exit_with(status: int) -> NoReturn:
    """End the process with ``status``, skipping the final garbage collection.

    At exit Python collects every object once more; after numba and nltk have
    loaded that walk costs about 0.3 s of CPU and frees nothing the operating
    system would not reclaim anyway. Frozen objects are left out of it.
    """
    gc.freeze()
    sys.exit(status)
