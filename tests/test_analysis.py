"""The analyzer's number handling (the rest of the analyzer is covered by the core tests)."""

from __future__ import annotations

import pytest

from index.analysis import Analyzer


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("the 50th Super Bowl", ["50", "super", "bowl"]),
        ("Super Bowl 50", ["super", "bowl", "50"]),
        ("in the 1990s", ["1990"]),
        ("1,000 people", ["1000", "peopl"]),
        ("the 1st and 22nd", ["1", "22"]),
        ("version 3.5", ["version", "3.5"]),
    ],
)
def test_numbers_lose_separators_and_ordinal_or_plural_endings(text: str, terms: list[str]) -> None:
    assert Analyzer().terms(text) == terms


def test_words_that_change_the_question_are_terms_not_stopwords() -> None:
    assert Analyzer().terms("What happened before the war, not after it?") == [
        "happen",
        "befor",
        "war",
        "not",
        "after",
    ]
