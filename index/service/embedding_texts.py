"""The texts an index's sentences are embedded as, their keys and the index's digest.

Each sentence is embedded in its article's context (``index.semantic.context``): a
title that names the article's subject, and the sentence before when it starts with a
pronoun. A row of the vector store is keyed by a hash of exactly that text, so saved
chunks serve any index holding the same sentence in the same context, and a sentence
whose title or neighbour changed is embedded again. The complete set is named by
:meth:`EmbeddingTexts.digest`: the index's texts and boundaries, its titles and the
context rule, so opening an index maps it without building a single text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from index.semantic.context import CONTEXT, embedded_text, subject_title
from index.storage.sentence_table import SentenceTable
from index.storage.vector_store import Keys, content_digest, text_keys


class EmbeddingTexts:
    """What each sentence of ``table`` is embedded as (titles are read once, when first
    needed: deciding whether a title names its article reads the article)."""

    def __init__(self, table: SentenceTable) -> None:
        self._table = table
        self._titles: tuple[str | None, ...] | None = None
        self._first = np.asarray(table.doc_first)

    def digest(self) -> str:
        """Names the complete set of this index's embeddings: a digest of its texts and
        offsets, its article boundaries and titles, and the context rule."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(content_digest(self._table).encode())
        digest.update(np.ascontiguousarray(self._first, dtype=np.int64).tobytes())
        for document in self._table.documents:
            digest.update(document.title.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(CONTEXT.encode())
        return digest.hexdigest()

    def texts(self, ids: npt.NDArray[np.int64]) -> list[str]:
        """The texts sentences ``ids`` are embedded as."""
        return [self.text(int(i)) for i in ids]

    def text(self, sentence_id: int) -> str:
        """The text sentence ``sentence_id`` is embedded as."""
        doc = int(np.searchsorted(self._first, sentence_id, side="right")) - 1
        first = int(self._first[doc])
        previous = self._table.text(sentence_id - 1) if sentence_id > first else None
        return embedded_text(self._table.text(sentence_id), self.titles()[doc], previous)

    def keys(self) -> Keys:
        """The key of every sentence: a 64-bit BLAKE2b hash of the text it is embedded as."""
        return text_keys(text for doc in range(len(self._first) - 1) for text in self._article(doc))

    def _article(self, doc: int) -> Iterable[str]:
        """The texts the sentences of article ``doc`` are embedded as, in order."""
        title, previous = self.titles()[doc], None
        for sentence_id in range(int(self._first[doc]), int(self._first[doc + 1])):
            sentence = self._table.text(sentence_id)
            yield embedded_text(sentence, title, previous)
            previous = sentence

    def titles(self) -> tuple[str | None, ...]:
        """Each article's title as context, ``None`` where it names nothing in the article."""
        if self._titles is None:
            table = self._table
            self._titles = tuple(
                subject_title(document.title, self._article_text(at))
                for at, document in enumerate(table.documents)
            )
        return self._titles

    def _article_text(self, doc: int) -> str:
        offsets = self._table.text_offsets
        first, stop = int(self._first[doc]), int(self._first[doc + 1])
        raw = bytes(self._table.texts[int(offsets[first]) : int(offsets[stop])])
        return raw.decode("utf-8", "replace")
