"""Re-ranking BM25's best candidates with evidence BM25 cannot see.

BM25 scores each sentence alone, as a bag of words. The re-ranker takes the
``depth`` best BM25 candidates and adds, with weights tuned on the dev half of
the evaluation set (docs/quality.md):

* ``local``: BM25 with idf counted within the sentence's own article, so the
  words every sentence of the article shares (its topic) weigh less;
* ``neighbours``: the score of the sentence before when this one needs it
  (it starts with a pronoun, or the sentence before holds a question word
  this one lacks), and of the sentence after when that one starts with a
  pronoun (its subject is then in this one);
* ``title``: how much of the question the article's title covers;
* ``article``: the best BM25 scores in the sentence's article (open corpus:
  the right article first, then the right sentence in it);
* ``proximity``: question words that appear close together, as in the question;
* ``answer_type``: a date for "when", a number for "how many", a name for "who";
* ``synonyms``: the weight of the question's related terms (``index/synonyms.py``),
  in the BM25 pool and in the local score;
* ``rarest``: a penalty for lacking the question's rarest word, when neither the
  sentence before (its context) nor a related term supplies it either;
* ``lead``: a bonus for the article's lead sentence (``index/ranking/article_evidence.py``);
* ``coverage``: the share of the question's idf mass the sentence holds.

Each lever is a feature of the candidate, about 0-1, and the score is their weighted
sum (``rerank_kernel.FEATURES``; ``neighbours`` carries the neighbours' local
scores), so the weights can be learned from ranked examples (``bench/learn_weights.py``).

The levers, their weights and further scorers (``Mixed``) are in
``index/ranking/rerank_config.py``. The engines stay pure BM25; this stage only
reorders their output. It reads no
sentence text: each term's first position (in the postings) and each sentence's
pronoun flag and answer-type cues (``index/sentence_facts.py``) are stored at
build time, and two compiled passes gather and weigh the evidence
(``index.ranking.rerank_kernel``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from index.ranking import kernels
from index.ranking.article_evidence import article_best, lead_sentences, pool_scores
from index.ranking.bm25 import idf_array
from index.ranking.postings import Postings
from index.ranking.rerank_config import DEFAULT_RERANK, LEVERS, Mixed, RerankConfig, Scorer
from index.ranking.rerank_evidence import (
    Question,
    coverage,
    lacks_rarest,
    pair_shares,
    question_pairs,
    term_columns,
)
from index.ranking.rerank_kernel import (
    FEATURES,
    Cues,
    Evidence,
    IndexArrays,
    QuestionColumns,
    combine,
    features,
    gather,
)
from index.ranking.rescoring import CorpusStats
from index.terms.analysis import Analyzer
from index.terms.answer_types import Asked, answer_type
from index.terms.sentence_facts import QuestionCues, SentenceFacts

__all__ = ["DEFAULT_RERANK", "LEVERS", "Mixed", "RerankConfig", "Reranker", "Scorer"]


class Reranker:
    """Re-ranks candidates of one index from its postings and precomputed sentence facts.

    ``doc_first[d]`` is the first sentence id of document ``d`` (one more entry than
    there are documents) and ``titles[d]`` its title. :meth:`rank` scores with the
    compiled passes of ``index.ranking.rerank_kernel``; :func:`reference_scores` is the
    same arithmetic in numpy, each lever in its own function: the definition the
    kernel is tested against. Questions come from :func:`parse_question`.
    """

    def __init__(
        self,
        doc_first: npt.NDArray[np.int64],
        titles: Sequence[str],
        postings: Postings,
        term_ids: dict[str, int],
        analyzer: Analyzer,
        facts: SentenceFacts,
    ) -> None:
        self._titles_text = titles
        self._term_ids = term_ids
        self._analyzer = analyzer
        self._params = postings.params
        self._titles: dict[int, frozenset[str]] = {}
        leads = lead_sentences(np.asarray(doc_first), np.asarray(postings.lengths))
        # What the compiled passes read, as the read-only views they are compiled for.
        self.arrays = IndexArrays(
            *(
                kernels.read_only(array)
                for array in (
                    postings.indptr, postings.sentence_ids, postings.stored_term_freqs(),
                    postings.lengths, postings.stored_first_positions(), doc_first,
                    facts.flags, facts.cue_indptr, facts.cue_codes, leads,
                )
            )
        )  # fmt: skip
        lengths = np.asarray(postings.lengths)
        self.stats = CorpusStats(int(lengths.shape[0]), int(lengths.sum(dtype=np.int64)))

    def rank(
        self,
        question: Question,
        pool: list[tuple[int, float]],
        k: int,
        config: RerankConfig,
        mixed: Sequence[Mixed] = (),
    ) -> list[tuple[int, float]]:
        """The ``k`` best (sentence id, score) pairs after re-ranking the top ``depth`` of
        ``pool``, BM25's best (at least ``max(depth, k)``) in BM25 order; each of ``mixed``
        adds its weight times its scores."""
        mixed = [m for m in mixed if m.weight]
        if not pool or config.depth <= 0 or not (config.active or mixed):
            return pool[:k]
        ids = np.array([sentence_id for sentence_id, _ in pool[: config.depth]], dtype=np.int64)
        evidence = self.evidence(question, ids, config, self.stats)
        return reranked(question, pool, evidence, config, k, mixed)

    def evidence(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        config: RerankConfig,
        stats: CorpusStats,
    ) -> Evidence:
        """What the re-ranker reads of candidates ``ids`` of this index, term weights
        computed for corpus statistics ``stats`` (this index's, or those of a collection
        it is part of)."""
        columns = [*question.idf, *question.related]
        terms = np.array([self._term_ids.get(t, -1) for t in columns], dtype=np.int64)
        cues = Cues(question.cues.kind, question.cues.known, question.cues.flag)
        k1, b = self._params.k1, self._params.b
        found = gather(self.arrays, ids, terms, cues, k1, b, stats.avgdl)
        if not config.title:
            return found
        title = np.array([self._title_cover(question, int(d)) for d in found.doc])
        return replace(found, title=title)

    def _title_cover(self, question: Question, doc: int) -> float:
        if doc not in self._titles:
            title = self._titles_text[doc].replace("_", " ")
            self._titles[doc] = frozenset(self._analyzer.terms(title))
        covered = sum(idf for term, idf in question.idf.items() if term in self._titles[doc])
        return covered / question.mass


def parse_question(
    text: str,
    terms: Sequence[str],
    related: Mapping[str, Sequence[str]],
    doc_freqs: Mapping[str, int],
    sentences: int,
) -> Question:
    """The question's terms with their idf, and the idf of the ``related`` terms its words
    may stand for (``index/synonyms.py``), for a collection of ``sentences`` sentences in
    which each term (question and related) occurs ``doc_freqs`` times. A term no sentence
    holds gets the highest idf, or, when it has related terms some sentence holds, the
    highest of theirs: the best sentence can then only match it through them (and those
    related terms count in full, ``replacing``)."""
    every = list(dict.fromkeys([*terms, *(r for rs in related.values() for r in rs)]))
    counts = np.array([doc_freqs.get(term, 0) for term in every], dtype=np.int64)
    idf_of = dict(zip(every, idf_array(sentences, counts).tolist(), strict=True))
    known = {r: idf_of[r] for rs in related.values() for r in rs if doc_freqs.get(r, 0)}
    idf = {t: idf_of[t] for t in dict.fromkeys(terms)}
    stand_ins = {t: tuple(r for r in related.get(t, ()) if r in known) for t in idf}
    missing = [term for term in idf if not doc_freqs.get(term, 0)]
    for term in missing:
        if stand_ins[term]:
            idf[term] = max(known[r] for r in stand_ins[term])
    replacing = frozenset(r for term in missing for r in stand_ins[term])
    asked = Asked.of(text, frozenset(terms))
    kind = answer_type(text)
    cues = QuestionCues.of(kind, asked)
    return Question(tuple(terms), idf, kind, asked, cues, known, stand_ins, replacing, text)


@dataclass(frozen=True, eq=False)
class RankingFeatures:
    """What a question's re-ranking weighs: the candidates it re-ranks (``ids``, the head of
    the pool, in BM25 order) with their features (``table``, a row each and a column per
    name of ``names``), and the candidates ranked after them as they come (``rest``)."""

    ids: npt.NDArray[np.int64]
    names: tuple[str, ...]
    table: npt.NDArray[np.float64]
    rest: npt.NDArray[np.int64]


def head_features(
    question: Question,
    pool: list[tuple[int, float]],
    evidence: Evidence,
    config: RerankConfig,
) -> RankingFeatures:
    """The features :func:`reranked` weighs for the head of ``pool`` (the ``evidence`` rows)."""
    head = np.array(pool[: config.depth]).reshape(-1, 2)
    ids, bm25 = head[:, 0].astype(np.int64), head[:, 1] / ((head[0, 1] if len(head) else 0) or 1.0)
    table = features(evidence, ids, bm25, columns_of(question, config))
    rest = np.array([i for i, _ in pool[config.depth :]], dtype=np.int64)
    return RankingFeatures(ids, FEATURES, table, rest)


def reranked(
    question: Question,
    pool: list[tuple[int, float]],
    evidence: Evidence,
    config: RerankConfig,
    k: int,
    mixed: Sequence[Mixed] = (),
) -> list[tuple[int, float]]:
    """The ``k`` best of ``pool`` after re-ranking its head (the ``evidence`` rows, in pool
    order), the rest after it in BM25 order; each of ``mixed`` adds its weight times its
    scores."""
    head = np.array(pool[: config.depth])
    ids, bm25 = head[:, 0].astype(np.int64), head[:, 1] / (head[0, 1] or 1.0)
    scores = combine(evidence, ids, bm25, columns_of(question, config), feature_weights(config))
    for further in mixed:
        if further.weight:
            scores += further.weight * further.scorer.scores(question.text, ids)
    order = np.lexsort((ids, -scores))[:k]
    ranked = list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))
    return ranked if len(ranked) == k else (ranked + pool[config.depth :])[:k]


def feature_weights(config: RerankConfig) -> npt.NDArray[np.float64]:
    """The weight of each feature (``FEATURES`` order) under ``config``: BM25 and the local
    score mixed by ``local`` (their weights sum to 1, which sets the scale), the other
    levers as they are, ``rarest`` a penalty."""
    weights = {lever: getattr(config, lever) for lever in FEATURES if lever != "bm25"}
    weights["bm25"] = 1.0 - config.local
    return np.array([weights[feature] for feature in FEATURES], dtype=np.float64)


def reference_scores(
    question: Question,
    evidence: Evidence,
    ids: npt.NDArray[np.int64],
    bm25: npt.NDArray[np.float64],
    config: RerankConfig,
) -> npt.NDArray[np.float64]:
    """What :func:`index.ranking.rerank_kernel.combine` computes, in numpy."""
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
    """What :func:`index.ranking.rerank_kernel.features` computes, feature by feature in
    numpy: one column per name of ``FEATURES``."""
    local = local_scores(question, evidence, related_weight)
    local = local / (local.max() or 1.0)
    held = coverage(question, evidence)
    columns = {
        "bm25": bm25,
        "local": local,
        "neighbours": neighbour_scores(question, ids, local, evidence),
        "title": evidence.title,
        "article": article_best(evidence.doc, bm25),
        "proximity": pair_shares(question, evidence),
        "answer_type": evidence.fits.astype(np.float64),
        "lead": np.where(evidence.lead, held, 0.0),
        "rarest": -lacks_rarest(question, evidence).astype(np.float64),
        "coverage": held,
    }
    return np.stack([columns[feature] for feature in FEATURES], axis=1)


def columns_of(question: Question, config: RerankConfig) -> QuestionColumns:
    """The question's columns (its distinct terms, then its related terms) as the compiled
    pass reads them."""
    terms = list(question.idf)
    column = {term: at for at, term in enumerate(terms)}
    weights = [0.0] * len(terms)
    weights += [1.0 if r in question.replacing else config.synonyms for r in question.related]
    for term in question.terms:
        weights[column[term]] += 1.0
    pairs = sorted((column[a], column[b]) for a, b in question_pairs(question.terms))
    columns = [columns for _, columns in term_columns(question)]
    indptr = np.zeros(len(columns) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in columns], out=indptr[1:])
    return QuestionColumns(
        ceilings=np.array([*question.idf.values(), *question.related.values()]),
        weights=np.array(weights, dtype=np.float64),
        distinct=len(terms),
        pair_left=np.array([a for a, _ in pairs], dtype=np.int64),
        pair_right=np.array([b for _, b in pairs], dtype=np.int64),
        term_indptr=indptr,
        term_columns=np.array([c for cs in columns for c in cs], dtype=np.int64),
    )


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
