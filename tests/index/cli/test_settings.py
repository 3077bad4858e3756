"""The settings loader: flags, then the environment, then ``.env``, then built-in defaults."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.cli.settings import (
    BUILT_IN,
    CORPUS,
    ENVIRONMENT,
    LOG_LEVEL,
    LOG_LEVELS,
    Setting,
    load,
)
from index.errors import SettingsError

NAME = Setting("QABOT_NAME", "a name", "anon")
SETTINGS = (CORPUS, LOG_LEVEL, NAME)


def write_env(folder: Path, text: str, name: str = ".env") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_level_wins_over_the_next(tmp_path: Path) -> None:
    write_env(tmp_path, "QABOT_CORPUS=from-file\nQABOT_NAME=filed\n")
    loaded = load(SETTINGS, {"QABOT_CORPUS": "from-env"})
    assert loaded.path(CORPUS) == tmp_path / "from-env"
    assert loaded.origin(CORPUS) == ENVIRONMENT
    assert (loaded.text(NAME), loaded.origin(NAME)) == ("filed", str(tmp_path / ".env"))
    assert (loaded.text(LOG_LEVEL), loaded.origin(LOG_LEVEL)) == ("INFO", BUILT_IN)
    flagged = loaded.with_flags(SETTINGS, {"--corpus": "from-flag"})
    assert (flagged.path(CORPUS), flagged.origin(CORPUS)) == (tmp_path / "from-flag", "--corpus")
    assert flagged.text(NAME) == "filed"


def test_an_empty_value_counts_as_not_set(tmp_path: Path) -> None:
    write_env(tmp_path, "QABOT_NAME=\nQABOT_CORPUS=articles\n")
    loaded = load(SETTINGS, {"QABOT_CORPUS": "  "})
    assert (loaded.text(NAME), loaded.origin(NAME)) == ("anon", BUILT_IN)
    assert loaded.path(CORPUS) == tmp_path / "articles"


def test_relative_paths_in_a_settings_file_are_relative_to_its_folder(tmp_path: Path) -> None:
    env_file = write_env(tmp_path / "srv" / "qabot", "QABOT_CORPUS=../articles\n", "qabot.env")
    loaded = load(SETTINGS, {}, env_file)
    assert loaded.path(CORPUS) == tmp_path / "srv" / "articles"
    assert loaded.origin(CORPUS) == str(env_file)
    assert load(SETTINGS, {"QABOT_CORPUS": "/abs/c"}, env_file).path(CORPUS) == Path("/abs/c")


def test_the_default_settings_file_is_optional_a_named_one_is_not(tmp_path: Path) -> None:
    assert load(SETTINGS, {}).env_file == tmp_path / ".env"
    with pytest.raises(SettingsError, match=r"settings file .*missing.env does not exist"):
        load(SETTINGS, {}, Path("missing.env"))


def test_the_settings_file_never_reaches_the_environment(tmp_path: Path) -> None:
    write_env(tmp_path, "QABOT_NAME=secret-ish\n")
    assert load(SETTINGS, {}).text(NAME) == "secret-ish"
    assert "QABOT_NAME" not in os.environ


def test_dotenv_syntax_comments_quotes_and_export(tmp_path: Path) -> None:
    text = "# a comment\nexport QABOT_NAME='two words' # trailing\nQABOT_CORPUS=\"c d\"\n"
    loaded = load(SETTINGS, {}, write_env(tmp_path, text))
    assert loaded.text(NAME) == "two words"
    assert loaded.path(CORPUS) == tmp_path / "c d"


def test_values_are_literal_not_expanded(tmp_path: Path) -> None:
    loaded = load(SETTINGS, {"HOME": "/home/x"}, write_env(tmp_path, "QABOT_NAME=${HOME}$x\n"))
    assert loaded.text(NAME) == "${HOME}$x"


def test_a_choice_names_the_allowed_values_and_the_source(tmp_path: Path) -> None:
    write_env(tmp_path, "QABOT_LOG_LEVEL=LOUD\n")
    with pytest.raises(SettingsError) as raised:
        load(SETTINGS, {}).choice(LOG_LEVEL, LOG_LEVELS)
    message = str(raised.value)
    assert "QABOT_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, not 'LOUD'" in message
    assert str(tmp_path / ".env") in message
    assert load(SETTINGS, {"QABOT_LOG_LEVEL": "warning"}).choice(LOG_LEVEL, LOG_LEVELS) == "WARNING"


def test_help_describes_the_value_in_effect_and_its_source(tmp_path: Path) -> None:
    described = load(SETTINGS, {}).described(CORPUS)
    assert described == f"QABOT_CORPUS; now {tmp_path / 'seeds'}, from the built-in default"
