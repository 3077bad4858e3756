"""Splitting and analysing documents in batches, in worker processes.

A batch comes back as flat arrays (positions, UTF-8 texts, per-sentence term
counts against a batch-local vocabulary) rather than as a million small
Python objects, so sending it between processes and merging it is cheap.
Batches run on worker processes (``index.storage.workers``) when the corpus is
large.
"""

from __future__ import annotations

import itertools
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from index.articles.sentences import SentenceSplitter
from index.ranking.bm25 import MAX_POSITION
from index.records import Document, DocumentInfo, Sentence
from index.storage.token_builder import SentenceTokensBuilder
from index.storage.workers import Workers
from index.terms.analysis import Analyzer
from index.terms.sentence_facts import SentenceFactsBuilder
from index.terms.term_batches import TermSpansBatch, term_spans_batch

_NONE: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
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
    # Term ids (against ``vocabulary``) and spans of every indexed word, for highlighting.
    tokens: SentenceTokensBuilder = field(default_factory=SentenceTokensBuilder)

    @property
    def sentences(self) -> int:
        """How many sentences the batch holds."""
        return len(self.lengths)


def analyse_batch(
    documents: Sequence[Document], splitter: SentenceSplitter, analyzer: Analyzer
) -> Batch:
    """Split and analyse ``documents`` into one :class:`Batch`."""
    batch = Batch(tuple(doc.info for doc in documents))
    sentences: list[Sentence] = []
    for document in documents:
        split = splitter.split(document)
        batch.sentence_counts.append(len(split))
        sentences.extend(split)
    batch.paragraph.extend(sentence.paragraph for sentence in sentences)
    batch.number.extend(sentence.number for sentence in sentences)
    batch.start.extend(sentence.start for sentence in sentences)
    batch.end.extend(sentence.end for sentence in sentences)
    texts = [sentence.text for sentence in sentences]
    encoded = [text.encode("utf-8") for text in texts]
    batch.text_lengths.extend(map(len, encoded))
    batch.texts.extend(b"".join(encoded))
    _add_terms(batch, term_spans_batch(analyzer, texts))
    for text in texts:
        batch.facts.add_sentence(text, analyzer)
    _count_terms(batch)
    return batch


def _add_terms(batch: Batch, spans: TermSpansBatch) -> None:
    """The batch's terms under its own vocabulary (ids in order of first use)."""
    vocabulary = batch.vocabulary
    vocabulary.update(zip(dict.fromkeys(spans.terms), itertools.count()))
    ids = np.fromiter(map(vocabulary.__getitem__, spans.terms), np.int32, len(spans.terms))
    batch.tokens.add_sentences(ids, spans.starts, spans.ends, spans.counts)
    batch.lengths.frombytes(spans.counts.astype(np.int32).tobytes())


def _count_terms(batch: Batch) -> None:
    """Each sentence's distinct terms, their frequencies and first positions, from the
    batch's tokens at once (a sentence's entries in term id order)."""
    lengths = np.frombuffer(batch.lengths, dtype=np.int32) if batch.lengths else _NONE
    terms = np.frombuffer(batch.tokens.terms, dtype=np.int32) if batch.tokens.terms else _NONE
    owner = np.repeat(np.arange(lengths.shape[0], dtype=np.int64), lengths)
    size = max(len(batch.vocabulary), 1)
    keys, first, counts = np.unique(owner * size + terms, return_index=True, return_counts=True)
    sentence = keys // size
    starts = np.cumsum(lengths, dtype=np.int64) - lengths
    batch.term_ids.frombytes((keys % size).astype(np.int32).tobytes())
    batch.term_freqs.frombytes(counts.astype(np.int32).tobytes())
    positions = np.minimum(first - starts[sentence], MAX_POSITION).astype(np.uint8)
    batch.first_positions.frombytes(positions.tobytes())
    distinct = np.bincount(sentence, minlength=lengths.shape[0]).astype(np.int32)
    batch.distinct.frombytes(distinct.tobytes())


def batches_of(documents: Iterable[Document], chars: int = BATCH_CHARS) -> Iterator[list[Document]]:
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


_analyzer: Analyzer | None = None


def worker_analyzer() -> Analyzer:
    """The analyzer of this worker process (made once: its word cache is worth keeping)."""
    global _analyzer
    if _analyzer is None:
        _analyzer = Analyzer()
    return _analyzer


def _work(documents: list[Document], splitter: SentenceSplitter) -> Batch:
    return analyse_batch(documents, splitter, worker_analyzer())


def analyse_all(
    documents: Iterable[Document],
    splitter: SentenceSplitter,
    analyzer: Analyzer,
    workers: int | None = None,
    batch_chars: int = BATCH_CHARS,
    pool: Workers | None = None,
) -> Iterator[Batch]:
    """Every document's batch, in order: on ``pool`` when it was started (its workers use
    analyzers of their own), else on ``workers`` processes (default: every core, or just
    this one, with ``analyzer``, for a small corpus)."""
    if pool is not None and pool.started:  # read as the batches go out
        yield from pool.in_order(_work, batches_of(documents, batch_chars), splitter)
        return
    documents = list(documents)
    runs = batches_of(documents, batch_chars)
    total = sum(len(doc.text) for doc in documents)
    if workers is None:
        workers = (os.cpu_count() or 1) if total >= PARALLEL_MIN_CHARS else 1
    if workers == 1:
        for run in runs:
            yield analyse_batch(run, splitter, analyzer)
        return
    with Workers(workers) as started:
        yield from started.in_order(_work, runs, splitter)
