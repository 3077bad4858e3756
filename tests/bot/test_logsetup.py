"""Logging: the token never appears in a log line, colour only on a terminal."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from bot.logsetup import HIDDEN, RedactingFormatter, setup_logging

TOKEN = "MTIz.fake.token-value"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


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
    stream = io.StringIO()
    setup_logging("INFO", [TOKEN], stream)
    root = logging.getLogger()
    assert len(root.handlers) == 1 and root.level == logging.INFO
    logging.getLogger("discord.http").info("logging in with %s", TOKEN)
    assert TOKEN not in stream.getvalue() and HIDDEN in stream.getvalue()


@pytest.mark.parametrize(("stream", "coloured"), [(io.StringIO(), False), (Terminal(), True)])
def test_colour_codes_only_on_a_terminal(
    restore_root: None, stream: io.StringIO, coloured: bool
) -> None:
    setup_logging("WARNING", [], stream)
    logging.getLogger("bot.runner").warning("cannot reach Discord")
    line = stream.getvalue()
    assert "cannot reach Discord" in line and "bot.runner" in line
    assert ("\x1b[" in line) is coloured
