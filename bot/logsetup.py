"""Logging for the bot: discord.py's format, colour only on a terminal, secrets scrubbed."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import Any, TextIO

import discord

HIDDEN = "[hidden]"
# discord.py's own plain format; its colour formatter is used on a terminal only.
PLAIN = logging.Formatter(
    "[{asctime}] [{levelname:<8}] {name}: {message}", "%Y-%m-%d %H:%M:%S", "{"
)


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


def setup_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    """Log to ``stream`` (stderr) at ``level``, secrets never printed.

    Colour codes only when the stream is a terminal: discord.py would also colour a
    log written to a file or journal whenever it runs inside a container.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    stream = stream or sys.stderr
    plain: dict[str, Any] = {} if stream.isatty() else {"formatter": PLAIN}
    discord.utils.setup_logging(
        handler=logging.StreamHandler(stream),
        level=logging.getLevelNamesMapping().get(level, logging.INFO),
        **plain,
    )
    hidden = tuple(secrets)
    for handler in root.handlers:
        inner = handler.formatter or logging.Formatter()
        handler.setFormatter(RedactingFormatter(inner, hidden))
