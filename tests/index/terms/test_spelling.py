"""Did you mean: only typos are corrected, into the closest, most frequent indexed word."""

from __future__ import annotations

import zlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.records import Correction
from index.service.opened_index import OpenedIndex
from index.terms.analysis import Analyzer, fold
from index.terms.spelling import Speller, edit_distance, frequency_lookup, max_distance
from index.terms.wordlists import english_words

VOCABULARY = {"pentagon": 3, "say": 9, "take": 4, "russia": 5, "kirbi": 2, "talk": 6, "tall": 1}


@pytest.fixture
def speller() -> Speller:
    return Speller(Analyzer(), lambda term: VOCABULARY.get(term, 0))


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("pentgon", "pentagon", 1), ("teh", "the", 1), ("kitten", "sitting", 3), ("same", "same", 0)],
)
def test_edit_distance_counts_insertions_substitutions_and_swaps(
    a: str, b: str, distance: int
) -> None:
    assert edit_distance(a, b, limit=5) == distance


def test_edit_distance_stops_early_above_the_limit() -> None:
    assert edit_distance("abcdef", "uvwxyz", limit=2) == 3


def test_a_typo_is_corrected_keeping_its_capitals(speller: Speller) -> None:
    fix = speller.correct("What did the Pentgon say?")
    assert fix is not None
    assert fix.question == "What did the Pentagon say?"
    assert fix.corrections == (Correction("Pentgon", "Pentagon"),)


def test_real_english_words_are_never_rewritten(speller: Speller) -> None:
    # "bake" is one edit from the indexed "take" but is a word of its own.
    assert speller.correct("how do I bake bread") is None
    assert speller.correct("What is the capital of France?") is None


def test_short_words_and_known_words_are_left_alone(speller: Speller) -> None:
    assert not speller.looks_like_typo("tak")
    assert not speller.looks_like_typo("Russia")


def test_ties_in_distance_go_to_the_more_frequent_term(speller: Speller) -> None:
    # "talq" is one edit from both "talk" (6 sentences) and "tall" (1).
    assert speller.suggest("talq") == "talk"


def test_nothing_close_enough_gives_no_suggestion(speller: Speller) -> None:
    assert speller.suggest("xylophonic") is None


def test_frequency_lookup_reads_the_vocabulary() -> None:
    frequency = frequency_lookup({"a": 0, "b": 1}, [7, 2])
    assert (frequency("a"), frequency("b"), frequency("c")) == (7, 2, 0)


# The implementation before the compiled kernel (issue 4), kept as the reference the fast
# path must agree with: a Python edit distance over every English word with the same initial.
def reference_distance(a: str, b: str, limit: int) -> int:
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


def reference_suggest(analyzer: Analyzer, frequency: Callable[[str], int], word: str) -> str | None:
    folded = fold(word).replace("'", "")
    limit = max_distance(folded)
    pool = [w for w in english_words() if w[0] == folded[0]]
    best: tuple[int, int, int] | None = None
    choice = None
    for rank, candidate in enumerate(pool):
        distance = reference_distance(folded, candidate, limit)
        if distance > limit:
            continue
        term = analyzer.term(candidate)
        count = frequency(term) if term is not None else 0
        key = (distance, -count, rank)
        if count and (best is None or key < best):
            best, choice = key, candidate
    return choice


def tied_frequency(term: str) -> int:
    """A stand-in vocabulary: a third of the terms absent, the rest in 1 or 2 sentences."""
    return zlib.crc32(term.encode("utf-8", "surrogatepass")) % 3


@st.composite
def typos(draw: st.DrawFn) -> str:
    """An English word (sometimes capitalised or accented) with up to three random edits."""
    word = draw(st.sampled_from(english_words()))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(1, max(1, len(word) - 1)))
        letter = draw(st.sampled_from("aeiourstnlcdpghy'é"))
        edit = draw(st.sampled_from(["swap", "drop", "insert", "replace"]))
        if edit == "swap" and at < len(word) - 1:
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        elif edit == "drop" and len(word) > 1:
            word = word[:at] + word[at + 1 :]
        elif edit == "insert":
            word = word[:at] + letter + word[at:]
        else:
            word = word[:at] + letter + word[at + 1 :]
    return word.title() if draw(st.booleans()) else word


@settings(max_examples=300)
@given(st.text("abcé'", max_size=9), st.text("abcé'", max_size=9), st.integers(0, 4))
def test_the_compiled_distance_equals_the_reference(a: str, b: str, limit: int) -> None:
    assert edit_distance(a, b, limit) == reference_distance(a, b, limit)


@settings(max_examples=40, deadline=None)
@given(typos())
def test_suggestions_equal_the_reference_on_typos_of_english_words(word: str) -> None:
    analyzer = Analyzer()
    speller = Speller(analyzer, tied_frequency)
    assert speller.suggest(word) == reference_suggest(analyzer, tied_frequency, word)


@settings(max_examples=25, deadline=None)
@given(typos())
def test_suggestions_equal_the_reference_over_the_seed_vocabulary(
    article_index: OpenedIndex, word: str
) -> None:
    searcher = article_index.searcher
    doc_freq = searcher.index.postings.doc_freq().tolist()
    frequency = frequency_lookup(searcher.term_ids, doc_freq)
    speller = Speller(searcher.analyzer, frequency)
    assert speller.suggest(word) == reference_suggest(searcher.analyzer, frequency, word)


def test_words_with_no_english_word_of_their_initial_get_no_suggestion() -> None:
    speller = Speller(Analyzer(), tied_frequency)
    assert speller.suggest("ωμέγα") is None
    assert reference_suggest(Analyzer(), tied_frequency, "ωμέγα") is None


def test_a_question_is_corrected_once_then_remembered() -> None:
    looked_up: list[str] = []

    def frequency(term: str) -> int:
        looked_up.append(term)
        return VOCABULARY.get(term, 0)

    speller = Speller(Analyzer(), frequency)
    first = speller.correct("What did the Pentgon say?")
    asked = len(looked_up)
    assert asked > 0
    assert speller.correct("What did the Pentgon say?") == first
    assert len(looked_up) == asked


def test_warm_up_packs_the_word_lists_once() -> None:
    from index.terms.spelling import _english, _english_by_initial, warm_up

    warm_up()
    assert _english.cache_info().currsize == _english_by_initial.cache_info().currsize == 1
    pools = _english_by_initial()
    warm_up()
    assert _english_by_initial() is pools
