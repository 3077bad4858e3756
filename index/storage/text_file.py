"""Sentence texts read from their file when asked for, not mapped into the process.

A mapped ``texts.bin`` (150 MB at a million sentences) joins the process's
resident memory page by page as answers quote sentences, and the kernel maps
its neighbours along with each page, so after a thousand answers nearly all
of it counted. Read with ``pread`` instead, quoted texts stay in the shared
page cache: the process holds one open file, and a quote costs a system call
of a few microseconds. ``pread`` takes its own offset, so threads may share
the file.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path

# Ranges closer than this share one read: one system call is dearer than a few KiB copied.
_NEAR = 4096


class TextFile:
    """The bytes of a file, sliceable like ``bytes``; each slice is read on demand."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        # The open descriptor keeps the file readable even after its generation is deleted.
        self._closer = weakref.finalize(self, os.close, self._fd)
        self._size = os.fstat(self._fd).st_size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, key: slice) -> bytes:
        start, stop, step = key.indices(self._size)
        if step != 1:
            raise ValueError("texts are read in contiguous slices")
        return self._read(start, max(stop - start, 0))

    def __bytes__(self) -> bytes:
        return self._read(0, self._size)

    def read_many(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        """The bytes of each ``(start, stop)`` range, in one pass: ranges are read in file
        order, and ranges less than a page apart share one read."""
        found: list[bytes] = [b""] * len(ranges)
        for group in _nearby(ranges):
            first = ranges[group[0]][0]
            block = self._read(first, max(max(ranges[i][1] for i in group) - first, 0))
            for i in group:
                found[i] = block[ranges[i][0] - first : ranges[i][1] - first]
        return found

    def _read(self, offset: int, size: int) -> bytes:
        whole = os.pread(self._fd, size, offset)
        if len(whole) == size:  # a regular file gives it all at once, unless it ended early
            return whole
        chunks, done = [whole], len(whole)
        while done < size:
            chunk = os.pread(self._fd, size - done, offset + done)
            if not chunk:
                raise OSError(f"texts file ended {size - done} bytes early")
            chunks.append(chunk)
            done += len(chunk)
        return b"".join(chunks)


def _nearby(ranges: Sequence[tuple[int, int]]) -> Iterator[list[int]]:
    """The positions of ``ranges`` in file order, in groups of ranges close to each other."""
    group: list[int] = []
    stop = 0
    for i in sorted(range(len(ranges)), key=lambda i: ranges[i][0]):
        if group and ranges[i][0] > stop + _NEAR:
            yield group
            group = []
        stop = max(stop, ranges[i][1]) if group else ranges[i][1]
        group.append(i)
    if group:
        yield group
