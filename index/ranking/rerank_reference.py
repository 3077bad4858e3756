"""The re-ranker's features defined in numpy, one function each: what the kernels must compute.

``index.ranking.rerank_combine`` computes each candidate's features in one compiled
pass, fast but dense; :func:`reference_features` computes them feature by feature
in plain numpy, readable and slow. The tests hold the compiled pass to this one on
random questions and weights, so a change to a feature is made here first.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from index.article_relevance import article_relevance
from index.ranking.article_evidence import pool_scores
from index.ranking.bm25 import idf_array
from index.ranking.rerank_combine import FEATURES, feature_weights
from index.ranking.rerank_config import RerankConfig
from index.ranking.rerank_evidence import (
    Question,
    coverage,
    lacks_rarest,
    pair_shares,
    variant_shares,
)
from index.ranking.rerank_gather import Evidence


def reference_scores(
    question: Question,
    evidence: Evidence,
    ids: npt.NDArray[np.int64],
    bm25: npt.NDArray[np.float64],
    config: RerankConfig,
) -> npt.NDArray[np.float64]:
    """What :func:`index.ranking.rerank_combine.combine` computes, in numpy."""
    table = reference_features(question, evidence, ids, bm25, config.synonyms)
    scores: npt.NDArray[np.float64] = table @ feature_weights(config)
    return scores


def reference_features(
    question: Question,
    evidence: Evidence,
    ids: npt.NDArray[np.int64],
    bm25: npt.NDArray[np.float64],
    related_weight: float,
) -> npt.NDArray[np.float64]:
    """What :func:`index.ranking.rerank_combine.features` computes, feature by feature in
    numpy: one column per name of ``FEATURES``."""
    local = local_scores(question, evidence, related_weight)
    local = local / (local.max() or 1.0)
    held = coverage(question, evidence)
    columns = {
        "bm25": bm25,
        "local": local,
        "neighbours": neighbour_scores(question, ids, local, evidence),
        "title": evidence.title,
        "article": article_relevance(evidence.doc, bm25),
        "proximity": pair_shares(question, evidence),
        "answer_type": evidence.fits.astype(np.float64),
        "lead": np.where(evidence.lead, held, 0.0),
        "rarest": -lacks_rarest(question, evidence).astype(np.float64),
        "coverage": held,
        "answer_value": evidence.fits * float(question.kind.asks_value),
        "variants": variant_shares(question, evidence),
    }
    return np.stack([columns[feature] for feature in FEATURES], axis=1)


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
    counts = {term: float(question.terms.count(term)) for term in question.idf}
    related = [1.0 if r in question.replacing else related_weight for r in question.related]
    forms = [0.0] * (evidence.weight.shape[1] - len(counts) - len(related))  # no BM25 weight
    ceiling = np.array([*question.idf.values(), *question.related.values(), *forms])
    idf = np.minimum(idf_array(size, evidence.article_df), ceiling)
    weights = np.array([*counts.values(), *related, *forms])
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
