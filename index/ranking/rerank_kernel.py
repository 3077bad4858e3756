"""The re-ranker in two compiled passes: evidence per candidate, then its features.

``index.ranking.rerank`` defines each feature in numpy (``reference_features``):
readable, and what the tests hold this module to. A hundred candidates made that
about a hundred small numpy calls a question, 0.35 ms at a million sentences
for arithmetic worth a few microseconds. Here the same evidence is computed in
two numba functions:

* :func:`gather` reads one index's arrays for its candidates: each question term's
  exact weight (from the raw term frequency and length, for the given corpus
  statistics, as ``index.ranking.rescoring`` scores), first position, whether the
  sentence before holds it, and how many sentences of the article do; the
  article, its size, and the sentence's facts (pronoun flags, answer-type fit).
* :func:`features` turns the evidence of the whole pool into one row of
  ``FEATURES`` per candidate, and :func:`combine` weighs them: a score is a
  linear function of the features, so its weights can be learned
  (``bench/learn_weights.py``) and changing them changes data, not code.

Splitting the two lets several indexes searched as one (a shared corpus and a
server's own documents) gather evidence each from its own arrays, in ids made
global by an offset, before one :func:`combine` ranks the pool they share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from numba import njit

from index.ranking.article_evidence import ARTICLE_DECAY
from index.ranking.kernels import gallop, read_only

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float64s = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Bytes = npt.NDArray[np.uint8]

PRONOUN_LED = 1
ARTICLE_DEPTH = 3  # an article's best three candidates make its relevance
WINDOW = 3
# The features, one column each, in the order weights come in (a test checks the names).
FEATURES = (
    "bm25",
    "local",
    "neighbours",
    "title",
    "article",
    "proximity",
    "answer_type",
    "lead",
    "rarest",
    "coverage",
)
BM25, LOCAL, NEIGHBOURS, TITLE, ARTICLE, PROXIMITY, ANSWER_TYPE, LEAD, RAREST, COVERAGE = range(10)


@dataclass(frozen=True, eq=False)
class Evidence:
    """What the re-ranker knows of each candidate (rows) and question column (columns)."""

    weight: Float64s
    position: Int32s
    before: Bools
    article_df: Int64s
    doc: Int64s
    doc_size: Int64s
    opening: Bools
    next_in_doc: Bools
    led: Bools
    next_led: Bools
    fits: Bools
    lead: Bools  # the sentence is its article's lead (``article_evidence.lead_sentences``)
    title: Float64s  # how much of the question the article's title covers (0: not asked)

    @property
    def present(self) -> Bools:
        """Whether each candidate holds each column's term."""
        found: Bools = self.position >= 0
        return found

    def offset(self, docs: int) -> Evidence:
        """This evidence with article numbers shifted by ``docs`` (an index after others)."""
        return replace(self, doc=self.doc + docs)


def joined(parts: list[Evidence]) -> Evidence:
    """The evidence of several indexes' candidates, one after another."""
    if len(parts) == 1:
        return parts[0]
    names = Evidence.__dataclass_fields__
    return Evidence(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in names})


@dataclass(frozen=True, eq=False)
class IndexArrays:
    """One index's arrays that :func:`gather` reads (plain read-only views)."""

    indptr: Int64s
    sentence_ids: Int32s
    term_freqs: npt.NDArray[np.uint16]
    lengths: Int32s
    firsts: Bytes
    doc_first: Int64s
    flags: Bytes
    cue_indptr: Int64s
    cue_codes: Int64s
    leads: Int64s  # each document's lead sentence


@dataclass(frozen=True, eq=False)
class Cues:
    """The answer a question wants, as :class:`index.terms.sentence_facts.QuestionCues`."""

    kind: int
    known: Int64s
    flag: int


