"""The fast sparse engine returns what the rank-bm25 reference returns (ties aside)."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking.bm25 import BM25Params
from index.ranking.engines import SparseEngine
from index.ranking.postings import build_postings
from index.ranking.reference_engine import ReferenceEngine
from index.ranking.selection import top_k
from index.service.searcher import Searcher
from index.storage.builder import build_index
from index.terms.analysis import Analyzer
from tests.paths import FIXTURE_CORPUS, eval_dir_or_skip

TOLERANCE = 1e-5


def assert_same_top(fast: SparseEngine, reference: ReferenceEngine, terms: Sequence[str],
                    k: int = 10, within: range | None = None,
                    related: Sequence[str] = (), weight: float = 0.0) -> None:  # fmt: skip
    """Same scores rank by rank; same ids except among scores tied at the cut."""
    everything = range(0, 2**31 - 1) if within is None else within
    got = fast.best(terms, k, everything, related, weight)
    want = reference.best(terms, k, everything, related, weight)
    assert len(got) == len(want)
    for (_, got_score), (_, want_score) in zip(got, want, strict=True):
        assert got_score == pytest.approx(want_score, rel=TOLERANCE)
    if want:
        cut = want[-1][1] * (1 + TOLERANCE)
        assert {i for i, s in got if s > cut} == {i for i, s in want if s > cut}
    all_scores = reference.candidates(terms)
    if related and weight:
        all_scores = all_scores.plus(reference.candidates(related), weight)
    truth = dict(zip(all_scores.ids.tolist(), all_scores.scores.tolist(), strict=True))
    for sentence_id, score in got:
        assert truth[sentence_id] == pytest.approx(score, rel=TOLERANCE)


def _engines(searcher: Searcher) -> tuple[SparseEngine, ReferenceEngine]:
    index = searcher.index
    fast = SparseEngine(index.postings, searcher.term_ids)
    terms = [searcher.analyzer.terms(index.table.text(i)) for i in range(len(index))]
    return fast, ReferenceEngine(terms, index.params)


@pytest.fixture(scope="module")
def article_index() -> Searcher:
    return Searcher(build_index(FIXTURE_CORPUS).index, reference=True)


def test_seed_corpus_top10_matches_reference(article_index: Searcher) -> None:
    fast, reference = _engines(article_index)
    for question in ("what did the Pentagon say?", "Russia Syria air safety talks", "US", "zzz"):
        assert_same_top(fast, reference, article_index.analyzer.terms(question))


def test_seed_search_is_the_same_with_either_engine(article_index: Searcher) -> None:
    for question in ("what did the Pentagon say?", "video conference"):
        fast = article_index.search(question, 5)
        slow = article_index.search(question, 5, engine="rank-bm25")
        assert [h.score for h in fast.hits] == pytest.approx([h.score for h in slow.hits])


def test_candidates_are_every_matching_sentence_in_id_order(article_index: Searcher) -> None:
    fast = article_index.candidates("Pentagon said talks")
    slow = article_index.candidates("Pentagon said talks", engine="rank-bm25")
    assert fast.ids.tolist() == slow.ids.tolist()
    assert np.allclose(fast.scores, slow.scores, rtol=TOLERANCE)


def test_eval_corpus_top10_matches_reference(tmp_path_factory: pytest.TempPathFactory) -> None:
    eval_dir = eval_dir_or_skip()
    corpus = tmp_path_factory.mktemp("eval-corpus")
    shutil.copy(eval_dir / "squad-dev-articles.jsonl", corpus)
    index = Searcher(build_index(corpus).index)
    fast, reference = _engines(index)
    with (eval_dir / "squad-dev-questions.jsonl").open(encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line in handle][::50]
    for question in questions:
        assert_same_top(fast, reference, index.analyzer.terms(question))


WORDS = st.sampled_from([f"w{i}" for i in range(25)])


# rank-bm25 computes 0/0 for an empty sentence when k1 * (1 - b) = 0 (a NaN it never ranks).
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=0, max_size=15), min_size=1, max_size=40).filter(any),
    st.lists(WORDS, min_size=1, max_size=6),
    st.floats(0.1, 3.0),  # rank-bm25 divides 0 by 0 at k1 = 0
    st.floats(0.0, 1.0),
)
def test_random_corpora_top10_matches_reference(
    sentences: list[list[str]], question: list[str], k1: float, b: float
) -> None:
    params = BM25Params(k1, b)
    postings = build_postings(sentences, params)
    term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
    fast, reference = SparseEngine(postings, term_ids), ReferenceEngine(sentences, params)
    assert_same_top(fast, reference, question)
    assert_same_top(fast, reference, question, k=3, within=range(2, 9))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=0, max_size=15), min_size=1, max_size=40).filter(any),
    st.lists(WORDS, min_size=1, max_size=4),
    st.lists(WORDS, min_size=1, max_size=4),
    st.floats(0.1, 1.0),
)
def test_related_terms_count_at_their_weight_as_in_the_reference(
    sentences: list[list[str]], question: list[str], related: list[str], weight: float
) -> None:
    postings = build_postings(sentences, BM25Params())
    term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
    fast, reference = SparseEngine(postings, term_ids), ReferenceEngine(sentences, BM25Params())
    extra = list(dict.fromkeys(term for term in related if term not in question))
    assert_same_top(fast, reference, question, related=extra, weight=weight)


def test_best_is_thread_safe_with_private_scratch(article_index: Searcher) -> None:
    from concurrent.futures import ThreadPoolExecutor

    fast = SparseEngine(article_index.index.postings, article_index.term_ids)
    terms = Analyzer().terms("Pentagon Russia talks Syria")
    expected = fast.best(terms, 10, range(len(article_index.index.table)))
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: fast.best(terms, 10, range(10**6)), range(200)))
    assert all(result == expected for result in results)


def test_deep_paging_costs_no_more_than_the_corpus(article_index: Searcher) -> None:
    fast = SparseEngine(article_index.index.postings, article_index.term_ids)
    terms = article_index.analyzer.terms("Pentagon Russia")
    everything = fast.best(terms, 10**12, range(len(article_index.index.table)))
    assert everything == fast.best(
        terms, len(article_index.index.table), range(len(article_index.index.table))
    )
    assert article_index.search("Pentagon Russia", 5, offset=10**12).hits == ()


# --- from the core suite ---


def engines(corpus: list[list[str]]) -> tuple[SparseEngine, ReferenceEngine]:
    postings = build_postings(corpus, BM25Params())
    term_ids = {t: i for i, t in enumerate(postings.vocabulary)}
    return SparseEngine(postings, term_ids), ReferenceEngine(corpus, BM25Params())


def assert_same_ranking(sparse: SparseEngine, reference: ReferenceEngine, query: list[str]) -> None:
    fast, slow = sparse.candidates(query), reference.candidates(query)
    assert fast.ids.tolist() == slow.ids.tolist()
    assert fast.scores == pytest.approx(slow.scores, rel=1e-5)
    ranked_fast, ranked_slow = top_k(fast, 10), top_k(slow, 10)
    for (id_f, score_f), (id_s, score_s) in zip(ranked_fast, ranked_slow, strict=True):
        assert id_f == id_s or score_f == pytest.approx(score_s, rel=1e-5)


def test_sparse_matches_rank_bm25_on_random_corpora() -> None:
    rng = random.Random(7)
    words = [f"w{i}" for i in range(40)]
    for _ in range(20):
        corpus = [rng.choices(words, k=rng.randint(0, 12)) for _ in range(rng.randint(1, 80))]
        if not any(corpus):
            continue
        sparse, reference = engines(corpus)
        for _ in range(10):
            assert_same_ranking(sparse, reference, rng.choices(words, k=rng.randint(1, 5)))


def test_no_shared_term_means_no_candidate() -> None:
    sparse, reference = engines([["a", "b"], ["c"]])
    assert sparse.candidates(["zzz"]).ids.size == 0
    assert reference.candidates(["zzz"]).ids.size == 0
    assert sparse.candidates([]).ids.size == 0


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=0, max_size=15), min_size=1, max_size=60).filter(any),
    st.lists(WORDS, min_size=1, max_size=6),
    st.floats(0.1, 3.0),
    st.floats(0.0, 1.0),
    st.integers(1, 12),
)
def test_best_scores_are_exact_and_in_the_exact_order(
    sentences: list[list[str]], question: list[str], k1: float, b: float, k: int
) -> None:
    """Rescored in float64, the best k are rank-bm25's best k to 1e-9, ties in id order."""
    params = BM25Params(k1, b)
    postings = build_postings(sentences, params)
    term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
    got = SparseEngine(postings, term_ids).best(question, k, range(len(sentences)))
    truth = ReferenceEngine(sentences, params).candidates(question)
    want = sorted(zip(truth.ids.tolist(), truth.scores.tolist(), strict=True),
                  key=lambda item: (-item[1], item[0]))[:k]  # fmt: skip
    assert len(got) == len(want)
    for (got_id, got_score), (want_id, want_score) in zip(got, want, strict=True):
        assert got_score == pytest.approx(want_score, rel=1e-9)
        if got_id != want_id:  # only sentences whose scores differ by rounding may swap
            assert dict(want).get(got_id, truth.scores[truth.ids == got_id][0]) == pytest.approx(
                want_score, rel=1e-9
            )
