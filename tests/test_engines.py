from __future__ import annotations

import random

import numpy as np
import pytest

from index.bm25 import BM25Params
from index.engines import ReferenceEngine, SparseEngine
from index.postings import build_postings
from index.selection import top_k
from index.service import OpenedIndex


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


def test_sparse_matches_rank_bm25_on_the_seed(seed_index: OpenedIndex) -> None:
    index = seed_index.index
    for question in ("What did the Pentagon say?", "Russia US talks Syria", "Kirby opposition"):
        fast = index.candidates(question, engine="sparse")
        slow = index.candidates(question, engine="rank-bm25")
        assert fast.ids.tolist() == slow.ids.tolist()
        assert np.allclose(fast.scores, slow.scores, rtol=1e-5)


def test_no_shared_term_means_no_candidate() -> None:
    sparse, reference = engines([["a", "b"], ["c"]])
    assert sparse.candidates(["zzz"]).ids.size == 0
    assert reference.candidates(["zzz"]).ids.size == 0
    assert sparse.candidates([]).ids.size == 0
