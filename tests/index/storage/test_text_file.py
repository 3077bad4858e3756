"""Texts read on demand: slices like bytes, survives its file's deletion, fails clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.storage.text_file import TextFile

DATA = "Héllo wörld. 日本語。".encode()


def _file(tmp_path: Path, data: bytes = DATA) -> Path:
    path = tmp_path / "texts.bin"
    path.write_bytes(data)
    return path


def test_slices_length_and_bytes_match_the_data(tmp_path: Path) -> None:
    texts = TextFile(_file(tmp_path))
    assert len(texts) == len(DATA)
    assert bytes(texts) == DATA
    for lo, hi in [(0, 6), (3, 3), (7, len(DATA)), (5, 1000), (-4, None)]:
        assert texts[lo:hi] == DATA[lo:hi]


def test_an_empty_file_reads_as_empty(tmp_path: Path) -> None:
    texts = TextFile(_file(tmp_path, b""))
    assert len(texts) == 0 and bytes(texts) == b"" and texts[0:5] == b""


def test_texts_stay_readable_after_the_file_is_deleted(tmp_path: Path) -> None:
    path = _file(tmp_path)
    texts = TextFile(path)
    path.unlink()  # an old generation removed while answers still quote it
    assert texts[0:6] == DATA[0:6]


def test_a_truncated_file_and_strided_slices_are_errors(tmp_path: Path) -> None:
    path = _file(tmp_path)
    texts = TextFile(path)
    with pytest.raises(ValueError, match="contiguous"):
        texts[0:6:2]
    path.write_bytes(DATA[:3])
    with pytest.raises(OSError, match="early"):
        bytes(texts)


def test_many_ranges_read_together_equal_their_slices(tmp_path: Path) -> None:
    data = bytes(range(256)) * 100  # far ranges take their own read, near ones share one
    texts = TextFile(_file(tmp_path, data))
    ranges = [(20_000, 20_010), (5, 9), (9, 30), (4, 6), (25_599, 25_600), (7, 7), (10_000, 10_500)]
    assert texts.read_many(ranges) == [data[lo:hi] for lo, hi in ranges]
    assert texts.read_many([]) == []
