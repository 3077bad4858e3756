"""Scoring engines: the fast sparse path and the rank-bm25 reference.

Both return only the sentences that share at least one term with the
question, with their BM25 scores; a sentence with no query term is never a
candidate, so an off-topic question gets no hits at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from index.bm25 import BM25Params, LuceneBM25
from index.postings import Postings

ENGINES = ("sparse", "rank-bm25")


@dataclass(frozen=True, eq=False)
class Candidates:
    """Sentence ids (ascending) and their scores for one question."""

    ids: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float64]

    @classmethod
    def empty(cls) -> Candidates:
        """No candidate at all."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Engine(Protocol):
    """Scores the sentences of an index for a question's terms."""

    def candidates(self, terms: Sequence[str]) -> Candidates:
        """Every sentence with a query term, and its score."""
        ...


class SparseEngine:
    """Scores by summing precomputed weights over the postings of the query terms only."""

    def __init__(self, postings: Postings, term_ids: dict[str, int]) -> None:
        self._postings = postings
        self._term_ids = term_ids
        self._idf = postings.idf()

    def candidates(self, terms: Sequence[str]) -> Candidates:
        """Every sentence with a query term, and its BM25 score."""
        ids, contributions = [], []
        for term, qtf in Counter(terms).items():
            term_id = self._term_ids.get(term)
            if term_id is None:
                continue
            rows, weights = self._postings.row(term_id)
            ids.append(rows)
            contributions.append(weights * (qtf * self._idf[term_id]))
        if not ids:
            return Candidates.empty()
        unique, inverse = np.unique(np.concatenate(ids), return_inverse=True)
        scores = np.bincount(inverse, weights=np.concatenate(contributions))
        return Candidates(unique.astype(np.int64), scores.astype(np.float64))


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
