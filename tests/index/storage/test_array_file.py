"""``.npy`` files: what qabot writes maps back; any damaged header is a ``ValueError``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.storage.array_file import map_array, npy_parts, release_pages


def _written(tmp_path: Path, array: np.ndarray) -> Path:
    path = tmp_path / "a.npy"
    path.write_bytes(b"".join(bytes(part) for part in npy_parts(array)))
    return path


@pytest.mark.parametrize(
    "array",
    [
        np.arange(1000, dtype=np.int64),
        np.arange(7, dtype=np.int32),
        np.linspace(0, 1, 5, dtype=np.float32),
        np.arange(3, dtype=np.uint16),
        np.arange(9, dtype=np.uint8),
        np.zeros(0, dtype=np.int32),
    ],
)
def test_arrays_map_back_read_only(tmp_path: Path, array: np.ndarray) -> None:
    mapped = map_array(_written(tmp_path, array))
    assert mapped.dtype == array.dtype and np.array_equal(mapped, array)
    assert not mapped.flags.writeable
    release_pages(mapped)
    assert np.array_equal(mapped, array)  # pages handed back are read again on use


def test_numpy_reads_what_qabot_writes(tmp_path: Path) -> None:
    array = np.arange(10, dtype=np.float32)
    assert np.array_equal(np.load(_written(tmp_path, array)), array)


def test_every_flipped_header_byte_is_a_value_error(tmp_path: Path) -> None:
    path = _written(tmp_path, np.arange(100, dtype=np.int64))
    original = path.read_bytes()
    header = 128
    for at in range(header):
        for bit in (0x01, 0x20, 0x80):
            damaged = bytearray(original)
            damaged[at] ^= bit
            path.write_bytes(bytes(damaged))
            try:
                mapped = map_array(path)
            except ValueError:
                continue
            # A flip qabot cannot tell from a real header (padding it ignores) changes nothing.
            assert np.array_equal(mapped, np.arange(100)), (at, bit)


@pytest.mark.parametrize(
    "header",
    [
        "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': True, 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }",
        "{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (99999999999999999999,), }",
        "(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
    ],
)
def test_headers_qabot_does_not_write_are_refused(tmp_path: Path, header: str) -> None:
    text = (header + " " * 200)[: 128 - 11] + "\n"
    data = b"\x93NUMPY\x01\x00" + (len(text)).to_bytes(2, "little") + text.encode() + bytes(8)
    (tmp_path / "a.npy").write_bytes(data)
    with pytest.raises(ValueError):
        map_array(tmp_path / "a.npy")


def test_a_truncated_or_extended_file_is_refused(tmp_path: Path) -> None:
    path = _written(tmp_path, np.arange(10, dtype=np.int32))
    original = path.read_bytes()
    for damaged in (original[:-1], original + b"\0", original[:5], b""):
        path.write_bytes(damaged)
        with pytest.raises(ValueError):
            map_array(path)
