"""Top-k selection with a total order: higher score first, then document order."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from index.ranking.candidates import Candidates


def top_k(candidates: Candidates, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (sentence id, score) pairs; equal scores go in sentence-id order.

    ``argpartition`` finds the k-th best score in linear time; every candidate
    scoring at least that much is then sorted, so ties at the cut are broken by
    id rather than by the partition's arbitrary order.
    """
    count = candidates.ids.shape[0]
    if k <= 0 or count == 0:
        return []
    scores = candidates.scores
    if count > k:
        kth = np.partition(scores, count - k)[count - k]
        keep = np.flatnonzero(scores >= kth)
    else:
        keep = np.arange(count)
    order = np.lexsort((candidates.ids[keep], -scores[keep]))[:k]
    chosen: npt.NDArray[np.int64] = keep[order]
    return [(int(candidates.ids[i]), float(scores[i])) for i in chosen]


def restrict(candidates: Candidates, lo: int, hi: int) -> Candidates:
    """Only the candidates with ``lo <= id < hi`` (one document's sentences)."""
    first, last = np.searchsorted(candidates.ids, [lo, hi])
    return Candidates(candidates.ids[first:last], candidates.scores[first:last])
