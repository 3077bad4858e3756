"""The README documents what the code does: commands, flags and the CI command."""

from __future__ import annotations

import re

from bot.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_the_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert 'qabot ask "What did the Pentagon say?"' in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_every_documented_subcommand_exists() -> None:
    parser = build_parser()
    blocks = "\n".join(re.findall(r"```sh\n(.+?)```", README, re.S))
    documented = set(re.findall(r"^qabot (\w+)", blocks, re.M))
    assert {"ask", "reindex", "docs", "stats"} <= documented
    required = {"ask": ["x"], "eval": ["--articles", "a", "--questions", "q"]}
    for command in documented:
        parser.parse_args([command, *required.get(command, [])])


def test_every_documented_ask_option_is_accepted() -> None:
    parser = build_parser()
    table = README.split("| option | meaning |", 1)[1].split("\n\n", 1)[0]
    for option in re.findall(r"^\| `(--?[\w-]+)", table, re.M):
        if option in ("-q", "--quiet"):
            parser.parse_args([option, "ask", "x"])
        else:
            args = {"-k": ["3"], "--doc": ["d"], "--corpus": ["c"], "--index": ["i"]}
            args["--min-confidence"] = ["0.3"]
            value = args.get(option, ["sparse"] if option == "--engine" else [])
            value = ["never"] if option == "--color" else value
            parser.parse_args(["ask", "x", option, *value])