def gather(
    arrays: IndexArrays,
    ids: Int64s,
    terms: Int64s,
    cues: Cues,
    k1: float,
    b: float,
    avgdl: float,
) -> Evidence:
    """The evidence of candidates ``ids`` (any order) for question rows ``terms`` (-1: a
    term the index lacks), weights computed for ``k1``, ``b`` and ``avgdl``."""
    grid = (ids.shape[0], terms.shape[0])
    weight, position = np.zeros(grid), np.full(grid, -1, dtype=np.int32)
    before, article_df = np.zeros(grid, dtype=np.bool_), np.zeros(grid, dtype=np.int64)
    doc, size = np.zeros(ids.shape[0], dtype=np.int64), np.zeros(ids.shape[0], dtype=np.int64)
    flags = np.zeros((6, ids.shape[0]), dtype=np.bool_)
    _gather(
        arrays.indptr, arrays.sentence_ids, arrays.term_freqs, arrays.lengths, arrays.firsts,
        arrays.doc_first, arrays.flags, arrays.cue_indptr, arrays.cue_codes, arrays.leads,
        ids, terms, cues.kind, cues.known, cues.flag, k1, b, avgdl,
        weight, position, before, article_df, doc, size, flags,
    )  # fmt: skip
    opening, next_in_doc, led, next_led, fits, lead = flags
    return Evidence(
        weight, position, before, article_df, doc, size,
        opening, next_in_doc, led, next_led, fits, lead, np.zeros(ids.shape[0]),
    )  # fmt: skip


@njit(cache=True, nogil=True)
def _gather(
    indptr: Int64s, sentence_ids: Int32s, term_freqs: npt.NDArray[np.uint16], lengths: Int32s,
    firsts: Bytes, doc_first: Int64s, sentence_flags: Bytes, cue_indptr: Int64s,
    cue_codes: Int64s, leads: Int64s, ids: Int64s, terms: Int64s, kind: int, known: Int64s,
    flag: int,
    k1: float, b: float, avgdl: float,
    weight: Float64s, position: Int32s, before: Bools, article_df: Int64s,
    doc: Int64s, size: Int64s, flags: Bools,
) -> None:  # fmt: skip
    n = sentence_flags.shape[0]
    order = np.argsort(ids)  # ascending ids walk each row once
    lo, hi = np.empty(ids.shape[0], np.int64), np.empty(ids.shape[0], np.int64)
    for c in range(ids.shape[0]):
        s = ids[c]
        d = np.searchsorted(doc_first, s, side="right") - 1
        doc[c], lo[c], hi[c] = d, doc_first[d], doc_first[d + 1]
        size[c] = hi[c] - lo[c]
        flags[0, c] = s == lo[c]
        flags[1, c] = s + 1 < hi[c]
        flags[2, c] = (sentence_flags[s] & PRONOUN_LED) != 0
        flags[3, c] = (sentence_flags[min(s + 1, n - 1)] & PRONOUN_LED) != 0
        flags[4, c] = _fits(cue_indptr, cue_codes, sentence_flags, s, kind, known, flag)
        flags[5, c] = s == leads[d]
    for t in range(terms.shape[0]):
        if terms[t] < 0:
            continue
        begin, end = indptr[terms[t]], indptr[terms[t] + 1]
        at = begin
        for i in range(ids.shape[0]):
            c = order[i]
            at = gallop(sentence_ids, at, end, ids[c])
            if at < end and sentence_ids[at] == ids[c]:
                count = float(term_freqs[at])
                norm = k1 * (1.0 - b + b * float(lengths[ids[c]]) / avgdl)
                weight[c, t] = count * (k1 + 1.0) / (count + norm)
                position[c, t] = firsts[at]
            before[c, t] = at > begin and sentence_ids[at - 1] == ids[c] - 1
            # The article's postings surround ``at``: a few steps either way (an article
            # holds tens of sentences), where galloping from the last article cost more.
            first, last = at, at
            while first > begin and sentence_ids[first - 1] >= lo[c]:
                first -= 1
            while last < end and sentence_ids[last] < hi[c]:
                last += 1
            article_df[c, t] = last - first


@njit(cache=True, nogil=True)
def _fits(
    cue_indptr: Int64s, cue_codes: Int64s, sentence_flags: Bytes, s: int,
    kind: int, known: Int64s, flag: int,
) -> bool:  # fmt: skip
    """Whether sentence ``s`` holds a cue of ``kind`` the question does not name (and has
    the sentence flag ``flag``, when one is asked for; a flag alone answers "why")."""
    if (kind == 0 and flag == 0) or (flag and (sentence_flags[s] & flag) == 0):
        return False
    if kind == 0:
        return True
    for p in range(cue_indptr[s], cue_indptr[s + 1]):
        code = cue_codes[p]
        if code >> 32 == kind:
            at = np.searchsorted(known, code)
            if at >= known.shape[0] or known[at] != code:
                return True
    return False


