"""The library: shared corpus plus per-server collections, builds behind one lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.collection_files import REMOVED_FOLDER
from bot.index_layout import LibraryError, guild_prefix
from bot.library import Change
from index.errors import EmptyIndexError
from index.service.opened_index import OpenedIndex
from tests.bot_fakes import LIGHTHOUSE, markdown, shared_library, write_article


def test_questions_in_a_dm_search_the_shared_corpus(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    found = asyncio.run(library.search(None, "ferry terminal", 3))
    assert found.answer.hits and found.answer.hits[0].document.title == "A new ferry terminal"
    assert found.documents == 2 and found.seconds >= 0


def test_a_server_without_a_collection_shares_the_shared_index(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> tuple[OpenedIndex, OpenedIndex]:
        return await library.current(1), await library.current(None)

    in_server, in_dm = asyncio.run(scenario())
    assert in_server is in_dm
    assert not library.layout.has_collection(1)


def test_an_added_document_is_found_in_its_server_only(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> tuple[int, int, int]:
        change = await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        assert [doc.doc_id for doc in change.documents] == [guild_prefix(1) + "lighthouse.md"]
        in_a = await library.search(1, "lighthouse cape", 5)
        in_b = await library.search(2, "lighthouse cape", 5)
        in_dm = await library.search(None, "lighthouse cape", 5)
        return len(in_a.answer.hits), len(in_b.answer.hits), len(in_dm.answer.hits)

    assert asyncio.run(scenario()) == (1, 0, 0)
    assert (tmp_path / "data/collections/1/lighthouse.md").is_file()


def test_a_server_searches_the_shared_corpus_beside_its_own_index(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> tuple[int, tuple[str, ...], int, int]:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        found = await library.search(1, "Pentagon", 5)
        opened = await library.current(1)
        return (
            len(found.answer.hits),
            tuple(doc.doc_id for doc in opened.index.documents),
            len(opened.searcher.documents),
            found.documents,
        )

    hits, own, searched, counted = asyncio.run(scenario())
    assert hits >= 1
    assert own == (guild_prefix(1) + "lighthouse.md",)  # the server's index: its own only
    assert searched == counted == 3  # beside the shared corpus's two
    own_texts = b"".join(path.read_bytes() for path in (tmp_path / "data/gi").rglob("texts.bin"))
    assert b"lighthouse" in own_texts and b"Pentagon" not in own_texts  # no copy of shared


def test_adding_a_name_twice_is_refused_and_keeps_the_first(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> None:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        with pytest.raises(LibraryError, match=r"already has a file named lighthouse\.md"):
            await library.add(1, "lighthouse.md", b"other")

    asyncio.run(scenario())
    assert "cape" in (tmp_path / "data/collections/1/lighthouse.md").read_text()


def test_removing_sets_the_file_aside_and_reindexes(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> int:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        change = await library.remove(1, guild_prefix(1) + "lighthouse.md")
        assert [doc.title for doc in change.documents] == ["Lighthouse restored"]
        return len((await library.search(1, "lighthouse cape", 5)).answer.hits)

    assert asyncio.run(scenario()) == 0
    aside = list((tmp_path / "data/collections/1" / REMOVED_FOLDER).iterdir())
    assert len(aside) == 1 and "cape" in aside[0].read_text()


def test_a_server_cannot_remove_shared_or_other_servers_documents(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> None:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        with pytest.raises(LibraryError, match="not in this server's collection"):
            await library.remove(2, guild_prefix(1) + "lighthouse.md")
        with pytest.raises(LibraryError):
            await library.remove(1, "pentagon.md")

    asyncio.run(scenario())
    assert (tmp_path / "corpus/pentagon.md").is_file()


def test_rebuilding_a_server_without_documents_is_refused(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    with pytest.raises(LibraryError, match="no documents of its own"):
        asyncio.run(library.rebuild_collection(5))


@pytest.mark.slow
def test_files_copied_in_by_hand_count_after_a_rebuild(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> tuple[int, int]:
        before = len((await library.search(3, "lighthouse cape", 5)).answer.hits)
        write_article(
            library.layout.collection(3),
            "by-hand.md",
            "Lighthouse restored",
            "The cape lighthouse.",
        )
        await library.rebuild_collection(3)
        return before, len((await library.search(3, "lighthouse cape", 5)).answer.hits)

    assert asyncio.run(scenario()) == (0, 1)


@pytest.mark.slow
def test_a_failed_rebuild_keeps_answering_from_the_last_good_index(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> None:
        before = await library.search(None, "ferry terminal", 1)
        for path in library.paths.corpus.iterdir():
            path.unlink()
        with pytest.raises(EmptyIndexError, match="no readable documents"):
            await library.rebuild_shared()
        after = await library.search(None, "ferry terminal", 1)
        assert after.answer.hits == before.answer.hits

    asyncio.run(scenario())


def test_adding_to_an_existing_collection_reads_only_the_new_file(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> tuple[str | None, str | None]:
        first = await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        harbour = markdown("Harbour news", "The harbour dredging finished in June.")
        second = await library.add(1, "dredging.md", harbour.encode())
        return first.opened.rebuilt_because, second.opened.rebuilt_because

    first, second = asyncio.run(scenario())
    assert first is not None  # the server's first document builds its index
    assert second is None  # later ones update it in place
    found = asyncio.run(library.search(1, "harbour dredging", 1))
    assert found.answer.hits[0].document.doc_id == guild_prefix(1) + "dredging.md"


def test_removing_a_name_again_and_again_keeps_every_copy(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    rounds = 8

    async def scenario() -> None:
        for n in range(rounds):
            budget = markdown("Budget", f"The budget of round {n} was approved.")
            await library.add(1, "budget.md", budget.encode())
            await library.remove(1, guild_prefix(1) + "budget.md")

    asyncio.run(scenario())
    kept = sorted(
        p.read_text() for p in (tmp_path / "data/collections/1" / REMOVED_FOLDER).iterdir()
    )
    assert len(kept) == rounds
    assert all(f"round {n} " in text for n, text in enumerate(sorted(kept, key=_round)))
    folder, count = library.removed_files(1)
    assert count == rounds and folder == tmp_path / "data/collections/1" / REMOVED_FOLDER


def _round(text: str) -> int:
    return int(text.split("round ", 1)[1].split()[0])


def test_two_admins_removing_one_article_at_once_hear_it_is_gone(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    doc_id = guild_prefix(1) + "lighthouse.md"

    async def scenario() -> tuple[Change | BaseException, Change | BaseException]:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        harbour = markdown("Harbour news", "The harbour dredging finished in June.")
        await library.add(1, "dredging.md", harbour.encode())
        first, second = library.remove(1, doc_id), library.remove(1, doc_id)
        return await asyncio.gather(first, second, return_exceptions=True)

    first, second = asyncio.run(scenario())
    assert not isinstance(first, BaseException)
    assert isinstance(second, LibraryError) and "already removed" in str(second)
    assert len(list((tmp_path / "data/collections/1" / REMOVED_FOLDER).iterdir())) == 1


def test_removing_the_last_article_twice_at_once(tmp_path: Path) -> None:
    library = shared_library(tmp_path)
    doc_id = guild_prefix(1) + "lighthouse.md"

    async def scenario() -> tuple[Change | BaseException, Change | BaseException]:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        return await asyncio.gather(
            library.remove(1, doc_id), library.remove(1, doc_id), return_exceptions=True
        )

    first, second = asyncio.run(scenario())
    assert not isinstance(first, BaseException)
    assert isinstance(second, LibraryError) and "already removed" in str(second)
