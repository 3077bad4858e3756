"""A compiled bounded min-heap of (score, sentence id): the best k seen so far.

The root is the worst of the k kept, so a newcomer is compared with it
once. Order: a higher score is better; at equal scores the lower sentence id
(earlier in the corpus) is better, which makes every top-k deterministic.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from index.jit import kernel

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float32s = npt.NDArray[np.float32]
Float64s = npt.NDArray[np.float64]


@kernel
def worse(score_a: float, id_a: int, score_b: float, id_b: int) -> bool:
    """Whether (score_a, id_a) ranks below (score_b, id_b)."""
    return score_a < score_b or (score_a == score_b and id_a > id_b)


@kernel
def _sift_down(ids: Int64s, scores: Float64s, size: int) -> None:
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            return
        if child + 1 < size and worse(scores[child + 1], ids[child + 1], scores[child], ids[child]):
            child += 1
        if not worse(scores[child], ids[child], scores[i], ids[i]):
            return
        ids[i], ids[child] = ids[child], ids[i]
        scores[i], scores[child] = scores[child], scores[i]
        i = child


@kernel
def _sift_up(ids: Int64s, scores: Float64s, i: int) -> None:
    while i > 0:
        parent = (i - 1) // 2
        if not worse(scores[i], ids[i], scores[parent], ids[parent]):
            return
        ids[i], ids[parent] = ids[parent], ids[i]
        scores[i], scores[parent] = scores[parent], scores[i]
        i = parent


@kernel
def offer_all(
    scratch: Float32s, touched: Int32s, count: int, base: int,
    ids: Int64s, scores: Float64s, size: int,
) -> int:  # fmt: skip
    """Put ``touched[:count]`` (ids relative to ``base``, scores in ``scratch``) into the
    heap ``ids``/``scores`` (the best ``len(ids)``, unordered) of ``size`` entries already;
    returns its new size."""
    k = ids.shape[0]
    for i in range(count):
        s, score = touched[i] + base, scratch[touched[i]]
        if size < k:
            ids[size], scores[size] = s, score
            _sift_up(ids, scores, size)
            size += 1
        elif worse(scores[0], ids[0], score, s):
            ids[0], scores[0] = s, score
            _sift_down(ids, scores, size)
    return size
