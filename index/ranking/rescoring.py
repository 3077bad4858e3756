"""Exact BM25 scores of chosen sentences, from raw term frequencies and sentence lengths.

The fast path sums float32 weights precomputed for the index's own average
sentence length (``index.ranking.kernels``): right to about 1e-7 relative.
Its best sentences are rescored here in float64 from the stored term
frequencies and lengths, for corpus statistics given as an argument. That makes
every reported score exact, and it lets several indexes be searched as one:
scored with the statistics of their union (``CorpusStats.plus``), each index's
weights are only approximate (its own average length differs), but the
approximation is bounded, the kernel keeps a band wide enough to hold the exact
best (``band.top_band``), and the rescoring decides. Sums run over the terms
in the order given, so the same sentence under the same statistics gets the same
float64 score, bit for bit, whichever index holds it.

Finding a sentence in a row is most of the rescoring's work, and the re-ranker
needs the same places again (``index.ranking.rerank_gather``): :func:`rescored`
keeps them as :class:`Places`, so the head of the pool is not searched for twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.jit import kernel
from index.ranking.bm25 import BM25Params
from index.ranking.kernels import gallop, read_only

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float64s = npt.NDArray[np.float64]
# float32 keeps 24 bits: each stored weight, product and partial sum is off by at most
# one rounding, relative 2^-24, so a sum over n terms is within about (n + 2) of those.
_FLOAT32_ROUNDING = 2.0**-24


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """What BM25 needs to know of a collection besides one term: how many sentences
    it holds (N) and their total length in terms (for the average, avgdl)."""

    sentences: int
    total_length: int

    @property
    def avgdl(self) -> float:
        """The mean sentence length in terms."""
        return self.total_length / self.sentences if self.sentences else 0.0

    def plus(self, other: CorpusStats) -> CorpusStats:
        """The statistics of both collections together."""
        return CorpusStats(self.sentences + other.sentences, self.total_length + other.total_length)


def weight_error(stored_avgdl: float, avgdl: float) -> float:
    """The largest relative error of a weight computed for ``stored_avgdl`` standing for
    one computed for ``avgdl``.

    ``w = tf (k1 + 1) / (tf + k1 (1 - b) + k1 b |s| / avgdl)``: only the last term of the
    denominator depends on avgdl, so the ratio of the two weights lies between 1 and the
    ratio of the two averages.
    """
    if stored_avgdl <= 0.0 or avgdl <= 0.0:
        return float("inf")
    return max(stored_avgdl / avgdl, avgdl / stored_avgdl) - 1.0


def band_slack(terms: int, weight_error: float, minimum: float) -> float:
    """The ``slack`` for ``band.top_band`` so the band holds the exact best: four times
    the relative error of a float32 sum of ``terms`` terms of weights that are each
    ``weight_error`` off, and at least ``minimum`` (the kernel's pruning slack)."""
    return max(minimum, 4.0 * (weight_error + (terms + 3) * _FLOAT32_ROUNDING))


@dataclass(frozen=True, eq=False)
class Places:
    """Where sentences stand in postings rows: ``at[c, j]`` is the first position of row
    ``terms[j]`` holding a sentence id of at least ``ids[c]`` (the row's end when none;
    -1 for a term the index lacks)."""

    ids: Int64s
    terms: Int64s
    at: Int64s

    def rows(self, order: Int64s) -> Places:
        """The places of sentences ``ids[order]``, in that order."""
        return Places(self.ids[order], self.terms, self.at[order])

    @classmethod
    def none(cls) -> Places:
        """No places known: every lookup searches its row."""
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, np.zeros((0, 0), dtype=np.int64))


def rescored(
    rows: tuple[Int64s, Int32s, npt.NDArray[np.uint16], Int32s],
    terms: Int64s,
    factors: Float64s,
    ids: Int64s,
    stats: CorpusStats,
    params: BM25Params,
) -> tuple[Float64s, Places]:
    """The BM25 score of each sentence ``ids`` (ascending) for the rows ``terms`` (-1: the
    index lacks the term) with their ``factors`` (qtf times idf), under ``stats``, and
    where each sentence stands in each row.

    ``rows`` are the index's ``indptr``, ``sentence_ids``, ``term_freqs`` and ``lengths``.
    """
    scores = np.zeros(ids.shape[0])
    at = np.full((ids.shape[0], terms.shape[0]), -1, dtype=np.int64)
    indptr, sentence_ids, term_freqs, lengths = rows
    _rescore(indptr, sentence_ids, term_freqs, lengths, terms, factors, ids,
             params.k1, params.b, stats.avgdl, scores, at)  # fmt: skip
    return scores, Places(ids, terms, at)


@kernel
def _rescore(
    indptr: Int64s, sentence_ids: Int32s, term_freqs: npt.NDArray[np.uint16], lengths: Int32s,
    terms: Int64s, factors: Float64s, ids: Int64s, k1: float, b: float, avgdl: float,
    scores: Float64s, places: Int64s,
) -> None:  # fmt: skip
    for j in range(terms.shape[0]):
        if terms[j] < 0:
            continue
        at, end = indptr[terms[j]], indptr[terms[j] + 1]
        for c in range(ids.shape[0]):
            at = gallop(sentence_ids, at, end, ids[c])
            places[c, j] = at
            if at < end and sentence_ids[at] == ids[c]:
                count = float(term_freqs[at])
                norm = k1 * (1.0 - b + b * float(lengths[ids[c]]) / avgdl)
                scores[c] += factors[j] * (count * (k1 + 1.0) / (count + norm))


def warm_up() -> None:
    """Load (or compile) the rescoring now rather than on the first question."""
    one = np.zeros(1, dtype=np.int64)
    rows = (
        read_only(np.array([0, 1], dtype=np.int64)),
        read_only(np.zeros(1, dtype=np.int32)),
        read_only(np.ones(1, dtype=np.uint16)),
        read_only(np.ones(1, dtype=np.int32)),
    )
    rescored(rows, one, np.ones(1), one, CorpusStats(1, 1), BM25Params())
