"""Compiled loops of the fast path: accumulate BM25 scores, then keep the best k.

numba compiles these once and caches the machine code beside this module
(``cache=True``), so a process that loads an index does not pay the compile
again; :func:`warm_up` runs them on a toy matrix so even the cache load
happens at start-up, not on the first question. ``nogil=True`` lets searches
on other threads (the bot's ``asyncio.to_thread``) run while one scores.

Scores are summed in float64 in a scratch array as long as the corpus; a
sentence is a candidate the first time one of its postings adds to it
(weights and idf are always positive), and the scratch is zeroed again on
the way out, so each query costs its postings, not the corpus.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float32s = npt.NDArray[np.float32]
Float64s = npt.NDArray[np.float64]


@njit(cache=True, nogil=True)
def _accumulate(
    indptr: Int64s,
    sentence_ids: Int32s,
    weights: Float32s,
    terms: Int64s,
    factors: Float64s,
    lo: int,
    hi: int,
    scratch: Float64s,
    touched: Int32s,
) -> int:
    count = 0
    limit = min(hi, scratch.shape[0])
    for j in range(terms.shape[0]):
        factor = factors[j]
        for p in range(indptr[terms[j]], indptr[terms[j] + 1]):
            s = sentence_ids[p]
            # Out-of-range ids (another document, or a damaged file) are skipped, never written.
            if s < lo or s >= limit:
                continue
            if scratch[s] == 0.0 and count < touched.shape[0]:
                touched[count] = s
                count += 1
            scratch[s] += factor * weights[p]
    return count


@njit(cache=True, nogil=True)
def _worse(score_a: float, id_a: int, score_b: float, id_b: int) -> bool:
    return score_a < score_b or (score_a == score_b and id_a > id_b)


@njit(cache=True, nogil=True)
def _sift_down(ids: Int64s, scores: Float64s, size: int) -> None:
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            return
        if child + 1 < size and _worse(
            scores[child + 1], ids[child + 1], scores[child], ids[child]
        ):
            child += 1
        if not _worse(scores[child], ids[child], scores[i], ids[i]):
            return
        ids[i], ids[child] = ids[child], ids[i]
        scores[i], scores[child] = scores[child], scores[i]
        i = child


@njit(cache=True, nogil=True)
def _sift_up(ids: Int64s, scores: Float64s, i: int) -> None:
    while i > 0:
        parent = (i - 1) // 2
        if not _worse(scores[i], ids[i], scores[parent], ids[parent]):
            return
        ids[i], ids[parent] = ids[parent], ids[i]
        scores[i], scores[parent] = scores[parent], scores[i]
        i = parent


@njit(cache=True, nogil=True)
def _select(scratch: Float64s, touched: Int32s, count: int, ids: Int64s, scores: Float64s) -> int:
    # A min-heap whose root is the worst of the best k kept so far.
    k, size = ids.shape[0], 0
    for i in range(count):
        s = touched[i]
        score = scratch[s]
        scratch[s] = 0.0
        if size < k:
            ids[size], scores[size] = s, score
            _sift_up(ids, scores, size)
            size += 1
        elif _worse(scores[0], ids[0], score, s):
            ids[0], scores[0] = s, score
            _sift_down(ids, scores, size)
    return size


@njit(cache=True, nogil=True)
def top_scores(
    indptr: Int64s,
    sentence_ids: Int32s,
    weights: Float32s,
    terms: Int64s,
    factors: Float64s,
    lo: int,
    hi: int,
    scratch: Float64s,
    touched: Int32s,
    ids: Int64s,
    scores: Float64s,
) -> int:
    """Fill ``ids``/``scores`` with the best ``len(ids)`` sentences, unordered; returns how many."""
    count = _accumulate(indptr, sentence_ids, weights, terms, factors, lo, hi, scratch, touched)
    return int(_select(scratch, touched, count, ids, scores))


@njit(cache=True, nogil=True)
def all_scores(
    indptr: Int64s,
    sentence_ids: Int32s,
    weights: Float32s,
    terms: Int64s,
    factors: Float64s,
    scratch: Float64s,
    touched: Int32s,
    scores: Float64s,
) -> int:
    """Every candidate: ids in ``touched[:n]``, scores in ``scores[:n]``; returns ``n``."""
    count = _accumulate(
        indptr, sentence_ids, weights, terms, factors, 0, scratch.shape[0], scratch, touched
    )
    for i in range(count):
        scores[i] = scratch[touched[i]]
        scratch[touched[i]] = 0.0
    return int(count)


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
    indptr = read_only(np.array([0, 2], dtype=np.int64))
    sentence_ids = read_only(np.array([0, 1], dtype=np.int32))
    weights = read_only(np.ones(2, dtype=np.float32))
    terms, factors = np.zeros(1, dtype=np.int64), np.ones(1, dtype=np.float64)
    scratch, touched = np.zeros(2, dtype=np.float64), np.zeros(2, dtype=np.int32)
    ids, best = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.float64)
    top_scores(indptr, sentence_ids, weights, terms, factors, 0, 2, scratch, touched, ids, best)
    everyone = np.zeros(2, dtype=np.float64)
    all_scores(indptr, sentence_ids, weights, terms, factors, scratch, touched, everyone)
    _warm = True
