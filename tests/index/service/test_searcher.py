from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.errors import UnknownDocumentError
from index.ranking.bm25 import BM25Params
from index.records import Span
from index.service.opened_index import OpenedIndex
from index.service.searcher import MAX_K, Searcher
from index.storage.builder import build_index
from tests.conftest import FIXTURE_CORPUS, HOSTILE, write

_SEED = Searcher(build_index(FIXTURE_CORPUS, BM25Params()).index)


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    folder = tmp_path_factory.mktemp("two")
    write(folder, "a.txt", "Bridges\n\nThe bridge opened in May. The bridge is red.\n\nTolls rose.")
    write(folder, "b.txt", "Rivers\n\nThe river flooded the bridge. Boats sank.")
    return Searcher(build_index(folder, BM25Params()).index)


@pytest.fixture(scope="module")
def syndicated(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    """One wire story kept from two sites, and another story."""
    folder = tmp_path_factory.mktemp("wire")
    story = "The bridge opened on Monday. Tolls are low.\n\nCrowds cheered the bridge."
    write(folder, "a.txt", f"Bridge opens\n\nBy Daily Times\n\n{story}")
    write(folder, "b.txt", f"Bridge opens\n\nBy Evening Post\n\n{story.upper()}")
    write(folder, "c.txt", "Rivers\n\nThe river flooded the old bridge in May.")
    return Searcher(build_index(folder, BM25Params()).index)


def test_a_sentence_in_two_articles_is_quoted_once_citing_both(syndicated: Searcher) -> None:
    hits = syndicated.search("When did the bridge open?", 5, min_confidence=0).hits
    texts = [hit.sentence.text.casefold() for hit in hits]
    assert len(texts) == len(set(texts)) == 3  # two sentences of the story and the river's
    first = hits[0]
    assert first.sentence.text.casefold() == "the bridge opened on monday."
    (other,) = first.also_in
    assert {first.document.doc_id, other.doc_id} == {"a.txt", "b.txt"}
    assert first.to_json()["also_in"][0]["doc_id"] == other.doc_id
    river = next(hit for hit in hits if hit.document.doc_id == "c.txt")
    assert river.also_in == () and "also_in" not in river.to_json()
    # The ranking itself (evaluation, benchmarks) still holds every sentence.
    assert len(syndicated.rank("When did the bridge open?", 10, min_confidence=0)) == 5


def test_copies_in_many_articles_leave_their_places_to_other_sentences(
    tmp_path: Path,
) -> None:
    """A wire story kept from twelve sites fills the ranking's first places with copies;
    the answer still quotes as many different sentences as asked for."""
    story = "The bridge opened on Monday. Crowds cheered the bridge."
    for site in range(12):
        write(tmp_path, f"site{site:02}.txt", f"Bridge opens\n\nBy Site {site}\n\n{story}")
    write(tmp_path, "river.txt", "Rivers\n\nThe river flooded the old bridge in May.")
    searcher = Searcher(build_index(tmp_path, BM25Params()).index)
    hits = searcher.search("When did the bridge open?", 3, min_confidence=0).hits
    assert len({hit.sentence.text for hit in hits}) == len(hits) == 3
    assert hits[0].sentence.text == "The bridge opened on Monday."
    assert [(len(hit.also_in), hit.also_in_count) for hit in hits[:2]] == [(5, 11), (5, 11)]
    assert hits[0].document.doc_id not in {doc.doc_id for doc in hits[0].also_in}
    assert hits[2].document.doc_id == "river.txt" and hits[2].also_in == ()
    # Pages agree with the whole answer.
    pages = [
        searcher.search("When did the bridge open?", 1, offset=at, min_confidence=0)
        for at in range(3)
    ]
    assert [page.hits[0].sentence.text for page in pages] == [hit.sentence.text for hit in hits]


def test_pages_count_a_repeated_sentence_once(syndicated: Searcher) -> None:
    question = "When did the bridge open?"
    whole = syndicated.search(question, 3, min_confidence=0).hits
    pages = [syndicated.search(question, 2, offset=at, min_confidence=0).hits for at in (0, 2)]
    assert [h.position for page in pages for h in page] == [h.position for h in whole]
    assert [h.rank for page in pages for h in page] == [1, 2, 3]


def test_hits_carry_citation_highlights_and_exact_spans(article_index: OpenedIndex) -> None:
    hit = article_index.searcher.search("What did the Pentagon say?", 1).hits[0]
    assert hit.rank == 1
    assert hit.document.title == "Russia to resume talks on air safety in Syria"
    assert hit.document.source == "Metrovaartha"
    assert (hit.sentence.paragraph, hit.sentence.number) == (1, 1)
    assert hit.matched == ("Pentagon", "said")
    assert [hit.sentence.text[s.start : s.end] for s in hit.highlights] == ["Pentagon", "said"]
    assert hit.score > 0


def test_restricting_to_one_document(two_articles: Searcher) -> None:
    everywhere = two_articles.search("bridge", 10)
    assert {h.document.doc_id for h in everywhere.hits} == {"a.txt", "b.txt"}
    only_b = two_articles.search("bridge", 10, doc_id="b.txt")
    assert [h.sentence.text for h in only_b.hits] == ["The river flooded the bridge."]
    with pytest.raises(UnknownDocumentError):
        two_articles.search("bridge", doc_id="nope.txt")


def test_within_one_article_every_sentence_is_ranked(two_articles: Searcher) -> None:
    answer = two_articles.search("Is the bridge red?", 10, doc_id="a.txt", min_confidence=0)
    texts = [h.sentence.text for h in answer.hits]
    # "Tolls rose." shares no word with the question, yet within its article it is ranked.
    assert texts == ["The bridge is red.", "The bridge opened in May.", "Tolls rose."]
    assert answer.hits[-1].confidence == 0.0
    assert two_articles.rank("Is the bridge red?", 10, doc_id="a.txt") == tuple(
        h.position for h in answer.hits
    )


def test_a_sentence_sharing_no_word_is_not_counted_as_a_withheld_weak_match(
    two_articles: Searcher,
) -> None:
    shown = two_articles.search("Is the bridge red?", 10, doc_id="a.txt")
    assert [h.sentence.text for h in shown.hits][-1] == "The bridge opened in May."
    assert shown.withheld == 0
    strict = two_articles.search("Is the bridge red?", 10, doc_id="a.txt", min_confidence=0.99)
    assert [h.sentence.text for h in strict.hits] == ["The bridge is red."]
    assert strict.withheld == 1  # "The bridge opened in May.", not "Tolls rose."


def test_rank_keeps_what_reaches_a_confidence(two_articles: Searcher) -> None:
    everything = two_articles.rank("Is the bridge red?", 10, doc_id="a.txt")
    assert len(everything) == 3
    assert two_articles.rank("Is the bridge red?", 10, doc_id="a.txt", min_confidence=0.5) == (
        everything[0],
    )


def test_paging_with_offset_continues_the_ranking(two_articles: Searcher) -> None:
    full = [h.sentence.text for h in two_articles.search("bridge", 3).hits]
    page1 = two_articles.search("bridge", 2).hits
    page2 = two_articles.search("bridge", 2, offset=2).hits
    assert [h.sentence.text for h in page1 + page2] == full
    assert [h.rank for h in page2] == [3]


def test_unknown_words_are_reported_and_give_no_hits(two_articles: Searcher) -> None:
    answer = two_articles.search("zeppelin airship")
    assert answer.hits == ()
    assert answer.unknown_terms == ("zeppelin", "airship")


def test_k_is_capped_and_huge_questions_are_cut(two_articles: Searcher) -> None:
    assert len(two_articles.search("bridge", 10_000).hits) <= MAX_K
    answer = two_articles.search("bridge " + "x" * 100_000, min_confidence=0)
    assert answer.hits


def test_context_stays_within_the_document(two_articles: Searcher) -> None:
    hit = two_articles.search("tolls", 1).hits[0]
    context = two_articles.context(hit.position, before=5, after=5)
    assert [s.doc_id for s in context] == ["a.txt"] * 3
    assert context[-1].text == "Tolls rose."
    assert two_articles.context_of(hit.sentence, before=5, after=5) == context


def test_context_of_a_sentence_whose_article_is_gone_is_empty(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Bridges\n\nThe bridge opened in May.")
    write(tmp_path, "b.txt", "Rivers\n\nThe river rose.")
    before = Searcher(build_index(tmp_path, BM25Params()).index)
    quoted = before.search("bridge", 1).hits[0].sentence
    (tmp_path / "a.txt").unlink()
    after = Searcher(build_index(tmp_path, BM25Params()).index)
    assert after.context_of(quoted) == []
    moved = replace(quoted, start=quoted.start + 1)
    assert before.context_of(moved) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_question_is_answered_without_error_and_deterministically(question: str) -> None:
    index = _SEED
    first = index.search(question, 5)
    assert first == index.search(question, 5)
    for hit in first.hits:
        assert hit.score > 0
        assert hit.sentence.text == index.index.table.text(hit.position)


def test_hostile_questions_are_answered_without_error() -> None:
    for question in HOSTILE:
        answer = _SEED.search(question, 3)
        assert answer == _SEED.search(question, 3)
    assert _SEED.search("Pentagon \ud800 said\u200b").hits


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=300))
def test_any_code_point_question_is_answered(question: str) -> None:
    for hit in _SEED.search(question, 3).hits:
        assert hit.score > 0 and hit.sentence.text == _SEED.index.table.text(hit.position)


