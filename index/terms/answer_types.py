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
from itertools import repeat

from index.terms.analysis import Analyzer


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
    REASON = "reason"
    ENTITY = "entity"
    OTHER = "other"

    @property
    def asks_value(self) -> bool:
        """Whether the answer is a value (a date, a year, a number, a sum, a share): a cue
        for it is specific, unlike a capitalised word (a name), which most sentences hold."""
        return self in _VALUES


_VALUES = frozenset(
    {
        AnswerType.TIME,
        AnswerType.YEAR,
        AnswerType.NUMBER,
        AnswerType.COUNT,
        AnswerType.MONEY,
        AnswerType.PERCENT,
    }
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TIME_WORDS = r"(?:year|century|decade|date|time|day|month|era|period|age)s?"
# "How much" with one of these asks for a sum of money, not a quantity of oxygen.
_MONEY_ASKED = (
    r"money|costs?|pay|paid|spend|spent|raised?|sell|sold|bid|revenues?|invest|worth|price|"
    r"offer|purchase|budget"
)
# Each wh-phrase with words one of which every match holds: a substring test spares most
# questions most of the regex scans (a "what" question never needs the "when" pattern).
_QUESTION_TYPES: tuple[tuple[tuple[str, ...], re.Pattern[str], AnswerType], ...] = (
    (("how much",), re.compile(rf"\bhow much\b.*\b(?:{_MONEY_ASKED})\b"), AnswerType.MONEY),
    (
        ("what", "which"),
        re.compile(r"\b(?:what|which) (?:percentage|percent|proportion|share)\b"),
        AnswerType.PERCENT,
    ),
    (("how many",), re.compile(r"\bhow many\b"), AnswerType.COUNT),
    (
        ("how ",),
        re.compile(r"\bhow (?:much|long|old|far|large|big|high|tall|often)\b"),
        AnswerType.NUMBER,
    ),
    (("what", "which"), re.compile(r"\b(?:what|which) (?:number|amount)\b"), AnswerType.NUMBER),
    (
        ("what", "which"),
        re.compile(r"\b(?:what|which|in what|in which) years?\b"),
        AnswerType.YEAR,
    ),
    (
        ("what", "which"),
        re.compile(rf"\b(?:what|which|in what|in which) {_TIME_WORDS}\b"),
        AnswerType.TIME,
    ),
    (("when",), re.compile(r"\bwhen\b"), AnswerType.TIME),
    (
        ("why", "how come", "what"),
        re.compile(r"\bwhy\b|\bhow come\b|\bwhat (?:is|was|are|were) the reasons?\b"),
        AnswerType.REASON,
    ),
    (("who",), re.compile(r"\bwho(?:m|se)?\b"), AnswerType.PERSON),
    (("where",), re.compile(r"\bwhere\b"), AnswerType.PLACE),
    (
        ("what", "which"),
        re.compile(r"\b(?:what|which) (?:city|country|state|place|town|region)\b"),
        AnswerType.PLACE,
    ),
    (("which",), re.compile(r"\bwhich\b"), AnswerType.ENTITY),
    (
        ("what",),
        re.compile(r"\bwhat (?:is|was|were|are) (?:the|their|his|her|its) names?\b"),
        AnswerType.ENTITY,
    ),
)
# Cues are found among the sentence's words (runs of word characters, as ``\b`` sees them):
# a month, weekday or number word is a whole run, found by one scan for them all, and a
# year is a whole run of its own shape, looked for only when a digit is there.
# ``tests/test_answer_types.py`` holds the word-boundary patterns this replaces (three
# times slower at indexing) and checks the two agree.
_YEAR_RUN = re.compile(r"\b((1\d{3}|20\d{2})s?)\b")
_CENTURY = re.compile(r"\b\d+(?:st|nd|rd|th) century\b")
_DIGITS = re.compile(r"\d+(?:[,.]\d+)*")
_ANY_DIGIT = re.compile(r"\d")
_RELATIVE_DAYS = "today|tonight|tomorrow|yesterday|weekend"
_TIME_NAMES = frozenset(f"{_MONTHS}|{_WEEKDAYS}|{_RELATIVE_DAYS}".split("|"))
_NUMBERS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "hundred|thousand|million|billion|dozen|half"
)
_NUMBER_WORDS = frozenset(_NUMBERS.split("|"))
_NAMED_RUN = re.compile(rf"\b(?:{'|'.join(sorted(_TIME_NAMES | _NUMBER_WORDS))})\b")
# A currency sign or word marks a sum of money; a percent sign or word a share.
_MONEY = re.compile(r"[$£€¥]|\b(?:dollars?|pounds?|euros?|yen|cents?|usd)\b")
_PERCENT = re.compile(r"%|\bper ?cent\b")
# Every match of the pattern above contains one of these (``_MONEY`` matches ``text``,
# whose lowercase form holds the same letters).
_MONEY_HINTS = ("$", "£", "€", "¥", "dollar", "pound", "euro", "yen", "cent", "usd")
_PERCENT_HINTS = ("%", "cent")
# A causal connective marks a sentence that gives a reason ("why" questions); every match
# holds one of the hints.
_REASON = re.compile(
    r"\b(?:because|due to|owing to|thanks to|so that|in order to|as a result|reasons?|"
    r"caused? by|result(?:ed|s)? (?:of|from)|led to|leads? to)\b"
)
_REASON_HINTS = (
    *("because", "due to", "owing", "thanks", "so that", "order"),
    *("result", "reason", "cause", "led to", "lead"),
)
# A capitalised word that does not start the sentence: a name, most of the time. (The
# capital comes first, then the look behind it: the scanner skips to capitals.)
_NAME = re.compile(r"[A-Z](?<=[\w,;:)] [A-Z])[\w'’.-]*")


