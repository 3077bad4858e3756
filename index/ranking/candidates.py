"""The scored candidates of one question: what every engine can return."""

from __future__ import annotations

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
