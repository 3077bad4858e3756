"""Did you mean: spelling suggestions for question words the index has never seen.

Only a word that looks like a typo is corrected: alphabetic, at least four
letters, absent from the index vocabulary and not a real English word. A real
word the articles never use ("bake", "France") stays as it is, so an
off-topic question still gets no answer instead of a wrong one. The
replacement is the closest word (Damerau-Levenshtein distance) whose term the
index holds; ties go to the term in more sentences, then to the commoner
English word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from index.analysis import Analyzer, fold
from index.records import Correction
from index.wordlists import english_words

MIN_TYPO_LETTERS = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class SpellingFix:
    """The corrected question and the corrections that made it."""

    question: str
    corrections: tuple[Correction, ...]


def max_distance(word: str) -> int:
    """How many edits a typo of ``word``'s length may plausibly hold."""
    return 1 if len(word) <= 5 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance of ``a`` and ``b``, or ``limit + 1`` when above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous, current = list(range(len(b) + 1)), [0] * (len(b) + 1)
    before: list[int] = []
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[len(b)]


@cache
def _english() -> frozenset[str]:
    return frozenset(english_words())


@cache
def _english_by_initial() -> dict[str, tuple[str, ...]]:
    buckets: dict[str, list[str]] = {}
    for word in english_words():
        buckets.setdefault(word[0], []).append(word)
    return {initial: tuple(words) for initial, words in buckets.items()}


class Speller:
    """Suggests indexed words for typos; ``frequency`` maps an index term to its sentence count."""

    def __init__(self, analyzer: Analyzer, frequency: Callable[[str], int]) -> None:
        self._analyzer = analyzer
        self._frequency = frequency

    def looks_like_typo(self, word: str) -> bool:
        """An unknown, non-English, alphabetic word of four letters or more."""
        folded = fold(word).replace("'", "")
        if len(folded) < MIN_TYPO_LETTERS or not folded.isalpha() or folded in _english():
            return False
        term = self._analyzer.term(word)
        return term is not None and self._frequency(term) == 0

    def suggest(self, word: str) -> str | None:
        """The indexed word ``word`` most likely meant, or ``None``."""
        folded = fold(word).replace("'", "")
        limit = max_distance(folded)
        pool = _english_by_initial().get(folded[0], ())
        best: tuple[int, int, int] | None = None
        choice = None
        for rank, candidate in enumerate(pool):
            distance = edit_distance(folded, candidate, limit)
            if distance > limit:
                continue
            term = self._analyzer.term(candidate)
            count = self._frequency(term) if term is not None else 0
            key = (distance, -count, rank)
            if count and (best is None or key < best):
                best, choice = key, candidate
        return choice

    def correct(self, question: str) -> SpellingFix | None:
        """``question`` with every typo replaced, or ``None`` when nothing needed fixing."""
        pieces, corrections, cursor = [], [], 0
        for match in _WORD.finditer(question):
            word = match.group()
            if not self.looks_like_typo(word):
                continue
            replacement = self.suggest(word)
            if replacement is None:
                continue
            replacement = _same_case(word, replacement)
            pieces += [question[cursor : match.start()], replacement]
            cursor = match.end()
            corrections.append(Correction(word, replacement))
        if not corrections:
            return None
        pieces.append(question[cursor:])
        return SpellingFix("".join(pieces), tuple(corrections))


def _same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def frequency_lookup(term_ids: Mapping[str, int], doc_freq: Iterable[int]) -> Callable[[str], int]:
    """A term -> sentence-count function over an index's vocabulary."""
    counts = list(doc_freq)

    def frequency(term: str) -> int:
        term_id = term_ids.get(term)
        return 0 if term_id is None else int(counts[term_id])

    return frequency
