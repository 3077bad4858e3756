"""The harness on the TrecQA and WikiQA dev halves, when ``../shared/eval`` holds them.

Only the dev halves (the tuning halves) are read; the test halves are kept by the
team. Each question is asked in article mode: its article is its candidate sentences.
Skips with a reason when the data is not there.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.ranking.rerank import DEFAULT_RERANK, RerankConfig
from index.service.evaluation import (
    GoldQuestion,
    Metrics,
    build_eval_index,
    evaluate,
    metrics,
    read_articles,
    read_questions,
)
from index.service.searcher import Searcher
from tests.conftest import EVAL

SETS = ("wikiqa-dev", "trecqa-dev")
pytestmark = pytest.mark.skipif(
    not all((EVAL / f"{name}-articles.jsonl").exists() for name in SETS),
    reason=f"TrecQA and WikiQA dev halves not found at {EVAL} (kept out of the repository)",
)


@pytest.fixture(scope="module", params=SETS)
def answer_sentences(request: pytest.FixtureRequest) -> tuple[str, Searcher, list[GoldQuestion]]:
    name: str = request.param
    searcher = build_eval_index(read_articles(EVAL / f"{name}-articles.jsonl"))
    return name, searcher, read_questions(EVAL / f"{name}-questions.jsonl")


def _run(searcher: Searcher, questions: list[GoldQuestion]) -> Metrics:
    return metrics(evaluate(searcher, questions, "article"))


def test_every_question_has_a_correct_sentence_and_is_measured(
    answer_sentences: tuple[str, Searcher, list[GoldQuestion]],
) -> None:
    _, searcher, questions = answer_sentences
    result = _run(searcher, questions)
    assert result.excluded == 0 and result.questions == len(questions)
    assert result.answered == 1.0  # article mode ranks every sentence of the article


def test_reranking_beats_plain_bm25_on_map(
    answer_sentences: tuple[str, Searcher, list[GoldQuestion]],
) -> None:
    _, searcher, questions = answer_sentences
    searcher.rerank = replace(DEFAULT_RERANK, depth=0)
    plain = _run(searcher, questions)
    searcher.rerank = DEFAULT_RERANK
    assert _run(searcher, questions).mean_ap >= plain.mean_ap + 0.02


def _with_and_without(
    name: str, lever: str, base: RerankConfig = DEFAULT_RERANK
) -> tuple[Metrics, Metrics]:
    """The figures on the dev half ``name`` with the ``base`` re-ranking (the default), then
    with ``lever`` off."""
    searcher = build_eval_index(read_articles(EVAL / f"{name}-articles.jsonl"))
    questions = read_questions(EVAL / f"{name}-questions.jsonl")
    searcher.rerank = base.without(lever)
    without = _run(searcher, questions)
    searcher.rerank = base
    return _run(searcher, questions), without


def _map_with_and_without(
    name: str, lever: str, base: RerankConfig = DEFAULT_RERANK
) -> tuple[float, float]:
    """MAP on the dev half ``name`` with the ``base`` re-ranking, then with ``lever`` off."""
    with_lever, without = _with_and_without(name, lever, base)
    return with_lever.mean_ap, without.mean_ap


def test_the_lead_lever_lifts_wikiqa() -> None:
    # TrecQA's candidates come from many newswire stories: no article, no lead to test.
    with_lead, without = _map_with_and_without("wikiqa-dev", "lead")
    assert with_lead >= without + 0.04


def test_the_answer_value_lever_lifts_trecqa() -> None:
    # Dev as distributed: 0.8152 without, 0.8257 with (docs/quality.md, round 6).
    with_value, without = _map_with_and_without("trecqa-dev", "answer_value")
    assert with_value >= without + 0.005


def test_the_variants_lever_lifts_wikiqa() -> None:
    # Dev: 0.7197 without, 0.7214 with (docs/quality.md, round 7; chosen on the train halves),
    # measured before the feedback pass (with it: 0.7251 without, 0.7257 with, round 8).
    base = DEFAULT_RERANK.without("feedback")
    with_variants, without = _map_with_and_without("wikiqa-dev", "variants", base)
    assert with_variants >= without + 0.001


def test_the_feedback_pass_lifts_trecqa_and_keeps_the_top_sentence() -> None:
    # Dev as distributed: 0.8256 without, 0.8358 with (docs/quality.md, round 8; chosen on
    # the train halves). The top sentence holds all of its own words: P@1 cannot move.
    with_feedback, without = _with_and_without("trecqa-dev", "feedback")
    assert with_feedback.mean_ap >= without.mean_ap + 0.005
    assert with_feedback.p_at_1 == without.p_at_1
