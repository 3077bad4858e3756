"""Re-ranking BM25's best candidates with evidence BM25 cannot see.

BM25 scores each sentence alone, as a bag of words. The re-ranker takes the
``depth`` best BM25 candidates and adds, with weights tuned on the dev half of
the evaluation set (docs/quality.md):

* ``local``: BM25 with idf counted within the sentence's own article, so the
  words every sentence of the article shares (its topic) weigh less;
* ``neighbours``: the score of the sentence before when this one needs it
  (it starts with a pronoun, or the sentence before holds a question word
  this one lacks), and of the sentence after when that one starts with a
  pronoun (its subject is then in this one);
* ``title``: how much of the question the article's title covers;
* ``article``: the best BM25 scores in the sentence's article (open corpus:
  the right article first, then the right sentence in it);
* ``proximity``: question words that appear close together, as in the question;
* ``answer_type``: a date for "when", a number for "how many", a name for "who";
* ``synonyms``: the weight of the question's related terms (``index/synonyms.py``),
  in the BM25 pool and in the local score.

The engines stay pure BM25; this stage only reorders their output.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from index.analysis import Analyzer
from index.answer_types import AnswerType, Asked, SentenceCues, answer_type, fits, sentence_cues
from index.postings import Postings
from index.sentence_table import SentenceTable

LEVERS = ("local", "neighbours", "title", "article", "proximity", "answer_type", "synonyms")
_CACHE_LIMIT = 200_000
_WINDOW = 3
_ARTICLE_DECAY = 0.5
# A sentence led by one of these continues the previous sentence's subject.
_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "his",
        "her",
        "its",
        "their",
        "this",
        "these",
        "that",
        "those",
        "him",
        "them",
        "such",
    ]
)


@dataclass(frozen=True, slots=True)
class RerankConfig:
    """How many candidates to re-rank and the weight of each kind of evidence.

    ``local`` mixes plain BM25 (0) with BM25 under article-local idf (1); the
    others add their evidence, each scaled to about 0-1, times their weight.
    """

    depth: int = 100
    local: float = 0.0
    neighbours: float = 0.0
    title: float = 0.0
    article: float = 0.0
    proximity: float = 0.0
    answer_type: float = 0.0
    synonyms: float = 0.0

    def without(self, *levers: str) -> RerankConfig:
        """This configuration with the named levers switched off."""
        unknown = set(levers) - set(LEVERS)
        if unknown:
            raise ValueError(f"unknown lever(s) {sorted(unknown)}; choose from {LEVERS}")
        off: dict[str, Any] = dict.fromkeys(levers, 0.0)
        return replace(self, **off)

    @property
    def active(self) -> bool:
        """Whether any lever is on (else the order is plain BM25)."""
        return any(getattr(self, lever) for lever in LEVERS)


# Tuned on the dev half only; docs/quality.md has the table and the commands.
DEFAULT_RERANK = RerankConfig(
    local=1.0, neighbours=0.15, article=2.5, answer_type=0.2, proximity=0.1, synonyms=0.4
)


@dataclass(frozen=True, slots=True)
class _Facts:
    terms: tuple[str, ...]
    term_set: frozenset[str]
    cues: SentenceCues
    pronoun_led: bool


@dataclass(frozen=True, slots=True)
class Question:
    """A question as the re-ranker sees it: its terms, their idf and its answer type."""

    terms: tuple[str, ...]
    idf: dict[str, float]
    kind: AnswerType
    asked: Asked
    related: dict[str, float] = field(default_factory=dict)

    @property
    def best_possible(self) -> float:
        """What a sentence holding every question word once, at average length, scores."""
        return sum(self.idf[term] for term in self.terms)

    @property
    def mass(self) -> float:
        """The idf of its distinct terms (never 0, it divides)."""
        return sum(self.idf.values()) or 1.0


class Reranker:
    """Re-ranks candidates of one index; caches what it learns about each sentence."""

    def __init__(
        self, table: SentenceTable, postings: Postings, term_ids: dict[str, int], analyzer: Analyzer
    ) -> None:
        self._table = table
        self._postings = postings
        self._term_ids = term_ids
        self._analyzer = analyzer
        self._idf = postings.idf()
        self._max_idf = float(np.log1p((postings.sentence_count + 0.5) / 0.5))
        self._facts: dict[int, _Facts] = {}
        self._titles: dict[int, frozenset[str]] = {}

    def question(
        self, text: str, terms: Sequence[str], related: Mapping[str, Sequence[str]] | None = None
    ) -> Question:
        """The question's terms with their idf, and the idf of the ``related`` terms its words
        may stand for (``index/synonyms.py``). A term the index lacks gets the highest idf,
        or, when it has related terms the index holds, the highest of theirs: the best
        sentence can then only match it through them."""
        related = related or {}
        known = {r: self._term_idf(r) for rs in related.values() for r in rs if r in self._term_ids}
        idf = {t: self._term_idf(t) for t in dict.fromkeys(terms)}
        for term in idf:
            stand_ins = [known[r] for r in related.get(term, ()) if r in known]
            if term not in self._term_ids and stand_ins:
                idf[term] = max(stand_ins)
        asked = Asked.of(text, frozenset(terms))
        return Question(tuple(terms), idf, answer_type(text), asked, known)

    def _term_idf(self, term: str) -> float:
        term_id = self._term_ids.get(term)
        return self._max_idf if term_id is None else float(self._idf[term_id])

    def rank(
        self, question: Question, pool: list[tuple[int, float]], k: int, config: RerankConfig
    ) -> list[tuple[int, float]]:
        """The ``k`` best (sentence id, score) pairs after re-ranking the top ``depth`` of
        ``pool``, BM25's best (at least ``max(depth, k)``) in BM25 order."""
        if not pool or not config.active:
            return pool[:k]
        head = pool[: config.depth]
        ids = np.array([sid for sid, _ in head], dtype=np.int64)
        bm25 = np.array([score for _, score in head]) / (head[0][1] or 1.0)
        scores = self._scores(question, ids, bm25, config)
        order = np.lexsort((ids, -scores))
        ranked = [(int(ids[i]), float(scores[i])) for i in order]
        return (ranked + pool[config.depth :])[:k]

    def _scores(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        bm25: npt.NDArray[np.float64],
        config: RerankConfig,
    ) -> npt.NDArray[np.float64]:
        docs = np.searchsorted(self._table.doc_first, ids, side="right") - 1
        base = bm25
        if config.local:
            local = self._local_scores(question, ids, docs, config.synonyms)
            base = (1 - config.local) * bm25 + config.local * local / (local.max() or 1.0)
        scores = base.copy()
        if config.neighbours:
            scores += config.neighbours * self._neighbour_scores(question, ids, docs, base)
        if config.article:
            scores += config.article * _article_best(docs, bm25)
        if config.title:
            scores += config.title * np.array([self._title_cover(question, int(d)) for d in docs])
        if config.proximity or config.answer_type:
            scores += self._sentence_evidence(question, ids, config)
        return scores

    def _sentence_evidence(
        self, question: Question, ids: npt.NDArray[np.int64], config: RerankConfig
    ) -> npt.NDArray[np.float64]:
        evidence = np.zeros(ids.shape[0])
        pairs = question_pairs(question.terms) if config.proximity else frozenset()
        paired = frozenset(term for pair in pairs for term in pair)
        for at, sid in enumerate(ids.tolist()):
            facts = self._sentence(sid)
            # A sentence holding fewer than two paired terms cannot hold a pair near together.
            if pairs and len(paired & facts.term_set) >= 2:
                evidence[at] += config.proximity * pair_share(pairs, paired, facts.terms)
            if config.answer_type and fits(question.kind, facts.cues, question.asked):
                evidence[at] += config.answer_type
        return evidence

    def _local_scores(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        docs: npt.NDArray[np.int64],
        related_weight: float,
    ) -> npt.NDArray[np.float64]:
        """BM25 with each term's idf taken within the sentence's own article, capped at its idf
        (related terms count ``related_weight`` times).

        Words that name an article's topic ("Super Bowl") are rare in the corpus
        but in every other sentence of their article; there they tell little.
        """
        lo, hi = self._table.doc_first[docs], self._table.doc_first[docs + 1]
        scores = np.zeros(ids.shape[0])
        for term in question.terms:
            scores += self._local_term(term, question.idf[term], ids, lo, hi)
        if related_weight:
            for term, cap in question.related.items():
                scores += related_weight * self._local_term(term, cap, ids, lo, hi)
        return scores

    def _local_term(
        self,
        term: str,
        cap: float,
        ids: npt.NDArray[np.int64],
        lo: npt.NDArray[np.int64],
        hi: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.float64]:
        """One term's share of the local score of each candidate (0 where it is absent)."""
        term_id = self._term_ids.get(term)
        if term_id is None:
            return np.zeros(ids.shape[0])
        rows, weights = self._postings.row(term_id)
        if rows.shape[0] == 0:  # a term whose last sentence was removed by an update
            return np.zeros(ids.shape[0])
        at = np.minimum(np.searchsorted(rows, ids), rows.shape[0] - 1)
        df = np.searchsorted(rows, hi) - np.searchsorted(rows, lo)
        idf = np.minimum(np.log1p(((hi - lo) - df + 0.5) / (df + 0.5)), cap)
        result: npt.NDArray[np.float64] = np.where(rows[at] == ids, weights[at] * idf, 0.0)
        return result

    def _neighbour_scores(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        docs: npt.NDArray[np.int64],
        base: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.float64]:
        """The previous sentence's score when it gives this one context, plus the next
        one's when that starts with a pronoun (its subject is then in this sentence)."""
        known = dict(zip(ids.tolist(), base.tolist(), strict=True))
        wanted = frozenset(t for t in question.terms if t in self._term_ids)
        first = self._table.doc_first[docs].tolist()
        last = (self._table.doc_first[docs + 1] - 1).tolist()
        result = np.zeros(ids.shape[0])
        for at, sid in enumerate(ids.tolist()):
            facts = self._sentence(sid)
            if sid > first[at] and self._context_helps(facts, wanted, sid - 1):
                result[at] += known.get(sid - 1, 0.0)
            if sid < last[at] and sid + 1 in known and self._sentence(sid + 1).pronoun_led:
                result[at] += known[sid + 1]
        return result

    def _context_helps(self, facts: _Facts, wanted: frozenset[str], previous: int) -> bool:
        """A pronoun-led sentence needs the one before; so does one whose missing
        question words the one before supplies."""
        if facts.pronoun_led:
            return True
        missing = wanted - facts.term_set
        return bool(missing & self._sentence(previous).term_set)

    def _title_cover(self, question: Question, doc: int) -> float:
        if doc not in self._titles:
            title = self._table.documents[doc].title.replace("_", " ")
            self._titles[doc] = frozenset(self._analyzer.terms(title))
        covered = sum(idf for term, idf in question.idf.items() if term in self._titles[doc])
        return covered / question.mass

    def _sentence(self, sid: int) -> _Facts:
        facts = self._facts.get(sid)
        if facts is None:
            if len(self._facts) > _CACHE_LIMIT:
                self._facts.clear()
            text = self._table.text(sid)
            words = text.split(maxsplit=1)
            first = words[0].lower().strip(",;:") if words else ""
            terms = tuple(self._analyzer.terms(text))
            cues = sentence_cues(text, self._analyzer)
            facts = _Facts(terms, frozenset(terms), cues, first in _PRONOUNS)
            self._facts[sid] = facts
        return facts


