"""Did you mean: spelling suggestions for question words the index has never seen.

Only a word that looks like a typo is corrected: alphabetic, at least four
letters, absent from the index vocabulary and not a real English word. A real
word the articles never use ("bake", "France") stays as it is, so an
off-topic question still gets no answer instead of a wrong one. The
replacement is the closest word (Damerau-Levenshtein distance) whose term the
index holds; ties go to the term in more sentences, then to the commoner
English word.

Candidates are the English words sharing the typo's initial (up to 9,000 of
them). A compiled loop (numba, cached beside this module like
``index.kernels``) rejects most on length or letters alone and computes the
distance of the rest: about 0.06 ms a word instead of 50-140 ms in Python, for
2 MiB of packed word lists built on the first suggestion. A deletes index
(SymSpell) would answer faster but holds millions of strings for this list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from index.jit import kernel
from index.records import Correction
from index.terms.analysis import Analyzer, fold
from index.terms.wordlists import english_words

CodePoints = npt.NDArray[np.uint32]
Int64s = npt.NDArray[np.int64]
Masks = npt.NDArray[np.uint64]

MIN_TYPO_LETTERS = 4
_REMEMBERED_FIXES = 256
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
    rows = np.empty((3, len(b) + 1), np.int64)
    return int(_osa(_code_points(a), _code_points(b), 0, len(b), limit, rows))


@cache
def _english() -> frozenset[str]:
    return frozenset(english_words())


@dataclass(frozen=True, slots=True)
class _Pool:
    """The English words sharing one initial, most frequent first, packed for the kernel.

    Word ``w`` is ``codes[starts[w]:starts[w + 1]]``; ``masks[w]`` has bit ``c & 63`` set
    for each of its code points ``c``.
    """

    words: tuple[str, ...]
    codes: CodePoints
    starts: Int64s
    masks: Masks
    longest: int


def _code_points(text: str) -> CodePoints:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _masks(codes: CodePoints, starts: Int64s) -> Masks:
    bits = np.left_shift(np.uint64(1), (codes & 63).astype(np.uint64))
    masks: Masks = np.bitwise_or.reduceat(bits, starts[:-1])
    return masks


def _pack(words: tuple[str, ...]) -> _Pool:
    codes = _code_points("".join(words))
    lengths = np.fromiter((len(word) for word in words), dtype=np.int64, count=len(words))
    starts = np.concatenate(([0], np.cumsum(lengths)))
    return _Pool(words, codes, starts, _masks(codes, starts), int(lengths.max()))


@cache
def _english_by_initial() -> dict[str, _Pool]:
    buckets: dict[str, list[str]] = {}
    for word in english_words():
        buckets.setdefault(word[0], []).append(word)
    return {initial: _pack(tuple(words)) for initial, words in buckets.items()}


@kernel
def _bits_above(bits: np.uint64, limit: int) -> bool:
    count = 0
    while bits:
        bits &= bits - np.uint64(1)
        count += 1
        if count > limit:
            return True
    return False


@kernel
def _osa(a: CodePoints, b: CodePoints, lo: int, hi: int, limit: int, rows: Int64s) -> int:
    """:func:`edit_distance` of ``a`` and ``b[lo:hi]``, compiled; ``rows`` is scratch."""
    n = hi - lo
    before, previous, current = rows[0], rows[1], rows[2]
    for j in range(n + 1):
        previous[j] = j
    for i in range(1, len(a) + 1):
        current[0] = smallest = i
        for j in range(1, n + 1):
            cost = 0 if a[i - 1] == b[lo + j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[lo + j - 2] and a[i - 2] == b[lo + j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
            smallest = min(smallest, value)
        if smallest > limit:
            return limit + 1
        before, previous, current = previous, current, before
    return int(previous[n])


@kernel
def _near(
    typo: CodePoints,
    mask: np.uint64,
    pool: tuple[CodePoints, Int64s, Masks],
    limit: int,
    longest: int,
) -> tuple[Int64s, Int64s]:
    """Positions and distances of the pool words within ``limit`` edits of ``typo``, in order.

    Cheap rejections first: a length ``limit`` apart, or more than ``limit`` of one word's
    code points (as mask bits) absent from the other, each of which takes an edit.
    """
    codes, starts, masks = pool
    rows = np.empty((3, longest + 1), np.int64)
    found, distances, count = np.empty(len(masks), np.int64), np.empty(len(masks), np.int64), 0
    for w in range(len(masks)):
        lo, hi = starts[w], starts[w + 1]
        if abs(hi - lo - len(typo)) > limit or _bits_above(mask & ~masks[w], limit):
            continue
        if _bits_above(masks[w] & ~mask, limit):
            continue
        distance = _osa(typo, codes, lo, hi, limit, rows)
        if distance <= limit:
            found[count], distances[count] = w, distance
            count += 1
    return found[:count], distances[:count]


@cache
def warm_up() -> None:
    """Load and pack the word lists and the compiled loop now rather than on the first
    question with an unknown word: about 30 ms of Python that would otherwise stall the
    first burst of questions (and whatever event loop shares the process). Once per process."""
    _english()
    Speller(Analyzer(), lambda term: 0).suggest("warmup")


class Speller:
    """Suggests indexed words for typos; ``frequency`` maps an index term to its sentence count."""

    def __init__(self, analyzer: Analyzer, frequency: Callable[[str], int]) -> None:
        self._analyzer = analyzer
        self._frequency = frequency
        self._fixes: dict[str, SpellingFix | None] = {}

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
        pool = _english_by_initial().get(folded[0])
        if pool is None:
            return None
        typo = _code_points(folded)
        mask = _masks(typo, np.array([0, len(typo)], dtype=np.int64))[0]
        packed = (pool.codes, pool.starts, pool.masks)
        found, distances = _near(typo, mask, packed, limit, pool.longest)
        best: tuple[int, int, int] | None = None
        for rank, distance in zip(found.tolist(), distances.tolist(), strict=True):
            term = self._analyzer.term(pool.words[rank])
            count = self._frequency(term) if term is not None else 0
            key = (distance, -count, rank)
            if count and (best is None or key < best):
                best = key
        return None if best is None else pool.words[best[2]]

    def correct(self, question: str) -> SpellingFix | None:
        """``question`` with every typo replaced, or ``None`` when nothing needed fixing."""
        # A question without hits is corrected twice (search, then "did you mean"): remember.
        try:
            return self._fixes[question]
        except KeyError:
            pass
        fix = self._correct(question)
        if len(self._fixes) >= _REMEMBERED_FIXES:
            self._fixes.clear()
        self._fixes[question] = fix
        return fix

    def _correct(self, question: str) -> SpellingFix | None:
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
