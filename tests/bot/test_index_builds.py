"""Opening, rebuilding and refreshing off the loop, with semantic re-ranking attached."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from bot.index_builds import Builds, threaded_open, threaded_rebuild, threaded_refresh
from bot.library import Library
from index import CorpusRoot
from index.semantic.embedder import HashingEmbedder
from index.semantic.mixing import JoinedRanker
from index.service.embedding import SemanticIndexes
from index.service.opened_index import OpenedIndex
from tests.bot_fakes import LIGHTHOUSE, library_paths, write_article


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
    server = semantic.progress(library.layout.index_dir(1))
    assert server is not None and server.total == 1  # its own sentence only: shared's once
    assert (library.semantic_status(1) or "").startswith("semantic re-ranking on")
    assert Library(library_paths(tmp_path)).semantic_status(None) is None


def test_an_index_opened_off_the_loop_is_settled_out_of_the_collectors_way(
    tmp_path: Path,
) -> None:
    paths = library_paths(tmp_path)
    write_article(paths.corpus, "harbour.md", "A new ferry terminal", "The ferry docks.")
    gc.unfreeze()
    opened = asyncio.run(threaded_open([CorpusRoot(paths.corpus)], paths.index))
    assert opened.searcher.search("ferry").hits
    assert gc.get_freeze_count() > 0  # what loading made is skipped by later collections
    gc.unfreeze()


def test_without_semantic_re_ranking_the_builds_are_used_as_they_are() -> None:
    builds = Builds.attached(threaded_open, threaded_rebuild, threaded_refresh, None)
    assert builds == Builds(threaded_open, threaded_rebuild, threaded_refresh)
