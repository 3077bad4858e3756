"""Settings: the environment and ``.env``, read once at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Rate, Settings, SettingsError, read_dotenv


def test_defaults_without_any_setting() -> None:
    settings = Settings.from_env({})
    assert settings.token is None and settings.guild_id is None
    assert settings.corpus == Path("seeds") and settings.index == Path(".qabot/index")
    assert settings.collections == Path(".qabot/collections")
    assert settings.user_rate == Rate(3, 30.0) and settings.channel_rate == Rate(10, 60.0)


def test_every_setting_is_read(tmp_path: Path) -> None:
    env = {
        "DISCORD_TOKEN": "abc.def",
        "QABOT_GUILD_ID": "123",
        "QABOT_CORPUS": "articles",
        "QABOT_INDEX": "idx",
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
        "abc.def", 123, Path("articles"), Path("idx"), Path("state"),
    )  # fmt: skip
    assert s.admin_role == "qabot-admins" and s.owner_ids == frozenset({1, 2})
    assert s.user_rate == Rate(2, 10.0) and s.channel_rate == Rate(5, 20.0)
    assert s.max_upload_bytes == 1000 and s.log_level == "DEBUG"
    assert s.guild_indexes == Path("state/guild-index")


def test_the_token_never_appears_in_repr() -> None:
    assert "sekrit" not in repr(Settings.from_env({"DISCORD_TOKEN": "sekrit"}))


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\nexport DISCORD_TOKEN='from-file'\nQABOT_GUILD_ID=42 # test server\n\n"
        "QABOT_CORPUS=file-corpus\n",
        encoding="utf-8",
    )
    settings = Settings.from_env({"QABOT_CORPUS": "env-corpus"}, dotenv)
    assert settings.token == "from-file" and settings.guild_id == 42
    assert settings.corpus == Path("env-corpus")


def test_a_missing_dotenv_is_no_error(tmp_path: Path) -> None:
    assert read_dotenv(tmp_path / "absent") == {}


@pytest.mark.parametrize(
    ("name", "value"),
    [("QABOT_GUILD_ID", "abc"), ("QABOT_USER_RATE", "fast"), ("QABOT_CHANNEL_RATE", "0/10")],
)
def test_bad_values_name_their_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_env_example_lists_every_setting_with_a_comment() -> None:
    import re

    import bot.settings
    import bot.web_settings

    repo = Path(__file__).resolve().parents[2]
    sources = [
        Path(module.__file__ or "").read_text() for module in (bot.settings, bot.web_settings)
    ]
    read = {
        name for text in sources for name in re.findall(r'"((?:QABOT_\w+)|DISCORD_TOKEN)"', text)
    }
    lines = (repo / ".env.example").read_text(encoding="utf-8").splitlines()
    listed = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    assert read == listed
    for name in listed:
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}="))
        assert lines[index - 1].startswith("#"), f"{name} has no comment"
    assert read_dotenv(repo / ".env.example")["QABOT_CORPUS"] == "seeds"
