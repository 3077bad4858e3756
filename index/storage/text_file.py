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
from pathlib import Path


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

    def _read(self, offset: int, size: int) -> bytes:
        chunks, done = [], 0
        while done < size:
            chunk = os.pread(self._fd, size - done, offset + done)
            if not chunk:
                raise OSError(f"texts file ended {size - done} bytes early")
            chunks.append(chunk)
            done += len(chunk)
        return b"".join(chunks)
