"""Shorter forms of question terms: the derivational variants the re-ranker credits."""

from __future__ import annotations

from index.terms.analysis import Analyzer
from index.terms.variants import MIN_FORM, HeldForms, shorter_forms


def test_shorter_forms_are_the_proper_prefixes_of_at_least_four_letters() -> None:
    assert shorter_forms("inventor") == ("invento", "invent", "inven", "inve")
    assert all(len(form) >= MIN_FORM for form in shorter_forms("taiwanes"))
    assert shorter_forms("cost") == ()  # no proper prefix of four letters
    assert shorter_forms("10000") == ()  # numbers are not variants of each other


def test_the_stemmer_leaves_these_pairs_apart_and_a_form_joins_them() -> None:
    analyzer = Analyzer()
    for longer, shorter in (("inventor", "invented"), ("Taiwanese", "Taiwan"), ("player", "play")):
        (asked,), (held,) = analyzer.terms(longer), analyzer.terms(shorter)
        assert asked != held and held in shorter_forms(asked)


def _held(doc_freqs: dict[str, int]) -> HeldForms:
    return HeldForms(lambda forms: {form: doc_freqs.get(form, 0) for form in forms})


def test_held_forms_are_the_forms_the_index_holds_that_are_not_question_terms() -> None:
    found = _held({"invent": 3, "inve": 0, "play": 5}).of(["inventor", "play", "player"])
    assert found == {"inventor": ("invent",)}  # "play" is asked itself; "inve" is held nowhere
    assert _held({}).of(["inventor"]) == {}


def test_held_forms_are_looked_up_once_per_term_and_filtered_per_question() -> None:
    doc_freqs = {"invent": 3, "play": 5}
    asked: list[list[str]] = []

    def frequencies(forms: list[str]) -> dict[str, int]:
        asked.append(forms)
        return {form: doc_freqs.get(form, 0) for form in forms}

    held = HeldForms(frequencies)
    assert held.of(["inventor", "player"]) == {"inventor": ("invent",), "player": ("play",)}
    assert len(asked) == 2
    # The same terms again: no lookup; a form that is asked itself is not a variant.
    assert held.of(["player", "play", "inventor"]) == {"inventor": ("invent",)}
    assert len(asked) == 2
    assert held.of(["cost"]) == {}  # no form to look up at all
    assert len(asked) == 2
