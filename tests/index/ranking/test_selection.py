from __future__ import annotations

import numpy as np

from index.ranking.engines import Candidates
from index.ranking.selection import restrict, top_k


def candidates(ids: list[int], scores: list[float]) -> Candidates:
    return Candidates(np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64))


def test_best_first_and_ties_in_document_order() -> None:
    found = candidates([3, 5, 8, 9, 12], [1.0, 2.0, 2.0, 0.5, 2.0])
    assert top_k(found, 3) == [(5, 2.0), (8, 2.0), (12, 2.0)]
    assert top_k(found, 2) == [(5, 2.0), (8, 2.0)]


def test_k_larger_than_the_candidates_and_k_zero() -> None:
    found = candidates([1, 2], [0.1, 0.3])
    assert top_k(found, 10) == [(2, 0.3), (1, 0.1)]
    assert top_k(found, 0) == []
    assert top_k(Candidates.empty(), 5) == []


def test_restrict_keeps_one_range_of_ids() -> None:
    found = restrict(candidates([1, 4, 6, 9], [1, 2, 3, 4]), 4, 9)
    assert found.ids.tolist() == [4, 6]
    assert found.scores.tolist() == [2, 3]
