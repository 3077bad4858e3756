"""Sentence facts: the stored flags and cue codes say what the text-based cues say."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.terms.analysis import Analyzer
from index.terms.answer_types import AnswerType, Asked, answer_type, fits, sentence_cues
from index.terms.sentence_facts import QuestionCues, SentenceFacts, joined, kept, pronoun_led
from index.terms.sentence_keys import sentence_key

ANALYZER = Analyzer()
SENTENCES = [
    "He said the talks would resume in March.",
    "The Pentagon said 300 troops would go to Poland.",
    "Its budget grew by two billion dollars in 2019.",
    "Officials met Lavrov and Blinken in Geneva on Friday.",
    "Nothing here at all.",
    "",
    "They, however, left in the 19th century.",
    "The stadium cost $1.2 billion, about 40 percent more than planned, in 2016.",
    "Of its 300 seats, 45% went to the party on Tuesday.",
    "The budget grew because revenue rose.",
]
QUESTIONS = [
    "When will the talks resume?",
    "How many troops will go to Poland?",
    "Who did officials meet in Geneva?",
    "Where did officials meet Lavrov?",
    "Which country will the troops go to?",
    "In what year did the budget grow by two billion?",
    "What did the Pentagon say?",
    "How much did the stadium cost?",
    "What percentage of seats went to the party?",
    "What is the name of the stadium?",
    "How old was the stadium?",
    "Why did the budget grow?",
]
FACTS = SentenceFacts.of_texts(SENTENCES, ANALYZER)


def test_each_sentence_keeps_the_key_its_copies_share() -> None:
    facts = SentenceFacts.of_texts(["Cook said so.", "Boats sank.", "COOK SAID SO"], ANALYZER)
    first, other, copy = facts.text_keys.tolist()
    assert facts.text_keys.dtype == np.uint64
    assert first == copy == sentence_key("Cook said so.") and other != first


def test_pronoun_led_sentences_are_flagged() -> None:
    assert pronoun_led("He said so.") and pronoun_led("They, however, left.")
    assert not pronoun_led("The man said so.") and not pronoun_led("")
    ids = np.arange(len(SENTENCES), dtype=np.int64)
    assert FACTS.pronoun_led(ids).tolist() == [pronoun_led(text) for text in SENTENCES]


@pytest.mark.parametrize("question", QUESTIONS)
def test_codes_fit_exactly_where_the_text_cues_fit(question: str) -> None:
    terms = frozenset(ANALYZER.terms(question))
    asked, kind = Asked.of(question, terms), answer_type(question)
    expected = [fits(kind, sentence_cues(text, ANALYZER), asked) for text in SENTENCES]
    ids = np.arange(len(SENTENCES), dtype=np.int64)
    assert FACTS.fits(ids, QuestionCues.of(kind, asked)).tolist() == expected


def test_a_question_naming_the_only_year_gets_no_fit() -> None:
    asked = Asked.of("Did the budget grow in 2019?", frozenset())
    cues = QuestionCues.of(AnswerType.TIME, asked)
    assert not FACTS.fits(np.array([2], dtype=np.int64), cues).any()
    assert FACTS.fits(np.array([0, 2], dtype=np.int64), cues).tolist() == [True, False]


@given(st.lists(st.sampled_from(SENTENCES), max_size=12), st.data())
def test_joining_and_keeping_equal_facts_of_the_same_texts(
    texts: list[str], data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(texts)))
    both = joined([SentenceFacts.of_texts(texts[:cut], ANALYZER),
                   SentenceFacts.of_texts(texts[cut:], ANALYZER)])  # fmt: skip
    _same(both, SentenceFacts.of_texts(texts, ANALYZER))
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts))))
    chosen = [text for text, wanted in zip(texts, keep.tolist(), strict=True) if wanted]
    _same(kept(both, keep.astype(bool)), SentenceFacts.of_texts(chosen, ANALYZER))


def _same(a: SentenceFacts, b: SentenceFacts) -> None:
    for name in ("flags", "cue_indptr", "cue_codes", "text_keys"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_a_why_question_fits_the_sentences_that_give_a_reason() -> None:
    cues = QuestionCues.of(AnswerType.REASON, Asked.of("Why?", frozenset()))
    ids = np.arange(len(SENTENCES), dtype=np.int64)
    assert np.flatnonzero(FACTS.fits(ids, cues)).tolist() == [len(SENTENCES) - 1]
