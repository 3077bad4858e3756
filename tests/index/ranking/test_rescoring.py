"""Exact rescoring: float64 BM25 from raw counts, and the band that makes it exact."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking import band, kernels
from index.ranking.bm25 import BM25Params
from index.ranking.postings import build_postings, weigh
from index.ranking.reference_engine import LuceneBM25
from index.ranking.rescoring import (
    CorpusStats,
    Places,
    band_slack,
    rescored,
    weight_error,
)

WORDS = st.sampled_from([f"w{i}" for i in range(12)])
corpora = st.lists(st.lists(WORDS, min_size=1, max_size=12), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(corpora, st.lists(WORDS, min_size=1, max_size=5, unique=True))
def test_rescored_scores_are_rank_bm25_scores(
    sentences: list[list[str]], question: list[str]
) -> None:
    params = BM25Params(1.2, 0.75)
    postings = build_postings(sentences, params)
    term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
    rows = np.array([term_ids.get(t, -1) for t in question], dtype=np.int64)
    idf = LuceneBM25(sentences, params).idf
    factors = np.array([idf.get(t, 0.0) for t in question])
    ids = np.arange(len(sentences), dtype=np.int64)
    stats = CorpusStats(len(sentences), sum(map(len, sentences)))
    arrays = (
        postings.indptr,
        postings.sentence_ids,
        postings.stored_term_freqs(),
        postings.lengths,
    )
    got, _ = rescored(tuple(map(kernels.read_only, arrays)), rows, factors, ids, stats, params)  # type: ignore[arg-type]
    want = LuceneBM25(sentences, params).scores(question)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    corpora,
    st.lists(WORDS, min_size=1, max_size=5, unique=True),
    st.lists(st.integers(0, 39), min_size=1, max_size=10, unique=True),
)
def test_rescoring_keeps_where_each_sentence_stands_in_each_row(
    sentences: list[list[str]], question: list[str], chosen: list[int]
) -> None:
    params = BM25Params(1.2, 0.75)
    postings = build_postings(sentences, params)
    term_ids = {term: i for i, term in enumerate(postings.vocabulary)}
    rows = np.array([term_ids.get(t, -1) for t in question], dtype=np.int64)
    ids = np.array(sorted(i for i in chosen if i < len(sentences)), dtype=np.int64)
    stats = CorpusStats(len(sentences), sum(map(len, sentences)))
    arrays = tuple(
        kernels.read_only(a)
        for a in (
            postings.indptr,
            postings.sentence_ids,
            postings.stored_term_freqs(),
            postings.lengths,
        )
    )
    factors = np.ones(len(question))
    _, places = rescored(arrays, rows, factors, ids, stats, params)  # type: ignore[arg-type]
    assert places.ids.tolist() == ids.tolist() and places.terms.tolist() == rows.tolist()
    for j, row in enumerate(rows.tolist()):
        if row < 0:
            assert (places.at[:, j] == -1).all()
            continue
        begin, end = int(postings.indptr[row]), int(postings.indptr[row + 1])
        lower = np.searchsorted(postings.sentence_ids[begin:end], ids) + begin
        assert places.at[:, j].tolist() == lower.tolist()


def test_places_in_another_order_and_none() -> None:
    places = Places(
        np.array([3, 5, 9], dtype=np.int64),
        np.array([7, -1], dtype=np.int64),
        np.array([[0, -1], [1, -1], [4, -1]], dtype=np.int64),
    )
    picked = places.rows(np.array([2, 0], dtype=np.int64))
    assert picked.ids.tolist() == [9, 3] and picked.at.tolist() == [[4, -1], [0, -1]]
    assert picked.terms is places.terms
    empty = Places.none()
    assert empty.ids.shape == (0,) and empty.at.shape == (0, 0)


def test_statistics_add_up() -> None:
    both = CorpusStats(10, 150).plus(CorpusStats(5, 15))
    assert both == CorpusStats(15, 165) and both.avgdl == 11.0
    assert CorpusStats(0, 0).avgdl == 0.0


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 50), st.integers(1, 300), st.floats(1.0, 40.0), st.floats(1.0, 40.0))
def test_weight_error_bounds_the_change_of_average_length(
    tf: int, length: int, stored: float, actual: float
) -> None:
    params = BM25Params(0.9, 0.6)
    lengths = np.array([length], dtype=np.int32)
    ones = np.zeros(1, dtype=np.int32)
    counts = np.array([tf], dtype=np.uint16)
    # weigh() takes avgdl from the lengths: give it one sentence of each average.
    w_stored = _weight(tf, length, stored, params)
    w_actual = _weight(tf, length, actual, params)
    assert abs(w_stored - w_actual) <= weight_error(stored, actual) * w_actual * (1 + 1e-12)
    assert weigh(counts, ones, lengths, params)[0] == np.float32(
        _weight(tf, length, length, params)
    )


def _weight(tf: int, length: int, avgdl: float, params: BM25Params) -> float:
    norm = params.k1 * (1.0 - params.b + params.b * length / avgdl)
    return tf * (params.k1 + 1.0) / (tf + norm)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 39), max_size=25, unique=True), min_size=1, max_size=5),
    st.integers(1, 10),
    st.floats(0.0, 0.2),
    st.integers(0, 2**32 - 1),
)
def test_the_band_holds_the_exact_best_when_weights_are_off(
    rows: list[list[int]], k: int, error: float, seed: int
) -> None:
    """Weights off by up to ``error`` (relative) still put the exact top k in the band."""
    rows = [sorted(row) for row in rows]
    rng = np.random.default_rng(seed)
    exact = [rng.integers(1, 5, len(row)).astype(np.float64) for row in rows]
    noisy = [w * (1 + rng.uniform(-error, error, len(w))) for w in exact]
    factors = rng.integers(1, 4, len(rows)).astype(np.float64)
    indptr = kernels.read_only(np.cumsum([0, *map(len, rows)]).astype(np.int64))
    ids = kernels.read_only(np.array([s for row in rows for s in row], dtype=np.int32))
    weights = kernels.read_only(np.concatenate([*noisy, []]).astype(np.float32))
    maxima = np.array([w.max() if len(w) else 0.0 for w in noisy], dtype=np.float32)
    bounds = factors * maxima
    order = np.argsort(-bounds, kind="stable")
    scratch, touched = np.zeros(40, dtype=np.float32), np.zeros(40, dtype=np.int32)
    slack = band_slack(len(rows), error, kernels.SLACK)
    found, _ = band.top_band(
        indptr, ids, weights, order.astype(np.int64), factors[order], bounds[order], 0, 40,
        slack, k, scratch, touched, band.marks_for(40),
    )  # fmt: skip
    held = set(found.tolist())
    totals: dict[int, float] = {}
    for row, w, f in zip(rows, exact, factors, strict=True):
        for s, x in zip(row, w, strict=True):
            totals[s] = totals.get(s, 0.0) + f * x
    best = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:k]
    assert {s for s, _ in best} <= held
    assert not scratch.any()
