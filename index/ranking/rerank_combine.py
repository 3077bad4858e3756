"""The re-ranker's second compiled pass: the evidence of the whole pool into features.

:func:`features` turns what ``index.ranking.rerank_gather`` found for every
candidate of the pool (from one index or several searched as one) into one row of
``FEATURES`` per candidate, each about 0-1, and :func:`combine` weighs them: a
score is a linear function of the features, so its weights can be learned
(``bench/learn_weights.py``) and changing them changes data, not code.
``index.ranking.rerank_reference`` is the same arithmetic in numpy, feature by
feature: the definition the tests hold this pass to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from index.article_relevance import ARTICLE_DECAY, ARTICLE_DEPTH
from index.jit import kernel
from index.ranking import rerank_gather
from index.ranking.rerank_config import RerankConfig
from index.ranking.rerank_gather import Bools, Evidence, Float64s, Int32s, Int64s

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
    "answer_value",
    "variants",
)
(BM25, LOCAL, NEIGHBOURS, TITLE, ARTICLE, PROXIMITY, ANSWER_TYPE, LEAD, RAREST, COVERAGE,
 ANSWER_VALUE, VARIANTS) = range(12)  # fmt: skip
_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class QuestionColumns:
    """The question as :func:`features` needs it: per column (its distinct terms, then its
    related terms) the idf ceiling and the weight; its adjacent term pairs; for each
    distinct term, its columns and those of the related terms that may stand for it
    (``term_columns[term_indptr[t]:term_indptr[t + 1]]``); whether it asks for a
    ``value`` (``AnswerType.asks_value``); for each distinct term, the columns of its
    shorter forms (``form_columns[form_indptr[t]:form_indptr[t + 1]]``; both empty while
    the ``variants`` lever is off)."""

    ceilings: Float64s
    weights: Float64s
    distinct: int
    pair_left: Int64s
    pair_right: Int64s
    term_indptr: Int64s
    term_columns: Int64s
    value: bool = False
    form_indptr: Int64s = field(default_factory=lambda: _NONE)
    form_columns: Int64s = field(default_factory=lambda: _NONE)


def feature_weights(config: RerankConfig) -> Float64s:
    """The weight of each feature (``FEATURES`` order) under ``config``: BM25 and the local
    score mixed by ``local`` (their weights sum to 1, which sets the scale), the other
    levers as they are, ``rarest`` a penalty (its feature is -1 or 0)."""
    weights = {lever: getattr(config, lever) for lever in FEATURES if lever != "bm25"}
    weights["bm25"] = 1.0 - config.local
    return np.array([weights[feature] for feature in FEATURES], dtype=np.float64)


def features(
    evidence: Evidence,
    ids: Int64s,
    bm25: Float64s,
    question: QuestionColumns,
) -> Float64s:
    """Each candidate's features (rows: the pool, ``ids`` global in BM25 order with ``bm25``
    scores scaled to the best; columns: ``FEATURES``), as
    ``rerank_reference.reference_features`` defines them."""
    table = np.zeros((ids.shape[0], len(FEATURES)))
    e = evidence
    _features(
        e.weight, e.position, e.before, e.article_df, e.doc, e.doc_size, e.opening,
        e.next_in_doc, e.led, e.next_led, e.fits, e.lead, ids, bm25,
        question.ceilings, question.weights, question.distinct, question.pair_left,
        question.pair_right, question.term_indptr, question.term_columns, e.title,
        question.value, question.form_indptr, question.form_columns, table,
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
    weighed by ``weights`` (in ``FEATURES`` order, :func:`feature_weights`)."""
    scores: Float64s = features(evidence, ids, bm25, question) @ weights
    return scores


