"""Logging for the bot: discord.py's setup, with any secret scrubbed from every line."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import discord

HIDDEN = "[hidden]"


class RedactingFormatter(logging.Formatter):
    """Formats with ``inner``, then replaces every secret (token) in the whole line."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record)
        for secret in self.secrets:
            text = text.replace(secret, HIDDEN)
        return text


def setup_logging(level: str, secrets: Iterable[str]) -> None:
    """discord.py's log format on stderr at ``level``, secrets never printed."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    discord.utils.setup_logging(level=logging.getLevelNamesMapping().get(level, logging.INFO))
    hidden = tuple(secrets)
    for handler in root.handlers:
        inner = handler.formatter or logging.Formatter()
        handler.setFormatter(RedactingFormatter(inner, hidden))
