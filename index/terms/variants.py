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

from collections.abc import Mapping, Sequence

MIN_FORM = 4


def shorter_forms(term: str) -> tuple[str, ...]:
    """``term``'s proper prefixes of at least ``MIN_FORM`` letters, longest first (none for a
    term that is not all letters)."""
    if not term.isalpha():
        return ()
    return tuple(term[:size] for size in range(len(term) - 1, MIN_FORM - 1, -1))


def candidate_forms(terms: Sequence[str]) -> list[str]:
    """Every shorter form of the distinct ``terms``, each once (to look up in the index)."""
    return list(
        dict.fromkeys(form for term in dict.fromkeys(terms) for form in shorter_forms(term))
    )


def variant_forms(terms: Sequence[str], doc_freqs: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """For each distinct term of ``terms``, its shorter forms some sentence holds
    (``doc_freqs``) that are not question terms themselves; terms without any are left out."""
    asked = set(terms)
    found = {}
    for term in dict.fromkeys(terms):
        held = tuple(f for f in shorter_forms(term) if doc_freqs.get(f, 0) and f not in asked)
        if held:
            found[term] = held
    return found
