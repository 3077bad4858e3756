"""Answering questions from one loaded index: a question in, cited, highlighted sentences out.

A :class:`Searcher` is made once per loaded :class:`SentenceIndex` (the index's data
never changes, so neither does anything derived from it: the term ids, the
re-ranker, the speller). Whoever serves questions swaps the searcher together
with the index it was made for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from index.errors import UnknownDocumentError
from index.ranking.candidates import with_unmatched
from index.ranking.confidence import DEFAULT_MIN_CONFIDENCE, confidence
from index.ranking.engines import ENGINES, Candidates, Engine, ReferenceEngine, SparseEngine
from index.ranking.rerank import DEFAULT_RERANK, Mixed, RerankConfig, Reranker
from index.ranking.rerank_evidence import Question
from index.records import Answer, DocumentInfo, Hit, Sentence, Span
from index.semantic.mixing import SemanticRanker
from index.storage.sentence_index import SentenceIndex
from index.terms.analysis import Analyzer
from index.terms.spelling import Speller, SpellingFix, frequency_lookup
from index.terms.synonyms import Expansion, Synonyms

MAX_QUESTION_CHARS = 1_000
MAX_K = 100


@dataclass(frozen=True, slots=True)
class _Request:
    k: int
    doc_id: str | None
    offset: int
    engine: str
    min_confidence: float


@dataclass(frozen=True, slots=True)
class _Ranked:
    """One question's re-ranked candidates, their BM25 scores and the parsed question."""

    order: list[tuple[int, float]]
    bm25: dict[int, float]
    question: Question
    closeness: dict[int, float] = field(default_factory=dict)

    def confidence(self, sentence_id: int) -> float:
        """How sure the answer is of this sentence: how much of the question it matches, or
        (semantic re-ranking on) how close it is in meaning, whichever is more."""
        lexical = confidence(self.bm25[sentence_id], self.question.best_possible)
        return max(lexical, self.closeness.get(sentence_id, 0.0))


