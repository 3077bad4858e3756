"""One analyzer for sentences and questions: text in, index terms out.

Steps, in order: find word tokens in the original text (keeping their spans),
fold Unicode (NFKC, accents, curly apostrophes), lowercase, drop possessive and
contraction suffixes, drop stopwords, conflate irregular verbs (said -> say),
and stem with the Snowball English stemmer (PyStemmer, the Snowball project's own C
code: the algorithm NLTK implements in Python, three times faster and a release
newer), which needs no downloaded data.

Numbers lose their separators and ordinal or plural endings (``1,000`` ->
``1000``, ``50th`` -> ``50``, ``1990s`` -> ``1990``), so "the 50th Super Bowl"
matches "Super Bowl 50".

Acronyms survive: a token written in capitals (``US``, ``US's``) or with dots
(``U.S.``, ``U.S``) keeps its term even when the lowercase word is a stopword (the
pronoun "us"). The country has one term however it is written: ``US``, ``U.S.``,
``USA``, ``U.S.A.`` and "United States" are all ``us`` (America stays a word of its
own, related to ``us`` by the synonym list: it also names a continent).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from operator import is_not

import Stemmer

from index.terms.wordlists import irregular_verbs, stopwords

ANALYZER_VERSION = 5

# Dotted acronyms first (U.S., also U.S without its last dot, and U.S.'s), then numbers
# with separators (1,000 / 3.5), then words with inner apostrophes (Levi's, O'Brien).
# The lookaheads change no match (every match starts with a word character, a dotted
# acronym's second character is a dot, a number starts with a digit) but let the scanner
# skip the alternatives that cannot start at a position: 30% less time per sentence.
# One group, for ``split``.
# _ASCII_TOKEN is the same pattern for ASCII text, where \w, \d and [^\W_] are plain ranges.
_TOKEN = re.compile(
    r"((?=\w)(?:(?=.\.)[^\W\d_](?:\.[^\W\d_])+\.?(?:['’‘ʼ]s\b)?"
    r"|(?=\d)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)+)"
    r"|[^\W_]+(?:['’‘ʼ][^\W_]+)*))"
)
_ASCII_TOKEN = re.compile(
    r"((?=[A-Za-z0-9])(?:(?=.\.)[A-Za-z](?:\.[A-Za-z])+\.?(?:'s\b)?"
    r"|(?=[0-9])(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)+)"
    r"|[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*))"
)
_NOT_ASCII_LETTERS = bytes(b for b in range(256) if not chr(b).isalpha() or b > 127)
_NOT_ASCII_CAPITALS = bytes(b for b in range(256) if not chr(b).isupper() or b > 127)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# Marks a word not analysed yet; no term contains NUL (terms come from word characters).
_UNSEEN = "\x00"
_CLITICS = frozenset({"s", "re", "ve", "ll", "d", "m"})
# Other spellings of a term (after folding and dropping dots).
_ALIASES = {"usa": "us"}
# Two-word names with one term: the first word takes it, the second is dropped.
_PAIRS = {("united", "states"): "us"}
PAIR_FIRST_TERMS = frozenset({"unit"})


@dataclass(frozen=True, slots=True)
class Token:
    """An index term and the span of the word it came from."""

    term: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TermSpans:
    """A text's terms in order and, for each, the start and end of its word."""

    terms: list[str]
    starts: list[int]
    ends: list[int]


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
    word = surface.translate(_APOSTROPHES).split("'")[0]  # US's -> US
    return len(word) >= 2 and word.isupper() and word.isalpha()


def is_shouted(text: str) -> bool:
    """True when most letters are capitals, as in a headline; capitals then mean nothing."""
    # Counted in C: ASCII letters by deleting everything else from the bytes, the few
    # other characters one by one (a Python loop per character took 8 µs a sentence).
    sample = text[:2000]
    ascii_part = sample.encode("ascii", "ignore")
    letters = len(ascii_part.translate(None, _NOT_ASCII_LETTERS))
    capitals = len(ascii_part.translate(None, _NOT_ASCII_CAPITALS))
    if not sample.isascii():
        others = [ch for ch in _NON_ASCII.findall(sample) if ch.isalpha()]
        letters += len(others)
        capitals += sum(ch.isupper() for ch in others)
    return letters >= 12 and capitals > 0.6 * letters


def words_and_gaps(text: str) -> list[str]:
    """``text`` cut into gaps and the words ``_TOKEN`` finds, alternately (gap first).

    Cheaper than a match object per word; ASCII text (nine sentences in ten) takes a
    pattern of ASCII ranges, which matches the same words there and scans faster.
    """
    return (_ASCII_TOKEN if text.isascii() else _TOKEN).split(text)


