"""An article's relevance to a question, from the scores of its sentences among the candidates.

Scoring each sentence alone, BM25 (or a cosine) cannot tell a sentence of the article a
question is about from a stray one elsewhere. An article with several good candidates is on
topic, so each candidate also gets its article's best three scores, each worth half the one
before. The lexical re-ranker (``index.ranking``) and the semantic one (``index.semantic``)
both weigh it, which is why it lives below both layers.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ARTICLE_DECAY = 0.5
ARTICLE_DEPTH = 3


def article_relevance(
    docs: npt.NDArray[np.int64], values: npt.NDArray[np.float64], decay: float = ARTICLE_DECAY
) -> npt.NDArray[np.float64]:
    """For each candidate (its article in ``docs``, its score in ``values``), its article's
    best ``ARTICLE_DEPTH`` values among the candidates, each ``decay`` times the one before."""
    order = np.lexsort((-values, docs))  # by article, each article's best first
    grouped = docs[order]
    new = np.ones(order.shape[0], dtype=np.bool_)
    np.not_equal(grouped[1:], grouped[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    rank = np.arange(order.shape[0]) - starts[group]
    worth = np.where(rank < ARTICLE_DEPTH, values[order] * decay**rank, 0.0)
    relevance = np.empty(order.shape[0])
    relevance[order] = np.add.reduceat(worth, starts)[group]
    return relevance
