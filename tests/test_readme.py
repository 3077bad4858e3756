"""The README documents what the code does: commands, flags, settings and the CI command."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.cli import SETTINGS, build_parser, main
from index.records import Answer, Correction, DocumentInfo, Hit, Sentence
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
VALUES = {"-k": ["3"], "--doc": ["d"], "--corpus": ["c"], "--index": ["i"], "--env-file": ["e"]}
VALUES |= {"--min-confidence": ["0.3"], "--engine": ["sparse"], "--color": ["never"]}


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def table_rows(header: str) -> list[list[str]]:
    """The cells of the Markdown table that starts with ``header``."""
    table = README.split(header, 1)[1].split("\n\n", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def test_the_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert 'qabot ask "What did the Pentagon say?"' in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_the_quick_starts_example_output_is_what_ask_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = README.split("The first command prints something like:", 1)[1]
    shown = re.findall(r"```text\n(.+?)\n```", example, re.S)[0].splitlines()
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")  # tests run in tmp_path
    assert main(["-q", "ask", "What did the Pentagon say?", "--color", "never"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[: len(shown)] == shown


def test_every_documented_subcommand_exists() -> None:
    parser = build_parser()
    blocks = "\n".join(re.findall(r"```sh\n(.+?)```", README, re.S))
    documented = set(re.findall(r"^(?:\S*/)?qabot (\w+)", blocks, re.M))
    assert {"ask", "reindex", "docs", "stats", "run", "sync"} <= documented
    required = {"ask": ["x"], "eval": ["--articles", "a", "--questions", "q"]}
    required |= {"add": ["https://example.org/a"], "feed": ["list"]}
    for command in documented:
        parser.parse_args([command, *required.get(command, [])])


def test_every_documented_ask_option_is_accepted_before_and_after_shared_ones() -> None:
    parser = build_parser()
    for cells in table_rows("| option | meaning |"):
        option = re.findall(r"`(--?[\w-]+)", cells[0])[0]
        value = VALUES.get(option, [])
        parser.parse_args(["ask", "x", option, *value])
        if option in ("-q", "--quiet", "--corpus", "--index", "--env-file"):
            parser.parse_args([option, *value, "ask", "x"])


def test_every_setting_in_the_configuration_table_is_loaded_and_in_env_example() -> None:
    rows = table_rows("| setting | flag | meaning | default |")
    documented = {re.findall(r"`(\w+)`", row[0])[0]: row for row in rows}
    loaded = {setting.env: setting for setting in SETTINGS}
    assert set(documented) == set(loaded)
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name, (_, flag, _, default) in documented.items():
        setting = loaded[name]
        assert re.search(rf"^{name}=", example, re.M), f"{name} is not in .env.example"
        assert (f"`{setting.flag} " in flag) if setting.flag else flag.startswith("none"), name
        if setting.default is not None:
            assert f"`{setting.default}`" == default, name


def test_every_documented_feed_action_exists() -> None:
    parser = build_parser()
    blocks = "\n".join(re.findall(r"```sh\n(.+?)```", README, re.S))
    actions = set(re.findall(r"^qabot feed (\w+)", blocks, re.M))
    assert actions == {"add", "poll", "list", "remove"}
    for action in actions:
        url = ["https://x.example/f"] if action in ("add", "remove") else []
        parser.parse_args(["feed", action, *url])


def test_every_json_key_of_an_answer_is_documented() -> None:
    hit = Hit(1, 1.0, Sentence("d", 1, 1, 0, 1, "x"), DocumentInfo("d", "T"), ("x",), ())
    hit = replace(hit, also_in=(DocumentInfo("e", "T2"),))
    fix = (Correction("pentgon", "pentagon"),)
    answer = Answer("q", ("x",), (hit,), withheld=1, corrected_question="p", corrections=fix)
    row = README.split("| `--json` |", 1)[1].split("\n", 1)[0]
    data = answer.to_json()
    for key in [*data, *data["hits"][0]]:
        assert f'"{key}"' in row or f"`{key}`" in row, key
