"""Rebuilding in a child process, for hosts that run an event loop.

A rebuild in a thread of the bot's process competes with the event loop for
the GIL, and its long C calls (sorting a million postings, joining arrays,
serialising JSON) hold it for tens of milliseconds at a time: during a 17 s
rebuild of 100,000 sentences the loop stalled up to 167 ms
(``python -m bench.load``). In a spawned child the build has its own
interpreter; the host only waits (without the GIL) and then loads the saved
index, mapped, which takes a fraction of a second.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from index.articles.corpus import Corpus
from index.errors import IndexWriteError
from index.service.opened_index import IndexNotSavedError, OpenedIndex
from index.service.opening import open_index
from index.service.rebuilding import rebuild


def rebuild_in_child(
    corpus: Corpus, index_dir: Path, *, splitter_from: Path | None = None
) -> OpenedIndex:
    """:func:`index.service.rebuild` in a spawned child process, then the saved index
    loaded here. Blocks until done: call it from a worker thread.

    Raises what ``rebuild`` raises (an index built but not saved surfaces as a plain
    ``IndexWriteError``: the child's in-memory index cannot be handed over).
    """
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        child.submit(_rebuild, corpus, index_dir, splitter_from).result()
    return open_index(corpus, index_dir, splitter_from=splitter_from)


def _rebuild(corpus: Corpus, index_dir: Path, splitter_from: Path | None) -> None:
    try:
        rebuild(corpus, index_dir, splitter_from=splitter_from)
    except IndexNotSavedError as error:
        # Its ``opened`` does not cross processes; the write error itself does.
        raise IndexWriteError(error.error, error.index_dir) from None
