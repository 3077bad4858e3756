"""Embedding an index's sentences in the background while BM25 already answers.

:class:`SentenceEmbedding` is the semantic side of one loaded index: the ranker a
:class:`~index.service.searcher.Searcher` mixes in, and the job that fills its
vectors. The job maps the saved complete set when there is one; otherwise it
reuses every saved chunk whose sentences the index still holds, embeds the rest
in chunks (each saved as it is done, so a killed build resumes), and finally
saves the complete set and maps it. Questions asked meanwhile use whatever rows
are ready. Run :meth:`fill` in the foreground (the CLI, with a progress bar) or
:meth:`start` it on a worker thread (the bot): ONNX Runtime releases the GIL
while it computes, so the event loop does not wait on the model.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.semantic.embedder import Embedder
from index.semantic.mixing import DEFAULT_SEMANTIC, SemanticConfig, SemanticRanker
from index.semantic.vectors import SentenceVectors, encode_rows
from index.service.embedding_texts import EmbeddingTexts
from index.service.searcher import Searcher
from index.storage.sentence_index import SentenceIndex
from index.storage.vector_store import Keys, VectorStore

log = logging.getLogger(__name__)
WORKER_NICE = 10
CHUNK = 256  # about 2-3 s of work: what a kill loses, and how long a stop waits
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class EmbeddingProgress:
    """How far the embeddings of the live index are: ``ready`` of ``total`` sentences."""

    model: str
    ready: int
    total: int
    running: bool
    error: str | None = None

    @property
    def complete(self) -> bool:
        """Whether every sentence has its embedding."""
        return self.ready >= self.total

    def to_json(self) -> dict[str, object]:
        """The ``stats --json`` shape."""
        return {"model": self.model, "embedded": self.ready, "sentences": self.total}

    def describe(self) -> str:
        """One line for ``qabot stats`` and ``/index status``."""
        share = f"{self.ready:,} of {self.total:,} sentences embedded"
        if self.error:
            return f"semantic re-ranking on ({self.model}): {share}; stopped: {self.error}"
        state = "complete" if self.complete else ("in progress" if self.running else "paused")
        return f"semantic re-ranking on ({self.model}): {share} ({state})"


class SentenceEmbedding:
    """The embeddings of one index and the ranker that reads them.

    ``index_dir`` is where chunks and the complete set are saved (``None``: in memory
    only, as for evaluation without a cache); rows are also taken from the stores of the
    index folders ``also``.
    """

    def __init__(
        self,
        index: SentenceIndex,
        index_dir: Path | None,
        embedder: Embedder,
        config: SemanticConfig = DEFAULT_SEMANTIC,
        chunk: int = CHUNK,
        also: tuple[Path, ...] = (),
    ) -> None:
        self.index = index
        self._texts = EmbeddingTexts(index.table)
        store = None if index_dir is None else VectorStore(index_dir, embedder.name, also)
        self._store = store
        missing = SentenceVectors.missing(embedder.name, len(index), embedder.dimension)
        self.ranker = SemanticRanker(embedder, missing, config, index.table.doc_first)
        self._chunk = chunk
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._error: str | None = None

    @property
    def progress(self) -> EmbeddingProgress:
        """Where the embeddings stand now."""
        running = self._thread is not None and self._thread.is_alive()
        vectors = self.ranker.vectors
        return EmbeddingProgress(vectors.model, vectors.ready, len(vectors), running, self._error)

    def attach(self, searcher: Searcher) -> None:
        """Make ``searcher`` (one of this index) mix in the semantic term from now on."""
        if searcher.index is not self.index:
            raise ValueError("the searcher is not one of this embedding's index")
        searcher.semantic = self.ranker

    def load(self) -> None:
        """Take up what is saved, embedding nothing: the complete set mapped when there is
        one, else every saved row of the index's sentences (a command that answers one
        question uses whatever is ready)."""
        self._loaded()

    def start(self) -> None:
        """Fill the embeddings on a daemon worker thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="qabot-embed", daemon=True)
            self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the worker to stop after its current chunk, and wait for it."""
        self._stop.set()
        self.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the worker to finish (or ``timeout`` seconds)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def fill(self, progress: Progress | None = None) -> None:
        """Embed every sentence still missing, saving as it goes; ``progress(ready, total)``
        after each chunk. Returns early when :meth:`stop` is called."""
        loaded = self._loaded()
        if loaded is None:
            if progress is not None:
                progress(len(self.index), len(self.index))
            return
        digest, keys = loaded
        vectors = self.ranker.vectors
        missing = np.flatnonzero(vectors.scales == 0)
        if progress is not None:
            progress(vectors.ready, len(vectors))
        for start in range(0, missing.shape[0], self._chunk):
            if self._stop.is_set():
                return
            self._embed(vectors, missing[start : start + self._chunk], keys)
            if progress is not None:
                progress(vectors.ready, len(vectors))
        if self._store is not None:
            self._store.write_full(digest, keys, vectors)
            self.ranker.vectors = self._store.full(digest, len(vectors)) or vectors

    def _loaded(self) -> tuple[str, Keys] | None:
        """Map the complete set (returns ``None``: nothing left to do) or assemble the saved
        rows; returns the index's digest and sentence keys for the rest."""
        count, store = len(self.index), self._store
        digest = self._texts.digest() if store is not None else ""
        full = store.full(digest, count) if store is not None else None
        if full is not None:
            self.ranker.vectors = full
            return None
        keys = self._texts.keys()
        if store is not None:
            self.ranker.vectors = store.assemble(keys, self.ranker.embedder.dimension)
        return digest, keys

    def _embed(self, vectors: SentenceVectors, ids: npt.NDArray[np.int64], keys: Keys) -> None:
        texts = self._texts.texts(ids)
        codes, scales = encode_rows(self.ranker.embedder.embed(texts))
        # Codes first, scales last: a row reads as missing until it is whole.
        vectors.codes[ids] = codes
        vectors.scales[ids] = scales
        if self._store is not None:
            self._store.write_chunk(keys[ids], codes, scales)

    def _run(self) -> None:
        _lower_priority()
        try:
            self.fill()
        except Exception as error:  # the worker must report, not die silently
            log.exception("embedding the sentences failed")
            self._error = f"{type(error).__name__}: {error}"


