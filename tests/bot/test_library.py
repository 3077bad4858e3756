"""The library: shared corpus plus per-server collections, builds behind one lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.library import REMOVED_FOLDER, Library, LibraryError, guild_prefix, threaded_rebuild
from index.articles.corpus import Corpus
from index.errors import EmptyIndexError
from index.service.lifecycle import OpenedIndex, Ready, refresh
from tests.bot_fakes import markdown, shared_library, write_article

LIGHTHOUSE = markdown(
    "Lighthouse restored", "The old lighthouse on the cape was restored in spring."
)


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
    assert not library.has_collection(1)


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


def test_a_server_index_still_holds_the_shared_corpus(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> int:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        return len((await library.search(1, "Pentagon", 5)).answer.hits)

    assert asyncio.run(scenario()) >= 1


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
def test_a_shared_rebuild_reaches_loaded_server_indexes(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> int:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        write_article(tmp_path / "corpus", "storm.md", "Storm", "A storm closed the airport.")
        await library.rebuild_shared()
        return len((await library.search(1, "storm airport", 5)).answer.hits)

    assert asyncio.run(scenario()) == 1


@pytest.mark.slow
def test_questions_during_a_rebuild_are_answered_from_the_previous_index(tmp_path: Path) -> None:
    gate = asyncio.Event()
    started = asyncio.Event()

    async def held_build(corpus: Corpus, index_dir: Path) -> OpenedIndex:
        started.set()
        await gate.wait()
        return await threaded_rebuild(corpus, index_dir)

    shared = shared_library(tmp_path)
    library = Library(shared.paths, builder=held_build)

    async def scenario() -> tuple[int, int, int]:
        await library.current(None)
        write_article(tmp_path / "corpus", "storm.md", "Storm", "A storm closed the airport.")
        rebuild = asyncio.create_task(library.rebuild_shared())
        await started.wait()
        during = [await library.search(None, "storm airport", 5) for _ in range(3)]
        ferry = await library.search(None, "ferry terminal", 5)
        assert library.building
        gate.set()
        await rebuild
        after = await library.search(None, "storm airport", 5)
        hits_during = sum(len(found.answer.hits) for found in during)
        return hits_during, len(ferry.answer.hits), len(after.answer.hits)

    assert asyncio.run(scenario()) == (0, 2, 1)


@pytest.mark.slow
def test_files_copied_in_by_hand_count_after_a_rebuild(tmp_path: Path) -> None:
    library = shared_library(tmp_path)

    async def scenario() -> tuple[int, int]:
        before = len((await library.search(3, "lighthouse cape", 5)).answer.hits)
        write_article(
            library.collection(3), "by-hand.md", "Lighthouse restored", "The cape lighthouse."
        )
        await library.rebuild_collection(3)
        return before, len((await library.search(3, "lighthouse cape", 5)).answer.hits)

    assert asyncio.run(scenario()) == (0, 1)


def test_a_damaged_index_on_disk_is_rebuilt_and_questions_still_answered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = shared_library(tmp_path)
    asyncio.run(first.search(None, "ferry", 1))
    for member in (tmp_path / "data" / "index").glob("gen-*/*"):
        if member.suffix == ".npy":
            member.write_bytes(b"\x93NUMPY not really")
    restarted = Library(first.paths)
    with caplog.at_level("WARNING", logger="index"):
        found = asyncio.run(restarted.search(None, "ferry terminal", 1))
    assert found.answer.hits[0].document.title == "A new ferry terminal"
    assert any("rebuilding" in record.message for record in caplog.records)


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


def test_an_update_that_fails_after_answering_leaves_the_old_index_live(tmp_path: Path) -> None:
    calls: list[Path] = []

    async def fails_while_saving(corpus: Corpus, index_dir: Path, ready: Ready) -> OpenedIndex:
        def update_then_fail() -> OpenedIndex:
            opened = refresh(corpus, index_dir, ready=ready)  # the update answers from memory
            calls.append(index_dir)
            if len(calls) > 1:  # ... and the second update then fails: the disk is full
                raise OSError(28, "No space left on device")
            return opened

        return await asyncio.to_thread(update_then_fail)

    library = Library(shared_library(tmp_path).paths, refresher=fails_while_saving)
    harbour = markdown("Harbour news", "The harbour dredging finished in June.")

    async def scenario() -> list[str]:
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        with pytest.raises(OSError, match="No space"):
            await library.add(1, "dredging.md", harbour.encode())
        found = await library.search(1, "harbour dredging lighthouse cape", 5)
        return [hit.document.doc_id for hit in found.answer.hits]

    assert asyncio.run(scenario()) == [guild_prefix(1) + "lighthouse.md"]
    assert not (tmp_path / "data/collections/1/dredging.md").exists()  # set aside
