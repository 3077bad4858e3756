"""Golden questions about the seed article, asked as users ask, and the sentences that answer."""

from __future__ import annotations

import pytest

from index.service.opened_index import OpenedIndex

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

# The same facts asked in other words than the article's (synonyms, derivations,
# Moscow for Russia): what index/data/synonyms.txt is for. Written for the seed
# article, not tuned on it beyond the list's groups.
PARAPHRASED = [
    ("Who is the spokesman for the State Department?", (KIRBY,)),
    ("What is Russia accused of?", (ALLEGE,)),
    ("What did Washington accuse Moscow of?", (ALLEGE,)),
    ("Who is Lavrov's American counterpart?", (KERRY,)),
    ("Which Russian minister did Kerry talk to?", (KERRY,)),
    ("How did Russia respond to the American proposal?", (COOK,)),
    ("Has Moscow replied to the US proposal?", (COOK,)),
    ("Who is the Pentagon spokesman?", (COOK,)),
    ("What did the Defense Department get from the Russian defence ministry?", (COOK,)),
    ("Who is examining Moscow's reply?", (REVIEW,)),
    ("When did the two nations last discuss flight safety?", (VIDEO,)),
    ("How long was the conversation between Kerry and Lavrov?", (KERRY,)),
    ("On which day did Kerry and Lavrov talk?", (KERRY,)),
    ("Who told journalists about the strikes?", (KIRBY,)),
    ("Which groups are the Russian air strikes hitting?", (KIRBY, SO_FAR, ALLEGE)),
    ("Is the US ready to talk to Russia if it concentrates on ISIL?", (WILLING,)),
    ("What would Washington welcome from the Russian army?", (WELCOME,)),
    ("Whom does the US want Russia to concentrate on?", (FOCUS,)),
    ("What is keeping Assad in power?", (ASSAD,)),
    ("What makes a political settlement hard to reach?", (ASSAD,)),
    ("Has the American message about Syria changed?", (MESSAGE,)),
    # Issue 12: a related term standing in for a word the article never uses counts as
    # that word (Washington, Moscow, negotiations), and "this weekend" answers "when".
    ("When might the negotiations happen?", (REVIEW,)),
    ("Did Washington get any news from Moscow after the video call?", (SILENCE,)),
]
# The country however it is written (issue 12): U.S., U.S, USA, United States are one term.
COUNTRY_NAMES = [
    ("What did the United States allege?", (ALLEGE,)),
    ("What did the USA allege?", (ALLEGE,)),
    ("What did the U.S allege?", (ALLEGE,)),
    ("Who is the United States Secretary of State?", (KERRY,)),
]
# Paraphrases lexical evidence does not reach yet; strict, so a fix is noticed. The
# answer gives a reason ("Because ...") but shares only "Assad" with the question, while
# the lead holds "Russia" and "bombing".
PARAPHRASED_MISSES = [
    ("Why does Russia's bombing help Assad?", (ASSAD,)),
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
    answer = seed_index.searcher.search(question, 3)
    assert answer.hits, f"no hit for {question!r}"
    assert answer.hits[0].sentence.text.startswith(expected)


@pytest.mark.parametrize(("question", "expected"), PARAPHRASED)
def test_the_top_sentence_answers_a_paraphrase(
    seed_index: OpenedIndex, question: str, expected: tuple[str, ...]
) -> None:
    test_the_top_sentence_answers(seed_index, question, expected)


@pytest.mark.parametrize(("question", "expected"), COUNTRY_NAMES)
def test_the_country_is_one_word_however_written(
    seed_index: OpenedIndex, question: str, expected: tuple[str, ...]
) -> None:
    test_the_top_sentence_answers(seed_index, question, expected)


@pytest.mark.xfail(strict=True, reason="the answer shares too few words with the question")
@pytest.mark.parametrize(("question", "expected"), PARAPHRASED_MISSES)
def test_paraphrases_not_answered_yet(
    seed_index: OpenedIndex, question: str, expected: tuple[str, ...]
) -> None:
    test_the_top_sentence_answers(seed_index, question, expected)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_get_no_hits(seed_index: OpenedIndex, question: str) -> None:
    assert seed_index.searcher.search(question).hits == ()
