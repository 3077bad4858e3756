"""Where the bot's indexes live, which one a server asks, and which process writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.index_layout import IndexLayout, LibraryError, guild_prefix
from bot.shards import Shards
from index import CorpusRoot
from tests.bot_fakes import LIGHTHOUSE, library_paths, write_article


def test_the_shared_index_and_a_servers_own_live_in_their_folders(tmp_path: Path) -> None:
    layout = IndexLayout(library_paths(tmp_path))
    paths = layout.paths
    assert layout.corpus(None) == [CorpusRoot(paths.corpus)]
    assert layout.corpus(7) == [CorpusRoot(paths.collections / "7", prefix=guild_prefix(7))]
    assert (layout.index_dir(None), layout.index_dir(7)) == (
        paths.index,
        paths.guild_indexes / "guild-7",
    )
    # A server's index splits sentences as the shared one does.
    assert layout.options(None) == {} and layout.options(7) == {"splitter_from": paths.index}


def test_a_server_is_seen_to_have_documents_once_told_to_look_again(tmp_path: Path) -> None:
    layout = IndexLayout(library_paths(tmp_path))
    assert not layout.has_collection(7) and layout.key_of(7) is None
    write_article(layout.collection(7), "lighthouse.md", "Lighthouse", LIGHTHOUSE)
    assert not layout.has_collection(7)  # remembered: a question must not walk a folder
    layout.forget(7)
    assert layout.has_collection(7) and layout.key_of(7) == 7
    assert not layout.has_collection(None) and layout.key_of(None) is None


def test_without_shards_this_process_writes_every_index(tmp_path: Path) -> None:
    layout = IndexLayout(library_paths(tmp_path))
    assert layout.owns(None) and layout.owns(1 << 22)
    layout.check_writes(None)


def test_a_process_writes_only_the_indexes_of_its_shards(tmp_path: Path) -> None:
    layout = IndexLayout(library_paths(tmp_path), Shards((1,), 2))
    assert layout.owns(1 << 22) and not layout.owns(2 << 22) and not layout.owns(None)
    with pytest.raises(LibraryError, match=r"only reads the shared corpus.*shard 0"):
        layout.check_writes(None)
    with pytest.raises(LibraryError, match=r"only reads this server.*its shard"):
        layout.check_writes(2 << 22)
