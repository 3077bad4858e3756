"""A key per sentence that two copies of the same sentence share, stored at build time.

A wire story runs on many sites, and one article can be kept twice (added by link and
then from a feed under another address). Answers quote such a sentence once
(``index.service.repeats``). Comparing texts at question time meant reading every
candidate copy's text, about 10 µs a read here; the key is a lookup.

The key is the first 8 bytes of a BLAKE2b digest of the sentence's words, case folded
(spacing and punctuation aside), so it is the same in every process and on every
machine. Two different sentences share one with a chance of 1 in 2⁶⁴ per pair.
"""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+")


def text_key(text: str) -> str:
    """What two sentences have in common when they are the same sentence: their words,
    case folded."""
    return " ".join(_WORD.findall(text.casefold()))


def sentence_key(text: str) -> int:
    """The stored key of a sentence: a 64-bit digest of :func:`text_key`."""
    digest = hashlib.blake2b(text_key(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")