class Searcher:
    """Questions against one :class:`SentenceIndex`, ranked by BM25 then re-ranked.

    ``reference`` also builds the rank-bm25 engine (``engine="rank-bm25"``), which
    re-analyses every sentence: it is for checking the fast engine, not for serving.
    ``mixed`` scorers join the re-ranking; ``semantic`` (the semantic extra) is one,
    which also lifts the depth and whose cosines count as confidence.
    """

    def __init__(
        self,
        index: SentenceIndex,
        *,
        analyzer: Analyzer | None = None,
        rerank: RerankConfig | None = DEFAULT_RERANK,
        reference: bool = False,
        mixed: Sequence[Mixed] = (),
        semantic: SemanticRanker | None = None,
    ) -> None:
        self.index = index
        self.analyzer = analyzer or Analyzer()
        self.rerank = rerank or RerankConfig(depth=0)
        self.mixed = tuple(mixed)
        self.semantic = semantic  # set later too, when the embeddings are attached
        table, postings = index.table, index.postings
        self._doc_positions = {doc.doc_id: i for i, doc in enumerate(table.documents)}
        self.term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
        self._engines: dict[str, Engine] = {"sparse": SparseEngine(postings, self.term_ids)}
        if reference:
            self._engines["rank-bm25"] = ReferenceEngine(self._term_lists(), index.params)
        titles = [doc.title for doc in table.documents]
        self._reranker = Reranker(
            table.doc_first, titles, postings, self.term_ids, self.analyzer, index.facts
        )
        self._synonyms = Synonyms.shipped(self.analyzer)
        frequency = frequency_lookup(self.term_ids, postings.doc_freq().tolist())
        self.speller = Speller(self.analyzer, frequency)

    @property
    def documents(self) -> tuple[DocumentInfo, ...]:
        """Every indexed document, in corpus order."""
        return self.index.documents

    def document(self, doc_id: str) -> DocumentInfo:
        """The document with ``doc_id``; raises :class:`UnknownDocumentError`."""
        return self.index.documents[self._position(doc_id)]

    def search(
        self,
        question: str,
        k: int = 5,
        *,
        doc_id: str | None = None,
        offset: int = 0,
        engine: str = "sparse",
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        spelling: bool = True,
    ) -> Answer:
        """The ``k`` best sentences for ``question`` after skipping ``offset`` of them.

        Hits below ``min_confidence`` are withheld. When a question word looks like a
        typo and the corrected question finds an answer, that answer is returned with
        ``corrected_question`` set ("showing results for ..."); when nothing is found,
        the answer carries the spelling suggestions. Everything happens in this one
        call, so a host runs it on its search thread and does nothing more.
        """
        request = _Request(k, doc_id, offset, engine, min_confidence)
        question = question[:MAX_QUESTION_CHARS]
        terms = self.analyzer.terms(question)
        fix = self._fix(question, terms) if spelling else None
        if fix is not None:
            fixed = self._answer(fix.question, self.analyzer.terms(fix.question), request)
            if fixed.hits:
                return replace(
                    fixed,
                    question=question,
                    corrected_question=fix.question,
                    corrections=fix.corrections,
                )
        answer = self._answer(question, terms, request)
        if answer.hits or fix is None:
            return answer
        return replace(answer, suggestions=tuple(c.replacement for c in fix.corrections))

    def rank(
        self,
        question: str,
        k: int = 10,
        *,
        reranked: bool = True,
        doc_id: str | None = None,
        min_confidence: float = 0.0,
    ) -> tuple[int, ...]:
        """The ids of the ``k`` best sentences for ``question`` (in the whole index, or in
        ``doc_id``) that reach ``min_confidence``, in answer order (``reranked=False``:
        BM25's order), without building hits or the ``MAX_K`` cap. Benchmarks compare
        this with other engines; evaluation ranks whole articles with it."""
        question = question[:MAX_QUESTION_CHARS]
        terms = self.analyzer.terms(question)
        if not reranked:
            pool = self._engines["sparse"].best(terms, k, self._within(doc_id))
            return tuple(sentence_id for sentence_id, _ in pool)
        request = _Request(k, doc_id, 0, "sparse", min_confidence)
        ranked = self._ranked(question, terms, request, k)
        return tuple(i for i, _ in ranked.order if ranked.confidence(i) >= min_confidence)

    def candidates(self, question: str, engine: str = "sparse") -> Candidates:
        """Every sentence sharing a term with ``question``, with its score (for evaluation)."""
        return self._engine(engine).candidates(self.analyzer.terms(question[:MAX_QUESTION_CHARS]))

    def context(self, sentence_id: int, before: int = 1, after: int = 1) -> list[Sentence]:
        """The sentence and its neighbours within the same document."""
        table = self.index.table
        doc_range = table.doc_range(table.doc_index(sentence_id))
        lo = max(doc_range.start, sentence_id - before)
        hi = min(doc_range.stop, sentence_id + after + 1)
        return [table.sentence(i) for i in range(lo, hi)]

    def context_of(self, sentence: Sentence, before: int = 1, after: int = 1) -> list[Sentence]:
        """:meth:`context` for a sentence quoted earlier, found again by its document and
        position; empty when that document is gone or changed since."""
        position = self._doc_positions.get(sentence.doc_id)
        if position is None:
            return []
        table = self.index.table
        ids = table.doc_range(position)
        at = ids.start + int(np.searchsorted(table.start[ids.start : ids.stop], sentence.start))
        if at >= ids.stop or table.sentence(at) != sentence:
            return []
        return self.context(at, before, after)

    def highlights(
        self, text: str, query: frozenset[str]
    ) -> tuple[tuple[str, ...], tuple[Span, ...]]:
        """The words of ``text`` whose terms are in ``query``, and their spans."""
        tokens = self.analyzer.matching_tokens(text, query)
        words = tuple(dict.fromkeys(text[t.start : t.end] for t in tokens))
        return words, tuple(Span(t.start, t.end) for t in tokens)

    def _fix(self, question: str, terms: list[str]) -> SpellingFix | None:
        """The spelling fix for a question with a word no sentence holds, else ``None``."""
        if all(term in self.term_ids for term in terms):
            return None
        return self.speller.correct(question)

    def _ranked(self, question: str, terms: list[str], request: _Request, wanted: int) -> _Ranked:
        """The ``wanted`` best of the request's range: the whole index, or one article,
        where every sentence is a candidate (BM25's first, then those sharing no term)."""
        within = self._within(request.doc_id)
        config, mixed, semantic = self.rerank, self.mixed, self.semantic
        if semantic is not None:  # the semantic term lifts answers from deeper down
            config = replace(config, depth=max(config.depth, semantic.config.depth))
            mixed = (*mixed, Mixed(semantic, 1.0))  # its own config holds its weights
        related = self._synonyms.expand(terms) if config.synonyms else Expansion()
        # BM25 picks the pool with the compiled top-k kernel; only that pool is re-ranked.
        # A related term standing in for a word the index lacks counts as that word.
        engine, size = self._engine(request.engine), max(config.depth, wanted)
        query = [*terms, *related.replacing(self.term_ids)]
        pool = engine.best(query, size, within, related.terms, config.synonyms)
        if request.doc_id is not None and semantic is not None:
            # Every sentence of the article (up to article_pool), all of them re-ranked.
            pool = with_unmatched(pool, within, max(size, semantic.config.article_pool))
            config = replace(config, depth=max(config.depth, len(pool)))
        elif request.doc_id is not None:
            pool = with_unmatched(pool, within, size)
        parsed = self._reranker.question(question, terms, related.by_term)
        order = self._reranker.rank(parsed, pool, wanted, config, mixed)
        if semantic is None:
            return _Ranked(order, dict(pool), parsed)
        return _Ranked(order, dict(pool), parsed, semantic.closeness(question, order))

    def _answer(self, question: str, terms: list[str], request: _Request) -> Answer:
        ranked = self._ranked(question, terms, request, request.offset + min(request.k, MAX_K))
        query = frozenset(terms) | frozenset(ranked.question.related)
        hits: list[Hit] = []
        withheld = 0
        for sentence_id, score in ranked.order[request.offset :]:
            sure = ranked.confidence(sentence_id)
            if sure < request.min_confidence:
                # A sentence sharing no word (an article's other sentences) is no weak match.
                withheld += ranked.bm25[sentence_id] > 0
                continue
            rank = request.offset + len(hits) + 1
            hits.append(self._hit(rank, sentence_id, score, query, sure))
        unknown = tuple(dict.fromkeys(t for t in terms if t not in self.term_ids))
        words = self._words_of(question, frozenset(unknown)) if unknown else ()
        return Answer(
            question, tuple(terms), tuple(hits), unknown, withheld=withheld, unknown_words=words
        )

    def _words_of(self, question: str, terms: frozenset[str]) -> tuple[str, ...]:
        """The question's words, as typed, whose terms are among ``terms``."""
        tokens = self.analyzer.matching_tokens(question, terms)
        return tuple(dict.fromkeys(question[t.start : t.end] for t in tokens))

    def _hit(
        self, rank: int, sentence_id: int, score: float, query: frozenset[str], sure: float
    ) -> Hit:
        table = self.index.table
        sentence = table.sentence(sentence_id)
        matched, spans = self.highlights(sentence.text, query)
        document = table.documents[table.doc_index(sentence_id)]
        return Hit(rank, score, sentence, document, matched, spans, sentence_id, sure)

    def _within(self, doc_id: str | None) -> range:
        """The sentence ids of ``doc_id``, or of the whole index."""
        if doc_id is None:
            return range(len(self.index))
        return self.index.table.doc_range(self._position(doc_id))

    def _position(self, doc_id: str) -> int:
        try:
            return self._doc_positions[doc_id]
        except KeyError:
            raise UnknownDocumentError(doc_id) from None

    def _engine(self, name: str) -> Engine:
        try:
            return self._engines[name]
        except KeyError:
            reason = "built without reference=True" if name in ENGINES else "unknown"
            raise ValueError(f"engine {name!r} is {reason}; choose from {ENGINES}") from None

    def _term_lists(self) -> list[list[str]]:
        table = self.index.table
        return [self.analyzer.terms(table.text(i)) for i in range(len(table))]
