"""Analysing a batch of sentences at once gives what analysing each alone gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.terms.analysis import Analyzer
from index.terms.term_batches import term_spans_batch
from tests.conftest import HOSTILE

TRICKY_SENTENCES = [
    "The U.S. and the USA, U.S.A. and the United States agreed.",
    "United",
    "States said the U.S's envoy and the U.S.'s allies.",
    "1,000 troops, 3.5 km, the 50th Super Bowl and the 1990s; 2.5.1 and 1,00.",
    "Levi's, O'Brien's and O’Neil’s shops won't open; we'll see, they'd said.",
    '“Quoted,” she said: ‘single’ and "double" quotes.',
    "Zürich’s café, naïve ÉCOLE, İstanbul, straße, 中文 and x² on ١٩٩٠.",
    "WHAT THEY SAID ABOUT THE UNITED STATES AND THE U.S. TALKS",
    "We told US officials; US's policy; us and them.",
    "e.g. A.B.C. and a.b and Mr. Smith-Jones.",
    "",
    "   ",
    "Dr. Lee saw Gen. Ray in the United\nStates.",
    *HOSTILE,
]


def _one_by_one(analyzer: Analyzer, texts: list[str]) -> tuple[list[str], list[int], list[int]]:
    terms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for text in texts:
        spans = analyzer.term_spans(text)
        terms += spans.terms
        starts += spans.starts
        ends += spans.ends
    return terms, starts, ends


def _assert_same(texts: list[str]) -> None:
    expected = _one_by_one(Analyzer(), texts)
    counts = [len(Analyzer().terms(text)) for text in texts]
    for analyzer in (Analyzer(), Analyzer()):
        for _ in range(2):  # cold, then from the analyzer's cache
            batch = term_spans_batch(analyzer, texts)
            assert (batch.terms, batch.starts.tolist(), batch.ends.tolist()) == expected
            assert batch.counts.tolist() == counts


def test_tricky_sentences_give_the_same_terms_and_spans_in_a_batch() -> None:
    _assert_same(TRICKY_SENTENCES)
    _assert_same(TRICKY_SENTENCES[::-1])
    assert "us" in term_spans_batch(Analyzer(), ["the United States"]).terms


def test_a_name_is_not_joined_across_two_sentences() -> None:
    batch = term_spans_batch(Analyzer(), ["They united", "States agreed."])
    assert batch.terms == ["unit", "state", "agre"]
    assert batch.counts.tolist() == [1, 2]


def test_no_sentences_and_no_words() -> None:
    assert term_spans_batch(Analyzer(), []).terms == []
    assert term_spans_batch(Analyzer(), ["", "..."]).counts.tolist() == [0, 0]


TRICKY = "aAbBzZ09.,'’‘ʼ_ -\n\tÉéÄßΣσДЖªⅫⓐⒶ\u0301١²½"
WORDS = ["United", "States", "U.S.", "US", "us", "1,000", "3.5", "Levi's", "café", "SAID"]
sentence = (
    st.text(alphabet=TRICKY, max_size=60)
    | st.lists(st.sampled_from([*WORDS, " ", ". ", ", ", "\n"]), max_size=12).map("".join)
    | st.text(max_size=40)
)


@settings(max_examples=300)
@given(st.lists(sentence, max_size=8))
def test_any_sentences_give_the_same_terms_and_spans_in_a_batch(texts: list[str]) -> None:
    _assert_same(texts)
