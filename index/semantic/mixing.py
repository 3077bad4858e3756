"""Mixing the question's cosine with each candidate into the re-ranker's score.

The question is embedded once; each candidate's cosine with it, from the stored
sentence vectors, becomes ``weight * cosine`` added to the re-ranker's score
(``index.ranking.rerank``). The weight was tuned on the train and dev halves of
TrecQA and WikiQA and the SQuAD dev half (docs/semantic.md).

A candidate without an embedding yet (the background embedder has not reached
it) gets the mean term of the candidates that have one: it neither gains nor
loses against them, so re-ranking uses whatever is ready.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from index.article_relevance import article_relevance
from index.semantic import learned_weights
from index.semantic.embedder import Embedder, Vectors
from index.semantic.vectors import SentenceVectors

Scaling = Literal["cosine", "range"]
# What the semantic term adds to a candidate, one figure each: its cosine with the question
# (scaled as ``SemanticConfig.scaling`` says), its article's semantic relevance (from the
# scaled cosines) and its cosine as it is.
FEATURES = ("semantic", "semantic_article", "semantic_raw")


@dataclass(frozen=True, slots=True)
class ModeWeights:
    """The weights of one kind of search: of the semantic term's ``features`` (one per
    name of ``FEATURES``) and the re-ranker's ``levers`` while the term is on,
    ``(name, weight)`` pairs that replace the searcher's own (none: its own)."""

    features: tuple[float, ...]
    levers: tuple[tuple[str, float], ...] = ()

    @classmethod
    def of(cls, weights: Mapping[str, float], levers: Mapping[str, float]) -> ModeWeights:
        """From a learned-weights module: its ``WEIGHTS`` (``weight``, ``article`` and ``raw``,
        as in :class:`SemanticConfig`) and its ``LEVERS``."""
        features = (weights["weight"], weights["article"], weights["raw"])
        return cls(features, tuple(levers.items()))


@dataclass(frozen=True, slots=True)
class SemanticConfig:
    """The semantic term's weight; ``scaling`` is how cosines are spread before weighting
    (``cosine``: as they are; ``range``: the pool's lowest to 0 and highest to 1);
    ``article``: the weight of the article's semantic relevance (its best three cosines
    among the candidates, each worth half the one before: in the open corpus, the
    article that speaks of the question first); ``article_pool``: in article mode, up
    to this many sentences of the article are all candidates, so a sentence sharing no
    word with the question can still rank; ``depth``: BM25 candidates re-ranked in the
    open corpus (at least; the re-ranker's own depth is 100); ``unrelated``: the cosine
    at or below which a sentence is no closer to the question than unrelated text is (the
    model's floor; a sentence's closeness, a confidence, is its cosine above it, scaled
    to 0-1); ``raw``: the weight of the cosine as it is (unscaled); ``levers``: the
    re-ranker's lever weights while this term is on, ``(name, weight)`` pairs that
    replace the searcher's own (none: the searcher's own levers); ``open``: other
    weights for searches of the whole corpus (none: the same everywhere)."""

    weight: float = 1.0
    scaling: Scaling = "cosine"
    article: float = 0.0
    article_pool: int = 1_000
    depth: int = 100
    unrelated: float = 0.0
    raw: float = 0.0
    levers: tuple[tuple[str, float], ...] = ()
    open: ModeWeights | None = None

    def mode(self, open_corpus: bool) -> ModeWeights:
        """The weights of a search of the whole corpus (``open_corpus``) or of one article."""
        if open_corpus and self.open is not None:
            return self.open
        return ModeWeights((self.weight, self.article, self.raw), self.levers)


# Within an article: chosen by hand on the train and dev halves of TrecQA and WikiQA and
# the SQuAD dev half (int8 model). In the whole corpus: learned from the SQuAD dev half by
# bench/learn_weights.py (index/semantic/learned_weights.py). docs/semantic.md has both.
# The ``variants`` lever is off with the term on (docs/quality.md, round 7: it lost WikiQA
# train with the extra at every weight from 0.4).
DEFAULT_SEMANTIC = SemanticConfig(
    weight=1.5,
    scaling="range",
    article=2.0,
    depth=200,
    unrelated=0.1,
    levers=(("variants", 0.0),),
    open=ModeWeights.of(learned_weights.WEIGHTS, learned_weights.LEVERS),
)


