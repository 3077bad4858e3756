"""The band's own pieces: the floor of a window's k-th best, and the survivors' bit map.

Whole searches through ``band.top_band`` (exact against a full sort, pruned or not, in
windows) are tested in ``test_kernels.py``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking import band, kernels


def _scratch(scores: list[float]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
    """A scratch holding ``scores`` at sentences 0, 1, ... and the list of them touched."""
    scratch = np.zeros(max(len(scores), 1), dtype=np.float32)
    scratch[: len(scores)] = scores
    return scratch, np.arange(max(len(scores), 1), dtype=np.int32)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(2.0**-10, 50.0, width=32), min_size=1, max_size=300),
    st.integers(1, 120),
)
def test_the_floor_is_at_most_the_kth_best_and_within_one_bucket_of_it(
    scores: list[float], k: int
) -> None:
    scratch, touched = _scratch(scores)
    top = float(max(scores))
    floor = band._kth_floor(scratch, touched, len(scores), k, top)
    if len(scores) < k:
        assert floor == 0.0  # fewer than k candidates: no k-th best to prune with
        return
    kth = float(np.sort(scratch[: len(scores)])[::-1][k - 1])
    assert floor <= kth
    assert floor >= kth - top / band.BUCKETS - 1e-9


def test_the_floor_counts_ties_and_sums_above_the_bound_given() -> None:
    scratch, touched = _scratch([4.0, 4.0, 4.0, 9.0])
    # Three sums tie for the 2nd best; a sum above ``top`` (float32 rounding) still counts.
    assert band._kth_floor(scratch, touched, 4, 2, 8.0) == 4.0
    assert band._kth_floor(scratch, touched, 4, 5, 8.0) == 0.0


def test_probing_a_row_adds_to_marked_survivors_only_and_leaves_no_mark() -> None:
    window = 200
    scratch = np.zeros(window, dtype=np.float32)
    touched = np.zeros(window, dtype=np.int32)
    marks = band.marks_for(window)
    survivors = [3, 64, 65, 130]
    for s in survivors:
        scratch[s] = 1.0
    touched[: len(survivors)] = survivors
    row = kernels.read_only(np.arange(window, dtype=np.int32))  # every sentence: a pass
    weights = kernels.read_only(np.full(window, 0.5, dtype=np.float32))
    band._mark(touched, len(survivors), marks, True)
    band._probe(row, weights, 0, window, 2.0, 0, scratch, touched, len(survivors), marks)
    band._mark(touched, len(survivors), marks, False)
    assert np.flatnonzero(scratch).tolist() == survivors
    assert scratch[survivors].tolist() == [2.0] * len(survivors)
    assert not marks.any()


def test_few_survivors_are_looked_up_in_a_long_row_in_any_order() -> None:
    window = 4000
    scratch = np.zeros(window, dtype=np.float32)
    touched = np.zeros(window, dtype=np.int32)
    marks = band.marks_for(window)
    survivors = [3001, 17, 950, 2]  # as candidates arrive: not in id order
    scratch[survivors] = 1.0
    touched[: len(survivors)] = survivors
    row = kernels.read_only(np.arange(0, window, 2, dtype=np.int32))  # even ids only
    weights = kernels.read_only(np.full(row.shape[0], 0.25, dtype=np.float32))
    band._mark(touched, len(survivors), marks, True)
    band._probe(row, weights, 0, row.shape[0], 2.0, 0, scratch, touched, len(survivors), marks)
    assert sorted(np.flatnonzero(scratch).tolist()) == sorted(survivors)
    # The even ids hold the term, the odd ones do not.
    assert [float(scratch[s]) for s in survivors] == [1.0, 1.0, 1.5, 1.5]
