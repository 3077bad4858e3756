"""The rank-bm25 reference: slow, linear in the corpus, the definition the fast path is held to.

:class:`LuceneBM25` is rank-bm25's ``BM25Okapi`` with Lucene's idf (see
``index.ranking.bm25``); :class:`ReferenceEngine` answers with it as the sparse
engine does (``qabot ask --engine rank-bm25``), and the tests prove both return
the same top 10. Kept apart so that serving questions never imports rank-bm25:
only a searcher asked for the reference engine does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

from index.errors import EmptyIndexError
from index.ranking.bm25 import BM25Params, lucene_idf
from index.ranking.candidates import Candidates
from index.ranking.selection import restrict, top_k


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


class ReferenceEngine:
    """rank-bm25 with Lucene idf: slow, linear in the corpus; the definition we test against."""

    def __init__(self, term_lists: Sequence[Sequence[str]], params: BM25Params) -> None:
        self._bm25 = LuceneBM25(term_lists, params)

    def candidates(self, terms: Sequence[str]) -> Candidates:
        """Every sentence with a query term, and its BM25 score."""
        if not terms:
            return Candidates.empty()
        scores = self._bm25.scores(terms)
        ids = np.flatnonzero(scores > 0)
        return Candidates(ids.astype(np.int64), scores[ids])

    def best(
        self,
        terms: Sequence[str],
        k: int,
        within: range,
        related: Sequence[str] = (),
        related_weight: float = 0.0,
    ) -> list[tuple[int, float]]:
        """The ``k`` best (sentence id, score) pairs among the ids ``within``, best first;
        each of the ``related`` terms counts ``related_weight`` times a question term."""
        found = self.candidates(terms)
        if related and related_weight:
            extra = self.candidates(related)
            found = found.plus(extra, related_weight)
        return top_k(restrict(found, within.start, within.stop), k)
