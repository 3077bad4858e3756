from __future__ import annotations

import math

import numpy as np
import pytest

from index.ranking.bm25 import (
    BM25Params,
    idf_array,
    lucene_idf,
    tf_weights,
)


def test_lucene_idf_is_positive_even_for_a_term_in_every_sentence() -> None:
    assert lucene_idf(10, 10) > 0
    assert lucene_idf(1, 1) == pytest.approx(math.log(1 + 0.5 / 1.5))
    assert lucene_idf(10, 1) > lucene_idf(10, 5) > lucene_idf(10, 10)


def test_idf_array_matches_the_scalar_formula() -> None:
    df = np.array([1, 5, 10], dtype=np.int64)
    assert idf_array(10, df).tolist() == pytest.approx([lucene_idf(10, int(n)) for n in df])


def test_tf_weights_follow_the_bm25_formula() -> None:
    params = BM25Params(k1=1.2, b=0.75)
    weight = tf_weights(np.array([2.0]), np.array([10.0]), 5.0, params)[0]
    expected = 2 * 2.2 / (2 + 1.2 * (1 - 0.75 + 0.75 * 10 / 5))
    assert weight == pytest.approx(expected)


def test_parameters_are_checked() -> None:
    with pytest.raises(ValueError, match="k1"):
        BM25Params(k1=-1)
    with pytest.raises(ValueError, match="b"):
        BM25Params(b=1.5)
