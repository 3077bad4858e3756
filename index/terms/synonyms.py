"""Question-side expansion: words a question may use for the words of its answer.

A question paraphrases its answer sentence ("Who is the State Department
spokesman?" for "... State Department Spokesperson John Kirby ..."). The
stemmer conflates inflections but not synonyms or derivations, so a short
shipped list (``index/data/synonyms.txt``) adds, for each question term, the
terms of its group. They join the BM25 search at a reduced weight (each
related term's factor is that weight times its idf): a sentence holding the
question's own word still ranks first.
Sentences are never expanded, so the index does not change.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from index.terms.analysis import Analyzer
from index.terms.wordlists import synonym_groups


@dataclass(frozen=True, slots=True)
class Synonyms:
    """For each term, the other terms of its groups, in the list's order."""

    related: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]], analyzer: Analyzer) -> Synonyms:
        """Analyse every word of ``groups``; words that analyse to no term (stopwords) drop out."""
        related: dict[str, dict[str, None]] = {}
        for group in groups:
            terms = [t for t in dict.fromkeys(analyzer.term(w) for w in group) if t is not None]
            for term in terms:
                related.setdefault(term, {}).update(dict.fromkeys(t for t in terms if t != term))
        return cls({term: tuple(others) for term, others in related.items() if others})

    @classmethod
    def shipped(cls, analyzer: Analyzer) -> Synonyms:
        """The list that ships with qabot (made once per process: every analyzer gives the
        same terms, and a bot with a searcher per server would otherwise hold one each)."""
        global _shipped
        if _shipped is None:
            _shipped = cls.from_groups(synonym_groups(), analyzer)
        return _shipped

    def expand(self, terms: Sequence[str]) -> Expansion:
        """For each of ``terms`` with related terms, those that ``terms`` do not already hold."""
        asked = frozenset(terms)
        by_term = {}
        for term in dict.fromkeys(terms):
            others = tuple(t for t in self.related.get(term, ()) if t not in asked)
            if others:
                by_term[term] = others
        return Expansion(by_term)


_shipped: Synonyms | None = None


@dataclass(frozen=True, slots=True)
class Expansion:
    """The related terms of one question: question term -> the terms it may stand for."""

    by_term: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def terms(self) -> tuple[str, ...]:
        """Every related term once, in question order."""
        return tuple(dict.fromkeys(t for others in self.by_term.values() for t in others))

    def replacing(self, known: Container[str]) -> tuple[str, ...]:
        """The related terms of the question terms not in ``known`` (the index's terms):
        the only way a sentence can match such a word, so they count as the word itself."""
        missing = (others for term, others in self.by_term.items() if term not in known)
        return tuple(dict.fromkeys(t for others in missing for t in others))