@dataclass(frozen=True, eq=False)
class QuestionColumns:
    """The question as :func:`combine` needs it: per column (its distinct terms, then its
    related terms) the idf ceiling and the weight; its adjacent term pairs; for each
    distinct term, its columns and those of the related terms that may stand for it
    (``term_columns[term_indptr[t]:term_indptr[t + 1]]``)."""

    ceilings: Float64s
    weights: Float64s
    distinct: int
    pair_left: Int64s
    pair_right: Int64s
    term_indptr: Int64s
    term_columns: Int64s


def features(
    evidence: Evidence,
    ids: Int64s,
    bm25: Float64s,
    question: QuestionColumns,
) -> Float64s:
    """Each candidate's features (rows: the pool, ``ids`` global in BM25 order with ``bm25``
    scores scaled to the best; columns: ``FEATURES``), as
    ``rerank.reference_features`` defines them."""
    table = np.zeros((ids.shape[0], len(FEATURES)))
    e = evidence
    _features(
        e.weight, e.position, e.before, e.article_df, e.doc, e.doc_size, e.opening,
        e.next_in_doc, e.led, e.next_led, e.fits, e.lead, ids, bm25,
        question.ceilings, question.weights, question.distinct, question.pair_left,
        question.pair_right, question.term_indptr, question.term_columns, e.title, table,
    )  # fmt: skip
    return table


def combine(
    evidence: Evidence,
    ids: Int64s,
    bm25: Float64s,
    question: QuestionColumns,
    weights: Float64s,
) -> Float64s:
    """The re-ranked score of each candidate of the pool: its features (:func:`features`)
    weighed by ``weights`` (in ``FEATURES`` order)."""
    scores: Float64s = features(evidence, ids, bm25, question) @ weights
    return scores


@njit(cache=True, nogil=True)
def _features(
    weight: Float64s, position: Int32s, before: Bools, article_df: Int64s, doc: Int64s,
    doc_size: Int64s, opening: Bools, next_in_doc: Bools, led: Bools, next_led: Bools,
    fits: Bools, lead: Bools, ids: Int64s, bm25: Float64s, ceilings: Float64s,
    column_weights: Float64s, distinct: int, pair_left: Int64s, pair_right: Int64s,
    term_indptr: Int64s, term_columns: Int64s, title: Float64s, table: Float64s,
) -> None:  # fmt: skip
    m = ids.shape[0]
    local = _local(weight, article_df, doc_size, ceilings, column_weights)
    top = local.max() if m else 0.0
    scale = top if top != 0.0 else 1.0
    for c in range(m):
        table[c, BM25] = bm25[c]
        table[c, LOCAL] = local[c] / scale
        table[c, TITLE] = title[c]
        table[c, ANSWER_TYPE] = fits[c]
    _neighbours(ids, table[:, LOCAL].copy(), position, before, distinct, opening,
                next_in_doc, led, next_led, table[:, NEIGHBOURS])  # fmt: skip
    _article(doc, bm25, table[:, ARTICLE])
    if pair_left.shape[0]:
        for c in range(m):
            near = 0
            for p in range(pair_left.shape[0]):
                a, z = position[c, pair_left[p]], position[c, pair_right[p]]
                near += a >= 0 and z >= 0 and abs(a - z) <= WINDOW
            table[c, PROXIMITY] = near / pair_left.shape[0]
    if distinct:
        mass = 0.0
        for t in range(distinct):
            mass += ceilings[t]
        mass = mass if mass != 0.0 else 1.0
        for c in range(m):
            held = 0.0
            for t in range(distinct):
                held += ceilings[t] * (position[c, t] >= 0)
            table[c, COVERAGE] = held / mass
            table[c, LEAD] = table[c, COVERAGE] if lead[c] else 0.0
        rarest = _rarest(position, ceilings, distinct, term_indptr, term_columns)
        if rarest >= 0:
            for c in range(m):
                held = False
                for at in range(term_indptr[rarest], term_indptr[rarest + 1]):
                    column = term_columns[at]
                    held = held or position[c, column] >= 0
                    held = held or (before[c, column] and not opening[c])
                table[c, RAREST] = -1.0 if not held else 0.0