def _located(pieces: list[str], terms: list[str | None], wanted: Set[str]) -> list[Token]:
    """Tokens for the words (odd ``pieces``) whose ``terms`` are in ``wanted``."""
    # Picked and measured in C (compress, accumulate): a sentence has ~25 words, ~5 wanted.
    chosen = list(compress(range(len(terms)), map(wanted.__contains__, terms)))
    if not chosen:
        return []
    ends = list(accumulate(map(len, pieces)))
    found = []
    for i in chosen:
        term = terms[i]
        if term is not None:
            found.append(Token(term, ends[2 * i], ends[2 * i + 1]))
    return found


def _join_pairs(words: list[str], terms: list[str | None]) -> None:
    """Give each two-word name of ``_PAIRS`` its one term (on the first word), in place."""
    for i in range(len(words) - 1):
        joined = _PAIRS.get((words[i].lower(), words[i + 1].lower()))
        if joined is not None:
            terms[i], terms[i + 1] = joined, None


class Analyzer:
    """Turns text into BM25 terms. Instances are cheap to share; results are cached."""

    def __init__(self) -> None:
        self._stem = Stemmer.Stemmer("english").stemWord
        self._stopwords = stopwords()
        self._verbs = irregular_verbs()
        # One cache per shouting flag, keyed by the word alone: no key tuple per lookup.
        self._plain: dict[str, str | None] = {}
        self._shouted: dict[str, str | None] = {}

    def tokens(self, text: str) -> list[Token]:
        """The terms of ``text`` with the spans of the words they came from."""
        pieces = words_and_gaps(text)
        ends = list(accumulate(map(len, pieces)))
        found = []
        for i, term in enumerate(self.word_terms(pieces[1::2], is_shouted(text))):
            if term is not None:
                found.append(Token(term, ends[2 * i], ends[2 * i + 1]))
        return found

    def matching_tokens(self, text: str, wanted: Set[str]) -> list[Token]:
        """The tokens of ``text`` whose terms are in ``wanted``, as ``tokens`` would give them."""
        pieces = words_and_gaps(text)
        return _located(pieces, self.word_terms(pieces[1::2], is_shouted(text)), wanted)

    def terms(self, text: str) -> list[str]:
        """The terms of ``text`` in order, repeats kept (BM25 counts them)."""
        # What ``tokens`` gives without building a token per word: indexing calls this
        # for every sentence.
        terms = self.word_terms(words_and_gaps(text)[1::2], is_shouted(text))
        return [term for term in terms if term is not None]

    def term_spans(self, text: str) -> TermSpans:
        """The terms of ``text`` in order (as :meth:`terms`) with the spans of the words they
        came from (as :meth:`tokens`), as three parallel lists: what indexing stores, so that
        highlighting a hit needs no analysis."""
        pieces = words_and_gaps(text)
        terms = self.word_terms(pieces[1::2], is_shouted(text))
        ends = list(accumulate(map(len, pieces)))
        kept = list(map(is_not, terms, repeat(None)))
        return TermSpans(
            list(compress(terms, kept)),  # type: ignore[arg-type]
            list(compress(ends[0::2], kept)),
            list(compress(ends[1::2], kept)),
        )

    def word_terms(self, words: list[str], shouting: bool) -> list[str | None]:
        """The terms of one text's words (``None`` for a stopword), two-word names joined."""
        terms = self.lone_terms(words, shouting)
        if not PAIR_FIRST_TERMS.isdisjoint(terms):
            _join_pairs(words, terms)
        return terms

    def lone_terms(self, words: list[str], shouting: bool) -> list[str | None]:
        """Each word's own term, as :meth:`term` gives it (two-word names not joined)."""
        # Cached words are looked up inline (no call per word); only the others are analysed.
        cache = self._shouted if shouting else self._plain
        terms = list(map(cache.get, words, repeat(_UNSEEN)))
        if _UNSEEN in terms:
            pairs = zip(words, terms, strict=True)
            terms = [self.term(w, shouting) if t is _UNSEEN else t for w, t in pairs]
        return terms

    def term(self, surface: str, shouting: bool = False) -> str | None:
        """The term for one word as written, or ``None`` for a stopword."""
        cache = self._shouted if shouting else self._plain
        term = cache.get(surface, _UNSEEN)
        if term is _UNSEEN:
            if len(self._plain) + len(self._shouted) > 500_000:
                self._plain.clear()
                self._shouted.clear()
            term = cache[surface] = self._analyse(surface, shouting)
        return term

    def _analyse(self, surface: str, shouting: bool) -> str | None:
        word = _drop_clitic(fold(surface))
        if "." in word and not word.replace(".", "").isdigit():
            word = word.replace(".", "")
        if not word:
            return None
        word = _ALIASES.get(word, word)
        if word in self._stopwords:
            return word if _is_acronym(surface) and not shouting else None
        if word[0].isdigit():
            return _number(word)
        stem: str = self._stem(self._verbs.get(word, word))
        return stem
