"""The buttons: paging for the asker only, context for anyone, lists page by page."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.library import Found, Library
from bot.views import NO_MORE, NOT_YOURS, AnswerView, DocumentsView
from index.records import DocumentInfo
from tests.bot_fakes import FakeInteraction, FakeUser, shared_library

ALICE, BOB = FakeUser(1), FakeUser(2)


def found(library: Library, question: str, k: int) -> Found:
    return asyncio.run(library.search(None, question, k))


def test_more_is_enabled_only_when_a_page_is_full(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    one, five = found(library, "who said what", 1), found(library, "who said what", 5)

    async def scenario() -> tuple[bool, bool]:
        full = AnswerView(library, None, one, ALICE.id, 1, None)
        short = AnswerView(library, None, five, ALICE.id, 5, None)
        return full.more.disabled, short.more.disabled

    assert asyncio.run(scenario()) == (False, True)


def test_only_the_asker_can_page(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    first = found(library, "who said what", 1)

    async def scenario() -> FakeInteraction:
        view = AnswerView(library, None, first, ALICE.id, 1, None)
        interaction = FakeInteraction(BOB)
        await view.more.callback(interaction)  # type: ignore[arg-type]
        assert view.page == 1
        return interaction

    interaction = asyncio.run(scenario())
    assert interaction.last.content == NOT_YOURS and interaction.last.ephemeral


def test_more_then_previous_pages_through_the_results(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    first = found(library, "who said what", 1)

    async def scenario() -> list[str]:
        view = AnswerView(library, None, first, ALICE.id, 1, None)
        footers = []
        for button in (view.more, view.previous_page):
            interaction = FakeInteraction(ALICE)
            await button.callback(interaction)  # type: ignore[arg-type]
            assert interaction.last.embed is not None
            footers.append(str(interaction.last.embed.footer.text).split(" · ")[0])
        return footers

    assert asyncio.run(scenario()) == ["page 2", "page 1"]


def test_an_empty_next_page_says_so_and_greys_more(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    first = found(library, "Pentagon", 1)

    async def scenario() -> tuple[bool, str | None]:
        view = AnswerView(library, None, first, ALICE.id, 1, None)
        interaction = FakeInteraction(ALICE)
        await view.more.callback(interaction)  # type: ignore[arg-type]
        return view.more.disabled, interaction.last.content

    assert asyncio.run(scenario()) == (True, NO_MORE)


def test_context_shows_the_neighbours_of_the_top_hit_to_anyone(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    first = found(library, "video conference", 1)

    async def scenario() -> FakeInteraction:
        view = AnswerView(library, None, first, ALICE.id, 1, None)
        interaction = FakeInteraction(BOB)
        await view.context.callback(interaction)  # type: ignore[arg-type]
        return interaction

    sent = asyncio.run(scenario()).last
    assert sent.ephemeral and sent.embed is not None
    description = sent.embed.description or ""
    assert "**Officials had held a video conference on October 1.**" in description
    assert description.startswith("The Pentagon said")


def test_timeout_greys_every_button() -> None:
    async def scenario() -> list[bool]:
        view = DocumentsView([DocumentInfo("a", "A")], ALICE.id)
        await view.on_timeout()
        return [item.disabled for item in view.children]  # type: ignore[attr-defined]

    assert asyncio.run(scenario()) == [True, True]


def test_documents_view_pages_for_its_asker_only() -> None:
    documents = [DocumentInfo(f"d{i}", f"Title {i}") for i in range(12)]

    async def scenario() -> tuple[bool, str | None, bool]:
        view = DocumentsView(documents, ALICE.id, per_page=10)
        stranger = FakeInteraction(BOB)
        allowed = await view.interaction_check(stranger)  # type: ignore[arg-type]
        asker = FakeInteraction(ALICE)
        await view.next_page.callback(asker)  # type: ignore[arg-type]
        footer = asker.last.embed.footer.text if asker.last.embed else None
        return allowed, footer, view.next_page.disabled

    assert asyncio.run(scenario()) == (False, "page 2 of 2", True)
