"""The worker processes of one build, started early and fed a few tasks at a time.

A spawned worker takes a second or more to start (an interpreter, numpy, nltk,
the word lists), several on a busy machine. A build therefore starts its workers
as soon as the corpus proves large enough to need them: they start while the
rest is read and Punkt trains (itself the first task), and are ready to split
and analyse when the splitter is. Tasks go out a few per worker at a time, so
a large corpus is never copied into the task queue all at once. Workers are
spawned, not forked: the bot builds from a thread, and forking a process that
has threads can deadlock.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
# Tasks in flight per worker: one running, one waiting, so a worker never idles.
IN_FLIGHT = 2


class Workers:
    """Up to ``count`` spawned worker processes, started by :meth:`start` (or never)."""

    def __init__(self, count: int | None = None) -> None:
        self.count = count or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def started(self) -> bool:
        """Whether the processes were started."""
        return self._pool is not None

    def start(self) -> None:
        """Start the processes now (they warm up while the caller goes on)."""
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.count, context, initializer=_warm_up)
            # The executor spawns a process only when a task finds no idle one, so a build
            # whose first task is Punkt's training would start its second worker only when
            # the batches come, and wait for it then. A task per worker spawns them all now.
            for _ in range(self.count):
                self._pool.submit(_started)

    def submit(self, task: Callable[..., Result], *args: Any) -> Future[Result]:
        """Run ``task(*args)`` on a worker (starting the workers first if need be)."""
        self.start()
        assert self._pool is not None
        return self._pool.submit(task, *args)

    def in_order(
        self, task: Callable[..., Result], items: Iterable[Item], *args: Any
    ) -> Iterator[Result]:
        """``task(item, *args)`` for every item, on the workers, results in item order."""
        pending: deque[Future[Result]] = deque()
        for item in items:
            pending.append(self.submit(task, item, *args))
            if len(pending) >= IN_FLIGHT * self.count:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        """Stop the processes (after their tasks)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _started() -> None:
    """Nothing: a task that makes the executor spawn one more process."""


def _warm_up() -> None:
    """Import what the tasks need while the build still reads its corpus."""
    from index.storage import batches

    batches.worker_analyzer()
