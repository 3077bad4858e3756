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
* ``answer_value``: more of the same when the answer is a value (a date, a number):
  a value cue is specific, a capitalised word (a name) is in most sentences;
* ``synonyms``: the weight of the question's related terms (``index/synonyms.py``),
  in the BM25 pool and in the local score;
* ``rarest``: a penalty for lacking the question's rarest word, when neither the
  sentence before (its context) nor a related term supplies it either;
* ``lead``: a bonus for the article's lead sentence (``index/ranking/article_evidence.py``);
* ``coverage``: the share of the question's idf mass the sentence holds;
* ``variants``: the share of it the sentence holds only through a shorter form of a
  question term ("invent" for "inventor", ``index/terms/variants.py``);
* ``feedback``: a second pass, the share of the top sentence's other words the
  sentence holds too (``index/ranking/feedback.py``).

Each lever is a feature of the candidate, about 0-1, and the score is their weighted
sum (``rerank_combine.FEATURES``; ``neighbours`` carries the neighbours' local
scores), so the weights can be learned from ranked examples (``bench/learn_weights.py``).

The levers, their weights and further scorers (``Mixed``) are in
``index/ranking/rerank_config.py``. The engines stay pure BM25; this stage only
reorders their output. It reads no
sentence text: each term's first position (in the postings) and each sentence's
pronoun flag and answer-type cues (``index/sentence_facts.py``) are stored at
build time, and two compiled passes gather and weigh the evidence
(``index.ranking.rerank_gather``, ``index.ranking.rerank_combine``);
``index.ranking.rerank_reference`` defines each feature in numpy, the definition
those passes are tested against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

import numpy as np
import numpy.typing as npt

from index.ranking import kernels
from index.ranking.article_evidence import lead_sentences
from index.ranking.bm25 import idf_array
from index.ranking.postings import Postings
from index.ranking.rerank_combine import (
    FEATURES,
    QuestionColumns,
    combine,
    feature_weights,
    features,
)
from index.ranking.rerank_config import DEFAULT_RERANK, LEVERS, Mixed, RerankConfig, Scorer
from index.ranking.rerank_evidence import Question, form_columns, question_pairs, term_columns
from index.ranking.rerank_gather import Cues, Evidence, IndexArrays, gather
from index.ranking.rescoring import CorpusStats, Places
from index.terms.analysis import Analyzer
from index.terms.answer_types import Asked, answer_type
from index.terms.sentence_facts import QuestionCues, SentenceFacts

__all__ = [
    "DEFAULT_RERANK",
    "LEVERS",
    "Mixed",
    "RankingFeatures",
    "RerankConfig",
    "Reranker",
    "Scorer",
]


class Reranker:
    """Re-ranks candidates of one index from its postings and precomputed sentence facts.

    ``doc_first[d]`` is the first sentence id of document ``d`` (one more entry than
    there are documents) and ``titles[d]`` its title. :meth:`rank` scores with the
    compiled passes (``index.ranking.rerank_gather`` and ``rerank_combine``);
    ``index.ranking.rerank_reference`` is the same arithmetic in numpy, each feature in
    its own function: the definition the passes are tested against. Questions come
    from :func:`parse_question`.
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
        adds its weight times its scores. No ``feedback`` pass: it reads the top sentence's
        text, which a searcher has (``index.service.question_ranking``)."""
        mixed = [m for m in mixed if m.weight]
        if not pool or config.depth <= 0 or not (config.active or mixed):
            return pool[:k]
        ids = np.array([sentence_id for sentence_id, _ in pool[: config.depth]], dtype=np.int64)
        evidence = self.evidence(question, ids, config, self.stats)
        scored = head_scores(question, pool, evidence, config, mixed)
        return ranked_head(pool, *scored, config.depth, k)

    def evidence(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        config: RerankConfig,
        stats: CorpusStats,
        places: Places | None = None,
    ) -> Evidence:
        """What the re-ranker reads of candidates ``ids`` of this index, term weights
        computed for corpus statistics ``stats`` (this index's, or those of a collection
        it is part of); ``places``: where the first of them stand in rows, if known
        (``rescoring.rescored``)."""
        columns = [*question.idf, *question.related, *forms_of(question, config)]
        terms = np.array([self._term_ids.get(t, -1) for t in columns], dtype=np.int64)
        cues = Cues(question.cues.kind, question.cues.known, question.cues.flag)
        k1, b = self._params.k1, self._params.b
        found = gather(self.arrays, ids, terms, cues, k1, b, stats.avgdl, places)
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
    variants: Mapping[str, tuple[str, ...]] | None = None,
) -> Question:
    """The question's terms with their idf, and the idf of the ``related`` terms its words
    may stand for (``index/synonyms.py``), for a collection of ``sentences`` sentences in
    which each term (question and related) occurs ``doc_freqs`` times. A term no sentence
    holds gets the highest idf, or, when it has related terms some sentence holds, the
    highest of theirs: the best sentence can then only match it through them (and those
    related terms count in full, ``replacing``). ``variants``: the shorter forms of its
    terms the collection holds (``index.terms.variants.HeldForms``)."""
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
    forms = dict(variants or {})
    return Question(tuple(terms), idf, kind, asked, cues, known, stand_ins, replacing, text, forms)


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
    """The features :func:`head_scores` weighs for the head of ``pool`` (the ``evidence`` rows)."""
    head = np.array(pool[: config.depth]).reshape(-1, 2)
    ids, bm25 = head[:, 0].astype(np.int64), head[:, 1] / ((head[0, 1] if len(head) else 0) or 1.0)
    table = features(evidence, ids, bm25, columns_of(question, config))
    rest = np.array([i for i, _ in pool[config.depth :]], dtype=np.int64)
    return RankingFeatures(ids, FEATURES, table, rest)


