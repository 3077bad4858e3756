"""Golden questions about the seed article, phrased as people ask them.

The article is read from ``seeds/`` and indexed alone (``tests.conftest.seed_index``),
so articles added beside it in ``seeds/`` change no answer here.

Each names the sentence that must come first (paragraph, sentence number).
They hold for plain BM25 and for the re-ranked order, so a quality change
that helps the evaluation set cannot quietly break the questions users ask.
"""

from __future__ import annotations

import pytest

from index.service.opened_index import OpenedIndex
from index.service.searcher import Searcher

GOLDEN: tuple[tuple[str, tuple[int, int]], ...] = (
    ("What did the Pentagon say?", (1, 1)),
    ("what did the pentagon say", (1, 1)),
    ("WHAT DID THE PENTAGON SAY ABOUT RUSSIA?", (1, 1)),
    ("Will Russia resume talks with the US?", (1, 1)),
    ("Why are they talking about the safety of aircraft?", (1, 1)),
    ("Who is the Pentagon press secretary?", (1, 2)),
    ("Did the Department of Defense get a response from Russia's ministry?", (1, 2)),
    ("When could the talks take place?", (2, 1)),
    ("Who is reviewing the Russian response?", (2, 1)),
    ("How did the two countries hold talks on air safety?", (2, 2)),
    ("video conference", (2, 2)),
    ("What did the US hear from Russia after that?", (3, 1)),
    ("What did the US allege Russia is targeting?", (3, 2)),
    ("Who is the State Department spokesperson?", (3, 3)),
    ("Who did John Kerry speak with?", (4, 2)),
    ("How long did Kerry and Lavrov talk?", (4, 2)),
    ("Has America's message to Russia changed?", (4, 3)),
    ("What does the US want Russia to focus on?", (5, 1)),
    ("Would the US welcome contributions by the Russian military?", (5, 2)),
    ("Who is being kept in power by going after opposition groups?", (6, 2)),
    ("Is Russia prolonging Assad in power?", (6, 2)),
)
OFF_TOPIC = (
    "What is the capital of France?",
    "How do I bake bread?",
    "Who won the World Cup?",
    "What did the president say about the economy?",
)


@pytest.fixture(scope="module")
def seed_searcher(seed_index: OpenedIndex) -> Searcher:
    return seed_index.searcher


@pytest.mark.parametrize(("question", "where"), GOLDEN)
def test_golden_question_gets_its_sentence_first(
    seed_searcher: Searcher, question: str, where: tuple[int, int]
) -> None:
    answer = seed_searcher.search(question, 3)
    assert answer.hits, f"no answer for {question!r}"
    top = answer.hits[0].sentence
    assert (top.paragraph, top.number) == where, f"{question!r} -> {top.text!r}"


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_question_gets_no_hits(seed_searcher: Searcher, question: str) -> None:
    assert seed_searcher.search(question, 5).hits == ()


def test_typo_is_corrected_and_answered_like_the_real_word(seed_searcher: Searcher) -> None:
    answer = seed_searcher.search("what did the pentgon say", 3)
    assert answer.corrected_question == "what did the pentagon say"
    assert answer.hits[0].sentence.text.endswith("the Pentagon said.")
