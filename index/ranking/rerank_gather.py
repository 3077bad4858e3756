"""The re-ranker's first compiled pass: the evidence of each candidate, from one index.

:func:`gather` reads one index's arrays for its candidates: each question term's
exact weight (from the raw term frequency and length, for the given corpus
statistics, as ``index.ranking.rescoring`` scores), first position, whether the
sentence before holds it, and how many sentences of the article do; the article,
its size, and the sentence's facts (pronoun flags, answer-type fit). The result is
an :class:`Evidence` grid, candidates × question columns.

``index.ranking.rerank_reference`` defines each feature in numpy; a hundred
candidates made that about a hundred small numpy calls a question (0.35 ms at a
million sentences for arithmetic worth a few microseconds), hence this numba
pass. It is separate from the second one (``index.ranking.rerank_combine``) so
that several indexes searched as one (a shared corpus and a server's own
documents) gather evidence each from its own arrays, in ids made global by an
offset, before one combine ranks the pool they share.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from index.jit import kernel
from index.ranking.kernels import gallop, read_only
from index.ranking.rescoring import Places

Int32s = npt.NDArray[np.int32]
Int64s = npt.NDArray[np.int64]
Float64s = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Bytes = npt.NDArray[np.uint8]

PRONOUN_LED = 1


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
    places: Places | None = None,
) -> Evidence:
    """The evidence of candidates ``ids`` (any order) for question rows ``terms`` (-1: a
    term the index lacks), weights computed for ``k1``, ``b`` and ``avgdl``. ``places``:
    where candidates stand in rows, known from the rescoring (``rescoring.rescored``);
    they are read instead of searched for when they are the first of ``ids``, in order."""
    places = places or Places.none()
    grid = (ids.shape[0], terms.shape[0])
    weight, position = np.zeros(grid), np.full(grid, -1, dtype=np.int32)
    before, article_df = np.zeros(grid, dtype=np.bool_), np.zeros(grid, dtype=np.int64)
    doc, size = np.zeros(ids.shape[0], dtype=np.int64), np.zeros(ids.shape[0], dtype=np.int64)
    flags = np.zeros((6, ids.shape[0]), dtype=np.bool_)
    _gather(
        arrays.indptr, arrays.sentence_ids, arrays.term_freqs, arrays.lengths, arrays.firsts,
        arrays.doc_first, arrays.flags, arrays.cue_indptr, arrays.cue_codes, arrays.leads,
        ids, terms, cues.kind, cues.known, cues.flag, k1, b, avgdl,
        places.ids, places.terms, places.at,
        weight, position, before, article_df, doc, size, flags,
    )  # fmt: skip
    opening, next_in_doc, led, next_led, fits, lead = flags
    return Evidence(
        weight, position, before, article_df, doc, size,
        opening, next_in_doc, led, next_led, fits, lead, np.zeros(ids.shape[0]),
    )  # fmt: skip


@kernel
def _gather(
    indptr: Int64s, sentence_ids: Int32s, term_freqs: npt.NDArray[np.uint16], lengths: Int32s,
    firsts: Bytes, doc_first: Int64s, sentence_flags: Bytes, cue_indptr: Int64s,
    cue_codes: Int64s, leads: Int64s, ids: Int64s, terms: Int64s, kind: int, known: Int64s,
    flag: int,
    k1: float, b: float, avgdl: float,
    placed_ids: Int64s, placed_terms: Int64s, places: Int64s,
    weight: Float64s, position: Int32s, before: Bools, article_df: Int64s,
    doc: Int64s, size: Int64s, flags: Bools,
) -> None:  # fmt: skip
    lo, hi = np.empty(ids.shape[0], np.int64), np.empty(ids.shape[0], np.int64)
    _candidate_facts(doc_first, sentence_flags, cue_indptr, cue_codes, leads, ids, kind, known,
                     flag, doc, size, flags, lo, hi)  # fmt: skip
    order = np.argsort(ids)  # ascending ids walk each row once
    placed = np.full(ids.shape[0], -1, np.int64)  # each candidate's row of ``places``
    for c in range(min(ids.shape[0], placed_ids.shape[0])):
        if placed_ids[c] == ids[c]:
            placed[c] = c
    for t in range(terms.shape[0]):
        if terms[t] >= 0:
            _term_evidence(indptr[terms[t]], indptr[terms[t] + 1], sentence_ids, term_freqs,
                           lengths, firsts, ids, order, lo, hi, t, k1, b, avgdl,
                           places, placed, _column_of(placed_terms, terms[t]), weight,
                           position, before, article_df)  # fmt: skip


@kernel
def _column_of(placed_terms: Int64s, term: int) -> int:
    """The column of ``places`` for row ``term`` (-1: none)."""
    for j in range(placed_terms.shape[0]):
        if placed_terms[j] == term:
            return j
    return -1


@kernel
def _candidate_facts(
    doc_first: Int64s, sentence_flags: Bytes, cue_indptr: Int64s, cue_codes: Int64s,
    leads: Int64s, ids: Int64s, kind: int, known: Int64s, flag: int,
    doc: Int64s, size: Int64s, flags: Bools, lo: Int64s, hi: Int64s,
) -> None:  # fmt: skip
    """Each candidate's article, its size and bounds (``lo``, ``hi``), and its facts:
    opening, followed in its article, pronoun-led, next pronoun-led, fits, lead."""
    n = sentence_flags.shape[0]
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


@kernel
def _term_evidence(
    begin: int, end: int, sentence_ids: Int32s, term_freqs: npt.NDArray[np.uint16],
    lengths: Int32s, firsts: Bytes, ids: Int64s, order: Int64s, lo: Int64s, hi: Int64s,
    t: int, k1: float, b: float, avgdl: float,
    places: Int64s, placed: Int64s, j: int,
    weight: Float64s, position: Int32s, before: Bools, article_df: Int64s,
) -> None:  # fmt: skip
    """Column ``t`` of the grid from its term's postings row ``begin:end``, walked once in
    ascending candidate ids (``order``); a candidate's place known already (column ``j``
    of ``places``, its row ``placed``) is read, not searched for."""
    at = begin
    for i in range(ids.shape[0]):
        c = order[i]
        if j >= 0 and placed[c] >= 0:
            at = places[placed[c], j]
        else:
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


@kernel
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


def warm_up() -> Evidence:
    """Load (or compile) this pass now rather than on the first question; returns the
    evidence of a one-sentence index, for warming the second pass with."""
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
    return gather(arrays, ids, ids, Cues(1, ids, 0), 1.0, 0.5, 1.0)
