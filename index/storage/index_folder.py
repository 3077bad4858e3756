"""The index folder itself: whose it is, which generation is live, what may be deleted.

qabot deletes old generations, so it must never mistake a user's folder for its
own. An index folder carries a marker file (``.qabot-index``) written when qabot
creates it; qabot writes into a folder only when it is new, empty, marked, or
holds nothing but names qabot writes (an index made before the marker existed,
which is then marked). Any other folder is refused with a message naming it, and
so is a folder that is a corpus folder or lies inside one where the corpus is read.

Only names qabot generates are ever deleted (``gen-<time>-<id>`` and their
``.tmp-`` staging names), and ``CURRENT`` must name such a folder directly inside
the index folder: a ``gen-ideas/`` folder of the user's is never touched, and a
crafted ``CURRENT`` cannot point anywhere else.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from index.articles.corpus import Corpus, as_roots
from index.errors import IndexCorruptError, IndexFolderError, IndexMissingError, IndexWriteError

CURRENT = "CURRENT"
MARKER = ".qabot-index"
LOCK = ".lock"
_GENERATION = re.compile(r"gen-[0-9]{8}T[0-9]{6}-[0-9a-f]{8}")
_STAGING = re.compile(rf"\.tmp-{_GENERATION.pattern}")
_OWN_FILES = frozenset({CURRENT, f".{CURRENT}.tmp", LOCK, MARKER})
_MARKER_TEXT = "This folder holds a qabot index; qabot writes and deletes the files in it.\n"
_SETTING = "choose a new or empty folder for the index (--index, QABOT_INDEX)"


def new_generation_name() -> str:
    """A fresh generation folder name: the time, then random hex so names never collide."""
    return f"gen-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{uuid4().hex[:8]}"


def is_generation_name(name: str) -> bool:
    """Whether ``name`` is one qabot gives a generation folder."""
    return _GENERATION.fullmatch(name) is not None


def claim(index_dir: Path) -> None:
    """Make sure ``index_dir`` is qabot's to write in, creating and marking it if needed.

    Raises :class:`IndexFolderError` for a folder holding anything qabot did not
    write, and :class:`IndexWriteError` when the folder cannot be created or marked.
    """
    try:
        if (index_dir / MARKER).is_file():
            return
        if index_dir.exists() and not index_dir.is_dir():
            raise IndexFolderError(
                f"the index path {index_dir} is a file, not a folder; {_SETTING}"
            )
        index_dir.mkdir(parents=True, exist_ok=True)
        refusal = foreign_files(index_dir)
        if refusal:
            raise IndexFolderError(refusal)
        (index_dir / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    except OSError as error:
        raise IndexWriteError(error, index_dir) from error


def foreign_files(index_dir: Path) -> str | None:
    """Why qabot must not write in the unmarked folder ``index_dir`` (the files in it
    that qabot did not write), or ``None`` when it may."""
    strangers = sorted(entry.name for entry in index_dir.iterdir() if not _ours(entry.name))
    if not strangers:
        return None
    named = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
    return (
        f"the index folder {index_dir} already holds files qabot did not write ({named}); "
        f"{_SETTING}"
    )


def _ours(name: str) -> bool:
    return name in _OWN_FILES or bool(_GENERATION.fullmatch(name) or _STAGING.fullmatch(name))


def check_outside_corpus(index_dir: Path, corpus: Corpus) -> None:
    """Refuse an index folder that is a corpus folder or inside one where the corpus is
    read (a hidden folder such as ``corpus/.qabot/index`` is never read, so it is fine)."""
    index = index_dir.resolve()
    for root in as_roots(corpus):
        folder = root.path.resolve()
        if index == folder or (
            index.is_relative_to(folder)
            and not any(part.startswith(".") for part in index.relative_to(folder).parts)
        ):
            where = "is the" if index == folder else "is inside the"
            raise IndexFolderError(
                f"the index folder {index_dir} {where} corpus folder {root.path}; "
                "keep the index apart from the articles (--index, QABOT_INDEX)"
            )


def live_generation(index_dir: Path) -> Path:
    """The folder ``CURRENT`` names; raises ``IndexMissingError`` or ``IndexCorruptError``."""
    pointer = index_dir / CURRENT
    try:
        if not stat.S_ISREG(pointer.lstat().st_mode):
            raise IndexCorruptError(f"{pointer} is not a file")
        with pointer.open("rb") as handle:
            name = handle.read(256).decode("ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        raise IndexMissingError(f"no index in {index_dir}") from None
    except (OSError, UnicodeError) as error:
        raise IndexCorruptError(f"{pointer} is unreadable: {error}") from error
    folder = index_dir / name
    if not is_generation_name(name) or not _is_real_folder(folder):
        raise IndexCorruptError(f"{pointer} does not name a generation folder of {index_dir}")
    return folder


def _is_real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def remove_stale(index_dir: Path) -> None:
    """Delete the generations and staging folders qabot wrote, except the live one.

    Does nothing in a folder without qabot's marker.
    """
    if not (index_dir / MARKER).is_file():
        return
    try:
        live = live_generation(index_dir).name
    except (IndexMissingError, IndexCorruptError):
        live = ""
    for entry in index_dir.iterdir():
        stale = _GENERATION.fullmatch(entry.name) or _STAGING.fullmatch(entry.name)
        if stale and entry.name != live and _is_real_folder(entry):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``index_dir`` so two builds never interleave.

    Claims the folder first (:func:`claim`). Raises :class:`IndexWriteError` when
    the folder cannot be created or locked.
    """
    claim(index_dir)
    try:
        handle = (index_dir / LOCK).open("a")
    except OSError as error:
        raise IndexWriteError(error, index_dir) from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
