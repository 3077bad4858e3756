"""``qabot``: the index commands keep working; ``run`` and ``sync`` need a token."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from bot.cli import build_parser, load_settings, main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DISCORD_TOKEN", "QABOT_CORPUS", "QABOT_INDEX", "QABOT_GUILD_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", ["run", "sync"])
def test_without_a_token_it_exits_at_once_naming_it(
    no_token: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command]) == 2
    error = capsys.readouterr().err
    assert "DISCORD_TOKEN" in error and "README" in error


def test_a_bad_setting_is_a_usage_error(
    no_token: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QABOT_GUILD_ID", "not-a-number")
    assert main(["run"]) == 2
    assert "QABOT_GUILD_ID" in capsys.readouterr().err


def test_ask_still_answers_without_discord(
    no_token: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "seeds", no_token / "seeds")
    assert main(["-q", "ask", "what did the Pentagon say?", "--color", "never"]) == 0
    assert "Pentagon" in capsys.readouterr().out


def test_the_parser_has_the_index_and_bot_commands() -> None:
    text = build_parser().format_help()
    for command in ("ask", "reindex", "docs", "stats", "run", "sync"):
        assert command in text


def test_importing_the_cli_does_not_import_discord() -> None:
    code = "import sys, bot.cli; sys.exit('discord' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


def test_the_console_script_points_at_the_bot_cli() -> None:
    (script,) = entry_points(group="console_scripts", name="qabot")
    assert script.value == "bot.cli:run"


def test_settings_come_from_dotenv_unless_a_flag_overrides(no_token: Path) -> None:
    (no_token / ".env").write_text("QABOT_CORPUS=articles\nQABOT_INDEX=idx\n", encoding="utf-8")
    from_file = load_settings(build_parser().parse_args(["run"]))
    assert (from_file.corpus, from_file.index) == (Path("articles"), Path("idx"))
    flagged = load_settings(build_parser().parse_args(["run", "--corpus", "other"]))
    assert (flagged.corpus, flagged.index) == (Path("other"), Path("idx"))
