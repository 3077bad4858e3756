"""Structural checks of a loaded index: every id and offset in bounds, every row in order.

The compiled kernels (``index.ranking.kernels``) and the array lookups of
re-ranking and updates index arrays with the values of other arrays: a sentence
id picks a length, an ``indptr`` entry a slice of postings. These checks make
every such read stay in bounds whatever the files say, so a damaged index is
an ``IndexCorruptError`` at load and never a crash, an ``IndexError`` or a read
of memory that is not the index's:

- every array has the length the others imply;
- ``indptr``, ``text_offsets``, ``doc_first`` and ``cue_indptr`` start at 0, end
  at the length they index and never decrease;
- sentence ids lie in ``[0, sentences)`` and rise strictly within each row (the
  kernels' binary searches rely on it);
- a sentence's stored tokens are as many as its terms;
- term frequencies are at least 1, weights and row maxima are finite and
  positive and each row's maximum bounds its weights (pruning relies on it),
  sentence lengths are not negative, and each sentence's ``start <= end``.

Each check is a vectorised pass over one array: about 15 ms at a million sentences
(``docs/performance.md``).
"""

from __future__ import annotations

from collections.abc import Sized

import numpy as np
import numpy.typing as npt

from index.ranking.postings import Postings, row_maxima
from index.storage.sentence_table import SentenceTable
from index.storage.sentence_tokens import SentenceTokens
from index.terms.sentence_facts import SentenceFacts


def check_structure(
    table: SentenceTable, postings: Postings, facts: SentenceFacts, tokens: SentenceTokens
) -> None:
    """Raise ``ValueError`` naming the first array that is out of order or bounds."""
    _check_table(table)
    _check_postings(postings, len(table))
    _check_offsets("cue_indptr", facts.cue_indptr, len(table) + 1, facts.cue_codes.shape[0])
    if facts.flags.shape[0] != len(table):
        raise ValueError("flags.npy disagrees in length with the sentences")
    if facts.text_keys.shape[0] != len(table):
        raise ValueError("text_keys.npy disagrees in length with the sentences")
    _check_tokens(tokens, postings)


def _check_tokens(tokens: SentenceTokens, postings: Postings) -> None:
    """A sentence's tokens are as many as its terms (the highlight lookup reads them by
    ``token_indptr``); their term ids are only compared, never used to index."""
    count = tokens.terms.shape[0]
    _check_offsets("token_indptr", tokens.indptr, postings.sentence_count + 1, count)
    _check_length("token_starts", tokens.starts, count)
    _check_length("token_ends", tokens.ends, count)
    if not bool(np.array_equal(np.diff(tokens.indptr), postings.lengths)):
        raise ValueError("token_indptr.npy disagrees with the sentences' lengths")


def _check_table(table: SentenceTable) -> None:
    n = len(table)
    for name, column in (("paragraph", table.paragraph), ("number", table.number)):
        _check_length(name, column, n)
    _check_length("end", table.end, n)
    _check_offsets("doc_first", table.doc_first, len(table.documents) + 1, n)
    _check_offsets("text_offsets", table.text_offsets, n + 1, len(table.texts))
    if n and (int(table.start.min()) < 0 or not bool(np.all(table.end >= table.start))):
        raise ValueError("start.npy and end.npy hold a sentence that ends before it starts")


def _check_postings(postings: Postings, sentences: int) -> None:
    rows = len(postings.vocabulary)
    ids = postings.sentence_ids
    nnz = ids.shape[0]
    _check_length("lengths", postings.lengths, sentences)
    for name, column in (
        ("weights", postings.weights),
        ("term_freqs", postings.stored_term_freqs()),
        ("first_positions", postings.stored_first_positions()),
    ):
        _check_length(name, column, nnz)
    _check_offsets("indptr", postings.indptr, rows + 1, nnz)
    _check_rows(postings.indptr, ids, sentences)
    if sentences and int(postings.lengths.min()) < 0:
        raise ValueError("lengths.npy holds a negative sentence length")
    if nnz and int(postings.stored_term_freqs().min()) < 1:
        raise ValueError("term_freqs.npy holds a term frequency of 0")
    _check_weights(postings, rows)


def _check_rows(indptr: npt.NDArray[np.int64], ids: npt.NDArray[np.int32], sentences: int) -> None:
    """Ids rise strictly within each row and lie in ``[0, sentences)``."""
    nnz = ids.shape[0]
    if nnz == 0:
        return
    rising = ids[1:] > ids[:-1]
    # A row may start lower than the row before it ended.
    starts = np.asarray(indptr[1:-1])
    rising[starts[(starts > 0) & (starts < nnz)] - 1] = True
    if not bool(rising.all()):
        raise ValueError("sentence_ids.npy has a row out of order")
    filled = np.flatnonzero(np.diff(indptr) > 0)
    firsts, lasts = ids[indptr[filled]], ids[indptr[filled + 1] - 1]
    if int(firsts.min()) < 0 or int(lasts.max()) >= sentences:
        raise ValueError("sentence_ids.npy holds an id outside the sentences")


def _check_weights(postings: Postings, rows: int) -> None:
    weights, row_max = postings.weights, postings.row_maxima()
    _check_length("row_max", row_max, rows)
    if weights.shape[0] and not float(weights.min()) > 0.0:
        raise ValueError("weights.npy holds a weight that is not positive")
    # NaN fails every comparison, so ``not x < inf`` also catches it.
    if rows and not float(row_max.max(initial=0.0)) < np.inf:
        raise ValueError("row_max.npy holds a value that is not finite")
    if not bool(np.array_equal(row_maxima(postings.indptr, weights), row_max)):
        raise ValueError("row_max.npy disagrees with weights.npy")


def _check_length(name: str, array: Sized, expected: int) -> None:
    if len(array) != expected:
        raise ValueError(f"{name}.npy holds {len(array)} items, not {expected}")


def _check_offsets(name: str, offsets: npt.NDArray[np.int64], length: int, end: int) -> None:
    """``offsets`` has ``length`` items, starts at 0, ends at ``end`` and never decreases."""
    _check_length(name, offsets, length)
    if int(offsets[0]) != 0 or int(offsets[-1]) != end:
        raise ValueError(f"{name}.npy points outside its bounds")
    if not bool(np.all(offsets[1:] >= offsets[:-1])):
        raise ValueError(f"{name}.npy points outside its bounds (it decreases)")
