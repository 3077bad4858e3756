"""Postings: rows in sentence order, weights from one BM25 definition, raw counts kept."""

from __future__ import annotations

import numpy as np
import pytest

from index.errors import EmptyIndexError
from index.ranking.bm25 import BM25Params, tf_weights
from index.ranking.postings import build_postings, first_positions, weigh


def test_rows_hold_sentences_in_order_with_counts() -> None:
    postings = build_postings([["a", "b", "a"], ["b"], ["c", "a"]], BM25Params())
    row = postings.vocabulary.index("a")
    ids, _ = postings.row(row)
    assert ids.tolist() == [0, 2]
    assert postings.term_freqs is not None
    lo = int(postings.indptr[row])
    assert postings.term_freqs[lo : lo + 2].tolist() == [2, 1]
    assert postings.doc_freq().tolist() == [2, 2, 1]


def test_weights_follow_bm25() -> None:
    params = BM25Params(1.5, 0.5)
    postings = build_postings([["a", "a", "b"], ["a"]], params)
    _, weights = postings.row(0)
    expected = tf_weights(np.array([2.0, 1.0]), np.array([3.0, 1.0]), 2.0, params)
    assert weights.tolist() == pytest.approx(expected.tolist(), rel=1e-6)


def test_weigh_recomputes_for_new_lengths() -> None:
    postings = build_postings([["a", "b"], ["a"]], BM25Params())
    assert postings.term_freqs is not None
    again = weigh(postings.term_freqs, postings.sentence_ids, postings.lengths, postings.params)
    assert np.array_equal(again, postings.weights)


def test_empty_input_is_refused() -> None:
    with pytest.raises(EmptyIndexError):
        build_postings([], BM25Params())
    with pytest.raises(EmptyIndexError):
        build_postings([[], []], BM25Params())


def test_compiled_weights_equal_the_bm25_definition_exactly() -> None:
    rng = np.random.default_rng(7)
    tf = rng.integers(1, 9, 500).astype(np.uint16)
    lengths = rng.integers(0, 40, 60).astype(np.int32)
    lengths[0] = 3
    sentences = rng.integers(0, 60, 500).astype(np.int32)
    params = BM25Params(1.3, 0.8)
    avgdl = float(lengths.mean())
    expected = tf_weights(
        tf.astype(np.float64), lengths[sentences].astype(np.float64), avgdl, params
    )
    assert np.array_equal(weigh(tf, sentences, lengths, params), expected.astype(np.float32))


# --- from the core suite ---


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


def test_first_positions_are_first_occurrences_capped_at_a_byte() -> None:
    assert first_positions(["a", "b", "a", "c"]) == {"a": 0, "b": 1, "c": 3}
    assert first_positions([*(["x"] * 300), "late"]) == {"x": 0, "late": 255}
    postings = build_postings([["a", "b", "a"], ["b", "c"]], BM25Params())
    rows = {
        term: postings.stored_first_positions()[
            postings.indptr[i] : postings.indptr[i + 1]
        ].tolist()
        for i, term in enumerate(postings.vocabulary)
    }
    assert rows == {"a": [0], "b": [1, 0], "c": [1]}
