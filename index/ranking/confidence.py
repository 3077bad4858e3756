"""Confidence: how much of the question a sentence answers, from 0 to 1.

A sentence's BM25 score is compared with the best a sentence could plausibly
score for the question: one that holds every question word once, at the
average sentence length, which scores the sum of the words' idf. A word the
index has never seen counts with the highest idf, so a question about
something the articles never mention gets a low confidence even when one of
its common words matches. Scores above that mark are capped at 1.
"""

from __future__ import annotations

# Low enough that a question sharing one telling word with the answer still
# answers (the seed questions), high enough to withhold sentences that match
# only a common word of a question about something else.
DEFAULT_MIN_CONFIDENCE = 0.25


def confidence(score: float, best_possible: float) -> float:
    """``score`` as a share of ``best_possible``, within [0, 1]."""
    if best_possible <= 0:
        return 0.0
    return max(0.0, min(1.0, score / best_possible))


def percent(value: float) -> str:
    """A confidence as a whole percentage: ``0.874`` -> ``"87%"``."""
    return f"{round(100 * value)}%"
