"""``qabot``: every command from one parser and one settings loader; ``run`` needs a token."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from bot.cli import COMMANDS, SETTINGS, build_parser, main
from bot.settings import Settings
from index.cli.commands import parse
from index.cli.settings import CORPUS, INDEX
from tests.conftest import ROOT

HEAVY = ("numpy", "numba", "nltk", "discord")


@pytest.mark.parametrize("command", ["run", "sync"])
def test_without_a_token_it_exits_at_once_naming_it(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command]) == 2
    error = capsys.readouterr().err
    assert "DISCORD_TOKEN" in error and "README" in error


def test_a_bad_setting_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"], {"QABOT_GUILD_ID": "not-a-number"}) == 2
    assert "QABOT_GUILD_ID must be a whole number" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["-q", "ask", "what did the Pentagon say?", "--color", "never"],
        ["ask", "-q", "what did the Pentagon say?", "--color", "never"],
    ],
)
def test_ask_answers_without_discord_with_q_anywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "Pentagon" in out and err == ""


def test_the_parser_has_the_index_and_bot_commands() -> None:
    text = build_parser().format_help()
    for command in ("ask", "reindex", "docs", "stats", "eval", "run", "sync"):
        assert command in text


def test_help_imports_none_of_the_heavy_modules() -> None:
    code = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "ask" in result.stdout
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_answering_from_a_fresh_index_imports_no_build_machinery(tmp_path: Path) -> None:
    """Punkt (nltk) splits sentences only when an index is built; rank-bm25 is the
    reference engine's, asyncio the web commands'; numba compiles kernels that one
    question over a small index runs interpreted (index.jit). ``qabot ask`` on an index
    that exists and is current needs none of them (issue 10: start-up)."""
    # Not "index": ``python -c`` would import the folder as the package.
    corpus, index_dir = tmp_path / "seeds", tmp_path / "built"
    shutil.copytree(ROOT / "seeds", corpus)
    folders = ["--corpus", str(corpus), "--index", str(index_dir)]
    assert main(["-q", "reindex", *folders]) == 0
    build_only = ("nltk", "rank_bm25", "asyncio", "discord", "numba")
    code = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "status = main(sys.argv[1:])\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({build_only!r}))\n"
        "print(json.dumps({'status': status, 'loaded': loaded}))\n"
    )
    ask = ["ask", "What did the Pentagon say?", "--json", "-k", "1", *folders]
    done = subprocess.run([sys.executable, "-c", code, *ask], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    answer, modules = done.stdout.splitlines()
    assert json.loads(answer)["hits"][0]["title"] == "Russia to resume talks on air safety in Syria"
    assert json.loads(modules) == {"status": 0, "loaded": []}


def test_the_console_script_points_at_the_bot_cli() -> None:
    (script,) = entry_points(group="console_scripts", name="qabot")
    assert script.value == "bot.cli:run"


def test_ask_and_the_bot_use_the_same_folders_from_dotenv(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    env_file = tmp_path / "deploy" / "qabot.env"
    env_file.write_text("QABOT_CORPUS=articles\nQABOT_INDEX=/var/idx\n", encoding="utf-8")
    option = ["--env-file", str(env_file)]
    _, asked = parse(["ask", "x", *option], COMMANDS, SETTINGS, {})
    _, running = parse(["run", *option], COMMANDS, SETTINGS, {})
    bot = Settings.from_loaded(running)
    assert asked.path(CORPUS) == bot.corpus == tmp_path / "deploy" / "articles"
    assert asked.path(INDEX) == bot.index == Path("/var/idx")
    _, flagged = parse(["run", "--corpus", "other", *option], COMMANDS, SETTINGS, {})
    assert Settings.from_loaded(flagged).corpus == tmp_path / "other"
