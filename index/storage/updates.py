"""Adding and removing documents without re-analysing the rest of the index.

New documents are split and analysed alone and their sentences appended;
removed documents' sentences are cut out and later ids shift down. The
postings keep raw term frequencies, so after either change every weight is
recomputed for the new average sentence length (and every idf follows from
the new row lengths): the result scores exactly like a fresh build over the
same sentences. A new document's sentences go last, so sentence ids (which
break score ties) follow the order documents arrived in.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from index.articles.sentences import SentenceSplitter
from index.ranking.postings import Postings, row_maxima, weigh
from index.records import Document
from index.storage import sentence_tokens
from index.storage.batches import Batch, analyse_batch
from index.storage.sentence_index import SentenceIndex
from index.storage.sentence_table import SentenceTable
from index.terms import sentence_facts
from index.terms.analysis import Analyzer

Item = TypeVar("Item", bound=np.generic)


def with_documents(
    index: SentenceIndex,
    documents: Sequence[Document],
    splitter: SentenceSplitter,
    analyzer: Analyzer | None = None,
) -> SentenceIndex:
    """``index`` with ``documents`` appended (their ids must be new)."""
    batch = analyse_batch(documents, splitter, analyzer or Analyzer())
    table = _appended_table(index.table, batch)
    postings, mapping = _appended_postings(index.postings, batch, len(index.table))
    facts = sentence_facts.joined([index.facts, batch.facts.build()])
    tokens = sentence_tokens.joined(
        [index.tokens, sentence_tokens.SentenceTokens.of(batch.tokens, mapping)]
    )
    return SentenceIndex(table, postings, facts, tokens, index.build)


def without_documents(index: SentenceIndex, doc_ids: Collection[str]) -> SentenceIndex:
    """``index`` without the documents ``doc_ids`` (ids it does not hold are ignored)."""
    doomed = [i for i, doc in enumerate(index.documents) if doc.doc_id in doc_ids]
    if not doomed:
        return index
    gone = np.zeros(len(index.table), dtype=bool)
    for position in doomed:
        span = index.table.doc_range(position)
        gone[span.start : span.stop] = True
    table = _cut_table(index.table, doomed, gone)
    postings = _cut_postings(index.postings, gone)
    facts = sentence_facts.kept(index.facts, ~gone)
    tokens = sentence_tokens.kept(index.tokens, ~gone)
    return SentenceIndex(table, postings, facts, tokens, index.build)


def _appended_table(table: SentenceTable, batch: Batch) -> SentenceTable:
    counts = np.frombuffer(batch.sentence_counts, dtype=np.int32)
    lengths = np.frombuffer(batch.text_lengths, dtype=np.int64)
    return SentenceTable(
        documents=(*table.documents, *batch.documents),
        doc_first=_grown(table.doc_first, table.doc_first[-1] + np.cumsum(counts)),
        paragraph=_grown(table.paragraph, np.frombuffer(batch.paragraph, dtype=np.int32)),
        number=_grown(table.number, np.frombuffer(batch.number, dtype=np.int32)),
        start=_grown(table.start, np.frombuffer(batch.start, dtype=np.int64)),
        end=_grown(table.end, np.frombuffer(batch.end, dtype=np.int64)),
        text_offsets=_grown(table.text_offsets, table.text_offsets[-1] + np.cumsum(lengths)),
        texts=bytes(table.texts) + batch.texts,
    )


def _grown(old: npt.NDArray[Item], extra: npt.NDArray[Any]) -> npt.NDArray[Item]:
    return np.concatenate([np.asarray(old), extra.astype(old.dtype)])


def _appended_postings(
    postings: Postings, batch: Batch, first_sentence: int
) -> tuple[Postings, npt.NDArray[np.int32]]:
    """``postings`` with the batch's sentences; and the index's id of each batch term id."""
    vocabulary = {term: i for i, term in enumerate(postings.vocabulary)}
    mapping = np.array(
        [vocabulary.setdefault(term, len(vocabulary)) for term in batch.vocabulary],
        dtype=np.int32,
    )
    terms = mapping[np.frombuffer(batch.term_ids, dtype=np.int32)].astype(np.int64)
    sentences = np.repeat(
        np.arange(first_sentence, first_sentence + batch.sentences, dtype=np.int32),
        np.frombuffer(batch.distinct, dtype=np.int32),
    )
    order = np.argsort(terms, kind="stable")
    old_indptr = np.concatenate(
        [postings.indptr, np.full(len(vocabulary) - len(postings.vocabulary), postings.indptr[-1])]
    )
    # Each new posting goes at the end of its term's row: new sentences have the largest ids.
    at = old_indptr[terms[order] + 1]
    sentence_ids = np.insert(np.asarray(postings.sentence_ids), at, sentences[order])
    new_tf = np.frombuffer(batch.term_freqs, dtype=np.int32)[order]
    tf = np.insert(np.asarray(postings.stored_term_freqs()), at, new_tf)
    new_firsts = np.frombuffer(batch.first_positions, dtype=np.uint8)[order]
    firsts = np.insert(np.asarray(postings.stored_first_positions()), at, new_firsts)
    indptr = old_indptr + np.concatenate(
        [[0], np.cumsum(np.bincount(terms, minlength=len(vocabulary)))]
    )
    lengths = np.concatenate([postings.lengths, np.frombuffer(batch.lengths, dtype=np.int32)])
    entries = (sentence_ids, tf, firsts)
    return _postings(tuple(vocabulary), indptr, entries, lengths, postings), mapping


def _cut_table(
    table: SentenceTable, doomed: list[int], gone: npt.NDArray[np.bool_]
) -> SentenceTable:
    keep = ~gone
    counts = np.delete(np.diff(table.doc_first), doomed)
    text_lengths = np.diff(table.text_offsets)[keep]
    kept_docs = set(range(len(table.documents))) - set(doomed)
    return SentenceTable(
        documents=tuple(doc for i, doc in enumerate(table.documents) if i in kept_docs),
        doc_first=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        paragraph=np.asarray(table.paragraph)[keep],
        number=np.asarray(table.number)[keep],
        start=np.asarray(table.start)[keep],
        end=np.asarray(table.end)[keep],
        text_offsets=np.concatenate([[0], np.cumsum(text_lengths)]).astype(np.int64),
        texts=_kept_texts(table, doomed),
    )


def _kept_texts(table: SentenceTable, doomed: list[int]) -> bytes:
    pieces, cursor = [], 0
    for position in sorted(doomed):
        span = table.doc_range(position)
        lo, hi = int(table.text_offsets[span.start]), int(table.text_offsets[span.stop])
        pieces.append(table.texts[cursor:lo])
        cursor = hi
    pieces.append(table.texts[cursor:])
    return b"".join(pieces)


def _cut_postings(postings: Postings, gone: npt.NDArray[np.bool_]) -> Postings:
    sentence_ids = np.asarray(postings.sentence_ids)
    keep = ~gone[sentence_ids]
    dropped = np.flatnonzero(~keep)
    rows = np.searchsorted(postings.indptr, dropped, side="right") - 1
    removed = np.bincount(rows, minlength=len(postings.vocabulary))
    indptr = postings.indptr - np.concatenate([[0], np.cumsum(removed)])
    renumber = (np.cumsum(~gone) - 1).astype(np.int32)
    tf = np.asarray(postings.stored_term_freqs())[keep]
    firsts = np.asarray(postings.stored_first_positions())[keep]
    entries = (renumber[sentence_ids[keep]], tf, firsts)
    lengths = np.asarray(postings.lengths)[~gone]
    return _postings(postings.vocabulary, indptr.astype(np.int64), entries, lengths, postings)


Entries = tuple[npt.NDArray[np.int32], npt.NDArray[np.generic], npt.NDArray[np.uint8]]


def _postings(
    vocabulary: tuple[str, ...],
    indptr: npt.NDArray[np.int64],
    entries: Entries,
    lengths: npt.NDArray[np.int32],
    old: Postings,
) -> Postings:
    """Postings from their rows' (sentence ids, term frequencies, first positions)."""
    sentence_ids, tf, firsts = entries
    term_freqs = np.asarray(tf, dtype=np.uint16)
    sentences = np.ascontiguousarray(sentence_ids, dtype=np.int32)
    rows = np.ascontiguousarray(indptr, dtype=np.int64)
    weights = weigh(term_freqs, sentences, lengths, old.params)
    return Postings(
        vocabulary=vocabulary,
        indptr=rows,
        sentence_ids=sentences,
        weights=weights,
        lengths=np.ascontiguousarray(lengths, dtype=np.int32),
        params=old.params,
        term_freqs=term_freqs,
        row_max=row_maxima(rows, weights),
        first_positions=np.ascontiguousarray(firsts, dtype=np.uint8),
    )
