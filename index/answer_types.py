"""Answer-type cues: what kind of answer a question asks for, and which sentences hold one.

A "when" question is answered by a sentence with a date, a weekday or a year,
"what year" by one with a year, "how many" by one with a number that is not a
year, "how much money" by one with a sum of money, "what percentage" by one
with a percentage, "who" and "where" by one naming someone or somewhere the
question does not already name. The cues are surface patterns only: no
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
    COUNT = "count"
    YEAR = "year"
    MONEY = "money"
    PERCENT = "percent"
    ENTITY = "entity"
    OTHER = "other"


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TIME_WORDS = r"(?:year|century|decade|date|time|day|month|era|period|age)s?"
# "How much" with one of these asks for a sum of money, not a quantity of oxygen.
_MONEY_ASKED = (
    r"money|costs?|pay|paid|spend|spent|raised?|sell|sold|bid|revenues?|invest|worth|price|"
    r"offer|purchase|budget"
)
_QUESTION_TYPES: tuple[tuple[re.Pattern[str], AnswerType], ...] = (
    (re.compile(rf"\bhow much\b.*\b(?:{_MONEY_ASKED})\b"), AnswerType.MONEY),
    (re.compile(r"\b(?:what|which) (?:percentage|percent|proportion|share)\b"), AnswerType.PERCENT),
    (re.compile(r"\bhow many\b"), AnswerType.COUNT),
    (
        re.compile(r"\bhow (?:much|long|old|far|large|big|high|tall|often)\b"),
        AnswerType.NUMBER,
    ),
    (re.compile(r"\b(?:what|which) (?:number|amount)\b"), AnswerType.NUMBER),
    (re.compile(r"\b(?:what|which|in what|in which) years?\b"), AnswerType.YEAR),
    (re.compile(rf"\b(?:what|which|in what|in which) {_TIME_WORDS}\b"), AnswerType.TIME),
    (re.compile(r"\bwhen\b"), AnswerType.TIME),
    (re.compile(r"\bwho(?:m|se)?\b"), AnswerType.PERSON),
    (re.compile(r"\bwhere\b"), AnswerType.PLACE),
    (re.compile(r"\b(?:what|which) (?:city|country|state|place|town|region)\b"), AnswerType.PLACE),
    (re.compile(r"\bwhich\b"), AnswerType.ENTITY),
    (
        re.compile(r"\bwhat (?:is|was|were|are) (?:the|their|his|her|its) names?\b"),
        AnswerType.ENTITY,
    ),
)
_YEAR = re.compile(
    rf"\b(?:1\d{{3}}|20\d{{2}})s?\b|\b(?:{_MONTHS}|{_WEEKDAYS})\b|\b\d+(?:st|nd|rd|th) century\b"
)
_YEAR_NUMBER = re.compile(r"\b(1\d{3}|20\d{2})s?\b")
# A currency sign or word marks a sum of money; a percent sign or word a share.
_MONEY = re.compile(r"[$£€¥]|\b(?:dollars?|pounds?|euros?|yen|cents?|usd)\b")
_PERCENT = re.compile(r"%|\bper ?cent\b")
_NUMBER = re.compile(
    r"\d+(?:[,.]\d+)*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
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
    """What kinds of answer a sentence could hold (``years``: the years among ``times``)."""

    times: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    years: frozenset[str] = frozenset()
    money: bool = False
    percent: bool = False


def sentence_cues(text: str, analyzer: Analyzer) -> SentenceCues:
    """The cues of one sentence; ``names`` are the index terms of its inner capitalised words."""
    lowered = text.lower()
    names = {analyzer.term(match.group().rstrip(".")) for match in _NAME.finditer(text)}
    return SentenceCues(
        times=frozenset(_YEAR.findall(lowered)),
        numbers=frozenset(_NUMBER.findall(lowered)),
        names=frozenset(name for name in names if name is not None),
        years=frozenset(_YEAR_NUMBER.findall(lowered)),
        money=bool(_MONEY.search(text)),
        percent=bool(_PERCENT.search(lowered)),
    )


def fits(kind: AnswerType, cues: SentenceCues, question: Asked) -> bool:
    """Whether a sentence with ``cues`` holds an answer of type ``kind`` the question lacks."""
    if kind is AnswerType.TIME:
        return bool(cues.times - question.words)
    if kind is AnswerType.NUMBER:
        return bool(cues.numbers - question.words)
    if kind is AnswerType.YEAR:
        return bool(cues.years - question.words)
    if kind is AnswerType.COUNT:
        return bool(cues.numbers - cues.years - question.words)
    if kind is AnswerType.MONEY:
        return cues.money and bool(cues.numbers - question.words)
    if kind is AnswerType.PERCENT:
        return cues.percent and bool(cues.numbers - question.words)
    if kind in (AnswerType.PERSON, AnswerType.PLACE, AnswerType.ENTITY):
        return bool(cues.names - question.terms)
    return False


@dataclass(frozen=True, slots=True)
class Asked:
    """What the question already says: its lowercase words and its index terms."""

    words: frozenset[str]
    terms: frozenset[str]

    @classmethod
    def of(cls, question: str, terms: frozenset[str]) -> Asked:
        """The words and terms of ``question``."""
        lowered = question.lower()
        words = set(_YEAR.findall(lowered)) | set(_NUMBER.findall(lowered))
        return cls(frozenset(words), terms)
