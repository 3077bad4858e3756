"""One question ranked across a searcher's parts: BM25's pool, then re-ranked.

A :class:`~index.service.searcher.Searcher` turns ranked sentence ids into an
answer (hits, confidence, did-you-mean); the ranking before that is here: the
related terms a question's words may stand for (``index.terms.synonyms``), BM25's
pool from the compiled top-k kernel (or the rank-bm25 reference), widened to
every sentence of one article when the question is asked of that article, and
the re-ranking of the pool's head (``index.ranking.rerank``), with the semantic
scorer when it is switched on; or, for learning the weights, the features that
re-ranking weighs (:meth:`QuestionRanker.features`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from index.ranking import feedback
from index.ranking.candidates import with_unmatched
from index.ranking.confidence import confidence
from index.ranking.engines import ENGINES, Engine, weighted_terms
from index.ranking.rerank import (
    Mixed,
    RankingFeatures,
    RerankConfig,
    head_features,
    head_scores,
    parse_question,
    ranked_head,
)
from index.ranking.rerank_evidence import Question
from index.ranking.rescoring import Places
from index.semantic.mixing import FEATURES as SEMANTIC_FEATURES
from index.semantic.mixing import SemanticRanker
from index.service.parts import Pairs, Part, Parts, Pool
from index.terms.synonyms import Expansion, Synonyms
from index.terms.variants import HeldForms


@dataclass(frozen=True, slots=True)
class Reranking:
    """How a question's pool is re-ranked: the levers, further scorers, the semantic one."""

    config: RerankConfig
    mixed: tuple[Mixed, ...] = ()
    semantic: SemanticRanker | None = None

    @classmethod
    def of(
        cls,
        config: RerankConfig,
        mixed: Sequence[Mixed],
        semantic: SemanticRanker | None,
        open_corpus: bool,
    ) -> Reranking:
        """The searcher's re-ranking as it stands now, for a search of the whole corpus
        (``open_corpus``) or of one article. The semantic scorer, when on, lifts answers
        from deeper down and joins the scorers, its features and the levers weighed as its
        config says for that kind of search."""
        if open_corpus:  # feedback works within one article: docs/quality.md, round 8
            config = replace(config, feedback=0.0)
        if semantic is None:
            return cls(config, tuple(mixed))
        weights = semantic.config.mode(open_corpus=open_corpus)
        depth = max(config.depth, semantic.config.depth)
        tuned = replace(config, depth=depth, **dict(weights.levers))
        return cls(tuned, (*mixed, Mixed(semantic.weighted(weights), 1.0)), semantic)


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a question's pool comes from: an engine, over everything or one article (its
    part and its sentence ids there)."""

    engine: str = "sparse"
    within: tuple[Part, range] | None = None


@dataclass(frozen=True, slots=True)
class Pooled:
    """BM25's candidates for one question (best first), the question parsed, the terms'
    document frequencies and the re-ranking the candidates get."""

    pool: Pairs
    question: Question
    doc_freqs: dict[str, int]
    config: RerankConfig
    places: Mapping[int, Places] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ranked:
    """One question's re-ranked candidates, their BM25 scores, the parsed question and its
    terms' document frequencies."""

    order: Pairs
    bm25: dict[int, float]
    question: Question
    doc_freqs: dict[str, int]
    closeness: dict[int, float] = field(default_factory=dict)
    best_possible: float = field(init=False)

    def __post_init__(self) -> None:
        # Once per question, not once per hit.
        object.__setattr__(self, "best_possible", self.question.best_possible)

    def confidence(self, sentence_id: int) -> float:
        """How sure the answer is of this sentence: how much of the question it matches, or
        (semantic re-ranking on) how close it is in meaning, whichever is more."""
        lexical = confidence(self.bm25[sentence_id], self.best_possible)
        return max(lexical, self.closeness.get(sentence_id, 0.0))


