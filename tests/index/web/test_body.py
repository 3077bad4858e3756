"""Reading bodies under the cap, and refusing decompression bombs."""

from __future__ import annotations

import gzip
import zlib

import pytest

from index.errors import FetchError, FetchReason
from index.web.body import RATIO_FLOOR, BodyReader


def read(data: bytes, encoding: str = "", cap: int = 4 * RATIO_FLOOR, chunk: int = 4096) -> bytes:
    reader = BodyReader(encoding, cap, 100)
    for start in range(0, len(data), chunk):
        reader.feed(data[start : start + chunk])
    return reader.finish()


def test_plain_gzip_and_deflate_bodies_decode() -> None:
    page = b"<p>" + b"The ferry terminal opened. " * 2000 + b"</p>"
    assert read(page) == page
    assert read(gzip.compress(page), "gzip") == page
    assert read(zlib.compress(page), "deflate") == page


def test_the_cap_trips_while_reading() -> None:
    reader = BodyReader("", 10_000, 100)
    reader.feed(b"x" * 9_000)
    with pytest.raises(FetchError) as refused:
        reader.feed(b"x" * 2_000)
    assert refused.value.reason is FetchReason.TOO_LARGE and "10,000-byte cap" in str(refused.value)


def test_a_bomb_is_refused_by_its_ratio_in_one_small_chunk() -> None:
    bomb = gzip.compress(bytes(64 * RATIO_FLOOR), compresslevel=9)
    with pytest.raises(FetchError) as refused:
        read(bomb, "gzip", cap=1024 * RATIO_FLOOR, chunk=len(bomb))
    assert refused.value.reason is FetchReason.BOMB


def test_highly_compressible_text_under_the_floor_is_fine() -> None:
    page = b" " * (RATIO_FLOOR // 2)
    assert read(gzip.compress(page), "gzip") == page


def test_unknown_encodings_and_broken_streams_are_refused() -> None:
    with pytest.raises(FetchError, match="unsupported content encoding 'br'"):
        BodyReader("br", 100, 100)
    with pytest.raises(FetchError, match="does not inflate"):
        read(b"this is not gzip at all", "gzip")
