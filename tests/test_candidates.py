"""Candidates: the empty answer is empty and typed."""

from __future__ import annotations

import numpy as np

from index.candidates import Candidates


def test_empty_has_no_ids_and_typed_arrays() -> None:
    empty = Candidates.empty()
    assert empty.ids.shape == (0,) and empty.ids.dtype == np.int64
    assert empty.scores.shape == (0,) and empty.scores.dtype == np.float64
