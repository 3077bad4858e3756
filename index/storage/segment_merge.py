"""Merging saved segments into one generation, file by file (``index.storage.segments``).

Sentence arrays are copied one segment after another, offsets moved up, every
segment's terms renumbered into one vocabulary (in order of first appearance, as
one build numbers them), each term's postings placed segment after segment (so
each row stays in sentence order), and the weights computed once for the whole
corpus's average length: array for array the index one build makes. Every file
is written through a memory map; memory holds the per-term and per-document
tables and one segment's renumbering at a time.
"""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from index.ranking import kernels
from index.ranking.bm25 import BM25Params
from index.ranking.postings import row_maxima
from index.records import DocumentInfo
from index.storage import generation_writer
from index.storage.codec import document_columns
from index.storage.manifest import MemberFile

# Postings weighed per step (the float32 output is mapped, the input too).
WEIGH_STEP = 8_000_000


class Segment:
    """A saved segment's members, arrays mapped."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.vocabulary: list[str] = json.loads((folder / "vocabulary.json").read_bytes())
        columns = json.loads((folder / "documents.json").read_bytes())
        self.documents = columns
        self.sentences = int(self.array("lengths").shape[0])

    def array(self, name: str) -> Any:
        return np.load(self.folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)


class Merged:
    """The merge of segments, in order: sizes first, then the files one by one."""

    def __init__(self, segments: list[Segment], params: BM25Params) -> None:
        self.segments = segments
        self.params = params
        self.sentences = sum(segment.sentences for segment in segments)
        vocabulary: dict[str, int] = {}
        self.mappings = [
            np.array([vocabulary.setdefault(t, len(vocabulary)) for t in s.vocabulary], np.int64)
            for s in segments
        ]
        self.vocabulary = list(vocabulary)
        doc_freq = np.zeros(len(vocabulary), dtype=np.int64)
        for segment, mapping in zip(segments, self.mappings, strict=True):
            doc_freq[mapping] += np.diff(segment.array("indptr"))
        self.indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(doc_freq, out=self.indptr[1:])

    def write(self, staging: Path, attachments: dict[str, bytes]) -> dict[str, MemberFile]:
        """Every member file of the merged index into ``staging``; their sizes and CRCs."""
        arrays = [
            *self._sentence_arrays(staging),
            *self._offsets(staging),
            *self._postings(staging),
        ]
        names = [f"{name}.npy" for name in arrays] + [self._texts(staging), *self._json(staging)]
        for name, data in attachments.items():
            (staging / name).write_bytes(data)
            names.append(name)
        return {name: generation_writer.written(staging / name) for name in names}

    def _sentence_arrays(self, staging: Path) -> list[str]:
        names = ["paragraph", "number", "start", "end", "lengths", "flags", "text_keys"]
        names += ["cue_codes", "token_starts", "token_ends"]
        for name in names:
            parts = [
                (s.array(name).shape[0], functools.partial(s.array, name)) for s in self.segments
            ]
            self._concatenated(staging, name, parts)
        renumbered = [
            (s.array("token_terms").shape[0], functools.partial(_renumbered, s, mapping))
            for s, mapping in zip(self.segments, self.mappings, strict=True)
        ]
        self._concatenated(staging, "token_terms", renumbered, np.int32)
        return [*names, "token_terms"]

    def _offsets(self, staging: Path) -> list[str]:
        """Arrays of offsets (one more entry than items), each segment's moved up."""
        names = ["doc_first", "text_offsets", "cue_indptr", "token_indptr"]
        for name in names:
            parts, base = [], 0
            for number, segment in enumerate(self.segments):
                array = segment.array(name)
                move = functools.partial(_moved, segment, name, base, number > 0)
                parts.append((array.shape[0] - (number > 0), move))
                base += int(array[-1])
            self._concatenated(staging, name, parts, np.int64)
        return names

    def _postings(self, staging: Path) -> list[str]:
        total = int(self.indptr[-1])
        ids = _create(staging, "sentence_ids", total, np.int32)
        tfs = _create(staging, "term_freqs", total, np.uint16)
        firsts = _create(staging, "first_positions", total, np.uint8)
        filled = np.zeros(len(self.vocabulary), dtype=np.int64)
        first_sentence = 0
        for segment, mapping in zip(self.segments, self.mappings, strict=True):
            indptr = segment.array("indptr")
            counts = np.diff(indptr)
            starts = self.indptr[mapping] + filled[mapping]
            # Each local row goes to its global row, after earlier segments' postings.
            dest = np.repeat(starts - indptr[:-1], counts) + np.arange(int(indptr[-1]))
            ids[dest] = segment.array("sentence_ids") + first_sentence
            tfs[dest] = segment.array("term_freqs")
            firsts[dest] = segment.array("first_positions")
            filled[mapping] += counts
            first_sentence += segment.sentences
        np.save(staging / "indptr.npy", self.indptr, allow_pickle=False)
        self._weights(staging, ids, tfs)
        for array in (ids, tfs, firsts):
            array.flush()
        return ["indptr", "sentence_ids", "term_freqs", "first_positions", "weights", "row_max"]

    def _weights(self, staging: Path, ids: Any, tfs: Any) -> None:
        lengths = np.load(staging / "lengths.npy", allow_pickle=False)
        avgdl = float(lengths.sum(dtype=np.int64)) / max(lengths.shape[0], 1)
        weights = _create(staging, "weights", int(ids.shape[0]), np.float32)
        for lo in range(0, int(ids.shape[0]), WEIGH_STEP):
            hi = min(lo + WEIGH_STEP, int(ids.shape[0]))
            out = np.zeros(hi - lo, dtype=np.float32)
            if avgdl > 0.0:
                kernels.weigh_postings(
                    np.ascontiguousarray(tfs[lo:hi]), np.ascontiguousarray(ids[lo:hi]),
                    lengths, self.params.k1, self.params.b, avgdl, out,
                )  # fmt: skip
            weights[lo:hi] = out
        weights.flush()
        np.save(staging / "row_max.npy", row_maxima(self.indptr, weights), allow_pickle=False)

    def _texts(self, staging: Path) -> str:
        with (staging / "texts.bin").open("wb") as out:
            for segment in self.segments:
                with (segment.folder / "texts.bin").open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 22)
        return "texts.bin"

    def _json(self, staging: Path) -> list[str]:
        columns: dict[str, list[Any]] = {}
        for segment in self.segments:
            for name, values in segment.documents.items():
                columns.setdefault(name, []).extend(values)
        documents = tuple(map(DocumentInfo, *(columns[name] for name in _FIELDS)))
        for name, value in (
            ("documents.json", document_columns(documents)),
            ("vocabulary.json", self.vocabulary),
        ):
            (staging / name).write_bytes(json.dumps(value, ensure_ascii=False).encode("utf-8"))
        return ["documents.json", "vocabulary.json"]

    @staticmethod
    def _concatenated(
        staging: Path, name: str, parts: Sequence[tuple[int, Callable[[], Any]]], dtype: Any = None
    ) -> None:
        """The arrays ``parts`` make (each with its size), one after another, in one file;
        each is made only when its turn comes."""
        size = sum(int(count) for count, _ in parts)
        out: np.memmap[Any, Any] | None = None
        at = 0
        for count, make in parts:
            array = make()
            if out is None:
                out = _create(staging, name, size, dtype or array.dtype)
            out[at : at + int(count)] = array
            at += int(count)
        assert out is not None
        out.flush()


def _renumbered(segment: Segment, mapping: npt.NDArray[np.int64]) -> Any:
    return mapping[segment.array("token_terms")]


def _moved(segment: Segment, name: str, base: int, drop_first: bool) -> Any:
    array = segment.array(name)
    return (array[1:] if drop_first else array) + base


_FIELDS = tuple(DocumentInfo.__dataclass_fields__)


def _create(staging: Path, name: str, size: int, dtype: Any) -> np.memmap[Any, Any]:
    """A new ``.npy`` file of ``size`` items, mapped for writing."""
    return np.lib.format.open_memmap(staging / f"{name}.npy", "w+", np.dtype(dtype), (size,))
