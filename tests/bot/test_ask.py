"""``/ask`` and mention asking, through the cog's callbacks with fake interactions."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from bot.ask import (
    HOW_TO_ASK,
    MAX_QUESTION,
    AskCog,
    mention_question,
    reply_for,
    too_long,
)
from bot.cooldowns import Cooldowns
from bot.errors import GENERIC, UserFacingError
from bot.library import Library
from bot.render import NOTHING_FOUND
from bot.settings import Rate
from bot.views import AnswerView
from tests.bot_fakes import FakeInteraction, FakeUser, shared_library

BOT_ID = 99
ALICE = FakeUser(1)


@dataclass
class FakeBot:
    user: FakeUser = field(default_factory=lambda: FakeUser(BOT_ID, bot=True))


@dataclass
class Place:
    id: int


@dataclass
class FakeMessage:
    content: str
    author: FakeUser = field(default_factory=lambda: ALICE)
    guild: Place | None = field(default_factory=lambda: Place(1))
    channel: Place = field(default_factory=lambda: Place(10))
    replies: list[dict[str, Any]] = field(default_factory=list)

    async def reply(self, content: str | None = None, **kwargs: Any) -> object:
        self.replies.append({"content": content, **kwargs})
        return object()


GENEROUS = Rate(100, 1.0)


def cog(library: Library, rate: Rate = GENEROUS) -> AskCog:
    return AskCog(FakeBot(), library, Cooldowns(rate, GENEROUS))  # type: ignore[arg-type]


def ask(the_cog: AskCog, interaction: FakeInteraction, question: str, **options: Any) -> None:
    args = (options.get("k", 5), options.get("article"), options.get("private", False))
    callback: Any = the_cog.ask.callback
    asyncio.run(callback(the_cog, interaction, question, *args))


def test_mention_question_strips_the_bot_mentions() -> None:
    assert mention_question(f"<@{BOT_ID}> what did  the Pentagon say?", BOT_ID) == (
        "what did the Pentagon say?"
    )
    assert mention_question(f"hey <@!{BOT_ID}>", BOT_ID) == "hey"
    assert mention_question("<@12345> what?", BOT_ID) is None


def test_the_question_option_is_capped_for_discord() -> None:
    question = AskCog.ask.get_parameter("question")
    assert question is not None and question.max_value == MAX_QUESTION
    k = AskCog.ask.get_parameter("k")
    assert k is not None and k.max_value == 10


def test_too_long_names_the_limit() -> None:
    assert too_long("a" * MAX_QUESTION) is None
    assert str(MAX_QUESTION) in (too_long("a" * (MAX_QUESTION + 1)) or "")


def test_ask_defers_then_answers_with_the_embed_and_buttons(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    interaction = FakeInteraction(ALICE)
    with caplog.at_level(logging.INFO, logger="bot"):
        ask(cog(shared_library(tmp_path)), interaction, "what did the Pentagon say?")
    defer, answer = interaction.sent
    assert defer.kind == "defer" and not defer.ephemeral
    assert answer.kind == "followup" and answer.embed is not None
    assert isinstance(answer.view, AnswerView)
    assert "**Pentagon**" in (answer.embed.description or "")
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("answered"))
    assert "question='what did the Pentagon say?' guild=1 hits=" in line and "latency=" in line


def test_private_answers_are_deferred_ephemerally(tmp_path: Path) -> None:
    interaction = FakeInteraction(ALICE)
    ask(cog(shared_library(tmp_path)), interaction, "ferry", private=True)
    assert interaction.sent[0].ephemeral and interaction.sent[1].ephemeral


def test_a_fast_asker_gets_slow_down_without_a_search(tmp_path: Path) -> None:
    the_cog = cog(shared_library(tmp_path), Rate(1, 60.0))
    ask(the_cog, FakeInteraction(ALICE), "ferry")
    second = FakeInteraction(ALICE)
    ask(the_cog, second, "ferry")
    assert len(second.sent) == 1 and second.last.ephemeral
    assert (second.last.content or "").startswith("Slow down")


def test_the_article_option_narrows_the_search(tmp_path: Path) -> None:
    interaction = FakeInteraction(ALICE)
    ask(cog(shared_library(tmp_path)), interaction, "said", article="A new ferry terminal")
    assert interaction.last.content is not None and interaction.last.content.startswith(
        NOTHING_FOUND
    )


def test_an_unknown_article_is_told_privately_even_after_a_public_defer(tmp_path: Path) -> None:
    interaction = FakeInteraction(ALICE)
    ask(cog(shared_library(tmp_path)), interaction, "said", article="Nope")
    kinds = [(sent.kind, sent.ephemeral) for sent in interaction.sent]
    assert kinds == [("defer", False), ("edit", False), ("followup", True), ("delete", False)]
    assert "no article by that name" in (interaction.sent[2].content or "")


def test_errors_in_a_private_ask_go_to_the_error_handler(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="no article by that name"):
        ask(cog(shared_library(tmp_path)), FakeInteraction(ALICE), "s", article="No", private=True)


def test_article_autocomplete_matches_titles(tmp_path: Path) -> None:
    the_cog = cog(shared_library(tmp_path))
    complete: Any = cast(Any, the_cog).article_choices
    choices = asyncio.run(complete(FakeInteraction(ALICE), "FERRY"))
    assert [(c.name, c.value) for c in choices] == [("A new ferry terminal", "harbour.md")]


def test_nothing_found_replies_in_plain_text(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    found = asyncio.run(library.search(None, "zeppelinz", 5))
    reply = reply_for(library, None, found, ALICE.id, 5, None)
    assert reply.embed is None and reply.view is None
    assert reply.content is not None and reply.content.startswith(NOTHING_FOUND)


def test_a_mention_is_answered_in_the_channel(tmp_path: Path) -> None:
    message = FakeMessage(f"<@{BOT_ID}> who is Peter Cook?")
    asyncio.run(cog(shared_library(tmp_path)).on_message(message))  # type: ignore[arg-type]
    (reply,) = message.replies
    assert reply["mention_author"] is False
    assert "**Cook**" in (reply["embed"].description or "")


def test_messages_without_a_mention_and_bots_are_ignored(tmp_path: Path) -> None:
    the_cog = cog(shared_library(tmp_path))
    plain = FakeMessage("who is Peter Cook?")
    from_bot = FakeMessage(f"<@{BOT_ID}> who?", author=FakeUser(5, bot=True))
    for message in (plain, from_bot):
        asyncio.run(the_cog.on_message(message))  # type: ignore[arg-type]
    assert plain.replies == [] and from_bot.replies == []


def test_an_empty_or_long_mention_gets_a_hint(tmp_path: Path) -> None:
    the_cog = cog(shared_library(tmp_path))
    empty = FakeMessage(f"<@{BOT_ID}>")
    long = FakeMessage(f"<@{BOT_ID}> " + "why " * 100)
    for message in (empty, long):
        asyncio.run(the_cog.on_message(message))  # type: ignore[arg-type]
    assert empty.replies[0]["content"] == HOW_TO_ASK
    assert "characters" in long.replies[0]["content"]


def test_a_failure_while_answering_a_mention_is_logged_and_told(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(Library):
        async def search(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("disk on fire")

    message = FakeMessage(f"<@{BOT_ID}> anything?")
    with caplog.at_level(logging.ERROR, logger="bot"):
        asyncio.run(cog(Broken(shared_library(tmp_path).paths)).on_message(message))  # type: ignore[arg-type]
    assert message.replies[0]["content"] == GENERIC
    assert "disk on fire" in caplog.text


def test_unknown_words_are_named_as_the_asker_typed_them(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    found = asyncio.run(library.search(None, "Zeppelins crossing", 5))
    assert found.answer.unknown_terms
    assert found.answer.unknown_words == ("Zeppelins", "crossing")
    reply = reply_for(library, None, found, ALICE.id, 5, None)
    assert "these words: Zeppelins, crossing." in (reply.content or "")
