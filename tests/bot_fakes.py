"""Fakes for the bot's unit tests: articles on disk and interactions that record replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord

from bot.ask import NOTE_SECONDS
from bot.index_layout import LibraryPaths
from bot.library import Library
from bot.web_library import WebLibrary
from index.records import Answer, DocumentInfo, Hit, Sentence, Span
from index.service.ingest import WebAccess
from index.web.limits import Limits
from tests.web_site import site_resolver

# SimCord waits, in real time, for bot timers due within its settle timeout: keep it
# below the bot's shortest timer (the 30 s slow-down note) yet well above the few
# seconds opening an index takes on a busy machine (its default is 5 s).
SETTLE: float = NOTE_SECONDS / 2

PENTAGON = (
    "The Pentagon said talks with Russia on air safety over Syria could resume this weekend. "
    "Officials had held a video conference on October 1.\n\n"
    "Press Secretary Peter Cook said the department was reviewing the response."
)
HARBOUR = (
    "The harbour authority opened a new ferry terminal on Monday. "
    "The terminal serves twelve routes across the bay."
)


def markdown(title: str, body: str, source: str = "Test Wire", url: str | None = None) -> str:
    """A Markdown article with front matter, as the corpus reader expects."""
    lines = ["---", f"title: {title}", f"source: {source}", "date: 2015-10-10"]
    lines += [f"url: {url}"] if url else []
    return "\n".join([*lines, "---", "", body, ""])


def write_article(folder: Path, name: str, title: str, body: str, **extra: Any) -> Path:
    """Write one Markdown article into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(markdown(title, body, **extra), encoding="utf-8")
    return path


LIGHTHOUSE = markdown(
    "Lighthouse restored", "The old lighthouse on the cape was restored in spring."
)
"""A server's own article, about nothing the shared corpus holds."""


def shared_library(tmp_path: Path) -> Library:
    """A library whose shared corpus holds the Pentagon and harbour articles."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "pentagon.md", "Russia to resume talks", PENTAGON)
    write_article(corpus, "harbour.md", "A new ferry terminal", HARBOUR)
    return Library(library_paths(tmp_path))


def library_paths(tmp_path: Path) -> LibraryPaths:
    """The library folders under ``tmp_path``."""
    data = tmp_path / "data"
    return LibraryPaths(tmp_path / "corpus", data / "index", data / "collections", data / "gi")


def make_hit(text: str, words: tuple[str, ...] = (), rank: int = 1, **doc: Any) -> Hit:
    """A hit whose sentence is ``text``, with ``words`` highlighted where they occur."""
    spans = tuple(Span(text.index(w), text.index(w) + len(w)) for w in words if w in text)
    info = DocumentInfo(doc_id=doc.pop("doc_id", "doc-1"), title=doc.pop("title", "A title"), **doc)
    sentence = Sentence(info.doc_id, 2, 3, 0, len(text), text)
    return Hit(rank, 1.5, sentence, info, words, spans, position=rank)


def make_answer(*hits: Hit, question: str = "what?", **extra: Any) -> Answer:
    """An answer holding ``hits``."""
    return Answer(question=question, terms=extra.pop("terms", ("what",)), hits=hits, **extra)


@dataclass
class FakeUser:
    """A user that is not a server member (so it has no server permissions)."""

    id: int
    bot: bool = False


OWNER, MEMBER = FakeUser(1), FakeUser(2)


@dataclass
class FakeBot:
    """The bot as the cogs ask it who its owner is."""

    owner_id: int = OWNER.id

    async def is_owner(self, user: FakeUser) -> bool:
        return user.id == self.owner_id


@dataclass
class Sent:
    """One reply an interaction recorded."""

    kind: str
    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    ephemeral: bool = False


class FakeResponse:
    """``interaction.response``: records what was sent and whether it is done."""

    def __init__(self, log: list[Sent]) -> None:
        self.log = log
        self.done = False

    def is_done(self) -> bool:
        return self.done

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> None:
        self.done = True
        self.log.append(Sent("defer", ephemeral=ephemeral))

    async def send_message(
        self,
        content: str | None = None,
        *,
        embed: Any = None,
        view: Any = None,
        ephemeral: bool = False,
    ) -> None:
        self.done = True
        self.log.append(Sent("message", content, embed, view, ephemeral))

    async def edit_message(self, *, embed: Any = None, view: Any = None) -> None:
        self.done = True
        self.log.append(Sent("edit", None, embed, view))


class FakeFollowup:
    """``interaction.followup``: records follow-up messages."""

    def __init__(self, log: list[Sent]) -> None:
        self.log = log

    async def send(
        self,
        content: str | None = None,
        *,
        embed: Any = discord.utils.MISSING,
        view: Any = discord.utils.MISSING,
        ephemeral: bool = False,
        wait: bool = False,
    ) -> Any:
        embed = None if embed is discord.utils.MISSING else embed
        view = None if view is discord.utils.MISSING else view
        self.log.append(Sent("followup", content, embed, view, ephemeral))
        return object()


@dataclass
class FakeInteraction:
    """Enough of ``discord.Interaction`` for the cogs and views."""

    user: FakeUser
    guild_id: int | None = 1
    channel_id: int | None = 10
    command: Any = None
    sent: list[Sent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.response = FakeResponse(self.sent)
        self.followup = FakeFollowup(self.sent)

    async def edit_original_response(
        self, *, content: str | None = None, embed: Any = None, view: Any = None
    ) -> None:
        self.sent.append(Sent("edit", content, embed, view))

    async def delete_original_response(self) -> None:
        self.sent.append(Sent("delete"))

    @property
    def last(self) -> Sent:
        return self.sent[-1]


def web_of(library: Library, **limits: Any) -> WebLibrary:
    """Links and feeds for ``library``, reaching the test site (loopback allowed)."""
    return WebLibrary(library, WebAccess(Limits(**limits), True, site_resolver()))