@njit(cache=True, nogil=True)
def _rarest(
    position: Int32s, ceilings: Float64s, distinct: int, term_indptr: Int64s,
    term_columns: Int64s,
) -> int:  # fmt: skip
    """The question term of highest idf (the first of equals) that some candidate holds,
    itself or through a related term standing for it; -1 when none is held."""
    best, best_idf = -1, 0.0
    for t in range(distinct):
        held = False
        for at in range(term_indptr[t], term_indptr[t + 1]):
            for c in range(position.shape[0]):
                held = held or position[c, term_columns[at]] >= 0
        if held and (best < 0 or ceilings[t] > best_idf):
            best, best_idf = t, ceilings[t]
    return best


@njit(cache=True, nogil=True)
def _local(
    weight: Float64s, article_df: Int64s, doc_size: Int64s, ceilings: Float64s,
    column_weights: Float64s,
) -> Float64s:  # fmt: skip
    """BM25 with each term's idf taken within the candidate's article, capped at its idf."""
    local = np.zeros(weight.shape[0])
    for c in range(weight.shape[0]):
        size = float(doc_size[c])
        for t in range(weight.shape[1]):
            df = float(article_df[c, t])
            idf = min(math.log1p((size - df + 0.5) / (df + 0.5)), ceilings[t])
            local[c] += weight[c, t] * idf * column_weights[t]
    return local


@njit(cache=True, nogil=True)
def _neighbours(
    ids: Int64s, base: Float64s, position: Int32s, before: Bools, distinct: int,
    opening: Bools, next_in_doc: Bools, led: Bools, next_led: Bools, out: Float64s,
) -> None:  # fmt: skip
    """The previous candidate's ``base`` score when it gives this one context, plus the
    next one's when that starts with a pronoun."""
    order = np.argsort(ids)
    sorted_ids = ids[order]
    for c in range(ids.shape[0]):
        lacks = False
        for t in range(distinct):
            lacks = lacks or (position[c, t] < 0 and before[c, t])
        found = 0.0
        if not opening[c] and (led[c] or lacks):
            at = np.searchsorted(sorted_ids, ids[c] - 1)
            if at < ids.shape[0] and sorted_ids[at] == ids[c] - 1:
                found += base[order[at]]
        if next_in_doc[c] and next_led[c]:
            at = np.searchsorted(sorted_ids, ids[c] + 1)
            if at < ids.shape[0] and sorted_ids[at] == ids[c] + 1:
                found += base[order[at]]
        out[c] = found


@njit(cache=True, nogil=True)
def _article(doc: Int64s, bm25: Float64s, out: Float64s) -> None:
    """Each candidate's article relevance: the article's best three BM25 scores in the pool
    (candidates come best first), each worth half the one before."""
    order = np.argsort(doc, kind="mergesort")  # stable: each article's best first
    start = 0
    while start < order.shape[0]:
        stop = start
        total, worth = 0.0, 1.0
        while stop < order.shape[0] and doc[order[stop]] == doc[order[start]]:
            if stop - start < ARTICLE_DEPTH:
                total += bm25[order[stop]] * worth
                worth *= ARTICLE_DECAY
            stop += 1
        for i in range(start, stop):
            out[order[i]] = total
        start = stop


def warm_up() -> None:
    """Load (or compile) both passes now rather than on the first question."""
    arrays = IndexArrays(
        read_only(np.array([0, 1], dtype=np.int64)),
        read_only(np.zeros(1, dtype=np.int32)),
        read_only(np.ones(1, dtype=np.uint16)),
        read_only(np.ones(1, dtype=np.int32)),
        read_only(np.zeros(1, dtype=np.uint8)),
        read_only(np.array([0, 1], dtype=np.int64)),
        read_only(np.zeros(1, dtype=np.uint8)),
        read_only(np.array([0, 0], dtype=np.int64)),
        read_only(np.zeros(0, dtype=np.int64)),
        read_only(np.zeros(1, dtype=np.int64)),
    )
    ids = np.zeros(1, dtype=np.int64)
    evidence = gather(arrays, ids, ids, Cues(1, ids, 0), 1.0, 0.5, 1.0)
    columns = QuestionColumns(np.ones(1), np.ones(1), 1, ids, ids, np.array([0, 1]), ids)
    combine(evidence, ids, np.ones(1), columns, np.ones(len(FEATURES)))
