"""Splitting and analysing documents in batches, in worker processes.

A batch comes back as flat arrays (positions, UTF-8 texts, per-sentence term
counts against a batch-local vocabulary) rather than as a million small
Python objects, so sending it between processes and merging it is cheap.
Workers are spawned, not forked: the bot builds from a thread, and forking a
process that has threads can deadlock.
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from index.articles.sentences import SentenceSplitter
from index.ranking.postings import first_positions
from index.records import Document, DocumentInfo
from index.terms.analysis import Analyzer
from index.terms.sentence_facts import SentenceFactsBuilder

BATCH_CHARS = 1_000_000
# Below this much text a pool costs more (starting interpreters) than it saves.
PARALLEL_MIN_CHARS = 4_000_000


@dataclass(frozen=True, eq=False)
class Batch:
    """The sentences of some documents, in order, with their terms counted."""

    documents: tuple[DocumentInfo, ...]
    sentence_counts: array[int] = field(default_factory=lambda: array("i"))
    paragraph: array[int] = field(default_factory=lambda: array("i"))
    number: array[int] = field(default_factory=lambda: array("i"))
    start: array[int] = field(default_factory=lambda: array("q"))
    end: array[int] = field(default_factory=lambda: array("q"))
    text_lengths: array[int] = field(default_factory=lambda: array("q"))
    texts: bytearray = field(default_factory=bytearray)
    vocabulary: dict[str, int] = field(default_factory=dict)
    term_ids: array[int] = field(default_factory=lambda: array("i"))
    term_freqs: array[int] = field(default_factory=lambda: array("i"))
    first_positions: array[int] = field(default_factory=lambda: array("B"))
    distinct: array[int] = field(default_factory=lambda: array("i"))
    lengths: array[int] = field(default_factory=lambda: array("i"))
    facts: SentenceFactsBuilder = field(default_factory=SentenceFactsBuilder)

    @property
    def sentences(self) -> int:
        """How many sentences the batch holds."""
        return len(self.lengths)


def analyse_batch(
    documents: Sequence[Document], splitter: SentenceSplitter, analyzer: Analyzer
) -> Batch:
    """Split and analyse ``documents`` into one :class:`Batch`."""
    batch = Batch(tuple(doc.info for doc in documents))
    for document in documents:
        sentences = splitter.split(document)
        batch.sentence_counts.append(len(sentences))
        for sentence in sentences:
            batch.paragraph.append(sentence.paragraph)
            batch.number.append(sentence.number)
            batch.start.append(sentence.start)
            batch.end.append(sentence.end)
            encoded = sentence.text.encode("utf-8")
            batch.text_lengths.append(len(encoded))
            batch.texts.extend(encoded)
            _count_terms(batch, analyzer.terms(sentence.text))
            batch.facts.add_sentence(sentence.text, analyzer)
    return batch


def _count_terms(batch: Batch, terms: list[str]) -> None:
    counts = Counter(terms)
    vocabulary = batch.vocabulary
    batch.term_ids.extend([vocabulary.setdefault(term, len(vocabulary)) for term in counts])
    batch.term_freqs.extend(counts.values())
    # Both dicts keep the order of first occurrence, so the positions line up with the counts.
    batch.first_positions.extend(first_positions(terms).values())
    batch.distinct.append(len(counts))
    batch.lengths.append(len(terms))


def batches_of(documents: Sequence[Document], chars: int = BATCH_CHARS) -> Iterator[list[Document]]:
    """Consecutive runs of documents holding about ``chars`` characters each."""
    run: list[Document] = []
    size = 0
    for document in documents:
        run.append(document)
        size += len(document.text)
        if size >= chars:
            yield run
            run, size = [], 0
    if run:
        yield run


_worker: tuple[SentenceSplitter, Analyzer] | None = None


def _start_worker(splitter: SentenceSplitter, analyzer: Analyzer) -> None:
    global _worker
    _worker = (splitter, analyzer)


def _work(documents: list[Document]) -> Batch:
    assert _worker is not None, "worker started without its splitter"
    return analyse_batch(documents, *_worker)


def analyse_all(
    documents: Sequence[Document],
    splitter: SentenceSplitter,
    analyzer: Analyzer,
    workers: int | None = None,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[Batch]:
    """Every document's batch, in order; on ``workers`` processes (default: every core,
    or just this one for a small corpus)."""
    total = sum(len(doc.text) for doc in documents)
    if workers is None:
        workers = (os.cpu_count() or 1) if total >= PARALLEL_MIN_CHARS else 1
    if workers == 1:
        for run in batches_of(documents, batch_chars):
            yield analyse_batch(run, splitter, analyzer)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, _start_worker, (splitter, analyzer)) as pool:
        yield from pool.imap(_work, batches_of(documents, batch_chars))
