"""Compiled loops of the fast path: binary searches, every candidate's score, the weights.

numba compiles these once and caches the machine code beside this module
(``cache=True``), so a process that loads an index does not pay the compile
again; :func:`warm_up` runs them on a toy matrix so even the cache load
happens at start-up, not on the first question. ``nogil=True`` lets other
threads run while one scores: the bot's event loop goes on while its search
thread (``index.service.search_thread``) is in here. The top-k kernel with its
pruning is ``index.ranking.band``.

Scores are summed in a float32 scratch array (4 MB at a million sentences:
half the cache traffic of float64, which measured 0.27 against 0.43 ms p50 at
1M; the sums agree with float64 to about 1e-7); a sentence is a candidate the
first time one of its postings adds to it (weights and idf are always
positive), and the scratch is zeroed again on the way out, so each query
costs its postings, not the corpus.

Pruning (MaxScore, term at a time, in ``band``): terms go in order of their
largest possible contribution (factor times the row's largest weight). Once
the contributions still to come cannot lift a sentence not yet seen above the
k-th best partial score, no new candidate can reach the top k: the candidates
that cannot catch up either are dropped, and the remaining terms only add to
the survivors, looked up by binary search in their rows (rows hold sentence
ids in ascending order). Float32 partial sums only grow, and ``SLACK`` (far
above the relative rounding of a few hundred float32 additions) keeps rounding
from ever dropping a contender.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from index.jit import kernel

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float32s = npt.NDArray[np.float32]
Float64s = npt.NDArray[np.float64]

SLACK = 1e-4


@kernel
def lower_bound(sentence_ids: Int32s, begin: int, end: int, value: int) -> int:
    while begin < end:
        middle = (begin + end) >> 1
        if sentence_ids[middle] < value:
            begin = middle + 1
        else:
            end = middle
    return begin


@kernel
def all_scores(
    indptr: Int64s, sentence_ids: Int32s, weights: Float32s, terms: Int64s, factors: Float64s,
    scratch: Float32s, touched: Int32s, scores: Float64s,
) -> int:  # fmt: skip
    """Every candidate: ids in ``touched[:n]``, scores in ``scores[:n]``; returns ``n``."""
    count = 0
    for j in range(terms.shape[0]):
        for p in range(indptr[terms[j]], indptr[terms[j] + 1]):
            s = sentence_ids[p]
            # Out-of-range ids (a damaged file) are skipped, never written.
            if s < 0 or s >= scratch.shape[0]:
                continue
            if scratch[s] == 0.0 and count < touched.shape[0]:
                touched[count] = s
                count += 1
            scratch[s] += factors[j] * weights[p]
    for i in range(count):
        scores[i] = scratch[touched[i]]
        scratch[touched[i]] = 0.0
    return int(count)


@kernel
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


@kernel
def gallop(sentence_ids: Int32s, begin: int, end: int, value: int) -> int:
    """The first position in ``[begin, end)`` holding at least ``value`` (ids ascend),
    stepping 1, 2, 4 ... from ``begin`` first: ascending lookups walk a row once and
    touch few cache lines."""
    high, step = begin, 1
    while high < end and sentence_ids[high] < value:
        begin = high + 1
        high = begin + step
        step <<= 1
    return lower_bound(sentence_ids, begin, min(high, end), value)


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
    everyone = np.zeros(2, dtype=np.float64)
    all_scores(indptr, sentence_ids, weights, terms, factors, scratch, touched, everyone)
    _warm = True
