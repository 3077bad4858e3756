"""Feedback from the top sentence: its other words and each candidate's share of them."""

from __future__ import annotations

import numpy as np

from index.ranking.feedback import best_at, other_words, shares


def test_the_best_is_the_highest_score_and_ties_go_to_the_lowest_id() -> None:
    ids = np.array([7, 3, 5], dtype=np.int64)
    assert best_at(ids, np.array([0.2, 0.9, 0.1])) == 1
    assert best_at(ids, np.array([0.5, 0.5, 0.1])) == 1  # id 3 before id 7


def test_the_top_sentences_other_words_leave_the_questions_out() -> None:
    words = other_words(["bridg", "open", "gate", "gate", "1937"], {"bridg", "open"})
    assert words == {"gate": 2, "1937": 1}
    assert not other_words(["bridg"], {"bridg"})


def test_the_top_sentence_holds_its_whole_share_and_rare_words_weigh_more() -> None:
    counts = np.array([1.0, 1.0])  # a word every candidate holds, then a rare one
    present = np.array([[True, True], [True, False], [True, True], [True, False]])
    found = shares(counts, present)
    assert found[0] == found[2] == 1.0  # holding every word: the top sentence's share
    assert found[1] == found[3]
    assert 0.0 < found[1] < 0.5  # the word everyone holds weighs less than half
    assert not shares(np.zeros(0), np.zeros((3, 0), dtype=np.bool_)).any()
    assert shares(np.ones(2), np.zeros((0, 2), dtype=np.bool_)).shape == (0,)
