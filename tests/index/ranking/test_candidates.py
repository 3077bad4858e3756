"""Candidates: the empty answer is empty and typed; weighted sums cover both sides."""

from __future__ import annotations

import numpy as np

from index.ranking.candidates import Candidates, with_unmatched


def test_empty_has_no_ids_and_typed_arrays() -> None:
    empty = Candidates.empty()
    assert empty.ids.shape == (0,) and empty.ids.dtype == np.int64
    assert empty.scores.shape == (0,) and empty.scores.dtype == np.float64


def test_plus_adds_weighted_scores_over_the_union_of_ids() -> None:
    one = Candidates(np.array([1, 4], dtype=np.int64), np.array([3.0, 2.0]))
    two = Candidates(np.array([0, 4], dtype=np.int64), np.array([1.0, 4.0]))
    both = one.plus(two, 0.5)
    assert both.ids.tolist() == [0, 1, 4]
    assert both.scores.tolist() == [0.5, 3.0, 4.0]
    assert one.plus(Candidates.empty(), 0.5).scores.tolist() == [3.0, 2.0]


def test_with_unmatched_appends_the_other_ids_in_order_up_to_size() -> None:
    pool = [(7, 2.0), (5, 1.0)]
    assert with_unmatched(pool, range(4, 9), 10) == [
        (7, 2.0), (5, 1.0), (4, 0.0), (6, 0.0), (8, 0.0)
    ]  # fmt: skip
    assert with_unmatched(pool, range(4, 9), 3) == [(7, 2.0), (5, 1.0), (4, 0.0)]
    assert with_unmatched(pool, range(5, 8), 2) is pool
    assert with_unmatched([], range(0, 2), 5) == [(0, 0.0), (1, 0.0)]
