"""The library: shared corpus plus per-server collections, builds behind one lock."""

from __future__ import annotations

import asyncio
import json
import zlib
from pathlib import Path

import pytest

from bot.collection_files import REMOVED_FOLDER
from bot.library import (
    Change,
    Library,
    LibraryError,
    guild_prefix,
    threaded_open,
    threaded_rebuild,
)
from bot.shards import Shards
from index import verify_index
from index.articles.corpus import Corpus
from index.errors import EmptyIndexError
from index.semantic.embedder import HashingEmbedder
from index.semantic.mixing import JoinedRanker
from index.service.embedding import SemanticIndexes
from index.service.opened_index import OpenedIndex, Ready
from index.service.updating import refresh
from tests.bot_fakes import library_paths, markdown, shared_library, write_article

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

    async def fails_while_saving(
        corpus: Corpus, index_dir: Path, ready: Ready, *, splitter_from: Path | None = None
    ) -> OpenedIndex:
        def update_then_fail() -> OpenedIndex:
            # The update answers from memory ...
            opened = refresh(corpus, index_dir, ready=ready, splitter_from=splitter_from)
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


@pytest.mark.slow
def test_a_damaged_sentence_text_is_rebuilt_while_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged ``texts.bin`` in an index too large to checksum at load (here: one whose
    manifest was made to agree) shows when a sentence is quoted; the index is rebuilt."""
    first = shared_library(tmp_path)
    expected = asyncio.run(first.search(None, "ferry terminal", 1)).answer
    index_dir = tmp_path / "data" / "index"
    folder = index_dir / (index_dir / "CURRENT").read_text()
    texts = b"\xff" * (folder / "texts.bin").stat().st_size
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["texts.bin"]["crc32"] = zlib.crc32(texts)
    (folder / "texts.bin").write_bytes(texts)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    restarted = Library(first.paths)
    with caplog.at_level("WARNING"):
        found = asyncio.run(restarted.search(None, "ferry terminal", 1))
    assert found.answer.hits == expected.hits
    assert any("damaged" in record.getMessage() for record in caplog.records)


@pytest.mark.slow
def test_an_index_loaded_from_disk_is_checksummed_in_the_background(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An index over 64 MiB is not checksummed at load; the bot reads it all afterwards.
    Damage the load could not see is simulated by flipping a byte just after loading."""
    built = shared_library(tmp_path)
    asyncio.run(built.search(None, "ferry", 1))
    index_dir = tmp_path / "data" / "index"

    async def open_then_damage(corpus: Corpus, index_dir: Path) -> OpenedIndex:
        opened = await threaded_open(corpus, index_dir)
        weights = next(index_dir.glob("gen-*/weights.npy"))
        data = bytearray(weights.read_bytes())
        data[-1] ^= 1
        weights.write_bytes(bytes(data))
        return opened

    library = Library(built.paths, opener=open_then_damage)

    async def scenario() -> tuple[OpenedIndex, OpenedIndex]:
        first = await library.current(None)
        await library.checks_done()
        return first, await library.current(None)

    with caplog.at_level("WARNING"):
        damaged, rebuilt = asyncio.run(scenario())
    assert rebuilt is not damaged and rebuilt.searcher.search("ferry terminal").hits
    assert any("checksum" in record.getMessage() for record in caplog.records)
    verify_index(index_dir)  # the rebuilt index on disk checks out


def test_with_semantic_re_ranking_every_opened_index_gets_embedded(tmp_path: Path) -> None:
    semantic = SemanticIndexes(HashingEmbedder(32))
    library = Library(library_paths(tmp_path), semantic=semantic)
    write_article(tmp_path / "corpus", "harbour.md", "A new ferry terminal", "The ferry docks.")
    assert library.semantic_status(None) == "semantic re-ranking on: index not loaded yet"

    async def scenario() -> tuple[OpenedIndex, OpenedIndex]:
        opened = await library.current(None)
        await library.add(1, "lighthouse.md", LIGHTHOUSE.encode())
        return opened, await library.current(1)

    opened, in_server = asyncio.run(scenario())
    assert opened.searcher.semantic is not None
    assert isinstance(in_server.searcher.semantic, JoinedRanker)  # its own beside the shared
    library.close()
    semantic.close(timeout=60)
    status = library.semantic_status(None) or ""
    assert status.startswith("semantic re-ranking on (hashing-32): ")
    assert "complete" in status or "paused" in status
    server = semantic.progress(library.index_dir(1))
    assert server is not None and server.total == 1  # its own sentence only: shared's once
    assert (library.semantic_status(1) or "").startswith("semantic re-ranking on")
    assert Library(library_paths(tmp_path)).semantic_status(None) is None


def test_a_process_without_shard_0_follows_the_shared_index_and_never_writes_it(
    tmp_path: Path,
) -> None:
    writer = shared_library(tmp_path)
    reader = Library(writer.paths, shards=Shards((1,), 2))
    guild = 1 << 22  # on shard 1: the reader's own
    assert reader.owns(guild) and not reader.owns(None) and not reader.owns(2 << 22)

    async def scenario() -> tuple[int, int]:
        await writer.current(None)  # the writer builds the shared index first
        before = await reader.search(None, "storm airport", 5)
        write_article(tmp_path / "corpus", "storm.md", "Storm", "A storm closed the airport.")
        await writer.rebuild_shared()
        after = await reader.search(None, "storm airport", 5)  # no restart: it follows
        with pytest.raises(LibraryError, match="only reads the shared corpus"):
            await reader.rebuild_shared()
        await reader.add(guild, "lighthouse.md", LIGHTHOUSE.encode())  # its own server's
        with pytest.raises(LibraryError, match="only reads this server"):
            await reader.add(2 << 22, "lighthouse.md", LIGHTHOUSE.encode())  # another's
        return len(before.answer.hits), len(after.answer.hits)

    assert asyncio.run(scenario()) == (0, 1)
