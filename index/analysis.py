"""One analyzer for sentences and questions: text in, index terms out.

Steps, in order: find word tokens in the original text (keeping their spans),
fold Unicode (NFKC, accents, curly apostrophes), lowercase, drop possessive and
contraction suffixes, drop stopwords, conflate irregular verbs (said -> say),
and stem with NLTK's Snowball stemmer, which needs no downloaded data.

Numbers lose their separators and ordinal or plural endings (``1,000`` ->
``1000``, ``50th`` -> ``50``, ``1990s`` -> ``1990``), so "the 50th Super Bowl"
matches "Super Bowl 50".

Acronyms survive: a token written in capitals (``US``) or with dots (``U.S.``)
keeps its term even when the lowercase word is a stopword (the pronoun "us").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nltk.stem.snowball import SnowballStemmer

from index.wordlists import irregular_verbs, stopwords

ANALYZER_VERSION = 3

# Dotted acronyms first (U.S.), then numbers with separators (1,000 / 3.5),
# then words with inner apostrophes (Levi's, O'Brien).
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d+(?:\.\d+)+"
    r"|[^\W_]+(?:['’‘ʼ][^\W_]+)*"
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_CLITICS = frozenset({"s", "re", "ve", "ll", "d", "m"})


@dataclass(frozen=True, slots=True)
class Token:
    """An index term and the span of the word it came from."""

    term: str
    start: int
    end: int


def fold(word: str) -> str:
    """NFKC-normalise, strip accents and lowercase one word."""
    word = unicodedata.normalize("NFKC", word).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def _drop_clitic(word: str) -> str:
    if "'" not in word:
        return word
    base, _, suffix = word.rpartition("'")
    if suffix in _CLITICS:
        return base.replace("'", "")
    if suffix == "t" and base.endswith("n"):
        return {"ca": "can", "wo": "will"}.get(base[:-1], base[:-1])
    return word.replace("'", "")


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|s)$")


def _number(word: str) -> str:
    """``50th`` -> ``50``, ``1990s`` -> ``1990``, ``1,000`` -> ``1000``."""
    word = word.replace(",", "")
    match = _ORDINAL.match(word)
    return match.group(1) if match else word


def _is_acronym(surface: str) -> bool:
    if "." in surface:
        return True
    return len(surface) >= 2 and surface.isupper() and surface.isalpha()


def _shouting(text: str) -> bool:
    """True when most letters are capitals, as in a headline; capitals then mean nothing."""
    letters = [ch for ch in text[:2000] if ch.isalpha()]
    return len(letters) >= 12 and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)


class Analyzer:
    """Turns text into BM25 terms. Instances are cheap to share; results are cached."""

    def __init__(self) -> None:
        self._stemmer = SnowballStemmer("english")
        self._stopwords = stopwords()
        self._verbs = irregular_verbs()
        self._cache: dict[tuple[str, bool], str | None] = {}

    def tokens(self, text: str) -> list[Token]:
        """The terms of ``text`` with the spans of the words they came from."""
        shouting = _shouting(text)
        found = []
        for match in _TOKEN.finditer(text):
            term = self.term(match.group(), shouting)
            if term is not None:
                found.append(Token(term, match.start(), match.end()))
        return found

    def terms(self, text: str) -> list[str]:
        """The terms of ``text`` in order, repeats kept (BM25 counts them)."""
        return [token.term for token in self.tokens(text)]

    def term(self, surface: str, shouting: bool = False) -> str | None:
        """The term for one word as written, or ``None`` for a stopword."""
        key = (surface, shouting)
        if key not in self._cache:
            if len(self._cache) > 500_000:
                self._cache.clear()
            self._cache[key] = self._analyse(surface, shouting)
        return self._cache[key]

    def _analyse(self, surface: str, shouting: bool) -> str | None:
        word = _drop_clitic(fold(surface))
        if "." in word and not word.replace(".", "").isdigit():
            word = word.replace(".", "")
        if not word:
            return None
        if word in self._stopwords:
            return word if _is_acronym(surface) and not shouting else None
        if word[0].isdigit():
            return _number(word)
        stem: str = self._stemmer.stem(self._verbs.get(word, word))
        return stem
