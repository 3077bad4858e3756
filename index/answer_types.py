"""Answer-type cues: what kind of answer a question asks for, and which sentences hold one.

A "when" question is answered by a sentence with a date or a year, "how many"
by one with a number, "who" and "where" by one naming someone or somewhere
the question does not already name. The cues are surface patterns only: no
tagger, no model, a few microseconds a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from index.analysis import Analyzer


class AnswerType(Enum):
    """The kind of answer a question asks for."""

    PERSON = "person"
    TIME = "time"
    PLACE = "place"
    NUMBER = "number"
    OTHER = "other"


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_TIME_WORDS = r"(?:year|century|decade|date|time|day|month|era|period|age)s?"
_QUESTION_TYPES: tuple[tuple[re.Pattern[str], AnswerType], ...] = (
    (
        re.compile(r"\bhow (?:many|much|long|old|far|large|big|high|tall|often)\b"),
        AnswerType.NUMBER,
    ),
    (re.compile(r"\b(?:what|which) (?:percentage|percent|number|amount)\b"), AnswerType.NUMBER),
    (re.compile(rf"\b(?:what|which|in what|in which) {_TIME_WORDS}\b"), AnswerType.TIME),
    (re.compile(r"\bwhen\b"), AnswerType.TIME),
    (re.compile(r"\bwho(?:m|se)?\b"), AnswerType.PERSON),
    (re.compile(r"\bwhere\b"), AnswerType.PLACE),
    (re.compile(r"\b(?:what|which) (?:city|country|state|place|town|region)\b"), AnswerType.PLACE),
)
_YEAR = re.compile(
    rf"\b(?:1\d{{3}}|20\d{{2}})s?\b|\b(?:{_MONTHS})\b|\b\d+(?:st|nd|rd|th) century\b"
)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|billion|dozen|half)\b"
)
# A capitalised word that does not start the sentence: a name, most of the time.
_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’.-]*")


def answer_type(question: str) -> AnswerType:
    """The answer type ``question`` asks for, from its wh-phrase."""
    text = question.lower()
    for pattern, kind in _QUESTION_TYPES:
        if pattern.search(text):
            return kind
    return AnswerType.OTHER


@dataclass(frozen=True, slots=True)
class SentenceCues:
    """What kinds of answer a sentence could hold."""

    has_time: bool
    has_number: bool
    names: frozenset[str]


def sentence_cues(text: str, analyzer: Analyzer) -> SentenceCues:
    """The cues of one sentence; ``names`` are the index terms of its inner capitalised words."""
    lowered = text.lower()
    names = {analyzer.term(match.group().rstrip(".")) for match in _NAME.finditer(text)}
    return SentenceCues(
        has_time=_YEAR.search(lowered) is not None,
        has_number=_NUMBER.search(lowered) is not None,
        names=frozenset(name for name in names if name is not None),
    )


def fits(kind: AnswerType, cues: SentenceCues, question_terms: frozenset[str]) -> bool:
    """Whether a sentence with ``cues`` could answer a question of type ``kind``."""
    if kind is AnswerType.TIME:
        return cues.has_time
    if kind is AnswerType.NUMBER:
        return cues.has_number
    if kind in (AnswerType.PERSON, AnswerType.PLACE):
        return bool(cues.names - question_terms)
    return False