class QuestionRanker:
    """Ranks questions over ``parts`` with the ``engines`` by name (``sparse`` always;
    ``rank-bm25`` when the searcher was made with the reference, over ``sentences``)."""

    def __init__(
        self,
        parts: Parts,
        synonyms: Synonyms,
        engines: Mapping[str, Engine],
        sentences: int,
    ) -> None:
        self.parts = parts
        self.synonyms = synonyms
        self._held_forms = HeldForms(parts.doc_freqs)
        self._engines = dict(engines)
        self._sentences = sentences

    def engine(self, name: str) -> Engine:
        """The engine called ``name``; raises ``ValueError`` for one this searcher lacks."""
        try:
            return self._engines[name]
        except KeyError:
            reason = "built without reference=True" if name in ENGINES else "unknown"
            raise ValueError(f"engine {name!r} is {reason}; choose from {ENGINES}") from None

    def ranked(
        self, question: str, terms: list[str], scope: Scope, wanted: int, reranking: Reranking
    ) -> Ranked:
        """The ``wanted`` best of ``scope``: the whole index, or one article, where every
        sentence is a candidate (BM25's first, then those sharing no term)."""
        pooled = self.pooled(question, terms, scope, wanted, reranking)
        order = self._reranked(pooled, wanted, reranking.mixed)
        semantic = reranking.semantic
        closeness = {} if semantic is None else semantic.closeness(question, order)
        return Ranked(order, dict(pooled.pool), pooled.question, pooled.doc_freqs, closeness)

    def features(
        self, question: str, terms: list[str], scope: Scope, k: int, reranking: Reranking
    ) -> RankingFeatures:
        """What the ranking of the ``k`` best of ``scope`` weighs: each re-ranked candidate's
        features, every one computed whatever its weight (the semantic ones too when that
        scorer is on). For learning the weights (``bench/learn_weights.py``)."""
        pooled = self.pooled(question, terms, scope, k, reranking)
        # The title's and the shorter forms' evidence is gathered only when weighed.
        config = replace(pooled.config, title=1.0, variants=1.0)
        ids = np.array([i for i, _ in pooled.pool[: config.depth]], dtype=np.int64)
        evidence = self.parts.evidence(pooled.question, ids, config, pooled.places)
        found = head_features(pooled.question, pooled.pool, evidence, config)
        if reranking.semantic is None:
            return found
        extra = reranking.semantic.features(question, found.ids)
        names, table = (*found.names, *SEMANTIC_FEATURES), np.hstack([found.table, extra])
        return replace(found, names=names, table=table)

    def pooled(
        self, question: str, terms: list[str], scope: Scope, wanted: int, reranking: Reranking
    ) -> Pooled:
        """BM25's candidates in ``scope`` (at least ``wanted``), the parsed question and how
        the candidates are re-ranked."""
        config = reranking.config
        related = self.synonyms.expand(terms) if config.synonyms else Expansion()
        doc_freqs = self.parts.doc_freqs(list(dict.fromkeys([*terms, *related.terms])))
        size = max(config.depth, wanted)
        # BM25 picks the pool with the compiled top-k kernel; only that pool is re-ranked.
        found = self._pool(terms, related, doc_freqs, scope, size, config.synonyms)
        pool = found.pairs
        if scope.within is not None:
            pool, config = _whole_article(pool, scope.within, size, config, reranking.semantic)
        forms = self._held_forms.of(terms) if config.variants else {}
        parsed = parse_question(question, terms, related.by_term, doc_freqs, len(self.parts), forms)
        return Pooled(pool, parsed, doc_freqs, config, found.places)

    def _pool(
        self,
        terms: list[str],
        related: Expansion,
        doc_freqs: dict[str, int],
        scope: Scope,
        size: int,
        related_weight: float,
    ) -> Pool:
        """BM25's ``size`` best; a related term standing in for a word the index lacks
        counts as that word."""
        known = {term for term, count in doc_freqs.items() if count}
        query = [*terms, *related.replacing(known)]
        if scope.engine == "sparse":
            weighted = weighted_terms(query, related.terms, related_weight)
            return self.parts.pool(weighted, size, scope.within, doc_freqs)
        ids = scope.within[1] if scope.within else range(self._sentences)
        engine = self.engine(scope.engine)
        return Pool(engine.best(query, size, ids, related.terms, related_weight), {})

    def _reranked(self, pooled: Pooled, k: int, mixed: Sequence[Mixed]) -> Pairs:
        pool, config = pooled.pool, pooled.config
        mixed = [m for m in mixed if m.weight]
        if not pool or config.depth <= 0 or not (config.active or mixed):
            return pool[:k]
        ids = np.array([sentence_id for sentence_id, _ in pool[: config.depth]], dtype=np.int64)
        question = pooled.question
        evidence = self.parts.evidence(question, ids, config, pooled.places)
        ids, scores = head_scores(question, pool, evidence, config, mixed)
        if config.feedback and ids.shape[0] > 1:
            scores = scores + config.feedback * self._feedback(question, ids, scores, config)
        return ranked_head(pool, ids, scores, config.depth, k)

    def _feedback(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        scores: npt.NDArray[np.float64],
        config: RerankConfig,
    ) -> npt.NDArray[np.float64]:
        """Each candidate's share of the top sentence's words the question lacks
        (``index.ranking.feedback``), found in the postings like the question's own."""
        top = int(ids[feedback.best_at(ids, scores)])
        counts = feedback.other_words(self.parts.terms(top), question.idf)
        if not counts:
            return np.zeros(ids.shape[0])
        words = list(counts)
        probe = replace(_BLANK, terms=tuple(words), idf=dict.fromkeys(words, 0.0))
        plain = replace(config, title=0.0, variants=0.0)  # no title or shorter-form columns
        present = self.parts.evidence(probe, ids, plain).present  # other rows: no places
        return feedback.shares(np.array([counts[w] for w in words], dtype=np.float64), present)


# A question of no kind and no terms: the feedback pass's words become its columns.
_BLANK = parse_question("", [], {}, {}, 1)


def _whole_article(
    pool: Pairs,
    within: tuple[Part, range],
    size: int,
    config: RerankConfig,
    semantic: SemanticRanker | None,
) -> tuple[Pairs, RerankConfig]:
    """The pool of a question asked of one article: every sentence of it a candidate; with
    semantic re-ranking, every one (up to ``article_pool``) re-ranked too."""
    part, ids = within
    article = range(ids.start + part.first_sentence, ids.stop + part.first_sentence)
    if semantic is None:
        return with_unmatched(pool, article, size), config
    pool = with_unmatched(pool, article, max(size, semantic.config.article_pool))
    return pool, replace(config, depth=max(config.depth, len(pool)))
