"""A corpus's documents as a build reads them: streamed to the workers, not read first.

A build used to read the whole corpus before its first batch went out, so the
workers sat idle for as long as reading took (several seconds at a million
sentences). Now it reads only the start: enough to train Punkt (on a worker,
while this process reads on) and to know whether the corpus is large enough
for workers at all. The rest is read as batches go out, so reading overlaps
the analysis. The documents read so far are counted: a progress bar's total
grows as the build reads.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future

from index.articles.sentences import SentenceSplitter
from index.records import Document
from index.storage.batches import BATCH_CHARS, PARALLEL_MIN_CHARS
from index.storage.workers import Workers

# While Punkt trains on a worker this process reads ahead, at most this much text.
READ_AHEAD_CHARS = 32 * BATCH_CHARS


class DocumentStream:
    """The documents of an iterator, some of them read ahead, counted as they are read."""

    def __init__(self, documents: Iterator[Document]) -> None:
        self._documents = documents
        self._ahead: deque[Document] = deque()
        self.read = 0
        self.exhausted = False
        self.text_chars = 0  # of the documents read so far (their whole text)
        self.paragraph_chars = 0  # of their paragraphs (what Punkt trains on)

    def __iter__(self) -> DocumentStream:
        return self

    def __next__(self) -> Document:
        if self._ahead:
            return self._ahead.popleft()
        document = self._read()
        if document is None:
            raise StopIteration
        return document

    def read_ahead(self, done: Callable[[], bool]) -> list[Document]:
        """Read documents ahead until ``done()`` or the stream ends; returns all those
        read ahead and not yet taken."""
        while not done():
            document = self._read()
            if document is None:
                break
            self._ahead.append(document)
        return list(self._ahead)

    def _read(self) -> Document | None:
        document = next(self._documents, None)
        if document is None:
            self.exhausted = True
            return None
        self.read += 1
        self.text_chars += len(document.text)
        self.paragraph_chars += sum(p.end - p.start for p in document.paragraphs)
        return document


def start_build(
    stream: DocumentStream, training_chars: int, pool: Workers, splitter: SentenceSplitter | None
) -> SentenceSplitter:
    """Read the start of ``stream``: train Punkt on its first ``training_chars`` (on a
    worker of ``pool`` when there is that much text) unless ``splitter`` is given, and
    start ``pool`` when the corpus holds more than ``PARALLEL_MIN_CHARS``."""
    training: Future[SentenceSplitter] | None = None
    if splitter is None:
        head = stream.read_ahead(lambda: stream.paragraph_chars >= training_chars)
        if not stream.exhausted:
            training = pool.submit(SentenceSplitter.train, paragraph_texts(head), training_chars)
        else:
            splitter = SentenceSplitter.train(paragraph_texts(head), training_chars)
    stream.read_ahead(lambda: _enough_read(stream, training))
    if not stream.exhausted or stream.text_chars >= PARALLEL_MIN_CHARS:
        pool.start()
    if training is not None:
        return training.result()
    assert splitter is not None  # given, or trained here
    return splitter


def _enough_read(stream: DocumentStream, training: Future[SentenceSplitter] | None) -> bool:
    if stream.text_chars < PARALLEL_MIN_CHARS:
        return False  # too early to tell whether the workers pay
    return training is None or training.done() or stream.text_chars >= READ_AHEAD_CHARS


def paragraph_texts(documents: list[Document]) -> list[str]:
    """Each document's paragraphs, as Punkt trains on them."""
    return ["\n\n".join(doc.text[p.start : p.end] for p in doc.paragraphs) for doc in documents]
