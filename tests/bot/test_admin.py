"""``/index``: each callback with fake interactions, and the run-time permission check."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
from discord import app_commands

from bot.admin import (
    NOT_ADMIN,
    NOT_OWNER,
    AdminCog,
    added_message,
    changing,
    removed_message,
)
from bot.errors import UserFacingError
from bot.library import Change, Library
from bot.views import DocumentsView
from index.errors import IndexWriteError
from index.records import DocumentInfo
from tests.bot_fakes import (
    MEMBER,
    OWNER,
    FakeBot,
    FakeInteraction,
    markdown,
    shared_library,
    web_of,
)
from tests.web_site import NewsSite

LIGHTHOUSE = markdown("Lighthouse restored", "The old lighthouse on the cape was restored.")


@dataclass
class FakeAttachment:
    filename: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    async def read(self) -> bytes:
        return self.data


def admin(library: Library, max_upload: int = 10_000) -> AdminCog:
    return AdminCog(FakeBot(), library, None, max_upload)  # type: ignore[arg-type]


def call(command: Any, cog: AdminCog, interaction: FakeInteraction, *args: Any) -> None:
    asyncio.run(command.callback(cog, interaction, *args))


def test_members_without_manage_server_are_refused_at_run_time(tmp_path: Path) -> None:
    cog = admin(shared_library(tmp_path))
    with pytest.raises(app_commands.CheckFailure, match="Manage Server"):
        asyncio.run(cog.interaction_check(FakeInteraction(MEMBER)))  # type: ignore[arg-type]
    assert asyncio.run(cog.interaction_check(FakeInteraction(OWNER)))  # type: ignore[arg-type]
    assert "Manage Server" in NOT_ADMIN


def test_the_group_is_hidden_from_members_and_servers_only() -> None:
    cog = AdminCog(FakeBot(), None, None, 1)  # type: ignore[arg-type]
    built = cog.__cog_app_commands_group__
    assert built is not None and built.name == "index"
    assert built.default_permissions is not None and built.default_permissions.manage_guild
    assert built.guild_only


def test_add_saves_checks_and_indexes_the_file(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    cog = admin(library)
    interaction = FakeInteraction(OWNER, guild_id=5)
    call(cog.add, cog, interaction, FakeAttachment("Light house.md", LIGHTHOUSE.encode()))
    assert interaction.sent[0].kind == "defer" and interaction.sent[0].ephemeral
    assert (interaction.last.content or "").startswith("Added Light-house.md: 1 article(s).")
    assert (tmp_path / "data/collections/5/Light-house.md").is_file()


@pytest.mark.parametrize(
    ("attachment", "reason"),
    [
        (FakeAttachment("a.pdf", b"%PDF"), "only index"),
        (FakeAttachment("big.md", b"x" * 20), "limit is 10 bytes"),
        (FakeAttachment("latin.txt", "café".encode("latin-1")), "UTF-8"),
        (FakeAttachment("../../escape.txt", b"Title\n\nText."), "cannot contain folders"),
        (FakeAttachment("/tmp/abs.md", b"# T\n\nText."), "cannot contain folders"),
        (FakeAttachment("fake.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), "binary"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(
    tmp_path: Path, attachment: FakeAttachment, reason: str
) -> None:
    cog = admin(shared_library(tmp_path), max_upload=10)
    with pytest.raises(UserFacingError, match=reason):
        call(cog.add, cog, FakeInteraction(OWNER, guild_id=5), attachment)
    assert not (tmp_path / "data/collections/5").exists()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "harbour.md",
        "pentagon.md",
    ]


def test_remove_and_its_autocomplete_cover_the_servers_own_articles(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    cog = admin(library)
    call(
        cog.add,
        cog,
        FakeInteraction(OWNER, guild_id=5),
        FakeAttachment("l.md", LIGHTHOUSE.encode()),
    )
    complete: Any = cast(Any, cog).own_articles
    choices = asyncio.run(complete(FakeInteraction(OWNER, guild_id=5), "light"))
    assert [c.value for c in choices] == ["guild-5/l.md"]
    assert asyncio.run(complete(FakeInteraction(OWNER, guild_id=6), "")) == []
    interaction = FakeInteraction(OWNER, guild_id=5)
    call(cog.remove, cog, interaction, "guild-5/l.md")
    assert (interaction.last.content or "").startswith("Removed 1 article(s): Lighthouse restored.")


def test_removing_a_shared_article_is_refused(tmp_path: Path) -> None:
    cog = admin(shared_library(tmp_path))
    with pytest.raises(UserFacingError, match="not in this server's collection"):
        call(cog.remove, cog, FakeInteraction(OWNER, guild_id=5), "pentagon.md")


@pytest.mark.slow
def test_a_shared_rebuild_needs_the_owner(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    cog = AdminCog(FakeBot(owner_id=99), library, None, 1000)  # type: ignore[arg-type]
    with pytest.raises(UserFacingError, match=NOT_OWNER):
        call(cog.rebuild, cog, FakeInteraction(OWNER), True)
    owner = FakeInteraction(OWNER)
    call(cog.rebuild, admin(library), owner, True)
    assert (owner.last.content or "").startswith("Indexed 2 documents")


def test_status_and_list_describe_the_servers_index(tmp_path: Path) -> None:
    cog = admin(shared_library(tmp_path))
    status = FakeInteraction(OWNER)
    call(cog.status, cog, status)
    assert (
        status.last.embed is not None and status.last.embed.title == "Index status: shared corpus"
    )
    removed = {field.name: field.value for field in status.last.embed.fields}["Removed files"]
    assert ".removed" in (removed or "") and "until the bot's owner deletes them" in (removed or "")
    listing = FakeInteraction(OWNER)
    call(cog.list_documents, cog, listing)
    assert isinstance(listing.last.view, DocumentsView)
    assert "A new ferry terminal" in (listing.last.embed.description or "")  # type: ignore[union-attr]


def test_admin_commands_need_a_server(tmp_path: Path) -> None:
    cog = admin(shared_library(tmp_path))
    with pytest.raises(UserFacingError, match="in a server"):
        call(cog.status, cog, FakeInteraction(OWNER, guild_id=None))


def test_messages_escape_titles(tmp_path: Path) -> None:
    opened = asyncio.run(shared_library(tmp_path).current(None))
    change = Change((DocumentInfo("x", "@everyone *bold*"),), (), opened)
    assert "@everyone" not in added_message("x.md", change)
    assert "@everyone" not in removed_message(change)


@pytest.mark.slow
def test_a_failed_shared_rebuild_tells_the_owner_the_old_index_still_answers(
    tmp_path: Path,
) -> None:
    library = shared_library(tmp_path)
    cog = admin(library)
    for path in library.paths.corpus.iterdir():
        path.unlink()
    with pytest.raises(UserFacingError, match="still answered from the previous index"):
        call(cog.rebuild, cog, FakeInteraction(OWNER, guild_id=5), True)


def test_add_by_link_fetches_indexes_and_says_why_others_were_refused(
    site: NewsSite, tmp_path: Path
) -> None:
    library = shared_library(tmp_path)
    cog = AdminCog(FakeBot(), library, None, 10_000, web_of(library))  # type: ignore[arg-type]
    interaction = FakeInteraction(OWNER, guild_id=5)
    links = f"{site.url('/news/harbour-ferry')} {site.url('/loop-a')}"
    call(cog.add, cog, interaction, None, links)
    text = interaction.last.content or ""
    assert interaction.sent[0].kind == "defer" and interaction.sent[0].ephemeral
    assert text.startswith("Added 1 article(s):\n• **Harbour opens a ferry terminal")
    assert f"• <{site.url('/loop-a')}>: bad redirect: a redirect loop" in text
    assert "The index now holds 3 documents" in text


@pytest.mark.parametrize(
    ("file", "url", "reason"),
    [
        (None, None, "either a file or a url"),
        (None, "   ", "either a file or a url"),
        (FakeAttachment("l.md", LIGHTHOUSE.encode()), "https://x.example/a", "not both"),
        (None, " ".join(f"https://x.example/{n}" for n in range(6)), "At most 5 links"),
    ],
)
def test_add_takes_exactly_one_of_file_and_url(
    tmp_path: Path, file: FakeAttachment | None, url: str | None, reason: str
) -> None:
    library = shared_library(tmp_path)
    cog = AdminCog(FakeBot(), library, None, 10_000, web_of(library))  # type: ignore[arg-type]
    with pytest.raises(UserFacingError, match=reason):
        call(cog.add, cog, FakeInteraction(OWNER, guild_id=5), file, url)
    assert not (tmp_path / "data/collections/5").exists()


def test_a_build_error_is_not_reported_as_a_write_error() -> None:
    async def punkt_timed_out() -> None:
        raise TimeoutError("regular-expression match exceeded its 5.0s time limit")

    with pytest.raises(UserFacingError) as caught:
        asyncio.run(changing(punkt_timed_out()))
    message = str(caught.value)
    assert "the build failed" in message and "written" not in message
    assert "still answered from the previous index" in message


def test_a_write_error_is_reported_as_one(tmp_path: Path) -> None:
    async def disk_full() -> None:
        raise IndexWriteError(OSError(28, "No space left on device"), tmp_path)

    with pytest.raises(UserFacingError, match=r"cannot write the index .* No space left"):
        asyncio.run(changing(disk_full()))
