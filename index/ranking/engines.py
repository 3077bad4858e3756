"""Scoring engines: the fast sparse path, and what every engine answers.

Every engine (this sparse one, and the rank-bm25 reference in
``index.ranking.reference_engine``) returns only the sentences that share at
least one term with the question, with their BM25 scores; a sentence with no
query term is never a candidate, so an off-topic question gets no hits at all.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from index.ranking import band, kernels, rescoring
from index.ranking.bm25 import idf_array
from index.ranking.candidates import Candidates
from index.ranking.postings import Postings
from index.ranking.rescoring import CorpusStats, Places

ENGINES = ("sparse", "rank-bm25")
__all__ = ["ENGINES", "Best", "Candidates", "Engine", "SparseEngine"]


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
class Best:
    """An engine's best sentences, best first: their ids, exact scores, and where they
    stand in the rows of the terms they were scored for (for the re-ranker)."""

    scores: npt.NDArray[np.float64]
    places: Places

    @property
    def ids(self) -> npt.NDArray[np.int64]:
        """The sentences, best first (the places are theirs)."""
        return self.places.ids

    @classmethod
    def empty(cls) -> Best:
        """No sentence."""
        return cls(np.zeros(0), Places.none())


@dataclass(frozen=True, eq=False)
class _Query:
    """A question as rows of the matrix, the factor (qtf * idf) of each row, and the
    largest contribution each row can make (factor times its largest weight), largest first."""

    rows: npt.NDArray[np.int64]
    factors: npt.NDArray[np.float64]
    bounds: npt.NDArray[np.float64]


class SparseEngine:
    """Sums precomputed weights over the postings of the query terms only, in compiled code,
    then rescores the best exactly (``index.ranking.rescoring``)."""

    def __init__(self, postings: Postings, term_ids: dict[str, int]) -> None:
        self._postings = postings
        self._indptr = kernels.read_only(postings.indptr)
        self._sentence_ids = kernels.read_only(postings.sentence_ids)
        self._weights = kernels.read_only(postings.weights)
        self._rows = (
            self._indptr,
            self._sentence_ids,
            kernels.read_only(postings.stored_term_freqs()),
            kernels.read_only(postings.lengths),
        )
        self._row_max = postings.row_maxima()
        self._term_ids = term_ids
        self._idf = postings.idf()
        self._doc_freq = postings.doc_freq()
        lengths = np.asarray(postings.lengths)
        self.stats = CorpusStats(int(lengths.shape[0]), int(lengths.sum(dtype=np.int64)))
        # The average length the stored weights were computed for (``postings.weigh``).
        self._stored_avgdl = postings.avgdl
        # Each thread gets its own scratch arrays, so concurrent searches never share state.
        self._local = threading.local()

    def candidates(self, terms: Sequence[str]) -> Candidates:
        """Every sentence with a query term, and its BM25 score."""
        query = self._query(weighted_terms(terms, (), 0.0))
        if query.rows.shape[0] == 0:
            return Candidates.empty()
        n = self._postings.sentence_count
        scratch, touched = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.int32)
        scores = np.empty(n, dtype=np.float64)
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
        weighted = weighted_terms(terms, related, related_weight)
        return self.best_under(weighted, k, within, self.stats, self.doc_freqs(weighted))

    def doc_freqs(self, terms: Iterable[str]) -> npt.NDArray[np.int64]:
        """n(t) of each term here (0 for a term no sentence holds)."""
        ids = [self._term_ids.get(term, -1) for term in terms]
        return np.array([self._doc_freq[i] if i >= 0 else 0 for i in ids], dtype=np.int64)

    def best_under(
        self,
        weighted: Mapping[str, float],
        k: int,
        within: range,
        stats: CorpusStats,
        doc_freqs: npt.NDArray[np.int64],
    ) -> list[tuple[int, float]]:
        """:meth:`best` for terms with their weights (:func:`weighted_terms`), scored with
        corpus statistics ``stats`` and document frequencies ``doc_freqs`` (one per term)
        that may be those of a larger collection this index is part of: the scores are then
        exactly those of one index over that collection."""
        best = self.best_found(weighted, k, within, stats, doc_freqs)
        return list(zip(best.ids.tolist(), best.scores.tolist(), strict=True))

    def best_found(
        self,
        weighted: Mapping[str, float],
        k: int,
        within: range,
        stats: CorpusStats,
        doc_freqs: npt.NDArray[np.int64],
    ) -> Best:
        """:meth:`best_under` as arrays, with where the best stand in the terms' rows."""
        k = min(k, len(within), self._postings.sentence_count)
        rows = np.array([self._term_ids.get(term, -1) for term in weighted], dtype=np.int64)
        known = rows >= 0
        if k <= 0 or not known.any():
            return Best.empty()
        factors = np.fromiter(weighted.values(), dtype=np.float64, count=len(weighted))
        factors *= idf_array(stats.sentences, doc_freqs)
        ids = self._band(rows[known], factors[known], k, within, stats)
        scores, places = rescoring.rescored(
            self._rows, rows, factors, ids, stats, self._postings.params
        )
        order = np.lexsort((ids, -scores))[:k]
        return Best(scores[order], places.rows(order))

    def _band(
        self,
        rows: npt.NDArray[np.int64],
        factors: npt.NDArray[np.float64],
        k: int,
        within: range,
        stats: CorpusStats,
    ) -> npt.NDArray[np.int64]:
        """The sentences (ascending) whose approximate sums come close enough to the k-th
        best that the exact best ``k`` are among them."""
        bounds = factors * self._row_max[rows].astype(np.float64)
        order = np.argsort(-bounds, kind="stable")
        error = rescoring.weight_error(self._stored_avgdl, stats.avgdl)
        slack = rescoring.band_slack(rows.shape[0], error, kernels.SLACK)
        scratch, touched, marks = self._scratch()
        found, _ = band.top_band(
            self._indptr, self._sentence_ids, self._weights,
            rows[order], factors[order], bounds[order], within.start, within.stop, slack, k,
            scratch, touched, marks,
        )  # fmt: skip
        found.sort()  # the kernel's own new array: sorted in place
        return found

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

    def _scratch(
        self,
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int32], npt.NDArray[np.uint64]]:
        """This thread's scratch arrays: a window's length (``band.WINDOW``), or less."""
        if not hasattr(self._local, "scratch"):
            n = max(1, min(self._postings.sentence_count, band.WINDOW))
            self._local.scratch = np.zeros(n, dtype=np.float32)
            self._local.touched = np.zeros(n, dtype=np.int32)
            self._local.marks = band.marks_for(n)
        return self._local.scratch, self._local.touched, self._local.marks


def weighted_terms(
    terms: Sequence[str], related: Sequence[str], related_weight: float
) -> dict[str, float]:
    """Each query term with its weight: how often the question holds it, or
    ``related_weight`` for a related term the question does not hold."""
    weights: dict[str, float] = {term: float(count) for term, count in Counter(terms).items()}
    if related_weight:
        for term in related:
            weights.setdefault(term, related_weight)
    return weights
