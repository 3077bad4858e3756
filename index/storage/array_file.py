"""``.npy`` files as qabot writes them: one-dimensional, little-endian, no pickle.

qabot reads only the header it writes (format 1.0, a ``descr`` from a short list,
``fortran_order`` False, a one-dimensional ``shape``), parsed with one regular
expression rather than numpy's header parser: a damaged or crafted header is a
``ValueError`` naming the file, never a ``SyntaxError``, a tokenizer error or a
header that asks for an object array. The data is then mapped read-only.

Checking a mapped array's structure at load touches all of its pages;
:func:`release_pages` hands them back afterwards (they stay in the shared page
cache), so the process's resident memory after a load stays what queries need.
"""

from __future__ import annotations

import io
import mmap
import re
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MAGIC = b"\x93NUMPY\x01\x00"
# The dtypes an index stores; anything else in a header is damage.
DESCRS = frozenset({"<i8", "<u8", "<i4", "<f4", "<u2", "|u1"})
_HEADER = re.compile(
    rb"\{'descr': '(?P<descr>[<|][a-z][0-9])', 'fortran_order': False, "
    rb"'shape': \((?P<length>[0-9]{1,18}),\), \} *\n"
)
_MAX_HEADER = 4096


def npy_parts(array: npt.NDArray[Any]) -> list[memoryview]:
    """An ``.npy`` file as its header and the array's own memory (no copy of the data)."""
    array = np.ascontiguousarray(array)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, np.lib.format.header_data_from_array_1_0(array))
    return [memoryview(header.getvalue()), array.data.cast("B")]


def map_array(path: Path) -> npt.NDArray[Any]:
    """The one-dimensional array stored in ``path``, mapped read-only.

    Raises ``ValueError`` when the header is not one qabot writes or the data does
    not fill the rest of the file exactly.
    """
    with path.open("rb") as handle:
        head = handle.read(len(MAGIC) + 2 + _MAX_HEADER)
        size = handle.seek(0, io.SEEK_END)
    dtype, length, offset = _parsed_header(path, head)
    if offset + length * dtype.itemsize != size:
        raise ValueError(f"{path.name} holds {size - offset} data bytes, not {length} items")
    if length == 0:
        empty = np.zeros(0, dtype=dtype)
        empty.flags.writeable = False
        return empty
    with path.open("rb") as handle:
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    # A plain array over the mapping: indexing an np.memmap costs microseconds more.
    return np.frombuffer(mapping, dtype=dtype, count=length, offset=offset)


def release_pages(array: npt.NDArray[Any]) -> None:
    """Drop ``array``'s mapped pages from this process (they are read again on use)."""
    base: Any = array
    while base is not None and not isinstance(base, mmap.mmap):
        base = base.obj if isinstance(base, memoryview) else getattr(base, "base", None)
    if base is not None and hasattr(base, "madvise"):
        base.madvise(mmap.MADV_DONTNEED)


def _parsed_header(path: Path, head: bytes) -> tuple[np.dtype[Any], int, int]:
    if not head.startswith(MAGIC) or len(head) < len(MAGIC) + 2:
        raise ValueError(f"{path.name} is not an .npy file of format 1.0")
    header_length = int.from_bytes(head[len(MAGIC) : len(MAGIC) + 2], "little")
    start = len(MAGIC) + 2
    match = _HEADER.fullmatch(head, start, start + header_length)
    if match is None or match["descr"].decode() not in DESCRS:
        raise ValueError(f"{path.name} has a damaged .npy header")
    return np.dtype(match["descr"].decode()), int(match["length"]), start + header_length
