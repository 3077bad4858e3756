"""The bot's configuration, read once at the edge by the one settings loader.

The settings below join the index commands' (corpus, index, log level) in
``bot.cli``; the command line's settings loader (``index.cli``) reads them all (flags, environment,
``.env``, defaults) and :meth:`Settings.from_loaded` checks and types them.
Every other bot module receives a :class:`Settings` (or the parts it needs) as
an argument; nothing in ``bot/`` reads ``os.environ``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.shards import Shards
from bot.web_settings import WEB_SETTINGS, WebSettings, web_settings
from index.cli import (
    CORPUS,
    INDEX,
    INDEX_SETTINGS,
    LOG_LEVEL,
    LOG_LEVELS,
    SEMANTIC,
    SEMANTIC_INT8,
    SEMANTIC_MODEL,
    LoadedSettings,
    Setting,
    SettingsError,
    load,
)

README_HINT = "see 'Run it on Discord' in README.md"
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*$")

TOKEN = Setting("DISCORD_TOKEN", "the bot token, for run and sync only")
GUILD_ID = Setting("QABOT_GUILD_ID", "sync the slash commands to this test server only")
DATA = Setting(
    "QABOT_DATA", "the bot's data: server collections and their indexes", ".qabot", "--data", True
)
ADMIN_ROLE = Setting("QABOT_ADMIN_ROLE", "a role that may manage its server's collection")
OWNER_IDS = Setting("QABOT_OWNER_IDS", "user ids who may rebuild the shared corpus")
USER_RATE = Setting("QABOT_USER_RATE", "questions per seconds, per user", "3/30")
CHANNEL_RATE = Setting("QABOT_CHANNEL_RATE", "questions per seconds, per channel", "10/60")
MAX_UPLOAD_BYTES = Setting("QABOT_MAX_UPLOAD_BYTES", "largest /index add file", "2097152")
SHARD_IDS = Setting(
    "QABOT_SHARD_IDS", "the Discord shards this process runs, like 0,1 (with --shard-count)",
    flag="--shard-ids",
)  # fmt: skip
SHARD_COUNT = Setting(
    "QABOT_SHARD_COUNT", "how many shards all processes run (with --shard-ids)",
    flag="--shard-count",
)  # fmt: skip
SHARD_SETTINGS = (SHARD_IDS, SHARD_COUNT)
SETTINGS = (
    TOKEN,
    GUILD_ID,
    DATA,
    ADMIN_ROLE,
    OWNER_IDS,
    USER_RATE,
    CHANNEL_RATE,
    MAX_UPLOAD_BYTES,
    *SHARD_SETTINGS,
    *WEB_SETTINGS,
    SEMANTIC,
    SEMANTIC_MODEL,
    SEMANTIC_INT8,
)
"""The bot's own settings, beside the index commands' ones."""


@dataclass(frozen=True, slots=True)
class Rate:
    """At most ``count`` uses per ``seconds``."""

    count: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot is configured with. ``token`` is kept out of ``repr``."""

    token: str | None = field(default=None, repr=False)
    guild_id: int | None = None
    corpus: Path = Path(CORPUS.default or "")
    index: Path = Path(INDEX.default or "")
    data: Path = Path(DATA.default or "")
    admin_role: str | None = None
    owner_ids: frozenset[int] = frozenset()
    user_rate: Rate = Rate(3, 30.0)
    channel_rate: Rate = Rate(10, 60.0)
    max_upload_bytes: int = 2 * 1024 * 1024
    log_level: str = "INFO"
    web: WebSettings = WebSettings()
    semantic: bool = False
    semantic_model: str | None = None
    semantic_int8: bool = True
    shards: Shards | None = None

    @property
    def collections(self) -> Path:
        """The folder holding one collection folder per server."""
        return self.data / "collections"

    @property
    def guild_indexes(self) -> Path:
        """The folder holding one index folder per server with a collection."""
        return self.data / "guild-index"

    @classmethod
    def from_loaded(cls, loaded: LoadedSettings) -> Settings:
        """The checked, typed settings; raises :class:`SettingsError` naming a bad one."""
        return cls(
            token=loaded.text(TOKEN),
            guild_id=_whole_number(loaded, GUILD_ID),
            corpus=loaded.path(CORPUS),
            index=loaded.path(INDEX),
            data=loaded.path(DATA),
            admin_role=loaded.text(ADMIN_ROLE),
            owner_ids=_id_set(loaded),
            user_rate=_rate(loaded, USER_RATE),
            channel_rate=_rate(loaded, CHANNEL_RATE),
            max_upload_bytes=_whole_number(loaded, MAX_UPLOAD_BYTES) or 2 * 1024 * 1024,
            log_level=loaded.choice(LOG_LEVEL, LOG_LEVELS),
            web=web_settings(loaded),
            semantic=loaded.flag(SEMANTIC),
            semantic_model=loaded.text(SEMANTIC_MODEL),
            semantic_int8=loaded.flag(SEMANTIC_INT8),
            shards=_shards(loaded),
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str], env_file: Path | None = None) -> Settings:
        """Settings from ``environ``, then ``env_file`` (default ``./.env``), then defaults."""
        return cls.from_loaded(load((*INDEX_SETTINGS, *SETTINGS), environ, env_file))


def _bad(loaded: LoadedSettings, setting: Setting, wanted: str) -> SettingsError:
    value, origin = loaded.text(setting), loaded.origin(setting)
    return SettingsError(f"{setting.env} must be {wanted}, not {value!r} (from {origin})")


def _whole_number(loaded: LoadedSettings, setting: Setting) -> int | None:
    text = loaded.text(setting)
    if text is None:
        return None
    if not text.isdigit():
        raise _bad(loaded, setting, "a whole number")
    return int(text)


def _id_set(loaded: LoadedSettings) -> frozenset[int]:
    parts = [part.strip() for part in (loaded.text(OWNER_IDS) or "").split(",")]
    if not all(part.isdigit() for part in parts if part):
        raise _bad(loaded, OWNER_IDS, "user ids separated by commas")
    return frozenset(int(part) for part in parts if part)


def _shards(loaded: LoadedSettings) -> Shards | None:
    """``--shard-ids`` and ``--shard-count``, both or neither."""
    ids, count = loaded.text(SHARD_IDS), _whole_number(loaded, SHARD_COUNT)
    if ids is None and count is None:
        return None
    if ids is None or count is None:
        missing = SHARD_COUNT if count is None else SHARD_IDS
        raise _bad(loaded, missing, "set too (shard ids and count go together)")
    parts = [part.strip() for part in ids.split(",")]
    if not parts or not all(part.isdigit() for part in parts):
        raise _bad(loaded, SHARD_IDS, "shard numbers separated by commas, like 0,1")
    numbers = tuple(dict.fromkeys(int(part) for part in parts))
    if count < 1 or not all(number < count for number in numbers):
        raise _bad(loaded, SHARD_IDS, f"shard numbers below the shard count ({count})")
    return Shards(numbers, count)


def _rate(loaded: LoadedSettings, setting: Setting) -> Rate:
    match = _RATE.match(loaded.text(setting) or "")
    if match is None or int(match[1]) < 1 or float(match[2]) <= 0:
        raise _bad(loaded, setting, "uses per seconds, like 3/30")
    return Rate(int(match[1]), float(match[2]))
