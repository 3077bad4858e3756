"""What the re-ranker weighs: its levers, their tuned weights, and further scorers.

``index/ranking/rerank.py`` describes each lever; docs/quality.md has every weight's
measured effect and the commands that reproduce it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

LEVERS = (
    "local",
    "neighbours",
    "title",
    "article",
    "proximity",
    "answer_type",
    "answer_value",
    "synonyms",
    "rarest",
    "lead",
    "coverage",
    "variants",
    "feedback",
)


@dataclass(frozen=True, slots=True)
class RerankConfig:
    """How many candidates to re-rank and the weight of each kind of evidence.

    ``local`` mixes plain BM25 (0) with BM25 under article-local idf (1); the
    others add their evidence, each scaled to about 0-1, times their weight
    (``rarest`` subtracts; ``answer_value`` adds to ``answer_type`` when the question
    asks for a value; ``variants`` credits question terms held only through a shorter
    form, ``index/terms/variants.py``); ``synonyms`` is the weight of a related term inside
    BM25 and the local score, not of a feature; ``feedback`` is the weight of a second
    pass, the share of the top sentence's other words a candidate holds
    (``index/ranking/feedback.py``).
    """

    depth: int = 100
    local: float = 0.0
    neighbours: float = 0.0
    title: float = 0.0
    article: float = 0.0
    proximity: float = 0.0
    answer_type: float = 0.0
    answer_value: float = 0.0
    synonyms: float = 0.0
    rarest: float = 0.0
    lead: float = 0.0
    coverage: float = 0.0
    variants: float = 0.0
    feedback: float = 0.0

    def without(self, *levers: str) -> RerankConfig:
        """This configuration with the named levers switched off."""
        unknown = set(levers) - set(LEVERS)
        if unknown:
            raise ValueError(f"unknown lever(s) {sorted(unknown)}; choose from {LEVERS}")
        off: dict[str, Any] = dict.fromkeys(levers, 0.0)
        return replace(self, **off)

    @property
    def active(self) -> bool:
        """Whether any lever is on (else the order is plain BM25)."""
        return any(getattr(self, lever) for lever in LEVERS)


# Tuned on the dev half only; docs/quality.md has the table and the commands.
DEFAULT_RERANK = RerankConfig(
    # BM25's best 70, not 100: the same P@1 on the dev sets, a third less of the pool's work
    # (docs/quality.md, "How deep to re-rank").
    depth=70,
    local=1.0,
    neighbours=0.15,
    article=2.5,
    answer_type=0.2,
    answer_value=0.25,
    proximity=0.1,
    synonyms=0.4,
    rarest=0.12,
    lead=0.4,
    variants=0.6,
    feedback=0.6,
)


class Scorer(Protocol):
    """Evidence from outside the postings (a sentence-embedding model, say), mixed into
    the re-ranking with a weight: ``Mixed(scorer, weight)``."""

    def scores(self, question: str, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """One figure per candidate sentence id, about 0-1 like the other evidence."""
        ...


@dataclass(frozen=True, slots=True)
class Mixed:
    """A further scorer and its weight in the re-ranking."""

    scorer: Scorer
    weight: float
