"""Searching from asyncio without stalling the event loop.

The scoring kernel releases the GIL, but the Python around it (analysing the
question, building cited and highlighted hits) holds it. With asyncio's
default executor, a burst of questions runs on up to six threads that pass the
GIL among themselves, and the loop can wait several switch intervals for its
turn (we measured 26-97 ms of loop lag while 100 questions at 1M sentences were
answered at once). One search thread competes with the loop alone; with
``gc.freeze()`` after loading, so no full collection of the index's objects
runs mid-burst, the lag stayed under 5 ms (``bench/loop_lag.py``,
``docs/performance.md``).
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from index.records import Answer


class Searchable(Protocol):
    """What :class:`SearchThread` needs: a :class:`index.service.searcher.Searcher`, or a fake."""

    def search(
        self, question: str, k: int = 5, *, doc_id: str | None = None, offset: int = 0
    ) -> Answer:
        """The ``k`` best sentences for ``question``."""
        ...


class SearchThread:
    """Runs searches, one at a time, on a thread of its own."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qabot-search")

    async def search(
        self,
        index: Searchable,
        question: str,
        k: int = 5,
        *,
        doc_id: str | None = None,
        offset: int = 0,
    ) -> Answer:
        """``index.search(...)`` on the search thread; the loop goes on meanwhile.

        The answer is complete when it comes back (spelling fixed, suggestions and
        unknown words included): nothing more runs on the loop.
        """
        call = functools.partial(index.search, question, k, doc_id=doc_id, offset=offset)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def close(self) -> None:
        """Let the thread finish its queue and end."""
        self._executor.shutdown(wait=True)
