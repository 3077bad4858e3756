"""Reading a response body under a cap, decoding gzip/deflate ourselves.

aiohttp's own decompression would hand us decoded bytes without telling how few
bytes arrived, so a bomb (a few kilobytes of gzip that inflate to gigabytes)
could only be caught by the size cap. Here every chunk is inflated at most up to
the cap (``max_length``, so one tiny chunk cannot allocate gigabytes), and the
ratio of decoded to received bytes is watched: past :data:`RATIO_FLOOR` bytes a
ratio over the limit is refused as a bomb, whatever the cap.
"""

from __future__ import annotations

import zlib

from index.errors import FetchError, FetchReason

RATIO_FLOOR = 1024 * 1024
_STEP = 256 * 1024
ENCODINGS = ("gzip", "x-gzip", "deflate", "identity", "")


class BodyReader:
    """Feed it the received chunks; :meth:`finish` gives the decoded body.

    Raises ``FetchError`` (too large, decompression bomb, bad encoding) as soon as
    the body breaks a limit, before the rest is read.
    """

    def __init__(self, encoding: str, max_bytes: int, max_ratio: int) -> None:
        encoding = encoding.strip().lower()
        if encoding not in ENCODINGS:
            raise FetchError(FetchReason.CONTENT_TYPE, f"unsupported content encoding {encoding!r}")
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.received = 0
        self._parts: list[bytes] = []
        self._decoded = 0
        self._inflater = _inflater(encoding)

    def feed(self, chunk: bytes) -> None:
        """Take one received chunk."""
        if self._inflater is None:
            self.received += len(chunk)
            self._keep(chunk)
            return
        data = chunk
        while data:
            step = min(self.max_bytes - self._decoded + 1, _STEP)
            try:
                out = self._inflater.decompress(data, step)
            except zlib.error as error:
                raise FetchError(
                    FetchReason.CONTENT_TYPE, f"the body does not inflate ({error})"
                ) from None
            # Count only what was consumed, so the ratio is exact however large the chunk.
            self.received += len(data) - len(self._inflater.unconsumed_tail)
            self._keep(out)
            data = self._inflater.unconsumed_tail

    def finish(self) -> bytes:
        """The decoded body."""
        if self._inflater is not None:
            self._keep(self._inflater.flush())
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        self._decoded += len(data)
        inflated = self._inflater is not None and self._decoded > RATIO_FLOOR
        if inflated and self._decoded > self.max_ratio * max(self.received, 1):
            raise FetchError(
                FetchReason.BOMB,
                f"{self.received:,} bytes inflate to over {self._decoded:,} "
                f"(more than {self.max_ratio}:1)",
            )
        if self._decoded > self.max_bytes:
            raise FetchError(
                FetchReason.TOO_LARGE, f"the page is over the {self.max_bytes:,}-byte cap"
            )
        self._parts.append(data)


def _inflater(encoding: str) -> zlib._Decompress | None:
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        # Servers send raw deflate or zlib-wrapped deflate under this name; 32 + MAX_WBITS
        # detects zlib and gzip headers, and raw streams are rare enough to refuse.
        return zlib.decompressobj(32 + zlib.MAX_WBITS)
    return None
