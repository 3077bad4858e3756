"""The re-ranker's levers defined in numpy, one function each: what the kernels must compute.

``index.ranking.rerank_combine`` computes the re-ranked scores in one compiled
pass, fast but dense; :func:`reference_scores` computes them lever by lever in
plain numpy, readable and slow. The tests hold the compiled pass to this one on
random questions and lever weights, so a change to a lever is made here first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from index.ranking.article_evidence import article_best, pool_scores
from index.ranking.bm25 import idf_array
from index.ranking.rerank_config import RerankConfig
from index.ranking.rerank_evidence import Question, coverage, lacks_rarest, pair_shares
from index.ranking.rerank_gather import Evidence


def reference_scores(
    question: Question,
    evidence: Evidence,
    ids: npt.NDArray[np.int64],
    bm25: npt.NDArray[np.float64],
    config: RerankConfig,
) -> npt.NDArray[np.float64]:
    """What :func:`index.ranking.rerank_combine.combine` computes, lever by lever in numpy."""
    base = bm25
    if config.local:
        local = local_scores(question, evidence, config.synonyms)
        base = (1 - config.local) * bm25 + config.local * local / (local.max() or 1.0)
    scores = base.copy()
    if config.neighbours:
        scores += config.neighbours * neighbour_scores(question, ids, base, evidence)
    if config.article:
        scores += config.article * article_best(evidence.doc, bm25)
    if config.title:
        scores += config.title * evidence.title
    if config.proximity:
        scores += config.proximity * pair_shares(question, evidence)
    if config.answer_type:
        scores += config.answer_type * evidence.fits
    if config.lead:
        scores += config.lead * np.where(evidence.lead, coverage(question, evidence), 0.0)
    if config.rarest:
        scores -= config.rarest * lacks_rarest(question, evidence)
    return scores


def local_scores(
    question: Question, evidence: Evidence, related_weight: float
) -> npt.NDArray[np.float64]:
    """BM25 with each term's idf taken within the sentence's own article, capped at its idf
    (related terms count ``related_weight`` times, those replacing a word the index
    lacks in full).

    Words that name an article's topic ("Super Bowl") are rare in the corpus
    but in every other sentence of their article; there they tell little.
    """
    size = evidence.doc_size.astype(np.float64)[:, None]
    ceiling = np.array([*question.idf.values(), *question.related.values()])
    idf = np.minimum(idf_array(size, evidence.article_df), ceiling)
    counts = {term: float(question.terms.count(term)) for term in question.idf}
    related = [1.0 if r in question.replacing else related_weight for r in question.related]
    weights = np.array([*counts.values(), *related])
    scores: npt.NDArray[np.float64] = (evidence.weight * idf) @ weights
    return scores


def neighbour_scores(
    question: Question,
    ids: npt.NDArray[np.int64],
    base: npt.NDArray[np.float64],
    evidence: Evidence,
) -> npt.NDArray[np.float64]:
    """The previous sentence's score when it gives this one context, plus the next
    one's when that starts with a pronoun (its subject is then in this sentence).

    The previous sentence gives context when this one starts with a pronoun or
    when it holds question words this one lacks.
    """
    asked = slice(0, len(question.idf))  # the question's own terms, not related ones
    lacks = (~evidence.present[:, asked] & evidence.before[:, asked]).any(axis=1)
    helped = ~evidence.opening & (evidence.led | lacks)
    order = np.argsort(ids)
    previous, has_previous = pool_scores(ids[order], base[order], ids - 1)
    following, has_following = pool_scores(ids[order], base[order], ids + 1)
    leads = evidence.next_in_doc & has_following & evidence.next_led
    result: npt.NDArray[np.float64] = np.where(helped & has_previous, previous, 0.0)
    return result + np.where(leads, following, 0.0)
