"""The re-ranking stage on a tiny in-memory index."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pytest

from index.articles.paragraphs import paragraph_spans
from index.articles.sentences import SentenceSplitter
from index.ranking.bm25 import BM25Params
from index.ranking.rerank import DEFAULT_RERANK, Mixed, RerankConfig
from index.records import Document, DocumentInfo
from index.service.searcher import Searcher
from index.storage.builder import index_documents


def _index(texts: dict[str, str], rerank: RerankConfig | None) -> Searcher:
    documents = [
        Document(DocumentInfo(doc_id, doc_id), text, tuple(paragraph_spans(text)))
        for doc_id, text in texts.items()
    ]
    splitter = SentenceSplitter.train(texts.values())
    built = index_documents(documents, splitter, BM25Params())
    return Searcher(built, rerank=rerank)


def _top(index: Searcher, question: str) -> str:
    return index.search(question, 1, min_confidence=0.0, spelling=False).hits[0].sentence.text


def test_answer_type_prefers_the_sentence_with_a_year() -> None:
    text = "The bridge was opened by the mayor. The bridge was opened in 1932."
    question = "When was the bridge opened?"
    typed = _index({"d": text}, RerankConfig(answer_type=1.0))
    assert _top(typed, question) == "The bridge was opened in 1932."
    plain = _index({"d": text}, None)
    assert _top(plain, question) == "The bridge was opened by the mayor."


def test_answer_value_adds_to_the_answer_type_for_a_value_only() -> None:
    # The sentence with the value matches fewer of the question's words.
    text = (
        "Kim Lee opened the old bridge over the river. "
        "Kim Lee said the old bridge over the river was opened in 1932. "
        "Kim Lee said the old bridge over the river was opened by Mayor Smith."
    )
    config = RerankConfig(local=1.0, answer_type=0.01, answer_value=1.0)
    index = _index({"d": text}, config)
    assert _top(index, "When did Kim Lee open the old bridge over the river?").endswith("1932.")
    assert _top(index, "Who did open the old bridge over the river?").startswith("Kim Lee opened")


def test_neighbours_lift_the_sentence_a_pronoun_refers_back_to() -> None:
    text = "Marie Curie studied radium. She won the Nobel prize twice."
    index = _index({"d": text}, RerankConfig(neighbours=1.0))
    hits = index.search("Who won the Nobel prize for radium?", 2, min_confidence=0.0).hits
    assert next(h.sentence.text for h in hits) == "Marie Curie studied radium."


def test_local_idf_discounts_the_words_every_sentence_of_an_article_shares() -> None:
    things = ["ads", "fans", "music", "lights", "snacks", "heat", "noise", "tickets"]
    bowl = " ".join(f"The Super Bowl had {thing}." for thing in things) + " Denver won it."
    winners = " ".join(f"{name} won a prize." for name in ["Anna", "Bert", "Cara", "Dino"])
    singers = " ".join(
        f"{name} sang a song." for name in ["Emil", "Fay", "Gus", "Hal", "Ida", "Jon"]
    )
    texts = {"bowl": bowl, "prizes": f"{winners} {singers}"}
    question = "Who won the Super Bowl?"

    def top(config: RerankConfig | None) -> str:
        answer = _index(texts, config).search(question, 1, doc_id="bowl", min_confidence=0.0)
        return answer.hits[0].sentence.text

    # Globally "Super Bowl" is rarer than "won"; within its article it is everywhere.
    assert top(None) == "The Super Bowl had ads."
    assert top(RerankConfig(local=1.0)) == "Denver won it."


def test_reranking_keeps_every_candidate_and_orders_by_score() -> None:
    text = "Cats purr. Cats sleep a lot. Dogs bark at cats. Birds sing."
    index = _index({"d": text}, DEFAULT_RERANK)
    plain = _index({"d": text}, None)
    hits = index.search("cats", 10, min_confidence=0.0).hits
    assert {h.position for h in hits} == {
        h.position for h in plain.search("cats", 10, min_confidence=0.0).hits
    }
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_synonyms_lift_the_sentence_that_words_the_question_differently() -> None:
    text = "The port reported losses. Kirby alleged that the port hid losses for years."
    question = "Who accused the port?"
    related = _index({"d": text}, RerankConfig(local=1.0, synonyms=0.4))
    assert _top(related, question).startswith("Kirby alleged")
    plain = _index({"d": text}, RerankConfig(local=1.0))
    assert _top(plain, question) == "The port reported losses."


def test_synonyms_alone_can_answer_a_question_whose_words_the_index_lacks() -> None:
    text = "Kirby alleged that the port hid losses. The weather was fine."
    index = _index({"d": text}, RerankConfig(synonyms=0.4))
    answer = index.search("Was anyone accused?", 3, min_confidence=0.0)
    assert [h.sentence.text for h in answer.hits] == ["Kirby alleged that the port hid losses."]
    # No sentence could hold "accused": "alleged" stands in for it and counts as the word
    # (below 1 only because the sentence is longer than average).
    assert answer.hits[0].confidence > 0.8
    assert answer.hits[0].matched == ("alleged",)
    assert _index({"d": text}, None).search("Was anyone accused?", 3).hits == ()


def test_a_related_term_counts_less_than_the_question_word_the_index_holds() -> None:
    text = "Kirby alleged that the port hid losses. Bell accused the port of losses."
    index = _index({"d": text}, RerankConfig(synonyms=0.4, local=1.0))
    answer = index.search("Who accused the port?", 2, min_confidence=0.0)
    assert answer.hits[0].sentence.text == "Bell accused the port of losses."
    # The second holds "port" and, for "accused", only its related "alleged" (0.4 of it).
    assert answer.hits[0].confidence == pytest.approx(1.0)
    assert answer.hits[1].confidence < 0.6


def _texts(index: Searcher, question: str) -> list[str]:
    answer = index.search(question, 5, min_confidence=0.0, spelling=False)
    return [hit.sentence.text for hit in answer.hits]


def test_rarest_sinks_sentences_lacking_the_rarest_word_unless_the_one_before_holds_it() -> None:
    text = "Planes landed. The zeppelin left Friedrichshafen. It landed at Lakehurst. Ships sailed."
    question = "Where did the zeppelin land?"
    # "Planes landed." and "It landed at Lakehurst." tie on BM25; the first in the text wins.
    assert _texts(_index({"d": text}, None), question)[1] == "Planes landed."
    assert _texts(_index({"d": text}, RerankConfig(rarest=1.0)), question) == [
        "The zeppelin left Friedrichshafen.",
        "It landed at Lakehurst.",
        "Planes landed.",
    ]


def test_rarest_gives_no_context_across_articles() -> None:
    texts = {
        "a": "Balloons landed.",
        "b": "Ships sailed. The zeppelin left Friedrichshafen.",
        "c": "Planes landed.",
    }
    # "Planes landed." follows the zeppelin sentence only in the index, not in its article.
    ranked = _texts(_index(texts, RerankConfig(rarest=1.0)), "Where did the zeppelin land?")
    assert ranked[1:] == ["Balloons landed.", "Planes landed."]


def test_rarest_counts_a_related_term_as_the_rarest_word() -> None:
    text = "The port hid fraud. Kirby alleged fraud. Ships sailed."
    question = "Who accused the port of fraud?"
    plain = _index({"d": text}, RerankConfig(synonyms=0.4))
    assert _texts(plain, question)[0] == "The port hid fraud."
    # "accused" is in no sentence; "alleged" stands in for it.
    rarest = _index({"d": text}, RerankConfig(synonyms=0.4, rarest=1.0))
    assert _texts(rarest, question)[0] == "Kirby alleged fraud."


def test_lead_lifts_the_article_lead_in_proportion_to_the_question_it_holds() -> None:
    text = (
        "Kathmandu is the capital and the largest city of Nepal in the Himalaya. "
        "The Kathmandu valley holds three old royal cities. "
        "Kathmandu hosts many temples of the valley."
    )
    question = "What is Kathmandu?"
    # All three hold "Kathmandu" once; BM25 prefers the shortest, the lead is the longest.
    assert _top(_index({"d": text}, RerankConfig(local=1.0)), question) != (
        "Kathmandu is the capital and the largest city of Nepal in the Himalaya."
    )
    lead = _index({"d": text}, RerankConfig(local=1.0, lead=0.4))
    assert _top(lead, question).startswith("Kathmandu is the capital")
    # A lead that holds nothing of the question gets nothing.
    assert _top(lead, "Which temples?") == "Kathmandu hosts many temples of the valley."


class _Prefers:
    """A scorer that likes one sentence id (a stand-in for an embedding model)."""

    def __init__(self, liked: int) -> None:
        self.liked = liked
        self.asked: list[str] = []

    def scores(self, question: str, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        self.asked.append(question)
        liked: npt.NDArray[np.float64] = (ids == self.liked).astype(np.float64)
        return liked


def test_a_mixed_scorer_adds_its_weight_times_its_scores() -> None:
    text = "Cats purr. Cats sleep a lot. Dogs bark at cats."
    documents = [Document(DocumentInfo("d", "d"), text, tuple(paragraph_spans(text)))]
    built = index_documents(documents, SentenceSplitter.train([text]), BM25Params())
    scorer = _Prefers(2)
    plain = Searcher(built, rerank=DEFAULT_RERANK)
    mixed = Searcher(built, rerank=DEFAULT_RERANK, mixed=[Mixed(scorer, 5.0)])
    assert plain.rank("Do cats purr?", 3)[0] != 2
    assert mixed.rank("Do cats purr?", 3)[0] == 2
    assert scorer.asked == ["Do cats purr?"]
    # Weight 0 leaves the order alone and never calls the scorer.
    idle = Searcher(built, rerank=DEFAULT_RERANK, mixed=[Mixed(_Prefers(2), 0.0)])
    assert idle.rank("Do cats purr?", 3) == plain.rank("Do cats purr?", 3)


def test_coverage_adds_the_share_of_the_questions_idf_a_sentence_holds() -> None:
    text = "The zeppelin landed in Lakehurst. The zeppelin burned. Boats sank."
    question = "zeppelin Lakehurst"

    def scores(coverage: float) -> dict[str, float]:
        index = _index({"d": text}, RerankConfig(local=1.0, coverage=coverage))
        hits = index.search(question, 3, doc_id="d", min_confidence=0.0, spelling=False).hits
        return {h.sentence.text: h.score for h in hits}

    plain, covered = scores(0.0), scores(2.0)
    gained = {text: covered[text] - plain[text] for text in plain}
    assert gained["The zeppelin landed in Lakehurst."] == pytest.approx(2.0)
    assert gained["Boats sank."] == 0.0
    assert 0.0 < gained["The zeppelin burned."] < 1.0  # "zeppelin" is the commoner word


def test_variants_prefer_the_sentence_holding_a_shorter_form_of_a_question_word() -> None:
    # Plain BM25 prefers the sentence saying "telephone" twice; neither says "inventor".
    text = "The telephone museum shows the telephone. Bell invented the telephone."
    question = "Who was the inventor of the telephone?"
    lever = _index({"d": text}, RerankConfig(variants=1.0))
    assert _top(lever, question) == "Bell invented the telephone."
    off = _index({"d": text}, RerankConfig(variants=0.0))
    assert _top(off, question) == "The telephone museum shows the telephone."


def test_variants_at_zero_rank_as_without_the_lever() -> None:
    text = (
        "Taiwan held elections on Saturday. The Taiwanese president spoke in Taipei. "
        "A Taiwanese company built the new plant. Its chairman visited Taiwan in May."
    )
    off = _index({"d": text}, replace(DEFAULT_RERANK, variants=0.0))
    for question in ("Where did the Taiwanese president speak?", "Who built the plant?"):
        hits = off.search(question, 4, min_confidence=0.0, spelling=False).hits
        without = _index({"d": text}, DEFAULT_RERANK.without("variants"))
        again = without.search(question, 4, min_confidence=0.0, spelling=False).hits
        assert [(h.sentence, h.score) for h in hits] == [(h.sentence, h.score) for h in again]
