"""Answering questions from a loaded index: a question in, cited, highlighted sentences out.

A :class:`Searcher` is made once per loaded :class:`SentenceIndex` (the index's data
never changes, so neither does anything derived from it: the term ids, the
re-ranker, the speller). Whoever serves questions swaps the searcher together
with the index it was made for. A searcher can also search a small index beside
another searcher's (a server's own documents beside the shared corpus), as one.
The ranking itself (BM25's pool, re-ranked) is ``index.service.question_ranking``'s;
this module makes the answer of it: confidence, withheld hits, citations,
highlights, did-you-mean and the context around a quoted sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from index.errors import UnknownDocumentError
from index.ranking.confidence import DEFAULT_MIN_CONFIDENCE
from index.ranking.engines import Candidates, Engine, weighted_terms
from index.ranking.rerank import DEFAULT_RERANK, Mixed, RankingFeatures, RerankConfig
from index.records import Answer, DocumentInfo, Hit, Sentence, Span
from index.semantic.mixing import SemanticRanker
from index.service.parts import Part, Parts
from index.service.question_ranking import QuestionRanker, Ranked, Reranking, Scope
from index.service.repeats import Shown, also_in, distinct_among
from index.storage.sentence_index import SentenceIndex
from index.terms.analysis import Analyzer
from index.terms.spelling import Speller, SpellingFix
from index.terms.synonyms import Synonyms

MAX_QUESTION_CHARS = 1_000
MAX_K = 100


@dataclass(frozen=True, slots=True)
class _Request:
    """What :meth:`Searcher.search` was asked besides the question."""

    k: int
    doc_id: str | None
    offset: int
    engine: str
    min_confidence: float


class Searcher:
    """Questions against one :class:`SentenceIndex`, ranked by BM25 then re-ranked.

    ``beside``: search ``index`` beside the indexes of another searcher (a server's
    own documents beside the shared corpus), as one index over all their documents
    would (``index.service.parts``); analyzer, synonyms and re-ranking are that
    searcher's (``own``: the part already made for ``index``, by its own searcher).
    ``reference`` also builds the rank-bm25 engine (``engine="rank-bm25"``),
    which re-analyses every sentence: it is for checking the fast engine, not for
    serving, and only for one index. ``mixed`` scorers join the re-ranking; ``semantic``
    (the semantic extra) is one, which also lifts the depth and whose cosines count as
    confidence.
    """

    ranker: QuestionRanker  # ranks the questions; a searcher beside this one shares its synonyms

    def __init__(
        self,
        index: SentenceIndex,
        *,
        analyzer: Analyzer | None = None,
        rerank: RerankConfig | None = DEFAULT_RERANK,
        reference: bool = False,
        beside: Searcher | None = None,
        own: Part | None = None,
        mixed: Sequence[Mixed] = (),
        semantic: SemanticRanker | None = None,
    ) -> None:
        self.index = index
        self.mixed = tuple(mixed)
        self.semantic = semantic  # set later too, when the embeddings are attached
        if beside is None:
            self.analyzer = analyzer or Analyzer()
            self.rerank = rerank or RerankConfig(depth=0)
            synonyms = Synonyms.shipped(self.analyzer)
            part = Part.of(index, self.analyzer)
            self.parts = Parts([part])
        else:
            self.analyzer, self.rerank = beside.analyzer, beside.rerank
            synonyms = beside.ranker.synonyms
            part = (own or Part.of(index, self.analyzer)).after(beside.parts.parts[-1])
            self.parts = Parts([*beside.parts.parts, part])
        self.term_ids = part.term_ids
        engines = self._engines(part, reference and beside is None)
        self.ranker = QuestionRanker(self.parts, synonyms, engines, len(index))
        self.speller = Speller(self.analyzer, self.parts.frequency)

    def _engines(self, part: Part, reference: bool) -> dict[str, Engine]:
        """The sparse engine, and the rank-bm25 reference when asked for."""
        engines: dict[str, Engine] = {"sparse": part.engine}
        if reference:
            from index.ranking.reference_engine import ReferenceEngine  # imports rank-bm25

            engines["rank-bm25"] = ReferenceEngine(self._term_lists(), self.index.params)
        return engines

    @property
    def documents(self) -> Sequence[DocumentInfo]:
        """Every document searched, in order (the shared corpus's first, when beside it)."""
        return self.parts.documents

    def document(self, doc_id: str) -> DocumentInfo:
        """The document with ``doc_id``; raises :class:`UnknownDocumentError`."""
        part, position = self._position(doc_id)
        return part.index.documents[position]

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
            pool = self.parts.pool(weighted_terms(terms, (), 0.0), k, self._within(doc_id)).pairs
            return tuple(sentence_id for sentence_id, _ in pool)
        ranked = self._ranked(question, terms, doc_id, "sparse", k)
        if min_confidence <= 0.0:  # every confidence reaches it: none is worked out
            return tuple(i for i, _ in ranked.order)
        return tuple(i for i, _ in ranked.order if ranked.confidence(i) >= min_confidence)

    def features(self, question: str, k: int = 10, *, doc_id: str | None = None) -> RankingFeatures:
        """What the ranking of ``question``'s ``k`` best (in the whole index, or in ``doc_id``)
        weighs: each re-ranked candidate's features, every one computed whatever its weight
        (semantic ones too when the term is on). For learning the weights
        (``bench/learn_weights.py``)."""
        question = question[:MAX_QUESTION_CHARS]
        scope = Scope("sparse", self._within(doc_id))
        terms = self.analyzer.terms(question)
        return self.ranker.features(question, terms, scope, k, self._reranking(doc_id))

    def candidates(self, question: str, engine: str = "sparse") -> Candidates:
        """Every sentence sharing a term with ``question``, with its score (for evaluation,
        of one index)."""
        terms = self.analyzer.terms(question[:MAX_QUESTION_CHARS])
        return self.ranker.engine(engine).candidates(terms)

    def context(self, sentence_id: int, before: int = 1, after: int = 1) -> list[Sentence]:
        """The sentence and its neighbours within the same document."""
        part, local = self.parts.locate(sentence_id)
        table = part.index.table
        doc_range = table.doc_range(table.doc_index(local))
        lo = max(doc_range.start, local - before)
        hi = min(doc_range.stop, local + after + 1)
        return [table.sentence(i) for i in range(lo, hi)]

    def context_of(self, sentence: Sentence, before: int = 1, after: int = 1) -> list[Sentence]:
        """:meth:`context` for a sentence quoted earlier, found again by its document and
        position; empty when that document is gone or changed since."""
        found = self.parts.find(sentence.doc_id)
        if found is None:
            return []
        part, position = found
        table = part.index.table
        ids = table.doc_range(position)
        at = ids.start + int(np.searchsorted(table.start[ids.start : ids.stop], sentence.start))
        if at >= ids.stop or table.sentence(at) != sentence:
            return []
        return self.context(at + part.first_sentence, before, after)

    def highlights(
        self, text: str, query: frozenset[str]
    ) -> tuple[tuple[str, ...], tuple[Span, ...]]:
        """The words of ``text`` whose terms are in ``query``, and their spans."""
        tokens = self.analyzer.matching_tokens(text, query)
        words = tuple(dict.fromkeys(text[t.start : t.end] for t in tokens))
        return words, tuple(Span(t.start, t.end) for t in tokens)

    def _fix(self, question: str, terms: list[str]) -> SpellingFix | None:
        """The spelling fix for a question with a word no sentence holds, else ``None``."""
        if all(self.parts.doc_freqs(terms).values()):
            return None
        return self.speller.correct(question)

    def _ranked(
        self, question: str, terms: list[str], doc_id: str | None, engine: str, wanted: int
    ) -> Ranked:
        """The ``wanted`` best sentences of ``doc_id`` (``None``: of everything)."""
        scope = Scope(engine, self._within(doc_id))
        return self.ranker.ranked(question, terms, scope, wanted, self._reranking(doc_id))

    def _reranking(self, doc_id: str | None) -> Reranking:
        """How a search of ``doc_id`` (``None``: of everything) re-ranks, as things stand."""
        return Reranking.of(self.rerank, self.mixed, self.semantic, open_corpus=doc_id is None)

    def _answer(self, question: str, terms: list[str], request: _Request) -> Answer:
        wanted = request.offset + min(request.k, MAX_K)
        ranked, shown = self._distinct(question, terms, request, wanted)
        chosen: list[tuple[Shown, float]] = []
        withheld = 0
        for item in shown[request.offset :]:
            sure = ranked.confidence(item.sentence_id)
            if sure < request.min_confidence:
                # A sentence sharing no word (an article's other sentences) is no weak match.
                withheld += ranked.bm25[item.sentence_id] > 0
            else:
                chosen.append((item, sure))
        hits = self._hits(chosen, [*terms, *ranked.question.related], request.offset)
        unknown = tuple(dict.fromkeys(t for t in terms if not ranked.doc_freqs[t]))
        words = self._words_of(question, frozenset(unknown)) if unknown else ()
        return Answer(question, tuple(terms), hits, unknown, withheld=withheld, unknown_words=words)

    def _distinct(
        self, question: str, terms: list[str], request: _Request, wanted: int
    ) -> tuple[Ranked, list[Shown]]:
        """The ranking and its first ``wanted`` distinct sentences: copies of one sentence
        are quoted once and leave their places to the next different ones, as far down
        the re-ranked head as it takes (docs/performance.md, "Repeated sentences")."""
        depth = max(2 * wanted, self.rerank.depth)
        ranked = self._ranked(question, terms, request.doc_id, request.engine, depth)
        return ranked, distinct_among(ranked.order, wanted, self.parts.text_keys)

    def _words_of(self, question: str, terms: frozenset[str]) -> tuple[str, ...]:
        """The question's words, as typed, whose terms are among ``terms``."""
        tokens = self.analyzer.matching_tokens(question, terms)
        return tuple(dict.fromkeys(question[t.start : t.end] for t in tokens))

    def _hits(
        self, chosen: list[tuple[Shown, float]], query: list[str], offset: int
    ) -> tuple[Hit, ...]:
        """Cited, highlighted hits for the sentences chosen (with their confidence), built
        together: one read of their texts, highlights from the stored word spans."""
        ids = [item.sentence_id for item, _ in chosen]
        sentences, documents = self.parts.sentences(ids)
        spans = self.parts.spans(ids, query)
        parts = self.parts
        also = also_in(
            [item for item, _ in chosen], parts.document_numbers, parts.documents.__getitem__
        )
        hits = []
        for rank, ((item, sure), sentence, document, found, (others, count)) in enumerate(
            zip(chosen, sentences, documents, spans, also, strict=True), start=offset + 1
        ):
            text = sentence.text
            matched = tuple(dict.fromkeys([text[span.start : span.end] for span in found]))
            hit = Hit(rank, item.score, sentence, document, matched, found, item.sentence_id, sure)
            hits.append(replace(hit, also_in=others, also_in_count=count) if others else hit)
        return tuple(hits)

    def _within(self, doc_id: str | None) -> tuple[Part, range] | None:
        """The part holding ``doc_id`` and the document's ids there (``None``: everything)."""
        if doc_id is None:
            return None
        part, position = self._position(doc_id)
        return part, part.index.table.doc_range(position)

    def _position(self, doc_id: str) -> tuple[Part, int]:
        found = self.parts.find(doc_id)
        if found is None:
            raise UnknownDocumentError(doc_id)
        return found

    def _term_lists(self) -> list[list[str]]:
        table = self.index.table
        return [self.analyzer.terms(table.text(i)) for i in range(len(table))]
