"""Where each index of the bot lives, which one a server's questions go to, who writes it.

The shared corpus has one index; a server with documents of its own has a second,
over those documents only (ids prefixed ``guild-<id>/``), searched beside the
shared one. An index is named by its key: ``None`` for the shared index, a guild
id for a server's own. With several bot processes over one data folder
(``bot.shards``), the process running shard 0 writes the shared index and each
server's index is written by the process running its shard; the others only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.refusal import UserFacingError
from bot.shards import Shards
from index import Corpus, CorpusRoot, corpus_files


class LibraryError(UserFacingError):
    """A request the library refuses; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class LibraryPaths:
    """Where the shared corpus, its index, the collections and their indexes live."""

    corpus: Path
    index: Path
    collections: Path
    guild_indexes: Path


def guild_prefix(guild_id: int) -> str:
    """The doc-id prefix of one server's collection."""
    return f"guild-{guild_id}/"


class IndexLayout:
    """The folders and writers of the indexes under ``paths`` (see the module docstring)."""

    def __init__(self, paths: LibraryPaths, shards: Shards | None = None) -> None:
        self.paths = paths
        self.shards = shards
        self._collections: dict[int, bool] = {}

    def collection(self, guild_id: int) -> Path:
        """The folder of one server's own documents."""
        return self.paths.collections / str(guild_id)

    def has_collection(self, guild_id: int | None) -> bool:
        """Whether the server has at least one document file of its own.

        Remembered per server (a question must not walk a folder); :meth:`forget` it
        whenever a file is added or removed.
        """
        if guild_id is None:
            return False
        if guild_id not in self._collections:
            folder = self.collection(guild_id)
            self._collections[guild_id] = folder.is_dir() and bool(corpus_files(folder))
        return self._collections[guild_id]

    def forget(self, guild_id: int | None = None) -> None:
        """Look at the server's folder again next time (``None``: at every server's)."""
        if guild_id is None:
            self._collections.clear()
        else:
            self._collections.pop(guild_id, None)

    def key_of(self, guild_id: int | None) -> int | None:
        """The key of the index questions in ``guild_id`` need beside the shared one."""
        return guild_id if self.has_collection(guild_id) else None

    def corpus(self, key: int | None) -> Corpus:
        """The corpus roots of the index ``key`` (a guild id, or ``None`` for shared)."""
        if key is None:
            return [CorpusRoot(self.paths.corpus)]
        return [CorpusRoot(self.collection(key), prefix=guild_prefix(key))]

    def index_dir(self, key: int | None) -> Path:
        """The index folder of ``key`` (a guild id, or ``None`` for shared)."""
        return self.paths.index if key is None else self.paths.guild_indexes / f"guild-{key}"

    def options(self, key: int | None) -> dict[str, Path]:
        """A server's index splits sentences as the shared index does."""
        return {} if key is None else {"splitter_from": self.index_dir(None)}

    def owns(self, key: int | None) -> bool:
        """Whether this process may write the index of ``key`` (``None``: the shared one)."""
        if self.shards is None:
            return True
        return self.shards.writes_shared if key is None else self.shards.owns(key)

    def check_writes(self, key: int | None) -> None:
        """Refuse, for the user, a change to an index another process writes."""
        if not self.owns(key):
            whose = "the shared corpus" if key is None else "this server"
            raise LibraryError(
                f"This bot process only reads {whose}: the process running "
                f"{'shard 0' if key is None else 'its shard'} updates it."
            )
