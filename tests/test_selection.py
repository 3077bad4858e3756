"""Top-k over candidates: best first, ties in sentence order; restricting to a range."""

from __future__ import annotations

import numpy as np

from index.candidates import Candidates
from index.selection import restrict, top_k


def _candidates(ids: list[int], scores: list[float]) -> Candidates:
    return Candidates(np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64))


def test_top_k_breaks_ties_by_id() -> None:
    found = _candidates([2, 5, 7, 9], [1.0, 3.0, 3.0, 0.5])
    assert top_k(found, 3) == [(5, 3.0), (7, 3.0), (2, 1.0)]
    assert top_k(found, 0) == []
    assert top_k(Candidates.empty(), 3) == []


def test_restrict_keeps_one_range() -> None:
    kept = restrict(_candidates([1, 4, 6, 8], [1.0, 2.0, 3.0, 4.0]), 4, 8)
    assert kept.ids.tolist() == [4, 6]
    assert kept.scores.tolist() == [2.0, 3.0]
