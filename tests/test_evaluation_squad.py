"""The harness on the real SQuAD dev-half data, when ``../shared/eval`` is present.

Reads only the dev half (the tuning half), so this test can never leak the
test half into a choice. Skips with a reason when the data is not there.
"""

from __future__ import annotations

import pytest

from index.ranking.rerank import DEFAULT_RERANK
from index.service.evaluation import (
    GoldQuestion,
    Mode,
    build_eval_index,
    evaluate,
    metrics,
    read_articles,
    read_questions,
    read_split,
)
from index.service.searcher import Searcher
from tests.conftest import EVAL

DATA = EVAL
pytestmark = pytest.mark.skipif(
    not (DATA / "squad-dev-articles.jsonl").exists(),
    reason=f"evaluation data not found at {DATA} (kept out of the repository)",
)


@pytest.fixture(scope="module")
def squad() -> tuple[Searcher, list[GoldQuestion]]:
    index = build_eval_index(read_articles(DATA / "squad-dev-articles.jsonl"))
    dev = read_split(DATA / "squad-split.json", "dev")
    questions = read_questions(DATA / "squad-dev-questions.jsonl")
    return index, [q for q in questions if q.article_id in dev]


@pytest.mark.parametrize("mode", ["open", "article"])
def test_reranking_beats_plain_bm25_on_the_dev_half(
    squad: tuple[Searcher, list[GoldQuestion]], mode: Mode
) -> None:
    index, questions = squad
    plain = metrics(evaluate(Searcher(index.index, rerank=None), questions, mode))
    reranked = metrics(evaluate(Searcher(index.index, rerank=DEFAULT_RERANK), questions, mode))
    assert reranked.questions == plain.questions == 5397
    assert reranked.p_at_1 >= plain.p_at_1 + 0.02
    assert reranked.mrr >= plain.mrr + 0.015
