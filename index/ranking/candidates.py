"""The scored candidates of one question: what every engine can return."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, eq=False)
class Candidates:
    """Sentence ids (ascending) and their scores for one question."""

    ids: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float64]

    @classmethod
    def empty(cls) -> Candidates:
        """No candidate at all."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))

    def plus(self, other: Candidates, weight: float) -> Candidates:
        """Every sentence of either, scored its score here plus ``weight`` times its score
        in ``other`` (ids stay ascending)."""
        ids = np.union1d(self.ids, other.ids)
        scores = np.zeros(ids.shape[0])
        scores[np.searchsorted(ids, self.ids)] += self.scores
        scores[np.searchsorted(ids, other.ids)] += weight * other.scores
        return Candidates(ids, scores)


def with_unmatched(
    pool: list[tuple[int, float]], within: range, size: int
) -> list[tuple[int, float]]:
    """``pool`` (BM25's best of the ids ``within``, best first) followed by the ids ``within``
    it lacks, in order and scored 0, up to ``size`` in all.

    Within one article a sentence that shares no word with the question can still be
    its answer ("How long did the show run?" against "It ran from 1951 to 1957."); the
    re-ranker's evidence (position, neighbours, answer type) can only lift it if it is
    a candidate.
    """
    if len(pool) >= min(size, len(within)):
        return pool
    held = {sentence_id for sentence_id, _ in pool}
    rest = (sentence_id for sentence_id in within if sentence_id not in held)
    return pool + [(sentence_id, 0.0) for sentence_id in itertools.islice(rest, size - len(pool))]
