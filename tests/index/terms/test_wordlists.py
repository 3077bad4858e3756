from __future__ import annotations

from index.terms.wordlists import abbreviations, irregular_verbs, stopwords, synonym_groups


def test_stopwords_include_question_words_but_not_content_verbs() -> None:
    assert {"what", "who", "when", "where", "why", "how", "which", "did"} <= stopwords()
    assert "say" not in stopwords()
    assert "said" not in stopwords()


def test_abbreviations_are_lowercase_without_the_final_period() -> None:
    assert {"u.s", "mr", "dr", "gen", "sen", "oct"} <= abbreviations()
    assert all(a == a.lower() and not a.endswith(".") for a in abbreviations())


def test_irregular_verbs_map_forms_to_bases() -> None:
    verbs = irregular_verbs()
    assert verbs["said"] == "say"
    assert verbs["told"] == "tell"
    assert "left" not in verbs  # ambiguous: the verb or the direction


def test_synonym_groups_are_lines_of_words_without_comments() -> None:
    groups = synonym_groups()
    assert ("spokesman", "spokeswoman", "spokesperson", "secretary") in groups
    assert all(not word.startswith("#") for group in groups for word in group)
