"""The bounded heap keeps the best k: higher score first, then the lower sentence id."""

from __future__ import annotations

import numpy as np

from index.ranking.heap import offer_all, worse


def test_worse_orders_by_score_then_by_id() -> None:
    assert worse(1.0, 0, 2.0, 5)
    assert worse(2.0, 7, 2.0, 3)
    assert not worse(2.0, 3, 2.0, 7)


def test_offer_all_keeps_the_k_best_and_leaves_scratch_alone() -> None:
    scratch = np.array([0.5, 3.0, 1.0, 3.0, 2.0], dtype=np.float32)
    touched = np.array([4, 0, 3, 1, 2], dtype=np.int32)
    ids, scores = np.zeros(3, dtype=np.int64), np.zeros(3)
    assert offer_all(scratch, touched, 5, 0, ids, scores, 0) == 3
    order = np.lexsort((ids, -scores))
    assert ids[order].tolist() == [1, 3, 4]
    assert scratch.tolist() == [0.5, 3.0, 1.0, 3.0, 2.0]


def test_fewer_candidates_than_k() -> None:
    scratch = np.array([1.0, 2.0], dtype=np.float32)
    ids, scores = np.zeros(5, dtype=np.int64), np.zeros(5)
    assert offer_all(scratch, np.array([1, 0], dtype=np.int32), 2, 0, ids, scores, 0) == 2
