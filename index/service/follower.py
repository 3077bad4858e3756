"""Following an index another process writes: read only, switching generations as they come.

A bot split over several processes (Discord shards) has one writer: it rebuilds
and updates the shared index, each time writing a complete new generation and
then pointing ``CURRENT`` at it (``index.storage.generations``). The other
processes follow: before answering they look at ``CURRENT`` (one ``stat``), and
when it names another generation they load that one, whole, and swap it in; they
never build, write or delete anything. A generation is never changed once
``CURRENT`` names it, so a follower sees either the old index or the new one.
The writer deletes the old generation after switching; a follower that read the
old name just before (and finds files gone while loading) reads ``CURRENT``
again. What it had loaded stays readable: its arrays are mapped and its texts
file is open, and both outlive the deletion.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from index.errors import IndexCorruptError, IndexMissingError
from index.service.opened_index import OpenedIndex
from index.service.opening import load_index
from index.storage.generations import CURRENT

# Loads in a row that find their generation gone before giving up (each means the
# writer switched again meanwhile).
ATTEMPTS = 5


class IndexFollower:
    """The newest complete index in ``index_dir``, loaded read-only on demand.

    ``load`` loads the generation ``CURRENT`` names (``index.load_index``: the
    kernels are warmed once per process). Thread-safe: one load at a time.
    """

    def __init__(self, index_dir: Path, load: Callable[[Path], OpenedIndex] = load_index) -> None:
        self.index_dir = index_dir
        self._load = load
        self._lock = threading.Lock()
        self._opened: OpenedIndex | None = None
        self._seen: tuple[int, int, int] | None = None
        self.generation: str | None = None
        """The name of the generation loaded last (what ``CURRENT`` held)."""

    @property
    def opened(self) -> OpenedIndex | None:
        """The index loaded last (``None`` before the first :meth:`current`)."""
        return self._opened

    def changed(self) -> bool:
        """Whether ``CURRENT`` names another generation than the one loaded (one ``stat``)."""
        return self._opened is None or self._pointer() != self._seen

    def current(self) -> OpenedIndex:
        """The index ``CURRENT`` names now, loaded if it changed since the last call.

        Raises ``IndexMissingError`` when there is no index yet and ``IndexCorruptError``
        when the generation cannot be read (after the retries described above).
        """
        if not self.changed() and self._opened is not None:
            return self._opened
        with self._lock:
            if self.changed() or self._opened is None:
                self._opened, self._seen = self._newest()
            return self._opened

    def _newest(self) -> tuple[OpenedIndex, tuple[int, int, int]]:
        for _ in range(ATTEMPTS):
            pointer = self._pointer()
            name = self._name()
            try:
                opened = self._load(self.index_dir)
            except IndexCorruptError:
                if self._pointer() == pointer:
                    raise  # damaged, not replaced: a real error
                continue  # the writer switched generations while this one was read
            if self._pointer() != pointer:
                continue  # loaded, but perhaps the newer one: load again, knowing which
            self.generation = name
            return opened, pointer
        raise IndexCorruptError(f"the index in {self.index_dir} kept changing while read")

    def _name(self) -> str | None:
        try:
            return (self.index_dir / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return None

    def _pointer(self) -> tuple[int, int, int]:
        """Which ``CURRENT`` file is there: a new one replaces the old (``os.replace``)."""
        try:
            found = os.stat(self.index_dir / CURRENT)
        except FileNotFoundError:
            raise IndexMissingError(f"no index in {self.index_dir} yet") from None
        return found.st_ino, found.st_mtime_ns, found.st_size
