"""BM25 scoring: one definition of idf, k1 and b for every engine.

For a query ``q`` and a sentence ``s`` (Robertson & Zaragoza 2009, eq. 3.15)::

    score(q, s) = sum over terms t of q:
        idf(t) * tf(t, s) * (k1 + 1) / (tf(t, s) + k1 * (1 - b + b * |s| / avgdl))

with Lucene's idf (``LUCENE-8563``), which is never zero or negative::

    idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))

A term repeated in the question counts once per repeat, as in rank-bm25.
rank-bm25's ``BM25Okapi`` uses ``ln((N - n + 0.5) / (n + 0.5))``, which is 0
for a term in half the sentences and negative above; with one article that
silently ranks the best sentences last. ``index.ranking.reference_engine``
fixes that in its subclass, the reference scorer the fast path is tested against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Tuned for sentences on the dev half of the evaluation set (docs/quality.md):
# a term rarely repeats within a sentence, so a low k1 (tf saturates almost at
# once) beats Lucene's 1.2; b = 0.75 (Lucene's default) stayed best.
DEFAULT_K1 = 0.3
DEFAULT_B = 0.75
# A term's first position in a sentence is stored in a byte (here, not in ``postings``,
# so a build's workers need not import the numba kernels).
MAX_POSITION = 255


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
