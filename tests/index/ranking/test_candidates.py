"""Candidates: the empty answer is empty and typed; weighted sums cover both sides."""

from __future__ import annotations

import numpy as np

from index.ranking.candidates import Candidates


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
