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
* ``lead``: a bonus for the article's lead sentence (``index/ranking/article_evidence.py``).

The levers, their weights and further scorers (``Mixed``) are in
``index/ranking/rerank_config.py``. The engines stay pure BM25; this stage only
reorders their output. It reads no
sentence text: each term's first position (in the postings) and each sentence's
pronoun flag and answer-type cues (``index/sentence_facts.py``) are stored at
build time, and a compiled kernel looks the question's terms up among the
candidates (``kernels.match_terms``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from index.ranking import kernels
from index.ranking.article_evidence import article_best, lead_sentences, pool_scores
from index.ranking.bm25 import idf_array
from index.ranking.postings import Postings
from index.ranking.rerank_config import DEFAULT_RERANK, LEVERS, Mixed, RerankConfig, Scorer
from index.ranking.rerank_evidence import (
    Matches,
    Question,
    coverage,
    lacks_rarest,
    pair_shares,
)
from index.terms.analysis import Analyzer
from index.terms.answer_types import Asked, answer_type
from index.terms.sentence_facts import QuestionCues, SentenceFacts

__all__ = ["DEFAULT_RERANK", "LEVERS", "Mixed", "RerankConfig", "Reranker", "Scorer"]


class Reranker:
    """Re-ranks candidates of one index from its postings and precomputed sentence facts.

    ``doc_first[d]`` is the first sentence id of document ``d`` (one more entry than
    there are documents) and ``titles[d]`` its title.
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
        self._facts = facts
        self._idf = postings.idf()
        # The idf of a term in no sentence: the most any term can weigh.
        self._max_idf = float(idf_array(postings.sentence_count, np.zeros(1, np.int64))[0])
        self._titles: dict[int, frozenset[str]] = {}
        # Plain views: indexing a mapped np.memmap costs microseconds in Python overhead.
        self._doc_first = np.asarray(doc_first)
        self._doc_sizes = np.diff(self._doc_first)
        self._leads = lead_sentences(self._doc_first, np.asarray(postings.lengths))
        # What the compiled term lookup reads, as the read-only views it is compiled for.
        self._rows = tuple(
            kernels.read_only(array)
            for array in (postings.indptr, postings.sentence_ids, postings.weights)
        )
        self._firsts = kernels.read_only(postings.stored_first_positions())

    def question(
        self, text: str, terms: Sequence[str], related: Mapping[str, Sequence[str]] | None = None
    ) -> Question:
        """The question's terms with their idf, and the idf of the ``related`` terms its words
        may stand for (``index/synonyms.py``). A term the index lacks gets the highest idf,
        or, when it has related terms the index holds, the highest of theirs: the best
        sentence can then only match it through them."""
        related = related or {}
        known = {r: self._term_idf(r) for rs in related.values() for r in rs if r in self._term_ids}
        idf = {t: self._term_idf(t) for t in dict.fromkeys(terms)}
        stand_ins = {t: tuple(r for r in related.get(t, ()) if r in known) for t in idf}
        missing = [term for term in idf if term not in self._term_ids]
        for term in missing:
            if stand_ins[term]:
                idf[term] = max(known[r] for r in stand_ins[term])
        replacing = frozenset(r for term in missing for r in stand_ins[term])
        asked = Asked.of(text, frozenset(terms))
        kind = answer_type(text)
        cues = QuestionCues.of(kind, asked)
        return Question(tuple(terms), idf, kind, asked, cues, known, stand_ins, replacing, text)

    def _term_idf(self, term: str) -> float:
        term_id = self._term_ids.get(term)
        return self._max_idf if term_id is None else float(self._idf[term_id])

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
        head = pool[: config.depth]
        ids_list, scores_list = zip(*head, strict=True)
        ids = np.array(ids_list, dtype=np.int64)
        bm25 = np.array(scores_list) / (head[0][1] or 1.0)
        scores = self._scores(question, ids, bm25, config)
        for further in mixed:
            scores += further.weight * further.scorer.scores(question.text, ids)
        order = np.lexsort((ids, -scores))
        ranked = list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))
        return (ranked + pool[config.depth :])[:k]

    def _scores(
        self,
        question: Question,
        ids: npt.NDArray[np.int64],
        bm25: npt.NDArray[np.float64],
        config: RerankConfig,
    ) -> npt.NDArray[np.float64]:
        docs = np.searchsorted(self._doc_first, ids, side="right") - 1
        matches = self._matches(question, ids, docs)
        base = bm25
        if config.local:
            local = self._local_scores(question, matches, docs, config.synonyms)
            base = (1 - config.local) * bm25 + config.local * local / (local.max() or 1.0)
        scores = base.copy()
        if config.neighbours:
            scores += config.neighbours * self._neighbour_scores(ids, docs, base, matches)
        if config.article:
            scores += config.article * article_best(docs, bm25)
        if config.title:
            scores += config.title * np.array([self._title_cover(question, int(d)) for d in docs])
        if config.proximity:
            scores += config.proximity * pair_shares(question, matches)
        if config.answer_type:
            scores += config.answer_type * self._facts.fits(ids, question.cues)
        if config.lead:
            lead = ids == self._leads[docs]
            scores += config.lead * np.where(lead, coverage(question, matches), 0.0)
        if config.rarest:
            opening = ids == self._doc_first[docs]  # the sentence before is another article's
            scores -= config.rarest * lacks_rarest(question, matches, opening)
        return scores

    def _matches(
        self, question: Question, ids: npt.NDArray[np.int64], docs: npt.NDArray[np.int64]
    ) -> Matches:
        # Columns: the question's distinct terms, then its related terms (see _local_scores).
        columns = [*question.idf, *question.related]
        terms = np.array([self._term_ids.get(t, -1) for t in columns], dtype=np.int64)
        grid = (ids.shape[0], terms.shape[0])
        weight, position = np.zeros(grid), np.full(grid, -1, dtype=np.int32)
        before, df = np.zeros(grid, dtype=np.bool_), np.zeros(grid, dtype=np.int64)
        order = np.argsort(ids)  # ascending ids walk each row once
        indptr, sentence_ids, weights = self._rows
        ranked = docs[order]
        kernels.match_terms(
            indptr, sentence_ids, weights, self._firsts, terms, ids[order],
            self._doc_first[ranked], self._doc_first[ranked + 1], weight, position, before, df,
        )  # fmt: skip
        back = np.argsort(order)
        return Matches(weight[back], position[back], before[back], df[back], len(question.idf))

    def _local_scores(
        self,
        question: Question,
        matches: Matches,
        docs: npt.NDArray[np.int64],
        related_weight: float,
    ) -> npt.NDArray[np.float64]:
        """BM25 with each term's idf taken within the sentence's own article, capped at its idf
        (related terms count ``related_weight`` times, those replacing a word the index
        lacks in full).

        Words that name an article's topic ("Super Bowl") are rare in the corpus
        but in every other sentence of their article; there they tell little.
        """
        size = self._doc_sizes[docs].astype(np.float64)[:, None]
        df = matches.article_df
        ceiling = np.array([*question.idf.values(), *question.related.values()])
        idf = np.minimum(idf_array(size, df), ceiling)
        counts = Counter(question.terms)
        qtf = [float(counts[term]) for term in question.idf]
        related = [1.0 if r in question.replacing else related_weight for r in question.related]
        weights = np.array([*qtf, *related])
        scores: npt.NDArray[np.float64] = (matches.weight * idf) @ weights
        return scores

    def _neighbour_scores(
        self,
        ids: npt.NDArray[np.int64],
        docs: npt.NDArray[np.int64],
        base: npt.NDArray[np.float64],
        matches: Matches,
    ) -> npt.NDArray[np.float64]:
        """The previous sentence's score when it gives this one context, plus the next
        one's when that starts with a pronoun (its subject is then in this sentence).

        The previous sentence gives context when this one starts with a pronoun or
        when it holds question words this one lacks.
        """
        first, stop = self._doc_first[docs], self._doc_first[docs + 1]
        asked = slice(0, matches.distinct)  # the question's own terms, not related ones
        lacks = (~matches.present[:, asked] & matches.before[:, asked]).any(axis=1)
        helped = (ids > first) & (self._facts.pronoun_led(ids) | lacks)
        order = np.argsort(ids)
        previous, has_previous = pool_scores(ids[order], base[order], ids - 1)
        following, has_following = pool_scores(ids[order], base[order], ids + 1)
        next_led = self._facts.pronoun_led(np.minimum(ids + 1, len(self._facts) - 1))
        leads = (ids + 1 < stop) & has_following & next_led
        result: npt.NDArray[np.float64] = np.where(helped & has_previous, previous, 0.0)
        return result + np.where(leads, following, 0.0)

    def _title_cover(self, question: Question, doc: int) -> float:
        if doc not in self._titles:
            title = self._titles_text[doc].replace("_", " ")
            self._titles[doc] = frozenset(self._analyzer.terms(title))
        covered = sum(idf for term, idf in question.idf.items() if term in self._titles[doc])
        return covered / question.mass
