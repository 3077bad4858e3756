"""The re-ranker's second compiled pass: the evidence of the whole pool into scores.

:func:`combine` weighs what ``index.ranking.rerank_gather`` found for every
candidate of the pool (from one index or several searched as one). The levers'
weights come in as an array in ``LEVERS`` order: tuning a lever changes data, not
code, and a lever at 0 costs nothing. ``index.ranking.rerank_reference`` is the
same arithmetic in numpy, lever by lever: the definition the tests hold this
pass to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from index.ranking import rerank_gather
from index.ranking.article_evidence import ARTICLE_DECAY
from index.ranking.rerank_gather import Bools, Evidence, Float64s, Int32s, Int64s

ARTICLE_DEPTH = 3  # an article's best three candidates make its relevance
WINDOW = 3
# Lever positions in the weights array (``rerank_config.LEVERS`` order; a test checks).
LOCAL, NEIGHBOURS, TITLE, ARTICLE, PROXIMITY, ANSWER_TYPE, SYNONYMS, RAREST, LEAD = range(9)


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


def combine(
    evidence: Evidence,
    ids: Int64s,
    bm25: Float64s,
    question: QuestionColumns,
    levers: Float64s,
) -> Float64s:
    """The re-ranked score of each candidate of the pool (``ids``, global, in BM25 order,
    with ``bm25`` scores scaled to the best): ``rerank_reference.reference_scores`` for
    the lever weights ``levers``."""
    scores = np.empty(ids.shape[0])
    e = evidence
    _combine(
        e.weight, e.position, e.before, e.article_df, e.doc, e.doc_size, e.opening,
        e.next_in_doc, e.led, e.next_led, e.fits, e.lead, ids, bm25,
        question.ceilings, question.weights, question.distinct, question.pair_left,
        question.pair_right, question.term_indptr, question.term_columns, e.title, levers, scores,
    )  # fmt: skip
    return scores


@njit(cache=True, nogil=True)
def _combine(
    weight: Float64s, position: Int32s, before: Bools, article_df: Int64s, doc: Int64s,
    doc_size: Int64s, opening: Bools, next_in_doc: Bools, led: Bools, next_led: Bools,
    fits: Bools, lead: Bools, ids: Int64s, bm25: Float64s, ceilings: Float64s,
    column_weights: Float64s, distinct: int, pair_left: Int64s, pair_right: Int64s,
    term_indptr: Int64s, term_columns: Int64s, title: Float64s, levers: Float64s,
    scores: Float64s,
) -> None:  # fmt: skip
    m = ids.shape[0]
    base = _base(weight, article_df, doc_size, ceilings, column_weights, bm25, levers[LOCAL])
    for c in range(m):
        scores[c] = base[c]
    if levers[NEIGHBOURS] != 0.0:
        _add_neighbours(ids, base, position, before, distinct, opening, next_in_doc, led,
                        next_led, levers[NEIGHBOURS], scores)  # fmt: skip
    if levers[ARTICLE] != 0.0:
        _add_article(doc, bm25, levers[ARTICLE], scores)
    if levers[TITLE] != 0.0:
        for c in range(m):
            scores[c] += levers[TITLE] * title[c]
    if levers[PROXIMITY] != 0.0 and pair_left.shape[0]:
        _add_proximity(position, pair_left, pair_right, levers[PROXIMITY], scores)
    if levers[ANSWER_TYPE] != 0.0:
        for c in range(m):
            scores[c] += levers[ANSWER_TYPE] * fits[c]
    if levers[LEAD] != 0.0 and distinct:
        _add_lead(position, ceilings, distinct, lead, levers[LEAD], scores)
    if levers[RAREST] != 0.0 and distinct:
        _sub_rarest(position, before, opening, ceilings, distinct, term_indptr, term_columns,
                    levers[RAREST], scores)  # fmt: skip


@njit(cache=True, nogil=True)
def _base(
    weight: Float64s, article_df: Int64s, doc_size: Int64s, ceilings: Float64s,
    column_weights: Float64s, bm25: Float64s, lever: float,
) -> Float64s:  # fmt: skip
    """BM25 mixed, by ``lever``, with BM25 under article-local idf (scaled to its best)."""
    base = bm25.copy()
    if lever != 0.0:
        local = _local(weight, article_df, doc_size, ceilings, column_weights)
        top = local.max() if bm25.shape[0] else 0.0
        scale = top if top != 0.0 else 1.0
        for c in range(bm25.shape[0]):
            base[c] = (1.0 - lever) * bm25[c] + lever * local[c] / scale
    return base


@njit(cache=True, nogil=True)
def _add_proximity(
    position: Int32s, pair_left: Int64s, pair_right: Int64s, lever: float, scores: Float64s
) -> None:
    """The share of the question's adjacent term pairs standing within ``WINDOW`` words."""
    for c in range(position.shape[0]):
        near = 0
        for p in range(pair_left.shape[0]):
            a, z = position[c, pair_left[p]], position[c, pair_right[p]]
            near += a >= 0 and z >= 0 and abs(a - z) <= WINDOW
        scores[c] += lever * near / pair_left.shape[0]


@njit(cache=True, nogil=True)
def _add_lead(
    position: Int32s, ceilings: Float64s, distinct: int, lead: Bools, lever: float,
    scores: Float64s,
) -> None:  # fmt: skip
    """An article's lead sentence gains the share of the question's idf it holds."""
    mass = 0.0
    for t in range(distinct):
        mass += ceilings[t]
    mass = mass if mass != 0.0 else 1.0
    for c in range(position.shape[0]):
        if lead[c]:
            held = 0.0
            for t in range(distinct):
                held += ceilings[t] * (position[c, t] >= 0)
            scores[c] += lever * held / mass


@njit(cache=True, nogil=True)
def _sub_rarest(
    position: Int32s, before: Bools, opening: Bools, ceilings: Float64s, distinct: int,
    term_indptr: Int64s, term_columns: Int64s, lever: float, scores: Float64s,
) -> None:  # fmt: skip
    """A sentence lacking the question's rarest held word loses ``lever``, unless a related
    term stands for it or the sentence before (in the same article) holds it."""
    rarest = _rarest(position, ceilings, distinct, term_indptr, term_columns)
    if rarest < 0:
        return
    for c in range(position.shape[0]):
        held = False
        for at in range(term_indptr[rarest], term_indptr[rarest + 1]):
            column = term_columns[at]
            held = held or position[c, column] >= 0
            held = held or (before[c, column] and not opening[c])
        scores[c] -= lever * (not held)


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
def _add_neighbours(
    ids: Int64s, base: Float64s, position: Int32s, before: Bools, distinct: int,
    opening: Bools, next_in_doc: Bools, led: Bools, next_led: Bools, lever: float,
    scores: Float64s,
) -> None:  # fmt: skip
    """The previous candidate's base score when it gives this one context, the next one's
    when that starts with a pronoun."""
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
        scores[c] += lever * found


@njit(cache=True, nogil=True)
def _add_article(doc: Int64s, bm25: Float64s, lever: float, scores: Float64s) -> None:
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
            scores[order[i]] += lever * total
        start = stop


def warm_up() -> None:
    """Load (or compile) both passes now rather than on the first question (the first
    pass gives the evidence this one combines)."""
    evidence = rerank_gather.warm_up()
    ids = np.zeros(1, dtype=np.int64)
    columns = QuestionColumns(np.ones(1), np.ones(1), 1, ids, ids, np.array([0, 1]), ids)
    combine(evidence, ids, np.ones(1), columns, np.ones(9))
