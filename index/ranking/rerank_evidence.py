"""The evidence the re-ranker reads off its grid of candidates × question terms.

An :class:`index.ranking.rerank_gather.Evidence` holds, for each candidate
sentence and each question (or related) term, what the postings say: its weight,
its first position, whether the sentence before holds it and how many sentences of
the article do. The functions here turn that grid into one figure per candidate in
numpy, as the reference the compiled pass is held to, without reading any
sentence's text (:func:`proximity` is the same measure on one term list).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from index.ranking.postings import first_positions
from index.ranking.rerank_gather import Evidence
from index.terms.answer_types import AnswerType, Asked
from index.terms.sentence_facts import QuestionCues

WINDOW = 3


@dataclass(frozen=True, slots=True)
class Question:
    """A question as the re-ranker sees it: its terms, their idf and its answer type.

    ``related`` holds the idf of the related terms the index holds, ``stand_ins``
    which of them each question term may stand for, ``replacing`` those that stand
    for a question term the index lacks (they count in full); ``variants`` the shorter
    forms of its terms the index holds (``index.terms.variants``).
    """

    terms: tuple[str, ...]
    idf: dict[str, float]
    kind: AnswerType
    asked: Asked
    cues: QuestionCues
    related: dict[str, float] = field(default_factory=dict)
    stand_ins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    replacing: frozenset[str] = frozenset()
    text: str = ""
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def forms(self) -> tuple[str, ...]:
        """Its terms' shorter forms, each once: the evidence columns after the related terms'."""
        return tuple(dict.fromkeys(form for forms in self.variants.values() for form in forms))

    @property
    def best_possible(self) -> float:
        """What a sentence holding every question word once, at average length, scores."""
        return sum(self.idf[term] for term in self.terms)

    @property
    def mass(self) -> float:
        """The idf of its distinct terms (never 0, it divides)."""
        return sum(self.idf.values()) or 1.0


def pair_shares(question: Question, evidence: Evidence) -> npt.NDArray[np.float64]:
    """For each candidate, the share of the question's adjacent term pairs that stand
    within a few words of each other in it (first occurrences)."""
    pairs = question_pairs(question.terms)
    if not pairs:
        return np.zeros(evidence.position.shape[0])
    column = {term: at for at, term in enumerate(question.idf)}
    left = np.array([column[a] for a, _ in pairs])
    right = np.array([column[b] for _, b in pairs])
    a, b = evidence.position[:, left], evidence.position[:, right]
    near = (a >= 0) & (b >= 0) & (np.abs(a - b) <= WINDOW)
    shares: npt.NDArray[np.float64] = near.sum(axis=1) / len(pairs)
    return shares


def coverage(question: Question, evidence: Evidence) -> npt.NDArray[np.float64]:
    """For each candidate, the share of the question's idf mass (its distinct terms) it holds."""
    distinct = len(question.idf)
    idf = np.fromiter(question.idf.values(), dtype=np.float64, count=distinct)
    held: npt.NDArray[np.float64] = evidence.present[:, :distinct] @ idf / question.mass
    return held


def variant_shares(question: Question, evidence: Evidence) -> npt.NDArray[np.float64]:
    """For each candidate, the share of the question's idf mass (its distinct terms) held only
    through a shorter form: terms it lacks but holds a variant of ("inventor" by "invent").
    Zero when the evidence has no columns for the forms (the lever is off)."""
    shares = np.zeros(evidence.position.shape[0])
    if evidence.position.shape[1] == len(question.idf) + len(question.related):
        return shares
    idf = list(question.idf.values())
    for at, columns in enumerate(form_columns(question)):
        if columns:
            held = evidence.present[:, columns].any(axis=1) & ~evidence.present[:, at]
            shares += np.where(held, idf[at], 0.0)
    return shares / question.mass


def form_columns(question: Question) -> list[list[int]]:
    """For each distinct question term, the evidence columns of its shorter forms (they come
    after the related terms' columns, in the order of ``Question.forms``)."""
    first = len(question.idf) + len(question.related)
    column = {form: first + at for at, form in enumerate(question.forms)}
    return [[column[form] for form in question.variants.get(term, ())] for term in question.idf]


def lacks_rarest(question: Question, evidence: Evidence) -> npt.NDArray[np.bool_]:
    """For each candidate, whether it lacks the question's rarest term (highest idf, the
    first of equals, among the terms some candidate holds), and so do the term's related
    terms and, unless the candidate opens its article, the sentence before it.

    The rarest word is the one most likely to pin the answer sentence down; a sentence
    without it, even in its context, most often only shares the question's topic. A word
    no candidate holds (one the index or the article lacks) cannot tell them apart.
    """
    holding = {term: evidence.present[:, columns] for term, columns in term_columns(question)}
    held = [term for term in question.idf if holding[term].any()]
    if not held:
        return np.zeros(evidence.position.shape[0], dtype=np.bool_)
    rarest = max(held, key=question.idf.__getitem__)
    columns = dict(term_columns(question))[rarest]
    context = evidence.before[:, columns] & ~evidence.opening[:, None]
    lacks: npt.NDArray[np.bool_] = (holding[rarest] | context).sum(axis=1) == 0
    return lacks


def term_columns(question: Question) -> list[tuple[str, list[int]]]:
    """Each distinct question term with its evidence columns: its own, then those of the
    related terms that may stand for it."""
    terms, related = list(question.idf), list(question.related)
    return [
        (term, [at, *(len(terms) + related.index(r) for r in question.stand_ins.get(term, ()))])
        for at, term in enumerate(terms)
    ]


def proximity(question: Sequence[str], sentence: Sequence[str]) -> float:
    """The share of adjacent question-term pairs whose first occurrences in ``sentence``
    stand within a few words of each other (what the re-ranker credits)."""
    pairs = question_pairs(question)
    if not pairs:
        return 0.0
    first = first_positions(sentence)
    near = [a in first and b in first and abs(first[a] - first[b]) <= WINDOW for a, b in pairs]
    return sum(near) / len(pairs)


def question_pairs(question: Sequence[str]) -> frozenset[tuple[str, str]]:
    """The pairs of different terms that stand next to each other in the question."""
    return frozenset((a, b) for a, b in itertools.pairwise(question) if a != b)
