"""Feedback from the top sentence: a second pass that lifts the sentences saying what it says.

Pseudo-relevance feedback (RM3, Lavrenko and Croft 2001; Abdul-Jaleel et al. 2004)
with one document: the first pass's best sentence is taken as relevant, and each
candidate gains the share of that sentence's other words (those the question lacks)
it holds too, each word weighted by how often the top sentence holds it and by how
rare it is among the candidates (``log(1 + n / df)``: a word every candidate holds,
the article's topic, tells little). The top sentence holds all of them, so it stays
first; the pass reorders the rest. Questions whose answers come in several
sentences (newswire's TrecQA lists several correct ones a question) gain: the right
sentences name the same people, places and figures. docs/quality.md, round 8, has
what it does to each set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

Float64s = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def best_at(ids: npt.NDArray[np.int64], scores: Float64s) -> int:
    """Where the best candidate stands (the highest score; ties: the lowest id, as the
    re-ranker orders them)."""
    return int(np.lexsort((ids, -scores))[0])


def other_words(top_terms: Sequence[str], asked: Collection[str]) -> Counter[str]:
    """How often the top sentence holds each of its terms the question does not."""
    return Counter(term for term in top_terms if term not in asked)


def shares(counts: Float64s, present: Bools) -> Float64s:
    """Each candidate's share (0-1) of the top sentence's other words: ``counts[j]`` how
    often the top sentence holds word ``j``, ``present[c, j]`` whether candidate ``c``
    does (the top sentence is among the candidates)."""
    if present.shape[0] == 0 or present.shape[1] == 0:
        return np.zeros(present.shape[0])
    df = present.sum(axis=0)
    weights = counts * np.log1p(present.shape[0] / np.maximum(df, 1))
    total = float(weights.sum())
    held: Float64s = present.astype(np.float64) @ weights
    return held / total if total else held
