"""Answer-type cues: the wh-phrase decides the type; surface patterns decide the fit."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.terms.analysis import Analyzer
from index.terms.answer_types import (
    _QUESTION_TYPES,
    AnswerType,
    Asked,
    answer_type,
    fits,
    sentence_cues,
)

NOTHING = Asked(frozenset(), frozenset())


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the war end?", AnswerType.TIME),
        ("In what year was it built?", AnswerType.YEAR),
        ("In what century was it built?", AnswerType.TIME),
        ("How many people live there?", AnswerType.COUNT),
        ("How much did it cost?", AnswerType.MONEY),
        ("How much money did the committee raise?", AnswerType.MONEY),
        ("How much oxygen is in the crust?", AnswerType.NUMBER),
        ("How long is the river?", AnswerType.NUMBER),
        ("What percentage voted?", AnswerType.PERCENT),
        ("What is the name of the river?", AnswerType.ENTITY),
        ("Who wrote the hymn?", AnswerType.PERSON),
        ("Whose saying was quoted?", AnswerType.PERSON),
        ("Where is the stadium?", AnswerType.PLACE),
        ("Which city hosted it?", AnswerType.PLACE),
        ("What is the theme?", AnswerType.OTHER),
        ("Why did the talks fail?", AnswerType.REASON),
        ("How come the talks failed?", AnswerType.REASON),
        ("What was the reason for the delay?", AnswerType.REASON),
    ],
)
def test_question_types(question: str, kind: AnswerType) -> None:
    assert answer_type(question) is kind


def test_time_fits_a_sentence_with_a_year_or_month_only() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.TIME, sentence_cues("It opened in 1998.", analyzer), NOTHING)
    assert fits(AnswerType.TIME, sentence_cues("They met on October 1.", analyzer), NOTHING)
    assert fits(AnswerType.TIME, sentence_cues("They spoke on Thursday.", analyzer), NOTHING)
    assert fits(AnswerType.TIME, sentence_cues("Talks may start this weekend.", analyzer), NOTHING)
    assert fits(AnswerType.TIME, sentence_cues("She left yesterday.", analyzer), NOTHING)
    assert not fits(AnswerType.TIME, sentence_cues("It opened late.", analyzer), NOTHING)


def test_number_fits_digits_and_number_words() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.NUMBER, sentence_cues("Two atoms bond.", analyzer), NOTHING)
    assert fits(AnswerType.NUMBER, sentence_cues("It cost $5 million.", analyzer), NOTHING)
    assert not fits(AnswerType.NUMBER, sentence_cues("Atoms bond.", analyzer), NOTHING)


def test_person_needs_a_name_the_question_does_not_already_hold() -> None:
    analyzer = Analyzer()
    cues = sentence_cues("The hymn was written by Martin Luther.", analyzer)
    assert fits(AnswerType.PERSON, cues, Asked.of("Who wrote the hymn?", frozenset({"hymn"})))
    assert not fits(AnswerType.PERSON, cues, Asked(frozenset(), frozenset({"martin", "luther"})))
    # A capital that only starts the sentence is not a name.
    assert not fits(AnswerType.PERSON, sentence_cues("Hymns were sung.", analyzer), NOTHING)


def test_a_number_or_year_the_question_already_holds_does_not_count() -> None:
    analyzer = Analyzer()
    asked = Asked.of("How many yards did Super Bowl 50 see in 2016?", frozenset())
    assert not fits(AnswerType.NUMBER, sentence_cues("Super Bowl 50 was big.", analyzer), asked)
    assert fits(AnswerType.NUMBER, sentence_cues("Super Bowl 50 saw 194 yards.", analyzer), asked)
    assert not fits(AnswerType.TIME, sentence_cues("It was in 2016.", analyzer), asked)


def test_which_questions_ask_for_a_name() -> None:
    assert answer_type("Which team won?") is AnswerType.ENTITY
    assert answer_type("Which year was it?") is AnswerType.YEAR


def test_values_are_dates_years_numbers_sums_and_shares_not_names_or_reasons() -> None:
    values = {kind for kind in AnswerType if kind.asks_value}
    assert values == {
        *(AnswerType.TIME, AnswerType.YEAR, AnswerType.NUMBER),
        *(AnswerType.COUNT, AnswerType.MONEY, AnswerType.PERCENT),
    }
    assert answer_type("How many people live there?").asks_value
    assert not answer_type("Who wrote it?").asks_value


def test_other_questions_never_get_the_bonus() -> None:
    cues = sentence_cues("Luther wrote it in 1529.", Analyzer())
    assert not fits(AnswerType.OTHER, cues, NOTHING)


def test_year_fits_a_year_but_not_a_month() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.YEAR, sentence_cues("It opened in 1998.", analyzer), NOTHING)
    assert fits(AnswerType.YEAR, sentence_cues("It boomed in the 1920s.", analyzer), NOTHING)
    assert not fits(AnswerType.YEAR, sentence_cues("It opened in May.", analyzer), NOTHING)


def test_count_fits_a_number_that_is_not_a_year() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.COUNT, sentence_cues("Some 300 people came.", analyzer), NOTHING)
    assert fits(AnswerType.COUNT, sentence_cues("Two teams played.", analyzer), NOTHING)
    assert not fits(AnswerType.COUNT, sentence_cues("People came in 1998.", analyzer), NOTHING)


def test_money_needs_a_currency_and_a_number() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.MONEY, sentence_cues("It cost $5 million.", analyzer), NOTHING)
    assert fits(AnswerType.MONEY, sentence_cues("It cost 20 pounds.", analyzer), NOTHING)
    assert not fits(AnswerType.MONEY, sentence_cues("It weighed 5 tons.", analyzer), NOTHING)
    assert not fits(AnswerType.MONEY, sentence_cues("It cost dollars.", analyzer), NOTHING)


def test_percent_needs_a_percentage() -> None:
    analyzer = Analyzer()
    assert fits(AnswerType.PERCENT, sentence_cues("Turnout was 61%.", analyzer), NOTHING)
    assert fits(AnswerType.PERCENT, sentence_cues("Turnout was 61 percent.", analyzer), NOTHING)
    assert not fits(AnswerType.PERCENT, sentence_cues("61 people voted.", analyzer), NOTHING)


@pytest.mark.parametrize(
    "text",
    [
        "The talks failed because Russia refused.",
        "Flights stopped due to the storm.",
        "It was closed in order to save money.",
        "The reason was the cost.",
        "The delay was caused by a strike.",
        "Prices rose as a result of the war.",
        "The leak led to an inquiry.",
    ],
)
def test_reason_fits_a_sentence_with_a_causal_connective(text: str) -> None:
    assert fits(AnswerType.REASON, sentence_cues(text, Analyzer()), NOTHING)


def test_reason_does_not_fit_without_one() -> None:
    analyzer = Analyzer()
    for text in ("The talks failed.", "A reasonable cause-way.", "The leader spoke."):
        assert not fits(AnswerType.REASON, sentence_cues(text, analyzer), NOTHING)


# The word-boundary patterns the cues were first found with; sentence_cues must agree.
_MONTHS_DAYS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "today|tonight|tomorrow|yesterday|weekend"
)
REFERENCE_TIMES = re.compile(
    rf"\b(?:1\d{{3}}|20\d{{2}})s?\b|\b(?:{_MONTHS_DAYS})\b|\b\d+(?:st|nd|rd|th) century\b"
)
REFERENCE_YEARS = re.compile(r"\b(1\d{3}|20\d{2})s?\b")
REFERENCE_NUMBERS = re.compile(
    r"\d+(?:[,.]\d+)*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)\b"
)
CUE_PIECES = [
    "1990", "1990s", "2016", "19th", "century", " ", "-", ",", ".", "_", "one", "half", "May",
    "monday", "3,000", "1.5", "١٩٩٠", "12", "x", "Someone", "twenty", "5one", "'s", "İ", "\n",
    "$", "€", "dollars", "Dollars", "USD", "usd", "per", "cent", "percent", "%", "decent",
    "today", "weekends", "because", "due", "to", "led", "cause", "caused", "by", "reason",
    "Smith", "U.S.", "Jean-Paul", "O’Neil", ")", ";", ": ", "A", "Zürich", "ÉCOLE",
]  # fmt: skip
REFERENCE_REASON = re.compile(
    r"\b(?:because|due to|owing to|thanks to|so that|in order to|as a result|reasons?|"
    r"caused? by|result(?:ed|s)? (?:of|from)|led to|leads? to)\b"
)
REFERENCE_MONEY = re.compile(r"[$£€¥]|\b(?:dollars?|pounds?|euros?|yen|cents?|usd)\b")
REFERENCE_PERCENT = re.compile(r"%|\bper ?cent\b")
REFERENCE_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’.-]*")


@settings(max_examples=500)
@given(st.lists(st.sampled_from(CUE_PIECES), max_size=12).map("".join) | st.text(max_size=60))
def test_cues_agree_with_the_word_boundary_patterns(text: str) -> None:
    cues, lowered = sentence_cues(text, Analyzer()), text.lower()
    assert cues.times == frozenset(REFERENCE_TIMES.findall(lowered))
    assert cues.years == frozenset(REFERENCE_YEARS.findall(lowered))
    assert cues.numbers == frozenset(REFERENCE_NUMBERS.findall(lowered))
    reference_words = set(REFERENCE_TIMES.findall(lowered)) | set(
        REFERENCE_NUMBERS.findall(lowered)
    )
    assert Asked.of(text, frozenset()).words == reference_words
    assert cues.reason == bool(REFERENCE_REASON.search(lowered))
    analyzer = Analyzer()
    names = {analyzer.term(match.group().rstrip(".")) for match in REFERENCE_NAME.finditer(text)}
    assert cues.names == names - {None}


QUESTION_PIECES = [
    "how", "much", "many", "come", "long", "what", "which", "in", "when", "why", "who",
    "whom", "whose", "where", "is", "was", "the", "their", "name", "names", "reason",
    "reasons", "year", "years", "century", "city", "percentage", "number", "money", "cost",
    " ", "  ", "-", "?", "HOW", "What", "somewhere", "showhow", "İ", "k",
]  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.sampled_from(QUESTION_PIECES), max_size=10).map("".join) | st.text(max_size=40))
def test_question_types_agree_with_every_pattern_scanned(question: str) -> None:
    # The hints only skip patterns that cannot match: scanning them all gives the same type.
    lowered = question.lower()
    scanned = (kind for _, pattern, kind in _QUESTION_TYPES if pattern.search(lowered))
    assert answer_type(question) == next(scanned, AnswerType.OTHER)
