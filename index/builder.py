"""Building an index from a corpus folder: read, split, analyse, weigh."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from index.analysis import Analyzer
from index.bm25 import BM25Params, EmptyIndexError
from index.corpus import Corpus, describe, read_roots
from index.postings import build_postings
from index.records import Document, Skipped
from index.search import BuildInfo, SentenceIndex
from index.sentence_table import SentenceTableBuilder
from index.sentences import SentenceSplitter

Progress = Callable[[int, int], None]


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
            documents.append(item)
    return documents, skipped


def build_index(
    corpus: Corpus,
    params: BM25Params = BM25Params(),
    progress: Progress | None = None,
    analyzer: Analyzer | None = None,
) -> BuildResult:
    """Read ``corpus`` and build its sentence index in memory (nothing is written)."""
    started = time.perf_counter()
    documents, skipped = read_documents(corpus)
    if not documents:
        raise EmptyIndexError(f"no readable documents in {describe(corpus)}")
    splitter = SentenceSplitter.train(_paragraph_texts(documents))
    index = index_documents(documents, splitter, params, progress, analyzer)
    seconds = time.perf_counter() - started
    build = BuildInfo(_now(), seconds, describe(corpus))
    index = SentenceIndex(index.table, index.postings, build, index.analyzer)
    return BuildResult(index, splitter, tuple(skipped), seconds)


def index_documents(
    documents: Sequence[Document],
    splitter: SentenceSplitter,
    params: BM25Params,
    progress: Progress | None = None,
    analyzer: Analyzer | None = None,
) -> SentenceIndex:
    """Split, analyse and weigh already parsed documents."""
    analyzer = analyzer or Analyzer()
    table = SentenceTableBuilder()
    term_lists: list[list[str]] = []
    for done, document in enumerate(documents, start=1):
        sentences = splitter.split(document)
        table.add(document.info, sentences)
        term_lists.extend(analyzer.terms(sentence.text) for sentence in sentences)
        if progress is not None:
            progress(done, len(documents))
    if not term_lists:
        raise EmptyIndexError("the documents hold no sentences")
    postings = build_postings(term_lists, params)
    return SentenceIndex(table.build(), postings, BuildInfo("", 0.0, ""), analyzer)


def _paragraph_texts(documents: Sequence[Document]) -> list[str]:
    return ["\n\n".join(doc.text[p.start : p.end] for p in doc.paragraphs) for doc in documents]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
