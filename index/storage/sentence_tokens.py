"""Every sentence's indexed words, stored at build time so a hit is highlighted without analysis.

For each sentence, in order, the term id each of its indexed words gave and the
word's span (character offsets within the sentence). Highlighting a hit is then
a lookup: the words whose term is one of the question's. Analysing the hit
again instead (splitting it into words, folding and stemming those the
analyzer's cache has not seen) cost more than ranking: about 9 ms of a 12 ms
question in a batch at 100,000 sentences, Snowball stemming thousands of words.

Offsets are ``uint16``: a sentence is at most
``index.articles.sentences.MAX_SENTENCE_CHARS`` (1,500) characters. The tokens of
sentence ``s`` are ``[indptr[s], indptr[s + 1])``; their count is the sentence's
length in terms, so ``indptr`` agrees with the postings' ``lengths``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from index.jit import kernel
from index.ranking.kernels import read_only
from index.records import Span
from index.storage.token_builder import SentenceTokensBuilder

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Offsets = npt.NDArray[np.uint16]
# Spans are immutable values, and a frozen dataclass costs about 0.3 µs to make: a hit's
# highlights reuse the ones made before (offsets are below 1,500, so this stays small).
_SPANS: dict[int, Span] = {}


@dataclass(frozen=True, eq=False)
class SentenceTokens:
    """Term ids and word spans of every sentence's indexed words (compressed rows)."""

    indptr: Int64s
    terms: Int32s
    starts: Offsets
    ends: Offsets

    def __len__(self) -> int:
        return int(self.indptr.shape[0]) - 1

    @classmethod
    def of(cls, built: SentenceTokensBuilder, mapping: Int32s | None = None) -> SentenceTokens:
        """The tokens ``built`` collected; ``mapping`` turns its term ids into the index's."""
        terms = np.frombuffer(built.terms, dtype=np.int32) if built.terms else np.zeros(0, np.int32)
        return cls(
            indptr=_indptr(np.frombuffer(built.counts, dtype=np.int32) if built.counts else None),
            terms=np.ascontiguousarray(mapping[terms] if mapping is not None else terms),
            starts=np.array(built.starts, dtype=np.uint16),
            ends=np.array(built.ends, dtype=np.uint16),
        )

    def term_ids(self, sentence_id: int) -> Int32s:
        """The term ids of one sentence's indexed words, in text order."""
        return self.terms[self.indptr[sentence_id] : self.indptr[sentence_id + 1]]

    def spans(
        self, sentence_ids: Sequence[int], wanted: npt.NDArray[np.int32]
    ) -> list[tuple[Span, ...]]:
        """For each sentence, the spans of its words whose term id is in ``wanted``
        (ascending), in text order."""
        ids = np.asarray(sentence_ids, dtype=np.int64)
        if not ids.shape[0] or not wanted.shape[0]:
            return [()] * ids.shape[0]
        keys, bounds = _matching(*self._views, ids, wanted)
        spans = [_SPANS.get(key) or _span(key) for key in keys.tolist()]
        return [tuple(spans[lo:hi]) for lo, hi in itertools.pairwise(bounds.tolist())]

    @cached_property
    def _views(self) -> tuple[Int64s, Int32s, Offsets, Offsets]:
        """The four arrays as the read-only views ``_matching`` is compiled for, made once."""
        return (
            read_only(self.indptr),
            read_only(self.terms),
            read_only(self.starts),
            read_only(self.ends),
        )


def _span(key: int) -> Span:
    span = _SPANS[key] = Span(key >> 16, key & 0xFFFF)
    return span


@kernel
def _matching(
    indptr: Int64s, terms: Int32s, starts: Offsets, ends: Offsets, ids: Int64s, wanted: Int32s
) -> tuple[Int64s, Int64s]:
    """The tokens of each sentence ``ids[hit]`` whose term is in ``wanted``, as keys
    ``start << 16 | end``, hit after hit: hit ``h``'s are ``keys[bounds[h]:bounds[h + 1]]``."""
    size = 0
    for hit in range(ids.shape[0]):
        size += indptr[ids[hit] + 1] - indptr[ids[hit]]
    keys, bounds = np.empty(size, np.int64), np.zeros(ids.shape[0] + 1, np.int64)
    count = 0
    for hit in range(ids.shape[0]):
        for t in range(indptr[ids[hit]], indptr[ids[hit] + 1]):
            at = np.searchsorted(wanted, terms[t])
            if at < wanted.shape[0] and wanted[at] == terms[t]:
                keys[count] = np.int64(starts[t]) << 16 | ends[t]
                count += 1
        bounds[hit + 1] = count
    return keys[:count], bounds


def warm_up() -> None:
    """Load (or compile) the lookup now rather than on the first hit."""
    one = np.zeros(1, dtype=np.int64)
    tokens = SentenceTokens(
        np.array([0, 1], dtype=np.int64),
        np.zeros(1, dtype=np.int32),
        np.zeros(1, dtype=np.uint16),
        np.ones(1, dtype=np.uint16),
    )
    tokens.spans(one.tolist(), np.zeros(1, dtype=np.int32))


def _indptr(counts: npt.NDArray[np.int32] | None) -> Int64s:
    indptr = np.zeros(1 if counts is None else counts.shape[0] + 1, dtype=np.int64)
    if counts is not None:
        np.cumsum(counts, out=indptr[1:])
    return indptr


def joined(parts: Sequence[SentenceTokens]) -> SentenceTokens:
    """The tokens of consecutive runs of sentences, one after another."""
    indptrs = [np.asarray(parts[0].indptr)]
    for part in parts[1:]:
        indptrs.append(np.asarray(part.indptr[1:]) + indptrs[-1][-1])
    return SentenceTokens(
        indptr=np.concatenate(indptrs).astype(np.int64),
        terms=np.concatenate([np.asarray(part.terms) for part in parts]),
        starts=np.concatenate([np.asarray(part.starts) for part in parts]),
        ends=np.concatenate([np.asarray(part.ends) for part in parts]),
    )


def kept(tokens: SentenceTokens, keep: npt.NDArray[np.bool_]) -> SentenceTokens:
    """The tokens of the sentences where ``keep`` is true, in order."""
    counts = np.diff(tokens.indptr)
    keep_tokens = np.repeat(keep, counts)
    return SentenceTokens(
        indptr=_indptr(counts[keep]),
        terms=np.asarray(tokens.terms)[keep_tokens],
        starts=np.asarray(tokens.starts)[keep_tokens],
        ends=np.asarray(tokens.ends)[keep_tokens],
    )