def _article_best(
    docs: npt.NDArray[np.int64], bm25: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """For each candidate, its article's relevance: the article's best three BM25 scores,
    each worth half the one before (an article with several good sentences is on topic)."""
    per_doc: dict[int, list[float]] = {}
    for doc, score in zip(docs.tolist(), bm25.tolist(), strict=True):
        per_doc.setdefault(doc, []).append(score)
    relevance = {
        doc: sum(score * _ARTICLE_DECAY**at for at, score in enumerate(sorted(s, reverse=True)[:3]))
        for doc, s in per_doc.items()
    }
    return np.array([relevance[doc] for doc in docs.tolist()])


def proximity(question: Sequence[str], sentence: Sequence[str]) -> float:
    """The share of adjacent question-term pairs found within a few words of each other."""
    pairs = question_pairs(question)
    return pair_share(pairs, frozenset(t for pair in pairs for t in pair), sentence)


def question_pairs(question: Sequence[str]) -> frozenset[tuple[str, str]]:
    """The pairs of different terms that stand next to each other in the question."""
    return frozenset((a, b) for a, b in itertools.pairwise(question) if a != b)


def pair_share(
    pairs: frozenset[tuple[str, str]], paired: frozenset[str], sentence: Sequence[str]
) -> float:
    """The share of ``pairs`` found within a few words of each other in ``sentence``."""
    if not pairs:
        return 0.0
    positions: dict[str, list[int]] = {}
    for at, term in enumerate(sentence):
        if term in paired:
            positions.setdefault(term, []).append(at)
    found = sum(_near(positions.get(a, []), positions.get(b, [])) for a, b in pairs)
    return found / len(pairs)


def _near(first: list[int], second: list[int]) -> bool:
    return any(abs(i - j) <= _WINDOW for i in first for j in second)
