"""BM25 scoring: one definition of idf, k1 and b for every engine.

For a query ``q`` and a sentence ``s`` (Robertson & Zaragoza 2009, eq. 3.15)::

    score(q, s) = sum over terms t of q:
        idf(t) * tf(t, s) * (k1 + 1) / (tf(t, s) + k1 * (1 - b + b * |s| / avgdl))

with Lucene's idf (``LUCENE-8563``), which is never zero or negative::

    idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))

A term repeated in the question counts once per repeat, as in rank-bm25.
rank-bm25's ``BM25Okapi`` uses ``ln((N - n + 0.5) / (n + 0.5))``, which is 0
for a term in half the sentences and negative above; with one article that
silently ranks the best sentences last. :class:`LuceneBM25` fixes that and
serves as the reference scorer the fast path is tested against.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

from index.errors import EmptyIndexError

# Tuned for sentences on the dev half of the evaluation set (docs/quality.md):
# a term rarely repeats within a sentence, so a low k1 (tf saturates almost at
# once) beats Lucene's 1.2; b = 0.75 (Lucene's default) stayed best.
DEFAULT_K1 = 0.3
DEFAULT_B = 0.75


@dataclass(frozen=True, slots=True)
class BM25Params:
    """The two free parameters of BM25."""

    k1: float = DEFAULT_K1
    b: float = DEFAULT_B

    def __post_init__(self) -> None:
        if not (self.k1 >= 0 and 0 <= self.b <= 1):
            raise ValueError(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={self.k1} b={self.b}")


def lucene_idf(sentences: int, containing: int) -> float:
    """``ln(1 + (N - n + 0.5) / (n + 0.5))`` for ``N`` sentences, ``n`` of them with the term."""
    return math.log(1.0 + (sentences - containing + 0.5) / (containing + 0.5))


def idf_array(
    sentences: int | npt.NDArray[np.float64], doc_freq: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """:func:`lucene_idf` for a whole vocabulary at once (``sentences`` may be an array
    too, broadcast against ``doc_freq``: one collection size per row)."""
    n = doc_freq.astype(np.float64)
    return np.log1p((sentences - n + 0.5) / (n + 0.5))


def tf_weights(
    tf: npt.NDArray[np.float64],
    length: npt.NDArray[np.float64],
    avgdl: float,
    params: BM25Params,
) -> npt.NDArray[np.float64]:
    """The part of the BM25 term score that does not depend on the query (all but idf)."""
    norm = params.k1 * (1.0 - params.b + params.b * length / avgdl)
    result: npt.NDArray[np.float64] = tf * (params.k1 + 1.0) / (tf + norm)
    return result


class LuceneBM25(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's Okapi BM25 with Lucene's idf and an error for an empty corpus."""

    def __init__(self, corpus: Sequence[Sequence[str]], params: BM25Params = BM25Params()) -> None:
        if not corpus:
            raise EmptyIndexError("cannot build a BM25 index over zero sentences")
        if not any(corpus):
            raise EmptyIndexError("no sentence has a single indexable word")
        super().__init__([list(sentence) for sentence in corpus], k1=params.k1, b=params.b)

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.idf = {word: lucene_idf(self.corpus_size, freq) for word, freq in nd.items()}

    def scores(self, terms: Sequence[str]) -> npt.NDArray[np.float64]:
        """BM25 score of every sentence for the query ``terms``."""
        result: npt.NDArray[np.float64] = self.get_scores(list(terms))
        return result
