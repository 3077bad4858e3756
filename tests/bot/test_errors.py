"""Errors: a short private message for the user, the traceback for the log."""

from __future__ import annotations

import asyncio
import logging

import pytest
from discord import app_commands

from bot.errors import GENERIC, UserFacingError, report_error, send_private, user_message
from tests.bot_fakes import FakeInteraction, FakeUser


def test_user_errors_keep_their_message() -> None:
    assert user_message(UserFacingError("pick an article")) == "pick an article"
    assert user_message(app_commands.CheckFailure("admins only")) == "admins only"
    assert user_message(RuntimeError("boom")) is None


def test_send_private_replies_or_follows_up() -> None:
    fresh, answered = FakeInteraction(FakeUser(1)), FakeInteraction(FakeUser(1))
    answered.response.done = True
    asyncio.run(send_private(fresh, "hi"))  # type: ignore[arg-type]
    asyncio.run(send_private(answered, "hi"))  # type: ignore[arg-type]
    assert (fresh.last.kind, fresh.last.ephemeral) == ("message", True)
    assert (answered.last.kind, answered.last.ephemeral) == ("followup", True)


def test_an_unexpected_error_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    interaction = FakeInteraction(FakeUser(1))
    try:
        raise RuntimeError("index exploded")
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR, logger="bot"):
            asyncio.run(report_error(interaction, error))  # type: ignore[arg-type]
    assert interaction.last.content == GENERIC and interaction.last.ephemeral
    assert "index exploded" not in (interaction.last.content or "")
    assert caplog.records[0].exc_info is not None
    assert "Traceback" in caplog.text and "index exploded" in caplog.text


def test_a_user_error_is_not_logged_as_an_error(caplog: pytest.LogCaptureFixture) -> None:
    interaction = FakeInteraction(FakeUser(1))
    with caplog.at_level(logging.ERROR, logger="bot"):
        asyncio.run(report_error(interaction, UserFacingError("nope")))  # type: ignore[arg-type]
    assert interaction.last.content == "nope" and not caplog.records
