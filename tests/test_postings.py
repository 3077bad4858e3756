from __future__ import annotations

import numpy as np
import pytest

from index.bm25 import BM25Params, EmptyIndexError, tf_weights
from index.postings import build_postings


def test_rows_hold_sentences_in_order_with_their_weights() -> None:
    params = BM25Params()
    postings = build_postings([["a", "b", "a"], ["b"], ["c", "a"]], params)
    a = postings.vocabulary.index("a")
    ids, weights = postings.row(a)
    assert ids.tolist() == [0, 2]
    avgdl = 2.0
    expected = tf_weights(np.array([2.0, 1.0]), np.array([3.0, 2.0]), avgdl, params)
    assert weights.tolist() == pytest.approx(expected.tolist(), rel=1e-6)
    assert postings.doc_freq().tolist() == [2, 2, 1]
    assert postings.sentence_count == 3
    assert postings.avgdl == pytest.approx(2.0)


def test_a_sentence_without_terms_still_counts_toward_n() -> None:
    postings = build_postings([["a"], []], BM25Params())
    assert postings.sentence_count == 2
    assert postings.idf()[0] > 0


def test_nothing_to_index_is_an_error() -> None:
    with pytest.raises(EmptyIndexError):
        build_postings([], BM25Params())
    with pytest.raises(EmptyIndexError):
        build_postings([[], []], BM25Params())
