"""Logging: the token never appears in a log line, tracebacks included."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from bot.logsetup import HIDDEN, RedactingFormatter, setup_logging

TOKEN = "MTIz.fake.token-value"


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_formatter_hides_the_token_in_messages_and_tracebacks() -> None:
    formatter = RedactingFormatter(logging.Formatter("%(message)s"), [TOKEN, ""])
    try:
        raise ValueError(f"bad token {TOKEN}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "f", 1, "using %s", (TOKEN,), None)
        record.exc_info = sys.exc_info()
    text = formatter.format(record)
    assert TOKEN not in text and text.count(HIDDEN) == 2


def test_setup_logging_installs_the_redaction_on_every_root_handler(restore_root: None) -> None:
    setup_logging("INFO", [TOKEN])
    root = logging.getLogger()
    assert root.handlers and root.level == logging.INFO
    stream = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    logging.getLogger("discord.http").info("logging in with %s", TOKEN)
    assert TOKEN not in stream.getvalue() and HIDDEN in stream.getvalue()