def head_scores(
    question: Question,
    pool: list[tuple[int, float]],
    evidence: Evidence,
    config: RerankConfig,
    mixed: Sequence[Mixed] = (),
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The ids of the head of ``pool`` (the ``evidence`` rows, in pool order) and their
    re-ranked scores; each of ``mixed`` adds its weight times its scores."""
    # Two columns from the pairs: a 2-D array of them costs three times as much.
    head_ids, bm25_scores = zip(*pool[: config.depth], strict=True)
    ids, bm25 = np.array(head_ids, dtype=np.int64), np.array(bm25_scores, dtype=np.float64)
    bm25 /= bm25_scores[0] or 1.0
    scores = combine(evidence, ids, bm25, columns_of(question, config), feature_weights(config))
    for further in mixed:
        if further.weight:
            scores += further.weight * further.scorer.scores(question.text, ids)
    return ids, scores


def ranked_head(
    pool: list[tuple[int, float]],
    ids: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    depth: int,
    k: int,
) -> list[tuple[int, float]]:
    """The ``k`` best of ``pool`` once its head (``ids``, the first ``depth``) has
    ``scores``: the head by score (ties by id), the rest after it in BM25 order."""
    order = np.lexsort((ids, -scores))[:k]
    ranked = list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))
    return ranked if len(ranked) == k else (ranked + pool[depth:])[:k]


def forms_of(question: Question, config: RerankConfig) -> tuple[str, ...]:
    """The shorter forms whose columns the evidence holds: none while ``variants`` is off."""
    return question.forms if config.variants else ()


def columns_of(question: Question, config: RerankConfig) -> QuestionColumns:
    """The question's columns (its distinct terms, its related terms, then the shorter forms
    of its terms while ``variants`` is on; they weigh nothing in BM25) as the compiled
    pass reads them."""
    terms = list(question.idf)
    column = {term: at for at, term in enumerate(terms)}
    forms = forms_of(question, config)
    weights = [0.0] * len(terms)
    weights += [1.0 if r in question.replacing else config.synonyms for r in question.related]
    weights += [0.0] * len(forms)
    for term in question.terms:
        weights[column[term]] += 1.0
    pairs = sorted((column[a], column[b]) for a, b in question_pairs(question.terms))
    columns = [columns for _, columns in term_columns(question)]
    indptr = np.array([0, *accumulate(map(len, columns))], dtype=np.int64)
    form_indptr, form_columns = _form_columns(question, forms)
    return QuestionColumns(
        ceilings=np.array(
            [*question.idf.values(), *question.related.values(), *[0.0] * len(forms)]
        ),
        weights=np.array(weights, dtype=np.float64),
        distinct=len(terms),
        pair_left=np.array([a for a, _ in pairs], dtype=np.int64),
        pair_right=np.array([b for _, b in pairs], dtype=np.int64),
        term_indptr=indptr,
        term_columns=np.array([c for cs in columns for c in cs], dtype=np.int64),
        value=question.kind.asks_value,
        form_indptr=form_indptr,
        form_columns=form_columns,
    )


def _form_columns(
    question: Question, forms: tuple[str, ...]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``form_columns`` as an index and a flat array; both empty when the evidence has no
    columns for the forms."""
    if not forms:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    columns = form_columns(question)
    indptr = np.array([0, *accumulate(map(len, columns))], dtype=np.int64)
    return indptr, np.array([c for cs in columns for c in cs], dtype=np.int64)
