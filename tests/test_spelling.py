"""Did you mean: only typos are corrected, into the closest, most frequent indexed word."""

from __future__ import annotations

import pytest

from index.analysis import Analyzer
from index.records import Correction
from index.spelling import Speller, edit_distance, frequency_lookup

VOCABULARY = {"pentagon": 3, "say": 9, "take": 4, "russia": 5, "kirbi": 2, "talk": 6, "tall": 1}


@pytest.fixture
def speller() -> Speller:
    return Speller(Analyzer(), lambda term: VOCABULARY.get(term, 0))


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("pentgon", "pentagon", 1), ("teh", "the", 1), ("kitten", "sitting", 3), ("same", "same", 0)],
)
def test_edit_distance_counts_insertions_substitutions_and_swaps(
    a: str, b: str, distance: int
) -> None:
    assert edit_distance(a, b, limit=5) == distance


def test_edit_distance_stops_early_above_the_limit() -> None:
    assert edit_distance("abcdef", "uvwxyz", limit=2) == 3


def test_a_typo_is_corrected_keeping_its_capitals(speller: Speller) -> None:
    fix = speller.correct("What did the Pentgon say?")
    assert fix is not None
    assert fix.question == "What did the Pentagon say?"
    assert fix.corrections == (Correction("Pentgon", "Pentagon"),)


def test_real_english_words_are_never_rewritten(speller: Speller) -> None:
    # "bake" is one edit from the indexed "take" but is a word of its own.
    assert speller.correct("how do I bake bread") is None
    assert speller.correct("What is the capital of France?") is None


def test_short_words_and_known_words_are_left_alone(speller: Speller) -> None:
    assert not speller.looks_like_typo("tak")
    assert not speller.looks_like_typo("Russia")


def test_ties_in_distance_go_to_the_more_frequent_term(speller: Speller) -> None:
    # "talq" is one edit from both "talk" (6 sentences) and "tall" (1).
    assert speller.suggest("talq") == "talk"


def test_nothing_close_enough_gives_no_suggestion(speller: Speller) -> None:
    assert speller.suggest("xylophonic") is None


def test_frequency_lookup_reads_the_vocabulary() -> None:
    frequency = frequency_lookup({"a": 0, "b": 1}, [7, 2])
    assert (frequency("a"), frequency("b"), frequency("c")) == (7, 2, 0)
