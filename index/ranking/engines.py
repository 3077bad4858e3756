"""Scoring engines: the fast sparse path and the rank-bm25 reference.

Both return only the sentences that share at least one term with the
question, with their BM25 scores; a sentence with no query term is never a
candidate, so an off-topic question gets no hits at all.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from index.ranking import kernels
from index.ranking.bm25 import BM25Params, LuceneBM25
from index.ranking.candidates import Candidates
from index.ranking.postings import Postings
from index.ranking.selection import restrict, top_k

ENGINES = ("sparse", "rank-bm25")
__all__ = ["ENGINES", "Candidates", "Engine", "ReferenceEngine", "SparseEngine"]


class Engine(Protocol):
    """Scores the sentences of an index for a question's terms."""

    def candidates(self, terms: Sequence[str]) -> Candidates:
        """Every sentence with a query term, and its score."""
        ...

    def best(
        self,
        terms: Sequence[str],
        k: int,
        within: range,
        related: Sequence[str] = (),
        related_weight: float = 0.0,
    ) -> list[tuple[int, float]]:
        """The ``k`` best (sentence id, score) pairs among the ids ``within``; each of the
        ``related`` terms (synonyms) counts ``related_weight`` times a question term."""
        ...


@dataclass(frozen=True, eq=False)
class _Query:
    """A question as rows of the matrix, the factor (qtf * idf) of each row, and the
    largest contribution each row can make (factor times its largest weight), largest first."""

    rows: npt.NDArray[np.int64]
    factors: npt.NDArray[np.float64]
    bounds: npt.NDArray[np.float64]


class SparseEngine:
    """Sums precomputed weights over the postings of the query terms only, in compiled code."""

    def __init__(self, postings: Postings, term_ids: dict[str, int]) -> None:
        self._postings = postings
        self._indptr = kernels.read_only(postings.indptr)
        self._sentence_ids = kernels.read_only(postings.sentence_ids)
        self._weights = kernels.read_only(postings.weights)
        self._row_max = postings.row_maxima()
        self._term_ids = term_ids
        self._idf = postings.idf()
        # Each thread gets its own scratch arrays, so concurrent searches never share state.
        self._local = threading.local()

    def candidates(self, terms: Sequence[str]) -> Candidates:
        """Every sentence with a query term, and its BM25 score."""
        query = self._query(_weighted(terms, (), 0.0))
        if query.rows.shape[0] == 0:
            return Candidates.empty()
        scratch, touched = self._scratch()
        scores = np.empty(touched.shape[0], dtype=np.float64)
        count = kernels.all_scores(
            self._indptr, self._sentence_ids, self._weights,
            query.rows, query.factors, scratch, touched, scores,
        )  # fmt: skip
        order = np.argsort(touched[:count], kind="stable")
        return Candidates(touched[:count][order].astype(np.int64), scores[:count][order])

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
        query = self._query(_weighted(terms, related, related_weight))
        # No more hits than sentences in range, however deep a caller pages.
        k = min(k, len(within), self._postings.sentence_count)
        if k <= 0 or query.rows.shape[0] == 0:
            return []
        scratch, touched = self._scratch()
        ids, scores = np.empty(k, dtype=np.int64), np.empty(k, dtype=np.float64)
        found = kernels.top_scores(
            self._indptr, self._sentence_ids, self._weights,
            query.rows, query.factors, query.bounds,
            within.start, within.stop, scratch, touched, ids, scores,
        )  # fmt: skip
        order = np.lexsort((ids[:found], -scores[:found]))
        return [(int(ids[i]), float(scores[i])) for i in order]

    def _query(self, terms: Mapping[str, float]) -> _Query:
        rows, factors = [], []
        for term, qtf in terms.items():
            term_id = self._term_ids.get(term)
            if term_id is not None:
                rows.append(term_id)
                factors.append(qtf * float(self._idf[term_id]))
        ids, weights = np.array(rows, dtype=np.int64), np.array(factors, dtype=np.float64)
        bounds = weights * self._row_max[ids].astype(np.float64)
        order = np.argsort(-bounds, kind="stable")
        return _Query(ids[order], weights[order], bounds[order])

    def _scratch(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32]]:
        if not hasattr(self._local, "scratch"):
            n = self._postings.sentence_count
            self._local.scratch = np.zeros(n, dtype=np.float32)
            self._local.touched = np.zeros(n, dtype=np.int32)
        return self._local.scratch, self._local.touched


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


def _weighted(
    terms: Sequence[str], related: Sequence[str], related_weight: float
) -> dict[str, float]:
    """Each query term with its weight: how often the question holds it, or
    ``related_weight`` for a related term the question does not hold."""
    weights: dict[str, float] = {term: float(count) for term, count in Counter(terms).items()}
    if related_weight:
        for term in related:
            weights.setdefault(term, related_weight)
    return weights
