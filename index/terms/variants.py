"""Shorter forms of a question's terms: the derivational variants a stemmer leaves apart.

The stemmer maps "invented" and "invention" to ``invent`` but leaves "inventor",
"Taiwanese", "costliest" and "player" as terms of their own. A question asking
"Who was the inventor of …" is answered by "… invented …": the answer's term is a
proper prefix of the question's. A term's shorter forms are its prefixes of at least
``MIN_FORM`` letters (alphabetic terms only: "10000" is not a variant of "1000");
the re-ranker's ``variants`` lever credits a sentence that lacks a question term but
holds one of its forms (``index.ranking.rerank_evidence.variant_shares``). Only
this direction is looked up: finding the longer terms that start with a question
term would need the vocabulary sorted, and it lost on the SQuAD dev half when
measured (docs/quality.md, round 7).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

MIN_FORM = 4


def shorter_forms(term: str) -> tuple[str, ...]:
    """``term``'s proper prefixes of at least ``MIN_FORM`` letters, longest first (none for a
    term that is not all letters)."""
    if not term.isalpha():
        return ()
    return tuple(term[:size] for size in range(len(term) - 1, MIN_FORM - 1, -1))


class HeldForms:
    """The shorter forms of question terms that one collection holds, each term's looked up
    once.

    ``frequencies`` gives the collection's document frequency of each of a list of terms.
    Which forms a collection holds does not change while it is searched, and questions
    repeat their words: looking the forms up again cost about 25 µs of Python a question.
    """

    LIMIT = 1 << 16
    """Terms remembered; past it the memory starts again (it only saves lookups)."""

    def __init__(self, frequencies: Callable[[list[str]], Mapping[str, int]]) -> None:
        self._frequencies = frequencies
        self._held: dict[str, tuple[str, ...]] = {}

    def of(self, terms: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Each distinct term of ``terms`` with its held forms that are not among ``terms``;
        terms without any are left out."""
        asked = set(terms)
        found = {}
        for term in dict.fromkeys(terms):
            held = tuple(form for form in self._forms(term) if form not in asked)
            if held:
                found[term] = held
        return found

    def _forms(self, term: str) -> tuple[str, ...]:
        held = self._held.get(term)
        if held is None:
            forms = shorter_forms(term)
            counts = self._frequencies(list(forms)) if forms else {}
            held = tuple(form for form in forms if counts.get(form, 0))
            if len(self._held) >= self.LIMIT:
                self._held.clear()
            self._held[term] = held
        return held
