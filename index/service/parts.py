"""The indexes one searcher answers from, searched as one index over all their sentences.

A server with documents of its own searches the shared corpus and its own small
index side by side (``Searcher(own, beside=shared)``). Sentence and document
numbers are made global by offsets: the parts' sentences one after the other,
as a single index built over the same documents in the same order would number
them. Scores use the statistics of the union (sentence count, total length,
each term's document frequency summed over the parts), each part's best are
rescored exactly under them (``index.ranking.rescoring``), and the re-ranker
gathers each candidate's evidence from its own part before one pass ranks the
whole pool: the answers are those of the single index, scores to rounding
(``tests/index/service/test_parts.py``). A part holds its own documents only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import overload

import numpy as np
import numpy.typing as npt

from index.ranking.engines import SparseEngine
from index.ranking.rerank import RerankConfig, Reranker
from index.ranking.rerank_evidence import Question
from index.ranking.rerank_gather import Evidence, joined
from index.ranking.rescoring import Places
from index.records import DocumentInfo, Sentence, Span
from index.storage.document_columns import column_of
from index.storage.sentence_index import SentenceIndex
from index.terms.analysis import Analyzer

Pairs = list[tuple[int, float]]


@dataclass(frozen=True, eq=False)
class Pool:
    """BM25's best of the parts searched as one: (global id, exact score) pairs, best
    first, and where each part's best stand in the query terms' rows, by part number
    (for the re-ranker, ``Parts.evidence``)."""

    pairs: Pairs
    places: Mapping[int, Places]


@dataclass(frozen=True, eq=False)
class Part:
    """One index searched by a searcher, what is made once for it, and where its sentences
    and documents start among all the searcher's."""

    index: SentenceIndex
    term_ids: dict[str, int]
    engine: SparseEngine
    reranker: Reranker
    doc_positions: dict[str, int]
    first_sentence: int = 0
    first_document: int = 0

    @classmethod
    def of(cls, index: SentenceIndex, analyzer: Analyzer) -> Part:
        """The part for ``index`` alone (numbered from 0)."""
        table, postings = index.table, index.postings
        term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
        titles = [title or "" for title in column_of(table.documents, "title")]
        reranker = Reranker(table.doc_first, titles, postings, term_ids, analyzer, index.facts)
        ids = [str(doc_id) for doc_id in column_of(table.documents, "doc_id")]
        positions = dict(zip(ids, range(len(ids)), strict=True))
        return cls(index, term_ids, SparseEngine(postings, term_ids), reranker, positions)

    def after(self, previous: Part) -> Part:
        """This part numbered after ``previous``."""
        return replace(
            self,
            first_sentence=previous.first_sentence + len(previous.index),
            first_document=previous.first_document + len(previous.index.documents),
        )


