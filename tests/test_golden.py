"""Golden questions about the seed article, asked as users ask, and the sentences that answer."""

from __future__ import annotations

import pytest

from index.service import OpenedIndex

TITLE = "Russia has agreed to resume talks"
COOK = "The Department of Defense has received a formal response"
REVIEW = "Department leaders are reviewing"
VIDEO = "According to Pentagon officials"
SILENCE = "After that the US did not hear"
ALLEGE = "Earlier in the day, the US alleged"
KIRBY = "The vast majority of the strikes"
SO_FAR = "What I can tell you"
KERRY = "Secretary of State, John Kerry"
MESSAGE = "Kirby said America"
FOCUS = "It wants Russia to remain focused"
WELCOME = "What our message to Russia is"
WILLING = "If they have the same focus on ISIL"
ASSAD = "Because through going after opposition"

GOLDEN = [
    ("What did the Pentagon say?", (TITLE,)),
    ("Has Russia agreed to resume talks with the US?", (TITLE,)),
    ("Why are the talks on air safety happening?", (TITLE, VIDEO)),
    ("Who is the Pentagon press secretary?", (COOK,)),
    ("What did the Department of Defense receive from the Russian Ministry of Defense?", (COOK,)),
    ("When could the talks take place?", (REVIEW,)),
    ("Who is reviewing the Russian response?", (REVIEW,)),
    ("How did the two countries conduct talks on air safety?", (VIDEO,)),
    ("When did the video conference happen?", (VIDEO,)),
    ("Did the US hear anything from Russia after the video conference?", (SILENCE,)),
    ("What did the US allege?", (ALLEGE,)),
    ("Who is Russia targeting in Syria?", (ALLEGE,)),
    ("Who is the State Department spokesperson?", (KIRBY,)),
    ("What did John Kirby tell reporters?", (KIRBY,)),
    ("Are the Russian strikes against ISIL?", (KIRBY, SO_FAR)),
    ("Who did John Kerry speak with?", (KERRY,)),
    ("Who is the US Secretary of State?", (KERRY,)),
    ("How long did Kerry and Lavrov speak?", (KERRY,)),
    ("When did Kerry speak with Lavrov?", (KERRY,)),
    ("Has America's message to Russia changed?", (MESSAGE,)),
    ("What does the US want Russia to focus on?", (FOCUS,)),
    ("Would the US welcome contributions by the Russian military?", (WELCOME,)),
    ("What would prolong Assad in power?", (ASSAD,)),
    ("Is Russia inviting more extremists into Syria?", (ASSAD,)),
    ("What conversation would the US be willing to have?", (WILLING,)),
    ("what is the pentagon saying", (TITLE,)),
    ("RUSSIAN MILITARY ACTIVITY", (SO_FAR,)),
]

OFF_TOPIC = [
    "What is the capital of France?",
    "How do I bake bread?",
    "Who won the football match yesterday?",
]


@pytest.mark.parametrize(("question", "expected"), GOLDEN)
def test_the_top_sentence_answers(
    seed_index: OpenedIndex, question: str, expected: tuple[str, ...]
) -> None:
    answer = seed_index.index.search(question, 3)
    assert answer.hits, f"no hit for {question!r}"
    assert answer.hits[0].sentence.text.startswith(expected)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_get_no_hits(seed_index: OpenedIndex, question: str) -> None:
    assert seed_index.index.search(question).hits == ()