class SemanticRanker:
    """An embedder and the sentence vectors of one index, ready to score candidates.

    ``vectors`` may be replaced while questions are answered (the background embedder
    swaps in the mapped complete set): each question reads it once.
    """

    def __init__(
        self,
        embedder: Embedder,
        vectors: SentenceVectors,
        config: SemanticConfig,
        doc_first: npt.NDArray[np.int64] | None = None,
    ) -> None:
        if embedder.name != vectors.model or embedder.dimension != vectors.dimension:
            raise ValueError(
                f"sentence vectors of {vectors.model!r} ({vectors.dimension} dimensions) "
                f"cannot be compared with {embedder.name!r} ({embedder.dimension})"
            )
        self.embedder = embedder
        self.vectors = vectors
        self.config = config
        # Where each article's sentences start (the article term needs it; None: no term).
        self._doc_first = None if doc_first is None else np.asarray(doc_first)
        self._last: tuple[str, Vectors] | None = None

    def question_vector(self, question: str) -> Vectors:
        """The question's unit vector: one model call per question (the last one is kept,
        as ranking and confidence both ask for it)."""
        last = self._last
        if last is not None and last[0] == question:
            return last[1]
        vector: Vectors = self.embedder.embed([question])[0]
        self._last = (question, vector)
        return vector

    def scores(self, question: str, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """What the re-ranker adds to each candidate (a ``Scorer`` mixed in with weight 1)."""
        return self.vector_scores(self.question_vector(question), ids)

    def closeness(self, question: str, ranked: list[tuple[int, float]]) -> dict[int, float]:
        """How close in meaning each ranked sentence that has an embedding is, 0-1: its
        cosine above the model's ``unrelated`` floor, scaled (a confidence that needs no
        shared word; with the raw cosine, most off-topic questions were shown a sentence)."""
        ids = np.array([sentence_id for sentence_id, _ in ranked], dtype=np.int64)
        cosines, known = self.cosines(self.question_vector(question), ids)
        floor = self.config.unrelated
        close = np.clip((cosines - floor) / (1.0 - floor), 0.0, 1.0)
        return {int(i): float(close[n]) for n, i in enumerate(ids) if known[n]}

    def vector_scores(
        self, question: Vectors, ids: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """Each candidate's :meth:`features` weighed as within an article."""
        weights = np.array(self.config.mode(open_corpus=False).features)
        scores: npt.NDArray[np.float64] = self.vector_features(question, ids) @ weights
        return scores

    def weighted(self, weights: ModeWeights) -> WeightedTerm:
        """This term with its features weighed by ``weights`` (a ``Scorer``)."""
        return WeightedTerm(self, weights.features)

    def features(self, question: str, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """One row per candidate, a column per name of ``FEATURES``."""
        return self.vector_features(self.question_vector(question), ids)

    def vector_features(
        self, question: Vectors, ids: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """:meth:`features` for the question's vector: each candidate's (scaled) cosine, its
        article's relevance and its cosine as it is; a candidate without an embedding yet
        gets the mean of those that have one (all 0 when none has)."""
        table = np.zeros((ids.shape[0], len(FEATURES)))
        raw, known = self.cosines(question, ids)
        if not known.any():
            return table
        raw = np.where(known, raw, raw[known].mean())
        cosines = raw
        if self.config.scaling == "range":
            low, high = raw[known].min(), raw[known].max()
            cosines = (raw - low) / ((high - low) or 1.0)
        table[:, 0], table[:, 2] = cosines, raw
        docs = self.documents(ids)
        if docs is not None:
            table[:, 1] = article_relevance(docs, cosines)
        return table

    def cosines(
        self, question: Vectors, ids: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Each of sentences ``ids``'s cosine with the question's vector, and whether it
        has an embedding yet (see :meth:`SentenceVectors.cosines`)."""
        return self.vectors.cosines(question, ids)

    def documents(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64] | None:
        """The article of each of sentences ``ids`` (``None``: not known, no article term)."""
        if self._doc_first is None:
            return None
        found: npt.NDArray[np.int64] = np.searchsorted(self._doc_first, ids, side="right") - 1
        return found


@dataclass(frozen=True, eq=False)
class WeightedTerm:
    """A :class:`SemanticRanker`'s features weighed by ``weights``: what the re-ranker adds."""

    ranker: SemanticRanker
    weights: tuple[float, ...]

    def scores(self, question: str, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """One figure per candidate (a ``Scorer``)."""
        scores: npt.NDArray[np.float64] = self.ranker.features(question, ids) @ np.array(
            self.weights
        )
        return scores


class JoinedRanker(SemanticRanker):
    """The rankers of several indexes searched as one, their sentences and articles
    numbered one after another from ``first_sentences`` and ``first_documents`` (a
    server's own index beside the shared one). Each candidate's cosine comes from its
    own index's vectors as they stand when the question is asked (each index's are
    filled by its own worker); scaling and article relevance span the whole pool, as
    for one index over all the sentences."""

    def __init__(
        self,
        rankers: Sequence[SemanticRanker],
        first_sentences: Sequence[int],
        first_documents: Sequence[int],
    ) -> None:
        first = rankers[0]
        if {(r.embedder.name, r.vectors.dimension) for r in rankers} != {
            (first.embedder.name, first.vectors.dimension)
        }:
            raise ValueError("indexes searched together need the same embedding model")
        super().__init__(first.embedder, first.vectors, first.config)
        self.rankers = tuple(rankers)
        self._sentences = np.array(first_sentences, dtype=np.int64)
        self._documents = np.array(first_documents, dtype=np.int64)

    def cosines(
        self, question: Vectors, ids: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        cosines, known = np.zeros(ids.shape[0]), np.zeros(ids.shape[0], dtype=np.bool_)
        for number, at, local in self._grouped(ids):
            cosines[at], known[at] = self.rankers[number].cosines(question, local)
        return cosines, known

    def documents(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64] | None:
        docs = np.zeros(ids.shape[0], dtype=np.int64)
        for number, at, local in self._grouped(ids):
            found = self.rankers[number].documents(local)
            if found is None:
                return None
            docs[at] = found + self._documents[number]
        return docs

    def _grouped(
        self, ids: npt.NDArray[np.int64]
    ) -> list[tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
        """For each index holding some of ``ids``: its number, where in ``ids`` they
        stand, and their ids within it."""
        owners = np.searchsorted(self._sentences, ids, side="right") - 1
        groups = []
        for number in range(len(self.rankers)):
            at = np.flatnonzero(owners == number)
            if at.shape[0]:
                groups.append((number, at, ids[at] - self._sentences[number]))
        return groups
