"""The live indexes: swapped in whole, checked in the background, repaired, followed."""

from __future__ import annotations

import asyncio
import json
import zlib
from pathlib import Path

import pytest

from bot.index_builds import threaded_open, threaded_rebuild
from bot.index_layout import LibraryError, guild_prefix
from bot.library import Library
from bot.shards import Shards
from index import verify_index
from index.articles.corpus import Corpus
from index.service.opened_index import OpenedIndex, Ready
from index.service.updating import refresh
from tests.bot_fakes import LIGHTHOUSE, markdown, shared_library, write_article


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


def test_a_process_without_shard_0_follows_the_shared_index_and_never_writes_it(
    tmp_path: Path,
) -> None:
    writer = shared_library(tmp_path)
    reader = Library(writer.paths, shards=Shards((1,), 2))
    guild = 1 << 22  # on shard 1: the reader's own
    layout = reader.layout
    assert layout.owns(guild) and not layout.owns(None) and not layout.owns(2 << 22)

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
