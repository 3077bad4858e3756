"""The searchable index: a question in, cited and highlighted sentences out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.ranking.bm25 import BM25Params
from index.ranking.confidence import DEFAULT_MIN_CONFIDENCE, confidence
from index.ranking.engines import Candidates, Engine, ReferenceEngine, SparseEngine
from index.ranking.postings import Postings
from index.ranking.rerank import DEFAULT_RERANK, RerankConfig, Reranker
from index.ranking.rerank_evidence import Question
from index.records import Answer, DocumentInfo, Hit, Sentence, Span
from index.storage.sentence_table import SentenceTable
from index.terms.analysis import Analyzer
from index.terms.sentence_facts import SentenceFacts
from index.terms.spelling import Speller, frequency_lookup
from index.terms.synonyms import Expansion, Synonyms

MAX_QUESTION_CHARS = 1_000
MAX_K = 100


class UnknownDocumentError(KeyError):
    """A search was restricted to a document id the index does not hold."""


@dataclass(frozen=True, slots=True)
class _Request:
    k: int
    doc_id: str | None
    offset: int
    engine: str
    min_confidence: float


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """When and from what an index was built."""

    built_at: str
    build_seconds: float
    corpus: str


class SentenceIndex:
    """BM25 over the sentences of a corpus. Immutable once built: swap, don't mutate."""

    def __init__(
        self,
        table: SentenceTable,
        postings: Postings,
        build: BuildInfo,
        analyzer: Analyzer | None = None,
        rerank: RerankConfig | None = DEFAULT_RERANK,
        facts: SentenceFacts | None = None,
    ) -> None:
        self.table = table
        self.postings = postings
        self.build = build
        self.analyzer = analyzer or Analyzer()
        self._doc_positions = {doc.doc_id: i for i, doc in enumerate(table.documents)}
        self.term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
        self._engines: dict[str, Engine] = {"sparse": SparseEngine(postings, self.term_ids)}
        self.rerank = rerank
        # Built indexes bring their facts; working them out here is for small ones (tests).
        texts = map(table.text, range(len(table)))
        self.facts = SentenceFacts.of_texts(texts, self.analyzer) if facts is None else facts
        self._reranker = Reranker(table, postings, self.term_ids, self.analyzer, self.facts)
        self._synonyms = Synonyms.shipped(self.analyzer)
        frequency = frequency_lookup(self.term_ids, postings.doc_freq().tolist())
        self._speller = Speller(self.analyzer, frequency)

    @property
    def params(self) -> BM25Params:
        """The BM25 parameters the weights were computed with."""
        return self.postings.params

    @property
    def documents(self) -> tuple[DocumentInfo, ...]:
        """Every indexed document, in corpus order."""
        return self.table.documents

    def document(self, doc_id: str) -> DocumentInfo:
        """The document with ``doc_id``; raises :class:`UnknownDocumentError`."""
        return self.table.documents[self._position(doc_id)]

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

        Hits below ``min_confidence`` are withheld. When a question word looks
        like a typo and the corrected question finds an answer, that answer is
        returned with ``corrected_question`` set ("showing results for ...").
        """
        request = _Request(k, doc_id, offset, engine, min_confidence)
        answer = self._answer(question, request)
        if not spelling or not answer.unknown_terms:
            return answer
        fix = self._speller.correct(question[:MAX_QUESTION_CHARS])
        if fix is None:
            return answer
        fixed = self._answer(fix.question, request)
        if not fixed.hits:
            return answer
        return replace(
            fixed, question=question, corrected_question=fix.question, corrections=fix.corrections
        )

    def rank(self, question: str, k: int = 10) -> tuple[int, ...]:
        """The ids of the ``k`` best sentences for ``question`` in the whole index, in
        answer order, without building hits (benchmarks compare this with other engines)."""
        terms = self.analyzer.terms(question[:MAX_QUESTION_CHARS])
        ranked, _, _ = self._ranked(question, terms, _Request(k, None, 0, "sparse", 0.0))
        return tuple(sentence_id for sentence_id, _ in ranked)

    def _ranked(
        self, question: str, terms: list[str], request: _Request
    ) -> tuple[list[tuple[int, float]], dict[int, float], Question]:
        within = range(len(self.table))
        if request.doc_id is not None:
            within = self.table.doc_range(self._position(request.doc_id))
        wanted = request.offset + min(request.k, MAX_K)
        config = self.rerank or RerankConfig(depth=0)
        related = self._synonyms.expand(terms) if config.synonyms else Expansion()
        # BM25 picks the pool with the compiled top-k kernel; only that pool is re-ranked.
        engine, size = self._engine(request.engine), max(config.depth, wanted)
        pool = engine.best(terms, size, within, related.terms, config.synonyms)
        parsed = self._reranker.question(question, terms, related.by_term)
        return self._reranker.rank(parsed, pool, wanted, config), dict(pool), parsed

    def _answer(self, question: str, request: _Request) -> Answer:
        terms = self.analyzer.terms(question[:MAX_QUESTION_CHARS])
        ranked, bm25, parsed = self._ranked(question, terms, request)
        query = frozenset(terms) | frozenset(parsed.related)
        hits: list[Hit] = []
        withheld = 0
        for sentence_id, score in ranked[request.offset :]:
            sure = confidence(bm25[sentence_id], parsed.best_possible)
            if sure < request.min_confidence:
                withheld += 1
                continue
            rank = request.offset + len(hits) + 1
            hits.append(self._hit(rank, sentence_id, score, query, sure))
        unknown = tuple(dict.fromkeys(t for t in terms if t not in self.term_ids))
        return Answer(question, tuple(terms), tuple(hits), unknown, withheld=withheld)

    def suggestions(self, question: str) -> tuple[str, ...]:
        """Indexed words that the question's misspelt words may have meant ("did you mean")."""
        fix = self._speller.correct(question[:MAX_QUESTION_CHARS])
        return tuple(c.replacement for c in fix.corrections) if fix else ()

    def candidates(self, question: str, engine: str = "sparse") -> Candidates:
        """Every sentence sharing a term with ``question``, with its score (for evaluation)."""
        return self._engine(engine).candidates(self.analyzer.terms(question[:MAX_QUESTION_CHARS]))

    def context(self, sentence_id: int, before: int = 1, after: int = 1) -> list[Sentence]:
        """The sentence and its neighbours within the same document."""
        doc_range = self.table.doc_range(self.table.doc_index(sentence_id))
        lo = max(doc_range.start, sentence_id - before)
        hi = min(doc_range.stop, sentence_id + after + 1)
        return [self.table.sentence(i) for i in range(lo, hi)]

    def highlights(
        self, text: str, query: frozenset[str]
    ) -> tuple[tuple[str, ...], tuple[Span, ...]]:
        """The words of ``text`` whose terms are in ``query``, and their spans."""
        tokens = self.analyzer.matching_tokens(text, query)
        words = tuple(dict.fromkeys(text[t.start : t.end] for t in tokens))
        return words, tuple(Span(t.start, t.end) for t in tokens)

    def _hit(
        self, rank: int, sentence_id: int, score: float, query: frozenset[str], sure: float
    ) -> Hit:
        sentence = self.table.sentence(sentence_id)
        matched, spans = self.highlights(sentence.text, query)
        document = self.table.documents[self.table.doc_index(sentence_id)]
        return Hit(rank, score, sentence, document, matched, spans, sentence_id, sure)

    def _position(self, doc_id: str) -> int:
        try:
            return self._doc_positions[doc_id]
        except KeyError:
            raise UnknownDocumentError(doc_id) from None

    def _engine(self, name: str) -> Engine:
        if name not in self._engines:
            if name != "rank-bm25":
                raise ValueError(f"unknown engine {name!r}; choose sparse or rank-bm25")
            self._engines[name] = ReferenceEngine(self._term_lists(), self.params)
        return self._engines[name]

    def _term_lists(self) -> Sequence[Sequence[str]]:
        return [self.analyzer.terms(self.table.text(i)) for i in range(len(self.table))]
