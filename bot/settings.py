"""The bot's configuration, read once at the edge from the environment and ``.env``.

Every other bot module receives a :class:`Settings` (or the parts it needs) as
an argument; nothing below this module reads ``os.environ``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.web_settings import WebSettings, WebSettingsError, web_settings

DEFAULT_CORPUS = "seeds"
DEFAULT_INDEX = ".qabot/index"
DEFAULT_DATA = ".qabot"
README_HINT = "see 'Run it on Discord' in README.md"
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*$")


class SettingsError(ValueError):
    """A setting has a value the bot cannot use; the message names the variable."""


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
    corpus: Path = Path(DEFAULT_CORPUS)
    index: Path = Path(DEFAULT_INDEX)
    data: Path = Path(DEFAULT_DATA)
    admin_role: str | None = None
    owner_ids: frozenset[int] = frozenset()
    user_rate: Rate = Rate(3, 30.0)
    channel_rate: Rate = Rate(10, 60.0)
    max_upload_bytes: int = 2 * 1024 * 1024
    log_level: str = "INFO"
    web: WebSettings = WebSettings()

    @property
    def collections(self) -> Path:
        """The folder holding one collection folder per server."""
        return self.data / "collections"

    @property
    def guild_indexes(self) -> Path:
        """The folder holding one index folder per server with a collection."""
        return self.data / "guild-index"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], dotenv: Path | None = None) -> Settings:
        """Settings from ``environ``, falling back to the ``dotenv`` file's values."""
        values = {**(read_dotenv(dotenv) if dotenv else {}), **environ}

        def get(name: str) -> str | None:
            value = values.get(name, "").strip()
            return value or None

        return cls(
            token=get("DISCORD_TOKEN"),
            guild_id=_optional_int("QABOT_GUILD_ID", get("QABOT_GUILD_ID")),
            corpus=Path(get("QABOT_CORPUS") or DEFAULT_CORPUS),
            index=Path(get("QABOT_INDEX") or DEFAULT_INDEX),
            data=Path(get("QABOT_DATA") or DEFAULT_DATA),
            admin_role=get("QABOT_ADMIN_ROLE"),
            owner_ids=_id_set("QABOT_OWNER_IDS", get("QABOT_OWNER_IDS")),
            user_rate=_rate("QABOT_USER_RATE", get("QABOT_USER_RATE"), Rate(3, 30.0)),
            channel_rate=_rate("QABOT_CHANNEL_RATE", get("QABOT_CHANNEL_RATE"), Rate(10, 60.0)),
            max_upload_bytes=_optional_int("QABOT_MAX_UPLOAD_BYTES", get("QABOT_MAX_UPLOAD_BYTES"))
            or 2 * 1024 * 1024,
            log_level=(get("QABOT_LOG_LEVEL") or "INFO").upper(),
            web=_web(get),
        )


def _web(get: Callable[[str], str | None]) -> WebSettings:
    try:
        return web_settings(get)
    except WebSettingsError as error:
        raise SettingsError(str(error)) from None


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a ``.env`` file (comments, blanks and ``export`` allowed)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    found = {}
    for line in lines:
        text = line.strip().removeprefix("export ").strip()
        if not text or text.startswith("#") or "=" not in text:
            continue
        key, _, value = text.partition("=")
        found[key.strip()] = _unquoted(value.strip())
    return found


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value.split(" #", 1)[0].strip()


def _optional_int(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit():
        raise SettingsError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _id_set(name: str, value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset()
    parts = [part.strip() for part in value.split(",") if part.strip()]
    return frozenset(_optional_int(name, part) or 0 for part in parts)


def _rate(name: str, value: str | None, default: Rate) -> Rate:
    if value is None:
        return default
    match = _RATE.match(value)
    if match is None or int(match[1]) < 1 or float(match[2]) <= 0:
        raise SettingsError(f"{name} must look like 3/30 (uses per seconds), not {value!r}")
    return Rate(int(match[1]), float(match[2]))
