"""Question-side expansion with the shipped synonym list."""

from __future__ import annotations

from index.terms.analysis import Analyzer
from index.terms.synonyms import Expansion, Synonyms
from index.terms.wordlists import synonym_groups


def test_every_word_of_a_group_stands_for_the_others_as_terms() -> None:
    synonyms = Synonyms.from_groups([("allege", "accuse"), ("accuse", "claim")], Analyzer())
    assert synonyms.related["accus"] == ("alleg", "claim")
    assert synonyms.related["alleg"] == ("accus",)


def test_words_that_analyse_to_one_term_or_none_drop_out() -> None:
    # "talks" and "talk" share a term; "the" is a stopword; "US" is kept as an acronym.
    synonyms = Synonyms.from_groups([("talk", "talks", "the", "discuss", "US")], Analyzer())
    assert synonyms.related["talk"] == ("discuss", "us")
    assert "the" not in synonyms.related


def test_expansion_skips_terms_the_question_already_holds() -> None:
    synonyms = Synonyms.from_groups([("spokesman", "spokesperson", "secretary")], Analyzer())
    expansion = synonyms.expand(["spokesman", "secretari", "state"])
    assert expansion.by_term == {"spokesman": ("spokesperson",), "secretari": ("spokesperson",)}
    assert expansion.terms == ("spokesperson",)
    assert Expansion().terms == ()


def test_the_shipped_list_relates_the_paraphrases_of_the_seed_article() -> None:
    synonyms = Synonyms.shipped(Analyzer())
    assert "spokesperson" in synonyms.related["spokesman"]
    assert "alleg" in synonyms.related["accus"]
    assert "respons" in synonyms.related["respond"]
    assert "counterpart" in synonyms.related["minist"]


def test_every_shipped_word_is_a_single_word() -> None:
    assert all(len(group) >= 2 for group in synonym_groups())
    analyzer = Analyzer()
    for group in synonym_groups():
        for word in group:
            assert len(analyzer.terms(word)) <= 1, word