def answer_type(question: str) -> AnswerType:
    """The answer type ``question`` asks for, from its wh-phrase."""
    text = question.lower()
    for hints, pattern, kind in _QUESTION_TYPES:
        if _mentions(text, hints) and pattern.search(text):
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
    reason: bool = False


def sentence_cues(text: str, analyzer: Analyzer) -> SentenceCues:
    """The cues of one sentence; ``names`` are the index terms of its inner capitalised words."""
    lowered = text.lower()
    times, numbers, years = _dated_and_counted(lowered)
    names = set(map(analyzer.term, map(str.rstrip, _NAME.findall(text), repeat("."))))
    return SentenceCues(
        times=times,
        numbers=numbers,
        names=frozenset(name for name in names if name is not None),
        years=years,
        money=_mentions(lowered, _MONEY_HINTS) and bool(_MONEY.search(text)),
        percent=_mentions(lowered, _PERCENT_HINTS) and bool(_PERCENT.search(lowered)),
        reason=_mentions(lowered, _REASON_HINTS) and bool(_REASON.search(lowered)),
    )


def _mentions(lowered: str, hints: tuple[str, ...]) -> bool:
    """Whether any hint occurs: substring tests spare most sentences a regex scan."""
    return any(map(lowered.__contains__, hints))


def _dated_and_counted(
    lowered: str,
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The times (years as written, months, weekdays, "19th century"), numbers (digits and
    number words) and years (digits only: "1990s" gives "1990") of lowercase text."""
    named = frozenset(_NAMED_RUN.findall(lowered))
    has_digit = _ANY_DIGIT.search(lowered) is not None
    years = _YEAR_RUN.findall(lowered) if has_digit else []
    times = {written for written, _ in years} | (named & _TIME_NAMES)
    if has_digit and "century" in lowered:
        times.update(_CENTURY.findall(lowered))
    numbers = (named & _NUMBER_WORDS) | frozenset(_DIGITS.findall(lowered) if has_digit else ())
    return frozenset(times), numbers, frozenset(year for _, year in years)


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
    if kind is AnswerType.REASON:
        return cues.reason
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
        times, numbers, _ = _dated_and_counted(lowered)
        words = times | numbers
        return cls(frozenset(words), terms)