def test_a_typo_is_corrected_in_the_same_call() -> None:
    answer = _SEED.search("what did the pentgon say", 1)
    assert answer.corrected_question == "what did the pentagon say"
    assert "Pentagon" in answer.hits[0].matched


def test_nothing_found_carries_suggestions_and_the_unknown_words_as_typed() -> None:
    answer = _SEED.search("Zorblaxian pentgonx budgett", 3)
    assert answer.hits == ()
    assert answer.unknown_words == ("Zorblaxian", "pentgonx", "budgett")
    real_word = _SEED.search("How do I bake bread?", 3)
    assert real_word.hits == () and real_word.suggestions == ()


@pytest.mark.parametrize(
    "question", ["What did the Pentagon say?", "Who is the Secretary of State?", "zebra"]
)
def test_rank_gives_the_ids_a_full_answer_cites(question: str) -> None:
    answer = _SEED.search(question, 8, min_confidence=0.0, spelling=False)
    assert _SEED.rank(question, 8) == tuple(hit.position for hit in answer.hits)


def reference_highlights(
    index: Searcher, text: str, query: frozenset[str]
) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """Highlights as computed before issue 4: every token, then the ones in the query."""
    tokens = [token for token in index.analyzer.tokens(text) if token.term in query]
    words = tuple(dict.fromkeys(text[t.start : t.end] for t in tokens))
    return words, tuple(Span(t.start, t.end) for t in tokens)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(_SEED.index.table) - 1), st.data())
def test_highlights_equal_the_reference_on_seed_sentences(
    sentence_id: int, data: st.DataObject
) -> None:
    text = _SEED.index.table.text(sentence_id)
    terms = [*_SEED.analyzer.terms(text), "us", "say", "pentagon"]
    query = frozenset(data.draw(st.sets(st.sampled_from(terms), max_size=6)))
    assert _SEED.highlights(text, query) == reference_highlights(_SEED, text, query)
