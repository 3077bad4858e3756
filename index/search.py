"""The searchable index: a question in, cited and highlighted sentences out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.analysis import Analyzer
from index.bm25 import BM25Params
from index.engines import Candidates, Engine, ReferenceEngine, SparseEngine
from index.postings import Postings
from index.records import Answer, DocumentInfo, Hit, Sentence, Span
from index.sentence_table import SentenceTable

MAX_QUESTION_CHARS = 1_000
MAX_K = 100


class UnknownDocumentError(KeyError):
    """A search was restricted to a document id the index does not hold."""


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
    ) -> None:
        self.table = table
        self.postings = postings
        self.build = build
        self.analyzer = analyzer or Analyzer()
        self._doc_positions = {doc.doc_id: i for i, doc in enumerate(table.documents)}
        self.term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
        self._engines: dict[str, Engine] = {"sparse": SparseEngine(postings, self.term_ids)}

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
    ) -> Answer:
        """The ``k`` best sentences for ``question`` after skipping ``offset`` of them."""
        terms = self.analyzer.terms(question[:MAX_QUESTION_CHARS])
        within = range(len(self.table))
        if doc_id is not None:
            within = self.table.doc_range(self._position(doc_id))
        ranked = self._engine(engine).best(terms, offset + min(k, MAX_K), within)[offset:]
        query = frozenset(terms)
        hits = tuple(
            self._hit(offset + rank, sentence_id, score, query)
            for rank, (sentence_id, score) in enumerate(ranked, start=1)
        )
        unknown = tuple(dict.fromkeys(t for t in terms if t not in self.term_ids))
        return Answer(question=question, terms=tuple(terms), hits=hits, unknown_terms=unknown)

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
        tokens = [token for token in self.analyzer.tokens(text) if token.term in query]
        words = tuple(dict.fromkeys(text[t.start : t.end] for t in tokens))
        return words, tuple(Span(t.start, t.end) for t in tokens)

    def _hit(self, rank: int, sentence_id: int, score: float, query: frozenset[str]) -> Hit:
        sentence = self.table.sentence(sentence_id)
        matched, spans = self.highlights(sentence.text, query)
        document = self.table.documents[self.table.doc_index(sentence_id)]
        return Hit(rank, score, sentence, document, matched, spans, position=sentence_id)

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
