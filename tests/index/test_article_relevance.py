"""An article's relevance: its best three candidate scores, each worth half the one before."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.article_relevance import article_relevance


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.floats(0.01, 10.0)), min_size=1, max_size=60))
def test_article_relevance_is_its_best_three_scores_halving(pool: list[tuple[int, float]]) -> None:
    docs = np.array([doc for doc, _ in pool], dtype=np.int64)
    scores = np.array([score for _, score in pool])
    by_doc: dict[int, list[float]] = {}
    for doc, score in pool:
        by_doc.setdefault(doc, []).append(score)
    best = {doc: sum(s * 0.5**at for at, s in enumerate(sorted(v, reverse=True)[:3]))
            for doc, v in by_doc.items()}  # fmt: skip
    assert article_relevance(docs, scores) == pytest.approx([best[doc] for doc, _ in pool])


def test_article_relevance_sums_each_articles_best_three_halving() -> None:
    docs = np.array([0, 1, 0, 0, 0, 1], dtype=np.int64)
    values = np.array([0.1, 0.9, 0.8, 0.4, 0.2, 0.3])
    expected_a, expected_b = 0.8 + 0.4 / 2 + 0.2 / 4, 0.9 + 0.3 / 2
    np.testing.assert_allclose(
        article_relevance(docs, values),
        [expected_a, expected_b, expected_a, expected_a, expected_a, expected_b],
    )
