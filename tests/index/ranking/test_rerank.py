"""The re-ranking stage on a tiny in-memory index."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.articles.paragraphs import paragraph_spans
from index.articles.sentences import SentenceSplitter
from index.ranking.article_evidence import article_best
from index.ranking.bm25 import BM25Params
from index.ranking.rerank import DEFAULT_RERANK, LEVERS, RerankConfig
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


def test_config_without_switches_levers_off_and_rejects_unknown_ones() -> None:
    config = DEFAULT_RERANK.without(*LEVERS)
    assert not config.active
    with pytest.raises(ValueError, match="unknown lever"):
        DEFAULT_RERANK.without("magic")


def test_answer_type_prefers_the_sentence_with_a_year() -> None:
    text = "The bridge was opened by the mayor. The bridge was opened in 1932."
    question = "When was the bridge opened?"
    typed = _index({"d": text}, RerankConfig(answer_type=1.0))
    assert _top(typed, question) == "The bridge was opened in 1932."
    plain = _index({"d": text}, None)
    assert _top(plain, question) == "The bridge was opened by the mayor."


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
    # The best possible sentence could only hold "alleged", so the match counts 0.4 of it.
    assert answer.hits[0].confidence == pytest.approx(0.4, abs=0.05)
    assert answer.hits[0].matched == ("alleged",)
    assert _index({"d": text}, None).search("Was anyone accused?", 3).hits == ()


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


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.floats(0.01, 10.0)), min_size=1, max_size=60))
def test_article_relevance_is_its_best_three_scores_halving(pool: list[tuple[int, float]]) -> None:
    pool = sorted(pool, key=lambda item: -item[1])  # candidates come best first
    docs = np.array([doc for doc, _ in pool], dtype=np.int64)
    scores = np.array([score for _, score in pool])
    by_doc: dict[int, list[float]] = {}
    for doc, score in pool:
        by_doc.setdefault(doc, []).append(score)
    best = {doc: sum(s * 0.5**at for at, s in enumerate(sorted(v, reverse=True)[:3]))
            for doc, v in by_doc.items()}  # fmt: skip
    assert article_best(docs, scores) == pytest.approx([best[doc] for doc, _ in pool])
