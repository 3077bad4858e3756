"""What a sentence is embedded as: a title naming the subject, the sentence before a pronoun."""

from __future__ import annotations

from index.semantic.context import embedded_text, subject_title

LENNON = (
    "John Lennon was an English musician. He was shot by Mark David Chapman in New York City "
    "on 8 December 1980."
)


def test_a_title_naming_the_articles_subject_is_context() -> None:
    assert subject_title("John_Lennon", LENNON) == "John Lennon"
    assert subject_title("Russia to resume talks", "Russia resumed the talk on Friday.") == (
        "Russia to resume talks"
    )  # "resume" finds "resumed", "talks" finds "talk"; "to" is no word of a subject


def test_a_title_that_names_nothing_in_the_article_is_not() -> None:
    assert subject_title("000_7ababf70601c1a86", LENNON) is None  # a file name
    assert subject_title("wikiqa-dev 2", LENNON) is None  # a label
    assert subject_title("Beatles history", LENNON) is None  # half its words is not most
    assert subject_title("", LENNON) is None


def test_a_title_word_must_begin_a_word_of_the_article() -> None:
    assert subject_title("Nonsense", "It makes sense.") is None
    assert subject_title("Sense", "It makes sense.") == "Sense"


def test_the_sentence_follows_its_title() -> None:
    assert embedded_text("The stadium seats 85,000.", "Cowboys Stadium", "It opened.") == (
        "Cowboys Stadium: The stadium seats 85,000."
    )
    assert embedded_text("The stadium seats 85,000.", None, None) == "The stadium seats 85,000."


def test_a_sentence_led_by_a_pronoun_follows_the_sentence_before() -> None:
    before, after = LENNON.split(". ", 1)
    assert embedded_text(after, None, before) == f"{before} {after}"
    assert embedded_text(after, "John Lennon", before) == f"John Lennon: {before} {after}"
    assert embedded_text(after, None, None) == after  # an article's first sentence
