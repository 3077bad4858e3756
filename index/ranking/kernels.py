"""Compiled loops of the fast path: accumulate BM25 scores, keep the best k, skip the rest.

numba compiles these once and caches the machine code beside this module
(``cache=True``), so a process that loads an index does not pay the compile
again; :func:`warm_up` runs them on a toy matrix so even the cache load
happens at start-up, not on the first question. ``nogil=True`` lets other
threads run while one scores: the bot's event loop goes on while its search
thread (``index.service.search_thread``) is in here.

Scores are summed in a float32 scratch array as long as the corpus (4 MB at a
million sentences: half the cache traffic of float64, which measured 0.27
against 0.43 ms p50 at 1M; the sums agree with float64 to about 1e-7); a
sentence is a candidate the first time one of its postings adds to it
(weights and idf are always positive), and the scratch is zeroed again on
the way out, so each query costs its postings, not the corpus.

Pruning (MaxScore, term at a time): terms go in order of their largest
possible contribution (factor times the row's largest weight). Once the
contributions still to come cannot lift a sentence not yet seen above the
k-th best partial score, no new candidate can reach the top k: the
candidates that cannot catch up either are dropped, and the remaining terms
only add to the survivors, looked up by binary search in their rows (rows
hold sentence ids in ascending order). The result is exactly the top k of
the exhaustive sum: float32 partial sums only grow, and ``SLACK`` (far above
the relative rounding of a few hundred float32 additions) keeps rounding from
ever dropping a contender.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from index.ranking.heap import best_of

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float32s = npt.NDArray[np.float32]
Float64s = npt.NDArray[np.float64]

SLACK = 1e-4


@njit(cache=True, nogil=True)
def _lower_bound(sentence_ids: Int32s, begin: int, end: int, value: int) -> int:
    while begin < end:
        middle = (begin + end) >> 1
        if sentence_ids[middle] < value:
            begin = middle + 1
        else:
            end = middle
    return begin


@njit(cache=True, nogil=True)
def _scan(
    indptr: Int64s, sentence_ids: Int32s, weights: Float32s, term: int, factor: float,
    lo: int, hi: int, scratch: Float32s, touched: Int32s, count: int,
) -> int:  # fmt: skip
    begin = _lower_bound(sentence_ids, indptr[term], indptr[term + 1], lo)
    end = _lower_bound(sentence_ids, begin, indptr[term + 1], hi)
    for p in range(begin, end):
        s = sentence_ids[p]
        # Out-of-range ids (a damaged file) are skipped, never written.
        if s < lo or s >= hi:
            continue
        if scratch[s] == 0.0 and count < touched.shape[0]:
            touched[count] = s
            count += 1
        scratch[s] += factor * weights[p]
    return count


@njit(cache=True, nogil=True)
def _survivors(scratch: Float32s, touched: Int32s, count: int, floor: float) -> int:
    kept = 0
    for i in range(count):
        s = touched[i]
        if scratch[s] >= floor:
            touched[kept] = s
            kept += 1
        else:
            scratch[s] = 0.0
    return kept


@njit(cache=True, nogil=True)
def _probe(
    indptr: Int64s, sentence_ids: Int32s, weights: Float32s, term: int, factor: float,
    scratch: Float32s, touched: Int32s, count: int,
) -> None:  # fmt: skip
    begin, end = indptr[term], indptr[term + 1]
    if count * 4 * np.log2(end - begin + 2) >= end - begin:
        for p in range(begin, end):  # many survivors: one pass over the row is cheaper
            s = sentence_ids[p]
            if 0 <= s < scratch.shape[0] and scratch[s] > 0.0:
                scratch[s] += factor * weights[p]
        return
    for i in range(count):
        s = touched[i]
        p = _lower_bound(sentence_ids, begin, end, s)
        if p < end and sentence_ids[p] == s:
            scratch[s] += factor * weights[p]


@njit(cache=True, nogil=True)
def top_scores(
    indptr: Int64s, sentence_ids: Int32s, weights: Float32s,
    terms: Int64s, factors: Float64s, bounds: Float64s, lo: int, hi: int,
    scratch: Float32s, touched: Int32s, ids: Int64s, scores: Float64s,
) -> int:  # fmt: skip
    """Fill ``ids``/``scores`` with the best ``len(ids)`` sentences, unordered; returns how many.

    ``terms`` must come in decreasing order of ``bounds`` (factor times row maximum).
    """
    hi = min(hi, scratch.shape[0])
    remaining = np.zeros(terms.shape[0] + 1)
    for j in range(terms.shape[0] - 1, -1, -1):
        remaining[j] = remaining[j + 1] + bounds[j]
    count, j, k = 0, 0, ids.shape[0]
    while j < terms.shape[0]:
        count = _scan(indptr, sentence_ids, weights, terms[j], factors[j],
                      lo, hi, scratch, touched, count)  # fmt: skip
        j += 1
        # The k-th best partial score is at most the bounds summed so far: skip the heap until
        # that could exceed what is still to come.
        if remaining[0] - remaining[j] <= remaining[j]:
            continue
        if j < terms.shape[0] and count >= k and best_of(scratch, touched, count, ids, scores) == k:
            threshold = scores[0] * (1.0 - SLACK)
            if remaining[j] < threshold:
                count = _survivors(scratch, touched, count, threshold - remaining[j])
                break
    for rest in range(j, terms.shape[0]):
        _probe(indptr, sentence_ids, weights, terms[rest], factors[rest], scratch, touched, count)
    found = best_of(scratch, touched, count, ids, scores)
    for i in range(count):
        scratch[touched[i]] = 0.0
    return int(found)


@njit(cache=True, nogil=True)
def all_scores(
    indptr: Int64s, sentence_ids: Int32s, weights: Float32s, terms: Int64s, factors: Float64s,
    scratch: Float32s, touched: Int32s, scores: Float64s,
) -> int:  # fmt: skip
    """Every candidate: ids in ``touched[:n]``, scores in ``scores[:n]``; returns ``n``."""
    count = 0
    for j in range(terms.shape[0]):
        count = _scan(indptr, sentence_ids, weights, terms[j], factors[j],
                      0, scratch.shape[0], scratch, touched, count)  # fmt: skip
    for i in range(count):
        scores[i] = scratch[touched[i]]
        scratch[touched[i]] = 0.0
    return int(count)


@njit(cache=True, nogil=True)
def weigh_postings(
    tf: npt.NDArray[np.uint16], sentence_ids: Int32s, lengths: Int32s,
    k1: float, b: float, avgdl: float, out: Float32s,
) -> None:  # fmt: skip
    """:func:`index.bm25.tf_weights` for every posting in one pass, the same operations in
    the same order (so the same float64 results), stored as float32."""
    for p in range(tf.shape[0]):
        count = float(tf[p])
        norm = k1 * (1.0 - b + b * float(lengths[sentence_ids[p]]) / avgdl)
        out[p] = count * (k1 + 1.0) / (count + norm)


@njit(cache=True, nogil=True)
def _gallop(sentence_ids: Int32s, begin: int, end: int, value: int) -> int:
    """:func:`_lower_bound` for a value expected near ``begin``: steps of 1, 2, 4 ... first,
    so ascending lookups in one row touch few cache lines."""
    high, step = begin, 1
    while high < end and sentence_ids[high] < value:
        begin = high + 1
        high = begin + step
        step <<= 1
    return _lower_bound(sentence_ids, begin, min(high, end), value)


@njit(cache=True, nogil=True)
def match_terms(
    indptr: Int64s, sentence_ids: Int32s, weights: Float32s, firsts: npt.NDArray[np.uint8],
    terms: Int64s, ids: Int64s, lo: Int64s, hi: Int64s,
    weight: Float64s, position: Int32s, before: npt.NDArray[np.bool_], df: Int64s,
) -> None:  # fmt: skip
    """For candidate ``c`` and question term ``t`` (row ``terms[t]``, -1 when unknown):
    its weight and first position in the sentence (-1: absent), whether the sentence
    before holds it, and how many sentences in ``[lo[c], hi[c])`` (its article) do.
    ``ids`` must ascend (so must ``lo`` and ``hi`` with them). Outputs are
    ``(candidates, terms)`` arrays, zeroed or -1 by the caller."""
    for t in range(terms.shape[0]):
        if terms[t] < 0:
            continue
        begin, end = indptr[terms[t]], indptr[terms[t] + 1]
        at, first, last = begin, begin, begin
        for c in range(ids.shape[0]):
            at = _gallop(sentence_ids, at, end, ids[c])
            if at < end and sentence_ids[at] == ids[c]:
                weight[c, t] = weights[at]
                position[c, t] = firsts[at]
            before[c, t] = at > begin and sentence_ids[at - 1] == ids[c] - 1
            first = _gallop(sentence_ids, first, end, lo[c])
            last = _gallop(sentence_ids, last, end, hi[c])
            df[c, t] = last - first


def read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """A plain read-only view: what the kernels are compiled for, mapped from disk or not."""
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view


_warm = False


def warm_up() -> None:
    """Load (or compile) the kernels now rather than on the first question; once per process."""
    global _warm
    if _warm:
        return
    indptr = read_only(np.array([0, 2, 3], dtype=np.int64))
    sentence_ids = read_only(np.array([0, 1, 1], dtype=np.int32))
    weights = read_only(np.ones(3, dtype=np.float32))
    terms, factors = np.arange(2, dtype=np.int64), np.array([2.0, 1.0])
    scratch, touched = np.zeros(2, dtype=np.float32), np.zeros(2, dtype=np.int32)
    ids, best = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.float64)
    top_scores(indptr, sentence_ids, weights, terms, factors, factors.copy(), 0, 2,
               scratch, touched, ids, best)  # fmt: skip
    everyone = np.zeros(2, dtype=np.float64)
    all_scores(indptr, sentence_ids, weights, terms, factors, scratch, touched, everyone)
    firsts = read_only(np.zeros(3, dtype=np.uint8))
    grid = (1, 2)
    match_terms(indptr, sentence_ids, weights, firsts, terms, ids, ids, ids + 2,
                np.zeros(grid), np.full(grid, -1, dtype=np.int32),
                np.zeros(grid, dtype=np.bool_), np.zeros(grid, dtype=np.int64))  # fmt: skip
    _warm = True