class Parts:
    """Several parts as one collection: global numbering, union statistics."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self.parts = tuple(parts)
        self._firsts = [part.first_sentence for part in self.parts]
        self._first_ids = np.array(self._firsts, dtype=np.int64)
        stats = self.parts[0].engine.stats
        for part in self.parts[1:]:
            stats = stats.plus(part.engine.stats)
        self.stats = stats
        self.documents: Sequence[DocumentInfo] = (
            self.parts[0].index.documents if len(self.parts) == 1 else _Documents(self.parts)
        )
        params = {part.index.params for part in self.parts}
        if len(params) > 1:
            raise ValueError(f"indexes searched together need one set of BM25 parameters: {params}")

    def __len__(self) -> int:
        return self.stats.sentences

    def locate(self, sentence_id: int) -> tuple[Part, int]:
        """The part holding global sentence ``sentence_id`` and its id there."""
        part = self.parts[bisect.bisect_right(self._firsts, sentence_id) - 1]
        return part, sentence_id - part.first_sentence

    def find(self, doc_id: str) -> tuple[Part, int] | None:
        """The part holding document ``doc_id`` and its position there."""
        for part in self.parts:
            position = part.doc_positions.get(doc_id)
            if position is not None:
                return part, position
        return None

    def doc_freqs(self, terms: Sequence[str]) -> dict[str, int]:
        """n(t) of each term over every part."""
        total = self.parts[0].engine.doc_freqs(terms)
        for part in self.parts[1:]:
            total = total + part.engine.doc_freqs(terms)
        return dict(zip(terms, total.tolist(), strict=True))

    def frequency(self, term: str) -> int:
        """n(t) of one term over every part (the speller's lookup)."""
        return self.doc_freqs([term])[term]

    def pool(
        self,
        weighted: Mapping[str, float],
        k: int,
        within: tuple[Part, range] | None,
        doc_freqs: Mapping[str, int] | None = None,
    ) -> Pool:
        """The ``k`` best (global id, exact score) pairs for terms with their weights, in
        every part or only in ``within`` (a part and a range of its ids), under the union's
        statistics (``doc_freqs``: the terms' frequencies, if known already), with where
        each part's best stand in the terms' rows."""
        doc_freqs = doc_freqs or self.doc_freqs(list(weighted))
        counts = np.array([doc_freqs[term] for term in weighted], dtype=np.int64)
        chosen = [within] if within else [(p, range(len(p.index))) for p in self.parts]
        found = {}
        for part, span in chosen:
            found[self.parts.index(part)] = part.engine.best_found(
                weighted, k, span, self.stats, counts
            )
        numbered = [(b.ids + self.parts[n].first_sentence, b.scores) for n, b in found.items()]
        ids, scores = numbered[0]
        if len(numbered) > 1:
            ids = np.concatenate([each for each, _ in numbered])
            scores = np.concatenate([each for _, each in numbered])
            order = np.lexsort((ids, -scores))[:k]
            ids, scores = ids[order], scores[order]
        pairs = list(zip(ids.tolist(), scores.tolist(), strict=True))
        return Pool(pairs, {number: best.places for number, best in found.items()})

    def evidence(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        config: RerankConfig,
        places: Mapping[int, Places] | None = None,
    ) -> Evidence:
        """What the re-ranker reads of candidates ``ids`` (global), each from its own part,
        with articles numbered globally; ``places``: where some of each part's sentences
        stand in its rows, by part number (:meth:`pool`), so they are not searched again."""
        groups = self._grouped(ids)
        found = []
        for part, at, local in groups:
            known = (places or {}).get(self.parts.index(part))
            evidence = part.reranker.evidence(question, local, config, self.stats, known)
            if part.first_document:  # the first part's are numbered from 0: no copy needed
                evidence = evidence.offset(part.first_document)
            found.append((at, evidence))
        if len(found) == 1:
            return found[0][1]
        order = np.argsort(np.concatenate([at for at, _ in found]), kind="stable")
        together = joined([evidence for _, evidence in found])
        return _rows(together, order)

    def terms(self, sentence_id: int) -> list[str]:
        """The terms of global sentence ``sentence_id``, in text order, as stored at build
        time (what the analyzer makes of its text, without reading or analysing it)."""
        part, local = self.locate(sentence_id)
        vocabulary = part.index.postings.vocabulary
        return [vocabulary[term] for term in part.index.tokens.term_ids(local).tolist()]

    def sentences(self, ids: Sequence[int]) -> tuple[list[Sentence], list[DocumentInfo]]:
        """The sentences with global ``ids`` and their documents, in the order given."""
        if len(self.parts) == 1:  # the usual searcher: no grouping, no reordering
            return self.parts[0].index.table.quoted(ids)
        found: list[tuple[int, Sentence, DocumentInfo]] = []
        for part, at, local in self._grouped(np.asarray(ids, dtype=np.int64)):
            sentences, documents = part.index.table.quoted(local)
            found.extend(zip(at.tolist(), sentences, documents, strict=True))
        found.sort(key=itemgetter(0))
        return [sentence for _, sentence, _ in found], [document for *_, document in found]

    def text_keys(self, ids: Sequence[int]) -> list[int]:
        """The stored sentence key of each of ``ids`` (global): copies of one sentence
        share it (``index.terms.sentence_keys``)."""
        found = np.zeros(len(ids), dtype=np.uint64)
        for part, at, local in self._grouped(np.asarray(ids, dtype=np.int64)):
            found[at] = np.asarray(part.index.facts.text_keys)[local]
        keys: list[int] = found.tolist()
        return keys

    def document_numbers(self, ids: Sequence[int]) -> list[int]:
        """The document of each sentence ``ids`` (global), as its global number (an index
        of :attr:`documents`)."""
        if len(self.parts) == 1:  # the usual searcher: global numbers are the part's own
            return self.parts[0].index.table.doc_indices(ids)
        found = [0] * len(ids)
        for part, at, local in self._grouped(np.asarray(ids, dtype=np.int64)):
            numbers = part.index.table.doc_indices(local)
            for i, number in zip(at.tolist(), numbers, strict=True):
                found[i] = number + part.first_document
        return found

    def spans(self, ids: Sequence[int], terms: Sequence[str]) -> list[tuple[Span, ...]]:
        """For each sentence ``ids`` (global), the spans of its words whose terms are
        among ``terms``."""
        if len(self.parts) == 1:  # the usual searcher: global ids are the part's own
            return _spans_in(self.parts[0], ids, terms)
        found: list[tuple[Span, ...]] = [()] * len(ids)
        for part, at, local in self._grouped(np.asarray(ids, dtype=np.int64)):
            spans = _spans_in(part, local.tolist(), terms)
            for i, each in zip(at.tolist(), spans, strict=True):
                found[i] = each
        return found

    def _grouped(
        self, ids: npt.NDArray[np.int64]
    ) -> list[tuple[Part, npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
        """For each part holding some of ``ids``: the part, where in ``ids`` they stand, and
        their ids within the part."""
        if len(self.parts) == 1:
            return [(self.parts[0], np.arange(ids.shape[0]), ids)]
        owners = np.searchsorted(self._first_ids, ids, side="right") - 1
        groups = []
        for number, part in enumerate(self.parts):
            at = np.flatnonzero(owners == number)
            if at.shape[0]:
                groups.append((part, at, ids[at] - part.first_sentence))
        return groups


def _spans_in(part: Part, ids: Sequence[int], terms: Sequence[str]) -> list[tuple[Span, ...]]:
    """For each of the part's sentences ``ids``, the spans of its words whose terms are
    among ``terms``."""
    wanted = sorted({part.term_ids[t] for t in terms if t in part.term_ids})
    return part.index.tokens.spans(ids, np.array(wanted, dtype=np.int32))


def _rows(evidence: Evidence, order: npt.NDArray[np.int64]) -> Evidence:
    """The rows of ``evidence`` in the order ``order`` gives."""
    names = Evidence.__dataclass_fields__
    return Evidence(**{name: getattr(evidence, name)[order] for name in names})


class _Documents(Sequence[DocumentInfo]):
    """The documents of several parts, one after another, without copying them."""

    def __init__(self, parts: tuple[Part, ...]) -> None:
        self._parts = parts
        self._firsts = [part.first_document for part in parts]
        self._count = parts[-1].first_document + len(parts[-1].index.documents)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, at: int) -> DocumentInfo: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[DocumentInfo]: ...
    def __getitem__(self, at: int | slice) -> DocumentInfo | Sequence[DocumentInfo]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(self._count))]
        if at < 0:
            at += self._count
        if not 0 <= at < self._count:
            raise IndexError(at)
        part = self._parts[bisect.bisect_right(self._firsts, at) - 1]
        return part.index.documents[at - part.first_document]

    def __iter__(self) -> Iterator[DocumentInfo]:
        for part in self._parts:
            yield from part.index.documents
