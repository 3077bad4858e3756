"""Inverted postings with precomputed BM25 weights, in compressed sparse row form.

Row ``t`` of the term-by-sentence matrix holds, for every sentence containing
term ``t``, the sentence id and the query-independent part of its BM25 score
(:func:`index.bm25.tf_weights`). A query then only touches the rows of its own
terms: ``score(s) = sum_t qtf(t) * idf(t) * weight(t, s)``.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from index.errors import EmptyIndexError
from index.ranking import kernels
from index.ranking.bm25 import MAX_POSITION, BM25Params, idf_array


@dataclass(frozen=True, eq=False)
class Postings:
    """The term rows of the BM25 matrix and the statistics they were computed with."""

    vocabulary: tuple[str, ...]
    indptr: npt.NDArray[np.int64]
    sentence_ids: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]
    lengths: npt.NDArray[np.int32]
    params: BM25Params
    # Raw term frequencies beside the weights, so adding or removing a document can
    # re-weigh every posting for the new average length without re-analysing text.
    term_freqs: npt.NDArray[np.uint16] | None = None
    # Each row's largest weight: the bound that lets a query skip what cannot reach its top k.
    row_max: npt.NDArray[np.float32] | None = None
    # Where each term first occurs among its sentence's terms (capped at 255): the re-ranker's
    # proximity evidence, without reading the sentence.
    first_positions: npt.NDArray[np.uint8] | None = None

    @property
    def sentence_count(self) -> int:
        """N, the number of sentences (rows of the sentence side)."""
        return int(self.lengths.shape[0])

    @property
    def avgdl(self) -> float:
        """The mean sentence length in terms."""
        return float(self.lengths.mean()) if self.sentence_count else 0.0

    def doc_freq(self) -> npt.NDArray[np.int64]:
        """n(t) for every term: how many sentences contain it."""
        return np.diff(self.indptr)

    def idf(self) -> npt.NDArray[np.float64]:
        """Lucene idf for every term."""
        return idf_array(self.sentence_count, self.doc_freq())

    def row_maxima(self) -> npt.NDArray[np.float32]:
        """The largest weight of every row (0 for an empty row)."""
        return self.row_max if self.row_max is not None else row_maxima(self.indptr, self.weights)

    def stored_term_freqs(self) -> npt.NDArray[np.uint16]:
        """The raw term frequencies; ``ValueError`` for postings built without them."""
        if self.term_freqs is None:
            raise ValueError("these postings carry no term frequencies; rebuild the index")
        return self.term_freqs

    def stored_first_positions(self) -> npt.NDArray[np.uint8]:
        """The terms' first positions; ``ValueError`` for postings built without them."""
        if self.first_positions is None:
            raise ValueError("these postings carry no term positions; rebuild the index")
        return self.first_positions

    def row(self, term_id: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """Sentence ids and weights of one term."""
        lo, hi = int(self.indptr[term_id]), int(self.indptr[term_id + 1])
        return self.sentence_ids[lo:hi], self.weights[lo:hi]


def build_postings(term_lists: Iterable[Sequence[str]], params: BM25Params) -> Postings:
    """Postings for sentences given as term lists, in sentence order."""
    vocabulary: dict[str, int] = {}
    term_ids, sentence_ids, tfs = array("i"), array("i"), array("f")
    lengths, firsts = array("i"), array("B")
    for sentence_id, terms in enumerate(term_lists):
        lengths.append(len(terms))
        positions = first_positions(terms)
        for term, tf in Counter(terms).items():
            term_ids.append(vocabulary.setdefault(term, len(vocabulary)))
            sentence_ids.append(sentence_id)
            tfs.append(tf)
            firsts.append(positions[term])
    return assemble_postings(
        tuple(vocabulary),
        np.frombuffer(term_ids, dtype=np.int32),
        np.frombuffer(sentence_ids, dtype=np.int32),
        np.frombuffer(tfs, dtype=np.float32),
        np.frombuffer(lengths, dtype=np.int32),
        params,
        np.frombuffer(firsts, dtype=np.uint8),
    )


def first_positions(terms: Sequence[str]) -> dict[str, int]:
    """Each term's first position in ``terms``, capped at 255 (it is stored in a byte)."""
    first = dict(zip(reversed(terms), range(len(terms) - 1, -1, -1), strict=True))
    return {term: min(first[term], MAX_POSITION) for term in dict.fromkeys(terms)}


def assemble_postings(
    vocabulary: tuple[str, ...],
    term_ids: npt.NDArray[np.int32],
    sentence_ids: npt.NDArray[np.int32],
    tfs: npt.NDArray[Any],
    lengths: npt.NDArray[np.int32],
    params: BM25Params,
    firsts: npt.NDArray[np.uint8],
) -> Postings:
    """Postings from one (term id, sentence id, tf, first position) entry per term and
    sentence.

    The entries must come in sentence order; ``lengths`` holds every
    sentence's length in terms. Raises ``EmptyIndexError`` when there is
    nothing to index.
    """
    if not lengths.shape[0]:
        raise EmptyIndexError("cannot build a BM25 index over zero sentences")
    if not vocabulary:
        raise EmptyIndexError("no sentence has a single indexable word")
    # A stable sort keeps each row's sentences in document order.
    order = np.argsort(term_ids, kind="stable")
    sentences = np.ascontiguousarray(sentence_ids[order], dtype=np.int32)
    tf = np.minimum(tfs[order], np.iinfo(np.uint16).max).astype(np.uint16)
    length = np.array(lengths, dtype=np.int32)
    indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_ids, minlength=len(vocabulary)), out=indptr[1:])
    weights = weigh(tf, sentences, length, params)
    return Postings(
        vocabulary=vocabulary,
        indptr=indptr,
        sentence_ids=sentences,
        weights=weights,
        lengths=length,
        params=params,
        term_freqs=tf,
        row_max=row_maxima(indptr, weights),
        first_positions=np.ascontiguousarray(firsts[order], dtype=np.uint8),
    )


def row_maxima(
    indptr: npt.NDArray[np.int64], weights: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """The largest weight of every row of a CSR matrix (0 for an empty row)."""
    result = np.zeros(indptr.shape[0] - 1, dtype=np.float32)
    filled = np.flatnonzero(np.diff(indptr) > 0)
    if filled.shape[0]:
        result[filled] = np.maximum.reduceat(np.asarray(weights), indptr[filled])
    return result


def weigh(
    tf: npt.NDArray[np.uint16],
    sentence_ids: npt.NDArray[np.int32],
    lengths: npt.NDArray[np.int32],
    params: BM25Params,
) -> npt.NDArray[np.float32]:
    """Every posting's weight (:func:`index.bm25.tf_weights`) for the current average length.

    Compiled, in one pass: re-weighing a million sentences' postings after adding
    or removing an article takes tens of milliseconds, not a second.
    """
    avgdl = float(lengths.mean()) if lengths.shape[0] else 0.0
    weights = np.zeros(tf.shape[0], dtype=np.float32)
    if avgdl > 0.0:
        kernels.weigh_postings(
            np.ascontiguousarray(tf, dtype=np.uint16),
            np.ascontiguousarray(sentence_ids, dtype=np.int32),
            np.ascontiguousarray(lengths, dtype=np.int32),
            params.k1, params.b, avgdl, weights,
        )  # fmt: skip
    return weights