@kernel
def _features(
    weight: Float64s, position: Int32s, before: Bools, article_df: Int64s, doc: Int64s,
    doc_size: Int64s, opening: Bools, next_in_doc: Bools, led: Bools, next_led: Bools,
    fits: Bools, lead: Bools, ids: Int64s, bm25: Float64s, ceilings: Float64s,
    column_weights: Float64s, distinct: int, pair_left: Int64s, pair_right: Int64s,
    term_indptr: Int64s, term_columns: Int64s, title: Float64s, value: bool,
    form_indptr: Int64s, form_columns: Int64s, table: Float64s,
) -> None:  # fmt: skip
    local = _local(weight, article_df, doc_size, ceilings, column_weights)
    top = local.max() if ids.shape[0] else 0.0
    scale = top if top != 0.0 else 1.0
    for c in range(ids.shape[0]):
        table[c, BM25] = bm25[c]
        table[c, LOCAL] = local[c] / scale
        table[c, TITLE] = title[c]
        table[c, ANSWER_TYPE] = fits[c]
        table[c, ANSWER_VALUE] = fits[c] if value else 0.0
    _neighbours(ids, table[:, LOCAL].copy(), position, before, distinct, opening,
                next_in_doc, led, next_led, table[:, NEIGHBOURS])  # fmt: skip
    _article(doc, bm25, table[:, ARTICLE])
    if pair_left.shape[0]:
        _proximity(position, pair_left, pair_right, table[:, PROXIMITY])
    if distinct:
        _coverage(position, ceilings, distinct, lead, table[:, COVERAGE], table[:, LEAD])
        _lacks_rarest(position, before, opening, ceilings, distinct, term_indptr,
                      term_columns, table[:, RAREST])  # fmt: skip
    if form_columns.shape[0]:
        _variants(position, ceilings, distinct, form_indptr, form_columns, table[:, VARIANTS])


@kernel
def _variants(
    position: Int32s, ceilings: Float64s, distinct: int, form_indptr: Int64s,
    form_columns: Int64s, out: Float64s,
) -> None:  # fmt: skip
    """The share of the question's idf mass each candidate holds only through a shorter form
    of a term: a term it lacks, one of whose forms it holds."""
    mass = _mass(ceilings, distinct)
    for c in range(position.shape[0]):
        held = 0.0
        for t in range(distinct):
            if position[c, t] < 0:
                found = False
                for at in range(form_indptr[t], form_indptr[t + 1]):
                    found = found or position[c, form_columns[at]] >= 0
                held += ceilings[t] * found
        out[c] = held / mass


@kernel
def _proximity(position: Int32s, pair_left: Int64s, pair_right: Int64s, out: Float64s) -> None:
    """The share of the question's adjacent term pairs standing within ``WINDOW`` words."""
    for c in range(position.shape[0]):
        near = 0
        for p in range(pair_left.shape[0]):
            a, z = position[c, pair_left[p]], position[c, pair_right[p]]
            near += a >= 0 and z >= 0 and abs(a - z) <= WINDOW
        out[c] = near / pair_left.shape[0]


@kernel
def _coverage(
    position: Int32s, ceilings: Float64s, distinct: int, lead: Bools, coverage: Float64s,
    lead_share: Float64s,
) -> None:  # fmt: skip
    """The share of the question's idf each candidate holds; again for an article's lead
    sentence (0 for the others)."""
    mass = _mass(ceilings, distinct)
    for c in range(position.shape[0]):
        held = 0.0
        for t in range(distinct):
            held += ceilings[t] * (position[c, t] >= 0)
        coverage[c] = held / mass
        lead_share[c] = coverage[c] if lead[c] else 0.0


@kernel
def _mass(ceilings: Float64s, distinct: int) -> float:
    """The idf of the question's distinct terms (1 when 0: it divides)."""
    mass = 0.0
    for t in range(distinct):
        mass += ceilings[t]
    return mass if mass != 0.0 else 1.0


@kernel
def _lacks_rarest(
    position: Int32s, before: Bools, opening: Bools, ceilings: Float64s, distinct: int,
    term_indptr: Int64s, term_columns: Int64s, out: Float64s,
) -> None:  # fmt: skip
    """-1 for a sentence lacking the question's rarest held word, unless a related term
    stands for it or the sentence before (in the same article) holds it; else 0."""
    rarest = _rarest(position, ceilings, distinct, term_indptr, term_columns)
    if rarest < 0:
        return
    for c in range(position.shape[0]):
        held = False
        for at in range(term_indptr[rarest], term_indptr[rarest + 1]):
            column = term_columns[at]
            held = held or position[c, column] >= 0
            held = held or (before[c, column] and not opening[c])
        out[c] = -1.0 if not held else 0.0


@kernel
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


@kernel
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


@kernel
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


@kernel
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
    """Load (or compile) both passes now rather than on the first question (the first
    pass gives the evidence this one turns into features)."""
    evidence = rerank_gather.warm_up()
    ids = np.zeros(1, dtype=np.int64)
    indptr = np.array([0, 1])
    columns = QuestionColumns(np.ones(1), np.ones(1), 1, ids, ids, indptr, ids, False, indptr, ids)
    combine(evidence, ids, np.ones(1), columns, np.ones(len(FEATURES)))
