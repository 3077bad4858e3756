"""A build's progress as a tqdm bar on a terminal; nothing at all anywhere else."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

Progress = Callable[[int, int], None]
"""Called with (documents done, documents in all), like ``index.storage.builder.Progress``."""


class ProgressBar:
    """A tqdm bar opened at the first report, so a command that builds nothing shows none."""

    def __init__(self, stream: TextIO, unit: str = "doc", label: str = "indexing") -> None:
        self.stream = stream
        self.unit = unit
        self.label = label
        self._bar: Any = None
        self._closed = False

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit=self.unit, desc=self.label, file=self.stream)
        self._bar.total = total
        self._bar.update(done - self._bar.n)
        if done >= total:  # end the line now, before the build logs what it skipped
            self.close()

    def close(self) -> None:
        """Leave the bar on screen and end its line (once)."""
        if self._bar is not None and not self._closed:
            self._bar.close()
            self._closed = True


@contextmanager
def build_progress(wanted: bool, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """A progress callback when ``wanted`` and ``stream`` (stderr) is a terminal, else ``None``."""
    stream = stream or sys.stderr
    if not (wanted and stream.isatty()):
        yield None
        return
    bar = ProgressBar(stream)
    try:
        yield bar
    finally:
        bar.close()
