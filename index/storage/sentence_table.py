"""The sentence side of the index: where each sentence is and what it says.

Positions live in flat integer arrays and texts in one UTF-8 blob addressed by
byte offsets, so a million sentences cost a few arrays and a mapped file
rather than a million Python objects.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from index.errors import IndexCorruptError
from index.records import DocumentInfo, Sentence
from index.storage.text_file import TextFile


@dataclass(frozen=True, eq=False)
class SentenceTable:
    """Documents, sentence positions and sentence texts, by sentence id."""

    documents: Sequence[DocumentInfo]
    doc_first: npt.NDArray[np.int64]
    paragraph: npt.NDArray[np.int32]
    number: npt.NDArray[np.int32]
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    text_offsets: npt.NDArray[np.int64]
    texts: bytes | TextFile

    def __len__(self) -> int:
        return int(self.start.shape[0])

    def doc_index(self, sentence_id: int) -> int:
        """Which document (by position) holds sentence ``sentence_id``."""
        return int(np.searchsorted(self.doc_first, sentence_id, side="right")) - 1

    def doc_indices(self, sentence_ids: Sequence[int] | npt.NDArray[np.int64]) -> list[int]:
        """:meth:`doc_index` of several sentences at once."""
        ids = np.asarray(sentence_ids, dtype=np.int64)
        found: list[int] = (np.searchsorted(self.doc_first, ids, side="right") - 1).tolist()
        return found

    def doc_range(self, doc_index: int) -> range:
        """The sentence ids of one document."""
        return range(int(self.doc_first[doc_index]), int(self.doc_first[doc_index + 1]))

    def text(self, sentence_id: int) -> str:
        """The sentence's exact text.

        Raises :class:`IndexCorruptError` when the stored bytes are not UTF-8 or cannot
        be read: a damaged ``texts.bin`` the load did not checksum (a large index).
        """
        lo, hi = self.text_offsets[sentence_id], self.text_offsets[sentence_id + 1]
        try:
            return bytes(self.texts[int(lo) : int(hi)]).decode("utf-8")
        except (UnicodeDecodeError, OSError) as error:
            raise IndexCorruptError(
                f"the text of sentence {sentence_id} is damaged ({error})"
            ) from None

    def texts_of(self, sentence_ids: Sequence[int] | npt.NDArray[np.int64]) -> list[str]:
        """The texts of several sentences, read together (one pass over the file); raises
        :class:`IndexCorruptError` as :meth:`text` does."""
        ids = np.asarray(sentence_ids, dtype=np.int64)
        lows, highs = self.text_offsets[ids].tolist(), self.text_offsets[ids + 1].tolist()
        ranges = list(zip(lows, highs, strict=True))
        try:
            if isinstance(self.texts, TextFile):
                return [data.decode("utf-8") for data in self.texts.read_many(ranges)]
            return [bytes(self.texts[lo:hi]).decode("utf-8") for lo, hi in ranges]
        except (UnicodeDecodeError, OSError) as error:
            raise IndexCorruptError(
                f"the text of one of sentences {ids[:5].tolist()} is damaged ({error})"
            ) from None

    def sentences(self, sentence_ids: Sequence[int] | npt.NDArray[np.int64]) -> list[Sentence]:
        """The full records of several sentences, in the order given."""
        return self.quoted(sentence_ids)[0]

    def quoted(
        self, sentence_ids: Sequence[int] | npt.NDArray[np.int64]
    ) -> tuple[list[Sentence], list[DocumentInfo]]:
        """The full records of several sentences and their documents, in the order given
        (what a hit cites: each document is looked up once, for both)."""
        ids = np.asarray(sentence_ids, dtype=np.int64)
        documents = [self.documents[doc] for doc in self.doc_indices(ids)]
        columns = (self.paragraph[ids], self.number[ids], self.start[ids], self.end[ids])
        texts = self.texts_of(ids)
        rows = zip(documents, *(column.tolist() for column in columns), texts, strict=True)
        sentences = [
            Sentence(document.doc_id, paragraph, number, start, end, text)
            for document, paragraph, number, start, end, text in rows
        ]
        return sentences, documents

    def sentence(self, sentence_id: int) -> Sentence:
        """The full record of one sentence."""
        doc = self.documents[self.doc_index(sentence_id)]
        return Sentence(
            doc_id=doc.doc_id,
            paragraph=int(self.paragraph[sentence_id]),
            number=int(self.number[sentence_id]),
            start=int(self.start[sentence_id]),
            end=int(self.end[sentence_id]),
            text=self.text(sentence_id),
        )


class SentenceBlock(Protocol):
    """Documents and their sentences as flat arrays (see :class:`index.batches.Batch`)."""

    @property
    def documents(self) -> tuple[DocumentInfo, ...]: ...
    @property
    def sentence_counts(self) -> array[int]: ...
    @property
    def paragraph(self) -> array[int]: ...
    @property
    def number(self) -> array[int]: ...
    @property
    def start(self) -> array[int]: ...
    @property
    def end(self) -> array[int]: ...
    @property
    def text_lengths(self) -> array[int]: ...
    @property
    def texts(self) -> bytearray: ...


class SentenceTableBuilder:
    """Collects documents and their sentences in order, then freezes them into a table."""

    def __init__(self) -> None:
        self._documents: list[DocumentInfo] = []
        self._doc_first = array("q", [0])
        self._paragraph, self._number = array("i"), array("i")
        self._start, self._end = array("q"), array("q")
        self._offsets = array("q", [0])
        self._texts = bytearray()

    def add(self, document: DocumentInfo, sentences: Sequence[Sentence]) -> None:
        """Append one document and its sentences (which may be none)."""
        self._documents.append(document)
        for sentence in sentences:
            self._paragraph.append(sentence.paragraph)
            self._number.append(sentence.number)
            self._start.append(sentence.start)
            self._end.append(sentence.end)
            self._texts += sentence.text.encode("utf-8")
            self._offsets.append(len(self._texts))
        self._doc_first.append(len(self._start))

    def add_block(self, block: SentenceBlock) -> None:
        """Append several documents whose sentences come as flat arrays."""
        self._documents.extend(block.documents)
        first = self._doc_first[-1]
        for count in block.sentence_counts:
            first += count
            self._doc_first.append(first)
        self._paragraph.extend(block.paragraph)
        self._number.extend(block.number)
        self._start.extend(block.start)
        self._end.extend(block.end)
        base = len(self._texts)
        for length in block.text_lengths:
            base += length
            self._offsets.append(base)
        self._texts += block.texts

    def build(self) -> SentenceTable:
        """The finished table."""
        return SentenceTable(
            documents=tuple(self._documents),
            doc_first=np.array(self._doc_first, dtype=np.int64),
            paragraph=np.array(self._paragraph, dtype=np.int32),
            number=np.array(self._number, dtype=np.int32),
            start=np.array(self._start, dtype=np.int64),
            end=np.array(self._end, dtype=np.int64),
            text_offsets=np.array(self._offsets, dtype=np.int64),
            texts=bytes(self._texts),
        )
