"""Answer-type cues: the wh-phrase decides the type; surface patterns decide the fit."""

from __future__ import annotations

import pytest

from index.analysis import Analyzer
from index.answer_types import AnswerType, answer_type, fits, sentence_cues


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the war end?", AnswerType.TIME),
        ("In what year was it built?", AnswerType.TIME),
        ("How many people live there?", AnswerType.NUMBER),
        ("How much did it cost?", AnswerType.NUMBER),
        ("What percentage voted?", AnswerType.NUMBER),
        ("Who wrote the hymn?", AnswerType.PERSON),
        ("Whose saying was quoted?", AnswerType.PERSON),
        ("Where is the stadium?", AnswerType.PLACE),
        ("Which city hosted it?", AnswerType.PLACE),
        ("What is the theme?", AnswerType.OTHER),
    ],
)
def test_question_types(question: str, kind: AnswerType) -> None:
    assert answer_type(question) is kind


def test_time_fits_a_sentence_with_a_year_or_month_only() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.TIME, sentence_cues("It opened in 1998.", analyzer), frozenset())
    assert fits(AnswerType.TIME, sentence_cues("They met on October 1.", analyzer), frozenset())
    assert not fits(AnswerType.TIME, sentence_cues("It opened late.", analyzer), frozenset())


def test_number_fits_digits_and_number_words() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.NUMBER, sentence_cues("Two atoms bond.", analyzer), frozenset())
    assert fits(AnswerType.NUMBER, sentence_cues("It cost $5 million.", analyzer), frozenset())
    assert not fits(AnswerType.NUMBER, sentence_cues("Atoms bond.", analyzer), frozenset())


def test_person_needs_a_name_the_question_does_not_already_hold() -> None:
    analyzer = Analyzer()
    cues = sentence_cues("The hymn was written by Martin Luther.", analyzer)
    assert fits(AnswerType.PERSON, cues, frozenset({"hymn"}))
    assert not fits(AnswerType.PERSON, cues, frozenset({"martin", "luther"}))
    # A capital that only starts the sentence is not a name.
    assert not fits(AnswerType.PERSON, sentence_cues("Hymns were sung.", analyzer), frozenset())


def test_other_questions_never_get_the_bonus() -> None:
    cues = sentence_cues("Luther wrote it in 1529.", Analyzer())
    assert not fits(AnswerType.OTHER, cues, frozenset())
