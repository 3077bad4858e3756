"""Building an index from a corpus folder: read, split, analyse, weigh."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from index.articles.corpus import Corpus, describe, read_roots
from index.articles.sentences import DEFAULT_TRAINING_CHARS, SentenceSplitter
from index.errors import EmptyIndexError
from index.ranking.bm25 import BM25Params
from index.ranking.postings import Postings, assemble_postings
from index.records import Document, Skipped
from index.storage.batches import BATCH_CHARS, Batch, analyse_all
from index.storage.document_stream import DocumentStream, start_build
from index.storage.sentence_index import BuildInfo, SentenceIndex
from index.storage.sentence_table import SentenceTableBuilder
from index.storage.sentence_tokens import SentenceTokens, joined
from index.storage.workers import Workers
from index.terms.analysis import Analyzer
from index.terms.sentence_facts import SentenceFactsBuilder

Progress = Callable[[int, int], None]
Item = TypeVar("Item", bound=np.generic)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """A freshly built index, the splitter that cut its sentences, and what was skipped."""

    index: SentenceIndex
    splitter: SentenceSplitter
    skipped: tuple[Skipped, ...]
    seconds: float


def read_documents(corpus: Corpus) -> tuple[list[Document], list[Skipped]]:
    """Every readable document of ``corpus``; later duplicates of a document id are skipped."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    documents.extend(documents_of(corpus, skipped))
    return documents, skipped


def documents_of(corpus: Corpus, skipped: list[Skipped]) -> Iterator[Document]:
    """The readable documents of ``corpus`` as a stream; what is skipped goes to ``skipped``
    (later duplicates of a document id among them)."""
    seen: set[str] = set()
    for item in read_roots(corpus):
        if isinstance(item, Skipped):
            skipped.append(item)
        elif item.info.doc_id in seen:
            skipped.append(
                Skipped(item.info.path or item.info.doc_id, f"duplicate id {item.info.doc_id!r}")
            )
        else:
            seen.add(item.info.doc_id)
            yield item


def build_index(
    corpus: Corpus,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    analyzer: Analyzer | None = None,
    training_chars: int = DEFAULT_TRAINING_CHARS,
    splitter: SentenceSplitter | None = None,
) -> BuildResult:
    """Read ``corpus`` and build its sentence index in memory (nothing is written);
    ``splitter`` splits the sentences instead of one trained on this corpus."""
    started = time.perf_counter()
    skipped: list[Skipped] = []
    with Workers() as pool:
        stream = DocumentStream(documents_of(corpus, skipped))
        splitter = start_build(stream, training_chars, pool, splitter)
        if stream.exhausted and not stream.read:
            raise EmptyIndexError(f"no readable documents in {describe(corpus)}")
        index = index_documents(stream, splitter, params, progress, analyzer, pool=pool)
    seconds = time.perf_counter() - started
    index = replace(index, build=BuildInfo(_now(), seconds, describe(corpus)))
    return BuildResult(index, splitter, tuple(skipped), seconds)


def index_documents(
    documents: Sequence[Document] | DocumentStream,
    splitter: SentenceSplitter,
    params: BM25Params,
    progress: Progress | None = None,
    analyzer: Analyzer | None = None,
    workers: int | None = None,
    batch_chars: int = BATCH_CHARS,
    pool: Workers | None = None,
) -> SentenceIndex:
    """Split, analyse and weigh parsed documents, on ``pool`` if it was started, else on
    ``workers`` processes (see :func:`index.storage.batches.analyse_all`). A stream of
    them is read as the batches go out; progress counts the documents read so far."""
    analyzer = analyzer or Analyzer()
    table, terms, facts = SentenceTableBuilder(), TermMerger(), SentenceFactsBuilder()
    tokens: list[SentenceTokens] = []
    done = 0
    for batch in analyse_all(documents, splitter, analyzer, workers, batch_chars, pool):
        table.add_block(batch)
        tokens.append(SentenceTokens.of(batch.tokens, terms.add(batch)))
        facts.extend(batch.facts)
        done += len(batch.documents)
        if progress is not None:
            progress(
                done, documents.read if isinstance(documents, DocumentStream) else len(documents)
            )
    if not terms.sentences:
        raise EmptyIndexError("the documents hold no sentences")
    postings = terms.postings(params)
    built = table.build()
    return SentenceIndex(built, postings, facts.build(), joined(tokens), BuildInfo("", 0.0, ""))


class TermMerger:
    """Gathers the batches' term counts under one vocabulary, in sentence order."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.sentences = 0
        self._term_ids: list[npt.NDArray[np.int32]] = []
        self._sentence_ids: list[npt.NDArray[np.int32]] = []
        self._tfs: list[npt.NDArray[np.int32]] = []
        self._lengths: list[npt.NDArray[np.int32]] = []
        self._firsts: list[npt.NDArray[np.uint8]] = []

    def add(self, batch: Batch) -> npt.NDArray[np.int32]:
        """Append one batch's sentences; returns the merged id of each of its term ids."""
        vocabulary = self.vocabulary
        mapping = np.array(
            [vocabulary.setdefault(term, len(vocabulary)) for term in batch.vocabulary],
            dtype=np.int32,
        )
        self._term_ids.append(mapping[np.frombuffer(batch.term_ids, dtype=np.int32)])
        distinct = np.frombuffer(batch.distinct, dtype=np.int32)
        sentence_ids = np.arange(self.sentences, self.sentences + batch.sentences, dtype=np.int32)
        self._sentence_ids.append(np.repeat(sentence_ids, distinct))
        self._tfs.append(np.frombuffer(batch.term_freqs, dtype=np.int32))
        self._lengths.append(np.frombuffer(batch.lengths, dtype=np.int32))
        self._firsts.append(np.frombuffer(batch.first_positions, dtype=np.uint8))
        self.sentences += batch.sentences
        return mapping

    def postings(self, params: BM25Params) -> Postings:
        """The merged postings; raises ``EmptyIndexError`` when nothing was indexable."""
        return assemble_postings(
            tuple(self.vocabulary),
            _joined(self._term_ids),
            _joined(self._sentence_ids),
            _joined(self._tfs),
            _joined(self._lengths),
            params,
            _joined(self._firsts),
        )


def _joined(parts: list[npt.NDArray[Item]]) -> npt.NDArray[Item]:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def _read_so_far(documents: Sequence[Document] | DocumentStream) -> int:
    return documents.read if isinstance(documents, DocumentStream) else len(documents)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
