"""The one settings loader of every ``qabot`` command, and the settings the index commands use.

Each setting is looked up in order: its command-line flag, then the environment,
then the settings file (``.env`` in the current folder, or ``--env-file``), then its
built-in default. An empty value counts as not set, so ``QABOT_GUILD_ID=`` in
``.env`` leaves the built-in default in charge.

Relative paths from a flag, the environment or a built-in default are relative to
the current folder; relative paths written in the settings file are relative to the
folder that holds the file, so a ``.env`` beside the data works from anywhere.
Paths come out absolute: the bot and ``qabot ask`` always name the same folders.

The settings file is parsed with python-dotenv's ``dotenv_values`` (literal values,
no ``${VAR}`` expansion) and never copied into ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from index.errors import SettingsError

DEFAULT_ENV_FILE = ".env"
BUILT_IN = "the built-in default"
ENVIRONMENT = "the environment"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its environment variable, command-line flag (if any), default and meaning."""

    env: str
    meaning: str
    default: str | None = None
    flag: str | None = None
    is_path: bool = False


@dataclass(frozen=True, slots=True)
class Value:
    """A setting's text and where it came from (a flag, the environment, a file, a default)."""

    text: str | None
    origin: str


CORPUS = Setting("QABOT_CORPUS", "the corpus folder of articles", "seeds", "--corpus", True)
INDEX = Setting("QABOT_INDEX", "the corpus's index folder", ".qabot/index", "--index", True)
LOG_LEVEL = Setting("QABOT_LOG_LEVEL", f"log level: {', '.join(LOG_LEVELS)}", "INFO")
SETTINGS = (CORPUS, INDEX, LOG_LEVEL)
"""The settings of the index commands (``ask``, ``reindex``, ``docs``, ``stats``)."""


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    """Every setting's value and origin, by environment variable name."""

    values: Mapping[str, Value]
    env_file: Path

    def text(self, setting: Setting) -> str | None:
        """The setting's text (``None`` when unset without a default)."""
        return self.values[setting.env].text

    def origin(self, setting: Setting) -> str:
        """Where the value came from: ``--corpus``, the environment, a file, or the default."""
        return self.values[setting.env].origin

    def path(self, setting: Setting) -> Path:
        """A path setting, absolute (see the module docstring for what it is relative to)."""
        text = self.text(setting)
        if text is None:
            raise SettingsError(f"{setting.env} is not set")
        return Path(text)

    def choice(self, setting: Setting, allowed: Iterable[str]) -> str:
        """The setting in upper case, which must be one of ``allowed``."""
        allowed = tuple(allowed)
        value = (self.text(setting) or "").upper()
        if value not in allowed:
            raise SettingsError(
                f"{setting.env} must be one of {', '.join(allowed)}, not {self.text(setting)!r} "
                f"(from {self.origin(setting)})"
            )
        return value

    def flag(self, setting: Setting) -> bool:
        """A yes/no setting: 1, true, yes or on; 0, false, no or off (or unset)."""
        value = (self.text(setting) or "0").strip().lower()
        if value not in _YES + _NO:
            raise SettingsError(
                f"{setting.env} must be 1 or 0, not {self.text(setting)!r} "
                f"(from {self.origin(setting)})"
            )
        return value in _YES

    def described(self, setting: Setting) -> str:
        """``QABOT_CORPUS; now /abs/seeds, from the built-in default`` for ``--help``."""
        return f"{setting.env}; now {self.text(setting)}, from {self.origin(setting)}"

    def with_flags(
        self, settings: Iterable[Setting], flags: Mapping[str, str | None]
    ) -> LoadedSettings:
        """These settings with the given flags' values (by flag, e.g. ``--corpus``) in charge."""
        values = dict(self.values)
        for setting in settings:
            given = flags.get(setting.flag or "")
            if setting.flag and given:
                values[setting.env] = _value(setting, given, setting.flag, Path.cwd())
        return LoadedSettings(values, self.env_file)


def load(
    settings: Iterable[Setting], environ: Mapping[str, str], env_file: Path | None = None
) -> LoadedSettings:
    """Every setting from ``environ``, then ``env_file``, then its default (no flags yet).

    ``env_file`` ``None`` means ``./.env`` if it exists; a file named explicitly must exist.
    """
    path, from_file = _read_env_file(env_file)
    values = {}
    for setting in settings:
        values[setting.env] = _lookup(setting, environ, from_file, path)
    return LoadedSettings(values, path)


def _lookup(
    setting: Setting, environ: Mapping[str, str], from_file: Mapping[str, str | None], path: Path
) -> Value:
    given = (environ.get(setting.env) or "").strip()
    if given:
        return _value(setting, given, ENVIRONMENT, Path.cwd())
    written = (from_file.get(setting.env) or "").strip()
    if written:
        return _value(setting, written, str(path), path.parent)
    if setting.default is None:
        return Value(None, BUILT_IN)
    return _value(setting, setting.default, BUILT_IN, Path.cwd())


def _value(setting: Setting, text: str, origin: str, base: Path) -> Value:
    if setting.is_path:
        text = os.path.abspath(base / Path(text).expanduser())
    return Value(text, origin)


def _read_env_file(env_file: Path | None) -> tuple[Path, Mapping[str, str | None]]:
    """The settings file's absolute path and its ``KEY=value`` pairs (none if it is absent)."""
    path = Path(os.path.abspath(env_file or DEFAULT_ENV_FILE))
    if not path.is_file():
        if env_file is not None:
            raise SettingsError(f"settings file {path} does not exist (--env-file)")
        return path, {}
    from dotenv import dotenv_values

    try:
        return path, dotenv_values(path, interpolate=False)
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read the settings file {path}: {error}") from None
