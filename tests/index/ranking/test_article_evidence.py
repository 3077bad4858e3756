"""Evidence about a candidate's place in its article: article relevance and the lead."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from index.ranking.article_evidence import (
    LEAD_MIN_TERMS,
    lead_sentences,
    pool_scores,
)


def test_the_lead_is_the_first_whole_sentence_of_each_article() -> None:
    # Article 0: a caption (2 terms), then the lead; 1: the lead first; 2: all short.
    doc_first = np.array([0, 3, 5, 7], dtype=np.int64)
    lengths = np.array([2, 9, 12, 6, 3, 4, 1], dtype=np.int32)
    assert lead_sentences(doc_first, lengths).tolist() == [1, 3, 5]


def test_a_whole_sentence_of_the_next_article_is_never_a_lead() -> None:
    doc_first = np.array([0, 2, 4], dtype=np.int64)
    lengths = np.array([1, 2, 8, 9], dtype=np.int32)
    assert lead_sentences(doc_first, lengths).tolist() == [0, 2]
    no_long = np.array([1, 1, 1, 1], dtype=np.int32)
    assert lead_sentences(doc_first, no_long).tolist() == [0, 2]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=6), min_size=1, max_size=8))
def test_leads_match_a_plain_scan(articles: list[list[int]]) -> None:
    sizes = [len(lengths) for lengths in articles]
    doc_first = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    lengths = np.array([n for lengths in articles for n in lengths], dtype=np.int32)
    expected = []
    for first, article in zip(doc_first, articles, strict=False):
        whole = [at for at, n in enumerate(article) if n >= LEAD_MIN_TERMS]
        expected.append(int(first) + (whole[0] if whole else 0))
    assert lead_sentences(doc_first, lengths).tolist() == expected


def test_pool_scores_finds_wanted_ids_among_the_candidates() -> None:
    ids = np.array([2, 5, 9], dtype=np.int64)
    scores = np.array([0.2, 0.5, 0.9])
    found, present = pool_scores(ids, scores, np.array([5, 6, 9, 1], dtype=np.int64))
    assert found.tolist() == [0.5, 0.0, 0.9, 0.0]
    assert present.tolist() == [True, False, True, False]
