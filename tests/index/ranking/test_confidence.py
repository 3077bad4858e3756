"""Confidence is a share of the best plausible score, kept within [0, 1]."""

from __future__ import annotations

from index.ranking.confidence import confidence, percent


def test_confidence_is_the_share_of_the_best_possible_score() -> None:
    assert confidence(1.5, 3.0) == 0.5


def test_confidence_is_capped_and_never_negative() -> None:
    assert confidence(4.0, 3.0) == 1.0
    assert confidence(-1.0, 3.0) == 0.0
    assert confidence(1.0, 0.0) == 0.0


def test_percent_rounds_to_whole_numbers() -> None:
    assert percent(0.874) == "87%"
    assert percent(1.0) == "100%"