def _lower_priority() -> None:
    """Give this thread a lower CPU priority (Linux: a thread is a task with its own nice
    value), so on two busy cores the event loop and the search thread come first."""
    with contextlib.suppress(AttributeError, OSError):  # elsewhere, or not allowed: as is
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)


class SemanticIndexes:
    """Semantic re-ranking for every index a process serves (the bot has one per server).

    :meth:`attach` switches it on for a newly opened index: the index's searcher gets
    the ranker, and a worker fills the embeddings (the previous index of the same
    folder stops its worker; its saved chunks carry over). Rows saved for the index
    folders ``shared`` are reused by every index (the bot's shared corpus is embedded
    once, not again for each server's collection).
    """

    def __init__(
        self,
        embedder: Embedder,
        config: SemanticConfig = DEFAULT_SEMANTIC,
        shared: tuple[Path, ...] = (),
    ) -> None:
        self.embedder = embedder
        self.config = config
        self._shared = shared  # index folders whose saved rows every index may reuse
        self._embeddings: dict[Path, SentenceEmbedding] = {}
        self._lock = threading.Lock()

    def attach(self, searcher: Searcher, index_dir: Path) -> SentenceEmbedding:
        """Switch semantic re-ranking on for ``searcher``'s index, saved in ``index_dir``."""
        with self._lock:
            current = self._embeddings.get(index_dir)
            if current is not None and current.index is searcher.index:
                current.attach(searcher)
                return current
            embedding = SentenceEmbedding(
                searcher.index, index_dir, self.embedder, self.config, also=self._shared
            )
            embedding.attach(searcher)
            self._embeddings[index_dir] = embedding
        if current is not None:
            current.stop(timeout=0)
        embedding.start()
        return embedding

    def progress(self, index_dir: Path) -> EmbeddingProgress | None:
        """How far the embeddings of the index in ``index_dir`` are, if it is attached."""
        embedding = self._embeddings.get(index_dir)
        return embedding.progress if embedding is not None else None

    def close(self, timeout: float | None = None) -> None:
        """Stop every worker (each after its current chunk)."""
        for embedding in list(self._embeddings.values()):
            embedding.stop(timeout)
