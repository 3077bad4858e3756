"""The bot's settings: read by the one loader, checked and typed here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bot.settings
from bot.settings import SETTINGS, Rate, Settings
from bot.shards import Shards
from index.cli.settings import SETTINGS as INDEX_SETTINGS
from index.cli.settings import load
from index.errors import SettingsError
from tests.conftest import ROOT


def test_defaults_without_any_setting(tmp_path: Path) -> None:
    settings = Settings.from_env({})
    assert settings.token is None and settings.guild_id is None
    assert settings.corpus == tmp_path / "seeds" and settings.index == tmp_path / ".qabot/index"
    assert settings.collections == tmp_path / ".qabot/collections"
    assert settings.user_rate == Rate(3, 30.0) and settings.channel_rate == Rate(10, 60.0)
    assert settings.max_upload_bytes == 2 * 1024 * 1024 and settings.log_level == "INFO"


def test_every_setting_is_read(tmp_path: Path) -> None:
    env = {
        "DISCORD_TOKEN": "abc.def",
        "QABOT_GUILD_ID": "123",
        "QABOT_CORPUS": "articles",
        "QABOT_INDEX": "/srv/idx",
        "QABOT_DATA": "state",
        "QABOT_ADMIN_ROLE": "qabot-admins",
        "QABOT_OWNER_IDS": "1, 2",
        "QABOT_USER_RATE": "2/10",
        "QABOT_CHANNEL_RATE": "5 / 20",
        "QABOT_MAX_UPLOAD_BYTES": "1000",
        "QABOT_LOG_LEVEL": "debug",
    }
    s = Settings.from_env(env)
    assert (s.token, s.guild_id, s.corpus, s.index, s.data) == (
        "abc.def", 123, tmp_path / "articles", Path("/srv/idx"), tmp_path / "state",
    )  # fmt: skip
    assert s.admin_role == "qabot-admins" and s.owner_ids == frozenset({1, 2})
    assert s.user_rate == Rate(2, 10.0) and s.channel_rate == Rate(5, 20.0)
    assert s.max_upload_bytes == 1000 and s.log_level == "DEBUG"
    assert s.guild_indexes == tmp_path / "state/guild-index"


def test_the_token_never_appears_in_repr() -> None:
    assert "sekrit" not in repr(Settings.from_env({"DISCORD_TOKEN": "sekrit"}))


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    dotenv = tmp_path / "conf" / "bot.env"
    dotenv.write_text(
        "# comment\nexport DISCORD_TOKEN='from-file'\nQABOT_GUILD_ID=42 # test server\n\n"
        "QABOT_CORPUS=env-wins\nQABOT_DATA=state\n",
        encoding="utf-8",
    )
    settings = Settings.from_env({"QABOT_CORPUS": "env-corpus"}, dotenv)
    assert settings.token == "from-file" and settings.guild_id == 42
    assert settings.corpus == tmp_path / "env-corpus"
    assert settings.data == tmp_path / "conf" / "state"  # relative to the file's folder


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QABOT_GUILD_ID", "abc"),
        ("QABOT_USER_RATE", "fast"),
        ("QABOT_CHANNEL_RATE", "0/10"),
        ("QABOT_OWNER_IDS", "1, two"),
        ("QABOT_MAX_UPLOAD_BYTES", "-5"),
    ],
)
def test_bad_values_name_their_variable_and_where_it_came_from(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"{name} must .*{value!r} \\(from the environment\\)"):
        Settings.from_env({name: value})


def test_an_unknown_log_level_is_refused_naming_the_allowed_ones() -> None:
    with pytest.raises(SettingsError, match="QABOT_LOG_LEVEL must be one of DEBUG, INFO, WARNING"):
        Settings.from_env({"QABOT_LOG_LEVEL": "LOUD"})


def test_env_example_lists_every_setting_with_a_comment() -> None:
    names = {setting.env for setting in (*INDEX_SETTINGS, *SETTINGS)}
    source = Path(bot.settings.__file__).read_text(encoding="utf-8")
    assert set(re.findall(r'"((?:QABOT_\w+)|DISCORD_TOKEN)"', source)) <= names
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    listed = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    assert names == listed
    for name in listed:
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}="))
        assert lines[index - 1].startswith("#"), f"{name} has no comment"
    example = load((*INDEX_SETTINGS, *SETTINGS), {}, ROOT / ".env.example")
    assert Settings.from_loaded(example).corpus == ROOT / "seeds"


def test_semantic_re_ranking_is_off_unless_switched_on() -> None:
    assert not Settings.from_env({}).semantic and Settings.from_env({}).semantic_int8
    environ = {"QABOT_SEMANTIC": "1", "QABOT_SEMANTIC_MODEL": "/m", "QABOT_SEMANTIC_INT8": "off"}
    on = Settings.from_env(environ)
    assert (on.semantic, on.semantic_model, on.semantic_int8) == (True, "/m", False)
    with pytest.raises(SettingsError, match="QABOT_SEMANTIC must be 1 or 0"):
        Settings.from_env({"QABOT_SEMANTIC": "maybe"})


def test_shards_are_read_as_ids_of_a_count() -> None:
    settings = Settings.from_env({"QABOT_SHARD_IDS": "1, 3,1", "QABOT_SHARD_COUNT": "4"})
    assert settings.shards == Shards((1, 3), 4)
    assert settings.shards is not None and not settings.shards.writes_shared
    assert Settings.from_env({}).shards is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"QABOT_SHARD_IDS": "0"}, "QABOT_SHARD_COUNT must be set too"),
        ({"QABOT_SHARD_COUNT": "2"}, "QABOT_SHARD_IDS must be set too"),
        ({"QABOT_SHARD_IDS": "0,x", "QABOT_SHARD_COUNT": "2"}, "separated by commas"),
        ({"QABOT_SHARD_IDS": "2", "QABOT_SHARD_COUNT": "2"}, r"below the shard count \(2\)"),
    ],
)
def test_bad_shards_are_refused_clearly(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_the_shard_formula_is_discords() -> None:
    shards = Shards((0, 2), 4)
    assert shards.writes_shared
    guild = 41771983423143936  # created 2015-01-01: (id >> 22) % 4 == 0
    assert [shards.owns(guild + (s << 22)) for s in range(4)] == [True, False, True, False]
